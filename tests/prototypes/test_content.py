"""Visitor texts are data per language; Swedish is the reference and every file is complete."""

from __future__ import annotations

import shutil

import pytest

from process_models.errors import UserError
from prototypes.content import CONTENT_DIR, load_content


def test_six_languages_named_in_their_own_language(content):
    got = [(lang.code, lang.name, lang.dir) for lang in content.languages]
    assert got == [
        ("sv", "Svenska", "ltr"), ("en", "English", "ltr"), ("ar", "العربية", "rtl"),
        ("so", "Soomaali", "ltr"), ("fa", "فارسی", "rtl"), ("ti", "ትግርኛ", "ltr"),
    ]


def test_every_language_has_every_reference_key_and_every_errand(content, kiosk_model):
    reference = set(content.ui["sv"])
    for code in content.codes():
        assert reference <= set(content.ui[code]), code
        assert set(content.instructions[code]) == set(content.instructions["sv"]), code
        for errand in kiosk_model.errands:
            label = content.errand_label(code, errand.id, errand.label.model_dump())
            assert label, (code, errand.id)
            if code not in ("sv", "en"):
                assert label != errand.label.en, (code, errand.id)  # translated, not the English fallback
    assert content.text("ar", "go_to_computer", computer=3).count("3") == 1
    assert content.instruction("fa", "housing")["url"] == "https://bostad.stockholm.se"


def test_ethiopic_and_arabic_texts_are_in_their_scripts(content):
    assert any("\u1200" <= ch <= "\u137f" for ch in content.text("ti", "want_help"))
    assert any("\u0600" <= ch <= "\u06ff" for ch in content.text("fa", "want_help"))


def test_a_missing_key_names_the_file_and_the_key(tmp_path):
    folder = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, folder)
    so = folder / "so.yaml"
    so.write_text(so.read_text(encoding="utf-8").replace("  want_help:", "  want_halp:"), encoding="utf-8")
    with pytest.raises(UserError) as err:
        load_content(folder)
    assert str(so) in str(err.value) and "want_help" in str(err.value)


def test_bad_yaml_names_the_line(tmp_path):
    folder = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, folder)
    (folder / "en.yaml").write_text("language: {code: en\nui: [\n", encoding="utf-8")
    with pytest.raises(UserError, match=r"en\.yaml:\d+: broken YAML"):
        load_content(folder)


@pytest.mark.parametrize("text, message", [
    (b"ui: " + b"[" * 5000 + b"]" * 5000 + b"\n", r"so\.yaml:1: broken YAML: exceeded maximum nesting depth"),
    (b"".join(f"{'  ' * i}k{i}:\n".encode() for i in range(200)), r"so\.yaml:51: nested more than 50 levels deep"),
    (bytes(range(256)), r"so\.yaml:2: byte 0x80 is not UTF-8 text"),
])
def test_a_deeply_nested_or_binary_content_file_is_refused_with_its_line(tmp_path, text, message):
    folder = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, folder)
    (folder / "so.yaml").write_bytes(text)
    with pytest.raises(UserError, match=message):
        load_content(folder)


def test_every_language_asks_the_optional_gender_question_with_its_four_answers():
    from prototypes.survey import GENDER_ANSWERS

    content = load_content()
    for code in content.codes():
        labels = [content.ui[code][f"gender_{g}"] for g in GENDER_ANSWERS]
        assert len(set(labels)) == 4 and all(labels), code
        assert content.ui[code]["survey_gender"] != content.ui["sv"]["survey_gender"] or code == "sv"
    assert [content.ui["sv"][f"gender_{g}"] for g in GENDER_ANSWERS] == ["Kvinna", "Man", "Annat", "Vill inte svara"]
