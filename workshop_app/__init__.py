"""The workshop app (Panel): maps, scenario builder, comparison, sweep and workshop mode.

State lives in `param.Parameterized` classes (tests drive them without a browser); the
views in `views/` only assemble widgets. Nothing imports this package. Names are loaded
on first use so that `mbk` starts fast without importing Panel.
"""

from process_models.lazy import lazy_names

__all__ = [
    "StudioState",
    "MapState",
    "ScenarioBuilder",
    "CompareState",
    "WorkshopState",
    "SharedSession",
    "VoteRefused",
    "UiError",
    "shared_session",
    "annotated_model",
    "text",
    "LANGS",
    "views",
]

_WHERE = {
    "StudioState": ".state",
    "MapState": ".maps",
    "ScenarioBuilder": ".builder",
    "CompareState": ".compare",
    "WorkshopState": ".workshop",
    "annotated_model": ".workshop",
    "SharedSession": ".shared_session",
    "VoteRefused": ".shared_session",
    "shared_session": ".shared_session",
    "UiError": ".texts",
    "text": ".texts",
    "LANGS": ".texts",
}

__getattr__ = lazy_names(__name__, _WHERE)


def views(session_path=None, lang: str = "sv", executor=None):
    """The whole app as a Panel object, e.g. to show inline in a notebook."""
    from .app import create_app

    return create_app(session_path, lang=lang, executor=executor, poll=False)
