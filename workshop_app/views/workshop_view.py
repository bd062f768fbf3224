"""Workshop mode: join with a role, put notes on steps, dot-vote, the facilitator's timer."""

from __future__ import annotations

import html
import re
from functools import partial

import panel as pn
import param

from process_models import library_names

from ..texts import UiError, text
from ..workshop import WorkshopState
from .headings import section
from .messages import clear_later
from .vote_card import VOTE, DotsLeft, VoteCard

__all__ = ["WorkshopView", "format_timer"]

KIND_ICON = {"pain_point": "⚠", "idea": "★", "question": "?"}


def dots_text(lang: str, n: int) -> str:
    """'1 prick', '3 prickar': the count with the word's right number."""
    return text(lang, "dots_one") if n == 1 else text(lang, "dots", n=n)


def bold_markup(line: str) -> str:
    """`**x**` as `<b>x</b>`: the UI strings mark bold as Markdown does; the rest is HTML already."""
    return re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", line)


def format_timer(seconds: float | None) -> str:
    if seconds is None:
        return "--:--"
    s = int(round(seconds))
    return f"{s // 60:02d}:{s % 60:02d}"


class WorkshopView(pn.viewable.Viewer):
    """Thin view over WorkshopState; redraws the board when `tick` moves (another browser changed it)."""

    tick = param.Integer(default=0)

    def __init__(self, state: WorkshopState, lang: str, step_choices, **params):
        super().__init__(**params)
        self.state, self.lang = state, lang
        self.step_choices = step_choices  # callable: model ref -> {label: step id}
        self.message = pn.pane.Markdown("", css_classes=["mbk-message"])
        self._doc = pn.state.curdoc  # the page this view is in: timed clean-ups run there
        self.timer = pn.pane.HTML("", css_classes=["mbk-timer"])  # in the page header
        self.timer_here = pn.pane.HTML("", css_classes=["mbk-timer"])  # in the facilitator's box
        self.board = pn.Column(sizing_mode="stretch_width")
        self._cards: dict[str, tuple] = {}
        self.param.watch(self._refresh_board, "tick")
        state.param.watch(self._refresh_board, ["model_ref", "participant_id"])
        self._refresh_board()
        self.update_timer()

    def _say(self, key: str | None = None, error: UiError | None = None, **values) -> None:
        if error is not None:
            self.message.object = f"⚠ {error.in_lang(self.lang)}"
            return
        said = self.message.object = f"✓ {text(self.lang, key, **values)}"
        clear_later(self.message, said, self._doc)

    def _act(self, action, ok_key: str | None = None, **values):
        try:
            result = action()
        except UiError as exc:
            self._say(error=exc)
            return None
        if ok_key:
            self._say(ok_key, **values)
        return result

    def update_timer(self) -> None:
        remaining = self.state.shared.timer_remaining()
        rung = remaining == 0
        cls = "mbk-timer-rung" if rung else ""
        label = text(self.lang, "timer_rung") if rung else text(self.lang, "timer_label")
        self.timer.object = self.timer_here.object = (f"<div class='mbk-timer-box {cls}' role='timer' aria-live='off'>"
                             f"<span>{html.escape(label)}</span> <b>{format_timer(remaining)}</b></div>")

    # --- sections --------------------------------------------------------------------
    def _who_box(self):
        """The join form until this browser has joined, then who they are and their dots left."""
        lang, st = self.lang, self.state
        name = pn.widgets.TextInput.from_param(st.param.participant_name, label=text(lang, "ws_name"),
                                               placeholder=text(lang, "ws_name_placeholder"), width=190)
        role = pn.widgets.Select.from_param(
            st.param.role, label=text(lang, "ws_role"), options={text(lang, f"role_{r}"): r for r in st.param.role.objects},
            width=170)
        join = pn.widgets.Button(label=text(lang, "ws_join"), color="primary")
        code = pn.widgets.PasswordInput(label=text(lang, "ws_code"), placeholder=text(lang, "ws_code_placeholder"),
                                        width=190, visible=self._asks_code(st.role))
        st.param.watch(lambda e: setattr(code, "visible", self._asks_code(e.new)), "role")

        def do_join(_e):
            if name.value_input is not None:  # typed but not yet sent with Enter or blur
                st.participant_name = name.value_input
            st.code = (code.value_input if code.value_input is not None else code.value) or ""
            code.value = code.value_input = ""
            self._act(st.join, "ws_joined", name=st.participant_name.strip())
        join.on_click(do_join)
        self._join_form = pn.Column(pn.FlexBox(name, role, code, gap="0 10px"), join)
        self._you = DotsLeft(css_classes=["mbk-who"], sizing_mode="stretch_width", margin=(0, 10))
        self._sync_who()
        self.param.watch(self._sync_who, "tick")
        st.param.watch(self._sync_who, "participant_id")
        return pn.Column(self._join_form, self._you)

    def _asks_code(self, role: str) -> bool:
        """The facilitator's code is asked for in a served room when joining as facilitator."""
        return role == "facilitator" and self.state.shared.access is not None

    def _room_box(self):
        """The room's address, join code and QR code: on the facilitator's screen only."""
        access = self.state.shared.access
        box = pn.pane.HTML("", css_classes=["mbk-room"], visible=False)
        if access is None:
            return box
        from ..access import join_url, qr_svg

        url = join_url(access, base=access.url or "http://localhost", tab="workshop")
        box.object = (f"<div class='mbk-room-box'><h3>{html.escape(text(self.lang, 'room_title'))}</h3>"
                      f"<div class='mbk-qr' role='img' aria-label='{html.escape(text(self.lang, 'room_qr_alt'))}'>"
                      f"{qr_svg(url)}</div><p>{html.escape(text(self.lang, 'room_hint', url=access.url or url, code=access.display_join_code))}</p>"
                      f"<p class='mbk-room-code'>{html.escape(access.display_join_code)}</p></div>")
        self._room = box
        return box

    def _sync_who(self, *_) -> None:
        st = self.state
        self._join_form.visible = not st.joined
        self._you.visible = st.joined
        if st.joined:
            p, left = st.shared.participant(st.participant_id), st.votes_left()
            line = text(self.lang, "ws_you_are", name=html.escape(p.name), role=html.escape(text(self.lang, f"role_{p.role}")),
                        left=f"<span class='mbk-left'>{left}</span>", budget=st.shared.data.vote_budget)
            self._you.param.update(html=f"<p>{bold_markup(line)}</p>", left=left)

    @param.depends("state.model_ref")
    def _note_form(self):
        lang, st = self.lang, self.state
        steps = self.step_choices(st.model_ref)
        if st.step not in steps.values():
            st.step = next(iter(steps.values()))
        step = pn.widgets.Select.from_param(st.param.step, label=text(lang, "ws_step"), options=steps)
        kind = pn.widgets.RadioButtonGroup.from_param(
            st.param.kind, options={text(lang, f"note_{k}"): k for k in st.param.kind.objects})
        body = pn.widgets.TextAreaInput.from_param(st.param.text, label=text(lang, "ws_note_text"),
                                                   placeholder=text(lang, "ws_note_placeholder"), height=90,
                                                   sizing_mode="stretch_width")
        add = pn.widgets.Button(label=text(lang, "ws_add_note"), color="primary")

        def add_note(_e):
            # the text box sends its value on blur/enter; read the widget's live value too
            if body.value_input is not None:
                st.text = body.value_input
            self._act(st.add_note, "ws_note_added")
            body.value_input = ""
        add.on_click(add_note)
        return pn.Column(step, kind, body, add, sizing_mode="stretch_width")

    def _refresh_board(self, *_):
        """Re-order the note cards and patch their counts; a card is built once, so no click lands on a stale one.

        A vote elsewhere changes two numbers on one card here (the text of the others is the same, so
        nothing of theirs is sent), and the order only when the ranking moved.
        """
        lang, st = self.lang, self.state
        ranked = st.ranked_notes()
        if not ranked:
            self.board.objects = [pn.pane.Markdown(text(lang, "ws_no_notes"))]
            return
        model = st.resolve(st.model_ref)
        labels = {s.id: s.label.get(lang) for s in model.steps}
        names = {p.id: p.name for p in st.shared.data.participants}
        cards = []
        for note, dots in ranked:
            if note.id not in self._cards:
                self._cards[note.id] = VoteCard(ask=partial(self._ask, note.id), words=self._vote_words(),
                                                css_classes=["mbk-vote-card"], sizing_mode="stretch_width")
            card = self._cards[note.id]
            head = (f"<span class='mbk-kind mbk-kind-{note.kind}'>{KIND_ICON[note.kind]} "
                    f"{html.escape(text(lang, 'note_' + note.kind))}</span> · "
                    f"<b>{html.escape(labels.get(note.step, note.step))}</b>")
            meta = (f"{html.escape(names.get(note.author, note.author))} "
                    f"({html.escape(text(lang, 'role_' + note.author_role))})")
            body = (f"<div class='mbk-note' data-note='{note.id}'><div>{head}</div>"
                    f"<div class='mbk-note-text'>{html.escape(note.text)}</div>"
                    f"<div class='mbk-note-meta'>{meta} · <span class='mbk-dots'></span> "
                    f"<span class='mbk-dotcount'></span></div></div>")
            card.param.update(body=body, count=dots, mine=st.my_votes(note.id))
            cards.append(card)
        if [id(c) for c in cards] != [id(c) for c in self.board.objects]:
            self.board.objects = cards

    def _vote_words(self) -> dict[str, str]:
        """What a card writes in the page itself: the count with its word, the buttons' names."""
        lang = self.lang
        return {"one": text(lang, "dots_one"), "many": text(lang, "dots", n="{n}"),
                "vote": text(lang, "ws_vote"), "unvote": text(lang, "ws_unvote")}

    def _ask(self, note_id: str, act: str) -> dict[str, str]:
        """A click on a card, on the server: place or take back a dot, then show the room as it is here.

        Returns the card's answer: a refusal (`message`, in the UI language) or what a screen reader
        hears (`said`). Also on a refusal the board and the dots left are redrawn: the page may have
        missed why (the facilitator lowered the budget a moment ago).
        """
        st = self.state
        try:
            left = st.vote(note_id) if act == VOTE else st.unvote(note_id)
        except UiError as exc:
            return {"message": exc.in_lang(self.lang)}
        finally:
            self._refresh_board()
            self._sync_who()
        dots = st.shared.data.votes_for(note_id)
        return {"said": text(self.lang, "ws_vote_said", dots=dots_text(self.lang, dots), left=left)}

    def _facilitator_box(self):
        """The timer and budget controls: built once, enabled when this browser's participant leads."""
        lang, st = self.lang, self.state
        minutes = pn.widgets.IntInput.from_param(st.param.timer_minutes, label=text(lang, "timer_minutes"), width=120)
        self._start = pn.widgets.Button(label=text(lang, "timer_start"), color="primary")
        self._stop = pn.widgets.Button(label=text(lang, "timer_stop"))
        self._start.on_click(lambda _e: self._act(st.start_timer))
        self._stop.on_click(lambda _e: self._act(st.stop_timer))
        self._budget = pn.widgets.IntInput(label=text(lang, "ws_budget"), value=st.shared.data.vote_budget, start=0,
                                           end=50, width=120)
        self._budget.param.watch(self._set_budget, "value")
        self._lead_hint = pn.pane.Markdown("", css_classes=["mbk-hint"])
        room = self._room_box()
        self._sync_facilitator()
        self.param.watch(self._sync_facilitator, "tick")
        st.param.watch(self._sync_facilitator, "participant_id")
        return pn.Column(self.timer_here, pn.Row(minutes, pn.Column(pn.Spacer(height=18), pn.Row(self._start, self._stop))),
                         self._budget, self._lead_hint, room)

    def _facilitator_section(self):
        """The facilitator's heading and box; a participant sees only a line saying who leads."""
        box = pn.Column(section(text(self.lang, 'ws_facilitator')), self._facilitator_box())
        self._facilitator_only = box
        box.visible = self.state.is_facilitator
        return box

    def _set_budget(self, event) -> None:
        if event.new != self.state.shared.data.vote_budget:
            self._act(lambda: self.state.set_budget(event.new))
            self._budget.value = self.state.shared.data.vote_budget  # if refused, the room's budget again

    def _sync_facilitator(self, *_) -> None:
        leads = self.state.is_facilitator
        self._start.disabled = self._stop.disabled = self._budget.disabled = not leads
        self._budget.value = self.state.shared.data.vote_budget
        self._lead_hint.object = "" if leads else text(self.lang, "timer_only_facilitator")
        if getattr(self, "_room", None) is not None:
            self._room.visible = leads
        if getattr(self, "_facilitator_only", None) is not None:
            self._facilitator_only.visible = leads  # a phone in the room sees notes and dots, not the controls

    def _export(self):
        st = self.state

        def content():
            import io
            return io.StringIO(st.export_yaml())
        return pn.widgets.FileDownload(callback=content, filename="annotated-model.yaml",
                                       label=text(self.lang, "ws_export"), color="default",
                                       embed=False)

    def _resolvable(self, ref: str) -> bool:
        try:
            self.state.resolve(ref)
        except Exception:  # an upload from another browser this one has not seen
            return False
        return True

    def __panel__(self):
        lang, st = self.lang, self.state
        refs = [r for r in dict.fromkeys([*library_names(), *st.shared.data.models]) if self._resolvable(r)]
        model = pn.widgets.Select.from_param(st.param.model_ref, label=text(lang, "ws_model"),
                                             options={st.resolve(r).name.get(lang): r for r in refs})
        left = pn.Column(
            section(text(lang, 'ws_join_title')), self._who_box(),
            section(text(lang, 'ws_new_note')), model, self._note_form, self.message,
            self._facilitator_section(), self._export(),
            sizing_mode="stretch_width", min_width=300, styles={"flex": "0 1 420px"}, css_classes=["mbk-ws-left"],
        )
        right = pn.Column(section(text(lang, 'ws_board')), self.board, sizing_mode="stretch_width", min_width=300,
                          styles={"flex": "1 1 420px"}, css_classes=["mbk-ws-board"])
        # side by side on a laptop, one under the other on a phone (the QR code brings visitors in)
        row = pn.FlexBox(left, right, flex_wrap="wrap", gap="0 16px", sizing_mode="stretch_width")
        return pn.Column(pn.pane.Markdown(text(lang, "ws_intro")), row,
                         sizing_mode="stretch_width")
