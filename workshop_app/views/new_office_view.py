"""The "Nytt kontor" tab: a small form over NewOfficeState; the office becomes two proposals of the session."""

from __future__ import annotations

import html

import panel as pn

from process_models.office_template import FIELDS

from ..new_office import PARAM_OF, NewOfficeState
from ..texts import text
from .headings import section

__all__ = ["NewOfficeView"]

#: Fields typed as text (the way of working is a choice of two).
TEXT_FIELDS = tuple(f for f in FIELDS if f != "queue")


class NewOfficeView(pn.viewable.Viewer):
    """Thin view: inputs bound to the state's answers, a button, the problems or the proposals made."""

    def __init__(self, state: NewOfficeState, lang: str, **params):
        super().__init__(**params)
        self.state, self.lang = state, lang
        self.message = pn.pane.HTML("", sizing_mode="stretch_width", css_classes=["mbk-message"])
        self.button = pn.widgets.Button(label=text(lang, "no_create"), color="primary", width=200)
        self.button.on_click(lambda _e: self.state.create())
        state.param.watch(lambda _e: self._draw(), ["problems", "created"])
        self._draw()

    def _draw(self) -> None:
        lang, st = self.lang, self.state
        if st.problems:
            items = "".join(f"<li>{html.escape(st.problems[f])}</li>" for f in FIELDS if f in st.problems)
            self.message.object = (f"<div class='mbk-warn' role='alert'><p>{html.escape(text(lang, 'no_problems'))}</p>"
                                   f"<ul class='mbk-problems'>{items}</ul></div>")
        elif len(st.created) == 2:
            said = text(lang, "no_created", today=st.created[0], future=st.created[1])
            self.message.object = f"<p class='mbk-ok' role='status'>{html.escape(said)}</p>"
        else:
            self.message.object = ""

    def __panel__(self):
        lang, st = self.lang, self.state
        inputs = [pn.widgets.TextInput.from_param(st.param[PARAM_OF[f]], name=text(lang, f"no_f_{f}"), width=380) for f in TEXT_FIELDS]
        queue = pn.widgets.RadioButtonGroup.from_param(
            st.param.queue, name=text(lang, "no_f_queue"),
            options={text(lang, "no_queue_ticket"): "ticket", text(lang, "no_queue_floorwalk"): "floorwalk"})
        half = (len(inputs) + 1) // 2
        form = pn.Row(pn.Column(*inputs[:half]), pn.Column(*inputs[half:],
                                                           pn.pane.Markdown(text(lang, "no_f_queue"), margin=(5, 10, 0, 10)),
                                                           queue))
        return pn.Column(section(text(lang, "no_title")), pn.pane.Markdown(text(lang, "no_intro")), form,
                         self.button, self.message, sizing_mode="stretch_width")
