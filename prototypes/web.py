"""HTTP handlers on the Panel/Tornado server: the kiosk page, staff login, and a JSON floor feed.

The kiosk is plain server-rendered HTML (forms and buttons) so it works by keyboard, touch
and screen reader without custom widgets; each browser gets its own KioskSession.
"""

from __future__ import annotations

import json
import secrets
import threading
import time
from pathlib import Path
from urllib.parse import quote

import jinja2
from markupsafe import Markup, escape
from tornado.web import RequestHandler

from .form import FORMAT_JSON, KIOSK_FIELDS, LOGIN_FIELDS, read_form
from .office import RequestError
from .qr import qr_data_uri
from .state import KioskSession
from .survey import GENDER_ANSWERS

__all__ = ["KioskSessions", "KioskHandler", "LoginHandler", "LogoutHandler", "FloorApiHandler", "STAFF_COOKIE", "patterns"]

STAFF_COOKIE = "mbk_staff"
KIOSK_COOKIE = "mbk_kiosk"
_env = jinja2.Environment(
    loader=jinja2.FileSystemLoader(str(Path(__file__).resolve().parent / "templates")),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
)


class KioskSessions:
    """One KioskSession per kiosk browser, found by an unguessable cookie; idle ones are dropped."""

    def __init__(self, office, max_idle: float = 3600.0):
        self.office, self.max_idle = office, max_idle
        self._sessions: dict[str, tuple[KioskSession, float]] = {}
        self._lock = threading.Lock()

    def get(self, token: str | None) -> tuple[str, KioskSession]:
        now = time.monotonic()
        with self._lock:
            if token and token in self._sessions:
                session = self._sessions[token][0]
            else:
                token, session = secrets.token_urlsafe(24), KioskSession(self.office)
            self._sessions[token] = (session, now)
            if len(self._sessions) > 200:
                for key, (old, seen) in list(self._sessions.items()):
                    if now - seen > self.max_idle:
                        del self._sessions[key]
                        old.reset()  # a browser that went away: its visit is closed in the log
        return token, session


def render_kiosk(app, session: KioskSession) -> str:
    """The HTML of the session's current screen in its language."""
    content, flow = app.content, app.flow
    lang = content.language(session.language)

    def t(key: str, **values) -> str:
        return content.text(lang.code, key, **values)

    def label(choice) -> str:
        return content.errand_label(lang.code, choice.errand, choice.label)

    choice = flow.choice(session.errand) if session.errand else None
    instruction = content.instruction(lang.code, session.errand) if session.errand else None
    purpose = flow.step("kiosk_purpose").label.model_dump()
    group = "errand_help" if session.screen == "categories" else "top"
    hours = []
    if session.screen == "hours" and choice is not None:
        pool = flow.roster_pool(choice.target)
        for day, shifts in (pool.roster or {}).items() if pool else []:
            hours += [(day, s.start, s.end) for s in shifts if s.capacity > 0]
    warning = app.config.warning_seconds
    idle_text = Markup(escape(content.ui[lang.code]["idle_text"])).format(
        seconds=Markup(f'<span id="idle-seconds">{int(warning)}</span>')
    )
    finish = Markup(
        f'<div class="row"><form method="post" action="/kiosk"><input type="hidden" name="action" value="finish">'
        f"<button>{escape(t('finish'))}</button></form></div>"
    )
    return _env.get_template("kiosk.html").render(
        s=session, lang=lang, languages=content.languages, ui=content.ui, t=t, label=label, base="/kiosk",
        entries=_entries(flow, group),
        purpose_question=purpose[lang.code] if lang.code in purpose else t("purpose_question"),
        errand_label=label(choice) if choice else "", instruction=instruction,
        qr=qr_data_uri(instruction["url"]) if instruction else "", reg=session.registration,
        appointments=app.office.today_appointments() if session.screen == "booking" else [],
        hours=hours, idle=app.config.idle_seconds, warning=warning, idle_text=idle_text,
        finish_button=lambda: finish, genders=GENDER_ANSWERS,
    )


def _entries(flow, group: str) -> list:
    """Buttons in model order; on the first screen "Help with an errand" sits where its first errand is."""
    out, grouped = [], False
    for c in flow.choices:
        if c.group == group:
            out.append(c)
        elif group == "top" and c.group == "errand_help" and not grouped:
            out.append(None)  # the "Help with an errand" button
            grouped = True
    return out


class _Base(RequestHandler):
    def initialize(self, app) -> None:
        self.app = app

    def wants_json(self) -> bool:
        """JSON when the client accepts it or asks with `format=json` (compared as sent, not cleaned up)."""
        asked = self.request.query_arguments.get("format", []) + self.request.body_arguments.get("format", [])
        return "application/json" in self.request.headers.get("Accept", "") or FORMAT_JSON.encode() in asked

    def set_default_headers(self) -> None:
        self.set_header("Cache-Control", "no-store")
        self.set_header("X-Content-Type-Options", "nosniff")
        self.set_header("Referrer-Policy", "no-referrer")

    def staff_user(self) -> str | None:
        return self.app.auth.user(self.get_cookie(STAFF_COOKIE))


class KioskHandler(_Base):
    """GET shows the current screen; POST applies one action (400 and no change when malformed)."""

    def _session(self) -> KioskSession:
        token, session = self.app.sessions.get(self.get_cookie(KIOSK_COOKIE))
        self.set_cookie(KIOSK_COOKIE, token, httponly=True, samesite="Strict", path="/kiosk")
        return session

    def _reply(self, session: KioskSession) -> None:
        if self.wants_json():
            self.set_header("Content-Type", "application/json")
            self.finish(json.dumps(session.summary()))
        elif self.request.method == "POST":
            self.redirect("/kiosk", status=303)
        else:
            self.set_header("Content-Type", "text/html; charset=utf-8")
            self.finish(render_kiosk(self.app, session))

    def get(self) -> None:
        self._reply(self._session())

    def post(self) -> None:
        session = self._session()
        try:
            form = read_form(self.request.body_arguments, KIOSK_FIELDS, self.request.files)
            form.pop("format", None)
            action = form.pop("action", "")
            session.act(action, form)  # handlers run on the one IO loop thread: no two at once
        except RequestError as exc:
            self._refuse(session, str(exc))
            return
        self._reply(session)

    def _refuse(self, session: KioskSession, message: str) -> None:
        """400: the visitor reads what to do in their language; the technical reason follows in English."""
        content = self.app.content
        self.set_status(400)
        if self.wants_json():
            self.set_header("Content-Type", "application/json")
            self.finish(json.dumps({"error": message, "text": content.text(session.language, "error_text")}))
            return
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.finish(_env.get_template("error.html").render(
            lang=content.language(session.language), message=message,
            title=content.text(session.language, "error_title"), text=content.text(session.language, "error_text"),
            back=content.text(session.language, "back"),
        ))


class LoginHandler(_Base):
    """Staff login form; a good password sets an HttpOnly session cookie (expires server-side)."""

    def get(self) -> None:
        self.finish(_env.get_template("login.html").render(next=self._next(), failed=False, locked=False))

    def _next(self) -> str:
        target = self.get_query_argument("next", "/floor")
        return target if target in ("/floor", "/reception") else "/floor"

    def post(self) -> None:
        try:
            form = read_form(self.request.body_arguments, LOGIN_FIELDS, self.request.files)
        except RequestError:
            self.set_status(400)
            self.finish(_env.get_template("login.html").render(next=self._next(), failed=True, locked=False))
            return
        username = form.get("username", "")
        token = self.app.auth.login(username, form.get("password", ""))
        if token is None:
            self.set_status(429 if self.app.auth.locked(username) else 401)
            self.finish(_env.get_template("login.html").render(
                next=self._next(), failed=True, locked=self.app.auth.locked(username)))
            return
        self.set_cookie(STAFF_COOKIE, token, httponly=True, samesite="Strict", path="/")
        self.redirect(self._next(), status=303)


class LogoutHandler(_Base):
    def post(self) -> None:
        token = self.get_cookie(STAFF_COOKIE)
        if token:
            self.app.auth.logout(token)
        self.clear_cookie(STAFF_COOKIE, path="/")
        self.redirect("/login", status=303)


class FloorApiHandler(_Base):
    """The floor view's rows as JSON, for staff only (401 otherwise)."""

    def get(self) -> None:
        if self.staff_user() is None:
            self.set_status(401)
            self.finish(json.dumps({"error": "login required"}))
            return
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(self.app.office.floor_rows()))


class RootHandler(_Base):
    def get(self) -> None:
        self.redirect("/kiosk")


def patterns(app) -> list:
    args = {"app": app}
    return [
        (r"/kiosk/?", KioskHandler, args),
        (r"/login", LoginHandler, args),
        (r"/logout", LogoutHandler, args),
        (r"/api/floor", FloorApiHandler, args),
    ]


def login_url(next_path: str) -> str:
    return f"/login?next={quote(next_path)}"
