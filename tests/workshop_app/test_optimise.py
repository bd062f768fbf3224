"""The optimise state without a browser: ranges, the front against the engine's own, opening a point in Compare."""

from __future__ import annotations

import pytest

from process_models.session import load_session
from simulation import load_scenario, run
from workshop_app.state import StudioState
from workshop_app.texts import UiError
from workshop_app.views.optimise_view import OptimiseView, front_figure

RANGES = {"guides": "4..5", "public_computers": "10..11", "kiosk": "2..3", "caseworkers": ""}


def test_default_ranges_leave_unpaid_pools_alone(shared):
    st = StudioState(shared=shared)
    assert st.optimise.scenario_name == "skarholmen-kiosk"
    assert st.optimise.ranges == {"kiosk": "1..4", "guides": "2..5", "public_computers": "9..12", "caseworkers": ""}
    assert st.optimise.vary()["pools.guides.capacity"] == [2, 3, 4, 5]
    assert "pools.caseworkers.capacity" not in st.optimise.vary()


@pytest.mark.parametrize("raw", ["1..x", "5..2", "-1", "drei"])
def test_a_range_that_is_no_range_is_refused_in_both_languages(shared, raw):
    o = StudioState(shared=shared).optimise
    o.set_range("guides", raw)
    with pytest.raises(UiError) as exc:
        o.run()
    assert o.status == "error" and o.error == "o_bad_range"
    assert exc.value.in_lang("sv") == f"Skriv ett intervall som 1..5 eller ett heltal (fick ”{raw}”)."
    assert raw in exc.value.in_lang("en")


def test_the_front_opens_as_a_scenario_chosen_in_compare_against_its_base(shared, session_path):
    st = StudioState(shared=shared)
    o = st.optimise
    o.param.update(ranges=RANGES, evaluations=8, replications=1, seed=3)
    other = StudioState(shared=shared).optimise  # another browser of the room, open before the search
    assert other.front == []
    front = o.run()
    assert o.status == "done" and o.simulated == 8 and len(front) >= 1
    costs = [p["kpis"]["cost.week"]["mean"] for p in front]
    waits = [p["kpis"]["p90_wait"]["mean"] for p in front]
    assert costs == sorted(costs) and waits == sorted(waits, reverse=True) and max(waits) <= 20
    # the figures are the engine's for that set-up on the same seed
    first = front[0]
    alone = run(load_scenario("skarholmen-kiosk").with_overrides(first["overrides"]), replications=1, seed=3,
                keep_records=False).kpis()
    assert first["kpis"]["cost.week"]["mean"] == alone["cost.week"].mean
    other.sync()  # the page's poll
    assert other.front == front and other.status == "done" and other.searched["scenario"] == "skarholmen-kiosk"
    name = o.open_point(0)
    assert st.compare.chosen == ["skarholmen-kiosk", name] and st.compare.baseline == "skarholmen-kiosk"
    saved = {s.name: s for s in load_session(session_path).scenarios}[name]
    assert saved.model == "skarholmen-kiosk" and saved.overrides == first["overrides"]
    with pytest.raises(UiError):
        o.open_point(len(front))


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_view_and_chart_render_in_both_languages(shared, lang):
    st = StudioState(shared=shared)
    o = st.optimise
    o.param.update(ranges=RANGES, evaluations=4, population=4, replications=1, seed=3)
    o.run()
    view = OptimiseView(o, lang)
    assert view.__panel__().get_root() is not None
    fig, src = front_figure(o.front, lang, 20.0, {"guides": "G"})
    assert fig.xaxis[0].axis_label == {"sv": "Kostnad per vecka (kr)", "en": "Cost per week (SEK)"}[lang]
    assert list(src.data["cost"]) == [p["kpis"]["cost.week"]["mean"] for p in o.front]
    assert all(s.startswith("G ") or ", G " in s for s in src.data["setup"])


def test_a_range_that_makes_no_valid_model_is_said_in_the_ui_language(shared):
    o = StudioState(shared=shared).optimise
    o.param.update(ranges={"guides": "0", "kiosk": "2", "public_computers": "10"}, evaluations=4, population=4,
                   replications=1)
    with pytest.raises(UiError) as exc:
        o.run()
    assert o.status == "error" and o.error == "o_invalid"
    assert exc.value.in_lang("sv").startswith("Minst ett av intervallen ger ingen giltig modell")
