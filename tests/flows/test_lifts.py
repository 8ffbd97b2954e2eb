"""The pure measures of the lag, from tables: one-rep maxima, the lag figure, progression
targets, stall detection, typed sets and tape measurements, with the date passed in."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from flows import lifts, parsing
from flows.lifts import LiftSet, Measurement

TODAY = date(2026, 11, 17)


@pytest.mark.parametrize(
    ("weight", "reps", "expected"),
    [
        (100, 1, 100.0),  # a single is its own maximum
        (100, 2, 106.667),
        (100, 5, 116.667),
        (100, 10, 133.333),
        (60, 8, 76.0),
        (100, 20, 166.667),
    ],
)
def test_one_rep_max_is_epley(weight: float, reps: int, expected: float) -> None:
    assert lifts.one_rep_max(weight, reps) == pytest.approx(expected, abs=0.001)


@pytest.mark.parametrize(("reps", "rough"), [(1, False), (10, False), (11, True), (30, True)])
def test_estimates_above_ten_reps_are_rough(reps: int, rough: bool) -> None:
    assert lifts.estimate(LiftSet(TODAY, "back_squat", 100, reps)).rough is rough


def test_a_set_without_reps_has_no_maximum() -> None:
    with pytest.raises(ValueError):
        lifts.one_rep_max(100, 0)


def _set(lift: str, weight: float, reps: int, day: date = TODAY) -> LiftSet:
    return LiftSet(day, lift, weight, reps)


@pytest.mark.parametrize(
    ("squat", "bench", "ratio", "verdict", "percent"),
    [
        ((90, 5), (100, 5), 0.9, "lag", 30),  # the example in docs/rules.md
        ((100, 5), (100, 5), 1.0, "lag", 25),
        ((120, 5), (100, 5), 1.2, "lag", 10),
        ((125, 5), (100, 5), 1.25, "balanced", 0),
        ((130, 5), (100, 5), 1.3, "balanced", 0),
        ((140, 5), (100, 5), 1.4, "balanced", 0),
        ((150, 5), (100, 5), 1.5, "ahead", 0),
        ((100, 1), (100, 10), 0.75, "lag", 40),  # a single against a set of ten
    ],
)
def test_the_lag_figure(
    squat: tuple[float, int], bench: tuple[float, int], ratio: float, verdict: str, percent: int
) -> None:
    lag = lifts.leg_lag(_set("back_squat", *squat), _set("bench_press", *bench))
    assert (lag.ratio, lag.verdict, lag.lag_percent) == (ratio, verdict, percent)


def test_the_lag_figure_says_when_it_is_rough() -> None:
    lag = lifts.leg_lag(_set("back_squat", 80, 15), _set("bench_press", 100, 5))
    assert lag.rough


def test_the_latest_lag_needs_a_squat_and_a_bench() -> None:
    assert lifts.latest_lag([_set("leg_press", 200, 10), _set("bench_press", 100, 5)]) is None
    found = lifts.latest_lag([_set("back_squat", 90, 5), _set("bench_press", 100, 5)])
    assert found is not None and found.lag_percent == 30


@pytest.mark.parametrize(
    ("counts", "pyramid", "top"),
    [((6, 8), False, 8), ((8, 12), False, 12), ((12, 10, 8, 6), True, 6), ((12, 10, 8), True, 8)],
)
def test_top_reps(counts: tuple[int, ...], pyramid: bool, top: int) -> None:
    assert lifts.top_reps(counts, pyramid) == top


@pytest.mark.parametrize(
    ("weight", "reps", "top", "unit", "expected"),
    [
        (100, 10, 10, "kg", (102.5, 10, True)),  # "Last time 100 kg x 10: today 102.5 kg"
        (100, 8, 8, "kg", (102.5, 8, True)),
        (100, 7, 8, "kg", (100.0, 8, False)),  # same weight, one rep more
        (100, 5, 12, "kg", (100.0, 6, False)),
        (100, 12, 8, "kg", (102.5, 8, True)),  # more than the top counts too
        (102.058, 8, 8, "lb", (230.0, 8, True)),  # 225 lb x 8: today 230 lb
        # Logged in kg, shown in lb: the nearest plate weight (220.5 lb is 220), one step on.
        (100, 8, 8, "lb", (225.0, 8, True)),
        (180, 8, 8, "lb", (400.0, 8, True)),  # 396.8 lb
        (102.3, 8, 8, "kg", (105.0, 8, True)),
    ],
)
def test_progression_target(
    weight: float, reps: int, top: int, unit: str, expected: tuple[float, int, bool]
) -> None:
    target = lifts.progression_target(_set("back_squat", weight, reps), top, unit)
    assert (target.weight, target.reps, target.add) == expected


@pytest.mark.parametrize(
    ("weight_kg", "typed_in", "shown_in", "aim"),
    [
        (102.058, "lb", "kg", 102.5),  # 225 lb x 5, aimed in kg: a weight plates make
        (140.0, "kg", "lb", 310.0),  # 308.6 lb
        (102.3, "kg", "kg", 102.3),  # typed in this unit: exactly as typed
    ],
)
def test_the_same_weight_again_is_one_plates_make_in_the_unit_shown(
    weight_kg: float, typed_in: str, shown_in: str, aim: float
) -> None:
    last = LiftSet(TODAY, "back_squat", weight_kg, 5, unit=typed_in)
    target = lifts.progression_target(last, 8, shown_in)
    assert (target.weight, target.reps, target.add) == (aim, 6, False)


def _history(*weights_by_days_ago: tuple[int, float, int]) -> list[LiftSet]:
    return [
        _set("back_squat", weight, reps, TODAY - timedelta(days=ago))
        for ago, weight, reps in weights_by_days_ago
    ]


@pytest.mark.parametrize(
    ("history", "is_stalled"),
    [
        # Three weeks of the same best after it was reached: stalled.
        (_history((28, 100, 5), (21, 105, 5), (14, 105, 5), (7, 105, 5), (0, 105, 5)), True),
        # A new best inside the three weeks: not stalled.
        (_history((28, 100, 5), (14, 100, 5), (7, 100, 6)), False),
        # Heavier for fewer reps, a lower estimate: still stalled.
        (_history((28, 100, 8), (14, 105, 5), (0, 102.5, 5)), True),
        # Nothing from before the three weeks: nothing known.
        (_history((14, 100, 5), (7, 100, 5), (0, 100, 5)), False),
        # Only one set in the three weeks: nothing known.
        (_history((28, 100, 5), (0, 100, 5)), False),
        # Logged on the very first day of the window counts inside it.
        (_history((40, 100, 5), (20, 100, 5), (10, 100, 5)), True),
        ([], False),
    ],
)
def test_stall_detection(history: list[LiftSet], is_stalled: bool) -> None:
    assert lifts.stalled(history, "back_squat", TODAY) is is_stalled


def test_stall_detection_follows_one_lift_only() -> None:
    history = _history((28, 100, 5), (14, 100, 5), (7, 100, 5))
    history += [_set("leg_press", 300, 10, TODAY - timedelta(days=3))]
    assert lifts.stalled(history, "back_squat", TODAY)
    assert not lifts.stalled(history, "leg_press", TODAY)


@pytest.mark.parametrize(
    ("text", "unit", "expected"),
    [
        ("100 x 5", "kg", (100.0, 5, "kg")),
        ("100 kg x 5", "lb", (100.0, 5, "kg")),
        ("225 lb for 5", "kg", (102.058, 5, "lb")),
        ("100x5", "kg", (100.0, 5, "kg")),
        ("102,5 x 8", "kg", (102.5, 8, "kg")),
        ("102.5 × 8 reps", "kg", (102.5, 8, "kg")),
        ("225 x 5", "lb", (102.058, 5, "lb")),
        ("100 kg 5 reps", "kg", (100.0, 5, "kg")),
        ("5 reps at 100 kg", "kg", (100.0, 5, "kg")),
        ("about 100 x 5", "kg", (100.0, 5, "kg")),
    ],
)
def test_typed_sets(text: str, unit: str, expected: tuple[float, int, str]) -> None:
    assert lifts.parse_set(text, unit, "back_squat").value == expected


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("100x", "no_reps"),
        ("100 kg", "no_reps"),
        ("x5", "no_weight"),
        ("1000 kg x 1", "weight_out_of_range"),
        ("0 x 5", "weight_out_of_range"),
        ("100 kg x 0", "reps_out_of_range"),
        ("100 x 31", "reps_out_of_range"),
        ("100 x 5.5", "reps_out_of_range"),
        ("a lot", "not_a_set"),
        ("-100 x 5", "not_a_set"),
        ("100 x 5 x 3", "not_a_set"),
        ("٣ x 5", "not_a_set"),
        ("9" * 400 + " x 5", "weight_out_of_range"),
        ("100 x " + "9" * 400, "reps_out_of_range"),
    ],
)
def test_typed_sets_refused(text: str, error: str) -> None:
    assert lifts.parse_set(text, "kg", "back_squat").error == error


def test_the_leg_press_may_go_heavier_than_the_squat() -> None:
    assert lifts.parse_set("600 x 10", "kg", "leg_press").ok
    assert lifts.parse_set("600 x 10", "kg", "back_squat").error == "weight_out_of_range"


@pytest.mark.parametrize(
    ("typed", "last_kg", "kind", "readings"),
    [
        ((102.5, 8, "kg"), 100, None, ()),
        ((200, 8, "kg"), 100, None, ()),  # double exactly is still believable
        ((1025.0, 8, "kg"), 100, "slip", ("102.5 kg x 8",)),  # 1025 kg cannot be kept
        ((425, 8, "kg"), 40, "slip", ("42.5 kg x 8", "425 kg x 8")),
        ((10, 8, "kg"), 100, "slip", ("100 kg x 8", "10 kg x 8")),
        ((250, 5, "kg"), 100, "far", ("250 kg x 5",)),
        ((40, 5, "kg"), 100, "far", ("40 kg x 5",)),
    ],
)
def test_jumps_from_last_time(
    typed: tuple[float, int, str], last_kg: float, kind: str | None, readings: tuple[str, ...]
) -> None:
    found = lifts.check_jump(typed, _set("leg_press", last_kg, 8), "leg_press")
    if kind is None:
        assert found is None
    else:
        assert found is not None and (found.kind, found.readings) == (kind, readings)


def test_no_jump_without_a_last_time() -> None:
    assert lifts.check_jump((400.0, 1, "kg"), None, "back_squat") is None


@pytest.mark.parametrize(
    ("text", "unit", "site", "value", "error"),
    [
        ("58", "cm", "thigh_cm", 58.0, None),
        ("58 cm", "in", "thigh_cm", 58.0, None),
        ("23 in", "cm", "thigh_cm", 58.4, None),
        ('23"', "cm", "thigh_cm", 58.4, None),
        ("23", "cm", "thigh_cm", 58.4, None),  # only inches make a thigh of 23
        ("58,5", "cm", "thigh_cm", 58.5, None),
        ("35", "cm", "thigh_cm", None, "ambiguous"),  # 35 cm or 35 in: asked
        ("200 cm", "cm", "thigh_cm", None, "out_of_range"),
        ("big", "cm", "thigh_cm", None, "not_a_length"),
        ("-30", "cm", "calf_cm", None, "out_of_range"),
    ],
)
def test_tape_measurements(
    text: str, unit: str, site: str, value: float | None, error: str | None
) -> None:
    parsed = lifts.parse_length(text, unit, site)
    assert (parsed.value, parsed.error) == (value, error)


@pytest.mark.parametrize(
    ("last", "due"),
    [(None, True), (TODAY - timedelta(days=13), False), (TODAY - timedelta(days=14), True)],
)
def test_weigh_in_every_two_weeks(last: date | None, due: bool) -> None:
    assert lifts.weigh_in_due(last, TODAY) is due


@pytest.mark.parametrize(
    ("measurements", "due"),
    [
        ((), True),
        ((Measurement(TODAY - timedelta(days=27), thigh_cm=58.0),), False),
        ((Measurement(TODAY - timedelta(days=28), thigh_cm=58.0),), True),
        ((Measurement(TODAY - timedelta(days=3), body_weight_kg=82.0),), True),  # no tape
    ],
)
def test_tape_every_four_weeks(measurements: tuple[Measurement, ...], due: bool) -> None:
    assert lifts.tape_due(measurements, TODAY) is due


@pytest.mark.parametrize(("typed", "meant"), [("5x140", "140 kg x 5"), ("8 x 100", "100 kg x 8")])
def test_a_set_the_other_way_round_is_offered_the_right_way(typed: str, meant: str) -> None:
    assert lifts.parse_set(typed, "kg", "back_squat") == parsing.ambiguous([meant])


def test_a_set_that_reads_either_way_is_taken_as_typed() -> None:
    assert lifts.parse_set("20 x 25", "kg", "back_squat") == parsing.ok((20.0, 25, "kg"))
