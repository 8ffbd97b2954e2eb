"""The weekly summaries of many users are spread over the evening's window, 19:00 to 19:59
local: each user keeps one minute of it, and users differ."""

from __future__ import annotations

import random
import re
from collections import Counter
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot import reminders
from bot.reminders import (
    SUMMARY_WINDOW_MINUTES,
    SUMMARY_WINDOW_START,
    summary_offset_minutes,
    summary_time,
)
from bot.storage.db import Sessions
from bot.storage.models import User

WINDOW = re.compile(r"19:[0-5]\d")


@pytest.mark.parametrize(
    ("user_id", "local_time"),
    [
        (1, "19:50"),
        (2, "19:20"),
        (301, "19:09"),
        (6001, "19:21"),
        (123_456_789, "19:17"),
        (5_000_000_000, "19:55"),  # Telegram ids beyond 32 bits
        (2**62 + 11, "19:01"),
    ],
)
def test_a_user_keeps_the_same_minute_of_the_window(user_id: int, local_time: str) -> None:
    # Fixed here: a change would move every user's summary to another minute.
    assert summary_time(user_id) == local_time
    assert summary_time(user_id) == summary_time(user_id)
    assert 0 <= summary_offset_minutes(user_id) < SUMMARY_WINDOW_MINUTES


@pytest.mark.parametrize(
    "user_ids",
    [
        pytest.param(range(1, 10_001), id="consecutive"),
        pytest.param(range(100_000_000, 100_000_000 + 10_000 * 60, 60), id="every-60th"),
        pytest.param(random.Random(7).sample(range(10**6, 8 * 10**9), 10_000), id="telegram-like"),
    ],
)
def test_ten_thousand_users_spread_over_the_whole_window(user_ids: range | list[int]) -> None:
    times = [summary_time(user_id) for user_id in user_ids]
    assert all(WINDOW.fullmatch(value) for value in times)
    per_minute = Counter(times)
    assert len(per_minute) == SUMMARY_WINDOW_MINUTES  # every minute of the window is used
    mean = len(times) / SUMMARY_WINDOW_MINUTES  # about 167
    assert max(per_minute.values()) < 1.3 * mean
    assert min(per_minute.values()) > 0.7 * mean


def test_neighbours_get_different_minutes() -> None:
    minutes = {summary_offset_minutes(user_id) for user_id in range(1000, 1020)}
    assert len(minutes) >= 14  # 20 users: a handful may share a minute, not all


async def test_a_scheduled_summary_fires_at_the_users_minute_in_their_zone(
    sessions: Sessions,
) -> None:
    now = datetime(2026, 3, 27, 12, 0, tzinfo=UTC)  # a Friday; clocks change on Sunday 29
    zone = "Europe/Berlin"
    user_ids = [7001, 7002, 7003, 7004, 7005]
    async with sessions() as session, session.begin():
        for user_id in user_ids:
            session.add(User(id=user_id, chat_id=user_id, created_at=now, updated_at=now))
        await session.flush()
        due = {
            user_id: (
                await reminders.schedule(
                    session, user_id, "summary", [6], summary_time(user_id), zone, now
                )
            ).next_due_at
            for user_id in user_ids
        }
    for user_id, due_at in due.items():
        local = due_at.astimezone(ZoneInfo(zone))
        start = datetime.combine(local.date(), SUMMARY_WINDOW_START, ZoneInfo(zone))
        assert local.date().isoformat() == "2026-03-29"  # Sunday, summer time already
        assert local - start == timedelta(minutes=summary_offset_minutes(user_id))
        assert time(19, 0) <= local.time() < time(20, 0)
    assert len(set(due.values())) > 1
