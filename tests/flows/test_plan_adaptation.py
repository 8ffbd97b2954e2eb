"""The plan's adaptation: a deload week and a rep-scheme change, read by the workout builder."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from flows.planning import (
    BLOCK_WEEKS,
    DELOAD_DAYS,
    Lifter,
    Plan,
    block_of,
    in_deload,
    scheme_shift_for_change,
    week_index_for,
    workout_on,
)

TUESDAY = date(2026, 3, 24)
READY = Lifter("intermediate", form_ready=True)


@pytest.mark.parametrize(
    ("deload_from", "day", "expected"),
    [
        (None, TUESDAY, False),
        (TUESDAY, TUESDAY, True),
        (TUESDAY, TUESDAY + timedelta(days=DELOAD_DAYS - 1), True),
        (TUESDAY, TUESDAY + timedelta(days=DELOAD_DAYS), False),
        (TUESDAY, TUESDAY - timedelta(days=1), False),
    ],
)
def test_the_deload_week_is_seven_days_from_its_first(
    deload_from: date | None, day: date, expected: bool
) -> None:
    assert in_deload(Plan(True, (1, 4), deload_from=deload_from), day) is expected


def test_a_deload_day_halves_the_sets_and_keeps_exercises_and_reps() -> None:
    usual = workout_on(Plan(True, (1, 4)), READY, TUESDAY)
    deload = workout_on(Plan(True, (1, 4), deload_from=TUESDAY), READY, TUESDAY)
    assert deload.deload and not usual.deload
    assert [e.name for e in deload.exercises] == [e.name for e in usual.exercises]
    assert [e.reps for e in deload.exercises] == [e.reps for e in usual.exercises]
    assert [e.sets for e in deload.exercises] == [max(2, e.sets // 2) for e in usual.exercises]
    assert sum(e.sets for e in deload.exercises) < sum(e.sets for e in usual.exercises)
    # The week after, the full workout again.
    later = TUESDAY + timedelta(days=DELOAD_DAYS)
    after = workout_on(Plan(True, (1, 4), deload_from=TUESDAY), READY, later)
    assert after == workout_on(Plan(True, (1, 4)), READY, later)


@pytest.mark.parametrize("offset", range(BLOCK_WEEKS))
@pytest.mark.parametrize("shift", [0, 1, 5])
def test_a_scheme_change_starts_the_next_block_this_week(offset: int, shift: int) -> None:
    today = TUESDAY + timedelta(weeks=offset)
    before = workout_on(Plan(True, (1, 4), scheme_shift=shift), READY, today)
    new_shift = scheme_shift_for_change(shift, today)
    after = workout_on(Plan(True, (1, 4), scheme_shift=new_shift), READY, today)
    assert after.week_in_block == 1
    assert after.scheme != before.scheme
    assert after.scheme == block_of(week_index_for(today) + new_shift, READY)[0]
    assert new_shift > shift
    # The rotation goes on from there: next week is the new block's second week.
    next_week = workout_on(
        Plan(True, (1, 4), scheme_shift=new_shift), READY, today + timedelta(weeks=1)
    )
    assert (next_week.scheme, next_week.week_in_block) == (after.scheme, 2)


def test_a_plan_without_adaptation_builds_the_same_workouts_as_before() -> None:
    for days in range(0, 70, 3):
        day = TUESDAY + timedelta(days=days)
        plain = workout_on(Plan(False, (2,)), READY, day)
        assert not plain.deload
        assert plain.week_in_block == block_of(week_index_for(day), READY)[1]
