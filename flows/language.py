"""/language: which language the bot speaks with the user.

One question: a button per language the bot speaks (flows.i18n.LANGUAGES), each in its own
name, the one in use marked; a typed "ru", "русский" or "english" works too. The choice is
stored with the settings' effect (UpdateSettings(language=...)), and the confirmation is
already in the new language: the adapter renders it after the effect, and anything made
here beforehand is made in that language. /settings offers the same question in its menu.
Like the other flows, it runs on one shared `transitions` machine: a question, then chosen.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from transitions import Machine

from flows import i18n, parsing
from flows.core import Conversation, Event, EventKind, Profile, Reply, Step
from flows.interview import MESSAGE_KINDS
from flows.machine import fire, new_machine
from flows.registry import Flow
from flows.settings import UpdateSettings
from flows.texts.common import REASK
from flows.texts.language import COMMANDS, TITLE, choices, own_name, read
from flows.texts.language import TEXTS as LANGUAGE_TEXTS

NAME = "language"


class L(StrEnum):
    CHOOSE = "choose"
    CHOSEN = "chosen"


CHOOSE = L.CHOOSE.value


def _build_machine() -> Machine:
    machine = new_machine(L, CHOOSE)
    machine.add_transition("choose", CHOOSE, L.CHOSEN.value)
    return machine


MACHINE = _build_machine()


def _ask(profile: Profile, key: str = "language.prompt") -> Reply:
    current = i18n.supported(profile.language)
    return Reply(key, {"language": own_name(current)}, choices=choices(current, NAME))


def start(profile: Profile, now: datetime) -> Step:
    return Step(CHOOSE, {}, [_ask(profile)], restarted=True)


def chosen(code: str, profile: Profile) -> tuple[Reply, list[UpdateSettings]]:
    """The confirmation of a choice, in the chosen language, and the effect that stores it
    (none when it is the language in use)."""
    with i18n.use(code):
        if code == i18n.supported(profile.language):
            return Reply("language.unchanged", {"language": own_name(code)}), []
        return Reply("language.saved", {"language": own_name(code)}), [
            UpdateSettings(language=code)
        ]


def _choose(code: str, profile: Profile) -> Step:
    fire(MACHINE, CHOOSE, "choose")
    confirmation, effects = chosen(code, profile)
    return Step(None, {}, [confirmation], list(effects))


def _again(profile: Profile, problem: Reply) -> Step:
    return Step(CHOOSE, {}, [problem, _ask(profile)])


def handle(conversation: Conversation, event: Event, profile: Profile, now: datetime) -> Step:
    if event.kind is EventKind.BUTTON:
        target, _, value = event.text.partition("=")
        if target == NAME and value in i18n.LANGUAGES:
            return _choose(value, profile)
        return _again(profile, Reply("language.old_button"))
    if event.kind is EventKind.TEXT:
        if len(event.text) > parsing.MAX_ANSWER_CHARS:
            return _again(profile, Reply("language.too_long"))
        code = read(event.text)
        if code is None:
            return _again(profile, Reply("language.not_a_language", {"text": event.text[:40]}))
        return _choose(code, profile)
    if event.kind is EventKind.COMMAND:
        if event.text == "back":
            return _again(profile, Reply("language.first_step"))
        if event.text == REASK:
            # Something else was answered in between: the question again, in one line.
            return Step(CHOOSE, {}, [_ask(profile, "language.reask")])
        return start(profile, now)
    kind = event.text if event.text in MESSAGE_KINDS else "message"
    return _again(profile, Reply("language.not_text", {"what": MESSAGE_KINDS[kind]}))


FLOW = Flow(NAME, TITLE, COMMANDS, LANGUAGE_TEXTS, start, handle, effects=(UpdateSettings,))
