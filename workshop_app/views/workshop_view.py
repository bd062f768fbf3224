"""Workshop mode: join with a role, put notes on steps, dot-vote, the facilitator's timer."""

from __future__ import annotations

import html

import panel as pn
import param

from process_models import library_names

from ..texts import UiError, text
from ..workshop import WorkshopState
from .a11y import BUTTON_CSS
from .headings import section
from .messages import clear_later

__all__ = ["WorkshopView", "format_timer"]

KIND_ICON = {"pain_point": "⚠", "idea": "★", "question": "?"}
#: The "−" that takes a dot back: a button with a border like "+ ●" where it works, faded where it does not.
UNVOTE_CSS = (":host .bk-btn, :host .bk-btn.bk-btn-light { border: 2px solid #1f5fa8 !important; color: #1f5fa8 !important;"
              " background: #fff !important; font-weight: 700; }\n"
              ":host .bk-btn:hover:not(:disabled) { background: #eef3fa !important; }\n"
              ":host .bk-btn:disabled, :host .bk-btn.bk-btn-light:disabled { border: 1px dashed #bbb !important;"
              " color: #767676 !important; background: transparent !important; opacity: 1; }")


def dots_text(lang: str, n: int) -> str:
    """'1 prick', '3 prickar': the count with the word's right number."""
    return text(lang, "dots_one") if n == 1 else text(lang, "dots", n=n)


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
        self._you = pn.pane.Markdown("", css_classes=["mbk-who"])
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
            p = st.shared.participant(st.participant_id)
            self._you.object = text(self.lang, "ws_you_are", name=p.name, role=text(self.lang, f"role_{p.role}"),
                                    left=st.votes_left(), budget=st.shared.data.vote_budget)

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
        """Re-order and update the note cards; a note keeps its buttons so no click lands on a stale one."""
        lang, st = self.lang, self.state
        ranked = st.ranked_notes()
        if not ranked:
            self.board.objects = [pn.pane.Markdown(text(lang, "ws_no_notes"))]
            return
        model = st.resolve(st.model_ref)
        labels = {s.id: s.label.get(lang) for s in model.steps}
        names = {p.id: p.name for p in st.shared.data.participants}
        rows = []
        for note, dots in ranked:
            if note.id not in self._cards:
                self._cards[note.id] = self._note_row(note.id)
            row, card, minus = self._cards[note.id]
            minus.disabled = st.my_votes(note.id) == 0
            head = (f"<span class='mbk-kind mbk-kind-{note.kind}'>{KIND_ICON[note.kind]} "
                    f"{html.escape(text(lang, 'note_' + note.kind))}</span> · "
                    f"<b>{html.escape(labels.get(note.step, note.step))}</b>")
            meta = (f"{html.escape(names.get(note.author, note.author))} "
                    f"({html.escape(text(lang, 'role_' + note.author_role))})")
            card.object = (
                f"<div class='mbk-note' data-note='{note.id}'><div>{head}</div>"
                f"<div class='mbk-note-text'>{html.escape(note.text)}</div>"
                f"<div class='mbk-note-meta'>{meta} · <span class='mbk-dots'>{('●' * dots) or '○'}</span> "
                f"<span class='mbk-dotcount'>{html.escape(dots_text(lang, dots))}</span></div></div>")
            rows.append(row)
        if [id(r) for r in rows] != [id(r) for r in self.board.objects]:
            self.board.objects = rows

    def _voted(self, action) -> None:
        """Place or take back a dot and show it here at once, not at the next poll (issue 13: ≤ 300 ms)."""
        if self._act(action) is not None:
            self._refresh_board()
            self._sync_who()

    def _note_row(self, note_id: str):
        st = self.state
        plus = pn.widgets.Button(label="+ ●", color="success", width=56, css_classes=["mbk-vote"],
                                 stylesheets=[BUTTON_CSS])
        minus = pn.widgets.Button(label="−", color="light", width=40, css_classes=["mbk-unvote"],
                                  stylesheets=[UNVOTE_CSS], description=text(self.lang, "ws_unvote"))
        plus.on_click(lambda _e: self._voted(lambda: st.vote(note_id)))
        minus.on_click(lambda _e: self._voted(lambda: st.unvote(note_id)))
        card = pn.pane.HTML("", sizing_mode="stretch_width")
        return pn.Row(plus, minus, card, sizing_mode="stretch_width"), card, minus

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
