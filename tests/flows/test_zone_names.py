"""Time zones as people name them, in the user's language: «Москва (UTC+3)», "Moscow (UTC+3)",
never the IANA id ("Europe/Moscow"), which stays for programs (button values, storage)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from zoneinfo import available_timezones

import pytest

from flows import i18n
from flows.core import Event, Profile
from flows.export import render_summary
from flows.places import CityZone, city_choices, zone_name, zones_for_city
from flows.settings import UpdateSettings
from flows.texts import render
from tests.flows.driver import Chat
from tests.flows.i18n_check import english_words
from tests.flows.test_i18n_files import document

WINTER = datetime(2026, 11, 17, 12, 0, tzinfo=UTC)  # the driver's clock is in November too
SUMMER = datetime(2026, 7, 1, 12, 0, tzinfo=UTC)
# Latin letters a Russian reader may meet in a zone's name: UTC is UTC in Russian too.
LATIN = re.compile(r"[A-Za-z]")


def latin(text: str) -> list[str]:
    return LATIN.findall(text.replace("UTC", ""))


@pytest.mark.parametrize(
    ("zone", "english", "russian"),
    [
        ("Europe/Moscow", "Moscow", "Москва"),
        ("Asia/Yekaterinburg", "Yekaterinburg", "Екатеринбург"),
        ("Asia/Novosibirsk", "Novosibirsk", "Новосибирск"),
        ("Europe/Minsk", "Minsk", "Минск"),
        ("Europe/Kiev", "Kyiv", "Киев"),  # an old id is named as the new one
        ("America/New_York", "New York", "Нью-Йорк"),
        ("Asia/Kolkata", "Delhi", "Дели"),  # as the picker's button names it
        ("europe/berlin", "Berlin", "Берлин"),
    ],
)
def test_a_zone_is_named_by_its_city(zone: str, english: str, russian: str) -> None:
    assert zone_name(zone) == english
    with i18n.use("ru"):
        assert zone_name(zone) == russian


def test_with_a_moment_the_offset_follows_the_city() -> None:
    assert zone_name("Europe/Moscow", WINTER) == "Moscow (UTC+3)"
    assert zone_name("Europe/Berlin", WINTER) == "Berlin (UTC+1)"
    assert zone_name("Europe/Berlin", SUMMER) == "Berlin (UTC+2)"
    assert zone_name("Asia/Kolkata", WINTER) == "Delhi (UTC+5:30)"
    with i18n.use("ru"):
        assert zone_name("Europe/Moscow", WINTER) == "Москва (UTC+3)"
        assert zone_name("America/New_York", WINTER) == "Нью-Йорк (UTC-5)"


@pytest.mark.parametrize("language", ["en", "ru"])
def test_a_zone_that_is_only_an_offset_is_named_by_it(language: str) -> None:
    with i18n.use(language):
        for zone in ("UTC", "Etc/UTC", "GMT", "Etc/GMT+0"):
            assert zone_name(zone) == "UTC" and zone_name(zone, WINTER) == "UTC"
        # Etc/ zones count the other way round: Etc/GMT-3 is three hours ahead of UTC.
        assert zone_name("Etc/GMT-3", WINTER) == "UTC+3"
        assert zone_name("Etc/GMT+5") == "UTC-5"
        [typed] = zones_for_city("UTC+3")
        assert zone_name(typed.zone, WINTER) == "UTC+3"


def test_an_unknown_zone_is_shown_as_it_is() -> None:
    assert zone_name("Nowhere/Land", WINTER) == "Nowhere/Land"


def test_every_zone_has_a_russian_name_without_latin_letters() -> None:
    # Only the old POSIX-style ids ("EST5EDT") have no name in the locale data.
    legacy = re.compile(r"[A-Z]{3}\d[A-Z]{3}|localtime")
    with i18n.use("ru"):
        for zone in available_timezones():
            name = zone_name(zone, WINTER)
            assert not latin(name) or legacy.match(name), (zone, name)


def russian_chat(timezone: str = "UTC") -> Chat:
    return Chat(Profile(user_id=9, language="ru", timezone=timezone))


def test_the_russian_settings_menu_names_the_zone_in_russian() -> None:
    with i18n.use("ru"):
        chat = russian_chat(timezone="Asia/Yekaterinburg")
        [menu] = chat.command("settings")
        text = render(menu)
    assert "Часовой пояс: <b>Екатеринбург (UTC+5)</b>" in text
    assert english_words(text) == [] and "Asia/" not in text


def test_a_user_in_utc_sees_utc_once() -> None:
    chat = Chat(Profile(user_id=9))
    [menu] = chat.command("settings")
    assert "Time zone: <b>UTC</b>\n" in render(menu)


def test_the_zone_picker_keeps_the_current_zone_by_its_name() -> None:
    with i18n.use("ru"):
        chat = russian_chat(timezone="Europe/Minsk")
        chat.command("settings")
        replies = chat.press("settings=zone")
        first = replies[0].choices[0][0]
        assert (first.label, first.value) == ("Оставить Минск", "zone=Europe/Minsk")
        assert all(not latin(choice.label) for row in replies[0].choices for choice in row)
        confirmed, menu = (render(reply) for reply in chat.text("Новосибирск"))
    assert [change.timezone for change in chat.effects if isinstance(change, UpdateSettings)] == [
        "Asia/Novosibirsk"
    ]
    assert "Часовой пояс: <b>Новосибирск</b>, сейчас UTC+7." in confirmed
    assert "Часовой пояс: <b>Новосибирск (UTC+7)</b>" in menu


def test_the_english_picker_and_confirmation_name_the_city() -> None:
    chat = Chat(Profile(user_id=9, timezone="Europe/Minsk"))
    chat.command("settings")
    first = chat.press("settings=zone")[0].choices[0][0]
    assert (first.label, first.value) == ("Keep Minsk", "zone=Europe/Minsk")
    confirmed = chat.send(Event.location(55.75, 37.62))
    assert "Time zone: <b>Moscow</b>, UTC+3 right now." in render(confirmed[0])


def test_namesakes_are_told_apart_by_their_zones_names() -> None:
    towns = [
        CityZone("Спрингфилд", "US", "США", "America/Chicago", 116_000),
        CityZone("Спрингфилд", "US", "США", "America/New_York", 155_000),
    ]
    with i18n.use("ru"):
        assert city_choices(towns) == [
            ("Спрингфилд, США (Чикаго)", "America/Chicago"),
            ("Спрингфилд, США (Нью-Йорк)", "America/New_York"),
        ]


def test_the_export_summary_names_the_zones() -> None:
    with i18n.use("ru"):
        russian = render_summary(document())
    assert "Выгружено 17 ноября 2026, 21:40 (Берлин)." in russian
    assert "- Часовой пояс: Берлин (UTC+1)" in russian
    assert "Europe/" not in russian
    english = render_summary(document())
    assert "- Time zone: Berlin (UTC+1)" in english
    assert "at 18:00 (Berlin)" in english and "Europe/" not in english


@pytest.mark.parametrize(
    ("typed", "unit"),
    [
        ("в фунтах", "lb"),
        ("фунты", "lb"),
        ("Фунтами.", "lb"),
        ("килограммы", "kg"),
        ("в килограммах", "kg"),
        ("в кг", "kg"),
        ("in pounds", "lb"),
        ("metric system", "kg"),
    ],
)
def test_units_typed_in_words(typed: str, unit: str) -> None:
    with i18n.use("ru"):
        chat = russian_chat()
        chat.command("settings")
        chat.press("settings=units")
        replies = chat.text(typed)
    assert replies[0].key == "settings.units.saved"
    assert [c for c in chat.effects if isinstance(c, UpdateSettings)] == [
        UpdateSettings(weight_unit=unit)
    ]


@pytest.mark.parametrize("typed", ["kg or lb", "в стоунах", "фунты стерлингов"])
def test_other_answers_are_not_a_unit(typed: str) -> None:
    chat = Chat(Profile(user_id=9))
    chat.command("settings")
    chat.press("settings=units")
    assert chat.text(typed)[0].key == "settings.units.not_a_unit"
