"""Hostile input at every question of every flow: never an exception, always an answer, and
no number outside its range ever kept.

The questions are found by walking each flow from its start with valid answers (the buttons
each question offers, and a typed answer where it has none), so a new question is covered
without naming it here.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, fields, is_dataclass
from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from flows import (
    account,
    app,
    assessment,
    checkin,
    language,
    leg_plan,
    lifts,
    log_lifts,
    measure,
    parsing,
)
from flows import settings as settings_flow
from flows.answers import BOUNDS, WHOLE_NUMBERS
from flows.core import Conversation, Event, Profile, Reply
from flows.reminders import ACTIONS, callback_data, parse_callback
from flows.schedule import parse_time_of_day_or_error
from flows.texts import render
from flows.texts.plan import WEEKDAY_NAMES
from tests.flows.driver import NOW, TYPED, Chat
from tests.hostile import CHECKIN_BOUNDS, INT64_MAX, hostile_text

TOKEN = "tok"
# States a flow passes through without stopping: nobody is ever asked a question there.
TERMINAL_STATES = {
    assessment.NAME: {assessment.DONE},
    checkin.NAME: {checkin.DONE},
    leg_plan.NAME: {leg_plan.S.SAVED.value},
    settings_flow.NAME: {settings_flow.S.CLOSED.value},
    account.NAME: {account.D.DELETED.value, account.D.KEPT.value},
    log_lifts.NAME: {log_lifts.DONE},
    measure.NAME: {measure.DONE},
    language.NAME: {language.L.CHOSEN.value},
}
# Typed answers for questions without buttons (the assessment's come from the driver).
SCRIPTED = {
    **TYPED,
    leg_plan.S.PICK_DAYS.value: "tue fri",
    leg_plan.S.ASK_ZONE.value: "Berlin",
    **{lift: "100 x 8" for lift in lifts.LOGGED_LIFTS},
    "body_weight": "82 kg",
}
WEEKDAYS = range(len(WEEKDAY_NAMES))


# ---- finding every question ------------------------------------------------------------------


def _assessed_answers() -> dict[str, Any]:
    chat = Chat()
    replies = chat.command("assess")
    while replies[-1].key.startswith("q."):
        replies = chat.text(TYPED[replies[-1].key.removeprefix("q.")])
    [saved] = [effect for effect in chat.effects if isinstance(effect, assessment.SaveAssessment)]
    return saved.answers


ANSWERS = _assessed_answers()
PROFILES = (
    Profile(user_id=1),
    Profile(user_id=2, latest_answers=ANSWERS, has_data=True),
    Profile(
        user_id=3,
        latest_answers=ANSWERS,
        has_data=True,
        plan_weekdays=(1, 4),
        plan_split=True,
        reminder_time="18:00",
        lift_sets=tuple(
            lifts.LiftSet(date(2026, 11, 10), lift, 100.0, 8) for lift in lifts.LOGGED_LIFTS
        ),
        measurements=(lifts.Measurement(date(2026, 10, 1), 82.0, 58.0, 38.0, 36.0),),
    ),
)


@dataclass(frozen=True)
class Question:
    profile: Profile
    conversation: Conversation
    replies: tuple[Reply, ...]

    @property
    def button_values(self) -> list[str]:
        return [value for reply in self.replies for value in reply.choice_values]


def _conversation(outcome: app.Outcome) -> Conversation | None:
    if outcome.flow is None:
        return None
    return Conversation(outcome.flow, outcome.state or "", outcome.data, TOKEN)


def _valid_answers(question: Question) -> Iterator[Event]:
    state = question.conversation.state
    if state in SCRIPTED:
        yield Event.typed(SCRIPTED[state])
    for value in question.button_values:
        if not value.startswith("go="):  # those open another flow
            yield Event.button(value, token=TOKEN)


def discover_questions() -> dict[tuple[str, str], Question]:
    """The first way found to every question of every flow, breadth first from each start.

    The typical lifter's way (every question answered with its scripted typed answer) is
    walked to the end as well, so questions that follow only from typical answers (the
    lifts of someone who trains legs with weights) are reached however the first way
    found to a question before them answered it."""
    found: dict[tuple[str, str], Question] = {}
    for profile in PROFILES:
        for command in app.STARTERS:
            outcome = app.handle(None, Event.command(command), profile, NOW)
            queue = [(outcome, _conversation(outcome), True)]
            expanded: set[tuple[str, str, bool]] = set()
            while queue:
                outcome, conversation, scripted = queue.pop(0)
                if conversation is None:
                    continue
                place = (conversation.flow, conversation.state)
                if (*place, scripted) in expanded or (place in found and not scripted):
                    continue
                expanded.add((*place, scripted))
                question = Question(profile, conversation, tuple(outcome.replies))
                found.setdefault(place, question)
                for event in _valid_answers(question):
                    following = app.handle(conversation, event, profile, NOW)
                    typed = scripted and event.kind.value == "text"
                    queue.append((following, _conversation(following), typed))
    return found


QUESTIONS = discover_questions()


def test_the_walk_reaches_every_question_of_every_flow() -> None:
    for name, flow in app.FLOWS.items():
        states = set(flow.MACHINE.states) - TERMINAL_STATES[name]
        assert states, name
        assert {state for flow_name, state in QUESTIONS if flow_name == name} == states


# ---- hostile input ---------------------------------------------------------------------------


def _numbers(value: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    """Every number inside a JSON-like value or an effect, with the key it sits under."""
    if isinstance(value, bool):
        return
    if isinstance(value, int | float):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _numbers(item, str(key))
    elif isinstance(value, list | tuple | set | frozenset):
        for item in value:
            yield from _numbers(item, path)
    elif is_dataclass(value) and not isinstance(value, type):
        for field in fields(value):
            yield from _numbers(getattr(value, field.name), field.name)


def _within(key: str, value: float, bounds: dict[str, tuple[float, float]]) -> None:
    low, high = bounds[key]
    assert low <= value <= high, (key, value)
    if key in WHOLE_NUMBERS:
        assert isinstance(value, int), (key, value)


def assert_sane(outcome: app.Outcome) -> None:
    assert outcome.replies, "no answer at all"
    for reply in outcome.replies:
        assert isinstance(reply.key, str) and reply.key
        assert render(reply)  # no missing text or value
    for key, value in [*_numbers(outcome.data), *_numbers(outcome.effects)]:
        # Whatever is kept must fit a database column: finite, and a 64-bit integer.
        assert math.isfinite(value), (key, value)
        if isinstance(value, int):
            assert -INT64_MAX - 1 <= value <= INT64_MAX, (key, value)
        if key in {"weekday", "weekdays", "picked", "summary_weekday"}:
            assert value in WEEKDAYS, (key, value)
    flows_data = [outcome.data, *outcome.effects]
    for data in flows_data:
        answers = (
            data.get("answers", {}) if isinstance(data, dict) else getattr(data, "answers", {})
        )
        bounds = CHECKIN_BOUNDS if outcome.flow == checkin.NAME else {**BOUNDS, **lifts.BOUNDS}
        for key, value in answers.items():
            if key in bounds and value is not None:
                _within(key, value, bounds)
    for effect in outcome.effects:
        if isinstance(effect, log_lifts.SaveLiftSets):
            for lift_set in effect.sets:
                _within(f"{lift_set.lift}_kg", lift_set.weight_kg, lifts.BOUNDS)
                _within(f"{lift_set.lift}_reps", lift_set.reps, lifts.BOUNDS)
        if isinstance(effect, measure.SaveMeasurement):
            for key in ("body_weight_kg", *lifts.TAPE_SITES):
                if getattr(effect, key) is not None:
                    _within(key, getattr(effect, key), lifts.BOUNDS)
        if isinstance(effect, checkin.SaveCheckin):
            for key in CHECKIN_BOUNDS:
                value = getattr(effect, key)
                if value is not None:
                    _within(key, value, CHECKIN_BOUNDS)


HYPOTHESIS = settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
PLACES = sorted(QUESTIONS)


@pytest.mark.parametrize("place", PLACES, ids=[f"{flow}:{state}" for flow, state in PLACES])
@HYPOTHESIS
@given(text=hostile_text)
@example(text="99999999999999999999999")
@example(text="8²")
@example(text="٣")
@example(text="①")
@example(text="1_000")
@example(text="inf")
@example(text="nan")
@example(text="1e400")
@example(text="\x00")
def test_typed_answers_never_break_a_question(place: tuple[str, str], text: str) -> None:
    question = QUESTIONS[place]
    outcome = app.handle(question.conversation, Event.typed(text), question.profile, NOW)
    assert_sane(outcome)


@pytest.mark.parametrize("place", PLACES, ids=[f"{flow}:{state}" for flow, state in PLACES])
@HYPOTHESIS
@given(data=st.data(), value=hostile_text)
@example(data=None, value="99999999999999999999")
@example(data=None, value="²")
@example(data=None, value="9" * 5000)
def test_pressed_button_values_never_break_a_question(
    place: tuple[str, str], data: st.DataObject | None, value: str
) -> None:
    question = QUESTIONS[place]
    targets = sorted({v.partition("=")[0] for v in question.button_values} | {"go", ""})
    # A button of this question with a forged value, or nothing like a button at all.
    target = data.draw(st.sampled_from(targets)) if data is not None else targets[0]
    pressed = f"{target}={value}" if data is None or data.draw(st.booleans()) else value
    event = Event.button(pressed, token=TOKEN)
    outcome = app.handle(question.conversation, event, question.profile, NOW)
    assert_sane(outcome)


@pytest.mark.parametrize("target", ["day", "take", "weekday", "time", "zone", "unit"])
@pytest.mark.parametrize("value", ["²", "①", "٣", "99999999999999999999", "1,²", "9" * 5000])
def test_number_buttons_with_forged_digits_are_refused(target: str, value: str) -> None:
    for question in QUESTIONS.values():
        if any(v.startswith(f"{target}=") for v in question.button_values):
            event = Event.button(f"{target}={value}", token=TOKEN)
            outcome = app.handle(question.conversation, event, question.profile, NOW)
            assert_sane(outcome)
            assert not outcome.effects, (target, value)


COMMANDS = sorted({*app.STARTERS, "progress", "export", "pause", "resume", "calendar"})


@pytest.mark.parametrize("place", PLACES, ids=[f"{flow}:{state}" for flow, state in PLACES])
@HYPOTHESIS
@given(data=st.data(), args=hostile_text)
@example(data=None, args="9" * 5000)
@example(data=None, args="²")
def test_commands_with_hostile_arguments_never_break_a_question(
    place: tuple[str, str], data: st.DataObject | None, args: str
) -> None:
    question = QUESTIONS[place]
    command = data.draw(st.sampled_from(COMMANDS)) if data is not None else "progress"
    event = Event.command(command, args)
    assert_sane(app.handle(question.conversation, event, question.profile, NOW))
    assert_sane(app.handle(None, event, question.profile, NOW))


@pytest.mark.parametrize("day", ["9999-12-31", "2100-01-01", "2026-11-18"])
def test_a_check_in_for_a_day_still_to_come_is_not_kept(day: str) -> None:
    chat = Chat()
    replies = chat.send(Event.command("checkin", day))
    while chat.conversation is not None and chat.conversation.flow == checkin.NAME:
        # The first button of each question is a valid answer.
        replies = chat.press(replies[-1].choice_values[0])
    saved = [effect for effect in chat.effects if isinstance(effect, checkin.SaveCheckin)]
    assert saved and replies
    assert all(effect.day <= NOW.date() for effect in saved)


# ---- parsers ---------------------------------------------------------------------------------

NUMBER_PARSERS = {
    "whole_number": lambda text: parsing.parse_whole_number(text, 0, 15),
    "number": lambda text: parsing.parse_number(text, 0, 100),
    "weight": lambda text: parsing.parse_weight(text),
    "hours": lambda text: parsing.parse_hours(text),
    "minutes": lambda text: parsing.parse_minutes(text, 3000),
    "seconds": lambda text: parsing.parse_seconds(text, 3, 600),
    "grams": lambda text: parsing.parse_grams(text, 800),
    "kcal": lambda text: parsing.parse_kcal(text, 500, 15000),
    "weeks": lambda text: parsing.parse_weeks(text),
}


@pytest.mark.parametrize("name", sorted(NUMBER_PARSERS))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=hostile_text)
def test_parsers_answer_a_value_in_range_or_a_reason(name: str, text: str) -> None:
    parsed = NUMBER_PARSERS[name](text)
    if parsed.ok:
        value = parsed.value[0] if isinstance(parsed.value, tuple) else parsed.value
        assert isinstance(value, int | float) and math.isfinite(value)
    else:
        assert parsed.error


@pytest.mark.parametrize("name", sorted(NUMBER_PARSERS))
@pytest.mark.parametrize(
    "text",
    ["8²", "²", "①", "٣", "١٢", "８", "𝟖", "1_0", "inf", "nan", "1e3", "0x10", "Ⅻ", "½", "∞"],
)
def test_parsers_take_only_ascii_digits(name: str, text: str) -> None:
    assert not NUMBER_PARSERS[name](text).ok


@pytest.mark.parametrize("name", sorted(NUMBER_PARSERS))
@pytest.mark.parametrize("digits", [20, 400, 5000])
def test_huge_numbers_are_out_of_range(name: str, digits: int) -> None:
    assert NUMBER_PARSERS[name]("9" * digits).error == "out_of_range"


@pytest.mark.parametrize("text", ["٣", "١٨:٠٠", "８pm", "18:³⁰", "①", "𝟏𝟖:00", "1_8"])
def test_times_of_day_take_only_ascii_digits(text: str) -> None:
    assert parse_time_of_day_or_error(text) == (None, "not_a_time")


# ---- reminder buttons --------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(
    data=st.one_of(
        st.text(),
        st.tuples(st.just("r|"), hostile_text, st.sampled_from(["|done", "|skip", "|", ""])).map(
            "".join
        ),
        st.tuples(st.integers(), st.sampled_from(ACTIONS)).map(
            lambda pair: f"r|{pair[0]}|{pair[1]}"
        ),
    )
)
@example(data="r|99999999999999999999|done")
@example(data="r|9223372036854775808|done")
@example(data="r|²|done")
@example(data="r|٣|done")
@example(data="r|①|skip")
@example(data="r|1_000|done")
@example(data="r|+1|done")
@example(data="r| 1|done")
def test_reminder_callback_data_is_read_or_refused(data: str) -> None:
    parsed = parse_callback(data)
    if parsed is not None:
        delivery_id, action = parsed
        assert 0 <= delivery_id <= INT64_MAX
        assert action
        assert parse_callback(f"r|{delivery_id}|{action}") == parsed
        if len(data.encode()) <= 64:
            assert callback_data(delivery_id, action) == data


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("r|2147483647|done", (2**31 - 1, "done")),
        ("r|2147483648|done", None),
        ("r|9223372036854775807|done", None),
        ("r|99999999999999999999|done", None),
        ("r|²|done", None),
        ("r|٣|done", None),
        ("r|1_000|done", None),
        ("r|0|skip", (0, "skip")),
    ],
)
def test_reminder_ids_must_fit_a_delivery_id(data: str, expected: Any) -> None:
    assert parse_callback(data) == expected
