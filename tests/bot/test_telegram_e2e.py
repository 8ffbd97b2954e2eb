"""End to end over real HTTP: the unmodified python-telegram-bot application, run as its own
process, polls a fake Bot API server on 127.0.0.1; a scripted user does a whole interview."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.bot.botprocess import BotProcess
from tests.fake_telegram import FakeTelegram
from tests.flows.driver import TYPED, Chat

TOKEN = "123456:SECRET-token-never-logged"
TIMEOUT = 30.0


@pytest.fixture
def fake() -> Iterator[FakeTelegram]:
    with FakeTelegram(token=TOKEN) as server:
        yield server


@pytest.fixture(params=["sqlite", "postgresql"])
def process_db(request: pytest.FixtureRequest, tmp_path: Path) -> str | None:
    if request.param == "sqlite":
        return None  # the default: SQLite in the data folder
    return str(request.getfixturevalue("postgres_url"))


# This lifter's typed answers from question 7 on; questions not named here get the pure
# flows' usual answer, so the list follows the interview as it grows.
LATER_ANSWERS = {
    "front_exercises": "3",
    "back_exercises": "2",
    "accessory_reps": "15",
    "trains_calves": "yes",
    "calf_set_seconds": "40",
    "weeks_since_program_change": "3 weeks",
    "form_checked": "yes",
    "chases_heavy": "no",
    "explosive_reps": "yes",
    "cardio_minutes_week": "60",
    "cardio_kind": "intervals",
    "calories_per_day": "3300",
    "carbs": "400 g",
    "protein_g": "180",
    "sleep_hours": "7h30",
    "naps": "no",
}


def answers_from_seventh() -> list[str]:
    """The typed answers in question order after the first six, walked in the pure flows."""
    chat = Chat()
    replies = chat.command("start")
    for first in ("intermediate", "good", "180 lb", "2", "no", "squats"):
        replies = chat.text(first)
    answers: list[str] = []
    while replies[-1].key.startswith("q."):
        state = replies[-1].key.removeprefix("q.")
        answers.append(LATER_ANSWERS.get(state, TYPED[state]))
        replies = chat.text(answers[-1])
    return answers


def question(fake: FakeTelegram, user: int, number: int):  # type: ignore[no-untyped-def]
    return fake.wait_for_text(user, f"Question {number} of", timeout=TIMEOUT)


def test_whole_interview_with_buttons_and_typing_survives_kill_9(
    fake: FakeTelegram, tmp_path: Path, process_db: str | None
) -> None:
    user = 5001 if process_db is None else 5002
    bot = BotProcess(fake.base_url, TOKEN, tmp_path / "bot", process_db).start()
    try:
        fake.send_command(user, "/start")
        first = question(fake, user, 1)
        assert "Leg Day Coach" in fake.wait_for_text(user, "Leg Day Coach", TIMEOUT).text
        sent_before = fake.call_count("sendMessage")
        fake.press_button(user, first.message_id, first.callback_data_for("Intermediate"))
        second = question(fake, user, 2)
        # The pressed question becomes the next one, headed by the choice: one edit, no new
        # message, and the button press is answered.
        assert second.method == "editMessageText"
        assert second.message_id == first.message_id
        assert "✓ <b>Intermediate" in (second.text or "")
        assert fake.call_count("sendMessage") == sent_before
        assert len(fake.callback_answers) == 1
        fake.press_button(user, second.message_id, second.callback_data_for("Fresh"))
        question(fake, user, 3)
        fake.send_text(user, "heavy")
        fake.wait_for_text(user, "couldn't read that as a body weight", TIMEOUT)
        fake.send_sticker(user)
        fake.wait_for_text(user, "not a sticker", TIMEOUT)
        fake.send_text(user, "180lbs")
        fourth = question(fake, user, 4)
        # An edited message is not taken as an answer, and is not met with silence.
        fake.inject_update(
            "edited_message",
            {
                "message_id": 3,
                "date": 1_700_000_000,
                "edit_date": 1_700_000_100,
                "chat": {"id": user, "type": "private", "first_name": "Ann"},
                "from": {"id": user, "is_bot": False, "first_name": "Ann"},
                "text": "200lbs",
            },
        )
        fake.wait_for_text(user, "not edits", TIMEOUT)
        fake.wait_for(
            lambda r: r.chat_id == user and "Question 4 of" in (r.text or ""), TIMEOUT, count=2
        )
        fake.press_button(user, fourth.message_id, fourth.callback_data_for("2"))
        question(fake, user, 5)
        fake.send_text(user, "no")
        question(fake, user, 6)

        bot.kill()  # mid-interview, with no warning
        bot.start()

        fake.send_text(user, "squats")
        seventh = question(fake, user, 7)
        assert seventh.timestamp > 0
        for number, answer in enumerate(answers_from_seventh(), start=7):
            question(fake, user, number)
            fake.send_text(user, answer)
        fake.wait_for_text(user, "What holds your legs back", TIMEOUT)
        right = fake.wait_for_text(user, "already do right", TIMEOUT)
        assert right.parse_mode == "HTML"
        fake.wait_for_text(user, "Next step", TIMEOUT)

        # Commands are registered with Telegram on start.
        names = {command["command"] for command in fake.commands}
        assert {"start", "assess", "help", "cancel", "back", "plan"} <= names
        # A button of an earlier question gets a polite answer, not an error.
        fake.press_button(user, first.message_id, first.callback_data_for("Advanced"), strict=False)
        fake.wait_for(lambda r: r.chat_id == user and "earlier" in (r.text or ""), TIMEOUT)
    finally:
        bot.stop()
    assert TOKEN not in bot.log
    assert "Traceback" not in bot.log
