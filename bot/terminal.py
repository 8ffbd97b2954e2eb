"""The terminal chat: the same flows and database as on Telegram, no token needed.

Bot messages are printed as plain text, buttons as numbered options. The user answers with
text, an option's number or its label, or a command; end of input ends the chat. Works with
piped standard input, so whole conversations can be scripted.
"""

from __future__ import annotations

import asyncio
import logging
import re
import shutil
import sys
import unicodedata
from collections.abc import Awaitable, Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any, TextIO, cast

from telegram import Bot

from bot import routine
from bot.dispatcher import DEFAULT_COMPOSERS, Dispatcher
from bot.engine import Coach, Response, Sender
from flows import i18n
from flows.core import Attachment, Choice, Event, Reply
from flows.texts import plain, render
from flows.texts.terminal import TEXTS as TERMINAL_TEXTS

logger = logging.getLogger(__name__)

PROMPT = "you> "
# The reply that follows a confirmed /delete, once everything about the user is gone.
DELETED_KEY = "account.delete.done"
# Typed option numbers longer than this cannot pick an option; they are read as text.
MAX_OPTION_DIGITS = 4


def option_number(text: str) -> int | None:
    """The number a typed line means, when it is plain ASCII digits; None for anything else.

    str.isdigit() also accepts "²" or "٣", which int() then refuses or reads unexpectedly,
    so only ASCII decimal digits count."""
    if text.isascii() and text.isdecimal() and len(text) <= MAX_OPTION_DIGITS:
        return int(text)
    return None


class TerminalChat:
    def __init__(
        self,
        coach: Coach,
        user_id: int,
        out: TextIO,
        files_dir: Path,
        first_name: str = "",
        language: str = "",
    ) -> None:
        self.coach = coach
        # The terminal's language stands where Telegram's language_code would be.
        self.sender = Sender(user_id, user_id, first_name, language)
        self.language = i18n.from_telegram(language)
        self.out = out
        # Each user's files in a folder of their own, so /delete can remove exactly theirs.
        self.files_dir = files_dir
        self.user_files_dir = files_dir / str(user_id)
        self.options: list[Choice] = []
        self.token = ""

    def show(self, response: Response, keep_token: bool = False) -> None:
        self.language = response.language
        with i18n.use(response.language):
            self._show(response, keep_token)

    def _show(self, response: Response, keep_token: bool) -> None:
        if not keep_token:
            self.token = response.token
        options: list[Choice] = []
        for reply in response.replies:
            if reply.request_location:
                continue  # a location button exists on phones only; a city name works here
            text = plain(render(reply))
            self.out.write(f"bot> {text}\n".replace("\n", "\n     ").rstrip() + "\n")
            if reply.attachment is not None:
                self.user_files_dir.mkdir(parents=True, exist_ok=True)
                # Only the name: a file is never written outside the user's folder.
                name = Path(reply.attachment.filename).name or "file"
                path = self.user_files_dir / name
                path.write_bytes(reply.attachment.content)
                saved = TERMINAL_TEXTS["terminal.file_saved"].format(path=path.resolve())
                self.out.write(f"     {saved}\n")
            for choice in (choice for row in reply.choices for choice in row):
                options.append(choice)
                self.out.write(f"     [{len(options)}] {choice.label}\n")
        if options:
            # The buttons of the newest messages are the ones in view, numbered straight on.
            self.options = options
        self.out.flush()

    def event_for(self, line: str) -> Event:
        text = line.strip()
        if text.startswith("/") and len(text) > 1:
            name, _, args = text[1:].partition(" ")
            return Event.command(name, args.strip())
        for choice in self.options:
            if text.casefold() == choice.label.casefold():
                return Event.button(choice.value, token=self.token)
        # A typed number picks the option of that number, unless an option starts with that
        # very number (hours, grams, days): then it is the answer, as on Telegram.
        number = option_number(text)
        shown = {
            int(found.group(1))
            for choice in self.options
            if (found := re.match(r"\s*(\d+)", choice.label)) is not None
        }
        if number is not None and number not in shown and 1 <= number <= len(self.options):
            return Event.button(self.options[number - 1].value, token=self.token)
        return Event.typed(text)

    async def say(self, line: str) -> None:
        # Control characters mean nothing in an answer, and would reach the database and,
        # echoed back, the terminal itself.
        line = "".join(" " if unicodedata.category(ch) == "Cc" else ch for ch in line)
        if not line.strip():
            return
        event = self.event_for(line)
        if event.kind.value == "button":
            self.options = []
            # A reminder's button answers that reminder, not the conversation.
            answered = await self.coach.press_reminder(self.sender, event.text)
            if answered is not None:
                self.show(answered, keep_token=True)
                return
        response = await self.coach.handle(self.sender, event)
        self.show(response)
        if any(reply.key == DELETED_KEY for reply in response.replies):
            self.delete_files()

    def delete_files(self) -> None:
        """Removes every file this chat wrote for the user: their folder, and files named
        "<user id>-…" that earlier versions wrote straight into the files folder."""
        removed = False
        if self.user_files_dir.is_dir():
            shutil.rmtree(self.user_files_dir)
            removed = True
        if self.files_dir.is_dir():
            for path in self.files_dir.glob(f"{self.sender.user_id}-*"):
                if path.is_file():
                    path.unlink()
                    removed = True
        if removed:
            logger.info("files of user %s deleted", self.sender.user_id)
            folder = self.user_files_dir.resolve()
            with i18n.use(self.language):
                deleted = TERMINAL_TEXTS["terminal.files_deleted"].format(path=folder)
            self.out.write(f"     {deleted}\n")
            self.out.flush()

    def show_scheduled(self, text_html: str, markup: Any, photo: bytes | None) -> None:
        """A message the dispatcher sends: printed like any other, its buttons numbered."""
        choices = tuple(
            tuple(Choice(button.text, str(button.callback_data)) for button in row)
            for row in (markup.inline_keyboard if markup is not None else ())
        )
        attachment = Attachment("summary.png", photo, "image/png", True) if photo else None
        reply = Reply("raw", {"text_html": text_html}, choices=choices, attachment=attachment)
        self.show(Response([reply], self.token, language=self.language), keep_token=True)


class TerminalBot:
    """Stands in for telegram.Bot so the dispatcher's reminders, check-ins and summaries
    reach the terminal: what it would send is printed instead."""

    def __init__(self, chat: TerminalChat) -> None:
        self.chat = chat
        self.sent = 0

    async def send_message(
        self, chat_id: int, text: str, reply_markup: Any = None, **_: Any
    ) -> SimpleNamespace:
        self.chat.show_scheduled(text, reply_markup, None)
        return self._message()

    async def send_photo(
        self,
        chat_id: int,
        photo: bytes,
        caption: str | None = None,
        reply_markup: Any = None,
        **_: Any,
    ) -> SimpleNamespace:
        self.chat.show_scheduled(caption or "", reply_markup, photo)
        return self._message()

    def _message(self) -> SimpleNamespace:
        self.sent += 1
        return SimpleNamespace(message_id=self.sent)


async def run_chat(
    coach: Coach,
    user_id: int,
    read_line: Callable[[], Awaitable[str]],
    out: TextIO,
    files_dir: Path,
    interval_s: float = 5.0,
    language: str | None = None,
) -> None:
    """`language` (a code of flows.i18n.LANGUAGES) is the one the chat speaks: a new user's
    first, or a change for a known one; without it a known user keeps theirs."""
    chat = TerminalChat(coach, user_id, out, files_dir, language=language or "")
    if language:
        await coach.set_language(chat.sender, language)
    chat.language = await coach.language_of(chat.sender)
    with i18n.use(chat.language):
        out.write(TERMINAL_TEXTS["terminal.intro"] + "\n")
    await chat.say("/open")  # the current question, or the welcome for a new user
    # Reminders, check-ins and summaries for this user come here instead of Telegram.
    dispatcher = Dispatcher(
        coach.sessions,
        cast(Bot, TerminalBot(chat)),
        interval_s=interval_s,
        composers={**DEFAULT_COMPOSERS, **routine.composers(coach.sessions)},
        only_user_id=user_id,
    )
    # What is due already shows before the first answer, so scripts see it in order.
    await dispatcher.tick()
    stop = asyncio.Event()
    deliveries = asyncio.create_task(dispatcher.run(stop))
    try:
        while True:
            if sys.stdin.isatty():
                out.write(PROMPT)
                out.flush()
            line = await read_line()
            if line == "":
                break
            try:
                await chat.say(line)
            except Exception:
                # As on Telegram: log the cause and answer, and the chat goes on; every
                # answer given before is saved already.
                logger.exception("error while handling a terminal line")
                failed = Response([Reply("error.internal")], chat.token, language=chat.language)
                chat.show(failed, keep_token=True)
    finally:
        stop.set()
        await deliveries
    with i18n.use(chat.language):
        out.write(TERMINAL_TEXTS["terminal.bye"] + "\n")
    out.flush()


async def read_stdin_line() -> str:
    return await asyncio.to_thread(sys.stdin.readline)
