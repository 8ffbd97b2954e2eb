"""The assessment result as Telegram messages.

The first message fits a phone screen: the verdict, the top three problems with the person's
own numbers, and the one thing to do this week. The views behind its buttons give every
problem in full, what the person already does right, and why each reason matters, in the
words of the article it comes from (docs/rules.md, "The diagnosis on a phone").
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable
from typing import Any

from flows.rules import (
    ARTICLE_TITLES,
    CALF_SET_RANGE_S,
    CALF_SET_TARGET_S,
    CALORIES_KCAL_PER_KG,
    CARBS_MIN_G_PER_KG,
    CARDIO_MAX_MINUTES_WEEK,
    MAX_LEG_DAYS_PER_WEEK,
    MAX_SURPLUS_FRACTION,
    MAX_WEEKS_WITHOUT_CHANGE,
    MIN_ACCESSORY_REPS,
    PROTEIN_G_PER_KG,
    SLEEP_TARGET_H,
    Diagnosis,
    Finding,
    Status,
    Targets,
)

# Phone screens: several short messages read better than one long one.
MESSAGE_LIMIT = 1500
# How many problems the first message names.
TOP_PROBLEMS = 3

KG_PER_LB = 0.45359237

_TITLES: dict[str, str] = {
    "program": "Program",
    "frequency": "Leg days a week",
    "calories": "Calories",
    "protein": "Protein",
    "technique": "Technique",
    "sleep": "Sleep",
    "strength_work": "Strength work",
    "variation": "Variation",
    "cardio": "Cardio",
    "carbs": "Carbs",
    "calves": "Calves",
    "explosive": "Explosive reps",
    "rest_days": "Rest days",
}

# What each answer is, as the "could not judge" list names it.
_ANSWER_LABELS: dict[str, str] = {
    "experience": "how long you have been training",
    "recovery": "how well you recover",
    "weight_kg": "your body weight",
    "leg_days_per_week": "how many leg days you do a week",
    "consecutive_leg_days": "whether leg days fall on two days in a row",
    "leg_training": "what your leg training consists of",
    "front_exercises": "how many front-thigh exercises you do",
    "back_exercises": "how many back-thigh exercises you do",
    "accessory_reps": "your reps on the non-basic exercises",
    "trains_calves": "whether you train calves",
    "calf_set_seconds": "how long a calf set takes",
    "weeks_since_program_change": "when you last changed your program",
    "form_checked": "whether your form has been checked",
    "chases_heavy": "whether weight comes before form",
    "explosive_reps": "how fast you lift",
    "cardio_minutes_week": "your minutes of cardio a week",
    "cardio_kind": "what kind of cardio you do",
    "calories_per_day": "your calories a day",
    "carbs_g": "your carbs in grams a day",
    "carbs_level": "a rough carb level",
    "protein_g": "your protein in grams a day",
    "sleep_hours": "your hours of sleep",
    "naps": "whether you nap",
}

# Button labels of the diagnosis views.
BUTTONS: dict[str, str] = {
    "problems": "All problems ({count})",
    "unknown": "What I couldn't judge ({count})",
    "right": "What you do right ({count})",
    "why": "Why {title}?",
}

NO_ASSESSMENT = "assessment.diagnosis.none"


def rule_title(rule_id: str) -> str:
    """A short name for a rule, e.g. "Protein"."""
    return _TITLES.get(rule_id, rule_id.replace("_", " ").capitalize())


def why_label(rule_id: str) -> str:
    """The label of a reason's "Why?" button, e.g. "Why protein?"."""
    return BUTTONS["why"].format(title=rule_title(rule_id).lower())


# --- numbers ----------------------------------------------------------------------------------


def _whole(value: float) -> str:
    return html.escape(f"{round(value):,}")


def _decimal(value: float) -> str:
    """One decimal, dropped when it is zero: 7.5, 8, 81.6."""
    text = f"{value:,.1f}"
    return html.escape(text[:-2] if text.endswith(".0") else text)


def _grams(value: float) -> str:
    return f"{_whole(value)} g"


def _kcal(value: float) -> str:
    return f"{_whole(value)} kcal"


def _hours(value: float) -> str:
    return f"{_decimal(value)} h"


def _earlier(hours: float) -> str:
    """A bedtime shift people can act on: '30 min', '1 h', '1.5 h' (quarter hours)."""
    minutes = max(15, round(hours * 4) * 15)
    return f"{minutes} min" if minutes < 60 else _hours(minutes / 60)


def _exercises(count: int) -> str:
    return f"{_whole(count)} exercise" + ("" if count == 1 else "s")


def _days(count: int) -> str:
    return f"{_whole(count)} leg day" + ("" if count == 1 else "s")


def _weight(weight_kg: float, unit: str) -> str:
    if unit == "lb":
        return f"{_whole(weight_kg / KG_PER_LB)} lb"
    return f"{_decimal(weight_kg)} kg"


def _per_body_weight(amount_per_kg: float, what: str, unit: str, of: str = "") -> str:
    """'2.2 g per kg'; for someone who weighs in pounds '1 g per lb' when that is a whole
    figure, else the rule in kg with the pounds rounded beside it: '40 kcal per kg (about
    18 kcal per lb)'. `of` follows the unit ("of body weight")."""
    in_kg = f"{_decimal(amount_per_kg)} {what} per kg{of}"
    if unit != "lb":
        return in_kg
    per_lb = amount_per_kg * KG_PER_LB
    if abs(per_lb - round(per_lb)) < 0.05:
        return f"{_whole(per_lb)} {what} per lb{of}"
    shown = _whole(per_lb) if per_lb >= 10 else _decimal(per_lb)
    return f"{in_kg} (about {shown} {what} per lb)"


WEEKS_PER_MONTH = 52 / 12


def _how_long(weeks: float) -> str:
    """A time as the answer gave it: "less than a month", "about 6 weeks", "about 4 months",
    "about 2 years"."""
    if weeks < 4:
        return "less than a month"
    if float(weeks).is_integer() and weeks <= 12:
        return f"about {_whole(weeks)} weeks"
    months = max(1, round(weeks / WEEKS_PER_MONTH))
    if months >= 24:
        return f"about {_whole(months / 12)} years"
    return f"about {months} month" + ("" if months == 1 else "s")


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


# --- what each rule says ------------------------------------------------------------------------
# For every rule: the problem in full, what is right, a one-line problem with the person's own
# numbers (first message), and the one thing to do this week when it is the biggest problem.

_Text = Callable[[dict[str, Any], str], str]


def _program_lines(v: dict[str, Any]) -> list[str]:
    front_low, front_high = v["front_exercises_range"]
    back_low, back_high = v["back_exercises_range"]
    issues = v["issues"]
    lines = []
    if "front_too_few" in issues or "front_too_many" in issues:
        lines.append(
            f"front thigh: {_exercises(v['front_exercises'])} a week, "
            f"aim for {front_low}–{front_high}"
        )
    if "back_too_few" in issues or "back_too_many" in issues:
        lines.append(
            f"back thigh: {_exercises(v['back_exercises'])} a week, aim for {back_low}–{back_high}"
        )
    if "reps_too_few" in issues:
        lines.append(
            f"non-basic exercises: {_whole(v['accessory_reps'])} reps a set, "
            f"aim for {v['min_accessory_reps']} or more"
        )
    return lines


def _program_problem(v: dict[str, Any], unit: str) -> str:
    issues = v["issues"]
    do = []
    if any(issue.endswith("too_few") and not issue.startswith("reps") for issue in issues):
        do.append(
            "add exercises (leg press, hack squat, leg curls, Romanian deadlifts) up to the range."
        )
    if any(issue.endswith("too_many") for issue in issues):
        do.append(
            "cut down to the range: extra exercises only tire you out before the sets that count."
        )
    if "reps_too_few" in issues:
        do.append(
            "keep heavy, lower-rep sets for squats and leg presses; do every other leg exercise "
            f"for {v['min_accessory_reps']}+ reps."
        )
    found = "\n".join(_sentence(line) + "." for line in _program_lines(v))
    later = " ".join(_sentence(sentence) for sentence in do[1:])
    return found + f"\n<i>What to do:</i> {do[0]} {later}".rstrip()


def _program_short(v: dict[str, Any], unit: str) -> str:
    issues = v["issues"]
    parts: list[str] = []
    for side, key, (low, high) in (
        ("front", "front_exercises", v["front_exercises_range"]),
        ("back", "back_exercises", v["back_exercises_range"]),
    ):
        if f"{side}_too_few" in issues or f"{side}_too_many" in issues:
            what = f"{side}-thigh exercises a week" if not parts else f"{side}-thigh"
            parts.append(f"{_whole(v[key])} {what} (aim {low}–{high})")
    counts = ", ".join(parts)
    if "reps_too_few" in issues:
        reps = f"{_whole(v['accessory_reps'])} reps on the extras (aim {v['min_accessory_reps']}+)"
        return f"{counts}; {reps}." if counts else f"{reps}."
    return f"{counts}."


def _program_step(v: dict[str, Any], unit: str) -> str:
    issues = v["issues"]
    if "front_too_few" in issues:
        return "add a front-thigh exercise, such as leg press or hack squat, to your leg day."
    if "back_too_few" in issues:
        return "add a back-thigh exercise, such as Romanian deadlifts or leg curls."
    if "reps_too_few" in issues:
        return (
            f"do every leg exercise except squats and leg presses for {MIN_ACCESSORY_REPS}+ reps."
        )
    return "drop the extra exercises so the ones that count get your best effort."


def _program_ok(v: dict[str, Any], unit: str) -> str:
    return (
        f"{_whole(v['front_exercises'])} front-thigh and {_whole(v['back_exercises'])} "
        f"back-thigh exercises a week, {_whole(v['accessory_reps'])} reps on the extras."
    )


def _split_do(v: dict[str, Any]) -> str:
    if v["split_recommended"]:
        return (
            "split legs into two shorter sessions: front thigh + calves on one day, "
            "back thigh + glutes + calves on another, at least a day apart "
            "(say Tuesday and Friday)."
        )
    return "one full leg day a week, done well, is what works for you right now."


def _frequency_problem(v: dict[str, Any], unit: str) -> str:
    days = v["leg_days_per_week"]
    if days == 0:
        found = "There's no leg day in your week."
    elif days > MAX_LEG_DAYS_PER_WEEK:
        found = (
            f"You train legs {_whole(days)} days a week. More than "
            f"{MAX_LEG_DAYS_PER_WEEK} leg sessions leave too little time to recover."
        )
    elif days > v["recommended_leg_days"]:
        who = "while recovery is poor" if v["recovery"] == "poor" else "as a beginner"
        found = (
            f"You train legs {_whole(days)} days a week; {who} that is more than your "
            "legs can recover from."
        )
    else:
        found = (
            f"All your leg work is crammed into {_whole(days)} day. By the last exercises "
            "you're tired and the sets no longer count fully."
        )
    if v["back_to_back"] and days > 1:
        found += " And some of them fall on two days in a row, before the legs have healed."
    return f"{found}\n<i>What to do:</i> {_split_do(v)}"


def _frequency_short(v: dict[str, Any], unit: str) -> str:
    days, recommended = v["leg_days_per_week"], v["recommended_leg_days"]
    if days == 0:
        return "no leg day in your week."
    if days < recommended:
        return f"all leg work in 1 long session; {recommended} shorter ones suit you."
    back_to_back = ", some back to back" if v["back_to_back"] else ""
    suits = "suits" if recommended == 1 else "suit"
    return f"{_days(days)} a week{back_to_back}; {_days(recommended)} {suits} you."


def _frequency_step(v: dict[str, Any], unit: str) -> str:
    days, recommended = v["leg_days_per_week"], v["recommended_leg_days"]
    if days == 0:
        return "put one leg day in your week, built on squats and Romanian deadlifts."
    if days < recommended:
        return (
            "split legs in two: front thigh + calves one day, back thigh + glutes + calves "
            "another, e.g. Tuesday and Friday."
        )
    return f"cut to {_days(recommended)} a week, with rest days in between."


def _frequency_ok(v: dict[str, Any], unit: str) -> str:
    if v["split_recommended"]:
        return "2 leg days a week, the number that suits you."
    return "1 full leg day a week, the number that suits you now."


def _calories_problem(v: dict[str, Any], unit: str) -> str:
    target, ceiling = v["calories_target_kcal"], v["calories_max_kcal"]
    if v["too"] == "low":
        return (
            f"You eat about {_kcal(v['calories_kcal'])} a day; to grow at "
            f"{_weight(v['weight_kg'], unit)} you need about {_kcal(target)} on training days, "
            f"so you're {_kcal(v['calories_gap_kcal'])} short.\n"
            "<i>What to do:</i> add a meal or a solid snack of protein, complex carbs and good "
            "fats, ideally around training."
        )
    return (
        f"You eat about {_kcal(v['calories_kcal'])} a day, {_kcal(v['calories_excess_kcal'])} "
        f"more than {_kcal(ceiling)} (your need plus {round(MAX_SURPLUS_FRACTION * 100)}%). "
        "The extra mostly turns into fat, not leg muscle.\n"
        f"<i>What to do:</i> stay within {_whole(target)}–{_kcal(ceiling)} on training "
        "days, from good-quality food."
    )


def _calories_short(v: dict[str, Any], unit: str) -> str:
    if v["too"] == "low":
        return (
            f"{_kcal(v['calories_kcal'])} a day, you need about "
            f"{_kcal(v['calories_target_kcal'])}: {_kcal(v['calories_gap_kcal'])} short."
        )
    return (
        f"{_kcal(v['calories_kcal'])} a day, {_kcal(v['calories_excess_kcal'])} over your "
        f"{_kcal(v['calories_max_kcal'])} ceiling."
    )


def _calories_step(v: dict[str, Any], unit: str) -> str:
    if v["too"] == "low":
        return (
            f"add about {_kcal(v['calories_gap_kcal'])} on training days, from protein, "
            "complex carbs and good fats."
        )
    return (
        f"eat {_whole(v['calories_target_kcal'])}–{_kcal(v['calories_max_kcal'])} on "
        "training days, from good-quality food."
    )


def _calories_ok(v: dict[str, Any], unit: str) -> str:
    return (
        f"About {_kcal(v['calories_kcal'])} a day, inside your "
        f"{_whole(v['calories_target_kcal'])}–{_kcal(v['calories_max_kcal'])} window."
    )


def _protein_problem(v: dict[str, Any], unit: str) -> str:
    return (
        f"You eat about {_grams(v['protein_g'])} of protein a day; at "
        f"{_weight(v['weight_kg'], unit)} you need about {_grams(v['protein_target_g'])} "
        f"({_per_body_weight(PROTEIN_G_PER_KG, 'g', unit)}), so you're "
        f"{_grams(v['protein_gap_g'])} short.\n"
        "<i>What to do:</i> a protein shake with breakfast or after training closes most "
        "of the gap."
    )


def _protein_short(v: dict[str, Any], unit: str) -> str:
    return (
        f"{_grams(v['protein_g'])} a day, you need about {_grams(v['protein_target_g'])}: "
        f"{_grams(v['protein_gap_g'])} short."
    )


def _protein_step(v: dict[str, Any], unit: str) -> str:
    return (
        f"close the {_grams(v['protein_gap_g'])} gap: a protein shake with breakfast or "
        "after training, every day."
    )


def _protein_ok(v: dict[str, Any], unit: str) -> str:
    return f"{_grams(v['protein_g'])} of protein a day covers your {_grams(v['protein_target_g'])}."


def _technique_problem(v: dict[str, Any], unit: str) -> str:
    found = []
    if v["chases_heavy"]:
        found.append("You put heavy weight before clean form: that's how injuries happen.")
    if v["form_checked"] is False:
        found.append("Nobody has checked your squat and deadlift form yet.")
    if v["explosive_reps"]:
        found.append("Lifting fast on that form adds to the risk.")
    return (
        " ".join(found) + "\n<i>What to do:</i> lighten the load until every rep looks the same, "
        "then film a set or ask a coach to look at it. Keep reps slow and controlled and add "
        "weight only after that."
    )


def _technique_short(v: dict[str, Any], unit: str) -> str:
    if v["chases_heavy"]:
        return "heavy weight comes before clean form: an injury risk."
    return "nobody has checked your squat and deadlift form yet."


def _technique_step(v: dict[str, Any], unit: str) -> str:
    if v["chases_heavy"]:
        return "lighten the load until every rep looks the same, then film one set."
    return "film a set of squats and deadlifts, or ask a coach to watch one."


def _technique_ok(v: dict[str, Any], unit: str) -> str:
    return "Form comes before weight for you, and it has been checked."


def _sleep_problem(v: dict[str, Any], unit: str) -> str:
    text = (
        f"You sleep about {_hours(v['sleep_hours'])} a night; aim for at least "
        f"{_hours(v['sleep_target_h'])}, so you're {_hours(v['sleep_gap_h'])} short. "
        "Legs grow while you sleep, not while you train.\n"
        "<i>What to do:</i> go to bed earlier"
    )
    if v["naps"] is True:
        return text + "; your naps help, but don't replace the night."
    return text + ", and take a short afternoon nap whenever you can."


def _sleep_short(v: dict[str, Any], unit: str) -> str:
    return (
        f"{_hours(v['sleep_hours'])} a night, {_hours(v['sleep_gap_h'])} short of "
        f"{_hours(v['sleep_target_h'])}."
    )


def _sleep_step(v: dict[str, Any], unit: str) -> str:
    return f"go to bed {_earlier(v['sleep_gap_h'])} earlier every night."


def _sleep_ok(v: dict[str, Any], unit: str) -> str:
    naps = " plus naps" if v["naps"] else ""
    return f"{_hours(v['sleep_hours'])} of sleep a night{naps}."


def _strength_work_parts(v: dict[str, Any]) -> tuple[str, str, str]:
    """(what was found, the same in a few words, what to do)."""
    kind = v["leg_training"]
    if kind == "cardio_only":
        return (
            "Running or cycling is all your legs do. That builds stamina, not size.",
            "running or cycling only, no leg weights.",
            "add a weight session built on squats and deadlifts; keep the cardio as extra.",
        )
    if kind == "machines":
        return (
            "Your legs only see machines. They help, but free-weight basics grow the most.",
            "machines only, no free-weight basics.",
            "start each leg day with barbell squats or deadlifts, then go to the machines.",
        )
    if kind == "none":
        return (
            "You don't train legs with weights yet. Legs only grow when they push heavy.",
            "no leg training with weights yet.",
            "start one leg day a week built on squats and Romanian deadlifts.",
        )
    return (
        "You have no leg day in a usual week.",
        "no leg day in a usual week.",
        "put one in, starting with squats and deadlifts.",
    )


def _strength_work_problem(v: dict[str, Any], unit: str) -> str:
    found, _, do = _strength_work_parts(v)
    return f"{found}\n<i>What to do:</i> {do}"


def _strength_work_short(v: dict[str, Any], unit: str) -> str:
    return _strength_work_parts(v)[1]


def _strength_work_step(v: dict[str, Any], unit: str) -> str:
    if v["leg_training"] == "machines":
        return "open your next leg day with barbell squats, then go to the machines."
    return "train legs once this week: squats and Romanian deadlifts, light enough for clean reps."


def _strength_work_ok(v: dict[str, Any], unit: str) -> str:
    return "Your leg training is built on heavy free-weight basics."


def _variation_problem(v: dict[str, Any], unit: str) -> str:
    return (
        f"Your leg program hasn't changed for {_how_long(v['weeks_since_program_change'])}; "
        f"after about {v['max_weeks_without_change']} weeks, progress tends to stall.\n"
        "<i>What to do:</i> change the rep scheme (pyramids, giant sets) or swap one or two "
        "exercises, and keep the basics."
    )


def _variation_short(v: dict[str, Any], unit: str) -> str:
    return (
        f"same program for {_how_long(v['weeks_since_program_change'])}; change "
        f"it every {v['max_weeks_without_change']} weeks."
    )


def _variation_step(v: dict[str, Any], unit: str) -> str:
    return "change your rep scheme: a pyramid or a giant set on one exercise."


def _variation_ok(v: dict[str, Any], unit: str) -> str:
    return f"Your program changed {_how_long(v['weeks_since_program_change'])} ago, fresh enough."


def _cardio_problem(v: dict[str, Any], unit: str) -> str:
    long_steady = v["cardio_kind"] in ("steady", "mixed")
    text = (
        f"About {_whole(v['cardio_minutes_week'])} min of cardio a week, "
        f"{_whole(v['cardio_excess_minutes'])} min more than the "
        f"{v['cardio_max_minutes_week']} min that is useful. Beyond that, cardio eats into "
        "the muscle you're building"
    )
    text += ", and long steady sessions cost the most." if long_steady else "."
    return (
        text + f"\n<i>What to do:</i> cut to {CARDIO_MAX_MINUTES_WEEK} min or less and make "
        "it short high-intensity intervals."
    )


def _cardio_short(v: dict[str, Any], unit: str) -> str:
    return (
        f"{_whole(v['cardio_minutes_week'])} min of cardio a week, "
        f"{_whole(v['cardio_excess_minutes'])} over {v['cardio_max_minutes_week']}."
    )


def _cardio_step(v: dict[str, Any], unit: str) -> str:
    return f"cut cardio to {CARDIO_MAX_MINUTES_WEEK} min a week and make it short intervals."


def _cardio_ok(v: dict[str, Any], unit: str) -> str:
    minutes = v["cardio_minutes_week"]
    if minutes == 0:
        return "No cardio eating into your leg gains."
    text = f"{_whole(minutes)} min of cardio a week won't hold your legs back."
    if v["cardio_kind"] == "steady":
        text += " Short intervals would keep even more muscle than long steady sessions."
    return text


_CARBS_DO = (
    "add rice, oats, potatoes, pasta or bread, especially in the meals before and after training."
)


def _carbs_problem(v: dict[str, Any], unit: str) -> str:
    do = f"<i>What to do:</i> {_CARBS_DO}"
    if "carbs_min_g" in v:
        return (
            f"You eat about {_grams(v['carbs_g'])} of carbs a day; hard leg training needs at "
            f"least {_grams(v['carbs_min_g'])} "
            f"({_per_body_weight(CARBS_MIN_G_PER_KG, 'g', unit)}), so you're "
            f"{_grams(v['carbs_gap_g'])} short.\n{do}"
        )
    return (
        "You eat few carbs. They fuel hard leg sessions and speed up recovery; aim for at "
        f"least {_per_body_weight(CARBS_MIN_G_PER_KG, 'g', unit)} a day.\n{do}"
    )


def _carbs_short(v: dict[str, Any], unit: str) -> str:
    if "carbs_min_g" in v:
        return (
            f"{_grams(v['carbs_g'])} a day, {_grams(v['carbs_gap_g'])} short of "
            f"{_grams(v['carbs_min_g'])}."
        )
    return f"few carbs; aim for {_per_body_weight(CARBS_MIN_G_PER_KG, 'g', unit)} a day."


def _carbs_step(v: dict[str, Any], unit: str) -> str:
    return "add a portion of rice, oats or potatoes to the meals before and after training."


def _carbs_ok(v: dict[str, Any], unit: str) -> str:
    if "carbs_min_g" in v:
        return f"{_grams(v['carbs_g'])} of carbs a day, above your {_grams(v['carbs_min_g'])}."
    return f"A {html.escape(str(v['carbs_level']))} carb intake, fuel for hard training."


def _calves_problem(v: dict[str, Any], unit: str) -> str:
    target = v["calf_set_target_s"]
    do = (
        f"<i>What to do:</i> calf raises on every leg day, sets lasting about {target} s: "
        "that's the length that builds size."
    )
    if not v["trains_calves"]:
        return f"You skip calves, so they can't keep up with your thighs.\n{do}"
    low, high = CALF_SET_RANGE_S
    if v["too"] == "short":
        found = (
            f"Your calf sets last about {_whole(v['calf_set_seconds'])} s: under {low} s "
            "trains strength more than size."
        )
        how = " Go lighter or slower."
    else:
        found = (
            f"Your calf sets last about {_whole(v['calf_set_seconds'])} s: over {high} s "
            "trains endurance more than size."
        )
        how = " Go heavier."
    return f"{found}\n{do}{how}"


def _calves_short(v: dict[str, Any], unit: str) -> str:
    if not v["trains_calves"]:
        return "you don't train calves."
    return (
        f"calf sets of {_whole(v['calf_set_seconds'])} s; about {v['calf_set_target_s']} s "
        "builds size."
    )


def _calves_step(v: dict[str, Any], unit: str) -> str:
    return f"calf raises on every leg day, sets of about {CALF_SET_TARGET_S} s."


def _calves_ok(v: dict[str, Any], unit: str) -> str:
    return f"Calf sets of about {_whole(v['calf_set_seconds'])} s, the length that builds size."


def _explosive_problem(v: dict[str, Any], unit: str) -> str:
    if v["advice"] == "form_first":
        return (
            "You lift fast before your form is proven. Speed on shaky form invites injury.\n"
            "<i>What to do:</i> slow, controlled reps until your form has been checked, "
            "then bring the speed back."
        )
    return (
        "Your form is checked, but you lift slowly.\n"
        "<i>What to do:</i> on squats and leg presses, drive up as fast as you can and "
        "lower under control for 2–3 s."
    )


def _explosive_short(v: dict[str, Any], unit: str) -> str:
    if v["advice"] == "form_first":
        return "fast reps on form nobody has checked."
    return "slow reps, although your form is checked."


def _explosive_step(v: dict[str, Any], unit: str) -> str:
    if v["advice"] == "form_first":
        return "slow, controlled reps until your form has been checked."
    return "on squats and leg presses, drive up fast and lower in 2–3 s."


def _explosive_ok(v: dict[str, Any], unit: str) -> str:
    if v.get("waiting_for_form"):
        return "You hold off on fast reps until your form is checked: the right order."
    return "Fast, forceful lifting on checked form."


def _rest_days_problem(v: dict[str, Any], unit: str) -> str:
    days = v["leg_days_per_week"]
    if days >= 4:
        found = f"With {_whole(days)} leg days a week, some always fall back to back."
    else:
        found = "Your leg days sometimes fall on two days in a row, before the legs have healed."
    return (
        f"{found}\n<i>What to do:</i> at least one day between leg days; train upper body "
        "or rest in between."
    )


def _rest_days_short(v: dict[str, Any], unit: str) -> str:
    return "leg days on two days in a row, before the legs have healed."


def _rest_days_step(v: dict[str, Any], unit: str) -> str:
    return "move a leg day so at least one rest day sits between them."


def _rest_days_ok(v: dict[str, Any], unit: str) -> str:
    if v["leg_days_per_week"] >= 2:
        return "Your leg days never fall back to back."
    return "No back-to-back leg days."


class _Says:
    """What one rule says: the problem in full, in a line, this week's step, and what's right."""

    def __init__(self, problem: _Text, short: _Text, step: _Text, ok: _Text) -> None:
        self.problem, self.short, self.step, self.ok = problem, short, step, ok


_SAYS: dict[str, _Says] = {
    "program": _Says(_program_problem, _program_short, _program_step, _program_ok),
    "frequency": _Says(_frequency_problem, _frequency_short, _frequency_step, _frequency_ok),
    "calories": _Says(_calories_problem, _calories_short, _calories_step, _calories_ok),
    "protein": _Says(_protein_problem, _protein_short, _protein_step, _protein_ok),
    "technique": _Says(_technique_problem, _technique_short, _technique_step, _technique_ok),
    "sleep": _Says(_sleep_problem, _sleep_short, _sleep_step, _sleep_ok),
    "strength_work": _Says(
        _strength_work_problem, _strength_work_short, _strength_work_step, _strength_work_ok
    ),
    "variation": _Says(_variation_problem, _variation_short, _variation_step, _variation_ok),
    "cardio": _Says(_cardio_problem, _cardio_short, _cardio_step, _cardio_ok),
    "carbs": _Says(_carbs_problem, _carbs_short, _carbs_step, _carbs_ok),
    "calves": _Says(_calves_problem, _calves_short, _calves_step, _calves_ok),
    "explosive": _Says(_explosive_problem, _explosive_short, _explosive_step, _explosive_ok),
    "rest_days": _Says(_rest_days_problem, _rest_days_short, _rest_days_step, _rest_days_ok),
}


# --- why: the point of each reason, in Leg Day Coach's words -----------------------------------

_WHY: dict[str, str] = {
    "program": (
        "what you do on leg day decides whether legs grow. Keep the heavy sets for the basics "
        "such as squats and leg presses, and give every other leg exercise at least "
        f"{MIN_ACCESSORY_REPS} reps a set. Over a week, 3–4 exercises for the front of the "
        "thigh and 2–3 for the back."
    ),
    "frequency": (
        "one long leg session wears you out, so the last exercises get half an effort. Two "
        "shorter sessions (front thigh + calves, then back thigh + glutes + calves) keep every "
        "set fresh and help you recover. The same article saves two leg days for lifters "
        "with the experience and recovery for them, so Leg Day Coach keeps beginners and slow "
        "recoverers on one full leg day."
    ),
    "calories": (
        "muscle only grows when you eat more than you burn. About {calories} "
        f"on training days is a good guide; more than {round(MAX_SURPLUS_FRACTION * 100)}% "
        "above your need mostly ends up as fat. Quality food counts: protein, complex carbs "
        "and healthy fats."
    ),
    "protein": (
        "protein is what new muscle is made of, and no amount of training replaces it. People "
        "who train hard need about {protein} a day; heavy "
        "training on less works against you. A shake with breakfast or a main meal makes the "
        "amount easy to reach."
    ),
    "technique": (
        "clean form comes before big weights. A movement learnt wrong tends to stay wrong, "
        "and an injury early on can stop your training altogether."
    ),
    "sleep": (
        "legs grow while you rest, not while you train. Hard training needs food and sleep "
        f"behind it: at least {_hours(SLEEP_TARGET_H)} a night, and an afternoon nap when "
        "you can fit one in."
    ),
    "strength_work": (
        "running and cycling are not enough to build leg mass: that takes strength training, "
        "with squats and deadlifts at its heart. The other article, on the most common reasons, "
        "warns that machines without free weights won't build thick thighs either."
    ),
    "variation": (
        "a workout that never changes ends in a plateau, and change means more than new "
        "exercises: new rep schemes such as pyramids or giant sets count too. The article "
        f"gives no time span; Leg Day Coach asks for a change at least every "
        f"{MAX_WEEKS_WITHOUT_CHANGE} weeks, the usual length of a training block."
    ),
    "cardio": (
        "to put on size, strength training comes first and cardio stays small, because long "
        "sessions start to break muscle down; short, hard intervals keep the muscle. The "
        f"article gives no number; Leg Day Coach allows up to {CARDIO_MAX_MINUTES_WEEK} min a "
        "week, the amount health guidelines recommend."
    ),
    "carbs": (
        "carbs are the fuel for hard training and help you recover from it. The article "
        "gives no amount; Leg Day Coach asks for at least {carbs} a day, the low end of "
        "what sports nutrition advises for strength training."
    ),
    "calves": (
        "how long a calf set lasts decides what it builds: about 20 s trains strength, about "
        f"{CALF_SET_TARGET_S} s builds size, about 60 s builds endurance. Leg Day Coach counts "
        f"{CALF_SET_RANGE_S[0]}–{CALF_SET_RANGE_S[1]} s as right."
    ),
    "explosive": (
        "lifting fast and with force helps muscles grow, but only on form that is already "
        "solid. Leg Day Coach keeps the speed to the lifting part of the heavy basics and "
        "lowers them in 2–3 s."
    ),
    "rest_days": (
        "muscles heal and get stronger between workouts, not during them. Never train legs on "
        "two days in a row: on the days between, train other muscle groups or rest."
    ),
}


def _why(rule_id: str, unit: str) -> str:
    return _WHY[rule_id].format(
        protein=_per_body_weight(PROTEIN_G_PER_KG, "g", unit, " of body weight"),
        calories=_per_body_weight(CALORIES_KCAL_PER_KG, "kcal", unit, " of body weight"),
        carbs=_per_body_weight(CARBS_MIN_G_PER_KG, "g", unit),
    )


# --- the views --------------------------------------------------------------------------------


def _missing_text(finding: Finding) -> str:
    labels = [_ANSWER_LABELS.get(name, name.replace("_", " ")) for name in finding.missing]
    if not labels:
        return "more answers"
    # Carbs can be judged from grams or from the rough level: either one will do.
    last_joiner = " or " if finding.rule_id == "carbs" else " and "
    if len(labels) == 1:
        return labels[0]
    return ", ".join(labels[:-1]) + last_joiner + labels[-1]


def _covered_note(diagnosis: Diagnosis, finding: Finding) -> str:
    covered = [f for f in diagnosis.covered if f.covered_by == finding.rule_id]
    if not covered:
        return ""
    names = ", ".join(rule_title(f.rule_id).lower() for f in covered)
    return f"\n<i>Fixing this settles {names} too.</i>"


def _problem_block(diagnosis: Diagnosis, number: int, finding: Finding, unit: str) -> str:
    return (
        f"<b>{number}. {rule_title(finding.rule_id)}</b>\n"
        f"{_SAYS[finding.rule_id].problem(finding.values, unit)}"
        f"{_covered_note(diagnosis, finding)}"
    )


def _strength_line(finding: Finding, unit: str) -> str:
    return (
        f"• <b>{rule_title(finding.rule_id)}</b>: {_SAYS[finding.rule_id].ok(finding.values, unit)}"
    )


def _unknown_line(finding: Finding) -> str:
    return f"• <b>{rule_title(finding.rule_id)}</b>: I'd need {_missing_text(finding)}."


def _targets_text(targets: Targets | None, unit: str) -> str:
    if targets is None:
        return "Tell me your body weight (/assess) and I'll work out your daily numbers."
    return (
        f"<b>Your daily numbers</b> at {_weight(targets.weight_kg, unit)}:\n"
        f"• protein: {_grams(targets.protein_target_g)}\n"
        f"• calories on training days: {_whole(targets.calories_target_kcal)}–"
        f"{_kcal(targets.calories_max_kcal)}\n"
        f"• carbs: at least {_grams(targets.carbs_min_g)}\n"
        f"• sleep: at least {_hours(targets.sleep_target_h)}"
    )


def _pack(heading: str, blocks: Iterable[str], limit: int = MESSAGE_LIMIT) -> list[str]:
    """Blocks under a heading, split into as few messages as fit within `limit`."""
    messages: list[str] = []
    current = heading
    for block in blocks:
        candidate = f"{current}\n\n{block}"
        if len(candidate) > limit and current not in (heading, f"{heading} (continued)"):
            messages.append(current)
            candidate = f"{heading} (continued)\n\n{block}"
        current = candidate
    messages.append(current)
    return messages


def _things(count: int) -> str:
    return f"{count} thing" + ("" if count == 1 else "s")


def _verdict(diagnosis: Diagnosis) -> str:
    count = len(diagnosis.problems)
    if count:
        return f"{_things(count)} {'holds' if count == 1 else 'hold'} your legs back."
    if diagnosis.unknown:
        return "nothing I could judge holds your legs back."
    return "nothing in your answers holds your legs back. Keep doing what you do."


def _next_step(diagnosis: Diagnosis, unit: str) -> str:
    if diagnosis.problems:
        top = diagnosis.problems[0]
        return _SAYS[top.rule_id].step(top.values, unit)
    if diagnosis.unknown:
        return f"find out {_missing_text(diagnosis.unknown[0])}, then run /assess again."
    return "keep it up; a leg-day plan with reminders keeps you on it."


def render_summary(diagnosis: Diagnosis, weight_unit: str = "kg") -> str:
    """The first message: verdict, top three problems with the person's numbers, and this
    week's one step, in about 120 words or fewer."""
    unit = "lb" if weight_unit == "lb" else "kg"
    parts = [f"<b>Your leg check</b>: {_verdict(diagnosis)}"]
    if diagnosis.problems:
        top = diagnosis.problems[:TOP_PROBLEMS]
        order = f"top {len(top)}, biggest first" if len(diagnosis.problems) > len(top) else ""
        if not order and len(top) > 1:
            order = "biggest first"
        heading = "<b>What holds your legs back</b>" + (f" ({order})" if order else "")
        lines = [
            f"{number}. <b>{rule_title(finding.rule_id)}</b>: "
            f"{_SAYS[finding.rule_id].short(finding.values, unit)}"
            for number, finding in enumerate(top, start=1)
        ]
        parts.append("\n".join([heading, *lines]))
    parts.append(f"<b>Next step this week</b>: {_next_step(diagnosis, unit)}")
    right = (
        f"<b>What you already do right</b>: {_things(len(diagnosis.strengths))}"
        if diagnosis.strengths
        else "<b>What you already do right</b>: nothing yet, so every fix counts"
    )
    unknown = f"; I couldn't judge {len(diagnosis.unknown)}" if diagnosis.unknown else ""
    parts.append(f"{right}{unknown}. Tap below for all of it and why.")
    return "\n\n".join(parts)


def render_problems(diagnosis: Diagnosis, weight_unit: str = "kg") -> list[str]:
    """Every problem in full, what could not be judged, and the daily numbers."""
    unit = "lb" if weight_unit == "lb" else "kg"
    messages: list[str] = []
    if diagnosis.problems:
        messages += _pack(
            "<b>What holds your legs back</b> (biggest effect first)",
            (
                _problem_block(diagnosis, number, finding, unit)
                for number, finding in enumerate(diagnosis.problems, start=1)
            ),
        )
    else:
        messages.append("<b>Nothing in your answers holds your legs back.</b>")
    if diagnosis.unknown:
        messages += _pack(
            "<b>What I couldn't judge</b>", (_unknown_line(f) for f in diagnosis.unknown)
        )
    messages.append(_targets_text(diagnosis.targets, unit))
    return messages


def render_strengths(diagnosis: Diagnosis, weight_unit: str = "kg") -> list[str]:
    """What the person already does right."""
    unit = "lb" if weight_unit == "lb" else "kg"
    if not diagnosis.strengths:
        return [
            "<b>What you already do right</b>\nNothing I could count yet; every fix in "
            "“All problems” changes that."
        ]
    return _pack(
        "<b>What you already do right</b>",
        (_strength_line(finding, unit) for finding in diagnosis.strengths),
    )


def _for_you(diagnosis: Diagnosis, finding: Finding, unit: str) -> str:
    says = _SAYS[finding.rule_id]
    if finding.covered_by is not None:
        return (
            f"it's part of <b>{rule_title(finding.covered_by).lower()}</b>: fix that first "
            "and this follows."
        )
    if finding.status is Status.PROBLEM:
        rank = diagnosis.problems.index(finding) + 1
        return f"{says.short(finding.values, unit)} (number {rank} of {len(diagnosis.problems)})"
    if finding.status is Status.OK:
        return f"you already do this right. {says.ok(finding.values, unit)}"
    return f"I couldn't judge it; I'd need {_missing_text(finding)}."


def render_why(diagnosis: Diagnosis, rule_id: str, weight_unit: str = "kg") -> str:
    """Why a reason matters: the article it comes from, by title, its point, and how it
    applies to this person."""
    unit = "lb" if weight_unit == "lb" else "kg"
    finding = diagnosis.finding(rule_id)
    if finding is None:
        raise KeyError(rule_id)
    source = finding.source
    return (
        f"<b>{why_label(rule_id)}</b>\n"
        f"From “{ARTICLE_TITLES[source.article]}”, the part on “{source.section_title}”: "
        f"{_why(rule_id, unit)}\n\n<b>For you</b>: {_sentence(_for_you(diagnosis, finding, unit))}"
    )
