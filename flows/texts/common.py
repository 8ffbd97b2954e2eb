"""Texts shared by every flow: welcome, help, commands, errors that are not about a question,
and the labels every interview's buttons share."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator, Mapping

from flows import i18n
from flows.i18n import Messages, Text

# The router's own commands, around the flows' commands in the menu and in /help.
COMMANDS_FIRST: dict[str, str] = {"start": "Start or continue"}
COMMANDS_LAST: dict[str, str] = {
    "back": "Go back one question",
    "cancel": "Leave the current conversation",
    "help": "What I can do",
}
# Their menu lines are messages like every flow's (flows.registry.Command reads them).
for _name, _title in {**COMMANDS_FIRST, **COMMANDS_LAST}.items():
    i18n.declare(f"command.{_name}", _title)

# The router's command for "ask the open step again, briefly" (flows.app.REASK): flows that
# show a menu rather than a question answer it with nothing.
REASK = "reask"

TEXTS = Messages(
    {
        "raw": "{text_html}",
        "welcome.new": (
            "Hi{name_part}! I'm <b>Leg Day Coach</b>: I find out why your legs lag behind your "
            "upper body and coach you until they catch up.\n"
            "A few quick questions first, most of them one tap. Let's go."
        ),
        "welcome.back": (
            "Welcome back{name_part}! What would you like to do?\n"
            "/assess a new assessment · /plan your leg days · /help all commands"
        ),
        "help": (
            "<b>Leg Day Coach</b> asks about your training, food and sleep, then tells you what "
            "holds your legs back and what to do about it.\n\n{commands_html}\n\n"
            "Tap the buttons or type your answers. /back goes to the previous question, "
            "/cancel stops the current conversation."
        ),
        "unknown_command": "I don't know /{command}. /help lists every command I know.",
        "unknown_command.suggest": (
            "I don't know /{command}. Did you mean /{suggestion}? /help lists every command I know."
        ),
        # After /cancel, for a conversation without a "cancelled.<flow>" text of its own.
        "cancelled": (
            "Stopped. Nothing more is asked; send /{command} whenever you want to begin again."
        ),
        # After /cancel, when an earlier conversation comes back next.
        "cancelled.resuming": "Stopped.",
        "nothing_to_cancel": "There's nothing to cancel right now. /help shows what I can do.",
        "nothing_to_go_back": "There is no question to go back to right now. /assess starts one.",
        "idle.text": (
            "I'm not asking anything right now. /assess checks why your legs lag behind, "
            "/help lists everything I can do."
        ),
        "idle.other": (
            "I can't read that kind of message, only text and buttons. /help lists what I can do."
        ),
        "edited_message": (
            "I only read new messages, not edits, so your earlier answer stands. "
            "To change an earlier answer, send /back."
        ),
        "stale_button": (
            "That button belongs to an earlier question, so I've ignored it. "
            "Use the buttons of my latest message."
        ),
        "stale_button.alert": "That button is from an earlier question.",
        "button.ok": "Got it",
        "error.internal": (
            "Sorry, something went wrong on my side. Your answers so far are safe; "
            "please send your answer again."
        ),
        # One conversation started in the middle of another: {now} is the new one's title,
        # {what} the one that waits.
        "paused": "{now} first; then we'll go back to {what}, where you left off.",
        "resumed": "Back to {what}, where we left off:",
        "choice.restart": "Start over",
        "choice.continue": "Continue",
        "choice.assess": "New assessment",
        "choice.plan": "My leg-day plan",
        "choice.skip": "Don't know / skip",
        "choice.yes": "Yes",
        "choice.no": "No",
        "choice.not_sure": "Not sure",
    },
)

# ", Anna" after a greeting when the user's first name is known.
NAME_PART = Text("name_part", ", {name}")


def commands_list() -> str:
    """The /help list: the router's commands and every declared flow's, in menu order."""
    from flows import registry  # the registry imports the flows, which import these texts

    return "\n".join(f"/{command.name} — {command.help()}" for command in registry.menu_commands())


# ---- the buttons of every interview -----------------------------------------------------------

# The buttons of "did you mean ...?" (flows.interview): the likely reading, then each other one.
WHICH_LABELS = (
    Text("which.likely", "Yes, {reading}"),
    Text("which.other", "No, {reading}"),
)

ButtonRow = tuple[tuple[str, str], ...]  # (label, value)
_LETTER = re.compile(r"[^\W\d_]")


class Choices(Mapping[str, ButtonRow]):
    """Button labels by question, as (label, value), in the current language. A label with a
    letter in it is a message keyed `prefix` + question + "." + value; a figure ("4+",
    "6-8") reads the same in every language and is no message."""

    def __init__(self, english: Mapping[str, ButtonRow], prefix: str, /) -> None:
        module = str(sys._getframe(1).f_globals.get("__name__", ""))  # where it is declared
        self.english = {question: tuple(buttons) for question, buttons in english.items()}
        self.prefix = prefix
        for question, buttons in self.english.items():
            for label, value in buttons:
                if _LETTER.search(label):
                    i18n.declare(self._key(question, value), label, module=module)

    def _key(self, question: str, value: str) -> str:
        return f"{self.prefix}{question}.{value.replace(' ', '_')}"

    def label(self, question: str, label: str, value: str) -> str:
        if not _LETTER.search(label):
            return label
        return i18n.translate(self._key(question, value), label)

    def __getitem__(self, question: str) -> ButtonRow:
        return tuple(
            (self.label(question, label, value), value) for label, value in self.english[question]
        )

    def __iter__(self) -> Iterator[str]:
        return iter(self.english)

    def __len__(self) -> int:
        return len(self.english)
