"""Alembic's entry point for the kiosk database: migrations run on the connection the caller passes in.

`prototypes.schema.upgrade` passes its connection as `config.attributes["connection"]`; the
`alembic` command line is not needed (and not configured) to run the kiosk.
"""

from alembic import context

from prototypes.storage import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
