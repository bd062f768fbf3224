"""An uploaded file's problems in the UI language: the CLI's place (file, line, field), our words."""

from __future__ import annotations

import pytest

from process_models import ModelError, parse_model
from process_models.library import library_path
from workshop_app.problem_texts import file_problem_text

TODAY = library_path("skarholmen-current").read_text(encoding="utf-8")


def _first(text: str, lang: str) -> str:
    with pytest.raises(ModelError) as err:
        parse_model(text, file="m.yaml")
    return file_problem_text(err.value.problems[0], lang)


@pytest.mark.parametrize("change, sv, en", [
    (("capacity: 7", "capacity: -2"), "kapaciteten -2 är negativ; den ska vara 0 eller mer",
     "the capacity -2 is negative; it should be 0 or more"),
    (("capacity: 7", "capacity: many"), "ska vara ett heltal, men är 'many'", "should be a whole number, but is 'many'"),
    (("lane: visitor", "lane: visitr"), "okänd bana ”visitr”; väntade en av: caseworker, guide, info_desk, systems, visitor",
     "unknown lane “visitr”; expected one of: caseworker, guide, info_desk, systems, visitor"),
    (("id: take_ticket", "id: arrive"), "id ”arrive” används två gånger i steps", "the id “arrive” is used twice in steps"),
    (("variant: current", "variant: sometime"), "ska vara 'current' eller 'future', men är 'sometime'",
     "should be 'current' or 'future', but is 'sometime'"),
])
def test_each_kind_of_problem_is_said_in_swedish_and_english_after_its_place(change, sv, en):
    old, new = change
    assert old in TODAY
    broken = TODAY.replace(old, new, 1)
    line = TODAY[:TODAY.index(old)].count("\n") + 1
    for lang, sentence in (("sv", sv), ("en", en)):
        said = _first(broken, lang)
        assert said.startswith(f"m.yaml:{line}: ") and said.endswith(": " + sentence), said


def test_an_empty_file_and_a_missing_field():
    assert _first("", "sv") == "m.yaml: (översta nivån): filen är tom; en processmodell väntades"
    no_lanes = "id: x\nname: {sv: X, en: X}\noffice: T\nvariant: current\n"
    assert _first(no_lanes, "sv") == "m.yaml:1: lanes: fältet ”lanes” saknas, men behövs"
    assert _first(no_lanes, "en") == "m.yaml:1: lanes: the field “lanes” is missing and needed"


def test_hostile_bytes_and_nesting_are_said_in_the_ui_language():
    assert _first("id: x\x00\n", "sv") == "m.yaml:1: (översta nivån): kolumn 6: styrtecknet U+0000; text väntades, inte en binär fil"
    deep = "a: " + "[" * 5000 + "]" * 5000
    assert _first(deep, "sv").endswith("nästlad djupare än MBK Studio läser (en modell behöver ungefär 7 nivåer)")
    assert _first("id: a\nid: b\n", "en") == "m.yaml:2: (top level): the key “id” is given twice (first on line 1)"
