"""The leg days as an iCalendar file: one weekly recurring event per leg day."""

from __future__ import annotations

import hashlib
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vRecur

from flows.planning import Plan, Workout, build_workout, day_kind_for, week_index_for
from flows.schedule import next_occurrence
from flows.texts import plain
from flows.texts.plan import ROTATION_NOTE, SCHEME_LINES, WORKOUT_TITLES, render_workout

_ICAL_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
SESSION_LENGTH = timedelta(hours=1, minutes=15)


def leg_days_calendar(
    plan: Plan,
    local_time: time,
    zone: str,
    experience: str,
    user_id: int,
    now: datetime,
    weight_unit: str = "kg",
) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Leg Day Coach//legdaycoach//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Leg days")
    tz = ZoneInfo(zone)
    for weekday in plan.weekdays:
        first = next_occurrence((weekday,), local_time, zone, now).astimezone(tz)
        kind = day_kind_for(plan, weekday) or "full"
        workout = build_workout(kind, experience, week_index_for(first.date()))
        event = Event()
        # A stable UID lets a calendar app update the event when the file is imported again.
        uid = hashlib.sha256(f"{user_id}:{weekday}".encode()).hexdigest()[:24]
        event.add("uid", f"{uid}@legdaycoach")
        event.add("summary", WORKOUT_TITLES[kind])
        event.add("dtstart", first)
        event.add("dtend", first + SESSION_LENGTH)
        event.add("dtstamp", now)
        event.add("rrule", vRecur(freq="WEEKLY", byday=_ICAL_DAYS[weekday]))
        event.add("description", _description(workout, weight_unit))
        calendar.add_component(event)
    calendar.add_missing_timezones()
    content: bytes = calendar.to_ical()
    return content


def _description(workout: Workout, weight_unit: str) -> str:
    """The workout without this week's scheme line: the event repeats every week and the
    scheme rotates, so the calendar names the rotation and the reminder the week's version."""
    lines = plain(render_workout(workout, weight_unit)).splitlines()
    scheme_line = plain(SCHEME_LINES[workout.scheme])
    kept = [line for line in lines if line != scheme_line]
    return "\n".join([kept[0], plain(ROTATION_NOTE), *kept[1:]])
