"""The daily check-in: sleep, protein, carbs, cardio and the leg day in a few taps.

Every question has buttons for the usual answers, takes typed answers and can be skipped.
A check-in belongs to one local date, "the day being checked in", kept in the conversation
data, so an answer given after midnight (or days later, up to a limit) still counts for the
day that was asked about. The questions run on the shared interview engine
(flows.interview): one `transitions` machine drives every user, and a user's place is a
stored state name plus JSON data.
"""

from __future__ import annotations

__all__ = ["DONE", "FLOW", "NAME", "SaveCheckin", "handle", "start", "start_for_day"]

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flows import i18n, interview, parsing
from flows.core import Choice, Conversation, Event, EventKind, Profile, ProfilePart, Reply, Step
from flows.interview import DONE, AnswerMap, Interview, Question, Turn, text_only, words
from flows.measure import offer_reply as measure_offer
from flows.parsing import Parsed
from flows.progress import (
    CHECKIN_VALUES,
    CheckinDay,
    Streaks,
    checkin_streak,
    feedback,
    leg_day_streak,
)
from flows.registry import Flow
from flows.rules import SLEEP_TARGET_H, Targets, protein_grams, targets_from_answers
from flows.texts.checkin import (
    CHOICES,
    COMMANDS,
    DATE_PATTERN,
    EXAMPLES,
    FLOW_TEXTS,
    LEG_DAY_LABELS,
    PROTEIN_LABEL,
    PROTEIN_TARGET_LABEL,
    RANGES,
    SKIP_LABEL,
    TITLE,
)
from flows.texts.checkin import TEXTS as CHECKIN_TEXTS
from flows.texts.progress import render_feedback

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


def day_label(day: date) -> str:
    """ "Tue 17 Nov": the day a check-in is about, in the user's language."""
    return i18n.day_label(day, short=True)


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


# ---- the questions -------------------------------------------------------------------------


def _parse_protein(text: str) -> Parsed[float]:
    # Button labels carry a target mark ("180 g 🎯"); typed numbers may too.
    return parsing.parse_grams(text.replace("🎯", ""), high=MAX_PROTEIN_G)


# Where a check-in keeps the leg day's answer given with a leg-day reminder's Done or Skip
# button ("done" or "skipped"): the leg-day question is then not asked, and the mark is saved.
MARKED_LEG_DAY = "leg_day_marked"
_MARKS = frozenset({"done", "skipped"})


# The leg-day question's value for a bare "no": "skipped" on a planned leg day, a rest day
# on any other (a leg day made up then would crowd the next planned one).
NO_LEG_DAY = "no"


def _leg_day_open(answers: AnswerMap) -> bool:
    return MARKED_LEG_DAY not in answers


def _did_cardio(answers: AnswerMap) -> bool:
    # Skipped minutes (None) count as no cardio: the kind would be a guess.
    return (
        "cardio_minutes" not in answers
        or (interview.number_answer(answers, "cardio_minutes") or 0) > 0
    )


_CARB_LEVELS = words(
    {
        "low": (
            *("few", "little", "low carb", "lowcarb", "keto", "not much", "hardly any"),
            *("мало", "немного", "низко", "кето", "почти нет"),
        ),
        "moderate": (
            *("medium", "average", "normal", "some", "ok", "okay"),
            *("средне", "умеренно", "нормально", "норм"),
        ),
        "high": (
            *("lots", "a lot", "plenty", "many", "loads", "high carb"),
            *("много", "очень много", "высоко"),
        ),
    }
)
# Carbs as a rough level or in grams a day; the assessment asks them the same way.
CARBS_QUESTION = interview.either(
    "carbs",
    (
        ("carbs_level", _CARB_LEVELS),
        ("carbs_g", text_only(lambda text: parsing.parse_grams(text, high=MAX_CARBS_G))),
    ),
    unreadable="not_carbs",
    skippable=True,
)


QUESTIONS: tuple[Question, ...] = (
    Question(
        "sleep_hours",
        text_only(lambda text: parsing.parse_hours(text, high=MAX_SLEEP_H)),
        skippable=True,
        per_row=4,
    ),
    Question("protein_g", text_only(_parse_protein), skippable=True),
    CARBS_QUESTION,
    Question(
        "cardio_minutes",
        # The buttons are in minutes, but a bare "2" is far likelier hours: it is asked.
        text_only(lambda text: parsing.parse_minutes(text, high=MAX_CARDIO_MIN, ask_hours_up_to=4)),
        skippable=True,
        per_row=5,
    ),
    Question(
        "cardio_kind",
        words(
            {
                "steady": (
                    *("long", "jog", "jogging", "run", "walk", "walking", "bike", "liss"),
                    *("ровное", "длительное", "бег", "ходьба", "велосипед", "трусцой"),
                    *("бег трусцой", "пробежка", "бегал", "бегала", "плавание", "долгое"),
                ),
                "intervals": (
                    *("interval", "hiit", "sprints", "sprint", "short"),
                    *("интервалы", "интервальное", "спринты", "спринт"),
                ),
            }
        ),
        skippable=True,
        applies=_did_cardio,
        per_row=2,
    ),
    Question(
        "leg_day",
        words(
            {
                "done": (
                    *("yes", "trained", "did it", "done it", "leg day done", "trained legs"),
                    *("да", "сделал", "сделала", "было", "потренировал", "потренировала"),
                ),
                "skipped": (
                    *("missed", "leg day skipped", "skipped it"),
                    *("пропустил", "пропустила", "пропуск"),
                ),
                # A bare no is a skipped leg day only on a planned one (see _leg_day).
                NO_LEG_DAY: (
                    *("nope", "didn't", "did not", "not today"),
                    *("нет", "неа", "не было", "не тренировал", "не тренировала"),
                ),
                "rest": (
                    *("rest day", "off", "day off", "none", "rested", "resting", "took a rest"),
                    *("отдых", "выходной", "день отдыха", "отдыхал", "отдыхала", "отдыхаю"),
                ),
            }
        ),
        skippable=True,
        applies=_leg_day_open,
        per_row=1,
    ),
)


class CheckinData(interview.DayData):
    """What an open check-in keeps, typed: the local date it is about and the answers so far;
    stored as JSON with a version key."""


# ---- asking -------------------------------------------------------------------------------


def _targets(profile: Profile) -> Targets | None:
    return targets_from_answers(profile.latest_answers or {})


def _round_to_10(grams: float) -> int:
    return int(grams / 10 + 0.5) * 10


def protein_buttons(profile: Profile) -> list[tuple[str, str]]:
    """(label, value) for the protein question: built around the personal target."""
    targets = _targets(profile)
    if targets is None:
        return [(PROTEIN_LABEL(grams=i18n.number(g)), str(g)) for g in DEFAULT_PROTEIN_BUTTONS_G]
    # The target button carries the target itself, the others round numbers below it.
    target = protein_grams(targets)
    below = {_round_to_10(targets.protein_target_g * s) for s in PROTEIN_BUTTON_SHARES[:-1]}
    amounts = sorted({grams for grams in below if grams < target} | {target})
    return [
        (
            (PROTEIN_TARGET_LABEL if grams == target else PROTEIN_LABEL)(grams=i18n.number(grams)),
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


def _buttons(question: Question, turn: Turn[CheckinData]) -> list[tuple[str, str]]:
    if question.name == "protein_g":
        return protein_buttons(turn.profile)
    if question.name == "leg_day":
        return leg_day_buttons(turn.data.day, turn.profile)
    return list(CHOICES.get(question.name, ()))


# A follow-up shares the step of the question it follows: "4/5" over both cardio questions,
# so the total does not drop from 6 to 5 mid-way when no cardio means no cardio kind.
FOLLOW_UPS = {"cardio_kind": "cardio_minutes"}


def step_counter(state: str, answers: AnswerMap) -> tuple[int, int]:
    """(number, total) of the check-in's header: the steps that apply, follow-ups not
    counted on their own."""
    steps = [
        question.name
        for question in QUESTIONS
        if question.name not in FOLLOW_UPS and question.applies(answers)
    ]
    step = FOLLOW_UPS.get(state, state)
    number = steps.index(step) + 1 if step in steps else len(steps)
    return number, len(steps)


def _prompt(question: Question, turn: Turn[CheckinData]) -> tuple[str, dict[str, Any]]:
    day, profile = turn.data.day, turn.profile
    number, total = step_counter(question.name, turn.data.answers)
    is_today = day == local_today(profile.timezone, turn.now)
    label = day_label(day)
    # A day inside the question's sentence, in the form the language's sentence needs.
    named = i18n.date_label(day, DATE_PATTERN())
    values: dict[str, Any] = {
        # These replace the interview's own count (see FOLLOW_UPS).
        "number": number,
        "total": total,
        "day": label,
        "when": (
            CHECKIN_TEXTS["checkin.when.today"]
            if is_today
            else CHECKIN_TEXTS["checkin.when.other"].format(day=named)
        ),
        "night": (
            CHECKIN_TEXTS["checkin.night.today"]
            if is_today
            else CHECKIN_TEXTS["checkin.night.other"].format(day=named)
        ),
    }
    key = f"checkin.q.{question.name}"
    if question.name == "protein_g":
        targets = _targets(profile)
        values["target_html"] = (
            CHECKIN_TEXTS["checkin.protein_target"].format(
                target=i18n.number(protein_grams(targets))
            )
            if targets
            else ""
        )
    if question.name == "leg_day" and _is_planned_leg_day(day, profile):
        key = "checkin.q.leg_day.planned"
        values["when_title"] = (
            CHECKIN_TEXTS["checkin.when_title.today"] if is_today else label[:1].upper() + label[1:]
        )
    return key, values


def _problem_values(question: Question) -> dict[str, Any]:
    return {"example_html": EXAMPLES[question.name], "range": RANGES.get(question.name, "")}


# ---- the flow -----------------------------------------------------------------------------


def start(profile: Profile, now: datetime) -> Step:
    """A check-in for the day being checked in now (see day_to_check_in)."""
    return _begin(profile, day_to_check_in(profile, now), now)


def start_for_day(profile: Profile, day: date, now: datetime) -> Step:
    """A check-in for a given local date, e.g. the one a scheduled check-in was sent for.

    More than two days late it is refused with a polite reply and no open question; a day
    still to come (only a typed "/checkin <date>" names one) gets today's check-in instead.
    """
    if checkin_expired(day, now, profile.timezone):
        return _expired(day)
    if day > local_today(profile.timezone, now):
        return start(profile, now)
    return _begin(profile, day, now)


def _begin(profile: Profile, day: date, now: datetime) -> Step:
    again = any(checkin.day == day for checkin in profile.recent_checkins)
    before = [Reply("checkin.again", {"day": day_label(day)})] if again else []
    data = CheckinData(day)
    _take_reminder_mark(data, profile, "")
    return INTERVIEW.start(data, profile, now, before)


def _take_reminder_mark(data: CheckinData, profile: Profile, state: str) -> None:
    """A leg day already answered with the reminder's Done or Skip is not asked again. A mark
    made while the leg-day question is on screen leaves that question to be answered."""
    mark = profile.reminder_leg_days.get(data.day)
    if mark in _MARKS and state != "leg_day" and "leg_day" not in data.answers:
        data.answers[MARKED_LEG_DAY] = mark


def _expired(day: date) -> Step:
    today = Choice(CHECKIN_TEXTS["checkin.choice.today"], "go=checkin")
    return Step(None, {}, [Reply("checkin.expired", {"day": day_label(day)}, choices=((today,),))])


def handle(conversation: Conversation, event: Event, profile: Profile, now: datetime) -> Step:
    data = CheckinData.from_json(conversation.data)
    if data is None:
        return start(profile, now)  # data this version cannot read: begin again, safely
    if checkin_expired(data.day, now, profile.timezone):
        if event.kind is EventKind.COMMAND and event.text == NAME:
            return start(profile, now)
        return _expired(data.day)
    _take_reminder_mark(data, profile, conversation.state)
    if event.kind is EventKind.COMMAND and event.text == NAME:
        note = Reply("checkin.continuing", {"day": day_label(data.day)})
        return INTERVIEW.ask(conversation.state, data, profile, now, before=[note])
    return INTERVIEW.handle(conversation.state, data, event, profile, now)


# ---- the end ------------------------------------------------------------------------------


def _leg_day(answers: AnswerMap, *, planned: bool) -> str | None:
    answer = interview.text_answer(answers, "leg_day")
    if answer == NO_LEG_DAY:
        return "skipped" if planned else "rest"
    return answer or interview.text_answer(answers, MARKED_LEG_DAY)


def checkin_from(day: date, answers: AnswerMap, *, planned_leg_day: bool) -> CheckinDay:
    return CheckinDay(
        day=day,
        sleep_hours=interview.number_answer(answers, "sleep_hours"),
        protein_g=interview.number_answer(answers, "protein_g"),
        carbs_g=interview.number_answer(answers, "carbs_g"),
        carbs_level=interview.text_answer(answers, "carbs_level"),
        cardio_minutes=interview.whole_answer(answers, "cardio_minutes"),
        cardio_kind=interview.text_answer(answers, "cardio_kind"),
        leg_day=_leg_day(answers, planned=planned_leg_day),
    )


def _streaks_as_of(day: date, recent: Sequence[CheckinDay], today: date) -> date:
    """The day the streaks are counted up to: the day just checked in, or a later day
    already checked in (a late check-in fills a gap in a streak that went on)."""
    later = [checkin.day for checkin in recent if day < checkin.day <= today]
    return max([day, *later])


def _finish(turn: Turn[CheckinData]) -> Step:
    day, profile = turn.data.day, turn.profile
    checkin = checkin_from(
        day, turn.data.answers, planned_leg_day=_is_planned_leg_day(day, profile)
    )
    effect = SaveCheckin(day=day, **{name: getattr(checkin, name) for name in CHECKIN_VALUES})
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
    today = local_today(profile.timezone, turn.now)
    as_of = _streaks_as_of(day, recent, today)
    ordered = sorted(with_new, key=lambda c: c.day)
    counted = Streaks(
        checkin_days=checkin_streak((c.day for c in ordered), as_of),
        leg_days=leg_day_streak(ordered, profile.plan_weekdays, as_of, profile.reminder_leg_days),
    )
    updated = any(c.day == day for c in recent)
    saved = Reply(
        "checkin.updated" if updated else "checkin.saved",
        {
            "day": day_label(day),
            "feedback_html": render_feedback(result, counted, with_tip=day >= today),
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
    # Every two weeks: the weigh-in (flows.measure), offered when it is due.
    offer = measure_offer(profile, local_today(profile.timezone, turn.now))
    if offer is not None:
        replies.append(offer)
    return Step(None, {}, replies, [effect])


INTERVIEW: Interview[CheckinData] = Interview(
    NAME,
    QUESTIONS,
    _finish,
    problem_values=_problem_values,
    buttons=_buttons,
    prompt=_prompt,
    skip_label=SKIP_LABEL,
)
MACHINE = INTERVIEW.machine


# "/checkin yesterday", «/checkin вчера»: a day named by how long ago it was.
_DAYS_AGO = {
    **dict.fromkeys(("today", "сегодня"), 0),
    **dict.fromkeys(("yesterday", "вчера"), 1),
    **dict.fromkeys(("day before yesterday", "the day before yesterday", "позавчера"), 2),
}


def _start_for_date(args: str, profile: Profile, now: datetime) -> Step | None:
    """ "/checkin 2026-11-17", the button of a scheduled check-in: it counts for the day it was
    sent for; "/checkin yesterday" too. Other arguments are not for it (None)."""
    ago = _DAYS_AGO.get(parsing.normalise(args))
    if ago is not None:
        day = local_today(profile.timezone, now) - timedelta(days=ago)
        return start_for_day(profile, day, now)
    try:
        day = date.fromisoformat(args)
    except ValueError:
        return None
    return start_for_day(profile, day, now)


FLOW = Flow(
    NAME,
    TITLE,
    COMMANDS,
    FLOW_TEXTS,
    start,
    handle,
    # Targets from the assessment, planned leg days, recent check-ins and the leg days marked
    # with a reminder's buttons all go into the feedback and streaks.
    needs=frozenset(
        {
            ProfilePart.ASSESSMENT,
            ProfilePart.PLAN,
            ProfilePart.CHECKINS,
            ProfilePart.REMINDER_MARKS,
            ProfilePart.LOGBOOK,  # the last weigh-in: is measuring due?
        }
    ),
    effects=(SaveCheckin,),
    start_with_args=_start_for_date,
)
