"""`mbk workshop --session` with a binary file: exit 2 naming it, nothing served, the file left as it was."""

from __future__ import annotations

import os

from mbk.cli import main


def test_a_binary_session_file_is_refused_and_left_unchanged(tmp_path, capsys):
    bad = tmp_path / "session.json"
    content = b"\x89PNG\r\n\x1a\n" + os.urandom(300)
    bad.write_bytes(content)
    assert main(["workshop", "--session", str(bad), "--port", "0"]) == 2
    err = capsys.readouterr().err
    assert err.strip() == f"error: {bad}:1: byte 0x89 is not UTF-8 text; expected a UTF-8 session file, not a binary file"
    assert bad.read_bytes() == content
