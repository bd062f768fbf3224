"""Dot votes in a real Chromium: the dot shows before the server answers, and a refused one goes back.

The server is kept from answering by holding the shared session's lock in the test: what the page
shows meanwhile is the page's own doing. Then the server refuses (the budget went to 0) and the page
must show the room's count again, with the reason in the UI language.
"""

from __future__ import annotations

import pytest

from .workshop_browser import open_page, shot, tab

pytestmark = [pytest.mark.browser, pytest.mark.timeout(180)]

NOTE = "Kölappen tar slut"


@pytest.fixture(scope="module")
def shared(served):
    from workshop_app.shared_session import shared_session

    shared = shared_session(served["session"])
    host = shared.join("Värd", "staff")
    shared.add_note(host.id, "skarholmen-current", "take_ticket", "pain_point", NOTE)
    return shared


def _joined(browser, served, name):
    context, page = open_page(browser, served["url"])
    tab(page, "Workshop")
    page.get_by_placeholder("Ditt förnamn").fill(name)
    page.get_by_role("button", name="Gå med").click()
    page.get_by_text(f"Välkommen, {name}!").wait_for()
    return context, page


def test_a_dot_shows_at_once_and_goes_back_with_the_reason_when_the_server_refuses(browser, served, shared):
    shared.set_vote_budget(5)
    note = next(n for n in shared.data.notes if n.text == NOTE)
    context, page = _joined(browser, served, "Vera")
    try:
        card = page.locator(".mbk-note", has_text=NOTE)
        card.get_by_text("0 prickar", exact=True).wait_for()
        with shared._lock:  # the server cannot count the click until the test lets go
            page.get_by_role("button", name="+ ●").click()
            card.get_by_text("1 prick", exact=True).wait_for(timeout=2000)
            page.get_by_text("prickar kvar: 4 av 5").wait_for(timeout=2000)
            assert shared.data.votes_for(note.id) == 0  # shown, not yet counted
            shared.set_vote_budget(0)  # meanwhile the facilitator takes the dots away
        page.get_by_text("Det finns inga prickar att sätta just nu").wait_for()
        card.get_by_text("0 prickar", exact=True).wait_for()
        page.get_by_text("prickar kvar: 0 av 0").wait_for()
        assert shared.data.votes_for(note.id) == 0
        shot(page, "vote-refused")
    finally:
        context.close()
        shared.set_vote_budget(5)


def test_a_counted_dot_is_heard_and_the_refusal_follows_the_language_switch(browser, served, shared):
    shared.set_vote_budget(1)
    note = next(n for n in shared.data.notes if n.text == NOTE)
    before = shared.data.votes_for(note.id)
    context, page = _joined(browser, served, "Wilma")
    try:
        page.get_by_text("English", exact=True).click()
        page.get_by_text("dots left: 1 of 1").wait_for()
        card = page.locator(".mbk-vote-card", has_text=NOTE)
        card.get_by_role("button", name="+ ●").click()
        card.get_by_text(f"{before + 1} dot" if before == 0 else f"{before + 1} dots", exact=True).wait_for()
        heard = card.locator(".mbk-sr-only[role=status]")
        heard.get_by_text("on the note. You have 0 left to place.").wait_for(state="attached")
        assert card.get_by_role("button", name="Take a dot back").is_enabled()
        card.get_by_role("button", name="+ ●").click()  # beyond the budget: refused, in English
        card.get_by_text("You have already placed your one dot. Take it back to move it.").wait_for()
        assert shared.data.votes_for(note.id) == before + 1
        card.get_by_role("button", name="Take a dot back").click()
        page.get_by_text("dots left: 1 of 1").wait_for()
        # cleared when the take-back is counted (the card and the "dots left" line are drawn apart)
        card.get_by_text("You have already placed your one dot").wait_for(state="hidden", timeout=5000)
        assert shared.data.votes_for(note.id) == before
    finally:
        context.close()
        shared.set_vote_budget(5)
