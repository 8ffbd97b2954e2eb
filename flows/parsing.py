"""Parsing of what people type: numbers, weights, hours, minutes, grams, yes/no.

Each parser returns a `Parsed`: either a value or an error code that flows.texts turns into
a message saying what was wrong and what a good answer looks like. A parser never raises,
whatever the text, and every value it returns is finite and within the bounds it was given.

Numbers are written with the ASCII digits 0-9 and at most one decimal point or comma: not
superscripts, other scripts' digits, "1_000", "1e3", "inf" or "nan", which Python's own
int() and float() would take or choke on. A number too large for its question, however many
digits it has, is "out_of_range".

Quantities whose decimals never come in threes (calories, grams, minutes) also take
thousands separators: a comma, dot, space (a no-break or narrow no-break space too) or
apostrophe before exactly three digits groups thousands, so "2,400", "2.400", "2 400" and
"1,234.5" are what they look like. Elsewhere (body weight, hours, weeks) a comma or dot is
always a decimal point: "82,5" is 82.5 and "82,500" is 82.5 too.

An answer that could mean two things (a bare "4" where both months and weeks make sense) is
"ambiguous": its `readings` spell out each meaning, most likely first ("4 months",
"4 weeks"), each one a text the same parser reads without doubt, so the person can choose.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

T = TypeVar("T")

KG_PER_LB = 0.45359237
# Long enough for any real answer, short enough that a pasted essay is refused, not parsed.
MAX_ANSWER_CHARS = 200
AMBIGUOUS = "ambiguous"


@dataclass(frozen=True)
class Parsed(Generic[T]):
    value: T | None = None
    error: str | None = None  # a text key suffix: "not_a_number", "out_of_range", ...
    # With error "ambiguous": what the answer may mean, most likely first, as texts the same
    # parser reads without doubt ("4 months", "4 weeks").
    readings: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.error is None


def ok(value: T) -> Parsed[T]:
    return Parsed(value=value)


def fail(error: str) -> Parsed[Any]:
    return Parsed(error=error)


def ambiguous(readings: list[str]) -> Parsed[Any]:
    return Parsed(error=AMBIGUOUS, readings=tuple(readings))


# Typed ways of saying "don't know", for every question that may be skipped.
SKIP_WORDS = frozenset(
    {
        "skip",
        "pass",
        "-",
        "?",
        "don't know",
        "dont know",
        "do not know",
        "idk",
        "not sure",
        "unsure",
    }
)

# Patterns are compiled with re.ASCII, so \d is 0-9 and nothing else.
_NUMBER = r"(\d+(?:[.,]\d+)?)"
# A number that may group its thousands: "2,400", "2.400", "2 400", "2'400", "12,400.5".
_GROUPED = r"(\d+(?:[.,]\d+)?|[1-9]\d{0,2}(?:[.,' ’]\d{3})+(?:[.,]\d+)?)"
_GROUPS = re.compile(
    r"([1-9]\d{0,2})((?P<sep>[.,' ’])\d{3}(?:(?P=sep)\d{3})*)"
    r"(?:(?P<point>[.,])(?P<fraction>\d+))?",
    re.ASCII,
)
# "About 150", "~150", "≈ 2,400 kcal": the hedge changes nothing.
_HEDGE = re.compile(r"(?:~|≈|about|around|approx\.?|approximately|roughly|maybe)\s*", re.ASCII)
_H = r"(?:h|hr|hrs|hour|hours)"
_M = r"(?:m|min|mins|minute|minutes)"
_YES = {"yes", "y", "yeah", "yep", "sure", "true", "да", "ja", "si", "oui"}
_NO = {"no", "n", "nope", "false", "нет", "nein", "non"}


def normalise(text: str) -> str:
    """Lower case, single spaces; every kind of space (no-break, narrow no-break, thin)
    becomes a plain one."""
    return " ".join(text.strip().lower().split())


def _unhedged(text: str) -> str:
    cleaned = normalise(text)
    hedge = _HEDGE.match(cleaned)
    return cleaned[hedge.end() :] if hedge else cleaned


def to_float(number: str) -> float:
    """A number matched by one of the patterns here (ASCII digits, one optional point or
    comma) as a float; so many digits that no float holds them give inf, never an error."""
    return float(number.replace(",", "."))


def to_amount(number: str) -> float | None:
    """A number matched by `_GROUPED`, for quantities whose decimals never come in threes: a
    separator before exactly three digits groups thousands ("2,400" is 2400, "2,40" is 2.4).
    None for a mix that is neither ("1,234,5")."""
    grouped = _GROUPS.fullmatch(number)
    if grouped is None:
        return to_float(number) if _match(_NUMBER, number) else None
    if grouped["point"] == grouped["sep"]:
        return None
    digits = grouped.group(1) + grouped.group(2).replace(grouped["sep"], "")
    return float(f"{digits}.{grouped['fraction'] or 0}")


def _whole(value: float) -> int | None:
    """`value` rounded to an int, or None for inf (round() would raise)."""
    return round(value) if math.isfinite(value) else None


def _match(pattern: str, text: str) -> re.Match[str] | None:
    return re.fullmatch(pattern, text, flags=re.ASCII)


def figure(amount: float) -> str:
    """A number as people write it: "4", "2.5", "82.75" (at most two decimals)."""
    return f"{amount:.2f}".rstrip("0").rstrip(".")


def spelled(amount: float, unit: str) -> str:
    """ "4 months", "1 week", "2.5 hours": a number with its unit, spelled out."""
    return f"{figure(amount)} {unit}{'' if amount == 1 else 's'}"


def parse_index(text: str, count: int) -> int | None:
    """A position among `count` options as a button carries it ("0" .. str(count - 1)), or
    None for anything else: other digits, signs, spaces or a number past the end."""
    if not re.fullmatch(r"[0-9]{1,4}", text, flags=re.ASCII):
        return None
    index = int(text)
    return index if index < count else None


def parse_number(text: str, low: float, high: float) -> Parsed[float]:
    """A plain number within [low, high]; a decimal comma works as well as a dot."""
    cleaned = normalise(text)
    match = _match(r"[~≈]?\s*(-?\d+(?:[.,]\d+)?)", cleaned)
    if not match:
        return fail("not_a_number")
    value = to_float(match.group(1))
    if not low <= value <= high:
        return fail("out_of_range")
    return ok(value)


def parse_whole_number(text: str, low: int, high: int) -> Parsed[int]:
    parsed = parse_number(text.rstrip("+"), low, high)
    if not parsed.ok or parsed.value is None:
        return Parsed(error=parsed.error)
    whole = _whole(parsed.value)
    if whole is None or not low <= whole <= high:
        return fail("out_of_range")
    return ok(whole)


_WEIGHT = re.compile(
    rf"{_NUMBER}\s*(kg|kgs|kilo|kilos|kilogram|kilograms|lb|lbs|pound|pounds|#)?\.?",
    re.ASCII,
)
MIN_WEIGHT_KG = 30.0
MAX_WEIGHT_KG = 300.0
# A bare number above this, where kg is the default, may well be pounds; one below
# LIGHT_LB, where lb is the default, may well be kilograms.
HEAVY_KG = 140.0
LIGHT_LB = 100.0


def _weight_kg(amount: float, unit: str) -> float:
    return amount * KG_PER_LB if unit == "lb" else amount


def parse_weight(
    text: str, default_unit: str = "kg", ask_when_unsure: bool = False
) -> Parsed[tuple[float, str]]:
    """Body weight as (kg, unit the user typed): "82", "82 kg", "82,5", "180 lb", "180lbs".

    A bare number is in `default_unit`. With `ask_when_unsure`, a bare number that is heavy
    in kg (over 140) or light in lb (under 100) is ambiguous between the two units; a bare
    number only one unit makes a possible weight of is read in that unit."""
    cleaned = _unhedged(text)
    if cleaned.startswith("-"):
        return fail("out_of_range")
    match = _WEIGHT.fullmatch(cleaned)
    if not match:
        return fail("not_a_weight")
    amount = to_float(match.group(1))
    unit_word = match.group(2)
    if unit_word:
        units = ["lb" if unit_word.startswith(("lb", "pound", "#")) else "kg"]
    else:
        units = [default_unit if default_unit in {"kg", "lb"} else "kg"]
        other = "lb" if units[0] == "kg" else "kg"
        unsure = amount > HEAVY_KG if units[0] == "kg" else amount < LIGHT_LB
        if (ask_when_unsure and unsure) or not _weight_fits(amount, units[0]):
            units.append(other)
    fitting = [unit for unit in units if _weight_fits(amount, unit)]
    if not fitting:
        return fail("out_of_range")
    if len(fitting) > 1:
        return ambiguous([f"{figure(amount)} {unit}" for unit in fitting])
    # Three decimals keep 180 lb (81.647 kg) on the right side of 81.6 when targets round.
    return ok((round(_weight_kg(amount, fitting[0]), 3), fitting[0]))


def _weight_fits(amount: float, unit: str) -> bool:
    return MIN_WEIGHT_KG <= _weight_kg(amount, unit) <= MAX_WEIGHT_KG


# "6 h 30 min", "7h30", "7 hours and 30 minutes", "7:30", "7h 30m".
_HOURS_MINUTES = re.compile(
    rf"(\d{{1,2}})\s*(?:{_H}\s*(?:and\s*)?|:\s*)(\d{{1,2}})\s*{_M}?\.?", re.ASCII
)
_HOURS = re.compile(rf"{_NUMBER}\s*{_H}?\.?", re.ASCII)
_MINUTES_ONLY = re.compile(rf"(\d{{1,4}})\s*{_M}\.?", re.ASCII)


def parse_hours(text: str, high: float = 16.0) -> Parsed[float]:
    """Hours of sleep: "7", "7.5", "7,5", "6.5 h", "7h30", "7:30", "6 h 30 min",
    "7 hours 30", "7 hours and 30 minutes", "8 hours", "450 min". A bare number is hours."""
    cleaned = _unhedged(text)
    if cleaned.startswith("-"):
        return fail("out_of_range")
    value: float
    if match := _HOURS_MINUTES.fullmatch(cleaned):
        hours, minutes = int(match.group(1)), int(match.group(2))
        if minutes >= 60:
            return fail("out_of_range")
        value = hours + minutes / 60
    elif match := _MINUTES_ONLY.fullmatch(cleaned):
        value = int(match.group(1)) / 60
    elif match := _HOURS.fullmatch(cleaned):
        value = to_float(match.group(1))
    else:
        return fail("not_hours")
    if not 0 <= value <= high:
        return fail("out_of_range")
    return ok(round(value, 2))


_MINUTES = re.compile(rf"{_GROUPED}\s*({_M}|{_H})?\.?", re.ASCII)


def parse_minutes(text: str, high: int, ask_hours_up_to: float = 0) -> Parsed[int]:
    """Minutes, or hours turned into minutes: "150", "90 min", "2h", "2.5 hours", "1,5 h",
    "1h30", "1 h 30 min", "1:30", "1,200 min", "none".

    A bare number is minutes, except that one above 0 and up to `ask_hours_up_to` may be
    hours: a whole one ("2") is ambiguous between hours and minutes, one with decimals
    ("1.5") is hours, since nobody counts cardio in fractions of a minute."""
    cleaned = _unhedged(text)
    if cleaned.startswith("-"):
        return fail("out_of_range")
    if cleaned in {"none", "zero", "nothing", "no cardio"}:
        return ok(0)
    if match := _HOURS_MINUTES.fullmatch(cleaned):
        if int(match.group(2)) >= 60:
            return fail("out_of_range")
        return _minutes_within(int(match.group(1)) * 60 + int(match.group(2)), high)
    match = _MINUTES.fullmatch(cleaned)
    if not match:
        return fail("not_minutes")
    number, unit = match.group(1), match.group(2)
    if unit and unit.startswith("h"):
        # Hours have decimals, never thousands: "1,5 h" is an hour and a half.
        if not _match(_NUMBER, number):
            return fail("not_minutes")
        return _minutes_within(to_float(number) * 60, high)
    amount = to_amount(number)
    if amount is None:
        return fail("not_minutes")
    if unit is None and 0 < amount <= ask_hours_up_to:
        if not amount.is_integer():
            return _minutes_within(amount * 60, high)
        if amount * 60 <= high:
            return ambiguous([spelled(amount, "hour"), spelled(amount, "minute")])
    return _minutes_within(amount, high)


def _minutes_within(amount: float, high: int) -> Parsed[int]:
    minutes = _whole(amount)
    if minutes is None or not 0 <= minutes <= high:
        return fail("out_of_range")
    return ok(minutes)


_SECONDS = re.compile(rf"~?\s*{_NUMBER}\s*(s|sec|secs|seconds?|m|min|mins|minutes?)?", re.ASCII)


def parse_seconds(text: str, low: int, high: int) -> Parsed[int]:
    """Seconds: "40", "40 s", "1 min"."""
    cleaned = normalise(text)
    if cleaned.startswith("-"):
        return fail("out_of_range")
    match = _SECONDS.fullmatch(cleaned)
    if not match:
        return fail("not_seconds")
    amount = to_float(match.group(1))
    unit = match.group(2) or "s"
    seconds = _whole(amount * 60 if unit.startswith("m") else amount)
    if seconds is None or not low <= seconds <= high:
        return fail("out_of_range")
    return ok(seconds)


_GRAMS = re.compile(rf"{_GROUPED}\s*(?:g|gr|grs|gram|grams)?\.?", re.ASCII)


def parse_grams(text: str, high: float) -> Parsed[float]:
    """Grams a day: "150", "150 g", "about 150g", "1,200 g" (a thousand and two hundred)."""
    cleaned = _unhedged(text)
    if cleaned.startswith("-"):
        return fail("out_of_range")
    match = _GRAMS.fullmatch(cleaned)
    grams = to_amount(match.group(1)) if match else None
    if grams is None:
        return fail("not_grams")
    if not 0 <= grams <= high:
        return fail("out_of_range")
    return ok(grams)


# "k" is a thousand unless it begins "kcal": "2.4k" is 2400, "2.4kcal" is 2.4.
_KCAL = re.compile(
    rf"{_GROUPED}\s*(k(?!cal)|thousand)?\s*"
    r"(?:kcal|kcals|cal|cals|calorie|calories|kilocalories)?(?:\s*a day|/day)?\.?",
    re.ASCII,
)


def parse_kcal(text: str, low: int, high: int) -> Parsed[int]:
    """Calories a day: "2800", "2800 kcal", "2.8k", "2,400 kcal", "2.400", "2 400"."""
    cleaned = _unhedged(text)
    if cleaned.startswith("-"):
        return fail("out_of_range")
    match = _KCAL.fullmatch(cleaned)
    if not match:
        return fail("not_kcal")
    if match.group(2):
        # Before "k" a separator is a decimal point: "2.5k" is 2500.
        if not _match(_NUMBER, match.group(1)):
            return fail("not_kcal")
        amount: float | None = to_float(match.group(1)) * 1000
    else:
        amount = to_amount(match.group(1))
    if amount is None:
        return fail("not_kcal")
    whole = _whole(amount)
    if whole is None or not low <= amount <= high or not low <= whole <= high:
        return fail("out_of_range")
    return ok(whole)


_WEEKS = re.compile(
    rf"{_NUMBER}\s*(d|days?|w|wk|wks|weeks?|m|mo|mos|months?|y|yr|yrs|years?)?\.?", re.ASCII
)
_WEEKS_PER_UNIT = {"d": 1 / 7, "w": 1.0, "m": 52 / 12, "y": 52.0}
_UNIT_NAMES = {"d": "day", "w": "week", "m": "month", "y": "year"}
_SAID_AS_WORDS = {
    "a week": "1 week",
    "a month": "1 month",
    "a year": "1 year",
    "a few weeks": "3 weeks",
    "a couple of weeks": "2 weeks",
    "a couple of months": "2 months",
    "a few months": "3 months",
    "half a year": "6 months",
}


def parse_weeks(text: str, high: float = 520.0, bare: str = "w") -> Parsed[float]:
    """How long ago, in weeks: "3 weeks", "2 months", "1.5 years", "10 days", "a month ago".

    `bare` lists the units a number typed without one may be in ("d", "w", "m", "y"), most
    likely first: a bare number is read in each unit that gives a time within range; more
    than one such reading (other than for 0) makes it ambiguous."""
    cleaned = _unhedged(text).removesuffix(" ago")
    if cleaned.startswith("-"):
        return fail("out_of_range")
    cleaned = _SAID_AS_WORDS.get(cleaned, cleaned)
    match = _WEEKS.fullmatch(cleaned)
    if not match:
        return fail("not_a_duration")
    amount = to_float(match.group(1))
    units = match.group(2)[0] if match.group(2) else bare or "w"
    fitting = [unit for unit in units if 0 <= amount * _WEEKS_PER_UNIT[unit] <= high]
    if not fitting:
        return fail("out_of_range")
    if len(fitting) > 1 and amount > 0:
        return ambiguous([spelled(amount, _UNIT_NAMES[unit]) for unit in fitting])
    return ok(round(amount * _WEEKS_PER_UNIT[fitting[0]], 1))


def parse_yes_no(text: str) -> Parsed[bool]:
    cleaned = normalise(text).strip(".!")
    if cleaned in _YES:
        return ok(True)
    if cleaned in _NO:
        return ok(False)
    return fail("not_yes_no")
