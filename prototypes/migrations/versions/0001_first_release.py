"""The first release's schema (one office per database), frozen as it was created by `create_all`.

A database made by that release has these tables and no `alembic_version`; `schema.upgrade`
stamps it with this revision and migrates it from here. Never edit this file: write a new one.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def first_release_metadata() -> sa.MetaData:
    """The tables exactly as the first release declared them."""
    m = sa.MetaData()
    sa.Table(
        "visits", m,
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("day", sa.String(10), nullable=False, index=True),
        sa.Column("started_at", sa.DateTime, nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("errand", sa.String(64), nullable=False),
        sa.Column("step", sa.String(64), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("number", sa.Integer),
        sa.Column("computer", sa.Integer),
        sa.Column("waiting_since", sa.DateTime),
        sa.Column("guide", sa.String(64)),
        sa.Column("phone", sa.String(20)),
        sa.Column("outcome", sa.String(16)),
        sa.Column("learned", sa.Boolean),
        sa.Column("can_alone", sa.Boolean),
        sa.Column("ended_at", sa.DateTime),
    )
    sa.Table(
        "events", m,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("visit_id", sa.String(32), nullable=False, index=True),
        sa.Column("event", sa.String(32), nullable=False),
        sa.Column("step_id", sa.String(64), nullable=False),
        sa.Column("timestamp", sa.DateTime, nullable=False),
        sa.Column("errand", sa.String(64), nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
    )
    sa.Table(
        "caseworkers", m,
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("name", sa.String(80), nullable=False),
        sa.Column("email", sa.String(200), nullable=False),
    )
    sa.Table(
        "appointments", m,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("code", sa.String(12), nullable=False, unique=True),
        sa.Column("caseworker_id", sa.String(32), nullable=False),
        sa.Column("starts_at", sa.DateTime, nullable=False, index=True),
        sa.Column("visit_id", sa.String(32)),
        sa.Column("arrived_at", sa.DateTime),
        sa.Column("met_at", sa.DateTime),
    )
    sa.Table(
        "outbox", m,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("message_id", sa.String(120), nullable=False, unique=True),
        sa.Column("visit_id", sa.String(32)),
        sa.Column("recipient", sa.String(200), nullable=False),
        sa.Column("subject", sa.Text, nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("next_attempt_at", sa.DateTime, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("sent_at", sa.DateTime),
        sa.Column("last_error", sa.Text),
    )
    sa.Table(
        "staff", m,
        sa.Column("username", sa.String(64), primary_key=True),
        sa.Column("password_hash", sa.String(300), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    sa.Table(
        "staff_sessions", m,
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("expires_at", sa.DateTime, nullable=False),
    )
    sa.Table(
        "daily_stats", m,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("day", sa.String(10), nullable=False),
        sa.Column("errand", sa.String(64), nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("visits", sa.Integer, nullable=False),
        sa.Column("self_served", sa.Integer, nullable=False),
        sa.Column("surveyed", sa.Integer, nullable=False),
        sa.Column("learned", sa.Integer, nullable=False),
        sa.Column("can_alone", sa.Integer, nullable=False),
        sa.UniqueConstraint("day", "errand", "language"),
    )
    return m


def upgrade() -> None:
    first_release_metadata().create_all(op.get_bind())
