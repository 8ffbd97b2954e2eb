"""The daily check-in: sleep, protein, carbs, cardio and the leg day in a few taps.

Every question has buttons for the usual answers, takes typed answers and can be skipped.
A check-in belongs to one local date, "the day being checked in", kept in the conversation
data, so an answer given after midnight (or days later, up to a limit) still counts for the
day that was asked about. As in the assessment, one shared `transitions` machine drives
every user: a user's place is a stored state name plus JSON data.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from transitions import EventData, Machine

from flows import parsing
from flows.core import Choice, Conversation, Event, EventKind, Profile, Reply, Step, rows
from flows.machine import fire
from flows.parsing import Parsed
from flows.progress import CheckinDay, feedback, streaks
from flows.rules import SLEEP_TARGET_H, Targets, targets_from_answers
from flows.texts.checkin import (
    CHOICES,
    EXAMPLES,
    LEG_DAY_LABELS,
    PROTEIN_LABEL,
    PROTEIN_TARGET_LABEL,
    RANGES,
    SKIP_LABEL,
)
from flows.texts.checkin import TEXTS as CHECKIN_TEXTS
from flows.texts.progress import day_label, render_feedback

logger = logging.getLogger(__name__)

NAME = "checkin"

# Before this local hour a new check-in is still about yesterday (if yesterday has none):
# someone answering at 01:00 has not slept the night of "today" yet.
DAY_STARTS_AT = time(4, 0)
# A check-in answered later than this many days after its day is refused: by then the
# numbers would be guesses.
MAX_DAYS_LATE = 2

MAX_SLEEP_H = 16.0
MAX_PROTEIN_G = 600.0
MAX_CARBS_G = 1500.0
MAX_CARDIO_MIN = 600
# Protein buttons without an assessment, when there is no personal target to build on.
DEFAULT_PROTEIN_BUTTONS_G = (100, 150, 200)
# Protein buttons with a target: about half, about three quarters, and the target itself.
PROTEIN_BUTTON_SHARES = (0.5, 0.75, 1.0)


class Q(StrEnum):
    SLEEP = "sleep_hours"
    PROTEIN = "protein_g"
    CARBS = "carbs"
    CARDIO = "cardio_minutes"
    CARDIO_KIND = "cardio_kind"
    LEG_DAY = "leg_day"


DONE = "done"
SKIP = "skip"


@dataclass(frozen=True)
class SaveCheckin:
    """Effect: store the check-in for `day`; one row per user and day, so a second check-in
    for the same day replaces the first."""

    day: date
    sleep_hours: float | None
    protein_g: float | None
    carbs_g: float | None
    carbs_level: str | None
    cardio_minutes: int | None
    cardio_kind: str | None
    leg_day: str | None


# ---- dates --------------------------------------------------------------------------------


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        logger.warning("unknown time zone %r, using UTC", name)
        return ZoneInfo("UTC")


def local_today(zone: str, now: datetime) -> date:
    """The user's calendar date at `now`."""
    return now.astimezone(_zone(zone)).date()


def day_to_check_in(profile: Profile, now: datetime) -> date:
    """The local date a check-in started now is about: today, except before 04:00 when
    yesterday has no check-in yet (then yesterday)."""
    local = now.astimezone(_zone(profile.timezone))
    yesterday = local.date() - timedelta(days=1)
    checked_in = {checkin.day for checkin in profile.recent_checkins}
    if local.time() < DAY_STARTS_AT and yesterday not in checked_in:
        return yesterday
    return local.date()


def checkin_expired(day: date, now: datetime, zone: str) -> bool:
    """Whether a check-in for `day` comes too late at `now`: more than two local days
    after its day."""
    return (local_today(zone, now) - day).days > MAX_DAYS_LATE


# ---- parsing the answers --------------------------------------------------------------------


def _words(mapping: dict[str, tuple[str, ...]]) -> Callable[[str], Parsed[Any]]:
    """A parser for a choice: the value itself or one of its words."""

    def parse(text: str) -> Parsed[Any]:
        cleaned = parsing.normalise(text).strip(".!")
        for value, words in mapping.items():
            if cleaned == value or cleaned in words:
                return parsing.ok(value)
        return parsing.fail("not_a_choice")

    return parse


_carb_level = _words(
    {
        "low": ("few", "little", "low carb", "keto", "not much", "hardly any"),
        "moderate": ("medium", "average", "normal", "some", "ok", "okay"),
        "high": ("lots", "a lot", "plenty", "loads", "high carb"),
    }
)


def _parse_carbs(text: str) -> Parsed[tuple[str, Any]]:
    level = _carb_level(text)
    if level.ok:
        return parsing.ok(("level", level.value))
    grams = parsing.parse_grams(text, high=MAX_CARBS_G)
    if grams.ok:
        return parsing.ok(("grams", grams.value))
    return parsing.fail("not_carbs" if grams.error == "not_grams" else "out_of_range")


def _parse_protein(text: str) -> Parsed[float]:
    # Button labels carry a target mark ("180 g 🎯"); typed numbers may too.
    return parsing.parse_grams(text.replace("🎯", ""), high=MAX_PROTEIN_G)


_PARSERS: dict[str, Callable[[str], Parsed[Any]]] = {
    Q.SLEEP: lambda text: parsing.parse_hours(text, high=MAX_SLEEP_H),
    Q.PROTEIN: _parse_protein,
    Q.CARBS: _parse_carbs,
    Q.CARDIO: lambda text: parsing.parse_minutes(text, high=MAX_CARDIO_MIN),
    Q.CARDIO_KIND: _words(
        {
            "steady": ("long", "jog", "jogging", "run", "walk", "walking", "bike", "liss"),
            "intervals": ("interval", "hiit", "sprints", "sprint", "short"),
        }
    ),
    Q.LEG_DAY: _words(
        {
            "done": ("yes", "trained", "did it", "done it", "leg day done", "trained legs"),
            "skipped": ("no", "missed", "leg day skipped", "skipped it", "didn't"),
            "rest": ("rest day", "off", "day off", "none"),
        }
    ),
}


def _store(answers: dict[str, Any], state: str, value: Any) -> None:
    if state == Q.CARBS:
        kind, amount = value if value is not None else ("none", None)
        answers["carbs_g"] = amount if kind == "grams" else None
        answers["carbs_level"] = amount if kind == "level" else None
    else:
        answers[state] = value


def _clear(answers: dict[str, Any], state: str) -> None:
    for key in ("carbs_g", "carbs_level") if state == Q.CARBS else (state,):
        answers.pop(key, None)


def _applies(state: str, answers: dict[str, Any]) -> bool:
    # Cardio kind counts as coming until the minutes say otherwise, so "N of M" only shrinks.
    if state == Q.CARDIO_KIND:
        return (answers.get("cardio_minutes", 1) or 0) > 0
    return True


def applicable(answers: dict[str, Any]) -> list[str]:
    return [state.value for state in Q if _applies(state, answers)]


# ---- the machine --------------------------------------------------------------------------


class CheckinModel:
    """The model the shared machine drives: one per event, built from the stored row."""

    state: str
    trigger: Callable[[str], bool]  # bound by the machine on add_model

    def __init__(self, answers: dict[str, Any]) -> None:
        self.answers = answers


def _applies_check(state: str) -> Callable[[EventData], bool]:
    def check(event: EventData) -> bool:
        model: CheckinModel = event.model  # type: ignore[assignment]
        return _applies(state, model.answers)

    return check


def _build_machine() -> Machine:
    states = [state.value for state in Q]
    machine = Machine(
        model=None,
        states=[*states, DONE],
        initial=states[0],
        send_event=True,
        auto_transitions=True,  # to_<state>, used by /back
    )
    # "answer" moves to the next question that applies; transitions are tried in the order
    # they were added, so the first applicable one wins.
    for index, state in enumerate(states):
        for later in states[index + 1 :]:
            machine.add_transition("answer", state, later, conditions=[_applies_check(later)])
        machine.add_transition("answer", state, DONE)
    return machine


MACHINE = _build_machine()


def _fire(state: str, answers: dict[str, Any], trigger: str) -> str:
    return fire(MACHINE, CheckinModel(answers), state, trigger) or state


# ---- asking -------------------------------------------------------------------------------


def _targets(profile: Profile) -> Targets | None:
    return targets_from_answers(profile.latest_answers or {})


def _round_to_10(grams: float) -> int:
    return int(grams / 10 + 0.5) * 10


def protein_buttons(profile: Profile) -> list[tuple[str, str]]:
    """(label, value) for the protein question: built around the personal target."""
    targets = _targets(profile)
    if targets is None:
        return [(PROTEIN_LABEL.format(grams=g), str(g)) for g in DEFAULT_PROTEIN_BUTTONS_G]
    target = _round_to_10(targets.protein_target_g)
    amounts = sorted({_round_to_10(targets.protein_target_g * s) for s in PROTEIN_BUTTON_SHARES})
    return [
        (
            (PROTEIN_TARGET_LABEL if grams == target else PROTEIN_LABEL).format(grams=grams),
            str(grams),
        )
        for grams in amounts
    ]


def _is_planned_leg_day(day: date, profile: Profile) -> bool:
    return day.weekday() in profile.plan_weekdays


def leg_day_buttons(day: date, profile: Profile) -> list[tuple[str, str]]:
    """(label, value) for the leg-day question, the answer the plan expects first."""
    if _is_planned_leg_day(day, profile):
        order = ("done", "skipped", "rest")
    elif profile.plan_weekdays:
        order = ("rest", "done", "skipped")
    else:
        order = ("done", "skipped", "rest")
    return [(LEG_DAY_LABELS[value], value) for value in order]


def _choices(state: str, day: date, profile: Profile) -> list[tuple[str, str]]:
    if state == Q.PROTEIN:
        return protein_buttons(profile)
    if state == Q.LEG_DAY:
        return leg_day_buttons(day, profile)
    return list(CHOICES.get(state, ()))


_PER_ROW = {Q.SLEEP: 4, Q.PROTEIN: 3, Q.CARBS: 3, Q.CARDIO: 5, Q.CARDIO_KIND: 2, Q.LEG_DAY: 1}


def _day(data: dict[str, Any]) -> date:
    return date.fromisoformat(data["day"])


def ask(state: str, data: dict[str, Any], profile: Profile, now: datetime) -> Reply:
    day = _day(data)
    questions = applicable(data.get("answers", {}))
    number = questions.index(state) + 1 if state in questions else len(questions)
    is_today = day == local_today(profile.timezone, now)
    label = day_label(day)
    when = (
        CHECKIN_TEXTS["checkin.when.today"]
        if is_today
        else CHECKIN_TEXTS["checkin.when.other"].format(day=label)
    )
    values: dict[str, Any] = {
        "day": label,
        "number": number,
        "total": len(questions),
        "when": when,
        "night": (
            CHECKIN_TEXTS["checkin.night.today"]
            if is_today
            else CHECKIN_TEXTS["checkin.night.other"].format(day=label)
        ),
    }
    key = f"checkin.q.{state}"
    if state == Q.PROTEIN:
        targets = _targets(profile)
        values["target_html"] = (
            CHECKIN_TEXTS["checkin.protein_target"].format(
                target=_round_to_10(targets.protein_target_g)
            )
            if targets
            else ""
        )
    if state == Q.LEG_DAY and _is_planned_leg_day(day, profile):
        key = "checkin.q.leg_day.planned"
        values["when_title"] = CHECKIN_TEXTS["checkin.when_title.today"] if is_today else label
    buttons = [Choice(text, f"{state}={value}") for text, value in _choices(state, day, profile)]
    keyboard = (*rows(buttons, _PER_ROW[Q(state)]), (Choice(SKIP_LABEL, f"{state}={SKIP}"),))
    return Reply(key, values, choices=keyboard)


# ---- the flow -----------------------------------------------------------------------------


def start(profile: Profile, now: datetime) -> Step:
    """A check-in for the day being checked in now (see day_to_check_in)."""
    return _begin(profile, day_to_check_in(profile, now), now)


def start_for_day(profile: Profile, day: date, now: datetime) -> Step:
    """A check-in for a given local date, e.g. the one a scheduled check-in was sent for.

    More than two days late it is refused with a polite reply and no open question.
    """
    if checkin_expired(day, now, profile.timezone):
        return _expired(day)
    return _begin(profile, day, now)


def _begin(profile: Profile, day: date, now: datetime) -> Step:
    data: dict[str, Any] = {"day": day.isoformat(), "answers": {}, "history": []}
    first = Q.SLEEP.value
    replies = [ask(first, data, profile, now)]
    if any(checkin.day == day for checkin in profile.recent_checkins):
        replies.insert(0, Reply("checkin.again", {"day": day_label(day)}))
    return Step(first, data, replies, restarted=True)


def _expired(day: date) -> Step:
    today = Choice(CHECKIN_TEXTS["checkin.choice.today"], "go=checkin")
    return Step(None, {}, [Reply("checkin.expired", {"day": day_label(day)}, choices=((today,),))])


def handle(conversation: Conversation, event: Event, profile: Profile, now: datetime) -> Step:
    state = conversation.state
    stored = conversation.data
    try:
        day = date.fromisoformat(str(stored.get("day")))
    except ValueError:
        return start(profile, now)  # data this version cannot read: begin again, safely
    if state not in {q.value for q in Q}:
        return start(profile, now)
    data: dict[str, Any] = {
        "day": day.isoformat(),
        "answers": dict(stored.get("answers", {})),
        "history": list(stored.get("history", [])),
    }

    if checkin_expired(day, now, profile.timezone):
        if event.kind is EventKind.COMMAND and event.text == NAME:
            return start(profile, now)
        return _expired(day)

    if event.kind is EventKind.COMMAND:
        if event.text == "back":
            return _back(state, data, profile, now)
        if event.text == NAME:
            note = Reply("checkin.continuing", {"day": day_label(day)})
            return Step(state, data, [note, ask(state, data, profile, now)])
        return Step(state, data, [ask(state, data, profile, now)])

    if event.kind is EventKind.BUTTON:
        target, _, value = event.text.partition("=")
        if target != state:
            return Step(
                state, data, [Reply("checkin.old_question"), ask(state, data, profile, now)]
            )
        return _answer(state, data, value, profile, now)

    if event.kind is EventKind.TEXT:
        if len(event.text) > parsing.MAX_ANSWER_CHARS:
            return _retry(state, data, profile, now, "too_long", "")
        return _answer(
            state, data, _typed_value(state, _day(data), event.text, profile), profile, now
        )

    return _retry(state, data, profile, now, "not_text", "", what=event.text or "message")


def _typed_value(state: str, day: date, text: str, profile: Profile) -> str:
    """A typed button label counts as pressing that button; skip words skip."""
    cleaned = parsing.normalise(text)
    if cleaned in parsing.SKIP_WORDS or cleaned == parsing.normalise(SKIP_LABEL):
        return SKIP
    for label, value in _choices(state, day, profile):
        if cleaned == parsing.normalise(label):
            return value
    return text


def _answer(state: str, data: dict[str, Any], raw: str, profile: Profile, now: datetime) -> Step:
    answers = data["answers"]
    if raw == SKIP:
        _clear(answers, state)
        _store(answers, state, None)
    else:
        parsed = _PARSERS[state](raw)
        if not parsed.ok:
            return _retry(state, data, profile, now, parsed.error or "not_a_choice", raw)
        _clear(answers, state)
        _store(answers, state, parsed.value)
    # An answer to a question that no longer applies (cardio kind after "no cardio") goes.
    for other in Q:
        if not _applies(other, answers):
            _clear(answers, other)
    data["history"].append(state)
    new_state = _fire(state, answers, "answer")
    if new_state == DONE:
        return _finish(data, profile, now)
    return Step(new_state, data, [ask(new_state, data, profile, now)])


def _retry(
    state: str,
    data: dict[str, Any],
    profile: Profile,
    now: datetime,
    error: str,
    text: str,
    **details: Any,
) -> Step:
    values = {
        "text": text[:40],
        "example_html": EXAMPLES[state],
        "range": RANGES.get(state, ""),
        **details,
    }
    return Step(
        state, data, [Reply(f"checkin.error.{error}", values), ask(state, data, profile, now)]
    )


def _back(state: str, data: dict[str, Any], profile: Profile, now: datetime) -> Step:
    history: list[str] = data["history"]
    # Drop entries for questions that no longer apply after a changed answer.
    while history and not _applies(history[-1], data["answers"]):
        history.pop()
    if not history:
        return Step(state, data, [Reply("checkin.first_question"), ask(state, data, profile, now)])
    previous = history.pop()
    new_state = _fire(state, data["answers"], f"to_{previous}")
    return Step(new_state, data, [ask(new_state, data, profile, now)])


# ---- the end ------------------------------------------------------------------------------


def checkin_from(day: date, answers: dict[str, Any]) -> CheckinDay:
    return CheckinDay(
        day=day,
        sleep_hours=answers.get("sleep_hours"),
        protein_g=answers.get("protein_g"),
        carbs_g=answers.get("carbs_g"),
        carbs_level=answers.get("carbs_level"),
        cardio_minutes=answers.get("cardio_minutes"),
        cardio_kind=answers.get("cardio_kind"),
        leg_day=answers.get("leg_day"),
    )


def _streaks_as_of(day: date, recent: Sequence[CheckinDay], today: date) -> date:
    """The day the streaks are counted up to: the day just checked in, or a later day
    already checked in (a late check-in fills a gap in a streak that went on)."""
    later = [checkin.day for checkin in recent if day < checkin.day <= today]
    return max([day, *later])


def _finish(data: dict[str, Any], profile: Profile, now: datetime) -> Step:
    day = _day(data)
    checkin = checkin_from(day, data["answers"])
    effect = SaveCheckin(
        day=day,
        sleep_hours=checkin.sleep_hours,
        protein_g=checkin.protein_g,
        carbs_g=checkin.carbs_g,
        carbs_level=checkin.carbs_level,
        cardio_minutes=checkin.cardio_minutes,
        cardio_kind=checkin.cardio_kind,
        leg_day=checkin.leg_day,
    )
    recent: list[CheckinDay] = [c for c in profile.recent_checkins if isinstance(c, CheckinDay)]
    targets = _targets(profile)
    result = feedback(
        checkin,
        protein_target_g=targets.protein_target_g if targets else None,
        sleep_target_h=targets.sleep_target_h if targets else SLEEP_TARGET_H,
        carbs_min_g=targets.carbs_min_g if targets else None,
        recent=recent,
        tomorrow_is_leg_day=(day + timedelta(days=1)).weekday() in profile.plan_weekdays,
    )
    # The new check-in goes last: for a day answered twice, the later one wins.
    with_new = [c for c in recent if c.day != day] + [checkin]
    as_of = _streaks_as_of(day, recent, local_today(profile.timezone, now))
    counted = streaks(
        sorted(with_new, key=lambda c: c.day),
        profile.plan_weekdays,
        as_of,
        profile.reminder_leg_days,
    )
    updated = any(c.day == day for c in recent)
    saved = Reply(
        "checkin.updated" if updated else "checkin.saved",
        {
            "day": day_label(day),
            "feedback_html": render_feedback(result, counted),
            # For whoever reads the outcome rather than the text (tests, logs).
            "tip": result.tip.key,
            "checkin_streak": counted.checkin_days,
            "leg_day_streak": counted.leg_days,
        },
    )
    replies = [saved]
    if targets is None:
        assess = Choice(CHECKIN_TEXTS["checkin.choice.assess"], "go=assess")
        replies.append(Reply("checkin.no_assessment", choices=((assess,),)))
    return Step(None, {}, replies, [effect])
