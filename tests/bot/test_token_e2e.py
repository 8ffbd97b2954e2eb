"""A token Telegram refuses: the real bot process stops with a clear message and a non-zero
code, and the token shows nowhere in what it printed, whatever the log format."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.bot.botprocess import BotProcess
from tests.fake_telegram import FakeTelegram

TOKEN = "6543210987:AAF-refused_Secret-part-4f9Zq-never-printed"
SECRET = TOKEN.split(":", 1)[1]


@pytest.fixture
def fake() -> Iterator[FakeTelegram]:
    with FakeTelegram(token=TOKEN) as server:
        yield server


@pytest.mark.parametrize("log_format", ["text", "json"])
@pytest.mark.parametrize("refused_at", ["getMe", "getUpdates"])
def test_refused_token_stops_the_bot_without_printing_it(
    fake: FakeTelegram, tmp_path: Path, log_format: str, refused_at: str
) -> None:
    # Telegram answers 401 Unauthorized to a token it does not know: at the start (getMe),
    # or later, once the token is revoked while the bot runs (getUpdates).
    fake.fail_next(refused_at, error_code=401, times=100)
    bot = BotProcess(fake.base_url, TOKEN, tmp_path / "bot", None, LOG_FORMAT=log_format)
    bot.start()
    assert bot.process is not None
    try:
        code = bot.process.wait(timeout=60)
    finally:
        bot.stop()
    output = bot.log
    assert code not in (0, None), output
    assert [call.status for call in fake.calls(refused_at)][:1] == [401]
    for form in (TOKEN, SECRET, quote(TOKEN, safe=""), quote(TOKEN, safe="").lower()):
        assert form not in output
    assert "Telegram refused the bot token" in output
    assert "TELEGRAM_BOT_TOKEN" in output
    if log_format == "json":
        records = [json.loads(line) for line in output.splitlines() if line.strip()]
        final = records[-1]
        assert final["level"] == "ERROR"
        assert final["message"].startswith("Telegram refused the bot token")
    # Where python-telegram-bot reports the refusal with its traceback, it names the token.
    if "was rejected by the server" in output:
        assert "The token `<token>` was rejected" in output
