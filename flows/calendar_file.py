"""The leg days as an iCalendar file.

Every event holds the workout of its date, built by `flows.planning.workout_on` from the same
plan and lifter as the chat and the reminder. The rep scheme changes in blocks, so one weekly
series cannot carry one workout for ever: each leg weekday gets one series per week of the
scheme cycle, repeating every cycle (`INTERVAL`), and every date of a series has the same
workout.

Its words (the calendar's name, the events' titles and workouts) are in the current language:
the flow builds the file while the user's language is set.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, Timezone, vRecur

from flows.planning import Lifter, Plan, cycle_weeks, day_kind_for, week_index_for, workout_on
from flows.schedule import next_occurrence
from flows.texts import plain
from flows.texts.files import CALENDAR_NAME
from flows.texts.plan import WORKOUT_TITLES, render_workout

_ICAL_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
SESSION_LENGTH = timedelta(hours=1, minutes=15)


def leg_days_calendar(
    plan: Plan,
    local_time: time,
    zone: str,
    lifter: Lifter,
    user_id: int,
    now: datetime,
    weight_unit: str = "kg",
) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Leg Day Coach//legdaycoach//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", CALENDAR_NAME())
    tz = ZoneInfo(zone)
    timezone = _timezone(zone, now.year)
    if timezone is not None:
        calendar.add_component(timezone)
    cycle = cycle_weeks(lifter)
    for weekday in plan.weekdays:
        first = next_occurrence((weekday,), local_time, zone, now).astimezone(tz).date()
        kind = day_kind_for(plan, weekday) or "full"
        for week in range(cycle):
            day = first + timedelta(weeks=week)
            start = datetime.combine(day, local_time, tzinfo=tz)
            workout = workout_on(plan, lifter, day)
            event = Event()
            # A stable UID per weekday and place in the cycle lets a calendar app update the
            # series when the file is imported again.
            place = week_index_for(day) % cycle
            key = f"{user_id}:{weekday}:{place}/{cycle}"
            event.add("uid", f"{hashlib.sha256(key.encode()).hexdigest()[:24]}@legdaycoach")
            event.add("summary", WORKOUT_TITLES[kind])
            event.add("dtstart", start)
            event.add("dtend", start + SESSION_LENGTH)
            event.add("dtstamp", now)
            event.add("rrule", vRecur(freq="WEEKLY", interval=cycle, byday=_ICAL_DAYS[weekday]))
            event.add("description", plain(render_workout(workout, weight_unit)))
            calendar.add_component(event)
    calendar.add_missing_timezones(first_date=date(now.year - 1, 1, 1))
    content: bytes = calendar.to_ical()
    return content


@lru_cache(maxsize=64)
def _timezone(zone: str, year: int) -> Timezone | None:
    """The zone's VTIMEZONE from the year before `year` on (no event lies earlier), worked out
    once per zone and year: its clock changes take longer to compute than the rest of the
    file. It is only read, never changed."""
    try:
        return Timezone.from_tzid(zone, first_date=date(year - 1, 1, 1))
    except ValueError:
        return None
