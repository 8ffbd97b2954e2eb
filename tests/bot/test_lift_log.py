"""Top sets and measurements through the engine on SQLite and PostgreSQL: kept from the
assessment and /log, offered after a leg day's Done, carried into the next reminder as
today's aim, exported and deleted."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

from sqlalchemy import select

from bot.dispatcher.composers import PlanInfo, ReminderContext, leg_day_composer
from bot.effects import date_in_first_zone
from bot.engine import Coach, ensure_user
from bot.storage.db import Sessions
from bot.storage.models import BodyMeasurement, LoggedSet, User
from flows.core import Event
from flows.reminders import callback_data
from flows.texts import render
from tests.bot.test_user_data import (
    ANN,
    BOB,
    NOW,
    Clock,
    _export,
    _leg_day_reminder_sent,
    _rows_about,
    onboard,
    say,
    token,
)

TUESDAY = date(2026, 11, 17)


async def _sets(sessions: Sessions, user_id: int) -> list[tuple[date, str, float, int, str]]:
    async with sessions() as session:
        rows = await session.scalars(
            select(LoggedSet).where(LoggedSet.user_id == user_id).order_by(LoggedSet.id)
        )
        return [(r.day, r.lift, r.weight_kg, r.reps, r.source) for r in rows]


async def test_sets_from_the_assessment_and_log_after_done(sessions: Sessions) -> None:
    clock = Clock(NOW)
    coach = Coach(sessions, clock=clock)
    await onboard(coach, ANN)  # squat 100 x 5, bench 80 x 5, tape, 82 kg
    assert await _sets(sessions, ANN.user_id) == [
        (TUESDAY, "back_squat", 100.0, 5, "assessment"),
        (TUESDAY, "bench_press", 80.0, 5, "assessment"),
    ]
    async with sessions() as session:
        [measured] = list(await session.scalars(select(BodyMeasurement)))
    assert (measured.body_weight_kg, measured.thigh_cm) == (82.0, 58.0)

    # Tuesday's reminder answered with Done: the answer offers /log for that day.
    delivery_id = await _leg_day_reminder_sent(
        sessions, ANN, datetime(2026, 11, 17, 17, 0, tzinfo=UTC)
    )
    clock.now = datetime(2026, 11, 17, 19, 0, tzinfo=UTC)
    pressed = await coach.press_reminder(ANN, callback_data(delivery_id, "done"))
    assert pressed is not None
    assert [reply.key for reply in pressed.replies] == [
        "reminder.answer.done",
        "reminder.log_offer",
    ]
    assert pressed.token == await token(coach, ANN)
    [button] = pressed.replies[1].choice_values
    assert button == "go=log 2026-11-17"
    replies = (await coach.handle(ANN, Event.button(button, token=pressed.token))).replies
    assert replies[-1].key == "log.q" and replies[-1].values["lift"] == "Barbell back squat"
    await say(coach, ANN, "1000 kg x 1")  # refused: nothing kept
    await say(coach, ANN, "102.5 x 8", "skip")
    assert (TUESDAY, "back_squat", 102.5, 8, "log") in await _sets(sessions, ANN.user_id)

    # Friday's reminder is day B; the next Tuesday's carries the squat's aim.
    message = await leg_day_composer(sessions)(
        ReminderContext(
            delivery_id=delivery_id,
            reminder_id=1,
            user_id=ANN.user_id,
            chat_id=ANN.chat_id,
            kind="leg_day",
            due_at=datetime(2026, 11, 24, 17, 0, tzinfo=UTC),
            local_date=date(2026, 11, 24),
            timezone="Europe/Berlin",
            first_name="Ann",
            weight_unit="kg",
            plan=PlanInfo(True, (1, 4), "intermediate", True),
        )
    )
    assert message is not None
    assert "Barbell back squat: last time 102.5 kg x 8:" in message.text_html


async def test_measure_and_log_are_exported_and_deleted(sessions: Sessions) -> None:
    coach = Coach(sessions, clock=Clock(NOW))
    await onboard(coach, ANN)
    await onboard(coach, BOB)
    await say(coach, ANN, "/measure", "83 kg", "no")
    await say(coach, ANN, "/log", "100 x 8", "skip")
    files = await _export(coach, ANN)
    [data] = [content for name, content in files.items() if name.endswith(".json")]
    text = json.dumps(json.loads(data))
    assert "lift_sets" in text and "measurements" in text and "83.0" in text
    await say(coach, ANN, "/delete", "yes")
    rows = await _rows_about(sessions, ANN.user_id)
    assert rows["lift_sets"] == 0 and rows["measurements"] == 0
    bob = await _rows_about(sessions, BOB.user_id)
    assert bob["lift_sets"] == 2 and bob["measurements"] == 1


async def test_bad_input_is_explained_and_measure_puts_log_on_hold(sessions: Sessions) -> None:
    coach = Coach(sessions, clock=Clock(NOW))
    await onboard(coach, ANN)
    replies = await say(coach, ANN, "/log", "x5")
    assert replies[0].key == "log.error.no_weight"
    assert "put the weight first" in render(replies[0])
    replies = await say(coach, ANN, "/measure")
    assert [replies[0].key, replies[-1].key] == ["paused", "measure.q.body_weight"]
    replies = await say(coach, ANN, "skip", "skip")  # measure ends, the log comes back
    assert replies[-1].key == "log.q" and replies[-1].values["lift"] == "Barbell back squat"


async def test_records_saved_before_the_first_zone_take_its_local_date(
    sessions: Sessions,
) -> None:
    """Sets and a weigh-in typed at 21:50 in New York (02:50 UTC the next day), before any
    zone was chosen, are of 30 November once the plan says New York; a set that would land
    on a day already holding that lift stays where it is."""
    late = datetime(2026, 12, 1, 2, 50, tzinfo=UTC)
    utc_day, local_day = date(2026, 12, 1), date(2026, 11, 30)

    def lift_set(lift: str, day: date) -> LoggedSet:
        return LoggedSet(
            user_id=ANN.user_id,
            day=day,
            lift=lift,
            weight_kg=100.0,
            reps=5,
            unit="kg",
            source="assessment",
            created_at=late,
            updated_at=late,
        )

    async with sessions() as session, session.begin():
        await ensure_user(session, ANN, late)
        await session.flush()
        session.add_all(
            [
                lift_set("back_squat", utc_day),
                lift_set("bench_press", utc_day),
                lift_set("leg_press", utc_day),
                lift_set("leg_press", local_day),  # already there: the other stays
                BodyMeasurement(
                    user_id=ANN.user_id,
                    day=utc_day,
                    body_weight_kg=80.0,
                    created_at=late,
                    updated_at=late,
                ),
            ]
        )
    async with sessions() as session, session.begin():
        user = await session.get(User, ANN.user_id)
        assert user is not None
        await date_in_first_zone(session, user, "America/New_York", late)
    async with sessions() as session:
        sets = {(row.lift, row.day) for row in await session.scalars(select(LoggedSet))}
        weigh_ins = [row.day for row in await session.scalars(select(BodyMeasurement))]
    assert sets == {
        ("back_squat", local_day),
        ("bench_press", local_day),
        ("leg_press", local_day),
        ("leg_press", utc_day),
    }
    assert weigh_ins == [local_day]


async def test_a_day_with_a_logged_set_is_a_leg_day_done(sessions: Sessions) -> None:
    from bot.reminders import leg_days_done

    logged_at = datetime(2026, 11, 17, 19, 0, tzinfo=UTC)
    async with sessions() as session, session.begin():
        await ensure_user(session, ANN, logged_at)
        await session.flush()
        for day, source in ((TUESDAY, "log"), (date(2026, 11, 14), "assessment")):
            session.add(
                LoggedSet(
                    user_id=ANN.user_id,
                    day=day,
                    lift="back_squat",
                    weight_kg=100.0,
                    reps=8,
                    unit="kg",
                    source=source,
                    created_at=logged_at,
                    updated_at=logged_at,
                )
            )
    async with sessions() as session:
        done = await leg_days_done(session, ANN.user_id, date(2026, 11, 10))
    # The assessment's best set says nothing of that day's training; a /log does.
    assert done == [(TUESDAY, "done")]
