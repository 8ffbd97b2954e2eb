"""The coaching rules, checked against whole profiles, the boundaries, and a generated grid of
answers for one consistent, ranked diagnosis."""

from __future__ import annotations

from typing import Any, cast

import pytest

from flows.answers import Answers
from flows.rules import (
    ARTICLE_1_FILE,
    ARTICLE_2_FILE,
    COVERS,
    IMPACT,
    PRIORITY,
    RULE_IDS,
    RULES,
    Diagnosis,
    Finding,
    Status,
    evaluate,
    explosive_allowed,
    split_recommended,
    targets_for,
)
from flows.texts.diagnosis import rule_title
from tests.flows.answer_grid import GRID, options

KG_PER_LB = 0.45359237

ARTICLE_1_IDS = ("program", "frequency", "calories", "protein", "technique", "sleep")
ARTICLE_2_IDS = (
    "strength_work",
    "variation",
    "cardio",
    "carbs",
    "calves",
    "explosive",
    "rest_days",
)
ALL_IDS = ARTICLE_1_IDS + ARTICLE_2_IDS


def answers(**values: Any) -> Answers:
    return cast(Answers, values)


# Someone who does everything both articles ask for.
HEALTHY = answers(
    experience="intermediate",
    recovery="good",
    weight_kg=80.0,
    weight_unit="kg",
    leg_days_per_week=2,
    consecutive_leg_days=False,
    leg_training="free_weights",
    front_exercises=4,
    back_exercises=3,
    accessory_reps=15,
    trains_calves=True,
    calf_set_seconds=40,
    weeks_since_program_change=4,
    form_checked=True,
    chases_heavy=False,
    explosive_reps=True,
    cardio_minutes_week=60,
    cardio_kind="intervals",
    calories_per_day=3300,
    carbs_g=320,
    protein_g=180,
    sleep_hours=8,
    naps=False,
)

# Runs and cycles, lifts nothing for legs; the lifting questions were never asked.
CARDIO_ONLY = answers(
    experience="intermediate",
    recovery="good",
    weight_kg=70.0,
    weight_unit="kg",
    leg_days_per_week=0,
    leg_training="cardio_only",
    trains_calves=False,
    weeks_since_program_change=None,
    form_checked=None,
    chases_heavy=None,
    explosive_reps=None,
    cardio_minutes_week=300,
    cardio_kind="steady",
    calories_per_day=2600,
    carbs_level="high",
    protein_g=100,
    sleep_hours=7.5,
    naps=True,
)

NO_LEG_TRAINING = answers(
    experience="beginner",
    weight_kg=75.0,
    leg_training="none",
    trains_calves=False,
    cardio_minutes_week=0,
)

BEGINNER = answers(
    experience="beginner",
    recovery="average",
    weight_kg=68.0,
    weight_unit="kg",
    leg_days_per_week=2,
    consecutive_leg_days=True,
    leg_training="free_weights",
    front_exercises=2,
    back_exercises=1,
    accessory_reps=10,
    trains_calves=True,
    calf_set_seconds=20,
    weeks_since_program_change=18,
    form_checked=False,
    chases_heavy=False,
    explosive_reps=False,
    cardio_minutes_week=150,
    cardio_kind="steady",
    calories_per_day=2500,
    carbs_level="low",
    protein_g=110,
    sleep_hours=7,
    naps=False,
)

# Advanced, but weight comes before form and everything is overdone.
HEAVY_CHASER = answers(
    experience="advanced",
    recovery="poor",
    weight_kg=180 * KG_PER_LB,
    weight_unit="lb",
    leg_days_per_week=4,
    consecutive_leg_days=True,
    leg_training="machines",
    front_exercises=6,
    back_exercises=4,
    accessory_reps=20,
    trains_calves=True,
    calf_set_seconds=60,
    weeks_since_program_change=40,
    form_checked=False,
    chases_heavy=True,
    explosive_reps=True,
    cardio_minutes_week=0,
    calories_per_day=4500,
    carbs_g=200,
    protein_g=250,
    sleep_hours=9,
    naps=True,
)

# Said "don't know" to everything that allows it.
DONT_KNOW = answers(
    experience="advanced",
    recovery=None,
    weight_kg=90.0,
    leg_days_per_week=2,
    consecutive_leg_days=None,
    leg_training="free_weights",
    front_exercises=None,
    back_exercises=None,
    accessory_reps=None,
    trains_calves=True,
    calf_set_seconds=None,
    weeks_since_program_change=None,
    form_checked=None,
    chases_heavy=None,
    explosive_reps=None,
    cardio_minutes_week=None,
    calories_per_day=None,
    carbs_g=None,
    carbs_level=None,
    protein_g=None,
    sleep_hours=None,
    naps=None,
)

# Advanced, form checked, trains legs twice a week but on two days in a row, and lifts slowly.
BACK_TO_BACK = answers(**{**HEALTHY, "consecutive_leg_days": True, "explosive_reps": False})

PROFILES: dict[str, Answers] = {
    "healthy": HEALTHY,
    "back_to_back": BACK_TO_BACK,
    "cardio_only": CARDIO_ONLY,
    "no_leg_training": NO_LEG_TRAINING,
    "beginner": BEGINNER,
    "heavy_chaser": HEAVY_CHASER,
    "dont_know": DONT_KNOW,
    "empty": answers(),
}


def statuses(diagnosis: Diagnosis) -> dict[str, Status]:
    """What each rule found, covered or not."""
    found = (*diagnosis.problems, *diagnosis.strengths, *diagnosis.unknown, *diagnosis.covered)
    return {finding.rule_id: finding.status for finding in found}


def finding(diagnosis: Diagnosis, rule_id: str) -> Finding:
    result = diagnosis.finding(rule_id)
    assert result is not None, rule_id
    return result


def with_changes(base: Answers, **changes: Any) -> Answers:
    return cast(Answers, {**base, **changes})


# --- the rule set ---------------------------------------------------------------------------


def test_there_is_one_rule_per_reason_of_both_articles() -> None:
    assert len(RULES) == 13
    assert [rule.id for rule in RULES] == list(ALL_IDS)
    for position, rule_id in enumerate(ARTICLE_1_IDS, start=1):
        rule = RULES[position - 1]
        assert (rule.id, rule.source.article, rule.source.section) == (rule_id, 1, position)
        assert rule.source.article_file == ARTICLE_1_FILE
    for position, rule_id in enumerate(ARTICLE_2_IDS, start=1):
        rule = RULES[len(ARTICLE_1_IDS) + position - 1]
        assert (rule.id, rule.source.article, rule.source.section) == (rule_id, 2, position)
        assert rule.source.article_file == ARTICLE_2_FILE
    assert len({rule.priority for rule in RULES}) == 13


def test_section_titles_are_the_articles_own() -> None:
    titles = {rule.id: rule.source.section_title for rule in RULES}
    assert titles["protein"] == "The amount of protein"
    assert titles["calves"] == "You're Not Spending Enough Time on Calves"


def test_every_rule_has_a_distinct_short_title() -> None:
    titles = [rule_title(rule_id) for rule_id in ALL_IDS]
    assert all(0 < len(title) <= 20 for title in titles)
    assert len(set(titles)) == len(titles)
    assert rule_title("protein") == "Protein"


# --- targets --------------------------------------------------------------------------------


def test_targets_follow_the_article_figures() -> None:
    targets = targets_for(90.0)
    # Article 1's own example: 90 kg needs about 3,600 kcal, 3,000 kcal allows at most 3,300.
    assert targets.calories_target_kcal == 3600
    assert targets.calories_max_kcal == 3960
    assert targets.protein_target_g == pytest.approx(198.0)
    assert targets.sleep_target_h == 8.0
    assert targets.min_accessory_reps == 15
    assert targets.front_exercises == (3, 4)
    assert targets.back_exercises == (2, 3)
    assert 3.0 * 90 <= targets.carbs_min_g <= 5.0 * 90
    assert targets_for(3000 / 40).calories_max_kcal == 3300


def test_180_lb_gives_the_same_targets_as_81_6_kg() -> None:
    from_pounds = targets_for(180 * KG_PER_LB)
    from_kilos = targets_for(81.6)
    assert round(from_pounds.protein_target_g) == round(from_kilos.protein_target_g) == 180
    assert round(from_pounds.carbs_min_g) == round(from_kilos.carbs_min_g)
    assert from_pounds.calories_target_kcal == from_kilos.calories_target_kcal == 3264
    assert from_pounds == from_kilos


def test_targets_need_a_positive_weight() -> None:
    with pytest.raises(ValueError):
        targets_for(0)


def test_no_weight_means_no_targets() -> None:
    diagnosis = evaluate(with_changes(HEALTHY, weight_kg=None))
    assert diagnosis.targets is None
    for rule_id in ("protein", "calories", "carbs"):
        assert finding(diagnosis, rule_id).status is Status.UNKNOWN
        assert "weight_kg" in finding(diagnosis, rule_id).missing


# --- boundaries -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sleep_hours", "expected"),
    [(8.0, Status.OK), (9.5, Status.OK), (7.9, Status.PROBLEM), (5, Status.PROBLEM)],
)
def test_sleep_boundary(sleep_hours: float, expected: Status) -> None:
    diagnosis = evaluate(with_changes(HEALTHY, sleep_hours=sleep_hours))
    assert finding(diagnosis, "sleep").status is expected


@pytest.mark.parametrize("weight_kg", [80.0, 81.6, 180 * KG_PER_LB, 63.3, 104.7])
@pytest.mark.parametrize(
    ("grams_per_kg", "expected"),
    [(2.2, Status.OK), (2.5, Status.OK), (2.1, Status.PROBLEM), (1.0, Status.PROBLEM)],
)
def test_protein_boundary(weight_kg: float, grams_per_kg: float, expected: Status) -> None:
    protein = grams_per_kg * round(weight_kg, 1)
    diagnosis = evaluate(with_changes(HEALTHY, weight_kg=weight_kg, protein_g=protein))
    result = finding(diagnosis, "protein")
    assert result.status is expected
    if expected is Status.PROBLEM:
        assert result.values["protein_gap_g"] == pytest.approx(
            (2.2 - grams_per_kg) * round(weight_kg, 1)
        )


@pytest.mark.parametrize(
    ("calories", "expected", "too"),
    [
        (3199, Status.PROBLEM, "low"),  # under 40 kcal per kg of 80 kg
        (2000, Status.PROBLEM, "low"),
        (3200, Status.OK, None),
        (3400, Status.OK, None),
        (3520, Status.OK, None),  # exactly 10% over
        (3521, Status.PROBLEM, "high"),
        (4500, Status.PROBLEM, "high"),
    ],
)
def test_calorie_window(calories: int, expected: Status, too: str | None) -> None:
    diagnosis = evaluate(with_changes(HEALTHY, weight_kg=80.0, calories_per_day=calories))
    result = finding(diagnosis, "calories")
    assert result.status is expected
    assert result.values.get("too") == too


@pytest.mark.parametrize(
    ("changes", "rule_id", "expected"),
    [
        ({"accessory_reps": 14}, "program", Status.PROBLEM),
        ({"front_exercises": 3, "back_exercises": 2}, "program", Status.OK),
        ({"front_exercises": 5}, "program", Status.PROBLEM),
        ({"back_exercises": 1}, "program", Status.PROBLEM),
        ({"calf_set_seconds": 30}, "calves", Status.OK),
        ({"calf_set_seconds": 50}, "calves", Status.OK),
        ({"calf_set_seconds": 25}, "calves", Status.PROBLEM),
        ({"calf_set_seconds": 55}, "calves", Status.PROBLEM),
        ({"cardio_minutes_week": 150, "cardio_kind": "steady"}, "cardio", Status.OK),
        ({"cardio_minutes_week": 151}, "cardio", Status.PROBLEM),
        ({"weeks_since_program_change": 8}, "variation", Status.OK),
        ({"weeks_since_program_change": 9}, "variation", Status.PROBLEM),
        ({"carbs_g": 240}, "carbs", Status.OK),  # 3 g per kg of 80 kg
        ({"carbs_g": 239}, "carbs", Status.PROBLEM),
        ({"carbs_g": None, "carbs_level": "moderate"}, "carbs", Status.OK),
        ({"carbs_g": None, "carbs_level": "low"}, "carbs", Status.PROBLEM),
        ({"leg_days_per_week": 3, "consecutive_leg_days": False}, "rest_days", Status.OK),
        ({"leg_days_per_week": 3, "consecutive_leg_days": False}, "frequency", Status.PROBLEM),
        ({"leg_days_per_week": 4, "consecutive_leg_days": False}, "rest_days", Status.PROBLEM),
        ({"leg_days_per_week": 1}, "frequency", Status.PROBLEM),
        ({"leg_days_per_week": 1}, "rest_days", Status.OK),
        ({"recovery": "poor", "leg_days_per_week": 1}, "frequency", Status.OK),
        ({"leg_training": "machines"}, "strength_work", Status.PROBLEM),
        ({"explosive_reps": False}, "explosive", Status.PROBLEM),
        ({"explosive_reps": False, "form_checked": False}, "explosive", Status.OK),
        ({"chases_heavy": True}, "explosive", Status.PROBLEM),
        ({"chases_heavy": True}, "technique", Status.PROBLEM),
    ],
)
def test_single_answer_changes(changes: dict[str, Any], rule_id: str, expected: Status) -> None:
    assert finding(evaluate(with_changes(HEALTHY, **changes)), rule_id).status is expected


# --- whole profiles -------------------------------------------------------------------------


def test_a_healthy_profile_has_no_problems() -> None:
    diagnosis = evaluate(HEALTHY)
    assert diagnosis.problems == ()
    assert diagnosis.unknown == ()
    assert {f.rule_id for f in diagnosis.strengths} == set(ALL_IDS)


@pytest.mark.parametrize("profile", [CARDIO_ONLY, NO_LEG_TRAINING], ids=["cardio", "nothing"])
def test_no_leg_lifting_puts_strength_work_first_and_speaks_for_the_lifting_rules(
    profile: Answers,
) -> None:
    diagnosis = evaluate(profile)
    assert diagnosis.problems[0].rule_id == "strength_work"
    shown = {f.rule_id for f in (*diagnosis.problems, *diagnosis.strengths, *diagnosis.unknown)}
    for rule_id in ("program", "frequency", "rest_days", "variation", "explosive"):
        assert finding(diagnosis, rule_id).covered_by == "strength_work"
        assert rule_id not in shown
    # What the rules found is kept: no leg exercises and no leg day are still problems.
    assert finding(diagnosis, "program").status is Status.PROBLEM
    assert finding(diagnosis, "frequency").status is Status.PROBLEM


def test_no_leg_day_at_all_is_a_strength_work_problem_even_with_free_weights() -> None:
    diagnosis = evaluate(with_changes(HEALTHY, leg_days_per_week=0))
    assert diagnosis.problems[0].rule_id == "strength_work"
    assert finding(diagnosis, "frequency").covered_by == "strength_work"


def test_the_heavy_chaser() -> None:
    diagnosis = evaluate(HEAVY_CHASER)
    found = statuses(diagnosis)
    # Weight before form is the danger; everything else waits behind it.
    assert diagnosis.problems[0].rule_id == "technique"
    assert found["explosive"] is Status.PROBLEM
    assert finding(diagnosis, "explosive").values["advice"] == "form_first"
    assert finding(diagnosis, "explosive").covered_by == "technique"
    assert finding(diagnosis, "rest_days").covered_by == "frequency"
    assert finding(diagnosis, "frequency").values["back_to_back"] is True
    assert finding(diagnosis, "calories").values["too"] == "high"
    assert finding(diagnosis, "calves").values["too"] == "long"
    assert found["sleep"] is Status.OK
    assert found["protein"] is Status.OK


def test_every_rule_is_a_problem_for_someone_and_fine_for_someone() -> None:
    shown: dict[str, set[str]] = {"problems": set(), "strengths": set()}
    for profile in PROFILES.values():
        diagnosis = evaluate(profile)
        shown["problems"] |= {f.rule_id for f in diagnosis.problems}
        shown["strengths"] |= {f.rule_id for f in diagnosis.strengths}
    assert shown["problems"] == set(ALL_IDS)
    assert shown["strengths"] == set(ALL_IDS)


def test_everything_can_go_wrong_at_once() -> None:
    worst = with_changes(
        BEGINNER, leg_training="machines", explosive_reps=True, cardio_minutes_week=400
    )
    diagnosis = evaluate(worst)
    assert set(statuses(diagnosis).values()) == {Status.PROBLEM}
    # Every reason is a problem, listed or spoken for by the problem that covers it.
    assert len(diagnosis.problems) + len(diagnosis.covered) == 13
    assert {f.covered_by for f in diagnosis.covered} <= {f.rule_id for f in diagnosis.problems}


# --- ranking: expected effect on leg growth ---------------------------------------------------


def test_the_reported_form_first_lifter_gets_food_before_form() -> None:
    # "Form first", never checked, 70 g of protein and 880 kcal short.
    lifter = with_changes(
        HEALTHY,
        weight_kg=80.0,
        form_checked=False,
        chases_heavy=False,
        explosive_reps=False,
        protein_g=176 - 70,
        calories_per_day=3200 - 880,
    )
    order = [f.rule_id for f in evaluate(lifter).problems]
    assert order.index("protein") < order.index("technique")
    assert order.index("calories") < order.index("technique")
    assert order[-1] == "technique"


def test_weight_before_form_is_dangerous_and_ranks_above_food() -> None:
    lifter = with_changes(HEALTHY, chases_heavy=True, protein_g=60, calories_per_day=2000)
    order = [f.rule_id for f in evaluate(lifter).problems]
    assert order[0] == "technique"
    assert set(order[1:3]) == {"protein", "calories"}


@pytest.mark.parametrize(
    ("key", "share_of_need", "target"),
    [("protein_g", 2.2, "protein"), ("calories_per_day", 40, "calories")],
)
def test_food_gaps_rank_by_their_size(key: str, share_of_need: float, target: str) -> None:
    # A lifter who also has too few front-thigh exercises: a small food gap ranks below that,
    # a big one above, and the impact never falls as the gap grows.
    weight = 80.0
    need = share_of_need * weight
    impacts = []
    for fraction_short in (0.02, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.7):
        lifter = with_changes(
            HEALTHY, front_exercises=1, **{key: round(need * (1 - fraction_short))}
        )
        diagnosis = evaluate(lifter)
        impacts.append(finding(diagnosis, target).impact)
        order = [f.rule_id for f in diagnosis.problems]
        if fraction_short <= 0.05:
            assert order.index(target) > order.index("program"), fraction_short
        if fraction_short >= 0.4:
            assert order.index(target) < order.index("program"), fraction_short
    assert impacts == sorted(impacts)


def test_more_missing_sleep_ranks_higher() -> None:
    impacts = [
        finding(evaluate(with_changes(HEALTHY, sleep_hours=hours)), "sleep").impact
        for hours in (7.75, 7.5, 7, 6.5, 6, 5, 4)
    ]
    assert impacts == sorted(impacts)
    assert impacts[0] > 0


def test_priorities_break_ties_in_the_documented_order() -> None:
    assert sorted(PRIORITY, key=PRIORITY.__getitem__)[:3] == [
        "strength_work",
        "protein",
        "calories",
    ]
    assert sorted(PRIORITY, key=PRIORITY.__getitem__)[-4:] == [
        "technique",
        "calves",
        "variation",
        "explosive",
    ]
    assert set(PRIORITY) == set(IMPACT) == set(RULE_IDS)
    assert len({rule.priority for rule in RULES}) == 13


# Tiers from docs/rules.md: anything in an earlier tier outranks anything in a later one.
def _tier(found: Finding) -> int:
    if found.rule_id == "strength_work" and found.values["lifts_legs"] is False:
        return 0
    if found.rule_id == "frequency" and found.values["leg_days_per_week"] == 0:
        return 0
    if found.rule_id == "technique" and found.values["chases_heavy"] is True:
        return 1
    if found.rule_id in {"technique", "calves", "variation", "explosive"}:
        return 3
    return 2  # food, training volume and frequency, sleep, cardio, carbs: by size


def test_the_ranking_over_every_generated_answer() -> None:
    for generated in GRID:
        diagnosis = evaluate(generated)
        problems = diagnosis.problems
        keys = [(-f.impact, f.priority) for f in problems]
        assert keys == sorted(keys), generated
        assert all(0 < f.impact <= 100 for f in problems), generated
        others = (*diagnosis.strengths, *diagnosis.unknown)
        assert all(f.impact == 0 for f in others), generated
        tiers = [_tier(f) for f in problems]
        assert tiers == sorted(tiers), [(f.rule_id, f.impact) for f in problems]
        # The late tier in the brief's order: form (when not dangerous), calves, variety, speed.
        late = [f.rule_id for f in problems if _tier(f) == 3]
        expected = [r for r in ("technique", "calves", "variation", "explosive") if r in late]
        assert late == expected, generated


# --- one verdict per reason ---------------------------------------------------------------------


def _contradicts(problem: Finding, strength: Finding) -> bool:
    """A strength that praises what a problem criticises."""
    if problem.rule_id == "frequency" and strength.rule_id == "rest_days":
        return True  # the reported "crammed into 1 day" next to "1 leg day heals well"
    if problem.rule_id == "strength_work" and problem.values["lifts_legs"] is False:
        # No leg lifting: nothing about leg exercises, days or speed can be right.
        return strength.rule_id in {"program", "frequency", "rest_days", "variation", "explosive"}
    if problem.rule_id == "technique":
        return strength.rule_id == "explosive"  # fast reps on unproven form
    return False


def test_every_reason_gets_exactly_one_verdict_over_every_generated_answer() -> None:
    for generated in GRID:
        diagnosis = evaluate(generated)
        lists = (diagnosis.problems, diagnosis.strengths, diagnosis.unknown, diagnosis.covered)
        ids = [f.rule_id for findings in lists for f in findings]
        assert sorted(ids) == sorted(RULE_IDS), generated
        problems = {f.rule_id for f in diagnosis.problems}
        for covered in diagnosis.covered:
            assert covered.covered_by in problems, (covered.rule_id, generated)
        for problem in diagnosis.problems:
            for strength in diagnosis.strengths:
                assert not _contradicts(problem, strength), (problem.rule_id, strength.rule_id)


def test_covers_apply_only_to_problems_and_in_order() -> None:
    # A rule covered by one problem is never covered again, and never covers others.
    coverers = [cover.by for cover in COVERS]
    for generated in GRID:
        diagnosis = evaluate(generated)
        for covered in diagnosis.covered:
            assert covered.rule_id not in {f.covered_by for f in diagnosis.covered}
            assert covered.covered_by in coverers


def test_the_grid_covers_every_option_and_skip_of_every_question() -> None:
    from flows.assessment import QUESTIONS

    seen: dict[str, set[object]] = {question.name: set() for question in QUESTIONS}
    for generated in GRID:
        for question in QUESTIONS:
            keys = question.answer_keys
            if any(key in generated for key in keys):
                seen[question.name].add(tuple(generated.get(key) for key in keys))
    for question in QUESTIONS:
        # Every option and the skip were stored, each as an answer of its own.
        assert len(seen[question.name]) == len(set(options(question))), question.name
        if question.skippable:
            assert tuple(None for _ in question.answer_keys) in seen[question.name]


# --- missing answers ------------------------------------------------------------------------


@pytest.mark.parametrize("profile", [answers(), DONT_KNOW], ids=["empty", "dont_know"])
def test_missing_answers_make_rules_unknown_not_crash(profile: Answers) -> None:
    diagnosis = evaluate(profile)
    assert len(diagnosis.problems) + len(diagnosis.strengths) + len(diagnosis.unknown) == 13
    for result in diagnosis.unknown:
        assert result.missing, result.rule_id
    if not profile:
        assert len(diagnosis.unknown) == 13


def test_dont_know_names_the_missing_answer() -> None:
    diagnosis = evaluate(DONT_KNOW)
    assert finding(diagnosis, "protein").missing == ("protein_g",)
    assert finding(diagnosis, "sleep").missing == ("sleep_hours",)
    assert finding(diagnosis, "calves").missing == ("calf_set_seconds",)
    assert finding(diagnosis, "rest_days").missing == ("consecutive_leg_days",)
    assert set(finding(diagnosis, "program").missing) == {
        "front_exercises",
        "back_exercises",
        "accessory_reps",
    }
    assert set(finding(diagnosis, "carbs").missing) == {"carbs_g", "carbs_level"}
    # Advanced with unknown recovery counts as average recovery: two leg days are right.
    assert finding(diagnosis, "frequency").status is Status.OK


@pytest.mark.parametrize("key", sorted(HEALTHY))
@pytest.mark.parametrize("how", ["none", "absent"])
def test_losing_one_answer_only_ever_makes_a_rule_unknown(key: str, how: str) -> None:
    reduced = dict(HEALTHY)
    if how == "none":
        reduced[key] = None
    else:
        del reduced[key]
    before = statuses(evaluate(HEALTHY))
    after = evaluate(cast(Answers, reduced))
    changed = [
        rule_id for rule_id, status in statuses(after).items() if status is not before[rule_id]
    ]
    for rule_id in changed:
        assert finding(after, rule_id).status is Status.UNKNOWN, (key, rule_id)
        assert key in finding(after, rule_id).missing, (key, rule_id)
    # Only these answers are optional extras: without them every rule can still decide.
    assert bool(changed) is (key not in {"recovery", "weight_unit", "naps", "cardio_kind"})


def test_a_known_problem_still_shows_when_another_answer_is_missing() -> None:
    diagnosis = evaluate(with_changes(HEALTHY, front_exercises=1, accessory_reps=None))
    result = finding(diagnosis, "program")
    assert result.status is Status.PROBLEM
    assert result.missing == ("accessory_reps",)


# --- the two decisions ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("experience", "recovery", "split"),
    [
        ("beginner", "good", False),
        ("beginner", "average", False),
        ("beginner", "poor", False),
        ("intermediate", "good", True),
        ("intermediate", "average", True),
        ("intermediate", "poor", False),
        ("advanced", "good", True),
        ("advanced", "average", True),
        ("advanced", "poor", False),
        ("advanced", None, True),
        (None, "good", False),
    ],
)
def test_split_recommended(experience: str | None, recovery: str | None, split: bool) -> None:
    profile = answers(experience=experience, recovery=recovery)
    assert split_recommended(profile) is split
    days = 2 if split else 1
    if experience is not None:
        diagnosis = evaluate(with_changes(profile, leg_days_per_week=days))
        assert finding(diagnosis, "frequency").status is Status.OK


@pytest.mark.parametrize(
    ("form_checked", "chases_heavy", "allowed"),
    [(True, False, True), (True, None, True), (True, True, False), (False, False, False)],
)
def test_explosive_only_on_checked_form(
    form_checked: bool, chases_heavy: bool | None, allowed: bool
) -> None:
    profile = answers(form_checked=form_checked, chases_heavy=chases_heavy)
    assert explosive_allowed(profile) is allowed
