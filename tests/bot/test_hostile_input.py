"""Hostile input through the engine on real SQLite and PostgreSQL: typed answers, forged
button values and reminder callback data never raise, always get an answer, and no number
outside its range is ever stored.

One user walks through the assessment and check-ins while the examples run: each example
throws something hostile at the open question, checks what the database holds, and then
answers the question properly so the next example meets the next question.
"""

from __future__ import annotations

import itertools
import math
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from bot.engine import Coach, Response, Sender
from bot.storage.db import Sessions
from bot.storage.models import Assessment, Checkin, ConversationRow, Plan, User
from flows import checkin
from flows.answers import BOUNDS, WHOLE_NUMBERS
from flows.core import Event, Reply
from flows.texts import render
from tests.flows.driver import TYPED
from tests.hostile import CHECKIN_BOUNDS, INT64_MAX, hostile_text

NOW = datetime(2026, 11, 17, 9, 30, tzinfo=UTC)
# Each test gets users of its own, so a walk never meets another test's rows.
_user_ids = itertools.count(9_000_001)
EXAMPLES = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,  # one database and one walking user per test
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
hostile_callback_data = st.one_of(
    st.text(max_size=80),
    st.tuples(st.just("r|"), hostile_text, st.sampled_from(["|done", "|snooze", "|checkin"])).map(
        "".join
    ),
    st.integers().map(lambda number: f"r|{number}|done"),
)


def _sane_number(where: str, value: Any, bounds: tuple[float, float] | None = None) -> None:
    if value is None or isinstance(value, bool):
        return
    if bounds is None and not isinstance(value, int | float):
        return  # a word, not a number
    assert isinstance(value, int | float), (where, value)
    assert math.isfinite(value), (where, value)
    if isinstance(value, int):
        assert -INT64_MAX - 1 <= value <= INT64_MAX, (where, value)
    if bounds is not None:
        assert bounds[0] <= value <= bounds[1], (where, value)


def _sane_json(where: str, value: Any) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            _sane_json(f"{where}.{key}", item)
    elif isinstance(value, list):
        for item in value:
            _sane_json(where, item)
    else:
        _sane_number(where, value)


async def assert_nothing_out_of_range(sessions: Sessions, user_id: int) -> None:
    async with sessions() as session:
        for assessment in await session.scalars(
            select(Assessment).where(Assessment.user_id == user_id)
        ):
            for key, value in assessment.answers.items():
                _sane_number(key, value, BOUNDS.get(key))
                if key in WHOLE_NUMBERS and value is not None:
                    assert isinstance(value, int), (key, value)
        for row in await session.scalars(select(Checkin).where(Checkin.user_id == user_id)):
            assert row.day <= NOW.date(), row.day  # no check-in for a day still to come
            for key, bounds in CHECKIN_BOUNDS.items():
                _sane_number(key, getattr(row, key), bounds)
        user = await session.get(User, user_id)
        if user is not None:
            assert 0 <= user.summary_weekday <= 6
        plan = await session.scalar(select(Plan).where(Plan.user_id == user_id))
        if plan is not None:
            assert all(day in range(7) for day in plan.weekdays)
        conversation = await session.get(ConversationRow, user_id)
        if conversation is not None:
            _sane_json("conversation", conversation.data)
            answers = conversation.data.get("answers", {})
            bounds = CHECKIN_BOUNDS if conversation.flow == checkin.NAME else BOUNDS
            for key, value in answers.items():
                _sane_number(key, value, bounds.get(key))


def assert_answered(response: Response | None) -> None:
    assert response is not None and response.replies, "no answer at all"
    for reply in response.replies:
        assert reply.key
        assert render(reply)


class Walker:
    """One user answering every question properly, between the hostile examples."""

    def __init__(self, sessions: Sessions, database: str) -> None:
        self.sessions = sessions
        self.on_postgresql = database.startswith("postgresql")
        self.coach = Coach(sessions, clock=lambda: NOW)
        user_id = next(_user_ids)
        self.sender = Sender(user_id, user_id, "Hostile")
        self.last: Response | None = None
        self.started = 0

    async def place(self) -> tuple[str | None, str | None]:
        async with self.sessions() as session:
            row = await session.get(ConversationRow, self.sender.user_id)
            return (row.flow, row.state) if row is not None else (None, None)

    async def send(self, event: Event) -> Response:
        self.last = await self.coach.handle(self.sender, event)
        return self.last

    async def ensure_open_question(self) -> None:
        flow, _ = await self.place()
        if flow is None:
            # Assessments and check-ins in turn: together they ask every number there is.
            self.started += 1
            await self.send(Event.command("assess" if self.started % 2 else "checkin"))

    async def answer_properly(self) -> None:
        flow, state = await self.place()
        if flow is None or state is None:
            return
        if flow != checkin.NAME and state in TYPED:
            await self.send(Event.typed(TYPED[state]))
            return
        asked: list[Reply] = [r for r in (self.last.replies if self.last else []) if r.choices]
        values = [v for v in (asked[-1].choice_values if asked else []) if not v.startswith("go")]
        if values and self.last is not None:
            await self.send(Event.button(values[0], token=self.last.token))
        else:
            await self.send(Event.command("cancel"))

    async def press(self, data: str) -> Response:
        """A button press as the Telegram adapter routes it: a reminder's, or the
        conversation's ("<token>|<value>")."""
        response = await self.coach.press_reminder(self.sender, data)
        if response is None:
            token, _, value = data.partition("|")
            response = await self.coach.handle(self.sender, Event.button(value, token=token))
        return response


@pytest.fixture
def walker(sessions: Sessions, db_url: str) -> Walker:
    return Walker(sessions, db_url)


@EXAMPLES
@given(text=hostile_text)
@example(text="99999999999999999999999")
@example(text="8²")
@example(text="٣")
@example(text="①")
@example(text="1_000")
@example(text="inf")
@example(text="nan")
@example(text="1e400")
async def test_hostile_typed_answers(walker: Walker, text: str) -> None:
    await walker.ensure_open_question()
    assert_answered(await walker.send(Event.typed(text)))
    await assert_nothing_out_of_range(walker.sessions, walker.sender.user_id)
    await walker.answer_properly()
    await assert_nothing_out_of_range(walker.sessions, walker.sender.user_id)


@EXAMPLES
@given(value=hostile_text, use_target=st.booleans())
@example(value="99999999999999999999", use_target=True)
@example(value="²", use_target=True)
async def test_hostile_button_values(walker: Walker, value: str, use_target: bool) -> None:
    await walker.ensure_open_question()
    _, state = await walker.place()
    assert walker.last is not None
    pressed = f"{state}={value}" if use_target else value
    assert_answered(await walker.send(Event.button(pressed, token=walker.last.token)))
    await assert_nothing_out_of_range(walker.sessions, walker.sender.user_id)
    await walker.answer_properly()


@EXAMPLES
@given(data=hostile_callback_data)
@example(data="r|99999999999999999999|done")
@example(data="r|²|done")
@example(data="r|٣|done")
@example(data="r|①|snooze")
@example(data="r|1_000|done")
async def test_hostile_callback_data(walker: Walker, data: str) -> None:
    # Those ids are the known PostgreSQL failure, tested on their own below.
    await walker.ensure_open_question()
    assert_answered(await walker.press(data))
    await assert_nothing_out_of_range(walker.sessions, walker.sender.user_id)


@pytest.mark.parametrize(
    "data", ["r|99999999999999999999|done", "r|²|done", "r|٣|skip", "r|1_000|done"]
)
async def test_malformed_reminder_ids_are_answered_as_unknown_buttons(
    walker: Walker, data: str
) -> None:
    await walker.ensure_open_question()
    response = await walker.press(data)
    assert_answered(response)
    assert response.replies[0].key in {"reminder.answer.unknown", "stale_button"}


@pytest.mark.parametrize(
    "data",
    ["r|2147483648|done", "r|9223372036854775807|skip", "r|9223372036854775807|checkin"],
)
async def test_reminder_ids_beyond_32_bits_are_answered_as_unknown(
    walker: Walker, data: str
) -> None:
    await walker.ensure_open_question()
    response = await walker.press(data)
    assert_answered(response)
    assert response.replies[0].key in {"reminder.answer.unknown", "stale_button"}
