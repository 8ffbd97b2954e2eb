"""The one-tap accept of the change the coach proposes, through the engine on SQLite and
PostgreSQL: from /progress and from the weekly summary's button, the stored plan changes
and the next leg-day reminder follows it."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.dispatcher.composers import PlanInfo, ReminderContext, compose_leg_day
from bot.engine import Coach
from bot.routine import CAPTION_LIMIT, summary_composer, with_catching_up
from bot.storage.db import Sessions
from bot.storage.models import LoggedSet, Plan, Reminder
from flows import catching_up
from flows.core import Event
from flows.lifts import LiftSet
from flows.planning import scheme_shift_for_change
from flows.reminders import parse_callback
from flows.texts import plain, render
from tests.bot.test_user_data import ANN, BOB, NOW, Clock, onboard, say, token

# Twelve weeks after the assessment (Tuesday 17 November), a Sunday evening in Berlin.
TODAY = date(2027, 2, 7)
LATER = datetime(2027, 2, 7, 18, 30, tzinfo=UTC)
# A squat single a week (1RM = weight) that climbs to 100 kg and then stalls for a month.
STALLED = (90, 92, 94, 96, 98, 100, 100, 100, 97.5, 100, 97.5, 100)


async def _log_stalled_squats(sessions: Sessions, user_id: int) -> None:
    first = TODAY - timedelta(days=7 * 11 + 4)
    async with sessions() as session, session.begin():
        for week, weight in enumerate(STALLED):
            session.add(
                LoggedSet(
                    user_id=user_id,
                    day=first + timedelta(weeks=week),
                    lift="back_squat",
                    weight_kg=float(weight),
                    reps=1,
                    unit="kg",
                    source="log",
                    created_at=NOW,
                    updated_at=NOW,
                )
            )


async def _plan(sessions: Sessions, user_id: int) -> Plan:
    async with sessions() as session:
        plan = await session.get(Plan, user_id)
        assert plan is not None
        return plan


async def _set_plan(sessions: Sessions, user_id: int, **values: object) -> None:
    async with sessions() as session, session.begin():
        plan = await session.get(Plan, user_id)
        assert plan is not None
        for name, value in values.items():
            setattr(plan, name, value)


async def test_a_deload_from_progress_reaches_the_leg_day_reminder(sessions: Sessions) -> None:
    clock = Clock(NOW)
    coach = Coach(sessions, clock=clock)
    await onboard(coach, ANN)  # split plan, Tuesday and Friday; bench 80 x 5 from /assess
    await _log_stalled_squats(sessions, ANN.user_id)
    clock.now = LATER
    replies = await say(coach, ANN, "/progress")
    [view] = [reply for reply in replies if reply.key == "catching_up.view"]
    text = render(view)
    assert "stopped closing" in text and "Your squat has not gone up in three weeks" in text
    assert "a deload week" in text
    charts = [reply for reply in replies if reply.attachment is not None]
    assert [reply.key for reply in charts] == ["catching_up.chart_caption"]
    assert charts[0].attachment is not None
    assert charts[0].attachment.content.startswith(b"\x89PNG")
    [value] = view.choice_values
    assert value == "go=progress adapt deload"

    pressed = await coach.handle(ANN, Event.button(value, token=await token(coach, ANN)))
    assert render(pressed.replies[0]).startswith(
        "✅ Done: Sunday 7 February to Saturday 13 February is a deload week."
    )
    plan = await _plan(sessions, ANN.user_id)
    assert plan.deload_from == TODAY and plan.split and plan.weekdays == [1, 4]

    # Tuesday's reminder is the deload workout, without a weight to beat.
    tuesday = TODAY + timedelta(days=2)
    message = compose_leg_day(_reminder_context(plan, tuesday))
    assert message is not None
    assert "Deload week: half the sets" in message.text_html
    after = compose_leg_day(_reminder_context(plan, tuesday + timedelta(weeks=1)))
    assert after is not None and "Deload week" not in after.text_html

    # Pressed again: nothing more changes.
    again = await coach.handle(ANN, Event.button(value, token=await token(coach, ANN)))
    assert "already runs" in render(again.replies[0])


def _reminder_context(plan: Plan, day: date) -> ReminderContext:
    return ReminderContext(
        delivery_id=1,
        reminder_id=1,
        user_id=plan.user_id,
        chat_id=plan.user_id,
        kind="leg_day",
        due_at=datetime(day.year, day.month, day.day, 17, 0, tzinfo=UTC),
        local_date=day,
        timezone="Europe/Berlin",
        first_name="",
        weight_unit="kg",
        plan=PlanInfo(
            plan.split,
            tuple(plan.weekdays),
            plan.experience,
            plan.explosive,
            plan.deload_from,
            plan.scheme_shift,
        ),
    )


def _summary_context(user_id: int) -> ReminderContext:
    return ReminderContext(
        delivery_id=77,
        reminder_id=1,
        user_id=user_id,
        chat_id=user_id,
        kind="summary",
        due_at=LATER,
        local_date=TODAY,
        timezone="Europe/Berlin",
        first_name="",
        weight_unit="kg",
        plan=None,
    )


async def test_the_weekly_summary_splits_the_leg_day_with_one_tap(sessions: Sessions) -> None:
    clock = Clock(NOW)
    coach = Coach(sessions, clock=clock)
    await onboard(coach, BOB)
    await _set_plan(sessions, BOB.user_id, split=False, weekdays=[2])
    await _log_stalled_squats(sessions, BOB.user_id)
    clock.now = LATER
    message = await summary_composer(sessions)(_summary_context(BOB.user_id))
    assert message is not None
    assert "🦵 <b>Legs catching up</b>" in message.text_html
    assert "two leg days instead of one" in message.text_html
    if message.photo is not None:
        assert len(plain(message.text_html)) <= CAPTION_LIMIT
    [[button]] = message.choices
    assert button.label == "✅ Split my leg day"
    assert parse_callback(button.value) == (77, "adapt_split")

    pressed = await coach.press_reminder(BOB, button.value)
    assert pressed is not None
    assert render(pressed.replies[0]).startswith(
        "✅ Done: your legs now train twice a week, Wednesday (front thigh and calves) and Saturday"
    )
    plan = await _plan(sessions, BOB.user_id)
    assert plan.split and plan.weekdays == [2, 5]
    async with sessions() as session:
        reminder = await session.scalar(
            select(Reminder).where(Reminder.user_id == BOB.user_id, Reminder.kind == "leg_day")
        )
    assert reminder is not None and reminder.weekdays == [2, 5] and reminder.active
    # Berlin's next Wednesday at 18:00 (17:00 UTC): the reminder follows the new days.
    assert reminder.next_due_at == datetime(2027, 2, 10, 17, 0, tzinfo=UTC)

    # The same button once more: the plan is split already.
    again = await coach.press_reminder(BOB, button.value)
    assert again is not None and "already has two leg days" in render(again.replies[0])


async def test_a_rep_scheme_change_moves_the_stored_rotation(sessions: Sessions) -> None:
    clock = Clock(NOW)
    coach = Coach(sessions, clock=clock)
    await onboard(coach, ANN)
    await _set_plan(sessions, ANN.user_id, deload_from=TODAY - timedelta(weeks=3))
    await _log_stalled_squats(sessions, ANN.user_id)
    clock.now = LATER
    # A new plan starts at week 1 of a block: its stored shift says where the rotation is.
    before = (await _plan(sessions, ANN.user_id)).scheme_shift
    message = await summary_composer(sessions)(_summary_context(ANN.user_id))
    assert message is not None
    [[button]] = message.choices
    assert parse_callback(button.value) == (77, f"adapt_scheme_{before}")
    pressed = await coach.press_reminder(ANN, button.value)
    assert pressed is not None and render(pressed.replies[0]).startswith("✅ Done: ")
    plan = await _plan(sessions, ANN.user_id)
    assert plan.scheme_shift == scheme_shift_for_change(before, TODAY) > before
    # The old button cannot shift it twice.
    again = await coach.press_reminder(ANN, button.value)
    assert again is not None and "nothing more to change" in render(again.replies[0])
    assert (await _plan(sessions, ANN.user_id)).scheme_shift == plan.scheme_shift


def _stalled_view() -> catching_up.View:
    first = TODAY - timedelta(days=7 * 11 + 4)
    sets = [
        LiftSet(first, "bench_press", 100.0, 1, source="assessment"),
        *(
            LiftSet(first + timedelta(weeks=week), "back_squat", float(weight), 1)
            for week, weight in enumerate(STALLED)
        ),
    ]
    weeks = catching_up.weekly(sets, [], TODAY)
    found = catching_up.trend(weeks, sets, TODAY)
    plan = catching_up.PlanState(True, (1, 4))
    proposal = catching_up.propose(found, catching_up.Context(plan=plan), TODAY)
    return catching_up.View(weeks, found, proposal)


@pytest.mark.parametrize("summary_length", [100, 600, 750, 900])
def test_the_summary_caption_keeps_within_telegrams_limit(summary_length: int) -> None:
    summary = "<b>Week</b> " + "x" * (summary_length - 5)
    text, choices = with_catching_up(summary, _stalled_view(), "kg", 5, photo=True)
    assert len(plain(text)) <= CAPTION_LIMIT
    assert text.startswith(summary)
    # The button comes only with the change it accepts.
    assert bool(choices) == ("One change to try" in text or "💡 Try" in text)
    if summary_length <= 500:
        assert "One change to try" in text and "Estimated 1RM" in text
    elif summary_length <= 750:
        assert "💡 Try: a deload week" in text and choices


def test_as_a_text_message_the_summary_keeps_everything() -> None:
    summary = "x" * 900
    text, choices = with_catching_up(summary, _stalled_view(), "kg", 5, photo=False)
    assert "Estimated 1RM" in text and "One change to try" in text
    [[button]] = choices
    assert parse_callback(button.value) == (5, "adapt_deload")
