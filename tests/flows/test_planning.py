"""Leg-day plans: weekday rules, workouts built from the coaching rules, and their texts."""

from __future__ import annotations

import itertools
import re
from datetime import date, timedelta

import pytest

from flows.planning import (
    BLOCK_WEEKS,
    CALF_SET_SECONDS,
    MAX_GIANT_SET,
    ROLE_ORDER,
    DayKind,
    Lifter,
    Plan,
    Workout,
    build_workout,
    check_weekdays,
    cycle_weeks,
    day_kind_for,
    experience_from,
    lifter_from,
    propose_plan,
    stored_lifter,
    week_index_for,
    workout_on,
)
from flows.texts.plan import (
    EXERCISE_NAMES,
    TEXTS,
    proposal,
    render_reminder,
    render_workout,
    weekday_problem,
)

MON, TUE, WED, THU, FRI, SAT, SUN = range(7)
EXPERIENCES = ("beginner", "intermediate", "advanced")
DAY_KINDS: tuple[DayKind, ...] = ("front", "back", "full")


def back_to_back(first: int, second: int) -> bool:
    """Neighbours on a week that wraps: Sunday is followed by Monday."""
    return (second - first) % 7 in (1, 6)


LIFTERS = [Lifter(level, ready) for level in EXPERIENCES for ready in (True, False)]
READY = {level: Lifter(level, True) for level in EXPERIENCES}


def all_workouts() -> list[Workout]:
    """Every day kind for every lifter over two whole scheme cycles."""
    return [
        build_workout(kind, lifter, week)
        for kind in DAY_KINDS
        for lifter in LIFTERS
        for week in range(2 * cycle_weeks(lifter))
    ]


# ---- plans and weekdays ------------------------------------------------------------------


def test_split_plan_offers_two_days_with_rest_between() -> None:
    plan = propose_plan(split=True)
    assert plan.split
    assert len(plan.weekdays) == 2
    assert not back_to_back(*plan.weekdays)
    assert check_weekdays(plan.weekdays, split=True).ok


def test_single_plan_offers_one_day() -> None:
    plan = propose_plan(split=False)
    assert not plan.split
    assert len(plan.weekdays) == 1
    assert check_weekdays(plan.weekdays, split=False).ok


@pytest.mark.parametrize("first", range(7))
@pytest.mark.parametrize("second", range(7))
def test_every_pair_of_days_is_judged_and_the_suggestion_is_valid(first: int, second: int) -> None:
    check = check_weekdays((first, second), split=True)
    fine = first != second and not back_to_back(first, second)
    assert check.ok is fine
    if fine:
        assert check.suggestion == (first, second)
        return
    assert check.reason == ("duplicate" if first == second else "adjacent")
    better_first, better_second = check.suggestion
    assert better_first == first, "the first chosen day is kept"
    assert better_second != better_first
    assert not back_to_back(better_first, better_second)
    # Two days in seven are most evenly spaced 3 and 4 days apart.
    assert (better_second - better_first) % 7 in (3, 4)
    assert check_weekdays(check.suggestion, split=True).ok


@pytest.mark.parametrize(
    ("chosen", "reason", "suggestion"),
    [
        ((MON, TUE), "adjacent", (MON, THU)),
        ((TUE, WED), "adjacent", (TUE, FRI)),
        ((FRI, SAT), "adjacent", (FRI, MON)),
        ((SUN, MON), "adjacent", (SUN, WED)),
        ((MON, SUN), "adjacent", (MON, FRI)),
        ((SAT, SUN), "adjacent", (SAT, TUE)),
        ((WED, WED), "duplicate", (WED, SAT)),
        ((THU,), "wrong_count", (THU, SUN)),
        ((MON, TUE, FRI), "wrong_count", (MON, FRI)),
        ((), "wrong_count", (TUE, FRI)),
    ],
)
def test_bad_choices_get_a_reason_and_a_better_pair(
    chosen: tuple[int, ...], reason: str, suggestion: tuple[int, int]
) -> None:
    check = check_weekdays(chosen, split=True)
    assert not check.ok
    assert check.reason == reason
    assert check.suggestion == suggestion


@pytest.mark.parametrize("day", range(7))
def test_any_single_day_works_for_one_full_leg_day(day: int) -> None:
    assert check_weekdays((day,), split=False).ok


def test_two_days_for_a_single_plan_keep_the_first() -> None:
    check = check_weekdays((THU, MON), split=False)
    assert (check.ok, check.reason, check.suggestion) == (False, "wrong_count", (THU,))


def test_weekday_out_of_range_is_refused() -> None:
    with pytest.raises(ValueError):
        check_weekdays((1, 7), split=True)


def test_first_chosen_day_is_front_second_is_back() -> None:
    plan = Plan(split=True, weekdays=(FRI, MON))
    assert day_kind_for(plan, FRI) == "front"
    assert day_kind_for(plan, MON) == "back"
    assert [day_kind_for(plan, day) for day in (TUE, WED, THU, SAT, SUN)] == [None] * 5
    single = Plan(split=False, weekdays=(WED,))
    assert day_kind_for(single, WED) == "full"
    assert day_kind_for(single, THU) is None


# ---- who the workout is for -------------------------------------------------------------


def test_unknown_experience_counts_as_beginner() -> None:
    assert experience_from({}) == "beginner"
    assert experience_from({"experience": "advanced"}) == "advanced"
    assert stored_lifter("legend", True) == Lifter("beginner", True)


@pytest.mark.parametrize("form_checked", [True, False, None])
@pytest.mark.parametrize("chases_heavy", [True, False, None])
def test_only_checked_form_without_chasing_weight_is_form_ready(
    form_checked: bool | None, chases_heavy: bool | None
) -> None:
    answers = {
        "experience": "advanced",
        "form_checked": form_checked,
        "chases_heavy": chases_heavy,
    }
    lifter = lifter_from(answers)
    assert lifter.form_ready is (form_checked is True and chases_heavy is not True)
    # A technique problem in the diagnosis always means technique first.
    assert lifter_from(answers, ("technique",)).technique_first


# ---- workouts ----------------------------------------------------------------------------


def front_and_back_counts(workout: Workout) -> tuple[int, int]:
    """Thigh exercises by the muscles the display names say they train."""
    names = [EXERCISE_NAMES[exercise.name].lower() for exercise in workout.exercises]
    front = sum(any(w in name for w in ("squat", "leg press", "extension")) for name in names)
    back = sum(any(w in name for w in ("deadlift", "curl")) for name in names)
    return front, back


# (experience, split?, day kinds in the week, front-thigh range, back-thigh range)
PROFILES = [
    ("beginner", False, ("full",), (3, 3), (2, 2)),
    ("intermediate", False, ("full",), (3, 3), (2, 2)),
    ("advanced", False, ("full",), (3, 3), (2, 2)),
    ("intermediate", True, ("front", "back"), (3, 4), (2, 3)),
    ("advanced", True, ("front", "back"), (4, 4), (3, 3)),
]


@pytest.mark.parametrize(("experience", "split", "kinds", "front_range", "back_range"), PROFILES)
@pytest.mark.parametrize("ready", [True, False])
def test_profiles_get_the_exercise_counts_of_the_rules(
    experience: str,
    split: bool,
    kinds: tuple[DayKind, ...],
    front_range: tuple[int, int],
    back_range: tuple[int, int],
    ready: bool,
) -> None:
    plan = propose_plan(split)
    assert tuple(day_kind_for(plan, day) for day in plan.weekdays) == kinds
    lifter = stored_lifter(experience, ready)
    for week in range(cycle_weeks(lifter)):
        front_total = back_total = 0
        for kind in kinds:
            front, back = front_and_back_counts(build_workout(kind, lifter, week))
            front_total += front
            back_total += back
        assert front_range[0] <= front_total <= front_range[1]
        assert back_range[0] <= back_total <= back_range[1]


def test_split_days_train_one_half_of_the_thigh_each() -> None:
    front_day = build_workout("front", READY["intermediate"], 0)
    back_day = build_workout("back", READY["intermediate"], 0)
    assert front_and_back_counts(front_day)[1] == 0
    assert front_and_back_counts(back_day)[0] == 0
    assert any("hip thrust" in EXERCISE_NAMES[e.name].lower() for e in back_day.exercises)
    assert {e.name for e in front_day.accessories} & {e.name for e in back_day.accessories} == set()


@pytest.mark.parametrize("kind", ["front", "back"])
def test_beginners_get_fewer_exercises(kind: DayKind) -> None:
    for week in range(cycle_weeks(READY["beginner"])):
        beginner = build_workout(kind, READY["beginner"], week)
        advanced = build_workout(kind, READY["advanced"], week)
        assert len(beginner.exercises) < len(advanced.exercises)


def test_explosive_cue_only_when_form_allows() -> None:
    for lifter in LIFTERS:
        focus = build_workout("front", lifter, 0).focus
        assert focus == ("explosive" if lifter.form_ready else "technique")


def test_basics_go_heavy_only_for_checked_form_beyond_the_first_year() -> None:
    for workout in all_workouts():
        lifter = Lifter(workout.experience, workout.focus == "explosive")  # type: ignore[arg-type]
        for basic in workout.basics:
            assert basic.load == ("heavy" if lifter.heavy_basics else "moderate")
            low = min(basic.rep_counts)
            assert low >= (6 if lifter.heavy_basics else 8), (workout, basic)
            assert max(basic.rep_counts) <= 12


def test_every_non_basic_exercise_has_at_least_15_reps_per_set() -> None:
    for workout in all_workouts():
        for exercise in workout.exercises:
            if exercise.basic or exercise.timed:
                continue
            assert exercise.rep_counts, exercise
            assert min(exercise.rep_counts) >= 15, (workout.day_kind, workout.scheme, exercise)


def test_compound_lifts_come_before_isolation_and_basics_first() -> None:
    for workout in all_workouts():
        ranks = [ROLE_ORDER.index(exercise.role) for exercise in workout.exercises]
        assert workout.exercises[0].basic, workout
        assert ranks == sorted(ranks), workout
    # The hack squat is a compound lift: never after a leg extension.
    front = build_workout("front", READY["advanced"], 0)
    names = [exercise.name for exercise in front.exercises]
    assert names.index("hack_squat") < names.index("leg_extension")


def test_giant_sets_chain_at_most_three_isolation_exercises_and_never_for_technique() -> None:
    giant_weeks = 0
    for workout in all_workouts():
        chained = workout.giant_set
        if workout.scheme != "giant":
            assert chained == ()
            continue
        giant_weeks += 1
        assert workout.focus == "explosive", "no giant set before the form is checked"
        assert 2 <= len(chained) <= MAX_GIANT_SET
        assert all(exercise.role in ("isolation", "calf") for exercise in chained)
        # The chain is one block at the end of the day.
        assert workout.exercises[-len(chained) :] == chained
    assert giant_weeks > 0


def test_every_leg_day_ends_with_calves() -> None:
    for workout in all_workouts():
        assert workout.exercises[-1] in workout.calves
        assert "calf" in EXERCISE_NAMES[workout.exercises[-1].name].lower()


@pytest.mark.parametrize(("goal", "seconds"), [("strength", 20), ("mass", 40), ("endurance", 60)])
def test_calf_sets_last_as_long_as_the_goal_needs(goal: str, seconds: int) -> None:
    assert CALF_SET_SECONDS[goal] == seconds
    for kind in DAY_KINDS:
        workout = build_workout(kind, READY["intermediate"], 0, calf_goal=goal)
        assert workout.calf_set_seconds == seconds
        assert [calf.reps for calf in workout.calves] == [f"{seconds} s"]


def test_mass_is_the_default_calf_goal() -> None:
    assert build_workout("front", READY["advanced"], 0).calf_set_seconds == 40
    assert build_workout("front", READY["advanced"], 0, calf_goal=None).calf_set_seconds == 40


@pytest.mark.parametrize("lifter", LIFTERS, ids=str)
def test_rep_schemes_change_in_blocks_and_stay_put_inside_one(lifter: Lifter) -> None:
    cycle = cycle_weeks(lifter)
    for kind in DAY_KINDS:
        weeks = [build_workout(kind, lifter, week) for week in range(2 * cycle)]
        blocks = [weeks[i : i + BLOCK_WEEKS] for i in range(0, len(weeks), BLOCK_WEEKS)]
        for block in blocks:
            assert len({w.exercises for w in block}) == 1, "the same workout all block long"
            assert [w.week_in_block for w in block] == list(range(1, BLOCK_WEEKS + 1))
        schemes = [block[0].scheme for block in blocks]
        assert all(a != b for a, b in itertools.pairwise(schemes)), "every block changes"
        assert schemes[: len(schemes) // 2] == schemes[len(schemes) // 2 :]
        expected = (
            {"straight", "pyramid", "giant"} if lifter.form_ready else {"straight", "pyramid"}
        )
        assert set(schemes) == expected
    # A block is well inside the 8 weeks after which a program should change.
    assert BLOCK_WEEKS <= 8


def test_week_count_runs_on_across_new_year() -> None:
    monday = date(2026, 12, 28)
    assert {week_index_for(monday + timedelta(days=n)) for n in range(7)} == {
        week_index_for(monday)
    }
    assert week_index_for(date(2027, 1, 4)) == week_index_for(monday) + 1


def test_workout_on_a_date_is_that_days_half_of_the_split() -> None:
    plan = Plan(split=True, weekdays=(FRI, MON))
    friday, monday, sunday = date(2026, 11, 20), date(2026, 11, 23), date(2026, 11, 22)
    lifter = READY["advanced"]
    assert workout_on(plan, lifter, friday).day_kind == "front"
    assert workout_on(plan, lifter, monday).day_kind == "back"
    assert workout_on(plan, lifter, sunday).day_kind == "full"  # off the plan: stands alone
    assert workout_on(plan, lifter, monday) == build_workout("back", lifter, week_index_for(monday))


def test_unknown_inputs_are_refused() -> None:
    with pytest.raises(ValueError):
        build_workout("front", Lifter("expert", True), 0)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        build_workout("front", READY["beginner"], 0, calf_goal="speed")


# ---- texts -------------------------------------------------------------------------------

EXPLOSIVE_WORDS = re.compile(r"\b(fast|explosive|explosively|heavy)\b|⚡", re.IGNORECASE)


def only_allowed_tags(text: str) -> bool:
    return all(tag in ("b", "i") for tag in re.findall(r"</?\s*([a-zA-Z]+)", text))


def test_workout_message_lists_every_exercise_in_order() -> None:
    for workout in all_workouts():
        text = render_workout(workout)
        positions = [text.find(EXERCISE_NAMES[e.name]) for e in workout.exercises]
        assert -1 not in positions
        assert positions == sorted(positions)
        assert only_allowed_tags(text)


def test_workout_message_says_how_to_progress_in_the_users_unit() -> None:
    for workout in all_workouts():
        kg, lb = render_workout(workout, "kg"), render_workout(workout, "lb")
        assert "add 2.5 kg" in kg and "lb" not in kg
        assert "add 5 lb" in lb and "kg" not in lb
        assert "top of its range" in kg or workout.scheme == "pyramid"


def test_technique_first_messages_hold_no_heavy_or_explosive_cue() -> None:
    for workout in all_workouts():
        text = render_workout(workout)
        if workout.focus == "technique":
            assert not EXPLOSIVE_WORDS.search(text), text
            assert "moderate weight" in text
        else:
            assert "drive the weight up fast" in text


def test_giant_set_block_says_so() -> None:
    giant = next(w for w in all_workouts() if w.scheme == "giant" and len(w.giant_set) == 3)
    assert "giant set" in render_workout(giant).lower()
    superset = next(w for w in all_workouts() if w.scheme == "giant" and len(w.giant_set) == 2)
    assert "superset" in render_workout(superset).lower()


def test_scheme_line_names_the_week_of_the_block() -> None:
    for week in range(BLOCK_WEEKS):
        workout = build_workout("front", READY["advanced"], week)
        assert f"week {week + 1} of {BLOCK_WEEKS}" in render_workout(workout)


def test_reminder_names_the_day_and_holds_the_workout() -> None:
    workout = build_workout("front", READY["advanced"], 0)
    text = render_reminder(workout, date(2026, 3, 3))
    assert "Tuesday 3 March" in text
    assert render_workout(workout) in text
    assert only_allowed_tags(text)


def test_adjacent_days_are_explained_with_the_better_pair() -> None:
    key, values = weekday_problem((MON, TUE), check_weekdays((MON, TUE), split=True))
    text = TEXTS[key].format(**values)
    assert (values["first_day"], values["second_day"]) == ("Monday", "Tuesday")
    assert "Monday" in text and "Thursday" in text
    wrap_key, _ = weekday_problem((SUN, MON), check_weekdays((SUN, MON), split=True))
    assert wrap_key != key
    assert "Sunday" in TEXTS[wrap_key] and "Monday" in TEXTS[wrap_key]


@pytest.mark.parametrize(
    "chosen", [(WED, WED), (THU,), (MON, TUE, FRI)], ids=["duplicate", "one", "three"]
)
def test_every_failed_check_has_a_message(chosen: tuple[int, ...]) -> None:
    key, values = weekday_problem(chosen, check_weekdays(chosen, split=True))
    text = TEXTS[key].format(**values)
    assert values["better_first"] in text and values["better_second"] in text


def test_proposal_names_the_days() -> None:
    key, values = proposal((TUE, FRI), split=True)
    text = TEXTS[key].format(**values)
    assert "Tuesday" in text and "Friday" in text
    key, values = proposal((WED,), split=False)
    assert "Wednesday" in TEXTS[key].format(**values)


def test_every_template_uses_only_telegram_tags() -> None:
    assert all(only_allowed_tags(template) for template in TEXTS.values())
