"""Progress charts rendered off the event loop.

Drawing a chart costs about 400 ms of CPU (matplotlib), far too long to spend inside the
event loop that answers every user. `render_chart` hands a `ChartRequest` (plain data) to
a small pool of worker processes and awaits the PNG, so replies keep flowing while charts
are drawn. The pool is started on first use with `CHART_WORKERS` processes (default 1) and
shut down when the process exits.

matplotlib is imported only where a chart is drawn: in the workers (bot.chart), or, when
no process pool can be had (`CHART_WORKERS=0`, a platform without working process
semaphores, a pool that keeps breaking), in one thread of this process, which still keeps
the event loop free between the interpreter's thread switches.

Charts someone is waiting for (/progress) go before charts of weekly summaries: at most
one chart per worker is handed over at a time and, whenever a worker frees up, a waiting
urgent chart is handed over first.

A worker process has no user's language set: a request carries the language it was made in
(the current one, by default) and is drawn inside it.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import logging
import multiprocessing
import multiprocessing.connection
import os
import signal
import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import date

from flows import i18n
from flows.catching_up import Week
from flows.progress import CheckinDay

logger = logging.getLogger(__name__)

# A pool that broke this many times in a row is given up for threads.
MAX_POOL_BREAKS = 3
# Workers run at a lower priority than the bot itself: a reply never waits for a chart.
WORKER_NICENESS = 5
# What starting or using a process pool raises when the platform or the pool fails.
_POOL_ERRORS = (OSError, RuntimeError, NotImplementedError, ImportError, BrokenProcessPool)


@dataclass(frozen=True)
class ChartRequest:
    """Everything one progress chart shows; pickled to a worker process."""

    checkins: tuple[CheckinDay, ...]
    start: date
    end: date
    protein_target_g: float | None
    sleep_target_h: float = 8.0
    planned_weekdays: tuple[int, ...] = ()
    plan_start: date | None = None  # the local date the plan was made
    # Leg days answered with a reminder's Done or Skip button: (day, "done" | "skipped").
    reminder_marks: tuple[tuple[date, str], ...] = ()
    # The language of the chart's words: the user's, current where the request is made.
    language: str = field(default_factory=i18n.current)


def render_progress_chart(request: ChartRequest) -> bytes:
    """Draws the chart of `request` as a PNG; runs in a worker process (or the fallback
    thread). Top level, so a process pool can pickle it by name."""
    from bot.chart import progress_chart  # matplotlib: only where charts are drawn

    with i18n.use(request.language):
        return progress_chart(
            request.checkins,
            request.start,
            request.end,
            request.protein_target_g,
            request.sleep_target_h,
            planned_weekdays=request.planned_weekdays,
            plan_start=request.plan_start,
            reminder_marks=dict(request.reminder_marks),
        )


@dataclass(frozen=True)
class LagChartRequest:
    """The catching-up chart (bot.chart.catching_up_chart): its weeks, in the lifter's unit."""

    weeks: tuple[Week, ...]
    weight_unit: str = "kg"
    language: str = field(default_factory=i18n.current)  # as ChartRequest's


AnyChartRequest = ChartRequest | LagChartRequest


def render_lag_chart(request: LagChartRequest) -> bytes:
    """Draws the catching-up chart of `request` as a PNG, like `render_progress_chart`."""
    from bot.chart import catching_up_chart  # matplotlib: only where charts are drawn

    with i18n.use(request.language):
        return catching_up_chart(request.weeks, request.weight_unit)


def draw(request: AnyChartRequest) -> bytes:
    """The PNG of any chart request; top level, so a process pool can pickle it by name."""
    if isinstance(request, LagChartRequest):
        return render_lag_chart(request)
    return render_progress_chart(request)


def _exit_with_the_bot() -> None:
    """Ends this worker as soon as the bot process is gone, even killed with no clean-up:
    its task queue alone would keep an orphan waiting for ever."""
    parent = multiprocessing.parent_process()
    if parent is None or parent.sentinel is None:
        return
    multiprocessing.connection.wait([parent.sentinel])
    os._exit(0)


def _worker_started() -> None:
    """Initializer of each worker process."""
    # Ctrl-C in a terminal reaches the whole process group; the bot shuts the pool down.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_with_the_bot, name="bot-watch", daemon=True).start()
    with contextlib.suppress(OSError):  # not allowed here: the chart still gets drawn
        os.nice(WORKER_NICENESS)
    import bot.chart  # noqa: F401  matplotlib is imported once, before the first chart


def process_pool(workers: int) -> Executor:
    """A pool of fresh interpreters ("spawn"): nothing of the bot's threads, sockets or
    locks is copied into them, and only what charts need is imported there."""
    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_worker_started,
    )


@dataclass
class RenderCounts:
    in_processes: int = 0
    in_thread: int = 0
    pool_starts: int = 0
    pool_breaks: int = 0


@dataclass
class _Gate:
    """At most `slots` charts handed over at once; urgent waiters are let in first."""

    slots: int
    _urgent: deque[asyncio.Future[None]] = field(default_factory=deque)
    _background: deque[asyncio.Future[None]] = field(default_factory=deque)

    async def enter(self, urgent: bool) -> None:
        if self.slots > 0 and not self._urgent and not self._background:
            self.slots -= 1
            return
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        (self._urgent if urgent else self._background).append(waiter)
        try:
            await waiter
        except asyncio.CancelledError:
            if waiter.done() and not waiter.cancelled():
                self.leave()  # the slot was ours already: pass it on
            else:
                # Still waiting, unless `leave` has already passed over it.
                with contextlib.suppress(ValueError):
                    (self._urgent if urgent else self._background).remove(waiter)
            raise

    def leave(self) -> None:
        for waiting in (self._urgent, self._background):
            while waiting:
                waiter = waiting.popleft()
                if not waiter.done():
                    waiter.set_result(None)
                    return
        self.slots += 1


class ChartRenderer:
    """Renders charts in a process pool of `workers` processes, or in one thread when
    `workers` is 0 or no pool can be had. `pool_factory` makes the pool (process_pool)."""

    def __init__(
        self, workers: int, *, pool_factory: Callable[[int], Executor] = process_pool
    ) -> None:
        if workers < 0:
            raise ValueError(f"chart workers must be 0 or more, got {workers}")
        self.workers = workers
        self.counts = RenderCounts()
        self._pool_factory = pool_factory
        self._pool: Executor | None = None
        self._pool_given_up = workers == 0
        self._breaks_in_a_row = 0
        self._thread: ThreadPoolExecutor | None = None
        self._gate = _Gate(max(workers, 1))
        self._exit_hook = False

    @property
    def uses_processes(self) -> bool:
        """Whether charts are (still) meant to be drawn in worker processes."""
        return not self._pool_given_up

    async def render(self, request: AnyChartRequest, *, urgent: bool = True) -> bytes:
        """The PNG of `request`. Errors of the drawing itself (a window that ends before it
        starts) are raised here; a failing pool only moves the drawing into the thread."""
        await self._gate.enter(urgent)
        try:
            png = await self._in_pool(request)
            if png is None:
                loop = asyncio.get_running_loop()
                png = await loop.run_in_executor(self._fallback(), draw, request)
                self.counts.in_thread += 1
            return png
        finally:
            self._gate.leave()

    async def _in_pool(self, request: AnyChartRequest) -> bytes | None:
        pool = self._current_pool()
        if pool is None:
            return None
        try:
            future = pool.submit(draw, request)
        except _POOL_ERRORS as error:
            self._broken(pool, error)
            return None
        try:
            png = await asyncio.wrap_future(future)
        except BrokenProcessPool as error:
            self._broken(pool, error)
            return None
        self._breaks_in_a_row = 0
        self.counts.in_processes += 1
        return png

    def _current_pool(self) -> Executor | None:
        if self._pool is not None or self._pool_given_up:
            return self._pool
        try:
            self._pool = self._pool_factory(self.workers)
        except _POOL_ERRORS as error:
            logger.warning(
                "charts cannot use worker processes (%s: %s); drawing them in a thread",
                type(error).__name__,
                error,
            )
            self._pool_given_up = True
            return None
        self.counts.pool_starts += 1
        if not self._exit_hook:
            atexit.register(self.shutdown)
            self._exit_hook = True
        logger.info("chart pool started with %d worker process(es)", self.workers)
        return self._pool

    def _broken(self, pool: Executor, error: BaseException) -> None:
        if self._pool is not pool:
            return  # another chart found it broken first
        self._pool = None
        self.counts.pool_breaks += 1
        self._breaks_in_a_row += 1
        pool.shutdown(wait=False, cancel_futures=True)
        if self._breaks_in_a_row >= MAX_POOL_BREAKS:
            self._pool_given_up = True
        logger.warning(
            "chart worker process failed (%s: %s); this chart is drawn in a thread, %s",
            type(error).__name__,
            error,
            "and so are the next ones" if self._pool_given_up else "the next starts a new pool",
        )

    def _fallback(self) -> ThreadPoolExecutor:
        if self._thread is None:
            self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="chart")
            if not self._exit_hook:
                atexit.register(self.shutdown)
                self._exit_hook = True
        return self._thread

    def worker_pids(self) -> list[int]:
        """The process ids of the pool's live workers (none before the first chart)."""
        pool = self._pool
        if not isinstance(pool, ProcessPoolExecutor):
            return []
        processes = getattr(pool, "_processes", None) or {}
        return [pid for pid, process in dict(processes).items() if process.is_alive()]

    def shutdown(self) -> None:
        """Stops the workers and the thread; a later chart starts them again."""
        pool, self._pool = self._pool, None
        thread, self._thread = self._thread, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
        if thread is not None:
            thread.shutdown(wait=True, cancel_futures=True)


_default: ChartRenderer | None = None


def default_renderer() -> ChartRenderer:
    """The process's renderer, with CHART_WORKERS workers (bot.config.Settings)."""
    global _default
    if _default is None:
        from bot.config import Settings

        _default = ChartRenderer(Settings().chart_workers)
    return _default


async def render_chart(request: AnyChartRequest, *, urgent: bool = True) -> bytes:
    """The PNG of `request`, drawn off the event loop. `urgent=False` for charts nobody is
    waiting for right now (weekly summaries): those give way to the others."""
    return await default_renderer().render(request, urgent=urgent)
