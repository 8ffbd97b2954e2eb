"""One send budget for the whole bot: `python -m bot dispatch` processes on one PostgreSQL
elect a leader by an advisory lock; only the leader sends, a standby takes over within
seconds when the leader is killed, and reminders caught in flight by a kill are sent again,
so none is lost and at most those in flight arrive twice.

Real processes, a real PostgreSQL database and the fake Bot API server."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.bot.dispatch_cluster import (
    TOKEN,
    Cluster,
    DispatchProcess,
    add_due,
    crash_run,
    delivery_id,
    remove_users,
)
from tests.fake_telegram import FakeTelegram

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")

FIRST_USER = 8_100_000_000


@pytest.fixture
def fake() -> Iterator[FakeTelegram]:
    with FakeTelegram(token=TOKEN) as server:
        server.enforce_limits(30, 1)
        yield server


async def wait_until(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


async def test_one_dispatcher_sends_the_other_stands_by_and_takes_over_when_it_is_killed(
    postgres_url: str, tmp_path: Path
) -> None:
    users = 60
    # Each process talks to a fake server of its own, so every message tells who sent it.
    with FakeTelegram(token=TOKEN) as first_api, FakeTelegram(token=TOKEN) as second_api:
        first = DispatchProcess("first", first_api.base_url, postgres_url, tmp_path)
        second = DispatchProcess("second", second_api.base_url, postgres_url, tmp_path)
        # 10 a second: the 60 take about 6 s, long enough to kill the leader midway.
        for process in (first, second):
            process.env["SEND_RATE_PER_SECOND"] = "10"
        cluster = Cluster(postgres_url, [first, second])
        await remove_users(postgres_url, FIRST_USER, users)
        try:
            first.start()
            assert await cluster.wait_for_leader() is first
            second.start()
            await wait_until(lambda: "stands by" in second.log, 30, "the second to stand by")
            await add_due(postgres_url, FIRST_USER, users, ["leg_day"])

            await wait_until(lambda: first_api.sent_count >= 20, 30, "the leader to send")
            assert second_api.sent_count == 0  # the standby sends nothing
            assert await cluster.leaders() == [first]
            first.kill()
            killed_at = time.time()

            await wait_until(lambda: second_api.sent_count > 0, 10, "the standby to take over")
            takeover_s = second_api.sent()[0].timestamp - killed_at
            assert takeover_s < 3.0, takeover_s
            assert await cluster.leaders() == [second]
            first.start()  # back again, it stands by

            def everything() -> set[int]:
                return {
                    found
                    for api in (first_api, second_api)
                    for record in api.sent()
                    if (found := delivery_id(record)) is not None
                }

            await wait_until(lambda: len(everything()) == users, 30, "every reminder")

            # One sender at a time: the first's messages all left before the second's.
            assert max(r.timestamp for r in first_api.sent()) < killed_at
            assert min(r.timestamp for r in second_api.sent()) > killed_at
            assert await cluster.leaders() == [second]
            sent_by_first = first_api.sent_count
            await asyncio.sleep(1.0)
            assert first_api.sent_count == sent_by_first  # the restarted one stands by
            assert "stands by" in first.log.split("started")[-1]
            statuses = await cluster.statuses(FIRST_USER, users)
            assert statuses == {"sent": users}
            # SIGTERM ends both cleanly, the leader handing its lock back.
            assert [first.stop(), second.stop()] == [0, 0]
            assert await cluster.leaders() == []
            assert "reminder dispatcher" in second.log and "stopped" in second.log
        finally:
            first.stop()
            second.stop()
            await cluster.close()
            await remove_users(postgres_url, FIRST_USER, users)


async def test_killing_the_leader_loses_no_reminder_and_doubles_at_most_those_in_flight(
    postgres_url: str, fake: FakeTelegram, tmp_path: Path
) -> None:
    kills = 3
    outcome = await crash_run(
        postgres_url,
        fake,
        tmp_path,
        users=150,  # a leg-day reminder and a check-in each: 300 due
        kills=kills,
        first_id=FIRST_USER + 1_000,
        timeout_s=120,
    )

    assert outcome.deliveries == outcome.due == 300
    assert len(outcome.kills) == kills
    assert outcome.lost == 0, outcome
    assert outcome.doubled <= 3 * kills, outcome
    assert outcome.statuses == {"sent": 300}, outcome
    assert outcome.leaders_at_once == 1
    assert all(kill.takeover_s is not None and kill.takeover_s < 5 for kill in outcome.kills)
