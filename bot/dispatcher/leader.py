"""Which dispatcher may send: Telegram's 30 messages a second belong to the bot, not to a
process, so on PostgreSQL exactly one dispatcher at a time sends, the leader, and the others
stand by.

The leader holds a session-level advisory lock (`pg_try_advisory_lock`) on a connection of
its own that it keeps open. The lock lives exactly as long as that database session: when
the leader's process dies (kill -9, a power cut) or its connection breaks, PostgreSQL ends
the session and the lock is free again, with nothing to clean up and no lease to wait out.
Each standby tries to take it every `interval_s` (DISPATCH_INTERVAL_S), so one of them leads
within that long. The lock connection carries the application name "legdaycoach dispatcher
<host:pid>", so `pg_stat_activity` joined with `pg_locks` shows who leads.

The leader writes its "sending" marks on that same connection (bot.dispatcher.marks), so a
request leaves only after a statement succeeded in the session that holds the lock: a leader
whose session is gone cannot let out one more message, even before it has noticed. A
watchdog runs a trivial query on the connection every `check_every_s` and gives the
leadership up when it fails or takes longer than `check_timeout_s`.

SQLite is one machine and one file, and has no such lock: there every dispatcher sends, as
before, serialized by the database's write lock (`Everyone`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from typing import Protocol

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

logger = logging.getLogger(__name__)

# The advisory lock's key: one per database (advisory locks are local to a database).
DISPATCH_LOCK_KEY = 0x4C44_4443_4450  # "LDDCDP"
APPLICATION_NAME = "legdaycoach dispatcher"


async def close_quietly(
    connection: AsyncConnection | None, *, invalidate: bool, timeout_s: float | None = None
) -> None:
    """Closes a connection this process keeps for itself, invalidated first when it may be
    broken (so the pool does not hand it out again). A connection that will not close is
    given up: there is nothing more to do with it."""
    if connection is None:
        return
    with contextlib.suppress(Exception):
        if invalidate:
            await connection.invalidate()
        await asyncio.wait_for(connection.close(), timeout_s)


class Leadership(Protocol):
    """Whether this process may send now."""

    elected: bool  # True when leaders are elected (only one sends); False: everyone sends
    lost: asyncio.Event  # set once a leadership held has been lost

    async def acquire(self) -> bool:
        """Tries to lead; True when this process leads now."""
        ...

    async def release(self) -> None:
        """Gives the leadership up (if held) and closes what it holds."""
        ...

    def connection(self) -> contextlib.AbstractAsyncContextManager[AsyncConnection | None]:
        """The leader's own connection, for the writes that must happen only while it leads
        (None: any connection will do)."""
        ...


class Everyone:
    """No election: every dispatcher sends (SQLite, or sessions bound to one connection)."""

    elected = False

    def __init__(self) -> None:
        self.lost = asyncio.Event()

    async def acquire(self) -> bool:
        return True

    async def release(self) -> None:
        return None

    @contextlib.asynccontextmanager
    async def connection(self) -> AsyncIterator[AsyncConnection | None]:
        yield None


class LeadershipLost(Exception):
    """The leader's connection failed: the lock may be gone."""


class AdvisoryLock:
    """Leadership by a PostgreSQL session-level advisory lock (see the module docstring)."""

    elected = True

    def __init__(
        self,
        engine: AsyncEngine,
        worker_id: str,
        *,
        key: int = DISPATCH_LOCK_KEY,
        check_every_s: float = 1.0,
        check_timeout_s: float = 3.0,
    ) -> None:
        self.engine = engine
        self.worker_id = worker_id
        self.key = key
        self.check_every_s = check_every_s
        self.check_timeout_s = check_timeout_s
        self.lost = asyncio.Event()
        self.leading = False
        self._connection: AsyncConnection | None = None
        self._using = asyncio.Lock()  # one statement at a time on the connection
        self._watchdog: asyncio.Task[None] | None = None

    async def acquire(self) -> bool:
        if self.leading:
            return not self.lost.is_set()
        try:
            connection = await self._connect()
            async with self._using, connection.begin():
                got = await asyncio.wait_for(
                    connection.scalar(text("SELECT pg_try_advisory_lock(:key)"), {"key": self.key}),
                    self.check_timeout_s,
                )
        except Exception as error:
            logger.warning("could not ask for the dispatch lock: %s", error)
            await self._drop()
            return False
        if not got:
            return False
        self.leading = True
        self.lost = asyncio.Event()
        self._watchdog = asyncio.create_task(self._watch(), name="dispatch-lock-watchdog")
        return True

    async def release(self) -> None:
        watchdog, self._watchdog = self._watchdog, None
        if watchdog is not None:
            watchdog.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await watchdog
        # Closing the session releases the lock; unlocking first returns the connection
        # to a clean state for nothing, since it is not pooled afterwards.
        self.leading = False
        await self._drop(invalidate=self.lost.is_set())

    @contextlib.asynccontextmanager
    async def connection(self) -> AsyncIterator[AsyncConnection | None]:
        if not self.leading or self.lost.is_set() or self._connection is None:
            raise LeadershipLost("this process does not lead")
        async with self._using:
            connection = self._connection
            if connection is None or self.lost.is_set():
                raise LeadershipLost("this process does not lead")
            try:
                yield connection
            except Exception as error:
                # Whatever failed, the session may be gone: stop sending, and let the
                # election settle who leads.
                self._lose(f"a statement on its connection failed: {error}")
                raise

    async def _connect(self) -> AsyncConnection:
        if self._connection is None:
            connection = await self.engine.connect()
            try:
                connection = await connection.execution_options(isolation_level="AUTOCOMMIT")
                name = f"{APPLICATION_NAME} {self.worker_id}"[:63]
                async with connection.begin():  # autocommit: no BEGIN is sent
                    await connection.execute(
                        text("SELECT set_config('application_name', :name, false)"),
                        {"name": name},
                    )
            except BaseException:
                await connection.invalidate()
                await connection.close()
                raise
            self._connection = connection
        return self._connection

    async def _watch(self) -> None:
        while not self.lost.is_set():
            await asyncio.sleep(self.check_every_s)
            try:
                async with self._using:
                    connection = self._connection
                    if connection is None:
                        raise LeadershipLost("the connection is gone")
                    async with connection.begin():
                        await asyncio.wait_for(
                            connection.scalar(text("SELECT 1")), self.check_timeout_s
                        )
            except TimeoutError:
                self._lose(f"its connection did not answer within {self.check_timeout_s:.0f} s")
            except Exception as error:
                self._lose(f"its connection failed: {error}")

    def _lose(self, why: str) -> None:
        if not self.lost.is_set():
            logger.warning("reminder dispatcher %s lost the dispatch lock: %s", self.worker_id, why)
            self.lost.set()

    async def _drop(self, *, invalidate: bool = True) -> None:
        connection, self._connection = self._connection, None
        await close_quietly(connection, invalidate=invalidate, timeout_s=self.check_timeout_s)


def leadership_for(engine: object, worker_id: str, *, elect: bool | None = None) -> Leadership:
    """An advisory-lock election on a PostgreSQL engine (unless `elect` is False), no
    election otherwise."""
    postgres = isinstance(engine, AsyncEngine) and engine.dialect.name == "postgresql"
    if elect is None:
        elect = postgres
    if not elect:
        return Everyone()
    if not postgres:
        raise ValueError("leaders are elected on PostgreSQL only")
    assert isinstance(engine, AsyncEngine)
    return AdvisoryLock(engine, worker_id)
