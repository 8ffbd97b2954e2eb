"""The assessment result as Telegram messages.

The first message fits a phone screen: the verdict, the top three problems with the person's
own numbers, and the one thing to do this week. The views behind its buttons give every
problem in full, what the person already does right, and why each reason matters, in the
words of the article it comes from (docs/rules.md, "The diagnosis on a phone").

Every sentence is a whole message with placeholders (flows.i18n), so a language can order
and inflect it as it needs; counts that change a word's form are `Plural`s.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable
from typing import Any

from flows import i18n
from flows.i18n import Messages, Plural, Text
from flows.progress import PROTEIN_PER_SHAKE_G
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
    RULES,
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

_TITLE_ENGLISH: dict[str, str] = {
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
_TITLES = Messages(_TITLE_ENGLISH, "diagnosis.title.")
# The label of each reason's "Why?" button, e.g. "Why protein?".
_WHY_LABELS = Messages(
    {rule_id: f"Why {title.lower()}?" for rule_id, title in _TITLE_ENGLISH.items()},
    "diagnosis.why_label.",
)
_WHY_LABEL_OTHER = Text("diagnosis.why_label", "Why {title}?")

# The sources as a person would name them, and the part of each a reason comes from.
_ARTICLES = Messages(
    {str(number): title for number, title in ARTICLE_TITLES.items()},
    "diagnosis.article.",
)
_SECTIONS = Messages(
    {rule.id: rule.source.section_title for rule in RULES},
    "diagnosis.section.",
)

# What each answer is, as the "could not judge" list names it.
_ANSWER_LABELS = Messages(
    {
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
        # Kept for a finding that names no answer.
        "more": "more answers",
    },
    "diagnosis.answer.",
)

# Button labels of the diagnosis views.
BUTTONS = Messages(
    {
        "problems": "All problems ({count})",
        "unknown": "What I couldn't judge ({count})",
        "right": "What you do right ({count})",
    },
    "diagnosis.button.",
)

NO_ASSESSMENT = "assessment.diagnosis.none"


def rule_title(rule_id: str) -> str:
    """A short name for a rule, e.g. "Protein"."""
    if rule_id in _TITLE_ENGLISH:
        return _TITLES[rule_id]
    return rule_id.replace("_", " ").capitalize()


def why_label(rule_id: str) -> str:
    """The label of a reason's "Why?" button, e.g. "Why protein?"."""
    if rule_id in _TITLE_ENGLISH:
        return _WHY_LABELS[rule_id]
    return _WHY_LABEL_OTHER(title=rule_title(rule_id).lower())


def view_label(view: str, count: int) -> str:
    """The label of a button to a view ("problems", "unknown", "right") with its count."""
    return BUTTONS[view].format(count=i18n.number(count, 0))


# --- numbers ----------------------------------------------------------------------------------

_UNITS = Messages(
    {
        "g": "{amount} g",
        "kcal": "{amount} kcal",
        "kcal_range": "{low}–{high} kcal",
        "h": "{amount} h",
        "min": "{amount} min",
        "s": "{amount} s",
        "kg": "{amount} kg",
        "lb": "{amount} lb",
        "percent": "{amount}%",
        # A daily amount set by body weight: "2.2 g per kg", "1 g per lb of body weight".
        "per_kg": "{amount} per kg",
        "per_kg_body": "{amount} per kg of body weight",
        "per_lb": "{amount} per lb",
        "per_lb_body": "{amount} per lb of body weight",
        # The rule in kg with the pounds rounded beside it.
        "kg_about_lb": "{in_kg} (about {in_lb})",
    },
    "diagnosis.unit.",
)


def _whole(value: float) -> str:
    return i18n.number(round(value), 0)


def _decimal(value: float) -> str:
    """One decimal, dropped when it is zero: 7.5, 8, 81.6."""
    return i18n.number(value, 1)


def _grams(value: float) -> str:
    return _UNITS["g"].format(amount=_whole(value))


def _kcal(value: float) -> str:
    return _UNITS["kcal"].format(amount=_whole(value))


def _kcal_range(low: float, high: float) -> str:
    """ "2,400–2,640 kcal"."""
    return _UNITS["kcal_range"].format(low=_whole(low), high=_whole(high))


def _hours(value: float) -> str:
    return _UNITS["h"].format(amount=_decimal(value))


def _minutes(value: float) -> str:
    return _UNITS["min"].format(amount=_whole(value))


def _seconds(value: float) -> str:
    return _UNITS["s"].format(amount=_whole(value))


def _percent(fraction: float) -> str:
    return _UNITS["percent"].format(amount=_whole(fraction * 100))


def _earlier(hours: float) -> str:
    """A bedtime shift people can act on: '30 min', '1 h', '1.5 h' (quarter hours)."""
    minutes = max(15, round(hours * 4) * 15)
    return _minutes(minutes) if minutes < 60 else _hours(minutes / 60)


_EXERCISES = Plural("diagnosis.exercises", "{count} exercise", "{count} exercises")
_LEG_DAYS = Plural("diagnosis.leg_days", "{count} leg day", "{count} leg days")


def _weight(weight_kg: float, unit: str) -> str:
    if unit == "lb":
        return _UNITS["lb"].format(amount=_whole(weight_kg / KG_PER_LB))
    return _UNITS["kg"].format(amount=_decimal(weight_kg))


def _per_body_weight(amount_per_kg: float, unit_key: str, unit: str, of_body: bool = False) -> str:
    """'2.2 g per kg'; for someone who weighs in pounds '1 g per lb' when that is a whole
    figure, else the rule in kg with the pounds rounded beside it: '40 kcal per kg (about
    18 kcal per lb)'. `of_body` adds "of body weight" after the unit."""
    template = _UNITS[unit_key]
    body = "_body" if of_body else ""
    in_kg = _UNITS["per_kg" + body].format(amount=template.format(amount=_decimal(amount_per_kg)))
    if unit != "lb":
        return in_kg
    per_lb = amount_per_kg * KG_PER_LB
    if abs(per_lb - round(per_lb)) < 0.05:
        return _UNITS["per_lb" + body].format(amount=template.format(amount=_whole(per_lb)))
    shown = _whole(per_lb) if per_lb >= 10 else _decimal(per_lb)
    in_lb = _UNITS["per_lb"].format(amount=template.format(amount=shown))
    return _UNITS["kg_about_lb"].format(in_kg=in_kg, in_lb=in_lb)


WEEKS_PER_MONTH = 52 / 12

_UNDER_A_MONTH = Text("diagnosis.how_long.under_a_month", "less than a month")
_ABOUT_WEEKS = Plural("diagnosis.how_long.weeks", "about {count} week", "about {count} weeks")
_ABOUT_MONTHS = Plural("diagnosis.how_long.months", "about {count} month", "about {count} months")
_ABOUT_YEARS = Plural("diagnosis.how_long.years", "about {count} year", "about {count} years")


# What the program question's "Longer" button (after "3–6 months") stores: said as what the
# button meant, not as the 9 months the number alone would make.
LONGER_BUTTON_WEEKS = 40.0
_OVER_SIX_MONTHS = Text("diagnosis.how_long.over_six_months", "more than 6 months")


def how_long(weeks: float) -> str:
    """A time as the answer gave it: "less than a month", "about 6 weeks", "about 4 months",
    "about 1 year", "about 2 years", "more than 6 months" for the "Longer" button."""
    if weeks == LONGER_BUTTON_WEEKS:
        return _OVER_SIX_MONTHS()
    if weeks < 4:
        return _UNDER_A_MONTH()
    if float(weeks).is_integer() and weeks <= 12:
        return _ABOUT_WEEKS(int(weeks))
    months = max(1, round(weeks / WEEKS_PER_MONTH))
    if months >= 24 or months % 12 == 0:
        return _ABOUT_YEARS(round(months / 12))
    return _ABOUT_MONTHS(months)


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


# Languages that go on after a colon in lower case ("Сила: твоя тренировка ..."); English
# keeps the capital of a sentence that follows a label's colon.
LOWER_AFTER_COLON = frozenset({"ru"})


def after_colon(text: str) -> str:
    """`text` as the part after a colon that code joins on ("<b>Title</b>: {text}"): its
    first letter in lower case in the languages that write it so, unless the first word is an
    abbreviation ("ATP", "1ПМ"); unchanged in the others."""
    if i18n.current() not in LOWER_AFTER_COLON or not text[:1].isupper() or text[1:2].isupper():
        return text
    return text[:1].lower() + text[1:]


def _weekdays() -> dict[str, str]:
    """The two days a split is spread over, as a sentence names them (Tuesday and Friday)."""
    return {
        "first": i18n.weekday_name(1, capital=False),
        "second": i18n.weekday_name(4, capital=False),
    }


_WHAT_TO_DO = Text("diagnosis.what_to_do", "<i>What to do:</i> {advice}")


def _found_and_do(found: str, advice: str) -> str:
    """What was found, then on its own line what to do about it."""
    return f"{found}\n{_WHAT_TO_DO(advice=advice)}"


# --- what each rule says ------------------------------------------------------------------------
# For every rule: the problem in full, what is right, a one-line problem with the person's own
# numbers (first message), and the one thing to do this week when it is the biggest problem.

_Text = Callable[[dict[str, Any], str], str]

_SAY = Messages(
    {
        # program
        "program.front": "Front thigh: {exercises} a week, aim for {low}–{high}.",
        "program.back": "Back thigh: {exercises} a week, aim for {low}–{high}.",
        # What to do about too few or too many exercises, naming the muscle group: the front
        # thigh, the back thigh or both.
        "program.do.add.front": (
            "add front-thigh exercises (leg press, hack squat) up to the range."
        ),
        "program.do.add.back": (
            "add back-thigh exercises (leg curls, Romanian deadlifts) up to the range."
        ),
        "program.do.add.both": (
            "add front-thigh exercises (leg press, hack squat) and back-thigh exercises (leg "
            "curls, Romanian deadlifts) up to the range."
        ),
        "program.do.cut.front": (
            "cut front-thigh exercises down to the range: extra exercises only tire you out "
            "before the sets that count."
        ),
        "program.do.cut.back": (
            "cut back-thigh exercises down to the range: extra exercises only tire you out "
            "before the sets that count."
        ),
        "program.do.cut.both": (
            "cut front-thigh and back-thigh exercises down to the range: extra exercises only "
            "tire you out before the sets that count."
        ),
        "program.do.reps": (
            "keep heavy, lower-rep sets for squats and leg presses; do every other leg exercise "
            "for {min_reps}+ reps."
        ),
        "program.short.back_after": "{count} back-thigh (aim {low}–{high})",
        "program.step.front": (
            "add a front-thigh exercise, such as leg press or hack squat, to your leg day."
        ),
        "program.step.back": "add a back-thigh exercise, such as Romanian deadlifts or leg curls.",
        "program.step.reps": (
            "do every leg exercise except squats and leg presses for {min_reps}+ reps."
        ),
        "program.step.cut": (
            "drop the extra exercises so the ones that count get your best effort."
        ),
        "program.ok": (
            "{front} front-thigh and {back} back-thigh exercises a week, {reps} reps on the extras."
        ),
        # frequency
        "frequency.do.split": (
            "split legs into two shorter sessions: front thigh + calves on one day, "
            "back thigh + glutes + calves on another, at least a day apart "
            "(say {first} and {second})."
        ),
        "frequency.do.one": (
            "one full leg day a week, done well, is what works for you right now."
        ),
        "frequency.none": "There's no leg day in your week.",
        "frequency.back_to_back": (
            "And some of them fall on two days in a row, before the legs have healed."
        ),
        "frequency.short.none": "no leg day in your week.",
        "frequency.step.none": (
            "put one leg day in your week, built on squats and Romanian deadlifts."
        ),
        "frequency.step.split": (
            "split legs in two: front thigh + calves one day, back thigh + glutes + calves "
            "another, e.g. {first} and {second}."
        ),
        "frequency.ok.split": "2 leg days a week, the number that suits you.",
        "frequency.ok.one": "1 full leg day a week, the number that suits you now.",
        # calories
        "calories.low": (
            "You eat about {calories} a day; to grow at {weight} you need about {target} on "
            "training days, so you're {gap} short.\n"
            "<i>What to do:</i> add a meal or a solid snack of protein, complex carbs and good "
            "fats, ideally around training."
        ),
        "calories.high": (
            "You eat about {calories} a day, {excess} more than {ceiling} (your need plus "
            "{surplus}). The extra mostly turns into fat, not leg muscle.\n"
            "<i>What to do:</i> stay within {window} on training days, from good-quality food."
        ),
        "calories.short.low": "{calories} a day, you need about {target}: {gap} short.",
        "calories.short.high": "{calories} a day, {excess} over your {ceiling} ceiling.",
        "calories.step.low": (
            "add about {gap} on training days, from protein, complex carbs and good fats."
        ),
        "calories.step.high": "eat {window} on training days, from good-quality food.",
        "calories.ok": "About {calories} a day, inside your {window} window.",
        # protein
        "protein.problem": (
            "You eat about {protein} of protein a day; at {weight} you need about {target} "
            "({per_weight}), so you're {gap} short.\n"
            "<i>What to do:</i> a protein shake with breakfast or after training closes most "
            "of the gap."
        ),
        # A gap one shake cannot close: the shake, and protein food in every meal.
        "protein.problem.large": (
            "You eat about {protein} of protein a day; at {weight} you need about {target} "
            "({per_weight}), so you're {gap} short.\n"
            "<i>What to do:</i> a protein shake adds about {shake}; make up the rest with a "
            "protein food (meat, fish, eggs, cottage cheese or beans) in every meal."
        ),
        "protein.short": "{protein} a day, you need about {target}: {gap} short.",
        "protein.step": (
            "close the {gap} gap: a protein shake with breakfast or after training, every day."
        ),
        "protein.step.large": (
            "close the {gap} gap: a protein shake (about {shake}) and a protein food in every "
            "meal, every day."
        ),
        "protein.ok": "{protein} of protein a day covers your {target}.",
        # technique
        "technique.heavy": "You put heavy weight before clean form: that's how injuries happen.",
        "technique.unchecked": "Nobody has checked your squat and deadlift form yet.",
        "technique.fast": "Lifting fast on that form adds to the risk.",
        "technique.do": (
            "lighten the load until every rep looks the same, then film a set or ask a coach "
            "to look at it. Keep reps slow and controlled and add weight only after that."
        ),
        "technique.short.heavy": "heavy weight comes before clean form: an injury risk.",
        "technique.short.unchecked": "nobody has checked your squat and deadlift form yet.",
        "technique.step.heavy": (
            "lighten the load until every rep looks the same, then film one set."
        ),
        "technique.step.unchecked": (
            "film a set of squats and deadlifts, or ask a coach to watch one."
        ),
        "technique.ok": "Form comes before weight for you, and it has been checked.",
        # sleep
        "sleep.problem.naps": (
            "You sleep about {hours} a night; aim for at least {target}, so you're {gap} "
            "short. Legs grow while you sleep, not while you train.\n"
            "<i>What to do:</i> go to bed earlier; your naps help, but don't replace the night."
        ),
        "sleep.problem": (
            "You sleep about {hours} a night; aim for at least {target}, so you're {gap} "
            "short. Legs grow while you sleep, not while you train.\n"
            "<i>What to do:</i> go to bed earlier, and take a short afternoon nap whenever "
            "you can."
        ),
        "sleep.short": "{hours} a night, {gap} short of {target}.",
        "sleep.step": "go to bed {earlier} earlier every night.",
        "sleep.ok": "{hours} of sleep a night.",
        "sleep.ok.naps": "{hours} of sleep a night plus naps.",
        # strength work, by what the legs do now
        "strength_work.cardio_only": (
            "Running or cycling is all your legs do. That builds stamina, not size."
        ),
        "strength_work.cardio_only.short": "running or cycling only, no leg weights.",
        "strength_work.cardio_only.do": (
            "add a weight session built on squats and deadlifts; keep the cardio as extra."
        ),
        "strength_work.machines": (
            "Your legs only see machines. They help, but free-weight basics grow the most."
        ),
        "strength_work.machines.short": "machines only, no free-weight basics.",
        "strength_work.machines.do": (
            "start each leg day with barbell squats or deadlifts, then go to the machines."
        ),
        "strength_work.none": (
            "You don't train legs with weights yet. Legs only grow when they push heavy."
        ),
        "strength_work.none.short": "no leg training with weights yet.",
        "strength_work.none.do": (
            "start one leg day a week built on squats and Romanian deadlifts."
        ),
        "strength_work.no_day": "You have no leg day in a usual week.",
        "strength_work.no_day.short": "no leg day in a usual week.",
        "strength_work.no_day.do": "put one in, starting with squats and deadlifts.",
        "strength_work.step.machines": (
            "open your next leg day with barbell squats, then go to the machines."
        ),
        "strength_work.step": (
            "train legs once this week: squats and Romanian deadlifts, light enough for clean reps."
        ),
        "strength_work.ok": "Your leg training is built on heavy free-weight basics.",
        # variation
        "variation.step": "change your rep scheme: a pyramid or a giant set on one exercise.",
        "variation.ok": "Your program changed {how_long} ago, fresh enough.",
        # cardio
        "cardio.problem": (
            "About {minutes} of cardio a week, {excess} more than the {limit} that is "
            "useful. Beyond that, cardio eats into the muscle you're building.\n"
            "<i>What to do:</i> cut to {limit} or less and make it short high-intensity "
            "intervals."
        ),
        "cardio.problem.steady": (
            "About {minutes} of cardio a week, {excess} more than the {limit} that is "
            "useful. Beyond that, cardio eats into the muscle you're building, and long "
            "steady sessions cost the most.\n"
            "<i>What to do:</i> cut to {limit} or less and make it short high-intensity "
            "intervals."
        ),
        "cardio.short": "{minutes} of cardio a week, {excess} over {limit}.",
        "cardio.step": "cut cardio to {limit} a week and make it short intervals.",
        "cardio.ok.none": "No cardio eating into your leg gains.",
        "cardio.ok": "{minutes} of cardio a week won't hold your legs back.",
        "cardio.ok.steady": (
            "{minutes} of cardio a week won't hold your legs back. Short intervals would keep "
            "even more muscle than long steady sessions."
        ),
        # carbs
        "carbs.do": (
            "add rice, oats, potatoes, pasta or bread, especially in the meals before and "
            "after training."
        ),
        "carbs.problem": (
            "You eat about {carbs} of carbs a day; hard leg training needs at least {floor} "
            "({per_weight}), so you're {gap} short."
        ),
        "carbs.problem.level": (
            "You eat few carbs. They fuel hard leg sessions and speed up recovery; aim for at "
            "least {per_weight} a day."
        ),
        "carbs.short": "{carbs} a day, {gap} short of {floor}.",
        "carbs.short.level": "few carbs; aim for {per_weight} a day.",
        "carbs.step": (
            "add a portion of rice, oats or potatoes to the meals before and after training."
        ),
        "carbs.ok": "{carbs} of carbs a day, above your {floor}.",
        "carbs.ok.level": "A {level} carb intake, fuel for hard training.",
        "carbs.level.low": "low",
        "carbs.level.moderate": "moderate",
        "carbs.level.high": "high",
        # calves
        "calves.do": (
            "calf raises on every leg day, sets lasting about {target}: that's the length "
            "that builds size."
        ),
        "calves.skipped": "You skip calves, so they can't keep up with your thighs.",
        "calves.too_short": (
            "Your calf sets last about {seconds}: under {low} trains strength more than size."
        ),
        "calves.too_short.how": "Go lighter or slower.",
        "calves.too_long": (
            "Your calf sets last about {seconds}: over {high} trains endurance more than size."
        ),
        "calves.too_long.how": "Go heavier.",
        "calves.short.skipped": "you don't train calves.",
        "calves.short": "calf sets of {seconds}; about {target} builds size.",
        "calves.step": "calf raises on every leg day, sets of about {target}.",
        "calves.ok": "Calf sets of about {seconds}, the length that builds size.",
        # explosive reps
        "explosive.form_first": (
            "You lift fast before your form is proven. Speed on shaky form invites injury.\n"
            "<i>What to do:</i> slow, controlled reps until your form has been checked, "
            "then bring the speed back."
        ),
        "explosive.go": (
            "Your form is checked, but you lift slowly.\n"
            "<i>What to do:</i> on squats and leg presses, drive up as fast as you can and "
            "lower under control for 2–3 s."
        ),
        "explosive.short.form_first": "fast reps on form nobody has checked.",
        "explosive.short.go": "slow reps, although your form is checked.",
        "explosive.step.form_first": "slow, controlled reps until your form has been checked.",
        "explosive.step.go": "on squats and leg presses, drive up fast and lower in 2–3 s.",
        "explosive.ok.waiting": (
            "You hold off on fast reps until your form is checked: the right order."
        ),
        "explosive.ok": "Fast, forceful lifting on checked form.",
        # rest days
        "rest_days.sometimes": (
            "Your leg days sometimes fall on two days in a row, before the legs have healed."
        ),
        "rest_days.do": ("at least one day between leg days; train upper body or rest in between."),
        "rest_days.short": "leg days on two days in a row, before the legs have healed.",
        "rest_days.step": "move a leg day so at least one rest day sits between them.",
        "rest_days.ok.spaced": "Your leg days never fall back to back.",
        "rest_days.ok": "No back-to-back leg days.",
    },
    "diagnosis.",
)

# Sentences whose words follow a count (Russian: 1 упражнение, 2 упражнения, 5 упражнений).
_NON_BASIC_REPS = Plural(
    "diagnosis.program.reps",
    "Non-basic exercises: {count} reps a set, aim for {min_reps} or more.",
    "Non-basic exercises: {count} reps a set, aim for {min_reps} or more.",
)
_SHORT_FRONT = Plural(
    "diagnosis.program.short.front",
    "{count} front-thigh exercises a week (aim {low}–{high})",
    "{count} front-thigh exercises a week (aim {low}–{high})",
)
_SHORT_BACK = Plural(
    "diagnosis.program.short.back",
    "{count} back-thigh exercises a week (aim {low}–{high})",
    "{count} back-thigh exercises a week (aim {low}–{high})",
)
_SHORT_REPS = Plural(
    "diagnosis.program.short.reps",
    "{count} reps on the extras (aim {min_reps}+)",
    "{count} reps on the extras (aim {min_reps}+)",
)
_TOO_MANY_DAYS = Plural(
    "diagnosis.frequency.too_many",
    "You train legs {count} days a week. More than {most} leg sessions leave too little "
    "time to recover.",
    "You train legs {count} days a week. More than {most} leg sessions leave too little "
    "time to recover.",
)
_MORE_THAN_RECOVERY = Plural(
    "diagnosis.frequency.poor_recovery",
    "You train legs {count} days a week; while recovery is poor that is more than your "
    "legs can recover from.",
    "You train legs {count} days a week; while recovery is poor that is more than your "
    "legs can recover from.",
)
_MORE_THAN_BEGINNER = Plural(
    "diagnosis.frequency.beginner",
    "You train legs {count} days a week; as a beginner that is more than your legs can "
    "recover from.",
    "You train legs {count} days a week; as a beginner that is more than your legs can "
    "recover from.",
)
_CRAMMED = Plural(
    "diagnosis.frequency.crammed",
    "All your leg work is crammed into {count} day. By the last exercises you're tired and "
    "the sets no longer count fully.",
    "All your leg work is crammed into {count} days. By the last exercises you're tired and "
    "the sets no longer count fully.",
)
_SHORT_ONE_SESSION = Plural(
    "diagnosis.frequency.short.one_session",
    "all leg work in 1 long session; {count} shorter ones suit you.",
    "all leg work in 1 long session; {count} shorter ones suit you.",
)
# `days` is the leg days the person does ("3 leg days"); the count is those that suit them.
_SHORT_DAYS = Plural(
    "diagnosis.frequency.short.days",
    "{days} a week; {count} leg day suits you.",
    "{days} a week; {count} leg days suit you.",
)
_SHORT_DAYS_BACK_TO_BACK = Plural(
    "diagnosis.frequency.short.days_back_to_back",
    "{days} a week, some back to back; {count} leg day suits you.",
    "{days} a week, some back to back; {count} leg days suit you.",
)
_CUT_DAYS = Plural(
    "diagnosis.frequency.step.cut",
    "cut to {count} leg day a week, with rest days in between.",
    "cut to {count} leg days a week, with rest days in between.",
)
_VARIATION_PROBLEM = Plural(
    "diagnosis.variation.problem",
    "Your leg program hasn't changed for {how_long}; after about {count} weeks, progress "
    "tends to stall.\n<i>What to do:</i> change the rep scheme (pyramids, giant sets) or swap "
    "one or two exercises, and keep the basics.",
    "Your leg program hasn't changed for {how_long}; after about {count} weeks, progress "
    "tends to stall.\n<i>What to do:</i> change the rep scheme (pyramids, giant sets) or swap "
    "one or two exercises, and keep the basics.",
)
_VARIATION_SHORT = Plural(
    "diagnosis.variation.short",
    "same program for {how_long}; change it every {count} weeks.",
    "same program for {how_long}; change it every {count} weeks.",
)
_REST_DAYS_MANY = Plural(
    "diagnosis.rest_days.many",
    "With {count} leg days a week, some always fall back to back.",
    "With {count} leg days a week, some always fall back to back.",
)


def _program_lines(v: dict[str, Any]) -> list[str]:
    front_low, front_high = (_whole(n) for n in v["front_exercises_range"])
    back_low, back_high = (_whole(n) for n in v["back_exercises_range"])
    issues = v["issues"]
    lines = []
    if "front_too_few" in issues or "front_too_many" in issues:
        lines.append(
            _SAY["program.front"].format(
                exercises=_EXERCISES(v["front_exercises"]), low=front_low, high=front_high
            )
        )
    if "back_too_few" in issues or "back_too_many" in issues:
        lines.append(
            _SAY["program.back"].format(
                exercises=_EXERCISES(v["back_exercises"]), low=back_low, high=back_high
            )
        )
    if "reps_too_few" in issues:
        lines.append(_NON_BASIC_REPS(v["accessory_reps"], min_reps=_whole(v["min_accessory_reps"])))
    return lines


def _groups(issues: Iterable[str], kind: str) -> str | None:
    """Which muscle groups have an issue of `kind` ("too_few", "too_many"): "front", "back",
    "both" or None."""
    front, back = f"front_{kind}" in issues, f"back_{kind}" in issues
    if front and back:
        return "both"
    return "front" if front else "back" if back else None


def _program_problem(v: dict[str, Any], unit: str) -> str:
    issues = v["issues"]
    do = []
    for kind, key in (("too_few", "add"), ("too_many", "cut")):
        groups = _groups(issues, kind)
        if groups is not None:
            do.append(_SAY[f"program.do.{key}.{groups}"])
    if "reps_too_few" in issues:
        do.append(_SAY["program.do.reps"].format(min_reps=_whole(v["min_accessory_reps"])))
    advice = " ".join([do[0], *(_sentence(sentence) for sentence in do[1:])])
    return _found_and_do("\n".join(_program_lines(v)), advice)


def _program_short(v: dict[str, Any], unit: str) -> str:
    issues = v["issues"]
    parts: list[str] = []
    front_low, front_high = (_whole(n) for n in v["front_exercises_range"])
    back_low, back_high = (_whole(n) for n in v["back_exercises_range"])
    if "front_too_few" in issues or "front_too_many" in issues:
        parts.append(_SHORT_FRONT(v["front_exercises"], low=front_low, high=front_high))
    if "back_too_few" in issues or "back_too_many" in issues:
        if parts:
            back = _SAY["program.short.back_after"].format(
                count=_whole(v["back_exercises"]), low=back_low, high=back_high
            )
        else:
            back = _SHORT_BACK(v["back_exercises"], low=back_low, high=back_high)
        parts.append(back)
    counts = ", ".join(parts)
    if "reps_too_few" in issues:
        reps = _SHORT_REPS(v["accessory_reps"], min_reps=_whole(v["min_accessory_reps"]))
        return f"{counts}; {reps}." if counts else f"{reps}."
    return f"{counts}."


def _program_step(v: dict[str, Any], unit: str) -> str:
    issues = v["issues"]
    if "front_too_few" in issues:
        return _SAY["program.step.front"]
    if "back_too_few" in issues:
        return _SAY["program.step.back"]
    if "reps_too_few" in issues:
        return _SAY["program.step.reps"].format(min_reps=_whole(MIN_ACCESSORY_REPS))
    return _SAY["program.step.cut"]


def _program_ok(v: dict[str, Any], unit: str) -> str:
    return _SAY["program.ok"].format(
        front=_whole(v["front_exercises"]),
        back=_whole(v["back_exercises"]),
        reps=_whole(v["accessory_reps"]),
    )


def _split_do(v: dict[str, Any]) -> str:
    if v["split_recommended"]:
        return _SAY["frequency.do.split"].format(**_weekdays())
    return _SAY["frequency.do.one"]


def _frequency_problem(v: dict[str, Any], unit: str) -> str:
    days = v["leg_days_per_week"]
    if days == 0:
        found = _SAY["frequency.none"]
    elif days > MAX_LEG_DAYS_PER_WEEK:
        found = _TOO_MANY_DAYS(days, most=_whole(MAX_LEG_DAYS_PER_WEEK))
    elif days > v["recommended_leg_days"]:
        poor = v["recovery"] == "poor"
        found = (_MORE_THAN_RECOVERY if poor else _MORE_THAN_BEGINNER)(days)
    else:
        found = _CRAMMED(days)
    if v["back_to_back"] and days > 1:
        found += " " + _SAY["frequency.back_to_back"]
    return _found_and_do(found, _split_do(v))


def _frequency_short(v: dict[str, Any], unit: str) -> str:
    days, recommended = v["leg_days_per_week"], v["recommended_leg_days"]
    if days == 0:
        return _SAY["frequency.short.none"]
    if days < recommended:
        return _SHORT_ONE_SESSION(recommended)
    said = _SHORT_DAYS_BACK_TO_BACK if v["back_to_back"] else _SHORT_DAYS
    return said(recommended, days=_LEG_DAYS(days))


def _frequency_step(v: dict[str, Any], unit: str) -> str:
    days, recommended = v["leg_days_per_week"], v["recommended_leg_days"]
    if days == 0:
        return _SAY["frequency.step.none"]
    if days < recommended:
        return _SAY["frequency.step.split"].format(**_weekdays())
    return _CUT_DAYS(recommended)


def _frequency_ok(v: dict[str, Any], unit: str) -> str:
    return _SAY["frequency.ok.split" if v["split_recommended"] else "frequency.ok.one"]


# The numbers a rule's texts name: how the rule writes them, and the value of the finding each
# placeholder stands for. A value the finding does not hold (the gap of a rule that is met) is
# left out.
_NUMBERS: dict[str, tuple[Callable[[float], str], dict[str, str]]] = {
    "calories": (
        _kcal,
        {
            "calories": "calories_kcal",
            "target": "calories_target_kcal",
            "gap": "calories_gap_kcal",
            "excess": "calories_excess_kcal",
            "ceiling": "calories_max_kcal",
        },
    ),
    "protein": (
        _grams,
        {"protein": "protein_g", "target": "protein_target_g", "gap": "protein_gap_g"},
    ),
    "sleep": (_hours, {"hours": "sleep_hours", "target": "sleep_target_h", "gap": "sleep_gap_h"}),
    "cardio": (
        _minutes,
        {
            "minutes": "cardio_minutes_week",
            "excess": "cardio_excess_minutes",
            "limit": "cardio_max_minutes_week",
        },
    ),
}


def _said(key: str, v: dict[str, Any], **values: str) -> str:
    """The text `key` with the numbers of its rule (the key's first part) written in, and
    `values` besides."""
    write, fields = _NUMBERS[key.partition(".")[0]]
    written = {name: write(v[field]) for name, field in fields.items() if field in v}
    return _SAY[key].format(**(written | values))


def _calories_window(v: dict[str, Any]) -> str:
    return _kcal_range(v["calories_target_kcal"], v["calories_max_kcal"])


def _calories_problem(v: dict[str, Any], unit: str) -> str:
    if v["too"] == "low":
        return _said("calories.low", v, weight=_weight(v["weight_kg"], unit))
    surplus = _percent(MAX_SURPLUS_FRACTION)
    return _said("calories.high", v, surplus=surplus, window=_calories_window(v))


def _calories_short(v: dict[str, Any], unit: str) -> str:
    return _said("calories.short.low" if v["too"] == "low" else "calories.short.high", v)


def _calories_step(v: dict[str, Any], unit: str) -> str:
    if v["too"] == "low":
        return _said("calories.step.low", v)
    return _said("calories.step.high", v, window=_calories_window(v))


def _calories_ok(v: dict[str, Any], unit: str) -> str:
    return _said("calories.ok", v, window=_calories_window(v))


def _protein_problem(v: dict[str, Any], unit: str) -> str:
    per_weight = _per_body_weight(PROTEIN_G_PER_KG, "g", unit)
    weight = _weight(v["weight_kg"], unit)
    if _shake_falls_short(v):
        shake = _grams(PROTEIN_PER_SHAKE_G)
        return _said("protein.problem.large", v, weight=weight, per_weight=per_weight, shake=shake)
    return _said("protein.problem", v, weight=weight, per_weight=per_weight)


def _shake_falls_short(v: dict[str, Any]) -> bool:
    """Whether the gap is more than one shake closes, give or take a little food."""
    return bool(v["protein_gap_g"] > PROTEIN_PER_SHAKE_G + 10)


def _protein_short(v: dict[str, Any], unit: str) -> str:
    return _said("protein.short", v)


def _protein_step(v: dict[str, Any], unit: str) -> str:
    if _shake_falls_short(v):
        return _said("protein.step.large", v, shake=_grams(PROTEIN_PER_SHAKE_G))
    return _said("protein.step", v)


def _protein_ok(v: dict[str, Any], unit: str) -> str:
    return _said("protein.ok", v)


def _technique_problem(v: dict[str, Any], unit: str) -> str:
    found = []
    if v["chases_heavy"]:
        found.append(_SAY["technique.heavy"])
    if v["form_checked"] is False:
        found.append(_SAY["technique.unchecked"])
    if v["explosive_reps"]:
        found.append(_SAY["technique.fast"])
    return _found_and_do(" ".join(found), _SAY["technique.do"])


def _technique_short(v: dict[str, Any], unit: str) -> str:
    return _SAY["technique.short.heavy" if v["chases_heavy"] else "technique.short.unchecked"]


def _technique_step(v: dict[str, Any], unit: str) -> str:
    return _SAY["technique.step.heavy" if v["chases_heavy"] else "technique.step.unchecked"]


def _technique_ok(v: dict[str, Any], unit: str) -> str:
    return _SAY["technique.ok"]


def _sleep_problem(v: dict[str, Any], unit: str) -> str:
    return _said("sleep.problem.naps" if v["naps"] is True else "sleep.problem", v)


def _sleep_short(v: dict[str, Any], unit: str) -> str:
    return _said("sleep.short", v)


def _sleep_step(v: dict[str, Any], unit: str) -> str:
    return _said("sleep.step", v, earlier=_earlier(v["sleep_gap_h"]))


def _sleep_ok(v: dict[str, Any], unit: str) -> str:
    return _said("sleep.ok.naps" if v["naps"] else "sleep.ok", v)


def _strength_work_kind(v: dict[str, Any]) -> str:
    """The key of what the legs do now: cardio_only, machines, none, or no_day."""
    kind = v["leg_training"]
    return kind if kind in ("cardio_only", "machines", "none") else "no_day"


def _strength_work_problem(v: dict[str, Any], unit: str) -> str:
    key = "strength_work." + _strength_work_kind(v)
    return _found_and_do(_SAY[key], _SAY[key + ".do"])


def _strength_work_short(v: dict[str, Any], unit: str) -> str:
    return _SAY["strength_work." + _strength_work_kind(v) + ".short"]


def _strength_work_step(v: dict[str, Any], unit: str) -> str:
    if v["leg_training"] == "machines":
        return _SAY["strength_work.step.machines"]
    return _SAY["strength_work.step"]


def _strength_work_ok(v: dict[str, Any], unit: str) -> str:
    return _SAY["strength_work.ok"]


def _variation_problem(v: dict[str, Any], unit: str) -> str:
    return _VARIATION_PROBLEM(
        v["max_weeks_without_change"], how_long=how_long(v["weeks_since_program_change"])
    )


def _variation_short(v: dict[str, Any], unit: str) -> str:
    return _VARIATION_SHORT(
        v["max_weeks_without_change"], how_long=how_long(v["weeks_since_program_change"])
    )


def _variation_step(v: dict[str, Any], unit: str) -> str:
    return _SAY["variation.step"]


def _variation_ok(v: dict[str, Any], unit: str) -> str:
    return _SAY["variation.ok"].format(how_long=how_long(v["weeks_since_program_change"]))


def _cardio_problem(v: dict[str, Any], unit: str) -> str:
    long_steady = v["cardio_kind"] in ("steady", "mixed")
    return _said("cardio.problem.steady" if long_steady else "cardio.problem", v)


def _cardio_short(v: dict[str, Any], unit: str) -> str:
    # Only the first figure carries its unit here: "200 min of cardio a week, 50 over 150".
    excess, limit = v["cardio_excess_minutes"], v["cardio_max_minutes_week"]
    return _said("cardio.short", v, excess=_whole(excess), limit=_whole(limit))


def _cardio_step(v: dict[str, Any], unit: str) -> str:
    return _SAY["cardio.step"].format(limit=_minutes(CARDIO_MAX_MINUTES_WEEK))


def _cardio_ok(v: dict[str, Any], unit: str) -> str:
    if v["cardio_minutes_week"] == 0:
        return _SAY["cardio.ok.none"]
    return _said("cardio.ok.steady" if v["cardio_kind"] == "steady" else "cardio.ok", v)


def _carbs_per_weight(unit: str) -> str:
    return _per_body_weight(CARBS_MIN_G_PER_KG, "g", unit)


def _carbs_problem(v: dict[str, Any], unit: str) -> str:
    if "carbs_min_g" in v:
        found = _SAY["carbs.problem"].format(
            carbs=_grams(v["carbs_g"]),
            floor=_grams(v["carbs_min_g"]),
            per_weight=_carbs_per_weight(unit),
            gap=_grams(v["carbs_gap_g"]),
        )
    else:
        found = _SAY["carbs.problem.level"].format(per_weight=_carbs_per_weight(unit))
    return _found_and_do(found, _SAY["carbs.do"])


def _carbs_short(v: dict[str, Any], unit: str) -> str:
    if "carbs_min_g" in v:
        return _SAY["carbs.short"].format(
            carbs=_grams(v["carbs_g"]), gap=_grams(v["carbs_gap_g"]), floor=_grams(v["carbs_min_g"])
        )
    return _SAY["carbs.short.level"].format(per_weight=_carbs_per_weight(unit))


def _carbs_step(v: dict[str, Any], unit: str) -> str:
    return _SAY["carbs.step"]


def _carb_level(level: object) -> str:
    """A stored rough carb level in words; anything else as it is, made HTML-safe."""
    key = f"carbs.level.{level}"
    return _SAY[key] if key in _SAY.english else html.escape(str(level))


def _carbs_ok(v: dict[str, Any], unit: str) -> str:
    if "carbs_min_g" in v:
        return _SAY["carbs.ok"].format(carbs=_grams(v["carbs_g"]), floor=_grams(v["carbs_min_g"]))
    return _SAY["carbs.ok.level"].format(level=_carb_level(v["carbs_level"]))


def _calves_problem(v: dict[str, Any], unit: str) -> str:
    do = _SAY["calves.do"].format(target=_seconds(v["calf_set_target_s"]))
    if not v["trains_calves"]:
        return _found_and_do(_SAY["calves.skipped"], do)
    low, high = CALF_SET_RANGE_S
    seconds = _seconds(v["calf_set_seconds"])
    if v["too"] == "short":
        found = _SAY["calves.too_short"].format(seconds=seconds, low=_seconds(low))
        how = _SAY["calves.too_short.how"]
    else:
        found = _SAY["calves.too_long"].format(seconds=seconds, high=_seconds(high))
        how = _SAY["calves.too_long.how"]
    return _found_and_do(found, f"{do} {how}")


def _calves_short(v: dict[str, Any], unit: str) -> str:
    if not v["trains_calves"]:
        return _SAY["calves.short.skipped"]
    return _SAY["calves.short"].format(
        seconds=_seconds(v["calf_set_seconds"]), target=_seconds(v["calf_set_target_s"])
    )


def _calves_step(v: dict[str, Any], unit: str) -> str:
    return _SAY["calves.step"].format(target=_seconds(CALF_SET_TARGET_S))


def _calves_ok(v: dict[str, Any], unit: str) -> str:
    return _SAY["calves.ok"].format(seconds=_seconds(v["calf_set_seconds"]))


def _explosive_advice(v: dict[str, Any]) -> str:
    return "form_first" if v["advice"] == "form_first" else "go"


def _explosive_problem(v: dict[str, Any], unit: str) -> str:
    return _SAY["explosive." + _explosive_advice(v)]


def _explosive_short(v: dict[str, Any], unit: str) -> str:
    return _SAY["explosive.short." + _explosive_advice(v)]


def _explosive_step(v: dict[str, Any], unit: str) -> str:
    return _SAY["explosive.step." + _explosive_advice(v)]


def _explosive_ok(v: dict[str, Any], unit: str) -> str:
    return _SAY["explosive.ok.waiting" if v.get("waiting_for_form") else "explosive.ok"]


def _rest_days_problem(v: dict[str, Any], unit: str) -> str:
    days = v["leg_days_per_week"]
    found = _REST_DAYS_MANY(days) if days >= 4 else _SAY["rest_days.sometimes"]
    return _found_and_do(found, _SAY["rest_days.do"])


def _rest_days_short(v: dict[str, Any], unit: str) -> str:
    return _SAY["rest_days.short"]


def _rest_days_step(v: dict[str, Any], unit: str) -> str:
    return _SAY["rest_days.step"]


def _rest_days_ok(v: dict[str, Any], unit: str) -> str:
    return _SAY["rest_days.ok.spaced" if v["leg_days_per_week"] >= 2 else "rest_days.ok"]


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

_WHY = Messages(
    {
        "program": (
            "what you do on leg day decides whether legs grow. Keep the heavy sets for the "
            "basics such as squats and leg presses, and give every other leg exercise at least "
            "{min_reps} reps a set. Over a week, 3–4 exercises for the front of the thigh and "
            "2–3 for the back."
        ),
        "frequency": (
            "one long leg session wears you out, so the last exercises get half an effort. Two "
            "shorter sessions (front thigh + calves, then back thigh + glutes + calves) keep "
            "every set fresh and help you recover. The same article saves two leg days for "
            "lifters with the experience and recovery for them, so Leg Day Coach keeps "
            "beginners and slow recoverers on one full leg day."
        ),
        "calories": (
            "muscle only grows when you eat more than you burn. About {calories} on training "
            "days is a good guide; more than {surplus} above your need mostly ends up as fat. "
            "Quality food counts: protein, complex carbs and healthy fats."
        ),
        "protein": (
            "protein is what new muscle is made of, and no amount of training replaces it. "
            "People who train hard need about {protein} a day; heavy training on less works "
            "against you. A shake with breakfast or a main meal makes the amount easy to reach."
        ),
        "technique": (
            "clean form comes before big weights. A movement learnt wrong tends to stay wrong, "
            "and an injury early on can stop your training altogether."
        ),
        "sleep": (
            "legs grow while you rest, not while you train. Hard training needs food and sleep "
            "behind it: at least {sleep} a night, and an afternoon nap when you can fit one in."
        ),
        "strength_work": (
            "running and cycling are not enough to build leg mass: that takes strength "
            "training, with squats and deadlifts at its heart. The other article, on the most "
            "common reasons, warns that machines without free weights won't build thick "
            "thighs either."
        ),
        "variation": (
            "a workout that never changes ends in a plateau, and change means more than new "
            "exercises: new rep schemes such as pyramids or giant sets count too. The article "
            "gives no time span; Leg Day Coach asks for a change at least every {weeks} weeks, "
            "the usual length of a training block."
        ),
        "cardio": (
            "to put on size, strength training comes first and cardio stays small, because "
            "long sessions start to break muscle down; short, hard intervals keep the muscle. "
            "The article gives no number; Leg Day Coach allows up to {cardio} a week, the "
            "amount health guidelines recommend."
        ),
        "carbs": (
            "carbs are the fuel for hard training and help you recover from it. The article "
            "gives no amount; Leg Day Coach asks for at least {carbs} a day, the low end of "
            "what sports nutrition advises for strength training."
        ),
        "calves": (
            "how long a calf set lasts decides what it builds: about 20 s trains strength, "
            "about {calf_target} s builds size, about 60 s builds endurance. Leg Day Coach "
            "counts {calf_low}–{calf_high} s as right."
        ),
        "explosive": (
            "lifting fast and with force helps muscles grow, but only on form that is already "
            "solid. Leg Day Coach keeps the speed to the lifting part of the heavy basics and "
            "lowers them in 2–3 s."
        ),
        "rest_days": (
            "muscles heal and get stronger between workouts, not during them. Never train legs "
            "on two days in a row: on the days between, train other muscle groups or rest."
        ),
    },
    "diagnosis.why.",
)


def _why(rule_id: str, unit: str) -> str:
    low, high = CALF_SET_RANGE_S
    return _WHY[rule_id].format(
        protein=_per_body_weight(PROTEIN_G_PER_KG, "g", unit, of_body=True),
        calories=_per_body_weight(CALORIES_KCAL_PER_KG, "kcal", unit, of_body=True),
        carbs=_per_body_weight(CARBS_MIN_G_PER_KG, "g", unit),
        min_reps=_whole(MIN_ACCESSORY_REPS),
        surplus=_percent(MAX_SURPLUS_FRACTION),
        sleep=_hours(SLEEP_TARGET_H),
        weeks=_whole(MAX_WEEKS_WITHOUT_CHANGE),
        cardio=_minutes(CARDIO_MAX_MINUTES_WEEK),
        calf_target=_whole(CALF_SET_TARGET_S),
        calf_low=_whole(low),
        calf_high=_whole(high),
    )


# --- the views --------------------------------------------------------------------------------

_VIEW = Messages(
    {
        # Two answers, of which either one will do.
        "either": "{first} or {last}",
        "covered": "<i>Fixing this settles {names} too.</i>",
        "unknown_line": "• <b>{title}</b>: I'd need {missing}.",
        "targets.none": (
            "Tell me your body weight (/assess) and I'll work out your daily numbers."
        ),
        "targets": (
            "<b>Your daily numbers</b> at {weight}:\n"
            "• protein: {protein}\n"
            "• calories on training days: {calories}\n"
            "• carbs: at least {carbs}\n"
            "• sleep: at least {sleep}"
        ),
        "continued": "{heading} (continued)",
        "check": "<b>Your leg check</b>: {verdict}",
        "verdict.unknown": "nothing I could judge holds your legs back.",
        "verdict.none": "nothing in your answers holds your legs back. Keep doing what you do.",
        "step.unknown": "find out {missing}, then run /assess again.",
        "step.none": "keep it up; a leg-day plan with reminders keeps you on it.",
        "holding_back": "<b>What holds your legs back</b>",
        "holding_back.ranked": "<b>What holds your legs back</b> (biggest first)",
        "holding_back.all": "<b>What holds your legs back</b> (biggest effect first)",
        "next_step": "<b>Next step this week</b>: {step}",
        "right.none": (
            "<b>What you already do right</b>: nothing yet, so every fix counts. Tap below "
            "for all of it and why."
        ),
        "right.none.unknown": (
            "<b>What you already do right</b>: nothing yet, so every fix counts; I couldn't "
            "judge {unknown}. Tap below for all of it and why."
        ),
        "nothing_holds": "<b>Nothing in your answers holds your legs back.</b>",
        "could_not_judge": "<b>What I couldn't judge</b>",
        "right": "<b>What you already do right</b>",
        "right.empty": (
            "<b>What you already do right</b>\nNothing I could count yet; every fix in "
            "“All problems” changes that."
        ),
        "for_you.covered": ("it's part of <b>{title}</b>: fix that first and this follows."),
        "for_you.problem": "{short} (number {rank} of {total})",
        "for_you.ok": "you already do this right. {ok}",
        "for_you.unknown": "I couldn't judge it; I'd need {missing}.",
        "why": (
            "<b>{label}</b>\n"
            "From “{article}”, the part on “{section}”: {point}\n\n"
            "<b>For you</b>: {for_you}"
        ),
    },
    "diagnosis.view.",
)
_VERDICT = Plural(
    "diagnosis.view.verdict",
    "{count} thing holds your legs back.",
    "{count} things hold your legs back.",
)
_TOP = Plural(
    "diagnosis.view.holding_back.top",
    "<b>What holds your legs back</b> (top {count}, biggest first)",
    "<b>What holds your legs back</b> (top {count}, biggest first)",
)
_RIGHT = Plural(
    "diagnosis.view.right.count",
    "<b>What you already do right</b>: {count} thing. Tap below for all of it and why.",
    "<b>What you already do right</b>: {count} things. Tap below for all of it and why.",
)
_RIGHT_AND_UNKNOWN = Plural(
    "diagnosis.view.right.count.unknown",
    "<b>What you already do right</b>: {count} thing; I couldn't judge {unknown}. Tap below "
    "for all of it and why.",
    "<b>What you already do right</b>: {count} things; I couldn't judge {unknown}. Tap below "
    "for all of it and why.",
)


def _missing_text(finding: Finding) -> str:
    labels = [
        _ANSWER_LABELS[name] if name in _ANSWER_LABELS.english else name.replace("_", " ")
        for name in finding.missing
    ]
    if not labels:
        return _ANSWER_LABELS["more"]
    # Carbs can be judged from grams or from the rough level: either one will do.
    if finding.rule_id == "carbs" and len(labels) > 1:
        return _VIEW["either"].format(first=", ".join(labels[:-1]), last=labels[-1])
    return i18n.joined(labels)


def _covered_note(diagnosis: Diagnosis, finding: Finding) -> str:
    # Only what was a problem too: a rule that was fine, or unknown, is not "settled".
    covered = [
        f
        for f in diagnosis.covered
        if f.covered_by == finding.rule_id and f.status is Status.PROBLEM
    ]
    if not covered:
        return ""
    names = i18n.joined([rule_title(f.rule_id).lower() for f in covered])
    return "\n" + _VIEW["covered"].format(names=names)


def _problem_block(diagnosis: Diagnosis, number: int, finding: Finding, unit: str) -> str:
    return (
        f"<b>{number}. {rule_title(finding.rule_id)}</b>\n"
        f"{_SAYS[finding.rule_id].problem(finding.values, unit)}"
        f"{_covered_note(diagnosis, finding)}"
    )


def _strength_line(finding: Finding, unit: str) -> str:
    ok = after_colon(_SAYS[finding.rule_id].ok(finding.values, unit))
    return f"• <b>{rule_title(finding.rule_id)}</b>: {ok}"


def _unknown_line(finding: Finding) -> str:
    return _VIEW["unknown_line"].format(
        title=rule_title(finding.rule_id), missing=_missing_text(finding)
    )


def _targets_text(targets: Targets | None, unit: str) -> str:
    if targets is None:
        return _VIEW["targets.none"]
    return _VIEW["targets"].format(
        weight=_weight(targets.weight_kg, unit),
        protein=_grams(targets.protein_target_g),
        calories=_kcal_range(targets.calories_target_kcal, targets.calories_max_kcal),
        carbs=_grams(targets.carbs_min_g),
        sleep=_hours(targets.sleep_target_h),
    )


def _pack(heading: str, blocks: Iterable[str], limit: int = MESSAGE_LIMIT) -> list[str]:
    """Blocks under a heading, split into as few messages as fit within `limit`."""
    continued = _VIEW["continued"].format(heading=heading)
    messages: list[str] = []
    current = heading
    for block in blocks:
        candidate = f"{current}\n\n{block}"
        if len(candidate) > limit and current not in (heading, continued):
            messages.append(current)
            candidate = f"{continued}\n\n{block}"
        current = candidate
    messages.append(current)
    return messages


def _verdict(diagnosis: Diagnosis) -> str:
    count = len(diagnosis.problems)
    if count:
        return _VERDICT(count)
    if diagnosis.unknown:
        return _VIEW["verdict.unknown"]
    return _VIEW["verdict.none"]


def _next_step(diagnosis: Diagnosis, unit: str) -> str:
    if diagnosis.problems:
        top = diagnosis.problems[0]
        return _SAYS[top.rule_id].step(top.values, unit)
    if diagnosis.unknown:
        return _VIEW["step.unknown"].format(missing=_missing_text(diagnosis.unknown[0]))
    return _VIEW["step.none"]


def _top_heading(diagnosis: Diagnosis, top: tuple[Finding, ...]) -> str:
    if len(diagnosis.problems) > len(top):
        return _TOP(len(top))
    return _VIEW["holding_back.ranked" if len(top) > 1 else "holding_back"]


def _right_line(diagnosis: Diagnosis) -> str:
    unknown = len(diagnosis.unknown)
    strengths = len(diagnosis.strengths)
    if strengths:
        if unknown:
            return _RIGHT_AND_UNKNOWN(strengths, unknown=i18n.number(unknown, 0))
        return _RIGHT(strengths)
    if unknown:
        return _VIEW["right.none.unknown"].format(unknown=i18n.number(unknown, 0))
    return _VIEW["right.none"]


def render_summary(diagnosis: Diagnosis, weight_unit: str = "kg") -> str:
    """The first message: verdict, top three problems with the person's numbers, and this
    week's one step, in about 120 words or fewer."""
    unit = "lb" if weight_unit == "lb" else "kg"
    parts = [_VIEW["check"].format(verdict=_verdict(diagnosis))]
    if diagnosis.problems:
        top = diagnosis.problems[:TOP_PROBLEMS]
        lines = [
            f"{number}. <b>{rule_title(finding.rule_id)}</b>: "
            f"{after_colon(_SAYS[finding.rule_id].short(finding.values, unit))}"
            for number, finding in enumerate(top, start=1)
        ]
        parts.append("\n".join([_top_heading(diagnosis, top), *lines]))
    parts.append(_VIEW["next_step"].format(step=_next_step(diagnosis, unit)))
    parts.append(_right_line(diagnosis))
    return "\n\n".join(parts)


def render_problems(diagnosis: Diagnosis, weight_unit: str = "kg") -> list[str]:
    """Every problem in full, what could not be judged, and the daily numbers."""
    unit = "lb" if weight_unit == "lb" else "kg"
    messages: list[str] = []
    if diagnosis.problems:
        messages += _pack(
            _VIEW["holding_back.all"],
            (
                _problem_block(diagnosis, number, finding, unit)
                for number, finding in enumerate(diagnosis.problems, start=1)
            ),
        )
    else:
        messages.append(_VIEW["nothing_holds"])
    if diagnosis.unknown:
        messages += _pack(_VIEW["could_not_judge"], (_unknown_line(f) for f in diagnosis.unknown))
    messages.append(_targets_text(diagnosis.targets, unit))
    return messages


def render_strengths(diagnosis: Diagnosis, weight_unit: str = "kg") -> list[str]:
    """What the person already does right."""
    unit = "lb" if weight_unit == "lb" else "kg"
    if not diagnosis.strengths:
        return [_VIEW["right.empty"]]
    return _pack(_VIEW["right"], (_strength_line(finding, unit) for finding in diagnosis.strengths))


def _for_you(diagnosis: Diagnosis, finding: Finding, unit: str) -> str:
    says = _SAYS[finding.rule_id]
    if finding.covered_by is not None:
        return _VIEW["for_you.covered"].format(title=rule_title(finding.covered_by).lower())
    if finding.status is Status.PROBLEM:
        return _VIEW["for_you.problem"].format(
            short=says.short(finding.values, unit),
            rank=i18n.number(diagnosis.problems.index(finding) + 1, 0),
            total=i18n.number(len(diagnosis.problems), 0),
        )
    if finding.status is Status.OK:
        return _VIEW["for_you.ok"].format(ok=says.ok(finding.values, unit))
    return _VIEW["for_you.unknown"].format(missing=_missing_text(finding))


def render_why(diagnosis: Diagnosis, rule_id: str, weight_unit: str = "kg") -> str:
    """Why a reason matters: the article it comes from, by title, its point, and how it
    applies to this person."""
    unit = "lb" if weight_unit == "lb" else "kg"
    finding = diagnosis.finding(rule_id)
    if finding is None:
        raise KeyError(rule_id)
    return _VIEW["why"].format(
        label=why_label(rule_id),
        article=_ARTICLES[str(finding.source.article)],
        section=_SECTIONS[rule_id],
        point=_why(rule_id, unit),
        for_you=after_colon(_sentence(_for_you(diagnosis, finding, unit))),
    )
