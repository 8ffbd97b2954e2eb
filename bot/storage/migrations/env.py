"""Alembic environment: async engines, and a lock so that two processes never migrate at once.

On SQLite, Alembic changes a table by building a new one, copying the rows and dropping the
old one. With foreign keys on, dropping a parent deletes every child row (ON DELETE CASCADE),
so migrations run with foreign keys off, in one transaction, and the foreign keys are checked
before that transaction commits.
"""

from __future__ import annotations

import asyncio
import fcntl
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import context
from sqlalchemy import text
from sqlalchemy.engine import Connection, make_url

from bot.storage.db import create_engine
from bot.storage.models import Base

logger = logging.getLogger(__name__)

# Any fixed number: all processes of this app agree on it.
MIGRATION_LOCK_ID = 7_301_214
# Enough to find the rows; a long list would bury the message.
MAX_REPORTED_VIOLATIONS = 20


class ForeignKeyViolation(RuntimeError):
    """Rows point at parents that do not exist; the migration was rolled back."""


def _check_foreign_keys(connection: Connection) -> None:
    violations = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
    if not violations:
        return
    listed = "; ".join(
        f"{table} row {rowid} points at a missing {parent} row"
        for table, rowid, parent, _key in violations[:MAX_REPORTED_VIOLATIONS]
    )
    more = len(violations) - MAX_REPORTED_VIOLATIONS
    raise ForeignKeyViolation(
        f"foreign key check failed after migrating, so nothing was changed: {listed}"
        + (f"; and {more} more" if more > 0 else "")
        + ". Delete or repair these rows, then migrate again."
    )


def _run(connection: Connection) -> None:
    sqlite = connection.dialect.name == "sqlite"
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": MIGRATION_LOCK_ID})
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=sqlite,
        # SQLite's DDL is transactional too: one transaction for all revisions means a
        # failure anywhere leaves the database exactly as it was.
        transactional_ddl=True,
    )
    with context.begin_transaction():
        context.run_migrations()
        if sqlite:
            _check_foreign_keys(connection)


async def _run_async(url: str) -> None:
    engine = create_engine(url, sqlite_foreign_keys=False)
    try:
        async with engine.connect() as connection:
            await connection.run_sync(_run)
            await connection.commit()
    finally:
        await engine.dispose()


@contextmanager
def _sqlite_file_lock(url: str) -> Iterator[None]:
    """Holds an exclusive lock on a file beside the SQLite database while migrating.

    SQLite has no advisory locks, and its own write lock is taken only once the first
    statement runs and is held no longer than one transaction: a second process could
    otherwise read the schema while the first one is changing it.
    """
    parsed = make_url(url)
    database = parsed.database
    if parsed.get_backend_name() != "sqlite" or not database or database == ":memory:":
        yield
        return
    lock_path = Path(database).with_name(Path(database).name + ".migration.lock")
    # The file stays: removing it would let a waiting process lock a file no longer there.
    with lock_path.open("a") as lock_file:
        try:
            fcntl.flock(lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            logger.info("another process is migrating %s; waiting for it", database)
            fcntl.flock(lock_file, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock_file, fcntl.LOCK_UN)


url = context.config.attributes["url"]
with _sqlite_file_lock(url):
    asyncio.run(_run_async(url))
