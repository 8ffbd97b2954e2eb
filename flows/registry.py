"""The registry of flows: every conversation is declared once, in its own module.

How a module declares its flow: at the bottom of the module, after `start` and `handle`,

    FLOW = Flow(
        NAME,      # stored in the conversation row; never rename
        TITLE,     # "I've put {title} on hold"
        COMMANDS,  # command -> its line in the menu and in /help (flows/texts/<flow>.py)
        TEXTS,     # this flow's own templates (flows/texts/<flow>.py)
        start,     # (profile, now) -> Step
        handle,    # (conversation, event, profile, now) -> Step
        needs=frozenset({ProfilePart.ASSESSMENT, ProfilePart.PLAN}),
        effects=(SavePlan,),       # the effect classes this flow emits
        answers={"pause": pause},  # optional: commands answered at once, and their answers
        start_with_args=None,      # optional: "/checkin 2026-11-17" style starts
    )

and its module name goes into MODULES below (a test fails when a module declaring FLOW is
missing there). The commands without an answer start the flow, the first being its own. The
command menu, /help, the router, the terminal chat and the engine all read these
declarations, so nothing else needs editing for a new conversation (apart from storage when
it keeps new data: a model, a migration and a case in bot/effects.py).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import cache
from types import ModuleType
from typing import TYPE_CHECKING, TypeAlias

from flows import i18n
from flows.core import Conversation, Event, EventKind, Profile, ProfilePart, Reply, Step
from flows.texts import common

if TYPE_CHECKING:
    # flows.effects imports the flow modules, which import this one.
    from flows.effects import Effect

StartFlow = Callable[[Profile, datetime], Step]
HandleEvent = Callable[[Conversation, Event, Profile, datetime], Step]
# (profile, now, the command's arguments) -> (replies, effects)
AnswerNow: TypeAlias = "Callable[[Profile, datetime, str], tuple[list[Reply], list[Effect]]]"
# (the command's arguments, profile, now) -> a start, or None when the arguments are not for it
StartWithArgs = Callable[[str, Profile, datetime], Step | None]

# Modules that may declare a flow, in command-menu order.
MODULES: tuple[str, ...] = (
    "flows.assessment",
    "flows.leg_plan",
    "flows.checkin",
    "flows.log_lifts",
    "flows.measure",
    "flows.settings",
    "flows.language",
    "flows.account",
)


@dataclass(frozen=True)
class Command:
    """A slash command: its name, its line in Telegram's command menu and in /help."""

    name: str
    menu_title: str
    help_text: str = ""  # the menu title when empty

    def __post_init__(self) -> None:
        if not self.help_text:
            object.__setattr__(self, "help_text", self.menu_title)
        i18n.declare(f"command.{self.name}", self.menu_title)
        if self.help_text != self.menu_title:
            i18n.declare(f"command.{self.name}.help", self.help_text)

    def title(self) -> str:
        """The menu line in the current language."""
        return i18n.translate(f"command.{self.name}", self.menu_title)

    def help(self) -> str:
        """The /help line in the current language."""
        if self.help_text == self.menu_title:
            return self.title()
        return i18n.translate(f"command.{self.name}.help", self.help_text)


@dataclass(frozen=True)
class Flow:
    """One conversation, declared as the module docstring shows: the fields up to `handle` in
    order, the rest by name. `commands` and `one_shots` are made from `menu` and `answers`."""

    name: str
    title: str
    menu: Mapping[str, str]  # every command of the flow -> its line in the menu and in /help
    texts: Mapping[str, str]
    start: StartFlow
    handle: HandleEvent
    needs: frozenset[ProfilePart] = frozenset()
    effects: tuple[type, ...] = ()
    # The commands of `menu` answered at once (a OneShot each), and their answers.
    answers: Mapping[str, AnswerNow] = field(default_factory=dict)
    start_with_args: StartWithArgs | None = None
    # States that only show information: another conversation begun there closes this one
    # rather than pausing it to come back to.
    idle_states: frozenset[str] = frozenset()
    module: str = field(default="", compare=False)
    commands: tuple[Command, ...] = field(init=False)  # the others: they start it, its own first
    one_shots: tuple[OneShot, ...] = field(init=False)

    def __post_init__(self) -> None:
        stray = sorted(set(self.answers) - set(self.menu))
        if stray:
            raise ValueError(f"flow {self.name} answers commands not in its menu: {stray}")
        commands = [Command(name, line) for name, line in self.menu.items()]
        starters = tuple(command for command in commands if command.name not in self.answers)
        one_shots = tuple(
            OneShot(command, self.answers[command.name])
            for command in commands
            if command.name in self.answers
        )
        object.__setattr__(self, "commands", starters)
        object.__setattr__(self, "one_shots", one_shots)


@dataclass(frozen=True)
class OneShot:
    """A command answered at once; an open conversation stays where it was."""

    command: Command
    answer: AnswerNow


def _declaration(module: ModuleType) -> Flow:
    flow = getattr(module, "FLOW", None)
    if not isinstance(flow, Flow):
        raise TypeError(f"{module.__name__} is listed in flows.registry.MODULES but has no FLOW")
    i18n.declare(f"flow.{flow.name}.title", flow.title, module=module.__name__)
    return replace(flow, module=module.__name__)


def title_of(flow: Flow) -> str:
    """What the flow is called in a sentence ("I've put {title} on hold"), translated."""
    return i18n.translate(f"flow.{flow.name}.title", flow.title)


@cache
def flows() -> tuple[Flow, ...]:
    """Every flow, in menu order. Imported on first use, so flow modules can import this."""
    found = tuple(_declaration(importlib.import_module(name)) for name in MODULES)
    names = [flow.name for flow in found]
    commands = [command.name for command in all_commands(found)]
    for kind, seen in (("flow", names), ("command", commands)):
        twice = sorted({name for name in seen if seen.count(name) > 1})
        if twice:
            raise ValueError(f"{kind} names declared twice: {twice}")
    return found


def all_commands(declared: tuple[Flow, ...] | None = None) -> tuple[Command, ...]:
    """The flows' commands, starters first and then one-shots, flow by flow."""
    return tuple(
        command
        for flow in (flows() if declared is None else declared)
        for command in (*flow.commands, *(one_shot.command for one_shot in flow.one_shots))
    )


def menu_commands() -> tuple[Command, ...]:
    """The command menu and /help: /start, every flow's commands, then /back, /cancel, /help."""
    return (
        *(Command(name, title) for name, title in common.COMMANDS_FIRST.items()),
        *all_commands(),
        *(Command(name, title) for name, title in common.COMMANDS_LAST.items()),
    )


def by_name(name: str) -> Flow | None:
    return next((flow for flow in flows() if flow.name == name), None)


def starter(command: str) -> Flow | None:
    """The flow a command starts, if any."""
    return next((flow for flow in flows() if any(c.name == command for c in flow.commands)), None)


def one_shot(command: str) -> tuple[Flow, OneShot] | None:
    for flow in flows():
        for answer in flow.one_shots:
            if answer.command.name == command:
                return flow, answer
    return None


def texts() -> dict[str, str]:
    """Every flow's own templates, as one mapping."""
    merged: dict[str, str] = {}
    for flow in flows():
        merged.update(flow.texts)
    return merged


def _command_flow(command: str) -> Flow | None:
    started = starter(command)
    if started is not None:
        return started
    answered = one_shot(command)
    return answered[0] if answered else None


def _paused_flows(data: Mapping[str, object]) -> list[str]:
    # The conversations put on hold, innermost last (see flows.app.PAUSED).
    names: list[str] = []
    paused = data.get("_paused")
    while isinstance(paused, dict):
        names.append(str(paused.get("flow", "")))
        inner = paused.get("data")
        paused = inner.get("_paused") if isinstance(inner, dict) else None
    return names


def profile_parts(conversation: Conversation | None, event: Event) -> frozenset[ProfilePart]:
    """The profile parts one event may need: those of the open flow, of the flows it put on
    hold (they come back when it ends), and of the flow a command starts or answers.
    Anything unknown gets everything, which is always correct, only slower."""
    names = []
    if conversation is not None and conversation.flow:
        names = [conversation.flow, *_paused_flows(conversation.data)]
    command = ""
    if event.kind is EventKind.COMMAND:
        command = event.text
    elif event.kind is EventKind.BUTTON and event.text.startswith("go="):
        command = event.text.partition("=")[2].partition(" ")[0]  # "go=diagnosis why protein"
    parts: set[ProfilePart] = set()
    if command in ("start", "open"):
        parts.add(ProfilePart.ASSESSMENT)  # the welcome differs for an assessed user
    elif command and command not in (*common.COMMANDS_LAST, "repeat"):
        started = _command_flow(command)
        if started is not None:  # an unknown command only repeats the open question
            parts |= started.needs
    for name in names:
        flow = by_name(name)
        if flow is None:
            return frozenset(ProfilePart)
        parts |= flow.needs
    return frozenset(parts)
