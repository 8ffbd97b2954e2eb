"""The answers an assessment gathers: the contract between the interview and the rules.

Answers are kept as a JSON-able dict. A key is present once its question was answered;
its value is None when the user chose "don't know" / skip. A question that did not apply
(calf set length for someone who skips calves) is absent.
"""

from __future__ import annotations

from typing import Literal, TypedDict

# The range of every number an assessment keeps, by answer key. The interview refuses an
# answer outside it (with a message saying so), so the rules and the database only ever see
# sane values; keys in WHOLE_NUMBERS hold ints, the others floats.
BOUNDS: dict[str, tuple[float, float]] = {
    "weight_kg": (30.0, 300.0),
    "leg_days_per_week": (0, 7),
    "front_exercises": (0, 15),
    "back_exercises": (0, 15),
    "accessory_reps": (1, 100),
    "calf_set_seconds": (3, 600),
    "weeks_since_program_change": (0.0, 520.0),
    "cardio_minutes_week": (0, 3000),
    "calories_per_day": (500, 15000),
    "carbs_g": (0.0, 1500.0),
    "protein_g": (0.0, 800.0),
    "sleep_hours": (0.0, 16.0),
    # The best recent sets and tape measurements (optional; see flows.lifts).
    "leg_lift_kg": (1.0, 800.0),
    "leg_lift_reps": (1, 30),
    "bench_kg": (1.0, 400.0),
    "bench_reps": (1, 30),
    "thigh_cm": (30.0, 100.0),
    "calf_cm": (20.0, 70.0),
    "arm_cm": (15.0, 70.0),
}
WHOLE_NUMBERS = frozenset(
    {
        "leg_days_per_week",
        "front_exercises",
        "back_exercises",
        "accessory_reps",
        "calf_set_seconds",
        "cardio_minutes_week",
        "calories_per_day",
        "leg_lift_reps",
        "bench_reps",
    }
)

Experience = Literal["beginner", "intermediate", "advanced"]
Recovery = Literal["good", "average", "poor"]
LegTraining = Literal["free_weights", "machines", "cardio_only", "none"]
CardioKind = Literal["steady", "intervals", "mixed"]
CarbLevel = Literal["low", "moderate", "high"]
LegLift = Literal["back_squat", "leg_press"]


class Answers(TypedDict, total=False):
    experience: Experience
    recovery: Recovery | None  # how well they recover between workouts
    weight_kg: float  # always kg; weight_unit remembers what the user typed in
    weight_unit: Literal["kg", "lb"]
    leg_days_per_week: int  # 0..7
    consecutive_leg_days: bool | None  # leg days ever on two days in a row (asked if >= 2)
    leg_training: LegTraining  # heavy basics / machines only / only running or cycling / none
    front_exercises: int | None  # exercises for the front thigh per week
    back_exercises: int | None  # exercises for the back thigh per week
    accessory_reps: int | None  # usual reps per set on the non-basic exercises
    trains_calves: bool
    calf_set_seconds: int | None  # how long one calf set takes (asked if trains_calves)
    weeks_since_program_change: float | None  # weeks since exercises or rep scheme changed
    form_checked: bool | None  # has a coach or a video check confirmed their form
    chases_heavy: bool | None  # do they put heavy weight before clean form
    explosive_reps: bool | None  # do they push the lifting part of each rep fast
    cardio_minutes_week: int | None
    cardio_kind: CardioKind | None  # asked if cardio_minutes_week > 0
    calories_per_day: int | None
    carbs_g: float | None  # grams a day, when they know it
    carbs_level: CarbLevel | None  # the rough level, when grams are not known
    protein_g: float | None
    sleep_hours: float | None
    naps: bool | None
    # Optional, to measure the lag: the best recent set of the main leg lift and of the bench
    # press (weight always kg, the unit typed kept), and tape measurements in cm.
    leg_lift: LegLift | None  # asked if the legs get weights
    leg_lift_kg: float | None
    leg_lift_reps: int | None
    leg_lift_unit: Literal["kg", "lb"] | None
    bench_kg: float | None
    bench_reps: int | None
    bench_unit: Literal["kg", "lb"] | None
    tape: bool | None  # wants to give tape measurements
    thigh_cm: float | None
    calf_cm: float | None
    arm_cm: float | None
