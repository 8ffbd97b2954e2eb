"""Plans, reminders and calendar events never contradict the diagnosis they come from.

Assessment answers are generated over a grid (experience, form checked, weight before form,
explosive reps, leg days, recovery); each is judged by `flows.rules.evaluate`, then put
through the /plan conversation as a user would, and every workout the lifter can see (the
chat's next workouts, each reminder, each calendar event) is checked against that diagnosis.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from flows.core import Event, Profile, Reply
from flows.leg_plan import SavePlan
from flows.planning import BLOCK_WEEKS, Workout, days_apart, week_index_for
from flows.reminders import leg_day_message, leg_day_workout
from flows.rules import Diagnosis, Status, evaluate
from flows.texts import plain, render
from flows.texts.plan import EXERCISE_NAMES
from tests.flows.driver import Chat

EXPERIENCES = ("beginner", "intermediate", "advanced", None)
FORM_CHECKED = (True, False, None)
CHASES_HEAVY = (True, False)
EXPLOSIVE_REPS = (True, False)
LEG_DAYS = (1, 2, 3)
RECOVERY = ("good", "average", "poor")
ZONES = ("Europe/Berlin", "America/New_York", "Asia/Tokyo", "UTC")
GRID = list(
    itertools.product(EXPERIENCES, FORM_CHECKED, CHASES_HEAVY, EXPLOSIVE_REPS, LEG_DAYS, RECOVERY)
)
START = datetime(2026, 11, 16, 6, 0, tzinfo=UTC)  # a Monday

# What a lifter reads as a cue to lift fast or heavy.
FAST_OR_HEAVY = re.compile(r"\b(fast|explosive|explosively|heavy)\b|⚡", re.IGNORECASE)
# Exercises by what they train and how: kept here, apart from the planner's own tables.
FRONT = {"back_squat", "leg_press", "hack_squat", "leg_extension"}
BACK = {"romanian_deadlift", "lying_leg_curl", "seated_leg_curl"}
GLUTES = {"hip_thrust"}
CALVES = {"standing_calf_raise", "seated_calf_raise"}
COMPOUND = {"back_squat", "leg_press", "hack_squat", "romanian_deadlift", "hip_thrust"}
ISOLATION = {"leg_extension", "lying_leg_curl", "seated_leg_curl"}
ALLOWED = {"front": FRONT | CALVES, "back": BACK | GLUTES | CALVES}


def answers_for(case: tuple[Any, ...]) -> dict[str, Any]:
    experience, form_checked, chases_heavy, explosive, leg_days, recovery = case
    answers: dict[str, Any] = {
        "recovery": recovery,
        "weight_kg": 80.0,
        "weight_unit": "kg",
        "leg_days_per_week": leg_days,
        "leg_training": "free_weights",
        "front_exercises": 3,
        "back_exercises": 2,
        "accessory_reps": 12,
        "trains_calves": True,
        "calf_set_seconds": 40,
        "weeks_since_program_change": 10.0,
        "form_checked": form_checked,
        "chases_heavy": chases_heavy,
        "explosive_reps": explosive,
    }
    if experience is not None:
        answers["experience"] = experience
    if leg_days >= 2:
        answers["consecutive_leg_days"] = False
    return answers


@dataclass(frozen=True)
class Seen:
    """Everything one lifter is shown about their leg days."""

    diagnosis: Diagnosis
    answers: dict[str, Any]
    saved: SavePlan
    now: datetime
    previews: list[Reply]
    calendar: Calendar
    unit: str


def plan_as_a_user_would(index: int, case: tuple[Any, ...]) -> Seen:
    answers = answers_for(case)
    diagnosis = evaluate(answers)  # type: ignore[arg-type]
    zone = ZONES[index % len(ZONES)]
    unit = ("kg", "lb")[index % 2]
    # A different moment of the week for each lifter, so every weekday order is met.
    now = START + timedelta(hours=17 * index)
    problem_ids = tuple(finding.rule_id for finding in diagnosis.problems)
    profile = Profile(
        user_id=index,
        weight_unit=unit,
        timezone=zone,
        latest_answers=answers,  # type: ignore[typeddict-item]
        latest_problem_ids=problem_ids,
    )
    chat = Chat(profile)
    chat.send(Event.command("plan"), now)
    chat.send(_button(chat, "plan=keep"), now)
    chat.send(Event.typed("18:00"), now)
    replies = chat.send(_button(chat, f"zone={zone}"), now)
    [saved] = [effect for effect in chat.effects if isinstance(effect, SavePlan)]
    previews = [reply for reply in replies if reply.key.startswith("plan.workout_")]
    with_plan = Chat(
        Profile(
            user_id=index,
            weight_unit=unit,
            timezone=saved.timezone,
            latest_answers=answers,  # type: ignore[typeddict-item]
            latest_problem_ids=problem_ids,
            plan_weekdays=saved.weekdays,
            plan_split=saved.split,
            reminder_time=saved.reminder_time,
            plan_scheme_shift=saved.scheme_shift or 0,
        )
    )
    [calendar_reply] = with_plan.send(Event.command("calendar"), now)
    assert calendar_reply.attachment is not None
    calendar = Calendar.from_ical(calendar_reply.attachment.content)
    return Seen(diagnosis, answers, saved, now, previews, calendar, unit)


def _button(chat: Chat, value: str) -> Event:
    assert chat.conversation is not None
    return Event.button(value, token=chat.conversation.token)


def calendar_days(calendar: Calendar, weeks: int) -> dict[date, str]:
    """Each event date of the first `weeks` weeks, to its description."""
    events = list(calendar.walk("VEVENT"))
    first = min(event.decoded("dtstart").date() for event in events)
    days: dict[date, str] = {}
    for event in events:
        step = timedelta(weeks=int(event["rrule"]["INTERVAL"][0]))
        day = event.decoded("dtstart").date()
        while day < first + timedelta(weeks=weeks):
            assert day not in days, "two events on one leg day"
            days[day] = str(event["description"])
            day += step
    return days


def must_be_technique_first(seen: Seen) -> bool:
    """The diagnosis puts form first: a technique problem, or the form not checked yet."""
    technique = seen.diagnosis.finding("technique")
    assert technique is not None
    return technique.status is Status.PROBLEM or seen.answers["form_checked"] is not True


def must_go_explosive(seen: Seen) -> bool:
    """The diagnosis tells this lifter to lift the basics fast."""
    finding = seen.diagnosis.finding("explosive")
    assert finding is not None
    return finding.status is Status.PROBLEM and finding.values.get("advice") == "go_explosive"


def check_workout(seen: Seen, workout: Workout, text: str) -> None:
    names = [exercise.name for exercise in workout.exercises]
    # Compound lifts before isolation, calves last.
    kinds = [0 if n in COMPOUND else 1 if n in ISOLATION else 2 for n in names]
    assert kinds == sorted(kinds), names
    assert names[-1] in CALVES
    # Each half of a split trains its own half of the thigh.
    if workout.day_kind in ALLOWED:
        assert set(names) <= ALLOWED[workout.day_kind], (workout.day_kind, names)
    # No heavy, low-rep basics and no cue to lift fast while form comes first.
    if must_be_technique_first(seen):
        assert not FAST_OR_HEAVY.search(text), text
        assert workout.scheme != "giant"
        for exercise in workout.exercises:
            if not exercise.timed:
                assert min(exercise.rep_counts) >= 8, exercise
    if must_go_explosive(seen):
        assert "drive the weight up fast" in text
    # Every exercise but the basics keeps to 15 reps or more, and names are shown in order.
    for exercise in workout.exercises:
        if not exercise.basic and not exercise.timed:
            assert min(exercise.rep_counts) >= 15, exercise
    positions = [text.find(EXERCISE_NAMES[name]) for name in names]
    assert -1 not in positions and positions == sorted(positions)
    step = "add 2.5 kg" if seen.unit == "kg" else "add 5 lb"
    assert step in text


def local_leg_days(seen: Seen, weeks: int) -> list[date]:
    """The lifter's leg days from today on, in their own zone."""
    today = seen.now.astimezone(ZoneInfo(seen.saved.timezone)).date()
    days = (today + timedelta(days=n) for n in range(7 * weeks))
    return [day for day in days if day.weekday() in seen.saved.weekdays]


@pytest.mark.parametrize(("index", "case"), list(enumerate(GRID)), ids=lambda value: str(value))
def test_plan_reminders_and_calendar_follow_the_diagnosis(
    index: int, case: tuple[Any, ...]
) -> None:
    seen = plan_as_a_user_would(index, case)
    saved = seen.saved

    # The plan: as many leg days as the diagnosis recommends, never back to back.
    frequency = seen.diagnosis.finding("frequency")
    assert frequency is not None
    assert len(saved.weekdays) == frequency.values["recommended_leg_days"]
    assert saved.split is (len(saved.weekdays) == 2)
    if saved.split:
        assert days_apart(*saved.weekdays) >= 2

    # The reminders over a whole scheme cycle: the workout of each day follows the diagnosis,
    # and rep ranges stay the same inside a block.
    cycle_weeks = 3 * BLOCK_WEEKS
    by_block: dict[tuple[int, int], Workout] = {}
    reminders: dict[date, str] = {}
    for day in local_leg_days(seen, cycle_weeks + 1):
        # The stored plan's place in the rep-scheme rotation, as the dispatcher passes it.
        shift = saved.scheme_shift or 0
        workout = leg_day_workout(
            day,
            saved.split,
            saved.weekdays,
            saved.experience,
            saved.explosive,
            scheme_shift=shift,
        )
        message = leg_day_message(
            1,
            day,
            saved.split,
            saved.weekdays,
            saved.experience,
            saved.explosive,
            seen.unit,
            scheme_shift=shift,
        )
        reminders[day] = plain(message.text_html)
        check_workout(seen, workout, message.text_html)
        block = (day.weekday(), (week_index_for(day) + shift) // BLOCK_WEEKS)
        assert by_block.setdefault(block, workout).exercises == workout.exercises

    # The chat shows the coming leg days in date order, the first being the next one.
    shown = [
        datetime.strptime(f"{reply.values['day']} {year}", "%A %d %B %Y").date()
        for reply in seen.previews
        for year in [_year_of(reply.values["day"], seen)]
    ]
    zone = ZoneInfo(saved.timezone)
    reminder_time = time.fromisoformat(saved.reminder_time)
    upcoming = [
        day
        for day in local_leg_days(seen, 2)
        if datetime.combine(day, reminder_time, tzinfo=zone) > seen.now
    ][: len(saved.weekdays)]
    assert shown == upcoming
    for reply, day in zip(seen.previews, shown, strict=True):
        assert reminders[day].endswith(plain(reply.values["workout_html"]))
        assert not (must_be_technique_first(seen) and FAST_OR_HEAVY.search(render(reply)))

    # The calendar: one event per leg day, each with the workout the reminder sends that day.
    for day, description in calendar_days(seen.calendar, cycle_weeks).items():
        assert day.weekday() in saved.weekdays
        if day in reminders:
            assert reminders[day].endswith(description)
        if must_be_technique_first(seen):
            assert not FAST_OR_HEAVY.search(description), description


def _year_of(label: str, seen: Seen) -> int:
    """Labels name no year: the shown day is within a week of now."""
    today = seen.now.astimezone(ZoneInfo(seen.saved.timezone)).date()
    for offset in range(8):
        day = today + timedelta(days=offset)
        if label.endswith(f"{day.day} {day.strftime('%B')}"):
            return day.year
    raise AssertionError(f"{label} is not within a week of {today}")


def test_the_grid_meets_every_kind_of_lifter() -> None:
    seen = [answers_for(case) for case in GRID]
    diagnoses = [evaluate(answers) for answers in seen]  # type: ignore[arg-type]
    technique = [d.finding("technique") for d in diagnoses]
    assert {f.status for f in technique if f is not None} == set(Status)
    explosive = [d.finding("explosive") for d in diagnoses]
    advice = {f.values.get("advice") for f in explosive if f is not None}
    assert {"go_explosive", "form_first"} <= advice
    recommended = {d.finding("frequency").values["recommended_leg_days"] for d in diagnoses}  # type: ignore[union-attr]
    assert recommended == {1, 2}
