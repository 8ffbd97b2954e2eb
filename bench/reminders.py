"""Benchmark of the reminder dispatcher: a whole user base due in the same minute.

    .venv/bin/python bench/reminders.py [--users 100000] [--seconds 60]
                                        [--database-url postgresql://postgres@127.0.0.1/test]

It fills a fresh database (a temporary SQLite file, or a database of its own created on the
given PostgreSQL server and dropped afterwards) with N users, each with a plan and a leg-day
reminder due in the same minute, then runs the dispatcher against the fake Bot API server
(in a process of its own, enforcing Telegram's 30 messages a second and 1 per chat) for a
bounded time and reports:

* the send rate against the 30/s ceiling, and how many 429 answers came back;
* memory over the run (Python heap by tracemalloc, and resident size), second by second;
* database statements and round trips per reminder sent (see `RoundTrips`);
* CPU per reminder: the process's CPU time (all its threads, so SQLite's too) over the
  window, divided by the messages sent;
* start-up (migrations, building the dispatcher, the first claim) with N users and with
  a handful, which should not differ;
* the dispatcher's own ceiling: a second run with the 30/s limit lifted (and a fake server
  that enforces none), where the dispatcher's CPU and the database are the only limits.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import multiprocessing
import os
import statistics
import sys
import tempfile
import time
import tracemalloc
import uuid
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

import asyncpg  # noqa: E402
from sqlalchemy import event  # noqa: E402
from sqlalchemy.ext.asyncio import AsyncEngine  # noqa: E402
from telegram import Bot  # noqa: E402

from bot.config import database_url  # noqa: E402
from bot.dispatcher import (  # noqa: E402
    DeliveryRequest,
    Dispatcher,
    ReminderContext,
    compose_leg_day,
)
from bot.storage.db import create_engine, create_sessions  # noqa: E402
from bot.storage.migrate import upgrade  # noqa: E402
from flows.reminders import ReminderMessage  # noqa: E402
from tests.bot.seed_rows import add_users_due  # noqa: E402

TOKEN = "123:BENCH"
CEILING = 30
CHUNK = 5000
POOL = 32  # HTTP connections, more than any number of sends in flight
LIFTED = 10_000  # messages a second for the ceiling run: no limit in practice
BATCH = 1000  # a start-up probe with more due reminders than one claim takes


# ------------------------------------------------------------------------- the fake server


def _serve_fake(connection: Connection, limited: bool) -> None:
    """Runs in a child process, so its bookkeeping stays out of the measured memory and CPU."""
    from tests.fake_telegram import FakeTelegram

    with FakeTelegram(token=TOKEN, record=False) as fake:
        fake.enforce_limits(CEILING, 1) if limited else fake.enforce_limits(None, None)
        connection.send(fake.api_url)
        while True:
            command = connection.recv()
            if command == "stop":
                return
            connection.send((fake.sent_count, fake.too_many_requests))


class FakeServer:
    def __init__(self, limited: bool = True) -> None:
        context = multiprocessing.get_context("spawn")
        self._connection, child = context.Pipe()
        self._process = context.Process(target=_serve_fake, args=(child, limited), daemon=True)
        self._process.start()
        self.api_url: str = self._connection.recv()

    def counts(self) -> tuple[int, int]:
        """(messages sent, 429 answers) so far."""
        self._connection.send("counts")
        sent, limited = self._connection.recv()
        return int(sent), int(limited)

    def stop(self) -> None:
        self._connection.send("stop")
        self._process.join(timeout=5)


# ------------------------------------------------------------------------- databases


class Database:
    """A fresh database for one scenario, removed afterwards."""

    def __init__(self, base_url: str | None, label: str) -> None:
        self.base = database_url(base_url, Path(tempfile.gettempdir())) if base_url else None
        self.label = label
        self.name = f"legday_bench_{label}_{uuid.uuid4().hex[:8]}"
        self.file: Path | None = None
        if self.base is None or self.base.startswith("sqlite"):
            self.file = Path(tempfile.gettempdir()) / f"{self.name}.db"
            self.url = f"sqlite+aiosqlite:///{self.file}"
        else:
            self.url = self.base.rsplit("/", 1)[0] + f"/{self.name}"

    @property
    def kind(self) -> str:
        return "SQLite" if self.file is not None else "PostgreSQL"

    def _server(self) -> str:
        assert self.base is not None
        return self.base.replace("postgresql+asyncpg://", "postgresql://")

    async def create(self) -> None:
        if self.file is None:
            connection = await asyncpg.connect(self._server())
            try:
                await connection.execute(f'CREATE DATABASE "{self.name}"')
            finally:
                await connection.close()

    async def drop(self) -> None:
        if self.file is not None:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{self.file}{suffix}").unlink(missing_ok=True)
            return
        connection = await asyncpg.connect(self._server())
        try:
            await connection.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        finally:
            await connection.close()


def _reminder_zone(now: datetime) -> str:
    """A zone where the whole run falls well inside one local day."""
    for zone in ("UTC", "Asia/Tokyo", "America/New_York", "Asia/Kolkata", "Europe/Berlin"):
        hour = now.astimezone(ZoneInfo(zone)).hour
        if 1 <= hour <= 21:
            return zone
    return "UTC"


def _chunks(count: int, start: int) -> Iterator[range]:
    for first in range(start, start + count, CHUNK):
        yield range(first, min(first + CHUNK, start + count))


async def fill(url: str, users: int, due_at: datetime, chats: int | None = None) -> float:
    """N users with a plan and a leg-day reminder due at `due_at`; returns seconds taken.
    With `chats`, users share that many chats (the same chat comes round only after
    `chats` / 30 seconds, so per-chat pacing never holds anything up)."""
    zone = _reminder_zone(due_at)
    created = due_at - timedelta(days=30)
    first_id = 1_000_000
    engine = create_engine(url)
    started = time.perf_counter()
    try:
        async with engine.begin() as connection:
            for ids in _chunks(users, first_id):
                await add_users_due(
                    connection,
                    ids,
                    ["leg_day"],
                    due_at=due_at,
                    zone=zone,
                    created=created,
                    chat_of=lambda user_id: (
                        first_id + (user_id - first_id) % chats if chats else user_id
                    ),
                )
            if connection.dialect.name == "postgresql":
                await connection.exec_driver_sql("ANALYZE")
    finally:
        await engine.dispose()
    return time.perf_counter() - started


# ------------------------------------------------------------------------- one run


@dataclass
class Sample:
    at_s: float
    sent: int
    heap_mb: float
    rss_mb: float


@dataclass(frozen=True)
class TripCounts:
    """What `RoundTrips` counted over a run."""

    statements: int = 0
    begins: int = 0
    ends: int = 0  # COMMIT and ROLLBACK
    pings: int = 0
    prepares: int = 0

    @property
    def round_trips(self) -> int:
        return self.statements + self.begins + self.ends + self.pings + self.prepares


@dataclass
class RunResult:
    database: str
    users: int
    fill_s: float = 0.0
    migrate_s: float = 0.0
    build_s: float = 0.0
    first_claim_s: float = 0.0
    window_s: float = 0.0
    sent: int = 0
    too_many_requests: int = 0
    trips: TripCounts = field(default_factory=TripCounts)
    cpu_s: float = 0.0
    in_flight: int = 0
    in_flight_peak: int = 0
    samples: list[Sample] = field(default_factory=list)

    @property
    def startup_s(self) -> float:
        return self.migrate_s + self.build_s + self.first_claim_s

    @property
    def rate(self) -> float:
        return self.sent / self.window_s if self.window_s else 0.0

    def per_sent(self, value: float) -> float:
        return value / self.sent if self.sent else float("nan")


def _rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


class RoundTrips:
    """Counts the dispatcher engine's round trips to the database with SQLAlchemy's events.

    * every statement (`before_cursor_execute`; an executemany is one), SQLite's
      `BEGIN IMMEDIATE` among them (the engine issues it as a statement);
    * on PostgreSQL, BEGIN and COMMIT / ROLLBACK (`begin`, `commit`, `rollback` events) unless
      the connection runs in autocommit, where asyncpg sends neither; on SQLite, COMMIT and
      ROLLBACK (the driver's commit() and rollback());
    * on PostgreSQL, the pool's pre-ping when a pooled connection is checked out again: a
      BEGIN, an empty query and a ROLLBACK (checkouts less new connections, three each);
    * on PostgreSQL, the prepare of a statement text the first time a connection runs it
      (asyncpg prepares each text once per connection and caches it).
    """

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine.sync_engine
        self.postgres = self.engine.dialect.name == "postgresql"
        self.statements = 0
        self.begins = 0
        self.ends = 0  # COMMIT and ROLLBACK
        self.checkouts = 0
        self.connects = 0
        self._prepared: set[tuple[int, str]] = set()
        self._listeners: list[tuple[Any, str, Callable[..., None]]] = [
            (self.engine, "before_cursor_execute", self._statement),
            (self.engine, "begin", self._begin),
            (self.engine, "commit", self._end),
            (self.engine, "rollback", self._end),
            (self.engine.pool, "checkout", self._checkout),
            (self.engine.pool, "connect", self._connect),
        ]
        for target, name, listener in self._listeners:
            event.listen(target, name, listener)

    def stop(self) -> None:
        for target, name, listener in self._listeners:
            event.remove(target, name, listener)

    @staticmethod
    def _autocommit(conn: Any) -> bool:
        return bool(conn.get_execution_options().get("isolation_level") == "AUTOCOMMIT")

    def _statement(self, conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip()[:5].upper() == "BEGIN":
            self.begins += 1
            return
        self.statements += 1
        if self.postgres:
            self._prepared.add((id(conn.connection.dbapi_connection), statement))

    def _begin(self, conn: Any) -> None:
        if self.postgres and not self._autocommit(conn):
            self.begins += 1

    def _end(self, conn: Any) -> None:
        if not (self.postgres and self._autocommit(conn)):
            self.ends += 1

    def _checkout(self, *_args: Any) -> None:
        self.checkouts += 1

    def _connect(self, *_args: Any) -> None:
        self.connects += 1

    @property
    def pings(self) -> int:
        return 3 * max(self.checkouts - self.connects, 0) if self.postgres else 0

    @property
    def prepares(self) -> int:
        return len(self._prepared)

    def counts(self) -> TripCounts:
        return TripCounts(self.statements, self.begins, self.ends, self.pings, self.prepares)


async def run_scenario(
    base_url: str | None,
    fake: FakeServer,
    users: int,
    seconds: float,
    label: str,
    measure_memory: bool,
    chats: int | None = None,
    *,
    rate: float = CEILING,
    in_flight: int | None = None,
) -> RunResult:
    database = Database(base_url, label)
    result = RunResult(database.kind, users)
    await database.create()
    try:
        await asyncio.to_thread(upgrade, database.url)  # the schema, as on a first deploy
        due_at = datetime.now(UTC).replace(second=0, microsecond=0)
        result.fill_s = await fill(database.url, users, due_at, chats)

        # A bot (re)start against this database: migrations, the dispatcher, the first claim.
        started = time.perf_counter()
        await asyncio.to_thread(upgrade, database.url)
        result.migrate_s = time.perf_counter() - started

        started = time.perf_counter()
        engine = create_engine(database.url)
        request = DeliveryRequest(connection_pool_size=POOL)
        bot = Bot(TOKEN, base_url=fake.api_url, request=request)
        first_claim = asyncio.get_running_loop().create_future()

        def compose(context: ReminderContext) -> ReminderMessage | None:
            # The first message is composed right after the first claim commits.
            if not first_claim.done():
                first_claim.set_result(time.perf_counter())
            return compose_leg_day(context)

        options: dict[str, Any] = {} if in_flight is None else {"max_in_flight": in_flight}
        dispatcher = Dispatcher(
            create_sessions(engine),
            bot,
            send_rate_per_second=rate,
            per_chat_rate_per_second=1,
            composers={"leg_day": compose},
            worker_id=f"bench-{label}",
            **options,
        )
        result.build_s = time.perf_counter() - started

        sent_before, limited_before = await asyncio.to_thread(fake.counts)
        trips = RoundTrips(engine)
        stop = asyncio.Event()
        cpu_started = time.process_time()
        tick_started = time.perf_counter()
        loop_task = asyncio.create_task(dispatcher.run(stop))
        claimed_at = await asyncio.wait_for(first_claim, timeout=60)
        result.first_claim_s = claimed_at - tick_started
        if measure_memory:
            tracemalloc.start()

        window_started = time.perf_counter()
        deadline = window_started + seconds
        while (now := time.perf_counter()) < deadline and seconds > 0:
            await asyncio.sleep(min(1.0, deadline - now))
            sent, _ = await asyncio.to_thread(fake.counts)
            heap = tracemalloc.get_traced_memory()[0] / 2**20 if measure_memory else 0.0
            result.samples.append(
                Sample(round(time.perf_counter() - window_started, 1), sent - sent_before,
                       round(heap, 2), round(_rss_mb(), 1))
            )  # fmt: skip
            if sent - sent_before >= users:
                break
        result.window_s = time.perf_counter() - window_started
        sent, limited = await asyncio.to_thread(fake.counts)
        result.cpu_s = time.process_time() - cpu_started
        result.sent = sent - sent_before
        result.too_many_requests = limited - limited_before
        stop.set()
        await loop_task
        trips.stop()
        result.in_flight = _in_flight(dispatcher)
        in_flight = getattr(dispatcher, "in_flight", None)
        result.in_flight_peak = in_flight.peak if in_flight is not None else result.in_flight
        result.trips = trips.counts()
        if measure_memory:
            tracemalloc.stop()
        await request.shutdown()
        await engine.dispose()
    finally:
        await database.drop()
    return result


def _in_flight(dispatcher: Dispatcher) -> int:
    """The most sends the dispatcher lets be in flight at once, as things stand."""
    return dispatcher.max_in_flight


# ------------------------------------------------------------------------- report


def _third_means(samples: list[Sample], attribute: str) -> tuple[float, float]:
    values = [getattr(sample, attribute) for sample in samples]
    if len(values) < 3:
        return (values[0], values[-1]) if values else (0.0, 0.0)
    third = max(len(values) // 3, 1)
    return statistics.mean(values[:third]), statistics.mean(values[-third:])


def _database_lines(run: RunResult) -> list[str]:
    trips = run.trips
    return [
        f"statements per reminder  {run.per_sent(trips.statements):.3f} ({trips.statements:,})",
        f"round trips per reminder {run.per_sent(trips.round_trips):.3f} ({trips.round_trips:,}: "
        f"{trips.statements:,} statements, {trips.begins:,} BEGIN, {trips.ends:,} COMMIT/ROLLBACK, "
        f"{trips.pings:,} in pings, {trips.prepares:,} prepares)",
        f"CPU per reminder         {1000 * run.per_sent(run.cpu_s):.2f} ms "
        f"({run.cpu_s:.2f} s of CPU over {run.window_s + run.first_claim_s:.1f} s)",
        f"sends in flight          at most {run.in_flight_peak} at once (limit at the end "
        f"{run.in_flight})",
    ]


def _numbers(run: RunResult) -> dict[str, Any]:
    """A run's fields for the JSON file, the round-trip counts among them."""
    numbers = asdict(run)
    trips: dict[str, Any] = numbers.pop("trips")
    return numbers | trips | {"round_trips": run.trips.round_trips}


def report(main: RunResult, startups: list[RunResult], ceiling: RunResult | None) -> dict[str, Any]:
    heap_first, heap_last = _third_means(main.samples, "heap_mb")
    rss_first, rss_last = _third_means(main.samples, "rss_mb")
    lines = [
        f"database                 {main.database}",
        f"users                    {main.users:,} (fill {main.fill_s:.1f} s)",
        f"window                   {main.window_s:.1f} s",
        f"sent                     {main.sent:,}",
        f"send rate                {main.rate:.2f}/s = {100 * main.rate / CEILING:.1f}% of "
        f"{CEILING}/s",
        f"429 answers              {main.too_many_requests}",
        *_database_lines(main),
        f"python heap (MB)*        first third {heap_first:.2f}, last third {heap_last:.2f}, "
        f"peak {max((s.heap_mb for s in main.samples), default=0):.2f}",
        f"resident size (MB)       first third {rss_first:.1f}, last third {rss_last:.1f}, "
        f"peak {max((s.rss_mb for s in main.samples), default=0):.1f}",
        "every 10 s               " + " ".join(f"{s.at_s:>5.0f}" for s in main.samples[9::10]),
        "  sent so far            " + " ".join(f"{s.sent:>5}" for s in main.samples[9::10]),
        "  heap (MB)              " + " ".join(f"{s.heap_mb:>5.2f}" for s in main.samples[9::10]),
        "  resident (MB)          " + " ".join(f"{s.rss_mb:>5.0f}" for s in main.samples[9::10]),
        "start-up (s)             users     migrate  build   first claim  total",
    ]
    for run in [*startups, main]:
        lines.append(
            f"                         {run.users:<9,} {run.migrate_s:<8.3f} {run.build_s:<7.3f}"
            f" {run.first_claim_s:<12.3f} {run.startup_s:.3f}"
        )
    lines.append(
        "* allocations made after the first claim and still alive (tracemalloc)"
        if main.samples and main.samples[-1].heap_mb
        else "* heap not measured (--no-tracemalloc)"
    )
    if ceiling is not None:
        lines += [
            "",
            f"ceiling: the limit lifted, {ceiling.users:,} users, no tracemalloc",
            f"window                   {ceiling.window_s:.1f} s",
            f"sent                     {ceiling.sent:,}",
            f"send rate                {ceiling.rate:.1f}/s",
            *_database_lines(ceiling),
        ]
    print("\n".join(lines))
    return {
        "main": _numbers(main) | {"rate": main.rate, "startup_s": main.startup_s},
        "startups": [_numbers(run) | {"startup_s": run.startup_s} for run in startups],
        "ceiling": None if ceiling is None else _numbers(ceiling) | {"rate": ceiling.rate},
        "statements_per_reminder": main.per_sent(main.trips.statements),
        "round_trips_per_reminder": main.per_sent(main.trips.round_trips),
        "cpu_ms_per_reminder": 1000 * main.per_sent(main.cpu_s),
    }


async def main(args: argparse.Namespace) -> None:
    fake = FakeServer()
    try:
        # Start-up only: stopped right after the first claim.
        small = await run_scenario(
            args.database_url, fake, args.baseline_users, 0, "small", measure_memory=False
        )
        batch = await run_scenario(args.database_url, fake, BATCH, 0, "batch", measure_memory=False)
        await asyncio.sleep(1.1)  # the fake's per-chat windows forget those chats
        big = await run_scenario(
            args.database_url,
            fake,
            args.users,
            args.seconds,
            "main",
            args.tracemalloc,
            args.distinct_chats,
        )
    finally:
        fake.stop()
    ceiling = None
    if args.ceiling_seconds > 0:
        unlimited = FakeServer(limited=False)
        try:
            ceiling = await run_scenario(
                args.database_url,
                unlimited,
                args.ceiling_users,
                args.ceiling_seconds,
                "ceiling",
                measure_memory=False,
                rate=LIFTED,
                in_flight=args.ceiling_in_flight,
            )
        finally:
            unlimited.stop()
    summary = report(big, [small, batch], ceiling)
    if args.json:
        Path(args.json).write_text(json.dumps(summary, indent=2, default=str))


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument("--seconds", type=float, default=60.0, help="length of the send window")
    parser.add_argument(
        "--database-url",
        default=None,
        help="a PostgreSQL server URL (a database of its own is created on it); "
        "default: a temporary SQLite file",
    )
    parser.add_argument(
        "--baseline-users", type=int, default=10, help="users of the start-up comparison"
    )
    parser.add_argument(
        "--tracemalloc",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="measure the Python heap too (slows Python code down somewhat)",
    )
    parser.add_argument(
        "--distinct-chats",
        type=int,
        default=None,
        help="let users share this many chats (default: one chat each)",
    )
    parser.add_argument(
        "--ceiling-seconds",
        type=float,
        default=20.0,
        help="window of the run with the rate limit lifted (0: no such run)",
    )
    parser.add_argument("--ceiling-users", type=int, default=20_000)
    parser.add_argument(
        "--ceiling-in-flight",
        type=int,
        default=None,
        help="sends in flight in the ceiling run (default: the dispatcher's own choice)",
    )
    parser.add_argument("--json", help="also write the numbers to this file")
    return parser.parse_args(argv)


if __name__ == "__main__":
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    os.environ.setdefault("PTB_TIMEDELTA", "true")
    asyncio.run(main(parse_args(sys.argv[1:])))
