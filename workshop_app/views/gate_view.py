"""The door of a served room: until a browser gives the join code it sees nothing of the session."""

from __future__ import annotations

import html
from typing import Callable

import panel as pn

from ..access import RoomAccess
from ..texts import LANGS, text
from .a11y import A11yRepairs

__all__ = ["Gate"]


class Gate(pn.viewable.Viewer):
    """A code box in the chosen language; `enter(lang)` builds the app once the code is right."""

    def __init__(self, access: RoomAccess, enter: Callable[[str], None], lang: str = "sv", **params):
        super().__init__(**params)
        self.access, self.enter = access, enter
        self.lang = lang if lang in LANGS else "sv"
        self._body = pn.Column(sizing_mode="stretch_width", css_classes=["mbk-gate"])
        self._build()

    def _build(self) -> None:
        lang = self.lang
        switch = pn.widgets.RadioButtonGroup(options={"Svenska": "sv", "English": "en"}, value=lang,
                                             color="light", css_classes=["mbk-lang"], width=180)
        switch.param.watch(self._switch, "value")
        self.code = pn.widgets.TextInput(label=text(lang, "gate_code"), width=220, css_classes=["mbk-gate-code"])
        self.button = pn.widgets.Button(label=text(lang, "gate_enter"), color="primary")
        self.message = pn.pane.HTML("", css_classes=["mbk-message"])
        self.button.on_click(self._try)
        self.code.param.watch(self._try, "enter_pressed")
        self._body.objects = [
            pn.Row(pn.pane.HTML(f"<h1 class='mbk-title'>{html.escape(text(lang, 'app_title'))}</h1>"),
                   pn.layout.HSpacer(), switch, css_classes=["mbk-header"], sizing_mode="stretch_width"),
            pn.pane.Markdown(f"## {text(lang, 'gate_title')}\n\n{text(lang, 'gate_intro')}", disable_anchors=True),
            pn.Row(self.code, pn.Column(pn.Spacer(height=18), self.button)),
            self.message,
            A11yRepairs(lang=lang, names={"up": text(lang, "a11y_up"), "down": text(lang, "a11y_down"),
                                                 "remove": text(lang, "a11y_remove")},
                        width=0, height=0, margin=0),
        ]

    def _switch(self, event) -> None:
        self.lang = event.new
        self._build()

    def _try(self, *_):
        typed = self.code.value_input if self.code.value_input is not None else self.code.value
        if self.access.admits(typed or ""):
            self.enter(self.lang)
            return
        self.message.object = f"<p role='alert'>⚠ {html.escape(text(self.lang, 'gate_wrong'))}</p>"

    def __panel__(self):
        return self._body
