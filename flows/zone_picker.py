"""The time-zone question, shared by /plan and /settings: buttons for common zones (and the
current one), a typed city or zone name, or a shared location.

A flow shows `ask(...)`, hands each event of that question to `read(...)` and, once it
names a zone, confirms it with `confirmed(...)`. Zones are shown by name in the user's
language (flows.places.zone_name: "Keep Minsk", «Оставить Минск»); button values keep the
IANA id.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flows.core import Choice, Event, EventKind, Reply, rows
from flows.places import (
    COMMON_ZONES,
    CityZone,
    canonical_zone,
    city_choices,
    is_offset_zone,
    is_real_point,
    zone_for_location,
    zone_name,
    zones_for_city,
)
from flows.schedule import utc_offset_label
from flows.texts import TEXTS

# A city ten times bigger than any namesake in another zone is what people mean by its
# name ("Paris", not Paris, Texas); the confirmation shows the zone, so a wrong guess is
# easy to change. A namesake that is a big city itself is always offered, however big the
# first one is: people in St. Petersburg, Florida, or London, Ontario, type their city's
# name as it is.
DOMINANT_CITY_FACTOR = 10
BIG_CITY_POPULATION = 200_000


@dataclass(frozen=True)
class ZoneAnswer:
    """What an event said: a zone, or (zone None) the replies that ask again or narrow down."""

    zone: str | None
    replies: list[Reply] = field(default_factory=list)


def ask(prompt_key: str, current: str | None) -> list[Reply]:
    """The question: `prompt_key` with zone buttons, then a location button of its own."""
    choices = [Choice(label, f"zone={zone}") for label, zone in COMMON_ZONES]
    if current and current != "UTC":
        keep = TEXTS["zone.choice.keep"].format(zone=zone_name(current))
        choices.insert(0, Choice(keep, f"zone={current}"))
    return [
        Reply(prompt_key, choices=rows(choices, 3)),
        Reply(
            "zone.share_location",
            {"location_label": TEXTS["zone.choice.share_location"]},
            request_location=True,
        ),
    ]


def read(event: Event, prompt_key: str, current: str | None) -> ZoneAnswer | None:
    """The answer to the zone question in `event`; None when the event is not about a zone
    (another button, a sticker), which the flow answers itself."""
    if event.kind is EventKind.LOCATION:
        zone = zone_for_location(event.latitude or 0.0, event.longitude or 0.0)
        if zone is not None:
            return ZoneAnswer(zone)
        at_sea = is_real_point(event.latitude, event.longitude)
        problem = Reply("zone.at_sea" if at_sea else "zone.bad_location")
        return ZoneAnswer(None, [problem, *ask(prompt_key, current)])
    if event.kind is EventKind.BUTTON:
        target, _, value = event.text.partition("=")
        zone = canonical_zone(value) if target == "zone" else None
        return ZoneAnswer(zone) if zone is not None else None
    if event.kind is EventKind.TEXT:
        return _typed_place(event.text, prompt_key, current)
    return None


def _typed_place(text: str, prompt_key: str, current: str | None) -> ZoneAnswer:
    matches = zones_for_city(text)
    if not matches:
        not_found = Reply("zone.not_found", {"text": text[:60]})
        return ZoneAnswer(None, [not_found, *ask(prompt_key, current)])
    others = [match for match in matches[1:] if match.zone != matches[0].zone]
    if all(_dwarfs(matches[0], other) for other in others):
        return ZoneAnswer(matches[0].zone)
    choices = [Choice(label, f"zone={zone}") for label, zone in city_choices(matches)]
    return ZoneAnswer(None, [Reply("zone.pick", {"text": text[:60]}, choices=rows(choices, 1))])


def _dwarfs(city: CityZone, namesake: CityZone) -> bool:
    """Whether `city` is what people mean by a name they share."""
    return (
        namesake.population < BIG_CITY_POPULATION
        and city.population >= DOMINANT_CITY_FACTOR * namesake.population
    )


def confirmed(zone: str, now: datetime) -> Reply:
    if is_offset_zone(zone):
        # Its name is its offset ("UTC+2"): said once.
        return Reply("zone.confirmed_offset", {"zone": zone_name(zone), "remove_keyboard": True})
    return Reply(
        "zone.confirmed",
        {
            "zone": zone_name(zone),
            "offset": utc_offset_label(zone, now),
            "remove_keyboard": True,
        },
    )
