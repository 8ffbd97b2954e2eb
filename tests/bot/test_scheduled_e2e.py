"""Scheduled messages end to end: the bot process's dispatcher sends a leg-day reminder, the
daily check-in and the weekly summary (a photo) through the fake Bot API server, and the
user answers them with buttons."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update

from bot.engine import Coach, Sender
from bot.storage.db import create_engine, create_sessions
from bot.storage.migrate import upgrade
from bot.storage.models import Checkin, LoggedSet, Reminder
from tests.bot.botprocess import BotProcess
from tests.bot.test_user_data import onboard
from tests.fake_telegram import FakeTelegram

TOKEN = "777:scheduled-token"
USER = 6001
TIMEOUT = 30.0


@pytest.fixture
def fake() -> Iterator[FakeTelegram]:
    with FakeTelegram(token=TOKEN) as server:
        yield server


async def _seed(url: str, checkin_days: int) -> None:
    """A user with an assessment and a plan, and some check-ins behind them."""
    engine = create_engine(url)
    try:
        sessions = create_sessions(engine)
        now = datetime.now(UTC)
        await onboard(Coach(sessions, clock=lambda: now), Sender(USER, USER, "Ann"))
        async with sessions() as session, session.begin():
            for days_ago in range(1, checkin_days + 1):
                session.add(
                    Checkin(
                        user_id=USER,
                        day=(now - timedelta(days=days_ago)).date(),
                        sleep_hours=7.0,
                        protein_g=150.0,
                        carbs_level="moderate",
                        cardio_minutes=20,
                        cardio_kind="intervals",
                        leg_day="rest",
                        created_at=now,
                        updated_at=now,
                    )
                )
    finally:
        await engine.dispose()


async def make_due(url: str, kind: str, user_id: int = USER) -> None:
    """The user's reminder of `kind` due a second ago, so the dispatcher sends it now."""
    engine = create_engine(url)
    try:
        async with create_sessions(engine)() as session, session.begin():
            await session.execute(
                update(Reminder)
                .where(Reminder.user_id == user_id, Reminder.kind == kind)
                .values(next_due_at=datetime.now(UTC) - timedelta(seconds=1))
            )
    finally:
        await engine.dispose()


async def _a_week_ago(url: str) -> None:
    """Moves the logged sets a week back, as if the next reminder came on the next leg day."""
    engine = create_engine(url)
    try:
        async with create_sessions(engine)() as session, session.begin():
            for logged in await session.scalars(select(LoggedSet).where(LoggedSet.user_id == USER)):
                logged.day -= timedelta(days=7)
    finally:
        await engine.dispose()


def _seeded_bot(fake: FakeTelegram, tmp_path: Path, checkin_days: int) -> tuple[str, BotProcess]:
    """A seeded SQLite database in the bot's data folder, and the bot started on it."""
    data_dir = tmp_path / "bot"
    data_dir.mkdir()
    url = f"sqlite+aiosqlite:///{data_dir / 'legdaycoach.db'}"
    upgrade(url)
    asyncio.run(_seed(url, checkin_days=checkin_days))
    return url, BotProcess(fake.base_url, TOKEN, data_dir, None).start()


def test_reminder_checkin_and_weekly_summary_arrive_and_work(
    fake: FakeTelegram, tmp_path: Path
) -> None:
    url, bot = _seeded_bot(fake, tmp_path, checkin_days=5)
    try:
        # The leg-day reminder, with today's workout and its three buttons.
        asyncio.run(make_due(url, "leg_day"))
        reminder = fake.wait_for_text(USER, "Leg day today", TIMEOUT)
        assert "15" in (reminder.text or "")
        assert len(reminder.button_labels) == 3
        done = reminder.inline_keyboard[0][0]["callback_data"]
        fake.press_button(USER, reminder.message_id, done)
        fake.wait_for(
            lambda r: r.method == "editMessageText" and r.message_id == reminder.message_id, TIMEOUT
        )
        answers = fake.callback_answers
        assert answers and answers[-1].text
        # Done on a leg day offers to log the day's top sets, in a message of its own.
        offer = fake.wait_for_text(USER, "top sets", TIMEOUT)
        assert offer.inline_keyboard
        # The same reminder pressed again (an old keyboard) changes nothing.
        snooze = reminder.inline_keyboard[1][0]["callback_data"]
        sent_before = fake.call_count("sendMessage")
        fake.press_button(USER, reminder.message_id, snooze, strict=False)
        deadline = time.monotonic() + TIMEOUT
        while not any("already" in (a.text or "").lower() for a in fake.callback_answers):
            assert time.monotonic() < deadline, "the second press was not answered"
            time.sleep(0.05)
        # Answered once, in the pop-up: no message repeats it.
        assert fake.call_count("sendMessage") == sent_before

        # The daily check-in: one button opens it, then one tap per question.
        asyncio.run(make_due(url, "checkin"))
        prompt = fake.wait_for_text(USER, "Check-in time", TIMEOUT)
        fake.press_button(USER, prompt.message_id, prompt.inline_keyboard[0][0]["callback_data"])
        # Each question arrives as a new message or as the pressed one edited into it.
        answered: set[str] = set()
        for _ in range(8):
            latest = fake.wait_for(
                lambda r: (
                    r.chat_id == USER
                    and r.message_id > prompt.message_id
                    and bool(r.inline_keyboard)
                    and (r.text or "") not in answered
                ),
                TIMEOUT,
            )[-1]
            if "Saved" in (latest.text or ""):
                break
            answered.add(latest.text or "")
            fake.press_button(
                USER, latest.message_id, latest.inline_keyboard[0][0]["callback_data"]
            )
            try:
                fake.wait_for_text(USER, "Saved", 2.0)
                break
            except TimeoutError:
                continue
        saved = fake.wait_for_text(USER, "Saved", TIMEOUT)
        assert "in a row" in (saved.text or "")

        # The weekly summary: a photo with the week in its caption.
        asyncio.run(make_due(url, "summary"))
        photo = fake.wait_for(lambda r: r.method == "sendPhoto" and r.chat_id == USER, TIMEOUT)[0]
        assert photo.file_bytes is None or photo.file_bytes.startswith(b"\x89PNG")
        assert "last 7 days" in (photo.caption or "")
    finally:
        bot.stop()
    assert TOKEN not in bot.log
    assert "Traceback" not in bot.log


def test_done_leads_to_the_log_steps_and_the_next_reminder_aims_from_them(
    fake: FakeTelegram, tmp_path: Path
) -> None:
    url, bot = _seeded_bot(fake, tmp_path, checkin_days=0)
    try:
        asyncio.run(make_due(url, "leg_day"))
        reminder = fake.wait_for_text(USER, "Leg day today", TIMEOUT)
        fake.press_button(
            USER, reminder.message_id, reminder.inline_keyboard[0][0]["callback_data"]
        )
        offer = fake.wait_for_text(USER, "top sets", TIMEOUT)
        fake.press_button(USER, offer.message_id, offer.inline_keyboard[0][0]["callback_data"])
        # One step per main lift of the day: each top set typed, then the day is saved.
        logged = 0
        while True:
            number = f"· {logged + 1}/"
            step = fake.wait_for(
                lambda r, number=number: (
                    r.chat_id == USER
                    and "Top sets ·" in (r.text or "")
                    and number in (r.text or "")
                ),
                TIMEOUT,
            )[-1]
            total = int((step.text or "").split(number, 1)[1].split("<", 1)[0])
            fake.send_text(USER, "100 x 10")
            logged += 1
            if logged == total:
                break
        fake.wait_for_text(USER, "Logged for", TIMEOUT)

        # A week later, the next leg-day reminder says what to aim for from what was logged.
        asyncio.run(_a_week_ago(url))
        asyncio.run(make_due(url, "leg_day"))
        fake.wait_for(
            lambda r: (
                r.chat_id == USER
                and "Leg day today" in (r.text or "")
                and "100 kg x 10" in (r.text or "")
            ),
            TIMEOUT,
        )
    finally:
        bot.stop()
    assert "Traceback" not in bot.log
