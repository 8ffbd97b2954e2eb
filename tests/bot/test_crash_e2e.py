"""Scripted interviews while the bot is killed with SIGKILL at random and started again.

Every user types each answer once they see its question, and types it again only when the
bot shows that question again. In the end every user must have the complete assessment with
exactly the answers they gave (none lost, none stored under another question), and nobody
may have waited for a reply that never came.
"""

from __future__ import annotations

import json
import random
import re
import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path

from flows.core import Event
from tests.bot.botprocess import BotProcess
from tests.fake_telegram import FakeTelegram
from tests.flows.driver import TYPED, Chat

TOKEN = "777111:CRASH-token-never-logged"
USERS = 16
KILLS = 8
# How long a user may wait for a reply while the bot is up (counted from its last start, so
# a slow restart on a busy machine is not taken for a lost reply).
REPLY_DEADLINE_S = 45.0
QUESTION = re.compile(r"Question (\d+) of (\d+)")
FINISHED = "Next step"


def expected_answers() -> tuple[list[str], dict[str, object]]:
    """The typed answers in question order, and what the pure flow stores for them."""
    chat = Chat()
    replies = chat.command("start")
    typed: list[str] = []
    while replies[-1].key.startswith("q."):
        answer = TYPED[replies[-1].key.removeprefix("q.")]
        typed.append(answer)
        replies = chat.send(Event.typed(answer))
    assessment = next(effect for effect in chat.effects if hasattr(effect, "answers"))
    return typed, dict(assessment.answers)


@dataclass
class ScriptedUser:
    user_id: int
    typed: list[str]
    seen: int = 0  # records of this chat already looked at
    sent_at: float = 0.0
    waiting: bool = False
    finished: bool = False
    answers_sent: int = 0
    questions_shown: dict[int, int] = field(default_factory=dict)

    def step(self, fake: FakeTelegram, started_at: float) -> None:
        records = fake.sent(self.user_id)
        fresh = [record for record in records[self.seen :] if record.method == "sendMessage"]
        self.seen = len(records)
        if not fresh:
            waited_s = time.monotonic() - max(self.sent_at, started_at)
            if self.waiting and waited_s > REPLY_DEADLINE_S:
                raise AssertionError(f"user {self.user_id} got no reply to their message")
            return
        texts = [record.text or "" for record in fresh]
        if any(FINISHED in text for text in texts):
            self.finished, self.waiting = True, False
            return
        numbers = [int(match.group(1)) for text in texts for match in QUESTION.finditer(text)]
        if not numbers:
            return  # an interim message; the question follows
        number = numbers[-1]
        self.questions_shown[number] = self.questions_shown.get(number, 0) + 1
        fake.send_text(self.user_id, self.typed[number - 1])
        self.answers_sent += 1
        self.sent_at, self.waiting = time.monotonic(), True


def test_no_answer_is_lost_and_nobody_waits_forever_across_kill_9(tmp_path: Path) -> None:
    typed, expected = expected_answers()
    rng = random.Random(20261130)
    with FakeTelegram(token=TOKEN) as fake:
        bot = BotProcess(fake.base_url, TOKEN, tmp_path / "bot", None).start()
        users = [ScriptedUser(8000 + number, typed) for number in range(USERS)]
        try:
            for user in users:
                fake.send_command(user.user_id, "/start")
                user.sent_at, user.waiting = time.monotonic(), True
            kills = 0
            sent_at_start = 0
            started_at = time.monotonic()
            next_kill: float | None = None
            deadline = time.monotonic() + 240
            while not all(user.finished for user in users):
                assert time.monotonic() < deadline, "the interviews did not finish in time"
                for user in users:
                    if not user.finished:
                        user.step(fake, started_at)
                if next_kill is None and fake.sent_count > sent_at_start:
                    # The new process is answering: kill it again a moment later, while busy (soon
                    # enough that all the kills fall inside the interviews).
                    next_kill = time.monotonic() + rng.uniform(0.3, 1.5)
                if kills < KILLS and next_kill is not None and time.monotonic() >= next_kill:
                    bot.kill()
                    kills += 1
                    sent_at_start, next_kill = fake.sent_count, None
                    bot.start()
                    started_at = time.monotonic()
                time.sleep(0.02)
            assert kills == KILLS
        finally:
            bot.stop()
        with sqlite3.connect(bot.data_dir / "legdaycoach.db") as connection:
            rows = connection.execute(
                "SELECT user_id, answers FROM assessments ORDER BY user_id"
            ).fetchall()
    assert [user_id for user_id, _ in rows] == [user.user_id for user in users]
    for _, answers in rows:
        assert json.loads(answers) == expected
    # Everyone answered each question at least once; repeats only where a question was
    # shown again after a kill.
    for user in users:
        assert user.answers_sent >= len(typed)
    assert "Traceback" not in bot.log
    assert TOKEN not in bot.log
