"""Check-ins, plans, settings, export and delete through the engine, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from bot.account_data import EXPORTED, INTERNAL, user_tables
from bot.engine import Coach, Sender
from bot.profile import latest_assessment
from bot.reminders import summary_offset_minutes, summary_time
from bot.storage.db import Sessions
from bot.storage.models import Checkin, Delivery, Reminder, User, UTCDateTime
from flows.core import Event, Reply
from flows.reminders import callback_data
from flows.texts import render
from tests.flows.driver import TYPED

# A Tuesday morning in Berlin.
NOW = datetime(2026, 11, 17, 9, 30, tzinfo=UTC)
ANN = Sender(user_id=301, chat_id=301, first_name="Ann")
BOB = Sender(user_id=302, chat_id=302, first_name="Bob")


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


async def say(coach: Coach, sender: Sender, *messages: str) -> list[Reply]:
    replies: list[Reply] = []
    for message in messages:
        event = (
            Event.command(message[1:].split()[0], " ".join(message.split()[1:]))
            if message.startswith("/")
            else Event.typed(message)
        )
        replies = (await coach.handle(sender, event)).replies
    return replies


async def onboard(coach: Coach, sender: Sender) -> None:
    """Assessment, then a plan on Tuesday and Friday at 18:00 in Berlin."""
    replies = await say(coach, sender, "/start")
    while replies[-1].key.startswith("q."):
        replies = await say(coach, sender, TYPED[replies[-1].key.removeprefix("q.")])
    replies = await say(coach, sender, "/plan")
    assert replies[0].key == "plan.proposal.split"
    response = await coach.handle(
        sender, Event.button("plan=keep", token=(await token(coach, sender)))
    )
    assert response.replies[0].key == "time.prompt"
    await say(coach, sender, "18:00", "Berlin")


async def token(coach: Coach, sender: Sender) -> str:
    from bot.storage.models import ConversationRow

    async with coach.sessions() as session:
        row = await session.get(ConversationRow, sender.user_id)
        return row.token if row else ""


async def test_plan_schedules_leg_days_checkins_and_summary(sessions: Sessions) -> None:
    coach = Coach(sessions, clock=Clock(NOW))
    await onboard(coach, ANN)
    async with sessions() as session:
        found = {
            row.kind: row
            for row in await session.scalars(
                select(Reminder).where(Reminder.user_id == ANN.user_id)
            )
        }
    assert set(found) == {"leg_day", "checkin", "summary"}
    # 18:00 in Berlin on Tuesday 17 November is 17:00 UTC; check-in 21:00 local = 20:00 UTC.
    assert found["leg_day"].next_due_at == datetime(2026, 11, 17, 17, 0, tzinfo=UTC)
    assert found["checkin"].next_due_at == datetime(2026, 11, 17, 20, 0, tzinfo=UTC)
    # The summary: Sunday evening, 19:00 plus the user's own minute of the hour.
    offset = timedelta(minutes=summary_offset_minutes(ANN.user_id))
    assert found["summary"].local_time == summary_time(ANN.user_id)
    assert found["summary"].next_due_at == datetime(2026, 11, 22, 18, 0, tzinfo=UTC) + offset


async def test_checkin_twice_a_day_updates_one_row(sessions: Sessions) -> None:
    clock = Clock(NOW)
    coach = Coach(sessions, clock=clock)
    await onboard(coach, ANN)
    replies = await say(
        coach, ANN, "/checkin", "7.5", "140 g", "moderate", "40", "intervals", "done"
    )
    assert replies[0].key == "checkin.saved"
    replies = await say(coach, ANN, "/checkin", "8", "180", "high", "0", "done")
    assert replies[0].key == "checkin.updated"
    async with sessions() as session:
        rows = (await session.scalars(select(Checkin).where(Checkin.user_id == ANN.user_id))).all()
    assert [(row.day, row.sleep_hours, row.protein_g, row.cardio_minutes) for row in rows] == [
        (date(2026, 11, 17), 8.0, 180.0, 0)
    ]


async def test_progress_sends_the_summary_and_a_chart(sessions: Sessions) -> None:
    clock = Clock(NOW)
    coach = Coach(sessions, clock=clock)
    await onboard(coach, ANN)
    for day in range(3):
        clock.now = NOW + timedelta(days=day)
        await say(coach, ANN, "/checkin", "7", "150", "moderate", "0", "rest")
    replies = await say(coach, ANN, "/progress")
    photos = [reply for reply in replies if reply.attachment and reply.attachment.as_photo]
    assert len(photos) == 1
    assert photos[0].attachment is not None
    assert photos[0].attachment.content.startswith(b"\x89PNG")


async def test_settings_time_zone_moves_every_reminder(sessions: Sessions) -> None:
    coach = Coach(sessions, clock=Clock(NOW))
    await onboard(coach, ANN)
    await say(coach, ANN, "/settings")
    async with sessions() as session:
        before = {
            row.kind: row.next_due_at
            for row in await session.scalars(
                select(Reminder).where(Reminder.user_id == ANN.user_id)
            )
        }
    from bot.storage.models import ConversationRow

    async with sessions() as session:
        row = await session.get(ConversationRow, ANN.user_id)
        assert row is not None and row.flow == "settings"
        settings_token = row.token
    await coach.handle(ANN, Event.button("settings=zone", token=settings_token))
    await say(coach, ANN, "Tokyo")
    async with sessions() as session:
        user = await session.get(User, ANN.user_id)
        after = {
            row.kind: row
            for row in await session.scalars(
                select(Reminder).where(Reminder.user_id == ANN.user_id)
            )
        }
    assert user is not None and user.timezone == "Asia/Tokyo"
    assert {row.timezone for row in after.values()} == {"Asia/Tokyo"}
    # 18:00 in Tokyo is 09:00 UTC: the leg-day reminder moved.
    assert after["leg_day"].next_due_at != before["leg_day"]
    assert after["leg_day"].next_due_at.astimezone(UTC).hour == 9


async def _rows_about(sessions: Sessions, user_id: int) -> dict[str, int]:
    counts = {}
    async with sessions() as session:
        for table, column in user_tables():
            counts[table.name] = (
                await session.scalar(
                    select(func.count()).select_from(table).where(table.c[column] == user_id)
                )
                or 0
            )
    return counts


# Keys of the bot's machinery that must never reach an export.
INTERNAL_KEYS = (
    "token",
    "version",
    "outbox",
    "update_id",
    "message_id",
    "attempts",
    "lease",
    "status",
    "not_before",
    "reminder_id",
    "chat_id",
)


def _keys(value: object) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {key for item in value.values() for key in _keys(item)}
    if isinstance(value, list):
        return {key for item in value for key in _keys(item)}
    return set()


async def _leg_day_reminder_sent(sessions: Sessions, sender: Sender, due_at: datetime) -> int:
    """The leg-day reminder of `due_at` as the dispatcher leaves it once sent."""
    async with sessions() as session, session.begin():
        reminder = await session.scalar(
            select(Reminder).where(Reminder.user_id == sender.user_id, Reminder.kind == "leg_day")
        )
        assert reminder is not None
        delivery = Delivery(
            reminder_id=reminder.id,
            user_id=sender.user_id,
            kind="leg_day",
            due_at=due_at,
            local_date=due_at.astimezone(ZoneInfo("Europe/Berlin")).date(),
            status="sent",
            not_before=due_at,
            attempts=1,
            sent_at=due_at,
            message_id=555,
        )
        session.add(delivery)
        await session.flush()
        return delivery.id


async def _export(coach: Coach, sender: Sender) -> dict[str, bytes]:
    replies = await say(coach, sender, "/export")
    assert replies[0].key == "account.export.ready"
    return {
        reply.attachment.filename: reply.attachment.content for reply in replies if reply.attachment
    }


async def test_export_is_a_summary_in_local_time_and_data_without_internals(
    sessions: Sessions,
) -> None:
    clock = Clock(NOW)
    coach = Coach(sessions, clock=clock)
    assert (await say(coach, ANN, "/export"))[0].key == "account.export.nothing"
    await onboard(coach, ANN)
    await onboard(coach, BOB)
    # Settings: the daily check-in at 21:30.
    await say(coach, ANN, "/settings")
    await coach.handle(ANN, Event.button("settings=time", token=await token(coach, ANN)))
    await say(coach, ANN, "21:30", "/cancel")
    # Tuesday's reminder at 18:00 Berlin, answered with Done.
    delivery_id = await _leg_day_reminder_sent(
        sessions, ANN, datetime(2026, 11, 17, 17, 0, tzinfo=UTC)
    )
    clock.now = datetime(2026, 11, 17, 17, 5, tzinfo=UTC)
    pressed = await coach.press_reminder(ANN, callback_data(delivery_id, "done"))
    assert pressed is not None
    # The evening check-in: the leg day is marked already, so it is not asked again.
    clock.now = datetime(2026, 11, 17, 20, 40, tzinfo=UTC)  # 21:40 in Berlin
    replies = await say(coach, ANN, "/checkin", "7.5", "150", "low", "0")
    assert replies[0].key == "checkin.saved"
    # An assessment begun again and left open after one answer.
    await say(coach, ANN, "/assess", "beginner")

    files = await _export(coach, ANN)
    assert sorted(files) == [
        "checkins-2026-11-17.csv",
        "legdaycoach-2026-11-17.json",
        "legdaycoach-2026-11-17.md",
    ]
    summary = files["legdaycoach-2026-11-17.md"].decode()
    document = json.loads(files["legdaycoach-2026-11-17.json"])

    # Local time everywhere: 20:40 UTC is 21:40 in Berlin.
    assert "Exported Tuesday 17 November 2026, 21:40 (Berlin)" in summary
    assert document["exported_at"] == "2026-11-17T21:40+01:00"
    assert "- Daily check-in: at 21:30" in summary
    assert "- Weekly summary: Sunday evening" in summary
    # The assessment: every answer in words, and the diagnosis.
    assert "### Assessment of Tuesday 17 November 2026, 10:30" in summary
    assert "- What do you weigh? **82 kg**" in summary
    assert "- How long have you been training with weights? **Intermediate (1–3 years)**" in (
        summary
    )
    assert "## Your latest diagnosis" in summary and "What you already do right" in summary
    # The plan in words.
    assert "- Tuesday: Day A: front thigh and calves" in summary
    assert "- Friday: Day B: back thigh, glutes and calves" in summary
    assert "Reminder at 18:00 (Berlin), on." in summary
    assert "- Leg-day reminder: Tuesday and Friday at 18:00 (Berlin), on" in summary
    # The reminder answered, and the check-in as a table row with the leg day it marked.
    assert "- Tuesday 17 November 2026: done" in summary
    assert "| Tue 17 Nov 2026 | 7.5 h | 150 g | low | none | done |" in summary
    # What is still open is there too.
    assert "## Unfinished: your assessment" in summary
    assert "**Beginner (under 1 year)**" in summary

    # The data: everything the user gave, under meaningful keys, nothing internal.
    async with sessions() as session:
        stored = await latest_assessment(session, ANN.user_id)
        assert stored is not None
    assert document["assessments"][0]["answers"] == stored.answers
    assert document["assessments"][0]["taken_at"] == "2026-11-17T10:30+01:00"
    assert document["settings"] == {
        "time_zone": "Europe/Berlin",
        "weight_unit": "kg",
        "daily_check_in_time": "21:30",
        "daily_check_ins_paused": False,
        "weekly_summary_day": "Sunday",
        "leg_day_reminders_paused": False,
    }
    assert [day["weekday"] for day in document["plan"]["leg_days"]] == ["Tuesday", "Friday"]
    assert document["plan"]["reminder_time"] == "18:00"
    assert {item["what"]: item["weekdays"] for item in document["scheduled"]}["leg_day"] == [
        "Tuesday",
        "Friday",
    ]
    assert document["reminder_answers"] == [
        {
            "date": "2026-11-17",
            "weekday": "Tuesday",
            "reminder": "leg_day",
            "answer": "done",
            "sent_at": "2026-11-17T18:00+01:00",
        }
    ]
    [checkin] = document["check_ins"]
    assert checkin["date"] == "2026-11-17" and checkin["weekday"] == "Tuesday"
    assert (checkin["sleep_hours"], checkin["protein_g"], checkin["leg_day"]) == (7.5, 150, "done")
    assert document["unfinished"]["answers"] == {"experience": "beginner"}
    found = _keys(document)
    assert [key for key in found if any(part in key for part in INTERNAL_KEYS)] == []
    assert "id" not in found and "_paused" not in found
    assert str(BOB.user_id) not in files["legdaycoach-2026-11-17.json"].decode()

    csv_lines = files["checkins-2026-11-17.csv"].decode().splitlines()
    assert csv_lines[0].split(",")[:3] == ["date", "weekday", "sleep_hours"]
    assert csv_lines[1].startswith("2026-11-17,tuesday,7.5,150.0,")


async def test_export_without_check_ins_sends_the_summary_and_the_data(
    sessions: Sessions,
) -> None:
    coach = Coach(sessions, clock=Clock(NOW))
    await onboard(coach, ANN)
    files = await _export(coach, ANN)
    assert sorted(name.rsplit(".", 1)[1] for name in files) == ["json", "md"]
    summary = files["legdaycoach-2026-11-17.md"].decode()
    assert "No check-ins yet." in summary and "## Your answers to leg-day reminders" in summary


async def test_a_table_the_export_has_no_words_for_is_exported_as_it_is(
    sessions: Sessions,
) -> None:
    others = [
        table
        for table, _ in user_tables()
        if table.name not in EXPORTED | INTERNAL and {"day", "user_id"} <= set(table.c.keys())
    ]
    if not others:
        return  # every table about users has words of its own
    coach = Coach(sessions, clock=Clock(NOW))
    await onboard(coach, ANN)
    table = others[0]
    row: dict[str, object] = {"user_id": ANN.user_id, "day": date(2026, 11, 16)}
    for column in table.columns:
        if column.name in row or column.primary_key or column.nullable:
            continue
        if isinstance(column.type, UTCDateTime):
            row[column.name] = NOW
        else:
            row[column.name] = {int: 3, float: 2.5}.get(column.type.python_type, "kg")
    async with sessions() as session, session.begin():
        await session.execute(table.insert().values(**row))
    files = await _export(coach, ANN)
    document = json.loads(files["legdaycoach-2026-11-17.json"])
    [exported] = [
        row for row in document["other_records"][table.name] if row["day"] == "2026-11-16"
    ]
    assert "id" not in exported and "user_id" not in exported
    assert table.name.replace("_", " ").capitalize() in files["legdaycoach-2026-11-17.md"].decode()


async def test_delete_removes_every_row_of_one_user_only(sessions: Sessions) -> None:
    coach = Coach(sessions, clock=Clock(NOW))
    await onboard(coach, ANN)
    await onboard(coach, BOB)
    await say(coach, ANN, "/checkin", "7", "150", "low", "0", "rest")
    replies = await say(coach, ANN, "/delete")
    assert replies[0].choices
    replies = await say(coach, ANN, "/delete")  # pressed twice: asked again, nothing done
    assert sum((await _rows_about(sessions, ANN.user_id)).values()) > 0
    replies = await say(coach, ANN, "yes")
    assert "delete" in replies[0].key
    assert set((await _rows_about(sessions, ANN.user_id)).values()) == {0}
    bob_rows = await _rows_about(sessions, BOB.user_id)
    assert bob_rows["users"] == 1 and bob_rows["reminders"] == 3 and bob_rows["plans"] == 1
    # After deleting, the user can start afresh.
    replies = await say(coach, ANN, "/start")
    assert replies[0].key == "welcome.new"


async def test_reassessment_shows_what_changed(sessions: Sessions) -> None:
    coach = Coach(sessions, clock=Clock(NOW))
    await onboard(coach, ANN)
    async with sessions() as session:
        from bot.profile import latest_assessment

        first = await latest_assessment(session, ANN.user_id)
        assert first is not None
        assert "sleep" not in first.problem_ids and "protein" not in first.problem_ids
    # Weeks later sleep and protein slipped.
    answers = {**TYPED, "sleep_hours": "6", "protein_g": "100"}
    replies = await say(coach, ANN, "/assess")
    while replies[-1].key.startswith("q."):
        replies = await say(coach, ANN, answers[replies[-1].key.removeprefix("q.")])
    [change] = [reply for reply in replies if reply.key == "account.assessment_change"]
    text = render(change)
    new_part = text.split("\n\n")
    assert any("Sleep" in part and "Protein" in part for part in new_part)


async def test_check_ins_start_when_a_zone_is_set_even_without_a_plan(sessions: Sessions) -> None:
    coach = Coach(sessions, clock=Clock(NOW))
    await say(coach, BOB, "/settings")
    async with sessions() as session:
        assert (await session.scalars(select(Reminder))).all() == []
    await coach.handle(BOB, Event.button("settings=zone", token=await token(coach, BOB)))
    await say(coach, BOB, "Tokyo")
    async with sessions() as session:
        kinds = {
            row.kind: row
            for row in await session.scalars(
                select(Reminder).where(Reminder.user_id == BOB.user_id)
            )
        }
    assert set(kinds) == {"checkin", "summary"}
    # 21:00 in Tokyo is 12:00 UTC.
    assert kinds["checkin"].next_due_at == datetime(2026, 11, 17, 12, 0, tzinfo=UTC)


async def test_export_in_the_middle_of_settings_does_not_repeat_the_menu(
    sessions: Sessions,
) -> None:
    coach = Coach(sessions, clock=Clock(NOW))
    await onboard(coach, ANN)
    await say(coach, ANN, "/settings")
    menu_token = await token(coach, ANN)
    replies = await say(coach, ANN, "/export")
    assert replies[0].key == "account.export.ready"
    assert all(reply.attachment for reply in replies[1:])
    assert not any(reply.key == "settings.menu" for reply in replies)
    # The menu above still works: its buttons carry the same token.
    assert await token(coach, ANN) == menu_token
    response = await coach.handle(ANN, Event.button("settings=units", token=menu_token))
    assert response.replies[0].key == "settings.units.prompt"
