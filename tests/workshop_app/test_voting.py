"""Dot votes on the board without a browser: a click's answer, counts patched in place, one walk per change."""

from __future__ import annotations

import panel as pn
import pytest
from bokeh.document import Document

from workshop_app.shared_session import VoteRefused
from workshop_app.views.batched import graph_frozen, in_one_message
from workshop_app.views.vote_card import UNVOTE, VOTE, VoteCard
from workshop_app.views.workshop_view import WorkshopView
from workshop_app.workshop import WorkshopState


@pytest.fixture
def board(shared):
    """A joined participant's workshop view over a session with one note (budget 2)."""
    shared.set_vote_budget(2)
    host = shared.join("Värd", "staff")
    note = shared.add_note(host.id, "skarholmen-current", "take_ticket", "pain_point", "Kölappen tar slut")
    state = WorkshopState(shared, participant_name="Vera", role="visitor")
    state.join()
    view = WorkshopView(state, "sv", step_choices=lambda ref: {"Tar kölapp": "take_ticket"})
    view.__panel__()
    return view, note, host


def _counting_walks(doc):
    walks = []
    recompute = doc.models.recompute
    doc.models.recompute = lambda: (walks.append(1), recompute())
    return walks


def test_a_change_that_adds_no_model_does_not_walk_the_page():
    doc = Document()
    column = pn.Column(pn.pane.HTML("a"))
    doc.add_root(column.get_root(doc))
    walks = _counting_walks(doc)
    with in_one_message(doc):
        column[0].object = "b"  # a text: the graph of models is the same
    assert walks == []
    with in_one_message(doc), in_one_message(doc):  # nested: still one walk, at the end of the outer one
        column.append(pn.pane.HTML("c"))
        column.append(pn.pane.HTML("d"))
    assert len(walks) == 1
    assert {m.text for m in doc.models if hasattr(m, "text")} >= {"b", "c", "d"}  # the new panes are known
    assert doc.models._freeze_count == 0 and "invalidate" not in vars(doc.models)


def test_graph_frozen_walks_when_code_inside_freezes_on_its_own():
    doc = Document()
    walks = _counting_walks(doc)
    with graph_frozen(doc):
        doc.add_root(pn.pane.HTML("x").get_root(doc))  # Bokeh's own freeze: it expects a walk
        assert walks == []
    assert len(walks) == 1


def test_graph_frozen_gives_the_page_back_as_it_was_when_the_block_fails():
    doc = Document()
    column = pn.Column()
    doc.add_root(column.get_root(doc))
    walks = _counting_walks(doc)
    with pytest.raises(RuntimeError), graph_frozen(doc):
        column.append(pn.pane.HTML("late"))
        raise RuntimeError("a callback failed")
    assert len(walks) == 1 and doc.models._freeze_count == 0 and "_push_freeze" not in vars(doc.models)


def test_a_click_is_answered_by_its_number_with_what_the_server_said():
    asked = []
    card = VoteCard(ask=lambda act: asked.append(act) or {"said": "1 prick"})
    card._handle_msg({"act": VOTE, "seq": 3})
    assert asked == [VOTE] and card.answer == {"seq": 3, "message": "", "said": "1 prick"}
    card._handle_msg({"act": "delete everything", "seq": 4})  # not a click: ignored
    card._handle_msg("junk")
    assert asked == [VOTE] and card.answer["seq"] == 3


def test_a_vote_from_the_card_counts_on_the_server_and_patches_the_card(board):
    view, note, _host = board
    card = view._cards[note.id]
    card._handle_msg({"act": VOTE, "seq": 1})
    assert view.state.shared.data.votes_for(note.id) == 1
    assert (card.count, card.mine) == (1, 1)
    assert card.answer == {"seq": 1, "message": "", "said": "1 prick på anteckningen. Du har 1 kvar att sätta."}
    assert view._you.left == 1 and "prickar kvar: <b><span class='mbk-left'>1</span></b> av 2" in view._you.html
    card._handle_msg({"act": UNVOTE, "seq": 2})
    assert (card.count, card.mine, view._you.left) == (0, 0, 2)


def test_a_refused_vote_is_answered_with_the_reason_in_the_ui_language(board):
    view, note, _host = board
    card = view._cards[note.id]
    for seq in (1, 2):
        card._handle_msg({"act": VOTE, "seq": seq})
    card._handle_msg({"act": VOTE, "seq": 3})
    assert card.answer["seq"] == 3
    assert card.answer["message"] == "Du har redan satt alla dina 2 prickar. Ta tillbaka en prick för att flytta den."
    assert view.state.shared.data.votes_for(note.id) == 2 and card.count == 2


def test_a_vote_elsewhere_patches_the_count_and_keeps_the_card(board):
    view, note, host = board
    card, body = view._cards[note.id], view._cards[note.id].body
    view.state.shared.vote(host.id, note.id)
    view.tick += 1  # what the page's poll does when the session says the notes changed
    assert view._cards[note.id] is card and view.board.objects == [card]
    assert (card.count, card.mine) == (1, 0) and card.body == body  # the text is not sent again


@pytest.mark.parametrize("budget, sv", [(0, "Det finns inga prickar att sätta just nu"),
                                        (1, "Du har redan satt din enda prick")])
def test_a_budget_of_no_dot_or_one_dot_is_refused_in_words_that_fit(shared, budget, sv):
    shared.set_vote_budget(budget)
    bo = shared.join("Bo", "visitor")
    note = shared.add_note(bo.id, "skarholmen-current", "take_ticket", "idea", "Skyltar")
    for _ in range(budget):
        shared.vote(bo.id, note.id)
    with pytest.raises(VoteRefused) as refused:
        shared.vote(bo.id, note.id)
    assert refused.value.in_lang("sv").startswith(sv)
    assert "dot" in refused.value.in_lang("en") and "prick" not in refused.value.in_lang("en")


def test_a_dot_is_written_without_waiting_for_the_disk_and_any_other_change_waits(shared, monkeypatch):
    import workshop_app.shared_session as module

    durable, save = [], module.save_session

    def recorded(session, path, durable_write=True, **kwargs):
        durable.append(kwargs.get("durable", durable_write))
        save(session, path, **kwargs)

    monkeypatch.setattr(module, "save_session", recorded)
    bo = shared.join("Bo", "visitor")
    note = shared.add_note(bo.id, "skarholmen-current", "take_ticket", "idea", "Skyltar")
    shared.vote(bo.id, note.id)
    shared.unvote(bo.id, note.id)
    shared.delete_note(bo.id, note.id)  # notes and the dots on them: waits for the disk
    assert durable == [True, True, False, False, True]
    from process_models.session import load_session

    assert load_session(shared.path) == shared.data  # the file is whole after every write
