"""/measure: body weight, and the tape measurements (thigh, calf, upper arm), each optional.

Body weight is due every two weeks and the tape every four (flows.lifts.WEIGH_IN_DAYS,
TAPE_DAYS): the check-in offers /measure at its end when the weigh-in is due, and /measure
works any time. The tape questions come after a yes to "tape measurements too?", which says
whether they are due. Weight is kept in kg and the tape in cm; both are asked and shown in
the lifter's units (lb users get pounds and inches). The questions run on the shared
interview engine (flows.interview).
"""

from __future__ import annotations

__all__ = ["DONE", "FLOW", "NAME", "SaveMeasurement", "handle", "offer_reply", "start"]

import html
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flows import interview, lifts, parsing
from flows.core import Choice, Conversation, Event, EventKind, Profile, ProfilePart, Reply, Step
from flows.i18n import date_label
from flows.interview import DONE, AnswerMap, Interview, Question, Remembered, Turn, yes_no
from flows.lifts import TAPE_SITES, Measurement
from flows.parsing import Parsed
from flows.registry import Flow
from flows.texts.measure import (
    BODY_WEIGHT,
    COMMANDS,
    EXAMPLES,
    HOW_TO,
    IN_UNIT,
    OFFER_LABEL,
    SINCE_DATE,
    SITE_NAMES,
    TITLE,
    choices,
)
from flows.texts.measure import TEXTS as MEASURE_TEXTS
from flows.texts.progress import day_label

NAME = "measure"


@dataclass(frozen=True)
class SaveMeasurement(Measurement):
    """Effect: store the measurements of `day`; one row per user and day, and a value left
    out (None) keeps what an earlier measurement of that day stored."""


def local_date(zone: str, now: datetime) -> date:
    try:
        return now.astimezone(ZoneInfo(zone)).date()
    except (ZoneInfoNotFoundError, ValueError):
        return now.astimezone(ZoneInfo("UTC")).date()


def _body_weight(text: str, profile: Profile) -> Parsed[float]:
    parsed = parsing.parse_weight(text, default_unit=profile.weight_unit, ask_when_unsure=True)
    if not parsed.ok or parsed.value is None:
        return parsing.Parsed(error=parsed.error, readings=parsed.readings)
    return parsing.ok(parsed.value[0])


def _site_parser(site: str) -> interview.Parser:
    def parse(text: str, profile: Profile) -> Parsed[Any]:
        return lifts.parse_length(text, lifts.tape_unit(profile.weight_unit), site)

    return parse


def _tape_chosen(answers: AnswerMap) -> bool:
    return answers.get("tape") is True


def _tape_may_come(answers: AnswerMap) -> bool:
    """The tape questions apply until "tape measurements too?" is answered otherwise than
    yes: they count as coming, so "N/M" only ever shrinks (as in the assessment)."""
    return answers.get("tape", True) is True


def _store_body_weight(answers: AnswerMap, value: float | None) -> None:
    answers["body_weight_kg"] = value


QUESTIONS: tuple[Question, ...] = (
    # The body weight is kept under a key of its own: "weight_kg" is the assessment's.
    Question(
        "body_weight",
        _body_weight,
        skippable=True,
        store=_store_body_weight,
        keys=("body_weight_kg",),
    ),
    Question("tape", yes_no, skippable=True, per_row=2),
    *(
        Question(site, _site_parser(site), skippable=True, applies=_tape_may_come)
        for site in TAPE_SITES
    ),
)


class MeasureData(interview.DayData):
    """What an open /measure keeps: the day and the answers so far; JSON with a version."""


# ---- asking ----------------------------------------------------------------------------------


def _shown(key: str, value: float, weight_unit: str) -> str:
    if key == "body_weight_kg":
        return lifts.format_weight(value, weight_unit)
    return lifts.format_length(value, lifts.tape_unit(weight_unit))


def _so_far(profile: Profile, day: date) -> list[Measurement]:
    """The measurements up to `day`, that day's own included: an assessment taken earlier
    today measured too, and what it measured is "last time"."""
    return [m for m in profile.measurements if m.day <= day]


def _earlier(key: str, profile: Profile, day: date) -> Measurement | None:
    found = [m for m in _so_far(profile, day) if getattr(m, key) is not None]
    return max(found, key=lambda m: m.day) if found else None


def _key(question: Question) -> str:
    return question.answer_keys[0]


def _remembered(question: Question, turn: Turn[MeasureData]) -> Remembered | None:
    if question.name == "tape":
        return None
    key = _key(question)
    last = _earlier(key, turn.profile, turn.data.day)
    if last is None:
        return None
    value = getattr(last, key)
    return {key: value}, _shown(key, value, turn.profile.weight_unit)


def _prompt(question: Question, turn: Turn[MeasureData]) -> tuple[str, dict[str, Any]]:
    profile, day = turn.profile, turn.data.day
    if question.name == "tape":
        last = lifts.last_tape(_so_far(profile, day))
        if last is None:
            due = MEASURE_TEXTS["measure.q.tape.none"]
        elif lifts.tape_due(profile.measurements, day):
            due = MEASURE_TEXTS["measure.q.tape.due"]
        else:
            due = MEASURE_TEXTS["measure.q.tape.early"].format(day=day_label(last.day))
        return "measure.q.tape", {"due_html": html.escape(due, quote=False)}
    key = _key(question)
    last_html = ""
    earlier = _earlier(key, profile, day)
    if earlier is not None:
        last_html = html.escape(
            MEASURE_TEXTS["measure.q.last"].format(
                day=day_label(earlier.day),
                value=_shown(key, getattr(earlier, key), profile.weight_unit),
            ),
            quote=False,
        )
    if question.name == "body_weight":
        return "measure.q.body_weight", {"last_html": last_html}
    return "measure.q.site", {
        "site": SITE_NAMES[key],
        "unit": IN_UNIT[lifts.tape_unit(profile.weight_unit)],
        "how_to": HOW_TO[key],
        "last_html": last_html,
    }


def start(profile: Profile, now: datetime) -> Step:
    return INTERVIEW.start(MeasureData(local_date(profile.timezone, now)), profile, now)


def handle(conversation: Conversation, event: Event, profile: Profile, now: datetime) -> Step:
    data = MeasureData.from_json(conversation.data)
    if data is None:
        return start(profile, now)
    if event.kind is EventKind.COMMAND and event.text == NAME:
        note = Reply("measure.continuing")
        return INTERVIEW.ask(conversation.state, data, profile, now, before=[note])
    return INTERVIEW.handle(conversation.state, data, event, profile, now)


# ---- the end ---------------------------------------------------------------------------------


def measurement_from(day: date, answers: AnswerMap) -> SaveMeasurement:
    tape = _tape_chosen(answers)
    return SaveMeasurement(
        day,
        interview.number_answer(answers, "body_weight_kg"),
        *(interview.number_answer(answers, site) if tape else None for site in TAPE_SITES),
    )


def _change(key: str, value: float, profile: Profile, day: date) -> str:
    earlier = _earlier(key, profile, day)
    if earlier is None:
        return ""
    unit = profile.weight_unit
    if key == "body_weight_kg":
        difference = lifts.in_unit(value, unit) - lifts.in_unit(getattr(earlier, key), unit)
        amount = lifts.format_amount(abs(round(difference, 1)), unit)
    else:
        tape = lifts.tape_unit(unit)
        factor = lifts.CM_PER_INCH if tape == "in" else 1.0
        difference = (value - getattr(earlier, key)) / factor
        amount = lifts.format_amount(abs(round(difference, 1)), tape)
    sign = "+" if difference > 0 else "−" if difference < 0 else "±"
    if earlier.day == day:
        # One row a day: the new value takes the place of the one given earlier that day.
        return MEASURE_TEXTS["measure.saved.change.replaced"].format(
            change=f"{sign}{amount}", value=_shown(key, getattr(earlier, key), unit)
        )
    return MEASURE_TEXTS["measure.saved.change"].format(
        change=f"{sign}{amount}", day=date_label(earlier.day, SINCE_DATE())
    )


def _finish(turn: Turn[MeasureData]) -> Step:
    day, profile = turn.data.day, turn.profile
    effect = measurement_from(day, turn.data.answers)
    given = {
        key: getattr(effect, key)
        for key in ("body_weight_kg", *TAPE_SITES)
        if getattr(effect, key) is not None
    }
    if not given:
        return Step(None, {}, [Reply("measure.nothing")])
    lines = [
        MEASURE_TEXTS["measure.saved.line"].format(
            what=BODY_WEIGHT() if key == "body_weight_kg" else SITE_NAMES[key],
            value=_shown(key, value, profile.weight_unit),
            change=_change(key, value, profile, day),
        )
        for key, value in given.items()
    ]
    text = "\n".join(html.escape(line, quote=False) for line in lines)
    reply = Reply("measure.saved", {"day": day_label(day), "lines_html": text})
    return Step(None, {}, [reply], [effect])


def _problem_values(question: Question) -> dict[str, Any]:
    return {"example": EXAMPLES[question.name]}


INTERVIEW: Interview[MeasureData] = Interview(
    NAME,
    QUESTIONS,
    _finish,
    prompt=_prompt,
    buttons=lambda question, turn: choices(question.name),
    problem_values=_problem_values,
    remembered=_remembered,
)
MACHINE = INTERVIEW.machine


# ---- the check-in's offer --------------------------------------------------------------------


def last_weigh_in_day(profile: Profile) -> date | None:
    """The day of the latest body weight: a measurement, or the latest assessment's."""
    days = []
    weighed = lifts.last_weigh_in(profile.measurements)
    if weighed is not None:
        days.append(weighed.day)
    if profile.assessed_at is not None and (profile.latest_answers or {}).get("weight_kg"):
        days.append(local_date(profile.timezone, profile.assessed_at))
    return max(days) if days else None


def offer_reply(profile: Profile, today: date) -> Reply | None:
    """The offer to measure at the end of a check-in: when the last weigh-in (a measurement
    or an assessment) is two weeks old or more. Never weighed at all, it is not offered:
    /measure is in the menu, and the assessment asks for the weight first."""
    last = last_weigh_in_day(profile)
    if last is None or not lifts.weigh_in_due(last, today):
        return None
    tape = (
        MEASURE_TEXTS["measure.offer.tape"] if lifts.tape_due(profile.measurements, today) else ""
    )
    button = Choice(OFFER_LABEL(), "go=measure")
    return Reply("measure.offer", {"tape": tape}, choices=((button,),))


FLOW = Flow(
    NAME,
    TITLE,
    COMMANDS,
    MEASURE_TEXTS,
    start,
    handle,
    needs=frozenset({ProfilePart.LOGBOOK}),
    effects=(SaveMeasurement,),
)
