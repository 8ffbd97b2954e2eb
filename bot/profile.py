"""Loading a user's profile: the parts a flow declares (flows.registry), and only those."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import cast
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import reminders
from bot.storage.models import Assessment, BodyMeasurement, Checkin, LoggedSet, Plan, User
from flows import i18n
from flows.answers import Answers
from flows.core import ALL_PROFILE_PARTS, Profile, ProfilePart
from flows.lifts import LiftSet, Measurement
from flows.progress import CHECKIN_VALUES, CheckinDay

logger = logging.getLogger(__name__)

# Enough history for a 30-day summary and any streak people look at.
RECENT_CHECKIN_DAYS = 35
# The latest top sets and measurements a flow sees: enough for "last time", three weeks of
# stall detection and months of progress, however long ago the last one was.
RECENT_LIFT_SETS = 200
RECENT_MEASUREMENTS = 60
# The user's settings: columns of the user row that Profile names alike.
USER_SETTINGS = (
    "first_name",
    "weight_unit",
    "timezone",
    "reminders_paused",
    "checkin_time",
    "summary_weekday",
    "checkins_paused",
)


def local_today(zone: str, now: datetime) -> date:
    try:
        return now.astimezone(ZoneInfo(zone)).date()
    except (ZoneInfoNotFoundError, ValueError):
        return now.astimezone(UTC).date()


async def latest_assessment(session: AsyncSession, user_id: int) -> Assessment | None:
    return await session.scalar(
        select(Assessment)
        .where(Assessment.user_id == user_id)
        .order_by(Assessment.created_at.desc(), Assessment.id.desc())
        .limit(1)
    )


def checkin_day(row: Checkin) -> CheckinDay:
    return CheckinDay(day=row.day, **{name: getattr(row, name) for name in CHECKIN_VALUES})


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


def lift_set(row: LoggedSet) -> LiftSet:
    return LiftSet(row.day, row.lift, row.weight_kg, row.reps, row.unit, row.source)


def measurement(row: BodyMeasurement) -> Measurement:
    return Measurement(row.day, row.body_weight_kg, row.thigh_cm, row.calf_cm, row.arm_cm)


async def recent_lift_sets(
    session: AsyncSession, user_id: int, before: date | None = None, lifts: Iterable[str] = ()
) -> tuple[LiftSet, ...]:
    """The user's latest top sets, oldest first: at most RECENT_LIFT_SETS, only days before
    `before` and only `lifts` when given."""
    query = select(LoggedSet).where(LoggedSet.user_id == user_id)
    if before is not None:
        query = query.where(LoggedSet.day < before)
    wanted = list(lifts)
    if wanted:
        query = query.where(LoggedSet.lift.in_(wanted))
    rows = await session.scalars(
        query.order_by(LoggedSet.day.desc(), LoggedSet.id.desc()).limit(RECENT_LIFT_SETS)
    )
    return tuple(reversed([lift_set(row) for row in rows]))


async def recent_measurements(session: AsyncSession, user_id: int) -> tuple[Measurement, ...]:
    rows = await session.scalars(
        select(BodyMeasurement)
        .where(BodyMeasurement.user_id == user_id)
        .order_by(BodyMeasurement.day.desc())
        .limit(RECENT_MEASUREMENTS)
    )
    return tuple(reversed([measurement(row) for row in rows]))


async def has_stored_data(session: AsyncSession, user_id: int) -> bool:
    """Anything about the user beyond the bare user row: an assessment, a plan, a check-in."""
    for model in (Assessment, Plan, Checkin, LoggedSet, BodyMeasurement):
        if await session.scalar(select(exists().where(model.user_id == user_id))):
            return True
    return False


@dataclass(frozen=True)
class Preloaded:
    """Rows already read with the user (bot.engine.load_state), so not read again."""

    assessment: Assessment | None
    plan: Plan | None


async def load_profile(
    session: AsyncSession,
    user: User,
    now: datetime,
    parts: Iterable[ProfilePart] = ALL_PROFILE_PARTS,
    *,
    preloaded: Preloaded | None = None,
) -> Profile:
    """The user's settings, plus the parts asked for; parts not asked for stay empty."""
    wanted = frozenset(parts)
    today = local_today(user.timezone, now)
    assessment, plan = None, None
    if ProfilePart.ASSESSMENT in wanted:
        assessment = (
            preloaded.assessment if preloaded else await latest_assessment(session, user.id)
        )
    if ProfilePart.PLAN in wanted:
        plan = preloaded.plan if preloaded else await session.get(Plan, user.id)
    since = today - timedelta(days=RECENT_CHECKIN_DAYS)
    return Profile(
        user_id=user.id,
        **{name: getattr(user, name) for name in USER_SETTINGS},
        language=i18n.supported(user.language),
        latest_answers=cast(Answers, dict(assessment.answers)) if assessment else None,
        latest_problem_ids=tuple(assessment.problem_ids) if assessment else (),
        assessed_at=assessment.created_at if assessment else None,
        plan_weekdays=tuple(plan.weekdays) if plan else (),
        plan_split=plan.split if plan else None,
        plan_since=local_today(user.timezone, plan.created_at) if plan else None,
        reminder_time=plan.reminder_time if plan else None,
        plan_deload_from=plan.deload_from if plan else None,
        plan_scheme_shift=(plan.scheme_shift or 0) if plan else 0,
        plan_experience=plan.experience if plan else "",
        plan_explosive=bool(plan.explosive) if plan else False,
        recent_checkins=(
            await recent_checkins(session, user.id, today) if ProfilePart.CHECKINS in wanted else ()
        ),
        reminder_leg_days=(
            dict(await reminders.leg_days_done(session, user.id, since))
            if ProfilePart.REMINDER_MARKS in wanted
            else {}
        ),
        has_data=(
            await has_stored_data(session, user.id) if ProfilePart.STORED_DATA in wanted else False
        ),
        lift_sets=(
            await recent_lift_sets(session, user.id) if ProfilePart.LOGBOOK in wanted else ()
        ),
        measurements=(
            await recent_measurements(session, user.id) if ProfilePart.LOGBOOK in wanted else ()
        ),
    )
