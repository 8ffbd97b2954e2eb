"""Many users at once, and one who floods: the real bot process against the fake Bot API."""

from __future__ import annotations

from pathlib import Path

from bot.flood import FLOOD_LIMIT
from tests.bot.botprocess import BotProcess
from tests.fake_telegram import FakeTelegram

TOKEN = "246810:FLOOD-token-never-logged"
TIMEOUT = 30.0


def test_a_flood_gets_one_polite_answer_and_others_are_answered(tmp_path: Path) -> None:
    flooder, others = 6201, [6202, 6203, 6204]
    with FakeTelegram(token=TOKEN) as fake:
        bot = BotProcess(fake.base_url, TOKEN, tmp_path / "bot", None).start()
        try:
            fake.send_command(flooder, "/help")
            fake.wait_for_text(flooder, "/assess", TIMEOUT)
            for number in range(60):
                fake.send_text(flooder, f"spam {number}")
            for user in others:
                fake.send_command(user, "/start")
            for user in others:
                fake.wait_for_text(user, "Question 1 of", TIMEOUT)
            fake.wait_for_text(flooder, "so many messages at once", TIMEOUT)
            # A message after the flood shows every update before it has been handled.
            fake.send_command(others[0], "/help")
            fake.wait_for(
                lambda record: record.chat_id == others[0] and "/assess" in (record.text or ""),
                TIMEOUT,
            )
        finally:
            bot.stop()
    answers = [record.text or "" for record in fake.sent(flooder)]
    notices = [text for text in answers if "so many messages at once" in text]
    assert len(notices) == 1
    # /help, the few read before the flood showed (the first poll may catch a message or
    # two on its own), then the notice: not one reply per message.
    assert len(answers) <= 1 + 2 * FLOOD_LIMIT + 1
    assert "Traceback" not in bot.log
