"""Answers typed in Russian: the words every parser reads in any language, and numbers
written with a decimal comma and thousands grouped by spaces, as Russian writes them."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from flows import i18n, parsing
from flows.parsing import AMBIGUOUS

NBSP = "\u00a0"
NNBSP = "\u202f"  # narrow no-break space, as Russian groups thousands ("2 400")


@pytest.fixture(params=["ru", "en"])
def any_language(request: pytest.FixtureRequest) -> Iterator[str]:
    """The user's language: Russian words are read whatever it is."""
    with i18n.use(request.param) as language:
        yield language


@pytest.fixture
def russian() -> Iterator[None]:
    with i18n.use("ru"):
        yield


# ---- words, in any language ---------------------------------------------------------------


@pytest.mark.usefixtures("any_language")
@pytest.mark.parametrize(
    ("typed", "weight"),
    [
        ("90 кг", (90.0, "kg")),
        ("90кг", (90.0, "kg")),
        ("90 кг.", (90.0, "kg")),
        ("82,5 кг", (82.5, "kg")),
        ("90 кило", (90.0, "kg")),
        ("90 килограммов", (90.0, "kg")),
        ("около 90 кг", (90.0, "kg")),
        ("примерно 90", (90.0, "kg")),
        ("180 фунтов", (81.647, "lb")),
        ("180 фунт.", (81.647, "lb")),
        ("181 фунт", (82.1, "lb")),
        ("182 фунта", (82.554, "lb")),
    ],
)
def test_weights_in_russian_words(typed: str, weight: tuple[float, str]) -> None:
    assert parsing.parse_weight(typed, "kg", ask_when_unsure=True) == parsing.ok(weight)


@pytest.mark.usefixtures("any_language")
@pytest.mark.parametrize(
    ("typed", "hours"),
    [
        ("7,5 ч", 7.5),
        ("7,5ч", 7.5),
        ("7.5 ч.", 7.5),
        ("8 часов", 8.0),
        ("1 час", 1.0),
        ("3 часа", 3.0),
        ("7 ч 30 мин", 7.5),
        ("7ч30", 7.5),
        ("7 ч. 30 мин.", 7.5),
        ("7 часов 30 минут", 7.5),
        ("7 часов и 30 минут", 7.5),
        ("450 мин", 7.5),
        ("около 7 ч", 7.0),
    ],
)
def test_hours_in_russian_words(typed: str, hours: float) -> None:
    assert parsing.parse_hours(typed, 16) == parsing.ok(hours)


@pytest.mark.usefixtures("any_language")
@pytest.mark.parametrize(
    ("typed", "minutes"),
    [
        ("90 мин", 90),
        ("90 минут", 90),
        ("1 минута", 1),
        ("2 минуты", 2),
        ("2 ч", 120),
        ("1,5 ч", 90),
        ("2,5 часа", 150),
        ("1 ч 30 мин", 90),
        ("нет", 0),
        ("ноль", 0),
        ("нисколько", 0),
        ("примерно 60", 60),
    ],
)
def test_minutes_in_russian_words(typed: str, minutes: int) -> None:
    assert parsing.parse_minutes(typed, 3000, ask_hours_up_to=10) == parsing.ok(minutes)


@pytest.mark.usefixtures("any_language")
@pytest.mark.parametrize(
    ("typed", "seconds"),
    [
        ("40 с", 40),
        ("40с", 40),
        ("40 сек", 40),
        ("40 сек.", 40),
        ("40 секунд", 40),
        ("1 мин", 60),
        ("1,5 мин", 90),
        ("1 минута", 60),
        ("около 40", 40),
    ],
)
def test_seconds_in_russian_words(typed: str, seconds: int) -> None:
    assert parsing.parse_seconds(typed, 3, 600) == parsing.ok(seconds)


@pytest.mark.usefixtures("any_language")
@pytest.mark.parametrize(
    ("typed", "grams"),
    [
        ("150 г", 150.0),
        ("150г", 150.0),
        ("150 гр", 150.0),
        ("150 грамм", 150.0),
        ("150 граммов", 150.0),
        ("150 г в день", 150.0),
        ("около 150 г", 150.0),
        ("150,5 г", 150.5),
        ("1 200 г", 1200.0),
    ],
)
def test_grams_in_russian_words(typed: str, grams: float) -> None:
    assert parsing.parse_grams(typed, 1500) == parsing.ok(grams)


@pytest.mark.usefixtures("any_language")
@pytest.mark.parametrize(
    ("typed", "kcal"),
    [
        ("2800 ккал", 2800),
        ("2800ккал", 2800),
        ("2800 кал", 2800),
        ("2800 калорий", 2800),
        ("2 400 ккал", 2400),
        (f"2{NBSP}400 ккал", 2400),
        (f"2{NNBSP}400 ккал", 2400),
        ("2400 ккал в день", 2400),
        ("3000 ккал/день", 3000),
        ("2,8 тыс", 2800),
        ("2,8 тыс. ккал", 2800),
        ("3 тысячи", 3000),
        ("2,5к", 2500),
        ("2,5к ккал", 2500),
        ("около 2 400 ккал", 2400),
    ],
)
def test_calories_in_russian_words(typed: str, kcal: int) -> None:
    assert parsing.parse_kcal(typed, 500, 15000) == parsing.ok(kcal)


def test_a_calorie_figure_is_not_a_thousand() -> None:
    """«к» is a thousand only where it does not begin «ккал» or «кал»."""
    assert parsing.parse_kcal("3 ккал", 500, 15000).error == "out_of_range"
    assert parsing.parse_kcal("3 кал", 500, 15000).error == "out_of_range"


@pytest.mark.usefixtures("any_language")
@pytest.mark.parametrize(
    ("typed", "weeks"),
    [
        ("3 недели", 3.0),
        ("1 неделя", 1.0),
        ("5 недель", 5.0),
        ("3 нед", 3.0),
        ("2 месяца", 8.7),
        ("5 месяцев", 21.7),
        ("1 месяц", 4.3),
        ("2 мес.", 8.7),
        ("1 год", 52.0),
        ("1,5 года", 78.0),
        ("5 лет", 260.0),
        ("10 дней", 1.4),
        ("2 дня", 0.3),
        ("неделю назад", 1.0),
        ("месяц назад", 4.3),
        ("3 недели назад", 3.0),
        ("пару недель", 2.0),
        ("несколько месяцев", 13.0),
        ("полгода", 26.0),
        ("полтора года", 78.0),
        ("около 6 недель", 6.0),
    ],
)
def test_weeks_in_russian_words(typed: str, weeks: float) -> None:
    assert parsing.parse_weeks(typed, bare="mw") == parsing.ok(weeks)


@pytest.mark.usefixtures("any_language")
@pytest.mark.parametrize(
    ("typed", "answer"),
    [
        ("да", True),
        ("Да!", True),
        ("ага", True),
        ("угу", True),
        ("конечно", True),
        ("да, конечно", True),
        ("нет", False),
        ("Нет.", False),
        ("неа", False),
        ("не-а", False),
    ],
)
def test_yes_and_no_in_russian(typed: str, answer: bool) -> None:
    assert parsing.parse_yes_no(typed) == parsing.ok(answer)


@pytest.mark.parametrize(
    "typed",
    [
        *("пропустить", "Пропустить", "пропуск", "не знаю", "Не знаю", "незнаю", "—", "–"),
        *("хз", "не помню", "без понятия", "не уверен", "не уверена"),
    ],
)
def test_skip_words_in_russian(typed: str) -> None:
    assert parsing.normalise(typed) in parsing.SKIP_WORDS


@pytest.mark.usefixtures("any_language")
@pytest.mark.parametrize(
    ("typed", "number"),
    [
        ("15 повторений", 15),
        ("15 повторов", 15),
        ("12 раз", 12),
        ("2 раза", 2),
        ("3 упражнения", 3),
        ("5 упражнений", 5),
        ("1 упражнение", 1),
        ("2 дня", 2),
        ("5+ упражнений", 5),
        ("около 4", 4),
        ("15 reps", 15),
    ],
)
def test_counts_with_their_word(typed: str, number: int) -> None:
    assert parsing.parse_whole_number(typed, 0, 100) == parsing.ok(number)


@pytest.mark.usefixtures("any_language")
@pytest.mark.parametrize(
    ("parse", "typed", "error"),
    [
        (lambda t: parsing.parse_weight(t), "90 стоунов", "not_a_weight"),
        (lambda t: parsing.parse_hours(t), "7 дней", "not_hours"),
        # Number words are read in both languages («семь», "seven" are 7), days are no hours.
        (lambda t: parsing.parse_hours(t), "семь дней", "not_hours"),
        (lambda t: parsing.parse_hours(t), "seven days", "not_hours"),
        (lambda t: parsing.parse_grams(t, 800), "150 кг", "not_grams"),
        (lambda t: parsing.parse_kcal(t, 500, 15000), "2400 кг", "not_kcal"),
        (lambda t: parsing.parse_seconds(t, 3, 600), "40 ч", "not_seconds"),
        (lambda t: parsing.parse_weeks(t), "3 часа", "not_a_duration"),
        (lambda t: parsing.parse_yes_no(t), "может быть", "not_yes_no"),
        (lambda t: parsing.parse_whole_number(t, 0, 7), "часто", "not_a_number"),
        (lambda t: parsing.parse_hours(t), "17 ч", "out_of_range"),
    ],
)
def test_russian_answers_refused_say_why(
    parse: Callable[[str], parsing.Parsed[Any]], typed: str, error: str
) -> None:
    assert parse(typed).error == error


# ---- numbers as Russian writes them -----------------------------------------------------------


@pytest.mark.usefixtures("russian")
@pytest.mark.parametrize(
    ("typed", "kcal"),
    [
        ("2 400", 2400),
        ("2 400 ккал", 2400),
        ("12 400", 12400),
        # A lone comma before three digits is first a decimal comma, but 2.4 kcal is out of
        # bounds: the thousands are the only reading left.
        ("2,400", 2400),
        ("2,400 ккал", 2400),
        ("2.400", 2400),
        ("2.400,5", 2400),  # a dot groups, the comma is the decimal one
        ("2,400.5", 2400),  # the English way, told apart by its two separators
        ("1,234,567", None),  # out of range whichever way
    ],
)
def test_calories_written_the_russian_way(typed: str, kcal: int | None) -> None:
    parsed = parsing.parse_kcal(typed, 500, 15000)
    assert parsed == (parsing.ok(kcal) if kcal else parsing.fail("out_of_range"))


@pytest.mark.usefixtures("russian")
def test_a_lone_comma_before_three_digits_may_be_either_and_is_asked_about() -> None:
    """1.2 g or 1200 g of carbs: both within bounds, so the answer is asked about; each
    reading is read back without doubt, in Russian too."""
    parsed = parsing.parse_grams("1,200", 1500)
    assert parsed.error == AMBIGUOUS and parsed.readings == ("1.2 g", "1200 g")
    assert [parsing.parse_grams(reading, 1500).value for reading in parsed.readings] == [
        1.2,
        1200.0,
    ]
    # Where only the decimal reading is within bounds, it is the answer.
    assert parsing.parse_grams("1,200", 800) == parsing.ok(1.2)
    # 1.2 hours (a bare decimal up to 10 is hours) or 1200 minutes of cardio.
    minutes = parsing.parse_minutes("1,200", 3000, ask_hours_up_to=10)
    assert minutes.error == AMBIGUOUS and minutes.readings == ("1.2 hours", "1200 minutes")
    assert [parsing.parse_minutes(r, 3000, ask_hours_up_to=10).value for r in minutes.readings] == [
        72,
        1200,
    ]
    assert parsing.parse_minutes("1,200 мин", 3000) == parsing.ambiguous(
        ["1.2 minutes", "1200 minutes"]
    )


def test_in_english_a_comma_before_three_digits_groups_thousands() -> None:
    assert i18n.current() == "en"
    assert parsing.parse_grams("1,200", 1500) == parsing.ok(1200.0)
    assert parsing.parse_grams("1,200", 800).error == "out_of_range"
    assert parsing.parse_minutes("1,200", 3000, ask_hours_up_to=10) == parsing.ok(1200)
    assert parsing.parse_kcal("2,400", 500, 15000) == parsing.ok(2400)


@pytest.mark.usefixtures("russian")
@pytest.mark.parametrize(
    ("typed", "grams"),
    [
        ("150,5", 150.5),
        ("1 234,5", 1234.5),
        (f"1{NBSP}200 г", 1200.0),
        ("1'200", 1200.0),
        ("2,40", 2.4),
        ("0,400", 0.4),
    ],
)
def test_grams_written_the_russian_way(typed: str, grams: float) -> None:
    assert parsing.parse_grams(typed, 1500) == parsing.ok(grams)


@pytest.mark.usefixtures("russian")
@pytest.mark.parametrize(
    ("number", "readings"),
    [
        ("2,400", [2.4, 2400.0]),
        ("2.400", [2.4, 2400.0]),
        ("2 400", [2400.0]),
        ("2,40", [2.4]),
        ("2,4000", [2.4]),
        ("1.234.567", [1234567.0]),
        ("1 234,5", [1234.5]),
        ("1,234,5", []),
    ],
)
def test_the_readings_of_a_number_in_russian(number: str, readings: list[float]) -> None:
    assert parsing.amounts(number) == readings


@pytest.mark.parametrize("number", ["2,400", "2.400", "2 400", "1,234,567", "2,40"])
def test_in_english_a_number_has_one_reading(number: str) -> None:
    assert parsing.amounts(number) == [a for a in [parsing.to_amount(number)] if a is not None]


@pytest.mark.usefixtures("russian")
def test_decimal_commas_everywhere_else_as_in_english() -> None:
    """Body weight, hours and weeks have no thousands: a comma is a decimal one in both
    languages."""
    assert parsing.parse_hours("7,5") == parsing.ok(7.5)
    assert parsing.parse_weight("82,5") == parsing.ok((82.5, "kg"))
    assert parsing.parse_weeks("2,5 месяца") == parsing.ok(10.8)
    assert parsing.parse_minutes("2,5", 3000, ask_hours_up_to=10) == parsing.ok(150)


# ---- what is asked about, in Russian --------------------------------------------------------


def _weight_in_kg(text: str) -> parsing.Parsed[Any]:
    return parsing.parse_weight(text, "kg", ask_when_unsure=True)


def _weight_in_lb(text: str) -> parsing.Parsed[Any]:
    return parsing.parse_weight(text, "lb", ask_when_unsure=True)


def _months_or_weeks(text: str) -> parsing.Parsed[Any]:
    return parsing.parse_weeks(text, bare="mw")


def _cardio(text: str) -> parsing.Parsed[Any]:
    return parsing.parse_minutes(text, 3000, ask_hours_up_to=10)


@pytest.mark.usefixtures("russian")
@pytest.mark.parametrize(
    ("parse", "typed", "readings"),
    [
        (_weight_in_kg, "180", ("180 kg", "180 lb")),
        (_weight_in_lb, "82,5", ("82.5 lb", "82.5 kg")),
        (_months_or_weeks, "4", ("4 months", "4 weeks")),
        (_months_or_weeks, "2,5", ("2.5 months", "2.5 weeks")),
        (_cardio, "2", ("2 hours", "2 minutes")),
    ],
)
def test_readings_are_written_as_in_english_and_read_back_in_russian(
    parse: Callable[[str], parsing.Parsed[Any]], typed: str, readings: tuple[str, ...]
) -> None:
    """Readings go back to the parser as button values, so they are the same in every
    language (flows.interview shows them in the user's); read in Russian, each is read
    without doubt."""
    answer = parse(typed)
    assert answer.error == AMBIGUOUS and answer.readings == readings
    assert all(parse(reading).ok for reading in readings)


@pytest.mark.usefixtures("russian")
def test_the_russian_way_of_asking_gives_the_same_answers() -> None:
    """«4 месяца» and «4 недели» typed answer the question «4» raised."""
    assert parsing.parse_weeks("4 месяца", bare="mw") == parsing.parse_weeks("4 months")
    assert parsing.parse_weeks("4 недели", bare="mw") == parsing.parse_weeks("4 weeks")
    assert parsing.parse_minutes("2 часа", 3000, 10) == parsing.parse_minutes("2 hours", 3000)
    assert parsing.parse_weight("180 фунт.") == parsing.parse_weight("180 lb")
