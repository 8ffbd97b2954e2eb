"""The assessment result as Telegram messages: what holds the legs back, what already works,
and what could not be judged. Every problem shows the person's own numbers and its source.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable
from typing import Any

from flows.rules import (
    CALF_SET_RANGE_S,
    CARBS_MIN_G_PER_KG,
    CARDIO_MAX_MINUTES_WEEK,
    MAX_LEG_DAYS_PER_WEEK,
    MAX_SURPLUS_FRACTION,
    PROTEIN_G_PER_KG,
    Diagnosis,
    Finding,
    Targets,
)

# Phone screens: several short messages read better than one long one.
MESSAGE_LIMIT = 1500

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


def rule_title(rule_id: str) -> str:
    """A short name for a rule, e.g. "Protein"."""
    return _TITLES.get(rule_id, rule_id.replace("_", " ").capitalize())


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


def _exercises(count: int) -> str:
    return f"{_whole(count)} exercise" + ("" if count == 1 else "s")


def _weight(weight_kg: float, unit: str) -> str:
    if unit == "lb":
        return f"{_whole(weight_kg / KG_PER_LB)} lb"
    return f"{_decimal(weight_kg)} kg"


def _per_body_weight(amount_per_kg: float, what: str, unit: str) -> str:
    """'2.2 g per kg', or '1 g per lb' for someone who weighs in pounds."""
    if unit == "lb":
        return f"{_decimal(amount_per_kg * KG_PER_LB)} {what} per lb"
    return f"{_decimal(amount_per_kg)} {what} per kg"


# --- one line per finding ---------------------------------------------------------------------

_Text = Callable[[dict[str, Any], str], str]


def _program_problem(v: dict[str, Any], unit: str) -> str:
    front_low, front_high = v["front_exercises_range"]
    back_low, back_high = v["back_exercises_range"]
    issues = v["issues"]
    lines = []
    if "front_too_few" in issues or "front_too_many" in issues:
        lines.append(
            f"Front thigh: {_exercises(v['front_exercises'])} a week, "
            f"aim for {front_low}–{front_high}."
        )
    if "back_too_few" in issues or "back_too_many" in issues:
        lines.append(
            f"Back thigh: {_exercises(v['back_exercises'])} a week, aim for {back_low}–{back_high}."
        )
    if "reps_too_few" in issues:
        lines.append(
            f"Non-basic exercises: {_whole(v['accessory_reps'])} reps a set, "
            f"aim for {v['min_accessory_reps']} or more."
        )
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
    later = " ".join(sentence[0].upper() + sentence[1:] for sentence in do[1:])
    return "\n".join(lines) + f"\n<i>What to do:</i> {do[0]} {later}".rstrip()


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
    return f"{found}\n<i>What to do:</i> {_split_do(v)}"


def _frequency_ok(v: dict[str, Any], unit: str) -> str:
    if v["split_recommended"]:
        return "Legs split over 2 days a week, so every set is done fresh."
    return "One full leg day a week, which suits where you are now."


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


def _protein_ok(v: dict[str, Any], unit: str) -> str:
    return f"{_grams(v['protein_g'])} of protein a day covers your {_grams(v['protein_target_g'])}."


def _technique_problem(v: dict[str, Any], unit: str) -> str:
    found = []
    if v["chases_heavy"]:
        found.append("You put heavy weight before clean form: that's how injuries happen.")
    if v["form_checked"] is False:
        found.append("Nobody has checked your squat and deadlift form yet.")
    return (
        " ".join(found) + "\n<i>What to do:</i> lighten the load until every rep looks the same, "
        "then film a set or ask a coach to look at it. Add weight only after that."
    )


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


def _sleep_ok(v: dict[str, Any], unit: str) -> str:
    naps = " plus naps" if v["naps"] else ""
    return f"{_hours(v['sleep_hours'])} of sleep a night{naps}."


def _strength_work_problem(v: dict[str, Any], unit: str) -> str:
    kind = v["leg_training"]
    if kind == "cardio_only":
        found = "Running or cycling is all your legs do. That builds stamina, not size."
        do = "add a weight session built on squats and deadlifts; keep the cardio as extra."
    elif kind == "machines":
        found = "Your legs only see machines. They help, but free-weight basics grow the most."
        do = "start each leg day with barbell squats or deadlifts, then go to the machines."
    elif kind == "none":
        found = "You don't train legs with weights yet. Legs only grow when they push heavy."
        do = "start one leg day a week built on squats and Romanian deadlifts."
    else:
        found = "You have no leg day in a usual week."
        do = "put one in, starting with squats and deadlifts."
    return f"{found}\n<i>What to do:</i> {do}"


def _strength_work_ok(v: dict[str, Any], unit: str) -> str:
    return "Your leg training is built on heavy free-weight basics."


def _variation_problem(v: dict[str, Any], unit: str) -> str:
    return (
        f"Your leg program hasn't changed for about {_decimal(v['weeks_since_program_change'])} "
        f"weeks; after about {v['max_weeks_without_change']} weeks, progress tends to stall.\n"
        "<i>What to do:</i> change the rep scheme (pyramids, giant sets) or swap one or two "
        "exercises, and keep the basics."
    )


def _variation_ok(v: dict[str, Any], unit: str) -> str:
    return (
        f"Your program changed about {_decimal(v['weeks_since_program_change'])} weeks ago, "
        "fresh enough."
    )


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


def _cardio_ok(v: dict[str, Any], unit: str) -> str:
    minutes = v["cardio_minutes_week"]
    if minutes == 0:
        return "No cardio eating into your leg gains."
    text = f"{_whole(minutes)} min of cardio a week won't hold your legs back."
    if v["cardio_kind"] == "steady":
        text += " Short intervals would keep even more muscle than long steady sessions."
    return text


def _carbs_problem(v: dict[str, Any], unit: str) -> str:
    do = (
        "<i>What to do:</i> add rice, oats, potatoes, pasta or bread, especially in the meals "
        "before and after training."
    )
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


def _carbs_ok(v: dict[str, Any], unit: str) -> str:
    if "carbs_min_g" in v:
        return f"{_grams(v['carbs_g'])} of carbs a day, above your {_grams(v['carbs_min_g'])}."
    return f"A {html.escape(str(v['carbs_level']))} carb intake fuels your leg days."


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


def _rest_days_ok(v: dict[str, Any], unit: str) -> str:
    days = v["leg_days_per_week"]
    if days >= 2:
        return "Your leg days never fall back to back."
    if days == 1:
        return "One leg day a week leaves your legs a full week to heal."
    return "No back-to-back leg days; keep a rest day between them once you start."


_TEXTS: dict[str, tuple[_Text, _Text]] = {
    "program": (_program_problem, _program_ok),
    "frequency": (_frequency_problem, _frequency_ok),
    "calories": (_calories_problem, _calories_ok),
    "protein": (_protein_problem, _protein_ok),
    "technique": (_technique_problem, _technique_ok),
    "sleep": (_sleep_problem, _sleep_ok),
    "strength_work": (_strength_work_problem, _strength_work_ok),
    "variation": (_variation_problem, _variation_ok),
    "cardio": (_cardio_problem, _cardio_ok),
    "carbs": (_carbs_problem, _carbs_ok),
    "calves": (_calves_problem, _calves_ok),
    "explosive": (_explosive_problem, _explosive_ok),
    "rest_days": (_rest_days_problem, _rest_days_ok),
}


def source_note(finding: Finding) -> str:
    """'(article 1, reason 4: protein)'."""
    return (
        f"(article {finding.source.article}, reason {finding.source.section}: "
        f"{rule_title(finding.rule_id).lower()})"
    )


def _missing_text(finding: Finding) -> str:
    labels = [_ANSWER_LABELS.get(name, name.replace("_", " ")) for name in finding.missing]
    if not labels:
        return "more answers"
    # Carbs can be judged from grams or from the rough level: either one will do.
    last_joiner = " or " if finding.rule_id == "carbs" else " and "
    if len(labels) == 1:
        return labels[0]
    return ", ".join(labels[:-1]) + last_joiner + labels[-1]


def _problem_block(number: int, finding: Finding, unit: str) -> str:
    problem_text, _ = _TEXTS[finding.rule_id]
    return (
        f"<b>{number}. {rule_title(finding.rule_id)}</b>\n"
        f"{problem_text(finding.values, unit)}\n<i>{source_note(finding)}</i>"
    )


def _strength_block(finding: Finding, unit: str) -> str:
    _, ok_text = _TEXTS[finding.rule_id]
    return (
        f"• <b>{rule_title(finding.rule_id)}</b>: {ok_text(finding.values, unit)} "
        f"<i>{source_note(finding)}</i>"
    )


def _unknown_block(finding: Finding) -> str:
    return f"• <b>{rule_title(finding.rule_id)}</b>: I'd need {_missing_text(finding)}."


def _summary(diagnosis: Diagnosis) -> str:
    problems = len(diagnosis.problems)
    if problems == 0 and diagnosis.unknown:
        line = "Nothing I could judge holds your legs back; the open answers below would tell more."
    elif problems == 0:
        line = "Nothing in your answers holds your legs back. Keep doing what you do."
    elif problems == 1:
        line = (
            "1 thing holds your legs back: "
            f"<b>{rule_title(diagnosis.problems[0].rule_id).lower()}</b>."
        )
    else:
        line = (
            f"{problems} things hold your legs back; the biggest is "
            f"<b>{rule_title(diagnosis.problems[0].rule_id).lower()}</b>."
        )
    extras = [f"{len(diagnosis.strengths)} already right"]
    if diagnosis.unknown:
        extras.append(f"{len(diagnosis.unknown)} I couldn't judge")
    return f"{line} ({', '.join(extras)})"


def _targets_text(targets: Targets | None, unit: str) -> str:
    if targets is None:
        return "Tell me your body weight and I'll work out your daily numbers."
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


def render_diagnosis(diagnosis: Diagnosis, weight_unit: str = "kg") -> list[str]:
    """The diagnosis as Telegram HTML messages, each under MESSAGE_LIMIT characters."""
    unit = "lb" if weight_unit == "lb" else "kg"
    messages = [
        f"<b>Your leg check</b>\n{_summary(diagnosis)}\n\n{_targets_text(diagnosis.targets, unit)}"
    ]
    if diagnosis.problems:
        messages += _pack(
            "<b>What holds your legs back</b> (most important first)",
            (
                _problem_block(number, finding, unit)
                for number, finding in enumerate(diagnosis.problems, start=1)
            ),
        )
    if diagnosis.strengths:
        messages += _pack(
            "<b>What you already do right</b>",
            (_strength_block(finding, unit) for finding in diagnosis.strengths),
        )
    if diagnosis.unknown:
        messages += _pack(
            "<b>What I couldn't judge</b>",
            (_unknown_block(finding) for finding in diagnosis.unknown),
        )
    return messages
