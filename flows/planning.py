"""Leg-day plans: which weekdays, and what each leg day holds.

A lifter who recovers well trains legs twice a week: day A works the front thigh and calves,
day B the back thigh, glutes and calves, with at least one rest day between them (weeks wrap,
so Sunday and Monday are neighbours too). Everyone else gets one full leg day a week.

Each workout starts with the heavy basic lifts; every other exercise keeps to 15 reps or more
per set. The front thigh gets 3-4 exercises, the back thigh 2-3, beginners the low end with the
focus on clean technique. Calf sets are timed by goal (20 s strength, 40 s mass, 60 s
endurance). The rep scheme rotates every week, straight sets -> pyramid -> giant sets, so the
program never stays the same for long.

Weekdays are ints, 0 = Monday .. 6 = Sunday. Exercise names and notes are keys: the display
text lives in flows.texts.plan.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from flows.answers import Answers, Experience

DayKind = Literal["front", "back", "full"]
Scheme = Literal["straight", "pyramid", "giant"]
CalfGoal = Literal["strength", "mass", "endurance"]
WeekdayProblem = Literal["adjacent", "wrong_count", "duplicate"]

WEEKDAYS = range(7)
SCHEMES: tuple[Scheme, ...] = ("straight", "pyramid", "giant")
# Seconds one calf set should last for each goal; this coach is about size, so mass is default.
CALF_SET_SECONDS: dict[str, int] = {"strength": 20, "mass": 40, "endurance": 60}
DEFAULT_CALF_GOAL: CalfGoal = "mass"
MIN_ACCESSORY_REPS = 15

# Article 1's example pair: Tuesday and Friday. One full day sits mid-week.
SPLIT_WEEKDAYS = (1, 4)
SINGLE_WEEKDAYS = (2,)
# With two days in a seven-day week the most even spacing is 3 days one way, 4 the other.
_EVEN_OFFSETS = (3, 4)

# (front-thigh exercises, back-thigh exercises) on a split day, by experience.
_SPLIT_COUNTS: dict[str, tuple[int, int]] = {
    "beginner": (3, 2),
    "intermediate": (4, 2),
    "advanced": (4, 3),
}
# A full day holds both halves, so it keeps to the low end whatever the level.
_FULL_COUNTS = (3, 2)


@dataclass(frozen=True)
class Exercise:
    """One exercise of a workout. `name` is its key ("back_squat"), `note` a note key or "".

    `reps` reads as written: "6-8" a range, "12-10-8-6" reps per set of a pyramid, "40 s" a
    timed set.
    """

    name: str
    sets: int
    reps: str
    basic: bool
    note: str = ""

    @property
    def timed(self) -> bool:
        return self.reps.endswith(" s")


@dataclass(frozen=True)
class Workout:
    """One leg day. `focus` is "explosive" (lift fast, lower under control) for those whose
    form allows it, "technique" (clean, controlled reps) for everyone else."""

    day_kind: DayKind
    scheme: Scheme
    exercises: tuple[Exercise, ...]
    calf_set_seconds: int
    experience: str
    focus: str

    @property
    def basics(self) -> tuple[Exercise, ...]:
        return tuple(exercise for exercise in self.exercises if exercise.basic)

    @property
    def accessories(self) -> tuple[Exercise, ...]:
        return tuple(e for e in self.exercises if not e.basic and e.name not in _CALF_NAMES)

    @property
    def calves(self) -> tuple[Exercise, ...]:
        return tuple(exercise for exercise in self.exercises if exercise.name in _CALF_NAMES)


@dataclass(frozen=True)
class Plan:
    """Leg days of a week, in the order the user chose them: the first is day A (front)."""

    split: bool
    weekdays: tuple[int, ...]


@dataclass(frozen=True)
class WeekdayCheck:
    """The verdict on chosen weekdays. `suggestion` is always a valid choice: the input
    itself when it is fine, otherwise the nearest good one keeping the first chosen day."""

    ok: bool
    reason: WeekdayProblem | None
    suggestion: tuple[int, ...]


def propose_plan(split: bool) -> Plan:
    return Plan(split=split, weekdays=SPLIT_WEEKDAYS if split else SINGLE_WEEKDAYS)


def days_apart(first: int, second: int) -> int:
    """Days between two weekdays the short way round the week: Sun-Mon is 1, Mon-Thu 3."""
    forward = (second - first) % 7
    return min(forward, 7 - forward)


def check_weekdays(weekdays: Sequence[int], split: bool) -> WeekdayCheck:
    """Checks chosen leg days: two days a rest day apart for a split, one day otherwise."""
    chosen = tuple(weekdays)
    for day in chosen:
        if day not in WEEKDAYS:
            raise ValueError(f"weekday out of range: {day}")
    distinct = tuple(dict.fromkeys(chosen))
    wanted = 2 if split else 1
    if len(distinct) < len(chosen):
        reason: WeekdayProblem | None = "duplicate"
    elif len(chosen) != wanted:
        reason = "wrong_count"
    elif split and days_apart(*chosen) < 2:
        reason = "adjacent"
    else:
        return WeekdayCheck(ok=True, reason=None, suggestion=chosen)
    return WeekdayCheck(ok=False, reason=reason, suggestion=_suggest(distinct, split))


def _suggest(distinct: tuple[int, ...], split: bool) -> tuple[int, ...]:
    if not distinct:
        return propose_plan(split).weekdays
    first = distinct[0]
    if not split:
        return (first,)
    others = distinct[1:]
    fitting = [day for day in others if days_apart(first, day) >= 2]
    if fitting:
        # Of the other days they picked, keep the one that spaces the week most evenly.
        return (first, max(fitting, key=lambda day: days_apart(first, day)))
    wished = others[0] if others else None
    return (first, _even_partner(first, wished))


def _even_partner(first: int, wished: int | None) -> int:
    """The evenly spaced partner of `first` closest to the day they wished for."""
    candidates = [(first + offset) % 7 for offset in _EVEN_OFFSETS]
    if wished is None:
        return candidates[0]
    # min() keeps the first candidate on a tie, i.e. the shorter gap after the first day.
    return min(candidates, key=lambda day: days_apart(day, wished))


def day_kind_for(plan: Plan, weekday: int) -> DayKind | None:
    """Which workout falls on `weekday`, or None on a rest day."""
    if weekday not in plan.weekdays:
        return None
    if not plan.split:
        return "full"
    return "front" if plan.weekdays[0] == weekday else "back"


def week_index_for(day: date) -> int:
    """A week count that never restarts (0001-01-01 was a Monday), for rotating schemes;
    ISO week numbers would jump from 52 or 53 back to 1 at new year."""
    return (day.toordinal() - 1) // 7


def scheme_for_week(week_index: int) -> Scheme:
    return SCHEMES[week_index % len(SCHEMES)]


# Exercise pools, in order of priority: a day with fewer exercises takes the first ones.
_FRONT = (
    ("back_squat", True),
    ("leg_press", True),
    ("leg_extension", False),
    ("hack_squat", False),
)
_BACK = (("romanian_deadlift", True), ("lying_leg_curl", False), ("seated_leg_curl", False))
_GLUTES = ("hip_thrust", False)
_CALF_NAMES = frozenset({"standing_calf_raise", "seated_calf_raise"})
# A basic lift on a machine is safe at high reps when tired, so in a giant-set week it joins
# the giant set; the free-weight basics always stay heavy and first.
_GIANT_SET_BASICS = frozenset({"leg_press"})


def experience_from(answers: Answers) -> Experience:
    """The lifter's level; not knowing it counts as beginner, the careful side."""
    return answers.get("experience") or "beginner"


def build_workout(
    day_kind: DayKind,
    experience: str,
    week_index: int,
    calf_goal: str | None = DEFAULT_CALF_GOAL,
    explosive: bool = True,
) -> Workout:
    """The workout of one leg day in a given week.

    `week_index` is any week count (see `week_index_for`); the scheme moves on each week.
    `calf_goal` None means the default, mass. In a giant-set week everything after the heavy
    free-weight basics, calves included, runs as one giant set. `explosive` says whether the
    lifter's form allows fast, explosive reps; a beginner never gets them, whatever it says.
    """
    if experience not in _SPLIT_COUNTS:
        raise ValueError(f"unknown experience: {experience!r}")
    goal = calf_goal or DEFAULT_CALF_GOAL
    if goal not in CALF_SET_SECONDS:
        raise ValueError(f"unknown calf goal: {calf_goal!r}")
    beginner = experience == "beginner"
    scheme = scheme_for_week(week_index)

    if day_kind == "full":
        front_count, back_count = _FULL_COUNTS
        picked = [*_FRONT[:front_count], *_BACK[:back_count]]
        calf = "standing_calf_raise"
    elif day_kind == "front":
        front_count = _SPLIT_COUNTS[experience][0]
        picked = list(_FRONT[:front_count])
        calf = "standing_calf_raise"
    elif day_kind == "back":
        back_count = _SPLIT_COUNTS[experience][1]
        picked = [*_BACK[:back_count], _GLUTES]
        calf = "seated_calf_raise"
    else:
        raise ValueError(f"unknown day kind: {day_kind!r}")

    if scheme == "giant":
        picked = [(name, basic and name not in _GIANT_SET_BASICS) for name, basic in picked]
    # Heavy basics first, while fresh; sort() is stable so each group keeps its order.
    picked.sort(key=lambda item: not item[1])
    exercises = [
        _basic(name, scheme, beginner) if basic else _accessory(name, scheme)
        for name, basic in picked
    ]
    seconds = CALF_SET_SECONDS[goal]
    calf_sets = 3 if beginner or scheme == "giant" else 4
    calf_note = "giant" if scheme == "giant" else "calf_time"
    exercises.append(Exercise(calf, calf_sets, f"{seconds} s", False, calf_note))
    return Workout(
        day_kind=day_kind,
        scheme=scheme,
        exercises=tuple(exercises),
        calf_set_seconds=seconds,
        experience=experience,
        focus="explosive" if explosive and not beginner else "technique",
    )


def _basic(name: str, scheme: Scheme, beginner: bool) -> Exercise:
    # Beginners stay lighter and never go below 8 reps: the weight must not spoil the form.
    if scheme == "pyramid":
        reps = "12-10-8" if beginner else "12-10-8-6"
        return Exercise(name, len(reps.split("-")), reps, True, "pyramid")
    return Exercise(
        name,
        3 if beginner else 4,
        "8-10" if beginner else "6-8",
        True,
        "technique" if beginner else "",
    )


def _accessory(name: str, scheme: Scheme) -> Exercise:
    if scheme == "pyramid":
        return Exercise(name, 3, "20-17-15", False, "pyramid")
    if scheme == "giant":
        # `sets` counts the rounds of the giant set.
        return Exercise(name, 3, "15-20", False, "giant")
    return Exercise(name, 3, "15-20", False)
