"""Reminders in storage (scheduling, pausing, reachability, button answers, answered leg
days) on SQLite and PostgreSQL, and the pure reminder helpers they build on."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import reminders
from bot.storage.db import Sessions
from bot.storage.models import Delivery, Reminder, User
from flows import reminders as pure
from flows import texts as all_texts
from flows.texts import reminders as reminder_texts

# Tuesday 17 November 2026, 10:30 in Berlin (UTC+1 in winter).
NOW = datetime(2026, 11, 17, 9, 30, tzinfo=UTC)
BERLIN = "Europe/Berlin"


async def add_user(
    session: AsyncSession, user_id: int, *, paused: bool = False, zone: str = BERLIN
) -> User:
    user = User(
        id=user_id,
        chat_id=user_id,
        first_name=f"Lifter {user_id}",
        weight_unit="kg",
        timezone=zone,
        reminders_paused=paused,
        created_at=NOW,
        updated_at=NOW,
    )
    session.add(user)
    await session.flush()
    return user


async def add_sent_delivery(
    session: AsyncSession,
    user_id: int,
    *,
    due_at: datetime = NOW,
    status: str = "sent",
    answered: str | None = None,
    kind: str = "leg_day",
) -> Delivery:
    """A user with a leg-day reminder whose occurrence at `due_at` went out."""
    reminder = await session.scalar(
        select(Reminder).where(Reminder.user_id == user_id, Reminder.kind == kind)
    )
    if reminder is None:
        reminder = await reminders.schedule(session, user_id, kind, [1, 4], "10:30", BERLIN, NOW)
    delivery = Delivery(
        reminder_id=reminder.id,
        user_id=user_id,
        kind=kind,
        due_at=due_at,
        local_date=due_at.astimezone(ZoneInfo(BERLIN)).date(),
        status=status,
        not_before=due_at,
        attempts=1,
        message_id=7,
        sent_at=due_at,
        answered=answered,
    )
    session.add(delivery)
    await session.flush()
    return delivery


async def deliveries_of(sessions: Sessions, user_id: int) -> list[Delivery]:
    async with sessions() as session:
        rows = await session.scalars(
            select(Delivery).where(Delivery.user_id == user_id).order_by(Delivery.due_at)
        )
        return list(rows)


# ---------------------------------------------------------------------------- schedule


async def test_schedule_creates_the_reminder_for_the_next_local_time(sessions: Sessions) -> None:
    async with sessions() as session, session.begin():
        await add_user(session, 1)
        reminder = await reminders.schedule(session, 1, "leg_day", [4, 1], "18:00", BERLIN, NOW)

    # Tuesday 18:00 in Berlin is 17:00 UTC, still ahead today.
    assert reminder.next_due_at == datetime(2026, 11, 17, 17, 0, tzinfo=UTC)
    assert reminder.weekdays == [1, 4]
    assert reminder.active is True
    assert (reminder.local_time, reminder.timezone) == ("18:00", BERLIN)


async def test_scheduling_again_replaces_the_one_reminder_of_that_kind(sessions: Sessions) -> None:
    async with sessions() as session, session.begin():
        await add_user(session, 2)
        first = await reminders.schedule(session, 2, "leg_day", [1, 4], "18:00", BERLIN, NOW)
        first.active = False  # as if the chat had been unreachable
        await session.flush()
        again = await reminders.schedule(
            session, 2, "leg_day", [3], "07:00", "America/New_York", NOW
        )

    async with sessions() as session:
        rows = list(await session.scalars(select(Reminder).where(Reminder.user_id == 2)))
    assert [row.id for row in rows] == [first.id]
    assert again.id == first.id
    # Thursday 07:00 in New York (UTC-5 in November).
    assert rows[0].next_due_at == datetime(2026, 11, 19, 12, 0, tzinfo=UTC)
    assert rows[0].active is True
    assert rows[0].weekdays == [3]


async def test_kinds_are_separate_series(sessions: Sessions) -> None:
    async with sessions() as session, session.begin():
        await add_user(session, 3)
        leg_day = await reminders.schedule(session, 3, "leg_day", [1], "18:00", BERLIN, NOW)
        checkin = await reminders.schedule(
            session, 3, "checkin", list(range(7)), "21:00", BERLIN, NOW
        )

    assert leg_day.id != checkin.id
    assert checkin.next_due_at == datetime(2026, 11, 17, 20, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("weekdays", "local_time", "zone", "kind"),
    [
        ([1], "24:00", BERLIN, "leg_day"),
        ([1], "7pm", BERLIN, "leg_day"),
        ([1], "18:00", "Mars/Olympus_Mons", "leg_day"),
        ([7], "18:00", BERLIN, "leg_day"),
        ([], "18:00", BERLIN, "leg_day"),
        ([1], "18:00", BERLIN, "yoga"),
    ],
)
async def test_schedule_refuses_what_it_cannot_keep(
    sessions: Sessions, weekdays: list[int], local_time: str, zone: str, kind: str
) -> None:
    async with sessions() as session, session.begin():
        await add_user(session, 4)
        with pytest.raises(ValueError):
            await reminders.schedule(session, 4, kind, weekdays, local_time, zone, NOW)


# ---------------------------------------------------------------------------- pause / resume


async def test_pause_drops_what_waits_and_resume_starts_afresh(sessions: Sessions) -> None:
    async with sessions() as session, session.begin():
        await add_user(session, 10)
        reminder = await reminders.schedule(session, 10, "leg_day", [1, 4], "18:00", BERLIN, NOW)
        waiting = await add_sent_delivery(session, 10, status="pending")
        waiting.answered = None

    async with sessions() as session, session.begin():
        assert await reminders.set_paused(session, 10, True, NOW) is True
    async with sessions() as session, session.begin():
        assert await reminders.set_paused(session, 10, True, NOW) is False

    async with sessions() as session:
        user = await session.get(User, 10)
        assert user is not None and user.reminders_paused is True
    assert [d.status for d in await deliveries_of(sessions, 10)] == ["dropped"]

    # A week later, Tuesday 20:30 in Berlin: today's 18:00 has passed, so Friday is next.
    later = datetime(2026, 11, 24, 19, 30, tzinfo=UTC)
    async with sessions() as session, session.begin():
        assert await reminders.set_paused(session, 10, False, later) is True
    async with sessions() as session, session.begin():
        assert await reminders.set_paused(session, 10, False, later) is False
    async with sessions() as session:
        stored = await session.get(Reminder, reminder.id)
        user = await session.get(User, 10)
    assert stored is not None and user is not None
    assert user.reminders_paused is False
    assert stored.next_due_at == datetime(2026, 11, 27, 17, 0, tzinfo=UTC)


async def test_pausing_an_unknown_user_changes_nothing(sessions: Sessions) -> None:
    async with sessions() as session, session.begin():
        assert await reminders.set_paused(session, 404, True, NOW) is False


async def test_resume_restarts_only_what_unreachability_stopped(sessions: Sessions) -> None:
    async with sessions() as session, session.begin():
        await add_user(session, 11)
        leg_day = await reminders.schedule(session, 11, "leg_day", [1, 4], "18:00", BERLIN, NOW)
        checkin = await reminders.schedule(session, 11, "checkin", [0], "21:00", BERLIN, NOW)
        checkin.active = False  # switched off earlier, for another reason
        checkin.updated_at = NOW - timedelta(days=3)
    blocked_at = NOW + timedelta(hours=1)
    async with sessions() as session, session.begin():
        await reminders.mark_unreachable(session, 11, blocked_at)

    async with sessions() as session:
        user = await session.get(User, 11)
        stopped = await session.get(Reminder, leg_day.id)
    assert user is not None and stopped is not None
    assert user.unreachable_since == blocked_at
    assert stopped.active is False

    back = datetime(2026, 11, 18, 9, 0, tzinfo=UTC)  # Wednesday
    async with sessions() as session, session.begin():
        assert await reminders.set_paused(session, 11, False, back) is True

    async with sessions() as session:
        user = await session.get(User, 11)
        restarted = await session.get(Reminder, leg_day.id)
        untouched = await session.get(Reminder, checkin.id)
    assert user is not None and restarted is not None and untouched is not None
    assert user.unreachable_since is None
    assert restarted.active is True
    assert restarted.next_due_at == datetime(2026, 11, 20, 17, 0, tzinfo=UTC)  # Friday
    assert untouched.active is False


# ---------------------------------------------------------------------------- buttons


async def answer(
    sessions: Sessions, user_id: int, delivery_id: int, action: str, now: datetime = NOW
) -> reminders.ReminderAnswer:
    async with sessions() as session, session.begin():
        return await reminders.answer_button(session, user_id, delivery_id, action, now)


async def stored_answer(sessions: Sessions, delivery_id: int) -> str | None:
    async with sessions() as session:
        delivery = await session.get(Delivery, delivery_id)
        assert delivery is not None
        return delivery.answered


async def test_done_is_stored_once_and_later_presses_say_so(sessions: Sessions) -> None:
    async with sessions() as session, session.begin():
        await add_user(session, 20)
        delivery = await add_sent_delivery(session, 20)

    done = await answer(sessions, 20, delivery.id, "done")
    assert (done.key, done.changed, done.answered) == ("reminder.answer.done", True, "done")
    assert "8 hours" in done.text

    for action in ("done", "snooze", "skip"):
        again = await answer(sessions, 20, delivery.id, action)
        assert (again.key, again.changed) == ("reminder.answer.already_done", False)
    assert await stored_answer(sessions, delivery.id) == "done"
    assert len(await deliveries_of(sessions, 20)) == 1  # the snooze added nothing


async def test_skip_is_stored_and_done_afterwards_changes_nothing(sessions: Sessions) -> None:
    async with sessions() as session, session.begin():
        await add_user(session, 21)
        delivery = await add_sent_delivery(session, 21)

    skipped = await answer(sessions, 21, delivery.id, "skip")
    assert (skipped.key, skipped.answered) == ("reminder.answer.skipped", "skipped")
    late_done = await answer(sessions, 21, delivery.id, "done")
    assert (late_done.key, late_done.changed) == ("reminder.answer.already_skipped", False)
    assert await stored_answer(sessions, delivery.id) == "skipped"


async def test_snooze_adds_a_pending_occurrence_an_hour_later(sessions: Sessions) -> None:
    async with sessions() as session, session.begin():
        await add_user(session, 22)
        delivery = await add_sent_delivery(session, 22)

    snoozed = await answer(sessions, 22, delivery.id, "snooze")
    assert snoozed.key == "reminder.answer.snoozed"
    assert snoozed.snoozed_until == NOW + timedelta(hours=1)
    assert snoozed.values == {"time": "11:30"}  # Berlin time
    assert "11:30" in snoozed.text

    original, follow_up = await deliveries_of(sessions, 22)
    assert original.id == delivery.id and original.answered == "snoozed"
    assert follow_up.reminder_id == original.reminder_id
    assert follow_up.status == "pending"
    assert follow_up.due_at == follow_up.not_before == NOW + timedelta(hours=1)
    assert follow_up.local_date == original.local_date == date(2026, 11, 17)
    assert follow_up.answered is None

    again = await answer(sessions, 22, delivery.id, "done")
    assert (again.key, again.changed) == ("reminder.answer.already_snoozed", False)
    # The new reminder has buttons of its own; it can be snoozed once more.
    later = NOW + timedelta(hours=1, minutes=2)
    second = await answer(sessions, 22, follow_up.id, "snooze", later)
    assert second.snoozed_until == later + timedelta(hours=1)
    assert len(await deliveries_of(sessions, 22)) == 3


async def test_snooze_moves_off_an_occurrence_already_at_that_instant(sessions: Sessions) -> None:
    async with sessions() as session, session.begin():
        await add_user(session, 23)
        delivery = await add_sent_delivery(session, 23)
        await add_sent_delivery(session, 23, due_at=NOW + timedelta(hours=1), status="pending")

    snoozed = await answer(sessions, 23, delivery.id, "snooze")

    assert snoozed.snoozed_until == NOW + timedelta(hours=1, seconds=1)
    due_times = [d.due_at for d in await deliveries_of(sessions, 23)]
    assert due_times == [NOW, NOW + timedelta(hours=1), NOW + timedelta(hours=1, seconds=1)]


async def test_snooze_that_would_land_tomorrow_is_refused(sessions: Sessions) -> None:
    evening = datetime(2026, 11, 17, 22, 30, tzinfo=UTC)  # 23:30 in Berlin
    async with sessions() as session, session.begin():
        await add_user(session, 24)
        delivery = await add_sent_delivery(session, 24, due_at=evening - timedelta(hours=2))

    refused = await answer(sessions, 24, delivery.id, "snooze", evening)

    assert (refused.key, refused.changed) == ("reminder.answer.too_late_to_snooze", False)
    assert await stored_answer(sessions, delivery.id) is None
    assert len(await deliveries_of(sessions, 24)) == 1
    done = await answer(sessions, 24, delivery.id, "done", evening)
    assert done.answered == "done"


async def test_buttons_do_nothing_while_reminders_are_paused(sessions: Sessions) -> None:
    async with sessions() as session, session.begin():
        await add_user(session, 25, paused=True)
        delivery = await add_sent_delivery(session, 25)

    for action in ("done", "snooze", "skip"):
        paused = await answer(sessions, 25, delivery.id, action)
        assert (paused.key, paused.changed) == ("reminder.answer.paused", False)
    assert await stored_answer(sessions, delivery.id) is None
    assert len(await deliveries_of(sessions, 25)) == 1


async def test_unknown_foreign_or_garbled_presses_change_nothing(sessions: Sessions) -> None:
    async with sessions() as session, session.begin():
        await add_user(session, 26)
        await add_user(session, 27)
        theirs = await add_sent_delivery(session, 27)

    foreign = await answer(sessions, 26, theirs.id, "done")
    missing = await answer(sessions, 26, theirs.id + 1000, "done")
    garbled = await answer(sessions, 27, theirs.id, "explode")

    for result in (foreign, missing, garbled):
        assert (result.key, result.changed) == ("reminder.answer.unknown", False)
    assert await stored_answer(sessions, theirs.id) is None


async def test_a_press_settles_a_delivery_of_unknown_fate(sessions: Sessions) -> None:
    async with sessions() as session, session.begin():
        await add_user(session, 28)
        delivery = await add_sent_delivery(session, 28, status="unknown")

    await answer(sessions, 28, delivery.id, "done")

    [stored] = await deliveries_of(sessions, 28)
    assert (stored.status, stored.answered) == ("sent", "done")


# ---------------------------------------------------------------------------- leg days done


async def test_leg_days_done_lists_answered_days_from_a_date_on(sessions: Sessions) -> None:
    days = [datetime(2026, 11, day, 17, 0, tzinfo=UTC) for day in (3, 6, 10, 13, 17)]
    async with sessions() as session, session.begin():
        await add_user(session, 30)
        await add_sent_delivery(session, 30, due_at=days[0], answered="done")
        await add_sent_delivery(session, 30, due_at=days[1], answered="done")
        await add_sent_delivery(session, 30, due_at=days[2], answered="skipped")
        await add_sent_delivery(session, 30, due_at=days[3])  # never answered
        await add_sent_delivery(session, 30, due_at=days[4], answered="snoozed")
        await add_sent_delivery(session, 30, due_at=days[4] + timedelta(hours=1), answered="done")
        await add_sent_delivery(session, 30, due_at=days[2], answered="done", kind="checkin")

    async with sessions() as session:
        listed = await reminders.leg_days_done(session, 30, date(2026, 11, 5))

    assert listed == [
        (date(2026, 11, 6), "done"),
        (date(2026, 11, 10), "skipped"),
        (date(2026, 11, 17), "done"),
    ]


# ---------------------------------------------------------------------------- pure helpers


def test_callback_data_round_trips_and_fits_telegrams_limit() -> None:
    for action in pure.ACTIONS:
        data = pure.callback_data(pure.MAX_DELIVERY_ID, action)
        assert len(data.encode()) <= 64
        assert pure.parse_callback(data) == (pure.MAX_DELIVERY_ID, action)
    assert pure.callback_data(15, "done") == "r|15|done"


@pytest.mark.parametrize("data", ["tok|r|1", "r|x|done", "r|12", "r||done", "r|12|", ""])
def test_other_button_data_is_not_read_as_a_reminder(data: str) -> None:
    assert pure.parse_callback(data) is None


def test_leg_day_message_shows_the_day_of_the_plan_with_three_buttons() -> None:
    tuesday, friday, sunday = date(2026, 11, 17), date(2026, 11, 20), date(2026, 11, 22)
    plan = {"split": True, "weekdays": (1, 4), "experience": "advanced", "explosive": True}

    front = pure.leg_day_message(41, tuesday, **plan)  # type: ignore[arg-type]
    back = pure.leg_day_message(42, friday, **plan)  # type: ignore[arg-type]
    off_plan = pure.leg_day_message(43, sunday, **plan)  # type: ignore[arg-type]

    assert "Day A" in front.text_html and "Tuesday 17 November" in front.text_html
    assert "Day B" in back.text_html
    assert "back thigh and calves" in off_plan.text_html  # the full day
    values = [choice.value for row in front.choices for choice in row]
    assert values == ["r|41|done", "r|41|snooze", "r|41|skip"]
    labels = [choice.label for row in front.choices for choice in row]
    assert labels == ["✅ Done", "⏰ Snooze 1 h", "Skip this one"]


def test_an_unknown_level_gets_the_beginners_workout() -> None:
    day = date(2026, 11, 17)
    unknown = pure.leg_day_workout(day, False, (1,), "legend", True)
    beginner = pure.leg_day_workout(day, False, (1,), "beginner", True)
    assert unknown == beginner
    assert all(basic.load == "moderate" for basic in unknown.basics)  # never heavy


def test_reminder_texts_are_in_the_shared_text_table() -> None:
    assert all(all_texts.TEXTS[key] == text for key, text in reminder_texts.TEXTS.items())
    for text in reminder_texts.TEXTS.values():
        assert len(text.format(time="23:59")) <= 200  # fits a button's pop-up notice
