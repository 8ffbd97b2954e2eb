"""The reminder dispatcher: a loop inside the bot process that turns due reminders into
Telegram messages, each occurrence exactly once, with the database as the only memory.

Every tick:

1. recover: a lease that ran out on a "claimed" delivery (never attempted) puts it back to
   "pending"; one that ran out on a "sending" delivery (the message may have gone out) marks
   it "unknown" and is not sent again;
2. claim: due reminders become delivery rows, one per occurrence, unique on (reminder_id,
   due_at), and move on to their next occurrence, in one transaction. An occurrence missed
   while the bot was down is still delivered on the user's same local day, else recorded as
   "dropped". Reminders of paused or unreachable users just move on;
3. lease: pending deliveries whose time has come are marked "claimed" for a while;
4. send: up to `max_in_flight` messages at once, paced to Telegram's limits; each delivery is
   marked "sending" right before its request and "sent" right after. While full batches
   keep coming, the next is claimed and leased before the current one runs out.

Telegram's answers: 429 puts that one message back with its retry_after; "blocked" and
"chat not found" stop all of the user's reminders; a request that provably never left
(connection refused, connect or pool timeout) is retried with backoff; anything that may
have reached Telegram (a read timeout, a dropped connection, a 5xx) becomes "unknown" and is
never sent again. A message is never doubled; the price is that a crash in the moment
between "sending" and Telegram's answer leaves that one message unknown.

Steps 2 and 3 lock rows with FOR UPDATE SKIP LOCKED on PostgreSQL, so several bot processes
share the work; SQLite serializes writers (BEGIN IMMEDIATE), which has the same effect. A
process that dies between two steps leaves rows that the next tick of any process recovers.

Pacing is per process: with several processes, give each a share of the 30 messages a second.
The bot passed in needs a connection pool of at least `max_in_flight` (the Application's bot
has one; a bare telegram.Bot has a single connection).
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import logging
import os
import socket
import time
import warnings
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, cast

import httpx
from sqlalchemy import ColumnElement, CursorResult, Select, select, tuple_, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Message
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
)

from bot import reminders
from bot.config import Settings
from bot.storage.db import Sessions
from bot.storage.models import Delivery, Plan, Reminder, User
from flows.reminders import ReminderMessage, leg_day_message
from flows.schedule import next_occurrence, occurrence_local_date

logger = logging.getLogger(__name__)

Clock = Callable[[], datetime]

# Where `crash_at` stops a dispatcher, for tests: after the claim step committed; after the
# lease committed, before any attempt; after "sending" committed, before the request; after
# Telegram accepted the message, before "sent" is saved.
CRASH_POINTS = ("after_claim", "before_send", "before_http", "after_send")
_NO_SYNC = {"synchronize_session": False}
# BadRequest descriptions that mean the chat is gone for good, like a block.
_GONE_CHAT = ("chat not found", "peer_id_invalid", "user not found")
# The request never reached Telegram: sending again cannot double the message.
_NEVER_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


class DispatcherCrash(RuntimeError):
    """Raised at a chosen point (`crash_at`) to stop the dispatcher there as abruptly as a
    killed process: nothing after it runs, nothing committed before it is undone."""


@dataclass
class TickStats:
    claimed: int = 0  # occurrences that became pending deliveries
    sent: int = 0
    retried: int = 0  # back to pending for later (429, connection failures)
    failed: int = 0  # Telegram refused for good (blocked, chat gone, bad message)
    dropped: int = 0  # too late for the user's day, or nothing to send
    unknown: int = 0  # may or may not have arrived; never sent again
    recovered: int = 0  # leases that ran out before any attempt, back to pending
    more: bool = False  # a batch came back full: more work is probably due right now
    next_retry_at: datetime | None = None  # the earliest retry scheduled in this tick


@dataclass(frozen=True)
class PlanInfo:
    split: bool
    weekdays: tuple[int, ...]
    experience: str
    explosive: bool


@dataclass(frozen=True)
class ReminderContext:
    """What a composer gets to build one occurrence's message from."""

    delivery_id: int
    reminder_id: int
    user_id: int
    chat_id: int
    kind: str
    due_at: datetime
    local_date: date
    timezone: str
    first_name: str
    weight_unit: str
    plan: PlanInfo | None


ComposerResult = ReminderMessage | None
# A composer may be sync or async; None means there is nothing to send (the delivery is
# dropped). One that needs the database can close over a sessionmaker.
Composer = Callable[[ReminderContext], ComposerResult | Awaitable[ComposerResult]]


def compose_leg_day(context: ReminderContext) -> ReminderMessage | None:
    if context.plan is None:
        logger.info("user %s has a leg-day reminder but no plan", context.user_id)
        return None
    plan = context.plan
    return leg_day_message(
        context.delivery_id,
        context.local_date,
        plan.split,
        plan.weekdays,
        plan.experience,
        plan.explosive,
        context.weight_unit,
    )


DEFAULT_COMPOSERS: dict[str, Composer] = {"leg_day": compose_leg_day}


class SendSlot:
    """One send booked with the pacer: when its request may have left, at the latest known."""

    __slots__ = ("left_at", "started_at")

    def __init__(self, at: float) -> None:
        self.started_at = at
        self.left_at = at


class SendPacer:
    """Keeps sends under Telegram's limits: in any second at most `rate_per_second` messages
    in all and `per_chat_rate_per_second` to one chat.

    Each send counts from the moment its request may have left: when its slot was taken, or,
    once Telegram has answered, as late as the answer allows (the answer time less the
    fastest round trip seen). That covers a request held up on its way out, e.g. by a
    garbage-collection pause, which would otherwise bunch up with later ones at Telegram. A
    new send waits until fewer than `rate` sends fall within the last second plus a margin
    (which absorbs jitter), and at least a minimum gap after the previous one, so the pace
    stays even and a late start can still be made up for. Only chats served within the last
    second are remembered.
    """

    def __init__(
        self,
        rate_per_second: float,
        per_chat_rate_per_second: float,
        margin_s: float = 0.03,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        if rate_per_second <= 0 or per_chat_rate_per_second <= 0:
            raise ValueError("rates must be positive")
        self.window_size = max(1, int(rate_per_second))
        self.window_s = self.window_size / rate_per_second + margin_s
        self.min_gap_s = 0.9 * self.window_s / self.window_size
        self.chat_interval_s = 1.0 / per_chat_rate_per_second + margin_s
        self._monotonic = monotonic
        self._lock = asyncio.Lock()
        self._recent: list[SendSlot] = []  # sends that may still count within the window
        self._last_start = -float("inf")
        self._fastest_answer_s = float("inf")
        self._chat_last: dict[int, SendSlot] = {}
        self._chat_locks: dict[int, tuple[asyncio.Lock, int]] = {}
        self._pruned_at = -float("inf")

    @property
    def tracked_chats(self) -> int:
        return len(self._chat_last) + len(self._chat_locks)

    @contextlib.asynccontextmanager
    async def chat_turn(self, chat_id: int) -> AsyncIterator[None]:
        """One sender per chat at a time, and each only once the chat may get a message
        again; waiting here holds up no other chat. Locks live only while in use."""
        lock, holders = self._chat_locks.get(chat_id, (asyncio.Lock(), 0))
        self._chat_locks[chat_id] = (lock, holders + 1)
        try:
            async with lock:
                last = self._chat_last.get(chat_id)
                if last is not None:
                    wait = last.left_at + self.chat_interval_s - self._monotonic()
                    if wait > 0:
                        await asyncio.sleep(wait)
                yield
        finally:
            lock, holders = self._chat_locks[chat_id]
            if holders == 1:
                del self._chat_locks[chat_id]
            else:
                self._chat_locks[chat_id] = (lock, holders - 1)

    async def take_slot(self, chat_id: int) -> SendSlot:
        """Waits for the next global send slot and books it for `chat_id`, whose turn the
        caller holds. The caller must start its request right away and `settle` the slot
        when Telegram has answered (or failed to)."""
        async with self._lock:
            while True:
                now = self._monotonic()
                horizon = now - self.window_s
                self._recent = [slot for slot in self._recent if slot.left_at > horizon]
                ready_at = self._last_start + self.min_gap_s
                if len(self._recent) >= self.window_size:
                    times = sorted(slot.left_at for slot in self._recent)
                    ready_at = max(ready_at, times[-self.window_size] + self.window_s)
                if ready_at <= now:
                    break
                # Check again afterwards: an answer meanwhile may have moved a send later.
                await asyncio.sleep(ready_at - now)
            slot = SendSlot(now)
            self._recent.append(slot)
            self._last_start = now
            self._chat_last[chat_id] = slot
            if now - self._pruned_at >= self.chat_interval_s:
                self._pruned_at = now
                stale = [
                    chat
                    for chat, last in self._chat_last.items()
                    if last.left_at <= now - self.chat_interval_s
                ]
                for chat in stale:
                    del self._chat_last[chat]
            return slot

    def settle(self, slot: SendSlot) -> None:
        """Telegram answered the send of `slot`: its request left no later than the answer
        time less the fastest round trip seen so far."""
        now = self._monotonic()
        self._fastest_answer_s = min(self._fastest_answer_s, now - slot.started_at)
        slot.left_at = max(slot.left_at, now - self._fastest_answer_s)


@dataclass
class _Job:
    context: ReminderContext
    token: int  # deliveries.attempts as our lease set it: a lease taken over changes it


def utc_now() -> datetime:
    return datetime.now(UTC)


def _default_worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


class Dispatcher:
    """Sends due reminders; see the module docstring for how.

    `clock` gives the time the database sees (due times, leases, retries); pacing always
    follows the real clock. `composers` maps a reminder kind to the function that writes its
    message. `crash_at` is for tests only.
    """

    def __init__(
        self,
        sessions: Sessions,
        bot: Bot,
        *,
        batch_size: int = 200,
        interval_s: float = 5.0,
        send_rate_per_second: float = 30.0,
        per_chat_rate_per_second: float = 1.0,
        max_in_flight: int = 16,
        batches_per_tick: int = 10,
        lease_s: float = 120.0,
        retry_backoff_s: float = 5.0,
        max_backoff_s: float = 300.0,
        rate_margin_s: float = 0.03,
        composers: Mapping[str, Composer] | None = None,
        clock: Clock = utc_now,
        worker_id: str | None = None,
        crash_at: str | None = None,
        only_user_id: int | None = None,
    ) -> None:
        if crash_at is not None and crash_at not in CRASH_POINTS:
            raise ValueError(f"crash_at must be one of {CRASH_POINTS}")
        if batch_size < 1 or max_in_flight < 1:
            raise ValueError("batch_size and max_in_flight must be at least 1")
        self.sessions = sessions
        self.bot = bot
        self.batch_size = batch_size
        self.interval_s = interval_s
        self.max_in_flight = max_in_flight
        self.batches_per_tick = batches_per_tick
        self.lease = timedelta(seconds=lease_s)
        self.retry_backoff_s = retry_backoff_s
        self.max_backoff_s = max_backoff_s
        self.composers: dict[str, Composer] = dict(
            DEFAULT_COMPOSERS if composers is None else composers
        )
        self.clock = clock
        self.worker_id = worker_id or _default_worker_id()
        self.crash_at = crash_at
        # The terminal chat delivers only its own user's reminders.
        self.only_user_id = only_user_id
        self.pacer = SendPacer(send_rate_per_second, per_chat_rate_per_second, rate_margin_s)
        self._stop: asyncio.Event | None = None

    @classmethod
    def from_settings(
        cls, sessions: Sessions, bot: Bot, settings: Settings, **overrides: Any
    ) -> Dispatcher:
        options: dict[str, Any] = {
            "batch_size": settings.dispatch_batch_size,
            "interval_s": settings.dispatch_interval_s,
            "send_rate_per_second": settings.send_rate_per_second,
            "per_chat_rate_per_second": settings.per_chat_rate_per_second,
        }
        return cls(sessions, bot, **(options | overrides))

    # ------------------------------------------------------------------ the loop

    async def run(self, stop: asyncio.Event) -> None:
        """Ticks until `stop` is set: again at once while work is due, else every
        `interval_s` (sooner when a retry falls due). A failed tick is logged and retried."""
        self._stop = stop
        logger.info("reminder dispatcher %s started", self.worker_id)
        try:
            while not stop.is_set():
                stats: TickStats | None = None
                try:
                    stats = await self.tick()
                except DispatcherCrash:
                    raise
                except Exception:
                    logger.exception("reminder dispatch failed; trying again shortly")
                if stats is not None and stats.more:
                    continue
                delay = self.interval_s
                if stats is not None and stats.next_retry_at is not None:
                    until_retry = (stats.next_retry_at - self.clock()).total_seconds()
                    delay = min(delay, max(until_retry, 0.05))
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), delay)
        finally:
            self._stop = None
            logger.info("reminder dispatcher %s stopped", self.worker_id)

    async def tick(self) -> TickStats:
        """Recovers, claims and leases a batch, and sends it. While full batches keep coming,
        the next one is claimed as the current one runs out (up to `batches_per_tick`), so a
        backlog flows at the full rate without a pause between batches."""
        stats = TickStats()
        now = self.clock()
        await self._recover(now, stats)
        claimed_rows = await self._claim(now, stats)
        self._crash_point("after_claim")
        jobs, leased_rows = await self._lease(self.clock(), stats)
        self._crash_point("before_send")
        stats.more = max(claimed_rows, leased_rows) >= self.batch_size
        if jobs:
            await self._send_all(jobs, stats)
        if any((stats.sent, stats.retried, stats.failed, stats.dropped, stats.unknown)):
            logger.info(
                "reminders: %d claimed, %d sent, %d retried, %d failed, %d dropped, %d unknown",
                stats.claimed,
                stats.sent,
                stats.retried,
                stats.failed,
                stats.dropped,
                stats.unknown,
            )
        return stats

    def _for_user(self, column: Any) -> list[Any]:
        return [] if self.only_user_id is None else [column == self.only_user_id]

    def _crash_point(self, point: str) -> None:
        if self.crash_at == point:
            raise DispatcherCrash(point)

    def _session(self) -> AsyncSession:
        return self.sessions()

    @staticmethod
    def _postgres(session: AsyncSession) -> bool:
        return session.get_bind().dialect.name == "postgresql"

    # ------------------------------------------------------------------ 1. recover

    async def _recover(self, now: datetime, stats: TickStats) -> None:
        async with self._session() as session, session.begin():
            back = await session.execute(
                update(Delivery)
                .where(Delivery.id.in_(_expired(Delivery.status == "claimed", now)))
                .values(status="pending", lease_until=None)
                .execution_options(**_NO_SYNC)
            )
            stats.recovered = cast(CursorResult[Any], back).rowcount or 0
            lost = await session.execute(
                update(Delivery)
                .where(Delivery.id.in_(_expired(Delivery.status == "sending", now)))
                .values(status="unknown", lease_until=None)
                .returning(Delivery.id, Delivery.user_id, Delivery.due_at)
                .execution_options(**_NO_SYNC)
            )
            for delivery_id, user_id, due_at in lost:
                stats.unknown += 1
                logger.warning(
                    "delivery %s (user %s, due %s) was being sent when its sender stopped; "
                    "it may or may not have arrived and is not sent again",
                    delivery_id,
                    user_id,
                    due_at.isoformat(),
                )
        if stats.recovered:
            logger.info("%d leased reminders were never attempted; queued again", stats.recovered)

    # ------------------------------------------------------------------ 2. claim

    async def _claim(self, now: datetime, stats: TickStats) -> int:
        """Turns due reminders into deliveries and moves them on; returns the rows taken."""
        async with self._session() as session, session.begin():
            statement = (
                select(
                    Reminder.id,
                    Reminder.user_id,
                    Reminder.kind,
                    Reminder.weekdays,
                    Reminder.local_time,
                    Reminder.timezone,
                    Reminder.next_due_at,
                    Reminder.active,
                    User.reminders_paused,
                    User.unreachable_since,
                )
                .join(User, User.id == Reminder.user_id)
                .where(Reminder.next_due_at <= now)
                .where(*self._for_user(Reminder.user_id))
                # The index order alone: a tie-breaker would sort every due row, and a whole
                # user base can be due in the same minute.
                .order_by(Reminder.next_due_at)
                .limit(self.batch_size)
            )
            if self._postgres(session):
                statement = statement.with_for_update(skip_locked=True, of=Reminder)
            rows = (await session.execute(statement)).all()
            if not rows:
                return 0
            deliveries: list[dict[str, Any]] = []
            moves: list[dict[str, Any]] = []
            for row in rows:
                try:
                    next_due_at = self._occurrences(row, now, deliveries)
                except (ValueError, KeyError):
                    # A broken schedule must not block the others: park it a day ahead.
                    logger.exception("reminder %s has an unusable schedule", row.id)
                    next_due_at = now + timedelta(days=1)
                moves.append({"id": row.id, "next_due_at": next_due_at, "updated_at": now})
            unknown_kinds = {row.kind for row in rows} - self.composers.keys()
            if unknown_kinds:
                logger.warning(
                    "no composer here for reminder kinds %s: their deliveries wait for a "
                    "process that has one",
                    sorted(unknown_kinds),
                )
            if deliveries:
                insert = pg_insert if self._postgres(session) else sqlite_insert
                # Parameters apart from the statement: it compiles once and stays cached.
                inserted = await session.execute(
                    insert(Delivery)
                    .on_conflict_do_nothing(index_elements=["reminder_id", "due_at"])
                    .returning(Delivery.status),
                    deliveries,
                )
                for (status,) in inserted:
                    if status == "pending":
                        stats.claimed += 1
                    else:
                        stats.dropped += 1
            await session.execute(update(Reminder), moves)
        return len(rows)

    def _occurrences(self, row: Any, now: datetime, deliveries: list[dict[str, Any]]) -> datetime:
        """Adds the delivery rows of a due reminder's occurrences up to `now`; returns its next
        due time after `now`. Only today's occurrence can still be sent; the oldest missed
        one is kept as "dropped", those in between are only counted in the log."""
        weekdays = list(row.weekdays)
        local_time = reminders.parse_local_time(row.local_time)
        zone = row.timezone
        if not (row.active and not row.reminders_paused and row.unreachable_since is None):
            # Nobody to remind: the series moves on without a trace, so it never piles up.
            return next_occurrence(weekdays, local_time, zone, now)
        today = occurrence_local_date(now, zone)
        due = row.next_due_at
        if occurrence_local_date(due, zone) != today:
            deliveries.append(self._delivery_row(row, due, zone, "dropped", now))
            missed = 1
            # Jump close to today rather than walk through a long outage day by day.
            due = next_occurrence(weekdays, local_time, zone, max(due, now - timedelta(days=2)))
            while due <= now and occurrence_local_date(due, zone) != today:
                missed += 1
                due = next_occurrence(weekdays, local_time, zone, due)
            logger.info(
                "reminder %s of user %s was due %s, no longer the user's day: dropped "
                "(%d missed occurrence%s at least)",
                row.id,
                row.user_id,
                row.next_due_at.isoformat(),
                missed,
                "" if missed == 1 else "s",
            )
        while due <= now:
            deliveries.append(self._delivery_row(row, due, zone, "pending", now))
            due = next_occurrence(weekdays, local_time, zone, due)
        return due

    @staticmethod
    def _delivery_row(
        row: Any, due_at: datetime, zone: str, status: str, now: datetime
    ) -> dict[str, Any]:
        return {
            "reminder_id": row.id,
            "user_id": row.user_id,
            "kind": row.kind,
            "due_at": due_at,
            "local_date": occurrence_local_date(due_at, zone),
            "status": status,
            "not_before": now,
            "lease_until": None,
            "attempts": 0,
            "message_id": None,
            "sent_at": None,
            "answered": None,
        }

    # ------------------------------------------------------------------ 3. lease

    async def _lease(self, now: datetime, stats: TickStats) -> tuple[list[_Job], int]:
        """Marks due pending deliveries "claimed" for `lease`; returns them and the rows taken."""
        async with self._session() as session, session.begin():
            statement = (
                select(
                    Delivery.id,
                    Delivery.reminder_id,
                    Delivery.user_id,
                    Delivery.kind,
                    Delivery.due_at,
                    Delivery.local_date,
                    Delivery.attempts,
                    User.chat_id,
                    User.first_name,
                    User.weight_unit,
                    Reminder.timezone,
                    Plan.split,
                    Plan.weekdays,
                    Plan.experience,
                    Plan.explosive,
                )
                .join(User, User.id == Delivery.user_id)
                .join(Reminder, Reminder.id == Delivery.reminder_id)
                .outerjoin(Plan, Plan.user_id == Delivery.user_id)
                .where(
                    Delivery.status == "pending",
                    Delivery.not_before <= now,
                    # A kind this process cannot write waits for one that can (e.g. a newer
                    # release running beside an older one).
                    Delivery.kind.in_(list(self.composers)),
                    User.reminders_paused.is_(False),
                    User.unreachable_since.is_(None),
                    *self._for_user(Delivery.user_id),
                )
                .order_by(Delivery.not_before, Delivery.id)
                .limit(self.batch_size)
            )
            if self._postgres(session):
                statement = statement.with_for_update(skip_locked=True, of=Delivery)
            rows = (await session.execute(statement)).all()
            jobs: list[_Job] = []
            stale: list[int] = []
            for row in rows:
                if row.local_date != occurrence_local_date(now, row.timezone):
                    stale.append(row.id)
                    continue
                plan = (
                    PlanInfo(
                        bool(row.split),
                        tuple(row.weekdays or ()),
                        row.experience,
                        bool(row.explosive),
                    )
                    if row.split is not None
                    else None
                )
                context = ReminderContext(
                    delivery_id=row.id,
                    reminder_id=row.reminder_id,
                    user_id=row.user_id,
                    chat_id=row.chat_id,
                    kind=row.kind,
                    due_at=row.due_at,
                    local_date=row.local_date,
                    timezone=row.timezone,
                    first_name=row.first_name,
                    weight_unit=row.weight_unit,
                    plan=plan,
                )
                jobs.append(_Job(context, row.attempts + 1))
            if stale:
                await session.execute(
                    update(Delivery)
                    .where(Delivery.id.in_(stale))
                    .values(status="dropped", lease_until=None)
                    .execution_options(**_NO_SYNC)
                )
                stats.dropped += len(stale)
                logger.info(
                    "%d reminders waited past the user's day and were dropped: %s",
                    len(stale),
                    stale[:20],
                )
            if jobs:
                await session.execute(
                    update(Delivery)
                    .where(Delivery.id.in_([job.context.delivery_id for job in jobs]))
                    .values(
                        status="claimed",
                        lease_until=now + self.lease,
                        attempts=Delivery.attempts + 1,
                    )
                    .execution_options(**_NO_SYNC)
                )
        return jobs, len(rows)

    # ------------------------------------------------------------------ 4. send

    async def _send_all(self, first: list[_Job], stats: TickStats) -> None:
        """Sends with `max_in_flight` workers fed from a queue of per-chat groups; a feeder
        tops the queue up with the next batch before it runs dry."""
        queue: asyncio.Queue[list[_Job] | None] = asyncio.Queue()
        unattempted: list[_Job] = []

        def enqueue(jobs: list[_Job]) -> None:
            by_chat: dict[int, list[_Job]] = {}
            for job in jobs:
                by_chat.setdefault(job.context.chat_id, []).append(job)
            for group in by_chat.values():
                queue.put_nowait(group)

        enqueue(first)
        workers = self.max_in_flight if stats.more else min(self.max_in_flight, queue.qsize())

        async def feed() -> None:
            try:
                batches = 1
                while stats.more and batches < self.batches_per_tick and not self._stopping():
                    while queue.qsize() > self.max_in_flight and not self._stopping():
                        await asyncio.sleep(0.02)
                    if self._stopping():
                        break
                    now = self.clock()
                    claimed_rows = await self._claim(now, stats)
                    jobs, leased_rows = await self._lease(now, stats)
                    stats.more = max(claimed_rows, leased_rows) >= self.batch_size
                    enqueue(jobs)
                    batches += 1
            except Exception:
                logger.exception("could not claim the next batch of reminders")
            finally:
                for _ in range(workers):
                    queue.put_nowait(None)

        async def work() -> None:
            while (group := await queue.get()) is not None:
                for index, job in enumerate(group):
                    if self._stopping():
                        unattempted.extend(group[index:])
                        break
                    try:
                        await self._deliver(job, stats)
                    except DispatcherCrash:
                        raise
                    except Exception:
                        # The row keeps its state; its lease running out settles it.
                        logger.exception("delivery %s failed", job.context.delivery_id)

        try:
            async with asyncio.TaskGroup() as group:
                group.create_task(feed())
                for _ in range(workers):
                    group.create_task(work())
        except BaseExceptionGroup as errors:
            crash = errors.subgroup(DispatcherCrash)
            if crash is not None:
                raise crash.exceptions[0] from None
            raise
        if unattempted:
            await self._release(unattempted)

    def _stopping(self) -> bool:
        return self._stop is not None and self._stop.is_set()

    async def _release(self, jobs: Sequence[_Job]) -> None:
        """Leased jobs not attempted (the loop is stopping) go back for anyone to send."""
        ours = [(job.context.delivery_id, job.token) for job in jobs]
        async with self._session() as session, session.begin():
            await session.execute(
                update(Delivery)
                .where(
                    Delivery.status == "claimed",
                    tuple_(Delivery.id, Delivery.attempts).in_(ours),
                )
                .values(status="pending", lease_until=None, attempts=Delivery.attempts - 1)
                .execution_options(**_NO_SYNC)
            )
        logger.info("%d leased reminders handed back on stop", len(jobs))

    async def _compose(self, context: ReminderContext) -> ReminderMessage | None:
        composer = self.composers.get(context.kind)
        if composer is None:
            raise LookupError(f"no composer for reminder kind {context.kind!r}")
        result = composer(context)
        if inspect.isawaitable(result):
            return await result
        return result

    async def _deliver(self, job: _Job, stats: TickStats) -> None:
        context = job.context
        try:
            message = await self._compose(context)
        except Exception:
            logger.exception("could not compose reminder delivery %s", context.delivery_id)
            await self._finish(job, "failed")
            stats.failed += 1
            return
        if message is None:
            await self._finish(job, "dropped")
            stats.dropped += 1
            return
        async with self.pacer.chat_turn(context.chat_id):
            if not await self._mark_sending(job):
                logger.info("delivery %s was taken over meanwhile; skipped", context.delivery_id)
                return
            self._crash_point("before_http")
            slot = await self.pacer.take_slot(context.chat_id)
            try:
                sent = await self._send(context.chat_id, message)
            except Exception as error:
                self.pacer.settle(slot)
                await self._handle_error(job, error, stats)
                return
            self.pacer.settle(slot)
        self._crash_point("after_send")
        await self._mark_sent(job, sent.message_id)
        stats.sent += 1

    async def _send(self, chat_id: int, message: ReminderMessage) -> Message:
        if message.photo is not None:
            return await self.bot.send_photo(
                chat_id,
                message.photo,
                caption=message.text_html,
                parse_mode=ParseMode.HTML,
                reply_markup=_markup(message),
                filename="reminder.png",
            )
        return await self.bot.send_message(
            chat_id, message.text_html, parse_mode=ParseMode.HTML, reply_markup=_markup(message)
        )

    async def _handle_error(self, job: _Job, error: Exception, stats: TickStats) -> None:
        context = job.context
        delivery = context.delivery_id
        described = self._describe(error)
        if isinstance(error, RetryAfter):
            # Only this message waits; the others keep their pace.
            delay = _retry_after_seconds(error)
            logger.info("Telegram asked to wait %.0f s before delivery %s", delay, delivery)
            await self._retry(job, delay, stats)
        elif isinstance(error, Forbidden) or (isinstance(error, BadRequest) and _chat_gone(error)):
            logger.warning(
                "user %s cannot be reached (%s): their reminders are stopped",
                context.user_id,
                described,
            )
            async with self._session() as session, session.begin():
                await self._set_status(session, job, "failed")
                await reminders.mark_unreachable(session, context.user_id, self.clock())
            stats.failed += 1
        elif isinstance(error, InvalidToken):
            # Telegram turned the request away before looking at it: safe to send later.
            logger.error("Telegram rejected the bot token; delivery %s waits", delivery)
            await self._retry(job, self._backoff(job), stats)
        elif isinstance(error, NetworkError) and _never_sent(error):
            logger.info("delivery %s could not reach Telegram (%s); retrying", delivery, described)
            await self._retry(job, self._backoff(job), stats)
        elif isinstance(error, BadRequest) or (
            isinstance(error, TelegramError) and not isinstance(error, NetworkError)
        ):
            logger.error("Telegram refused delivery %s: %s", delivery, described)
            await self._finish(job, "failed")
            stats.failed += 1
        else:
            # A timeout after the request went out, a dropped connection, a 5xx: Telegram
            # may have delivered it. Sending again could double it, so it stays unknown.
            logger.warning("delivery %s may not have arrived (%s); not resent", delivery, described)
            await self._finish(job, "unknown")
            stats.unknown += 1

    def _describe(self, error: Exception) -> str:
        text = f"{type(error).__name__}: {error}"
        token = getattr(self.bot, "token", "")
        return text.replace(token, "<token>") if token else text

    def _backoff(self, job: _Job) -> float:
        return min(self.max_backoff_s, self.retry_backoff_s * 2 ** max(job.token - 1, 0))

    # ------------------------------------------------------------------ status updates

    async def _mark_sending(self, job: _Job) -> bool:
        now = self.clock()
        async with self._session() as session, session.begin():
            result = await session.execute(
                update(Delivery)
                .where(
                    Delivery.id == job.context.delivery_id,
                    Delivery.status == "claimed",
                    Delivery.attempts == job.token,
                )
                .values(status="sending", lease_until=now + self.lease)
                .execution_options(**_NO_SYNC)
            )
            return cast(CursorResult[Any], result).rowcount == 1

    async def _mark_sent(self, job: _Job, message_id: int) -> None:
        async with self._session() as session, session.begin():
            await session.execute(
                update(Delivery)
                .where(Delivery.id == job.context.delivery_id)
                .values(
                    status="sent", message_id=message_id, sent_at=self.clock(), lease_until=None
                )
                .execution_options(**_NO_SYNC)
            )

    async def _retry(self, job: _Job, delay_s: float, stats: TickStats) -> None:
        not_before = self.clock() + timedelta(seconds=delay_s)
        async with self._session() as session, session.begin():
            await session.execute(
                update(Delivery)
                .where(Delivery.id == job.context.delivery_id)
                .values(status="pending", not_before=not_before, lease_until=None)
                .execution_options(**_NO_SYNC)
            )
        stats.retried += 1
        if stats.next_retry_at is None or not_before < stats.next_retry_at:
            stats.next_retry_at = not_before

    async def _finish(self, job: _Job, status: str) -> None:
        async with self._session() as session, session.begin():
            await self._set_status(session, job, status)

    @staticmethod
    async def _set_status(session: AsyncSession, job: _Job, status: str) -> None:
        await session.execute(
            update(Delivery)
            .where(Delivery.id == job.context.delivery_id)
            .values(status=status, lease_until=None)
            .execution_options(**_NO_SYNC)
        )


def _expired(in_status: ColumnElement[bool], now: datetime) -> Select[int]:
    """Ids of deliveries in a status whose lease ran out. Rows another process holds are
    skipped, so two processes recovering at once never wait on each other."""
    return (
        select(Delivery.id)
        .where(in_status, Delivery.lease_until < now)
        .with_for_update(skip_locked=True)
    )


def _markup(message: ReminderMessage) -> InlineKeyboardMarkup | None:
    if not message.choices:
        return None
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(choice.label, callback_data=choice.value) for choice in row]
            for row in message.choices
        ]
    )


def _retry_after_seconds(error: RetryAfter) -> float:
    with warnings.catch_warnings():
        # PTB warns that the attribute will become a timedelta; either form is handled.
        warnings.simplefilter("ignore")
        value = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def _chat_gone(error: BadRequest) -> bool:
    text = error.message.lower()
    return any(phrase in text for phrase in _GONE_CHAT)


def _never_sent(error: NetworkError) -> bool:
    """True when the request provably never reached Telegram (no connection was made)."""
    return isinstance(error.__cause__, _NEVER_SENT)
