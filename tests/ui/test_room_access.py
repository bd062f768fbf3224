"""Only the room gets in (issue 13, item 7), in a real browser: the door, the phone, the server's checks.

The app is served on 127.0.0.1 with a join code. A browser without the code gets the door and
nothing of the session (not in the page's document either); the QR code's address takes a phone
(390×844) straight in to add a note and vote; joining as facilitator needs the facilitator's code;
and a participant's budget change sent straight to the server through Bokeh is refused there.
"""

from __future__ import annotations

import pytest

from ..serving import serve_app
from .workshop_browser import ARGS, CHROMIUM, WAIT_MS, playwright_api, shot, tab

pytestmark = pytest.mark.timeout(300)

JOIN, LEAD = "ABC346", "FACE7777"
SECRET_NOTE = "Kölappsautomaten piper hela dagen"
#: Every text property of every model in the page's Bokeh documents: what the server sent this browser.
DOC_JSON = """() => {
  const out = []
  for (const d of Bokeh.documents) for (const m of d.all_models) for (const p of m) {
    if (p.is_unset) continue
    const v = p.get_value()
    if (typeof v === 'string') out.push(v)
  }
  return out.join('\\n') }"""


@pytest.fixture(scope="module")
def room(tmp_path_factory):
    from pathlib import Path

    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium is not installed")
    from workshop_app.access import RoomAccess
    from workshop_app.shared_session import forget_shared_sessions, shared_session

    forget_shared_sessions()
    path = tmp_path_factory.mktemp("room") / "session.json"
    shared = shared_session(path)
    ada = shared.join("Ada", "staff")
    shared.add_note(ada.id, "skarholmen-current", "take_ticket", "pain_point", SECRET_NOTE)
    server, port = serve_app(path, access=RoomAccess(JOIN, LEAD))
    # serve() set the codes without the address; the facilitator's QR code shows this one
    shared.access = RoomAccess(JOIN, LEAD, url=f"http://127.0.0.1:{port}")
    yield {"url": f"http://127.0.0.1:{port}/", "shared": shared}
    server.stop()
    forget_shared_sessions()


@pytest.fixture(scope="module")
def browser(room):
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


def _page(browser, url, **context):
    ctx = browser.new_context(locale="sv-SE", **({"viewport": {"width": 1280, "height": 720}} | context))
    page = ctx.new_page()
    page.set_default_timeout(WAIT_MS)
    page.goto(url)
    return ctx, page


def test_without_the_code_the_door_shows_and_nothing_of_the_session(browser, room):
    ctx, page = _page(browser, room["url"])
    try:
        page.get_by_text("Gå in i workshopen").wait_for()
        shot(page, "room-door-1280")
        assert SECRET_NOTE not in page.evaluate(DOC_JSON) and "Kartor" not in page.evaluate(DOC_JSON)
        page.get_by_label("Kod").fill("ABC-999")
        page.get_by_role("button", name="Gå in").click()
        page.get_by_text("Koden stämmer inte").wait_for()
        assert SECRET_NOTE not in page.evaluate(DOC_JSON)
        page.get_by_label("Kod").fill("abc-346")  # as read off the projector
        page.get_by_role("button", name="Gå in").click()
        page.get_by_text("MBK Studio – verkstad").wait_for()
        tab(page, "Workshop")
        page.get_by_text(SECRET_NOTE).wait_for()
        assert SECRET_NOTE in page.evaluate(DOC_JSON)  # the same reading finds it once the code was given
    finally:
        ctx.close()


def test_a_phone_joins_from_the_qr_address_adds_a_note_and_votes(browser, room):
    from workshop_app.access import join_url

    url = join_url(room["shared"].access, tab="workshop")
    ctx, page = _page(browser, url, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    try:
        page.get_by_label("Namn").fill("Sara")
        page.get_by_role("button", name="Gå med").click()
        page.get_by_text("Välkommen, Sara!").wait_for()
        page.get_by_label("Text").fill("Skyltarna syns inte från dörren")
        page.get_by_role("button", name="Lägg till anteckning").click()
        card = page.locator(".mbk-note", has_text="Skyltarna syns inte från dörren")
        card.wait_for()
        row = page.locator(".mbk-vote-card", has=card)
        row.get_by_role("button", name="+ ●").click()
        card.get_by_text("1 prick").wait_for()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing runs off the phone's side
        shot(page, "room-phone-390")
        notes = [n for n in room["shared"].data.notes if n.text == "Skyltarna syns inte från dörren"]
        assert len(notes) == 1 and room["shared"].data.votes_for(notes[0].id) == 1
    finally:
        ctx.close()


def test_the_facilitators_code_is_checked_and_a_direct_budget_change_is_refused(browser, room):
    shared = room["shared"]
    ctx, page = _page(browser, room["url"] + f"?join={JOIN}&tab=workshop")
    try:
        page.get_by_label("Namn").fill("Olle")
        page.get_by_label("Roll").select_option(label="facilitator")
        page.get_by_label("Facilitatorns kod").fill("ABC346")  # the join code is not the facilitator's
        page.get_by_role("button", name="Gå med").click()
        page.get_by_text("Facilitatorns kod stämmer inte").wait_for()
        assert not any(p.name == "Olle" for p in shared.data.participants)
        page.get_by_label("Roll").select_option(label="besökare")
        page.get_by_role("button", name="Gå med").click()
        page.get_by_text("Välkommen, Olle!").wait_for()
        budget = shared.data.vote_budget
        # the disabled budget box's value, set in the page's Bokeh document and sent to the server
        sent = page.evaluate("""() => {
            for (const m of Bokeh.documents[0].all_models)
                if (m.title === 'Prickar per deltagare') { m.value = 42; return true }
            return false }""")
        assert sent
        page.get_by_text("Bara en facilitator styr timern och prickarna.").wait_for()
        assert shared.data.vote_budget == budget
        page.wait_for_timeout(500)
        assert page.evaluate("""() => [...Bokeh.documents[0].all_models]
            .find(m => m.title === 'Prickar per deltagare').value""") == budget  # the room's budget again
    finally:
        ctx.close()
    ctx, page = _page(browser, room["url"] + f"?join={JOIN}&tab=workshop", viewport={"width": 1920, "height": 1080})
    try:
        page.get_by_label("Namn").fill("Fia")
        page.get_by_label("Roll").select_option(label="facilitator")
        page.get_by_label("Facilitatorns kod").fill(LEAD.lower())
        page.get_by_role("button", name="Gå med").click()
        page.get_by_text("Välkommen, Fia!").wait_for()
        page.locator(".mbk-qr svg").wait_for()
        page.get_by_text("ABC-346").first.wait_for()
        shot(page, "room-facilitator-1920")
    finally:
        ctx.close()
