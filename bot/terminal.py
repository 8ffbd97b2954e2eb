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
from typing import TextIO

from bot.engine import Coach, Response, Sender
from flows.core import Choice, Event
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

    def show(self, response: Response) -> None:
        self.token = response.token
        for reply in response.replies:
            text = plain(render(reply))
            self.out.write(f"bot> {text}\n".replace("\n", "\n     ").rstrip() + "\n")
            if reply.attachment is not None:
                self.files_dir.mkdir(parents=True, exist_ok=True)
                path = self.files_dir / f"{self.sender.user_id}-{reply.attachment.filename}"
                path.write_bytes(reply.attachment.content)
                self.out.write(f"     [file saved: {path.resolve()}]\n")
            if reply.choices:
                # Only the newest buttons can be chosen by number, as only they are in view.
                self.options = [choice for row in reply.choices for choice in row]
                for number, choice in enumerate(self.options, start=1):
                    self.out.write(f"     [{number}] {choice.label}\n")
        self.out.flush()

    def event_for(self, line: str) -> Event:
        text = line.strip()
        if text.startswith("/") and len(text) > 1:
            name, _, args = text[1:].partition(" ")
            return Event.command(name, args.strip())
        if text.isdigit() and self.options and 1 <= int(text) <= len(self.options):
            return Event.button(self.options[int(text) - 1].value, token=self.token)
        for choice in self.options:
            if text.casefold() == choice.label.casefold():
                return Event.button(choice.value, token=self.token)
        return Event.typed(text)

    async def say(self, line: str) -> None:
        if not line.strip():
            return
        event = self.event_for(line)
        if event.kind.value == "button":
            self.options = []
        self.show(await self.coach.handle(self.sender, event))


async def run_chat(
    coach: Coach,
    user_id: int,
    read_line: Callable[[], Awaitable[str]],
    out: TextIO,
    files_dir: Path,
) -> None:
    chat = TerminalChat(coach, user_id, out, files_dir)
    out.write(
        "Leg Day Coach in the terminal. Type /start to begin, /help for commands; "
        "end of input (Ctrl-D) quits.\n"
    )
    await chat.say("/start")
    while True:
        if sys.stdin.isatty():
            out.write(PROMPT)
            out.flush()
        line = await read_line()
        if line == "":
            break
        await chat.say(line)
    out.write("Bye! Your answers are saved; come back any time.\n")
    out.flush()


async def read_stdin_line() -> str:
    return await asyncio.to_thread(sys.stdin.readline)
