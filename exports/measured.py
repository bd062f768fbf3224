"""What the kiosk has measured so far, for the benefits plan's follow-up column.

Reads a kiosk database through the kiosk's own storage layer without changing it
(`prototypes.readonly.open_existing`: the same `--db` values as `mbk kiosk serve`, a SQLite
file or a PostgreSQL URL, opened read-only, nothing created or migrated): the survey's two
indicators for everyone, women and men (`prototypes.survey_summary`, figures over fewer than
five visitors already hidden); from the visits the kiosk logged, how many came and the share
who managed on their own; and from its event log the ended visits' waits as the simulation
counts them (`prototypes.waits`), read with the model the kiosk runs, which says which of its
steps are queues. The kiosk keeps no gender with a visit, so only the survey splits by gender.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from process_models import load_model
from process_models.disclosure import too_few
from process_models.errors import UserError

__all__ = ["KioskFollowUp", "LoggedVisits", "read_follow_up", "KIOSK_DB_OPTION", "KIOSK_MODEL_OPTION",
           "DEFAULT_KIOSK_MODEL"]

#: the options the figures come from, named in every message about them
KIOSK_DB_OPTION = "--kiosk-db"
KIOSK_MODEL_OPTION = "--kiosk-model"
#: the model `mbk kiosk serve` runs unless given --model
DEFAULT_KIOSK_MODEL = "skarholmen-kiosk"
#: step ids named in a message about steps the model lacks
_STEPS_SHOWN = 3


@dataclass(frozen=True)
class LoggedVisits:
    """The visits the kiosk logged: how many, over which days, and how many managed on their own."""

    visits: int
    ended: int
    self_served: int
    first_day: str | None
    last_day: str | None

    @property
    def self_served_share(self) -> float | None:
        """Share of ended visits that managed on their own; None over fewer than MIN_VISITORS."""
        return None if too_few(self.ended) else self.self_served / self.ended


@dataclass(frozen=True)
class KioskFollowUp:
    """The kiosk's figures for the plan: its survey (suppressed below 5) and its logged visits."""

    source: str
    survey: object  # prototypes.survey.SurveySummary
    logged: LoggedVisits
    waits: object  # prototypes.waits.MeasuredWaits

    def indicator(self, name: str, group: str = "all"):
        """The survey's `name` ("learned", "can_alone") for "all", "women" or "men" (share None: suppressed)."""
        from prototypes.survey import MAN, WOMAN

        return self.survey.indicators[{"all": "all", "women": WOMAN, "men": MAN}[group]][name]


def _logged(engine, office: str | None) -> LoggedVisits:
    from sqlalchemy import case, func, select

    from prototypes.storage import visits

    query = select(func.count(), func.count(visits.c.ended_at),
                   func.sum(case((visits.c.outcome == "self_served", 1), else_=0)),
                   func.min(visits.c.day), func.max(visits.c.day))
    if office is not None:
        query = query.where(visits.c.office == office)
    with engine.connect() as conn:
        n, ended, alone, first, last = conn.execute(query).one()
    return LoggedVisits(int(n or 0), int(ended or 0), int(alone or 0), first, last)


def _queue_steps(model_ref: str, engine, office: str | None) -> frozenset[str]:
    """The queue steps of the kiosk's model; a UserError if the log names steps the model does not have."""
    from prototypes.waits import logged_steps

    try:
        model = load_model(model_ref)
    except UserError as exc:  # a missing or broken model file: say which option named it
        raise UserError(f"{KIOSK_MODEL_OPTION}: {exc}") from None
    unknown = sorted(logged_steps(engine, office) - {s.id for s in model.steps})
    if unknown:
        more = f" and {len(unknown) - _STEPS_SHOWN} more" if len(unknown) > _STEPS_SHOWN else ""
        raise UserError(f"{KIOSK_MODEL_OPTION} {model_ref}: the kiosk's log names steps the model does not have "
                        f"({', '.join(unknown[:_STEPS_SHOWN])}{more}); expected the --model the kiosk was served with")
    return frozenset(s.id for s in model.steps if s.kind == "queue")


def read_follow_up(db: str | Path, office: str | None = None, model: str = DEFAULT_KIOSK_MODEL) -> KioskFollowUp:
    """The survey, the logged visits and the measured waits of one office (None: every office in the database).

    Args:
        db: the kiosk's database: a SQLite file path, or a sqlite:/// or postgresql:// URL.
        model: the process model the kiosk runs (its `--model`), which says which logged steps are queues.
    """
    from prototypes.readonly import open_existing, shown_url
    from prototypes.storage import OFFICE_ID
    from prototypes.survey import survey_summary
    from prototypes.waits import measured_waits

    if office is not None and not OFFICE_ID.match(office):
        raise UserError(f"--office: expected 1-32 lower-case letters, digits or '-' (such as rinkeby), got {office!r}")
    engine = open_existing(db, KIOSK_DB_OPTION)
    try:
        queues = _queue_steps(model, engine, office)
        return KioskFollowUp(shown_url(str(db)), survey_summary(engine, office), _logged(engine, office),
                             measured_waits(engine, queues, office))
    finally:
        engine.dispose()
