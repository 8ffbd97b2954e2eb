"""Rows for filling a database with many users at once (Core inserts): users, their leg-day
plans and reminders, as the dispatcher's load tests and the benchmarks need them."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.storage.models import Plan, Reminder, User


def stamp(created: datetime) -> dict[str, datetime]:
    return {"created_at": created, "updated_at": created}


def user_rows(
    ids: Iterable[int],
    *,
    zone: str,
    created: datetime,
    chat_of: Callable[[int], int] = lambda user_id: user_id,
) -> list[dict[str, Any]]:
    return [
        {
            "id": user_id,
            "chat_id": chat_of(user_id),
            "first_name": "Lifter",
            "weight_unit": "kg",
            "timezone": zone,
            "reminders_paused": False,
            **stamp(created),
        }
        for user_id in ids
    ]


def plan_rows(ids: Iterable[int], *, reminder_time: str, created: datetime) -> list[dict[str, Any]]:
    """A split plan on Tuesdays and Fridays for each user."""
    return [
        {
            "user_id": user_id,
            "split": True,
            "weekdays": [1, 4],
            "experience": "intermediate",
            "explosive": False,
            "reminder_time": reminder_time,
            **stamp(created),
        }
        for user_id in ids
    ]


def reminder_rows(
    ids: Iterable[int],
    kinds: Sequence[str],
    *,
    weekdays: Sequence[int],
    local_time: str,
    zone: str,
    next_due_at: datetime,
    created: datetime,
) -> list[dict[str, Any]]:
    """One active reminder of each kind for each user."""
    return [
        {
            "user_id": user_id,
            "kind": kind,
            "weekdays": list(weekdays),
            "local_time": local_time,
            "timezone": zone,
            "next_due_at": next_due_at,
            "active": True,
            **stamp(created),
        }
        for user_id in ids
        for kind in kinds
    ]


async def add_planned_users(
    connection: AsyncConnection,
    ids: Sequence[int],
    *,
    zone: str,
    created: datetime,
    reminder_time: str,
    kinds: Sequence[str],
    weekdays: Sequence[int],
    local_time: str,
    next_due_at: datetime,
    chat_of: Callable[[int], int] = lambda user_id: user_id,
) -> None:
    """Users with a plan and one reminder of each kind (see the row functions above)."""
    await connection.execute(
        insert(User), user_rows(ids, zone=zone, created=created, chat_of=chat_of)
    )
    await connection.execute(
        insert(Plan), plan_rows(ids, reminder_time=reminder_time, created=created)
    )
    await connection.execute(
        insert(Reminder),
        reminder_rows(
            ids,
            kinds,
            weekdays=weekdays,
            local_time=local_time,
            zone=zone,
            next_due_at=next_due_at,
            created=created,
        ),
    )


async def add_users_due(
    connection: AsyncConnection,
    ids: Sequence[int],
    kinds: Sequence[str],
    *,
    due_at: datetime,
    zone: str,
    created: datetime,
    chat_of: Callable[[int], int] = lambda user_id: user_id,
) -> None:
    """Users with a plan and a daily reminder of each kind due at `due_at`: the reminders and
    the plan are set for that time of day in `zone`."""
    local = due_at.astimezone(ZoneInfo(zone))
    local_time = f"{local.hour:02d}:{local.minute:02d}"
    await add_planned_users(
        connection,
        ids,
        zone=zone,
        created=created,
        reminder_time=local_time,
        kinds=kinds,
        weekdays=range(7),
        local_time=local_time,
        next_due_at=due_at,
        chat_of=chat_of,
    )
