"""The deliveries table as the dispatcher's work list: every statement the dispatcher runs.

recover: a lease that ran out on a "claimed" delivery (never attempted) puts it back to
  "pending". One that ran out on a "sending" delivery (its sender stopped after its request
  began to leave, before Telegram's answer was saved: it may or may not have arrived) is
  sent again while still timely, i.e. on the user's same local day and within
  MAX_ATTEMPTS attempts; otherwise it is "unknown". A copy that arrives twice carries the
  same delivery id in its buttons, so either is the same answer. One the user answered
  meanwhile did arrive: it is "sent". A new leader (bot.dispatcher.leader) recovers every
  "claimed" and "sending" delivery at once, leases or not: no other dispatcher sends.
claim: due reminders become delivery rows, one per occurrence, unique on (reminder_id,
  due_at), and move on to their next occurrence, in one transaction. An occurrence missed
  while the bot was down is still delivered on the user's same local day, else recorded as
  "dropped". Reminders of paused or unreachable users just move on.
lease: pending deliveries whose time has come are marked "claimed" for a while; the lease's
  token (the attempts count) tells a later writer whether the row is still its own.
  `take_batch` recovers, claims and leases in one transaction.
write_marks: "sending" and "sent" for any number of deliveries in one UPDATE, so a group of
  sends costs one statement (bot.dispatcher.marks gathers them).
retry / finish: one small UPDATE each.
prune: finished deliveries past the retention period are deleted in small batches, except
  those the user answered (leg days done or skipped), which streaks, summaries and /export
  read.

Claim and lease lock rows with FOR UPDATE SKIP LOCKED on PostgreSQL, so several processes
share the work; SQLite serializes writers (BEGIN IMMEDIATE), which has the same effect.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import (
    ColumnElement,
    CursorResult,
    Select,
    String,
    TextClause,
    bindparam,
    delete,
    literal_column,
    select,
    text,
    tuple_,
    update,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from bot import reminders
from bot.delivery_status import DeliveryStatus
from bot.dispatcher.composers import PlanInfo, ReminderContext
from bot.storage.db import Sessions
from bot.storage.models import Delivery, Plan, Reminder, User
from flows import i18n
from flows.schedule import next_occurrence, occurrence_local_date

logger = logging.getLogger(__name__)

_NO_SYNC = {"synchronize_session": False}

# A delivery found "sending" after its sender stopped is sent again up to this many attempts
# in all (leases), so a message that itself brings the process down cannot do so forever.
MAX_ATTEMPTS = 5


@dataclass
class Job:
    context: ReminderContext
    token: int  # deliveries.attempts as our lease set it: a lease taken over changes it


@dataclass
class Recovered:
    requeued: int = 0  # leases that ran out before any attempt, back to pending
    resent: int = 0  # being sent when their sender stopped: to be sent again
    unknown: int = 0  # being sent when their sender stopped, too late to send again
    settled: int = 0  # being sent when their sender stopped, and answered since: sent


@dataclass
class Claimed:
    rows: int = 0  # reminders taken (a full batch means more are probably due)
    pending: int = 0  # occurrences that became pending deliveries
    dropped: int = 0  # occurrences too late for the user's day


@dataclass
class Leased:
    jobs: list[Job]
    rows: int = 0
    dropped: int = 0  # waited past the user's day


@dataclass(frozen=True)
class Mark:
    """One delivery's next status: SENDING (its request is about to leave; only while the
    lease is still ours) or SENT (Telegram took it, as message `message_id`)."""

    job: Job
    status: DeliveryStatus
    message_id: int | None = None


# Finished deliveries, which nothing reads again once they are older than the retention,
# unless the user answered them (see _prunable).
FINISHED = (
    DeliveryStatus.SENT,
    DeliveryStatus.FAILED,
    DeliveryStatus.DROPPED,
    DeliveryStatus.UNKNOWN,
)

# One UPDATE for a group of marks. A "sending" mark takes effect only while the row is still
# claimed under our lease token; RETURNING says which did. The marks travel as arrays on
# PostgreSQL and as one JSON array on SQLite, so the statement's text never changes (and is
# prepared once per connection).
_MARKS_SET = """
UPDATE deliveries SET
    status = m.status,
    lease_until = CASE WHEN m.status = 'sending' THEN {lease_until} END,
    message_id = COALESCE(m.message_id, deliveries.message_id),
    sent_at = CASE WHEN m.status = 'sent' THEN {sent_at} ELSE deliveries.sent_at END
FROM {marks}
WHERE deliveries.id = m.id
  AND (m.status <> 'sending' OR (deliveries.status = 'claimed' AND deliveries.attempts = m.token))
RETURNING deliveries.id, deliveries.status
"""
_MARKS_POSTGRES = _MARKS_SET.format(
    lease_until="CAST(:lease_until AS TIMESTAMP WITH TIME ZONE)",
    sent_at="CAST(:sent_at AS TIMESTAMP WITH TIME ZONE)",
    marks="unnest(CAST(:ids AS INTEGER[]), CAST(:statuses AS VARCHAR[]), "
    "CAST(:tokens AS INTEGER[]), CAST(:message_ids AS BIGINT[])) "
    "AS m(id, status, token, message_id)",
)
_MARKS_SQLITE = _MARKS_SET.format(
    lease_until=":lease_until",
    sent_at=":sent_at",
    marks="(SELECT json_extract(value, '$[0]') AS id, json_extract(value, '$[1]') AS status, "
    "json_extract(value, '$[2]') AS token, json_extract(value, '$[3]') AS message_id "
    "FROM json_each(:marks)) AS m",
)


def _marks_statement(postgres: bool) -> TextClause:
    stamp = Delivery.__table__.c.sent_at.type
    return text(_MARKS_POSTGRES if postgres else _MARKS_SQLITE).bindparams(
        bindparam("lease_until", type_=stamp), bindparam("sent_at", type_=stamp)
    )


_MARKS = {True: _marks_statement(True), False: _marks_statement(False)}


class DeliveryStore:
    """Claims, leases and settles deliveries. `kinds` are the reminder kinds this process can
    write; with `only_user_id`, it sees that user's reminders alone (the terminal chat)."""

    def __init__(
        self,
        sessions: Sessions,
        *,
        batch_size: int,
        lease: timedelta,
        kinds: Collection[str],
        only_user_id: int | None = None,
    ) -> None:
        self.sessions = sessions
        self.batch_size = batch_size
        self.lease_time = lease
        self.kinds = frozenset(kinds)
        self.only_user_id = only_user_id

    def _for_user(self, column: Any) -> list[Any]:
        return [] if self.only_user_id is None else [column == self.only_user_id]

    @staticmethod
    def _postgres(session: AsyncSession) -> bool:
        return session.get_bind().dialect.name == "postgresql"

    # ------------------------------------------------------------------ recover

    async def take_batch(
        self, now: datetime, *, recover: bool, everything: bool = False
    ) -> tuple[Recovered, Claimed, Leased]:
        """Recovers expired leases (when asked; with `everything`, all leases, as a new
        leader does), claims due reminders and leases a batch, in one transaction."""
        async with self.sessions() as session, session.begin():
            recovered = (
                await self._recover(session, now, everything=everything) if recover else Recovered()
            )
            claimed = await self._claim(session, now)
            leased = await self._lease(session, now)
        if recovered.requeued:
            logger.info(
                "%d leased reminders were never attempted; queued again", recovered.requeued
            )
        return recovered, claimed, leased

    async def recover(self, now: datetime, *, everything: bool = False) -> Recovered:
        async with self.sessions() as session, session.begin():
            recovered = await self._recover(session, now, everything=everything)
        if recovered.requeued:
            logger.info(
                "%d leased reminders were never attempted; queued again", recovered.requeued
            )
        return recovered

    async def _recover(
        self, session: AsyncSession, now: datetime, *, everything: bool = False
    ) -> Recovered:
        recovered = Recovered()
        back = await session.execute(
            update(Delivery)
            .where(
                Delivery.id.in_(
                    _expired(Delivery.status == DeliveryStatus.CLAIMED, now, everything)
                )
            )
            .values(status=DeliveryStatus.PENDING, lease_until=None)
            .execution_options(**_NO_SYNC)
        )
        recovered.requeued = cast(CursorResult[Any], back).rowcount or 0
        unsure = (
            await session.execute(
                select(
                    Delivery.id,
                    Delivery.user_id,
                    Delivery.due_at,
                    Delivery.local_date,
                    Delivery.attempts,
                    Delivery.answered,
                    Reminder.timezone,
                )
                .outerjoin(Reminder, Reminder.id == Delivery.reminder_id)
                .where(
                    Delivery.id.in_(
                        _expired(Delivery.status == DeliveryStatus.SENDING, now, everything)
                    )
                )
            )
        ).all()
        fates: dict[DeliveryStatus, list[int]] = {}
        for row in unsure:
            if row.answered is not None:
                fate = DeliveryStatus.SENT  # a button of it was pressed: it arrived
                recovered.settled += 1
            elif (
                row.attempts < MAX_ATTEMPTS
                and row.timezone is not None
                and row.local_date == occurrence_local_date(now, row.timezone)
            ):
                fate = DeliveryStatus.PENDING
                recovered.resent += 1
            else:
                fate = DeliveryStatus.UNKNOWN
                recovered.unknown += 1
            fates.setdefault(fate, []).append(row.id)
            logger.warning(
                "delivery %s (user %s, due %s) was being sent when its sender stopped; it "
                "may or may not have arrived: %s",
                row.id,
                row.user_id,
                row.due_at.isoformat(),
                {
                    DeliveryStatus.SENT: "answered since, so it did",
                    DeliveryStatus.PENDING: "sent again",
                    DeliveryStatus.UNKNOWN: "too late or tried too often to send again",
                }[fate],
            )
        for fate, ids in fates.items():
            values: dict[str, Any] = {"status": fate, "lease_until": None}
            if fate is DeliveryStatus.PENDING:
                values["not_before"] = now
            await session.execute(
                update(Delivery)
                .where(Delivery.id.in_(ids))
                .values(**values)
                .execution_options(**_NO_SYNC)
            )
        return recovered

    # ------------------------------------------------------------------ claim

    async def claim(self, now: datetime) -> Claimed:
        """Turns due reminders into deliveries and moves them on."""
        async with self.sessions() as session, session.begin():
            return await self._claim(session, now)

    async def _claim(self, session: AsyncSession, now: datetime) -> Claimed:
        claimed = Claimed()
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
        claimed.rows = len(rows)
        if not rows:
            return claimed
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
        unknown_kinds = {row.kind for row in rows} - self.kinds
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
                if status == DeliveryStatus.PENDING:
                    claimed.pending += 1
                else:
                    claimed.dropped += 1
        await session.execute(update(Reminder), moves)
        return claimed

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
        due: datetime = row.next_due_at
        if occurrence_local_date(due, zone) != today:
            deliveries.append(_delivery_row(row, due, zone, DeliveryStatus.DROPPED, now))
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
            deliveries.append(_delivery_row(row, due, zone, DeliveryStatus.PENDING, now))
            due = next_occurrence(weekdays, local_time, zone, due)
        return due

    # ------------------------------------------------------------------ lease

    async def lease(self, now: datetime) -> Leased:
        """Marks due pending deliveries "claimed" for `lease_time` and returns them as jobs."""
        async with self.sessions() as session, session.begin():
            return await self._lease(session, now)

    async def _lease(self, session: AsyncSession, now: datetime) -> Leased:
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
                User.language,
                Reminder.timezone,
                Plan.split,
                Plan.weekdays,
                Plan.experience,
                Plan.explosive,
                Plan.deload_from,
                Plan.scheme_shift,
            )
            .join(User, User.id == Delivery.user_id)
            .join(Reminder, Reminder.id == Delivery.reminder_id)
            .outerjoin(Plan, Plan.user_id == Delivery.user_id)
            .where(
                Delivery.status == DeliveryStatus.PENDING,
                Delivery.not_before <= now,
                # A kind this process cannot write waits for one that can (e.g. a newer
                # release running beside an older one).
                Delivery.kind.in_(sorted(self.kinds)),
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
        leased = Leased([], len(rows))
        stale: list[int] = []
        for row in rows:
            if row.local_date != occurrence_local_date(now, row.timezone):
                stale.append(row.id)
                continue
            leased.jobs.append(Job(_context(row), row.attempts + 1))
        if stale:
            await _set_status(session, stale, DeliveryStatus.DROPPED)
            leased.dropped = len(stale)
            logger.info(
                "%d reminders waited past the user's day and were dropped: %s",
                len(stale),
                stale[:20],
            )
        if leased.jobs:
            await session.execute(
                update(Delivery)
                .where(Delivery.id.in_([job.context.delivery_id for job in leased.jobs]))
                .values(
                    status=DeliveryStatus.CLAIMED,
                    lease_until=now + self.lease_time,
                    attempts=Delivery.attempts + 1,
                )
                .execution_options(**_NO_SYNC)
            )
        return leased

    async def release(self, jobs: Sequence[Job]) -> None:
        """Leased jobs not attempted (the loop is stopping) go back for anyone to send."""
        ours = [(job.context.delivery_id, job.token) for job in jobs]
        async with self.sessions() as session, session.begin():
            await session.execute(
                update(Delivery)
                .where(
                    Delivery.status == DeliveryStatus.CLAIMED,
                    tuple_(Delivery.id, Delivery.attempts).in_(ours),
                )
                .values(
                    status=DeliveryStatus.PENDING, lease_until=None, attempts=Delivery.attempts - 1
                )
                .execution_options(**_NO_SYNC)
            )
        logger.info("%d leased reminders handed back on stop", len(jobs))

    # ------------------------------------------------------------------ one delivery

    async def write_marks(
        self, connection: AsyncConnection, marks: Sequence[Mark], now: datetime
    ) -> set[int]:
        """Writes a group of marks in one UPDATE on `connection` (the caller commits, or runs
        it in autocommit); returns the ids of the deliveries now "sending" by our hand."""
        postgres = connection.dialect.name == "postgresql"
        params: dict[str, Any] = {"lease_until": now + self.lease_time, "sent_at": now}
        if postgres:
            params |= {
                "ids": [mark.job.context.delivery_id for mark in marks],
                "statuses": [str(mark.status) for mark in marks],
                "tokens": [mark.job.token for mark in marks],
                "message_ids": [mark.message_id for mark in marks],
            }
        else:
            params["marks"] = json.dumps(
                [
                    [
                        mark.job.context.delivery_id,
                        str(mark.status),
                        mark.job.token,
                        mark.message_id,
                    ]
                    for mark in marks
                ]
            )
        result = await connection.execute(_MARKS[postgres], params)
        return {row[0] for row in result if row[1] == DeliveryStatus.SENDING}

    async def retry(self, job: Job, not_before: datetime) -> None:
        """Known not delivered: back to pending, to be leased again from `not_before`."""
        async with self.sessions() as session, session.begin():
            await session.execute(
                update(Delivery)
                .where(Delivery.id == job.context.delivery_id)
                .values(status=DeliveryStatus.PENDING, not_before=not_before, lease_until=None)
                .execution_options(**_NO_SYNC)
            )

    async def finish(self, job: Job, status: DeliveryStatus) -> None:
        async with self.sessions() as session, session.begin():
            await _set_status(session, [job.context.delivery_id], status)

    async def fail_unreachable(self, job: Job, now: datetime) -> None:
        """Telegram refused the chat for good: this delivery fails, the user's reminders stop."""
        async with self.sessions() as session, session.begin():
            await _set_status(session, [job.context.delivery_id], DeliveryStatus.FAILED)
            await reminders.mark_unreachable(session, job.context.user_id, now)

    # ------------------------------------------------------------------ retention

    def prunable(self, before: datetime, batch: int, *, postgres: bool) -> Select[int]:
        """Ids of up to `batch` finished deliveries due before `before`, oldest first, that
        may go: all but those the user answered (_prunable)."""
        # Without statistics SQLite would rather read every finished row by status and sort
        # them all; "+status" keeps it off that index and on the partial one, which gives
        # the oldest prunable rows in order.
        status = Delivery.status if postgres else literal_column("+deliveries.status", String)
        return (
            select(Delivery.id)
            .where(
                Delivery.due_at < before,
                _prunable(),
                status.in_(FINISHED),
                *self._for_user(Delivery.user_id),
            )
            .order_by(Delivery.due_at)
            .limit(batch)
        )

    async def prune(self, before: datetime, batch: int) -> int:
        """Deletes one batch of `prunable` deliveries in a transaction of its own, so locks
        are held only briefly; returns how many went."""
        async with self.sessions() as session, session.begin():
            doomed = self.prunable(before, batch, postgres=self._postgres(session))
            if self._postgres(session):
                # Rows someone holds (a button being answered) wait for the next round.
                doomed = doomed.with_for_update(skip_locked=True)
            result = await session.execute(
                delete(Delivery).where(Delivery.id.in_(doomed)).execution_options(**_NO_SYNC)
            )
            return cast(CursorResult[Any], result).rowcount or 0


async def _set_status(session: AsyncSession, ids: list[int], status: DeliveryStatus) -> None:
    await session.execute(
        update(Delivery)
        .where(Delivery.id.in_(ids))
        .values(status=status, lease_until=None)
        .execution_options(**_NO_SYNC)
    )


def _prunable() -> TextClause:
    """Rows that may ever be pruned: those nobody answered. A reminder answered with a
    button (a leg day done or skipped, a snooze) is the user's training record: streaks,
    progress summaries (bot.reminders.leg_days_done) and /export read it, so it is kept for
    good. This is the predicate of the partial index on (due_at) that finds prunable rows
    (migration 0005), in the same words, which both databases need to see that it applies."""
    return text("answered IS NULL")


def _expired(in_status: ColumnElement[bool], now: datetime, everything: bool) -> Select[int]:
    """Ids of deliveries in a status whose lease ran out (with `everything`, whether it ran
    out or not). Rows another process holds are skipped, so two processes recovering at
    once never wait on each other."""
    conditions = [in_status] if everything else [in_status, Delivery.lease_until < now]
    return select(Delivery.id).where(*conditions).with_for_update(skip_locked=True)


def _delivery_row(
    row: Any, due_at: datetime, zone: str, status: DeliveryStatus, now: datetime
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


# The fields of ReminderContext that a leased row has under the same name.
_CONTEXT_COLUMNS = (
    "reminder_id",
    "user_id",
    "chat_id",
    "kind",
    "due_at",
    "local_date",
    "timezone",
    "first_name",
    "weight_unit",
)


def _context(row: Any) -> ReminderContext:
    plan = (
        PlanInfo(
            bool(row.split),
            tuple(row.weekdays or ()),
            row.experience,
            bool(row.explosive),
            row.deload_from,
            row.scheme_shift or 0,
        )
        if row.split is not None
        else None
    )
    return ReminderContext(
        delivery_id=row.id,
        **{name: getattr(row, name) for name in _CONTEXT_COLUMNS},
        plan=plan,
        language=i18n.supported(row.language),
    )
