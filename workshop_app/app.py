"""The workshop app: one entry point that builds the page for each browser and serves it."""

from __future__ import annotations

import socket
from pathlib import Path

import panel as pn
from panel.io.state import set_curdoc

from .access import JOIN_PARAM, RoomAccess, own_origins
from .shared_session import RESULTS_TOPIC, shared_session
from .state import StudioState
from .texts import LANGS, text
from .views.a11y import A11yRepairs
from .views.batched import batched, in_one_message
from .views.builder_view import BuilderView
from .views.city_view import CityView
from .views.gate_view import Gate
from .views.compare_view import CompareView, SweepView
from .views.lead_view import LeadBar
from .views.maps_view import MapsView
from .views.new_office_view import NewOfficeView
from .views.optimise_view import OptimiseView
from .views.present_view import PresentView
from .views.workshop_view import WorkshopView

__all__ = ["WorkshopApp", "create_app", "serve", "CSS", "TAB_NAMES"]

CSS = (Path(__file__).resolve().parent / "views" / "style.css").read_text(encoding="utf-8")
#: How often a browser ticks the timer and a run's progress, and looks for changes it was not told of.
#: Other browsers' edits, notes, votes and the lead arrive at once: the session tells every page.
POLL_MS = 500
#: What a page is told of at once when it changes in the shared session.
PUSHED = ("revision", "lead", "timer_end")
#: How long after a change the other pages redraw: after the changing page's own message is on its way
#: (a held change is sent on the loop's next turn, and the others' redraws would go before it).
TOLD_AFTER_MS = 150
#: Tabs a link may open on (`?tab=workshop`: the QR code takes a phone straight to notes and votes).
TAB_NAMES = ("maps", "builder", "compare", "sweep", "optimise", "workshop", "new_office")
LOOPBACK = ("127.0.0.1", "localhost", "::1")
PRESENT = "present"  # `?view=present`: the presentation view for the projector
#: The session topics (shared_session.TOPICS) each tab shows.
VIEW_TOPICS = {"maps": {"models", "notes", "results"}, "builder": {"models", "scenarios"},
               "compare": {"models", "scenarios"}, "sweep": {"models", "scenarios"}, "optimise": {"models", "scenarios"},
               "workshop": {"notes", "people", "models"}, "new_office": set()}


class WorkshopApp(pn.viewable.Viewer):
    """The page: a header with the language switch and the timer, then one tab per job."""

    def __init__(self, state: StudioState, *, poll: bool = True, **params):
        super().__init__(**params)
        self.state = state
        self._views: dict = {}
        self._body = pn.Column(sizing_mode="stretch_width")
        self._build()
        state.param.watch(lambda _e: self._build(), "lang")
        state.param.watch(self._show_tab, "tab")
        self._doc = pn.state.curdoc
        self._push_pending = False
        if poll and self._doc is not None:
            pn.state.add_periodic_callback(batched(self.poll), period=POLL_MS)
            told = state.shared.param.watch(self._told, list(PUSHED))
            pn.state.on_session_destroyed(lambda _ctx: state.shared.param.unwatch(told))

    def _told(self, _event) -> None:
        """The shared session changed (in any browser's thread): poll this page on its own loop, once."""
        if self._push_pending:
            return
        self._push_pending = True
        try:  # the one thread-safe way onto the page's loop (a run's result arrives from a worker thread)
            self._doc.add_next_tick_callback(self._poll_soon)
        except Exception:  # the page closed meanwhile: nothing to redraw
            self._push_pending = False

    def _poll_soon(self) -> None:
        """On the page's loop: poll a moment later, so the browser that made the change redraws first."""
        try:
            self._doc.add_timeout_callback(self._poll_told, TOLD_AFTER_MS)
        except Exception:
            self._push_pending = False

    def _poll_told(self) -> None:
        self._push_pending = False
        with set_curdoc(self._doc), in_one_message(self._doc):
            self.poll()

    def _compare_and_city(self):
        """The compare tab: the comparison, then several offices as one city below it."""
        st, lang = self.state, self.state.lang
        self._views["city"] = CityView(st.city, lang)
        compare = CompareView(st.compare, lang)
        self._compare_column = pn.Column(compare, self._views["city"], sizing_mode="stretch_width")
        return compare

    def _ensure(self, name: str) -> None:
        """Build a tab's view the first time it is shown."""
        if name not in self._views:
            self._views[name] = self._factories[name]()
        holder = self._holders[name]
        if not holder.objects:
            holder.objects = [self._compare_column if name == "compare" else self._views[name]]

    def _flush(self, name: str) -> None:
        """Redraw one tab for the topics it missed."""
        missed, self._pending[name] = self._pending[name], set()
        if not missed or name not in self._views:  # a view built later reads the session as it is then
            return
        view = self._views[name]
        if name == "maps":
            view.sync()  # the canvas and the notes beside it
            if missed - {"notes"}:
                view.tick += 1  # the pictures, the step picker
        elif "tick" in view.param:
            view.tick += 1
        if name == "compare":
            self._views["city"].tick += 1

    def _show_tab(self, event) -> None:
        if self._tabs.active != event.new:
            self._tabs.active = event.new  # the facilitator's tab, while this browser follows

    def poll(self) -> None:
        """Redraw what other browsers changed; follow the facilitator; tick the facilitator's timer.

        Only the tab on screen redraws at once, and only for the topics it shows (a dot vote does not
        touch the builder); the other tabs note what they missed and redraw when they are opened.
        """
        self.state.follow_lead()
        self._lead.sync()
        topics = self.state.changes_elsewhere()
        if RESULTS_TOPIC in topics:  # a comparison another browser ran: its waits paint this map too,
            self.state.compare.sync()  # whichever tab is on screen (the compare tab shows it when opened)
        if topics:
            for name, shows in VIEW_TOPICS.items():
                if topics & shows:
                    self._pending[name] |= topics & shows
            self._flush(TAB_NAMES[self._tabs.active])
        self._views["workshop"].update_timer()
        for name in ("compare", "sweep", "optimise"):  # a run's progress, where the tab has been opened
            if name in self._views:
                self._views[name].refresh()

    def _build(self) -> None:
        st, lang = self.state, self.state.lang
        # a tab's view is built the first time it is opened: a page (20 phones from the QR code at once)
        # builds only what it shows, not all five tabs
        self._factories = {
            "maps": lambda: MapsView(st.maps, st.editor, st.workshop),
            "builder": lambda: BuilderView(st.builder, lang),
            "compare": lambda: self._compare_and_city(),
            "sweep": lambda: SweepView(st.sweep, lang),
            "new_office": lambda: NewOfficeView(st.new_office, lang),
            "optimise": lambda: OptimiseView(st.optimise, lang, on_open=lambda _name: self._show_compare()),
        }
        self._views = {  # the workshop view is built at once: its timer sits in the header
            "workshop": WorkshopView(st.workshop, lang, step_choices=lambda ref: st.maps.step_choices(st.resolve(ref))),
        }
        self._holders = {name: pn.Column(sizing_mode="stretch_width", margin=0) for name in TAB_NAMES}
        tabs = pn.Tabs(*((text(lang, f"tab_{name}"), self._holders[name]) for name in TAB_NAMES),
                       active=st.tab, dynamic=True, sizing_mode="stretch_width", css_classes=["mbk-main"])
        self._ensure(TAB_NAMES[st.tab])
        tabs.param.watch(lambda e: self._ensure(TAB_NAMES[e.new]), "active")
        tabs.param.watch(lambda e: setattr(st, "tab", e.new), "active")
        tabs.param.watch(lambda e: self._flush(TAB_NAMES[e.new]), "active")
        self._pending = {name: set() for name in TAB_NAMES}
        self._tabs = tabs
        self._lead = LeadBar(st, lang)
        switch = pn.widgets.RadioButtonGroup(options={"Svenska": "sv", "English": "en"}, value=lang,
                                             color="light", css_classes=["mbk-lang"], width=180)
        switch.param.watch(lambda e: setattr(st, "lang", e.new), "value")
        title = pn.pane.HTML(f"<h1 class='mbk-title'>{text(lang, 'app_title')}</h1>"
                             f"<div class='mbk-subtitle'>{text(lang, 'app_subtitle')}</div>")
        tools = pn.Row(self._lead, self._views["workshop"].timer, switch,
                       A11yRepairs(lang=lang, names={"up": text(lang, "a11y_up"), "down": text(lang, "a11y_down"),
                                                 "remove": text(lang, "a11y_remove")},
                                   width=0, height=0, margin=0))
        # one line on a laptop; on a phone the timer and the language switch wrap under the title
        header = pn.FlexBox(title, tools, flex_wrap="wrap", justify_content="space-between", align_items="center",
                            css_classes=["mbk-header"], sizing_mode="stretch_width")
        self._body.objects = [header, tabs]

    def _show_compare(self) -> None:
        """A set-up opened from the front: Compare's pickers learn the new scenario, then Compare shows."""
        if "compare" in self._views:
            self._views["compare"].tick += 1
            self.state.compare.param.trigger("chosen", "baseline")
        self._tabs.active = TAB_NAMES.index("compare")

    def __panel__(self):
        return self._body


def create_app(session_path: str | Path | None = None, *, lang: str = "sv", executor=None, poll: bool = True,
               tab: str | None = None):
    """A new page over the shared session of `session_path` (one per browser)."""
    if lang not in LANGS:
        raise ValueError(f"lang: expected one of {', '.join(LANGS)}, got {lang!r}")
    pn.extension(raw_css=[CSS], notifications=False)
    state = StudioState(session_path, lang=lang, executor=executor)
    if tab in TAB_NAMES:
        state.tab = TAB_NAMES.index(tab)
    return WorkshopApp(state, poll=poll)


def _page_template():
    """Panel's page with a viewport tag, so a phone lays the app out at its own width (not 980 px)."""
    from panel.io.resources import _env

    return _env.from_string("{% extends 'base.html' %}{% block preamble %}{{ super() }}"
                            "<meta name='viewport' content='width=device-width, initial-scale=1'>{% endblock %}")


def _free_port(address: str) -> int:
    with socket.socket() as s:
        s.bind((address if address not in ("", "::") else "0.0.0.0", 0))
        return s.getsockname()[1]


def _query(name: str) -> str:
    """One query parameter of this browser's address ('' when absent or not text)."""
    values = (pn.state.session_args or {}).get(name) or [b""]
    try:
        return values[0].decode("utf-8")
    except UnicodeDecodeError:
        return ""


def serve(session_path: str | Path | None = None, *, port: int = 5006, address: str = "127.0.0.1",
          show: bool = False, threaded: bool = False, executor=None, access: RoomAccess | None = None,
          origins: tuple[str, ...] = (), **kwargs):
    """Serve the app; every browser gets its own page over the one shared session.

    With `access`, a browser must give the join code (`?join=` in its address, or typed at the door)
    before it sees anything of the session, and a facilitator needs the facilitator's code. Websockets
    are accepted only from this machine's own names and addresses (plus `origins`).
    """
    from process_models import library_names, load_model

    for name in library_names():  # warm the model cache so the first browser does not wait for it
        load_model(name)
    shared_session(session_path).access = access
    template = _page_template()

    def page():
        lang = _query("lang") if _query("lang") in LANGS else "sv"
        root = pn.Column(sizing_mode="stretch_width", css_classes=["mbk-page"])
        if pn.state.curdoc is not None:
            pn.state.curdoc.template = template

        def enter(chosen: str) -> None:
            if _query("view") == PRESENT:  # the projector: big figures, no controls
                pn.extension(raw_css=[CSS], notifications=False)
                root.objects = [PresentView(shared_session(session_path), lang=chosen)]
                return
            root.objects = [create_app(session_path, executor=executor, lang=chosen, tab=_query("tab") or None)]

        if access is None or access.admits(_query(JOIN_PARAM)):
            enter(lang)
        else:
            root.objects = [Gate(access, enter, lang=lang)]
        return root

    if "websocket_origin" not in kwargs and (access is not None or address not in LOOPBACK):
        if port == 0:  # the allowed origins name the port, so pick it now
            port = _free_port(address)
        kwargs["websocket_origin"] = own_origins(address, port, origins)  # this machine's names, never "*"
    return pn.serve(page, port=port, address=address, show=show, threaded=threaded, title="MBK Studio", **kwargs)
