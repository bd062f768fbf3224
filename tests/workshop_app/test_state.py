"""One browser's whole state: language, map selection feeding the note form, waits painted after a run."""

from __future__ import annotations

from workshop_app.engine import ResultCache
from workshop_app.shared_session import SharedSession
from workshop_app.state import StudioState


def test_swedish_by_default_and_english_reaches_the_maps(shared):
    st = StudioState(shared=shared)
    assert st.lang == "sv" and st.maps.lang == "sv"
    st.lang = "en"
    assert st.maps.lang == "en"
    assert "Skärholmen today" in st.maps.blueprint_svg()


def test_a_step_clicked_on_the_map_is_where_the_next_note_goes(shared):
    st = StudioState(shared=shared)
    st.maps.select("kiosk_register_errand")  # a step of the future variant
    assert (st.workshop.model_ref, st.workshop.step) == ("skarholmen-kiosk", "kiosk_register_errand")


def test_a_comparison_paints_each_models_waits_on_its_map(shared):
    st = StudioState(shared=shared)
    st.compare.cache = ResultCache()
    st.compare.param.update(chosen=["skarholmen-current", "skarholmen-kiosk"], replications=2, seed=8)
    st.compare.run()
    assert set(st.maps.waits) == {"skarholmen-current", "skarholmen-kiosk"}
    assert st.maps.waits["skarholmen-current"]["wait_desk"] == st.compare.step_waits["skarholmen-current"]["wait_desk"]
    assert "⏱" in st.maps.blueprint_svg() and "⏱" in st.maps.blueprint_svg("variant")


def test_two_browsers_see_each_others_changes_through_the_revision(session_path):
    shared = SharedSession(session_path)
    a, b = StudioState(shared=shared), StudioState(shared=shared)
    assert not b.changed_elsewhere()
    a.workshop.param.update(participant_name="Ana", role="staff")
    a.workshop.join()
    assert b.changed_elsewhere() and not b.changed_elsewhere()  # seen once
