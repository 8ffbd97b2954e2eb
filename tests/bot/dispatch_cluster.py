"""Dispatcher processes (`python -m bot dispatch`) on one PostgreSQL database against the fake
Bot API server, the leader killed with SIGKILL again and again: what arrived, what was lost,
what arrived twice. Used by tests/bot/test_dispatch_leader.py (a short run) and
bench/dispatch_crash.py (a long one)."""

from __future__ import annotations

import asyncio
import collections
import os
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import delete, func, select, text

from bot.storage.db import create_engine
from bot.storage.models import Delivery, User
from tests.bot.seed_rows import add_users_due
from tests.fake_telegram import FakeTelegram, SentRecord

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "123:ABC"
LEADER_QUERY = text(
    "SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
    "WHERE l.locktype = 'advisory' AND l.granted AND l.database = "
    "(SELECT oid FROM pg_database WHERE datname = current_database()) "
    "AND a.application_name LIKE 'legdaycoach dispatcher %'"
)
FINAL = ("sent", "unknown", "failed", "dropped")


class DispatchProcess:
    """One `python -m bot dispatch` process; `start` again after `kill` to restart it."""

    def __init__(self, name: str, base_url: str, database_url: str, data_dir: Path, **env: str):
        self.name = name
        self.data_dir = data_dir / name
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.log_path = self.data_dir / "dispatch.log"
        self.env = {
            key: value
            for key, value in os.environ.items()
            if key not in {"TELEGRAM_BOT_TOKEN", "DATABASE_URL", "WEBHOOK_URL"}
        }
        self.env.update(
            {
                "TELEGRAM_BOT_TOKEN": TOKEN,
                "TELEGRAM_BASE_URL": base_url,
                "DATABASE_URL": database_url,
                "DATA_DIR": str(self.data_dir),
                "PYTHONPATH": str(ROOT),
                "LOG_LEVEL": "INFO",
                "DISPATCH_INTERVAL_S": "0.5",
                "CHART_WORKERS": "0",
                **env,
            }
        )
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> DispatchProcess:
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot", "dispatch"],
            cwd=self.data_dir,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        return self

    @property
    def pid(self) -> int | None:
        return None if self.process is None else self.process.pid

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kill(self) -> None:
        """kill -9: no clean-up of any kind."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self, timeout: float = 20.0) -> int | None:
        """SIGTERM, then the exit status (None when it had to be killed)."""
        if self.process is None:
            return None
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                return self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
                return None
        return self.process.returncode

    @property
    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


def reminder_zone(now: datetime) -> str:
    """A fixed-offset zone where it is midday now, so a run stays within one local day."""
    offset = (12 - now.hour) % 24
    offset = offset - 24 if offset > 12 else offset
    # Etc/GMT zones have the sign the other way round (Etc/GMT-3 is UTC+3).
    return "Etc/GMT" + (f"{-offset:+d}" if offset else "")


async def add_due(url: str, first_id: int, users: int, kinds: Sequence[str]) -> datetime:
    """`users` users with a plan and one reminder of each kind due now; returns when."""
    now = datetime.now(UTC).replace(microsecond=0) - timedelta(seconds=1)
    zone = reminder_zone(now)
    created = now - timedelta(days=30)
    ids = range(first_id, first_id + users)
    engine = create_engine(url)
    try:
        async with engine.begin() as connection:
            await add_users_due(connection, ids, kinds, due_at=now, zone=zone, created=created)
    finally:
        await engine.dispose()
    return now


async def remove_users(url: str, first_id: int, users: int) -> None:
    engine = create_engine(url)
    try:
        async with engine.begin() as connection:
            await connection.execute(
                delete(User).where(User.id.between(first_id, first_id + users - 1))
            )
    finally:
        await engine.dispose()


def delivery_id(record: SentRecord) -> int | None:
    """The delivery a reminder message is for, from its buttons ("r|<id>|<action>")."""
    for row in record.inline_keyboard:
        for button in row:
            parts = str(button.get("callback_data", "")).split("|")
            if len(parts) == 3 and parts[0] == "r" and parts[1].isdigit():
                return int(parts[1])
    return None


@dataclass
class Kill:
    at_sent: int  # messages the fake server had taken when the leader was killed
    sending: int  # deliveries "sending" right after the kill: in flight, or not yet marked
    takeover_s: float | None = None  # from the kill to the next message taken


@dataclass
class Outcome:
    due: int
    deliveries: int = 0
    statuses: dict[str, int] = field(default_factory=dict)
    sent_messages: int = 0
    lost: int = 0  # deliveries no message was sent for
    doubled: int = 0  # messages beyond the first for one delivery
    too_many_requests: int = 0
    seconds: float = 0.0
    kills: list[Kill] = field(default_factory=list)
    leaders_at_once: int = 0  # the most processes ever seen holding the lock at once

    @property
    def sending_at_kills(self) -> int:
        return sum(kill.sending for kill in self.kills)


class Cluster:
    """Dispatcher processes on one database, the leader found by its lock."""

    def __init__(self, url: str, processes: Sequence[DispatchProcess]) -> None:
        self.url = url
        self.processes = list(processes)
        self.engine = create_engine(url)

    async def leaders(self) -> list[DispatchProcess]:
        async with self.engine.connect() as connection:
            names = list(await connection.scalars(LEADER_QUERY))
        pids = {int(name.rsplit(":", 1)[-1]) for name in names}
        return [process for process in self.processes if process.pid in pids]

    async def wait_for_leader(self, timeout: float = 30.0) -> DispatchProcess:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            leaders = await self.leaders()
            if leaders:
                return leaders[0]
            await asyncio.sleep(0.05)
        raise TimeoutError("no dispatcher took the lock")

    async def statuses(self, first_id: int, users: int) -> dict[str, int]:
        async with self.engine.connect() as connection:
            rows = await connection.execute(
                select(Delivery.status, func.count())
                .where(Delivery.user_id.between(first_id, first_id + users - 1))
                .group_by(Delivery.status)
            )
            return {str(status): int(count) for status, count in rows}

    async def delivery_ids(self, first_id: int, users: int) -> list[int]:
        async with self.engine.connect() as connection:
            return list(
                await connection.scalars(
                    select(Delivery.id).where(
                        Delivery.user_id.between(first_id, first_id + users - 1)
                    )
                )
            )

    async def close(self) -> None:
        await self.engine.dispose()


async def crash_run(
    url: str,
    fake: FakeTelegram,
    data_dir: Path,
    *,
    users: int,
    kinds: Sequence[str] = ("leg_day", "checkin"),
    kills: int,
    processes: int = 2,
    first_id: int = 8_000_000_000,
    timeout_s: float = 600.0,
    log: bool = False,
) -> Outcome:
    """`users` x `kinds` reminders due at once; the leader killed `kills` times, evenly over
    the run, and restarted at once. Ends once every delivery is settled."""
    due = users * len(kinds)
    outcome = Outcome(due=due)
    await remove_users(url, first_id, users)
    fleet = [
        DispatchProcess(f"dispatcher-{n}", fake.base_url, url, data_dir) for n in range(processes)
    ]
    cluster = Cluster(url, fleet)
    started = time.monotonic()
    try:
        # Everyone up and one of them leading before anything is due.
        for process in fleet:
            process.start()
        await cluster.wait_for_leader()
        await add_due(url, first_id, users, kinds)
        started = time.monotonic()
        step = due // (kills + 1)
        deadline = started + timeout_s
        while len(outcome.kills) < kills:
            target = step * (len(outcome.kills) + 1)
            while fake.sent_count < target:
                outcome.leaders_at_once = max(outcome.leaders_at_once, len(await cluster.leaders()))
                if time.monotonic() > deadline:
                    raise TimeoutError(f"only {fake.sent_count} of {due} sent")
                await asyncio.sleep(0.02)
            for process in fleet:
                if not process.running:
                    raise RuntimeError(f"{process.name} exited:\n{process.log[-3000:]}")
            leader = await cluster.wait_for_leader()
            leader.kill()
            killed_at = time.monotonic()
            sent_at_kill = fake.sent_count
            counts = await cluster.statuses(first_id, users)
            kill = Kill(sent_at_kill, counts.get("sending", 0))
            outcome.kills.append(kill)
            leader.start()  # restarted at once; it finds the lock taken and stands by
            while fake.sent_count == sent_at_kill and time.monotonic() < deadline:
                await asyncio.sleep(0.01)
            kill.takeover_s = time.monotonic() - killed_at
            if log:
                print(
                    f"kill {len(outcome.kills)}: at {sent_at_kill} sent, {kill.sending} sending,"
                    f" next message after {kill.takeover_s:.2f} s",
                    flush=True,
                )
        while True:
            outcome.leaders_at_once = max(outcome.leaders_at_once, len(await cluster.leaders()))
            statuses = await cluster.statuses(first_id, users)
            if sum(statuses.values()) >= due and set(statuses) <= set(FINAL):
                break
            if time.monotonic() > deadline:
                raise TimeoutError(f"not settled: {statuses}")
            await asyncio.sleep(0.1)
        outcome.seconds = time.monotonic() - started
        await asyncio.sleep(0.5)  # a message sent again would have left by now
        outcome.statuses = await cluster.statuses(first_id, users)
        ids = await cluster.delivery_ids(first_id, users)
        outcome.deliveries = len(ids)
        per_delivery = collections.Counter(
            found for record in fake.sent() if (found := delivery_id(record)) is not None
        )
        outcome.sent_messages = sum(per_delivery.values())
        outcome.lost = sum(1 for found in ids if per_delivery[found] == 0)
        outcome.doubled = sum(count - 1 for count in per_delivery.values() if count > 1)
        outcome.too_many_requests = fake.too_many_requests
        return outcome
    finally:
        for process in fleet:
            process.stop()
        await cluster.close()
        await remove_users(url, first_id, users)
