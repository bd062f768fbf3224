"""Every kiosk form field against generated hostile input, over real HTTP on 127.0.0.1.

Unicode digits, control characters, NUL, huge values, bytes that are not UTF-8, repeated
fields, files and other bodies: each gets HTTP 400 (401 at the login) or the visitor-facing
answer it should, never a 5xx or a wait past 10 s, and the database reads back unchanged.
"""

from __future__ import annotations

import http.client
import json
import time
from urllib.parse import quote_from_bytes

import pytest
from hypothesis import HealthCheck, Phase, assume, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from prototypes.state import ACTIONS, APPOINTMENT_ID
from prototypes.storage import metadata

from .kiosk_support import LiveKiosk, SmtpCapture

TIMEOUT = 10.0  # seconds: a request that takes longer counts as a hang
# no shrinking: over HTTP it would cost minutes, and the first failing input is shown as it was
EXAMPLES = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow],
                    phases=[Phase.explicit, Phase.reuse, Phase.generate], report_multiple_bugs=False)

# the requests that bring a fresh kiosk session to a screen
TO_SCREEN = {
    "language": [],
    "purpose": [{"action": "language", "value": "sv"}],
    "booking": [{"action": "language", "value": "sv"}, {"action": "choose", "value": "booked_meeting"}],
    "guide": [{"action": "language", "value": "sv"}, {"action": "categories"}, {"action": "choose", "value": "other"}],
    "survey": [{"action": "language", "value": "sv"}, {"action": "choose", "value": "area_info"},
               {"action": "managed"}],
}


@pytest.fixture(scope="module")
def kiosk(tmp_path_factory):
    smtp = SmtpCapture().start()
    live = LiveKiosk(str(tmp_path_factory.mktemp("hostile") / "kiosk.sqlite"), smtp)
    yield live
    live.stop()
    smtp.stop()


class Client:
    """One browser: keeps the kiosk cookie, sends raw bytes, times every answer."""

    def __init__(self, kiosk: LiveKiosk):
        self.port, self.cookie = kiosk.port, ""

    def send(self, path: str, body: bytes, content_type: str = "application/x-www-form-urlencoded",
             accept: str = "application/json") -> tuple[int, str, float]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=TIMEOUT)
        headers = {"Content-Type": content_type, "Accept": accept}
        if self.cookie:
            headers["Cookie"] = self.cookie
        start = time.monotonic()
        try:
            conn.request("POST", path, body=body, headers=headers)
            resp = conn.getresponse()
            text = resp.read().decode("utf-8", "replace")
        finally:
            conn.close()
        cookie = resp.getheader("Set-Cookie")
        if cookie and cookie.startswith("mbk_kiosk="):
            self.cookie = cookie.split(";", 1)[0]
        return resp.status, text, time.monotonic() - start

    def post(self, fields: list[tuple[bytes, bytes]], path: str = "/kiosk") -> tuple[int, str, float]:
        body = b"&".join(quote_from_bytes(k).encode() + b"=" + quote_from_bytes(v).encode() for k, v in fields)
        return self.send(path, body)

    def summary(self) -> dict:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=TIMEOUT)
        conn.request("GET", "/kiosk?format=json", headers={"Cookie": self.cookie})
        try:
            return json.loads(conn.getresponse().read())
        finally:
            conn.close()


def at_screen(kiosk: LiveKiosk, screen: str) -> Client:
    client = Client(kiosk)
    for form in TO_SCREEN[screen]:
        status, text, _ = client.post([(k.encode(), v.encode()) for k, v in form.items()])
        assert status == 200, text
    if TO_SCREEN[screen]:
        assert client.summary()["screen"] == screen
    return client


def database(kiosk: LiveKiosk) -> dict[str, list]:
    """Every row of every table, in a stable order."""
    with kiosk.app.office.engine.connect() as conn:
        return {t.name: sorted(map(repr, conn.execute(select(t)).all())) for t in metadata.sorted_tables}


# --- generated hostile values ----------------------------------------------------------------

CONTROL = st.characters(categories=["Cc"])
hostile = st.one_of(
    st.text(alphabet=st.characters(categories=["Nd", "No", "Nl"]), min_size=1, max_size=12).map(str.encode),
    st.tuples(st.sampled_from(["reset", "sv", "1", "yes", "AB12CD", "0701234567"]), CONTROL, st.booleans()).map(
        lambda t: (t[0] + t[1] if t[2] else t[1] + t[0]).encode()),  # a valid value with a control character
    st.integers(min_value=10**9, max_value=10**40).map(lambda n: str(n).encode()),
    st.integers(max_value=-1).map(lambda n: str(n).encode()),
    st.integers(min_value=33, max_value=100_000).map(lambda n: b"9" * n),  # longer than any field
    st.binary(min_size=1, max_size=40),  # mostly not UTF-8
    st.text(min_size=1, max_size=40).map(str.encode),
)

# field, the action it goes with (None: the field is the action), the screen it is posted on
FIELDS = [
    ("action", None, "purpose"),
    ("value", "language", "language"),
    ("value", "choose", "purpose"),
    ("value", "appointment", "booking"),
    ("code", "code", "booking"),
    ("phone", "phone", "guide"),
    ("learned", "survey", "survey"),
    ("can_alone", "survey", "survey"),
    ("format", "categories", "purpose"),
]
VALID = {"action": {a.encode() for a in ACTIONS}, "learned": {b"yes", b"no", b""}, "can_alone": {b"yes", b"no", b""},
         "format": {b"json"}}


def acceptable(kiosk: LiveKiosk, field: str, action: str | None, value: bytes) -> bool:
    """Whether the kiosk rightly takes the value (generated now and then: '0' is a Unicode digit too)."""
    if action == "language":
        return value.decode("utf-8", "replace") in kiosk.app.content.codes()
    if action == "choose":
        return any(value == c.errand.encode() for c in kiosk.app.flow.choices)
    if action == "appointment":
        return APPOINTMENT_ID.fullmatch(value.decode("utf-8", "replace")) is not None
    return value in VALID.get(field, set())
# a typed field that is wrong but well-formed is the visitor's slip: a notice in their language
NOTICE = {"code": "booking_bad_code", "phone": "phone_bad"}


@pytest.mark.parametrize("field, action, screen", FIELDS, ids=[f"{f}-{a}" for f, a, _ in FIELDS])
@EXAMPLES
@given(value=hostile)
def test_every_kiosk_field_refuses_hostile_input_and_changes_nothing(kiosk, field, action, screen, value):
    assume(not acceptable(kiosk, field, action, value))
    client = at_screen(kiosk, screen)
    before = database(kiosk)
    fields = [(b"action", value)] if action is None else [(b"action", action.encode()), (field.encode(), value)]
    status, text, seconds = client.post(fields)
    assert seconds < TIMEOUT and status < 500, text
    after = client.summary()
    if field == "format" and status in (200, 303):  # a short format that is not json: the action runs
        assert len(value.decode()) <= 4 and after["screen"] == "categories"
        return
    if status == 200:
        assert field in NOTICE and json.loads(text)["notice"] == NOTICE[field], text
    else:
        assert status == 400, text
        assert json.loads(text)["text"].startswith("Kiosken kunde inte använda det som skickades")
    assert after["screen"] == (screen if screen != "language" else "language")
    assert database(kiosk) == before


@EXAMPLES
@given(name=st.sampled_from(["username", "password"]), value=hostile)
def test_the_login_form_refuses_hostile_input(kiosk, name, value):
    client = Client(kiosk)
    before = database(kiosk)
    other = "password" if name == "username" else "username"
    status, text, seconds = client.post([(name.encode(), value), (other.encode(), b"guide")], path="/login")
    assert seconds < TIMEOUT and status in (400, 401, 429), (status, text)  # 429: the name is locked
    assert database(kiosk) == before


@pytest.mark.parametrize("value", ["²", "①", "1" * 23, "١", "٣", "1 ", "+1", "0x1", "1_0"])
def test_an_appointment_id_is_one_to_nine_ascii_digits(kiosk, value):
    """isdigit() let '²' and '①' through to int() (HTTP 500), and '١' booked appointment 1."""
    client = at_screen(kiosk, "booking")
    before = database(kiosk)
    status, text, _ = client.post([(b"action", b"appointment"), (b"value", value.encode())])
    assert status == 400 and "expected an appointment number (1 to 9 digits 0-9)" in json.loads(text)["error"]
    assert client.summary()["screen"] == "booking" and database(kiosk) == before


@pytest.mark.parametrize("form, message", [
    ([(b"action", b"reset\x00")], "action: control character U+0000 is not allowed"),
    ([(b"action", b" reset")], "action: expected one of"),
    ([(b"action", b"choose"), (b"value", b"other"), (b"value", b"housing")], "value: sent 2 times; expected once"),
    ([(b"action", b"categories"), (b"visit_id", b"v001")], "'visit_id': unknown field"),
    ([(b"action", b"categories"), (b"value", b"sv")], "value: not a field of action 'categories'"),
    ([(b"action", b"\xff\xfe")], "action: not UTF-8 text"),
])
def test_malformed_forms_are_refused_on_purpose(kiosk, form, message):
    client = at_screen(kiosk, "purpose")
    before = database(kiosk)
    status, text, _ = client.post(form)
    assert status == 400 and message in json.loads(text)["error"], text
    assert client.summary()["screen"] == "purpose" and database(kiosk) == before


@pytest.mark.parametrize("body, content_type, message", [
    (b'{"action": "categories"}', "application/json", "action: expected one of"),
    (b"\x00\x01\x02\xff" * 50, "application/x-www-form-urlencoded", ""),
    (b"--b\r\nContent-Disposition: form-data; name=\"action\"; filename=\"a.bin\"\r\n\r\n\x00\xff\r\n--b--\r\n",
     "multipart/form-data; boundary=b", "action: files are not accepted"),
])
def test_other_bodies_are_refused(kiosk, body, content_type, message):
    client = at_screen(kiosk, "purpose")
    before = database(kiosk)
    status, text, _ = client.send("/kiosk", body, content_type)
    assert status == 400 and message in json.loads(text)["error"], text
    assert database(kiosk) == before


def test_the_error_page_speaks_the_visitors_language(kiosk):
    client = at_screen(kiosk, "purpose")
    client.post([(b"action", b"language"), (b"value", b"ar")])
    status, html, _ = client.send("/kiosk", b"action=reset%00", accept="text/html")
    assert status == 400
    assert '<html lang="ar" dir="rtl">' in html and "حدث خطأ ما" in html
    assert "لم يتمكن الكشك من استخدام ما تم إرساله" in html
    assert "action: control character U+0000 is not allowed" in html
