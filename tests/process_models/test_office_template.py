"""A new office from the template: answers read, models built and sourced, and `mbk new office` asked or told."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from mbk.cli import app, main
from process_models import load_model
from process_models.office_template import (
    DEFAULTS,
    AnswerError,
    Route,
    answers_from_texts,
    build_office,
    office_slug,
    office_yaml,
    parse_answer,
)


@pytest.fixture
def mbk(capsys):
    def run(*args):
        code = main([str(a) for a in args])
        captured = capsys.readouterr()
        assert "Traceback" not in captured.err
        return code, captured.out, captured.err

    return run


def test_the_defaults_make_skarholmens_office_with_one_more_of_each_and_every_figure_sourced():
    a = answers_from_texts({"name": "Kista"})
    today, future = build_office(a)
    assert (today.id, future.id, today.variant, future.variant) == ("kista-current", "kista-kiosk", "current", "future")
    assert {p.id: p.capacity for p in today.pools} == {"info_desk": 4, "guides": 4, "public_computers": 8, "caseworkers": 6}
    # the kiosk office: no desk, the kiosks asked for, and the computers its flow needs (8 x 14.6 / 7.84 min)
    assert {p.id: p.capacity for p in future.pools} == {"kiosk": 3, "guides": 4, "public_computers": 15, "caseworkers": 6}
    assert (today.policy.queue, future.policy.queue) == ("ticket", "floorwalk")
    lib = load_model("skarholmen-current")
    assert [(e.id, e.share) for e in today.errands] == [(e.id, e.share) for e in lib.errands]
    assert today.errands[0].booked and today.errands[0].source.doc == "skarholmen-prestudy-application.txt"
    assert [(s.language, s.share) for s in today.segments] == [("sv", 0.55), ("ar", 0.2), ("so", 0.1), ("en", 0.15)]
    assert today.demand.weekday_profile == {"mon": 0.1995, "tue": 0.1995, "wed": 0.2254, "thu": 0.1995, "fri": 0.1761}
    assert today.demand.hourly_profile == {9: 0.8, 10: 1.2, 11: 1.3, 12: 1.0, 13: 1.3, 14: 1.2, 15: 0.9, 16: 0.6, 17: 0.4}
    assert [o.id for o in future.costs.one_off] == ["kiosk_setup", "renovation", "training"]
    assert future.costs.one_off[2].hours == 64  # two days for each of the four guides
    for m in (today, future):
        data = m.model_dump(mode="json", by_alias=True, exclude_none=True)
        for section in ("pools", "errands", "segments"):
            assert all("source" in item for item in data[section]), section
        for step in data["steps"]:
            for figure in ("duration", "patience", "success"):
                if figure in step:
                    assert "source" in step[figure], (m.id, step["id"], figure)
        assert all("source" in f for f in data["flows"] if f.get("probability", 1) != 1)
        assert all("source" in p["cost"] for p in data["pools"])
        assert "source" in data["demand"] and "source" in data["costs"]


def test_written_models_read_back_as_the_same_model_with_the_answers_in_the_header(tmp_path):
    a = answers_from_texts({"name": "Skärholmen Syd", "queue": "floorwalk"})
    today, future = build_office(a)
    p = tmp_path / "x.yaml"
    p.write_text(office_yaml(today, a), encoding="utf-8")
    assert load_model(p) == today
    assert "#   queue: floorwalk\n" in p.read_text(encoding="utf-8")
    assert answers_from_texts(a.texts()) == a
    assert office_slug("Skärholmen Syd") == "skarholmen-syd" and office_slug("1:a kontoret") == "office-1-a-kontoret"


def test_a_mix_without_booked_meetings_or_desk_leaves_out_what_no_visitor_reaches():
    a = answers_from_texts({"name": "Liten", "errand_mix": "question=0.5,own_computer=0.5", "desk_staff": "0",
                            "queue": "floorwalk"})
    today, future = build_office(a)
    assert [s.id for s in today.steps] == ["arrive", "wait_desk", "desk_triage", "desk_route", "leave", "desk_answer",
                                           "wait_computer", "use_computer", "leave_self_served"]
    assert [p.id for p in today.pools] == ["guides", "public_computers"]
    assert today.step("desk_triage").requests[0].pool == "guides"  # no desk: a guide receives
    assert [s.id for s in future.steps] == ["arrive", "kiosk_language", "kiosk_purpose", "leave", "kiosk_answer",
                                            "leave_self_served", "guide_on_floor", "use_computer"]
    assert [(e.id, e.share) for e in today.errands] == [("question", 0.5), ("own_computer", 0.5)]


def test_rinkebys_mix_routes_fax_and_copying_to_the_desk_and_says_why():
    today, _ = build_office(answers_from_texts({"name": "Järva", "errand_mix": "rinkeby"}))
    fax = next(e for e in today.errands if e.id == "fax_copy")
    assert fax.share == 0.0671 and "no copier" in fax.source.assumption and fax.source.doc == "rinkeby-quality-award-2007.txt"
    assert round(sum(e.share for e in today.errands), 9) == 1
    assert not any(e.booked for e in today.errands) and "caseworkers" not in [p.id for p in today.pools]


@pytest.mark.parametrize("field, text, sv, en", [
    ("weekly_visitors", "många", "weekly_visitors: väntade ett heltal från 1 till 250 000, fick 'många'",
     "weekly_visitors: expected a whole number from 1 to 250,000, got 'många'"),
    ("desk_staff", "-1", "desk_staff: väntade ett heltal från 0 till 1000, fick '-1'",
     "desk_staff: expected a whole number from 0 to 1000, got '-1'"),
    ("opening_hours", "mon-fry 09:00-16:00", "okänd veckodag i 'mon-fry'", "unknown weekday in 'mon-fry'"),
    ("opening_hours", "mon 16:00-09:00", "'16:00-09:00' är inga tider där öppning kommer före stängning",
     "'16:00-09:00' is not an opening time before a closing time"),
    ("languages", "sv=0.5,ar=0.2", "andelarna summerar till 0.7, inte 1", "the shares add up to 0.7, not 1"),
    ("languages", "svenska", "'svenska' är ingen språkkod", "'svenska' is not a language code"),
    ("errand_mix", "bostad=1", "'bostad' saknar en känd väg", "'bostad' has no known route"),
    ("queue", "kö", "queue: väntade ticket (kölapp) eller floorwalk, fick 'kö'", "queue: expected ticket or floorwalk, got 'kö'"),
])
def test_a_bad_answer_names_the_field_and_what_was_expected_in_both_languages(field, text, sv, en):
    with pytest.raises(AnswerError) as exc:
        parse_answer(field, text)
    assert exc.value.field == field
    assert sv in exc.value.message("sv") and en in exc.value.message("en") and en in str(exc.value)


def test_answers_read_as_typed():
    assert parse_answer("opening_hours", "mon-fri 09:00-16:00; wed 09:00-18:00") == {
        "mon": ("09:00", "16:00"), "tue": ("09:00", "16:00"), "wed": ("09:00", "18:00"),
        "thu": ("09:00", "16:00"), "fri": ("09:00", "16:00")}
    assert parse_answer("languages", "sv,ar") == {"sv": 0.5, "ar": 0.5}
    mix = parse_answer("errand_mix", "booked=0.2,housing=0.8:guidance")
    assert [(e.id, e.share, e.route) for e in mix] == [("booked", 0.2, Route.BOOKED), ("housing", 0.8, Route.GUIDANCE)]
    assert parse_answer("queue", "Kölapp") == "ticket" and parse_answer("errand_mix", "Skärholmen") == "skarholmen"


def test_mbk_new_office_with_options_writes_models_that_validate_and_simulate_without_warnings(tmp_path, mbk):
    code, out, err = mbk("new", "office", "--name", "Kista", "-y", "-o", tmp_path / "kista.yaml", "--lang", "en")
    assert code == 0, err
    assert err == ""  # no load-check warning for the defaults
    assert f"wrote {tmp_path / 'kista.yaml'} (today) and {tmp_path / 'kista-kiosk.yaml'} (with the entrance kiosk)" in out
    code, out, err = mbk("validate", tmp_path / "kista.yaml", tmp_path / "kista-kiosk.yaml")
    assert code == 0 and "ok" in out and "kista-kiosk (17 steps, 22 flows)" in out
    for name in ("kista.yaml", "kista-kiosk.yaml"):
        code, out, err = mbk("simulate", tmp_path / name, "-r", "2", "--seed", "3", "--csv")
        assert code == 0 and err == "", err
        rows = dict(line.split(",", 1) for line in out.splitlines()[1:])
        assert float(rows["arrived"].split(",")[0]) > 1300
    code, _, err = mbk("new", "office", "--name", "Kista", "-y", "-o", tmp_path / "kista.yaml", "--lang", "en")
    assert code == 2 and f"{tmp_path / 'kista.yaml'} already exists" in err


def test_mbk_new_office_refuses_a_bad_option_naming_it(tmp_path, mbk):
    code, out, err = mbk("new", "office", "--name", "X", "--guides", "none", "-y", "-o", tmp_path / "x.yaml")
    assert code == 2 and out == ""
    assert "--guides: guides: väntade ett heltal från 1 till 1000, fick 'none'" in err
    code, _, err = mbk("new", "office", "-y", "--lang", "en")
    assert code == 2 and "--name: name: expected a name of 1-60 characters" in err
    assert not list(tmp_path.iterdir())


def test_mbk_new_office_asks_in_swedish_and_asks_again_after_a_bad_answer(tmp_path):
    answers = ["Täby", "abc", "1200", "", "6", "", "3", "2", "sv=0.7,ar=0.3", "rinkeby", "kö", "floorwalk"]
    result = CliRunner().invoke(app, ["new", "office", "-o", str(tmp_path / "taby.yaml")], input="\n".join(answers) + "\n")
    assert result.exit_code == 0, result.output
    assert "Besökare per vecka [1473]" in result.output
    assert "weekly_visitors: väntade ett heltal från 1 till 250 000, fick 'abc'" in result.output
    assert "queue: väntade ticket (kölapp) eller floorwalk, fick 'kö'" in result.output
    today = load_model(tmp_path / "taby.yaml")
    assert (today.office, today.demand.weekly_visitors, today.policy.queue) == ("Täby", 1200, "floorwalk")
    assert {p.id: p.capacity for p in today.pools} == {"info_desk": 2, "guides": 3, "public_computers": 6}
    assert [s.language for s in today.segments] == ["sv", "ar"] and today.errands[0].id == "own_computer_use"
    assert load_model(tmp_path / "taby-kiosk.yaml").pool("kiosk").capacity == 3


def test_mbk_new_office_asks_in_english_with_lang_en(tmp_path):
    result = CliRunner().invoke(app, ["new", "office", "--lang", "en", "--name", "Kista", "-o", str(tmp_path / "k.yaml")],
                                input="\n" * 9)
    assert result.exit_code == 0, result.output
    assert "Visitors per week [1473]" in result.output and "Besökare" not in result.output
    assert load_model(tmp_path / "k.yaml").demand.weekly_visitors == int(DEFAULTS["weekly_visitors"])


def test_the_questions_go_to_stderr_so_stdout_says_only_what_was_written(tmp_path, mbk, monkeypatch):
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO("Kista\n" + "\n" * 9))
    code, out, err = mbk("new", "office", "-o", tmp_path / "k.yaml")
    assert code == 0
    assert out.splitlines()[0] == f"skrev {tmp_path / 'k.yaml'} (idag) och {tmp_path / 'k-kiosk.yaml'} (med kiosk i entrén)"
    assert "Kontorets namn: Besökare per vecka [1473]: " in err
    monkeypatch.setattr("sys.stdin", io.StringIO("Kista\n"))  # the answers end before the questions do
    code, out, err = mbk("new", "office", "-o", tmp_path / "other.yaml")
    assert code == 130 and "aborted" in err and not (tmp_path / "other.yaml").exists()


def test_the_example_citys_office_is_what_the_template_makes_from_its_header():
    from pathlib import Path

    folder = Path(__file__).resolve().parents[2] / "process_models" / "library" / "cities"
    text = (folder / "kista-current.yaml").read_text(encoding="utf-8")
    answers = dict(line[4:].split(": ", 1) for line in text.splitlines() if line.startswith("#   "))
    a = answers_from_texts(answers)
    today, future = build_office(a)
    assert office_yaml(today, a) == text
    assert office_yaml(future, a) == (folder / "kista-kiosk.yaml").read_text(encoding="utf-8")
