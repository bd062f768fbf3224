"""The maps tab's state: pick and upload models, click steps, paint simulated waits."""

from __future__ import annotations

import re

from process_models import dump_model, load_model
from workshop_app.builder import ScenarioBuilder
from workshop_app.compare import CompareState
from workshop_app.maps import MapState, wait_colour
from workshop_app.views.maps_view import step_panel_html


def test_opens_on_skarholmen_today_and_its_kiosk_variant(shared):
    m = MapState(shared)
    assert (m.model_ref, m.variant_ref) == ("skarholmen-current", "skarholmen-kiosk")
    svg = m.blueprint_svg()
    titles = set(re.findall(r"<title>([a-z_0-9]+)</title>", svg))
    assert {s.id for s in m.model.steps} <= titles  # every step is clickable by its id
    assert svg.startswith("<svg") and 'width="100%"' in svg


def test_a_valid_upload_is_shown_and_a_broken_one_lists_file_line_and_field(shared, session_path):
    m = MapState(shared)
    text = dump_model(load_model("skarholmen-kiosk")).replace("id: skarholmen-kiosk", "id: my-office", 1)
    model = m.upload(text.encode("utf-8"), "my-office.yaml")
    assert model is not None and model.id == "my-office"
    # an upload becomes a variant of the session: its own id, every browser sees it, nothing on disk beside
    (variant,) = shared.variants()
    assert m.model_ref == f"#{variant.id}" and variant.base == "upload:my-office.yaml" and m.upload_problems == []
    assert m.model_for(m.model_ref).id == variant.id != "skarholmen-kiosk"
    assert not (session_path.parent / "uploads").exists()
    # the builder and the comparison can start from the uploaded model too
    ref = f"{session_path}#{variant.id}@0"
    assert ref in ScenarioBuilder(shared).param.base.objects
    assert CompareState(shared).catalogue()[variant.name] == (ref, {})

    broken = text.replace("  capacity: 10\n", "  capacity: many\n", 1)
    line = broken.splitlines().index("  capacity: many") + 1
    assert m.upload(broken, "broken.yaml") is None
    assert m.model_ref == f"#{variant.id}" and len(shared.variants()) == 1  # the map stays on the last good model
    assert not (session_path.parent / "uploads" / "broken.yaml").exists()
    lines = m.upload_problem_lines()
    assert any(p.startswith(f"broken.yaml:{line}: pools[") and p.endswith(".capacity: ska vara ett heltal, men är 'many'")
               for p in lines), lines
    m.lang = "en"
    assert any(p.endswith(".capacity: should be a whole number, but is 'many'") for p in m.upload_problem_lines())


def test_clicking_a_step_shows_its_parameters_notes_and_wait(shared):
    m = MapState(shared)
    p = shared.join("Ida", "staff")
    shared.add_note(p.id, "skarholmen-current", "guide_at_computer", "question", "Räcker datorerna?")
    m.select("guide_at_computer")
    d = m.step_details()
    assert d["requests"] == ["Samhällsvägledare × 1", "Publika datorer × 1"]
    dist = m.model.step("guide_at_computer").duration
    assert d["duration"] == f"lognormal {dist.mean_minutes:g} ± {dist.sd:g} min"
    assert [n.text for n in d["session_notes"]] == ["Räcker datorerna?"]
    assert d["wait"] is None
    m.waits = {"skarholmen-current": {"guide_at_computer": 17.6}}
    m.lang = "en"
    html = step_panel_html(m.step_details(), "en")
    assert "17.6 min" in html and "Räcker datorerna?" in html and "Citizen guide" in html
    m.select("no_such_step")
    assert m.selected_step == "guide_at_computer"
    m.select("kiosk_language")  # a step of the variant shown beside it
    assert m.step_details()["model"] == "skarholmen-kiosk"


def test_simulated_waits_are_painted_on_the_blueprint(shared):
    m = MapState(shared)
    m.waits = {"skarholmen-current": {"wait_desk": 3.0, "wait_computer": 42.0}}
    fill, badges = m.wait_paint(m.model)
    assert fill == {"wait_desk": wait_colour(3.0), "wait_computer": wait_colour(42.0)}
    assert wait_colour(3.0) != wait_colour(42.0)
    assert badges["wait_computer"] == "⏱ 42 min"
    svg = m.blueprint_svg()
    assert "⏱ 42 min" in svg and wait_colour(42.0) in svg
    m.show_waits = False
    assert "⏱" not in m.blueprint_svg()


def test_the_diff_colours_added_and_removed_steps(shared):
    m = MapState(shared)
    svg = m.diff_svg()
    assert "#2e7d32" in svg and "#c62828" in svg  # added (green) and removed (red) outlines
    lines = m.diff_lines()
    assert "+ Steg ”Väljer språk på skärmen” tillagt" in lines
    assert "- Steg ”Tar kölapp” borttaget" in lines
    # values as a participant reads them: names, minutes and counts, no Python dicts and no sources
    assert "~ Steg ”Vägledaren kommer till datorn”: tid 14 min i snitt (± 7) → 12 min i snitt (± 6)" in lines
    assert "~ Resurs ”Publika datorer och paddor”: kapacitet 7 → 10" in lines
    assert "+ Flöde ”Läser instruktionen på skärmen” → ”Registrerar ärendet” tillagt (behöver hjälp)" in lines
    assert not any("{" in line or "source" in line or "tålamod" in line for line in lines)  # patience: only its source
    m.lang = "en"
    assert "~ Resource “Public computers and tablets”: capacity 7 → 10" in m.diff_lines()


def test_english_labels_after_the_switch(shared):
    m = MapState(shared)
    assert "Skärholmen idag" in m.blueprint_svg()
    m.lang = "en"
    assert "Skärholmen today" in m.blueprint_svg()


def test_side_by_side_outlines_what_differs(shared):
    m = MapState(shared)
    today, future = m.diff_outline("model"), m.diff_outline("variant")
    assert today["take_ticket"] == "#c62828"  # removed in the kiosk variant
    assert future["kiosk_language"] == "#2e7d32"  # added
    assert "kiosk_language" not in today and "take_ticket" not in future
    assert "#c62828" in m.blueprint_svg("model", outline_diff=True)
