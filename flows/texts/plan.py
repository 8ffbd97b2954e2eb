"""Texts of the leg-day plan: the proposal, the weekday picker, workouts, reminders, and the
questions for the reminder time and time zone with their error messages.

TEXTS are str.format templates in Telegram HTML (<b>, <i> only); values are escaped by
flows.texts unless their name ends in "_html". The render functions return finished HTML in
the current language (flows.i18n): call them while the user's language is in use.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import date
from typing import Any, Literal, overload

from flows import i18n
from flows.i18n import Messages, Plural, Text
from flows.planning import Exercise, WeekdayCheck, Workout

# ---- weekdays and dates -------------------------------------------------------------------


def weekday_name(weekday: int, *, capital: bool = True) -> str:
    """Monday is 0: "Tuesday" / "Вторник". `capital=False` for a weekday inside a sentence
    ("вторник"); English writes it with a capital either way."""
    return i18n.weekday_name(weekday, "wide", capital=capital)


def weekday_short(weekday: int) -> str:
    """Monday is 0: "Tue" / "Вт", for a button."""
    return i18n.weekday_name(weekday, "abbreviated")


class _Weekdays(Sequence[str]):
    """The seven weekday names in the current language, read when indexed (so a module-level
    name is never frozen in the language it was imported in)."""

    def __init__(self, width: Literal["abbreviated", "wide"]) -> None:
        self.width: Literal["abbreviated", "wide"] = width

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[str]: ...
    def __getitem__(self, index: int | slice) -> str | Sequence[str]:
        names = [i18n.weekday_name(day, self.width) for day in range(7)]
        return names[index]

    def __len__(self) -> int:
        return 7


# Kept for code that indexes them: prefer weekday_name(index) and weekday_short(index).
WEEKDAY_NAMES: Sequence[str] = _Weekdays("wide")
WEEKDAY_SHORT: Sequence[str] = _Weekdays("abbreviated")

_ENGLISH_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_ENGLISH_SHORT = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# Russian: the name alone, after "в" ("в среду") and "по" ("по средам"), and abbreviations.
_RUSSIAN_WORDS = (
    ("понедельник", "понедельникам", "пн", "пон"),
    ("вторник", "вторникам", "вт", "втор"),
    ("среда", "среду", "средам", "ср", "сред"),
    ("четверг", "четвергам", "чт", "чет", "четв"),
    ("пятница", "пятницу", "пятницам", "пт", "пят"),
    ("суббота", "субботу", "субботам", "сб", "суб"),
    ("воскресенье", "воскресеньям", "вс", "вск", "вос", "воскр"),
)
# Typed weekdays, in any language the bot speaks, lower case, to their numbers.
WEEKDAY_WORDS: dict[str, int] = {
    **{name: index for index, name in enumerate(_ENGLISH_NAMES)},
    **{short: index for index, short in enumerate(_ENGLISH_SHORT)},
    "tues": 1,
    "thur": 3,
    "thurs": 3,
    **{word: index for index, words in enumerate(_RUSSIAN_WORDS) for word in words},
}
# Words that may stand between typed weekdays: "Tuesday and Friday", "во вторник и пятницу".
WEEKDAY_FILLERS = frozenset({"and", "on", "or", "и", "в", "во", "или", "по"})

# "on Monday" with the weekday in bold, as a sentence says it: Russian changes the
# preposition and the ending ("во <b>вторник</b>", "в <b>среду</b>").
ON_WEEKDAY = Messages(
    {
        "0": "on <b>Monday</b>",
        "1": "on <b>Tuesday</b>",
        "2": "on <b>Wednesday</b>",
        "3": "on <b>Thursday</b>",
        "4": "on <b>Friday</b>",
        "5": "on <b>Saturday</b>",
        "6": "on <b>Sunday</b>",
    },
    "plan.on_weekday.",
)


def on_weekday_html(weekday: int) -> str:
    """ "on <b>Tuesday</b>" / "во <b>вторник</b>"."""
    return ON_WEEKDAY[str(weekday)]


def days_label(weekdays: Sequence[int]) -> str:
    """ "Tuesday", "Tuesday and Friday" / "вторник и пятница", for inside a sentence."""
    return i18n.joined([weekday_name(day, capital=False) for day in weekdays])


def date_label(day: date) -> str:
    """ "Tuesday 3 March" / "вторник, 3 марта"."""
    return i18n.day_label(day)


DAY_AT_TIME = Text("plan.day_at_time", "{day}, {time}")


def day_and_time(day: date, clock: str) -> str:
    """ "Tuesday 3 March, 18:30"."""
    return DAY_AT_TIME(day=date_label(day), time=clock)


# ---- the workout ---------------------------------------------------------------------------

EXERCISE_NAMES = Messages(
    {
        "back_squat": "Barbell back squat",
        "leg_press": "Leg press",
        "leg_extension": "Leg extension",
        "hack_squat": "Hack squat",
        "romanian_deadlift": "Romanian deadlift",
        "lying_leg_curl": "Lying leg curl",
        "seated_leg_curl": "Seated leg curl",
        "hip_thrust": "Hip thrust",
        "standing_calf_raise": "Standing calf raise",
        "seated_calf_raise": "Seated calf raise",
    },
    "plan.exercise.",
)

WORKOUT_TITLES = Messages(
    {
        "front": "Day A: front thigh and calves",
        "back": "Day B: back thigh, glutes and calves",
        "full": "Leg day: front thigh, back thigh and calves",
    },
    "plan.workout_title.",
)

# The weight to add once every set reaches the top of its rep range.
_WEIGHT_STEP = Messages({"kg": "2.5 kg", "lb": "5 lb"}, "plan.weight_step.")

TEXTS = Messages(
    {
        # The offer after the diagnosis.
        "plan.proposal.split": (
            "<b>Your leg plan: two leg days a week.</b> Each session stays short enough to "
            "give it everything, and each half of the thigh gets a full week to grow.\n\n"
            "<b>{first_day}</b>: day A, front thigh and calves\n"
            "<b>{second_day}</b>: day B, back thigh, glutes and calves\n\n"
            "With rest days in between, your legs are fresh for every session. "
            "Keep these days or pick others?"
        ),
        "plan.proposal.single": (
            "<b>Your leg plan: one full leg day a week</b>, {on_day_html}: front thigh, back "
            "thigh and calves in one session. That leaves your legs a whole week to recover "
            "and time to get every movement right.\n\nKeep this day or pick another?"
        ),
        "plan.choice.keep": "Keep these days",
        "plan.choice.keep_one": "Keep {day}",
        "plan.choice.change": "Pick other days",
        "plan.choice.done": "Done",
        "plan.choice.take": "Take {days}",
        # The weekday picker.
        "plan.pick_days": (
            "Tap the <b>two</b> days you want to train legs on. The first one you tap is day "
            "A (front thigh), the second day B (back thigh). Leave at least one rest day "
            "between them."
        ),
        "plan.pick_day": "Tap the day you want to train legs on.",
        "plan.picked_so_far": "Day A: <b>{day}</b>. Now tap the day for day B.",
        # When the chosen days do not work.
        "plan.adjacent": (
            "<b>{first_day}</b> and <b>{second_day}</b> are back to back: you would start the "
            "second session with legs still tired from the first, and both would suffer. Keep "
            "at least one rest day between them.\n\nHow about <b>{better_first}</b> and "
            "<b>{better_second}</b>?"
        ),
        "plan.adjacent_wrap": (
            "<b>{first_day}</b> and <b>{second_day}</b> are back to back too: the week runs "
            "straight from Sunday into Monday, so your legs would get no rest day in between. "
            "Keep at least one rest day between the two sessions.\n\nHow about "
            "<b>{better_first}</b> and <b>{better_second}</b>?"
        ),
        "plan.duplicate": (
            "You picked <b>{day}</b> twice. The two sessions need two different days with a "
            "rest day between them.\n\nHow about <b>{better_first}</b> and "
            "<b>{better_second}</b>?"
        ),
        "plan.wrong_count.split": (
            "Pick exactly two days, please: one for the front thigh, one for the back "
            "thigh.\n\nHow about <b>{better_first}</b> and <b>{better_second}</b>?"
        ),
        "plan.wrong_count.single": (
            "Pick just one day for your full leg session.\n\nHow about <b>{better_first}</b>?"
        ),
        "plan.confirmed.split": (
            "Done: day A on <b>{first_day}</b>, day B on <b>{second_day}</b>."
        ),
        "plan.confirmed.single": "Done: your leg day is <b>{day}</b>.",
        "plan.workout_preview": "Your next leg day, <b>{day}</b>:\n\n{workout_html}",
        "plan.workout_after": "After that, <b>{day}</b>:\n\n{workout_html}",
        # The reminder time.
        "time.prompt": (
            "At what time should I remind you on leg days? Type your local time, "
            "e.g. <b>18:00</b> or <b>6pm</b>."
        ),
        "time.out_of_range": (
            "“{text}” is not on the clock: hours run from 0 to 23 (or 1 to 12 with am/pm) and "
            "minutes from 00 to 59. Try e.g. <b>18:30</b> or <b>6:30pm</b>."
        ),
        "time.not_a_time": (
            "I can't read “{text}” as a time of day. Type hours and minutes, e.g. "
            "<b>18:30</b>, <b>6pm</b> or just <b>7</b> for 07:00."
        ),
        "time.has_date": (
            "Just the time, please: the days come from your plan. E.g. <b>18:30</b> or <b>6pm</b>."
        ),
        "time.confirmed": "Reminders at <b>{time}</b> on your leg days, {zone} time.",
        # The time zone.
        "zone.prompt": (
            "Which time zone are you in, so reminders come at your local time? Share your "
            "location with the button below, type your city (e.g. <b>Berlin</b>), or tap a "
            "zone."
        ),
        "zone.not_found": (
            "I can't find a place called “{text}”. Check the spelling, try a bigger city near "
            "you, or type your offset from UTC, such as <b>UTC+1</b>."
        ),
        "zone.at_sea": (
            "That spot is out at sea, where I can't tell your time zone. Type the nearest "
            "city instead, e.g. <b>Lisbon</b>."
        ),
        "zone.bad_location": (
            "That location doesn't look right. Share it again, or type your city, e.g. "
            "<b>Berlin</b>."
        ),
        "zone.pick": "Several places match “{text}”. Which one is yours?",
        "zone.confirmed": "Time zone: <b>{zone}</b>, {offset} right now.",
        "zone.confirmed_offset": "Time zone: <b>{zone}</b>.",
        "zone.choice.share_location": "📍 Share my location",
        "zone.choice.keep": "Keep {zone}",
        "zone.share_location": "Or share your location with the button below.",
        # The reminder.
        "reminder.leg_day": "🦵 <b>Leg day today</b>, {day}.\n\n{workout_html}",
    },
)

DELOAD_LINE = Text(
    "plan.deload",
    "<i>Deload week: half the sets at about 60 % of your usual weights, no records. "
    "Full sessions again next week.</i>",
)
SCHEME_LINES = Messages(
    {
        "straight": (
            "<i>Straight sets, week {week} of {weeks} of this block: the same weight on every "
            "set; rest 2-3 min after the first lifts, 1-2 min after the rest.</i>"
        ),
        "pyramid": (
            "<i>Pyramids, week {week} of {weeks} of this block: more weight and fewer reps "
            "each set; rest 1-2 min.</i>"
        ),
        "giant": (
            "<i>Giant sets, week {week} of {weeks} of this block: the compound lifts first as "
            "straight sets, then the last exercises back to back without rest; rest 2-3 min "
            "between rounds.</i>"
        ),
        # A "giant" block whose day chains only two exercises: that is a superset.
        "superset": (
            "<i>Supersets, week {week} of {weeks} of this block: the compound lifts first as "
            "straight sets, then the last two exercises back to back without rest; rest 2-3 "
            "min between rounds.</i>"
        ),
    },
    "plan.scheme.",
)

_FOCUS_LINES = Messages(
    {
        "technique": (
            "🎯 Technique first: on every exercise a weight you control on every rep, lowered "
            "in 2-3 s, no bouncing. Once a coach or a video of your sets has checked your "
            "form, send /assess again and your plan moves on."
        ),
        "explosive": (
            "⚡ {basics}: drive the weight up fast, then lower it under control in 2-3 s. "
            "Everything else smooth and controlled."
        ),
    },
    "plan.focus.",
)
_OTHERS_LINE = Text(
    "plan.others",
    "🔁 Everything but the basics ({others}): never fewer than 15 reps a set.",
)

# One exercise's line: "2. <b>Leg press</b>: 4 × 8-12 reps, moderate weight, clean form". Its
# amount is straight sets, a pyramid or timed sets; in a giant set, one round's reps or time.
_LINE = Messages(
    {
        "line": "{number}. <b>{name}</b>: {amount}",
        "rep_range": "{low}-{high}",
        "line.giant": "{reps} reps",
        "line.timed_giant": "about {seconds} s, slow and to a full stretch",
    },
    "plan.",
)
_STRAIGHT_SETS = Messages(
    {
        "heavy": "{sets} × {reps} reps, heavy",
        "moderate": "{sets} × {reps} reps, moderate weight, clean form",
        "light": "{sets} × {reps} reps",
    },
    "plan.line.straight.",
)
_PYRAMID_SETS = Messages(
    {
        "heavy": "{reps} reps, more weight each set up to a heavy last set",
        "moderate": (
            "{reps} reps, a little more weight each set, still a moderate weight, clean form"
        ),
        "light": "{reps} reps, more weight each set",
    },
    "plan.line.pyramid.",
)
TIMED_SETS = Plural(
    "plan.line.timed",
    "{count} set of about {seconds} s, slow and to a full stretch",
    "{count} sets of about {seconds} s, slow and to a full stretch",
)
# The heading of the exercises done back to back; `count` is the rounds.
CHAINED_HEADINGS = {
    "giant": Plural(
        "plan.giant_set",
        "<b>Giant set</b>: these {exercises} back to back, {count} round (it counts as a set):",
        "<b>Giant set</b>: these {exercises} back to back, {count} rounds (they count as sets):",
    ),
    "superset": Plural(
        "plan.superset",
        "<b>Superset</b>: these {exercises} back to back, {count} round (it counts as a set):",
        "<b>Superset</b>: these {exercises} back to back, {count} rounds (they count as sets):",
    ),
}

_PROGRESSION = Messages(
    {
        "straight": (
            "📈 When every set of an exercise reaches the top of its range, add {step} to it "
            "next time and build the reps up again. The reps stay the same for the whole "
            "block, so the weights can keep climbing."
        ),
        "pyramid": (
            "📈 Once you make the reps of every set, add {step} to each set next time. The "
            "reps stay the same for the whole block, so the weights can keep climbing."
        ),
        "technique": "Add weight only while every rep still looks the same.",
        "calves": "Calf raises: add {step} once every set stays smooth for the whole {seconds} s.",
    },
    "plan.progression.",
)


def proposal(weekdays: Sequence[int], split: bool) -> tuple[str, dict[str, Any]]:
    """The text key and values that offer a plan on these days."""
    if split:
        first, second = weekdays
        return "plan.proposal.split", {
            "first_day": weekday_name(first),
            "second_day": weekday_name(second),
        }
    return "plan.proposal.single", {"on_day_html": on_weekday_html(weekdays[0])}


def weekday_problem(chosen: Sequence[int], check: WeekdayCheck) -> tuple[str, dict[str, Any]]:
    """The text key and values explaining why `chosen` does not work, with the better days.

    Only for a failed check; a passed one has nothing to explain.
    """
    if check.ok or check.reason is None:
        raise ValueError("the chosen days are fine")
    better = [weekday_name(day, capital=False) for day in check.suggestion]
    values: dict[str, Any] = {"better_first": better[0]}
    if len(better) > 1:
        values["better_second"] = better[1]
    if check.reason == "adjacent":
        first, second = chosen
        wraps = {first, second} == {0, 6}
        values |= {
            "first_day": weekday_name(first, capital=False),
            "second_day": weekday_name(second, capital=False),
        }
        return ("plan.adjacent_wrap" if wraps else "plan.adjacent"), values
    if check.reason == "duplicate":
        repeated = next(day for day in chosen if list(chosen).count(day) > 1)
        if len(better) > 1:
            return "plan.duplicate", values | {"day": weekday_name(repeated, capital=False)}
        return "plan.wrong_count.single", values
    return ("plan.wrong_count.split" if len(better) > 1 else "plan.wrong_count.single"), values


def exercise_name(key: str) -> str:
    return EXERCISE_NAMES.get(key) or key.replace("_", " ")


def _mid_sentence(name: str) -> str:
    """ "Leg press" -> "leg press"; an English name that starts with a proper name keeps it."""
    return name if name.startswith("Romanian ") else name[:1].lower() + name[1:]


def _names(keys: Sequence[str]) -> str:
    """ "Barbell back squat", "Barbell back squat and leg press"."""
    names = [exercise_name(key) for key in keys]
    names[1:] = [_mid_sentence(name) for name in names[1:]]
    return i18n.joined(names)


def _reps(exercise: Exercise) -> str:
    """ "6-8" a range, "12, 10, 8" a pyramid's reps per set."""
    counts = [i18n.number(count, 0) for count in exercise.rep_counts]
    if exercise.note == "pyramid":
        return ", ".join(counts)
    return (
        _LINE["rep_range"].format(low=counts[0], high=counts[-1]) if len(counts) > 1 else counts[0]
    )


def _amount(exercise: Exercise) -> str:
    giant = exercise.note == "giant"  # the rounds are on the giant-set line
    if exercise.timed:
        seconds = i18n.number(float(exercise.reps.removesuffix(" s")), 0)
        if giant:
            return _LINE["line.timed_giant"].format(seconds=seconds)
        return TIMED_SETS(exercise.sets, seconds=seconds)
    if giant:
        return _LINE["line.giant"].format(reps=_reps(exercise))
    if exercise.note == "pyramid":
        return _PYRAMID_SETS[exercise.load].format(reps=_reps(exercise))
    straight = _STRAIGHT_SETS.get(exercise.load) or _STRAIGHT_SETS["light"]
    return straight.format(sets=i18n.number(exercise.sets, 0), reps=_reps(exercise))


def _exercise_line(number: int, exercise: Exercise) -> str:
    return _LINE["line"].format(
        number=number,
        name=html.escape(exercise_name(exercise.name)),
        amount=html.escape(_amount(exercise), quote=False),
    )


def _giant_heading(workout: Workout) -> str:
    chained = workout.giant_set
    heading = CHAINED_HEADINGS["giant" if len(chained) >= 3 else "superset"]
    return heading(chained[0].sets, exercises=i18n.number(len(chained), 0))


def _progression(workout: Workout, weight_unit: str) -> str:
    step = _WEIGHT_STEP.get(weight_unit) or _WEIGHT_STEP["kg"]
    rule = _PROGRESSION["pyramid" if workout.scheme == "pyramid" else "straight"]
    rules = [rule.format(step=step)]
    if workout.focus == "technique":
        rules.append(_PROGRESSION["technique"])
    if workout.calves:
        seconds = i18n.number(workout.calf_set_seconds, 0)
        rules.append(_PROGRESSION["calves"].format(step=step, seconds=seconds))
    return html.escape(" ".join(rules), quote=False)


def render_workout(workout: Workout, weight_unit: str = "kg") -> str:
    """One leg day as a message: title, the block's scheme, the exercises in order, tips."""
    superset = workout.scheme == "giant" and len(workout.giant_set) < 3
    scheme: str = "superset" if superset else workout.scheme
    scheme_line = SCHEME_LINES[scheme].format(
        week=i18n.number(workout.week_in_block, 0), weeks=i18n.number(workout.block_weeks, 0)
    )
    lines = [f"<b>{html.escape(WORKOUT_TITLES[workout.day_kind])}</b>", scheme_line, ""]
    if workout.deload:
        lines.insert(2, DELOAD_LINE())
    in_giant_set = False
    for number, exercise in enumerate(workout.exercises, start=1):
        if exercise.note == "giant" and not in_giant_set:
            in_giant_set = True
            lines.append(_giant_heading(workout))
        lines.append(("   " if in_giant_set else "") + _exercise_line(number, exercise))
    basics = _names([exercise.name for exercise in workout.basics])
    lines.append("")
    lines.append(html.escape(_FOCUS_LINES[workout.focus].format(basics=basics)))
    lines.append(_OTHERS_LINE(others=html.escape(_mid_sentence(basics))))
    lines.append(_progression(workout, weight_unit))
    return "\n".join(lines)


def render_reminder(workout: Workout, local_date: date, weight_unit: str = "kg") -> str:
    """The leg-day reminder: the day, then the whole workout."""
    return TEXTS["reminder.leg_day"].format(
        day=html.escape(date_label(local_date)),
        workout_html=render_workout(workout, weight_unit),
    )
