import asyncio
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
from matplotlib.patches import Rectangle

from bot.chart import empty_chart, progress_chart, progress_figure
from bot.chart_pool import ChartRenderer, ChartRequest, RenderCounts
from flows.progress import CheckinDay

ROOT = Path(__file__).resolve().parents[2]

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
    assert png_size(png) == (1000, 1000)
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
