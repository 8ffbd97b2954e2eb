"""The diagnosis as conversation replies: the short first message and the views behind its
buttons ("All problems", "What you do right", a "Why?" for each reason).

The buttons are "go=diagnosis <view>" commands, answered at once by the /diagnosis one-shot
from the latest stored assessment (ProfilePart.ASSESSMENT). So they need no open
conversation and keep working after the interview has ended, like any command button, for as
long as the message they sit under is the latest conversation message (docs/rules.md, "The
diagnosis on a phone"). Typing /diagnosis shows the first message again at any time.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from flows.answers import Answers
from flows.core import Choice, Profile, Reply, rows
from flows.rules import RULE_IDS, Diagnosis, Finding, evaluate
from flows.texts import diagnosis as texts

if TYPE_CHECKING:
    from flows.effects import Effect

COMMAND = "diagnosis"
PROBLEMS = "problems"
RIGHT = "right"
WHY = "why"
_WHY_PER_ROW = 2


def button(view: str = "", rule_id: str = "") -> str:
    """The value of a button that opens a view: "go=diagnosis why protein"."""
    return "go=" + " ".join(part for part in (COMMAND, view, rule_id) if part)


def weight_unit(answers: Mapping[str, Any], profile: Profile) -> str:
    """The unit the person gave their weight in; the profile's setting when unknown."""
    unit = answers.get("weight_unit")
    return unit if unit in ("kg", "lb") else profile.weight_unit


def _why_buttons(findings: tuple[Finding, ...]) -> tuple[tuple[Choice, ...], ...]:
    choices = [Choice(texts.why_label(f.rule_id), button(WHY, f.rule_id)) for f in findings]
    return rows(choices, _WHY_PER_ROW)


def _views(diagnosis: Diagnosis, showing: str = "") -> tuple[Choice, ...]:
    """Buttons to the two lists, leaving out the one on show."""
    choices = []
    if showing != PROBLEMS and (diagnosis.problems or diagnosis.unknown):
        key = "problems" if diagnosis.problems else "unknown"
        count = len(diagnosis.problems) or len(diagnosis.unknown)
        choices.append(Choice(texts.view_label(key, count), button(PROBLEMS)))
    if showing != RIGHT and diagnosis.strengths:
        label = texts.view_label("right", len(diagnosis.strengths))
        choices.append(Choice(label, button(RIGHT)))
    return tuple(choices)


def _with_buttons(messages: list[str], choices: tuple[tuple[Choice, ...], ...]) -> list[Reply]:
    """The messages as replies; the buttons go under the last one."""
    replies = [Reply("raw", {"text_html": message}) for message in messages]
    last = replies[-1]
    replies[-1] = Reply(last.key, last.values, choices=tuple(row for row in choices if row))
    return replies


def summary_replies(diagnosis: Diagnosis, unit: str) -> list[Reply]:
    """The first message, with buttons to everything else."""
    choices = (
        _views(diagnosis),
        *_why_buttons(diagnosis.problems[: texts.TOP_PROBLEMS]),
    )
    return _with_buttons([texts.render_summary(diagnosis, unit)], choices)


def view_replies(diagnosis: Diagnosis, unit: str, args: str) -> list[Reply]:
    """The view a button (or "/diagnosis <view>") asks for; the first message otherwise."""
    view, _, rule_id = args.strip().lower().partition(" ")
    if view == PROBLEMS:
        choices = (_views(diagnosis, PROBLEMS), *_why_buttons(diagnosis.problems))
        return _with_buttons(texts.render_problems(diagnosis, unit), choices)
    if view == RIGHT:
        choices = (_views(diagnosis, RIGHT), *_why_buttons(diagnosis.strengths))
        return _with_buttons(texts.render_strengths(diagnosis, unit), choices)
    if view == WHY and rule_id.strip() in RULE_IDS:
        why = texts.render_why(diagnosis, rule_id.strip(), unit)
        return _with_buttons([why], (_views(diagnosis),))
    return summary_replies(diagnosis, unit)


def answer(profile: Profile, now: datetime, args: str = "") -> tuple[list[Reply], list[Effect]]:
    """/diagnosis [problems | right | why <reason>]: the latest assessment's diagnosis."""
    answers: Answers | None = profile.latest_answers
    if answers is None:
        return [Reply(texts.NO_ASSESSMENT)], []
    # The unit set now: the assessment stored the one the weight was given in, and a later
    # change in /settings is the person's newer choice.
    return view_replies(evaluate(answers), profile.weight_unit, args), []
