"""The kiosk database's Alembic migrations (applied by `prototypes.schema.upgrade` at start)."""
