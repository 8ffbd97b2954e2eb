"""The dispatcher's loop: each tick recovers expired leases, claims due reminders, leases a
batch and sends it; beside the ticks, old deliveries are pruned once an hour. See
bot.dispatcher for the whole picture."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Message
from telegram.constants import ParseMode

from bot.config import Settings
from bot.delivery_status import DeliveryStatus
from bot.dispatcher.composers import DEFAULT_COMPOSERS, Composer, compose
from bot.dispatcher.errors import Action, classify, describe
from bot.dispatcher.leader import Leadership, leadership_for
from bot.dispatcher.marks import Marks
from bot.dispatcher.pacer import InFlight, SendPacer, SendSlot
from bot.dispatcher.store import DeliveryStore, Job
from bot.dispatcher.wire import SendProgress, reports_progress, watching
from bot.storage.db import Sessions
from flows.reminders import ReminderMessage

logger = logging.getLogger(__name__)

Clock = Callable[[], datetime]
# How long a stopping dispatcher waits for a prune batch in hand (one short transaction).
PRUNE_STOP_S = 5.0


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class DispatcherConfig:
    batch_size: int = 200  # reminders claimed, and deliveries leased, at once
    interval_s: float = 5.0  # between looks for due work while there is none
    send_rate_per_second: float = 30.0
    per_chat_rate_per_second: float = 1.0
    # Sends out at once (slot to answer). None: as many as the rate needs at the larger of
    # round_trip_s and the measured round trip, at most in_flight_cap (see InFlight). The
    # bot's connection pool must be at least as large.
    max_in_flight: int | None = None
    round_trip_s: float = 0.05  # what to expect of Telegram, slot to answer
    in_flight_cap: int = 16
    marks_linger_s: float = 0.1  # how long a "sent" mark may wait for company
    batches_per_tick: int = 10  # while full batches keep coming
    lease_s: float = 120.0
    retry_backoff_s: float = 5.0  # doubled on each further attempt, up to max_backoff_s
    max_backoff_s: float = 300.0
    rate_margin_s: float = 0.03
    # Finished deliveries older than this are deleted (None: kept for good), except those the
    # user answered; every prune_every_s, prune_batch rows a transaction.
    retention_days: float | None = 90.0
    prune_every_s: float = 3600.0
    prune_batch: int = 500
    prune_pause_s: float = 0.05  # between two batches, so other writers get their turn

    def __post_init__(self) -> None:
        if self.batch_size < 1 or self.in_flight_cap < 1 or self.prune_batch < 1:
            raise ValueError("batch_size, in_flight_cap and prune_batch must be at least 1")
        if self.max_in_flight is not None and self.max_in_flight < 1:
            raise ValueError("max_in_flight must be at least 1")

    @property
    def workers(self) -> int:
        """Sending tasks: as many as may ever be out at once."""
        return self.max_in_flight or self.in_flight_cap

    @classmethod
    def from_settings(cls, settings: Settings) -> DispatcherConfig:
        return cls(
            batch_size=settings.dispatch_batch_size,
            interval_s=settings.dispatch_interval_s,
            send_rate_per_second=settings.send_rate_per_second,
            per_chat_rate_per_second=settings.per_chat_rate_per_second,
            retention_days=settings.delivery_retention_days,
        )


class Checkpoints:
    """Named points in a dispatcher's work; here each is a no-op. Tests pass a subclass that
    stops the dispatcher at one as abruptly as a killed process, by raising an exception
    that is not an Exception (nothing in the dispatcher catches those)."""

    AFTER_CLAIM = "after_claim"  # the claim committed
    BEFORE_SEND = "before_send"  # the lease committed, before any attempt
    BEFORE_HTTP = "before_http"  # "sending" committed, before the request's first byte
    AFTER_SEND = "after_send"  # Telegram accepted the message, before "sent" is saved

    def reached(self, point: str) -> None:
        """Called at each point."""


@dataclass
class TickStats:
    claimed: int = 0  # occurrences that became pending deliveries
    sent: int = 0
    retried: int = 0  # back to pending for later (429, known not delivered)
    failed: int = 0  # Telegram refused for good (blocked, chat gone, bad message)
    dropped: int = 0  # too late for the user's day, or nothing to send
    unknown: int = 0  # may or may not have arrived; not sent again
    recovered: int = 0  # leases that ran out before any attempt, back to pending
    resent: int = 0  # being sent when their sender stopped; to be sent again
    more: bool = False  # a batch came back full: more work is probably due right now
    next_retry_at: datetime | None = None  # the earliest retry scheduled in this tick


def _default_worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


class Dispatcher:
    """Sends due reminders; see bot.dispatcher for how.

    `clock` gives the time the database sees (due times, leases, retries); pacing always
    follows the real clock. `composers` maps a reminder kind to the function that writes its
    message. Fields of `config` may also be given one by one as keywords.
    """

    def __init__(
        self,
        sessions: Sessions,
        bot: Bot,
        config: DispatcherConfig | None = None,
        *,
        composers: Mapping[str, Composer] | None = None,
        clock: Clock = utc_now,
        worker_id: str | None = None,
        only_user_id: int | None = None,  # the terminal chat delivers its own user's alone
        checkpoints: Checkpoints | None = None,
        elect: bool | None = None,
        leadership: Leadership | None = None,
        **config_fields: Any,
    ) -> None:
        self.config = replace(config or DispatcherConfig(), **config_fields)
        self.bot = bot
        self.composers: dict[str, Composer] = dict(
            DEFAULT_COMPOSERS if composers is None else composers
        )
        self.clock = clock
        self.worker_id = worker_id or _default_worker_id()
        self.checkpoints = checkpoints or Checkpoints()
        self.store = DeliveryStore(
            sessions,
            batch_size=self.config.batch_size,
            lease=timedelta(seconds=self.config.lease_s),
            kinds=self.composers.keys(),
            only_user_id=only_user_id,
        )
        self.pacer = SendPacer(
            self.config.send_rate_per_second,
            self.config.per_chat_rate_per_second,
            self.config.rate_margin_s,
        )
        self.in_flight = InFlight(
            self.config.send_rate_per_second,
            self.config.round_trip_s,
            self.config.in_flight_cap,
            self.config.max_in_flight,
        )
        # Without a DeliveryRequest the send is marked "sending" right before it is made.
        self._marks_on_the_wire = reports_progress(bot)
        self._stop: asyncio.Event | None = None
        # Who sends (bot.dispatcher.leader): on a PostgreSQL engine one elected leader at a
        # time (unless `elect` is False), elsewhere every dispatcher.
        self.leadership = leadership or leadership_for(
            sessions.kw.get("bind"),
            self.worker_id,
            elect=False if only_user_id is not None and elect is None else elect,
        )
        self.leading = False

    @classmethod
    def from_settings(
        cls, sessions: Sessions, bot: Bot, settings: Settings, **options: Any
    ) -> Dispatcher:
        return cls(sessions, bot, DispatcherConfig.from_settings(settings), **options)

    @property
    def max_in_flight(self) -> int:
        """The most sends allowed out at once, as things stand."""
        return self.in_flight.limit

    # ------------------------------------------------------------------ the loop

    async def run(self, stop: asyncio.Event) -> None:
        """Sends until `stop` is set. Where leaders are elected, stands by until this process
        leads, and again whenever it stops leading; a new leader first takes back every
        delivery the last one left claimed or sending."""
        logger.info("reminder dispatcher %s started", self.worker_id)
        leadership = self.leadership
        standing_by = False
        try:
            while not stop.is_set():
                if not await leadership.acquire():
                    if not standing_by:
                        logger.info(
                            "reminder dispatcher %s stands by: another process holds the "
                            "dispatch lock",
                            self.worker_id,
                        )
                        standing_by = True
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(stop.wait(), self.config.interval_s)
                    continue
                standing_by = False
                if leadership.elected:
                    logger.info(
                        "reminder dispatcher %s leads: it holds the dispatch lock and sends",
                        self.worker_id,
                    )
                await self._lead(stop, leadership.lost, take_over=leadership.elected)
                if not stop.is_set():
                    # Lost: give up the connection; the election settles who leads next.
                    await leadership.release()
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(stop.wait(), self.config.interval_s)
        finally:
            await leadership.release()
            logger.info("reminder dispatcher %s stopped", self.worker_id)

    async def _lead(self, stop: asyncio.Event, lost: asyncio.Event, *, take_over: bool) -> None:
        """Ticks while this process may send: again at once while work is due, else every
        `interval_s` (sooner when a retry falls due). A failed tick is logged and retried."""
        term = asyncio.Event()  # stop, or the leadership lost

        async def watch() -> None:
            waits = [asyncio.create_task(stop.wait()), asyncio.create_task(lost.wait())]
            try:
                await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
            finally:
                for waiting in waits:
                    waiting.cancel()
                term.set()

        watcher = asyncio.create_task(watch(), name="dispatcher-term")
        self._stop = term
        self.leading = True
        pruning = asyncio.create_task(self._prune_regularly(term), name="delivery-pruning")
        first = take_over
        try:
            if take_over:
                # What the last leader sent within its last second still counts at
                # Telegram: a new leader's pacer, which knows nothing of it, waits that out.
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(term.wait(), self.pacer.window_s)
            while not term.is_set():
                stats: TickStats | None = None
                try:
                    stats = await self.tick(take_over=first)
                    first = False
                except Exception:
                    logger.exception("reminder dispatch failed; trying again shortly")
                if stats is not None and stats.more:
                    continue
                delay = self.config.interval_s
                if stats is not None and stats.next_retry_at is not None:
                    until_retry = (stats.next_retry_at - self.clock()).total_seconds()
                    delay = min(delay, max(until_retry, 0.05))
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(term.wait(), delay)
        finally:
            self.leading = False
            # Pruning ends after the batch in hand once `term` is set; cancelled inside a
            # transaction it would leave its connection to be reset by the garbage collector.
            term.set()
            finished, _ = await asyncio.wait({pruning}, timeout=PRUNE_STOP_S)
            for task in (watcher,) if finished else (pruning, watcher):
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            self._stop = None

    async def _prune_regularly(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                await self.prune()
            except Exception:
                logger.exception("pruning old deliveries failed; trying again later")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), self.config.prune_every_s)

    async def prune(self) -> int:
        """Deletes finished deliveries older than the retention, a small batch a transaction
        (see DeliveryStore.prune); returns how many went."""
        if self.config.retention_days is None:
            return 0
        before = self.clock() - timedelta(days=self.config.retention_days)
        total = 0
        while True:
            count = await self.store.prune(before, self.config.prune_batch)
            total += count
            if count < self.config.prune_batch or self._stopping():
                break
            await asyncio.sleep(self.config.prune_pause_s)
        if total:
            logger.info("%d deliveries due before %s pruned", total, before.date().isoformat())
        return total

    async def tick(self, *, take_over: bool = False) -> TickStats:
        """Recovers, claims and leases a batch, and sends it. While full batches keep coming,
        the next one is claimed as the current one runs out (up to `batches_per_tick`), so a
        backlog flows at the full rate without a pause between batches. With `take_over`
        (a new leader's first tick), every lease is recovered, run out or not. A tick called
        by itself (not from `run`) sends whether this process leads or not."""
        stats = TickStats()
        jobs = await self._claim_and_lease(stats, recover=True, everything=take_over)
        self.checkpoints.reached(Checkpoints.AFTER_CLAIM)
        self.checkpoints.reached(Checkpoints.BEFORE_SEND)
        if jobs:
            await self._send_all(jobs, stats)
        if any((stats.sent, stats.retried, stats.failed, stats.dropped, stats.unknown)):
            logger.info(
                "reminders: %d claimed, %d sent, %d retried, %d failed, %d dropped, "
                "%d unknown, %d to send again",
                stats.claimed,
                stats.sent,
                stats.retried,
                stats.failed,
                stats.dropped,
                stats.unknown,
                stats.resent,
            )
        return stats

    async def _claim_and_lease(
        self, stats: TickStats, *, recover: bool = False, everything: bool = False
    ) -> list[Job]:
        recovered, claimed, leased = await self.store.take_batch(
            self.clock(), recover=recover, everything=everything
        )
        stats.recovered += recovered.requeued
        stats.resent += recovered.resent
        stats.unknown += recovered.unknown
        stats.claimed += claimed.pending
        stats.dropped += claimed.dropped + leased.dropped
        stats.more = max(claimed.rows, leased.rows) >= self.config.batch_size
        return leased.jobs

    # ------------------------------------------------------------------ sending

    async def _send_all(self, first: list[Job], stats: TickStats) -> None:
        """Sends with workers fed from a queue of per-chat groups, at most `max_in_flight`
        of them out at once; a feeder tops the queue up with the next batch before it runs
        dry. The round's marks are written in groups (Marks) and settled before it ends."""
        round_ = _SendRound(self, stats)
        round_.enqueue(first)
        workers = (
            self.config.workers if stats.more else min(self.config.workers, round_.queue.qsize())
        )
        abrupt = True
        try:
            async with asyncio.TaskGroup() as group:
                group.create_task(round_.feed(workers))
                for _ in range(workers):
                    group.create_task(round_.work())
            abrupt = False
        except BaseExceptionGroup as errors:
            # Anything that is not an Exception stops the dispatcher as it is.
            stops = [error for error in errors.exceptions if not isinstance(error, Exception)]
            if stops:
                raise stops[0] from None
            abrupt = False
            raise
        finally:
            # A dispatcher stopped dead writes nothing more, as a killed process would not.
            await round_.marks.close(flush=not abrupt)
        if round_.unattempted:
            await self.store.release(round_.unattempted)

    def _stopping(self) -> bool:
        return self._stop is not None and self._stop.is_set()

    async def _deliver(self, job: Job, stats: TickStats, marks: Marks) -> None:
        context = job.context
        try:
            message = await compose(self.composers, context)
        except Exception:
            logger.exception("could not compose reminder delivery %s", context.delivery_id)
            await self.store.finish(job, DeliveryStatus.FAILED)
            stats.failed += 1
            return
        if message is None:
            await self.store.finish(job, DeliveryStatus.DROPPED)
            stats.dropped += 1
            return
        failure: Exception | None = None
        async with self.pacer.chat_turn(context.chat_id), self.in_flight.turn():
            # Until its request leaves, a delivery stays "claimed": a stop while it waits
            # for its slot hands it to the next process instead of losing it.
            slot = await self.pacer.take_slot(context.chat_id)
            progress = SendProgress(lambda: self._leaving(job, slot, marks))
            try:
                with watching(progress):
                    if not self._marks_on_the_wire:
                        await progress.leaving_unobserved()
                    sent = await self._send(context.chat_id, message)
            except Exception as error:
                failure = error
            self.pacer.settle(slot)
            if failure is None:
                # Telegram's round trip alone: a wait for the database does not call for
                # more messages out at once.
                departed = slot.started_at if slot.departed_at is None else slot.departed_at
                self.in_flight.record(time.monotonic() - departed)
        if failure is not None:
            if progress.aborted:
                logger.info("delivery %s was taken over; skipped", context.delivery_id)
            else:
                await self._handle_error(job, failure, progress, stats)
            return
        self.checkpoints.reached(Checkpoints.AFTER_SEND)
        marks.sent(job, sent.message_id)
        stats.sent += 1

    async def _leaving(self, job: Job, slot: SendSlot, marks: Marks) -> bool:
        marked = await marks.sending(job)
        if marked:
            self.pacer.depart(slot)
            self.checkpoints.reached(Checkpoints.BEFORE_HTTP)
        return marked

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

    async def _handle_error(
        self, job: Job, error: Exception, progress: SendProgress, stats: TickStats
    ) -> None:
        context = job.context
        verdict = classify(error, progress)
        described = describe(error, getattr(self.bot, "token", ""))
        if verdict.action is Action.WAIT:
            # Only this message waits; the others keep their pace.
            logger.info(
                "Telegram asked to wait %.0f s before delivery %s",
                verdict.wait_s,
                context.delivery_id,
            )
            await self._retry(job, verdict.wait_s, stats)
        elif verdict.action is Action.UNREACHABLE:
            logger.warning(
                "user %s cannot be reached (%s): their reminders are stopped",
                context.user_id,
                described,
            )
            await self.store.fail_unreachable(job, self.clock())
            stats.failed += 1
        elif verdict.action is Action.RETRY:
            logger.log(
                verdict.log_level,
                "delivery %s did not reach Telegram: %s (%s); retrying",
                context.delivery_id,
                verdict.reason,
                described,
            )
            await self._retry(job, self._backoff(job), stats)
        elif verdict.action is Action.FAILED:
            logger.error("Telegram refused delivery %s: %s", context.delivery_id, described)
            await self.store.finish(job, DeliveryStatus.FAILED)
            stats.failed += 1
        else:
            logger.warning(
                "delivery %s may not have arrived (%s); not resent", context.delivery_id, described
            )
            await self.store.finish(job, DeliveryStatus.UNKNOWN)
            stats.unknown += 1

    def _backoff(self, job: Job) -> float:
        config = self.config
        doublings: int = max(job.token - 1, 0)
        return min(config.max_backoff_s, config.retry_backoff_s * 2.0**doublings)

    async def _retry(self, job: Job, delay_s: float, stats: TickStats) -> None:
        not_before = self.clock() + timedelta(seconds=delay_s)
        await self.store.retry(job, not_before)
        stats.retried += 1
        if stats.next_retry_at is None or not_before < stats.next_retry_at:
            stats.next_retry_at = not_before


def _markup(message: ReminderMessage) -> InlineKeyboardMarkup | None:
    if not message.choices:
        return None
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(choice.label, callback_data=choice.value) for choice in row]
            for row in message.choices
        ]
    )


class _SendRound:
    """One tick's sending: a queue of per-chat groups, its feeder and its workers."""

    def __init__(self, dispatcher: Dispatcher, stats: TickStats) -> None:
        self.dispatcher = dispatcher
        self.stats = stats
        self.queue: asyncio.Queue[list[Job] | None] = asyncio.Queue()
        self.unattempted: list[Job] = []
        self.marks = Marks(
            dispatcher.store,
            dispatcher.clock,
            dispatcher.config.marks_linger_s,
            # While leading, "sending" is written in the session holding the lock.
            dispatcher.leadership.connection
            if dispatcher.leading and dispatcher.leadership.elected
            else None,
        )

    def enqueue(self, jobs: list[Job]) -> None:
        by_chat: dict[int, list[Job]] = {}
        for job in jobs:
            by_chat.setdefault(job.context.chat_id, []).append(job)
        for group in by_chat.values():
            self.queue.put_nowait(group)

    async def feed(self, workers: int) -> None:
        dispatcher, stats = self.dispatcher, self.stats
        try:
            batches = 1
            while (
                stats.more
                and batches < dispatcher.config.batches_per_tick
                and not dispatcher._stopping()
            ):
                while self.queue.qsize() > workers and not dispatcher._stopping():
                    await asyncio.sleep(0.02)
                if dispatcher._stopping():
                    break
                self.enqueue(await dispatcher._claim_and_lease(stats))
                batches += 1
        except Exception:
            logger.exception("could not claim the next batch of reminders")
        finally:
            for _ in range(workers):
                self.queue.put_nowait(None)

    async def work(self) -> None:
        while (group := await self.queue.get()) is not None:
            for index, job in enumerate(group):
                if self.dispatcher._stopping():
                    self.unattempted.extend(group[index:])
                    break
                try:
                    await self.dispatcher._deliver(job, self.stats, self.marks)
                except Exception:
                    # The row keeps its state; its lease running out settles it.
                    logger.exception("delivery %s failed", job.context.delivery_id)
