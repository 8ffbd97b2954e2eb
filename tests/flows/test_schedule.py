"""Reminder times: local weekdays and times to UTC, across DST changes and the date line."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from flows.schedule import (
    next_occurrence,
    occurrence_local_date,
    parse_time_of_day_or_error,
    utc_offset_label,
)

MON, TUE, WED, THU, FRI, SAT, SUN = range(7)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


# ---- Europe: clocks go forward on 29 March 2026 and back on 25 October 2026 ---------------


def test_evening_reminder_keeps_its_local_time_over_the_spring_change_in_berlin() -> None:
    # Saturday 28 March 18:00 is still CET (UTC+1); Sunday 29 March 18:00 is CEST (UTC+2).
    saturday = next_occurrence([SAT, SUN], time(18, 0), "Europe/Berlin", utc(2026, 3, 28, 12))
    sunday = next_occurrence([SAT, SUN], time(18, 0), "Europe/Berlin", saturday)
    assert saturday == utc(2026, 3, 28, 17)
    assert sunday == utc(2026, 3, 29, 16)
    assert sunday.tzinfo == UTC


def test_time_skipped_in_spring_fires_when_the_clocks_land() -> None:
    # 02:00 CET jumps to 03:00 CEST (01:00 UTC), so 02:30 never happens that night.
    due = next_occurrence([SUN], time(2, 30), "Europe/Berlin", utc(2026, 3, 28, 12))
    assert due == utc(2026, 3, 29, 1)
    assert due.astimezone(ZoneInfo("Europe/Berlin")).time() == time(3, 0)
    # A week later 02:30 exists again.
    assert next_occurrence([SUN], time(2, 30), "Europe/Berlin", due) == utc(2026, 4, 5, 0, 30)


def test_time_repeated_in_autumn_fires_once_at_the_first_pass() -> None:
    # 03:00 CEST goes back to 02:00 CET at 01:00 UTC: 02:30 happens at 00:30 and 01:30 UTC.
    first = next_occurrence([SUN], time(2, 30), "Europe/Berlin", utc(2026, 10, 24, 12))
    assert first == utc(2026, 10, 25, 0, 30)
    again = next_occurrence([SUN], time(2, 30), "Europe/Berlin", first)
    assert again == utc(2026, 11, 1, 1, 30), "not a second time at 01:30 UTC the same night"


def test_evening_reminder_over_the_autumn_change_in_berlin() -> None:
    saturday = next_occurrence([SAT, SUN], time(18, 0), "Europe/Berlin", utc(2026, 10, 24))
    sunday = next_occurrence([SAT, SUN], time(18, 0), "Europe/Berlin", saturday)
    assert [saturday, sunday] == [utc(2026, 10, 24, 16), utc(2026, 10, 25, 17)]


# ---- United States: 8 March and 1 November 2026 ------------------------------------------


def test_new_york_spring_change() -> None:
    # 02:00 EST jumps to 03:00 EDT at 07:00 UTC.
    skipped = next_occurrence([SUN], time(2, 30), "America/New_York", utc(2026, 3, 7))
    assert skipped == utc(2026, 3, 8, 7)
    first = next_occurrence([TUE], time(18, 0), "America/New_York", utc(2026, 3, 1))
    second = next_occurrence([TUE], time(18, 0), "America/New_York", first)
    assert [first, second] == [utc(2026, 3, 3, 23), utc(2026, 3, 10, 22)]


def test_new_york_autumn_change() -> None:
    # 02:00 EDT goes back to 01:00 EST at 06:00 UTC: 01:30 happens at 05:30 and 06:30 UTC.
    first = next_occurrence([SUN], time(1, 30), "America/New_York", utc(2026, 10, 31))
    assert first == utc(2026, 11, 1, 5, 30)
    assert next_occurrence([SUN], time(1, 30), "America/New_York", first) == utc(2026, 11, 8, 6, 30)


# ---- the date line -------------------------------------------------------------------------


def test_kiritimati_monday_starts_on_sunday_in_utc() -> None:
    # UTC+14: Monday 07:00 there is Sunday 17:00 UTC.
    due = next_occurrence([MON], time(7, 0), "Pacific/Kiritimati", utc(2026, 6, 7, 12))
    assert due == utc(2026, 6, 7, 17)
    assert occurrence_local_date(due, "Pacific/Kiritimati") == date(2026, 6, 8)
    assert occurrence_local_date(due, "Pacific/Kiritimati").weekday() == MON


def test_utc_minus_12_monday_evening_is_tuesday_in_utc() -> None:
    # Etc/GMT+12 is UTC-12: Monday 20:00 there is Tuesday 08:00 UTC.
    due = next_occurrence([MON], time(20, 0), "Etc/GMT+12", utc(2026, 6, 8, 12))
    assert due == utc(2026, 6, 9, 8)
    assert occurrence_local_date(due, "Etc/GMT+12") == date(2026, 6, 8)


def test_after_may_be_in_any_zone() -> None:
    after_in_tokyo = datetime(2026, 6, 9, 2, 0, tzinfo=timezone(timedelta(hours=9)))
    # That is Monday 17:00 UTC = Monday 19:00 in Berlin, after the 18:00 reminder.
    due = next_occurrence([MON, THU], time(18, 0), "Europe/Berlin", after_in_tokyo)
    assert due == utc(2026, 6, 11, 16)


# ---- weekdays ------------------------------------------------------------------------------


def test_changing_the_weekdays_moves_the_next_reminder() -> None:
    wednesday_noon = utc(2026, 6, 10, 10)
    before = next_occurrence([TUE, FRI], time(18, 0), "Europe/Berlin", wednesday_noon)
    after = next_occurrence([MON, THU], time(18, 0), "Europe/Berlin", wednesday_noon)
    assert before == utc(2026, 6, 12, 16)  # Friday
    assert after == utc(2026, 6, 11, 16)  # Thursday


def test_later_today_still_counts_and_exactly_now_does_not() -> None:
    tuesday_morning = utc(2026, 6, 9, 6)
    today = next_occurrence([TUE], time(18, 0), "Europe/Berlin", tuesday_morning)
    assert today == utc(2026, 6, 9, 16)
    assert next_occurrence([TUE], time(18, 0), "Europe/Berlin", today) == utc(2026, 6, 16, 16)


def test_bad_input_is_refused() -> None:
    with pytest.raises(ValueError):
        next_occurrence([TUE], time(18, 0), "Europe/Berlin", datetime(2026, 6, 9, 6))
    with pytest.raises(ValueError):
        next_occurrence([], time(18, 0), "Europe/Berlin", utc(2026, 6, 9))
    with pytest.raises(ValueError):
        next_occurrence([7], time(18, 0), "Europe/Berlin", utc(2026, 6, 9))


def test_offset_labels() -> None:
    assert utc_offset_label("Europe/Berlin", utc(2026, 1, 1)) == "UTC+1"
    assert utc_offset_label("Europe/Berlin", utc(2026, 7, 1)) == "UTC+2"
    assert utc_offset_label("Asia/Kolkata", utc(2026, 7, 1)) == "UTC+5:30"
    assert utc_offset_label("Etc/GMT+12", utc(2026, 7, 1)) == "UTC-12"
    assert utc_offset_label("UTC", utc(2026, 7, 1)) == "UTC"


# ---- parsing a time of day ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("18:00", time(18, 0)),
        ("6pm", time(18, 0)),
        ("6 pm", time(18, 0)),
        ("6:30pm", time(18, 30)),
        ("6.30 p.m.", time(18, 30)),
        ("18.30", time(18, 30)),
        ("18h30", time(18, 30)),
        ("18h", time(18, 0)),
        ("1830", time(18, 30)),
        ("730", time(7, 30)),
        ("7", time(7, 0)),
        ("07:05", time(7, 5)),
        ("0:00", time(0, 0)),
        ("23:59", time(23, 59)),
        ("12am", time(0, 0)),
        ("12pm", time(12, 0)),
        ("7 AM", time(7, 0)),
        ("  at 19:15 ", time(19, 15)),
        ("7 o'clock", time(7, 0)),
        ("noon", time(12, 0)),
        ("midnight", time(0, 0)),
    ],
)
def test_times_people_type(text: str, expected: time) -> None:
    assert parse_time_of_day_or_error(text) == (expected, None)


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("25:00", "out_of_range"),
        ("24:00", "out_of_range"),
        ("18:75", "out_of_range"),
        ("-1", "out_of_range"),
        ("13pm", "out_of_range"),
        ("0am", "out_of_range"),
        ("2400", "out_of_range"),
        ("6pm tomorrow", "has_date"),
        ("tomorrow at 6", "has_date"),
        ("Friday 18:00", "has_date"),
        ("2026-03-01 18:00", "has_date"),
        ("noonish", "not_a_time"),
        ("", "not_a_time"),
        ("evening", "not_a_time"),
        ("18:5", "not_a_time"),
        ("18:", "not_a_time"),
        ("183000", "not_a_time"),
        ("6 30", "not_a_time"),
        ("9" * 500, "not_a_time"),
    ],
)
def test_not_times(text: str, error: str) -> None:
    assert parse_time_of_day_or_error(text) == (None, error)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("в семь вечера", time(19, 0)),
        ("seven pm", time(19, 0)),
        ("около 8 вечера", time(20, 0)),
        ("around 8 pm", time(20, 0)),
        ("19-30", time(19, 30)),
        ("полвосьмого", time(7, 30)),
        ("полвосьмого вечера", time(19, 30)),
        ("half past 7 pm", time(19, 30)),
        ("quarter past 6pm", time(18, 15)),
        ("quarter to 8 pm", time(19, 45)),
    ],
)
def test_times_said_in_words(typed: str, expected: time) -> None:
    assert parse_time_of_day_or_error(typed) == (expected, None)
