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


def test_a_character_no_text_holds_is_said_in_the_ui_language():
    broken = TODAY.replace("office: Skärholmen", 'office: "Skär\\0holmen"', 1)
    assert broken != TODAY
    assert _first(broken, "sv").endswith(": office: tecknet U+0000 (tecken 5) kan inte stå i en text; vanlig text väntades")
    assert _first(broken, "en").endswith(
        ": office: the character U+0000 (character 5) cannot be in a text; expected plain text")


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


@pytest.mark.parametrize("source, line, sv, en", [
    ("id: x\nname: a: b\n", 2,
     "filen är inte giltig YAML (ett kolon där inget värde får börja: ett kolon för mycket på raden, eller fel indrag?)",
     "the file is not valid YAML (a colon where no value may start: a colon too many on the line, or the wrong indent?)"),
    ("id: x\nlanes: [visitor, desk\n", 3,
     "filen är inte giltig YAML (väntade ',' eller ']' här (i en lista inom [ ]))",
     "the file is not valid YAML (expected ',' or ']' here (in a list in [ ]))"),
    ("id: x\nlanes:\n\t- visitor\n", 3,
     "filen är inte giltig YAML (ett tecken som inte kan inleda ett värde: en tabb i indraget (YAML dras in med "
     "mellanslag), eller @, ` eller % först i en text (sätt den inom citattecken)?)",
     "the file is not valid YAML (a character that cannot start a value: a tab in the indent (YAML is indented with "
     "spaces), or @, ` or % at the start of a text (put it in quotes)?)"),
    ("id: x\nlanes:\n  - visitor\n  desk: y\n", 4,
     "filen är inte giltig YAML (väntade en ny rad i listan (”- ”); har raden fel indrag? (i en lista))",
     "the file is not valid YAML (expected a new item of the list (“- ”); is the line indented right? (in a list))"),
    ("id: x\nname: 'Skärholmen\n", 3,
     "filen är inte giltig YAML (filen tar slut mitt i ett värde: saknas ett avslutande citattecken? (i en text inom citattecken))",
     "the file is not valid YAML (the file ends in the middle of a value: a closing quote missing? (in a quoted text))"),
    ("id: x\n\tname: y\n", 2,
     "filen är inte giltig YAML (en tabb; YAML dras in med mellanslag, inte tabbar)",
     "the file is not valid YAML (a tab; YAML is indented with spaces, not tabs)"),
    ("\ufeffid: x\n: y\n", 2,
     "filen är inte giltig YAML (väntade en nyckel (”namn: värde”); har raden fel indrag? (i en mappning))",
     "the file is not valid YAML (expected a key (“name: value”); is the line indented right? (in a mapping))"),
    ("id: !!binary x\n", 1,
     "filen är inte giltig YAML (ett binärt värde (!!binary) som inte är giltig base64; en modell behöver inga binära värden)",
     "the file is not valid YAML (a binary value (!!binary) that is not valid base64; a model needs no binary values)"),
    ("id: x\nname: *other\n", 2,
     "filen är inte giltig YAML (ett alias (*namn) som inte är definierat)",
     "the file is not valid YAML (an alias (*name) that is not defined)"),
])
def test_pyyamls_own_words_are_said_in_the_ui_language(source, line, sv, en):
    """A hand-edited model that is not YAML: the place as the CLI gives it, PyYAML's reason in our words."""
    assert _first(source, "sv") == f"m.yaml:{line}: (översta nivån): {sv}"
    assert _first(source, "en") == f"m.yaml:{line}: (top level): {en}"


def test_a_pyyaml_phrase_not_in_the_table_is_kept_as_written():
    from workshop_app.yaml_texts import yaml_detail

    assert yaml_detail("a new complaint (while doing something)", "sv") == "a new complaint (while doing something)"
    # pure PyYAML's wording (the loader falls back to it where libyaml is missing) is said too
    assert yaml_detail("found character '@' that cannot start any token (while scanning for the next token)", "sv") == \
        "tecknet @ kan inte inleda ett värde (sätt texten inom citattecken)"
    assert yaml_detail("found undefined alias 'x'", "en") == "the alias *x is not defined"
