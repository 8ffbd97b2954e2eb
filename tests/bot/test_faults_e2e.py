"""Telegram failing, groups and update ids, end to end: the real bot process polls the fake
Bot API, and what the user gave is read back from the bot's SQLite file."""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.bot.botprocess import BotProcess
from tests.fake_telegram import FakeTelegram

TOKEN = "654321:FAULTS-token-never-logged"
TIMEOUT = 30.0


@pytest.fixture
def fake() -> Iterator[FakeTelegram]:
    with FakeTelegram(token=TOKEN) as server:
        yield server


@pytest.fixture
def bot(fake: FakeTelegram, tmp_path: Path) -> Iterator[BotProcess]:
    process = BotProcess(fake.base_url, TOKEN, tmp_path / "bot", None).start()
    yield process
    process.stop()
    assert "Traceback" not in process.log


def stored(bot: BotProcess, sql: str, *params: object) -> list[tuple[object, ...]]:
    with sqlite3.connect(bot.data_dir / "legdaycoach.db") as connection:
        return connection.execute(sql, params).fetchall()


def answers(bot: BotProcess, user: int) -> dict[str, object]:
    rows = stored(bot, "SELECT data FROM conversations WHERE user_id = ?", user)
    data = json.loads(str(rows[0][0]))
    return dict(data.get("answers", {}))


def failed_sends(fake: FakeTelegram, user: int) -> int:
    return sum(
        1
        for call in fake.calls("sendMessage")
        if not call.ok and call.params.get("chat_id") == user
    )


def wait_until(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + TIMEOUT
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def question(fake: FakeTelegram, user: int, number: int, count: int = 1) -> None:
    fake.wait_for(
        lambda record: record.chat_id == user and f"Question {number} of" in (record.text or ""),
        TIMEOUT,
        count=count,
    )


def test_the_next_question_arrives_when_telegram_refuses_it_for_a_while(
    fake: FakeTelegram, bot: BotProcess
) -> None:
    user = 6101
    fake.send_command(user, "/start")
    question(fake, user, 1)
    # Flood control on the reply to the first answer: the bot waits as told, then sends.
    fake.fail_next("sendMessage", user, error_code=429, retry_after=3)
    fake.send_text(user, "intermediate")
    question(fake, user, 2)
    # A 502 from Telegram's front: nothing was shown, so it is sent again.
    fake.fail_next("sendMessage", user, error_code=502)
    fake.send_text(user, "good")
    question(fake, user, 3)
    # A longer outage: every attempt fails, the answer is kept, the question waits.
    fake.fail_next("sendMessage", user, error_code=500, times=4)
    fake.send_text(user, "82 kg")
    wait_until(lambda: failed_sends(fake, user) >= 6, "four refused attempts")
    # The user, who saw no question 4, repeats "82 kg": it is not taken as an answer to the
    # question they never saw; that question comes now.
    fake.send_text(user, "82 kg")
    question(fake, user, 4)
    assert answers(bot, user)["weight_kg"] == 82.0
    assert "leg_days_per_week" not in answers(bot, user)
    fake.send_text(user, "2")
    question(fake, user, 5)
    assert answers(bot, user)["leg_days_per_week"] == 2


def test_groups_get_a_pointer_to_a_private_chat_and_nothing_is_stored(
    fake: FakeTelegram, bot: BotProcess
) -> None:
    group, member = -100_200, 6102
    fake.send_group_text(group, member, "/progress")
    fake.wait_for_text(group, "private chat", TIMEOUT)
    fake.send_group_text(group, member, "/export@test_bot")
    fake.wait_for(
        lambda record: record.chat_id == group and "private chat" in (record.text or ""),
        TIMEOUT,
        count=2,
    )
    fake.send_group_text(group, member, "my protein is 180 g")
    # A private message after the group ones shows the group ones were all handled.
    fake.send_command(member, "/help")
    fake.wait_for_text(member, "/assess", TIMEOUT)
    group_messages = [record for record in fake.sent(group)]
    assert len(group_messages) == 2
    assert all(record.method == "sendMessage" for record in group_messages)
    assert not any(record.file_name for record in group_messages)
    chat_ids = stored(bot, "SELECT chat_id FROM users WHERE id = ?", member)
    assert chat_ids == [(member,)]


def test_a_command_for_another_bot_is_not_obeyed(fake: FakeTelegram, bot: BotProcess) -> None:
    user = 6103
    fake.send_text(user, "/start@SomeOtherBot")
    fake.wait_for_text(user, "not asking anything", TIMEOUT)
    fake.send_text(user, "/start@test_bot")
    question(fake, user, 1)


def test_answers_count_when_telegram_numbers_updates_afresh(
    fake: FakeTelegram, bot: BotProcess
) -> None:
    user = 6104
    fake.restart_update_ids(700_001)
    fake.send_command(user, "/start")
    question(fake, user, 1)
    fake.send_text(user, "intermediate")
    question(fake, user, 2)
    bot.stop()  # a quiet week; Telegram then counts from a lower number
    fake.restart_update_ids(40)
    bot.start()
    fake.send_text(user, "good")
    question(fake, user, 3)
    fake.send_text(user, "82 kg")
    question(fake, user, 4)
    assert answers(bot, user)["recovery"] == "good"
    assert answers(bot, user)["weight_kg"] == 82.0
