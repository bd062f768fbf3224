"""Several offices in one database, and the survey's gender answers as counts only.

Every table gets an `office` column; the first release's rows belong to the office
`default`. Caseworker ids, staff names, booking codes and daily statistics become unique per
office, which changes a primary key or a unique constraint: those four tables are rebuilt
(renamed, created anew, copied, dropped), the same way on SQLite and PostgreSQL. New table
`survey_counts`: per office, day and answer to the gender question, counts of answers. The
first release's survey answers (on each visit, and summed in daily statistics) move into it
as "obesvarad" (the gender question did not exist) and leave the visits and statistics.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

DEFAULT_OFFICE = "default"


def _office() -> sa.Column:
    return sa.Column("office", sa.String(32), nullable=False, server_default=DEFAULT_OFFICE)


def _rebuilt_tables(m: sa.MetaData) -> list[sa.Table]:
    """The four tables whose key changes, as this revision declares them."""
    return [
        sa.Table(
            "caseworkers", m,
            _office(),
            sa.Column("id", sa.String(32), nullable=False),
            sa.Column("name", sa.String(80), nullable=False),
            sa.Column("email", sa.String(200), nullable=False),
            sa.PrimaryKeyConstraint("office", "id", name="pk_caseworkers"),
        ),
        sa.Table(
            "appointments", m,
            sa.Column("id", sa.Integer, autoincrement=True),
            _office(),
            sa.Column("code", sa.String(12), nullable=False),
            sa.Column("caseworker_id", sa.String(32), nullable=False),
            sa.Column("starts_at", sa.DateTime, nullable=False, index=True),
            sa.Column("visit_id", sa.String(32)),
            sa.Column("arrived_at", sa.DateTime),
            sa.Column("met_at", sa.DateTime),
            sa.PrimaryKeyConstraint("id", name="pk_appointments"),
            sa.UniqueConstraint("office", "code", name="uq_appointments_office_code"),
        ),
        sa.Table(
            "staff", m,
            _office(),
            sa.Column("username", sa.String(64), nullable=False),
            sa.Column("password_hash", sa.String(300), nullable=False),
            sa.Column("created_at", sa.DateTime, nullable=False),
            sa.PrimaryKeyConstraint("office", "username", name="pk_staff"),
        ),
        sa.Table(
            "daily_stats", m,
            sa.Column("id", sa.Integer, autoincrement=True),
            _office(),
            sa.Column("day", sa.String(10), nullable=False),
            sa.Column("errand", sa.String(64), nullable=False),
            sa.Column("language", sa.String(8), nullable=False),
            sa.Column("visits", sa.Integer, nullable=False),
            sa.Column("self_served", sa.Integer, nullable=False),
            sa.PrimaryKeyConstraint("id", name="pk_daily_stats"),
            sa.UniqueConstraint("office", "day", "errand", "language", name="uq_daily_stats_office_day_errand_language"),
        ),
    ]


def _fold_survey_answers() -> None:
    """The first release's answers, per day, into survey_counts; then off the visits."""
    bind = op.get_bind()
    keys = ("answers", "learned_answers", "learned_yes", "can_alone_answers", "can_alone_yes")
    days: dict[str, dict[str, int]] = {}
    for day, learned, can_alone in bind.execute(sa.text(
        "SELECT day, learned, can_alone FROM visits WHERE learned IS NOT NULL OR can_alone IS NOT NULL"
    )):
        t = days.setdefault(day, dict.fromkeys(keys, 0))
        t["answers"] += 1
        t["learned_answers"] += learned is not None
        t["learned_yes"] += bool(learned)
        t["can_alone_answers"] += can_alone is not None
        t["can_alone_yes"] += bool(can_alone)
    for day, surveyed, learned, can_alone in bind.execute(sa.text(
        "SELECT day, SUM(surveyed), SUM(learned), SUM(can_alone) FROM daily_stats GROUP BY day"
    )):
        if surveyed:
            t = days.setdefault(day, dict.fromkeys(keys, 0))
            # the first release counted answers, not which question was answered: the best bound is "surveyed"
            t["answers"] += surveyed
            t["learned_answers"] += surveyed
            t["learned_yes"] += learned
            t["can_alone_answers"] += surveyed
            t["can_alone_yes"] += can_alone
    counts = sa.table("survey_counts", *(sa.column(c) for c in ("office", "day", "gender") + keys))
    for day, t in sorted(days.items()):
        bind.execute(counts.insert().values(office=DEFAULT_OFFICE, day=day, gender="obesvarad", **t))
    bind.execute(sa.text("UPDATE visits SET learned = NULL, can_alone = NULL"))


def _rebuild(table: sa.Table) -> None:
    """Rename the old table, create the new one, copy the rows into the default office, drop the old."""
    bind = op.get_bind()
    old = f"{table.name}_0001"
    for index in sa.inspect(bind).get_indexes(table.name):  # index names are schema-wide: free them first
        if not index.get("duplicates_constraint"):  # a unique constraint's own index goes with its table
            op.drop_index(index["name"], table_name=table.name)
    op.rename_table(table.name, old)
    table.create(bind)
    columns = [c.name for c in table.columns if c.name != "office"]
    names = ", ".join(columns)
    op.execute(f"INSERT INTO {table.name} (office, {names}) SELECT '{DEFAULT_OFFICE}', {names} FROM {old}")
    op.drop_table(old)
    if bind.dialect.name == "postgresql" and "id" in columns and table.c.id.autoincrement is True:
        # the new serial starts at 1: move it past the copied ids
        op.execute(
            f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), COALESCE(MAX(id), 0) + 1, false) "
            f"FROM {table.name}"
        )


def upgrade() -> None:
    for name in ("visits", "events", "outbox", "staff_sessions"):
        op.add_column(name, _office())
    op.create_index("ix_visits_office_status", "visits", ["office", "status"])
    op.create_table(
        "survey_counts",
        sa.Column("office", sa.String(32), nullable=False),
        sa.Column("day", sa.String(10), nullable=False),
        sa.Column("gender", sa.String(16), nullable=False),
        sa.Column("answers", sa.Integer, nullable=False),
        sa.Column("learned_answers", sa.Integer, nullable=False),
        sa.Column("learned_yes", sa.Integer, nullable=False),
        sa.Column("can_alone_answers", sa.Integer, nullable=False),
        sa.Column("can_alone_yes", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("office", "day", "gender", name="pk_survey_counts"),
    )
    _fold_survey_answers()
    for table in _rebuilt_tables(sa.MetaData()):
        _rebuild(table)
