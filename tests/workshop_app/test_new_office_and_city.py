"""The app's "Nytt kontor" and city states, headless: proposals in the session, a city run through the engine."""

from __future__ import annotations

import pytest

from process_models import load_model
from process_models.office_template import answers_from_texts, build_office
from simulation import load_city, run_city
from simulation.city import City, CityOffice
from workshop_app.city import CityState
from workshop_app.new_office import TEMPLATE_BASE, NewOfficeState
from workshop_app.state import StudioState
from workshop_app.texts import UiError


def test_a_new_office_becomes_two_proposals_that_the_cli_can_load(shared, session_path):
    st = NewOfficeState(shared, office_name="Kista")
    made = st.create()
    assert st.created == ["Kista idag – kölapp och informationsdisk", "Kista 2.0 – kiosk i entrén och vägledare på golvet"]
    assert [v.base for v in made] == [TEMPLATE_BASE, TEMPLATE_BASE]
    today, _ = build_office(answers_from_texts({"name": "Kista"}))
    loaded = load_model(f"{session_path}#{made[0].id}")  # what `mbk simulate SESSION.json#VARIANT` reads
    assert loaded.steps == today.steps and loaded.pools == today.pools and loaded.errands == today.errands
    again = st.create()  # the same office twice: numbered, not refused
    assert [v.name for v in again] == ["Kista idag – kölapp och informationsdisk 2",
                                       "Kista 2.0 – kiosk i entrén och vägledare på golvet 2"]
    assert len(shared.variants()) == 4


def test_bad_answers_are_named_by_their_label_in_the_ui_language_and_nothing_is_made(shared):
    st = NewOfficeState(shared, office_name="", weekly_visitors="många", queue="floorwalk")
    assert st.create() == [] and st.created == []
    assert st.problems == {"name": "Kontorets namn: väntade ett namn på 1–60 tecken, fick ''",
                           "weekly_visitors": "Besökare per vecka: väntade ett heltal från 1 till 250 000, fick 'många'"}
    st.lang = "en"
    assert st.problems["weekly_visitors"] == "Visitors per week: expected a whole number from 1 to 250,000, got 'många'"
    assert shared.variants() == []


def test_the_app_state_offers_a_new_office_to_compare_and_the_city(session_path):
    state = StudioState(session_path)
    state.new_office.office_name = "Kista"
    state.new_office.create()
    state.city.refresh_choices()
    state.compare.refresh_choices()
    assert "Kista idag – kölapp och informationsdisk" in state.city.param.chosen.objects
    assert "Kista idag – kölapp och informationsdisk" in state.compare.param.chosen.objects
    state.lang = "en"
    assert state.new_office.lang == "en" and state.city.lang == "en"


def test_the_city_panel_runs_the_chosen_offices_as_the_simulation_does(shared):
    st = CityState(shared, replications=2, seed=4)
    assert st.chosen == ["skarholmen-current", "rinkeby-2006"]
    result = st.run()
    assert st.status == "done" and result["columns"] == ["Skärholmen idag – kölapp och informationsdisk",
                                                         "Rinkeby 2006 – disk, fyra bord och nummerlappar", "total"]
    direct = run_city(City(name="x", offices=[CityOffice(name=n, model=m) for n, m, _ in st.offices()]),
                      replications=2, seed=4).kpis()
    assert result["kpis"]["total"]["mean_wait"]["mean"] == direct["total"]["mean_wait"].mean
    assert [kpi for kpi, _ in st.table()][:4] == ["arrived", "served", "self_served_share", "mean_wait"]
    st.chosen = ["rinkeby-2006"]
    with pytest.raises(UiError, match="at least 2 offices"):
        st.run()
    assert st.status == "error"


def test_the_example_city_lists_the_template_office():
    city = load_city("process_models/library/cities/stockholm.yaml")
    assert load_model(city.offices[2].model).description.en.startswith("Made with the template")
