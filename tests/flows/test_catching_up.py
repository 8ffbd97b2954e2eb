"""Legs catching up: the weeks, the verdict and the one change to try, from tables of
synthetic twelve-week histories; the view and its one-tap accept through flows.app.handle."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import pytest

from flows import catching_up
from flows.catching_up import (
    AdaptPlan,
    AttachLagChart,
    Context,
    PlanState,
    Proposal,
    Trend,
    propose,
    trend,
    weekly,
)
from flows.core import Event, Profile
from flows.lifts import BENCH, LEG_PRESS, SQUAT, LiftSet, Measurement
from flows.planning import SCHEMES, Lifter, Plan, scheme_shift_for_change, workout_on
from flows.progress import CheckinDay
from flows.texts import render
from flows.texts.catching_up import render_summary_part, render_view, verdict_text
from tests.flows.driver import Chat

TODAY = date(2026, 3, 29)  # a Sunday, the weekly summary's day
NOW = datetime(2026, 3, 29, 18, 0, tzinfo=UTC)
FIRST = TODAY - timedelta(days=7 * 11 + 6)  # the first day of the twelve weeks
WED = 2


def week_day(week: int, weekday_offset: int = 2) -> date:
    """A day of week `week` (0 = the oldest of the twelve)."""
    return FIRST + timedelta(days=7 * week + weekday_offset)


def squats(*per_week: float | None) -> list[LiftSet]:
    """One squat single a week (a single is its own maximum, so the 1RM is the weight)."""
    return [
        LiftSet(week_day(week), SQUAT, weight, 1)
        for week, weight in enumerate(per_week)
        if weight is not None
    ]


BENCH_100 = LiftSet(FIRST, BENCH, 100.0, 1, source="assessment")


def history(*per_week: float | None, bench: bool = True) -> list[LiftSet]:
    return [*([BENCH_100] if bench else []), *squats(*per_week)]


CLOSING = history(90, 92, 94, 96, 98, 100, 102, 104, 106, 108, 110, 112)
CLOSING_WITH_GAPS = history(90, None, 94, None, None, 100, 102, None, 106, 108, None, 112)
# Up to 100 by week 7, then four weeks no better: the squat stalls, the ratio stops rising.
STALLED = history(90, 92, 94, 96, 98, 100, 100, 100, 97.5, 100, 97.5, 100)
SLOW = history(90, 90, 90.5, 90.5, 91, 91, 91, 91.5, 91.5, 92, 92, 92.5)
BALANCED = history(120, 122, 124, 126, 128, 130, 130, 131, 132, 132, 133, 134)
AHEAD = history(140, 142, 144, 146, 148, 150, 152, 154, 156, 158, 160, 162)
NOT_ENOUGH = history(*([None] * 10), 95, 97)
ONLY_ASSESSMENT = [BENCH_100, LiftSet(week_day(11, 0), SQUAT, 95.0, 1, source="assessment")]
NO_BENCH = history(90, 92, 94, 96, 98, 100, 102, 104, 106, 108, 110, 112, bench=False)


@dataclass(frozen=True)
class Case:
    name: str
    sets: list[LiftSet]
    state: str
    text: str
    leg_stalled: bool = False
    needs_change: bool = False
    measurements: list[Measurement] = field(default_factory=list)


CASES = [
    Case(
        "closing",
        CLOSING,
        "closing",
        "Your squat:bench ratio went from 0.9 to 1.12 in 11 weeks; at this pace you reach "
        "1.3 in about 2 months.",
    ),
    Case(
        "closing, missing weeks",
        CLOSING_WITH_GAPS,
        "closing",
        "Your squat:bench ratio went from 0.9 to 1.12 in 11 weeks; at this pace you reach "
        "1.3 in about 2 months.",
    ),
    Case(
        "stalled",
        STALLED,
        "not_closing",
        "Your squat:bench ratio went from 0.9 to 1 in 11 weeks, but it is no higher in the "
        "last three weeks than before: the lag has stopped closing.",
        leg_stalled=True,
        needs_change=True,
    ),
    Case(
        "too slow to count",
        SLOW,
        "not_closing",
        "Your squat:bench ratio went from 0.9 to 0.93 in 11 weeks: the lag is not closing.",
        needs_change=True,
    ),
    Case(
        "balanced",
        BALANCED,
        "balanced",
        "Your squat:bench ratio went from 1.2 to 1.34 in 11 weeks: balanced (1.25 to 1.4). "
        "Your legs have caught up; keep them there.",
    ),
    Case(
        "ahead",
        AHEAD,
        "ahead",
        "Your squat:bench ratio went from 1.4 to 1.62 in 11 weeks: your squat is ahead of "
        "your bench (over 1.4).",
    ),
    Case(
        "two weeks logged",
        NOT_ENOUGH,
        "not_enough",
        "Not enough logged yet: log your top sets after one more leg day to see the trend.",
    ),
    Case(
        "only the assessment",
        ONLY_ASSESSMENT,
        "not_enough",
        "Not enough logged yet: log your top sets after two more leg days to see the trend.",
    ),
    Case(
        "nothing logged",
        [],
        "no_squat",
        "Not enough logged yet: log your squat top set with /log after your next three leg "
        "days to see the trend.",
    ),
    Case(
        "no bench press",
        NO_BENCH,
        "no_bench",
        "No bench press to compare with yet: give your best recent bench set in /assess to "
        "see your squat:bench ratio.",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_the_verdict_of_twelve_weeks(case: Case) -> None:
    weeks = weekly(case.sets, case.measurements, TODAY)
    found = trend(weeks, case.sets, TODAY, case.measurements)
    assert found.state == case.state
    assert verdict_text(found) == case.text
    assert found.leg_stalled is case.leg_stalled
    assert found.needs_change is case.needs_change


def test_weeks_end_today_and_missing_weeks_stay_empty() -> None:
    weeks = weekly(CLOSING_WITH_GAPS, [], TODAY)
    assert len(weeks) == 12
    assert weeks[-1].end == TODAY and weeks[0].start == FIRST
    assert all(b.start == a.end + timedelta(days=1) for a, b in itertools.pairwise(weeks))
    assert [w.squat_1rm_kg for w in weeks] == [
        90.0, None, 94.0, None, None, 100.0, 102.0, None, 106.0, 108.0, None, 112.0,
    ]  # fmt: skip
    # The bench press of the assessment holds until another one comes.
    assert {w.bench_1rm_kg for w in weeks} == {100.0}
    assert [w.bench_logged for w in weeks][:2] == [True, False]
    assert [w.ratio for w in weeks][:3] == [0.9, None, 0.94]


def test_a_weeks_squat_is_its_best_estimate_and_reps_count() -> None:
    sets = [
        BENCH_100,
        LiftSet(week_day(11, 0), SQUAT, 100.0, 5),  # 100 x (1 + 5/30) = 116.7
        LiftSet(week_day(11, 3), SQUAT, 110.0, 1),
        LiftSet(week_day(11, 4), LEG_PRESS, 250.0, 10),  # no squat: no ratio of its own
    ]
    [week] = weekly(sets, [], TODAY, weeks=1)
    assert week.squat_1rm_kg == pytest.approx(116.67, abs=0.01)
    assert week.ratio == 1.17


def test_the_tape_compares_thigh_and_calf_with_the_upper_arm() -> None:
    tape = [
        Measurement(week_day(1), 80.0, thigh_cm=56.0, calf_cm=37.0, arm_cm=38.0),
        Measurement(week_day(5), None, thigh_cm=57.0, calf_cm=37.5, arm_cm=38.2),
        Measurement(week_day(9), 81.0, thigh_cm=58.5, calf_cm=38.0, arm_cm=38.5),
    ]
    weeks = weekly(CLOSING, tape, TODAY)
    assert [w.thigh_cm for w in weeks if w.thigh_cm] == [56.0, 57.0, 58.5]
    found = trend(weeks, CLOSING, TODAY, tape)
    view = catching_up.View(weeks, found, None)
    text = render_view(view)
    since = f"{week_day(1).day} Jan"
    assert f"📏 Since {since}: thigh +2.5 cm, calf +1 cm, upper arm +0.5 cm: legs growing " in text
    # In inches for a lifter who weighs in pounds.
    assert "thigh +1 in, calf +0.4 in, upper arm +0.2 in" in render_view(view, "lb")


def test_one_tape_measurement_is_no_change_yet() -> None:
    tape = [Measurement(week_day(3), thigh_cm=56.0, arm_cm=38.0)]
    found = trend(weekly(CLOSING, tape, TODAY), CLOSING, TODAY, tape)
    assert found.tape is None


# ---- the one change to try -------------------------------------------------------------------


def protein_days(grams: float, days: int = 7) -> tuple[CheckinDay, ...]:
    return tuple(CheckinDay(TODAY - timedelta(days=d), protein_g=grams) for d in range(days))


SINGLE = PlanState(split=False, weekdays=(WED,))
SPLIT = PlanState(split=True, weekdays=(1, 4))


@dataclass(frozen=True)
class ProposalCase:
    name: str
    sets: list[LiftSet]
    context: Context
    change: str | None


PROPOSALS = [
    ProposalCase(
        "protein under target comes first",
        STALLED,
        Context(protein_days(140), 180.0, "intermediate", plan=SINGLE),
        "protein",
    ),
    ProposalCase(
        "protein on target: the split",
        STALLED,
        Context(protein_days(180), 180.0, "intermediate", plan=SINGLE),
        "split",
    ),
    ProposalCase(
        "two check-ins say too little about protein",
        STALLED,
        Context(protein_days(100, days=2), 180.0, "advanced", plan=SINGLE),
        "split",
    ),
    ProposalCase(
        "protein checked over two weeks only",
        STALLED,
        Context(
            tuple(CheckinDay(TODAY - timedelta(days=20 + d), protein_g=100) for d in range(5)),
            180.0,
            "advanced",
            plan=SINGLE,
        ),
        "split",
    ),
    ProposalCase(
        "a beginner keeps one leg day: a deload",
        STALLED,
        Context(protein_days(190), 180.0, "beginner", plan=SINGLE),
        "deload",
    ),
    ProposalCase(
        "already split: a deload",
        STALLED,
        Context(protein_days(190), 180.0, "advanced", plan=SPLIT),
        "deload",
    ),
    ProposalCase(
        "a deload nine weeks ago: another one",
        STALLED,
        Context(
            (),
            None,
            "advanced",
            plan=PlanState(True, (1, 4), deload_from=TODAY - timedelta(weeks=9)),
        ),
        "deload",
    ),
    ProposalCase(
        "a deload three weeks ago: a new rep scheme",
        STALLED,
        Context(
            (),
            None,
            "advanced",
            plan=PlanState(True, (1, 4), deload_from=TODAY - timedelta(weeks=3)),
        ),
        "scheme",
    ),
    ProposalCase(
        "a deload running: wait for it",
        STALLED,
        Context(
            protein_days(100),
            180.0,
            "advanced",
            plan=PlanState(True, (1, 4), deload_from=TODAY - timedelta(days=2)),
        ),
        None,
    ),
    ProposalCase(
        "the lag not closing is reason enough",
        SLOW,
        Context((), None, "intermediate", plan=SPLIT),
        "deload",
    ),
    ProposalCase(
        "no plan: only protein can be proposed",
        STALLED,
        Context(protein_days(180), 180.0, "advanced", plan=None),
        None,
    ),
    ProposalCase(
        "closing: nothing to change",
        CLOSING,
        Context(protein_days(100), 180.0, "advanced", plan=SINGLE),
        None,
    ),
    ProposalCase(
        "balanced: nothing to change",
        BALANCED,
        Context(protein_days(100), 180.0, "advanced", plan=SINGLE),
        None,
    ),
    ProposalCase(
        "not enough logged: nothing to change",
        NOT_ENOUGH,
        Context(protein_days(100), 180.0, "advanced", plan=SINGLE),
        None,
    ),
]


def _trend(sets: list[LiftSet]) -> Trend:
    return trend(weekly(sets, [], TODAY), sets, TODAY)


@pytest.mark.parametrize("case", PROPOSALS, ids=[case.name for case in PROPOSALS])
def test_one_change_in_the_order_of_the_rules(case: ProposalCase) -> None:
    proposal = propose(_trend(case.sets), case.context, TODAY)
    assert (proposal.change if proposal else None) == case.change


def test_the_split_keeps_the_leg_day_as_day_a_a_rest_day_apart() -> None:
    proposal = propose(_trend(STALLED), Context((), None, "intermediate", plan=SINGLE), TODAY)
    assert proposal == Proposal("split", weekdays=(WED, 5))
    assert proposal.args == "adapt split"


def test_a_rep_scheme_change_names_the_next_scheme() -> None:
    plan = PlanState(True, (1, 4), deload_from=TODAY - timedelta(weeks=3), scheme_shift=2)
    proposal = propose(_trend(STALLED), Context((), None, "advanced", True, plan), TODAY)
    assert proposal is not None and proposal.scheme in SCHEMES
    assert proposal.args == "adapt scheme 2"
    shifted = Plan(True, (1, 4), scheme_shift=scheme_shift_for_change(2, TODAY))
    monday = TODAY + timedelta(days=2)  # Tuesday, day A, of the coming week
    assert workout_on(shifted, Lifter("advanced", True), monday).scheme == proposal.scheme


def test_the_view_says_what_to_try() -> None:
    weeks = weekly(STALLED, [], TODAY)
    found = trend(weeks, STALLED, TODAY)
    proposal = propose(found, Context(protein_days(140), 180.0, "advanced", plan=SINGLE), TODAY)
    view = catching_up.View(weeks, found, proposal)
    text = render_view(view)
    assert "Estimated 1RM: squat 90 kg → 100 kg, bench 100 kg (from your top sets)." in text
    assert "⚠️ Your squat has not gone up in three weeks" in text
    assert "💡 <b>One change to try</b>: more protein. Your check-ins average 140 g a day" in text
    summary = render_summary_part(view)
    assert "Tap the button below to accept it." in summary
    assert "Tap the button" not in render_summary_part(view, with_proposal=False)


# ---- /progress and the one-tap accept, through flows.app.handle ------------------------------

INTERMEDIATE = {"experience": "intermediate", "weight_kg": 82.0, "weight_unit": "kg"}


def lifter(**parts: object) -> Chat:
    profile = {
        "latest_answers": INTERMEDIATE,
        "plan_split": False,
        "plan_weekdays": (WED,),
        "plan_since": FIRST,
        "lift_sets": tuple(STALLED),
        "recent_checkins": protein_days(185),
        **parts,
    }
    return Chat(Profile(user_id=7, **profile))  # type: ignore[arg-type]


def test_progress_shows_the_view_with_its_chart_and_the_accept_button() -> None:
    chat = lifter()
    replies = chat.send(_command("progress"), NOW)
    view = next(reply for reply in replies if reply.key == "catching_up.view")
    assert "stopped closing" in render(view)
    assert view.choice_values == ["go=progress adapt split"]
    [chart] = [effect for effect in chat.effects if isinstance(effect, AttachLagChart)]
    assert len(chart.weeks) == 12 and chart.weeks[-1].end == TODAY


def test_progress_without_a_squat_shows_how_to_start_and_no_chart() -> None:
    chat = lifter(lift_sets=())
    replies = chat.send(_command("progress"), NOW)
    view = next(reply for reply in replies if reply.key == "catching_up.view")
    assert "Not enough logged yet" in render(view) and not view.choices
    assert not any(isinstance(effect, AttachLagChart) for effect in chat.effects)


def _command(name: str, args: str = "") -> Event:
    return Event.command(name, args)


def _accept(chat: Chat, value: str) -> list[str]:
    chat.send(_command("progress"), NOW)
    assert chat.conversation is not None
    replies = chat.send(Event.button(value, token=chat.conversation.token), NOW)
    return [render(reply) for reply in replies]


def test_one_tap_splits_the_leg_day() -> None:
    chat = lifter()
    texts = _accept(chat, "go=progress adapt split")
    assert texts == [
        "✅ Done: your legs now train twice a week, Wednesday (front thigh and calves) and "
        "Saturday (back thigh, glutes and calves). The leg-day reminders follow the new days."
    ]
    assert chat.effects[-1] == AdaptPlan("split", weekdays=(WED, 5))


def test_one_tap_starts_a_deload_week_today() -> None:
    chat = lifter(plan_split=True, plan_weekdays=(1, 4))
    texts = _accept(chat, "go=progress adapt deload")
    assert texts[0].startswith("✅ Done: Sunday 29 March to Saturday 4 April is a deload week.")
    assert chat.effects[-1] == AdaptPlan("deload", deload_from=TODAY)
    # Pressed again during the week: nothing more changes.
    running = lifter(plan_split=True, plan_weekdays=(1, 4), plan_deload_from=TODAY)
    assert _accept(running, "go=progress adapt deload") == [
        "Your deload week already runs, Sunday 29 March to Saturday 4 April."
    ]
    assert not any(isinstance(effect, AdaptPlan) for effect in running.effects)


def test_one_tap_changes_the_rep_scheme_once() -> None:
    chat = lifter(
        plan_split=True, plan_weekdays=(1, 4), plan_deload_from=TODAY - timedelta(weeks=3)
    )
    texts = _accept(chat, "go=progress adapt scheme 0")
    assert texts[0].startswith("✅ Done: ") and "from this week" in texts[0]
    assert chat.effects[-1] == AdaptPlan("scheme", scheme_shift=scheme_shift_for_change(0, TODAY))
    # The same button once the shift has moved on changes nothing.
    moved = lifter(plan_split=True, plan_weekdays=(1, 4), plan_scheme_shift=3)
    assert "nothing more to change" in _accept(moved, "go=progress adapt scheme 0")[0]
    assert not any(isinstance(effect, AdaptPlan) for effect in moved.effects)


def test_protein_is_advice_and_changes_no_plan() -> None:
    chat = lifter(recent_checkins=protein_days(120))
    [text] = _accept(chat, "go=progress adapt protein")
    assert text.startswith("👍 More protein it is: 180 g a day.")
    assert not any(isinstance(effect, AdaptPlan) for effect in chat.effects)


def test_accepting_without_a_plan_says_how_to_make_one() -> None:
    chat = lifter(plan_split=None, plan_weekdays=())
    assert _accept(chat, "go=progress adapt deload") == [
        "There is no leg-day plan to change yet: /plan makes one."
    ]


def test_one_week_with_a_squat_is_no_chart_yet() -> None:
    chat = lifter(lift_sets=tuple(ONLY_ASSESSMENT))
    replies = chat.send(_command("progress"), NOW)
    assert any(reply.key == "catching_up.view" for reply in replies)
    assert not any(isinstance(effect, AttachLagChart) for effect in chat.effects)


def test_without_a_bench_set_the_squat_still_shows_its_progress() -> None:
    weeks = weekly(NO_BENCH, [], TODAY)
    view = catching_up.View(weeks, trend(weeks, NO_BENCH, TODAY), None)
    text = render_view(view)
    # Singles of 90 to 112 kg, estimates shown to the nearest plate step (112 as 112.5).
    assert "Estimated squat 1RM: 90 kg → 112.5 kg (from your top sets)." in text
    assert "No bench press to compare with yet" in text
