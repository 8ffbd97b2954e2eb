"""The conversation engine: one update in, replies out, with the database as the only memory.

For each event it loads the user's conversation row and profile, runs the pure core
(flows.app.handle), applies the effects and saves the new conversation in one transaction.
Telegram and the terminal chat both go through here.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.exc import StaleDataError

from bot import account_data, reminders
from bot.storage.db import Sessions
from bot.storage.models import (
    Assessment,
    Checkin,
    ConversationRow,
    Delivery,
    Plan,
    Reminder,
    User,
)
from flows import app
from flows.account import AttachChart, DeleteEverything, ExportData
from flows.assessment import SaveAssessment
from flows.checkin import SaveCheckin
from flows.core import Attachment, Conversation, Event, Profile, Reply
from flows.leg_plan import SavePlan, SetRemindersPaused
from flows.progress import CheckinDay
from flows.reminders import CHECKIN_ACTION, parse_callback
from flows.settings import UpdateSettings

logger = logging.getLogger(__name__)

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Sender:
    """Who sent an update: the user and the chat to answer in."""

    user_id: int
    chat_id: int
    first_name: str = ""


@dataclass(frozen=True)
class Response:
    replies: list[Reply]
    token: str  # buttons of these replies carry it, so later presses can be checked


def new_token() -> str:
    return secrets.token_urlsafe(6)


class Coach:
    def __init__(self, sessions: Sessions, clock: Clock = utc_now) -> None:
        self.sessions = sessions
        self.clock = clock

    async def handle(self, sender: Sender, event: Event, update_id: int | None = None) -> Response:
        # A concurrent update for the same user (a second process) can make our copy stale:
        # then we load again and redo the work, which is pure and cheap.
        for attempt in range(3):
            try:
                return await self._handle_once(sender, event, update_id)
            except StaleDataError:
                logger.info(
                    "conversation of user %s changed meanwhile, retry %d",
                    sender.user_id,
                    attempt + 1,
                )
        return await self._handle_once(sender, event, update_id)

    async def _handle_once(self, sender: Sender, event: Event, update_id: int | None) -> Response:
        now = self.clock()
        async with self.sessions() as session, session.begin():
            user = await ensure_user(session, sender, now)
            if user.unreachable_since is not None:
                # They write to us, so the chat works again: reminders resume.
                await reminders.mark_reachable(session, user.id, now)
            row = await session.get(ConversationRow, sender.user_id, with_for_update=True)
            conversation = (
                Conversation(row.flow or "", row.state or "", dict(row.data), row.token)
                if row is not None
                else None
            )
            profile = await load_profile(session, user, now)
            if (
                update_id is not None
                and row is not None
                and row.last_update_id is not None
                and update_id <= row.last_update_id
            ):
                # Telegram sends an update again when a crash came before its offset was
                # confirmed; it was applied already, so only the current question is repeated.
                logger.info("update %s of user %s was applied already", update_id, user.id)
                event = app.REPEAT
            outcome = app.handle(conversation, event, profile, now)
            made: list[Reply] = []
            for effect in outcome.effects:
                made += await apply_effect(session, user, effect, now)
            at = (
                len(outcome.replies)
                if outcome.effects_reply_at is None
                else outcome.effects_reply_at
            )
            replies = [*outcome.replies[:at], *made, *outcome.replies[at:]]
            if any(isinstance(effect, DeleteEverything) for effect in outcome.effects):
                # Nothing about the user may remain, not even where their conversation was.
                return Response(replies, "")
            token = new_token() if outcome.new_conversation or row is None else row.token
            if row is None:
                row = ConversationRow(user_id=user.id, token=token, data={})
                session.add(row)
            row.flow = outcome.flow
            row.state = outcome.state
            row.data = outcome.data
            row.token = token
            row.updated_at = now
            if update_id is not None:
                row.last_update_id = max(update_id, row.last_update_id or 0)
        return Response(replies, token)

    async def press_reminder(self, sender: Sender, data: str) -> Response | None:
        """A button of a reminder message ("r|<delivery>|<action>"); None for other buttons.

        Done / Snooze / Skip are answered by bot.reminders; a check-in reminder's button
        opens the check-in for the day it was sent for."""
        parsed = parse_callback(data)
        if parsed is None:
            return None
        delivery_id, action = parsed
        if action == CHECKIN_ACTION:
            async with self.sessions() as session:
                delivery = await session.get(Delivery, delivery_id)
                day = (
                    delivery.local_date if delivery and delivery.user_id == sender.user_id else None
                )
            if day is None:
                return Response([Reply("reminder.answer.unknown")], "")
            return await self.handle(sender, Event.command("checkin", day.isoformat()))
        now = self.clock()
        async with self.sessions() as session, session.begin():
            await ensure_user(session, sender, now)
            answer = await reminders.answer_button(
                session, sender.user_id, delivery_id, action, now
            )
        return Response([Reply(answer.key, answer.values)], "")


async def ensure_user(session: AsyncSession, sender: Sender, now: datetime) -> User:
    """The user's row, created on first contact; safe when two processes race to create it."""
    user = await session.get(User, sender.user_id)
    if user is None:
        dialect = session.get_bind().dialect.name
        insert = pg_insert if dialect == "postgresql" else sqlite_insert
        await session.execute(
            insert(User)
            .values(
                id=sender.user_id,
                chat_id=sender.chat_id,
                first_name=sender.first_name[:128],
                weight_unit="kg",
                timezone="UTC",
                created_at=now,
                updated_at=now,
            )
            .on_conflict_do_nothing(index_elements=["id"])
        )
        user = await session.get(User, sender.user_id)
        assert user is not None
    elif user.chat_id != sender.chat_id or (
        sender.first_name and user.first_name != sender.first_name
    ):
        user.chat_id = sender.chat_id
        user.first_name = sender.first_name[:128] or user.first_name
        user.updated_at = now
    return user


async def latest_assessment(session: AsyncSession, user_id: int) -> Assessment | None:
    return await session.scalar(
        select(Assessment)
        .where(Assessment.user_id == user_id)
        .order_by(Assessment.created_at.desc(), Assessment.id.desc())
        .limit(1)
    )


# Enough history for a 30-day summary and any streak people look at.
RECENT_CHECKIN_DAYS = 35


async def recent_checkins(
    session: AsyncSession, user_id: int, today: date
) -> tuple[CheckinDay, ...]:
    rows = await session.scalars(
        select(Checkin)
        .where(
            Checkin.user_id == user_id, Checkin.day > today - timedelta(days=RECENT_CHECKIN_DAYS)
        )
        .order_by(Checkin.day)
    )
    return tuple(checkin_day(row) for row in rows)


def checkin_day(row: Checkin) -> CheckinDay:
    return CheckinDay(
        day=row.day,
        sleep_hours=row.sleep_hours,
        protein_g=row.protein_g,
        carbs_g=row.carbs_g,
        carbs_level=row.carbs_level,
        cardio_minutes=row.cardio_minutes,
        cardio_kind=row.cardio_kind,
        leg_day=row.leg_day,
    )


async def load_profile(session: AsyncSession, user: User, now: datetime) -> Profile:
    assessment = await latest_assessment(session, user.id)
    plan = await session.get(Plan, user.id)
    today = local_today(user.timezone, now)
    checkins = await recent_checkins(session, user.id, today)
    marks = await reminders.leg_days_done(
        session, user.id, today - timedelta(days=RECENT_CHECKIN_DAYS)
    )
    return Profile(
        user_id=user.id,
        first_name=user.first_name,
        weight_unit=user.weight_unit,
        timezone=user.timezone,
        latest_answers=dict(assessment.answers) if assessment else None,
        latest_problem_ids=tuple(assessment.problem_ids) if assessment else (),
        assessed_at=assessment.created_at if assessment else None,
        plan_weekdays=tuple(plan.weekdays) if plan else (),
        plan_split=plan.split if plan else None,
        plan_since=local_today(user.timezone, plan.created_at) if plan else None,
        reminder_time=plan.reminder_time if plan else None,
        reminders_paused=user.reminders_paused,
        checkin_time=user.checkin_time,
        summary_weekday=user.summary_weekday,
        checkins_paused=user.checkins_paused,
        recent_checkins=checkins,
        reminder_leg_days=dict(marks),
        has_data=assessment is not None or plan is not None or bool(checkins),
    )


def local_today(zone: str, now: datetime) -> date:
    try:
        return now.astimezone(ZoneInfo(zone)).date()
    except (ZoneInfoNotFoundError, ValueError):
        return now.astimezone(UTC).date()


async def apply_effect(
    session: AsyncSession, user: User, effect: Any, now: datetime
) -> list[Reply]:
    """Carries out one effect inside the update's transaction; returns replies it adds."""
    if isinstance(effect, SaveAssessment):
        session.add(
            Assessment(
                user_id=user.id,
                created_at=now,
                answers=effect.answers,
                problem_ids=list(effect.problem_ids),
            )
        )
        user.weight_unit = effect.answers.get("weight_unit", user.weight_unit)
        user.updated_at = now
    elif isinstance(effect, SavePlan):
        await save_plan(session, user, effect, now)
    elif isinstance(effect, SetRemindersPaused):
        await reminders.set_paused(session, user.id, effect.paused, now)
    elif isinstance(effect, SaveCheckin):
        await save_checkin(session, user, effect, now)
    elif isinstance(effect, UpdateSettings):
        await update_settings(session, user, effect, now)
    elif isinstance(effect, AttachChart):
        return [await chart_reply(session, user, effect)]
    elif isinstance(effect, ExportData):
        return await account_data.export_replies(session, user.id, now)
    elif isinstance(effect, DeleteEverything):
        await account_data.delete_user(session, user.id)
    else:
        raise TypeError(f"unknown effect {effect!r}")
    return []


async def save_plan(session: AsyncSession, user: User, effect: SavePlan, now: datetime) -> None:
    plan = await session.get(Plan, user.id)
    if plan is None:
        plan = Plan(user_id=user.id, created_at=now)
        session.add(plan)
    plan.split = effect.split
    plan.weekdays = list(effect.weekdays)
    plan.experience = effect.experience
    plan.explosive = effect.explosive
    plan.reminder_time = effect.reminder_time
    plan.updated_at = now
    user.timezone = effect.timezone
    user.updated_at = now
    await session.flush()
    await reminders.schedule(
        session,
        user.id,
        "leg_day",
        list(effect.weekdays),
        effect.reminder_time,
        effect.timezone,
        now,
    )
    await schedule_routine(session, user, now)


EVERY_DAY = list(range(7))
# The weekly summary comes in the evening and covers the seven whole days before it.
SUMMARY_TIME = "19:00"


async def schedule_routine(
    session: AsyncSession, user: User, now: datetime, *, zone_chosen: bool = False
) -> None:
    """The daily check-in and the weekly summary, at the user's times in their zone.

    They start once the user has chosen a time zone: with a plan, or in /settings."""
    started = await session.scalar(
        select(Reminder.id).where(Reminder.user_id == user.id, Reminder.kind == "checkin")
    )
    if not zone_chosen and started is None and await session.get(Plan, user.id) is None:
        return
    await reminders.schedule(
        session, user.id, "checkin", EVERY_DAY, user.checkin_time, user.timezone, now
    )
    await reminders.schedule(
        session, user.id, "summary", [user.summary_weekday], SUMMARY_TIME, user.timezone, now
    )
    if user.checkins_paused:
        await set_routine_active(session, user.id, active=False, now=now)


async def set_routine_active(
    session: AsyncSession, user_id: int, *, active: bool, now: datetime
) -> None:
    for reminder in await session.scalars(
        select(Reminder).where(
            Reminder.user_id == user_id, Reminder.kind.in_(("checkin", "summary"))
        )
    ):
        reminder.active = active
        if active:
            reminder.next_due_at = reminders.next_due(reminder, now)
        reminder.updated_at = now


async def save_checkin(
    session: AsyncSession, user: User, effect: SaveCheckin, now: datetime
) -> None:
    """One row per user and day: a second check-in for the day replaces the first."""
    row = await session.scalar(
        select(Checkin).where(Checkin.user_id == user.id, Checkin.day == effect.day)
    )
    if row is None:
        row = Checkin(user_id=user.id, day=effect.day, created_at=now)
        session.add(row)
    for name in (
        "sleep_hours",
        "protein_g",
        "carbs_g",
        "carbs_level",
        "cardio_minutes",
        "cardio_kind",
        "leg_day",
    ):
        setattr(row, name, getattr(effect, name))
    row.updated_at = now


async def update_settings(
    session: AsyncSession, user: User, effect: UpdateSettings, now: datetime
) -> None:
    if effect.weight_unit is not None:
        user.weight_unit = effect.weight_unit
    if effect.checkin_time is not None:
        user.checkin_time = effect.checkin_time
    if effect.summary_weekday is not None:
        user.summary_weekday = effect.summary_weekday
    if effect.checkins_paused is not None:
        user.checkins_paused = effect.checkins_paused
    if effect.timezone is not None:
        user.timezone = effect.timezone
        # Every series keeps its local times, now in the new zone.
        for reminder in await session.scalars(select(Reminder).where(Reminder.user_id == user.id)):
            reminder.timezone = effect.timezone
            reminder.next_due_at = reminders.next_due(reminder, now)
            reminder.updated_at = now
    user.updated_at = now
    await session.flush()
    if effect.checkins_paused is False:
        await set_routine_active(session, user.id, active=True, now=now)
    await schedule_routine(session, user, now, zone_chosen=effect.timezone is not None)


async def chart_reply(session: AsyncSession, user: User, effect: AttachChart) -> Reply:
    from bot.chart import progress_chart  # matplotlib is slow to import; only charts need it

    rows = await session.scalars(
        select(Checkin)
        .where(Checkin.user_id == user.id, Checkin.day >= effect.start, Checkin.day <= effect.end)
        .order_by(Checkin.day)
    )
    plan = await session.get(Plan, user.id)
    content = progress_chart(
        [checkin_day(row) for row in rows],
        effect.start,
        effect.end,
        effect.protein_target_g,
        effect.sleep_target_h,
        planned_weekdays=tuple(plan.weekdays) if plan else (),
    )
    attachment = Attachment(
        f"progress-{effect.start.isoformat()}-{effect.end.isoformat()}.png",
        content,
        "image/png",
        as_photo=True,
    )
    return Reply(
        "progress_chart_caption",
        {"start": effect.start.isoformat(), "end": effect.end.isoformat()},
        attachment=attachment,
    )
