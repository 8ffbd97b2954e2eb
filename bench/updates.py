"""Benchmark of the update path: the coach against a bare echo bot, side by side.

    .venv/bin/python bench/updates.py [--users 1,50] [--rounds 2] [--interviews 10]
                                      [--db sqlite|postgresql|both] [--quick]

It starts the fake Bot API server of the tests (tests/fake_telegram.py) in this process and
runs, one after the other (coach, echo, coach, echo, ...), the real bot (`python -m bot run`)
and a bare python-telegram-bot echo bot (bench/echo_bot.py) against it, each as a process
of its own, under the same workload:

* "mix": simulated users go through the assessment interview: /start, then each question as
  it arrives, tapping the button that says what they would type (most questions) and typing
  the rest (weight, kind of leg training, calf set length, time since the last program
  change, calories, carbs, protein, sleep);
* "typed": the same interview with every answer typed.

The echo bot gets the same number of typed messages and button presses per interview. Each
simulated user sends its next update only once the bot has replied to the previous one
(a closed loop); when an interview ends the user's place is taken by a new user, until
`--interviews` interviews (at least one per user) are complete: both bots handle exactly the
same updates. With 1 user and with 50 at once, on SQLite and on PostgreSQL (a database of its
own, created on the server and dropped afterwards; skipped with the reason when the server
cannot be reached). Every bot process is new, with a new database, and goes through one
interview before anything is measured.

Per bot and configuration it reports the CPU time the bot process spent per update (utime
plus stime from /proc/<pid>/stat, read before and after the measured window, so start-up
is left out), updates handled per second, the latency from the moment the fake server
receives a user's update to the moment it receives the bot's first new message after it
(p50, p95), and the bot's resident size (VmRSS) at the end; then the ratios coach/echo.
Finally, the resident size of the coach idle after start-up with 10 and with 100,000 users
in its database.

The users' answers come from the pure flows (tests/flows/driver.py): which question is which
is known by its number ("Question N of M"), and a button is pressed by its position in the
message's inline keyboard, so the benchmark does not depend on the wording of the messages.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import queue
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

import asyncpg  # noqa: E402
from sqlalchemy import insert  # noqa: E402

from bot.config import database_url  # noqa: E402
from bot.storage.db import create_engine  # noqa: E402
from bot.storage.models import User  # noqa: E402
from tests.bot.botprocess import BotProcess, bot_env, run_bot_command  # noqa: E402
from tests.fake_telegram import ArrivalsFake, ChatMessage, FakeTelegram  # noqa: E402
from tests.flows.driver import TYPED, Chat  # noqa: E402

TOKEN = "123456:BENCH-updates"
ECHO_BOT = Path(__file__).resolve().with_name("echo_bot.py")
QUESTION = re.compile(r"Question (\d+) of (\d+)")
# A reply is a new message, or the pressed question edited into the next one.
REPLY_METHODS = frozenset({"sendMessage", "sendDocument", "sendPhoto", "editMessageText"})
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
FIRST_USER_ID = 1_000_001
MAX_SHOWN = 4  # a question shown this often to one user means the interview is stuck
QUIET_S = 0.5  # after a window: no new message for this long means the bot is done
GOALS = {"mix": 2.0, "typed": 1.5}  # the coach's CPU per update at most this many echo's
POSTGRES_SERVER = "postgresql://postgres@127.0.0.1:5432/postgres"


class BenchError(Exception):
    """The benchmark cannot go on (a bot stopped answering, exited, or the flow is stuck)."""


# ------------------------------------------------------------------------- workloads


@dataclass(frozen=True)
class Step:
    """The answer to one question: typed, or the button at this position when there is one."""

    text: str
    button: int | None = None


@dataclass(frozen=True)
class Workload:
    name: str
    steps: dict[int, Step]  # by question number

    @property
    def lap(self) -> list[Step]:
        """One interview's updates after /start, in order."""
        return [self.steps[number] for number in sorted(self.steps)]

    @property
    def presses(self) -> int:
        return sum(step.button is not None for step in self.steps.values())

    def describe(self) -> str:
        typed = 1 + len(self.steps) - self.presses
        return f"{self.name}: {typed} typed (with /start) and {self.presses} button presses"


def _matching_button(values: list[str], typed: str) -> int | None:
    """The button whose value is the typed answer, e.g. "recovery=good" for "good"."""
    for index, value in enumerate(values):
        if value.rsplit("=", 1)[-1].strip().lower() == typed.strip().lower():
            return index
    return None


def interview(name: str, press: bool) -> Workload:
    """Walks the assessment in the pure flows, as the simulated users will on Telegram."""
    chat = Chat()
    replies = chat.command("start")
    steps: dict[int, Step] = {}
    while replies and replies[-1].key.startswith("q.") and len(steps) < 100:
        reply = replies[-1]
        typed = TYPED[reply.key.removeprefix("q.")]
        number = int(reply.values.get("number", len(steps) + 1))
        values = reply.choice_values
        button = _matching_button(values, typed) if press else None
        steps[number] = Step(typed, button)
        replies = chat.press(values[button]) if button is not None else chat.text(typed)
    if not steps:
        raise BenchError("the assessment asked no questions in the pure flows")
    return Workload(name, steps)


# ------------------------------------------------------------------------- the fake server


@dataclass(frozen=True, slots=True)
class Arrival:
    """A new message from the bot, as the fake server received it."""

    at: float  # time.monotonic()
    chat_id: int
    message_id: int
    text: str
    callback_datas: tuple[str, ...]


def _arrival(method: str, message: ChatMessage) -> Arrival | None:
    if method not in REPLY_METHODS:
        return None
    return Arrival(
        time.monotonic(),
        int(message.chat_id),
        message.message_id,
        message.plain_text or message.plain_caption or "",
        tuple(message.callback_datas),
    )


class TimedFake(ArrivalsFake[Arrival]):
    """The fake Bot API server without recording, which tells the benchmark when each new
    reply of the bot arrives (sent or edited)."""

    def __init__(self) -> None:
        super().__init__(TOKEN, _arrival)


# ------------------------------------------------------------------------- the bots


class EchoProcess(BotProcess):
    """bench/echo_bot.py as a process, set up like the coach's."""

    def start(self) -> EchoProcess:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [sys.executable, str(ECHO_BOT)],
            cwd=self.data_dir,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        return self


def cpu_seconds(pid: int) -> float:
    """utime + stime of the process (all its threads), from /proc/<pid>/stat."""
    with open(f"/proc/{pid}/stat") as stat:
        # The command name, in parentheses, may hold spaces: fields count from after it.
        fields = stat.read().rsplit(")", 1)[1].split()
    utime, stime = int(fields[11]), int(fields[12])  # fields 14 and 15 of proc(5)
    return (utime + stime) / CLOCK_TICKS


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def start_bot(kind: str, fake: FakeTelegram, data_dir: Path, url: str | None) -> BotProcess:
    """Starts the coach or the echo bot and waits until it polls for updates."""
    ready_after = fake.call_count("deleteWebhook")  # both clear any webhook, then poll
    if kind == "coach":
        bot: BotProcess = BotProcess(
            fake.base_url, TOKEN, data_dir, url, LOG_LEVEL="WARNING", DISPATCH_INTERVAL_S="5"
        )
    else:
        bot = EchoProcess(fake.base_url, TOKEN, data_dir, None, LOG_LEVEL="WARNING")
    bot.start()
    deadline = time.monotonic() + 90
    while fake.call_count("deleteWebhook") <= ready_after:
        if bot.process is not None and bot.process.poll() is not None:
            raise BenchError(f"the {kind} bot exited on start-up:\n{_tail(bot)}")
        if time.monotonic() > deadline:
            bot.stop()
            raise BenchError(f"the {kind} bot did not start polling within 90 s:\n{_tail(bot)}")
        time.sleep(0.05)
    return bot


def _tail(bot: BotProcess, lines: int = 15) -> str:
    return "\n".join(bot.log.splitlines()[-lines:]) or "(its log is empty)"


def _pid(bot: BotProcess) -> int:
    assert bot.process is not None
    return bot.process.pid


# ------------------------------------------------------------------------- simulated users


@dataclass
class Slot:
    """One simulated user at a time; a new one takes the place when an interview ends."""

    user_id: int = 0
    waiting: bool = False  # for the bot: a reply, or (coach) the next question
    answered: bool = True  # the latest update got its first reply
    sent_at: float = 0.0
    since: float = 0.0  # the latest update or message, for the time-out
    final: bool = False  # the latest update answered the last question
    position: int = 0  # echo: updates of this interview sent after /start
    shown: dict[int, int] = field(default_factory=dict)  # coach: times each question came


@dataclass
class Tally:
    """What one `Traffic.run` counted: updates sent, questions asked again, answers off the
    script, reply latencies and when the last reply came."""

    updates: int = 0
    repeats: int = 0
    off_script: int = 0
    last_reply: float = 0.0
    latencies: list[float] = field(default_factory=list)


@dataclass
class Traffic:
    """Simulated users of one bot, driven from the fake server's arrivals."""

    kind: str  # "coach" or "echo"
    fake: TimedFake
    bot: BotProcess
    reply_timeout_s: float
    ids: Iterator[int] = field(default_factory=lambda: itertools.count(FIRST_USER_ID))
    workload: Workload | None = None
    laps_left: int = 0
    tally: Tally = field(default_factory=Tally)
    by_chat: dict[int, Slot] = field(default_factory=dict)

    def run(self, workload: Workload, users: int, interviews: int) -> None:
        """`users` at once go through `interviews` interviews in all, then stop."""
        self.workload, self.laps_left, self.tally = workload, interviews, Tally()
        slots = [Slot() for _ in range(min(users, interviews))]
        for slot in slots:
            self._begin(slot)
        checked = time.monotonic()
        while any(slot.waiting for slot in slots):
            try:
                arrival: Arrival | None = self.fake.arrivals.get(timeout=0.2)
            except queue.Empty:
                arrival = None
            if arrival is not None:
                slot = self.by_chat.get(arrival.chat_id)
                if slot is not None and slot.waiting:
                    self._on_message(slot, arrival)
            now = time.monotonic()
            if now - checked >= 0.2:
                checked = now
                self._check(slots, now)

    def settle(self) -> None:
        """Waits until the bot has sent nothing for a moment (e.g. the end of a diagnosis)."""
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            try:
                self.fake.arrivals.get(timeout=QUIET_S)
            except queue.Empty:
                return

    def _check(self, slots: list[Slot], now: float) -> None:
        process = self.bot.process
        if process is not None and process.poll() is not None:
            raise BenchError(
                f"the {self.kind} bot exited with code {process.returncode}:\n{_tail(self.bot)}"
            )
        for slot in slots:
            if slot.waiting and now - slot.since > self.reply_timeout_s:
                what = "its reply" if not slot.answered else "the next question"
                raise BenchError(
                    f"the {self.kind} bot stopped answering: user {slot.user_id} waited "
                    f"{now - slot.since:.1f} s for {what}.\n{_tail(self.bot)}"
                )

    def _begin(self, slot: Slot) -> None:
        if self.laps_left <= 0:
            slot.waiting = False
            return
        self.laps_left -= 1
        slot.user_id = next(self.ids)
        slot.final, slot.position, slot.shown = False, 0, {}
        self.by_chat[slot.user_id] = slot
        self._send(slot, Step("/start"), None)

    def _end(self, slot: Slot) -> None:
        self.by_chat.pop(slot.user_id, None)
        self._begin(slot)

    def _send(self, slot: Slot, step: Step, arrival: Arrival | None) -> None:
        slot.sent_at = slot.since = time.monotonic()
        slot.waiting, slot.answered = True, False
        self.tally.updates += 1
        if step.button is None or arrival is None:
            self.fake.send_text(slot.user_id, step.text)
        elif self.kind == "coach" and arrival.callback_datas:
            datas = arrival.callback_datas
            self.fake.press_button(
                slot.user_id, arrival.message_id, datas[min(step.button, len(datas) - 1)]
            )
        elif self.kind == "coach":
            self.tally.off_script += 1  # the question came without its buttons
            self.fake.send_text(slot.user_id, step.text)
        else:
            # The echo bot sends no keyboards: a press on its latest message, as the client
            # would send it for a button that was there.
            self.fake.press_button(
                slot.user_id, arrival.message_id, f"echo|{slot.position}", strict=False
            )

    def _on_message(self, slot: Slot, arrival: Arrival) -> None:
        assert self.workload is not None
        slot.since = arrival.at
        if not slot.answered:
            slot.answered = True
            self.tally.latencies.append(arrival.at - slot.sent_at)
            self.tally.last_reply = arrival.at
        else:
            if self.kind == "echo":
                return  # a message the echo bot never sends; not an answer to anything
        if self.kind == "echo":
            lap = self.workload.lap
            if slot.position >= len(lap):
                self._end(slot)
            else:
                slot.position += 1
                self._send(slot, lap[slot.position - 1], arrival)
            return
        if slot.final:
            self._end(slot)  # the first message after the last answer: the diagnosis
            return
        match = QUESTION.search(arrival.text)
        if match is None:
            return  # a message before the question (a greeting); the question follows
        number, total = int(match.group(1)), int(match.group(2))
        shown = slot.shown[number] = slot.shown.get(number, 0) + 1
        if shown > 1:
            self.tally.repeats += 1
        if shown > MAX_SHOWN:
            raise BenchError(
                f"the coach asks question {number} again and again (user {slot.user_id}), "
                f"the interview is stuck; its latest message:\n{arrival.text[:500]}"
            )
        step = self.workload.steps.get(number)
        if step is None:
            self.tally.off_script += 1
            step = Step("2", 0 if self.workload.presses else None)
        slot.final = number >= total
        self._send(slot, step, arrival)


# ------------------------------------------------------------------------- databases


class Databases:
    """Fresh databases: a folder for SQLite, a database of its own on the PostgreSQL server."""

    def __init__(self, root: Path, postgres_server: str) -> None:
        self.root = root
        self.server = postgres_server

    @contextmanager
    def fresh(self, kind: str) -> Iterator[tuple[Path, str | None]]:
        """(DATA_DIR, DATABASE_URL or None for SQLite in DATA_DIR)."""
        data_dir = Path(tempfile.mkdtemp(prefix="run-", dir=self.root))
        name = f"legday_bench_updates_{uuid.uuid4().hex[:8]}"
        url = self.server.rsplit("/", 1)[0] + f"/{name}" if kind == "postgresql" else None
        if url is not None:
            asyncio.run(self._execute(f'CREATE DATABASE "{name}"'))
        try:
            yield data_dir, url
        finally:
            if url is not None:
                asyncio.run(self._execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            shutil.rmtree(data_dir, ignore_errors=True)

    async def _execute(self, statement: str) -> None:
        connection = await asyncpg.connect(self.server, timeout=5)
        try:
            await connection.execute(statement)
        finally:
            await connection.close()

    def postgres_unreachable(self) -> str | None:
        try:
            asyncio.run(self._execute("SELECT 1"))
        except Exception as error:
            return f"{type(error).__name__}: {error}"
        return None


def migrate(data_dir: Path, url: str | None) -> None:
    env = bot_env(data_dir, PYTHONPATH=str(REPO), LOG_LEVEL="WARNING")
    if url:
        env["DATABASE_URL"] = url
    result = run_bot_command(["migrate"], data_dir, env, timeout=120)
    if result.returncode != 0:
        raise BenchError(f"python -m bot migrate failed:\n{result.stdout}{result.stderr}")


async def fill_users(url: str, users: int) -> None:
    """Rows in the users table only, as many first contacts would leave them."""
    engine = create_engine(url)
    created = datetime.now(UTC)
    try:
        async with engine.begin() as connection:
            for first in range(0, users, 5000):
                await connection.execute(
                    insert(User),
                    [
                        {
                            "id": FIRST_USER_ID + 50_000_000 + number,
                            "chat_id": FIRST_USER_ID + 50_000_000 + number,
                            "first_name": "Lifter",
                            "created_at": created,
                            "updated_at": created,
                        }
                        for number in range(first, min(first + 5000, users))
                    ],
                )
            if connection.dialect.name == "postgresql":
                await connection.exec_driver_sql("ANALYZE")
    finally:
        await engine.dispose()


# ------------------------------------------------------------------------- measuring


@dataclass
class Window:
    bot: str
    database: str
    users: int
    workload: str
    round: int
    updates: int
    cpu_s: float
    window_s: float
    rss_mb: float
    repeats: int
    off_script: int
    latencies: list[float]


def run_bot(
    kind: str,
    database: str,
    users: int,
    workloads: list[Workload],
    args: argparse.Namespace,
    databases: Databases,
    round_number: int,
) -> list[Window]:
    windows: list[Window] = []
    fake = TimedFake().start()
    try:
        with databases.fresh(database if kind == "coach" else "sqlite") as (data_dir, url):
            bot = start_bot(kind, fake, data_dir, url)
            try:
                traffic = Traffic(kind, fake, bot, args.reply_timeout)
                # Warm-up, not measured: one interview (imports, caches, connections).
                traffic.run(workloads[0], 1, 1)
                traffic.settle()
                for workload in workloads:
                    pid = _pid(bot)
                    cpu_before, started = cpu_seconds(pid), time.monotonic()
                    traffic.run(workload, users, max(users, args.interviews))
                    traffic.settle()
                    cpu_after = cpu_seconds(pid)
                    tally = traffic.tally
                    windows.append(
                        Window(
                            kind,
                            database,
                            users,
                            workload.name,
                            round_number,
                            tally.updates,
                            cpu_after - cpu_before,
                            tally.last_reply - started,
                            rss_mb(pid),
                            tally.repeats,
                            tally.off_script,
                            tally.latencies,
                        )
                    )
                    print(_window_line(windows[-1]), flush=True)
            finally:
                bot.stop()
    finally:
        fake.stop()
    return windows


def _window_line(w: Window) -> str:
    per_update = 1000 * w.cpu_s / w.updates if w.updates else float("nan")
    extra = f", {w.repeats} questions asked again" if w.repeats else ""
    extra += f", {w.off_script} answers off the script" if w.off_script else ""
    return (
        f"  round {w.round} {w.database:<10} {w.users:>3} users {w.workload:<5} {w.bot:<5}: "
        f"{w.updates} updates in {w.window_s:.1f} s, {per_update:.2f} ms CPU each, "
        f"p50 {1000 * _percentile(w.latencies, 50):.1f} ms{extra}"
    )


def idle_memory(database: str, users: int, databases: Databases) -> float:
    """The coach's resident size once idle after start-up, with `users` rows in users."""
    fake = TimedFake().start()
    try:
        with databases.fresh(database) as (data_dir, url):
            migrate(data_dir, url)
            asyncio.run(fill_users(database_url(url, data_dir), users))
            bot = start_bot("coach", fake, data_dir, url)
            try:
                pid = _pid(bot)
                # Idle once the resident size stops growing (the city index loads after start).
                samples = [rss_mb(pid)]
                deadline = time.monotonic() + 20
                while time.monotonic() < deadline:
                    time.sleep(0.5)
                    samples.append(rss_mb(pid))
                    if len(samples) >= 6 and samples[-1] - samples[-6] < 0.5:
                        break
                return samples[-1]
            finally:
                bot.stop()
    finally:
        fake.stop()


# ------------------------------------------------------------------------- report


def _percentile(values: list[float], percent: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(percent) - 1]


@dataclass
class Row:
    bot: str
    database: str
    users: int
    workload: str
    updates: int
    per_second: float
    cpu_ms: float
    cpu_ms_low: float
    cpu_ms_high: float
    busy: float  # CPU seconds per second of window
    p50_ms: float
    p95_ms: float
    rss_mb: float


def combine(windows: list[Window]) -> Row:
    first = windows[0]
    updates = sum(w.updates for w in windows)
    cpu = sum(w.cpu_s for w in windows)
    seconds = sum(w.window_s for w in windows)
    each = [1000 * w.cpu_s / w.updates for w in windows if w.updates]
    latencies = [value for w in windows for value in w.latencies]
    return Row(
        first.bot,
        first.database,
        first.users,
        first.workload,
        updates,
        updates / seconds if seconds else float("nan"),
        1000 * cpu / updates if updates else float("nan"),
        min(each, default=float("nan")),
        max(each, default=float("nan")),
        cpu / seconds if seconds else float("nan"),
        1000 * _percentile(latencies, 50),
        1000 * _percentile(latencies, 95),
        max(w.rss_mb for w in windows),
    )


def report(windows: list[Window], memory: dict[str, dict[int, float]], args: Any) -> dict[str, Any]:
    groups: dict[tuple[str, int, str], dict[str, list[Window]]] = {}
    for w in windows:
        groups.setdefault((w.database, w.users, w.workload), {}).setdefault(w.bot, []).append(w)
    print()
    print(
        f"Updates: the coach against a bare echo bot ({args.rounds} rounds, at least "
        f"{args.interviews} interviews each; CPU from /proc/<pid>/stat)"
    )
    header = (
        f"{'database':<10} {'users':>5} {'workload':<8} {'bot':<6} {'updates':>7} {'upd/s':>7} "
        f"{'CPU ms/upd':>10} {'(range)':>13} {'CPU busy':>8} {'p50 ms':>7} {'p95 ms':>7} "
        f"{'RSS MB':>6}"
    )
    print(header)
    print("-" * len(header))
    summary: list[dict[str, Any]] = []
    verdicts: list[str] = []
    for (database, users, workload), bots in groups.items():
        rows = {bot: combine(found) for bot, found in bots.items()}
        for row in rows.values():
            print(
                f"{row.database:<10} {row.users:>5} {row.workload:<8} {row.bot:<6} "
                f"{row.updates:>7} {row.per_second:>7.1f} {row.cpu_ms:>10.2f} "
                f"{f'{row.cpu_ms_low:.2f}-{row.cpu_ms_high:.2f}':>13} "
                f"{100 * row.busy:>7.0f}% {row.p50_ms:>7.1f} {row.p95_ms:>7.1f} "
                f"{row.rss_mb:>6.0f}"
            )
        entry: dict[str, Any] = {"rows": [asdict(row) for row in rows.values()]}
        if "coach" in rows and "echo" in rows:
            coach, echo = rows["coach"], rows["echo"]
            ratios = {
                "cpu": coach.cpu_ms / echo.cpu_ms,
                "p50": coach.p50_ms / echo.p50_ms,
                "p95": coach.p95_ms / echo.p95_ms,
                "per_second": coach.per_second / echo.per_second,
            }
            entry["ratios"] = ratios
            print(
                f"{'':<10} {'':>5} {'':<8} {'ratio':<6} {'':>7} {ratios['per_second']:>7.2f} "
                f"{ratios['cpu']:>10.2f} {'':>13} {'':>8} {ratios['p50']:>7.2f} "
                f"{ratios['p95']:>7.2f}"
            )
            goal = GOALS.get(workload)
            if goal is not None:
                worst = max(ratios["cpu"], ratios["p50"], ratios["p95"])
                verdicts.append(
                    f"{database}, {users} users, {workload}: CPU {ratios['cpu']:.2f}x, latency "
                    f"p50 {ratios['p50']:.2f}x, p95 {ratios['p95']:.2f}x against a goal of "
                    f"{goal:g}x: {'met' if worst <= goal else 'MISSED'}"
                )
        summary.append({"database": database, "users": users, "workload": workload, **entry})
    if verdicts:
        print("\nGoals (coach/echo, CPU per update and latency):")
        print("\n".join(f"  {line}" for line in verdicts))
    if memory:
        print("\nResident size of the coach idle after start-up (MB):")
        for database, by_users in memory.items():
            cells = ", ".join(f"{users:,} users {mb:.0f}" for users, mb in by_users.items())
            print(f"  {database:<10} {cells}")
    return {"summary": summary, "windows": [asdict(w) for w in windows], "idle_rss": memory}


# ------------------------------------------------------------------------- main


def main(args: argparse.Namespace) -> int:
    root = Path(tempfile.mkdtemp(prefix="legday-bench-updates-"))
    databases = Databases(root, args.postgres_server)
    chosen = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
    if "postgresql" in chosen:
        reason = databases.postgres_unreachable()
        if reason is not None:
            print(f"PostgreSQL skipped: cannot reach {args.postgres_server} ({reason})")
            chosen.remove("postgresql")
    if not chosen:
        print("nothing to measure")
        return 1
    workloads = [interview("mix", press=True), interview("typed", press=False)]
    print("Workloads, per interview: " + "; ".join(w.describe() for w in workloads))
    windows: list[Window] = []
    memory: dict[str, dict[int, float]] = {}
    try:
        for round_number in range(1, args.rounds + 1):
            for database in chosen:
                for users in args.users:
                    for kind in ("coach", "echo"):
                        windows.extend(
                            run_bot(kind, database, users, workloads, args, databases, round_number)
                        )
        if args.memory_users:
            for database in chosen:
                for users in args.memory_users:
                    memory.setdefault(database, {})[users] = idle_memory(database, users, databases)
                    print(f"  idle coach, {database}, {users:,} users: "
                          f"{memory[database][users]:.0f} MB", flush=True)  # fmt: skip
    except BenchError as error:
        print(f"\nbench/updates.py stopped: {error}", file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(root, ignore_errors=True)
    summary = report(windows, memory, args)
    if args.json:
        Path(args.json).write_text(json.dumps(summary, indent=2))
    return 0


def _counts(text: str) -> list[int]:
    return [int(part.replace("_", "")) for part in text.split(",") if part.strip()]


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--users", type=_counts, default=None, help="simulated users at once, e.g. 1,50"
    )
    parser.add_argument("--rounds", type=int, default=None, help="coach/echo alternations")
    parser.add_argument(
        "--interviews",
        type=int,
        default=None,
        help="interviews per measured window (at least one per user)",
    )
    parser.add_argument("--db", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument(
        "--memory-users",
        type=_counts,
        default=None,
        help="users in the database for the idle memory probe, e.g. 10,100000 (0: none)",
    )
    parser.add_argument("--postgres-server", default=POSTGRES_SERVER)
    parser.add_argument(
        "--reply-timeout", type=float, default=30.0, help="seconds a user waits for the bot"
    )
    parser.add_argument("--quick", action="store_true", help="a smoke run of a few seconds")
    parser.add_argument("--json", help="also write the numbers to this file")
    args = parser.parse_args(argv)
    quick = args.quick
    args.users = args.users or ([1, 5] if quick else [1, 50])
    args.rounds = args.rounds or (1 if quick else 2)
    args.interviews = args.interviews or (2 if quick else 10)
    if args.memory_users is None:
        args.memory_users = [10, 1000] if quick else [10, 100_000]
    args.memory_users = [n for n in args.memory_users if n > 0]
    return args


if __name__ == "__main__":
    sys.exit(main(parse_args(sys.argv[1:])))
