"""Carrying out the effects flows ask for, inside the update's transaction.

`apply_effect` matches every member of flows.effects.Effect; `assert_never` makes a new
effect without a case here a type error, found by mypy rather than by a user.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import assert_never
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import account_data, reminders
from bot.chart_pool import ChartRequest, LagChartRequest, render_chart
from bot.profile import checkin_day, local_today
from bot.storage.models import (
    Assessment,
    BodyMeasurement,
    Checkin,
    LoggedSet,
    Plan,
    Reminder,
    User,
)
from flows import i18n
from flows.core import Attachment, Reply
from flows.effects import (
    AdaptPlan,
    AttachChart,
    AttachLagChart,
    DeleteEverything,
    Effect,
    ExportData,
    SaveAssessment,
    SaveCheckin,
    SaveLiftSets,
    SaveMeasurement,
    SavePlan,
    SetRemindersPaused,
    UpdateSettings,
)
from flows.planning import lifter_from
from flows.progress import CHECKIN_VALUES
from flows.texts.account import caption_date

logger = logging.getLogger(__name__)


async def apply_effect(
    session: AsyncSession, user: User, effect: Effect, now: datetime
) -> list[Reply]:
    """Carries out one effect inside the update's transaction; returns replies it adds."""
    match effect:
        case SaveAssessment():
            await save_assessment(session, user, effect, now)
        case SavePlan():
            await save_plan(session, user, effect, now)
        case SetRemindersPaused():
            await reminders.set_paused(session, user.id, effect.paused, now)
        case SaveCheckin():
            await save_checkin(session, user, effect, now)
        case SaveLiftSets():
            await save_lift_sets(session, user, effect, now)
        case SaveMeasurement():
            await save_measurement(session, user, effect, now)
        case UpdateSettings():
            await update_settings(session, user, effect, now)
        case AttachChart():
            return [await chart_reply(session, user, effect)]
        case AttachLagChart():
            return [await lag_chart_reply(effect)]
        case AdaptPlan():
            await adapt_plan(session, user, effect, now)
        case ExportData():
            return await account_data.export_replies(session, user.id, now)
        case DeleteEverything():
            await account_data.delete_user(session, user.id)
        case _:
            assert_never(effect)
    return []


async def save_assessment(
    session: AsyncSession, user: User, effect: SaveAssessment, now: datetime
) -> None:
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
    # The reminders build the workout from the plan's copy of who the lifter is; it follows
    # the new assessment, as the chat and the calendar do.
    plan = await session.get(Plan, user.id)
    if plan is not None:
        lifter = lifter_from(effect.answers, effect.problem_ids)
        plan.experience = lifter.experience
        plan.explosive = lifter.form_ready
        plan.updated_at = now


# Records saved before the first zone was chosen are dated in UTC; those this recent are
# dated again in the zone chosen (a first session: the assessment, then /plan).
FIRST_ZONE_WINDOW = timedelta(hours=48)


async def date_in_first_zone(session: AsyncSession, user: User, zone: str, now: datetime) -> None:
    """Dates the lift sets and measurements saved in UTC, before the user had a zone, by their
    local date in `zone`: a set typed at 21:00 in New York is of that day, not the next.
    Only for a user whose zone is still the default and who has no plan, and only where no
    record of that day is in the way."""
    if user.timezone != "UTC" or zone == "UTC" or await session.get(Plan, user.id) is not None:
        return
    local, since = ZoneInfo(zone), now - FIRST_ZONE_WINDOW
    sets = await session.scalars(
        select(LoggedSet).where(LoggedSet.user_id == user.id, LoggedSet.created_at >= since)
    )
    _date_again(list(sets), local)
    measurements = await session.scalars(
        select(BodyMeasurement).where(
            BodyMeasurement.user_id == user.id, BodyMeasurement.created_at >= since
        )
    )
    _date_again(list(measurements), local)
    await session.flush()


def _date_again(rows: Sequence[LoggedSet | BodyMeasurement], local: ZoneInfo) -> None:
    taken = {_day_key(row) for row in rows}
    for row in rows:
        day = row.created_at.astimezone(local).date()
        moved = _day_key(row, day)
        if day != row.day and moved not in taken:
            taken.discard(_day_key(row))
            row.day = day
            taken.add(moved)


def _day_key(row: LoggedSet | BodyMeasurement, day: date | None = None) -> tuple[object, ...]:
    """What a record must not share with another of the user's: its day (and lift)."""
    lift = row.lift if isinstance(row, LoggedSet) else None
    return (day or row.day, lift)


async def save_plan(session: AsyncSession, user: User, effect: SavePlan, now: datetime) -> None:
    await date_in_first_zone(session, user, effect.timezone, now)
    plan = await session.get(Plan, user.id)
    if plan is None:
        plan = Plan(user_id=user.id, created_at=now)
        session.add(plan)
    plan.split = effect.split
    plan.weekdays = list(effect.weekdays)
    plan.experience = effect.experience
    plan.explosive = effect.explosive
    plan.reminder_time = effect.reminder_time
    if effect.scheme_shift is not None:
        plan.scheme_shift = effect.scheme_shift
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
        session,
        user.id,
        "summary",
        [user.summary_weekday],
        reminders.summary_time(user.id),  # an evening minute of its own (bot.reminders)
        user.timezone,
        now,
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
    for name in CHECKIN_VALUES:
        setattr(row, name, getattr(effect, name))
    row.updated_at = now


async def save_lift_sets(
    session: AsyncSession, user: User, effect: SaveLiftSets, now: datetime
) -> None:
    """One row per user, day and lift: logging a lift again for the same day replaces it."""
    for lift_set in effect.sets:
        row = await session.scalar(
            select(LoggedSet).where(
                LoggedSet.user_id == user.id,
                LoggedSet.day == lift_set.day,
                LoggedSet.lift == lift_set.lift,
            )
        )
        if row is None:
            row = LoggedSet(user_id=user.id, day=lift_set.day, lift=lift_set.lift, created_at=now)
            session.add(row)
        row.weight_kg = lift_set.weight_kg
        row.reps = lift_set.reps
        row.unit = lift_set.unit
        row.source = lift_set.source
        row.updated_at = now
    await session.flush()


async def save_measurement(
    session: AsyncSession, user: User, effect: SaveMeasurement, now: datetime
) -> None:
    """One row per user and day: values given replace that day's, values left out stay."""
    row = await session.scalar(
        select(BodyMeasurement).where(
            BodyMeasurement.user_id == user.id, BodyMeasurement.day == effect.day
        )
    )
    if row is None:
        row = BodyMeasurement(user_id=user.id, day=effect.day, created_at=now)
        session.add(row)
    for name in ("body_weight_kg", "thigh_cm", "calf_cm", "arm_cm"):
        value = getattr(effect, name)
        if value is not None:
            setattr(row, name, value)
    row.updated_at = now
    await session.flush()


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
    if effect.language is not None:
        user.language = i18n.supported(effect.language)
    if effect.timezone is not None:
        await date_in_first_zone(session, user, effect.timezone, now)
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
    rows = await session.scalars(
        select(Checkin)
        .where(Checkin.user_id == user.id, Checkin.day >= effect.start, Checkin.day <= effect.end)
        .order_by(Checkin.day)
    )
    plan = await session.get(Plan, user.id)
    marks = await reminders.leg_days_done(session, user.id, effect.start)
    # Drawn in a worker process: the event loop keeps answering everyone else meanwhile.
    content = await render_chart(
        ChartRequest(
            tuple(checkin_day(row) for row in rows),
            effect.start,
            effect.end,
            effect.protein_target_g,
            effect.sleep_target_h,
            planned_weekdays=tuple(plan.weekdays) if plan else (),
            plan_start=local_today(user.timezone, plan.created_at) if plan else None,
            reminder_marks=tuple(marks),
        )
    )
    attachment = Attachment(
        f"progress-{effect.start.isoformat()}-{effect.end.isoformat()}.png",
        content,
        "image/png",
        as_photo=True,
    )
    return Reply(
        "progress_chart_caption",
        {"start": caption_date(effect.start), "end": caption_date(effect.end)},
        attachment=attachment,
    )


async def adapt_plan(session: AsyncSession, user: User, effect: AdaptPlan, now: datetime) -> None:
    """The change accepted from the catching-up view: two leg days (the leg-day reminder
    follows them), a deload week, or the next rep scheme."""
    plan = await session.get(Plan, user.id)
    if plan is None:
        return
    if effect.change == "split":
        plan.split = True
        plan.weekdays = list(effect.weekdays)
        reminder = await session.scalar(
            select(Reminder).where(Reminder.user_id == user.id, Reminder.kind == "leg_day")
        )
        if reminder is not None:
            paused = not reminder.active
            rescheduled = await reminders.schedule(
                session,
                user.id,
                "leg_day",
                list(effect.weekdays),
                reminder.local_time,
                reminder.timezone,
                now,
            )
            rescheduled.active = not paused  # a paused reminder stays paused
    elif effect.change == "deload":
        plan.deload_from = effect.deload_from
    elif effect.change == "scheme" and effect.scheme_shift is not None:
        plan.scheme_shift = effect.scheme_shift
    plan.updated_at = now
    await session.flush()


async def lag_chart_reply(effect: AttachLagChart) -> Reply:
    content = await render_chart(LagChartRequest(effect.weeks, effect.weight_unit))
    start, end = effect.weeks[0].start, effect.weeks[-1].end
    attachment = Attachment(
        f"catching-up-{start.isoformat()}-{end.isoformat()}.png",
        content,
        "image/png",
        as_photo=True,
    )
    return Reply(
        "catching_up.chart_caption",
        {"start": start.isoformat(), "end": end.isoformat()},
        attachment=attachment,
    )
