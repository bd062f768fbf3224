"""The projector's presentation view (`?view=present`): big type, the headline figures, no controls.

It shows the comparison the facilitator leads with (else the room's latest), the timer, the
notes with the most dots and, in a served room, the join code with its QR code. It redraws
itself from the shared session once a second and only when something it shows has changed.
"""

from __future__ import annotations

import html

import panel as pn

from ..shared_session import SharedSession
from ..texts import text
from .compare_view import cards_html
from .workshop_view import KIND_ICON, dots_text, format_timer

__all__ = ["PresentView", "PRESENT_MS", "TOP_NOTES"]

PRESENT_MS = 1000
TOP_NOTES = 5


class PresentView(pn.viewable.Viewer):
    """The room's figures at projector size; `refresh()` is its periodic callback (tests call it)."""

    def __init__(self, shared: SharedSession, lang: str = "sv", poll: bool = True, **params):
        super().__init__(**params)
        self.shared, self.lang = shared, lang
        self.head = pn.pane.HTML("", sizing_mode="stretch_width")
        self.cards = pn.pane.HTML("", sizing_mode="stretch_width")
        self.notes = pn.pane.HTML("", sizing_mode="stretch_width")
        self._drawn: tuple | None = None
        self.refresh()
        if poll and pn.state.curdoc is not None:
            pn.state.add_periodic_callback(self.refresh, period=PRESENT_MS)

    def comparison(self):
        """The comparison on the projector: the lead's, else the room's latest, else None."""
        lead = self.shared.lead
        if lead is not None and lead.comparison and self.shared.comparison(lead.comparison) is not None:
            return self.shared.comparison(lead.comparison)
        return self.shared.data.comparisons[-1] if self.shared.data.comparisons else None

    def refresh(self) -> None:
        record = self.comparison()
        remaining = self.shared.timer_remaining()
        key = (self.shared.revision, record.id if record else None, format_timer(remaining))
        if key == self._drawn:
            return
        self._drawn = key
        t = lambda k, **v: html.escape(text(self.lang, k, **v))  # noqa: E731
        access = self.shared.access
        room = ""
        if access is not None:
            from ..access import join_url, qr_svg

            url = join_url(access, base=access.url or "http://localhost", tab="workshop")
            room = (f"<div class='mbk-pr-room'><div class='mbk-qr'>{qr_svg(url)}</div>"
                    f"<div class='mbk-room-code'>{html.escape(access.display_join_code)}</div></div>")
        timer = (f"<div class='mbk-pr-timer' role='timer'>{t('timer_label')} <b>{format_timer(remaining)}</b></div>"
                 if remaining is not None else "")
        self.head.object = (f"<div class='mbk-present mbk-pr-head'><div><h1 class='mbk-pr-title'>{t('pr_title')}</h1>"
                            f"{timer}</div>{room}</div>")
        if record is None:
            self.cards.object = f"<p class='mbk-present mbk-pr-empty'>{t('pr_no_comparison')}</p>"
        else:
            names = ", ".join(s.label.get(self.lang, s.name) for s in record.scenarios)
            self.cards.object = (f"<div class='mbk-present mbk-present-cards'><h2>{t('pr_comparison', names=names)}</h2>"
                                 f"{cards_html(record, self.lang)}</div>")
        self.notes.object = self._top_notes()

    def _top_notes(self) -> str:
        data = self.shared.data
        ranked = sorted(data.notes, key=lambda n: (-data.votes_for(n.id), n.created, n.id))[:TOP_NOTES]
        t = lambda k, **v: html.escape(text(self.lang, k, **v))  # noqa: E731
        if not ranked:
            return f"<div class='mbk-present'><h2>{t('pr_top_notes')}</h2><p>{t('pr_no_notes')}</p></div>"
        items = "".join(
            f"<li><span class='mbk-kind mbk-kind-{n.kind}'>{KIND_ICON[n.kind]}</span> {html.escape(n.text)} "
            f"<span class='mbk-dots'>{'●' * min(data.votes_for(n.id), 20)}</span> "
            f"<span class='mbk-dotcount'>{html.escape(dots_text(self.lang, data.votes_for(n.id)))}</span></li>"
            for n in ranked)
        return f"<div class='mbk-present'><h2>{t('pr_top_notes')}</h2><ol class='mbk-pr-notes'>{items}</ol></div>"

    def __panel__(self):
        return pn.Column(self.head, self.cards, self.notes, sizing_mode="stretch_width", css_classes=["mbk-present-page"], margin=(0, 16))
