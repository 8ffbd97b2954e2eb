"""Legs catching up: the lag over the weeks, a verdict in plain words, and one change to try.

Pure, like flows.lifts: top sets, measurements and check-ins go in with the date, nothing
reads the clock or storage. /progress and the weekly summary show the view; the chart
(bot.chart.catching_up_chart) draws the same weeks. The choices are in docs/rules.md,
"Legs catching up".

    weekly(sets, measurements, today) -> tuple[Week, ...]   12 weeks, the last ends today
    trend(weeks, sets, today) -> Trend                      the verdict: closing, stalled...
    propose(trend, context, today) -> Proposal | None        one change, in rule order
    progress_view(profile, today) -> (replies, effects)      what /progress adds
    accept(profile, today, args) -> (replies, effects)       the one-tap accept
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import TYPE_CHECKING, Literal

from flows import lifts
from flows.core import Choice, Profile, Reply
from flows.lifts import BALANCED_RANGE, BALANCED_RATIO, SQUAT, LiftSet, Measurement
from flows.planning import (
    SINGLE_WEEKDAYS,
    Plan,
    Scheme,
    block_of,
    check_weekdays,
    experience_from,
    in_deload,
    lifter_from,
    scheme_shift_for_change,
    stored_lifter,
    week_index_for,
)
from flows.progress import CheckinDay
from flows.rules import targets_from_answers

if TYPE_CHECKING:
    from flows.effects import Effect

# The view covers twelve weeks: long enough for a trend, short enough to read on a phone.
WEEKS = 12
# Weeks with a squat the trend needs (the assessment's best set counts as one).
MIN_SQUAT_WEEKS = 3
# A ratio rising less than this a week is not closing the lag (0.02 a month).
CLOSING_PER_WEEK = 0.005
# The lag stops closing when the ratio of the last three weeks beats none before them
# (the stall window of flows.lifts, applied to the ratio).
RECENT_WEEKS = lifts.STALL_DAYS // 7
# Longer than this at the present pace is not worth a date.
MAX_MONTHS = 24
DAYS_PER_MONTH = 30.44
# Protein: the check-ins of the last two weeks, when at least three of them give it.
PROTEIN_DAYS = 14
MIN_PROTEIN_DAYS = 3
# A deload at most every eight weeks: more often and it is rest, not recovery.
DELOAD_EVERY_DAYS = 56

# The words of the one-tap accept: "/progress adapt deload", a button's "go=progress ...".
ADAPT = "adapt"

State = Literal["no_squat", "no_bench", "not_enough", "closing", "not_closing", "balanced", "ahead"]
Change = Literal["protein", "split", "deload", "scheme"]
CHANGES: tuple[Change, ...] = ("protein", "split", "deload", "scheme")


@dataclass(frozen=True)
class Week:
    """Seven days, `start` to `end`. The squat is the week's best estimated 1RM (None: not
    logged); the bench the latest known by the week's end (bench sets come from
    assessments); both unrounded, as flows.lifts.estimate gives them, so a text rounds them
    as /log does; the ratio is squat ÷ bench as flows.lifts rounds it. Tape: the week's
    latest measurement of each site, in cm."""

    start: date
    end: date
    squat_1rm_kg: float | None = None
    bench_1rm_kg: float | None = None
    bench_logged: bool = False
    ratio: float | None = None
    thigh_cm: float | None = None
    calf_cm: float | None = None
    arm_cm: float | None = None


def weekly(
    sets: Iterable[LiftSet], measurements: Iterable[Measurement], today: date, weeks: int = WEEKS
) -> tuple[Week, ...]:
    """`weeks` weeks of seven days, the last ending `today`, oldest first."""
    all_sets = [s for s in sets if s.day <= today]
    squats = [s for s in all_sets if s.lift == SQUAT]
    benches = sorted((s for s in all_sets if s.lift == lifts.BENCH), key=lambda s: s.day)
    taped = sorted((m for m in measurements if m.day <= today), key=lambda m: m.day)
    found = []
    for index in range(weeks):
        end = today - timedelta(days=7 * (weeks - 1 - index))
        start = end - timedelta(days=6)
        squat = max((lifts.estimate(s).kg for s in squats if start <= s.day <= end), default=None)
        known = [s for s in benches if s.day <= end]
        bench = lifts.estimate(known[-1]).kg if known else None
        ratio = round(squat / bench, 2) if squat is not None and bench else None
        in_week = [m for m in taped if start <= m.day <= end]
        found.append(
            Week(
                start=start,
                end=end,
                squat_1rm_kg=squat,
                bench_1rm_kg=bench,
                bench_logged=any(start <= s.day <= end for s in benches),
                ratio=ratio,
                thigh_cm=_latest(in_week, "thigh_cm"),
                calf_cm=_latest(in_week, "calf_cm"),
                arm_cm=_latest(in_week, "arm_cm"),
            )
        )
    return tuple(found)


def _latest(measurements: Sequence[Measurement], site: str) -> float | None:
    values = [getattr(m, site) for m in measurements if getattr(m, site) is not None]
    return float(values[-1]) if values else None


@dataclass(frozen=True)
class TapeChange:
    """Each site's first and latest measurement over the weeks, in cm (None: not measured
    twice); `since` the first day measured."""

    since: date
    thigh: tuple[float, float] | None
    calf: tuple[float, float] | None
    arm: tuple[float, float] | None


def tape_change(measurements: Iterable[Measurement], start: date, today: date) -> TapeChange | None:
    """The tape from `start` to `today`; None unless some site was measured twice."""
    taped = sorted((m for m in measurements if start <= m.day <= today), key=lambda m: m.day)
    changes: dict[str, tuple[float, float] | None] = {}
    days: list[date] = []
    for site in lifts.TAPE_SITES:
        values = [(m.day, getattr(m, site)) for m in taped if getattr(m, site) is not None]
        if len(values) >= 2 and values[0][0] != values[-1][0]:
            changes[site] = (float(values[0][1]), float(values[-1][1]))
            days.append(values[0][0])
        else:
            changes[site] = None
    if not days:
        return None
    return TapeChange(min(days), changes["thigh_cm"], changes["calf_cm"], changes["arm_cm"])


@dataclass(frozen=True)
class Trend:
    """The verdict on the weeks. `first` and `last` are the first and latest weeks with a
    ratio; `per_week` the least-squares slope of the ratio a week; `weeks_to_balance` how
    many weeks at that pace until 1.3 (None when not closing or beyond MAX_MONTHS);
    `squat_weeks_needed` the weeks with a squat still missing for a trend. `leg_stalled`:
    the leg lift has stalled (flows.lifts.stalled); `lag_stalled`: the ratio of the last
    three weeks beats none before them."""

    state: State
    first: Week | None = None
    last: Week | None = None
    per_week: float | None = None
    weeks_to_balance: int | None = None
    squat_weeks_needed: int = 0
    leg_lift: str | None = None
    leg_stalled: bool = False
    lag_stalled: bool = False
    tape: TapeChange | None = None

    @property
    def weeks_between(self) -> int:
        if self.first is None or self.last is None:
            return 0
        return round((self.last.end - self.first.end).days / 7)

    @property
    def needs_change(self) -> bool:
        """A stalled leg lift, or a lag that stopped closing while legs still lag."""
        return self.leg_stalled or self.state == "not_closing"


def _slope(points: Sequence[tuple[float, float]]) -> float:
    n = len(points)
    mean_x = sum(x for x, _ in points) / n
    mean_y = sum(y for _, y in points) / n
    spread = sum((x - mean_x) ** 2 for x, _ in points)
    if spread == 0:
        return 0.0
    return sum((x - mean_x) * (y - mean_y) for x, y in points) / spread


def trend(
    weeks: Sequence[Week],
    sets: Iterable[LiftSet],
    today: date,
    measurements: Iterable[Measurement] = (),
) -> Trend:
    """The plain-words verdict of `weeks` (see `weekly`) and the stall of the leg lift."""
    all_sets = list(sets)
    leg_lift = lifts.leg_lift_of(all_sets)
    leg_stalled = leg_lift is not None and lifts.stalled(all_sets, leg_lift, today)
    tape = tape_change(measurements, weeks[0].start, today) if weeks else None
    base = Trend("no_squat", leg_lift=leg_lift, leg_stalled=leg_stalled, tape=tape)
    if all(w.squat_1rm_kg is None for w in weeks):
        return replace(base, squat_weeks_needed=MIN_SQUAT_WEEKS)
    rated = [w for w in weeks if w.ratio is not None]
    if not rated:
        return replace(base, state="no_bench")
    first, last = rated[0], rated[-1]
    if len(rated) < MIN_SQUAT_WEEKS:
        needed = MIN_SQUAT_WEEKS - len(rated)
        return replace(base, state="not_enough", first=first, last=last, squat_weeks_needed=needed)
    origin = rated[0].end
    per_week = _slope([((w.end - origin).days / 7, float(w.ratio or 0.0)) for w in rated])
    recent_start = weeks[-1].end - timedelta(days=7 * RECENT_WEEKS - 1)
    recent = [w.ratio or 0.0 for w in rated if w.end >= recent_start]
    before = [w.ratio or 0.0 for w in rated if w.end < recent_start]
    lag_stalled = len(recent) >= 2 and bool(before) and max(recent) <= max(before)
    low, high = BALANCED_RANGE
    ratio = last.ratio or 0.0
    state: State
    to_go = None
    if ratio > high:
        state = "ahead"
    elif ratio >= low:
        state = "balanced"
    elif per_week >= CLOSING_PER_WEEK and not lag_stalled:
        state = "closing"
        weeks_left = (BALANCED_RATIO - ratio) / per_week
        if weeks_left * 7 <= MAX_MONTHS * DAYS_PER_MONTH:
            to_go = max(1, math.ceil(weeks_left))
    else:
        state = "not_closing"
    return replace(
        base,
        state=state,
        first=first,
        last=last,
        per_week=per_week,
        weeks_to_balance=to_go,
        lag_stalled=lag_stalled,
    )


# ---- the one change to try --------------------------------------------------------------------


@dataclass(frozen=True)
class PlanState:
    """What the proposal needs to know of the stored plan."""

    split: bool
    weekdays: tuple[int, ...]
    deload_from: date | None = None
    scheme_shift: int = 0

    @property
    def plan(self) -> Plan:
        return Plan(self.split, self.weekdays, self.deload_from, self.scheme_shift)


@dataclass(frozen=True)
class Context:
    """The lifter beyond the lifts: check-ins, the protein target, experience, the plan."""

    checkins: tuple[CheckinDay, ...] = ()
    protein_target_g: float | None = None
    experience: str = "beginner"
    form_ready: bool = False
    plan: PlanState | None = None


@dataclass(frozen=True)
class Proposal:
    """One change: `change` with what it takes. `weekdays` for a split (day A first);
    `scheme` and `scheme_shift_from` for a rep-scheme change (the shift it was proposed
    from, so a second tap changes nothing); the protein average and target for protein."""

    change: Change
    protein_average_g: float | None = None
    protein_target_g: float | None = None
    weekdays: tuple[int, ...] = ()
    scheme: Scheme | None = None
    scheme_shift_from: int = 0

    @property
    def args(self) -> str:
        """The /progress arguments that accept it: "adapt split", "adapt scheme 0"."""
        if self.change == "scheme":
            return f"{ADAPT} scheme {self.scheme_shift_from}"
        return f"{ADAPT} {self.change}"


def protein_average(checkins: Iterable[CheckinDay], today: date) -> float | None:
    """The average protein of the check-ins of the last PROTEIN_DAYS days; None with fewer
    than MIN_PROTEIN_DAYS that give it."""
    start = today - timedelta(days=PROTEIN_DAYS - 1)
    grams = [c.protein_g for c in checkins if start <= c.day <= today and c.protein_g is not None]
    return sum(grams) / len(grams) if len(grams) >= MIN_PROTEIN_DAYS else None


def split_weekdays(weekdays: Sequence[int]) -> tuple[int, ...]:
    """Two leg days a rest day apart, keeping the present leg day as day A."""
    first = weekdays[0] if weekdays else SINGLE_WEEKDAYS[0]
    return check_weekdays((first,), split=True).suggestion


def next_scheme(plan: PlanState, experience: str, form_ready: bool, today: date) -> Scheme:
    """The rep scheme a change starts in `today`'s week."""
    shift = scheme_shift_for_change(plan.scheme_shift, today)
    return block_of(week_index_for(today) + shift, stored_lifter(experience, form_ready))[0]


def propose(trend_: Trend, context: Context, today: date) -> Proposal | None:
    """ONE change when the legs stall or the lag stops closing, the first that applies:
    more protein when the check-ins are under target; two leg days when the plan is one
    and the lifter no beginner; a deload week (at most every eight weeks); a new rep
    scheme. None when nothing calls for a change, or while a deload week runs."""
    if not trend_.needs_change:
        return None
    plan = context.plan
    if plan is not None and in_deload(plan.plan, today):
        return None  # the deload is the change: wait for it to work
    target = context.protein_target_g
    average = protein_average(context.checkins, today)
    if target is not None and average is not None and round(average) < round(target):
        return Proposal("protein", protein_average_g=average, protein_target_g=target)
    if plan is None:
        return None
    if not plan.split and context.experience in ("intermediate", "advanced"):
        return Proposal("split", weekdays=split_weekdays(plan.weekdays))
    last_deload = plan.deload_from
    if last_deload is None or (today - last_deload).days >= DELOAD_EVERY_DAYS:
        return Proposal("deload")
    return Proposal(
        "scheme",
        scheme=next_scheme(plan, context.experience, context.form_ready, today),
        scheme_shift_from=plan.scheme_shift,
    )


# ---- what /progress and the weekly summary show ---------------------------------------------


@dataclass(frozen=True)
class AdaptPlan:
    """Effect: change the stored plan as accepted. "split": two leg days on `weekdays`;
    "deload": a deload week from `deload_from`; "scheme": the rotation shifted to
    `scheme_shift`."""

    change: Change
    weekdays: tuple[int, ...] = ()
    deload_from: date | None = None
    scheme_shift: int | None = None


@dataclass(frozen=True)
class AttachLagChart:
    """Effect: draw the catching-up chart of `weeks` (bot.chart.catching_up_chart) and send
    it as a photo after the replies."""

    weeks: tuple[Week, ...]
    weight_unit: str = "kg"


EFFECTS = (AdaptPlan, AttachLagChart)


def context_of(profile: Profile) -> Context:
    answers = profile.latest_answers or {}
    targets = targets_from_answers(answers)
    plan = (
        PlanState(
            bool(profile.plan_split),
            tuple(profile.plan_weekdays),
            profile.plan_deload_from,
            profile.plan_scheme_shift,
        )
        if profile.plan_split is not None
        else None
    )
    lifter = lifter_from(answers, profile.latest_problem_ids)
    return Context(
        checkins=tuple(profile.recent_checkins),
        protein_target_g=targets.protein_target_g if targets else None,
        experience=experience_from(answers),
        form_ready=lifter.form_ready,
        plan=plan,
    )


@dataclass(frozen=True)
class View:
    weeks: tuple[Week, ...]
    trend: Trend
    proposal: Proposal | None


def view_of(profile: Profile, today: date) -> View:
    weeks = weekly(profile.lift_sets, profile.measurements, today)
    found = trend(weeks, profile.lift_sets, today, profile.measurements)
    return View(weeks, found, propose(found, context_of(profile), today))


def accept_choices(proposal: Proposal | None) -> tuple[tuple[Choice, ...], ...]:
    """The one-tap accept under /progress's view: a command button."""
    from flows.texts.catching_up import accept_label

    if proposal is None:
        return ()
    return ((Choice(accept_label(proposal), f"go=progress {proposal.args}"),),)


def progress_view(profile: Profile, today: date) -> tuple[list[Reply], list[Effect]]:
    """The catching-up view /progress adds: the text, the accept button when there is a
    change to try, and the chart once two weeks have a squat."""
    from flows.texts.catching_up import render_view

    view = view_of(profile, today)
    reply = Reply(
        "catching_up.view",
        {"view_html": render_view(view, profile.weight_unit)},
        choices=accept_choices(view.proposal),
    )
    if sum(1 for week in view.weeks if week.squat_1rm_kg is not None) < 2:
        return [reply], []  # a chart without a line says nothing the text does not
    return [reply], [AttachLagChart(view.weeks, profile.weight_unit)]


def reminder_action(proposal: Proposal) -> str:
    """The accept as a reminder button's action ("adapt_scheme_0"), for the weekly summary."""
    return proposal.args.replace(" ", "_")


def accept_args(action: str) -> str | None:
    """The /progress arguments of a reminder button's action; None for other actions."""
    if not action.startswith(f"{ADAPT}_"):
        return None
    return action.replace("_", " ")


def is_accept(args: str) -> bool:
    return args.strip().lower().split(" ", 1)[0] == ADAPT


def accept(profile: Profile, today: date, args: str) -> tuple[list[Reply], list[Effect]]:
    """The one-tap accept: "adapt protein", "adapt split", "adapt deload", "adapt scheme N"
    (N: the scheme shift it was proposed from). Says what changed; a change already made
    or one that no longer fits the plan says so and changes nothing."""
    from flows.texts import catching_up as texts

    words = args.strip().lower().split()
    change = words[1] if len(words) > 1 else ""
    context = context_of(profile)
    plan = context.plan
    if change == "protein":
        text = texts.accepted_protein(context.protein_target_g)
        return [Reply("catching_up.accepted", {"text_html": text})], []
    if change not in CHANGES:
        return [Reply("catching_up.accept.unknown")], []
    if plan is None:
        return [Reply("catching_up.accept.no_plan")], []
    if change == "split":
        if plan.split:
            return [Reply("catching_up.accept.already_split")], []
        weekdays = split_weekdays(plan.weekdays)
        text = texts.accepted_split(weekdays)
        return [Reply("catching_up.accepted", {"text_html": text})], [
            AdaptPlan("split", weekdays=weekdays)
        ]
    if change == "deload":
        if in_deload(plan.plan, today) and plan.deload_from is not None:
            text = texts.already_deload(plan.deload_from)
            return [Reply("catching_up.accepted", {"text_html": text})], []
        return [Reply("catching_up.accepted", {"text_html": texts.accepted_deload(today)})], [
            AdaptPlan("deload", deload_from=today)
        ]
    proposed_from = words[2] if len(words) > 2 else ""
    if proposed_from != str(plan.scheme_shift):
        return [Reply("catching_up.accept.already_scheme")], []
    shift = scheme_shift_for_change(plan.scheme_shift, today)
    scheme = next_scheme(plan, context.experience, context.form_ready, today)
    return [Reply("catching_up.accepted", {"text_html": texts.accepted_scheme(scheme)})], [
        AdaptPlan("scheme", scheme_shift=shift)
    ]
