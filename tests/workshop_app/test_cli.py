"""`mbk workshop`: prints its address and serves; a bad session file is exit 2 and left unchanged."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import urllib.request

import pytest

from mbk.cli import main

MBK = [sys.executable, "-c", "import sys; from mbk.cli import main; sys.exit(main(sys.argv[1:]))"]


def test_a_broken_session_file_is_refused_with_file_and_field(tmp_path, capsys):
    bad = tmp_path / "session.json"
    bad.write_text('{"version": 1, "vote_budget": -3}', encoding="utf-8")
    before = bad.read_bytes()
    assert main(["workshop", "--port", "0", "--session", str(bad)]) == 2
    err = capsys.readouterr().err
    assert str(bad) in err and "vote_budget" in err and "Traceback" not in err
    assert bad.read_bytes() == before


def test_a_folder_as_session_is_refused(tmp_path, capsys):
    assert main(["workshop", "--session", str(tmp_path)]) == 2
    assert "is a folder" in capsys.readouterr().err


def test_a_port_in_use_is_a_clear_error(tmp_path, capsys):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert main(["workshop", "--port", str(port), "--session", str(tmp_path / "s.json")]) == 2
    err = capsys.readouterr().err
    assert f"--port {port}: cannot listen on 127.0.0.1:{port}" in err and "Traceback" not in err


@pytest.mark.timeout(90)
def test_it_prints_its_address_and_serves_the_app(tmp_path):
    session = tmp_path / "ws" / "session.json"
    proc = subprocess.Popen([*MBK, "workshop", "--port", "0", "--session", str(session)], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, cwd=tmp_path, start_new_session=True,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        address = None
        for line in proc.stdout:
            if line.startswith("MBK Studio workshop: "):
                address = line.split(": ", 1)[1].strip()
                break
        assert address and address.startswith("http://localhost:")
        html = urllib.request.urlopen(address.replace("localhost", "127.0.0.1"), timeout=30).read().decode()
        assert "<title>MBK Studio</title>" in html
        assert session.exists()  # created at the first page
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(20)
