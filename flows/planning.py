"""Leg-day plans: which weekdays, and what each leg day holds.

A lifter who recovers well trains legs twice a week: day A works the front thigh and calves,
day B the back thigh, glutes and calves, with at least one rest day between them (weeks wrap,
so Sunday and Monday are neighbours too). Everyone else gets one full leg day a week.

What a leg day holds follows the same findings as the diagnosis (docs/rules.md, "The
workout"): a `Lifter` is read from the latest assessment, and chat, reminder and calendar all
build the day with `workout_on` from the plan, that lifter and the date.

- Order: heavy basics (squat, leg press, Romanian deadlift), then the other compound lifts
  (hack squat, hip thrust), then isolation exercises, then calves.
- Loads: the basics go heavy (6-8 reps) only for intermediate and advanced lifters whose form
  is checked and who do not put weight before form; everyone else lifts them at a moderate
  8-12 reps. Every other exercise keeps to 15 reps or more. Calf sets are timed.
- Progression: double progression; once every set reaches the top of its range, more weight.
- Rep schemes change in blocks of four weeks (straight sets, pyramids, and a giant set of at
  most three isolation exercises for lifters with checked form), so the weights can climb
  inside a block and the program still changes well within eight weeks.
- Adapting (flows.catching_up): a plan may start the next rep scheme early (`scheme_shift`,
  weeks added to the rotation) and hold a deload week (`deload_from`, seven days of half
  the sets at lighter weights).

Weekdays are ints, 0 = Monday .. 6 = Sunday. Exercise names and notes are keys: the display
text lives in flows.texts.plan.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, Literal, cast

from flows.answers import Experience
from flows.rules import explosive_allowed

DayKind = Literal["front", "back", "full"]
Scheme = Literal["straight", "pyramid", "giant"]
CalfGoal = Literal["strength", "mass", "endurance"]
WeekdayProblem = Literal["adjacent", "wrong_count", "duplicate"]
# Where an exercise stands in the day: heavy basics first, calves last.
Role = Literal["basic", "compound", "isolation", "calf"]
# How heavy it is lifted: "heavy" 6-8 reps, "moderate" 8-12, "light" 15 or more, "timed" calves.
Load = Literal["heavy", "moderate", "light", "timed"]
Area = Literal["front", "back", "glutes", "calves"]

WEEKDAYS = range(7)
LEVELS: tuple[Experience, ...] = ("beginner", "intermediate", "advanced")
ROLE_ORDER: tuple[Role, ...] = ("basic", "compound", "isolation", "calf")
# Seconds one calf set should last for each goal; this coach is about size, so mass is default.
CALF_SET_SECONDS: dict[str, int] = {"strength": 20, "mass": 40, "endurance": 60}
DEFAULT_CALF_GOAL: CalfGoal = "mass"
MIN_ACCESSORY_REPS = 15

# Rep ranges. Heavy basics stay at 6 reps or more; moderate ones at 8 or more, so the weight
# never gets heavy enough to spoil the form of someone still learning it.
HEAVY_REPS = (6, 8)
MODERATE_REPS = (8, 12)
LIGHT_REPS = (15, 20)
HEAVY_PYRAMID = (12, 10, 8, 6)
MODERATE_PYRAMID = (12, 10, 8)
LIGHT_PYRAMID = (20, 17, 15)

# Rep schemes change every BLOCK_WEEKS weeks; within a block every week is the same workout,
# so the weights can go up from one week to the next.
BLOCK_WEEKS = 4
FORM_READY_SCHEMES: tuple[Scheme, ...] = ("straight", "pyramid", "giant")
# A giant set is done tired and against the clock: not while the form is still being learnt.
TECHNIQUE_SCHEMES: tuple[Scheme, ...] = ("straight", "pyramid")
SCHEMES = FORM_READY_SCHEMES
# A giant set chains isolation exercises and calves only, never more than three of them.
MAX_GIANT_SET = 3
GIANT_SET_ROUNDS = 3

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
class Lifter:
    """What a workout is built from, read from the latest assessment.

    `form_ready` is true only when the form has been checked and weight does not come before
    form (`flows.rules.explosive_allowed`, and no `technique` problem): only then do the
    basics go heavy (from intermediate on) and get the cue to drive the weight up fast.
    """

    experience: Experience
    form_ready: bool

    @property
    def technique_first(self) -> bool:
        return not self.form_ready

    @property
    def heavy_basics(self) -> bool:
        return self.form_ready and self.experience != "beginner"


def lifter_from(answers: Mapping[str, Any], problem_ids: Collection[str] = ()) -> Lifter:
    """The lifter of an assessment: its answers and, when known, its problem ids."""
    ready = explosive_allowed(cast(Any, answers)) and "technique" not in problem_ids
    return Lifter(experience_from(answers), ready)


def stored_lifter(experience: str, form_ready: bool) -> Lifter:
    """The lifter as a saved plan keeps it; an unknown level counts as beginner."""
    level = experience if experience in LEVELS else "beginner"
    return Lifter(level, form_ready)


@dataclass(frozen=True)
class Exercise:
    """One exercise of a workout. `name` is its key ("back_squat"), `note` a note key or "":
    "pyramid" (reps per set, more weight each set) or "giant" (part of the giant set, `sets`
    counting its rounds).

    `reps` reads as written: "6-8" a range, "12-10-8-6" reps per set of a pyramid, "40 s" a
    timed set.
    """

    name: str
    sets: int
    reps: str
    role: Role
    load: Load
    note: str = ""

    @property
    def basic(self) -> bool:
        return self.role == "basic"

    @property
    def timed(self) -> bool:
        return self.reps.endswith(" s")

    @property
    def rep_counts(self) -> tuple[int, ...]:
        """Every rep number written in `reps`: (6, 8) for "6-8"; () for a timed set."""
        if self.timed:
            return ()
        return tuple(int(part) for part in self.reps.split("-"))

    @property
    def area(self) -> Area:
        return AREA[self.name]


@dataclass(frozen=True)
class Workout:
    """One leg day. `focus` is "explosive" (drive the basics up fast, lower under control)
    for those whose form allows it, "technique" (moderate, controlled reps) for everyone
    else. `week_in_block` runs from 1 to `block_weeks`. `deload`: a day of a deload week."""

    day_kind: DayKind
    scheme: Scheme
    exercises: tuple[Exercise, ...]
    calf_set_seconds: int
    experience: str
    focus: str
    week_in_block: int = 1
    block_weeks: int = BLOCK_WEEKS
    deload: bool = False

    @property
    def basics(self) -> tuple[Exercise, ...]:
        return tuple(exercise for exercise in self.exercises if exercise.basic)

    @property
    def accessories(self) -> tuple[Exercise, ...]:
        return tuple(e for e in self.exercises if e.role in ("compound", "isolation"))

    @property
    def calves(self) -> tuple[Exercise, ...]:
        return tuple(exercise for exercise in self.exercises if exercise.role == "calf")

    @property
    def giant_set(self) -> tuple[Exercise, ...]:
        return tuple(exercise for exercise in self.exercises if exercise.note == "giant")


@dataclass(frozen=True)
class Plan:
    """Leg days of a week, in the order the user chose them: the first is day A (front).

    `scheme_shift` weeks are added to the rep-scheme rotation (a rep-scheme change starts
    the next block early); `deload_from` is the first of the DELOAD_DAYS of a deload."""

    split: bool
    weekdays: tuple[int, ...]
    deload_from: date | None = None
    scheme_shift: int = 0


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


# Every rotation of rep schemes comes round again after this many weeks.
ROTATION_WEEKS = BLOCK_WEEKS * math.lcm(len(FORM_READY_SCHEMES), len(TECHNIQUE_SCHEMES))


def start_shift(first_day: date) -> int:
    """The scheme shift of a new plan whose first leg day is `first_day`: that week is week 1
    of the first block (straight sets), whatever the lifter's rotation."""
    return -week_index_for(first_day) % ROTATION_WEEKS


def schemes_for(lifter: Lifter) -> tuple[Scheme, ...]:
    return FORM_READY_SCHEMES if lifter.form_ready else TECHNIQUE_SCHEMES


def cycle_weeks(lifter: Lifter) -> int:
    """Weeks until the rep schemes come round again; the workout of a weekday repeats then."""
    return BLOCK_WEEKS * len(schemes_for(lifter))


def block_of(week_index: int, lifter: Lifter) -> tuple[Scheme, int]:
    """The rep scheme of a week and the week's number inside its block (1 = the first)."""
    block, week = divmod(week_index, BLOCK_WEEKS)
    schemes = schemes_for(lifter)
    return schemes[block % len(schemes)], week + 1


def scheme_for_week(week_index: int, lifter: Lifter) -> Scheme:
    return block_of(week_index, lifter)[0]


# Exercise pools, in order of priority: a day with fewer exercises takes the first ones.
_FRONT = ("back_squat", "leg_press", "leg_extension", "hack_squat")
_BACK = ("romanian_deadlift", "lying_leg_curl", "seated_leg_curl")
_GLUTES = "hip_thrust"
# Each exercise's role in the day and the area it trains.
_EXERCISES: dict[str, tuple[Role, Area]] = {
    "back_squat": ("basic", "front"),
    "leg_press": ("basic", "front"),
    "romanian_deadlift": ("basic", "back"),
    "hack_squat": ("compound", "front"),
    "hip_thrust": ("compound", "glutes"),
    "leg_extension": ("isolation", "front"),
    "lying_leg_curl": ("isolation", "back"),
    "seated_leg_curl": ("isolation", "back"),
    "standing_calf_raise": ("calf", "calves"),
    "seated_calf_raise": ("calf", "calves"),
}
ROLE: dict[str, Role] = {name: role for name, (role, _) in _EXERCISES.items()}
AREA: dict[str, Area] = {name: area for name, (_, area) in _EXERCISES.items()}
# Which areas each kind of day may train (article 1, sections 1 and 2).
DAY_AREAS: dict[str, frozenset[Area]] = {
    "front": frozenset({"front", "calves"}),
    "back": frozenset({"back", "glutes", "calves"}),
    "full": frozenset({"front", "back", "glutes", "calves"}),
}


def experience_from(answers: Mapping[str, Any]) -> Experience:
    """The lifter's level; not knowing it counts as beginner, the careful side."""
    level = answers.get("experience")
    return cast(Experience, level) if level in LEVELS else "beginner"


def workout_on(plan: Plan, lifter: Lifter, local_date: date) -> Workout:
    """The workout of the leg day on `local_date`: the one builder behind the chat, the
    reminder and the calendar. A date whose weekday is not (or no longer) in the plan gets
    the full leg day, the one workout that stands on its own. The plan's scheme shift moves
    the rep-scheme rotation; a day of its deload week is deloaded."""
    day_kind = day_kind_for(plan, local_date.weekday()) or "full"
    workout = build_workout(day_kind, lifter, week_index_for(local_date) + plan.scheme_shift)
    return deloaded(workout) if in_deload(plan, local_date) else workout


# A deload week: the same exercises and reps with half the sets (two at least) and lighter
# weights, once in a while, so a stalled lifter recovers and comes back stronger.
DELOAD_DAYS = 7
DELOAD_MIN_SETS = 2


def in_deload(plan: Plan, local_date: date) -> bool:
    """Whether `local_date` falls in the plan's deload week."""
    start = plan.deload_from
    return start is not None and 0 <= (local_date - start).days < DELOAD_DAYS


def deloaded(workout: Workout) -> Workout:
    """The deload version of a workout: half the sets (at least two), nothing else changed."""
    exercises = tuple(
        replace(exercise, sets=max(DELOAD_MIN_SETS, exercise.sets // 2))
        for exercise in workout.exercises
    )
    return replace(workout, exercises=exercises, deload=True)


def scheme_shift_for_change(shift: int, today: date) -> int:
    """The scheme shift that starts the next rep scheme in `today`'s week (its first week),
    from a plan shifted by `shift` so far."""
    week_in_block = (week_index_for(today) + shift) % BLOCK_WEEKS
    return shift + BLOCK_WEEKS - week_in_block


def build_workout(
    day_kind: DayKind,
    lifter: Lifter,
    week_index: int,
    calf_goal: str | None = DEFAULT_CALF_GOAL,
) -> Workout:
    """The workout of one leg day in a given week.

    `week_index` is any week count (see `week_index_for`); the scheme changes with the block.
    `calf_goal` None means the default, mass.
    """
    if lifter.experience not in _SPLIT_COUNTS:
        raise ValueError(f"unknown experience: {lifter.experience!r}")
    goal = calf_goal or DEFAULT_CALF_GOAL
    if goal not in CALF_SET_SECONDS:
        raise ValueError(f"unknown calf goal: {calf_goal!r}")
    scheme, week_in_block = block_of(week_index, lifter)
    names = _exercise_names(day_kind, lifter.experience)
    # Heavy basics first while fresh, then the other compound lifts, isolation, calves;
    # sorted() is stable, so each group keeps its order of priority.
    names = sorted(names, key=lambda name: ROLE_ORDER.index(ROLE[name]))
    chained = _giant_set(names) if scheme == "giant" else frozenset()
    seconds = CALF_SET_SECONDS[goal]
    exercises = tuple(_exercise(name, scheme, lifter, name in chained, seconds) for name in names)
    return Workout(
        day_kind=day_kind,
        scheme=scheme,
        exercises=exercises,
        calf_set_seconds=seconds,
        experience=lifter.experience,
        focus="explosive" if lifter.form_ready else "technique",
        week_in_block=week_in_block,
        block_weeks=BLOCK_WEEKS,
    )


def _exercise_names(day_kind: DayKind, experience: str) -> list[str]:
    if day_kind == "full":
        front_count, back_count = _FULL_COUNTS
        return [*_FRONT[:front_count], *_BACK[:back_count], "standing_calf_raise"]
    if day_kind == "front":
        front_count = _SPLIT_COUNTS[experience][0]
        return [*_FRONT[:front_count], "standing_calf_raise"]
    if day_kind == "back":
        back_count = _SPLIT_COUNTS[experience][1]
        return [*_BACK[:back_count], _GLUTES, "seated_calf_raise"]
    raise ValueError(f"unknown day kind: {day_kind!r}")


def _giant_set(names: Sequence[str]) -> frozenset[str]:
    """The last isolation exercises and the calves, at most MAX_GIANT_SET of them; compound
    lifts always stay out, done first as straight sets."""
    chainable = [name for name in names if ROLE[name] in ("isolation", "calf")]
    chained = chainable[-MAX_GIANT_SET:]
    return frozenset(chained) if len(chained) >= 2 else frozenset()


def _range(reps: tuple[int, ...]) -> str:
    return "-".join(str(rep) for rep in reps)


def _exercise(name: str, scheme: Scheme, lifter: Lifter, chained: bool, seconds: int) -> Exercise:
    role = ROLE[name]
    beginner = lifter.experience == "beginner"
    if chained:
        sets, reps = GIANT_SET_ROUNDS, (f"{seconds} s" if role == "calf" else _range(LIGHT_REPS))
        return Exercise(name, sets, reps, role, "timed" if role == "calf" else "light", "giant")
    if role == "calf":
        return Exercise(
            name, 4 if lifter.experience == "advanced" else 3, f"{seconds} s", role, "timed"
        )
    if role == "basic":
        load: Load = "heavy" if lifter.heavy_basics else "moderate"
        if scheme == "pyramid":
            steps = HEAVY_PYRAMID if load == "heavy" else MODERATE_PYRAMID
            return Exercise(name, len(steps), _range(steps), role, load, "pyramid")
        span = HEAVY_REPS if load == "heavy" else MODERATE_REPS
        return Exercise(name, 3 if beginner else 4, _range(span), role, load)
    if scheme == "pyramid":
        return Exercise(name, len(LIGHT_PYRAMID), _range(LIGHT_PYRAMID), role, "light", "pyramid")
    return Exercise(name, 3, _range(LIGHT_REPS), role, "light")
