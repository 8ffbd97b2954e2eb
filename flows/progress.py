"""What daily check-ins add up to: streaks, period summaries, feedback and re-assessment changes.

Everything here works on calendar dates. Turning a moment into "the day a check-in is
about" (a late answer after midnight still counts for the day it was asked about, time zones,
daylight-saving changes) is the caller's business: by the time a check-in reaches this
module it carries the date it belongs to.

When two check-ins carry the same date, the later one in the sequence wins: it is the
user's correction.
"""

from __future__ import annotations

import math
from collections.abc import Container, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Literal

LegDayMark = Literal["done", "skipped", "rest"]

# Rule ids the check-in feedback points at; they are the ids of the coaching rules in
# flows.rules, so a tip can link to the reason it comes from.
RULE_SLEEP = "sleep"
RULE_PROTEIN = "protein"
RULE_CARBS = "carbs"
RULE_CARDIO = "cardio"
RULE_LEG_DAYS = "strength_work"  # legs need the actual strength session, not a skipped one
RULE_BACK_TO_BACK = "rest_days"  # the same muscles trained two days running

# Long steady cardio eats into growth; intervals keep the conditioning at a fraction of the
# time. One long session, or a steady week adding up to the weekly limit the rules use
# (flows.rules.CARDIO_MAX_MINUTES_WEEK), is "a lot".
LONG_STEADY_CARDIO_DAY_MIN = 45
LONG_STEADY_CARDIO_WEEK_MIN = 150

# A scoop of whey gives roughly this much protein; used to say how many shakes close a gap.
PROTEIN_PER_SHAKE_G = 25


@dataclass(frozen=True)
class CheckinDay:
    """One day's check-in, filed under the day it was asked about."""

    day: date
    sleep_hours: float | None = None  # hours slept the night before `day`
    protein_g: float | None = None
    carbs_g: float | None = None  # grams, when the user knows them
    carbs_level: str | None = None  # "low" | "moderate" | "high", when grams are not known
    cardio_minutes: int | None = None
    cardio_kind: str | None = None  # "steady" | "intervals"
    leg_day: str | None = None  # "done" | "skipped" | "rest"


# A check-in's answers, as CheckinDay, the stored check-in and the export name them.
CHECKIN_VALUES = (
    "sleep_hours",
    "protein_g",
    "carbs_g",
    "carbs_level",
    "cardio_minutes",
    "cardio_kind",
    "leg_day",
)


@dataclass(frozen=True)
class Streaks:
    checkin_days: int  # days in a row with a check-in
    leg_days: int  # planned leg days in a row marked done


def _by_day(checkins: Iterable[CheckinDay]) -> dict[date, CheckinDay]:
    return {checkin.day: checkin for checkin in checkins}


def checkin_streak(days_with_checkin: Iterable[date], today: date) -> int:
    """Days in a row with a check-in, ending today.

    Today's check-in may still come, so without it the streak ends yesterday and is not
    broken yet. Days after `today` are ignored.
    """
    days = set(days_with_checkin)
    cursor = today if today in days else today - timedelta(days=1)
    streak = 0
    while cursor in days:
        streak += 1
        cursor -= timedelta(days=1)
    return streak


def leg_day_streak(
    checkins: Sequence[CheckinDay],
    planned_weekdays: Iterable[int],
    today: date,
    reminder_marks: Mapping[date, str] | None = None,
    plan_start: date | None = None,
) -> int:
    """Planned leg days in a row marked done, walking back from today.

    `planned_weekdays` are weekday numbers (0 = Monday). A planned day breaks the streak
    unless it is marked "done": no check-in, "skipped" and "rest" all break it. Today is the
    exception while its leg day is not answered yet: it neither counts nor breaks. Leg
    sessions on days that were not planned neither count nor break: the streak is about
    keeping the plan. Days before `plan_start` (the day the plan was made) were not planned.
    """
    planned = {weekday for weekday in planned_weekdays if 0 <= weekday <= 6}
    if not planned:
        return 0
    by_day = _by_day(checkins)
    marks = reminder_marks or {}
    earliest = min([*by_day, *marks], default=today)
    if plan_start is not None:
        earliest = max(earliest, plan_start)
    streak = 0
    cursor = today
    while cursor >= earliest:
        if cursor.weekday() in planned:
            mark = leg_day_mark(by_day.get(cursor), marks.get(cursor))
            if mark == "done":
                streak += 1
            elif not (cursor == today and mark is None):
                break
        cursor -= timedelta(days=1)
    return streak


def leg_day_mark(checkin: CheckinDay | None, reminder_mark: str | None) -> str | None:
    """How a day's leg session went: the check-in's answer, else the reminder's Done or
    Skip button ("done" / "skipped"), else None."""
    if checkin is not None and checkin.leg_day is not None:
        return checkin.leg_day
    return reminder_mark


def leg_day_marks(
    checkins: Iterable[CheckinDay],
    start: date,
    end: date,
    reminder_marks: Mapping[date, str] | None = None,
) -> dict[date, str]:
    """Every marked leg day from `start` to `end`: the check-in's answer, else the
    reminder's button (see `leg_day_mark`)."""
    by_day = _by_day(checkins)
    marks = reminder_marks or {}
    found: dict[date, str] = {}
    day = start
    while day <= end:
        mark = leg_day_mark(by_day.get(day), marks.get(day))
        if mark is not None:
            found[day] = mark
        day += timedelta(days=1)
    return found


def planned_leg_days(
    start: date,
    end: date,
    planned_weekdays: Iterable[int],
    *,
    today: date,
    plan_start: date | None = None,
    marked: Container[date] = (),
) -> list[date]:
    """The planned leg days from `start` to `end` that count as due, oldest first.

    A day is planned when its weekday is in the plan and the plan existed then (on or after
    `plan_start`, the day it was made). Days after `today` are still to come and are left
    out; today is in only once its leg day is marked (in `marked`), so a summary sent in the
    morning does not show today's session as missing.
    """
    planned = {weekday for weekday in planned_weekdays if 0 <= weekday <= 6}
    days: list[date] = []
    day = start if plan_start is None else max(start, plan_start)
    while day <= min(end, today):
        if day.weekday() in planned and (day < today or day in marked):
            days.append(day)
        day += timedelta(days=1)
    return days


def _is_low_carbs(checkin: CheckinDay, carbs_min_g: float | None) -> bool:
    """Low carbs: grams under the target, or the level "low".

    A day given in grams is low only against a target: without one it cannot be judged
    and is never low. A level of "low" is low with or without a target.
    """
    if checkin.carbs_g is not None:
        return carbs_min_g is not None and checkin.carbs_g < carbs_min_g
    return checkin.carbs_level == "low"


def _carbs_judged(checkin: CheckinDay, carbs_min_g: float | None) -> bool:
    """Whether a day's carbs can be called low or not: a level always, grams only against
    a target."""
    if checkin.carbs_g is not None:
        return carbs_min_g is not None
    return checkin.carbs_level is not None


def _steady_minutes(checkin: CheckinDay) -> int:
    if checkin.cardio_kind == "steady" and checkin.cardio_minutes:
        return checkin.cardio_minutes
    return 0


def _average(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


@dataclass(frozen=True)
class Summary:
    """Check-ins from `start` to `end` (both included) against the user's targets.

    Every average is over the days that have the value, and the count of those days comes
    with it (`sleep_nights_reported` for `sleep_average_h`, and so on).
    """

    start: date
    end: date
    days: int
    days_checked_in: int
    sleep_target_h: float
    sleep_nights_reported: int
    sleep_average_h: float | None
    nights_under_target: int
    protein_target_g: float | None
    protein_days_reported: int
    protein_average_g: float | None
    protein_days_at_target: int | None  # None without a target
    carbs_min_g: float | None
    carbs_days_reported: int  # days with grams or a level
    carbs_days_grams: int  # days given in grams
    carbs_average_g: float | None  # over the days given in grams
    carbs_days_levels: int  # days given as a level ("low", "moderate", "high")
    # Days whose carbs can be called low or not: every level day, and the days in grams
    # when there is a target to compare them with.
    carbs_days_judged: int
    carbs_days_low: int  # of the judged days
    cardio_days: int  # days with some cardio
    cardio_minutes_total: int
    cardio_minutes_steady: int
    cardio_minutes_intervals: int
    has_plan: bool  # planned weekdays exist (they may all fall before the plan's start)
    leg_days_planned: int  # planned leg days that are due (see planned_leg_days)
    leg_days_planned_done: int
    leg_days_planned_skipped: int
    leg_days_planned_rest: int  # planned, but marked as a rest day
    leg_days_planned_unmarked: int
    leg_days_extra: int  # done on a day that was not a planned leg day
    leg_days_done: int  # any day marked done: planned_done + extra
    leg_days_skipped: int  # any day marked skipped, planned or not
    checkin_streak: int
    leg_day_streak: int


def summarize(
    checkins: Sequence[CheckinDay],
    start: date,
    end: date,
    planned_weekdays: Iterable[int],
    protein_target_g: float | None,
    sleep_target_h: float = 8.0,
    carbs_min_g: float | None = None,
    today: date | None = None,
    plan_start: date | None = None,
    reminder_marks: Mapping[date, str] | None = None,
) -> Summary:
    """Adds up the check-ins from `start` to `end`, both included.

    `checkins` may hold days outside the window: they only feed the streaks, which run up to
    `today` (by default `end`). Planned leg days are counted by `planned_leg_days`: from the
    plan's start, once they are over. A session done on any other day is an extra.
    """
    if end < start:
        raise ValueError(f"summary window ends ({end}) before it starts ({start})")
    as_of = end if today is None else today
    planned = {weekday for weekday in planned_weekdays if 0 <= weekday <= 6}
    by_day = _by_day(checkins)
    window = [by_day[day] for day in sorted(by_day) if start <= day <= end]

    sleep = [c.sleep_hours for c in window if c.sleep_hours is not None]
    protein = [c.protein_g for c in window if c.protein_g is not None]
    carbs_grams = [c.carbs_g for c in window if c.carbs_g is not None]
    carbs_judged = [c for c in window if _carbs_judged(c, carbs_min_g)]
    cardio = [c for c in window if c.cardio_minutes]

    marks = leg_day_marks(by_day.values(), start, end, reminder_marks)
    due = planned_leg_days(
        start, end, planned, today=as_of, plan_start=plan_start, marked=marks.keys()
    )
    due_marks = [marks.get(day) for day in due]
    due_set = set(due)
    leg_days_extra = sum(1 for day, mark in marks.items() if mark == "done" and day not in due_set)

    return Summary(
        start=start,
        end=end,
        days=(end - start).days + 1,
        days_checked_in=len(window),
        sleep_target_h=sleep_target_h,
        sleep_nights_reported=len(sleep),
        sleep_average_h=_average(sleep),
        nights_under_target=sum(1 for hours in sleep if hours < sleep_target_h),
        protein_target_g=protein_target_g,
        protein_days_reported=len(protein),
        protein_average_g=_average(protein),
        protein_days_at_target=(
            None
            if protein_target_g is None
            # Whole grams, as the check-in reply shows them, so the two always agree.
            else sum(1 for grams in protein if _grams(grams) >= _grams(protein_target_g))
        ),
        carbs_min_g=carbs_min_g,
        carbs_days_reported=sum(
            1 for c in window if c.carbs_g is not None or c.carbs_level is not None
        ),
        carbs_days_grams=len(carbs_grams),
        carbs_average_g=_average(carbs_grams),
        carbs_days_levels=sum(1 for c in window if c.carbs_g is None and c.carbs_level is not None),
        carbs_days_judged=len(carbs_judged),
        carbs_days_low=sum(1 for c in carbs_judged if _is_low_carbs(c, carbs_min_g)),
        cardio_days=len(cardio),
        cardio_minutes_total=sum(c.cardio_minutes or 0 for c in cardio),
        cardio_minutes_steady=sum(_steady_minutes(c) for c in cardio),
        cardio_minutes_intervals=sum(
            c.cardio_minutes or 0 for c in cardio if c.cardio_kind == "intervals"
        ),
        has_plan=bool(planned),
        leg_days_planned=len(due),
        leg_days_planned_done=due_marks.count("done"),
        leg_days_planned_skipped=due_marks.count("skipped"),
        leg_days_planned_rest=due_marks.count("rest"),
        leg_days_planned_unmarked=due_marks.count(None),
        leg_days_extra=leg_days_extra,
        leg_days_done=sum(1 for mark in marks.values() if mark == "done"),
        leg_days_skipped=sum(1 for mark in marks.values() if mark == "skipped"),
        checkin_streak=checkin_streak(by_day, as_of),
        leg_day_streak=leg_day_streak(
            list(by_day.values()), planned, as_of, reminder_marks, plan_start
        ),
    )


@dataclass(frozen=True)
class Line:
    """One piece of text to show: a key of flows.texts.progress.TEXTS and its values."""

    key: str
    values: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Feedback:
    """The reply to one check-in.

    `lines` compare the day with the targets, `tip` is the one thing to do tomorrow,
    `rule_ids` are the rules the day fell short on (in the order of the lines) and
    `tip_rule_id` the rule the tip comes from (None for a general tip).
    """

    day: date
    lines: tuple[Line, ...]
    tip: Line
    rule_ids: tuple[str, ...]
    tip_rule_id: str | None


def _grams(value: float) -> int:
    return round(value)


def _hours(value: float) -> float:
    return round(value, 1)


def _previous_day(recent: Sequence[CheckinDay], day: date) -> CheckinDay | None:
    return _by_day(recent).get(day - timedelta(days=1))


def feedback(
    checkin: CheckinDay,
    *,
    protein_target_g: float | None,
    sleep_target_h: float = 8.0,
    carbs_min_g: float | None = None,
    recent: Sequence[CheckinDay] = (),
    tomorrow_is_leg_day: bool = False,
) -> Feedback:
    """Compares one check-in with the targets and picks ONE thing to do tomorrow.

    `recent` holds earlier check-ins (the last week is plenty); entries on or after
    `checkin.day` are ignored. The tip is the first of these that applies:

    1. Tomorrow is a leg day after two short nights (last night and the one before):
       sleep first tonight, keep the session but drop a set per exercise.
    2. Legs were trained today and are planned again tomorrow: rest them tomorrow, since leg
       days never go back to back; today's session takes the place of tomorrow's.
    3. Today's leg day was skipped: do tomorrow's as planned without stacking the missed one
       on top, or, with no leg day tomorrow, make the missed one up.
    4. Protein under target: a shake (or two) to close the gap.
    5. Last night was short: to bed earlier tonight by the missing time, a nap if possible.
    6. A lot of steady cardio (a long session today, or a long steady week): swap for
       intervals.
    7. Carbs low: more carbs, around the session when tomorrow is a leg day.
    8. Nothing to fix: a leg-day reminder when tomorrow is one, otherwise keep it up.

    Training comes before nutrition because a missed or overloaded session costs the most;
    among nutrition and recovery, protein and sleep carry the most weight in growing legs.
    """
    earlier = [c for c in recent if c.day < checkin.day]
    lines: list[Line] = []
    shortfalls: list[str] = []

    sleep_short = checkin.sleep_hours is not None and checkin.sleep_hours < sleep_target_h
    if checkin.sleep_hours is not None:
        values = {"hours": _hours(checkin.sleep_hours), "target": _hours(sleep_target_h)}
        lines.append(Line("progress_sleep_short" if sleep_short else "progress_sleep_ok", values))
        if sleep_short:
            shortfalls.append(RULE_SLEEP)

    protein_line, protein_missing_g = _protein_line(checkin, protein_target_g)
    if protein_line is not None:
        lines.append(protein_line)
    if protein_missing_g > 0:
        shortfalls.append(RULE_PROTEIN)

    carbs_low = _is_low_carbs(checkin, carbs_min_g)
    carbs_line = _carbs_line(checkin, carbs_min_g, carbs_low=carbs_low)
    if carbs_line is not None:
        lines.append(carbs_line)
    if carbs_low:
        shortfalls.append(RULE_CARBS)

    steady_today = _steady_minutes(checkin)
    week_start = checkin.day - timedelta(days=6)
    steady_week = steady_today + sum(_steady_minutes(c) for c in earlier if c.day >= week_start)
    cardio_long = steady_today > 0 and (
        steady_today >= LONG_STEADY_CARDIO_DAY_MIN or steady_week >= LONG_STEADY_CARDIO_WEEK_MIN
    )
    if checkin.cardio_minutes:
        lines.append(_cardio_line(checkin, steady_today, steady_week, cardio_long=cardio_long))
        if cardio_long:
            shortfalls.append(RULE_CARDIO)

    if checkin.leg_day in ("done", "skipped", "rest"):
        lines.append(Line(f"progress_leg_{checkin.leg_day}"))
    if checkin.leg_day == "skipped":
        shortfalls.append(RULE_LEG_DAYS)

    previous = _previous_day(earlier, checkin.day)
    two_short_nights = (
        sleep_short
        and previous is not None
        and previous.sleep_hours is not None
        and previous.sleep_hours < sleep_target_h
    )

    tip, tip_rule_id = _tip(
        checkin,
        tomorrow_is_leg_day=tomorrow_is_leg_day,
        two_short_nights=two_short_nights,
        protein_missing_g=protein_missing_g,
        sleep_target_h=sleep_target_h,
        cardio_long=cardio_long,
        carbs_low=carbs_low,
    )

    return Feedback(
        day=checkin.day,
        lines=tuple(lines),
        tip=tip,
        rule_ids=tuple(dict.fromkeys(shortfalls)),
        tip_rule_id=tip_rule_id,
    )


def _protein_line(checkin: CheckinDay, protein_target_g: float | None) -> tuple[Line | None, int]:
    """The protein line and the grams missing to the target (0 when none is known)."""
    if checkin.protein_g is None:
        return None, 0
    if protein_target_g is None:
        return Line("progress_protein_logged", {"protein": _grams(checkin.protein_g)}), 0
    missing_g = max(0, _grams(protein_target_g - checkin.protein_g))
    values = {
        "protein": _grams(checkin.protein_g),
        "target": _grams(protein_target_g),
        "missing": missing_g,
    }
    key = "progress_protein_short" if missing_g > 0 else "progress_protein_ok"
    return Line(key, values), missing_g


def _carbs_line(checkin: CheckinDay, carbs_min_g: float | None, *, carbs_low: bool) -> Line | None:
    if checkin.carbs_g is not None:
        values: dict[str, Any] = {"carbs": _grams(checkin.carbs_g)}
        if carbs_min_g is None:
            return Line("progress_carbs_grams", values)
        values["minimum"] = _grams(carbs_min_g)
        return Line("progress_carbs_grams_low" if carbs_low else "progress_carbs_grams_ok", values)
    if checkin.carbs_level is not None:
        key = "progress_carbs_level_low" if carbs_low else "progress_carbs_level"
        return Line(key, {"level": checkin.carbs_level})
    return None


def _cardio_line(
    checkin: CheckinDay, steady_today: int, steady_week: int, *, cardio_long: bool
) -> Line:
    values = {"minutes": checkin.cardio_minutes, "week_steady": steady_week}
    if cardio_long:
        key = (
            "progress_cardio_long_steady"
            if steady_today >= LONG_STEADY_CARDIO_DAY_MIN
            else "progress_cardio_steady_week"
        )
    elif checkin.cardio_kind in ("steady", "intervals"):
        key = f"progress_cardio_{checkin.cardio_kind}"
    else:
        key = "progress_cardio"
    return Line(key, values)


def _tip(
    checkin: CheckinDay,
    *,
    tomorrow_is_leg_day: bool,
    two_short_nights: bool,
    protein_missing_g: int,
    sleep_target_h: float,
    cardio_long: bool,
    carbs_low: bool,
) -> tuple[Line, str | None]:
    """The one thing to do tomorrow, in the order `feedback` explains."""
    if tomorrow_is_leg_day and two_short_nights:
        return Line("progress_tip_sleep_before_leg_day"), RULE_SLEEP
    if tomorrow_is_leg_day and checkin.leg_day == "done":
        return Line("progress_tip_back_to_back"), RULE_BACK_TO_BACK
    if checkin.leg_day == "skipped":
        key = (
            "progress_tip_skipped_next_planned"
            if tomorrow_is_leg_day
            else "progress_tip_skipped_make_up"
        )
        return Line(key), RULE_LEG_DAYS
    if protein_missing_g > 0:
        shakes = max(1, min(2, math.ceil(protein_missing_g / PROTEIN_PER_SHAKE_G)))
        key = "progress_tip_protein_one_shake" if shakes == 1 else "progress_tip_protein_shakes"
        return Line(key, {"missing": protein_missing_g, "shake": PROTEIN_PER_SHAKE_G}), RULE_PROTEIN
    if checkin.sleep_hours is not None and checkin.sleep_hours < sleep_target_h:
        # Rounded to a quarter hour: "go to bed 47 minutes earlier" is not advice anyone keeps.
        minutes = max(15, 15 * round((sleep_target_h - checkin.sleep_hours) * 4))
        target = _hours(sleep_target_h)
        if minutes >= 60:  # "3 h earlier", not "180 min earlier"
            return Line("progress_tip_sleep_hours", {"hours": minutes / 60, "target": target}), (
                RULE_SLEEP
            )
        return Line("progress_tip_sleep", {"minutes": minutes, "target": target}), RULE_SLEEP
    if cardio_long:
        return Line("progress_tip_intervals"), RULE_CARDIO
    if carbs_low:
        key = "progress_tip_carbs_leg_day" if tomorrow_is_leg_day else "progress_tip_carbs"
        return Line(key), RULE_CARBS
    if tomorrow_is_leg_day:
        return Line("progress_tip_leg_day_tomorrow"), None
    return Line("progress_tip_keep_going"), None


@dataclass(frozen=True)
class AssessmentChange:
    """Reasons (rule ids) fixed since the last assessment, still there, and new."""

    fixed: tuple[str, ...]
    remaining: tuple[str, ...]
    new: tuple[str, ...]

    @property
    def unchanged(self) -> bool:
        return not self.fixed and not self.new


def compare_assessments(
    previous_problem_ids: Iterable[str], current_problem_ids: Iterable[str]
) -> AssessmentChange:
    """Splits the reasons of two assessments into fixed, remaining and new.

    `remaining` and `new` keep the order of the current assessment (its most important
    reason first); `fixed` keeps the order of the previous one. Repeated ids count once.
    """
    previous = list(dict.fromkeys(previous_problem_ids))
    current = list(dict.fromkeys(current_problem_ids))
    previous_set, current_set = set(previous), set(current)
    return AssessmentChange(
        fixed=tuple(rule_id for rule_id in previous if rule_id not in current_set),
        remaining=tuple(rule_id for rule_id in current if rule_id in previous_set),
        new=tuple(rule_id for rule_id in current if rule_id not in previous_set),
    )
