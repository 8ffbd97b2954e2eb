"""Reminder time arithmetic: when a leg-day reminder is due, in UTC, from local weekdays.

Everything takes and returns time-zone-aware datetimes; due times come out in UTC so storage
and the job queue never have to think about zones. Daylight-saving changes:

* a local time that does not exist that day (the clocks jump over it in spring) fires at the
  first instant after the jump, e.g. 02:30 in Berlin on the last Sunday of March fires at
  03:00 CEST: the closest real moment to what was asked for;
* a local time that happens twice (the clocks go back in autumn) fires once, at its first
  occurrence (fold=0).

The current time is always a parameter; nothing here reads the clock.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from flows import parsing

# A week plus a day: enough to reach any weekday after `after`, whatever the zone.
_DAYS_TO_SCAN = 8


def _require_aware(moment: datetime, name: str) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be time-zone aware")


def local_instant(day: date, local_time: time, zone: ZoneInfo) -> datetime:
    """The real instant (UTC) a wall-clock time on a local date stands for, per the DST rules
    in the module docstring."""
    wall = datetime.combine(day, local_time.replace(tzinfo=None, fold=0), tzinfo=zone)
    instant = wall.astimezone(UTC)
    if instant.astimezone(zone).replace(tzinfo=None) == wall.replace(tzinfo=None):
        return instant
    # The wall time falls in a gap. fold=1 reads it with the offset after the jump, fold=0
    # with the one before, so the jump lies between the two readings; find it to the second.
    before = wall.replace(fold=1).astimezone(UTC)
    after = instant
    if before > after:
        before, after = after, before
    lo, hi = int(before.timestamp()), int(after.timestamp())
    while hi - lo > 1:
        middle = (lo + hi) // 2
        if datetime.fromtimestamp(middle, zone).replace(tzinfo=None) > wall.replace(tzinfo=None):
            hi = middle
        else:
            lo = middle
    return datetime.fromtimestamp(hi, UTC)


def next_occurrence(
    weekdays: Iterable[int], local_time: time, zone: str, after: datetime
) -> datetime:
    """The first `local_time` on one of `weekdays` (0 = Monday) in `zone` strictly after
    `after`, in UTC."""
    _require_aware(after, "after")
    days = set(weekdays)
    if not days:
        raise ValueError("no weekdays to schedule on")
    if not days <= set(range(7)):
        raise ValueError(f"weekdays out of range: {sorted(days)}")
    tz = ZoneInfo(zone)
    start = after.astimezone(tz).date()
    for offset in range(_DAYS_TO_SCAN):
        day = start + timedelta(days=offset)
        if day.weekday() not in days:
            continue
        due = local_instant(day, local_time, tz)
        if due > after:
            return due
    raise AssertionError("a weekday always comes round within eight days")


def occurrence_local_date(due_at_utc: datetime, zone: str) -> date:
    """The user's calendar date of a due time: the leg day it belongs to."""
    _require_aware(due_at_utc, "due_at_utc")
    return due_at_utc.astimezone(ZoneInfo(zone)).date()


def utc_offset_label(zone: str, at: datetime) -> str:
    """The zone's offset at a moment, as people write it: "UTC+2", "UTC-3:30", "UTC"."""
    _require_aware(at, "at")
    offset = at.astimezone(ZoneInfo(zone)).utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds()) // 60
    if minutes == 0:
        return "UTC"
    sign = "+" if minutes > 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


# ---- parsing a time of day -------------------------------------------------------------

TimeError = Literal["out_of_range", "not_a_time", "has_date"]

_WORD_TIMES = {"noon": time(12, 0), "midday": time(12, 0), "midnight": time(0, 0)}
_DATE_WORDS = re.compile(
    r"\b(today|tomorrow|tonight|yesterday|next|every|each|daily|weekdays?|weekends?|"
    r"mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
    r"jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|"
    r"january|february|march|april|may|june|july|august|september|october|november|"
    r"december)\b"
    r"|\d{1,4}[/-]\d{1,2}(?:[/-]\d{1,4})?",
    re.ASCII,
)
# Digits, an optional separator with minutes, an optional am/pm: "18:30", "6.30pm", "18h".
# ASCII digits only: int() would also read other scripts' digits as a time nobody meant.
_TIME_SHAPE = re.compile(r"(-?\d+)(?:([:.h])(\d*))?\s*(am|pm)?", re.ASCII)
_MAX_CHARS = 40

# Russian: "в 18:00", "7 утра", "6 вечера", "18 ч", "18ч30", "полдень"; dates and weekdays
# ("завтра в 18", "по вторникам") are refused like English ones.
_RUSSIAN_DATE_WORDS = re.compile(
    r"(?<!\w)(сегодня|завтра|послезавтра|вчера|кажд\w*|ежедневно|будн\w*|выходн\w*|"
    r"понедельник\w*|вторник\w*|сред[аыу]\w*|четверг\w*|пятниц\w*|суббот\w*|воскресень\w*|"
    r"январ\w*|феврал\w*|март\w*|апрел\w*|ма[йя]|июн\w*|июл\w*|август\w*|сентябр\w*|"
    r"октябр\w*|ноябр\w*|декабр\w*)(?!\w)"
)
_RUSSIAN_MERIDIEM = {"утра": "am", "ночи": "am", "дня": "pm", "вечера": "pm"}
_RUSSIAN_WORD_TIMES = {"полдень": "noon", "полночь": "midnight"}


# «полвосьмого»: half an hour before the hour named (7:30); 12-hour, like a bare "7".
_HALF_BEFORE = {
    **{"первого": 12, "второго": 1, "третьего": 2, "четвертого": 3, "пятого": 4},
    **{"шестого": 5, "седьмого": 6, "восьмого": 7, "девятого": 8, "десятого": 9},
    **{"одиннадцатого": 10, "двенадцатого": 11},
}
_HALF_BEFORE_SHAPE = re.compile(rf"пол-?({'|'.join(_HALF_BEFORE)})")
_PAST = re.compile(r"^(half|quarter) past (\d{1,2})(?!\d)", re.ASCII)
_TO = re.compile(r"^quarter to (\d{1,2})(?!\d)", re.ASCII)


def _said_as_clock(cleaned: str) -> str:
    """A time said in words in the shape the parser reads: "seven pm" -> "7 pm", «в семь
    вечера» -> "в 7 вечера", "half past 7" -> "7:30", "quarter to 8" -> "7:45", «полвосьмого»
    -> "7:30", «19-30» -> "19:30"; a leading "about" or «около» changes nothing."""
    cleaned = parsing.unhedged(cleaned)
    cleaned = _HALF_BEFORE_SHAPE.sub(lambda found: f"{_HALF_BEFORE[found[1]]}:30", cleaned)
    cleaned = _PAST.sub(lambda found: f"{found[2]}:{'30' if found[1] == 'half' else '15'}", cleaned)
    cleaned = _TO.sub(lambda found: f"{(int(found[1]) - 1) % 12 or 12}:45", cleaned)
    return re.sub(r"^(\d{1,2})-(\d{2})$", r"\1:\2", cleaned)


def _from_russian(cleaned: str) -> str:
    """A time typed in Russian in the English shape the parser reads: "7 утра" -> "7am",
    "в 18 часов" -> "18", "18ч30" -> "18h30", "полдень" -> "noon"."""
    cleaned = re.sub(r"^(в|во|к)\s+", "", cleaned)
    meridiem = ""
    suffix = re.search(r"\s*(утра|ночи|дня|вечера)$", cleaned)
    if suffix:
        cleaned, meridiem = cleaned[: suffix.start()], _RUSSIAN_MERIDIEM[suffix[1]]
    cleaned = re.sub(r"(\d)\s*мин[а-я]*\.?$", r"\1", cleaned)  # "19 ч 30 мин"
    cleaned = re.sub(r"(\d)\s*ч[а-я]*\.?\s*(\d)", r"\1h\2", cleaned)
    cleaned = re.sub(r"\s*(ч|час|часа|часов)\.?$", "", cleaned)
    hour = re.match(r"\d+", cleaned)
    if suffix and suffix[1] == "ночи" and hour and 9 <= int(hour[0]) <= 11:
        meridiem = "pm"  # "11 ночи" is 23:00, "2 ночи" 02:00, "12 ночи" midnight
    # "7 вечера" is 19:00; "19 вечера" already says it in 24 hours.
    if meridiem and hour and int(hour[0]) <= 12:
        cleaned += meridiem
    return _RUSSIAN_WORD_TIMES.get(cleaned, cleaned)


def parse_time_of_day_or_error(text: str) -> tuple[time | None, TimeError | None]:
    """A time of day as people type it, or why it is not one.

    Takes "18:00", "07:05", "18.30", "18h30", "1830", "7" (07:00), "6pm", "6 pm", "6:30pm",
    "6.30 p.m.", "noon", "midnight", with an optional leading "at", and the same in Russian
    ("в 18:30", "7 утра", "6 вечера", "18 ч", "полдень"). Errors: "out_of_range" ("25:00",
    "18:75", "13pm", "-1"), "has_date" ("6pm tomorrow", "завтра в 18"), "not_a_time" (the
    rest).
    """
    cleaned = " ".join(text.strip().lower().split())
    if not cleaned or len(cleaned) > _MAX_CHARS:
        return None, "not_a_time"
    cleaned = _said_as_clock(cleaned)
    cleaned = re.sub(r"\b([ap])\.\s?m\b\.?", r"\1m", cleaned).rstrip(".!")
    cleaned = re.sub(r"^(at|@)\s*", "", cleaned)
    cleaned = re.sub(r"\s*o'?clock$", "", cleaned)
    if _DATE_WORDS.search(cleaned) or _RUSSIAN_DATE_WORDS.search(cleaned):
        return None, "has_date"
    cleaned = _from_russian(cleaned)
    if cleaned in _WORD_TIMES:
        return _WORD_TIMES[cleaned], None
    match = _TIME_SHAPE.fullmatch(cleaned)
    if match is None:
        return None, "not_a_time"
    hour_text, separator, minute_text, meridiem = match.groups()
    if hour_text.startswith("-"):
        return None, "out_of_range"
    read = _hour_and_minute(hour_text, separator, minute_text)
    if isinstance(read, str):
        return None, read
    return _clock(*read, meridiem)


def _hour_and_minute(
    hour_text: str, separator: str | None, minute_text: str | None
) -> tuple[int, int] | TimeError:
    if separator:
        # "18:" or "6:5" are typos, not times; "18h" alone is a common way to write 18:00.
        if separator != "h" and len(minute_text or "") != 2:
            return "not_a_time"
        if separator == "h" and minute_text and len(minute_text) != 2:
            return "not_a_time"
        if len(hour_text) > 2:
            return "out_of_range"
        return int(hour_text), int(minute_text or 0)
    if len(hour_text) <= 2:
        return int(hour_text), 0
    if len(hour_text) <= 4:
        # "1830", "730": the last two digits are the minutes.
        return int(hour_text[:-2]), int(hour_text[-2:])
    return "not_a_time"


def _clock(hour: int, minute: int, meridiem: str | None) -> tuple[time | None, TimeError | None]:
    if minute > 59:
        return None, "out_of_range"
    if meridiem:
        if not 1 <= hour <= 12:
            return None, "out_of_range"
        hour = hour % 12 + (12 if meridiem == "pm" else 0)
    elif hour > 23:
        return None, "out_of_range"
    return time(hour, minute), None
