"""UI strings: Swedish and English have the same keys, and every key the code uses exists."""

from __future__ import annotations

import re
import string
from pathlib import Path

import yaml

import workshop_app
from workshop_app.texts import LANGS, strings, text

APP = Path(workshop_app.__file__).resolve().parent


def _fields(template: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(template) if f}


def test_both_languages_have_the_same_keys_and_placeholders():
    sv = yaml.safe_load((APP / "i18n" / "sv.yaml").read_text(encoding="utf-8"))
    en = yaml.safe_load((APP / "i18n" / "en.yaml").read_text(encoding="utf-8"))
    assert sv.keys() == en.keys()
    for key in sv:
        assert _fields(sv[key]) == _fields(en[key]), key
        assert sv[key].strip(), key


def test_every_literal_key_in_the_code_exists():
    used = set()
    for path in APP.rglob("*.py"):
        src = path.read_text(encoding="utf-8")
        used |= set(re.findall(r"""\btext\((?:lang|self\.lang|self\.state\.lang|"en"|"sv"), ["']([a-z0-9_]+)["']""", src))
        used |= set(re.findall(r"""UiError\(["']([a-z0-9_]+)["']""", src))
        used |= set(re.findall(r"""\bt\(["']([a-z0-9_]+)["']""", src))
    literal = {k for k in used if not k.endswith("_")}
    assert len(literal) > 60
    for lang in LANGS:
        assert literal <= strings(lang).keys(), literal - strings(lang).keys()


def test_every_key_built_from_data_exists():
    from workshop_app.builder import POLICIES, POOL_ROLES
    from workshop_app.compare import TABLE_KPIS
    from workshop_app.shared_session import NOTE_KINDS, ROLES

    families = [f"note_{k}" for k in NOTE_KINDS] + [f"role_{r}" for r in ROLES] + [f"kpi_{k}" for k in TABLE_KPIS]
    families += [f"b_{c}" for c in POOL_ROLES] + [f"policy_{p}" for p in POLICIES]
    families += [f"kind_{k}" for k in ("start", "end", "task", "queue", "decision", "self_service")]
    for lang in LANGS:
        assert set(families) <= strings(lang).keys()


def test_swedish_is_the_default_and_english_differs():
    assert text("sv", "tab_maps") == "Kartor"
    assert text("en", "tab_maps") == "Maps"
    assert text("en", "ws_joined", name="Ali") == "Welcome, Ali!"
