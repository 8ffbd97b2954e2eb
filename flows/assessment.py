"""The leg-lag assessment: one question at a time, then the diagnosis.

One `transitions` machine serves every user: a user's place is a row (state name plus answers
as JSON), attached to the machine for the length of one event and detached again.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from transitions import EventData, Machine

from flows import parsing
from flows.account import assessment_change_reply
from flows.core import Choice, Conversation, Event, EventKind, Profile, Reply, Step, rows
from flows.machine import fire
from flows.parsing import Parsed
from flows.rules import evaluate
from flows.texts import common as common_texts
from flows.texts.assessment import CHOICES, EXAMPLES, SKIP_LABEL
from flows.texts.assessment import TEXTS as ASSESSMENT_TEXTS
from flows.texts.diagnosis import render_diagnosis

NAME = "assessment"


class Q(StrEnum):
    EXPERIENCE = "experience"
    RECOVERY = "recovery"
    WEIGHT = "weight"
    LEG_DAYS = "leg_days_per_week"
    CONSECUTIVE = "consecutive_leg_days"
    LEG_TRAINING = "leg_training"
    FRONT = "front_exercises"
    BACK = "back_exercises"
    REPS = "accessory_reps"
    CALVES = "trains_calves"
    CALF_SECONDS = "calf_set_seconds"
    PROGRAM_AGE = "weeks_since_program_change"
    FORM = "form_checked"
    HEAVY = "chases_heavy"
    EXPLOSIVE = "explosive_reps"
    CARDIO = "cardio_minutes_week"
    CARDIO_KIND = "cardio_kind"
    CALORIES = "calories_per_day"
    CARBS = "carbs"
    PROTEIN = "protein_g"
    SLEEP = "sleep_hours"
    NAPS = "naps"


DONE = "done"
SKIP = "skip"


@dataclass(frozen=True)
class Question:
    state: Q
    parse: Callable[[str, Profile], Parsed[Any]]
    skippable: bool = False
    applies: Callable[[dict[str, Any]], bool] = lambda answers: True
    # Writes the parsed value into the answers; the default stores it under the state's name.
    store: Callable[[dict[str, Any], Any], None] | None = None
    per_row: int = 3

    def save(self, answers: dict[str, Any], value: Any) -> None:
        if self.store is not None:
            self.store(answers, value)
        else:
            answers[self.state.value] = value

    def clear(self, answers: dict[str, Any]) -> None:
        for key in _ANSWER_KEYS.get(self.state, (self.state.value,)):
            answers.pop(key, None)


def _words(mapping: dict[str, tuple[str, ...]]) -> Callable[[str, Profile], Parsed[Any]]:
    """A parser for choice questions: the value itself or any of its words."""

    def parse(text: str, profile: Profile) -> Parsed[Any]:
        cleaned = parsing.normalise(text).strip(".!")
        for value, words in mapping.items():
            if cleaned == value or cleaned in words:
                return parsing.ok(value)
        return parsing.fail("not_a_choice")

    return parse


def _yes_no(text: str, profile: Profile) -> Parsed[bool]:
    return parsing.parse_yes_no(text)


def _experience(text: str, profile: Profile) -> Parsed[str]:
    by_word = _words(
        {
            "beginner": ("novice", "new", "newbie", "beginner (under 1 year)"),
            "intermediate": ("medium", "middle", "intermediate (1-3 years)"),
            "advanced": ("expert", "pro", "experienced", "advanced (3+ years)"),
        }
    )(text, profile)
    if by_word.ok:
        return by_word
    # "2 years", "6 months": turn the time spent training into a level.
    match = re.fullmatch(
        r"(\d+(?:[.,]\d+)?)\s*(y|yr|yrs|years?|m|mo|months?)", parsing.normalise(text)
    )
    if not match:
        return parsing.fail("not_a_choice")
    years = parsing.to_float(match.group(1)) / (12 if match.group(2).startswith("m") else 1)
    if years > 80:
        return parsing.fail("out_of_range")
    return parsing.ok("beginner" if years < 1 else "intermediate" if years < 3 else "advanced")


def _weight(text: str, profile: Profile) -> Parsed[tuple[float, str]]:
    return parsing.parse_weight(text, default_unit=profile.weight_unit)


def _store_weight(answers: dict[str, Any], value: tuple[float, str]) -> None:
    answers["weight_kg"], answers["weight_unit"] = value


def _carbs(text: str, profile: Profile) -> Parsed[tuple[str, Any]]:
    level = _words(
        {
            "low": ("few", "little", "low carb", "keto", "lowcarb"),
            "moderate": ("medium", "average", "normal", "some"),
            "high": ("lots", "a lot", "plenty", "many", "high carb"),
        }
    )(text, profile)
    if level.ok:
        return parsing.ok(("level", level.value))
    grams = parsing.parse_grams(text, high=1500)
    if grams.ok:
        return parsing.ok(("grams", grams.value))
    return parsing.fail("not_carbs" if grams.error == "not_grams" else "out_of_range")


def _store_carbs(answers: dict[str, Any], value: tuple[str, Any] | None) -> None:
    kind, amount = value if value is not None else ("none", None)
    answers["carbs_g"] = amount if kind == "grams" else None
    answers["carbs_level"] = amount if kind == "level" else None


# Follow-up questions count as coming until the answer they depend on says otherwise,
# so the "question N of M" total only ever shrinks.
def _trains_legs(answers: dict[str, Any]) -> bool:
    return answers.get("leg_training", "free_weights") in {"free_weights", "machines"}


QUESTIONS: tuple[Question, ...] = (
    Question(
        Q.EXPERIENCE,
        _experience,
        per_row=1,
    ),
    Question(
        Q.RECOVERY,
        _words(
            {
                "good": ("well", "great", "fast", "fine"),
                "average": ("ok", "okay", "medium", "so-so", "normal"),
                "poor": ("bad", "slow", "badly", "not well"),
            }
        ),
        skippable=True,
        per_row=1,
    ),
    Question(Q.WEIGHT, _weight, store=_store_weight),
    Question(
        Q.LEG_DAYS,
        lambda text, profile: parsing.parse_whole_number(text, 0, 7),
        per_row=5,
    ),
    Question(
        Q.CONSECUTIVE,
        _yes_no,
        skippable=True,
        applies=lambda answers: answers.get("leg_days_per_week", 2) >= 2,
        per_row=2,
    ),
    Question(
        Q.LEG_TRAINING,
        _words(
            {
                "free_weights": (
                    "free weights",
                    "basics",
                    "squats",
                    "heavy",
                    "barbell",
                    "deadlifts",
                ),
                "machines": ("machine", "machines only", "only machines"),
                "cardio_only": ("cardio", "running", "cycling", "run", "bike", "only cardio"),
                "none": ("nothing", "no", "no legs", "i don't"),
            }
        ),
        per_row=1,
    ),
    Question(
        Q.FRONT,
        lambda text, profile: parsing.parse_whole_number(text, 0, 15),
        skippable=True,
        applies=_trains_legs,
        per_row=5,
    ),
    Question(
        Q.BACK,
        lambda text, profile: parsing.parse_whole_number(text, 0, 15),
        skippable=True,
        applies=_trains_legs,
        per_row=5,
    ),
    Question(
        Q.REPS,
        lambda text, profile: parsing.parse_whole_number(text.replace("reps", ""), 1, 100),
        skippable=True,
        applies=_trains_legs,
        per_row=4,
    ),
    Question(Q.CALVES, _yes_no, per_row=2),
    Question(
        Q.CALF_SECONDS,
        lambda text, profile: parsing.parse_seconds(text, 3, 600),
        skippable=True,
        applies=lambda answers: answers.get("trains_calves", True) is True,
    ),
    Question(
        Q.PROGRAM_AGE,
        lambda text, profile: parsing.parse_weeks(text),
        skippable=True,
        per_row=2,
    ),
    Question(
        Q.FORM,
        _yes_no,
        skippable=True,
        per_row=2,
    ),
    Question(
        Q.HEAVY,
        _yes_no,
        skippable=True,
        per_row=2,
    ),
    Question(
        Q.EXPLOSIVE,
        _yes_no,
        skippable=True,
        per_row=2,
    ),
    Question(
        Q.CARDIO,
        lambda text, profile: parsing.parse_minutes(text, high=3000),
        skippable=True,
        per_row=2,
    ),
    Question(
        Q.CARDIO_KIND,
        _words(
            {
                "steady": ("long", "long steady", "steady state", "jogging", "liss"),
                "intervals": ("interval", "hiit", "sprints", "short"),
                "mixed": ("both", "mix", "a mix"),
            }
        ),
        skippable=True,
        applies=lambda answers: (answers.get("cardio_minutes_week", 1) or 0) > 0,
    ),
    Question(
        Q.CALORIES,
        lambda text, profile: parsing.parse_kcal(text, 500, 15000),
        skippable=True,
    ),
    Question(
        Q.CARBS,
        _carbs,
        skippable=True,
        store=_store_carbs,
    ),
    Question(
        Q.PROTEIN,
        lambda text, profile: parsing.parse_grams(text, high=800),
        skippable=True,
    ),
    Question(
        Q.SLEEP,
        lambda text, profile: parsing.parse_hours(text, high=16),
        skippable=True,
        per_row=4,
    ),
    Question(Q.NAPS, _yes_no, skippable=True, per_row=2),
)

BY_STATE: dict[str, Question] = {question.state.value: question for question in QUESTIONS}
# Questions whose answer lands under other keys than their own name.
_ANSWER_KEYS: dict[Q, tuple[str, ...]] = {
    Q.WEIGHT: ("weight_kg", "weight_unit"),
    Q.CARBS: ("carbs_g", "carbs_level"),
}


def _answered(question: Question, answers: dict[str, Any]) -> bool:
    return any(key in answers for key in _ANSWER_KEYS.get(question.state, (question.state.value,)))


class Interview:
    """The model the shared machine drives: one per event, built from the stored row."""

    state: str
    trigger: Callable[[str], bool]  # bound by the machine on add_model

    def __init__(self, answers: dict[str, Any]) -> None:
        self.answers = answers


def _build_machine() -> Machine:
    machine = Machine(
        model=None,
        states=[question.state.value for question in QUESTIONS] + [DONE],
        initial=QUESTIONS[0].state.value,
        send_event=True,
        auto_transitions=True,  # to_<state>, used by /back
    )
    # "advance" goes to the next question that applies to these answers: transitions
    # are tried in the order they were added, so the first applicable one wins.
    for index, question in enumerate(QUESTIONS):
        for later in QUESTIONS[index + 1 :]:
            machine.add_transition(
                "advance",
                question.state.value,
                later.state.value,
                conditions=[_applies_check(later)],
            )
        machine.add_transition("advance", question.state.value, DONE)
    return machine


def _applies_check(question: Question) -> Callable[[EventData], bool]:
    def check(event: EventData) -> bool:
        model: Interview = event.model  # type: ignore[assignment]
        return question.applies(model.answers)

    return check


MACHINE = _build_machine()


def _fire(state: str, answers: dict[str, Any], trigger: str) -> str:
    # "advance" always has a way out (to DONE) and to_<state> always applies.
    return fire(MACHINE, Interview(answers), state, trigger) or state


def applicable(answers: dict[str, Any]) -> list[Question]:
    return [question for question in QUESTIONS if question.applies(answers)]


def first_open_question(answers: dict[str, Any]) -> str:
    """Where to resume when the stored state is not a question we know (e.g. after a deploy)."""
    for question in applicable(answers):
        if not _answered(question, answers):
            return question.state.value
    return DONE


def ask(state: str, data: dict[str, Any]) -> Reply:
    question = BY_STATE[state]
    questions = applicable(data.get("answers", {}))
    number = next(
        (i + 1 for i, q in enumerate(questions) if q.state == question.state), len(questions)
    )
    choices = [Choice(label, f"{state}={value}") for label, value in CHOICES.get(state, ())]
    keyboard = rows(choices, question.per_row)
    if question.skippable:
        keyboard += ((Choice(SKIP_LABEL, f"{state}={SKIP}"),),)
    return Reply(f"q.{state}", {"number": number, "total": len(questions)}, choices=keyboard)


def start(profile: Profile, now: datetime) -> Step:
    data: dict[str, Any] = {"answers": {}, "history": [], "unit": profile.weight_unit}
    first = QUESTIONS[0].state.value
    return Step(first, data, [ask(first, data)], restarted=True)


def _restart_prompt(conversation: Conversation) -> Step:
    data = {**conversation.data, "confirm_restart": True}
    reply = Reply(
        "assessment.confirm_restart",
        {"number": len(data.get("history", [])) + 1},
        choices=(
            (
                Choice(common_texts.TEXTS["choice.restart"], "ctl=restart"),
                Choice(common_texts.TEXTS["choice.continue"], "ctl=continue"),
            ),
        ),
    )
    return Step(conversation.state, data, [reply])


def handle(conversation: Conversation, event: Event, profile: Profile, now: datetime) -> Step:
    state = conversation.state
    data = {
        "answers": dict(conversation.data.get("answers", {})),
        "history": list(conversation.data.get("history", [])),
        "unit": conversation.data.get("unit", profile.weight_unit),
    }
    if state not in BY_STATE:
        # A state this version does not know: resume at the first unanswered question.
        state = first_open_question(data["answers"])
        if state == DONE:
            return _finish(data, profile)
        return Step(state, data, [Reply("assessment.resumed"), ask(state, data)])

    if event.kind is EventKind.COMMAND:
        if event.text in {"start", "assess"}:
            if not data["answers"]:
                return Step(state, data, [ask(state, data)])  # nothing to lose: no question
            return _restart_prompt(conversation)
        if event.text == "back":
            return _back(state, data)
        return Step(state, data, [ask(state, data)])

    if event.kind is EventKind.BUTTON:
        target, _, value = event.text.partition("=")
        if target == "ctl":
            if value == "restart":
                return start(profile, now)
            return Step(state, data, [Reply("assessment.continuing"), ask(state, data)])
        if target != state:
            return Step(state, data, [Reply("assessment.old_question"), ask(state, data)])
        return _answer(state, data, value, profile)

    if event.kind is EventKind.TEXT:
        if len(event.text) > parsing.MAX_ANSWER_CHARS:
            return _retry(state, data, "too_long", length=len(event.text))
        if conversation.data.get("confirm_restart"):
            choice = parsing.normalise(event.text)
            if choice in {"start over", "restart"}:
                return start(profile, now)
            if choice in {"continue", "go on"}:
                return Step(state, data, [Reply("assessment.continuing"), ask(state, data)])
        return _answer(state, data, _typed_value(state, event.text), profile)

    return _retry(state, data, "not_text", what=event.text or "message")


def _typed_value(state: str, text: str) -> str:
    """A typed button label counts as pressing that button."""
    cleaned = parsing.normalise(text)
    if cleaned in parsing.SKIP_WORDS or cleaned == parsing.normalise(SKIP_LABEL):
        return SKIP
    for label, value in CHOICES.get(state, ()):
        if cleaned == parsing.normalise(label):
            return value
    return text


def _answer(state: str, data: dict[str, Any], raw: str, profile: Profile) -> Step:
    question = BY_STATE[state]
    answers = data["answers"]
    if raw == SKIP:
        if not question.skippable:
            return _retry(state, data, "cannot_skip")
        question.clear(answers)
        question.save(answers, None)
    else:
        parsed = question.parse(raw, profile)
        if not parsed.ok:
            return _retry(state, data, parsed.error or "not_a_choice")
        question.clear(answers)
        question.save(answers, parsed.value)
    # Answers to questions that no longer apply (e.g. calf set length after "no calves")
    # would mislead the rules, so they go.
    for other in QUESTIONS:
        if not other.applies(answers):
            other.clear(answers)
    data["history"].append(state)
    new_state = _fire(state, answers, "advance")
    if new_state == DONE:
        return _finish(data, profile)
    return Step(new_state, data, [ask(new_state, data)])


def _retry(state: str, data: dict[str, Any], error: str, **details: Any) -> Step:
    problem = Reply(f"assessment.error.{error}", {"example": EXAMPLES[state], **details})
    return Step(state, data, [problem, ask(state, data)])


def _back(state: str, data: dict[str, Any]) -> Step:
    history: list[str] = data["history"]
    # Skip entries for questions that no longer apply after a changed answer.
    while history and not BY_STATE[history[-1]].applies(data["answers"]):
        history.pop()
    if not history:
        return Step(state, data, [Reply("assessment.first_question"), ask(state, data)])
    previous = history.pop()
    new_state = _fire(state, data["answers"], f"to_{previous}")
    return Step(new_state, data, [ask(new_state, data)])


@dataclass(frozen=True)
class SaveAssessment:
    """Effect: store a finished assessment with the ids of the problems found."""

    answers: dict[str, Any]
    problem_ids: tuple[str, ...]


def _finish(data: dict[str, Any], profile: Profile) -> Step:
    answers = data["answers"]
    diagnosis = evaluate(answers)
    problem_ids = tuple(finding.rule_id for finding in diagnosis.problems)
    replies = [
        Reply("raw", {"text_html": message})
        for message in render_diagnosis(diagnosis, answers.get("weight_unit", "kg"))
    ]
    previous = profile.latest_problem_ids if profile.latest_answers is not None else None
    change = assessment_change_reply(previous, problem_ids)
    if change is not None:
        replies.append(change)
    replies.append(
        Reply(
            "assessment.next",
            choices=((Choice(ASSESSMENT_TEXTS["assessment.next.plan"], "go=plan"),),),
        )
    )
    return Step(None, data, replies, [SaveAssessment(dict(answers), problem_ids)])
