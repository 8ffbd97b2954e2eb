"""The terminal chat: the same flows and database as on Telegram, no token needed.

Bot messages are printed as plain text, buttons as numbered options. The user answers with
text, an option's number or its label, or a command; end of input ends the chat. Works with
piped standard input, so whole conversations can be scripted.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any, TextIO, cast

from telegram import Bot

from bot import routine
from bot.dispatcher import DEFAULT_COMPOSERS, Dispatcher
from bot.engine import Coach, Response, Sender
from flows.core import Attachment, Choice, Event, Reply
from flows.texts import plain, render

PROMPT = "you> "


class TerminalChat:
    def __init__(
        self, coach: Coach, user_id: int, out: TextIO, files_dir: Path, first_name: str = ""
    ) -> None:
        self.coach = coach
        self.sender = Sender(user_id, user_id, first_name)
        self.out = out
        self.files_dir = files_dir
        self.options: list[Choice] = []
        self.token = ""

    def show(self, response: Response, keep_token: bool = False) -> None:
        if not keep_token:
            self.token = response.token
        options: list[Choice] = []
        for reply in response.replies:
            if reply.request_location:
                continue  # a location button exists on phones only; a city name works here
            text = plain(render(reply))
            self.out.write(f"bot> {text}\n".replace("\n", "\n     ").rstrip() + "\n")
            if reply.attachment is not None:
                self.files_dir.mkdir(parents=True, exist_ok=True)
                path = self.files_dir / f"{self.sender.user_id}-{reply.attachment.filename}"
                path.write_bytes(reply.attachment.content)
                self.out.write(f"     [file saved: {path.resolve()}]\n")
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
        # Where the options are numbers themselves (hours, minutes, days), a typed number
        # is the answer, as on Telegram; elsewhere it picks an option.
        numeric = any(choice.label[:1].isdigit() for choice in self.options)
        if text.isdigit() and not numeric and 1 <= int(text) <= len(self.options):
            return Event.button(self.options[int(text) - 1].value, token=self.token)
        return Event.typed(text)

    async def say(self, line: str) -> None:
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
        self.show(await self.coach.handle(self.sender, event))

    def show_scheduled(self, text_html: str, markup: Any, photo: bytes | None) -> None:
        """A message the dispatcher sends: printed like any other, its buttons numbered."""
        choices = tuple(
            tuple(Choice(button.text, str(button.callback_data)) for button in row)
            for row in (markup.inline_keyboard if markup is not None else ())
        )
        attachment = Attachment("summary.png", photo, "image/png", True) if photo else None
        reply = Reply("raw", {"text_html": text_html}, choices=choices, attachment=attachment)
        self.show(Response([reply], self.token), keep_token=True)


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
) -> None:
    chat = TerminalChat(coach, user_id, out, files_dir)
    out.write(
        "Leg Day Coach in the terminal. Type /start to begin, /help for commands; "
        "end of input (Ctrl-D) quits.\n"
    )
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
            await chat.say(line)
    finally:
        stop.set()
        await deliveries
    out.write("Bye! Your answers are saved; come back any time.\n")
    out.flush()


async def read_stdin_line() -> str:
    return await asyncio.to_thread(sys.stdin.readline)
