"""Every parser, table by table: the forms people type, what each one means, and the answers
that are refused and why."""

from __future__ import annotations

from typing import Any

import pytest

from flows import parsing
from flows.parsing import AMBIGUOUS

NNBSP = "\u202f"  # narrow no-break space, a thousands separator in many locales
NBSP = "\u00a0"


# ---- calories: thousands separators -----------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "kcal"),
    [
        ("2800", 2800),
        ("2800 kcal", 2800),
        ("2800kcal", 2800),
        ("2,400 kcal", 2400),
        ("2,400kcal", 2400),
        ("2,400", 2400),
        ("2.400 kcal", 2400),
        ("2.400", 2400),
        ("2 400", 2400),
        ("2 400 kcal", 2400),
        (f"2{NNBSP}400 kcal", 2400),
        (f"2{NBSP}400", 2400),
        ("2'400", 2400),
        ("12,400", 12400),
        ("2,400.5", 2400),
        ("2.400,5 kcal", 2400),
        ("2.8k", 2800),
        ("2,5k", 2500),
        ("2.400k", 2400),  # before "k" a separator is a decimal point
        ("3k kcal", 3000),
        ("3 thousand", 3000),
        ("2800 calories", 2800),
        ("2800 cal", 2800),
        ("about 2,800 kcal a day", 2800),
        ("~3000", 3000),
        ("3000 kcal/day", 3000),
        ("  3000  ", 3000),
        ("500", 500),
        ("15,000", 15000),
    ],
)
def test_calories_in_the_forms_people_type(typed: str, kcal: int) -> None:
    assert parsing.parse_kcal(typed, 500, 15000) == parsing.ok(kcal)


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("2.4kcal", "out_of_range"),  # 2.4 kcal, not 2.4 thousand
        ("3 kcal", "out_of_range"),
        ("2,4", "out_of_range"),  # a decimal comma: 2.4 kcal
        ("499", "out_of_range"),
        ("15,001", "out_of_range"),
        ("-2400", "out_of_range"),
        ("1,234,5", "not_kcal"),  # neither thousands nor a decimal
        ("2,40,0", "not_kcal"),
        ("lots", "not_kcal"),
        ("2400 kg", "not_kcal"),
        ("", "not_kcal"),
    ],
)
def test_calories_refused_say_why(typed: str, error: str) -> None:
    assert parsing.parse_kcal(typed, 500, 15000).error == error


# ---- grams: thousands separators ------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "grams"),
    [
        ("150", 150.0),
        ("150 g", 150.0),
        ("150g", 150.0),
        ("150 grams", 150.0),
        ("150.5 g", 150.5),
        ("150,5", 150.5),
        ("about 150", 150.0),
        ("~150 g", 150.0),
        ("1,200 g", 1200.0),
        ("1.200 g", 1200.0),
        ("1 200", 1200.0),
        (f"1{NNBSP}200 g", 1200.0),
        ("0.500", 0.5),  # a leading zero never starts a group of thousands
        ("0", 0.0),
    ],
)
def test_grams_in_the_forms_people_type(typed: str, grams: float) -> None:
    assert parsing.parse_grams(typed, 1500) == parsing.ok(grams)


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("1,200", "out_of_range"),  # protein: 1200 g, not 1.2 g
        ("900 g", "out_of_range"),
        ("-5", "out_of_range"),
        ("a lot", "not_grams"),
        ("150 kg", "not_grams"),
        ("1,2,3", "not_grams"),
    ],
)
def test_grams_refused_say_why(typed: str, error: str) -> None:
    assert parsing.parse_grams(typed, 800).error == error


# ---- body weight: a comma or dot is always a decimal point ---------------------------------


@pytest.mark.parametrize(
    ("typed", "default", "weight"),
    [
        ("82", "kg", (82.0, "kg")),
        ("82 kg", "kg", (82.0, "kg")),
        ("82kg", "kg", (82.0, "kg")),
        ("82,5", "kg", (82.5, "kg")),
        ("82.5 kg", "kg", (82.5, "kg")),
        ("82,500 kg", "kg", (82.5, "kg")),
        ("82 kilos", "kg", (82.0, "kg")),
        ("about 82", "kg", (82.0, "kg")),
        ("180 lb", "kg", (81.647, "lb")),
        ("180lbs", "kg", (81.647, "lb")),
        ("180 pounds", "kg", (81.647, "lb")),
        ("180#", "kg", (81.647, "lb")),
        ("180 kg", "kg", (180.0, "kg")),
        ("140", "kg", (140.0, "kg")),
        ("350", "kg", (158.757, "lb")),  # no one weighs 350 kg; 350 lb is a weight
        ("180", "lb", (81.647, "lb")),
        ("82 kg", "lb", (82.0, "kg")),
        ("50", "lb", (50.0, "kg")),  # 50 lb is no adult's weight; 50 kg is
    ],
)
def test_weights_in_the_forms_people_type(
    typed: str, default: str, weight: tuple[float, str]
) -> None:
    assert parsing.parse_weight(typed, default, ask_when_unsure=True) == parsing.ok(weight)


@pytest.mark.parametrize(
    ("typed", "default", "readings"),
    [
        ("180", "kg", ("180 kg", "180 lb")),
        ("141", "kg", ("141 kg", "141 lb")),
        ("82", "lb", ("82 lb", "82 kg")),
        ("82,5", "lb", ("82.5 lb", "82.5 kg")),
    ],
)
def test_a_bare_weight_that_fits_both_units_unlikely_in_one_is_asked_about(
    typed: str, default: str, readings: tuple[str, ...]
) -> None:
    parsed = parsing.parse_weight(typed, default, ask_when_unsure=True)
    assert parsed.error == AMBIGUOUS and parsed.readings == readings
    for reading in readings:  # each reading is read back without doubt
        assert parsing.parse_weight(reading, default, ask_when_unsure=True).ok
    # Where the question does not ask, the default unit holds.
    assert parsing.parse_weight(typed, default).ok


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("900 kg", "out_of_range"),
        ("20 kg", "out_of_range"),
        ("-82", "out_of_range"),
        ("heavy", "not_a_weight"),
        ("82 stone", "not_a_weight"),
        ("8 2", "not_a_weight"),
    ],
)
def test_weights_refused_say_why(typed: str, error: str) -> None:
    assert parsing.parse_weight(typed, ask_when_unsure=True).error == error


# ---- hours of sleep --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "hours"),
    [
        ("7", 7.0),
        ("7.5", 7.5),
        ("7,5", 7.5),
        ("6.5 h", 6.5),
        ("6,5 h", 6.5),
        ("6.5h", 6.5),
        ("8 hours", 8.0),
        ("8 hrs", 8.0),
        ("1 hour", 1.0),
        ("7h30", 7.5),
        ("7h 30m", 7.5),
        ("7:30", 7.5),
        ("7 : 30", 7.5),
        ("6 h 30 min", 6.5),
        ("6h30min", 6.5),
        ("7 hours 30", 7.5),
        ("7 hours 30 minutes", 7.5),
        ("7 hours and 30 minutes", 7.5),
        ("7 hrs 15 mins", 7.25),
        ("6:45", 6.75),
        ("7h05", 7.08),
        ("450 min", 7.5),
        ("about 7", 7.0),
        ("~7.5 h", 7.5),
        ("0", 0.0),
        ("16", 16.0),
    ],
)
def test_hours_in_the_forms_people_type(typed: str, hours: float) -> None:
    assert parsing.parse_hours(typed, 16) == parsing.ok(hours)


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("17", "out_of_range"),
        ("7:75", "out_of_range"),
        ("7h60", "out_of_range"),
        ("-7", "out_of_range"),
        ("1200 min", "out_of_range"),
        ("lots", "not_hours"),
        ("half past seven", "not_hours"),
        ("half past 7", "not_hours"),
        ("7 days", "not_hours"),
    ],
)
def test_hours_refused_say_why(typed: str, error: str) -> None:
    assert parsing.parse_hours(typed, 16).error == error


# ---- minutes of cardio -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "minutes"),
    [
        ("150", 150),
        ("90 min", 90),
        ("90min", 90),
        ("90 minutes", 90),
        ("2h", 120),
        ("2 hours", 120),
        ("2.5 hours", 150),
        ("1,5 h", 90),
        ("1,200 h", 72),  # hours have decimals, never thousands
        ("1h30", 90),
        ("1 h 30 min", 90),
        ("1 hour and 15 minutes", 75),
        ("1:30", 90),
        ("1,200", 1200),
        ("1.200 min", 1200),
        (f"1{NNBSP}200 min", 1200),
        ("none", 0),
        ("0", 0),
        ("about 60", 60),
        ("11", 11),  # above the hours threshold: minutes
        ("2.5", 150),  # nobody counts fractions of a minute: hours
    ],
)
def test_minutes_in_the_forms_people_type(typed: str, minutes: int) -> None:
    assert parsing.parse_minutes(typed, 3000, ask_hours_up_to=10) == parsing.ok(minutes)


@pytest.mark.parametrize(
    ("typed", "high", "readings"),
    [
        ("2", 3000, ("2 hours", "2 minutes")),
        ("1", 3000, ("1 hour", "1 minute")),
        ("10", 3000, ("10 hours", "10 minutes")),
        ("4", 600, ("4 hours", "4 minutes")),
    ],
)
def test_a_small_bare_number_of_minutes_may_be_hours_and_is_asked_about(
    typed: str, high: int, readings: tuple[str, ...]
) -> None:
    parsed = parsing.parse_minutes(typed, high, ask_hours_up_to=10)
    assert parsed.error == AMBIGUOUS and parsed.readings == readings
    hours, minutes = (parsing.parse_minutes(r, high, ask_hours_up_to=10) for r in readings)
    assert (hours.value, minutes.value) == (int(typed) * 60, int(typed))
    assert parsing.parse_minutes(typed, high) == parsing.ok(int(typed))  # nothing asked


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("3001", "out_of_range"),
        ("60 h", "out_of_range"),
        ("1:75", "out_of_range"),
        ("-5", "out_of_range"),
        ("a while", "not_minutes"),
        ("1,2,3", "not_minutes"),
    ],
)
def test_minutes_refused_say_why(typed: str, error: str) -> None:
    assert parsing.parse_minutes(typed, 3000, ask_hours_up_to=10).error == error


# ---- seconds ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "seconds"),
    [
        ("40", 40),
        ("40 s", 40),
        ("40s", 40),
        ("40 sec", 40),
        ("40 seconds", 40),
        ("1 min", 60),
        ("1.5 min", 90),
        ("~40", 40),
        ("3", 3),
        ("600", 600),
    ],
)
def test_seconds_in_the_forms_people_type(typed: str, seconds: int) -> None:
    assert parsing.parse_seconds(typed, 3, 600) == parsing.ok(seconds)


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("2", "out_of_range"),
        ("11 min", "out_of_range"),
        ("-40", "out_of_range"),
        ("forever", "not_seconds"),
        ("40 h", "not_seconds"),
    ],
)
def test_seconds_refused_say_why(typed: str, error: str) -> None:
    assert parsing.parse_seconds(typed, 3, 600).error == error


# ---- weeks since the program changed ----------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "weeks"),
    [
        ("3 weeks", 3.0),
        ("3 wks", 3.0),
        ("3w", 3.0),
        ("1 week", 1.0),
        ("2 months", 8.7),
        ("2 mo", 8.7),
        ("4m", 17.3),
        ("1 year", 52.0),
        ("1.5 years", 78.0),
        ("2 yrs", 104.0),
        ("10 days", 1.4),
        ("a week", 1.0),
        ("a month ago", 4.3),
        ("a few months", 13.0),
        ("half a year", 26.0),
        ("3 weeks ago", 3.0),
        ("about 6 weeks", 6.0),
        ("0", 0.0),
        ("130", 130.0),  # 130 months is past ten years: weeks is the only reading
    ],
)
def test_weeks_in_the_forms_people_type(typed: str, weeks: float) -> None:
    assert parsing.parse_weeks(typed, bare="mw") == parsing.ok(weeks)


@pytest.mark.parametrize(
    ("typed", "readings"),
    [
        ("4", ("4 months", "4 weeks")),
        ("1", ("1 month", "1 week")),
        ("2.5", ("2.5 months", "2.5 weeks")),
        ("120", ("120 months", "120 weeks")),
    ],
)
def test_a_bare_number_of_weeks_is_read_in_months_and_asked_about(
    typed: str, readings: tuple[str, ...]
) -> None:
    parsed = parsing.parse_weeks(typed, bare="mw")
    assert parsed.error == AMBIGUOUS and parsed.readings == readings
    assert all(parsing.parse_weeks(reading, bare="mw").ok for reading in readings)
    assert parsing.parse_weeks(typed) == parsing.ok(float(typed))  # weeks where not asked


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("11 years", "out_of_range"),
        ("600", "out_of_range"),
        ("-3 weeks", "out_of_range"),
        ("never", "not_a_duration"),
        ("recently", "not_a_duration"),
        ("3 hours", "not_a_duration"),
    ],
)
def test_weeks_refused_say_why(typed: str, error: str) -> None:
    assert parsing.parse_weeks(typed, bare="mw").error == error


# ---- whole numbers, yes and no -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "number"),
    [
        *[("2", 2), ("2.0", 2), ("4+", 4), ("~3", 3), (" 7 ", 7), ("0", 0)],
        *[("twice a week", 2), ("once", 1), ("three times a week", 3), ("2x per week", 2)],
        *[("five", 5), ("about four times", 4), ("трижды в неделю", 3), ("2 times/wk", 2)],
    ],
)
def test_whole_numbers(typed: str, number: int) -> None:
    assert parsing.parse_whole_number(typed, 0, 7) == parsing.ok(number)


@pytest.mark.parametrize("typed", ["2-3 times a week", "2–3", "2 - 3 раза"])
def test_a_span_of_counts_asks_which_end_is_meant(typed: str) -> None:
    assert parsing.parse_whole_number(typed, 0, 7) == parsing.ambiguous(["2", "3"])


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("three years", "3 years"),
        ("twenty-five minutes", "25 minutes"),
        ("about twenty five", "25"),
        ("seven and a half hours", "7.5 hours"),
        ("fifteen reps", "15 reps"),
        # A span keeps its hyphen, and a Russian word before a number stays before it.
        ("6-8", "6-8"),
        ("больше трёх лет", "больше 3 лет"),
        ("от 1 до 3 лет", "от 1 до 3 лет"),
        ("месяца 2", "2 месяца"),
    ],
)
def test_numbers_said_in_words_are_read_as_digits(typed: str, said: str) -> None:
    assert parsing.unhedged(typed) == said


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("8", "out_of_range"),
        ("-1", "out_of_range"),
        ("often", "not_a_number"),
        ("3-9", "out_of_range"),
    ],
)
def test_whole_numbers_refused_say_why(typed: str, error: str) -> None:
    assert parsing.parse_whole_number(typed, 0, 7).error == error


@pytest.mark.parametrize(
    ("typed", "answer"),
    [("yes", True), ("Y", True), ("yep!", True), ("Sure.", True), ("no", False), ("nope", False)],
)
def test_yes_and_no(typed: str, answer: bool) -> None:
    assert parsing.parse_yes_no(typed) == parsing.ok(answer)


# ---- the helpers -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "amount"),
    [
        ("2,400", 2400.0),
        ("2.400", 2400.0),
        ("2 400", 2400.0),
        ("2'400", 2400.0),
        ("1,234,567", 1234567.0),
        ("1.234.567,8", 1234567.8),
        ("1 234,5", 1234.5),
        ("2,4", 2.4),
        ("2,40", 2.4),
        ("0,400", 0.4),
        ("1,234,5", None),
        ("1,234.567.8", None),
    ],
)
def test_thousands_are_grouped_by_a_separator_before_exactly_three_digits(
    number: str, amount: float | None
) -> None:
    assert parsing.to_amount(number) == amount


@pytest.mark.parametrize(
    ("amount", "unit", "spelled"),
    [(1, "week", "1 week"), (4, "month", "4 months"), (2.5, "hour", "2.5 hours")],
)
def test_readings_are_spelled_out(amount: float, unit: str, spelled: str) -> None:
    assert parsing.spelled(amount, unit) == spelled


# ---- answers as phones and keyboards type them ---------------------------------------------


@pytest.mark.parametrize(
    ("typed", "cleaned"),
    [
        ("80 kg 💪", "80 kg"),
        ("да 👍🏽", "да"),
        ("oпытный", "опытный"),  # a Latin o inside a Russian word
        ("мнoго", "много"),
        ("I don’t know", "i don't know"),
        ("3x5", "3x5"),  # a Latin word stays Latin
    ],
)
def test_emoji_look_alike_letters_and_apostrophes_are_tidied(typed: str, cleaned: str) -> None:
    assert parsing.normalise(typed) == cleaned


@pytest.mark.parametrize(
    "typed",
    ["I don't know", "I don’t know", "no idea", "Honestly, no idea", "don't count them", "idk."],
)
def test_ways_of_saying_dont_know_skip_the_question(typed: str) -> None:
    assert parsing.says_skip(typed)


@pytest.mark.parametrize("typed", ["I", "know", "80 kg", "no"])
def test_answers_that_are_not_dont_know_do_not_skip(typed: str) -> None:
    assert not parsing.says_skip(typed)


@pytest.mark.parametrize(
    ("typed", "answer"),
    [
        ("yes, sometimes", True),
        ("да, иногда", True),
        ("no, never", False),
        ("not really", False),
        ("давай", True),
        ("да 👍", True),
    ],
)
def test_yes_or_no_followed_by_more_words(typed: str, answer: bool) -> None:
    assert parsing.parse_yes_no(typed) == parsing.ok(answer)


def test_yes_and_no_at_once_is_neither() -> None:
    assert parsing.parse_yes_no("yes and no").error == "not_yes_no"


@pytest.mark.parametrize(
    ("typed", "hours"),
    [("7 and a half hours", 7.5), ("7½", 7.5), ("7 1/2 hours", 7.5), ("seven and a half", 7.5)],
)
def test_halves_as_people_write_them(typed: str, hours: float) -> None:
    assert parsing.parse_hours(typed) == parsing.ok(hours)


@pytest.mark.parametrize("typed", ["no", "nope", "not today", "нет кардио", "no cardio"])
def test_no_cardio_is_zero_minutes(typed: str) -> None:
    assert parsing.parse_minutes(typed, 600) == parsing.ok(0)


def test_a_case_ending_after_digits_is_read_past() -> None:
    assert parsing.unhedged("больше 3х лет") == "больше 3 лет"
    assert parsing.unhedged("100х5") == "100х5"  # a set, not a case ending


@pytest.mark.parametrize(
    ("parse", "typed", "middle"),
    [
        (lambda t: parsing.parse_kcal(t, 500, 15000), "2500-3000", 2750),
        (lambda t: parsing.parse_kcal(t, 500, 15000), "2 500 - 3 000 ккал", 2750),
        (lambda t: parsing.parse_grams(t, 800), "150-180 g", 165.0),
        (lambda t: parsing.parse_grams(t, 800), "150 to 180", 165.0),
        (lambda t: parsing.parse_hours(t), "7-8", 7.5),
        (lambda t: parsing.parse_hours(t), "6,5-7,5 ч", 7.0),
    ],
)
def test_a_span_of_an_amount_is_read_at_its_middle(parse: Any, typed: str, middle: float) -> None:
    assert parse(typed) == parsing.ok(middle)


def test_a_span_upside_down_is_refused_as_typed() -> None:
    assert parsing.parse_hours("8-7").error == "not_hours"
