import struct
import zlib
from datetime import date, timedelta

import numpy as np
import pytest
from matplotlib.axes import Axes
from matplotlib.patches import Rectangle

from bot.chart import empty_chart, progress_chart, progress_figure
from flows.progress import CheckinDay

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
MONDAY = date(2026, 3, 23)
SUNDAY = MONDAY + timedelta(days=6)


def png_size(png: bytes) -> tuple[int, int]:
    """Width and height from the IHDR chunk, which must come right after the signature."""
    assert png[:8] == PNG_SIGNATURE
    length, kind = struct.unpack(">I4s", png[8:16])
    assert kind == b"IHDR" and length == 13
    header = png[16:29]
    (crc,) = struct.unpack(">I", png[29:33])
    assert zlib.crc32(png[12:29]) == crc
    width, height = struct.unpack(">II", header[:8])
    return width, height


def assert_phone_friendly_png(png: bytes) -> None:
    assert png.startswith(PNG_SIGNATURE)
    assert png.endswith(b"IEND\xaeB`\x82")
    width, height = png_size(png)
    assert 600 <= width <= 2000 and 600 <= height <= 2000
    assert len(png) < 1_000_000


def week() -> list[CheckinDay]:
    return [
        CheckinDay(MONDAY, 7.5, 150, None, "moderate", 30, "steady", "done"),
        CheckinDay(MONDAY + timedelta(days=1), 6.0, 180, 200, None, 0, None, "rest"),
        CheckinDay(MONDAY + timedelta(days=3), 8.5, None, None, "low", 20, "intervals", "skipped"),
        CheckinDay(MONDAY + timedelta(days=4), 8.0, 190, 300, None, 60, "steady", "done"),
        CheckinDay(SUNDAY, None, 120, None, None, None, None, None),
    ]


def test_a_week_of_check_ins_makes_a_valid_png() -> None:
    png = progress_chart(week(), MONDAY, SUNDAY, protein_target_g=176, planned_weekdays=[0, 3])
    assert_phone_friendly_png(png)
    assert png_size(png) == (1000, 1000)


def test_a_month_of_check_ins_stays_small() -> None:
    first = date(2026, 3, 1)
    month = [
        CheckinDay(
            first + timedelta(days=n), 6 + n % 4, 140 + 3 * n, None, None, 25, "steady", "done"
        )
        for n in range(30)
    ]
    png = progress_chart(month, first, first + timedelta(days=29), protein_target_g=None)
    assert_phone_friendly_png(png)


def test_no_check_ins_make_a_png_that_says_so() -> None:
    png = progress_chart([], MONDAY, SUNDAY, protein_target_g=176)
    assert_phone_friendly_png(png)
    assert png == empty_chart()
    with_data = progress_chart(week(), MONDAY, SUNDAY, protein_target_g=176)
    assert png != with_data


def test_check_ins_outside_the_window_make_the_empty_period_chart() -> None:
    earlier = [CheckinDay(MONDAY - timedelta(days=30), sleep_hours=8.0)]
    png = progress_chart(earlier, MONDAY, SUNDAY, protein_target_g=176)
    assert_phone_friendly_png(png)
    assert png != empty_chart()


def bars(axes: Axes) -> list[tuple[int, float]]:
    """(day index, height) of every bar in a panel."""
    rectangles = [patch for patch in axes.patches if isinstance(patch, Rectangle)]
    return sorted(
        (round(bar.get_x() + bar.get_width() / 2), bar.get_height()) for bar in rectangles
    )


def line_heights(axes: Axes) -> list[float]:
    return [float(np.asarray(line.get_ydata(), dtype=float)[0]) for line in axes.lines]


def test_missing_values_are_gaps_not_zero_bars() -> None:
    figure = progress_figure(week(), MONDAY, SUNDAY, protein_target_g=176)
    sleep_axes, protein_axes, cardio_axes, _ = figure.axes
    # Four nights reported in the week: four bars, at the reported days only.
    assert bars(sleep_axes) == [(0, 7.5), (1, 6.0), (3, 8.5), (4, 8.0)]
    assert [day for day, _ in bars(protein_axes)] == [0, 1, 4, 6]
    assert line_heights(sleep_axes) == [8.0]
    assert line_heights(protein_axes) == [176.0]
    # Steady (30 + 60) and intervals (20) are separate series; Tuesday's 0 draws nothing.
    assert [height for _, height in bars(cardio_axes) if height] == [30, 20, 60]
    legend = cardio_axes.get_legend()
    assert legend is not None
    assert [text.get_text() for text in legend.get_texts()] == ["steady", "intervals"]


def test_the_same_data_gives_the_same_image() -> None:
    assert progress_chart(week(), MONDAY, SUNDAY, 176) == progress_chart(
        week(), MONDAY, SUNDAY, 176
    )


def test_a_window_that_ends_before_it_starts_is_refused() -> None:
    with pytest.raises(ValueError):
        progress_chart(week(), SUNDAY, MONDAY, protein_target_g=176)
