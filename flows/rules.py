"""The coaching rules: one rule per reason of the two source articles (docs/rules.md).

Pure functions of an assessment's `Answers`: every rule returns a `Finding` that says PROBLEM,
OK, or UNKNOWN (an answer it needs is missing or was "don't know"). `evaluate` runs all of
them, folds findings that another problem already speaks for into it (`COVERS`), and ranks the
problems by their expected effect on leg growth (`impact`), biggest first.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from flows.answers import Answers

logger = logging.getLogger(__name__)

ARTICLE_1_FILE = "000_b5f3031c49cc0b78.txt"
ARTICLE_2_FILE = "001_65eead3e83eb52e3.txt"
# The articles as a person would name them: article 1's title, and the list article 2 gives.
ARTICLE_TITLES: Mapping[int, str] = {
    1: "What are the most common reasons for your legs to fall behind",
    2: "The Top 7 Reasons",
}

# Figures taken from the articles.
PROTEIN_G_PER_KG = 2.2  # article 1, reason 4
CALORIES_KCAL_PER_KG = 40  # article 1, reason 3 (training days)
MAX_SURPLUS_FRACTION = 0.10  # article 1, reason 3: at most 10% over the need
SLEEP_TARGET_H = 8.0  # article 1, reason 6
MIN_ACCESSORY_REPS = 15  # article 1, reason 1
FRONT_EXERCISES = (3, 4)  # article 1, reason 1: exercises a week for the front thigh
BACK_EXERCISES = (2, 3)  # article 1, reason 1: exercises a week for the back thigh
CALF_SET_TARGET_S = 40  # article 2, reason 5: ~20 s strength, ~40 s mass, ~60 s endurance
# Thresholds the articles leave open; docs/rules.md gives the reasons.
CALF_SET_RANGE_S = (30, 50)  # closer to 40 s than to the 20 s or 60 s set lengths
CARBS_MIN_G_PER_KG = 3.0  # bottom of the 3-5 g/kg/day range for strength training
CARDIO_MAX_MINUTES_WEEK = 150  # the weekly health dose; more starts to cost leg growth
MAX_WEEKS_WITHOUT_CHANGE = 8  # a typical training block is 4-8 weeks
MAX_LEG_DAYS_PER_WEEK = 2  # both articles: two leg sessions at most, never back to back

# Comparisons allow for float noise, so "exactly 2.2 g per kg" counts as reaching it.
_EPSILON = 1e-6

_NO_LEG_LIFTING = ("none", "cardio_only")


@dataclass(frozen=True)
class Targets:
    """The personal numbers for one body weight; weight is rounded to 0.1 kg first."""

    weight_kg: float
    protein_target_g: float
    calories_target_kcal: int
    calories_max_kcal: int
    carbs_min_g: float
    sleep_target_h: float = SLEEP_TARGET_H
    min_accessory_reps: int = MIN_ACCESSORY_REPS
    front_exercises: tuple[int, int] = FRONT_EXERCISES
    back_exercises: tuple[int, int] = BACK_EXERCISES
    calf_set_target_s: int = CALF_SET_TARGET_S
    cardio_max_minutes_week: int = CARDIO_MAX_MINUTES_WEEK
    max_weeks_without_change: int = MAX_WEEKS_WITHOUT_CHANGE


def targets_for(weight_kg: float) -> Targets:
    """Daily targets for a body weight in kg.

    The weight is rounded to 0.1 kg (no scale is more precise), so 180 lb and 81.6 kg give the
    same targets, and the calorie target is a whole number of kcal.
    """
    if weight_kg <= 0:
        raise ValueError(f"body weight must be positive, got {weight_kg}")
    weight = round(weight_kg, 1)
    calories = round(CALORIES_KCAL_PER_KG * weight)
    return Targets(
        weight_kg=weight,
        protein_target_g=round(PROTEIN_G_PER_KG * weight, 2),
        calories_target_kcal=calories,
        calories_max_kcal=round(calories * (1 + MAX_SURPLUS_FRACTION)),
        carbs_min_g=round(CARBS_MIN_G_PER_KG * weight, 1),
    )


def protein_grams(targets: Targets) -> int:
    """The protein target as every message shows it: 2.2 g per kg in whole grams."""
    return round(targets.protein_target_g)


def targets_from_answers(answers: Mapping[str, Any]) -> Targets | None:
    """The targets of an assessment's body weight; None when it holds no usable weight."""
    weight = answers.get("weight_kg")
    if not isinstance(weight, int | float) or weight <= 0:
        return None
    return targets_for(float(weight))


class Status(StrEnum):
    PROBLEM = "problem"
    OK = "ok"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Source:
    """Where a rule comes from: the article file and the numbered reason in it."""

    article_file: str
    article: int  # 1 or 2
    section: int
    section_title: str


@dataclass(frozen=True)
class Finding:
    """One rule's verdict on one person.

    `values` holds the personal numbers the verdict rests on (protein_g, protein_target_g, ...);
    `missing` names the answers the rule needed but did not get.
    """

    rule_id: str
    status: Status
    priority: int  # the rule's place when impacts are equal: lower comes first
    source: Source
    values: dict[str, Any] = field(default_factory=dict)
    missing: tuple[str, ...] = ()
    # Expected effect on leg growth of fixing this problem, 0-100; 0 for anything else.
    impact: float = 0.0
    # The problem that already speaks for this finding (see COVERS); it is then listed
    # neither as a problem nor as a strength.
    covered_by: str | None = None


@dataclass(frozen=True)
class Rule:
    id: str
    source: Source
    priority: int
    check: Callable[[Answers, Targets | None], Finding]


@dataclass(frozen=True)
class Diagnosis:
    problems: tuple[Finding, ...]  # biggest expected effect first
    strengths: tuple[Finding, ...]
    unknown: tuple[Finding, ...]
    targets: Targets | None  # None when the body weight is unknown
    covered: tuple[Finding, ...] = ()  # folded into a problem that speaks for them

    def finding(self, rule_id: str) -> Finding | None:
        for finding in (*self.problems, *self.strengths, *self.unknown, *self.covered):
            if finding.rule_id == rule_id:
                return finding
        return None


# --- how the rules decide -------------------------------------------------------------------


@dataclass(frozen=True)
class _Verdict:
    status: Status
    values: dict[str, Any]
    missing: tuple[str, ...] = ()


def _problem(**values: Any) -> _Verdict:
    return _Verdict(Status.PROBLEM, values)


def _ok(**values: Any) -> _Verdict:
    return _Verdict(Status.OK, values)


def _unknown(*missing: str, **values: Any) -> _Verdict:
    return _Verdict(Status.UNKNOWN, values, missing)


def _below(value: float, floor: float) -> bool:
    return value < floor - _EPSILON


def _above(value: float, ceiling: float) -> bool:
    return value > ceiling + _EPSILON


def _missing(**answers: Any) -> tuple[str, ...]:
    """The names of the answers that are missing, in the order given."""
    return tuple(name for name, value in answers.items() if value is None)


def _grams_per_kg(
    nutrient: str, grams: float, floor_key: str, floor: float, weight_kg: float
) -> _Verdict:
    """A daily intake in grams against a floor set by body weight: short of it is a problem."""
    values = {
        f"{nutrient}_g": grams,
        floor_key: floor,
        f"{nutrient}_g_per_kg": grams / weight_kg,
        "weight_kg": weight_kg,
    }
    if _below(grams, floor):
        return _problem(**values, **{f"{nutrient}_gap_g": floor - grams})
    return _ok(**values)


def _lifts_no_legs(answers: Answers) -> bool:
    return answers.get("leg_training") in _NO_LEG_LIFTING


def _leg_days(answers: Answers) -> int | None:
    """Leg days a week; someone who lifts nothing for legs has none even if never asked."""
    days = answers.get("leg_days_per_week")
    if days is None and _lifts_no_legs(answers):
        return 0
    return days


def split_recommended(answers: Answers) -> bool:
    """Should this person split leg work into two sessions a week (docs/rules.md, "Split")?

    Intermediate and advanced lifters who recover well or averagely: yes, front thigh + calves
    on one day, back thigh + glutes + calves on another. Beginners (short sessions, learning
    form) and poor recoverers keep one full leg day. An unknown experience counts as beginner,
    an unknown recovery as average.
    """
    experience = answers.get("experience") or "beginner"
    recovery = answers.get("recovery") or "average"
    return experience in ("intermediate", "advanced") and recovery in ("good", "average")


def explosive_allowed(answers: Answers) -> bool:
    """May this person lift the heavy basics explosively (docs/rules.md, "Reps")?

    Only once someone has checked their form and they do not trade form for weight.
    """
    return answers.get("form_checked") is True and answers.get("chases_heavy") is not True


def _judge_program(answers: Answers, targets: Targets | None) -> _Verdict:
    front = answers.get("front_exercises")
    back = answers.get("back_exercises")
    reps = answers.get("accessory_reps")
    if _lifts_no_legs(answers):
        front = 0 if front is None else front
        back = 0 if back is None else back
    issues: list[str] = []
    missing: list[str] = []
    for name, count, (low, high) in (
        ("front", front, FRONT_EXERCISES),
        ("back", back, BACK_EXERCISES),
    ):
        if count is None:
            missing.append(f"{name}_exercises")
        elif count < low:
            issues.append(f"{name}_too_few")
        elif count > high:
            issues.append(f"{name}_too_many")
    if reps is None:
        # Someone with no leg exercises has no reps to judge; the exercise count says enough.
        if not _lifts_no_legs(answers):
            missing.append("accessory_reps")
    elif reps < MIN_ACCESSORY_REPS:
        issues.append("reps_too_few")
    values = {
        "front_exercises": front,
        "back_exercises": back,
        "accessory_reps": reps,
        "front_exercises_range": FRONT_EXERCISES,
        "back_exercises_range": BACK_EXERCISES,
        "min_accessory_reps": MIN_ACCESSORY_REPS,
        "issues": tuple(issues),
    }
    if issues:
        return _Verdict(Status.PROBLEM, values, tuple(missing))
    if missing:
        return _Verdict(Status.UNKNOWN, values, tuple(missing))
    return _Verdict(Status.OK, values)


def _judge_frequency(answers: Answers, targets: Targets | None) -> _Verdict:
    days = _leg_days(answers)
    if days is None:
        return _unknown("leg_days_per_week")
    split = split_recommended(answers)
    recommended = 2 if split else 1
    values = {
        "leg_days_per_week": days,
        "recommended_leg_days": recommended,
        "split_recommended": split,
        "experience": answers.get("experience"),
        "recovery": answers.get("recovery"),
        # Four or more leg days always put two of them next to each other.
        "back_to_back": days >= 4 or answers.get("consecutive_leg_days") is True,
    }
    if days == 0 or days > MAX_LEG_DAYS_PER_WEEK:
        return _problem(**values)
    if answers.get("experience") is None:
        # One or two leg days can both be right; which depends on experience.
        return _unknown("experience", **values)
    if days != recommended:
        return _problem(**values)
    return _ok(**values)


def _judge_calories(answers: Answers, targets: Targets | None) -> _Verdict:
    calories = answers.get("calories_per_day")
    if targets is None or calories is None:
        return _unknown(
            *_missing(weight_kg=targets, calories_per_day=calories), calories_kcal=calories
        )
    values = {
        "calories_kcal": calories,
        "calories_target_kcal": targets.calories_target_kcal,
        "calories_max_kcal": targets.calories_max_kcal,
        "weight_kg": targets.weight_kg,
    }
    if _below(calories, targets.calories_target_kcal):
        return _problem(
            **values, too="low", calories_gap_kcal=targets.calories_target_kcal - calories
        )
    if _above(calories, targets.calories_max_kcal):
        return _problem(
            **values, too="high", calories_excess_kcal=calories - targets.calories_max_kcal
        )
    return _ok(**values)


def _judge_protein(answers: Answers, targets: Targets | None) -> _Verdict:
    protein = answers.get("protein_g")
    if targets is None or protein is None:
        return _unknown(*_missing(weight_kg=targets, protein_g=protein), protein_g=protein)
    return _grams_per_kg(
        "protein", protein, "protein_target_g", targets.protein_target_g, targets.weight_kg
    )


def _judge_technique(answers: Answers, targets: Targets | None) -> _Verdict:
    chases_heavy = answers.get("chases_heavy")
    form_checked = answers.get("form_checked")
    values = {
        "chases_heavy": chases_heavy,
        "form_checked": form_checked,
        "explosive_reps": answers.get("explosive_reps"),
        "experience": answers.get("experience"),
    }
    if chases_heavy is True or form_checked is False:
        return _problem(**values)
    missing = _missing(chases_heavy=chases_heavy, form_checked=form_checked)
    if missing:
        return _unknown(*missing, **values)
    return _ok(**values)


def _judge_sleep(answers: Answers, targets: Targets | None) -> _Verdict:
    hours, naps = answers.get("sleep_hours"), answers.get("naps")
    if hours is None:
        return _unknown("sleep_hours", naps=naps)
    values = {"sleep_hours": hours, "sleep_target_h": SLEEP_TARGET_H, "naps": naps}
    if _below(hours, SLEEP_TARGET_H):
        return _problem(**values, sleep_gap_h=SLEEP_TARGET_H - hours)
    return _ok(**values)


def _judge_strength_work(answers: Answers, targets: Targets | None) -> _Verdict:
    kind = answers.get("leg_training")
    if kind is None:
        return _unknown("leg_training")
    days = answers.get("leg_days_per_week")
    # No weights for the legs at all: the lifting questions have nothing to judge.
    lifts_legs = kind not in _NO_LEG_LIFTING and days != 0
    values = {"leg_training": kind, "leg_days_per_week": days, "lifts_legs": lifts_legs}
    if not lifts_legs or kind == "machines":
        return _problem(**values)
    return _ok(**values)


def _judge_variation(answers: Answers, targets: Targets | None) -> _Verdict:
    weeks = answers.get("weeks_since_program_change")
    if weeks is None:
        return _unknown("weeks_since_program_change")
    values = {
        "weeks_since_program_change": weeks,
        "max_weeks_without_change": MAX_WEEKS_WITHOUT_CHANGE,
    }
    if _above(weeks, MAX_WEEKS_WITHOUT_CHANGE):
        return _problem(**values)
    return _ok(**values)


def _judge_cardio(answers: Answers, targets: Targets | None) -> _Verdict:
    minutes, kind = answers.get("cardio_minutes_week"), answers.get("cardio_kind")
    if minutes is None:
        return _unknown("cardio_minutes_week", cardio_kind=kind)
    values = {
        "cardio_minutes_week": minutes,
        "cardio_kind": kind if minutes > 0 else None,
        "cardio_max_minutes_week": CARDIO_MAX_MINUTES_WEEK,
    }
    if _above(minutes, CARDIO_MAX_MINUTES_WEEK):
        return _problem(**values, cardio_excess_minutes=minutes - CARDIO_MAX_MINUTES_WEEK)
    return _ok(**values)


def _judge_carbs(answers: Answers, targets: Targets | None) -> _Verdict:
    grams = answers.get("carbs_g")
    level = answers.get("carbs_level")
    if grams is not None and targets is not None:
        return _grams_per_kg("carbs", grams, "carbs_min_g", targets.carbs_min_g, targets.weight_kg)
    # Grams without a body weight cannot be judged, so the rough level decides if there is one.
    if level is not None:
        values: dict[str, Any] = {"carbs_level": level, "carbs_g": grams}
        return _problem(**values) if level == "low" else _ok(**values)
    if grams is not None:
        return _unknown("weight_kg", carbs_g=grams)
    return _unknown("carbs_g", "carbs_level")


def _judge_calves(answers: Answers, targets: Targets | None) -> _Verdict:
    trains = answers.get("trains_calves")
    if trains is None:
        return _unknown("trains_calves")
    if not trains:
        return _problem(trains_calves=False, calf_set_target_s=CALF_SET_TARGET_S)
    seconds = answers.get("calf_set_seconds")
    values = {
        "trains_calves": True,
        "calf_set_seconds": seconds,
        "calf_set_target_s": CALF_SET_TARGET_S,
        "calf_set_range_s": CALF_SET_RANGE_S,
    }
    if seconds is None:
        return _unknown("calf_set_seconds", **values)
    low, high = CALF_SET_RANGE_S
    if seconds < low:
        return _problem(**values, too="short")
    if seconds > high:
        return _problem(**values, too="long")
    return _ok(**values)


def _judge_explosive(answers: Answers, targets: Targets | None) -> _Verdict:
    explosive = answers.get("explosive_reps")
    form_checked = answers.get("form_checked")
    chases_heavy = answers.get("chases_heavy")
    values = {
        "explosive_reps": explosive,
        "form_checked": form_checked,
        "chases_heavy": chases_heavy,
    }
    if explosive is None:
        return _unknown("explosive_reps", **values)
    if explosive and (form_checked is False or chases_heavy is True):
        return _problem(**values, advice="form_first")
    if form_checked is None:
        return _unknown("form_checked", **values)
    if explosive:
        if chases_heavy is None:
            return _unknown("chases_heavy", **values)
        return _ok(**values)
    if explosive_allowed(answers):
        return _problem(**values, advice="go_explosive")
    # Not explosive while form is unchecked (or weight comes first) is the right order.
    return _ok(**values, waiting_for_form=True)


def _judge_rest_days(answers: Answers, targets: Targets | None) -> _Verdict:
    days = _leg_days(answers)
    if days is None:
        return _unknown("leg_days_per_week")
    consecutive = answers.get("consecutive_leg_days")
    values = {"leg_days_per_week": days, "consecutive_leg_days": consecutive}
    # Four or more leg days in a week always put two of them next to each other.
    if days >= 4:
        return _problem(**{**values, "consecutive_leg_days": True})
    if days < 2:
        return _ok(**values)
    if consecutive is None:
        return _unknown("consecutive_leg_days", **values)
    return _problem(**values) if consecutive else _ok(**values)


# --- how much each problem holds leg growth back ---------------------------------------------
# Points from 0 to 100: the expected effect on leg growth of fixing the problem (docs/rules.md,
# "Ranking"). Shortfalls in food, sleep and cardio scale with their size.


def _scaled(low: float, high: float, share: float, full_at: float) -> float:
    """`low` for the smallest shortfall, rising in a straight line to `high` at `full_at`."""
    return low + (high - low) * min(1.0, max(0.0, share) / full_at)


def _impact_strength_work(v: Mapping[str, Any]) -> float:
    return 100.0 if v["lifts_legs"] is False else 50.0  # nothing with weights / machines only


def _impact_technique(v: Mapping[str, Any]) -> float:
    # Weight before form risks an injury that stops all training; an unchecked form alone
    # is a precaution.
    return 90.0 if v["chases_heavy"] is True else 14.0


def _impact_protein(v: Mapping[str, Any]) -> float:
    return _scaled(20, 80, v["protein_gap_g"] / v["protein_target_g"], 0.5)


def _impact_calories(v: Mapping[str, Any]) -> float:
    if v["too"] == "low":
        return _scaled(20, 80, v["calories_gap_kcal"] / v["calories_target_kcal"], 0.3)
    # Too much food adds fat rather than taking muscle away.
    return _scaled(20, 30, v["calories_excess_kcal"] / v["calories_max_kcal"], 0.3)


_PROGRAM_IMPACT: Mapping[str, float] = {
    "front_too_few": 45.0,
    "back_too_few": 45.0,
    "reps_too_few": 35.0,
    "front_too_many": 30.0,
    "back_too_many": 30.0,
}


def _impact_program(v: Mapping[str, Any]) -> float:
    return max(_PROGRAM_IMPACT[issue] for issue in v["issues"])


def _impact_frequency(v: Mapping[str, Any]) -> float:
    days = v["leg_days_per_week"]
    if days == 0:
        return 100.0  # no leg day at all
    if days > MAX_LEG_DAYS_PER_WEEK:
        found = 40.0
    elif days > v["recommended_leg_days"]:
        found = 35.0
    else:
        found = 30.0  # one long session where two shorter ones would do more
    return max(found, 40.0) if v["back_to_back"] else found


def _impact_sleep(v: Mapping[str, Any]) -> float:
    return _scaled(15, 45, v["sleep_gap_h"], 2.0)


def _impact_cardio(v: Mapping[str, Any]) -> float:
    return _scaled(15, 30, v["cardio_excess_minutes"], 300)


def _impact_carbs(v: Mapping[str, Any]) -> float:
    if "carbs_gap_g" in v:
        return _scaled(15, 30, v["carbs_gap_g"] / v["carbs_min_g"], 0.5)
    return 22.0  # "low" without grams: the middle of the range


def _impact_calves(v: Mapping[str, Any]) -> float:
    return 10.0 if v["trains_calves"] else 12.0


def _impact_explosive(v: Mapping[str, Any]) -> float:
    return 7.0 if v["advice"] == "form_first" else 6.0


def _fixed(points: float) -> Callable[[Mapping[str, Any]], float]:
    return lambda values: points


IMPACT: Mapping[str, Callable[[Mapping[str, Any]], float]] = {
    "strength_work": _impact_strength_work,
    "technique": _impact_technique,
    "protein": _impact_protein,
    "calories": _impact_calories,
    "program": _impact_program,
    "frequency": _impact_frequency,
    "rest_days": _fixed(40.0),
    "sleep": _impact_sleep,
    "cardio": _impact_cardio,
    "carbs": _impact_carbs,
    "calves": _impact_calves,
    "variation": _fixed(8.0),
    "explosive": _impact_explosive,
}


# --- the rules ------------------------------------------------------------------------------


_Judge = Callable[[Answers, Targets | None], _Verdict]


def _make_rule(rule_id: str, source: Source, priority: int, judge: _Judge) -> Rule:
    def check(answers: Answers, targets: Targets | None) -> Finding:
        verdict = judge(answers, targets)
        impact = IMPACT[rule_id](verdict.values) if verdict.status is Status.PROBLEM else 0.0
        return Finding(
            rule_id, verdict.status, priority, source, verdict.values, verdict.missing, impact
        )

    return Rule(rule_id, source, priority, check)


# The order of problems whose impacts are equal, and of strengths: the order of IMPACT's tiers
# (docs/rules.md, "Ranking").
PRIORITY: Mapping[str, int] = {
    "strength_work": 0,
    "protein": 1,
    "calories": 2,
    "program": 3,
    "frequency": 4,
    "rest_days": 5,
    "sleep": 6,
    "cardio": 7,
    "carbs": 8,
    "technique": 9,
    "calves": 10,
    "variation": 11,
    "explosive": 12,
}

# How each rule judges the answers.
_JUDGES: Mapping[str, _Judge] = {
    "program": _judge_program,
    "frequency": _judge_frequency,
    "calories": _judge_calories,
    "protein": _judge_protein,
    "technique": _judge_technique,
    "sleep": _judge_sleep,
    "strength_work": _judge_strength_work,
    "variation": _judge_variation,
    "cardio": _judge_cardio,
    "carbs": _judge_carbs,
    "calves": _judge_calves,
    "explosive": _judge_explosive,
    "rest_days": _judge_rest_days,
}

# The numbered reasons of each article (articles and reasons in their order, from 1): the
# rule a reason gives and the reason's title.
_REASONS: Mapping[str, tuple[tuple[str, str], ...]] = {
    ARTICLE_1_FILE: (
        ("program", "The training program"),
        ("frequency", "Number of workouts per week"),
        ("calories", "Excess calories"),
        ("protein", "The amount of protein"),
        ("technique", "Execution technique"),
        ("sleep", "Proper rest"),
    ),
    ARTICLE_2_FILE: (
        ("strength_work", "You're Not Really Working Your Legs"),
        ("variation", "You're Not Changing It Up"),
        ("cardio", "Too Much Cardio"),
        ("carbs", "Not Enough Carbs"),
        ("calves", "You're Not Spending Enough Time on Calves"),
        ("explosive", "Do Explosive Reps"),
        ("rest_days", "Get Plenty of Rest between Workouts"),
    ),
}

RULES: tuple[Rule, ...] = tuple(
    _make_rule(rule_id, Source(file, article, section, title), PRIORITY[rule_id], _JUDGES[rule_id])
    for article, (file, reasons) in enumerate(_REASONS.items(), 1)
    for section, (rule_id, title) in enumerate(reasons, 1)
)

RULE_IDS: tuple[str, ...] = tuple(rule.id for rule in RULES)


# --- one verdict per reason -------------------------------------------------------------------


@dataclass(frozen=True)
class Cover:
    """A problem that speaks for other rules: when `applies` to it, their findings fold into it
    and are listed neither as problems nor as strengths (docs/rules.md, "One verdict")."""

    by: str
    rules: tuple[str, ...]
    applies: Callable[[Finding], bool]


COVERS: tuple[Cover, ...] = (
    # No weights for the legs: there are no leg exercises, reps, leg days, leg program or
    # leg lifting speed to judge, and "start a leg day built on squats and deadlifts" is the
    # advice for all of them.
    Cover(
        "strength_work",
        ("program", "frequency", "rest_days", "variation", "explosive"),
        lambda finding: finding.values.get("lifts_legs") is False,
    ),
    # The number of leg days is wrong: the schedule it recommends is always spaced out, so it
    # fixes back-to-back days too, and praising the spacing of a wrong schedule contradicts it.
    Cover("frequency", ("rest_days",), lambda finding: True),
    # Form comes first: until it is sound, reps are slow and controlled, which is all the
    # explosive rule would say.
    Cover("technique", ("explosive",), lambda finding: True),
)


def _fold(findings: list[Finding]) -> list[Finding]:
    by_id = {finding.rule_id: finding for finding in findings}
    for cover in COVERS:
        covering = by_id[cover.by]
        if (
            covering.status is not Status.PROBLEM
            or covering.covered_by is not None
            or not cover.applies(covering)
        ):
            continue
        for rule_id in cover.rules:
            if by_id[rule_id].covered_by is None:
                by_id[rule_id] = replace(by_id[rule_id], covered_by=cover.by)
    return [by_id[finding.rule_id] for finding in findings]


def _ranked(findings: list[Finding]) -> tuple[Finding, ...]:
    return tuple(sorted(findings, key=lambda finding: (-finding.impact, finding.priority)))


def evaluate(answers: Answers) -> Diagnosis:
    """Runs every rule; problems come out biggest expected effect first."""
    weight = answers.get("weight_kg")
    targets = targets_for(weight) if weight is not None and weight > 0 else None
    findings = _fold([rule.check(answers, targets) for rule in RULES])
    shown = [finding for finding in findings if finding.covered_by is None]

    def with_status(status: Status) -> list[Finding]:
        return [finding for finding in shown if finding.status is status]

    diagnosis = Diagnosis(
        problems=_ranked(with_status(Status.PROBLEM)),
        strengths=_ranked(with_status(Status.OK)),
        unknown=_ranked(with_status(Status.UNKNOWN)),
        targets=targets,
        covered=tuple(finding for finding in findings if finding.covered_by is not None),
    )
    logger.debug(
        "diagnosis: %d problems, %d strengths, %d unknown",
        len(diagnosis.problems),
        len(diagnosis.strengths),
        len(diagnosis.unknown),
    )
    return diagnosis
