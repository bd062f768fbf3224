"""Notes on the map: the selected step's notes with their votes and authors, and a form to add one.

Beside the canvas, for the step selected on it; what a participant writes goes to the shared
session and shows on the step in every browser. Authors edit and delete their own notes (the
server checks who asks); a note can be shown without its author's name.
"""

from __future__ import annotations

import html
from typing import Callable

import panel as pn

from ..shared_session import NOTE_KINDS
from ..texts import UiError, text
from ..workshop import WorkshopState
from .a11y import BUTTON_CSS

__all__ = ["NotesPanel"]


class NotesPanel:
    """One panel per browser; `show(model_id, step_id)` refills it for the selected step."""

    def __init__(self, workshop: WorkshopState, lang: str, on_change: Callable[[], None] = lambda: None):
        self.ws, self.lang, self.on_change = workshop, lang, on_change
        self.model_id = self.step_id = ""
        t = lambda k: text(lang, k)  # noqa: E731
        full = {"sizing_mode": "stretch_width"}
        self.list = pn.pane.HTML("", **full)
        self.kind = pn.widgets.Select(label=t("nt_kind"), options={t(f"note_{k}"): k for k in NOTE_KINDS}, **full)
        self.text = pn.widgets.TextAreaInput(label=t("nt_text"), placeholder=t("nt_placeholder"), rows=2, **full)
        self.anonymous = pn.widgets.Checkbox(label=t("nt_anonymous"))
        self.add = pn.widgets.Button(label=t("nt_add"), button_type="primary")
        self.add.on_click(lambda _e: self._add())
        self.mine = pn.widgets.Select(label=t("nt_pick"), **full)
        self.mine_text = pn.widgets.TextAreaInput(label=t("nt_text"), rows=2, **full)
        self.mine.param.watch(lambda e: self._fill_mine(), "value")
        save = pn.widgets.Button(label=t("nt_save"))
        save.on_click(lambda _e: self._edit())
        delete = pn.widgets.Button(label=t("nt_delete"), button_type="danger", stylesheets=[BUTTON_CSS])
        delete.on_click(lambda _e: self._delete())
        # the keyboard's way to move a note to another step (on the canvas: drag its card onto the step)
        self.move_to = pn.widgets.Select(label=t("ed_note_to"), **full)
        move = pn.widgets.Button(label=t("nt_move"))
        move.on_click(lambda _e: self._move())
        self.own = pn.Column(self.mine, self.mine_text, pn.Row(save, delete), self.move_to, move, **full)
        self.message = pn.pane.HTML("", **full)
        self.hint = pn.pane.HTML(f"<p class='mbk-hint'>{html.escape(t('nt_join_first'))}</p>", **full)
        self.form = pn.Column(self.kind, self.text, self.anonymous, self.add, **full)
        self.panel = pn.Column(pn.pane.HTML(f"<h3>{html.escape(t('nt_title'))}</h3>"), self.list, self.hint, self.form,
                               self.own, self.message, **full, css_classes=["mbk-notes-panel"])

    def notes(self):
        shared = self.ws.shared
        return [(n, shared.data.votes_for(n.id)) for n in shared.notes_for(self.model_id, self.step_id)]

    def show(self, model_id: str, step_id: str, steps: dict[str, str] | None = None) -> pn.Column:
        """Fill the panel for one step of one model (a library model's id or a variant's).

        `steps` (label -> id) are the model's steps an own note can be moved to.
        """
        self.model_id, self.step_id = model_id, step_id
        others = {label: sid for label, sid in (steps or {}).items() if sid != step_id}
        if self.move_to.options != others:
            self.move_to.options = others
        lang, shared = self.lang, self.ws.shared
        notes = self.notes()
        if notes:
            items = "".join(
                f"<li><b>{html.escape(text(lang, 'note_' + n.kind))}</b>: {html.escape(n.text)} "
                f"<span class='mbk-by'>({html.escape(text(lang, 'nt_by', author=shared.author_name(n, text(lang, 'ed_anonymous')), role=text(lang, 'role_' + n.author_role)))})</span>"
                f" · {html.escape(text(lang, 'dots', n=votes))}</li>"
                for n, votes in sorted(notes, key=lambda nv: -nv[1]))
            self.list.object = f"<ul class='mbk-notes'>{items}</ul>"
        else:
            self.list.object = f"<p class='mbk-hint'>{html.escape(text(lang, 'nt_none'))}</p>"
        joined = self.ws.joined
        self.hint.visible = not joined
        self.form.visible = joined
        mine = {n.text[:50]: n.id for n, _ in notes if joined and n.author == self.ws.participant_id}
        self.own.visible = bool(mine)
        if self.mine.options != mine:
            self.mine.options = mine
        if mine and self.mine.value not in mine.values():
            self.mine.value = next(iter(mine.values()))
        self._fill_mine()
        return self.panel

    def _fill_mine(self) -> None:
        note = next((n for n, _ in self.notes() if n.id == self.mine.value), None)
        if note is not None:
            self.mine_text.value = note.text

    def _say(self, key: str, ok: bool = True, **values) -> None:
        cls = "mbk-ok" if ok else "mbk-err"
        self.message.object = f"<p class='{cls}' role='status'>{html.escape(text(self.lang, key, **values))}</p>"

    def _act(self, action, done_key: str, **values) -> None:
        try:
            action()
        except UiError as exc:
            self.message.object = f"<p class='mbk-err' role='status'>{html.escape(exc.in_lang(self.lang))}</p>"
            return
        self._say(done_key, **values)
        self.on_change()

    def _add(self) -> None:
        body = self.text.value_input or self.text.value

        def add():
            self.ws.shared.add_note(self.ws._need_participant(), self.model_id, self.step_id, self.kind.value, body or "",
                                    anonymous=self.anonymous.value)
            self.text.value = ""

        self._act(add, "nt_added")

    def _edit(self) -> None:
        body = self.mine_text.value_input or self.mine_text.value
        self._act(lambda: self.ws.shared.edit_note(self.ws._need_participant(), self.mine.value, body or ""), "nt_saved")

    def _move(self) -> None:
        target = self.move_to.value
        if not target:
            return
        label = next((k for k, v in self.move_to.options.items() if v == target), target)
        self._act(lambda: self.ws.shared.move_note(self.ws._need_participant(), self.mine.value, target), "nt_moved",
                  step=label)

    def _delete(self) -> None:
        self._act(lambda: self.ws.shared.delete_note(self.ws._need_participant(), self.mine.value), "nt_deleted")
