"""Time zones from a shared location, a city name or a zone name, all offline."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from flows import i18n, places
from flows.places import (
    COMMON_ZONES,
    City,
    canonical_zone,
    city_choices,
    fold_name,
    zone_for_location,
    zones_for_city,
)
from tests.flows.i18n_check import english_words


def zones(name: str) -> list[str]:
    return [city.zone for city in zones_for_city(name)]


# ---- locations ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("latitude", "longitude", "zone"),
    [
        (52.52, 13.405, "Europe/Berlin"),
        (40.7128, -74.006, "America/New_York"),
        (-36.85, 174.76, "Pacific/Auckland"),
        (1.87, -157.4, "Pacific/Kiritimati"),
        (-23.55, -46.63, "America/Sao_Paulo"),
    ],
)
def test_location_on_land_gives_its_zone(latitude: float, longitude: float, zone: str) -> None:
    assert zone_for_location(latitude, longitude) == zone


@pytest.mark.parametrize(
    ("latitude", "longitude"),
    [(30.0, -40.0), (-20.0, -20.0), (0.0, -140.0), (-40.0, -120.0)],
    ids=["north atlantic", "south atlantic", "central pacific", "south pacific"],
)
def test_location_at_sea_gives_no_zone(latitude: float, longitude: float) -> None:
    assert zone_for_location(latitude, longitude) is None


@pytest.mark.parametrize(
    ("latitude", "longitude"),
    [(91.0, 0.0), (0.0, 181.0), (-90.5, 10.0), (float("nan"), 0.0), (0.0, float("inf"))],
)
def test_impossible_coordinates_give_no_zone(latitude: float, longitude: float) -> None:
    assert zone_for_location(latitude, longitude) is None


# ---- cities ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "zone"),
    [
        ("New York", "America/New_York"),
        ("new york city", "America/New_York"),
        ("NEW YORK", "America/New_York"),
        ("São Paulo", "America/Sao_Paulo"),
        ("sao paulo", "America/Sao_Paulo"),
        ("Sao-Paulo", "America/Sao_Paulo"),
        ("Kyiv", "Europe/Kyiv"),
        ("Kiev", "Europe/Kyiv"),
        ("Auckland", "Pacific/Auckland"),
        ("Zurich", "Europe/Zurich"),
        ("  berlin ", "Europe/Berlin"),
        ("St. Petersburg", "Europe/Moscow"),
        ("Saigon", "Asia/Ho_Chi_Minh"),
    ],
)
def test_cities_as_people_type_them(typed: str, zone: str) -> None:
    assert zones(typed)[0] == zone


def test_biggest_city_first_and_one_answer_per_zone() -> None:
    found = zones_for_city("London")
    assert [city.zone for city in found][:2] == ["Europe/London", "America/Toronto"]
    assert found[0].country == "United Kingdom"
    assert found[0].population > found[1].population
    springfields = zones_for_city("Springfield")
    assert len(springfields) >= 2
    assert len({city.zone for city in springfields}) == len(springfields)
    populations = [city.population for city in springfields]
    assert populations == sorted(populations, reverse=True)


def test_a_country_after_a_comma_narrows_the_search() -> None:
    assert zones("London, Canada") == ["America/Toronto"]
    assert zones("London, UK") == ["Europe/London"]
    assert zones("london, gb") == ["Europe/London"]


def test_a_limit_caps_the_answers() -> None:
    assert len(zones_for_city("Springfield", limit=1)) == 1


@pytest.mark.parametrize(
    "typed",
    ["Atlantisville Prime", "", "   ", "x" * 300, "Атлантида Прайм", "Мoscow", "Αθήνα", "東京"],
    ids=["unknown", "empty", "spaces", "too long", "unknown cyrillic", "mixed", "greek", "cjk"],
)
def test_unknown_places_give_nothing(typed: str) -> None:
    """Nothing matches an unknown name, one that mixes Latin and Cyrillic letters (a
    Latin "o" in «Мoscow»), or one in a script that is not indexed."""
    assert zones_for_city(typed) == []


# ---- cities typed in Cyrillic --------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "zone"),
    [
        ("Москва", "Europe/Moscow"),
        ("москва", "Europe/Moscow"),
        ("МОСКВА", "Europe/Moscow"),
        ("Санкт-Петербург", "Europe/Moscow"),
        ("санкт петербург", "Europe/Moscow"),
        ("Питер", "Europe/Moscow"),
        ("Новосибирск", "Asia/Novosibirsk"),
        ("Екатеринбург", "Asia/Yekaterinburg"),
        ("Киев", "Europe/Kyiv"),
        ("Київ", "Europe/Kyiv"),
        ("Алматы", "Asia/Almaty"),
        ("Алма-Ата", "Asia/Almaty"),
        ("Берлин", "Europe/Berlin"),
        ("Нью-Йорк", "America/New_York"),
        ("нью йорк", "America/New_York"),
        ("Орёл", "Europe/Moscow"),
        ("Минск", "Europe/Minsk"),
        ("  Токио ", "Asia/Tokyo"),
    ],
)
def test_cities_typed_in_cyrillic(typed: str, zone: str) -> None:
    assert zones(typed)[0] == zone


def test_a_city_found_by_its_cyrillic_name_is_labelled_with_it() -> None:
    with i18n.use("ru"):
        assert zones_for_city("москва")[0].label == "Москва, Россия"
        assert zones_for_city("Нью Йорк")[0].label == "Нью-Йорк, Соединенные Штаты"
        assert zones_for_city("санкт петербург")[0].label == "Санкт-Петербург, Россия"
        assert zones_for_city("Berlin")[0].label == "Berlin, Германия"
    assert zones_for_city("Москва")[0].label == "Москва, Russia"
    assert zones_for_city("Moscow")[0].label == "Moscow, Russia"


def test_a_country_typed_in_russian_narrows_the_search() -> None:
    assert zones("Лондон")[:2] == ["Europe/London", "America/Toronto"]
    assert zones("Лондон, Канада") == ["America/Toronto"]
    assert zones("Лондон, Великобритания") == ["Europe/London"]
    assert zones("Лондон, Англия") == ["Europe/London"]
    assert zones("Москва, США") == ["America/Los_Angeles"]
    assert zones("Москва, Россия") == ["Europe/Moscow"]
    assert zones("Москва, РФ") == ["Europe/Moscow"]
    assert zones("London, Канада") == ["America/Toronto"]
    with i18n.use("ru"):
        (toronto,) = zones_for_city("Лондон, Канада")
        assert toronto.label == "Лондон, Канада"


def test_common_zones_are_named_in_the_users_language() -> None:
    english = list(COMMON_ZONES)
    with i18n.use("ru"):
        russian = list(COMMON_ZONES)
        assert COMMON_ZONES[9] == ("Москва", "Europe/Moscow")
    assert [zone for _, zone in russian] == [zone for _, zone in english]
    assert ("Moscow", "Europe/Moscow") in english
    assert ("Москва", "Europe/Moscow") in russian
    assert [english_words(label) for label, _ in russian] == [[] for _ in russian]
    assert len({label for label, _ in russian}) == len(russian)


@pytest.mark.parametrize(
    ("typed", "zone"),
    [
        ("Europe/Berlin", "Europe/Berlin"),
        ("europe/berlin", "Europe/Berlin"),
        ("Pacific/Kiritimati", "Pacific/Kiritimati"),
        ("UTC", "UTC"),
        ("utc", "UTC"),
        ("UTC+3", "Etc/GMT-3"),
        ("GMT-5", "Etc/GMT+5"),
        ("UTC+14", "Etc/GMT-14"),
    ],
)
def test_zone_names_and_whole_hour_offsets(typed: str, zone: str) -> None:
    assert zones(typed) == [zone]


def test_offset_zones_run_the_right_way() -> None:
    (zone,) = zones("UTC+3")
    offset = datetime(2026, 1, 1, tzinfo=UTC).astimezone(ZoneInfo(zone)).utcoffset()
    assert offset is not None and offset.total_seconds() == 3 * 3600


def test_offsets_that_do_not_exist_give_nothing() -> None:
    assert zones_for_city("UTC+15") == []
    assert zones_for_city("UTC-13") == []


def test_folding_ignores_case_accents_and_punctuation() -> None:
    assert fold_name("São Paulo") == fold_name("sao-paulo") == "sao paulo"
    assert fold_name("Sa\u0303o Paulo") == "sao paulo"  # an accent typed apart
    assert fold_name("Łódź") == "lodz"
    assert fold_name("St. Gallen") == fold_name("Sankt Gallen")


def test_cyrillic_names_fold_the_same_way() -> None:
    assert fold_name("Санкт-Петербург") == fold_name("санкт петербург") == "санкт петербург"
    assert fold_name("Орёл") == fold_name("ОРЕЛ") == "орел"
    assert fold_name("Нью-Йорк") == "нью йорк"
    assert fold_name("Кам\u02bcянське") == fold_name("Кам'янське") == "кам янське"
    assert fold_name("«Москва»") == "москва"
    assert fold_name("Мoscow") == ""  # Latin and Cyrillic letters mixed
    assert fold_name("Αθήνα") == ""


def test_common_zones_are_real_and_distinct() -> None:
    labels = [label for label, _ in COMMON_ZONES]
    names = [zone for _, zone in COMMON_ZONES]
    assert len(set(labels)) == len(labels)
    assert len(set(names)) == len(names)
    assert all(canonical_zone(zone) == zone for zone in names)
    assert {"Europe/London", "America/New_York", "Asia/Tokyo", "UTC"} <= set(names)


# ---- the lookup is injected: flows read no files ------------------------------------------


class TwoTowns:
    """A place lookup with two namesakes and one country, as a test stands it up."""

    def cities(self, key: str) -> list[City]:
        towns = {
            "springfield": [
                City("Springfield", "US", "America/Chicago", 116_000),
                City("Springfield", "US", "America/New_York", 155_000),
            ]
        }
        return towns.get(key, [])

    def country_code(self, folded_name: str) -> str | None:
        return {"us": "US", "united states": "US"}.get(folded_name)

    def country_name(self, code: str) -> str:
        return {"US": "United States"}.get(code, "")

    def zone_at(self, latitude: float, longitude: float) -> str | None:
        return "Europe/Lisbon" if latitude > 0 else None

    def preload(self) -> None:
        return None


@pytest.fixture
def two_towns() -> Iterator[None]:
    previous = places._installed()
    places.install(TwoTowns())
    yield
    places.install(previous)


@pytest.mark.usefixtures("two_towns")
def test_cities_come_from_the_installed_lookup() -> None:
    found = zones_for_city("Springfield, USA")
    assert [(city.label, city.zone) for city in found] == [
        ("Springfield, United States", "America/Chicago"),
        ("Springfield, United States", "America/New_York"),
    ]
    assert city_choices(found)[0] == (
        "Springfield, United States (Chicago)",
        "America/Chicago",
    )
    assert zones_for_city("Shelbyville") == []
    assert zones_for_city("Europe/Berlin")[0].zone == "Europe/Berlin"  # no lookup needed


@pytest.mark.usefixtures("two_towns")
def test_locations_come_from_the_installed_lookup() -> None:
    assert zone_for_location(10.0, 10.0) == "Europe/Lisbon"
    assert zone_for_location(-10.0, 10.0) is None
    assert zone_for_location(95.0, 10.0) is None  # checked before the lookup is asked


def test_without_an_installed_lookup_the_error_says_what_to_do(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(places, "_lookup", None)
    with pytest.raises(RuntimeError, match=r"bot\.places_index"):
        zones_for_city("Berlin")
