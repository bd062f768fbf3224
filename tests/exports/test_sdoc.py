"""`-o krav.sdoc`: StrictDoc's own format, which StrictDoc reads as UTF-8 (its ReqIF import garbles å, ä, ö)."""

from __future__ import annotations

import re


def test_sdoc_holds_every_requirement_with_swedish_text_intact(mbk, tmp_path, kiosk):
    out = tmp_path / "krav.sdoc"
    code, stdout, _ = mbk("export", "requirements", "skarholmen-kiosk", "-o", out)
    assert code == 0 and f"wrote {out}" in stdout
    raw = out.read_bytes()
    text = raw.decode("utf-8")
    assert text.startswith("[DOCUMENT]\nTITLE: Kravspecifikation: Skärholmen 2.0")
    uids = re.findall(r"^UID: (\S+)$", text, flags=re.M)
    assert len(uids) == len(set(uids)) == text.count("[REQUIREMENT]") > 20
    assert "FUNK-KIOSK-LANGUAGE" in uids and "DATA-001" in uids
    assert "Väljer språk på skärmen".encode("utf-8") in raw and b"&#" not in raw
    # every multi-line field is closed before the next field starts
    assert text.count(">>>\n") == text.count("\n<<<\n")
    assert all(line.split(":")[0] in {"[DOCUMENT]", "[REQUIREMENT]", "TITLE", "UID", "STATUS", "STATEMENT",
                                      "RATIONALE", "COMMENT"}
               for block in text.split("\n\n") for line in block.splitlines()[:4] if line and ">>>" not in line
               and line[0].isupper() and ":" in line and line.split(":")[0].isupper())


def test_sdoc_in_english(mbk, tmp_path):
    out = tmp_path / "krav.sdoc"
    assert mbk("export", "requirements", "skarholmen-kiosk", "-o", out, "--lang", "en")[0] == 0
    assert "TITLE: Chooses a language on the screen" in out.read_text(encoding="utf-8")
