"""A new assessment reaches the leg-day reminders: the workout follows the latest diagnosis."""

from __future__ import annotations

from datetime import UTC, date, datetime

from bot.engine import Coach
from bot.storage.db import Sessions
from bot.storage.models import Plan
from flows.reminders import leg_day_message
from flows.texts import plain
from tests.bot.test_user_data import ANN, Clock, onboard, say
from tests.flows.driver import TYPED

NOW = datetime(2026, 11, 17, 9, 30, tzinfo=UTC)


async def reassess(coach: Coach, **typed: str) -> None:
    answers = {**TYPED, **typed}
    replies = await say(coach, ANN, "/assess")
    while replies[-1].key.startswith("q."):
        replies = await say(coach, ANN, answers[replies[-1].key.removeprefix("q.")])


async def reminder_text(sessions: Sessions, day: date) -> str:
    async with sessions() as session:
        plan = await session.get(Plan, ANN.user_id)
        assert plan is not None
        message = leg_day_message(
            1, day, plan.split, tuple(plan.weekdays), plan.experience, plan.explosive
        )
    return plain(message.text_html)


async def test_reminders_follow_a_new_form_check(sessions: Sessions) -> None:
    coach = Coach(sessions, clock=Clock(NOW))
    await onboard(coach, ANN)  # form checked, weight not before form
    tuesday = date(2026, 11, 24)
    assert "drive the weight up fast" in await reminder_text(sessions, tuesday)

    await reassess(coach, form_checked="no")
    text = await reminder_text(sessions, tuesday)
    assert "fast" not in text and "heavy" not in text
    assert "moderate weight" in text

    await reassess(coach)
    assert "drive the weight up fast" in await reminder_text(sessions, tuesday)
