"""Parsing of what people type: numbers, weights, hours, minutes, grams, yes/no.

Each parser returns a `Parsed`: either a value or an error code that flows.texts turns into
a message saying what was wrong and what a good answer looks like. A parser never raises,
whatever the text, and every value it returns is finite and within the bounds it was given.

Numbers are written with the ASCII digits 0-9 and at most one decimal point or comma: not
superscripts, other scripts' digits, "1_000", "1e3", "inf" or "nan", which Python's own
int() and float() would take or choke on. A number too large for its question, however many
digits it has, is "out_of_range".
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


@dataclass(frozen=True)
class Parsed(Generic[T]):
    value: T | None = None
    error: str | None = None  # a text key suffix: "not_a_number", "out_of_range", ...

    @property
    def ok(self) -> bool:
        return self.error is None


def ok(value: T) -> Parsed[T]:
    return Parsed(value=value)


def fail(error: str) -> Parsed[Any]:
    return Parsed(error=error)


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
_YES = {"yes", "y", "yeah", "yep", "sure", "true", "да", "ja", "si", "oui"}
_NO = {"no", "n", "nope", "false", "нет", "nein", "non"}


def normalise(text: str) -> str:
    return " ".join(text.strip().lower().split())


def to_float(number: str) -> float:
    """A number matched by one of the patterns here (ASCII digits, one optional point or
    comma) as a float; so many digits that no float holds them give inf, never an error."""
    return float(number.replace(",", "."))


def _whole(value: float) -> int | None:
    """`value` rounded to an int, or None for inf (round() would raise)."""
    return round(value) if math.isfinite(value) else None


def _match(pattern: str, text: str) -> re.Match[str] | None:
    return re.fullmatch(pattern, text, flags=re.ASCII)


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


def parse_weight(text: str, default_unit: str = "kg") -> Parsed[tuple[float, str]]:
    """Body weight as (kg, unit the user typed): "82", "82 kg", "180 lb", "180lbs"."""
    cleaned = normalise(text)
    if cleaned.startswith("-"):
        return fail("out_of_range")
    match = _WEIGHT.fullmatch(cleaned)
    if not match:
        return fail("not_a_weight")
    amount = to_float(match.group(1))
    unit_word = match.group(2) or default_unit
    unit = "lb" if unit_word.startswith(("lb", "pound", "#")) else "kg"
    weight_kg = amount * KG_PER_LB if unit == "lb" else amount
    if not MIN_WEIGHT_KG <= weight_kg <= MAX_WEIGHT_KG:
        return fail("out_of_range")
    # Three decimals keep 180 lb (81.647 kg) on the right side of 81.6 when targets round.
    return ok((round(weight_kg, 3), unit))


_HOURS_MINUTES = re.compile(
    r"(\d{1,2})\s*(?:h|hr|hrs|hours?|:)\s*(\d{1,2})\s*(?:m|min|mins|minutes?)?", re.ASCII
)
_HOURS = re.compile(rf"{_NUMBER}\s*(?:h|hr|hrs|hours?)?", re.ASCII)


def parse_hours(text: str, high: float = 16.0) -> Parsed[float]:
    """Hours of sleep: "7", "7.5", "7,5", "7h30", "7:30", "7 h 30 min", "8 hours"."""
    cleaned = normalise(text)
    if cleaned.startswith("-"):
        return fail("out_of_range")
    match = _HOURS_MINUTES.fullmatch(cleaned)
    if match:
        hours, minutes = int(match.group(1)), int(match.group(2))
        if minutes >= 60:
            return fail("out_of_range")
        value = hours + minutes / 60
    else:
        match = _HOURS.fullmatch(cleaned)
        if not match:
            return fail("not_hours")
        value = to_float(match.group(1))
    if not 0 <= value <= high:
        return fail("out_of_range")
    return ok(round(value, 2))


_MINUTES = re.compile(rf"{_NUMBER}\s*(m|min|mins|minutes?|h|hr|hrs|hours?)?", re.ASCII)


def parse_minutes(text: str, high: int) -> Parsed[int]:
    """Minutes, or hours converted to minutes: "150", "90 min", "2h", "2.5 hours"."""
    cleaned = normalise(text)
    if cleaned.startswith("-"):
        return fail("out_of_range")
    if cleaned in {"none", "zero", "nothing"}:
        return ok(0)
    match = _HOURS_MINUTES.fullmatch(cleaned)
    minutes: int | None
    if match and int(match.group(2)) < 60:
        minutes = int(match.group(1)) * 60 + int(match.group(2))
    else:
        match = _MINUTES.fullmatch(cleaned)
        if not match:
            return fail("not_minutes")
        amount = to_float(match.group(1))
        unit = match.group(2) or "min"
        minutes = _whole(amount * 60 if unit.startswith("h") else amount)
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


_GRAMS = re.compile(rf"{_NUMBER}\s*(g|gr|grams?)?", re.ASCII)


def parse_grams(text: str, high: float) -> Parsed[float]:
    cleaned = normalise(text)
    if cleaned.startswith("-"):
        return fail("out_of_range")
    match = _GRAMS.fullmatch(cleaned)
    if not match:
        return fail("not_grams")
    grams = to_float(match.group(1))
    if not 0 <= grams <= high:
        return fail("out_of_range")
    return ok(grams)


_KCAL = re.compile(rf"{_NUMBER}\s*(k)?\s*(kcal|cal|calories|kcals)?", re.ASCII)


def parse_kcal(text: str, low: int, high: int) -> Parsed[int]:
    """Calories a day: "2800", "2800 kcal", "2.8k", "2,800" (thousands comma)."""
    cleaned = normalise(text).replace(" ", "")
    if cleaned.startswith("-"):
        return fail("out_of_range")
    if _match(r"\d{1,2},\d{3}\D*", cleaned):
        cleaned = cleaned.replace(",", "", 1)
    match = _KCAL.fullmatch(cleaned)
    if not match:
        return fail("not_kcal")
    amount = to_float(match.group(1)) * (1000 if match.group(2) else 1)
    if not low <= amount <= high:
        return fail("out_of_range")
    whole = _whole(amount)
    if whole is None or not low <= whole <= high:
        return fail("out_of_range")
    return ok(whole)


_WEEKS = re.compile(rf"{_NUMBER}\s*(d|days?|w|wks?|weeks?|mo|mos|months?|y|yrs?|years?)?", re.ASCII)
_WEEKS_PER_UNIT = {"d": 1 / 7, "w": 1.0, "m": 52 / 12, "y": 52.0}


def parse_weeks(text: str, high: float = 520.0) -> Parsed[float]:
    """How long ago, in weeks: "3" (weeks), "3 weeks", "2 months", "1 year", "10 days"."""
    cleaned = normalise(text).removesuffix(" ago")
    if cleaned.startswith("-"):
        return fail("out_of_range")
    cleaned = {"a week": "1 week", "a month": "1 month", "a year": "1 year"}.get(cleaned, cleaned)
    match = _WEEKS.fullmatch(cleaned)
    if not match:
        return fail("not_a_duration")
    unit = (match.group(2) or "w")[0]
    weeks = to_float(match.group(1)) * _WEEKS_PER_UNIT[unit]
    if not 0 <= weeks <= high:
        return fail("out_of_range")
    return ok(round(weeks, 1))


def parse_yes_no(text: str) -> Parsed[bool]:
    cleaned = normalise(text).strip(".!")
    if cleaned in _YES:
        return ok(True)
    if cleaned in _NO:
        return ok(False)
    return fail("not_yes_no")
