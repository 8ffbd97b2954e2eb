import asyncio
import io
import json
import os
import signal
import struct
import subprocess
import sys
import textwrap
import time
import zlib
from concurrent.futures import Executor
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pytest
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import PathCollection
from matplotlib.colors import to_hex, to_rgba
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle
from matplotlib.text import Text

from bot.chart import (
    DPI,
    FONT_PANEL,
    FONT_SMALL,
    FONT_TITLE,
    HEIGHT_PX,
    PALETTE,
    WIDTH_PX,
    empty_chart,
    empty_figure,
    min_font_pt,
    progress_chart,
    progress_figure,
)
from bot.chart_pool import ChartRenderer, ChartRequest, RenderCounts
from flows.progress import CheckinDay, summarize

ROOT = Path(__file__).resolve().parents[2]

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
MONDAY = date(2026, 3, 23)
SUNDAY = MONDAY + timedelta(days=6)
MISSING_HATCH = "\\\\"  # the hatch of a day without a value


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
    # Portrait, about the 4:5 a phone shows whole in a chat, sharp at a phone's width.
    assert (width, height) == (WIDTH_PX, HEIGHT_PX)
    assert 1.2 <= height / width <= 1.4
    assert len(png) < 1_000_000


def week() -> list[CheckinDay]:
    return [
        CheckinDay(MONDAY, 7.5, 150, None, "moderate", 30, "steady", "done"),
        CheckinDay(MONDAY + timedelta(days=1), 6.0, 180, 200, None, 0, None, "rest"),
        CheckinDay(MONDAY + timedelta(days=3), 8.5, None, None, "low", 20, "intervals", "skipped"),
        CheckinDay(MONDAY + timedelta(days=4), 8.0, 190, 300, None, 60, "steady", "done"),
        CheckinDay(SUNDAY, None, 120, None, None, None, None, None),
    ]


def month_with_gaps() -> tuple[list[CheckinDay], date, date]:
    """30 days; no check-in on every fourth day, some answers left out on others."""
    first = date(2026, 3, 1)
    checkins = [
        CheckinDay(
            first + timedelta(days=n),
            sleep_hours=None if n % 5 == 2 else 6 + n % 4,
            protein_g=None if n % 7 == 3 else 140 + 3 * n,
            cardio_minutes=None if n % 6 == 1 else 25 * (n % 3),
            cardio_kind=("steady", "intervals", None)[n % 3],
            leg_day=("done", None, "skipped", "rest", None)[n % 5],
        )
        for n in range(30)
        if n % 4 != 3
    ]
    return checkins, first, first + timedelta(days=29)


def test_a_week_of_check_ins_makes_a_portrait_png() -> None:
    png = progress_chart(week(), MONDAY, SUNDAY, protein_target_g=176, planned_weekdays=[0, 3])
    assert_phone_friendly_png(png)


def test_a_month_with_gaps_and_a_plan_made_midway_makes_a_portrait_png() -> None:
    checkins, first, last = month_with_gaps()
    png = progress_chart(
        checkins, first, last, 176.0, planned_weekdays=[1, 4], plan_start=first + timedelta(12)
    )
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


def shown_texts(figure: Figure) -> list[Text]:
    """Every piece of text drawn: titles, tick labels, legend entries."""
    FigureCanvasAgg(figure)
    figure.savefig(io.BytesIO(), format="png", dpi=DPI)  # lays out and draws every label
    return [
        text
        for text in figure.findobj(Text)
        if isinstance(text, Text) and text.get_visible() and text.get_text().strip()
    ]


def figures() -> list[tuple[str, Figure]]:
    checkins, first, last = month_with_gaps()
    return [
        ("week", progress_figure(week(), MONDAY, SUNDAY, 176.0, planned_weekdays=[0, 3])),
        ("month", progress_figure(checkins, first, last, None, planned_weekdays=[1, 4])),
        ("empty", empty_figure()),
    ]


@pytest.mark.parametrize(("name", "figure"), figures())
def test_every_label_is_at_least_12_px_on_a_phone(name: str, figure: Figure) -> None:
    # Shown 390 px wide, the image is scaled by 390 / its width; a font of f points is
    # f * dpi / 72 px in the image. Worked out from the figure, not from the module.
    width_px = figure.get_figwidth() * figure.dpi
    smallest_pt = 12 * (width_px / 390) * 72 / figure.dpi
    assert smallest_pt == pytest.approx(min_font_pt())
    assert figure.dpi == DPI  # the PNG is saved at the figure's own dpi
    assert width_px == WIDTH_PX
    texts = shown_texts(figure)
    assert len(texts) >= (2 if name == "empty" else 20)
    for text in texts:
        size = float(text.get_fontsize())
        assert size >= smallest_pt, (text.get_text(), size)
    assert min(FONT_SMALL, FONT_PANEL, FONT_TITLE) >= smallest_pt


def bars(axes: Axes) -> list[tuple[int, float]]:
    """(day index, height) of every bar in a panel (not the missing-day columns)."""
    return sorted(
        (round(patch.get_x() + patch.get_width() / 2), patch.get_height())
        for patch in axes.patches
        if isinstance(patch, Rectangle) and patch.get_hatch() != MISSING_HATCH
    )


def missing_columns(axes: Axes) -> list[int]:
    """Day index of every column drawn for a day without a value."""
    return sorted(
        round(patch.get_x() + patch.get_width() / 2)
        for patch in axes.patches
        if isinstance(patch, Rectangle) and patch.get_hatch() == MISSING_HATCH
    )


def line_heights(axes: Axes) -> list[float]:
    return [float(np.asarray(line.get_ydata(), dtype=float)[0]) for line in axes.lines]


def test_missing_values_are_missing_columns_not_zero_bars() -> None:
    figure = progress_figure(week(), MONDAY, SUNDAY, protein_target_g=176)
    sleep_axes, protein_axes, cardio_axes, _ = figure.axes
    # Four nights reported in the week: four bars, at the reported days only; the other
    # days (no check-in on Wednesday and Saturday, no sleep given on Sunday) are missing.
    assert bars(sleep_axes) == [(0, 7.5), (1, 6.0), (3, 8.5), (4, 8.0)]
    assert missing_columns(sleep_axes) == [2, 5, 6]
    assert [day for day, _ in bars(protein_axes)] == [0, 1, 4, 6]
    assert missing_columns(protein_axes) == [2, 3, 5]
    # Tuesday's cardio was answered 0: no bar, and not missing either.
    assert [height for _, height in bars(cardio_axes)] == [30, 20, 60]
    assert missing_columns(cardio_axes) == [2, 5, 6]
    legend = cardio_axes.get_legend()
    assert legend is not None
    assert [text.get_text() for text in legend.get_texts()] == ["steady", "intervals"]


def test_target_and_average_lines_are_the_summarys() -> None:
    checkins = week()
    figure = progress_figure(checkins, MONDAY, SUNDAY, protein_target_g=176)
    sleep_axes, protein_axes, _, _ = figure.axes
    sleep = [c.sleep_hours for c in checkins if c.sleep_hours is not None]
    protein = [c.protein_g for c in checkins if c.protein_g is not None]
    assert line_heights(sleep_axes) == [8.0, pytest.approx(sum(sleep) / len(sleep))]
    assert line_heights(protein_axes) == [176.0, pytest.approx(sum(protein) / len(protein))]
    summary = summarize(checkins, MONDAY, SUNDAY, [], 176)
    assert line_heights(sleep_axes)[1] == pytest.approx(summary.sleep_average_h)


def open_circles(axes: Axes) -> list[int]:
    """Day index of the planned leg days drawn as left unmarked (hollow markers)."""
    found: list[int] = []
    for collection in axes.collections:
        if not isinstance(collection, PathCollection):
            continue
        faces = np.asarray(collection.get_facecolor(), dtype=float)
        if len(faces) and tuple(faces[0]) == (1.0, 1.0, 1.0, 1.0):
            offsets = np.asarray(collection.get_offsets(), dtype=float)
            found += [round(float(x)) for x in offsets[:, 0]]
    return sorted(found)


def test_planned_but_unmarked_only_from_the_plans_start() -> None:
    # Every Monday and Thursday of a month is planned, none is marked; the plan was made
    # on the 12th, so only the planned days from then on may show as left unmarked.
    checkins = [CheckinDay(date(2026, 3, 1) + timedelta(days=n), 8.0) for n in range(30)]
    first, last, plan_start = date(2026, 3, 1), date(2026, 3, 30), date(2026, 3, 12)
    figure = progress_figure(
        checkins, first, last, None, planned_weekdays=[0, 3], plan_start=plan_start
    )
    legs_axes = figure.axes[3]
    expected = [
        (day - first).days
        for day in (first + timedelta(days=n) for n in range(30))
        if day.weekday() in (0, 3) and plan_start <= day < last
    ]
    assert open_circles(legs_axes) == expected
    # Without the plan's start every planned day of the window counts.
    whole = progress_figure(checkins, first, last, None, planned_weekdays=[0, 3])
    assert len(open_circles(whole.axes[3])) > len(expected)


def test_a_reminders_done_button_is_a_done_leg_day() -> None:
    checkins = [CheckinDay(day, 8.0) for day in (MONDAY + timedelta(days=n) for n in range(7))]
    figure = progress_figure(
        checkins, MONDAY, SUNDAY, None, planned_weekdays=[0, 3], reminder_marks={MONDAY: "done"}
    )
    # Monday was done with the reminder's button; Thursday was left unmarked.
    assert open_circles(figure.axes[3]) == [3]


def legends_of(figure: Figure) -> list[Legend]:
    axes_legends = [axes.get_legend() for axes in figure.axes]
    return [*figure.legends, *(legend for legend in axes_legends if legend is not None)]


def legend_entries(legend: Legend) -> list[tuple[str, tuple[object, ...]]]:
    """(label, what tells the entry apart without colour) for every entry of a legend."""
    entries = []
    for handle, text in zip(legend.legend_handles, legend.get_texts(), strict=True):
        label = text.get_text()
        if not label.strip():
            continue  # a blank that keeps the legend's columns apart
        if isinstance(handle, Patch):
            face = to_rgba(handle.get_facecolor())
            filled = face[3] > 0 and tuple(face[:3]) != (1.0, 1.0, 1.0)
            shape: tuple[object, ...] = ("patch", handle.get_hatch() or "", filled)
        else:
            assert isinstance(handle, Line2D)
            shape = (
                "line",
                str(handle.get_marker()),
                str(handle.get_markerfacecolor()) == "white",
                str(handle.get_linestyle()),
            )
        entries.append((label, shape))
    return entries


@pytest.mark.parametrize("protein_target_g", [176.0, None])
def test_nothing_relies_on_colour_alone_and_colours_are_colour_blind_safe(
    protein_target_g: float | None,
) -> None:
    checkins, first, last = month_with_gaps()
    figure = progress_figure(
        checkins,
        first,
        last,
        protein_target_g,
        planned_weekdays=[1, 4],
        plan_start=first + timedelta(days=12),
    )
    (under_the_chart,) = figure.legends
    labels = [label for label, _ in legend_entries(under_the_chart)]
    assert "not reported" in labels and "planned, not marked" in labels
    # Within each legend every entry differs in shape, hatch, fill or line style.
    for legend in legends_of(figure):
        shapes = [shape for _, shape in legend_entries(legend)]
        assert len(shapes) == len(set(shapes)), shapes
    # Colours come from the Okabe-Ito palette, or are greys, white and none.
    for axes in figure.axes:
        for patch in axes.patches:
            for colour in (patch.get_facecolor(), patch.get_edgecolor()):
                assert _safe(to_rgba(colour)), colour
        for line in axes.lines:
            assert _safe(to_rgba(line.get_color())), line.get_color()


def _safe(colour: tuple[float, float, float, float]) -> bool:
    red, green, blue, alpha = colour
    grey = red == green == blue
    return alpha == 0 or grey or to_hex((red, green, blue)).upper() in PALETTE


def test_the_same_data_gives_the_same_image() -> None:
    assert progress_chart(week(), MONDAY, SUNDAY, 176) == progress_chart(
        week(), MONDAY, SUNDAY, 176
    )


def test_a_window_that_ends_before_it_starts_is_refused() -> None:
    with pytest.raises(ValueError):
        progress_chart(week(), SUNDAY, MONDAY, protein_target_g=176)


# --- charts drawn off the event loop (bot.chart_pool) -----------------------------------


def week_request() -> ChartRequest:
    return ChartRequest(tuple(week()), MONDAY, SUNDAY, 176.0, planned_weekdays=(0, 3))


def direct_png() -> bytes:
    return progress_chart(week(), MONDAY, SUNDAY, 176.0, planned_weekdays=[0, 3])


async def test_a_chart_comes_back_from_a_worker_process() -> None:
    renderer = ChartRenderer(1)
    try:
        png = await renderer.render(week_request())
        workers = renderer.worker_pids()
    finally:
        renderer.shutdown()
    assert_phone_friendly_png(png)
    assert png == direct_png()
    assert renderer.counts == RenderCounts(in_processes=1, pool_starts=1)
    assert len(workers) == 1 and workers[0] != os.getpid()


async def test_a_worker_keeps_matplotlib_out_of_the_bot_process(tmp_path: Path) -> None:
    script = tmp_path / "render.py"
    script.write_text(
        textwrap.dedent(
            """
            import asyncio, json, sys
            from datetime import date
            from bot.chart_pool import ChartRequest, default_renderer, render_chart
            from flows.progress import CheckinDay

            async def main():
                day = date(2026, 3, 23)
                png = await render_chart(ChartRequest((CheckinDay(day, 7.0),), day, day, None))
                renderer = default_renderer()
                print(json.dumps({
                    "signature": png[:8].hex(),
                    "matplotlib": "matplotlib" in sys.modules,
                    "workers": renderer.workers,
                    "in_processes": renderer.counts.in_processes,
                }))

            if __name__ == "__main__":
                asyncio.run(main())
            """
        )
    )
    environment = {**os.environ, "PYTHONPATH": str(ROOT), "CHART_WORKERS": "1"}
    result = subprocess.run(
        [sys.executable, str(script)],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    found = json.loads(result.stdout)
    assert found == {
        "signature": PNG_SIGNATURE.hex(),
        "matplotlib": False,
        "workers": 1,
        "in_processes": 1,
    }
    assert "Traceback" not in result.stderr


async def test_a_pool_that_cannot_start_leaves_charts_to_a_thread() -> None:
    def no_processes(workers: int) -> Executor:
        raise OSError("no process semaphores on this platform")

    renderer = ChartRenderer(1, pool_factory=no_processes)
    try:
        png = await renderer.render(week_request())
        again = await renderer.render(week_request(), urgent=False)
    finally:
        renderer.shutdown()
    assert png == again == direct_png()
    assert renderer.counts == RenderCounts(in_thread=2)
    assert not renderer.uses_processes


async def test_no_chart_workers_draws_in_a_thread() -> None:
    renderer = ChartRenderer(0)
    try:
        png = await renderer.render(week_request())
    finally:
        renderer.shutdown()
    assert_phone_friendly_png(png)
    assert renderer.counts == RenderCounts(in_thread=1)


async def test_a_killed_worker_costs_no_chart_and_a_new_pool_takes_over() -> None:
    renderer = ChartRenderer(1)
    try:
        await renderer.render(week_request())
        (worker,) = renderer.worker_pids()
        os.kill(worker, signal.SIGKILL)
        for _ in range(200):
            if worker not in renderer.worker_pids():
                break
            await asyncio.sleep(0.05)
        during = await renderer.render(week_request())
        assert renderer.counts.pool_breaks == 1
        assert renderer.counts.in_thread == 1
        after = await renderer.render(week_request())
        workers = renderer.worker_pids()
    finally:
        renderer.shutdown()
    assert during == after == direct_png()
    assert renderer.counts == RenderCounts(
        in_processes=2, in_thread=1, pool_starts=2, pool_breaks=1
    )
    assert renderer.uses_processes
    assert workers and worker not in workers


async def test_a_drawing_error_comes_back_and_the_pool_stays() -> None:
    renderer = ChartRenderer(1)
    backwards = ChartRequest(tuple(week()), SUNDAY, MONDAY, 176.0)
    try:
        with pytest.raises(ValueError, match="before it starts"):
            await renderer.render(backwards)
        png = await renderer.render(week_request())
    finally:
        renderer.shutdown()
    assert_phone_friendly_png(png)
    assert renderer.counts == RenderCounts(in_processes=1, pool_starts=1)


async def test_a_chart_someone_waits_for_goes_before_summary_charts() -> None:
    renderer = ChartRenderer(0)  # one chart at a time, as with one worker
    finished: list[str] = []

    async def draw(name: str, urgent: bool) -> None:
        await renderer.render(week_request(), urgent=urgent)
        finished.append(name)

    try:
        async with asyncio.TaskGroup() as group:
            for name in ("summary 1", "summary 2", "summary 3"):
                group.create_task(draw(name, urgent=False))
                await asyncio.sleep(0)
            group.create_task(draw("progress", urgent=True))
    finally:
        renderer.shutdown()
    # The first summary chart was being drawn already; the waiting ones give way.
    assert finished == ["summary 1", "progress", "summary 2", "summary 3"]


def _running(pid: int) -> bool:
    """Whether the process exists and is not a zombie waiting to be reaped."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def test_a_worker_ends_when_the_bot_is_killed(tmp_path: Path) -> None:
    script = tmp_path / "bot_like.py"
    script.write_text(
        textwrap.dedent(
            """
            import asyncio, time
            from datetime import date
            from bot.chart_pool import ChartRenderer, ChartRequest
            from flows.progress import CheckinDay

            async def main():
                renderer = ChartRenderer(1)
                day = date(2026, 3, 23)
                await renderer.render(ChartRequest((CheckinDay(day, 7.0),), day, day, None))
                print(renderer.worker_pids()[0], flush=True)
                time.sleep(120)

            if __name__ == "__main__":
                asyncio.run(main())
            """
        )
    )
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    bot = subprocess.Popen(
        [sys.executable, str(script)],
        cwd=tmp_path,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert bot.stdout is not None
        worker = int(bot.stdout.readline())
        assert _running(worker)
    finally:
        bot.kill()  # SIGKILL: no clean-up of any kind
        bot.wait(timeout=10)
    for _ in range(200):
        if not _running(worker):
            break
        time.sleep(0.05)
    assert not _running(worker)


async def test_a_chart_given_up_while_waiting_frees_its_place() -> None:
    renderer = ChartRenderer(0)
    try:
        drawing = asyncio.create_task(renderer.render(week_request(), urgent=False))
        await asyncio.sleep(0)
        waiting = asyncio.create_task(renderer.render(week_request(), urgent=False))
        await asyncio.sleep(0)
        waiting.cancel()  # as when the bot stops while summaries wait for their charts
        with pytest.raises(asyncio.CancelledError):
            await waiting
        first = await drawing
        after = await asyncio.wait_for(renderer.render(week_request()), timeout=60)
    finally:
        renderer.shutdown()
    assert first == after == direct_png()
    assert renderer.counts == RenderCounts(in_thread=2)
