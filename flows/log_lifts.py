"""/log: the top set of each main lift of a leg day, one quick step each.

The lifts are the heavy basics of that day's workout (flows.planning): squat and leg press on
day A, the Romanian deadlift on day B, all three on a full leg day. Each step offers the aim
the leg-day reminder gave ("Today's aim: 180 kg x 6", flows.reminders) and "Same as last
time" when there is a last time (without a plan "+2.5 kg" or "+5 lb"), takes a typed set such as
"102.5 x 8", and may be skipped. A typed set far from the last one of its lift (more than
double, or under half) is asked about before anything is kept; one that looks like a lost or
extra decimal point offers the likely set ("Did you mean 102.5 kg? Last time you logged
100 kg."). The questions run on the shared interview engine (flows.interview).

The day: "/log 2026-11-17" (the button under a leg-day reminder's Done) logs that day, up to
a week back; a plain /log logs the latest leg day of the past week marked done, else today
when it is a planned leg day, else the latest planned leg day of the past week since the
plan began, else today: always the user's local date.
"""

from __future__ import annotations

import re

__all__ = ["DONE", "FLOW", "NAME", "SaveLiftSets", "handle", "start", "start_for_day"]

import html
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, cast

from flows import interview, lifts, parsing
from flows.checkin import local_today
from flows.core import Choice, Conversation, Event, EventKind, Profile, ProfilePart, Reply, Step
from flows.interview import DONE, AnswerMap, Interview, Question, Remembered, Turn
from flows.lifts import LOGGED_LIFTS, LiftSet, SetValue
from flows.parsing import Parsed
from flows.planning import DayKind, Lifter, Plan, build_workout, day_kind_for
from flows.registry import Flow
from flows.reminders import leg_day_workout, progression_targets
from flows.texts.log_lifts import (
    AIM_LABEL,
    COMMANDS,
    EXAMPLE,
    LIFT_NAMES,
    RETYPE_LABEL,
    STEP_LABEL,
    TITLE,
)
from flows.texts.log_lifts import TEXTS as LOG_TEXTS
from flows.texts.progress import day_label

NAME = "log"

# How far back a leg day can still be logged.
MAX_DAYS_BACK = 7
DAY_KIND_KEY = "day_kind"
# The value of the "No, let me type it again" button after a far jump.
RETYPE = "retype"


@dataclass(frozen=True)
class SaveLiftSets:
    """Effect: store top sets; one row per user, day and lift, so logging the same lift for
    the same day again replaces the earlier set."""

    sets: tuple[LiftSet, ...]


def day_basics(day_kind: DayKind) -> tuple[str, ...]:
    """The heavy basics of a kind of leg day, in workout order (they do not depend on the
    lifter's level or the week's scheme)."""
    workout = build_workout(day_kind, Lifter("beginner", False), 0)
    return tuple(exercise.name for exercise in workout.basics)


def _keys(lift: str) -> tuple[str, str, str]:
    return f"{lift}_kg", f"{lift}_reps", f"{lift}_unit"


def _day_kind(answers: AnswerMap) -> DayKind:
    kind = answers.get(DAY_KIND_KEY)
    return cast(DayKind, kind) if kind in ("front", "back", "full") else "full"


def _applies(lift: str) -> Callable[[AnswerMap], bool]:
    def applies(answers: AnswerMap) -> bool:
        return lift in day_basics(_day_kind(answers))

    return applies


# "+2.5", "+5 lb", «+2,5 кг»: the last set of the lift with that much more on the bar.
_MORE = re.compile(rf"\+ ?(\d+(?:[.,]\d+)?) ?({parsing.WEIGHT_UNIT_WORDS})?\.?")


def _parser(lift: str) -> interview.Parser:
    def parse(text: str, profile: Profile) -> Parsed[Any]:
        more = _MORE.fullmatch(parsing.normalise(text))
        last = lifts.last_set(profile.lift_sets, lift)
        if more is not None and last is not None:
            unit = profile.weight_unit if more[2] is None else lifts.unit_of(more[2], "kg")
            weight = lifts.in_unit(last.weight_kg, unit) + parsing.to_float(more[1])
            text = lifts.typed_set(lifts.to_kg(weight, unit), last.reps, unit)
        return lifts.parse_set(text, profile.weight_unit, lift)

    return parse


def _store(lift: str) -> interview.Store:
    def store(answers: AnswerMap, value: SetValue | None) -> None:
        kg_key, reps_key, unit_key = _keys(lift)
        answers[kg_key], answers[reps_key], answers[unit_key] = value or (None, None, None)

    return store


QUESTIONS: tuple[Question, ...] = tuple(
    Question(
        lift,
        _parser(lift),
        skippable=True,
        applies=_applies(lift),
        store=_store(lift),
        keys=_keys(lift),
        per_row=1,
    )
    for lift in LOGGED_LIFTS
)


class LogData(interview.DayData):
    """What an open /log keeps: the day it is for and the sets so far; JSON with a version."""


# ---- last time -------------------------------------------------------------------------------


def _last(lift: str, turn: Turn[LogData]) -> LiftSet | None:
    return lifts.last_set(turn.profile.lift_sets, lift, before=turn.data.day)


def _remembered(question: Question, turn: Turn[LogData]) -> Remembered | None:
    last = _last(question.name, turn)
    if last is None:
        return None
    kg_key, reps_key, unit_key = _keys(question.name)
    values: AnswerMap = {kg_key: last.weight_kg, reps_key: last.reps, unit_key: last.unit}
    return values, lifts.format_set(last.weight_kg, last.reps, turn.profile.weight_unit)


def step_up(last: LiftSet, unit: str) -> str:
    """Last time's set with one plate step more, as a typed set: "102.5 kg x 10"."""
    weight = lifts.in_unit(last.weight_kg, unit) + lifts.STEP.get(unit, lifts.STEP["kg"])
    return lifts.typed_set(lifts.to_kg(weight, unit), last.reps, unit)


def todays_aim(lift: str, profile: Profile, day: date) -> lifts.Target | None:
    """What the leg-day reminder of `day` aims for on `lift` (flows.reminders): the same
    workout and the same sets before the day; None without a plan, in a deload week or
    without a last set."""
    if not profile.plan_weekdays:
        return None
    workout = leg_day_workout(
        day,
        bool(profile.plan_split),
        profile.plan_weekdays,
        profile.plan_experience,
        profile.plan_explosive,
        profile.plan_deload_from,
        profile.plan_scheme_shift,
    )
    if workout.deload:
        return None
    earlier = [s for s in profile.lift_sets if s.day < day]
    targets = progression_targets(workout, earlier, profile.weight_unit)
    return next((target for target in targets if target.lift == lift), None)


def _buttons(question: Question, turn: Turn[LogData]) -> list[tuple[str, str]]:
    last = _last(question.name, turn)
    if last is None:
        return []
    unit = turn.profile.weight_unit
    if turn.profile.plan_weekdays:
        aim = todays_aim(question.name, turn.profile, turn.data.day)
        if aim is None:
            return []
        kg = lifts.to_kg(aim.weight, unit)
        shown = lifts.format_set(kg, aim.reps, unit)
        return [(AIM_LABEL(reading=shown), lifts.typed_set(kg, aim.reps, unit))]
    step = lifts.STEP.get(unit, lifts.STEP["kg"])
    kg = lifts.to_kg(lifts.in_unit(last.weight_kg, unit) + step, unit)
    label = STEP_LABEL(
        step=lifts.format_amount(step, unit), reading=lifts.format_set(kg, last.reps, unit)
    )
    return [(label, step_up(last, unit))]


def _prompt(question: Question, turn: Turn[LogData]) -> tuple[str, dict[str, Any]]:
    unit = turn.profile.weight_unit
    last = _last(question.name, turn)
    last_html = ""
    if last is not None:
        last_html = LOG_TEXTS["log.q.last"].format(
            day=day_label(last.day), set=lifts.format_set(last.weight_kg, last.reps, unit)
        )
    example = (
        lifts.format_set(lifts.to_kg(225, "lb"), 8, "lb")
        if unit == "lb"
        else lifts.format_set(102.5, 8, "kg")
    )
    return "log.q", {
        "day": day_label(turn.data.day),
        "lift": LIFT_NAMES[question.name],
        "example_set": example,
        "last_html": last_html,
    }


def _problem_values(question: Question) -> dict[str, Any]:
    return {
        "example": EXAMPLE(),
        "max_kg": lifts.figure(lifts.max_kg(question.name)),
    }


# ---- the day ---------------------------------------------------------------------------------


def log_day(profile: Profile, today: date) -> date:
    """The latest day of the past week the user marked as a leg day done (a reminder's Done
    or the check-in); else today when it is a planned leg day (or there is no plan); else the
    latest planned leg day of the past week since the plan began; else today. All local
    dates."""
    week = [today - timedelta(days=back) for back in range(MAX_DAYS_BACK)]
    done = {day for day, mark in profile.reminder_leg_days.items() if mark == "done"}
    # The check-in is the later, corrected answer: it wins over the reminder's button.
    for checkin in profile.recent_checkins:
        if checkin.leg_day == "done":
            done.add(checkin.day)
        elif checkin.leg_day is not None:
            done.discard(checkin.day)
    marked = [day for day in week if day in done]
    if marked:
        return marked[0]
    if not profile.plan_weekdays or today.weekday() in profile.plan_weekdays:
        return today
    since = profile.plan_since or date.min
    for day in week[1:]:
        if day.weekday() in profile.plan_weekdays and day >= since:
            return day
    return today


def day_kind_of(profile: Profile, day: date) -> DayKind:
    plan = Plan(split=bool(profile.plan_split), weekdays=tuple(profile.plan_weekdays))
    return day_kind_for(plan, day.weekday()) or "full"


def start(profile: Profile, now: datetime) -> Step:
    return start_for_day(profile, log_day(profile, local_today(profile.timezone, now)), now)


def start_for_day(profile: Profile, day: date, now: datetime) -> Step:
    data = LogData(day, {DAY_KIND_KEY: day_kind_of(profile, day)})
    return INTERVIEW.start(data, profile, now)


def _start_for_date(args: str, profile: Profile, now: datetime) -> Step | None:
    """ "/log 2026-11-17", the button under a leg-day reminder's Done: that day, when it is
    neither to come nor more than a week back; other arguments are not for it (None)."""
    try:
        day = date.fromisoformat(args.strip())
    except ValueError:
        return None
    today = local_today(profile.timezone, now)
    if not today - timedelta(days=MAX_DAYS_BACK) <= day <= today:
        return None
    return start_for_day(profile, day, now)


# ---- one event -------------------------------------------------------------------------------


def _check(state: str, data: LogData, text: str, profile: Profile, now: datetime) -> Step | None:
    """A typed set far from the last one of its lift: asked about, nothing kept (None when
    the set is not far, or is no set at all: the engine answers those)."""
    turn = Turn(data, profile, now)
    if INTERVIEW.typed_value(state, turn, text) != text:
        return None  # a skip, "same" or a button label
    parsed = lifts.parse_set(text, profile.weight_unit, state, loose=True)
    if not parsed.ok or parsed.value is None:
        return None
    jump = lifts.check_jump(parsed.value, _last(state, turn), state)
    if jump is None:
        return None
    data.readings = jump.readings
    last = lifts.format_weight(jump.last.weight_kg, profile.weight_unit)
    labels = INTERVIEW.which_labels_for(jump.readings)
    buttons = [
        Choice(label, f"{state}={r}") for label, r in zip(labels, jump.readings, strict=True)
    ]
    if jump.kind == "slip":
        key = "log.check.slip"
    else:
        key = "log.check.up" if parsed.value[0] > jump.last.weight_kg else "log.check.down"
        buttons = [buttons[0], Choice(RETYPE_LABEL(), f"{state}={RETYPE}")]
    reading = interview.reading_label(jump.readings[0])
    reply = Reply(
        key,
        {"reading": reading, "last": last, "text": text[:40]},
        choices=tuple((button,) for button in buttons),
    )
    return Step(state, data.to_json(), [reply])


def _retype(state: str, data: LogData, profile: Profile, now: datetime) -> Step:
    data.readings = ()
    return INTERVIEW.ask(state, data, profile, now, before=[Reply("log.retype")])


def handle(conversation: Conversation, event: Event, profile: Profile, now: datetime) -> Step:
    data = LogData.from_json(conversation.data)
    if data is None:
        return start(profile, now)  # data this version cannot read: begin again, safely
    state = conversation.state
    if not INTERVIEW.knows(state):
        return INTERVIEW.recover(state, data, profile, now)
    if event.kind is EventKind.COMMAND and event.text == NAME:
        return INTERVIEW.ask(state, data, profile, now, before=[Reply("log.continuing")])
    if event.kind is EventKind.COMMAND and event.text == "back":
        first = INTERVIEW.applicable(data.answers)[0].name
        if state == first:  # the day's first lift need not be the first question of all
            return INTERVIEW.ask(state, data, profile, now, before=[Reply("log.first_question")])
    if event.kind is EventKind.BUTTON and event.text == f"{state}={RETYPE}":
        return _retype(state, data, profile, now)
    if event.kind is EventKind.TEXT:
        if data.readings:
            said = parsing.parse_yes_no(event.text)
            retyped = parsing.normalise(event.text) == parsing.normalise(RETYPE_LABEL())
            if ((said.ok and said.value is False) or retyped) and len(data.readings) == 1:
                return _retype(state, data, profile, now)
            if INTERVIEW.chosen_reading(event.text, data.readings) is not None:
                return INTERVIEW.handle(state, data, event, profile, now)
            data.readings = ()
        checked = _check(state, data, event.text, profile, now)
        if checked is not None:
            return checked
    return INTERVIEW.handle(state, data, event, profile, now)


# ---- the end ---------------------------------------------------------------------------------


def sets_from(day: date, answers: AnswerMap) -> tuple[LiftSet, ...]:
    """The sets of a finished /log, skipped lifts left out."""
    found = []
    for lift in LOGGED_LIFTS:
        kg_key, reps_key, unit_key = _keys(lift)
        kg = interview.number_answer(answers, kg_key)
        reps = interview.whole_answer(answers, reps_key)
        unit = interview.text_answer(answers, unit_key)
        if kg is not None and reps is not None:
            found.append(LiftSet(day, lift, float(kg), reps, unit if unit == "lb" else "kg"))
    return tuple(found)


def _finish(turn: Turn[LogData]) -> Step:
    day, profile = turn.data.day, turn.profile
    sets = sets_from(day, turn.data.answers)
    if not sets:
        return Step(None, {}, [Reply("log.nothing")])
    unit = profile.weight_unit
    lines = []
    for lift_set in sets:
        found = lifts.estimate(lift_set)
        lines.append(
            LOG_TEXTS["log.saved.line"].format(
                lift=LIFT_NAMES[lift_set.lift],
                set=lifts.format_set(lift_set.weight_kg, lift_set.reps, unit),
                one_rep_max=lifts.format_estimate(found.kg, unit),
                rough=LOG_TEXTS["log.saved.rough"] if found.rough else "",
            )
        )
    replaced = {(s.day, s.lift) for s in sets}
    history = [s for s in profile.lift_sets if (s.day, s.lift) not in replaced] + list(sets)
    leg_lift = lifts.leg_lift_of(history)
    if leg_lift is not None and lifts.stalled(history, leg_lift, day):
        lines.append(LOG_TEXTS["log.stalled"].format(lift=LIFT_NAMES[leg_lift].lower()))
    reply = Reply("log.saved", {"day": day_label(day), "lines_html": _escaped(lines)})
    return Step(None, {}, [reply], [SaveLiftSets(sets)])


def _escaped(lines: list[str]) -> str:
    return "\n".join(html.escape(line, quote=False) for line in lines)


INTERVIEW: Interview[LogData] = Interview(
    NAME,
    QUESTIONS,
    _finish,
    prompt=_prompt,
    buttons=_buttons,
    problem_values=_problem_values,
    remembered=_remembered,
)
MACHINE = INTERVIEW.machine


FLOW = Flow(
    NAME,
    TITLE,
    COMMANDS,
    LOG_TEXTS,
    start,
    handle,
    # The plan says which lifts the day holds; the logbook what was lifted last time.
    needs=frozenset(
        {
            ProfilePart.PLAN,
            ProfilePart.LOGBOOK,
            ProfilePart.CHECKINS,  # a leg day marked done in the check-in
            ProfilePart.REMINDER_MARKS,  # or with a reminder's Done
        }
    ),
    effects=(SaveLiftSets,),
    start_with_args=_start_for_date,
)
