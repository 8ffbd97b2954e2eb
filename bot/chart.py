"""The progress chart: sleep, protein, cardio and leg days per day, as a PNG for a phone;
and the catching-up chart: estimated squat and bench 1RM, their ratio and the tape by week.

Portrait, 1080 x 1350 px (the 4:5 a phone shows whole in a chat). Every label is at least
12 px tall when the image is shown 390 px wide, the width of a phone screen in CSS pixels:
`min_font_pt` turns that into points from the figure's width and dpi.

Colours come from the Okabe-Ito palette, which people with every common kind of colour
blindness tell apart, and nothing relies on colour alone: short days are hatched, cardio
kinds have their own hatch, leg-day marks have their own shape. A day without a value is
shown as missing (a grey hatched column), never as a zero bar.

The counting is the summary's (flows.progress): the averages drawn are its averages, and
planned leg days are marked only from the plan's start, as the summary counts them.

Figures are built with matplotlib's object API and the Agg canvas, never pyplot: nothing
global is touched (safe in a server handling many chats) and a figure is freed as soon as
it goes out of scope.

Every word, date and number is in the current language (flows.i18n), read while the figure
is built: bot.chart_pool draws each chart inside its request's language. The default font,
DejaVu Sans, has Cyrillic letters.
"""

from __future__ import annotations

import io
import logging
import math
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta
from typing import Any, TypedDict, Unpack

from babel.numbers import get_decimal_symbol
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.text import Text
from matplotlib.ticker import FixedLocator, MaxNLocator, ScalarFormatter

from flows import i18n, lifts
from flows.catching_up import Week
from flows.lifts import BALANCED_RANGE, BALANCED_RATIO
from flows.progress import CheckinDay, Summary, leg_day_marks, planned_leg_days, summarize
from flows.texts.catching_up import CHART_TEXTS as LAG_TEXTS
from flows.texts.files import UNITS
from flows.texts.progress import CHART_TEXTS, short_date, weekday_short

logger = logging.getLogger(__name__)

WIDTH_PX, HEIGHT_PX = 1080, 1350
DPI = 150
SIZE_INCHES = (WIDTH_PX / DPI, HEIGHT_PX / DPI)  # 7.2 x 9 in

# Labels must stay readable when a phone shows the image this wide (CSS pixels).
PHONE_WIDTH_PX = 390
MIN_PHONE_FONT_PX = 12


def min_font_pt(width_in: float = SIZE_INCHES[0], dpi: float = DPI) -> float:
    """The smallest font, in points, that is MIN_PHONE_FONT_PX tall on a phone showing
    the image PHONE_WIDTH_PX wide: about 16 pt for 1080 px at 150 dpi."""
    width_px = width_in * dpi
    font_px = MIN_PHONE_FONT_PX * width_px / PHONE_WIDTH_PX
    return font_px * 72 / dpi


FONT_SMALL = 17.0  # ticks, legend
FONT_PANEL = 19.0  # panel titles
FONT_TITLE = 22.0  # the chart's title, the empty chart's message

# Okabe-Ito.
BLUE = "#0072B2"
ORANGE = "#E69F00"
VERMILLION = "#D55E00"
SKY_BLUE = "#56B4E9"
BLUISH_GREEN = "#009E73"
REDDISH_PURPLE = "#CC79A7"
BLACK = "#000000"
GREY = "#999999"
PALETTE = frozenset({BLUE, ORANGE, VERMILLION, SKY_BLUE, BLUISH_GREEN, REDDISH_PURPLE, BLACK})

_ON_TARGET = BLUE
_SHORT = ORANGE
_SHORT_HATCH = "//"
_TARGET = BLACK
_AVERAGE = REDDISH_PURPLE
_MISSING = "#BBBBBB"  # a light grey: missing is the absence of data, not a category
_MISSING_HATCH = "\\\\"
# Each kind of bar in the sleep and protein panels, told apart by fill and hatch as well as
# colour: solid blue at or over the target, hatched orange under it, hollow without one.
_BAR_STYLES: dict[str, dict[str, Any]] = {
    "on_target": {"facecolor": _ON_TARGET, "edgecolor": _ON_TARGET, "hatch": "", "linewidth": 0},
    "under_target": {
        "facecolor": _SHORT,
        "edgecolor": BLACK,
        "hatch": _SHORT_HATCH,
        "linewidth": 0,
    },
    "no_target": {"facecolor": "white", "edgecolor": BLUE, "hatch": "", "linewidth": 2.5},
}
_STEADY, _STEADY_HATCH = BLUISH_GREEN, ""
_INTERVALS, _INTERVALS_HATCH = SKY_BLUE, "xx"
_OTHER, _OTHER_HATCH = GREY, ".."
_DONE = BLUE
_SKIPPED = VERMILLION
_REST = GREY
_PLAN_START = GREY

_BAR_WIDTH = 0.72
# What every legend has: small words, no frame, short handles.
_LEGEND_LOOK: dict[str, Any] = {"fontsize": FONT_SMALL, "frameon": False, "handlelength": 1.6}
_MARKER_PT = 17.0  # leg-day marks, when the days leave room
_PLOT_WIDTH_PT = 430.0  # about the width of a panel's plot area
_TITLE_GAP_PX = 12  # at least between a panel's title and its legend
# Leg-day marks: (marker, face, edge, size against the others). A shape of its own each.
_LEG_SHAPES = {
    "done": ("o", _DONE, _DONE, 1.0),
    "skipped": ("X", _SKIPPED, _SKIPPED, 1.0),
    "rest": ("s", _REST, _REST, 0.6),
    "planned": ("o", "white", BLACK, 1.0),
}


class LocalFormatter(ScalarFormatter):
    """matplotlib's tick numbers with the decimal sign of the language the figure was built
    in ("1.3" / "1,3"), whatever language is current when it is drawn."""

    def __init__(self) -> None:
        super().__init__(useOffset=False)
        self.decimal = get_decimal_symbol(i18n.locale())

    def __call__(self, x: float, pos: int | None = None) -> str:
        return str(super().__call__(x, pos)).replace(".", self.decimal)


def _png(figure: Figure) -> bytes:
    FigureCanvasAgg(figure)
    buffer = io.BytesIO()
    # No metadata: the same data gives the same bytes.
    figure.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return buffer.getvalue()


def empty_figure(message: str | None = None, hint: str | None = None) -> Figure:
    """A figure that only says there is nothing to show yet."""
    figure = Figure(figsize=SIZE_INCHES, dpi=DPI)
    figure.text(
        0.5,
        0.56,
        message or CHART_TEXTS["no_checkins_yet"],
        ha="center",
        va="center",
        fontsize=FONT_TITLE,
        fontweight="bold",
        color=BLACK,
    )
    hint = CHART_TEXTS["no_checkins_yet_hint"] if hint is None else hint
    if hint:
        figure.text(
            0.5,
            0.44,
            textwrap.fill(hint, width=34),
            ha="center",
            va="center",
            fontsize=FONT_SMALL,
            color="#444444",
            linespacing=1.4,
        )
    return figure


def empty_chart(message: str | None = None, hint: str | None = None) -> bytes:
    """A PNG that only says there is nothing to show yet."""
    return _png(empty_figure(message, hint))


def _ticks(days: list[date]) -> tuple[list[int], list[str], list[int]]:
    """(labelled positions, labels, every day's position).

    A week gets every day ("Mon" over "23"); a month gets its Mondays ("23 Mar"), about
    four labels that fit side by side at phone size, with a small tick for every day.
    """
    every_day = list(range(len(days)))
    if len(days) <= 10:
        return every_day, [f"{weekday_short(day)}\n{day.day}" for day in days], every_day
    positions = [i for i, day in enumerate(days) if day.weekday() == 0]
    if len(positions) > 5:
        positions = positions[::2]
    return positions, [short_date(days[i]) for i in positions], every_day


def _legend(
    axes: Axes, handles: Sequence[Artist], columns: int = 2, labels: Sequence[str] | None = None
) -> None:
    """Above the plot, right of the panel title, so it never hides a bar."""
    axes.legend(
        handles=list(handles),
        **({} if labels is None else {"labels": list(labels)}),
        loc="lower right",
        bbox_to_anchor=(1.0, 1.0),
        ncol=columns,
        **_LEGEND_LOOK,
        borderaxespad=0.1,
        columnspacing=1.0,
        handletextpad=0.5,
    )


class PanelLayout(ConstrainedLayoutEngine):
    """matplotlib's constrained layout, which then gives each crowded panel legend fewer
    columns (`fit_legends`) and lays the figure out again for their rows: this costs
    nothing more while every legend fits beside its title."""

    def execute(self, fig: Figure) -> None:
        super().execute(fig)
        if fit_legends(fig):
            super().execute(fig)


def _panels_figure(title: str) -> Figure:
    """A chart-sized figure for panels stacked under `title`."""
    figure = Figure(figsize=SIZE_INCHES, dpi=DPI, layout=PanelLayout(h_pad=0.06, hspace=0.04))
    figure.suptitle(title, fontsize=FONT_TITLE, fontweight="bold")
    return figure


def fit_legends(figure: Figure) -> bool:
    """A panel's legend sits right of the panel's title, on its line. Where their words are
    too long for one line (a longer language, a longer unit), the legend takes fewer
    columns, and so more rows, until it clears the title. Whether any legend changed."""
    changed = False
    for axes, legend in _crowded(figure):
        handles = [handle for handle in legend.legend_handles if handle is not None]
        labels = [text.get_text() for text in legend.get_texts()]
        columns = int(getattr(legend, "_ncols", len(labels)))
        while columns > 1 and _title_end(axes) > legend.get_window_extent().x0:
            columns -= 1
            _legend(axes, handles, columns, labels)
            legend = axes.get_legend() or legend
            changed = True
    return changed


def _crowded(figure: Figure) -> list[tuple[Axes, Legend]]:
    """The panels whose legend runs into their title."""
    return [
        (axes, legend)
        for axes in figure.axes
        if (legend := axes.get_legend()) is not None
        and _title_end(axes) > legend.get_window_extent().x0
    ]


def _title_end(axes: Axes) -> float:
    """Where a panel's title ends, with the gap it keeps (pixels); its start with none."""
    title = axes.get_title(loc="left")
    if not title:
        return float(axes.get_window_extent().x0)
    words = Text(0, 0, title, fontsize=FONT_PANEL, fontweight="bold", figure=axes.figure)
    return float(axes.get_window_extent().x0 + words.get_window_extent().width + _TITLE_GAP_PX)


def _style(axes: Axes, title: str, count: int) -> None:
    axes.set_title(title, loc="left", fontsize=FONT_PANEL, fontweight="bold", pad=8)
    axes.set_xlim(-0.6, count - 0.4)
    axes.spines["top"].set_visible(False)
    axes.spines["right"].set_visible(False)
    axes.tick_params(labelsize=FONT_SMALL, length=6, width=1.2)
    axes.tick_params(which="minor", length=3, width=1)
    axes.yaxis.set_major_locator(MaxNLocator(nbins=3, integer=True, min_n_ticks=2))
    axes.yaxis.set_major_formatter(LocalFormatter())
    axes.grid(axis="y", alpha=0.3)
    axes.set_axisbelow(True)


def _missing(axes: Axes, positions: Iterable[int]) -> None:
    """A grey hatched column for every day without a value: missing, not zero."""
    for i in positions:
        axes.axvspan(
            i - _BAR_WIDTH / 2,
            i + _BAR_WIDTH / 2,
            facecolor="none",
            edgecolor=_MISSING,
            hatch=_MISSING_HATCH,
            linewidth=0,
            zorder=0,
        )


def _missing_handle(label: str) -> Patch:
    """The legend's entry for the columns `_missing` draws."""
    return Patch(
        facecolor="none", hatch=_MISSING_HATCH, edgecolor=_MISSING, linewidth=0, label=label
    )


def _target_and_average(
    axes: Axes, target: float | None, average: float | None, unit: str, whole: bool
) -> list[Artist]:
    handles: list[Artist] = []

    def shown(value: float) -> str:
        return i18n.number(value, 0 if whole else 1)

    lines = (
        ("target", target, _TARGET, "--", 2.5),
        ("average", average, _AVERAGE, ":", 3.5),
    )
    for key, value, color, style, width in lines:
        if value is not None:
            handles.append(
                axes.axhline(
                    value,
                    color=color,
                    linestyle=style,
                    linewidth=width,
                    label=CHART_TEXTS[key].format(value=shown(value), unit=UNITS[unit]),
                    zorder=3,
                )
            )
    return handles


def _bars_against_target(
    axes: Axes,
    values: list[float | None],
    target: float | None,
    average: float | None,
    unit: str,
    used: set[str],
    *,
    floor: float,
    whole: bool = False,
) -> None:
    """Bars for the days with a value (hatched orange under the target, blue at it or
    above, hollow without a target), a missing column for the others, the target and the
    average as lines. Adds the kinds of bar drawn to `used`, for the legend."""
    points = [(i, value) for i, value in enumerate(values) if value is not None]
    groups: dict[str, list[tuple[int, float]]] = {"on_target": [], "under_target": []}
    if target is None:
        groups = {"no_target": points}
    else:
        for i, value in points:
            groups["under_target" if _under(value, target, whole) else "on_target"].append(
                (i, value)
            )
    for key, group in groups.items():
        if group:
            axes.bar(
                [i for i, _ in group],
                [v for _, v in group],
                width=_BAR_WIDTH,
                zorder=2,
                **_BAR_STYLES[key],
            )
            used.add(key)
    missing = [i for i, value in enumerate(values) if value is None]
    if missing:
        _missing(axes, missing)
        used.add("missing")
    highest = max([v for _, v in points] + [target or 0.0], default=0.0)
    axes.set_ylim(0, max(floor, highest * 1.15))
    _legend(axes, _target_and_average(axes, target, average, unit, whole))


def _under(value: float, target: float, whole: bool) -> bool:
    # Protein in whole grams, as the summary and the check-in reply count it.
    return round(value) < round(target) if whole else value < target


def _sleep_panel(
    axes: Axes, checkins: list[CheckinDay | None], summary: Summary, used: set[str]
) -> None:
    hours = [c.sleep_hours if c else None for c in checkins]
    target = summary.sleep_target_h
    _bars_against_target(
        axes, hours, target, summary.sleep_average_h, "h", used, floor=target + 1.5
    )


def _protein_panel(
    axes: Axes, checkins: list[CheckinDay | None], summary: Summary, used: set[str]
) -> None:
    grams = [c.protein_g if c else None for c in checkins]
    target, average = summary.protein_target_g, summary.protein_average_g
    _bars_against_target(axes, grams, target, average, "g", used, floor=50.0, whole=True)


def _cardio_kind(checkin: CheckinDay) -> str:
    return checkin.cardio_kind if checkin.cardio_kind in ("steady", "intervals") else "other"


def _cardio_panel(axes: Axes, checkins: list[CheckinDay | None], used: set[str]) -> None:
    """Minutes a day by kind; an answered 0 is no bar on a clear day, a day not answered
    is a missing column."""
    kinds = (
        ("steady", _STEADY, _STEADY_HATCH),
        ("intervals", _INTERVALS, _INTERVALS_HATCH),
        ("other", _OTHER, _OTHER_HATCH),
    )
    handles: list[Artist] = []
    for kind, color, hatch in kinds:
        points = [
            (i, c.cardio_minutes)
            for i, c in enumerate(checkins)
            if c and c.cardio_minutes and _cardio_kind(c) == kind
        ]
        if points:
            axes.bar(
                [i for i, _ in points],
                [minutes for _, minutes in points],
                width=_BAR_WIDTH,
                color=color,
                hatch=hatch,
                edgecolor=BLACK if hatch else color,
                linewidth=0,
                zorder=2,
            )
            handles.append(
                Patch(
                    facecolor=color,
                    hatch=hatch,
                    edgecolor=BLACK if hatch else color,
                    linewidth=0,
                    label=CHART_TEXTS[f"cardio_{kind}"],
                )
            )
    missing = [i for i, c in enumerate(checkins) if c is None or c.cardio_minutes is None]
    if missing:
        _missing(axes, missing)
        used.add("missing")
    highest = max([c.cardio_minutes or 0 for c in checkins if c], default=0)
    axes.set_ylim(0, max(30, highest * 1.15))
    if handles:
        _legend(axes, handles, columns=len(handles))


def _legs_panel(
    axes: Axes,
    days: list[date],
    marks: Mapping[date, str],
    planned: set[date],
    plan_start: date | None,
) -> list[Artist]:
    """One mark a day: done, skipped, rest, or a planned day left unmarked (only days
    planned once the plan existed). Returns the legend entries, drawn under the chart."""
    handles: list[Artist] = []
    # As wide as fits between neighbours: a month's marks stay apart.
    diameter = min(_MARKER_PT, 0.8 * _PLOT_WIDTH_PT / len(days))
    unmarked = [i for i, day in enumerate(days) if day in planned and day not in marks]
    shapes = (
        (CHART_TEXTS["leg_done"], _LEG_SHAPES["done"], _marked(days, marks, "done")),
        (CHART_TEXTS["leg_skipped"], _LEG_SHAPES["skipped"], _marked(days, marks, "skipped")),
        (CHART_TEXTS["leg_rest"], _LEG_SHAPES["rest"], _marked(days, marks, "rest")),
        (CHART_TEXTS["leg_planned"], _LEG_SHAPES["planned"], unmarked),
    )
    for label, (marker, face, edge, scale), positions in shapes:
        if positions:
            axes.scatter(
                positions,
                [0] * len(positions),
                marker=marker,
                s=(diameter * scale) ** 2,
                facecolors=face,
                edgecolors=edge,
                linewidths=2,
                zorder=3,
            )
            handles.append(_marker_handle(marker, face, edge, label))
    if plan_start is not None and days[0] < plan_start <= days[-1]:
        x = days.index(plan_start) - 0.5
        axes.axvline(x, color=_PLAN_START, linestyle="-.", linewidth=2, zorder=1)
        handles.append(
            Line2D(
                [],
                [],
                color=_PLAN_START,
                linestyle="-.",
                linewidth=2,
                label=CHART_TEXTS["plan_start"].format(day=short_date(plan_start)),
            )
        )
    axes.set_ylim(-1, 1)
    axes.set_yticks([])
    axes.spines["left"].set_visible(False)
    return handles


def _marked(days: list[date], marks: Mapping[date, str], mark: str) -> list[int]:
    return [i for i, day in enumerate(days) if marks.get(day) == mark]


def _marker_handle(marker: str, face: str, edge: str, label: str) -> Line2D:
    return Line2D(
        [],
        [],
        linestyle="none",
        marker=marker,
        markersize=14 if marker != "s" else 10,
        markerfacecolor=face,
        markeredgecolor=edge,
        markeredgewidth=2,
        label=label,
    )


class PlanMarks(TypedDict, total=False):
    """The leg-day arguments of `progress_figure`, which `progress_chart` passes on."""

    planned_weekdays: Iterable[int]
    plan_start: date | None
    reminder_marks: Mapping[date, str] | None


def progress_chart(
    checkins: Sequence[CheckinDay],
    start: date,
    end: date,
    protein_target_g: float | None,
    sleep_target_h: float = 8.0,
    **marks: Unpack[PlanMarks],
) -> bytes:
    """Four panels over the days from `start` to `end` (the last being today): sleep and
    protein against their target and average lines, cardio minutes by kind and leg days.

    Without any check-in the image says "No check-ins yet"; with check-ins, but none in
    the window, it says so instead. `planned_weekdays` (0 = Monday) and `plan_start` (the
    day the plan was made) add open circles for planned leg days left unmarked;
    `reminder_marks` are the leg days answered with a reminder's Done or Skip button.
    """
    if end < start:
        raise ValueError(f"chart window ends ({end}) before it starts ({start})")
    if not checkins:
        return empty_chart()
    if not any(start <= checkin.day <= end for checkin in checkins):
        return empty_chart(CHART_TEXTS["no_checkins_in_period"], hint="")
    png = _png(progress_figure(checkins, start, end, protein_target_g, sleep_target_h, **marks))
    logger.debug("progress chart for %s..%s: %d bytes", start, end, len(png))
    return png


def progress_figure(
    checkins: Sequence[CheckinDay],
    start: date,
    end: date,
    protein_target_g: float | None,
    sleep_target_h: float = 8.0,
    planned_weekdays: Iterable[int] = (),
    plan_start: date | None = None,
    reminder_marks: Mapping[date, str] | None = None,
) -> Figure:
    """The four panels of `progress_chart` as a figure (sleep, protein, cardio, leg days)
    and the legend of the bars and marks under them.

    One x position per day; a day without a value has a missing column, not a bar.
    """
    weekdays = tuple(planned_weekdays)
    summary = summarize(
        checkins,
        start,
        end,
        weekdays,
        protein_target_g,
        sleep_target_h,
        plan_start=plan_start,
        reminder_marks=reminder_marks,
    )
    by_day = {checkin.day: checkin for checkin in checkins}
    days = [start + timedelta(days=offset) for offset in range((end - start).days + 1)]
    in_window: list[CheckinDay | None] = [by_day.get(day) for day in days]
    marks = leg_day_marks(checkins, start, end, reminder_marks)
    planned = set(
        planned_leg_days(start, end, weekdays, today=end, plan_start=plan_start, marked=marks)
    )

    figure = _panels_figure(
        CHART_TEXTS["title"].format(start=short_date(start), end=short_date(end))
    )
    sleep_axes, protein_axes, cardio_axes, legs_axes = figure.subplots(
        4, 1, sharex=True, height_ratios=[3, 3, 3, 1.1]
    )
    used: set[str] = set()
    _sleep_panel(sleep_axes, in_window, summary, used)
    _protein_panel(protein_axes, in_window, summary, used)
    _cardio_panel(cardio_axes, in_window, used)
    leg_handles = _legs_panel(legs_axes, days, marks, planned, plan_start)
    for axes, title in (
        (sleep_axes, CHART_TEXTS["sleep"]),
        (protein_axes, CHART_TEXTS["protein"]),
        (cardio_axes, CHART_TEXTS["cardio"]),
        (legs_axes, CHART_TEXTS["legs"]),
    ):
        _style(axes, title, len(days))
    legs_axes.set_yticks([])
    legs_axes.grid(False)
    positions, labels, every_day = _ticks(days)
    legs_axes.set_xticks(positions, labels)
    legs_axes.xaxis.set_minor_locator(FixedLocator(every_day))

    figure.legend(
        handles=_two_columns(_bar_handles(used), leg_handles),
        loc="outside lower center",
        ncol=2,
        **_LEGEND_LOOK,
        columnspacing=1.5,
        handletextpad=0.5,
    )
    return figure


def _bar_handles(used: set[str]) -> list[Artist]:
    """What the bars and columns drawn mean: on target, under target, no target, missing."""
    handles: list[Artist] = []
    for key in ("on_target", "under_target", "no_target"):
        if key in used:
            handles.append(Patch(label=CHART_TEXTS[key], **_BAR_STYLES[key]))
    if "missing" in used:
        handles.append(_missing_handle(CHART_TEXTS["missing"]))
    return handles


def _two_columns(left: list[Artist], right: list[Artist]) -> list[Artist]:
    """Handles for a two-column legend (filled column by column): the bars on the left,
    the leg-day marks on the right, the shorter column padded with blank entries."""
    rows = max(len(left), len(right))

    def blank() -> Artist:
        return Line2D([], [], linestyle="none", label=" ")

    return [
        *left,
        *(blank() for _ in range(rows - len(left))),
        *right,
        *(blank() for _ in range(rows - len(right))),
    ]


# ---- legs catching up ----------------------------------------------------------------------

_BALANCED_BAND = SKY_BLUE
# Each line by its name among the chart's words: (colour, marker, line style).
_LINE_STYLES = {
    "squat": (BLUE, "o", "-"),
    "bench": (ORANGE, "s", "--"),
    "ratio_line": (REDDISH_PURPLE, "D", "-"),
    "thigh": (BLUE, "o", "-"),
    "calf": (BLUISH_GREEN, "^", "-"),
    "arm": (VERMILLION, "s", "--"),
}
_LINE_WIDTH = 3.0
_MARKER_SIZE = 10.0


def _series(values: Sequence[float | None]) -> list[float]:
    """NaN where a week has no value: the line breaks there instead of bridging the gap."""
    return [math.nan if value is None else value for value in values]


def _week_ticks(weeks: Sequence[Week]) -> tuple[list[int], list[str]]:
    """Every third week's end, counted back from the latest, so today's week is labelled."""
    last = len(weeks) - 1
    positions = sorted(range(last, -1, -3))
    return positions, [short_date(weeks[i].end) for i in positions]


def _line(axes: Axes, positions: Sequence[int], values: Sequence[float], name: str) -> Line2D:
    """The line `name` (see _LINE_STYLES) through `values` at `positions` (weeks); a NaN
    value breaks it."""
    color, marker, linestyle = _LINE_STYLES[name]
    [line] = axes.plot(
        positions,
        values,
        color=color,
        marker=marker,
        markersize=_MARKER_SIZE,
        linestyle=linestyle,
        linewidth=_LINE_WIDTH,
        label=LAG_TEXTS[name],
        zorder=3,
    )
    return line


def _value_limits(
    values: Iterable[float], low: float, high: float, pad: float
) -> tuple[float, float]:
    shown = [v for v in values if not math.isnan(v)]
    return min([*shown, low]) - pad, max([*shown, high]) + pad


def catching_up_figure(weeks: Sequence[Week], weight_unit: str = "kg") -> Figure:
    """The catching-up panels as a figure: estimated squat and bench 1RM, the squat ÷ bench
    ratio against the balanced line and range, and the tape when it was measured. One x
    position a week; a week without a squat is a missing column and a gap in the lines."""
    unit = weight_unit if weight_unit in ("kg", "lb") else "kg"
    tape_unit = lifts.tape_unit(unit)
    taped = any(w.thigh_cm or w.calf_cm or w.arm_cm for w in weeks)
    figure = _panels_figure(
        LAG_TEXTS["title"].format(start=short_date(weeks[0].start), end=short_date(weeks[-1].end))
    )
    panels = 3 if taped else 2
    all_axes = figure.subplots(panels, 1, sharex=True, height_ratios=[3, 3, 2.4][:panels])
    lifts_axes, ratio_axes = all_axes[0], all_axes[1]

    def weight(kg: float | None) -> float | None:
        return None if kg is None else lifts.in_unit(kg, unit)

    every_week = range(len(weeks))
    squat = [weight(w.squat_1rm_kg) for w in weeks]
    bench = [weight(w.bench_1rm_kg) for w in weeks]
    handles: list[Artist] = [
        _line(lifts_axes, every_week, _series(squat), "squat"),
        _line(lifts_axes, every_week, _series(bench), "bench"),
    ]
    missing = [i for i, value in enumerate(squat) if value is None]
    if missing:
        _missing(lifts_axes, missing)
    low, high = _value_limits(_series([*squat, *bench]), math.inf, -math.inf, 0.0)
    span = max(high - low, 20.0)
    lifts_axes.set_ylim(max(0.0, low - 0.15 * span), high + 0.15 * span)
    _legend(lifts_axes, handles)

    ratios = _series([w.ratio for w in weeks])
    band_low, band_high = BALANCED_RANGE
    band = ratio_axes.axhspan(
        band_low,
        band_high,
        facecolor=_BALANCED_BAND,
        alpha=0.3,
        linewidth=0,
        zorder=1,
        label=LAG_TEXTS["balanced_range"].format(
            low=i18n.number(band_low, 2), high=i18n.number(band_high, 2)
        ),
    )
    balanced = ratio_axes.axhline(
        BALANCED_RATIO,
        color=BLACK,
        linestyle="--",
        linewidth=2.5,
        label=LAG_TEXTS["balanced"].format(value=i18n.number(BALANCED_RATIO, 2)),
        zorder=2,
    )
    ratio_line = _line(ratio_axes, every_week, ratios, "ratio_line")
    ratio_axes.set_ylim(*_value_limits(ratios, band_low - 0.05, band_high + 0.05, 0.05))
    _legend(ratio_axes, [ratio_line, balanced, band])

    titled = [
        (lifts_axes, LAG_TEXTS["lifts"].format(unit=UNITS[unit])),
        (ratio_axes, LAG_TEXTS["ratio"]),
    ]
    if taped:
        tape_axes = all_axes[2]
        tape_handles: list[Artist] = []
        for site in ("thigh", "calf", "arm"):
            values = [getattr(w, f"{site}_cm") for w in weeks]
            measured = [(i, v) for i, v in enumerate(values) if v is not None]
            if measured:
                # The tape is due every four weeks: its points are joined across the weeks
                # between, which are not missing.
                tape_handles.append(
                    _line(
                        tape_axes,
                        [i for i, _ in measured],
                        [v / lifts.CM_PER_INCH if tape_unit == "in" else v for _, v in measured],
                        site,
                    )
                )
        tape_axes.margins(y=0.25)
        _legend(tape_axes, tape_handles, columns=len(tape_handles))
        titled.append((tape_axes, LAG_TEXTS["tape"].format(unit=UNITS[tape_unit])))
    for axes, title in titled:
        _style(axes, title, len(weeks))
        axes.yaxis.set_major_locator(MaxNLocator(nbins=4, min_n_ticks=2))
        axes.yaxis.set_major_formatter(LocalFormatter())
    bottom = titled[-1][0]
    positions, labels = _week_ticks(weeks)
    bottom.set_xticks(positions, labels)
    bottom.xaxis.set_minor_locator(FixedLocator(list(range(len(weeks)))))
    if missing:
        figure.legend(
            handles=[_missing_handle(LAG_TEXTS["missing"])],
            loc="outside lower center",
            **_LEGEND_LOOK,
        )
    return figure


def catching_up_chart(weeks: Sequence[Week], weight_unit: str = "kg") -> bytes:
    """The catching-up chart as a PNG, the same size and rules as the progress chart. Without
    a squat in any week it only says how to get one."""
    if not weeks or all(w.squat_1rm_kg is None for w in weeks):
        return empty_chart(LAG_TEXTS["empty"], LAG_TEXTS["empty_hint"])
    png = _png(catching_up_figure(weeks, weight_unit))
    logger.debug("catching-up chart of %d weeks: %d bytes", len(weeks), len(png))
    return png
