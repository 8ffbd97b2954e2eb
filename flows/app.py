"""The router: which flow an event goes to, and the commands every flow shares.

`handle` is the whole core as the adapters see it: the stored conversation, the user's
profile and one event in; the next conversation, replies and effects out.
"""

from __future__ import annotations

import difflib
import importlib
import logging
from dataclasses import dataclass, field
from datetime import datetime
from types import ModuleType
from typing import TYPE_CHECKING, Any

from flows import i18n, registry
from flows.account import DeleteEverything
from flows.core import Choice, Conversation, Event, EventKind, Profile, Reply, Step
from flows.settings import UpdateSettings
from flows.texts import common

if TYPE_CHECKING:
    from flows.effects import Effect

logger = logging.getLogger(__name__)

# Views of the registry for code that walks every flow (the router itself asks the registry):
# flow name -> the module declaring it, and command -> the flow it starts.
FLOWS: dict[str, ModuleType] = {
    flow.name: importlib.import_module(flow.module) for flow in registry.flows()
}
STARTERS: dict[str, str] = {
    command.name: flow.name for flow in registry.flows() for command in flow.commands
}

# The open question in full: after a stale button, when a paused conversation comes back,
# or when a client opens the chat.
REPEAT = Event.command("repeat")
# The open step after something else was answered in between (/help, /export, an unknown
# command): a question is asked again in a short form, a menu is not shown again at all.
# A flow that does not tell them apart treats it like any other command: it asks again.
REASK = Event.command(common.REASK)
# The flow a new user is welcomed into.
ASSESSMENT = "assessment"


@dataclass
class Outcome:
    """The next conversation and what to send. `flow` None means idle (no open question)."""

    flow: str | None
    state: str | None
    data: dict[str, Any]
    replies: list[Reply] = field(default_factory=list)
    effects: list[Effect] = field(default_factory=list)
    new_conversation: bool = False  # a new conversation gets a new button token
    # Where replies made by effects (files, charts) go; None: at the end.
    effects_reply_at: int | None = None


def _from_step(flow: str, step: Step, *, new: bool, before: list[Reply] | None = None) -> Outcome:
    replies = (before or []) + step.replies
    new = new or step.restarted
    if step.state is None:
        return Outcome(None, None, {}, replies, step.effects, new_conversation=new)
    return Outcome(flow, step.state, step.data, replies, step.effects, new_conversation=new)


def start_flow(
    flow: str, profile: Profile, now: datetime, before: list[Reply] | None = None
) -> Outcome:
    declared = registry.by_name(flow)
    assert declared is not None, flow
    return _from_step(flow, declared.start(profile, now), new=True, before=before)


def _active(conversation: Conversation | None) -> Conversation | None:
    if conversation is None or not conversation.flow:
        return None
    return conversation


def _forward(
    conversation: Conversation,
    event: Event,
    profile: Profile,
    now: datetime,
    before: list[Reply] | None = None,
) -> Outcome:
    flow = registry.by_name(conversation.flow)
    if flow is None:
        # A flow this version no longer has (after a deploy): go back to safe ground.
        logger.warning("unknown flow %r for user %s, resetting", conversation.flow, profile.user_id)
        return Outcome(None, None, {}, [Reply("idle.text")])
    return _from_step(
        conversation.flow, flow.handle(conversation, event, profile, now), new=False, before=before
    )


def _idle(replies: list[Reply]) -> Outcome:
    return Outcome(None, None, {}, replies)


def _name_part(profile: Profile) -> str:
    return common.NAME_PART(name=profile.first_name) if profile.first_name else ""


def _welcome(profile: Profile, now: datetime) -> Outcome:
    if profile.latest_answers is None:
        welcome = Reply("welcome.new", {"name_part": _name_part(profile)})
        return start_flow(ASSESSMENT, profile, now, before=[welcome])
    choices = (
        (Choice(common.TEXTS["choice.assess"], "go=assess"),),
        (Choice(common.TEXTS["choice.plan"], "go=plan"),),
    )
    return _idle([Reply("welcome.back", {"name_part": _name_part(profile)}, choices=choices)])


def _help() -> Reply:
    return Reply("help", {"commands_html": common.commands_list()})


# Where a conversation keeps the one it interrupted, to go back to it when it ends.
PAUSED = "_paused"


def handle(
    conversation: Conversation | None, event: Event, profile: Profile, now: datetime
) -> Outcome:
    """Starting another conversation in the middle of one pauses the first; when the new one
    ends (or is cancelled) the paused one comes back at the same question, answers intact."""
    active = _active(conversation)
    paused: dict[str, Any] | None = None
    if active is not None and PAUSED in active.data:
        paused = active.data[PAUSED]
        data = {key: value for key, value in active.data.items() if key != PAUSED}
        conversation = active = Conversation(active.flow, active.state, data, active.token)
    outcome = _route(conversation, event, profile, now)
    switched = (
        active is not None
        and outcome.new_conversation
        and outcome.flow is not None
        and outcome.flow != active.flow
    )
    if switched and active is not None and _idle_state(active):
        if paused is not None:
            outcome.data[PAUSED] = paused
        return outcome
    if switched and active is not None and outcome.flow is not None:
        outcome.data[PAUSED] = {
            "flow": active.flow,
            "state": active.state,
            "data": {**active.data, **({PAUSED: paused} if paused else {})},
        }
        first = _title(outcome.flow)
        outcome.replies.insert(
            0,
            Reply("paused", {"now": first[:1].upper() + first[1:], "what": _title(active.flow)}),
        )
        return outcome
    if paused is None:
        return outcome
    if outcome.flow is not None:
        outcome.data[PAUSED] = paused
        return outcome
    if any(isinstance(effect, DeleteEverything) for effect in outcome.effects):
        return outcome
    # "Nothing more is asked" would be wrong with the paused conversation coming back.
    outcome.replies = [
        Reply("cancelled.resuming") if reply.key == "cancelled" else reply
        for reply in outcome.replies
    ]
    # A language chosen just now (/language): the conversation coming back is in it already.
    chosen = [e.language for e in outcome.effects if isinstance(e, UpdateSettings) and e.language]
    with i18n.use(chosen[-1] if chosen else i18n.current()):
        return _resume(outcome, paused, profile, now)


def _idle_state(conversation: Conversation) -> bool:
    flow = registry.by_name(conversation.flow)
    return flow is not None and conversation.state in flow.idle_states


def _title(name: str) -> str:
    flow = registry.by_name(name)
    return registry.title_of(flow) if flow is not None else name


def _resume(outcome: Outcome, paused: dict[str, Any], profile: Profile, now: datetime) -> Outcome:
    earlier = Conversation(paused["flow"], paused["state"], paused["data"], "")
    resumed = handle(
        earlier, REPEAT, profile, now
    )  # through handle, so a conversation paused inside it comes back later in turn
    replies = [*outcome.replies, Reply("resumed", {"what": _title(earlier.flow)}), *resumed.replies]
    return Outcome(
        resumed.flow,
        resumed.state,
        resumed.data,
        replies,
        outcome.effects + resumed.effects,
        new_conversation=True,
    )


def _route(
    conversation: Conversation | None, event: Event, profile: Profile, now: datetime
) -> Outcome:
    active = _active(conversation)

    if event.kind is EventKind.BUTTON:
        if conversation is None or event.token != conversation.token:
            stale = [Reply("stale_button")]
            return _forward(active, REPEAT, profile, now, stale) if active else _idle(stale)
        target, _, value = event.text.partition("=")
        if target == "go":  # a command button: "go=plan", or with arguments "go=diagnosis right"
            name, _, args = value.partition(" ")
            return _command(active, Event.command(name, args), profile, now)
        if active is None:
            return _idle([Reply("stale_button")])
        return _forward(active, event, profile, now)

    if event.kind is EventKind.COMMAND:
        return _command(active, event, profile, now)

    if active is None:
        return _idle([Reply("idle.text" if event.kind is EventKind.TEXT else "idle.other")])
    return _forward(active, event, profile, now)


def _command(active: Conversation | None, event: Event, profile: Profile, now: datetime) -> Outcome:
    command = event.text
    if command in (REPEAT.text, REASK.text):
        return _forward(active, event, profile, now) if active else _idle([])
    if command == "help":
        return _forward(active, REASK, profile, now, [_help()]) if active else _idle([_help()])
    if command == "cancel":
        return _idle([_cancelled(active) if active else Reply("nothing_to_cancel")])
    if command == "open":  # a client (the terminal chat) opening: show where things stand
        return _forward(active, REPEAT, profile, now) if active else _welcome(profile, now)
    if command == "start":
        return _forward(active, event, profile, now) if active else _welcome(profile, now)
    if command == "back":
        return (
            _forward(active, event, profile, now)
            if active
            else _idle([Reply("nothing_to_go_back")])
        )
    answered = registry.one_shot(command)
    if answered is not None:
        replies, effects = answered[1].answer(profile, now, event.args)
        if active is None:
            return Outcome(None, None, {}, replies, effects)
        outcome = _forward(active, REASK, profile, now, replies)
        outcome.effects = effects + outcome.effects
        outcome.effects_reply_at = len(replies)  # the files before the open question
        return outcome
    flow = registry.starter(command)
    if flow is not None:
        step = flow.start_with_args(event.args, profile, now) if flow.start_with_args else None
        if step is not None:
            return _keep_open(active, _from_step(flow.name, step, new=True), profile, now)
        if active is not None and active.flow == flow.name:
            return _forward(active, event, profile, now)  # the flow decides: restart or go on
        return _keep_open(active, start_flow(flow.name, profile, now), profile, now)
    unknown = _unknown(command)
    return _forward(active, REASK, profile, now, [unknown]) if active else _idle([unknown])


def _keep_open(
    active: Conversation | None, started: Outcome, profile: Profile, now: datetime
) -> Outcome:
    """A new conversation that ended at once (nothing to ask) leaves the open one going."""
    if active is None or started.flow is not None:
        return started
    outcome = _forward(active, REASK, profile, now, started.replies)
    outcome.effects = started.effects + outcome.effects
    return outcome


def _cancelled(active: Conversation) -> Reply:
    """What /cancel says: the flow's own "cancelled.<flow>" text when it has one (what was
    kept, what was not), else a general one naming the command that starts it again."""
    flow = registry.by_name(active.flow)
    if flow is None:
        return Reply("nothing_to_cancel")
    own = f"cancelled.{flow.name}"
    if own in flow.texts:
        return Reply(own)
    return Reply("cancelled", {"command": flow.commands[0].name})


def closest_command(command: str) -> str | None:
    """The known command a mistyped one most likely meant ("chekin" -> "checkin")."""
    known = [known.name for known in registry.menu_commands()]
    found = difflib.get_close_matches(command.lower(), known, n=1, cutoff=0.75)
    return found[0] if found else None


def _unknown(command: str) -> Reply:
    shown = command[:40]
    suggestion = closest_command(shown)
    if suggestion is None:
        return Reply("unknown_command", {"command": shown})
    return Reply("unknown_command.suggest", {"command": shown, "suggestion": suggestion})
