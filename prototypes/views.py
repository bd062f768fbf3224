"""Staff and waiting-room views: state classes (no layout) and thin Panel viewers over them.

The floor view (guides' tablet), the reception view (caseworkers' arrivals) and the
waiting-room display (numbers, never names). Staff views need a live login session.
"""

from __future__ import annotations

from html import escape

import panel as pn
import param

from .office import Office, RequestError

__all__ = ["FloorBoard", "ReceptionBoard", "DisplayBoard", "FloorView", "ReceptionView", "DisplayView", "LoginNeeded"]

_STATUS_SV = {
    "queue": "väntar på dator", "at_computer": "har börjat vid dator", "borrowing": "lånar dator",
    "waiting": "väntar på vägledare", "helping": "får hjälp",
}


class _StaffBoard(param.Parameterized):
    """A staff board: every read and action first checks that the login session is alive."""

    expired = param.Boolean(default=False)
    error = param.String(default="")

    def __init__(self, office: Office, auth, token: str | None, **params):
        super().__init__(**params)
        self.office, self.auth, self.token = office, auth, token

    @property
    def user(self) -> str | None:
        return self.auth.user(self.token)

    def _guard(self) -> str | None:
        user = self.user
        self.expired = user is None
        return user

    def _run(self, fn, *args) -> None:
        if self._guard() is None:
            return
        try:
            fn(*args)
            self.error = ""
        except RequestError as exc:
            self.error = str(exc)
        self.refresh()


class FloorBoard(_StaffBoard):
    """Who waits, for what, in which language, for how long and at which computer."""

    rows = param.List(default=[])

    def refresh(self) -> None:
        rows = self.office.floor_rows() if self._guard() else []
        if rows != self.rows:  # re-render only on change, so a guide's tap never hits a vanishing button
            self.rows = rows

    def helping(self, visit_id: str) -> None:
        self._run(lambda: self.office.start_helping(visit_id, self.user))

    def done(self, visit_id: str) -> None:
        self._run(self.office.end_visit, visit_id)

    def needs_booking(self, visit_id: str) -> None:
        self._run(lambda: self.office.end_visit(visit_id, referred=True))

    def describe(self, row: dict) -> str:
        """One line for a guide: number, errand, language, minutes, computer, state."""
        flow, content = self.office.flow, self.office.content
        choice = flow.choice(row["errand"])
        errand = choice.label["sv"] if choice else row["errand"]
        lang = content.language(row["language"]).name if row["language"] in content.codes() else row["language"]
        where = f"dator {row['computer']}" if row["computer"] else "ingen dator"
        phone = " · sms" if row["has_phone"] else ""
        guide = f" ({row['guide']})" if row["guide"] else ""
        return (
            f"<div class='floor-line' data-number='{row['number']}'><b>{row['number']}</b> · {escape(errand)} · <bdi>{escape(lang)}</bdi> · {row['waiting_minutes']} min · "
            f"{where} · {_STATUS_SV.get(row['status'], row['status'])}{escape(guide)}{phone}</div>"
        )


class ReceptionBoard(_StaffBoard):
    """Today's booked meetings: arrived? caseworker e-mailed? collected?"""

    rows = param.List(default=[])

    def refresh(self) -> None:
        rows = self.office.reception_rows() if self._guard() else []
        if rows != self.rows:
            self.rows = rows

    def met(self, appointment_id: int) -> None:
        self._run(self.office.meet, appointment_id)


class DisplayBoard(param.Parameterized):
    """The waiting-room screen: numbers only."""

    numbers = param.Dict(default={"computer": [], "waiting": [], "helping": []})

    def __init__(self, office: Office, **params):
        super().__init__(**params)
        self.office = office

    def refresh(self) -> None:
        numbers = self.office.display_numbers()
        if numbers != self.numbers:
            self.numbers = numbers


class LoginNeeded(pn.viewable.Viewer):
    def __init__(self, next_path: str, expired: bool = False):
        super().__init__()
        self.next_path, self.expired = next_path, expired

    def __panel__(self):
        why = "Din inloggning har gått ut." if self.expired else "Den här vyn är för personal."
        return pn.pane.HTML(
            f'<main><h1>Logga in</h1><p>{why}</p><p><a href="/login?next={self.next_path}" '
            f'style="font-size:20px;display:inline-block;padding:12px 18px;background:#0b3d6e;color:#fff;border-radius:8px">'
            "Logga in</a></p></main>"
        )


MAX_ROWS = 40
_BUTTON = {"height": 48, "min_width": 130, "margin": (4, 6)}


def _button(label: str, background: str, **kw) -> pn.widgets.Button:
    """A 48 px staff button with white text on a dark colour (contrast above 7:1)."""
    # !important: Panel's theme colours buttons with more specific selectors
    css = f":host .bk-btn {{ background-color:{background} !important; color:#fff !important; font-size:16px; border:0; }}"
    return pn.widgets.Button(label=label, stylesheets=[css], **_BUTTON, **kw)


class FloorView(pn.viewable.Viewer):
    def __init__(self, board: FloorBoard):
        super().__init__()
        self.board = board

    def _rows(self, rows, expired, error):
        if expired:
            return LoginNeeded("/floor", expired=True).__panel__()
        items = [pn.pane.Alert(error, alert_type="danger")] if error else []
        if not rows:
            items.append(pn.pane.Markdown("Ingen väntar just nu.", styles={"font-size": "18px"}))
        if len(rows) > MAX_ROWS:  # a tablet shows the longest-waiting; rendering hundreds would stall the server
            items.append(pn.pane.Markdown(f"Visar de {MAX_ROWS} som väntat längst av {len(rows)}.", styles={"font-size": "18px"}))
        for row in rows[:MAX_ROWS]:
            vid = row["visit_id"]
            help_btn = _button("Jag hjälper", "#0b3d6e", disabled=row["status"] == "helping")
            done_btn = _button("Klar", "#1b5e20")
            book_btn = _button("Behöver bokad tid", "#6d3b00")
            help_btn.on_click(lambda e, v=vid: self.board.helping(v))
            done_btn.on_click(lambda e, v=vid: self.board.done(v))
            book_btn.on_click(lambda e, v=vid: self.board.needs_booking(v))
            items.append(
                pn.Row(
                    pn.pane.HTML(self.board.describe(row), styles={"font-size": "18px"}, width=620),
                    help_btn, done_btn, book_btn, css_classes=["floor-row"], name=str(row["number"]),
                )
            )
        return pn.Column(*items)

    def __panel__(self):
        b = self.board
        return pn.Column(
            pn.pane.Markdown(f"# Golvet – vem väntar?\nInloggad: {b.user or ''}"),
            pn.bind(self._rows, b.param.rows, b.param.expired, b.param.error),
        )


class ReceptionView(pn.viewable.Viewer):
    def __init__(self, board: ReceptionBoard):
        super().__init__()
        self.board = board

    def _rows(self, rows, expired, error):
        if expired:
            return LoginNeeded("/reception", expired=True).__panel__()
        items = [pn.pane.Alert(error, alert_type="danger")] if error else []
        mail = {"sent": "mejl skickat", "pending": "mejl köat", "sending": "mejl skickas", "failed": "mejl misslyckades", "": ""}
        for r in rows:
            text = f"**{r['time']}** · {r['caseworker']} · " + (
                f"kom {r['arrived']} · {mail.get(r['mail'], r['mail'])}" if r["arrived"] else "inte kommit"
            )
            row = [pn.pane.Markdown(text, styles={"font-size": "18px"}, width=520)]
            if r["arrived"] and not r["met"]:
                btn = _button("Hämtad", "#0b3d6e")
                btn.on_click(lambda e, a=r["id"]: self.board.met(a))
                row.append(btn)
            items.append(pn.Row(*row))
        return pn.Column(*items)

    def _indicators(self, rows):
        ind = self.board.office.indicators()
        pct = lambda x: "–" if x is None else f"{100 * x:.0f} %"  # noqa: E731
        answers = f"{ind['answers']} svar" if ind["answers"] is not None else f"färre än {ind['min_visitors']} svar"
        split = " · ".join(
            f"{who}: {pct(ind[key]['learned'])} / {pct(ind[key]['can_alone'])}" for who, key in (("kvinnor", "women"), ("män", "men"))
        )
        return pn.pane.Markdown(
            f"Enkäten idag ({answers}): lärt sig något nytt {pct(ind['learned'])} (mål 60 %), "
            f"klarar det själv nästa gång {pct(ind['can_alone'])} (mål 40 %); {split} "
            f"(– visas inte: färre än {ind['min_visitors']} svar)", styles={"font-size": "16px"},
        )

    def __panel__(self):
        b = self.board
        return pn.Column(
            pn.pane.Markdown("# Receptionen – dagens bokade besök"),
            pn.bind(self._indicators, b.param.rows),
            pn.bind(self._rows, b.param.rows, b.param.expired, b.param.error),
        )


class DisplayView(pn.viewable.Viewer):
    def __init__(self, board: DisplayBoard, headings: dict[str, str]):
        super().__init__()
        self.board, self.headings = board, headings

    def _html(self, numbers):
        h = self.headings
        items = {
            "at-computer": [f"<b>{n}</b>&nbsp;→&nbsp;{c}" for n, c in numbers["computer"]],
            "helping": [f"<b>{n}</b>" for n in numbers["helping"]],
            "waiting": [f"<b>{n}</b>" for n in numbers["waiting"]],
        }
        heads = {"at-computer": h["computer"], "helping": h["helping"], "waiting": h["waiting"]}
        style = "font-size:40px;list-style:none;padding:0;margin:0 0 12px;display:flex;flex-wrap:wrap;gap:36px"
        parts = []
        for key, values in items.items():
            cells = "".join(f"<li>{v}</li>" for v in values) or '<li aria-label="0">–</li>'
            parts.append(f'<h2 style="font-size:28px;margin:18px 0 8px">{heads[key]}</h2>'
                         f'<ul style="{style}" data-testid="{key}">{cells}</ul>')
        return pn.pane.HTML(
            '<div style="font-family:Noto Sans,DejaVu Sans,sans-serif;color:#111">' + "".join(parts) + "</div>",
            sizing_mode="stretch_width",
        )

    def __panel__(self):
        return pn.bind(self._html, self.board.param.numbers)
