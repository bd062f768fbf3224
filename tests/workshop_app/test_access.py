"""Only the room gets in: join code, facilitator's code checked on the server, websockets from own origins."""

from __future__ import annotations

import base64
import os
import re
import socket
import subprocess
import sys

import pytest

from mbk.cli import main
from tests.serving import serve_app
from workshop_app.access import CODE_ALPHABET, RoomAccess, join_url, new_access, own_origins
from workshop_app.shared_session import SharedSession, forget_shared_sessions
from workshop_app.texts import UiError
from workshop_app.workshop import WorkshopState

ACCESS = RoomAccess(join_code="ABC346", facilitator_code="FACE7777")


def test_codes_are_random_readable_and_typed_in_any_case_or_grouping():
    a, b = new_access(), new_access()
    assert a.join_code != b.join_code and a.facilitator_code != b.facilitator_code
    for code in (a.join_code, a.facilitator_code):
        assert set(code) <= set(CODE_ALPHABET)
    assert len(a.join_code) == 6 and len(a.facilitator_code) == 8
    assert ACCESS.admits("abc-346") and ACCESS.admits(" ABC 346 ") and ACCESS.admits("face7777")
    assert not ACCESS.admits("ABC347") and not ACCESS.admits("") and not ACCESS.leads("ABC346")
    assert ACCESS.display_join_code == "ABC-346"
    assert join_url(ACCESS, base="http://10.0.0.5:5006", tab="workshop") == "http://10.0.0.5:5006/?join=ABC346&tab=workshop"
    with pytest.raises(ValueError, match="join_code"):
        RoomAccess(join_code="0O1", facilitator_code="FACE7777")
    with pytest.raises(ValueError, match="must differ"):
        RoomAccess(join_code="FACE7777", facilitator_code="FACE7777")


def test_a_facilitator_needs_the_code_and_the_server_checks_it(tmp_path):
    shared = SharedSession(tmp_path / "s.json")
    shared.access = ACCESS
    with pytest.raises(UiError) as no_code:
        shared.join("Lo", "facilitator")
    assert no_code.value.in_lang("sv").startswith("Facilitatorns kod stämmer inte")
    with pytest.raises(UiError):
        shared.join("Lo", "facilitator", code="ABC346")  # the join code is not the facilitator's
    assert shared.data.participants == []
    lead = shared.join("Lo", "facilitator", code="face-7777")
    assert shared.is_facilitator(lead.id)
    # taking the facilitator's name is refused too (it would carry the role and the notes)
    with pytest.raises(UiError) as taken:
        shared.join("lo", "visitor")
    assert taken.value.in_lang("en") == "The name lo is the facilitator's. Choose another name."
    assert shared.is_facilitator(lead.id)


def test_a_participants_budget_change_is_refused_even_when_sent_straight_to_the_state(tmp_path):
    shared = SharedSession(tmp_path / "s.json")
    shared.access = ACCESS
    visitor = WorkshopState(shared, participant_name="Sam", role="visitor")
    visitor.join()
    before = (tmp_path / "s.json").read_bytes()
    with pytest.raises(UiError) as refused:
        visitor.set_budget(40)
    assert refused.value.key == "err_facilitator_only"
    with pytest.raises(UiError):
        shared.set_vote_budget(40, by=visitor.participant_id)
    with pytest.raises(UiError):
        visitor.start_timer()
    assert shared.data.vote_budget == 5 and (tmp_path / "s.json").read_bytes() == before
    lead = WorkshopState(shared, participant_name="Lo", role="facilitator", code="FACE7777")
    lead.join()
    lead.set_budget(3)
    assert shared.data.vote_budget == 3


def test_own_origins_name_this_machine_and_the_port_never_any_origin():
    origins = own_origins("0.0.0.0", 5006, ("mbk.example",))
    assert {"127.0.0.1:5006", "localhost:5006", "mbk.example:5006", f"{socket.gethostname()}:5006"} <= set(origins)
    assert all(o.endswith(":5006") and "*" not in o for o in origins)
    assert "10.1.2.3:7000" in own_origins("10.1.2.3", 7000)


def _upgrade(port: int, origin: str) -> str:
    """The status line of a websocket upgrade request from a page of `origin`."""
    key = base64.b64encode(os.urandom(16)).decode()
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall((f"GET /ws HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                   f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\nOrigin: {origin}\r\n\r\n").encode())
        return s.recv(200).decode("latin-1").splitlines()[0]


@pytest.fixture
def room(tmp_path):
    """The app served on 127.0.0.1 with a join code (what the page shows is in tests/ui/test_room_access.py)."""
    from workshop_app.shared_session import shared_session

    forget_shared_sessions()
    path = tmp_path / "room.json"
    shared_session(path)
    server, port = serve_app(path, access=ACCESS)
    yield port
    server.stop()
    forget_shared_sessions()


@pytest.mark.timeout(60)
def test_websockets_are_accepted_only_from_the_apps_own_origin(room):
    assert " 403 " in _upgrade(room, "http://evil.example:8080")
    assert " 403 " in _upgrade(room, f"http://evil.example:{room}")
    assert " 101 " in _upgrade(room, f"http://127.0.0.1:{room}")
    assert " 101 " in _upgrade(room, f"http://localhost:{room}")


def test_a_bad_code_option_is_a_clear_error(tmp_path, capsys):
    assert main(["workshop", "--port", "0", "--session", str(tmp_path / "s.json"), "--join-code", "0000"]) == 2
    err = capsys.readouterr().err
    assert "--join-code" in err and CODE_ALPHABET in err and "Traceback" not in err


@pytest.mark.timeout(90)
def test_mbk_workshop_prints_the_join_code_and_the_facilitators_code(tmp_path):
    mbk = [sys.executable, "-c", "import sys; from mbk.cli import main; sys.exit(main(sys.argv[1:]))"]
    proc = subprocess.Popen([*mbk, "workshop", "--port", "0", "--session", str(tmp_path / "s.json"),
                             "--join-code", "KMN-PQR", "--facilitator-code", "WXY34678"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        lines = []
        for line in proc.stdout:
            lines.append(line.strip())
            if line.startswith("session file"):
                break
        out = "\n".join(lines)
        assert re.search(r"MBK Studio workshop: http://localhost:\d+/\?join=KMNPQR", out), out
        assert "join code: KMN-PQR" in out and "facilitator code: WXY34678" in out
    finally:
        os.killpg(proc.pid, 15)
        proc.wait(timeout=30)
