"""The header's lead controls: a facilitator leads the room; everyone else follows, or explores."""

from __future__ import annotations

import html

import panel as pn

from ..state import StudioState
from ..texts import UiError, text
from .a11y import BUTTON_CSS

__all__ = ["LeadBar"]


class LeadBar(pn.viewable.Viewer):
    """One line and one button, redrawn by `sync()` (the app's poll) only when what it says changes."""

    def __init__(self, state: StudioState, lang: str, **params):
        super().__init__(**params)
        self.state, self.lang = state, lang
        self.line = pn.pane.HTML("", css_classes=["mbk-lead-line"], margin=(8, 6))
        self.button = pn.widgets.Button(label="", color="primary", css_classes=["mbk-lead-button"],
                                        stylesheets=[BUTTON_CSS])
        self.button.on_click(self._click)
        self._shown: tuple | None = None
        self.present = pn.pane.HTML("", margin=(8, 6))
        self._body = pn.Row(self.line, self.button, self.present, visible=False, css_classes=["mbk-lead"])
        self.sync()

    def _mode(self) -> str:
        st = self.state
        if st.leading:
            return "leading"
        if st.workshop.is_facilitator:
            return "can_lead"
        if st.someone_leads:
            return "following" if st.following else "free"
        return "none"

    def sync(self) -> None:
        mode = self._mode()
        if mode == self._shown:
            return
        self._shown = mode
        t = lambda k: text(self.lang, k)  # noqa: E731
        line, label = {"leading": ("lead_on", "lead_stop"), "can_lead": ("", "lead_start"),
                       "following": ("lead_following", "lead_unfollow"), "free": ("lead_free", "lead_follow"),
                       "none": ("", "")}[mode]
        self.line.object = f"<span role='status'>{html.escape(t(line))}</span>" if line else ""
        self.button.label = t(label) if label else ""
        self.button.color = "success" if mode == "free" else "primary"
        self._body.visible = mode != "none"
        self.present.object = self._present_link() if mode in ("leading", "can_lead") else ""

    def _present_link(self) -> str:
        """A link that opens the presentation view (for the projector) in a new window."""
        from urllib.parse import urlencode

        from ..access import JOIN_PARAM

        access = self.state.shared.access
        query = {"view": "present", "lang": self.lang} | ({JOIN_PARAM: access.join_code} if access else {})
        return (f"<a class='mbk-present-link' href='?{html.escape(urlencode(query))}' target='_blank' rel='noopener'>"
                f"{html.escape(text(self.lang, 'lead_present'))} ↗</a>")

    def _click(self, _e) -> None:
        st = self.state
        try:
            {"leading": st.stop_leading, "can_lead": st.start_leading, "following": st.unfollow,
             "free": st.follow}.get(self._mode(), lambda: None)()
        except UiError as exc:
            self.line.object = f"<span role='alert'>⚠ {html.escape(exc.in_lang(self.lang))}</span>"
            return
        self.sync()

    def __panel__(self):
        return self._body
