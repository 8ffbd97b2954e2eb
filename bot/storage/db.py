"""Engine and sessions."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

Sessions = async_sessionmaker[AsyncSession]


def create_engine(url: str, *, sqlite_foreign_keys: bool = True, **kwargs: Any) -> AsyncEngine:
    """`sqlite_foreign_keys=False` is for migrations only: rebuilding a parent table in
    SQLite drops it, and with foreign keys on that drop cascades into every child table."""
    if url.startswith("sqlite"):
        foreign_keys = "ON" if sqlite_foreign_keys else "OFF"
        engine = create_async_engine(url, connect_args={"timeout": 30}, **kwargs)

        @event.listens_for(engine.sync_engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
            # WAL lets the dispatcher read while a handler writes; foreign keys make
            # ON DELETE CASCADE work as on PostgreSQL.
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            # Set here, before any transaction: inside one SQLite ignores this pragma.
            cursor.execute(f"PRAGMA foreign_keys={foreign_keys}")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()
            # Let SQLAlchemy, not the driver, begin transactions, so savepoints work.
            dbapi_connection.isolation_level = None

        @event.listens_for(engine.sync_engine, "begin")
        def _begin_immediate(connection: Any) -> None:
            # Take the write lock up front: two writers then queue (busy_timeout) instead
            # of deadlocking when both try to upgrade a read lock.
            connection.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    # No ping before every checkout (a round trip each time): a connection the server has
    # closed fails once, is dropped from the pool, and the engine's callers retry.
    return create_async_engine(url, pool_recycle=1800, **kwargs)


def create_sessions(engine: AsyncEngine) -> Sessions:
    return async_sessionmaker(engine, expire_on_commit=False)
