"""The user's own data: everything stored about them as files, and deleting all of it.

The export is made for a person: a summary to read (Markdown), the same data for programs
(JSON with meaningful keys, local times, weekdays by name) and the check-ins as CSV. What
only the bot's machinery needs (conversation tokens, version counters, the outbox, update
and message ids, delivery bookkeeping) stays out. Deleting finds the tables from the schema
itself, so a table added later is deleted without anyone having to remember this module;
a table about users that is neither `EXPORTED` in words nor `INTERNAL` is exported as it
is under "other_records" (without its row ids, times in the user's zone).

It runs in the user's language (the adapter's): the summary is written in it, and so are the
document's words for people (weekdays, workout and reason titles). Its keys, the stored codes
and the CSV columns stay English, for programs.
"""

from __future__ import annotations

import json
import logging
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import Table, delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import (
    Assessment,
    Base,
    Checkin,
    ConversationRow,
    Delivery,
    Plan,
    Reminder,
    User,
)
from flows import export, registry
from flows.core import Attachment, Reply
from flows.planning import Plan as PlanDays
from flows.planning import day_kind_for
from flows.progress import CHECKIN_VALUES
from flows.texts.diagnosis import rule_title
from flows.texts.plan import WORKOUT_TITLES

logger = logging.getLogger(__name__)

# Tables whose rows the export holds in words and under keys of their own, and tables only
# the bot's machinery reads (where a conversation stands; its open answers are exported).
EXPORTED = frozenset({"users", "assessments", "plans", "reminders", "checkins", "deliveries"})
INTERNAL = frozenset({"conversations"})
# Columns of other tables that only link rows together.
_LINK_COLUMNS = frozenset({"id", "user_id"})


def user_tables() -> list[tuple[Table, str]]:
    """Every table with a row about a user, and the column that names the user."""
    found = []
    for table in Base.metadata.sorted_tables:
        if table.name == User.__tablename__:
            found.append((table, "id"))
        elif "user_id" in table.columns:
            found.append((table, "user_id"))
    return found


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


async def collect(session: AsyncSession, user_id: int) -> dict[str, list[dict[str, Any]]]:
    """Every stored row about the user, table by table, as stored: for checks of what is
    kept, not for the user (the export is `export_document`)."""
    data: dict[str, list[dict[str, Any]]] = {}
    for table, column in user_tables():
        result = await session.execute(select(table).where(table.c[column] == user_id))
        data[table.name] = [
            {key: _plain(value) for key, value in row._mapping.items()} for row in result
        ]
    return data


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def _weekdays(days: list[Any]) -> list[str]:
    return [export.weekday(day) for day in days if isinstance(day, int) and 0 <= day <= 6]


async def export_document(session: AsyncSession, user: User, now: datetime) -> dict[str, Any]:
    """Everything stored about the user, for people and programs alike."""
    zone = _zone(user.timezone)

    def local(moment: datetime | None) -> str | None:
        return export.local_time(moment, zone)

    assessments = await session.scalars(
        select(Assessment).where(Assessment.user_id == user.id).order_by(Assessment.created_at)
    )
    plan = await session.get(Plan, user.id)
    reminders = await session.scalars(
        select(Reminder).where(Reminder.user_id == user.id).order_by(Reminder.id)
    )
    answered = await session.scalars(
        select(Delivery)
        .where(Delivery.user_id == user.id, Delivery.answered.is_not(None))
        .order_by(Delivery.local_date, Delivery.due_at)
    )
    checkins = await session.scalars(
        select(Checkin).where(Checkin.user_id == user.id).order_by(Checkin.day)
    )
    conversation = await session.get(ConversationRow, user.id)
    document: dict[str, Any] = {
        "exported_at": local(now),
        "time_zone": user.timezone,
        "profile": {
            "name": user.first_name,
            "telegram_user_id": user.id,
            "with_leg_day_coach_since": local(user.created_at),
        },
        "settings": {
            "time_zone": user.timezone,
            "weight_unit": user.weight_unit,
            "daily_check_in_time": user.checkin_time,
            "daily_check_ins_paused": user.checkins_paused,
            "weekly_summary_day": export.weekday(user.summary_weekday % 7),
            "leg_day_reminders_paused": user.reminders_paused,
        },
        "assessments": [
            {
                "taken_at": local(row.created_at),
                "answers": dict(row.answers),
                "holding_legs_back": [
                    {"reason": str(rule_id), "title": rule_title(str(rule_id))}
                    for rule_id in row.problem_ids
                ],
            }
            for row in assessments
        ],
        "plan": _plan(plan, user.timezone, local),
        "scheduled": [
            {
                "what": row.kind,
                "weekdays": _weekdays(row.weekdays),
                "time": row.local_time,
                "time_zone": row.timezone,
                "active": row.active,
                "next_at": export.local_time(row.next_due_at, _zone(row.timezone)),
            }
            for row in reminders
        ],
        "reminder_answers": [
            {
                "date": row.local_date.isoformat(),
                "weekday": export.weekday(row.local_date.weekday()),
                "reminder": row.kind,
                "answer": row.answered,
                "sent_at": local(row.sent_at),
            }
            for row in answered
        ],
        "check_ins": [
            {
                "date": row.day.isoformat(),
                "weekday": export.weekday(row.day.weekday()),
                **{name: getattr(row, name) for name in CHECKIN_VALUES},
                "saved_at": local(row.updated_at),
            }
            for row in checkins
        ],
    }
    other = await _other_records(session, user.id, zone)
    if other:
        document["other_records"] = other
    unfinished = _unfinished(conversation)
    if unfinished is not None:
        document["unfinished"] = unfinished
    return document


async def _other_records(
    session: AsyncSession, user_id: int, zone: ZoneInfo
) -> dict[str, list[dict[str, Any]]]:
    """Rows of tables the export has no words for yet, as stored, minus the row ids."""
    found: dict[str, list[dict[str, Any]]] = {}
    for table, column in user_tables():
        if table.name in EXPORTED or table.name in INTERNAL:
            continue
        result = await session.execute(select(table).where(table.c[column] == user_id))
        rows = [
            {
                key: export.local_time(value, zone)
                if isinstance(value, datetime)
                else _plain(value)
                for key, value in row._mapping.items()
                if key not in _LINK_COLUMNS
            }
            for row in result
        ]
        if rows:
            found[table.name] = rows
    return found


def _plan(plan: Plan | None, zone: str, local: Any) -> dict[str, Any] | None:
    if plan is None:
        return None
    days = [day for day in plan.weekdays if isinstance(day, int) and 0 <= day <= 6]
    shape = PlanDays(plan.split, tuple(days))
    return {
        "split": plan.split,
        "leg_days": [
            {
                "weekday": export.weekday(day),
                "workout": WORKOUT_TITLES[day_kind_for(shape, day) or "full"],
            }
            for day in days
        ],
        "reminder_time": plan.reminder_time,
        "time_zone": zone,  # reminders follow the user's zone
        "level": plan.experience,
        "explosive_lifts": plan.explosive,
        "deload_week_from": plan.deload_from.isoformat() if plan.deload_from else None,
        "rep_scheme_weeks_moved_on": plan.scheme_shift or 0,
        "created_at": local(plan.created_at),
        "changed_at": local(plan.updated_at),
    }


def _unfinished(row: ConversationRow | None) -> dict[str, Any] | None:
    """Answers given in a conversation still open, not saved anywhere else yet."""
    if row is None or not row.flow or not isinstance(row.data, dict):
        return None
    answers = row.data.get("answers")
    if not isinstance(answers, dict) or not answers:
        return None
    flow = registry.by_name(row.flow)
    return {
        "kind": row.flow,
        "conversation": registry.title_of(flow) if flow is not None else row.flow,
        "answers": dict(answers),
    }


async def export_replies(session: AsyncSession, user_id: int, now: datetime) -> list[Reply]:
    user = await session.get(User, user_id)
    if user is None:
        return []
    document = await export_document(session, user, now)
    stamp = datetime.fromisoformat(document["exported_at"]).date().isoformat()
    content = json.dumps(document, indent=2, ensure_ascii=False).encode()
    replies = [
        Reply(
            "account.export.summary_caption",
            attachment=Attachment(
                f"legdaycoach-{stamp}.md",
                export.render_summary(document).encode(),
                "text/markdown",
            ),
        ),
        Reply(
            "account.export.json_caption",
            attachment=Attachment(f"legdaycoach-{stamp}.json", content, "application/json"),
        ),
    ]
    if document["check_ins"]:
        replies.append(
            Reply(
                "account.export.csv_caption",
                attachment=Attachment(
                    f"checkins-{stamp}.csv", export.checkins_csv(document["check_ins"]), "text/csv"
                ),
            )
        )
    return replies


async def delete_user(session: AsyncSession, user_id: int) -> None:
    """Deletes every row about the user, children first (no reliance on ON DELETE CASCADE)."""
    for table, column in reversed(user_tables()):
        await session.execute(delete(table).where(table.c[column] == user_id))
    logger.info("deleted every row of user %s", user_id)
