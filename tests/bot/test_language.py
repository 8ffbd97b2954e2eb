"""The user's language: taken from Telegram on first contact, stored, and used for every
reply; the terminal chat's --language."""

from __future__ import annotations

import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import update

from bot.engine import Coach, Sender
from bot.storage.db import Sessions
from bot.storage.models import User
from flows import i18n
from flows.core import Event
from flows.texts import render_key
from flows.texts.terminal import TEXTS as TERMINAL_TEXTS
from tests.bot.botprocess import bot_env, run_bot_command

NOW = datetime(2026, 11, 17, 9, 30, tzinfo=UTC)


def coach(sessions: Sessions) -> Coach:
    return Coach(sessions, clock=lambda: NOW)


async def stored_language(sessions: Sessions, user_id: int) -> str | None:
    async with sessions() as session:
        user = await session.get(User, user_id)
        assert user is not None
        return user.language


@pytest.mark.parametrize(
    ("language_code", "expected"),
    [("ru", "ru"), ("ru-RU", "ru"), ("en-GB", "en"), ("de", "en"), ("", "en")],
)
async def test_first_contact_stores_telegrams_language_or_the_default(
    sessions: Sessions, language_code: str, expected: str
) -> None:
    sender = Sender(301, 301, "Ann", language_code)
    response = await coach(sessions).handle(sender, Event.command("start"))
    assert response.language == expected
    assert await stored_language(sessions, 301) == expected


async def test_the_stored_language_wins_over_telegrams(sessions: Sessions) -> None:
    engine = coach(sessions)
    await engine.handle(Sender(302, 302, "Ann", "ru"), Event.command("start"))
    await engine.set_language(Sender(302, 302), "en")
    # The app still reports Russian, but the user chose English.
    response = await engine.handle(Sender(302, 302, "Ann", "ru"), Event.command("help"))
    assert response.language == "en"
    assert await engine.language_of(Sender(302, 302, "", "ru")) == "en"


async def test_users_from_before_languages_get_theirs_on_their_next_update(
    sessions: Sessions,
) -> None:
    engine = coach(sessions)
    await engine.handle(Sender(303, 303, "Ann", "ru"), Event.command("start"))
    async with sessions() as session, session.begin():
        await session.execute(update(User).where(User.id == 303).values(language=None))
    response = await engine.handle(Sender(303, 303, "Ann", "ru-RU"), Event.command("help"))
    assert response.language == "ru"
    assert await stored_language(sessions, 303) == "ru"


async def test_someone_unknown_is_answered_in_telegrams_language(sessions: Sessions) -> None:
    engine = coach(sessions)
    assert await engine.language_of(Sender(304, 304, "", "ru")) == "ru"
    pressed = await engine.press_reminder(Sender(304, 304, "", "ru"), "r|999|done")
    assert pressed is not None and pressed.language == "ru"


def test_each_update_is_read_in_its_own_language() -> None:
    """Two users' updates interleaved on one event loop do not leak languages."""
    import asyncio

    seen: list[tuple[str, str]] = []

    async def one(language: str) -> None:
        with i18n.use(language):
            await asyncio.sleep(0)
            seen.append((language, i18n.current()))
            await asyncio.sleep(0)
            seen.append((language, i18n.current()))

    async def both() -> None:
        await asyncio.gather(one("ru"), one("en"), one("ru"))

    asyncio.run(both())
    assert all(language == current for language, current in seen)
    assert i18n.current() == i18n.DEFAULT_LANGUAGE


def test_terminal_chat_speaks_the_language_it_is_given(tmp_path: Path) -> None:
    def chat(*args: str) -> subprocess.CompletedProcess[str]:
        return run_bot_command(
            ["chat", "--user", "5", *args], tmp_path, bot_env(tmp_path), timeout=120, stdin=""
        )

    with i18n.use("ru"):
        intro_ru, bye_ru = TERMINAL_TEXTS["terminal.intro"], TERMINAL_TEXTS["terminal.bye"]
        welcome_ru = render_key("welcome.new", {"name_part": ""}).split("\n")[0]
    russian = chat("--language", "ru")
    assert russian.returncode == 0, russian.stderr
    assert intro_ru in russian.stdout and bye_ru in russian.stdout
    assert welcome_ru.split("<b>")[0] in russian.stdout
    # Without --language the user keeps the language chosen before.
    again = chat()
    assert intro_ru in again.stdout
    english = chat("--language", "en")
    assert TERMINAL_TEXTS["terminal.intro"] in english.stdout
    assert "Traceback" not in russian.stderr + again.stderr + english.stderr
