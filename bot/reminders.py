"""Reminders in storage: scheduling, pausing, reachability, button answers, answered leg days.

Every function works inside the caller's transaction (an AsyncSession) and takes `now`; none
commits. Sending is bot.dispatcher's job; this module only changes what it will find.

reminders.active is False only while the user cannot be reached (blocked the bot, chat gone);
pausing is users.reminders_paused, so the two never undo each other.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import Result, literal, select, union_all, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from bot.delivery_status import DeliveryStatus
from bot.storage.models import Delivery, LoggedSet, Reminder, User
from flows import reminders as pure
from flows.schedule import next_occurrence, occurrence_local_date
from flows.texts import reminders as texts

logger = logging.getLogger(__name__)

KINDS = ("leg_day", "checkin", "summary")
# Deliveries not yet handed to Telegram: safe to drop when the user pauses or resumes.
UNSENT = (DeliveryStatus.PENDING, DeliveryStatus.CLAIMED)
_LOCAL_TIME = re.compile(r"([01]\d|2[0-3]):([0-5]\d)")
# ORM UPDATEs here name rows by id; nothing in the session needs refreshing afterwards.
_NO_SYNC = {"synchronize_session": False}


def parse_local_time(local_time: str) -> time:
    """ "18:30" -> 18:30; anything but a 24-hour "HH:MM" is refused."""
    match = _LOCAL_TIME.fullmatch(local_time)
    if match is None:
        raise ValueError(f"local time must be HH:MM, got {local_time!r}")
    return time(int(match.group(1)), int(match.group(2)))


def _check_zone(timezone: str) -> None:
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ValueError(f"unknown time zone {timezone!r}") from error


def _insert(session: AsyncSession) -> Any:
    return pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert


def next_due(reminder: Reminder, after: datetime) -> datetime:
    return next_occurrence(
        reminder.weekdays, parse_local_time(reminder.local_time), reminder.timezone, after
    )


# The weekly summary comes in the evening and covers the seven whole days before it: at
# 19:00 local plus a minute of the hour that depends only on the user (19:00 to 19:59), so
# that the users of one time zone do not all have their summary, with its chart, drawn in
# the same second.
SUMMARY_WINDOW_START = time(19, 0)
SUMMARY_WINDOW_MINUTES = 60


def summary_offset_minutes(user_id: int) -> int:
    """The user's place in the summary window: the same for every run and every process
    (a hash of the id, not Python's hash()), spread evenly over the window's minutes."""
    digest = hashlib.blake2b(str(user_id).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") % SUMMARY_WINDOW_MINUTES


def summary_time(user_id: int) -> str:
    """The local "HH:MM" at which the user's weekly summary is due."""
    start = SUMMARY_WINDOW_START.hour * 60 + SUMMARY_WINDOW_START.minute
    minutes = start + summary_offset_minutes(user_id)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


async def schedule(
    session: AsyncSession,
    user_id: int,
    kind: str,
    weekdays: Iterable[int],
    local_time: str,
    timezone: str,
    now: datetime,
) -> Reminder:
    """Creates or replaces the user's reminder of `kind`; it next fires at the first matching
    local time after `now`. Safe when two processes schedule the same reminder at once."""
    if kind not in KINDS:
        raise ValueError(f"unknown reminder kind {kind!r}")
    days = sorted({int(day) for day in weekdays})
    _check_zone(timezone)
    due = next_occurrence(days, parse_local_time(local_time), timezone, now)
    values = {
        "weekdays": days,
        "local_time": local_time,
        "timezone": timezone,
        "next_due_at": due,
        "active": True,
        "updated_at": now,
    }
    insert = _insert(session)
    statement = insert(Reminder).values(user_id=user_id, kind=kind, created_at=now, **values)
    await session.execute(
        statement.on_conflict_do_update(index_elements=["user_id", "kind"], set_=values)
    )
    reminder = await session.scalar(
        select(Reminder)
        .where(Reminder.user_id == user_id, Reminder.kind == kind)
        .execution_options(populate_existing=True)
    )
    assert reminder is not None
    logger.info("reminder %s of user %s scheduled, next at %s", kind, user_id, due.isoformat())
    return reminder


async def _end_unsent(session: AsyncSession, user_id: int, status: DeliveryStatus) -> None:
    """What is waiting to be sent to the user will not be: it ends with `status`."""
    await session.execute(
        update(Delivery)
        .where(Delivery.user_id == user_id, Delivery.status.in_(UNSENT))
        .values(status=status, lease_until=None)
        .execution_options(**_NO_SYNC)
    )


async def _restart(session: AsyncSession, user_id: int, now: datetime) -> None:
    """Every active reminder of the user fires next at its first time after `now`."""
    for reminder in await session.scalars(
        select(Reminder).where(Reminder.user_id == user_id, Reminder.active.is_(True))
    ):
        reminder.next_due_at = next_due(reminder, now)
        reminder.updated_at = now


async def set_paused(session: AsyncSession, user_id: int, paused: bool, now: datetime) -> bool:
    """Pauses or resumes all of a user's reminders; returns whether anything changed.

    Pausing drops what is waiting to be sent. Resuming starts each series afresh from `now`,
    so nothing missed meanwhile fires, and also lifts an earlier "unreachable": a user who
    asks for reminders can evidently be reached.
    """
    user = await session.get(User, user_id, with_for_update=True)
    if user is None:
        return False
    changed = False
    if not paused:
        changed = await mark_reachable(session, user_id, now)
    if user.reminders_paused != paused:
        user.reminders_paused = paused
        user.updated_at = now
        changed = True
        await _end_unsent(session, user_id, DeliveryStatus.DROPPED)
        if not paused:
            await _restart(session, user_id, now)
    return changed


async def mark_unreachable(session: AsyncSession, user_id: int, now: datetime) -> None:
    """Telegram refused the chat for good: stop every reminder instead of retrying forever.

    The stopped reminders get updated_at = unreachable_since, which is how `mark_reachable`
    tells them from reminders stopped for any other reason.
    """
    await session.execute(
        update(User)
        .where(User.id == user_id, User.unreachable_since.is_(None))
        .values(unreachable_since=now, updated_at=now)
        .execution_options(**_NO_SYNC)
    )
    await session.execute(
        update(Reminder)
        .where(Reminder.user_id == user_id, Reminder.active.is_(True))
        .values(active=False, updated_at=now)
        .execution_options(**_NO_SYNC)
    )
    await _end_unsent(session, user_id, DeliveryStatus.FAILED)


async def mark_reachable(session: AsyncSession, user_id: int, now: datetime) -> bool:
    """The user wrote to the bot again: restart the reminders that unreachability stopped.
    Returns whether the user had been unreachable."""
    user = await session.get(User, user_id, with_for_update=True)
    if user is None or user.unreachable_since is None:
        return False
    stopped_at = user.unreachable_since
    user.unreachable_since = None
    user.updated_at = now
    for reminder in await session.scalars(
        select(Reminder).where(
            Reminder.user_id == user_id,
            Reminder.active.is_(False),
            Reminder.updated_at == stopped_at,
        )
    ):
        reminder.active = True
        reminder.next_due_at = next_due(reminder, now)
        reminder.updated_at = now
    logger.info("user %s is reachable again; reminders restarted", user_id)
    return True


@dataclass(frozen=True)
class ReminderAnswer:
    """What a press on a reminder button did: a text key of flows.texts.reminders with its
    values, whether anything was stored, and for a snooze when the reminder comes again."""

    key: str
    values: dict[str, Any] = field(default_factory=dict)
    changed: bool = False
    answered: str | None = None
    snoozed_until: datetime | None = None

    @property
    def text(self) -> str:
        return texts.render(self.key, self.values)


async def answer_button(
    session: AsyncSession, user_id: int, delivery_id: int, action: str, now: datetime
) -> ReminderAnswer:
    """Done, Snooze 1 h or Skip on one reminder. Presses on someone else's or a vanished
    reminder, on an answered one, or while reminders are paused change nothing."""
    delivery = await session.get(Delivery, delivery_id, with_for_update=True)
    if delivery is None or delivery.user_id != user_id:
        logger.info("user %s pressed a button of unknown reminder %s", user_id, delivery_id)
        return ReminderAnswer("reminder.answer.unknown")
    user = await session.get(User, user_id)
    reminder = await session.get(Reminder, delivery.reminder_id)
    if user is None or reminder is None:
        return ReminderAnswer("reminder.answer.unknown")
    snooze_until = now + pure.SNOOZE
    same_day = occurrence_local_date(snooze_until, reminder.timezone) == delivery.local_date
    decision = pure.decide(action, delivery.answered, user.reminders_paused, same_day)
    if decision.answered is None:
        return ReminderAnswer(decision.key)
    delivery.answered = decision.answered
    if delivery.status == DeliveryStatus.UNKNOWN:
        # It was unclear whether Telegram took the message; a press on it settles that.
        delivery.status = DeliveryStatus.SENT
    if not decision.snoozes:
        return ReminderAnswer(decision.key, changed=True, answered=decision.answered)
    due_at = await _add_snoozed(session, delivery, snooze_until)
    local = due_at.astimezone(ZoneInfo(reminder.timezone))
    return ReminderAnswer(
        decision.key,
        {"time": f"{local.hour:02d}:{local.minute:02d}"},
        changed=True,
        answered=decision.answered,
        snoozed_until=due_at,
    )


async def _add_snoozed(session: AsyncSession, original: Delivery, due_at: datetime) -> datetime:
    """A new pending occurrence of the same reminder, for the same leg day, at `due_at`.

    (reminder_id, due_at) is unique; should a regular occurrence sit at exactly that instant,
    the snooze moves on by a second.
    """
    insert = _insert(session)
    for _ in range(60):
        inserted = await session.scalar(
            insert(Delivery)
            .values(
                reminder_id=original.reminder_id,
                user_id=original.user_id,
                kind=original.kind,
                due_at=due_at,
                local_date=original.local_date,
                status=DeliveryStatus.PENDING,
                not_before=due_at,
                attempts=0,
            )
            .on_conflict_do_nothing(index_elements=["reminder_id", "due_at"])
            .returning(Delivery.id)
        )
        if inserted is not None:
            return due_at
        due_at += timedelta(seconds=1)
    raise RuntimeError(f"no free snooze time for delivery {original.id}")


async def leg_days_done(session: AsyncSession, user_id: int, since: date) -> list[tuple[date, str]]:
    """(leg day, "done" or "skipped") from `since` on, oldest first, one entry per day: the
    answers to leg-day reminders, and the days with a top set logged with /log, which were
    leg days done whatever the reminder was told.

    A day answered more than once (snoozed, then the new reminder answered) counts as done
    if either answer was done.
    """
    answers = select(Delivery.local_date, Delivery.answered).where(
        Delivery.user_id == user_id,
        Delivery.kind == "leg_day",
        Delivery.local_date >= since,
        Delivery.answered.in_(("done", "skipped")),
    )
    logged = select(LoggedSet.day, literal("done")).where(
        LoggedSet.user_id == user_id, LoggedSet.day >= since, LoggedSet.source == "log"
    )
    result: Result[date, str] = await session.execute(union_all(answers, logged))
    by_day: dict[date, str] = {}
    for day, answered in result.all():
        if by_day.get(day) != "done":
            by_day[day] = str(answered)
    return sorted(by_day.items())
