"""The workshop app: one entry point that builds the page for each browser and serves it."""

from __future__ import annotations

from pathlib import Path

import panel as pn

from .state import StudioState
from .texts import LANGS, text
from .views.a11y import A11yRepairs
from .views.builder_view import BuilderView
from .views.compare_view import CompareView, SweepView
from .views.maps_view import MapsView
from .views.optimise_view import OptimiseView
from .views.workshop_view import WorkshopView

__all__ = ["WorkshopApp", "create_app", "serve", "CSS"]

CSS = (Path(__file__).resolve().parent / "views" / "style.css").read_text(encoding="utf-8")
POLL_MS = 250  # how often a browser looks for other browsers' edits, notes, votes and the timer


class WorkshopApp(pn.viewable.Viewer):
    """The page: a header with the language switch and the timer, then one tab per job."""

    def __init__(self, state: StudioState, *, poll: bool = True, **params):
        super().__init__(**params)
        self.state = state
        self._views: dict = {}
        self._body = pn.Column(sizing_mode="stretch_width")
        self._build()
        state.param.watch(lambda _e: self._build(), "lang")
        if poll and pn.state.curdoc is not None:
            pn.state.add_periodic_callback(self.poll, period=POLL_MS)

    def poll(self) -> None:
        """Redraw what other browsers changed; tick the facilitator's timer."""
        if self.state.changed_elsewhere():
            self._views["maps"].sync()
            for view in self._views.values():
                if "tick" in view.param:
                    view.tick += 1
        self._views["workshop"].update_timer()
        self._views["compare"].refresh()
        self._views["sweep"].refresh()
        self._views["optimise"].refresh()

    def _build(self) -> None:
        st, lang = self.state, self.state.lang
        maps = MapsView(st.maps, st.editor, st.workshop)
        self._views = {
            "maps": maps,
            "builder": BuilderView(st.builder, lang),
            "compare": CompareView(st.compare, lang),
            "sweep": SweepView(st.sweep, lang),
            "optimise": OptimiseView(st.optimise, lang, on_open=lambda _name: self._show_compare(tabs)),
            "workshop": WorkshopView(st.workshop, lang, step_choices=lambda ref: st.maps.step_choices(st.resolve(ref))),
        }
        tabs = pn.Tabs(
            (text(lang, "tab_maps"), maps),
            (text(lang, "tab_builder"), self._views["builder"]),
            (text(lang, "tab_compare"), self._views["compare"]),
            (text(lang, "tab_sweep"), self._views["sweep"]),
            (text(lang, "tab_optimise"), self._views["optimise"]),
            (text(lang, "tab_workshop"), self._views["workshop"]),
            active=st.tab, dynamic=True, sizing_mode="stretch_width", css_classes=["mbk-main"],
        )
        tabs.param.watch(lambda e: setattr(st, "tab", e.new), "active")
        switch = pn.widgets.RadioButtonGroup(options={"Svenska": "sv", "English": "en"}, value=lang,
                                             color="light", css_classes=["mbk-lang"], width=180)
        switch.param.watch(lambda e: setattr(st, "lang", e.new), "value")
        header = pn.Row(
            pn.pane.HTML(f"<h1 class='mbk-title'>{text(lang, 'app_title')}</h1>"
                         f"<div class='mbk-subtitle'>{text(lang, 'app_subtitle')}</div>"),
            pn.layout.HSpacer(), self._views["workshop"].timer, switch,
            A11yRepairs(lang=lang, names={"up": text(lang, "a11y_up"), "down": text(lang, "a11y_down")},
                        width=0, height=0, margin=0),
            css_classes=["mbk-header"], sizing_mode="stretch_width",
        )
        self._body.objects = [header, tabs]

    def _show_compare(self, tabs) -> None:
        """A set-up opened from the front: Compare's pickers learn the new scenario, then Compare shows."""
        self._views["compare"].tick += 1
        self.state.compare.param.trigger("chosen", "baseline")
        tabs.active = 2

    def __panel__(self):
        return self._body


def create_app(session_path: str | Path | None = None, *, lang: str = "sv", executor=None, poll: bool = True):
    """A new page over the shared session of `session_path` (one per browser)."""
    if lang not in LANGS:
        raise ValueError(f"lang: expected one of {', '.join(LANGS)}, got {lang!r}")
    pn.extension(raw_css=[CSS], notifications=False)
    state = StudioState(session_path, lang=lang, executor=executor)
    return WorkshopApp(state, poll=poll)


def serve(session_path: str | Path | None = None, *, port: int = 5006, address: str = "127.0.0.1",
          show: bool = False, threaded: bool = False, executor=None, **kwargs):
    """Serve the app; every browser gets its own page over the one shared session."""
    from process_models import library_names, load_model

    for name in library_names():  # warm the model cache so the first browser does not wait for it
        load_model(name)

    def page():
        app = create_app(session_path, executor=executor)
        return pn.Column(app, sizing_mode="stretch_width", css_classes=["mbk-page"])

    if address not in ("127.0.0.1", "localhost") and "websocket_origin" not in kwargs:
        kwargs["websocket_origin"] = "*"  # laptops in the room connect by this machine's address
    return pn.serve(page, port=port, address=address, show=show, threaded=threaded, title="MBK Studio", **kwargs)
