"""The dispatcher's per-message writes, gathered into as few statements as possible.

Every message needs two marks: "sending" right before its request's first byte, which must
be committed before that byte leaves, and "sent" once Telegram answered, which may wait a
little. A single writer task writes whatever marks are waiting as one UPDATE
(DeliveryStore.write_marks) on a connection of its own: a "sending" mark is written at once,
with every "sent" mark that waits; a "sent" mark alone waits up to `linger_s` for the next
"sending" to ride along with. At 30 messages a second, each message so costs one statement.

A "sent" mark still waiting when the process dies leaves its row "sending", so the next
dispatcher sends that message again (store.py, recover), though it did arrive: at 30 a second
the next "sending" comes within about 33 ms, so that is rarely more than one message.

When dispatchers elect a leader (bot.dispatcher.leader), the marks go through the leader's
own connection, the one holding the advisory lock: a "sending" mark, and so a request, can
only be made while this process leads. A mark that cannot be written stops its send before
the request leaves (the delivery stays "claimed" and is queued again).

On PostgreSQL the writer's connection runs in autocommit: one UPDATE is atomic by itself, so
a group of marks costs one round trip, without BEGIN and COMMIT. On SQLite it takes the write
lock (BEGIN IMMEDIATE) and commits as every writer does.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.delivery_status import DeliveryStatus
from bot.dispatcher.leader import close_quietly
from bot.dispatcher.store import DeliveryStore, Job, Mark

logger = logging.getLogger(__name__)

# The leader's connection, or None when any connection will do.
ConnectionSource = Callable[[], AbstractAsyncContextManager[AsyncConnection | None]]


class Marks:
    """Gathers the marks of one round of sends; `close` writes what is left."""

    def __init__(
        self,
        store: DeliveryStore,
        clock: Callable[[], datetime],
        linger_s: float,
        leader_connection: ConnectionSource | None = None,
    ) -> None:
        self.store = store
        self.leader_connection = leader_connection
        self.clock = clock
        self.linger_s = linger_s
        self.writes = 0  # statements written
        self._waiting: list[tuple[Mark, asyncio.Future[bool] | None]] = []
        self._queued = asyncio.Event()  # any mark waits
        self._urgent = asyncio.Event()  # a "sending" mark waits, or the round is over
        self._closing = False
        self._task: asyncio.Task[None] | None = None
        self._connection: AsyncConnection | None = None

    async def sending(self, job: Job) -> bool:
        """Marks `job` "sending" and returns once that is committed; False when its lease is
        no longer ours, or the mark could not be written (the send must not go ahead)."""
        done: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._add(Mark(job, DeliveryStatus.SENDING), done)
        self._urgent.set()
        return await done

    def sent(self, job: Job, message_id: int) -> None:
        """Marks `job` "sent", with the next write."""
        self._add(Mark(job, DeliveryStatus.SENT, message_id), None)

    def _add(self, mark: Mark, done: asyncio.Future[bool] | None) -> None:
        if self._closing:
            raise RuntimeError("the round's marks are closed")
        self._waiting.append((mark, done))
        self._queued.set()
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="delivery-marks")

    async def close(self, *, flush: bool) -> None:
        """Ends the round: writes what waits (with `flush`) or drops it, as a process that
        stops dead would; then gives the connection back."""
        self._closing = True
        task, self._task = self._task, None
        if task is not None:
            if flush:
                self._urgent.set()
                self._queued.set()
                await task
            else:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        for _, done in self._waiting:
            if done is not None and not done.done():
                done.cancel()
        self._waiting.clear()
        await self._release()

    async def _run(self) -> None:
        while True:
            await self._queued.wait()
            if not self._urgent.is_set():
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._urgent.wait(), self.linger_s)
            self._queued.clear()
            self._urgent.clear()
            group, self._waiting = self._waiting, []
            if group:
                await self._write(group)
            if self._closing and not self._waiting:
                return

    async def _write(self, group: list[tuple[Mark, asyncio.Future[bool] | None]]) -> None:
        marks = [mark for mark, _ in group]
        try:
            sending = await self._write_marks(marks)
        except Exception:
            # Rows keep their state: a "claimed" one was not marked, so its request does
            # not leave (it is queued again later); a "sending" one is recovered as such.
            logger.exception("could not save the status of %d reminders", len(marks))
            await self._release(broken=True)
            for _, done in group:
                if done is not None and not done.done():
                    done.set_result(False)
            return
        self.writes += 1
        for mark, done in group:
            if done is not None and not done.done():
                done.set_result(mark.job.context.delivery_id in sending)

    async def _write_marks(self, marks: list[Mark]) -> set[int]:
        if self.leader_connection is not None:
            async with self.leader_connection() as leader:
                if leader is not None:
                    async with leader.begin():
                        return await self.store.write_marks(leader, marks, self.clock())
        bind = self.store.sessions.kw.get("bind")
        if not isinstance(bind, AsyncEngine):
            # Sessions bound to something else (a connection): one transaction each time.
            async with self.store.sessions() as session, session.begin():
                connection = await session.connection()
                return await self.store.write_marks(connection, marks, self.clock())
        if self._connection is None:
            connection = await bind.connect()
            if bind.dialect.name == "postgresql":
                connection = await connection.execution_options(isolation_level="AUTOCOMMIT")
            self._connection = connection
        async with self._connection.begin():
            return await self.store.write_marks(self._connection, marks, self.clock())

    async def _release(self, *, broken: bool = False) -> None:
        connection, self._connection = self._connection, None
        await close_quietly(connection, invalidate=broken)
