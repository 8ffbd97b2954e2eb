"""The progress chart: sleep, protein, cardio and leg days per day, as a PNG.

Figures are built with matplotlib's object API and the Agg canvas, never pyplot: nothing
global is touched (safe in a server handling many chats) and a figure is freed as soon as
it goes out of scope.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterable, Sequence
from datetime import date, timedelta

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from flows.progress import CheckinDay
from flows.texts.progress import CHART_TEXTS, short_date, weekday_short

logger = logging.getLogger(__name__)

SIZE_INCHES = (10.0, 10.0)
DPI = 100  # 1000 x 1000 px: sharp on a phone, a few tens of kB

_GOOD = "#2e7d32"
_SHORT = "#ef6c00"
_TARGET = "#37474f"
_STEADY = "#8d6e63"
_INTERVALS = "#1565c0"
_OTHER = "#9e9e9e"
_SKIPPED = "#c62828"


def _png(figure: Figure) -> bytes:
    FigureCanvasAgg(figure)
    buffer = io.BytesIO()
    # No metadata: the same data gives the same bytes.
    figure.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return buffer.getvalue()


def empty_chart(message: str | None = None, hint: str | None = None) -> bytes:
    """A PNG that only says there is nothing to show yet."""
    figure = Figure(figsize=SIZE_INCHES, dpi=DPI)
    figure.text(
        0.5,
        0.54,
        message or CHART_TEXTS["no_checkins_yet"],
        ha="center",
        va="center",
        fontsize=32,
        color=_TARGET,
    )
    figure.text(
        0.5,
        0.46,
        CHART_TEXTS["no_checkins_yet_hint"] if hint is None else hint,
        ha="center",
        va="center",
        fontsize=16,
        color=_OTHER,
    )
    return _png(figure)


def _tick_labels(days: list[date]) -> tuple[list[int], list[str]]:
    # A label per day for a week; for a month, about eight evenly spaced labels.
    step = 1 if len(days) <= 10 else max(1, round(len(days) / 8))
    positions = list(range(0, len(days), step))
    if len(days) <= 10:
        labels = [f"{weekday_short(days[i])}\n{days[i].day}" for i in positions]
    else:
        labels = [short_date(days[i]) for i in positions]
    return positions, labels


def _legend(axes: Axes, columns: int = 3) -> None:
    # Above the plot, next to the panel title, so it never hides a bar.
    axes.legend(
        loc="lower right",
        bbox_to_anchor=(1.0, 1.0),
        ncol=columns,
        fontsize=9,
        frameon=False,
        borderaxespad=0.1,
    )


def _style(axes: Axes, title: str, count: int) -> None:
    axes.set_title(title, loc="left", fontsize=13, fontweight="bold")
    axes.set_xlim(-0.6, count - 0.4)
    axes.spines["top"].set_visible(False)
    axes.spines["right"].set_visible(False)
    axes.grid(axis="y", alpha=0.3)


def _sleep_panel(axes: Axes, checkins: list[CheckinDay | None], sleep_target_h: float) -> None:
    # Days without a value get no bar at all: a gap, not a zero.
    points = [(i, c.sleep_hours) for i, c in enumerate(checkins) if c and c.sleep_hours is not None]
    if points:
        colors = [_GOOD if hours >= sleep_target_h else _SHORT for _, hours in points]
        axes.bar([i for i, _ in points], [hours for _, hours in points], color=colors, width=0.7)
    axes.axhline(
        sleep_target_h,
        color=_TARGET,
        linestyle="--",
        linewidth=1.5,
        label=CHART_TEXTS["sleep_target"].format(target=sleep_target_h),
    )
    highest = max([hours for _, hours in points], default=0.0)
    axes.set_ylim(0, max(sleep_target_h + 2, highest + 1))
    _legend(axes)


def _protein_panel(
    axes: Axes, checkins: list[CheckinDay | None], protein_target_g: float | None
) -> None:
    points = [(i, c.protein_g) for i, c in enumerate(checkins) if c and c.protein_g is not None]
    if points:
        colors = [
            _GOOD if protein_target_g is None or grams >= protein_target_g else _SHORT
            for _, grams in points
        ]
        axes.bar([i for i, _ in points], [grams for _, grams in points], color=colors, width=0.7)
    highest = max([grams for _, grams in points], default=0.0)
    if protein_target_g is not None:
        axes.axhline(
            protein_target_g,
            color=_TARGET,
            linestyle="--",
            linewidth=1.5,
            label=CHART_TEXTS["protein_target"].format(target=round(protein_target_g)),
        )
        highest = max(highest, protein_target_g)
        _legend(axes)
    axes.set_ylim(0, max(50.0, highest * 1.2))


def _cardio_panel(axes: Axes, checkins: list[CheckinDay | None]) -> None:
    kinds = (
        ("steady", _STEADY, CHART_TEXTS["cardio_steady"]),
        ("intervals", _INTERVALS, CHART_TEXTS["cardio_intervals"]),
        (None, _OTHER, CHART_TEXTS["cardio_other"]),
    )
    answered = [(i, c) for i, c in enumerate(checkins) if c and c.cardio_minutes is not None]
    for kind, color, label in kinds:
        points = [
            (i, c.cardio_minutes or 0)
            for i, c in answered
            if (c.cardio_kind if c.cardio_kind in ("steady", "intervals") else None) == kind
        ]
        if any(minutes for _, minutes in points):
            axes.bar(
                [i for i, _ in points],
                [minutes for _, minutes in points],
                color=color,
                width=0.7,
                label=label,
            )
    highest = max([c.cardio_minutes or 0 for _, c in answered], default=0)
    axes.set_ylim(0, max(30, highest * 1.2))
    if any(c.cardio_minutes for _, c in answered):
        _legend(axes)


def _legs_panel(
    axes: Axes, days: list[date], checkins: list[CheckinDay | None], planned: set[int]
) -> None:
    marks = (
        ("done", "o", _GOOD, CHART_TEXTS["leg_done"]),
        ("skipped", "X", _SKIPPED, CHART_TEXTS["leg_skipped"]),
        ("rest", ".", _OTHER, CHART_TEXTS["leg_rest"]),
    )
    for mark, marker, color, label in marks:
        positions = [i for i, c in enumerate(checkins) if c and c.leg_day == mark]
        if positions:
            axes.scatter(
                positions, [0] * len(positions), marker=marker, s=220, color=color, label=label
            )
    unmarked = [
        i
        for i, (day, checkin) in enumerate(zip(days, checkins, strict=True))
        if day.weekday() in planned and (checkin is None or checkin.leg_day is None)
    ]
    if unmarked:
        axes.scatter(
            unmarked,
            [0] * len(unmarked),
            marker="o",
            s=220,
            facecolors="none",
            edgecolors=_OTHER,
            label=CHART_TEXTS["leg_planned"],
        )
    axes.set_ylim(-1, 1)
    axes.set_yticks([])
    axes.spines["left"].set_visible(False)
    if axes.collections:
        _legend(axes, columns=4)


def progress_chart(
    checkins: Sequence[CheckinDay],
    start: date,
    end: date,
    protein_target_g: float | None,
    sleep_target_h: float = 8.0,
    planned_weekdays: Iterable[int] = (),
) -> bytes:
    """Four panels over the days from `start` to `end`: sleep against the target line,
    protein against the target line, cardio minutes (steady vs intervals) and leg days.

    Without any check-in the image says "No check-ins yet"; with check-ins, but none in
    the window, it says so instead. `planned_weekdays` (0 = Monday) adds open circles for
    planned leg days that were not marked.
    """
    if end < start:
        raise ValueError(f"chart window ends ({end}) before it starts ({start})")
    if not checkins:
        return empty_chart()
    if not any(start <= checkin.day <= end for checkin in checkins):
        return empty_chart(CHART_TEXTS["no_checkins_in_period"], hint="")
    figure = progress_figure(
        checkins, start, end, protein_target_g, sleep_target_h, planned_weekdays
    )
    png = _png(figure)
    logger.debug("progress chart for %s..%s: %d bytes", start, end, len(png))
    return png


def progress_figure(
    checkins: Sequence[CheckinDay],
    start: date,
    end: date,
    protein_target_g: float | None,
    sleep_target_h: float = 8.0,
    planned_weekdays: Iterable[int] = (),
) -> Figure:
    """The four panels of `progress_chart` as a figure (sleep, protein, cardio, leg days).

    One x position per day; a day without a value has no bar, so gaps stay visible.
    """
    by_day = {checkin.day: checkin for checkin in checkins}
    days = [start + timedelta(days=offset) for offset in range((end - start).days + 1)]
    in_window: list[CheckinDay | None] = [by_day.get(day) for day in days]

    figure = Figure(figsize=SIZE_INCHES, dpi=DPI, layout="constrained")
    figure.suptitle(
        CHART_TEXTS["title"].format(start=short_date(start), end=short_date(end)), fontsize=15
    )
    sleep_axes, protein_axes, cardio_axes, legs_axes = figure.subplots(
        4, 1, sharex=True, height_ratios=[3, 3, 3, 1.4]
    )
    _sleep_panel(sleep_axes, in_window, sleep_target_h)
    _protein_panel(protein_axes, in_window, protein_target_g)
    _cardio_panel(cardio_axes, in_window)
    _legs_panel(legs_axes, days, in_window, set(planned_weekdays))
    for axes, title in (
        (sleep_axes, CHART_TEXTS["sleep"]),
        (protein_axes, CHART_TEXTS["protein"]),
        (cardio_axes, CHART_TEXTS["cardio"]),
        (legs_axes, CHART_TEXTS["legs"]),
    ):
        _style(axes, title, len(days))
    positions, labels = _tick_labels(days)
    legs_axes.set_xticks(positions, labels)
    return figure
