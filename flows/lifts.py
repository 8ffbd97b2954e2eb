"""Measuring the lag: lifts, progression and body measurements, the pure part.

Everything here is plain arithmetic on values passed in; nothing reads the clock (the date is
always given) or storage. The choices and their limits are written down in docs/rules.md,
"Measuring the lag".

Weights are kept in kg (`weight_kg`), whatever unit the lifter typed (`unit`, "kg" or "lb");
tape measurements in cm. Shown again, they follow the lifter's kg or lb setting: lb users see
pounds and inches.

The functions a progress view or a weekly summary builds on:

    one_rep_max(weight, reps) -> float              Epley; a single is its own maximum
    estimate(lift_set) -> Estimate                  the 1RM with "rough" for 11+ reps
    leg_lag(squat, bench) -> Lag                    squat 1RM / bench 1RM against 1.3
    top_reps(exercise) -> int                       the reps a top set must reach to add weight
    progression_target(last, top, unit) -> Target   double progression from the last set
    stalled(sets, lift, today) -> bool              no new best estimate in three weeks
    last_set(sets, lift, before) -> LiftSet | None
    weigh_in_due / tape_due(measurements, today, ...)
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from babel.numbers import format_decimal

from flows import i18n, parsing
from flows.i18n import Messages, Text
from flows.parsing import KG_PER_LB, Parsed

# ---- lifts ---------------------------------------------------------------------------------

SQUAT = "back_squat"
LEG_PRESS = "leg_press"
ROMANIAN_DEADLIFT = "romanian_deadlift"
BENCH = "bench_press"
# The lifts /log asks for: the heavy basics of the leg-day plan (flows.planning).
LOGGED_LIFTS: tuple[str, ...] = (SQUAT, LEG_PRESS, ROMANIAN_DEADLIFT)
LIFTS: tuple[str, ...] = (*LOGGED_LIFTS, BENCH)
# The leg lift the lag figure and stall detection follow, best first.
LEG_LIFTS: tuple[str, ...] = (SQUAT, LEG_PRESS)

# The heaviest set that is stored, per lift, in kg: above the heaviest lifts ever done raw
# (the leg press, a machine, goes higher), so only typing slips are refused.
MAX_KG: dict[str, float] = {
    SQUAT: 500.0,
    LEG_PRESS: 800.0,
    ROMANIAN_DEADLIFT: 450.0,
    BENCH: 400.0,
}
MIN_KG = 1.0
MIN_REPS = 1
# A top set of more than 30 reps says nothing about strength; it is refused, not estimated.
MAX_REPS = 30
# Epley's formula is fair up to 10 reps; from 11 on the estimate is shown as rough.
EXACT_REPS = 10

# A typed weight more than twice (or under half) the last one of the same lift is asked about.
JUMP_FACTOR = 2.0

# Double progression (flows.planning, docs/rules.md "The workout"): the smallest usual plate
# pair in each unit.
STEP: dict[str, float] = {"kg": 2.5, "lb": 5.0}

# The squat-to-bench ratio of balanced lifters: strength-standard tables commonly put a
# lifter's squat at about 1.25 to 1.4 times their bench press; 1.3 is the figure compared to.
BALANCED_RATIO = 1.3
BALANCED_RANGE = (1.25, 1.4)

# Body measurements: weight every two weeks, the tape every four.
WEIGH_IN_DAYS = 14
TAPE_DAYS = 28
# Three weeks without a new best estimated 1RM is a stall.
STALL_DAYS = 21

CM_PER_INCH = 2.54
# The range stored for each tape measurement, in cm.
TAPE_CM: dict[str, tuple[float, float]] = {
    "thigh_cm": (30.0, 100.0),
    "calf_cm": (20.0, 70.0),
    "arm_cm": (15.0, 70.0),
}
TAPE_SITES: tuple[str, ...] = tuple(TAPE_CM)
MIN_BODY_KG = parsing.MIN_WEIGHT_KG
MAX_BODY_KG = parsing.MAX_WEIGHT_KG

# The range of every number the lift and measurement conversations keep, by key; the
# property-based tests check every stored number against it.
BOUNDS: dict[str, tuple[float, float]] = {
    **{f"{lift}_kg": (MIN_KG, MAX_KG[lift]) for lift in LIFTS},
    **{f"{lift}_reps": (MIN_REPS, MAX_REPS) for lift in LIFTS},
    "body_weight_kg": (MIN_BODY_KG, MAX_BODY_KG),
    **TAPE_CM,
}


@dataclass(frozen=True)
class LiftSet:
    """One top set: the heaviest set of a lift on a day. `unit` is how it was typed;
    `source` is "log" (/log) or "assessment" (the best recent set given in /assess)."""

    day: date
    lift: str
    weight_kg: float
    reps: int
    unit: str = "kg"
    source: str = "log"


@dataclass(frozen=True)
class Measurement:
    """Body measurements of one day; each may be missing. Weight in kg, the tape in cm."""

    day: date
    body_weight_kg: float | None = None
    thigh_cm: float | None = None
    calf_cm: float | None = None
    arm_cm: float | None = None


# ---- one-rep maximum -------------------------------------------------------------------------


def one_rep_max(weight: float, reps: int) -> float:
    """The estimated one-rep maximum of a set (Epley: weight × (1 + reps / 30)); a single is
    its own maximum. In the unit of `weight`."""
    if reps < MIN_REPS:
        raise ValueError(f"a set has at least one rep, got {reps}")
    if reps == 1:
        return float(weight)
    return weight * (1 + reps / 30)


@dataclass(frozen=True)
class Estimate:
    kg: float
    rough: bool  # more than EXACT_REPS reps: Epley is only fair up to 10


def estimate(lift_set: LiftSet) -> Estimate:
    return Estimate(one_rep_max(lift_set.weight_kg, lift_set.reps), lift_set.reps > EXACT_REPS)


# ---- the lag figure --------------------------------------------------------------------------

Verdict = Literal["lag", "balanced", "ahead"]


@dataclass(frozen=True)
class Lag:
    """Squat against bench press. `ratio` is squat 1RM / bench 1RM (two decimals);
    `lag_percent` how far it falls short of BALANCED_RATIO, to the nearest 5 % (0 unless
    the verdict is "lag"); `rough` when either estimate rests on more than 10 reps."""

    squat_1rm_kg: float
    bench_1rm_kg: float
    ratio: float
    lag_percent: int
    verdict: Verdict
    rough: bool


def leg_lag(squat: LiftSet, bench: LiftSet) -> Lag:
    """The lag figure of a squat set and a bench set (see docs/rules.md)."""
    legs, chest = estimate(squat), estimate(bench)
    ratio = round(legs.kg / chest.kg, 2)  # as shown: 1.4 is inside the range it reads as
    low, high = BALANCED_RANGE
    verdict: Verdict = "lag" if ratio < low else "ahead" if ratio > high else "balanced"
    short = (1 - ratio / BALANCED_RATIO) * 100 if verdict == "lag" else 0.0
    return Lag(
        squat_1rm_kg=round(legs.kg, 1),
        bench_1rm_kg=round(chest.kg, 1),
        ratio=ratio,
        lag_percent=int(5 * round(short / 5)),
        verdict=verdict,
        rough=legs.rough or chest.rough,
    )


def latest_lag(sets: Sequence[LiftSet]) -> Lag | None:
    """The lag figure from the latest squat and the latest bench press, when there are both
    (the bench press comes from assessments; the leg press is no squat and gives none)."""
    squat, bench = last_set(sets, SQUAT), last_set(sets, BENCH)
    return leg_lag(squat, bench) if squat and bench else None


# ---- history -----------------------------------------------------------------------------------


def last_set(sets: Iterable[LiftSet], lift: str, before: date | None = None) -> LiftSet | None:
    """The latest set of `lift` (before `before` when given); of one day, the last listed."""
    found = None
    for lift_set in sets:
        if lift_set.lift != lift or (before is not None and lift_set.day >= before):
            continue
        if found is None or lift_set.day >= found.day:
            found = lift_set
    return found


def stalled(sets: Iterable[LiftSet], lift: str, today: date) -> bool:
    """Whether `lift` has stalled: its sets of the last three weeks (the 21 days up to
    `today`) are at least two, and none beats the best estimated 1RM before them. Without
    sets from before the three weeks, or fewer than two in them, nothing is known: False."""
    start = today - timedelta(days=STALL_DAYS - 1)
    own = [s for s in sets if s.lift == lift and s.day <= today]
    before = [estimate(s).kg for s in own if s.day < start]
    recent = [estimate(s).kg for s in own if s.day >= start]
    if not before or len(recent) < 2:
        return False
    return max(recent) <= max(before) + 1e-9


def leg_lift_of(sets: Iterable[LiftSet]) -> str | None:
    """The leg lift the lag is followed by: the squat when it was ever logged, else the leg
    press when it was, else None."""
    logged = {s.lift for s in sets}
    return next((lift for lift in LEG_LIFTS if lift in logged), None)


# ---- progression -----------------------------------------------------------------------------


def top_reps(rep_counts: Sequence[int], pyramid: bool) -> int:
    """The reps the top set must reach before the weight goes up: the top of a range ("6-8":
    8), or, in a pyramid, those of its last and heaviest set ("12-10-8": 8)."""
    if not rep_counts:
        raise ValueError("a timed set has no reps")
    return rep_counts[-1] if pyramid else max(rep_counts)


def in_unit(kg: float, unit: str) -> float:
    """A weight in kg shown in `unit`, to 0.1."""
    return round(kg / KG_PER_LB if unit == "lb" else kg, 1)


def to_kg(amount: float, unit: str) -> float:
    return round(amount * KG_PER_LB if unit == "lb" else amount, 3)


@dataclass(frozen=True)
class Target:
    """What to aim for on today's top set: `weight` (in `unit`) for `reps`; `add` when the
    weight goes up. `last_weight` is the last set's weight in `unit`."""

    lift: str
    last: LiftSet
    last_weight: float
    weight: float
    reps: int
    unit: str
    add: bool


def progression_target(last: LiftSet, top: int, unit: str) -> Target:
    """Double progression from the last top set: once it reached `top` reps, add one step
    (2.5 kg, or 5 lb for a lifter who uses pounds) and build the reps up again; until then
    the same weight, one rep more. The weight added to is the last one to the nearest step,
    so that a set logged in the other unit (180 kg is 396.8 lb) still gives a weight plates
    make (400 lb)."""
    shown = in_unit(last.weight_kg, unit)
    step = STEP.get(unit, STEP["kg"])
    on_plates = round(round(shown / step) * step, 1)
    if last.reps >= top:
        return Target(last.lift, last, shown, round(on_plates + step, 1), top, unit, add=True)
    # The same weight, as loaded: a set typed in the other unit (225 lb is 102.1 kg) is aimed
    # at the nearest weight plates make in this one (102.5 kg).
    same = shown if last.unit == unit else on_plates
    return Target(last.lift, last, shown, same, min(last.reps + 1, top), unit, add=False)


# ---- typed sets ----------------------------------------------------------------------------------

_W = r"(\d+(?:[.,]\d+)?)"
# Units as typed, and as the sets shown are written in every language ("100 кг × 5",
# "225 фунт. × 5"), so that a set shown is read back as the same set.
_U = (
    r"(kg|kgs|kilo|kilos|kilograms?|lb|lbs|pounds?|#"
    r"|кг|кило|килограмм(?:а|ов|ы)?|фунт(?:а|ов|ы)?\.?|ф\.)?"
)
_BY = r"(?:x|×|\*|for|by|@|х|на|по)"
_R = r"(\d+(?:[.,]\d+)?)"
_REPS = r"(?:reps?|repetitions?|повт\.?|повтор(?:а|ов)?|повторени(?:е|я|й)|раза?)"
_REPS_WORD = rf"(?:{_REPS}|times)?"
_SET_FORMS = (
    # "100 x 5", "100 kg x 5", "225 lb for 5", "100x5", "100kg × 5 reps", "100 кг на 5"
    (re.compile(rf"{_W}\s*{_U}\s*{_BY}\s*{_R}\s*{_REPS_WORD}\.?", re.ASCII), "wr"),
    # "100 kg 5 reps", "100kg, 5 reps", "100 кг 5 повторений"
    (re.compile(rf"{_W}\s*{_U}\s*,?\s*{_R}\s*{_REPS}\.?", re.ASCII), "wr"),
    # "5 reps at 100 kg", "5 раз по 100 кг"; "5 x 100 kg" is not read: which number is which
    # is a guess.
    (re.compile(rf"{_R}\s*{_REPS}\s*(?:at|@|with|of|по|с)\s*{_W}\s*{_U}\.?", re.ASCII), "rw"),
)  # fmt: skip
_NO_REPS = re.compile(rf"{_W}\s*{_U}\s*{_BY}?\.?", re.ASCII)
_NO_WEIGHT = re.compile(rf"{_U}\s*{_BY}\s*{_R}\s*{_REPS_WORD}\.?", re.ASCII)
_HEDGE = re.compile(
    r"(?:~|≈|about|around|roughly|approx\.?|approximately|около|примерно|где-то)\s*", re.ASCII
)

SetValue = tuple[float, int, str]  # (kg, reps, unit typed)

# The names a set may begin with, by lift, longest first within each: «жим лёжа 140 на 5»
# («ё» is read as «е»).
LIFT_NAMES: dict[str, tuple[str, ...]] = {
    BENCH: ("жим штанги лежа", "жим лежа", "жим"),
    SQUAT: (
        *("приседания со штангой", "присед со штангой", "приседания", "приседание"),
        *("приседы", "присед"),
    ),
    LEG_PRESS: ("жим ногами", "жим платформы", "платформа"),
    ROMANIAN_DEADLIFT: ("румынская тяга", "румынка", "тяга"),
}


def _without_name(text: str, lifts: Sequence[str]) -> str:
    """`text` without the name of one of `lifts` it begins with («жим лёжа: 140 на 5»)."""
    plain = text.replace("ё", "е")
    for lift in lifts:
        for name in LIFT_NAMES.get(lift, ()):
            rest = plain.removeprefix(name)
            if rest != plain and re.match(r"\s*[:—–-]?\s*\d", rest):
                return rest.lstrip(" :—–-")
    return text


def unit_of(word: str | None, default_unit: str) -> str:
    if not word:
        return default_unit if default_unit in STEP else "kg"
    return "lb" if word.startswith(("lb", "pound", "#", "фунт", "ф.")) else "kg"


def parse_set(
    text: str,
    default_unit: str,
    lift: str,
    *,
    loose: bool = False,
    named: Sequence[str] | None = None,
) -> Parsed[SetValue]:
    """A top set as lifters write it: "100 x 5", "100 kg x 5", "225 lb for 5", "100x5",
    "102,5 x 8", "100 kg 5 reps", "5 reps at 100 kg", «жим лёжа 140 на 5». A weight without
    a unit is in `default_unit`. The set may begin with the name of the lift (or of one of
    `named`, when given): LIFT_NAMES. Errors: "no_reps" ("100x", "100 kg"), "no_weight"
    ("x5"), "reps_out_of_range" (0 reps, more than 30, or half reps), "weight_out_of_range"
    (under 1 kg or above the lift's MAX_KG), "not_a_set" (anything else). `loose` takes
    weights up to ten times MAX_KG, for `check_jump` to spot a lost decimal point
    ("1025 x 8")."""
    cleaned = parsing.normalise(text)
    hedge = _HEDGE.match(cleaned)
    cleaned = cleaned[hedge.end() :] if hedge else cleaned
    cleaned = _without_name(cleaned, (lift,) if named is None else named)
    hedge = _HEDGE.match(cleaned)
    cleaned = cleaned[hedge.end() :] if hedge else cleaned
    for pattern, order in _SET_FORMS:
        match = pattern.fullmatch(cleaned)
        if match is None:
            continue
        if order == "wr":
            weight, unit_word, reps = match.group(1), match.group(2), match.group(3)
        else:
            reps, weight, unit_word = match.group(1), match.group(2), match.group(3)
        amount, count = parsing.to_float(weight), parsing.to_float(reps)
        read = _checked(amount, count, unit_word, default_unit, lift, loose)
        if read.error == "reps_out_of_range" and order == "wr" and unit_word is None:
            # "5x140": reps and weight the other way round; asked, not guessed.
            swapped = _checked(count, amount, None, default_unit, lift, loose)
            if swapped.value is not None:
                return parsing.ambiguous([typed_set(*swapped.value)])
        return read
    if _NO_REPS.fullmatch(cleaned):
        return parsing.fail("no_reps")
    if _NO_WEIGHT.fullmatch(cleaned):
        return parsing.fail("no_weight")
    return parsing.fail("not_a_set")


def _checked(
    amount: float, reps: float, unit_word: str | None, default_unit: str, lift: str, loose: bool
) -> Parsed[SetValue]:
    if not math.isfinite(reps) or not reps.is_integer() or not MIN_REPS <= reps <= MAX_REPS:
        return parsing.fail("reps_out_of_range")
    unit = unit_of(unit_word, default_unit)
    kg = to_kg(amount, unit) if math.isfinite(amount) else math.inf
    if not MIN_KG <= kg <= max_kg(lift) * (10 if loose else 1):
        return parsing.fail("weight_out_of_range")
    return parsing.ok((kg, int(reps), unit))


def max_kg(lift: str) -> float:
    return MAX_KG.get(lift, MAX_KG[LEG_PRESS])


# How amounts are written: the number and its unit, in the user's language.
_AMOUNTS = Messages(
    {"kg": "{amount} kg", "lb": "{amount} lb", "cm": "{amount} cm", "in": "{amount} in"},
    "lifts.amount.",
)
# A set: weight and reps ("100 kg x 5").
_SET = Text("lifts.set", "{weight} x {reps}")


def figure(amount: float) -> str:
    """A number as the user's language writes it, ungrouped so that it reads back as one
    number: "102.5" / "102,5", "1763" (at most two decimals)."""
    return format_decimal(round(amount, 2), format="0.##", locale=i18n.locale())


def typed_set(kg: float, reps: int, unit: str) -> str:
    """ "102.5 kg x 8": a set as parse_set reads it and button values carry it, the same in
    every language (readings of flows.interview are shown with `interview.reading_label`)."""
    return f"{parsing.figure(in_unit(kg, unit))} {unit} x {reps}"


def format_amount(amount: float, unit: str) -> str:
    """ "102.5 kg", "225 lb", "58 cm": an amount already in `unit`."""
    if unit not in _AMOUNTS:
        return f"{figure(amount)} {unit}"
    return _AMOUNTS[unit].format(amount=figure(amount))


def format_weight(kg: float, unit: str) -> str:
    """ "102.5 kg", "225 lb": a weight in kg shown in `unit`."""
    return format_amount(in_unit(kg, unit), unit)


def format_estimate(kg: float, unit: str) -> str:
    """ "267.5 kg", "590 lb": an estimate, to the nearest plate step (2.5 kg or 5 lb); an
    estimate claims no more precision than a lifter can load."""
    step = STEP.get(unit, STEP["kg"])
    return format_amount(round(in_unit(kg, unit) / step) * step, unit)


def format_set(kg: float, reps: int, unit: str) -> str:
    """ "102.5 kg x 8" / "102,5 кг × 8": a set as the user's language writes it (parse_set
    reads it back as the same set)."""
    return _SET(weight=format_weight(kg, unit), reps=reps)


Jump = Literal["slip", "far"]


@dataclass(frozen=True)
class JumpCheck:
    """A typed set far from the last one of its lift. "slip": a decimal point seems lost or
    added ("1025" for 102.5); `readings` then hold the likely set first and the typed one
    after it when that one can be stored. "far": no slip explains it; `readings` holds the
    typed set, to confirm."""

    kind: Jump
    readings: tuple[str, ...]
    last: LiftSet


def check_jump(value: SetValue, last: LiftSet | None, lift: str) -> JumpCheck | None:
    """None when the set is within half to double the last one's weight (or there is no
    last one), or when it is too heavy to keep and no slip explains it; else what to ask
    (see JumpCheck). Readings are written in the typed unit, as `typed_set` writes them."""
    kg, reps, unit = value
    if last is None or last.weight_kg <= 0:
        return None
    ratio = kg / last.weight_kg
    if 1 / JUMP_FACTOR <= ratio <= JUMP_FACTOR:
        return None
    keepable = MIN_KG <= kg <= max_kg(lift)
    typed = (typed_set(kg, reps, unit),) if keepable else ()
    shown = in_unit(kg, unit)
    for slipped in (shown / 10, shown * 10):
        slipped_kg = to_kg(round(slipped, 1), unit)
        fits_history = 1 / JUMP_FACTOR <= slipped_kg / last.weight_kg <= JUMP_FACTOR
        if fits_history and MIN_KG <= slipped_kg <= max_kg(lift):
            return JumpCheck("slip", (typed_set(slipped_kg, reps, unit), *typed), last)
    return JumpCheck("far", typed, last) if typed else None


# ---- tape and body weight ------------------------------------------------------------------------

_LENGTH = re.compile(
    rf"{_W}\s*(cm|cms|centimet(?:er|re)s?|in|ins|inch|inches|\"|”|''"
    r"|см|сантиметр(?:а|ов|ы)?|дюйм(?:а|ов|ы)?)?\.?",
    re.ASCII,
)


def parse_length(text: str, default_unit: str, site: str) -> Parsed[float]:
    """A tape measurement in cm: "58", "58 cm", "58,5", "23 in", "23\"". A bare number is in
    `default_unit` ("cm" or "in"); one that only the other unit makes a possible measurement
    of is read in that unit, and one both units allow is asked about."""
    cleaned = parsing.normalise(text)
    if cleaned.startswith("-"):
        return parsing.fail("out_of_range")
    match = _LENGTH.fullmatch(cleaned)
    if match is None:
        return parsing.fail("not_a_length")
    amount = parsing.to_float(match.group(1))
    low, high = TAPE_CM[site]
    word = match.group(2)
    if word:
        units = ["cm" if word.startswith(("c", "с")) else "in"]
    else:
        first = default_unit if default_unit in ("cm", "in") else "cm"
        units = [first, "in" if first == "cm" else "cm"]
    fitting = [u for u in units if low <= amount * (CM_PER_INCH if u == "in" else 1) <= high]
    if not fitting:
        return parsing.fail("out_of_range")
    if len(fitting) > 1:
        return parsing.ambiguous([f"{parsing.figure(amount)} {u}" for u in fitting])
    cm = amount * (CM_PER_INCH if fitting[0] == "in" else 1)
    return parsing.ok(round(cm, 1))


def tape_unit(weight_unit: str) -> str:
    """Inches for lifters who weigh in pounds, cm for everyone else."""
    return "in" if weight_unit == "lb" else "cm"


def format_length(cm: float, unit: str) -> str:
    amount = cm / CM_PER_INCH if unit == "in" else cm
    return format_amount(round(amount, 1), unit)


def last_weigh_in(measurements: Iterable[Measurement]) -> Measurement | None:
    weighed = [m for m in measurements if m.body_weight_kg is not None]
    return max(weighed, key=lambda m: m.day) if weighed else None


def last_tape(measurements: Iterable[Measurement]) -> Measurement | None:
    taped = [m for m in measurements if any(getattr(m, site) is not None for site in TAPE_SITES)]
    return max(taped, key=lambda m: m.day) if taped else None


def weigh_in_due(last_day: date | None, today: date) -> bool:
    """Body weight is due two weeks after the last weigh-in; never weighed counts as due."""
    return last_day is None or (today - last_day).days >= WEIGH_IN_DAYS


def tape_due(measurements: Iterable[Measurement], today: date) -> bool:
    """The tape is due four weeks after the last tape measurement; never measured is due."""
    last = last_tape(measurements)
    return last is None or (today - last.day).days >= TAPE_DAYS
