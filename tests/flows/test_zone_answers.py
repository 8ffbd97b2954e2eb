"""Answers to the time-zone question as people type them: abbreviations («мск», "EST"),
offsets on their own ("+3"), the words around a city ("I live in Toronto", «в Москве»), and
cities that share a name with another big city."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from flows import i18n
from flows.core import Event, Profile
from flows.places import zones_for_city
from flows.texts import render
from flows.zone_picker import read
from tests.flows.driver import Chat

SUMMER = datetime(2026, 7, 1, 12, 0, tzinfo=UTC)


def zones(typed: str) -> list[str]:
    return [city.zone for city in zones_for_city(typed)]


def hours_ahead(zone: str, at: datetime) -> float:
    offset = at.astimezone(ZoneInfo(zone)).utcoffset()
    assert offset is not None
    return offset.total_seconds() / 3600


# ---- abbreviations -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "zone"),
    [
        ("EST", "America/New_York"),
        ("edt", "America/New_York"),
        ("ET", "America/New_York"),
        ("E.S.T.", "America/New_York"),
        ("Eastern time", "America/New_York"),
        ("CST", "America/Chicago"),
        ("MDT", "America/Denver"),
        ("PST", "America/Los_Angeles"),
        ("PT", "America/Los_Angeles"),
        ("AKST", "America/Anchorage"),
        ("HST", "Pacific/Honolulu"),
        ("BST", "Europe/London"),
        ("GMT", "Europe/London"),
        ("gmt", "Europe/London"),
        ("UK", "Europe/London"),
        ("UK time", "Europe/London"),
        ("WET", "Europe/Lisbon"),
        ("CET", "Europe/Berlin"),
        ("CEST", "Europe/Berlin"),
        ("EET", "Europe/Kyiv"),
        ("MSK", "Europe/Moscow"),
        ("МСК", "Europe/Moscow"),
        ("Мск", "Europe/Moscow"),
        ("мск", "Europe/Moscow"),
        ("по мск", "Europe/Moscow"),
        ("IST", "Asia/Kolkata"),
        ("JST", "Asia/Tokyo"),
        ("KST", "Asia/Seoul"),
        ("HKT", "Asia/Hong_Kong"),
        ("SGT", "Asia/Singapore"),
        ("AEST", "Australia/Sydney"),
        ("ACST", "Australia/Adelaide"),
        ("AWST", "Australia/Perth"),
        ("NZDT", "Pacific/Auckland"),
        ("I'm on EST", "America/New_York"),
    ],
)
def test_zone_abbreviations_name_the_zone_people_mean(typed: str, zone: str) -> None:
    """Never a city: "BST" found Lashkar Gah (its other name), "IST" Istanbul."""
    assert zones(typed) == [zone]


def test_eastern_time_keeps_summer_time() -> None:
    """The IANA "EST" zone is UTC-5 all year; people on EST mean New York's clocks."""
    (zone,) = zones("EST")
    assert hours_ahead(zone, SUMMER) == -4


# ---- offsets -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "hours"),
    [
        ("+3", 3),
        ("-5", -5),
        ("+03:00", 3),
        ("utc −3", -3),  # a typographic minus
        ("GMT+2", 2),
        ("мск+4", 7),
        ("МСК +4", 7),
        ("msk-1", 2),
        ("+5:30", 5.5),
        ("UTC+5:30", 5.5),
        ("+0530", 5.5),
        ("+5:45", 5.75),
        ("-3:30", -3.5),
    ],
)
def test_offsets_typed_alone_or_from_moscow_time(typed: str, hours: float) -> None:
    (zone,) = zones(typed)
    assert hours_ahead(zone, datetime(2026, 1, 15, tzinfo=UTC)) == hours


def test_whole_hour_offsets_stay_offsets() -> None:
    assert zones("GMT+2") == ["Etc/GMT-2"]
    assert zones("+3") == ["Etc/GMT-3"]
    assert zones("мск+4") == ["Etc/GMT-7"]
    assert zones("мск+0") == ["Europe/Moscow"]
    assert zones("+0") == ["UTC"]
    assert zones("+5:30") == ["Asia/Kolkata"]


@pytest.mark.parametrize("typed", ["+15", "-13", "+5:20", "+5:75", "мск+12", "3", "+"])
def test_offsets_that_do_not_exist_give_nothing(typed: str) -> None:
    assert zones(typed) == []


# ---- the words around a city ------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "zone"),
    [
        ("I live in Toronto", "America/Toronto"),
        ("in Toronto", "America/Toronto"),
        ("I'm in Toronto", "America/Toronto"),
        ("Toronto, Canada", "America/Toronto"),
        ("I live in Toronto, Canada", "America/Toronto"),
        ("I'm from Leeds", "Europe/London"),
        ("Moscow time", "Europe/Moscow"),
        ("Tokyo time", "Asia/Tokyo"),
        ("я живу в Москве", "Europe/Moscow"),
        ("в Москве", "Europe/Moscow"),
        ("Москве", "Europe/Moscow"),
        ("по Москве", "Europe/Moscow"),
        ("живу в Санкт-Петербурге", "Europe/Moscow"),
        ("в Нижнем Новгороде", "Europe/Moscow"),
        ("в Ростове-на-Дону", "Europe/Moscow"),
        ("я из Твери", "Europe/Moscow"),
        ("под Питером", "Europe/Moscow"),
        ("из Ярославля", "Europe/Moscow"),
        ("в Уфе", "Asia/Yekaterinburg"),
        ("в Перми", "Asia/Yekaterinburg"),
        ("в Екатеринбурге", "Asia/Yekaterinburg"),
        ("в Киеве", "Europe/Kyiv"),
        ("в Нью-Йорке", "America/New_York"),
        ("в Алматы", "Asia/Almaty"),
        ("в Сочи", "Europe/Moscow"),
        ("г. Тверь", "Europe/Moscow"),
        ("город Тверь", "Europe/Moscow"),
    ],
)
def test_a_city_among_the_words_people_put_around_it(typed: str, zone: str) -> None:
    assert zones(typed)[0] == zone


def test_a_city_found_in_a_case_form_is_labelled_by_its_name() -> None:
    with i18n.use("ru"):
        assert zones_for_city("я живу в Москве")[0].label == "Москва, Россия"
        assert zones_for_city("в Санкт-Петербурге")[0].label == "Санкт-Петербург, Россия"


def test_a_city_whose_name_starts_like_those_words_is_found_as_typed() -> None:
    assert zones_for_city("Городец")[0].name == "Городец"
    assert zones_for_city("Inverness")[0].zone == "Europe/London"


# ---- namesakes -------------------------------------------------------------------------------


def typed_answer(text: str) -> list[tuple[str, str]]:
    """(label, value) of the choices offered for a typed city; [] when it is taken as is."""
    answer = read(Event.typed(text), "zone.prompt", None)
    assert answer is not None
    if answer.zone is not None:
        return []
    assert answer.replies[0].key == "zone.pick"
    return [(choice.label, choice.value) for row in answer.replies[0].choices for choice in row]


def test_a_big_namesake_is_offered_however_big_the_first_city_is() -> None:
    assert typed_answer("st petersburg")[:2] == [
        ("Saint Petersburg, Russia", "zone=Europe/Moscow"),
        ("St. Petersburg, United States", "zone=America/New_York"),
    ]
    assert [value for _, value in typed_answer("London")][:2] == [
        "zone=Europe/London",
        "zone=America/Toronto",
    ]
    assert typed_answer("Manchester") and typed_answer("Springfield")


@pytest.mark.parametrize("typed", ["Paris", "Moscow", "Sydney", "Los Angeles", "Санкт-Петербург"])
def test_a_city_far_bigger_than_its_small_namesakes_is_taken(typed: str) -> None:
    assert typed_answer(typed) == []


# ---- the confirmation ------------------------------------------------------------------------


def confirmation(typed: str) -> str:
    chat = Chat(Profile(user_id=9, timezone="Europe/Minsk"))
    chat.command("settings")
    chat.press("settings=zone")
    return render(chat.text(typed)[0])


def test_a_zone_named_by_its_offset_is_confirmed_without_repeating_it() -> None:
    assert confirmation("GMT+2") == "Time zone: <b>UTC+2</b>."
    assert confirmation("UTC") == "Time zone: <b>UTC</b>."
    assert confirmation("мск+4") == "Time zone: <b>UTC+7</b>."


def test_a_city_zone_is_confirmed_with_its_offset_now() -> None:
    assert confirmation("gmt") == "Time zone: <b>London</b>, UTC right now."
    assert confirmation("+5:30") == "Time zone: <b>Delhi</b>, UTC+5:30 right now."
    assert confirmation("EST") == "Time zone: <b>New York</b>, UTC-5 right now."
