"""Benchmark: replies to chatting users while a crowd of weekly summaries is produced.

    .venv/bin/python bench/summaries.py [--summaries 1000] [--chatters 10] [--window 60]
                                        [--db sqlite|postgresql] [--chart-workers 1]
                                        [--code DIR]

It runs the real bot (`python -m bot run`, LOG_LEVEL=WARNING, the dispatcher looking every
second) against the fake Bot API server of the tests (tests/fake_telegram.py, record=False),
which runs in this process and notes when each of the bot's messages arrives. The database
(a temporary SQLite file, or a database of its own on the PostgreSQL server, dropped
afterwards) holds `--summaries` users with a plan, a check-in for each of the last seven
days and a weekly summary reminder that is not due yet.

Meanwhile `--chatters` other users send /help in a closed loop: each sends its next message
as soon as the bot's answer to the previous one has arrived. Their reply latency is taken
from the moment the update is handed to the fake server to the moment the bot's answer
reaches it, in two windows of `--window` seconds:

* quiet: nothing else to do;
* summaries: every summary reminder is made due at once (next_due_at a second ago), so the
  dispatcher composes them all, each with its chart, while the chatters keep chatting. The
  window ends when it is over or when the last summary photo has arrived.

It reports latency p50/p95/max per window, the summaries sent in the window and their rate,
and the CPU seconds of the bot process and of its children (the chart workers) over each
window, from /proc. `--code DIR` runs the bot from another checkout of the project (for
instance an older commit, for a comparison); the fake server, the data and the measuring
stay the same.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import queue
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

import asyncpg  # noqa: E402
from sqlalchemy import insert, update  # noqa: E402

from bot.config import database_url  # noqa: E402
from bot.storage.db import create_engine  # noqa: E402
from bot.storage.models import Checkin, Reminder  # noqa: E402
from tests.bot.botprocess import BotProcess, bot_env, run_bot_command  # noqa: E402
from tests.bot.seed_rows import add_planned_users, stamp  # noqa: E402
from tests.fake_telegram import ArrivalsFake, ChatMessage  # noqa: E402

TOKEN = "123456:BENCH-summaries"
FIRST_SUMMARY_USER = 2_000_000
FIRST_CHATTER = 3_000_000
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
NEW_MESSAGE_METHODS = frozenset({"sendMessage", "sendDocument", "sendPhoto"})


class BenchError(Exception):
    pass


@dataclass(frozen=True, slots=True)
class Arrival:
    at: float  # time.monotonic()
    method: str
    chat_id: int


def _arrival(method: str, message: ChatMessage) -> Arrival | None:
    if method not in NEW_MESSAGE_METHODS:
        return None
    return Arrival(time.monotonic(), method, int(message.chat_id))


class TimedFake(ArrivalsFake[Arrival]):
    """The fake Bot API server without recording; tells the benchmark when each new
    message of the bot arrives."""

    def __init__(self) -> None:
        super().__init__(TOKEN, _arrival)


# ------------------------------------------------------------------------- the database


@contextmanager
def fresh_database(kind: str, server: str) -> Iterator[tuple[Path, str]]:
    """(DATA_DIR, SQLAlchemy URL) of a new, empty database."""
    data_dir = Path(tempfile.mkdtemp(prefix="bench-summaries-"))
    name = f"legday_bench_summaries_{uuid.uuid4().hex[:8]}"
    if kind == "postgresql":
        url = database_url(server.rsplit("/", 1)[0] + f"/{name}", data_dir)
        asyncio.run(_admin(server, f'CREATE DATABASE "{name}"'))
    else:
        url = f"sqlite+aiosqlite:///{data_dir / 'legdaycoach.db'}"
    try:
        yield data_dir, url
    finally:
        if kind == "postgresql":
            asyncio.run(_admin(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        shutil.rmtree(data_dir, ignore_errors=True)


async def _admin(server: str, statement: str) -> None:
    connection = await asyncpg.connect(server, timeout=5)
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


def migrate(data_dir: Path, url: str, code: Path) -> None:
    env = bot_env(data_dir, DATABASE_URL=url, PYTHONPATH=str(code), LOG_LEVEL="WARNING")
    result = run_bot_command(["migrate"], data_dir, env, timeout=120)
    if result.returncode != 0:
        raise BenchError(f"python -m bot migrate failed:\n{result.stdout}{result.stderr}")


async def fill(url: str, users: int, now: datetime) -> None:
    """Users with a plan, seven days of check-ins and a summary reminder not due yet."""
    created = now - timedelta(days=30)
    engine = create_engine(url)
    ids = [FIRST_SUMMARY_USER + number for number in range(users)]
    try:
        async with engine.begin() as connection:
            await add_planned_users(
                connection,
                ids,
                zone="UTC",
                created=created,
                reminder_time="18:00",
                kinds=["summary"],
                weekdays=[6],
                local_time="19:00",
                next_due_at=now + timedelta(days=30),
            )
            today = now.date()
            await connection.execute(
                insert(Checkin),
                [
                    {
                        "user_id": i,
                        "day": today - timedelta(days=back),
                        "sleep_hours": 6.0 + (i + back) % 4,
                        "protein_g": 120.0 + 10 * ((i + back) % 6),
                        "carbs_level": "moderate",
                        "cardio_minutes": 20 * (back % 3),
                        "cardio_kind": "steady" if back % 2 else "intervals",
                        "leg_day": ("done", "rest", "skipped")[back % 3],
                        **stamp(created),
                    }
                    for i in ids
                    for back in range(7)
                ],
            )
    finally:
        await engine.dispose()


async def make_due(url: str) -> None:
    engine = create_engine(url)
    try:
        async with engine.begin() as connection:
            await connection.execute(
                update(Reminder)
                .where(Reminder.kind == "summary")
                .values(next_due_at=datetime.now(UTC) - timedelta(seconds=1))
            )
    finally:
        await engine.dispose()


# ------------------------------------------------------------------------- measuring


def cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime + stime


def children_cpu_seconds(pid: int) -> float:
    """CPU of the live children (the chart workers; a finished child counts no more)."""
    total = 0.0
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            children = (task / "children").read_text().split()
        except OSError:
            continue
        for child in children:
            try:
                total += cpu_seconds(int(child))
            except OSError:
                continue
    return total


@dataclass
class Window:
    name: str
    seconds: float = 0.0
    latencies_ms: list[float] = field(default_factory=list)
    summaries: int = 0
    bot_cpu_s: float = 0.0
    worker_cpu_s: float = 0.0

    def line(self) -> str:
        values = sorted(self.latencies_ms)
        if not values:
            return f"{self.name}: no replies"
        p50 = statistics.median(values)
        p95 = values[min(len(values) - 1, int(len(values) * 0.95))]
        rate = self.summaries / self.seconds if self.seconds else 0.0
        return (
            f"{self.name:9s} {self.seconds:6.1f} s  replies {len(values):5d}  "
            f"p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  max {values[-1]:7.1f} ms  "
            f"summaries {self.summaries:5d} ({rate:4.2f}/s)  "
            f"CPU bot {self.bot_cpu_s:6.1f} s, chart workers {self.worker_cpu_s:6.1f} s"
        )


class Chatters:
    """Users who send /help in a closed loop and time each answer."""

    def __init__(self, fake: TimedFake, count: int) -> None:
        self.fake = fake
        self.users = [FIRST_CHATTER + number for number in range(count)]
        self.sent_at: dict[int, float] = {}
        self.answers: dict[int, int] = {}
        self.summaries = 0

    def send(self, user: int) -> None:
        self.sent_at[user] = time.monotonic()
        self.fake.send_command(user, "/help")

    def pump(self, until: float, window: Window | None, summaries_total: int = 0) -> None:
        """Handles arrivals until `until` (or, with summaries, until all have arrived)."""
        while True:
            now = time.monotonic()
            if now >= until or (summaries_total and self.summaries >= summaries_total):
                return
            try:
                arrival = self.fake.arrivals.get(timeout=min(0.5, until - now))
            except queue.Empty:
                continue
            if arrival.chat_id >= FIRST_CHATTER:
                started = self.sent_at.pop(arrival.chat_id, None)
                if started is None:
                    raise BenchError(f"user {arrival.chat_id} got a second message for one /help")
                self.answers[arrival.chat_id] = self.answers.get(arrival.chat_id, 0) + 1
                if window is not None:
                    window.latencies_ms.append((arrival.at - started) * 1000)
                self.send(arrival.chat_id)
            elif arrival.method == "sendPhoto":
                self.summaries += 1
                if window is not None:
                    window.summaries += 1


def measure(fake: TimedFake, bot: BotProcess, url: str, args: argparse.Namespace) -> list[Window]:
    assert bot.process is not None
    pid = bot.process.pid
    probe = FIRST_CHATTER - 1  # the bot may drop updates sent while it starts: probe first
    deadline = time.monotonic() + 60
    answered = False
    while not answered and time.monotonic() < deadline:
        fake.send_command(probe, "/help")
        try:
            while fake.arrivals.get(timeout=2).chat_id != probe:
                pass
            answered = True
        except queue.Empty:
            continue
    if not answered:
        raise BenchError("the bot answered no /help within 60 s")
    time.sleep(2)
    while not fake.arrivals.empty():
        fake.arrivals.get()
    chatters = Chatters(fake, args.chatters)
    for user in chatters.users:  # warm-up: the loop runs for a few seconds unmeasured
        chatters.send(user)
    chatters.pump(time.monotonic() + 5, None)
    silent = [user for user in chatters.users if not chatters.answers.get(user)]
    if silent:
        raise BenchError(f"no answer to /help within 5 s for {silent}")
    windows = []
    for name in ("quiet", "summaries"):
        window = Window(name)
        if name == "summaries":
            asyncio.run(make_due(url))
        started, cpu, workers = time.monotonic(), cpu_seconds(pid), children_cpu_seconds(pid)
        chatters.pump(
            started + args.window, window, args.summaries if window.name != "quiet" else 0
        )
        window.seconds = time.monotonic() - started
        window.bot_cpu_s = cpu_seconds(pid) - cpu
        window.worker_cpu_s = children_cpu_seconds(pid) - workers
        windows.append(window)
        print(window.line(), flush=True)
    return windows


def run(args: argparse.Namespace) -> dict[str, Any]:
    code = Path(args.code).resolve()
    with fresh_database(args.db, args.postgres_server) as (data_dir, url):
        migrate(data_dir, url, code)
        asyncio.run(fill(url, args.summaries, datetime.now(UTC)))
        fake = TimedFake()
        with fake:
            bot = BotProcess(
                fake.base_url,
                TOKEN,
                data_dir,
                url,
                LOG_LEVEL="WARNING",
                DISPATCH_INTERVAL_S="1",
                CHART_WORKERS=str(args.chart_workers),
            )
            bot.env["PYTHONPATH"] = str(code)
            polls_before = fake.call_count("getUpdates")
            bot.start()
            try:
                deadline = time.monotonic() + 90
                # Updates sent before the first getUpdates would be dropped with the webhook.
                while fake.call_count("getUpdates") <= polls_before:
                    if bot.process is not None and bot.process.poll() is not None:
                        raise BenchError(f"the bot exited on start-up:\n{bot.log[-3000:]}")
                    if time.monotonic() > deadline:
                        raise BenchError(f"the bot did not start polling:\n{bot.log[-3000:]}")
                    time.sleep(0.05)
                try:
                    windows = measure(fake, bot, url, args)
                except BenchError as error:
                    raise BenchError(f"{error}\nthe bot's log:\n{bot.log[-3000:]}") from None
            finally:
                bot.stop()
            if "Traceback" in bot.log:
                print(f"the bot's log has a traceback:\n{bot.log[-3000:]}", file=sys.stderr)
    return {"args": vars(args), "windows": [asdict(window) for window in windows]}


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--summaries", type=int, default=1000)
    parser.add_argument("--chatters", type=int, default=10)
    parser.add_argument("--window", type=float, default=60.0, help="seconds per window")
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument(
        "--postgres-server", default="postgresql://postgres@127.0.0.1:5432/postgres"
    )
    parser.add_argument("--chart-workers", type=int, default=1, help="CHART_WORKERS")
    parser.add_argument("--code", default=str(REPO), help="the checkout to run the bot from")
    parser.add_argument("--json", help="write the results to this file")
    return parser.parse_args(argv)


def main() -> int:
    args = parse_args(sys.argv[1:])
    try:
        results = run(args)
    except BenchError as error:
        print(error, file=sys.stderr)
        return 1
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
