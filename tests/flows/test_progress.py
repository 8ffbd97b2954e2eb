import random
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from flows.progress import (
    RULE_BACK_TO_BACK,
    RULE_CARBS,
    RULE_CARDIO,
    RULE_LEG_DAYS,
    RULE_PROTEIN,
    RULE_SLEEP,
    AssessmentChange,
    CheckinDay,
    Feedback,
    Line,
    Streaks,
    Summary,
    checkin_streak,
    compare_assessments,
    feedback,
    leg_day_streak,
    summarize,
)
from flows.texts.progress import (
    TEXTS,
    render_assessment_change,
    render_feedback,
    render_no_checkins,
    render_summary,
)

MONDAY = date(2026, 3, 23)  # the week before the European clocks go forward ends on the 29th
MON, TUE, WED, THU, FRI, SAT, SUN = range(7)
BERLIN = ZoneInfo("Europe/Berlin")


def d(day: int, month: int = 3, year: int = 2026) -> date:
    return date(year, month, day)


def days_from(first: date, count: int) -> list[date]:
    return [first + timedelta(days=offset) for offset in range(count)]


def legs(*marks: tuple[date, str | None]) -> list[CheckinDay]:
    return [CheckinDay(day, leg_day=mark) for day, mark in marks]


# --- check-in streak -------------------------------------------------------------------


def test_checkin_streak_counts_days_in_a_row_ending_today() -> None:
    assert checkin_streak(days_from(d(20), 4), today=d(23)) == 4


def test_checkin_streak_is_not_broken_before_today_is_over() -> None:
    # Today's check-in is not in yet: the run up to yesterday still stands.
    assert checkin_streak([d(20), d(21), d(22)], today=d(23)) == 3


def test_checkin_streak_breaks_on_a_missed_day() -> None:
    assert checkin_streak([d(18), d(19), d(21), d(22), d(23)], today=d(23)) == 3
    assert checkin_streak([d(18), d(19), d(20), d(21)], today=d(23)) == 0


def test_checkin_streak_ignores_order_duplicates_and_future_days() -> None:
    assert checkin_streak([d(23), d(21), d(22), d(23), d(25)], today=d(23)) == 3


def test_checkin_streak_without_check_ins_is_zero() -> None:
    assert checkin_streak([], today=d(23)) == 0


def test_late_answer_counts_for_the_day_it_was_asked_about() -> None:
    # Sunday's check-in answered at 00:40 on Monday: the caller files it under Sunday.
    asked_about = [d(20), d(21), d(22)]
    assert checkin_streak(asked_about, today=d(23)) == 3
    # Later on Monday the Monday check-in arrives and extends the same run.
    assert checkin_streak([*asked_about, d(23)], today=d(23)) == 4


@pytest.mark.parametrize(
    ("first", "count", "today"),
    [
        (date(2026, 2, 26), 4, date(2026, 3, 1)),  # February without a leap day
        (date(2024, 2, 27), 4, date(2024, 3, 1)),  # through 29 February
        (date(2025, 12, 30), 4, date(2026, 1, 2)),  # through New Year
        (date(2026, 4, 29), 3, date(2026, 5, 1)),  # a 30-day month
    ],
)
def test_checkin_streak_runs_across_month_and_year_boundaries(
    first: date, count: int, today: date
) -> None:
    assert checkin_streak(days_from(first, count), today=today) == count


@pytest.mark.parametrize(
    ("first_evening", "change_day"),
    [
        (datetime(2026, 3, 26, 21, 0, tzinfo=BERLIN), date(2026, 3, 29)),  # 23-hour day
        (datetime(2026, 10, 22, 21, 0, tzinfo=BERLIN), date(2026, 10, 25)),  # 25-hour day
    ],
)
def test_days_around_a_daylight_saving_change_count_once(
    first_evening: datetime, change_day: date
) -> None:
    # Check-ins answered at 21:00 local time on six evenings, stored in UTC as a database
    # would, and turned back into local dates by the caller.
    evenings = [
        datetime.combine(first_evening.date() + timedelta(days=n), first_evening.timetz())
        for n in range(6)
    ]
    stored = [evening.astimezone(UTC) for evening in evenings]
    # On the change day the user also corrects the check-in just after midnight local time.
    stored.append(datetime.combine(change_day, datetime.min.time(), BERLIN).astimezone(UTC))
    local_days = [moment.astimezone(BERLIN).date() for moment in stored]

    assert local_days.count(change_day) == 2
    today = first_evening.date() + timedelta(days=5)
    assert checkin_streak(local_days, today=today) == 6

    checkins = [CheckinDay(day, sleep_hours=8.0) for day in local_days]
    summary = summarize(
        checkins,
        first_evening.date(),
        today,
        planned_weekdays=(),
        protein_target_g=None,
    )
    assert summary.days == 6
    assert summary.days_checked_in == 6
    assert summary.sleep_nights_reported == 6


# --- leg-day streak --------------------------------------------------------------------


def test_leg_day_streak_counts_planned_days_marked_done() -> None:
    # Planned Monday and Thursday; three in a row done, the one before skipped.
    checkins = legs(
        (d(12), "skipped"),
        (d(16), "done"),
        (d(19), "done"),
        (d(23), "done"),
    )
    assert leg_day_streak(checkins, [MON, THU], today=d(23)) == 3


def test_unanswered_planned_leg_day_today_does_not_break_the_streak() -> None:
    checkins = legs((d(16), "done"), (d(19), "done"))
    assert leg_day_streak(checkins, [MON, THU], today=d(23)) == 2
    # Checked in today but the leg-day question not answered: still open.
    checkins.append(CheckinDay(d(23), sleep_hours=7.0))
    assert leg_day_streak(checkins, [MON, THU], today=d(23)) == 2


def test_skipped_leg_day_today_breaks_the_streak() -> None:
    checkins = legs((d(16), "done"), (d(19), "done"), (d(23), "skipped"))
    assert leg_day_streak(checkins, [MON, THU], today=d(23)) == 0


@pytest.mark.parametrize(
    "thursday", [None, "skipped", "rest"], ids=["no check-in", "skipped", "rest"]
)
def test_a_planned_leg_day_not_done_breaks_the_streak(thursday: str | None) -> None:
    checkins = legs((d(12), "done"), (d(16), "done"), (d(23), "done"))
    if thursday is not None:
        checkins.append(CheckinDay(d(19), leg_day=thursday))
    assert leg_day_streak(checkins, [MON, THU], today=d(23)) == 1


def test_leg_sessions_on_unplanned_days_neither_count_nor_break() -> None:
    checkins = legs((d(16), "done"), (d(17), "done"), (d(18), "skipped"), (d(19), "done"))
    assert leg_day_streak(checkins, [MON, THU], today=d(20)) == 2


def test_leg_day_streak_runs_across_a_month_boundary() -> None:
    # Planned Tuesdays and Fridays from late February into March.
    checkins = legs((d(24, 2), "done"), (d(27, 2), "done"), (d(3), "done"), (d(6), "done"))
    assert leg_day_streak(checkins, [TUE, FRI], today=d(8)) == 4


def test_leg_day_streak_without_a_plan_or_check_ins_is_zero() -> None:
    assert leg_day_streak(legs((d(23), "done")), [], today=d(23)) == 0
    assert leg_day_streak([], [MON, THU], today=d(23)) == 0


def test_a_corrected_check_in_replaces_the_earlier_one_for_that_day() -> None:
    checkins = legs((d(16), "done"), (d(19), "skipped"), (d(19), "done"))
    assert leg_day_streak(checkins, [MON, THU], today=d(20)) == 2


def test_both_streaks_from_the_same_check_ins() -> None:
    checkins = [*legs((d(19), "done"), (d(20), None), (d(21), "rest"), (d(22), None))]
    assert checkin_streak((checkin.day for checkin in checkins), d(23)) == 4
    assert leg_day_streak(checkins, [THU], today=d(23)) == 1


# --- summary ---------------------------------------------------------------------------


def hand_checked_week() -> list[CheckinDay]:
    """Mon 23 - Sun 29 March 2026; Monday and Thursday are the planned leg days."""
    return [
        CheckinDay(d(23), 7.5, 150, None, "moderate", 30, "steady", "done"),
        CheckinDay(d(24), 6.0, 180, 200, None, 0, None, "rest"),
        # Wednesday 25: no check-in.
        CheckinDay(d(26), 8.5, None, None, "low", 20, "intervals", "skipped"),
        CheckinDay(d(27), 8.0, 190, 300, None, 60, "steady", "done"),  # an extra session
        # Saturday 28: no check-in.
        CheckinDay(d(29), None, 120, None, None, None, None, None),
    ]


def test_summary_of_a_hand_checked_week() -> None:
    summary = summarize(
        hand_checked_week(),
        d(23),
        d(29),
        planned_weekdays=[MON, THU],
        protein_target_g=176,
        sleep_target_h=8.0,
        carbs_min_g=250,
    )
    assert (summary.days, summary.days_checked_in) == (7, 5)
    # Sleep: 7.5 + 6 + 8.5 + 8 over 4 nights; 7.5 and 6 are short.
    assert summary.sleep_nights_reported == 4
    assert summary.sleep_average_h == pytest.approx(7.5)
    assert summary.nights_under_target == 2
    # Protein: 150 + 180 + 190 + 120 over 4 days; 180 and 190 reach 176.
    assert summary.protein_days_reported == 4
    assert summary.protein_average_g == pytest.approx(160)
    assert summary.protein_days_at_target == 2
    # Carbs: four days reported, grams on two (200, 300); low on Tuesday (200 < 250) and
    # on Thursday (said "low").
    assert summary.carbs_days_reported == 4
    assert summary.carbs_average_g == pytest.approx(250)
    assert summary.carbs_days_low == 2
    # Cardio: 30 steady + 20 intervals + 60 steady; Tuesday's 0 is no cardio day.
    assert summary.cardio_days == 3
    assert summary.cardio_minutes_total == 110
    assert summary.cardio_minutes_steady == 90
    assert summary.cardio_minutes_intervals == 20
    # Leg days: Monday and Thursday planned; Monday done, Thursday skipped; Friday's session
    # was not planned: an extra.
    assert (summary.leg_days_planned, summary.leg_days_planned_done) == (2, 1)
    assert (summary.leg_days_planned_skipped, summary.leg_days_extra) == (1, 1)
    assert (summary.leg_days_done, summary.leg_days_skipped) == (2, 1)
    # Only Sunday is checked in at the end; Thursday's skip broke the leg-day streak.
    assert (summary.checkin_streak, summary.leg_day_streak) == (1, 0)


def test_summary_counts_only_the_window_but_streaks_see_everything() -> None:
    before = [CheckinDay(d(20), 4.0, 50, None, None, 90, "steady", None)]
    week = [CheckinDay(day, sleep_hours=8.0) for day in days_from(d(23), 7)]
    summary = summarize([*before, *week], d(23), d(29), [], protein_target_g=176)
    assert summary.days_checked_in == 7
    assert summary.sleep_average_h == pytest.approx(8.0)
    assert summary.protein_days_reported == 0
    assert summary.protein_average_g is None
    assert summary.cardio_minutes_total == 0
    # The 21st and 22nd are missing, so the streak is the window's seven days.
    assert summary.checkin_streak == 7


def test_summary_counts_planned_leg_days_only_once_they_are_over() -> None:
    checkins = legs((d(23), "done"))
    # Thursday morning: Thursday's session is still ahead, the weekend is in the future.
    midweek = summarize(checkins, d(23), d(29), [MON, THU, SAT], None, today=d(26))
    assert midweek.leg_days_planned == 1
    answered = summarize(
        [*checkins, CheckinDay(d(26), leg_day="done")],
        d(23),
        d(29),
        [MON, THU, SAT],
        None,
        today=d(26),
    )
    assert (answered.leg_days_planned, answered.leg_days_done) == (2, 2)
    assert answered.leg_day_streak == 2


def test_summary_without_a_protein_target_has_no_days_at_target() -> None:
    summary = summarize([CheckinDay(d(23), protein_g=200)], d(23), d(29), [], None)
    assert summary.protein_days_at_target is None
    assert summary.protein_average_g == pytest.approx(200)


def test_summary_refuses_a_window_that_ends_before_it_starts() -> None:
    with pytest.raises(ValueError):
        summarize([], d(29), d(23), [], None)


def test_rendered_summary_shows_the_numbers_against_targets() -> None:
    summary = summarize(hand_checked_week(), d(23), d(29), [MON, THU], 176, 8.0, 250)
    text = render_summary(summary, period_days=7)
    assert "23 Mar" in text and "29 Mar" in text
    assert "5 of 7 days" in text
    assert "7.5 h a night" in text and "2 nights under" in text
    assert "160 g a day" in text and "176 g" in text and "2.2 g per kg" in text
    assert "2 planned: 1 done, 1 skipped, plus 1 extra." in text
    assert "110 min" in text and "90 min steady" in text
    assert "<b>" in text
    # Short lines for a phone: nothing runs on for more than a few lines' worth.
    assert all(len(line) < 140 for line in text.splitlines())
    assert "1 g per lb" in render_summary(summary, period_days=7, weight_unit="lb")


def test_rendered_summary_of_an_empty_window_says_so() -> None:
    summary = summarize([CheckinDay(d(1))], d(23), d(29), [MON], 176)
    text = render_summary(summary, period_days=7)
    assert "No check-ins between 23 Mar and 29 Mar" in text
    assert "No check-ins yet" in render_no_checkins()


# --- counting: planned leg days from the plan's start, extras, averages, carbs -----------

WEEK_START, WEEK_END = d(23), d(29)  # Monday to Sunday


@pytest.mark.parametrize(
    ("marks", "planned", "plan_start", "today", "reminder", "counts", "line"),
    [
        pytest.param(
            {d(23): "done", d(26): "done"},
            [MON, THU],
            d(25),
            WEEK_END,
            {},
            (1, 1, 0, 0, 0, 1),
            "1 planned, done, plus 1 extra.",
            id="a session before the plan existed is an extra, not 2 of 1",
        ),
        pytest.param(
            {d(23): "done", d(26): "done", d(28): "done"},
            [MON, THU],
            None,
            WEEK_END,
            {},
            (2, 2, 0, 0, 0, 1),
            "2 planned, both done, plus 1 extra.",
            id="both planned done and one extra",
        ),
        pytest.param(
            {d(23): "done", d(26): "done", d(28): "done"},
            [MON, THU, SAT],
            None,
            WEEK_END,
            {},
            (3, 3, 0, 0, 0, 0),
            "3 planned, all done.",
            id="all done",
        ),
        pytest.param(
            {d(23): "done"},
            [MON, THU],
            None,
            d(26),
            {},
            (1, 1, 0, 0, 0, 0),
            "1 planned, done.",
            id="today's planned day not answered yet does not count",
        ),
        pytest.param(
            {d(23): "done", d(26): "skipped"},
            [MON, THU],
            None,
            d(26),
            {},
            (2, 1, 1, 0, 0, 0),
            "2 planned: 1 done, 1 skipped.",
            id="today's planned day counts once answered",
        ),
        pytest.param(
            {d(23): "rest"},
            [MON, THU, SAT],
            None,
            WEEK_END,
            {},
            (3, 0, 0, 1, 2, 0),
            "3 planned: 1 taken as rest, 2 not marked.",
            id="nothing done says what happened instead, no 0 done",
        ),
        pytest.param(
            {d(24): "done"},
            [MON, THU],
            d(29),
            WEEK_END,
            {},
            (0, 0, 0, 0, 0, 1),
            "1 done, none planned in these days yet.",
            id="plan made on the last day: nothing planned was due",
        ),
        pytest.param(
            {},
            [MON, THU],
            None,
            WEEK_END,
            {d(23): "done", d(26): "skipped"},
            (2, 1, 1, 0, 0, 0),
            "2 planned: 1 done, 1 skipped.",
            id="the reminder's Done and Skip buttons count",
        ),
        pytest.param(
            {d(26): "done"},
            [MON, THU],
            None,
            WEEK_END,
            {d(23): "done", d(26): "skipped"},
            (2, 2, 0, 0, 0, 0),
            "2 planned, both done.",
            id="the check-in corrects the reminder's button",
        ),
        pytest.param(
            {d(24): "done", d(27): "skipped"},
            [],
            None,
            WEEK_END,
            {},
            (0, 0, 0, 0, 0, 1),
            "🦵 <b>Leg days</b> 1 done, 1 skipped.",
            id="without a plan only what was marked",
        ),
        pytest.param(
            {},
            [],
            None,
            WEEK_END,
            {},
            (0, 0, 0, 0, 0, 0),
            "🦵 <b>Leg days</b> none marked.",
            id="without a plan and marks it says so",
        ),
    ],
)
def test_planned_leg_days_count_from_the_plans_start_and_extras_apart(
    marks: dict[date, str],
    planned: list[int],
    plan_start: date | None,
    today: date,
    reminder: dict[date, str],
    counts: tuple[int, int, int, int, int, int],
    line: str,
) -> None:
    # Every day of the week checked in, so only the leg-day answers differ.
    checkins = [
        CheckinDay(day, sleep_hours=8.0, leg_day=marks.get(day)) for day in days_from(WEEK_START, 7)
    ]
    summary = summarize(
        checkins,
        WEEK_START,
        WEEK_END,
        planned,
        None,
        today=today,
        plan_start=plan_start,
        reminder_marks=reminder,
    )
    found = (
        summary.leg_days_planned,
        summary.leg_days_planned_done,
        summary.leg_days_planned_skipped,
        summary.leg_days_planned_rest,
        summary.leg_days_planned_unmarked,
        summary.leg_days_extra,
    )
    assert found == counts
    assert line in render_summary(summary, period_days=7)


def random_history(seed: int, first: date, days: int) -> list[CheckinDay]:
    """Check-ins on about two days in three, each answer given or skipped at random."""
    chance = random.Random(seed)

    def maybe(value: Any) -> Any:
        return value if chance.random() < 0.7 else None

    history = []
    for day in days_from(first, days):
        if chance.random() < 0.35:
            continue  # no check-in that day
        grams = chance.random() < 0.5
        history.append(
            CheckinDay(
                day,
                sleep_hours=maybe(chance.choice([5.5, 6.0, 6.5, 7.0, 7.5, 8.0, 8.5, 9.0])),
                protein_g=maybe(chance.randrange(60, 240, 5)),
                carbs_g=maybe(chance.randrange(80, 450, 10)) if grams else None,
                carbs_level=None if grams else maybe(chance.choice(["low", "moderate", "high"])),
                cardio_minutes=maybe(chance.choice([0, 15, 20, 30, 45, 60])),
                cardio_kind=maybe(chance.choice(["steady", "intervals"])),
                leg_day=maybe(chance.choice(["done", "done", "skipped", "rest"])),
            )
        )
    return history


@dataclass(frozen=True)
class Case:
    # Named as summarize() names its parameters, which it is called with.
    checkins: list[CheckinDay]
    start: date
    end: date
    planned_weekdays: list[int]
    plan_start: date | None
    protein_target_g: float | None
    carbs_min_g: float | None
    reminder_marks: dict[date, str]


def random_case(seed: int) -> Case:
    chance = random.Random(seed * 7919)
    period = chance.choice([7, 30])
    end = d(29) + timedelta(days=chance.randrange(0, 60))
    start = end - timedelta(days=period - 1)
    return Case(
        checkins=random_history(seed, start - timedelta(days=10), period + 10),
        start=start,
        end=end,
        planned_weekdays=sorted(chance.sample(range(7), chance.randrange(0, 4))),
        plan_start=chance.choice([None, start - timedelta(days=3), start + timedelta(days=5)]),
        protein_target_g=chance.choice([None, 176.0]),
        carbs_min_g=chance.choice([None, 250.0]),
        reminder_marks={
            day: chance.choice(["done", "skipped"])
            for day in days_from(start, period)
            if chance.random() < 0.2
        },
    )


def summary_of(case: Case) -> Summary:
    return summarize(**vars(case))  # dataclasses.asdict would turn check-ins into dicts


@pytest.mark.parametrize("seed", range(40))
def test_leg_days_add_up_over_random_histories(seed: int) -> None:
    case = random_case(seed)
    summary = summary_of(case)
    by_day = {checkin.day: checkin for checkin in case.checkins}
    window = days_from(case.start, summary.days)

    def mark(day: date) -> str | None:
        checkin = by_day.get(day)
        if checkin is not None and checkin.leg_day is not None:
            return checkin.leg_day
        return case.reminder_marks.get(day)

    plan_start = case.plan_start or case.start
    due = [
        day
        for day in window
        if day.weekday() in case.planned_weekdays
        and day >= plan_start
        and (day < case.end or mark(day) is not None)
    ]
    assert summary.leg_days_planned == len(due)
    assert summary.leg_days_planned_done == sum(1 for day in due if mark(day) == "done")
    assert summary.leg_days_planned_unmarked == sum(1 for day in due if mark(day) is None)
    assert summary.leg_days_extra == sum(
        1 for day in window if mark(day) == "done" and day not in due
    )
    assert summary.leg_days_done == summary.leg_days_planned_done + summary.leg_days_extra
    assert summary.leg_days_planned == (
        summary.leg_days_planned_done
        + summary.leg_days_planned_skipped
        + summary.leg_days_planned_rest
        + summary.leg_days_planned_unmarked
    )


@pytest.mark.parametrize("seed", range(40))
def test_averages_are_over_the_days_that_have_the_value(seed: int) -> None:
    case = random_case(seed)
    summary = summary_of(case)
    window = [c for c in case.checkins if case.start <= c.day <= case.end]
    text = render_summary(summary, period_days=summary.days)
    for name, average, count in (
        ("sleep_hours", summary.sleep_average_h, summary.sleep_nights_reported),
        ("protein_g", summary.protein_average_g, summary.protein_days_reported),
        ("carbs_g", summary.carbs_average_g, summary.carbs_days_grams),
    ):
        values = [getattr(c, name) for c in window if getattr(c, name) is not None]
        assert count == len(values)
        assert average == (pytest.approx(sum(values) / len(values)) if values else None)
    if summary.sleep_average_h is not None:
        nights = summary.sleep_nights_reported
        assert f"on average over {nights} night{'' if nights == 1 else 's'} " in text
    if summary.carbs_average_g is not None:
        days = summary.carbs_days_grams
        assert f"a day on average over {days} day{'' if days == 1 else 's'}" in text


# "k of n" only where some but not all apply; no count of nothing.
ZERO_COUNT = re.compile(
    r"\b0 (of|done|skipped|taken|not|extra|nights?|days?|leg|min)\b|\bplus 0\b|on 0\b"
)
K_OF_N = re.compile(r"(\d+) of (\d+)")


@pytest.mark.parametrize("seed", range(60))
def test_no_count_of_nothing_and_the_summary_fits_a_photo_caption(seed: int) -> None:
    summary = summary_of(random_case(seed))
    text = render_summary(summary, period_days=summary.days)
    assert ZERO_COUNT.search(text) is None, text
    for part, whole in K_OF_N.findall(text):
        assert 0 < int(part) < int(whole), text
    # A weekly summary goes out as a photo caption: at most 1,024 characters with the
    # footer, counted without the HTML tags.
    assert len(re.sub(r"<[^>]+>", "", text)) < 900


@pytest.mark.parametrize(
    ("carbs", "target", "judged", "low", "line"),
    [
        pytest.param(
            [200, 300],
            250.0,
            2,
            1,
            "🍞 <b>Carbs</b> 250 g a day on average over 2 days; "
            "low on 1 of 2 days (grams against your 250 g).",
            id="grams against the target",
        ),
        pytest.param(
            [300, 260],
            250.0,
            2,
            0,
            "🍞 <b>Carbs</b> 280 g a day on average over 2 days; "
            "enough on both days (grams against your 250 g).",
            id="grams all enough",
        ),
        pytest.param(
            [200, 300],
            None,
            0,
            0,
            "🍞 <b>Carbs</b> 250 g a day on average over 2 days; "
            "no target to compare them with yet (/assess sets one).",
            id="grams without a target are not judged",
        ),
        pytest.param(
            ["low", "moderate", "low"],
            None,
            3,
            2,
            "🍞 <b>Carbs</b> low on 2 of 3 days (by the level you gave).",
            id="levels without a target",
        ),
        pytest.param(
            ["low", "low"],
            250.0,
            2,
            2,
            "🍞 <b>Carbs</b> low on both days (by the level you gave).",
            id="levels all low",
        ),
        pytest.param(
            [200, "low", "high"],
            250.0,
            3,
            2,
            "🍞 <b>Carbs</b> 200 g a day on average over 1 day; low on 2 of 3 days "
            "(grams against your 250 g, else the level you gave).",
            id="grams and levels with a target",
        ),
        pytest.param(
            [200, "low", "high"],
            None,
            2,
            1,
            "🍞 <b>Carbs</b> 200 g a day on average over 1 day; low on 1 of 2 days "
            "(by the level you gave; no target to compare grams with yet).",
            id="grams and levels without a target: only the levels count",
        ),
        pytest.param(
            ["moderate"],
            None,
            1,
            0,
            "🍞 <b>Carbs</b> enough on the 1 day reported (by the level you gave).",
            id="one day",
        ),
        pytest.param([None, None], 250.0, 0, 0, "🍞 <b>Carbs</b> not reported.", id="not reported"),
    ],
)
def test_carbs_in_grams_or_as_a_level_count_one_way(
    carbs: list[float | str | None], target: float | None, judged: int, low: int, line: str
) -> None:
    checkins = [
        CheckinDay(
            day,
            sleep_hours=8.0,
            carbs_g=float(value) if isinstance(value, int | float) else None,
            carbs_level=value if isinstance(value, str) else None,
        )
        for day, value in zip(days_from(WEEK_START, len(carbs)), carbs, strict=True)
    ]
    summary = summarize(checkins, WEEK_START, WEEK_END, [], None, carbs_min_g=target)
    assert (summary.carbs_days_judged, summary.carbs_days_low) == (judged, low)
    assert line in render_summary(summary, period_days=7).splitlines()


@pytest.mark.parametrize(
    ("sleep", "protein", "lines"),
    [
        pytest.param(
            [7.0, 7.5, 6.5, 7.5, 7.0],
            [180, 200],
            [
                "😴 <b>Sleep</b> 7.1 h a night on average over 5 nights (target 8 h), "
                "all 5 nights under target.",
                "🍗 <b>Protein</b> 190 g a day on average (target 176 g, 2.2 g per kg), "
                "at target on both days.",
            ],
            id="all under, all at target",
        ),
        pytest.param(
            [8.0, 9.0],
            [100, 120, 110],
            [
                "😴 <b>Sleep</b> 8.5 h a night on average over 2 nights (target 8 h), "
                "both nights on target.",
                "🍗 <b>Protein</b> 110 g a day on average (target 176 g, 2.2 g per kg), "
                "under target on all 3 days.",
            ],
            id="none under, none at target: said plainly",
        ),
        pytest.param(
            [6.0],
            [180],
            [
                "😴 <b>Sleep</b> 6 h a night on average over 1 night (target 8 h), under target.",
                "🍗 <b>Protein</b> 180 g a day on average (target 176 g, 2.2 g per kg), at target "
                "on the 1 day reported.",
            ],
            id="one day",
        ),
    ],
)
def test_sleep_and_protein_say_over_how_many_days_and_no_zero_counts(
    sleep: list[float], protein: list[float], lines: list[str]
) -> None:
    days = days_from(WEEK_START, 7)
    checkins = [
        CheckinDay(
            day,
            sleep_hours=sleep[n] if n < len(sleep) else None,
            protein_g=protein[n] if n < len(protein) else None,
        )
        for n, day in enumerate(days)
    ]
    text = render_summary(summarize(checkins, WEEK_START, WEEK_END, [], 176.0), period_days=7)
    for line in lines:
        assert line in text.splitlines()


def test_a_leg_day_streak_starts_with_the_plan() -> None:
    # Mondays 9 and 16 March were done before the plan was made on the 20th.
    checkins = legs((d(9), "done"), (d(16), "done"), (d(23), "done"))
    assert leg_day_streak(checkins, [MON], today=d(24)) == 3
    assert leg_day_streak(checkins, [MON], today=d(24), plan_start=d(20)) == 1
    summary = summarize(checkins, d(17), d(24), [MON], None, plan_start=d(20))
    assert summary.leg_day_streak == 1
    assert (summary.leg_days_planned, summary.leg_days_extra) == (1, 0)


# --- feedback after a check-in ---------------------------------------------------------


def give_feedback(
    checkin: CheckinDay,
    recent: Sequence[CheckinDay] = (),
    tomorrow_is_leg_day: bool = False,
) -> Feedback:
    """Feedback against the targets of an 80 kg lifter: 176 g protein, 8 h, 250 g carbs."""
    return feedback(
        checkin,
        protein_target_g=176.0,
        sleep_target_h=8.0,
        carbs_min_g=250.0,
        recent=recent,
        tomorrow_is_leg_day=tomorrow_is_leg_day,
    )


def good_day(day: date = MONDAY, **changes: Any) -> CheckinDay:
    """A day on every target: changes make it fall short where a test needs it to."""
    base = CheckinDay(
        day,
        sleep_hours=8.0,
        protein_g=180.0,
        carbs_g=300.0,
        carbs_level=None,
        cardio_minutes=0,
        cardio_kind=None,
        leg_day="rest",
    )
    return replace(base, **changes)


def tip_of(
    checkin: CheckinDay, recent: Sequence[CheckinDay] = (), tomorrow_is_leg_day: bool = False
) -> str:
    return give_feedback(checkin, recent, tomorrow_is_leg_day).tip.key


def test_feedback_lines_compare_with_the_targets() -> None:
    checkin = good_day(sleep_hours=6.5, protein_g=140)
    result = give_feedback(checkin, [], tomorrow_is_leg_day=False)
    assert Line("progress_protein_short", {"protein": 140, "target": 176, "missing": 36}) in (
        result.lines
    )
    text = render_feedback(result, Streaks(checkin_days=5, leg_days=2))
    assert "Protein 140 g of 176 g" in text
    assert "6.5 h of sleep: under the 8 h" in text
    assert "5 days in a row" in text and "2 leg days" in text
    assert result.rule_ids == ("sleep", "protein")


def test_two_short_nights_before_a_leg_day_come_first() -> None:
    checkin = good_day(sleep_hours=6.0, protein_g=100, leg_day="skipped")
    recent = [good_day(MONDAY - timedelta(days=1), sleep_hours=6.5)]
    result = give_feedback(checkin, recent, tomorrow_is_leg_day=True)
    assert result.tip.key == "progress_tip_sleep_before_leg_day"
    assert result.tip_rule_id == "sleep"
    assert "drop one set" in render_feedback(result)


def test_one_short_night_before_a_leg_day_is_not_the_two_night_case() -> None:
    checkin = good_day(sleep_hours=6.0, protein_g=100)
    recent = [good_day(MONDAY - timedelta(days=1), sleep_hours=8.5)]
    assert tip_of(checkin, recent, tomorrow_is_leg_day=True) == "progress_tip_protein_shakes"


def test_two_short_nights_without_a_leg_day_tomorrow_get_the_plain_sleep_tip() -> None:
    checkin = good_day(sleep_hours=6.5)
    recent = [good_day(MONDAY - timedelta(days=1), sleep_hours=6.0)]
    result = give_feedback(checkin, recent, tomorrow_is_leg_day=False)
    assert result.tip == Line("progress_tip_sleep_hours", {"hours": 1.5, "target": 8.0})


def test_a_sleep_tip_under_an_hour_is_in_minutes() -> None:
    checkin = good_day(sleep_hours=7.5)
    recent = [good_day(MONDAY - timedelta(days=1), sleep_hours=7.25)]
    result = give_feedback(checkin, recent, tomorrow_is_leg_day=False)
    assert result.tip == Line("progress_tip_sleep", {"minutes": 30, "target": 8.0})


def test_legs_done_today_and_planned_tomorrow_get_the_back_to_back_tip() -> None:
    checkin = good_day(leg_day="done", protein_g=120)
    result = give_feedback(checkin, [], tomorrow_is_leg_day=True)
    assert result.tip.key == "progress_tip_back_to_back"
    assert result.tip_rule_id == "rest_days"


@pytest.mark.parametrize(
    ("tomorrow_is_leg_day", "expected"),
    [(True, "progress_tip_skipped_next_planned"), (False, "progress_tip_skipped_make_up")],
)
def test_a_skipped_leg_day_beats_nutrition(tomorrow_is_leg_day: bool, expected: str) -> None:
    checkin = good_day(leg_day="skipped", protein_g=100, sleep_hours=6.0)
    result = give_feedback(checkin, tomorrow_is_leg_day=tomorrow_is_leg_day)
    assert result.tip.key == expected
    assert result.tip_rule_id == "strength_work"
    assert result.rule_ids == ("sleep", "protein", "strength_work")


def test_feedback_points_at_rules_that_exist() -> None:
    from flows.rules import RULE_IDS

    used = {RULE_SLEEP, RULE_PROTEIN, RULE_CARBS, RULE_CARDIO, RULE_LEG_DAYS, RULE_BACK_TO_BACK}
    assert used <= set(RULE_IDS)


@pytest.mark.parametrize(
    ("protein_g", "expected"),
    [(160, "progress_tip_protein_one_shake"), (120, "progress_tip_protein_shakes")],
)
def test_protein_under_target_suggests_a_shake(protein_g: float, expected: str) -> None:
    checkin = good_day(
        protein_g=protein_g, sleep_hours=6.0, cardio_minutes=90, cardio_kind="steady"
    )
    assert tip_of(checkin) == expected


def test_protein_just_under_target_after_rounding_counts_as_hit() -> None:
    result = give_feedback(good_day(protein_g=175.8))
    assert result.tip.key == "progress_tip_keep_going"
    assert "progress_protein_ok" in [line.key for line in result.lines]


def test_long_steady_cardio_suggests_intervals() -> None:
    checkin = good_day(cardio_minutes=60, cardio_kind="steady")
    result = give_feedback(checkin, [], tomorrow_is_leg_day=False)
    assert result.tip.key == "progress_tip_intervals"
    assert result.rule_ids == ("cardio",)


def test_a_steady_week_adding_up_suggests_intervals_too() -> None:
    recent = [
        good_day(MONDAY - timedelta(days=n), cardio_minutes=40, cardio_kind="steady")
        for n in (1, 2, 3)
    ]
    checkin = good_day(cardio_minutes=30, cardio_kind="steady")
    assert tip_of(checkin, recent) == "progress_tip_intervals"
    # Steady sessions more than a week back do not count.
    old = [replace(c, day=c.day - timedelta(days=7)) for c in recent]
    assert tip_of(checkin, old) == "progress_tip_keep_going"


def test_long_intervals_are_fine() -> None:
    assert tip_of(good_day(cardio_minutes=60, cardio_kind="intervals")) == "progress_tip_keep_going"


@pytest.mark.parametrize(
    ("changes", "tomorrow_is_leg_day", "expected"),
    [
        ({"carbs_g": 180.0}, False, "progress_tip_carbs"),
        ({"carbs_g": None, "carbs_level": "low"}, True, "progress_tip_carbs_leg_day"),
        ({"carbs_g": None, "carbs_level": "moderate"}, False, "progress_tip_keep_going"),
    ],
)
def test_low_carbs_come_after_the_rest(
    changes: dict[str, Any], tomorrow_is_leg_day: bool, expected: str
) -> None:
    assert tip_of(good_day(**changes), tomorrow_is_leg_day=tomorrow_is_leg_day) == expected


def test_a_good_day_gets_a_general_tip() -> None:
    assert tip_of(good_day(), tomorrow_is_leg_day=True) == "progress_tip_leg_day_tomorrow"
    result = give_feedback(good_day(), [], tomorrow_is_leg_day=False)
    assert result.tip.key == "progress_tip_keep_going"
    assert result.rule_ids == ()
    assert result.tip_rule_id is None


def test_recent_check_ins_on_or_after_the_day_are_ignored() -> None:
    # A correction of today's check-in in `recent` must not count as "the night before".
    checkin = good_day(sleep_hours=6.0)
    recent = [
        good_day(MONDAY, sleep_hours=5.0),
        good_day(MONDAY + timedelta(days=1), sleep_hours=5),
    ]
    assert tip_of(checkin, recent, tomorrow_is_leg_day=True) == "progress_tip_sleep_hours"


def test_an_empty_check_in_still_gets_a_reply() -> None:
    result = feedback(CheckinDay(MONDAY), recent=[], protein_target_g=None)
    assert result.lines == ()
    text = render_feedback(result, Streaks(checkin_days=1, leg_days=0))
    assert "1 day in a row" in text
    assert "leg day" not in text.split("For tomorrow")[0]


def test_feedback_without_targets_just_logs_the_numbers() -> None:
    checkin = CheckinDay(MONDAY, protein_g=150, carbs_g=100)
    result = feedback(checkin, protein_target_g=None, carbs_min_g=None)
    assert [line.key for line in result.lines] == [
        "progress_protein_logged",
        "progress_carbs_grams",
    ]
    assert result.rule_ids == ()


@pytest.mark.parametrize(
    "checkin",
    [
        good_day(),
        good_day(sleep_hours=5, protein_g=90, carbs_g=None, carbs_level="low", leg_day="skipped"),
        good_day(cardio_minutes=50, cardio_kind="steady", leg_day="done"),
        good_day(cardio_minutes=20, cardio_kind=None, carbs_g=None, carbs_level="high"),
        good_day(cardio_minutes=20, cardio_kind="intervals", protein_g=100),
    ],
)
@pytest.mark.parametrize("tomorrow_is_leg_day", [True, False])
def test_every_feedback_renders_with_known_texts(
    checkin: CheckinDay, tomorrow_is_leg_day: bool
) -> None:
    result: Feedback = give_feedback(checkin, [], tomorrow_is_leg_day=tomorrow_is_leg_day)
    text = render_feedback(result, Streaks(checkin_days=3, leg_days=0))
    assert "{" not in text and "}" not in text
    assert "For tomorrow" in text
    assert len(text) < 1000


def test_texts_use_only_telegram_safe_tags() -> None:
    for key, template in TEXTS.items():
        tags = set(re.findall(r"</?([a-zA-Z]+)[^>]*>", template))
        assert tags <= {"b", "i"}, key


# --- re-assessment ---------------------------------------------------------------------


def test_compare_assessments_splits_fixed_remaining_and_new_in_current_order() -> None:
    change = compare_assessments(
        ["protein", "sleep", "cardio", "calves"], ["carbs", "cardio", "protein", "program"]
    )
    assert change == AssessmentChange(
        fixed=("sleep", "calves"),
        remaining=("cardio", "protein"),
        new=("carbs", "program"),
    )


def test_compare_assessments_counts_repeated_ids_once() -> None:
    change = compare_assessments(["sleep", "sleep"], ["sleep", "protein", "protein"])
    assert change == AssessmentChange(fixed=(), remaining=("sleep",), new=("protein",))
    assert not change.unchanged


def test_first_assessment_has_only_new_reasons() -> None:
    change = compare_assessments([], iter(["sleep", "cardio"]))
    assert change == AssessmentChange(fixed=(), remaining=(), new=("sleep", "cardio"))


def test_rendered_change_lists_each_section_with_titles() -> None:
    titles = {"protein": "Too little protein", "sleep": "Short nights", "carbs": "Low carbs"}
    change = compare_assessments(["protein", "sleep"], ["sleep", "carbs"])
    text = render_assessment_change(change, titles.__getitem__)
    fixed, remaining, new = (text.index(word) for word in ("Fixed", "Still to work on", "New"))
    assert fixed < text.index("Too little protein") < remaining
    assert remaining < text.index("Short nights") < new < text.index("Low carbs")


def test_rendered_change_when_nothing_changed_or_everything_is_fixed() -> None:
    same = render_assessment_change(compare_assessments(["sleep"], ["sleep"]), str.upper)
    assert "SLEEP" in same and "Same reasons" in same
    fixed = render_assessment_change(compare_assessments(["sleep"], []), str.upper)
    assert "Every reason from last time is fixed" in fixed
    clear = render_assessment_change(compare_assessments([], []), str.upper)
    assert "No reasons found" in clear


def test_days_before_the_plan_existed_are_not_counted_as_planned() -> None:
    # Tuesday 10 Nov .. Monday 16 Nov 2026; legs on Tuesday and Friday; plan from the 12th.
    start, end = date(2026, 11, 10), date(2026, 11, 16)
    without = summarize([], start, end, (1, 4), 180.0, today=end)
    with_start = summarize([], start, end, (1, 4), 180.0, today=end, plan_start=date(2026, 11, 12))
    assert without.leg_days_planned == 2
    assert with_start.leg_days_planned == 1


def test_protein_at_target_agrees_with_the_whole_grams_people_see() -> None:
    day = date(2026, 11, 10)
    summary = summarize([CheckinDay(day, protein_g=180.0)], day, day, (), 180.4, today=day)
    assert summary.protein_days_at_target == 1
    short = summarize([CheckinDay(day, protein_g=179.0)], day, day, (), 180.4, today=day)
    assert short.protein_days_at_target == 0


def test_reminder_buttons_count_for_leg_days_the_check_in_left_open() -> None:
    # Planned Tuesdays and Fridays; Tue 10 and Fri 13 Nov were marked on the reminder only.
    marks = {date(2026, 11, 10): "done", date(2026, 11, 13): "done"}
    checkins = [CheckinDay(date(2026, 11, 13), sleep_hours=8.0)]  # no leg-day answer in it
    assert leg_day_streak(checkins, (1, 4), date(2026, 11, 16)) == 0
    assert leg_day_streak(checkins, (1, 4), date(2026, 11, 16), marks) == 2
    summary = summarize(
        checkins,
        date(2026, 11, 10),
        date(2026, 11, 16),
        (1, 4),
        None,
        today=date(2026, 11, 16),
        reminder_marks=marks,
    )
    assert (summary.leg_days_planned, summary.leg_days_done) == (2, 2)
    # A check-in's own answer wins over the reminder's.
    corrected = [CheckinDay(date(2026, 11, 13), leg_day="skipped")]
    assert leg_day_streak(corrected, (1, 4), date(2026, 11, 16), marks) == 0
