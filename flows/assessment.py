"""The leg-lag assessment: one question at a time, then the diagnosis.

The questions run on the shared interview engine (flows.interview): one `transitions` machine
serves every user, and a user's place is a row (state name plus answers as JSON).
"""

from __future__ import annotations

__all__ = ["DONE", "FLOW", "NAME", "QUESTIONS", "SaveAssessment", "handle", "start"]

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any, cast

from flows import diagnosis, i18n, interview, lifts, parsing
from flows.account import assessment_change_reply
from flows.answers import BOUNDS, WHOLE_NUMBERS, Answers
from flows.checkin import CARBS_QUESTION
from flows.core import Choice, Conversation, Event, EventKind, Profile, ProfilePart, Reply, Step
from flows.interview import (
    DONE,
    AnswerMap,
    AnswerValue,
    Interview,
    Parser,
    Question,
    Remembered,
    Turn,
    words,
    yes_no,
)
from flows.log_lifts import SaveLiftSets
from flows.measure import SaveMeasurement, local_date
from flows.parsing import Parsed
from flows.registry import Flow
from flows.rules import evaluate
from flows.texts import common as common_texts
from flows.texts.assessment import (
    CHOICES,
    COMMANDS,
    EXAMPLES,
    SAME_AMOUNTS,
    SAME_COUNTS,
    SAME_LABEL,
    SAME_SET,
    SAME_WEEKS,
    SAME_WEIGHT,
    SKIP_LABEL,
    TITLE,
)
from flows.texts.assessment import TEXTS as ASSESSMENT_TEXTS

NAME = "assessment"

_by_level = words(
    {
        "beginner": (
            "novice",
            "new",
            "newbie",
            "beginner (under 1 year)",
            "новичок",
            "начинающий",
            "начинающая",
        ),
        "intermediate": (
            "medium",
            "middle",
            "intermediate (1-3 years)",
            "средний",
            "средняя",
            "средний уровень",
        ),
        "advanced": (
            "expert",
            "pro",
            "experienced",
            "advanced (3+ years)",
            "опытный",
            "опытная",
            "продвинутый",
            "продвинутая",
            "профи",
        ),
    }
)
# "2 years", "6 months", "2 года", "6 месяцев": how long someone has trained.
_TRAINED_FOR = re.compile(
    r"(\d+(?:[.,]\d+)?)\s*(y|yr|yrs|years?|m|mo|months?|г|год|года|лет|мес|месяц|месяца|месяцев)\.?"
)
_MONTHS = frozenset({"m", "mo", "month", "months", "мес", "месяц", "месяца", "месяцев"})
# A unit said alone is one of it, as after "more than" or «меньше»: "a year", «года».
_ONE_UNIT = {
    **dict.fromkeys(("year", "a year", "1 year", "год", "года"), "1 year"),
    **dict.fromkeys(("month", "a month", "месяц", "месяца"), "1 month"),
}


# "1-3 years", "2 to 4 years", «от 1 до 3 лет»: a range of time, read at its middle.
_TRAINED_RANGE = re.compile(r"(?:от )?(\d+(?:[.,]\d+)?) ?(?:-|to|до) ?(\d+(?:[.,]\d+)?) ?(\S+)")
# "more than 3 years", "3+ years", «больше трёх лет»: at least that long.
_AT_LEAST = re.compile(r"(?:more than|over|at least|больше|более|свыше|от) (.+)|(\d+)\+ ?(\S+)")
# "less than a year", "under 2 years", «меньше года»: somewhere below it, read as half.
_AT_MOST = re.compile(r"(?:less than|under|меньше|менее|до) (.+)")


def _experience(text: str, profile: Profile) -> Parsed[Any]:
    by_word = _by_level(text, profile)
    if by_word.ok:
        return by_word
    years = _years_trained(parsing.unhedged(text))
    if years is None:
        return parsing.fail("not_a_choice")
    if years > 80:
        return parsing.fail("out_of_range")
    return parsing.ok("beginner" if years < 1 else "intermediate" if years < 3 else "advanced")


def _years_trained(said: str) -> float | None:
    """The time spent training, in years, as the answer says it; None when it says none."""
    if found := _TRAINED_RANGE.fullmatch(said):
        low, high, unit = found.groups()
        shortest, longest = _years(f"{low} {unit}"), _years(f"{high} {unit}")
        return None if shortest is None or longest is None else (shortest + longest) / 2
    if found := _AT_LEAST.fullmatch(said):
        return _years(found[1] or f"{found[2]} {found[3]}")
    if found := _AT_MOST.fullmatch(said):
        longest = _years(found[1])
        return None if longest is None else longest / 2
    return _years(said)


def _years(said: str) -> float | None:
    match = _TRAINED_FOR.fullmatch(_ONE_UNIT.get(said, said))
    if not match:
        return None
    return parsing.to_float(match.group(1)) / (12 if match.group(2) in _MONTHS else 1)


# How often someone naps, for a yes-or-no question: now and then is yes (naps that help the
# night's sleep), seldom is no.
_napping = words(
    {
        "yes": ("иногда", "бывает", "часто", "регулярно", "каждый день", "по выходным"),
        "no": ("редко", "очень редко", "почти никогда", "никогда", "не сплю"),
    }
)


def _naps(text: str, profile: Profile) -> Parsed[Any]:
    said = parsing.parse_yes_no(text)
    if said.ok:
        return said
    often = _napping(text, profile)
    return parsing.ok(often.value == "yes") if often.ok else said


# Figures no lifter lives on, typed bare, are confirmed before they lead the diagnosis: "2"
# for protein is more likely a slip than 2 g a day. With the unit typed they are taken.
_FEWEST_PROTEIN_G = 20.0
_FEWEST_SLEEP_H = 3.0
_UNIT_TYPED = re.compile(r"[^\d\s.,~≈]")


def _protein(text: str) -> Parsed[float]:
    grams = parsing.parse_grams(text, high=800)
    return _confirmed_below(grams, text, _FEWEST_PROTEIN_G, lambda value: f"{value:g} g")


def _sleep(text: str) -> Parsed[float]:
    hours = parsing.parse_hours(text, high=16)
    return _confirmed_below(hours, text, _FEWEST_SLEEP_H, lambda v: parsing.spelled(v, "hour"))


def _confirmed_below(
    read: Parsed[float], text: str, fewest: float, reading: Callable[[float], str]
) -> Parsed[float]:
    if read.value is None or read.value >= fewest or _UNIT_TYPED.search(parsing.unhedged(text)):
        return read
    return parsing.ambiguous([reading(read.value)])


def _weight(text: str, profile: Profile) -> Parsed[tuple[float, str]]:
    # A bare 180 where kg is the default (or 82 where lb is) is asked about, not guessed.
    return parsing.parse_weight(text, default_unit=profile.weight_unit, ask_when_unsure=True)


def _store_weight(answers: AnswerMap, value: tuple[float, str]) -> None:
    answers["weight_kg"], answers["weight_unit"] = value


def _whole(low: int, high: int, unit: str = "", *, span_top: bool = False) -> Parser:
    """A whole number, with `unit` (a regular expression) after it or not; a span asks which
    end is meant, or with `span_top` is read at its top (see parsing.parse_whole_number)."""
    after = re.compile(rf"\s*(?:{unit})\.?$") if unit else None

    def parse(text: str, profile: Profile) -> Parsed[Any]:
        cleaned = after.sub("", parsing.normalise(text)) if after else text
        return parsing.parse_whole_number(cleaned, low, high, span_top=span_top)

    return parse


def _trains_legs(answers: AnswerMap) -> bool:
    # No leg day in a usual week: there are no leg exercises or reps to ask about, whatever
    # the kind of training named (the diagnosis reads it the same way, flows.rules).
    no_days = interview.number_answer(answers, "leg_days_per_week") == 0
    return not no_days and answers.get("leg_training", "free_weights") in {
        "free_weights",
        "machines",
    }


def _trains_often(answers: AnswerMap) -> bool:
    days = interview.number_answer(answers, "leg_days_per_week")
    return "leg_days_per_week" not in answers or (days is not None and days >= 2)


def _trains_calves(answers: AnswerMap) -> bool:
    return answers.get("trains_calves", True) is True


def _does_cardio(answers: AnswerMap) -> bool:
    return (
        "cardio_minutes_week" not in answers
        or (interview.number_answer(answers, "cardio_minutes_week") or 0) > 0
    )


def _has_leg_lift(answers: AnswerMap) -> bool:
    return _trains_legs(answers) and answers.get("leg_lift", "back_squat") is not None


def _wants_tape(answers: AnswerMap) -> bool:
    return answers.get("tape", True) is True


def _lift_set(key: str, lift: str) -> tuple[Parser, interview.Store, tuple[str, ...]]:
    """Parser, store and keys of a best-recent-set question: "100 x 5", "225 lb for 5"."""
    keys = (f"{key}_kg", f"{key}_reps", f"{key}_unit")

    # The leg lift's set may be named after either leg lift (the one chosen is not known
    # here): «присед 140 на 5».
    named = lifts.LEG_LIFTS if key == "leg_lift" else (lift,)

    def parse(text: str, profile: Profile) -> Parsed[Any]:
        return lifts.parse_set(text, profile.weight_unit, lift, named=named)

    def store(answers: AnswerMap, value: tuple[float, int, str] | None) -> None:
        answers[keys[0]], answers[keys[1]], answers[keys[2]] = value or (None, None, None)

    return parse, store, keys


def _set_question(name: str, key: str, lift: str, applies: Any) -> Question:
    parse, store, keys = _lift_set(key, lift)
    return Question(name, parse, skippable=True, applies=applies, store=store, keys=keys)


def _tape_question(site: str) -> Question:
    def parse(text: str, profile: Profile) -> Parsed[Any]:
        return lifts.parse_length(text, lifts.tape_unit(profile.weight_unit), site)

    return Question(site, parse, skippable=True, applies=_wants_tape)


QUESTIONS: tuple[Question, ...] = (
    Question("experience", _experience, per_row=1),
    Question(
        "recovery",
        words(
            {
                "good": (
                    *("well", "great", "fast", "fine", "fresh"),
                    *("хорошо", "отлично", "свежий", "свежая", "бодрый", "бодрая", "быстро"),
                ),
                "average": (
                    *("ok", "okay", "medium", "so-so", "normal", "sore"),
                    *("нормально", "норм", "средне", "так себе", "побаливает", "болит"),
                ),
                "poor": (
                    *("bad", "slow", "badly", "not well", "worn out", "tired"),
                    *("плохо", "устал", "устала", "разбит", "разбита", "вымотан", "вымотана"),
                    *("медленно", "долго"),
                ),
            },
            # «нормально восстанавливаюсь», «восстанавливаюсь быстро»
            fillers=("восстанавливаюсь", "я", "чувствую себя", "себя чувствую"),
        ),
        skippable=True,
        per_row=1,
    ),
    Question("weight", _weight, store=_store_weight, keys=("weight_kg", "weight_unit")),
    Question("leg_days_per_week", _whole(0, 7), per_row=5),
    Question("consecutive_leg_days", yes_no, skippable=True, applies=_trains_often, per_row=2),
    Question(
        "leg_training",
        words(
            {
                "free_weights": (
                    *("free weights", "basics", "squats", "heavy", "barbell", "deadlifts"),
                    *("squat", "deadlift", "leg press", "жим ногами"),
                    *("свободные веса", "база", "базовые", "приседания", "присед", "штанга"),
                    *("становая", "тяжёлая база", "тяжелая база"),
                ),
                "machines": (
                    *("machine", "machines only", "only machines"),
                    *("тренажёры", "только тренажёры", "тренажёр", "на тренажёрах"),
                    *("только на тренажёрах",),
                ),
                "cardio_only": (
                    *("cardio", "running", "cycling", "run", "bike", "only cardio"),
                    *("кардио", "бег", "велосипед", "велик", "только кардио"),
                ),
                "none": (
                    *("nothing", "no", "no legs", "i don't", "nothing yet", "none", "not yet"),
                    *("ничего", "нет", "никак", "не тренирую", "пока ничего", "пока нет"),
                ),
            }
        ),
        per_row=1,
    ),
    Question("front_exercises", _whole(0, 15), skippable=True, applies=_trains_legs, per_row=5),
    Question("back_exercises", _whole(0, 15), skippable=True, applies=_trains_legs, per_row=5),
    Question(
        "accessory_reps",
        # Reps are said as a range ("8-12"); its top is how far the sets go, as the buttons
        # ("6–8" is 8, "10–12" is 12) read it, and what the 15+ rule looks at.
        _whole(1, 100, "reps|повт|повторений|повторения|повторение|раз|раза", span_top=True),
        skippable=True,
        applies=_trains_legs,
        per_row=4,
    ),
    Question("trains_calves", yes_no, per_row=2),
    Question(
        "calf_set_seconds",
        lambda text, profile: parsing.parse_seconds(text, 3, 600),
        skippable=True,
        applies=_trains_calves,
    ),
    Question(
        "weeks_since_program_change",
        # The buttons are in months, so a bare "4" is 4 months, confirmed, since 4 weeks
        # would make sense too (see docs/rules.md, "Reading typed answers").
        lambda text, profile: parsing.parse_weeks(text, bare="mw"),
        skippable=True,
        per_row=2,
    ),
    Question("form_checked", yes_no, skippable=True, per_row=2),
    Question("chases_heavy", yes_no, skippable=True, per_row=2),
    Question("explosive_reps", yes_no, skippable=True, per_row=2),
    # Optional, to measure the lag (flows.lifts): the best recent sets, then the tape.
    Question(
        "leg_lift",
        words(
            {
                "back_squat": (
                    *("squat", "squats", "back squat", "barbell squat"),
                    *("присед", "приседания", "приседания со штангой", "присед со штангой"),
                ),
                "leg_press": ("leg press", "press", "legpress", "жим ногами", "жим"),
            }
        ),
        skippable=True,
        applies=_trains_legs,
        per_row=2,
    ),
    # The leg press goes heaviest: its limit holds for a squat typed here too.
    _set_question("leg_lift_set", "leg_lift", lifts.LEG_PRESS, _has_leg_lift),
    _set_question("bench_set", "bench", lifts.BENCH, _has_leg_lift),
    Question("tape", yes_no, skippable=True, per_row=2),
    *(_tape_question(site) for site in lifts.TAPE_SITES),
    Question(
        "cardio_minutes_week",
        # The buttons speak of hours: a bare "2" may be hours or minutes, so it is asked.
        lambda text, profile: parsing.parse_minutes(text, high=3000, ask_hours_up_to=10),
        skippable=True,
        per_row=2,
    ),
    Question(
        "cardio_kind",
        words(
            {
                "steady": (
                    *("long", "long steady", "steady state", "jogging", "liss"),
                    *("длительное", "долгое", "ровное", "равномерное", "бег трусцой"),
                    *("бег", "пробежки", "ходьба", "велосипед", "плавание"),
                ),
                "intervals": (
                    *("interval", "hiit", "sprints", "short"),
                    *("интервалы", "интервальное", "интервальные", "спринты"),
                ),
                "mixed": ("both", "mix", "a mix", "оба", "и то и другое", "смешанное"),
            }
        ),
        skippable=True,
        applies=_does_cardio,
    ),
    Question(
        "calories_per_day",
        lambda text, profile: parsing.parse_kcal(text, 500, 15000),
        skippable=True,
    ),
    CARBS_QUESTION,
    Question("protein_g", lambda text, profile: _protein(text), skippable=True),
    Question("sleep_hours", lambda text, profile: _sleep(text), skippable=True, per_row=4),
    Question("naps", _naps, skippable=True, per_row=2),
)


# ---- same as last time ---------------------------------------------------------------------


def _reusable(question: Question, key: str, value: object, profile: Profile) -> bool:
    """Whether a value stored by an earlier assessment is one this version would store now:
    a number within BOUNDS (an int where whole), a unit, or an answer the question reads back
    as itself; None only where the question may be skipped."""
    if value is None:
        return question.skippable
    if key in BOUNDS:
        if isinstance(value, bool) or not isinstance(value, int | float):
            return False
        low, high = BOUNDS[key]
        whole = key not in WHOLE_NUMBERS or isinstance(value, int)
        return math.isfinite(value) and low <= value <= high and whole
    if key == "weight_unit" or key.endswith("_unit"):
        return value in {"kg", "lb"}
    if isinstance(value, bool):
        return question.parse("yes" if value else "no", profile).value is value
    if isinstance(value, str):
        parsed = question.parse(value, profile)
        return parsed.ok and parsed.value in (value, (key, value))
    return False


def _amount(value: float) -> str:
    return i18n.number(value, 2)


def describe_answer(question: Question, values: Mapping[str, AnswerValue]) -> str:
    """An answer as the "same as last time" button shows it: "82 kg", "Moderate", "3 weeks"."""
    if question.name == "weight":
        kg, unit = interview.number_answer(values, "weight_kg"), values.get("weight_unit")
        if kg is None:
            return ""
        amount = kg / parsing.KG_PER_LB if unit == "lb" else kg
        return SAME_WEIGHT["lb" if unit == "lb" else "kg"].format(amount=_amount(round(amount, 1)))
    if question.name in ("leg_lift_set", "bench_set"):
        key = question.name.removesuffix("_set")
        kg = interview.number_answer(values, f"{key}_kg")
        reps = interview.whole_answer(values, f"{key}_reps")
        unit = values.get(f"{key}_unit")
        if kg is None or reps is None:
            return ""
        shown = "lb" if unit == "lb" else "kg"
        weight = SAME_WEIGHT[shown].format(amount=_amount(round(lifts.in_unit(kg, shown), 2)))
        return SAME_SET(weight=weight, reps=reps)
    labels = {value: label for label, value in CHOICES.get(question.name, ())}
    for key, value in values.items():
        if isinstance(value, bool):
            return labels.get("yes" if value else "no", common_texts.TEXTS["choice.yes"])
        if isinstance(value, str):
            return labels.get(value, value)
        if isinstance(value, int | float):
            if key == "weeks_since_program_change":
                return SAME_WEEKS(value)
            if key in SAME_COUNTS:
                return SAME_COUNTS[key](value)
            return SAME_AMOUNTS.get(key, "{amount}").format(amount=_amount(value))
    return ""


def _remembered(question: Question, turn: Turn[AssessmentData]) -> Remembered | None:
    """The answer to `question` in the latest assessment, to offer as "same as last time":
    only a whole and sane one (every key of the question there) that is more than a skip."""
    if not turn.profile.latest_answers:
        return None
    latest = cast(Mapping[str, object], turn.profile.latest_answers)
    if not all(key in latest for key in question.answer_keys):
        return None
    values = {key: latest[key] for key in question.answer_keys}
    if all(value is None for value in values.values()) or not all(
        _reusable(question, key, value, turn.profile) for key, value in values.items()
    ):
        return None
    kept = cast(AnswerMap, values)
    shown = describe_answer(question, kept)
    return (kept, shown) if shown else None


@dataclass
class AssessmentData:
    """What an open assessment keeps, typed; stored as JSON with a version key."""

    answers: AnswerMap = field(default_factory=dict)
    unit: str = "kg"  # the weight unit the profile had when the assessment began
    # The last reply asked "start over or continue?": holds for the very next message only.
    confirm_restart: bool = False
    # The last reply asked "did you mean ...?": holds for the very next message only.
    readings: tuple[str, ...] = ()

    @classmethod
    def from_json(cls, stored: dict[str, Any], profile: Profile) -> AssessmentData:
        return cls(
            answers=interview.read_answers(stored),
            unit=interview.read_text(stored, "unit") or profile.weight_unit,
            confirm_restart=stored.get("confirm_restart") is True,
            readings=interview.read_readings(stored),
        )

    def to_json(self) -> dict[str, Any]:
        fields: dict[str, Any] = {"answers": dict(self.answers), "unit": self.unit}
        if self.confirm_restart:
            fields["confirm_restart"] = True
        return interview.versioned(interview.with_readings(fields, self.readings))


@dataclass(frozen=True)
class SaveAssessment:
    """Effect: store a finished assessment with the ids of the problems found."""

    answers: dict[str, Any]
    problem_ids: tuple[str, ...]


def _finish(turn: Turn[AssessmentData]) -> Step:
    answers = turn.data.answers
    # The questions' parsers give every answer the type the rules expect.
    found = evaluate(cast(Answers, answers))
    problem_ids = tuple(finding.rule_id for finding in found.problems)
    profile = turn.profile
    # The short diagnosis; its buttons open the rest from the saved assessment (/diagnosis).
    replies = diagnosis.summary_replies(found, diagnosis.weight_unit(answers, profile))
    lag_reply, measured = _measured(answers, local_date(profile.timezone, turn.now))
    if lag_reply is not None:
        replies.append(lag_reply)
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
    effects: list[Any] = [SaveAssessment(dict(answers), problem_ids), *measured]
    return Step(None, turn.data.to_json(), replies, effects)


def _answered_set(answers: AnswerMap, key: str, lift: str, day: date) -> lifts.LiftSet | None:
    kg = interview.number_answer(answers, f"{key}_kg")
    reps = interview.whole_answer(answers, f"{key}_reps")
    unit = "lb" if answers.get(f"{key}_unit") == "lb" else "kg"
    if kg is None or reps is None:
        return None
    return lifts.LiftSet(day, lift, float(kg), reps, unit, source="assessment")


def lag_reply(lag: lifts.Lag) -> Reply:
    """The lag figure as the diagnosis reports it (see docs/rules.md, "Measuring the lag")."""
    return Reply(
        f"assessment.lag.{lag.verdict}",
        {
            "ratio": i18n.number(lag.ratio, 2),
            "balanced": i18n.number(lifts.BALANCED_RATIO, 2),
            "percent": lag.lag_percent,
            "rough": ASSESSMENT_TEXTS["assessment.lag.rough"] if lag.rough else "",
            "ratio_value": lag.ratio,  # for whoever reads the outcome rather than the text
        },
    )


def _measured(answers: AnswerMap, day: date) -> tuple[Reply | None, list[Any]]:
    """The lag reply, and the effects that keep the sets and measurements as the first
    entries of the lifter's history."""
    lift = answers.get("leg_lift")
    leg = None
    if lift in lifts.LEG_LIFTS:
        leg = _answered_set(answers, "leg_lift", str(lift), day)
    bench = _answered_set(answers, "bench", lifts.BENCH, day) if leg else None
    sets = tuple(found for found in (leg, bench) if found is not None)
    effects: list[Any] = [SaveLiftSets(sets)] if sets else []
    tape = {
        site: interview.number_answer(answers, site) if answers.get("tape") is True else None
        for site in lifts.TAPE_SITES
    }
    effects.append(SaveMeasurement(day, interview.number_answer(answers, "weight_kg"), **tape))
    if leg is None:
        return None, effects
    if leg.lift != lifts.SQUAT:
        return Reply("assessment.lag.leg_press"), effects
    if bench is None:
        return None, effects
    return lag_reply(lifts.leg_lag(leg, bench)), effects


def _reading_profile(turn: Turn[AssessmentData]) -> Profile:
    """The profile with the unit the weight was answered in: a lifter who weighs 180 lb
    types "185 x 5" in pounds too."""
    unit = diagnosis.weight_unit(turn.data.answers, turn.profile)
    return (
        turn.profile
        if unit == turn.profile.weight_unit
        else replace(turn.profile, weight_unit=unit)
    )


INTERVIEW: Interview[AssessmentData] = Interview(
    NAME,
    QUESTIONS,
    _finish,
    prompt=lambda question, turn: (f"q.{question.name}", {}),
    buttons=lambda question, turn: CHOICES.get(question.name, ()),
    problem_values=lambda question: {"example": EXAMPLES[question.name]},
    skip_label=SKIP_LABEL,
    remembered=_remembered,
    same_label=SAME_LABEL,
    reading_profile=_reading_profile,
)
MACHINE = INTERVIEW.machine


def applicable(answers: AnswerMap) -> list[Question]:
    return INTERVIEW.applicable(answers)


def start(profile: Profile, now: datetime) -> Step:
    return INTERVIEW.start(AssessmentData(unit=profile.weight_unit), profile, now)


def _restart_prompt(state: str, data: AssessmentData) -> Step:
    data.confirm_restart = True
    number, _ = INTERVIEW.progress(state, data.answers)
    reply = Reply(
        "assessment.confirm_restart",
        {"number": number},
        choices=(
            (
                Choice(common_texts.TEXTS["choice.restart"], "ctl=restart"),
                Choice(common_texts.TEXTS["choice.continue"], "ctl=continue"),
            ),
        ),
    )
    return Step(state, data.to_json(), [reply])


def _restart_or_continue(
    restart: bool, state: str, data: AssessmentData, profile: Profile, now: datetime
) -> Step:
    if restart:
        return start(profile, now)
    return INTERVIEW.ask(state, data, profile, now, before=[Reply("assessment.continuing")])


def _typed_restart_choice(text: str) -> bool | None:
    """After "start over or continue?": True to start over, False to go on, None for neither."""
    choice = parsing.normalise(text).strip(".!")
    if choice in {"start over", "restart", "заново", "сначала", "начать заново"} or (
        choice == parsing.normalise(common_texts.TEXTS["choice.restart"])
    ):
        return True
    if choice in {"continue", "go on", "продолжить", "продолжаем", "дальше"} or (
        choice == parsing.normalise(common_texts.TEXTS["choice.continue"])
    ):
        return False
    return None


def handle(conversation: Conversation, event: Event, profile: Profile, now: datetime) -> Step:
    state = conversation.state
    data = AssessmentData.from_json(conversation.data, profile)
    confirming, data.confirm_restart = data.confirm_restart, False
    if not INTERVIEW.knows(state):
        return INTERVIEW.recover(state, data, profile, now)
    if event.kind is EventKind.COMMAND and event.text in {"start", "assess"}:
        if not data.answers:
            return INTERVIEW.ask(state, data, profile, now)  # nothing to lose: no question
        return _restart_prompt(state, data)
    if event.kind is EventKind.BUTTON and event.text.startswith("ctl="):
        restart = event.text.partition("=")[2] == "restart"
        return _restart_or_continue(restart, state, data, profile, now)
    if event.kind is EventKind.TEXT and confirming:
        restart_choice = _typed_restart_choice(event.text)
        if restart_choice is not None:
            return _restart_or_continue(restart_choice, state, data, profile, now)
    return INTERVIEW.handle(state, data, event, profile, now)


FLOW = Flow(
    NAME,
    TITLE,
    COMMANDS,
    ASSESSMENT_TEXTS,
    start,
    handle,
    # The latest assessment: a re-assessment says what changed since, /diagnosis shows it.
    needs=frozenset({ProfilePart.ASSESSMENT}),
    effects=(SaveAssessment, SaveLiftSets, SaveMeasurement),
    answers={diagnosis.COMMAND: diagnosis.answer},
)
