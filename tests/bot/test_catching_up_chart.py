"""The catching-up chart: a phone-portrait PNG of a synthetic twelve-week history and of no
history at all, every label readable at phone size, missing weeks as gaps, drawn through
the chart pool like the progress chart."""

from __future__ import annotations

import io
import math
from datetime import date, timedelta

import pytest
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.text import Text

from bot.chart import (
    DPI,
    PALETTE,
    WIDTH_PX,
    catching_up_chart,
    catching_up_figure,
    empty_chart,
    min_font_pt,
)
from bot.chart_pool import ChartRenderer, LagChartRequest
from flows.catching_up import Week, weekly
from flows.lifts import BALANCED_RATIO, BENCH, SQUAT, LiftSet, Measurement
from tests.bot.test_chart import assert_phone_friendly_png

TODAY = date(2026, 3, 29)
FIRST = TODAY - timedelta(days=7 * 11 + 6)
MISSING_WEEKS = (4, 5, 9)


def history() -> tuple[Week, ...]:
    sets = [LiftSet(FIRST, BENCH, 90.0, 5, source="assessment")]
    sets += [
        LiftSet(FIRST + timedelta(days=7 * week + 2), SQUAT, 75 + 2.5 * week, 6)
        for week in range(12)
        if week not in MISSING_WEEKS
    ]
    tape = [
        Measurement(FIRST + timedelta(days=1), 80.0, 56.0, 37.0, 38.0),
        Measurement(FIRST + timedelta(days=30), None, 57.0, 37.5, 38.2),
        Measurement(FIRST + timedelta(days=60), 81.0, 58.5, 38.0, 38.3),
    ]
    return weekly(sets, tape, TODAY)


def shown_texts(figure: Figure) -> list[Text]:
    FigureCanvasAgg(figure)
    figure.savefig(io.BytesIO(), format="png", dpi=DPI)
    return [
        text
        for text in figure.findobj(Text)
        if isinstance(text, Text) and text.get_visible() and text.get_text().strip()
    ]


def test_a_twelve_week_history_is_a_phone_portrait_png() -> None:
    png = catching_up_chart(history())
    assert_phone_friendly_png(png)
    assert png != empty_chart()
    assert catching_up_chart(history(), "lb") != png


def test_without_a_squat_the_chart_says_how_to_start() -> None:
    nothing = weekly([], [], TODAY)
    png = catching_up_chart(nothing)
    assert_phone_friendly_png(png)
    assert png == catching_up_chart(())
    assert png != empty_chart()  # its own words, not the check-in chart's


@pytest.mark.parametrize("unit", ["kg", "lb"])
def test_every_label_is_at_least_12_px_on_a_phone(unit: str) -> None:
    figure = catching_up_figure(history(), unit)
    width_px = figure.get_figwidth() * figure.dpi
    assert width_px == WIDTH_PX
    smallest_pt = 12 * (width_px / 390) * 72 / figure.dpi
    assert smallest_pt == pytest.approx(min_font_pt())
    texts = shown_texts(figure)
    assert len(texts) >= 15
    for text in texts:
        assert float(text.get_fontsize()) >= smallest_pt, text.get_text()
    words = {text.get_text() for text in texts}
    assert {"Squat", "Bench press", "Balanced 1.3", "Thigh", "Upper arm"} <= words
    assert f"Estimated 1RM ({unit})" in words


def _lines(axes: Axes) -> dict[str, Line2D]:
    return {str(line.get_label()): line for line in axes.get_lines()}


def test_squat_bench_and_ratio_with_gaps_for_missing_weeks() -> None:
    weeks = history()
    figure = catching_up_figure(weeks)
    lifts_axes, ratio_axes, tape_axes = figure.axes[:3]
    squat = [float(y) for y in _lines(lifts_axes)["Squat"].get_ydata()]
    assert len(squat) == 12
    assert [i for i, y in enumerate(squat) if math.isnan(y)] == list(MISSING_WEEKS)
    assert squat[-1] == pytest.approx(weeks[-1].squat_1rm_kg)
    ratio = [float(y) for y in _lines(ratio_axes)["Your ratio"].get_ydata()]
    assert [i for i, y in enumerate(ratio) if math.isnan(y)] == list(MISSING_WEEKS)
    balanced = _lines(ratio_axes)["Balanced 1.3"]
    assert set(balanced.get_ydata()) == {BALANCED_RATIO}
    # Only Okabe-Ito colours and a grey, and the lines differ by marker and dash too.
    for axes in (lifts_axes, ratio_axes, tape_axes):
        for line in axes.get_lines():
            assert to_hex(line.get_color()).upper() in {c.upper() for c in PALETTE}
    squat_line, bench_line = _lines(lifts_axes)["Squat"], _lines(lifts_axes)["Bench press"]
    assert (squat_line.get_marker(), squat_line.get_linestyle()) != (
        bench_line.get_marker(),
        bench_line.get_linestyle(),
    )
    # The tape joins its monthly measurements.
    assert len(_lines(tape_axes)["Thigh"].get_xdata()) == 3


def test_no_tape_panel_without_a_tape_measurement() -> None:
    weeks = tuple(
        Week(w.start, w.end, w.squat_1rm_kg, w.bench_1rm_kg, w.bench_logged, w.ratio)
        for w in history()
    )
    figure = catching_up_figure(weeks)
    titles = [axes.get_title(loc="left") for axes in figure.axes]
    assert titles[:2] == ["Estimated 1RM (kg)", "Squat ÷ bench"]
    assert not any(title.startswith("Tape") for title in titles)


async def test_drawn_through_the_chart_pool_in_a_thread() -> None:
    renderer = ChartRenderer(0)
    try:
        png = await renderer.render(LagChartRequest(history(), "kg"))
    finally:
        renderer.shutdown()
    assert png == catching_up_chart(history())
    assert renderer.counts.in_thread == 1


def test_the_request_pickles_for_a_worker_process() -> None:
    import pickle

    request = LagChartRequest(history(), "lb")
    assert pickle.loads(pickle.dumps(request)) == request
