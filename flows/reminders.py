"""Reminders, the pure part: what a leg-day reminder says, its buttons, and what a press does.

A reminder's buttons carry "r|<delivery id>|<action>" as callback data: "r" tells them apart
from conversation buttons ("<token>|<value>"), the delivery id names the one occurrence the
press answers. Storage and sending live in bot.reminders and bot.dispatcher.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from flows import lifts
from flows.core import Choice
from flows.lifts import LiftSet
from flows.planning import Plan, Workout, stored_lifter, workout_on
from flows.texts import plan as plan_texts
from flows.texts.log_lifts import LIFT_NAMES
from flows.texts.log_lifts import TEXTS as LOG_TEXTS
from flows.texts.reminders import TEXTS

CALLBACK_PREFIX = "r"
SEPARATOR = "|"
MAX_CALLBACK_BYTES = 64
# Delivery ids are INTEGER columns: 32 bits on PostgreSQL. A larger id names no delivery.
MAX_DELIVERY_ID = 2**31 - 1
_DELIVERY_ID = re.compile(r"0|[1-9][0-9]{0,9}")
Action = Literal["done", "snooze", "skip"]
# The one button of a check-in reminder: it opens the check-in for the day it was sent for.
CHECKIN_ACTION = "checkin"
ACTIONS: tuple[Action, ...] = ("done", "snooze", "skip")
# What each action stores in deliveries.answered.
ANSWERED: dict[str, str] = {"done": "done", "skip": "skipped", "snooze": "snoozed"}
SNOOZE = timedelta(hours=1)
_UNKNOWN = "reminder.answer.unknown"


@dataclass(frozen=True)
class ReminderMessage:
    """A finished reminder: Telegram HTML and rows of buttons whose values are callback data.

    With a `photo` (PNG bytes) the text becomes its caption, which Telegram limits to 1,024
    characters.
    """

    text_html: str
    choices: tuple[tuple[Choice, ...], ...] = ()
    photo: bytes | None = None


def callback_data(delivery_id: int, action: str) -> str:
    data = SEPARATOR.join((CALLBACK_PREFIX, str(delivery_id), action))
    if len(data.encode()) > MAX_CALLBACK_BYTES:
        raise ValueError(f"callback data too long: {data!r}")
    return data


def parse_callback(data: str) -> tuple[int, str] | None:
    """(delivery id, action) of a reminder button's data; None for any other button.

    The id is read only as callback_data writes it (ASCII digits, no sign, no leading zero)
    and only when it fits a 64-bit database id, so forged data never reaches a query it would
    break; such a press is answered like any other button that is no longer known. The action
    is returned as pressed, known or not, so a stale or forged one can be answered.
    """
    prefix, _, rest = data.partition(SEPARATOR)
    if prefix != CALLBACK_PREFIX:
        return None
    number, separator, action = rest.partition(SEPARATOR)
    if not separator or not action or not _DELIVERY_ID.fullmatch(number):
        return None
    delivery_id = int(number)
    if delivery_id > MAX_DELIVERY_ID:
        return None
    return delivery_id, action


def answer_choices(delivery_id: int) -> tuple[tuple[Choice, ...], ...]:
    """Done on its own row, the two ways of putting it off below."""
    return (
        (Choice(TEXTS["reminder.button.done"], callback_data(delivery_id, "done")),),
        (
            Choice(TEXTS["reminder.button.snooze"], callback_data(delivery_id, "snooze")),
            Choice(TEXTS["reminder.button.skip"], callback_data(delivery_id, "skip")),
        ),
    )


def leg_day_workout(
    local_date: date,
    split: bool,
    weekdays: Sequence[int],
    experience: str,
    explosive: bool,
    deload_from: date | None = None,
    scheme_shift: int = 0,
) -> Workout:
    """The workout of the leg day on `local_date` under a stored plan: the same builder and
    the same inputs as the chat and the calendar (`flows.planning.workout_on`).

    `explosive` is what the plan stored from the assessment: form checked and weight not
    before form. An unknown level counts as beginner, the careful side.
    """
    plan = Plan(split, tuple(weekdays), deload_from, scheme_shift)
    return workout_on(plan, stored_lifter(experience, explosive), local_date)


def progression_targets(
    workout: Workout, last_sets: Sequence[LiftSet], weight_unit: str
) -> list[lifts.Target]:
    """What to aim for today on each heavy basic of `workout` that has a last logged set,
    by the plan's double progression (flows.lifts.progression_target)."""
    targets = []
    for exercise in workout.basics:
        last = lifts.last_set(last_sets, exercise.name)
        if last is None or exercise.timed:
            continue
        top = lifts.top_reps(exercise.rep_counts, pyramid=exercise.note == "pyramid")
        targets.append(lifts.progression_target(last, top, weight_unit))
    return targets


def progression_html(targets: Sequence[lifts.Target]) -> str:
    """The reminder's progression lines ("Last time 100 kg x 10: today 102.5 kg"), or ""."""
    lines = []
    for target in targets:
        unit = target.unit
        values: dict[str, object] = {
            "lift": LIFT_NAMES.get(target.lift, target.lift),
            "last": lifts.format_set(target.last.weight_kg, target.last.reps, unit),
            "weight": lifts.format_amount(target.weight, unit),
            "reps": target.reps,
        }
        key = "log.aim.add" if target.add else "log.aim.reps"
        lines.append(html.escape(LOG_TEXTS[key].format(**values), quote=False))
    if not lines:
        return ""
    return LOG_TEXTS["log.aim"].format(lines_html="\n".join(lines))


def leg_day_message(
    delivery_id: int,
    local_date: date,
    split: bool,
    weekdays: Sequence[int],
    experience: str,
    explosive: bool,
    weight_unit: str = "kg",
    last_sets: Sequence[LiftSet] = (),
    *,
    deload_from: date | None = None,
    scheme_shift: int = 0,
) -> ReminderMessage:
    """The leg-day reminder; with `last_sets` (the latest logged top sets before the day) it
    says what to aim for on each heavy basic, except in a deload week."""
    workout = leg_day_workout(
        local_date, split, weekdays, experience, explosive, deload_from, scheme_shift
    )
    earlier = [s for s in last_sets if s.day < local_date]
    targets = [] if workout.deload else progression_targets(workout, earlier, weight_unit)
    return ReminderMessage(
        plan_texts.render_reminder(workout, local_date, weight_unit) + progression_html(targets),
        answer_choices(delivery_id),
    )


def log_offer_choices(local_date: date) -> tuple[tuple[Choice, ...], ...]:
    """The button under a leg day's Done answer: /log for that day."""
    return ((Choice(TEXTS["reminder.button.log"], f"go=log {local_date.isoformat()}"),),)


@dataclass(frozen=True)
class ButtonDecision:
    """What a press does: the answer's text key, and the answer to store (None: nothing)."""

    key: str
    answered: str | None = None

    @property
    def snoozes(self) -> bool:
        return self.answered == "snoozed"


def decide(
    action: str, answered: str | None, paused: bool, snooze_stays_same_day: bool
) -> ButtonDecision:
    """The answer to a press on a reminder that exists and belongs to the presser.

    A reminder is answered once: later presses only say how it was answered. Snoozing past
    the user's midnight would remind them of yesterday's leg day, so it is refused.
    """
    if action not in ACTIONS:
        return ButtonDecision(_UNKNOWN)
    if paused:
        return ButtonDecision("reminder.answer.paused")
    if answered is not None:
        known = answered in ANSWERED.values()
        return ButtonDecision(f"reminder.answer.already_{answered}" if known else _UNKNOWN)
    if action == "snooze" and not snooze_stays_same_day:
        return ButtonDecision("reminder.answer.too_late_to_snooze")
    stored = ANSWERED[action]
    return ButtonDecision(f"reminder.answer.{stored}", stored)
