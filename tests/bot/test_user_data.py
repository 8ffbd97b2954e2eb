"""Check-ins, plans, settings, export and delete through the engine, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select

from bot.account_data import user_tables
from bot.engine import Coach, Sender
from bot.reminders import summary_offset_minutes, summary_time
from bot.storage.db import Sessions
from bot.storage.models import Checkin, Reminder, User
from flows.core import Event, Reply
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


async def test_export_holds_every_row_about_the_user_and_nobody_else(sessions: Sessions) -> None:
    coach = Coach(sessions, clock=Clock(NOW))
    assert (await say(coach, ANN, "/export"))[0].key != "account.export.ready"
    await onboard(coach, ANN)
    await onboard(coach, BOB)
    await say(coach, ANN, "/checkin", "7", "150", "low", "0", "rest")
    replies = await say(coach, ANN, "/export")
    files = {
        reply.attachment.filename: reply.attachment.content for reply in replies if reply.attachment
    }
    document = json.loads(
        next(content for name, content in files.items() if name.endswith(".json"))
    )
    expected = await _rows_about(sessions, ANN.user_id)
    assert {name: len(rows) for name, rows in document["tables"].items()} == expected
    assert expected["checkins"] == 1 and expected["assessments"] == 1
    assert expected["reminders"] == 3 and expected["plans"] == 1
    assert str(BOB.user_id) not in json.dumps(document["tables"])
    csv_text = next(content for name, content in files.items() if name.endswith(".csv"))
    assert csv_text.decode().splitlines()[1].split(",")[1] == "2026-11-17"


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


async def test_export_in_the_middle_of_settings_sends_the_files_before_the_menu(
    sessions: Sessions,
) -> None:
    coach = Coach(sessions, clock=Clock(NOW))
    await onboard(coach, ANN)
    await say(coach, ANN, "/settings")
    replies = await say(coach, ANN, "/export")
    with_files = [index for index, reply in enumerate(replies) if reply.attachment]
    assert with_files and replies[-1].key.startswith("settings")
    assert max(with_files) < len(replies) - 1
