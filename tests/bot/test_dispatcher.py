"""The reminder dispatcher against real SQLite and PostgreSQL and the real python-telegram-bot
client talking HTTP to a fake Bot API server: exactly-once delivery across crashes and
concurrent dispatchers, late and dropped occurrences, Telegram's errors and rate limits.

These tests commit for real (the dispatcher opens its own sessions and sends concurrently),
so they use users of their own id range and delete them afterwards.
"""

from __future__ import annotations

import asyncio
import json
import logging
import socket
import sys
import time
from collections.abc import AsyncIterator, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import delete, event, select
from sqlalchemy.ext.asyncio import AsyncEngine
from telegram import Bot
from telegram.request import HTTPXRequest

from bot import account_data, reminders
from bot.dispatcher import (
    Checkpoints,
    DeliveryRequest,
    Dispatcher,
    InFlight,
    ReminderContext,
    SendPacer,
    TickStats,
    compose_leg_day,
)
from bot.dispatcher.store import MAX_ATTEMPTS
from bot.profile import load_profile
from bot.storage.db import Sessions, create_engine, create_sessions
from bot.storage.models import Delivery, Plan, Reminder, User
from flows.core import ProfilePart
from flows.progress import leg_day_streak
from flows.reminders import ReminderMessage
from tests.fake_telegram import FakeTelegram

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")

TOKEN = "123:ABC"
FIRST_USER = 7_000_000_000
LAST_USER = FIRST_USER + 1_000_000
# Tuesday 17 November 2026, 18:00 in Berlin; the plans train on Tuesday (day A) and Friday.
TUESDAY_18 = datetime(2026, 11, 17, 17, 0, tzinfo=UTC)
FRIDAY_18 = datetime(2026, 11, 20, 17, 0, tzinfo=UTC)
BERLIN = "Europe/Berlin"
REPO = Path(__file__).resolve().parents[2]


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@dataclass
class Store:
    engine: AsyncEngine
    sessions: Sessions
    next_id: int = FIRST_USER

    async def add_users(
        self,
        count: int,
        *,
        due_at: datetime,
        weekdays: Sequence[int] = (1, 4),
        local_time: str = "18:00",
        zone: str = BERLIN,
        split: bool = True,
        kinds: Sequence[str] = ("leg_day",),
    ) -> list[int]:
        """Users with a plan and reminders due at `due_at`, as if stored long ago."""
        ids = list(range(self.next_id, self.next_id + count))
        self.next_id += count
        created = due_at - timedelta(days=30)
        async with self.sessions() as session, session.begin():
            session.add_all(
                User(
                    id=user_id,
                    chat_id=user_id,
                    first_name=f"Lifter {user_id}",
                    weight_unit="kg",
                    timezone=zone,
                    reminders_paused=False,
                    created_at=created,
                    updated_at=created,
                )
                for user_id in ids
            )
            await session.flush()
            session.add_all(
                Plan(
                    user_id=user_id,
                    split=split,
                    weekdays=list(weekdays),
                    experience="intermediate",
                    explosive=False,
                    reminder_time=local_time,
                    created_at=created,
                    updated_at=created,
                )
                for user_id in ids
            )
            session.add_all(
                Reminder(
                    user_id=user_id,
                    kind=kind,
                    weekdays=list(weekdays),
                    local_time=local_time,
                    timezone=zone,
                    next_due_at=due_at,
                    active=True,
                    created_at=created,
                    updated_at=created,
                )
                for user_id in ids
                for kind in kinds
            )
        return ids

    async def deliveries(self, user_id: int | None = None) -> list[Delivery]:
        async with self.sessions() as session:
            query = select(Delivery).order_by(Delivery.user_id, Delivery.due_at)
            if user_id is not None:
                query = query.where(Delivery.user_id == user_id)
            else:
                query = query.where(Delivery.user_id.between(FIRST_USER, LAST_USER))
            return list(await session.scalars(query))

    async def reminder(self, user_id: int, kind: str = "leg_day") -> Reminder:
        async with self.sessions() as session:
            reminder = await session.scalar(
                select(Reminder).where(Reminder.user_id == user_id, Reminder.kind == kind)
            )
            assert reminder is not None
            return reminder

    async def user(self, user_id: int) -> User:
        async with self.sessions() as session:
            user = await session.get(User, user_id)
            assert user is not None
            return user


async def delete_test_users(sessions: Sessions) -> None:
    async with sessions() as session, session.begin():
        await session.execute(delete(User).where(User.id.between(FIRST_USER, LAST_USER)))


@pytest.fixture
async def store(db_url: str) -> AsyncIterator[Store]:
    engine = create_engine(db_url)
    sessions = create_sessions(engine)
    await delete_test_users(sessions)
    yield Store(engine, sessions)
    await delete_test_users(sessions)
    await engine.dispose()


@pytest.fixture
def fake() -> Iterator[FakeTelegram]:
    with FakeTelegram(token=TOKEN) as server:
        yield server


class Crash(BaseException):
    """Stops a dispatcher as abruptly as a killed process: nothing after it runs, nothing
    committed before it is undone."""


class CrashAt(Checkpoints):
    def __init__(self, point: str) -> None:
        self.point = point

    def reached(self, point: str) -> None:
        if point == self.point:
            raise Crash(point)


def make_bot(
    base_url: str, request_class: type[HTTPXRequest] = DeliveryRequest, **request: Any
) -> Bot:
    return Bot(TOKEN, base_url=base_url, request=request_class(connection_pool_size=32, **request))


@pytest.fixture
async def bot(fake: FakeTelegram) -> AsyncIterator[Bot]:
    async with make_bot(fake.api_url) as client:
        yield client


@pytest.fixture
def clock() -> Clock:
    return Clock(TUESDAY_18 + timedelta(seconds=30))


def dispatcher(store: Store, bot: Bot, clock: Clock, **options: Any) -> Dispatcher:
    return Dispatcher(store.sessions, bot, clock=clock, **options)


def send_calls_to(fake: FakeTelegram, chat_id: int) -> int:
    """Requests to send to a chat, failed ones included."""
    return sum(1 for call in fake.calls("sendMessage") if call.params.get("chat_id") == chat_id)


# ---------------------------------------------------------------------------- the happy path


async def test_due_reminders_are_sent_once_each_and_move_on(
    store: Store, fake: FakeTelegram, bot: Bot, clock: Clock
) -> None:
    users = await store.add_users(3, due_at=TUESDAY_18)
    worker = dispatcher(store, bot, clock)

    stats = await worker.tick()

    assert (stats.claimed, stats.sent, stats.failed, stats.unknown) == (3, 3, 0, 0)
    for user_id in users:
        [record] = fake.sent(user_id)
        [delivery] = await store.deliveries(user_id)
        assert "Day A: front thigh and calves" in (record.text or "")
        assert "Tuesday 17 November" in (record.text or "")
        assert record.callback_data_for("Done") == f"r|{delivery.id}|done"
        assert record.callback_data_for("Snooze") == f"r|{delivery.id}|snooze"
        assert record.callback_data_for("Skip") == f"r|{delivery.id}|skip"
        assert (delivery.status, delivery.message_id) == ("sent", record.message_id)
        assert delivery.due_at == TUESDAY_18
        assert delivery.sent_at == clock.now
        assert (await store.reminder(user_id)).next_due_at == FRIDAY_18

    clock.advance(minutes=10)
    quiet = await worker.tick()
    assert (quiet.claimed, quiet.sent) == (0, 0)
    assert fake.sent_count == 3

    clock.now = FRIDAY_18 + timedelta(seconds=5)
    friday = await worker.tick()
    assert friday.sent == 3
    for user_id in users:
        assert "Day B" in (fake.sent(user_id)[-1].text or "")
        assert (await store.reminder(user_id)).next_due_at == TUESDAY_18 + timedelta(days=7)


async def test_claiming_an_occurrence_again_sends_nothing_twice(
    store: Store, fake: FakeTelegram, bot: Bot, clock: Clock
) -> None:
    [user_id] = await store.add_users(1, due_at=TUESDAY_18)
    worker = dispatcher(store, bot, clock)
    await worker.tick()
    # The series is wound back onto an occurrence that already has its delivery row.
    async with store.sessions() as session, session.begin():
        reminder = await session.scalar(select(Reminder).where(Reminder.user_id == user_id))
        assert reminder is not None
        reminder.next_due_at = TUESDAY_18

    stats = await worker.tick()

    assert (stats.claimed, stats.sent) == (0, 0)
    assert fake.sent_count_in(user_id) == 1
    assert len(await store.deliveries(user_id)) == 1
    assert (await store.reminder(user_id)).next_due_at == FRIDAY_18


async def test_the_run_loop_sends_and_hands_back_unsent_work_on_stop(
    store: Store, fake: FakeTelegram, bot: Bot, clock: Clock
) -> None:
    users = await store.add_users(40, due_at=TUESDAY_18)
    # 20 a second: the 40 take two seconds, so the stop comes in the middle of them.
    worker = dispatcher(store, bot, clock, interval_s=0.05, send_rate_per_second=20)
    stop = asyncio.Event()
    loop = asyncio.create_task(worker.run(stop))

    await fake.wait_for_count_async(None, 5, timeout=10)
    stop.set()
    await asyncio.wait_for(loop, timeout=3)

    first_part = fake.sent_count
    assert 5 <= first_part < 40
    statuses = [d.status for d in await store.deliveries()]
    assert statuses.count("sent") == first_part
    assert statuses.count("pending") == 40 - first_part  # handed back, not left leased

    rest = await dispatcher(store, bot, clock, send_rate_per_second=200).tick()
    assert rest.sent == 40 - first_part
    assert fake.sent_counts() == {str(user_id): 1 for user_id in users}


# ---------------------------------------------------------------------------- crashes


@pytest.mark.parametrize("point", ["after_claim", "before_send"])
async def test_after_a_crash_each_occurrence_arrives_exactly_once(
    store: Store, fake: FakeTelegram, bot: Bot, clock: Clock, point: str
) -> None:
    users = await store.add_users(3, due_at=TUESDAY_18)
    crashing = dispatcher(store, bot, clock, checkpoints=CrashAt(point), max_in_flight=1)

    with pytest.raises(Crash):
        await crashing.tick()
    # The crashed process never comes back; its leases run out, another process carries on.
    clock.advance(minutes=3)
    survivor = dispatcher(store, bot, clock)
    await survivor.tick()
    await survivor.tick()

    assert fake.sent_counts() == {str(user_id): 1 for user_id in users}
    assert sorted(d.status for d in await store.deliveries()) == ["sent", "sent", "sent"]


async def test_a_crash_after_telegram_took_a_message_sends_it_again_with_the_same_buttons(
    store: Store, fake: FakeTelegram, bot: Bot, clock: Clock
) -> None:
    users = await store.add_users(3, due_at=TUESDAY_18)
    crashing = dispatcher(
        store, bot, clock, checkpoints=CrashAt(Checkpoints.AFTER_SEND), max_in_flight=1
    )
    with pytest.raises(Crash):
        await crashing.tick()
    [first] = fake.sent()

    clock.advance(minutes=3)
    stats = await dispatcher(store, bot, clock).tick()

    # Its fate was unknown (sent, but the answer not saved): sent again rather than lost.
    assert (stats.resent, stats.sent, stats.unknown) == (1, 3, 0)
    counts = fake.sent_counts()
    assert sorted(counts.values()) == [1, 1, 2] and set(counts) == {str(u) for u in users}
    [again] = [r for r in fake.sent(first.chat_id)][1:]
    assert again.reply_markup == first.reply_markup  # the same delivery id in each button
    [delivery] = await store.deliveries(int(first.chat_id))
    assert (delivery.status, delivery.message_id) == ("sent", again.message_id)
    # Pressing either copy is the same answer: the first press counts, the second is told so.
    _, delivery_id, _ = first.callback_data_for("Done").split("|")
    async with store.sessions() as session, session.begin():
        done = await reminders.answer_button(
            session, delivery.user_id, int(delivery_id), "done", clock.now
        )
    async with store.sessions() as session, session.begin():
        again_done = await reminders.answer_button(
            session, delivery.user_id, int(delivery_id), "skip", clock.now
        )
    assert (done.changed, done.answered) == (True, "done")
    assert (again_done.changed, again_done.key) == (False, "reminder.answer.already_done")


async def test_a_crash_right_before_the_request_sends_that_one_again(
    store: Store, fake: FakeTelegram, bot: Bot, clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    users = await store.add_users(3, due_at=TUESDAY_18)
    crashing = dispatcher(
        store, bot, clock, checkpoints=CrashAt(Checkpoints.BEFORE_HTTP), max_in_flight=1
    )
    with pytest.raises(Crash):
        await crashing.tick()
    [unsure] = [d for d in await store.deliveries() if d.status == "sending"]

    clock.advance(minutes=3)
    with caplog.at_level(logging.WARNING, logger="bot.dispatcher"):
        stats = await dispatcher(store, bot, clock).tick()

    assert (stats.resent, stats.unknown, stats.sent) == (1, 0, 3)
    assert fake.sent_counts() == {str(user_id): 1 for user_id in users}
    assert {d.status for d in await store.deliveries()} == {"sent"}
    assert any(
        str(unsure.id) in record.getMessage() and "sent again" in record.getMessage()
        for record in caplog.records
    )


async def unsure_delivery(store: Store, bot: Bot, clock: Clock) -> Delivery:
    """One user's reminder left "sending" by a crash right before its request."""
    await store.add_users(1, due_at=TUESDAY_18)
    crashing = dispatcher(store, bot, clock, checkpoints=CrashAt(Checkpoints.BEFORE_HTTP))
    with pytest.raises(Crash):
        await crashing.tick()
    [delivery] = await store.deliveries()
    assert delivery.status == "sending"
    return delivery


async def test_an_unsure_reminder_found_the_next_day_is_not_sent_again(
    store: Store, fake: FakeTelegram, bot: Bot, clock: Clock
) -> None:
    await unsure_delivery(store, bot, clock)
    clock.now = datetime(2026, 11, 18, 9, 0, tzinfo=UTC)  # Wednesday in Berlin

    stats = await dispatcher(store, bot, clock).tick()

    assert (stats.resent, stats.unknown, stats.sent) == (0, 1, 0)
    assert [d.status for d in await store.deliveries()] == ["unknown"]
    assert fake.sent_count == 0


async def test_an_unsure_reminder_answered_meanwhile_is_sent_and_not_sent_again(
    store: Store, fake: FakeTelegram, bot: Bot, clock: Clock
) -> None:
    unsure = await unsure_delivery(store, bot, clock)
    async with store.sessions() as session, session.begin():
        await reminders.answer_button(session, unsure.user_id, unsure.id, "done", clock.now)
    clock.advance(minutes=3)

    stats = await dispatcher(store, bot, clock).tick()

    assert (stats.resent, stats.unknown, stats.sent) == (0, 0, 0)
    [delivery] = await store.deliveries()
    assert (delivery.status, delivery.answered) == ("sent", "done")
    assert fake.sent_count == 0


async def test_an_unsure_reminder_is_sent_again_only_up_to_the_attempt_limit(
    store: Store, fake: FakeTelegram, bot: Bot, clock: Clock
) -> None:
    unsure = await unsure_delivery(store, bot, clock)
    async with store.sessions() as session, session.begin():
        row = await session.get(Delivery, unsure.id)
        assert row is not None
        row.attempts = MAX_ATTEMPTS  # as if every attempt had brought its sender down
    clock.advance(minutes=3)

    stats = await dispatcher(store, bot, clock).tick()

    assert (stats.resent, stats.unknown) == (0, 1)
    assert fake.sent_count == 0


async def test_a_crash_while_messages_wait_for_their_slot_sends_each_once_after_restart(
    store: Store, fake: FakeTelegram, bot: Bot, clock: Clock
) -> None:
    users = await store.add_users(12, due_at=TUESDAY_18)
    # 4 a second: most of the 12 are still waiting for their slot when the process dies.
    doomed = dispatcher(store, bot, clock, send_rate_per_second=4)
    ticking = asyncio.create_task(doomed.tick())
    await fake.wait_for_count_async(None, 2, timeout=10)
    ticking.cancel()  # dies mid-await, like a killed process: no clean-up of its rows
    with pytest.raises(asyncio.CancelledError):
        await ticking

    delivered_before = fake.sent_count
    statuses = [d.status for d in await store.deliveries()]
    in_flight = statuses.count("sending")
    assert in_flight <= 1  # at most the one whose request was out
    assert statuses.count("claimed") >= 12 - delivered_before - 1

    clock.advance(minutes=3)  # the dead process's leases run out
    restarted = dispatcher(store, bot, clock, send_rate_per_second=200)
    stats = await restarted.tick()

    assert stats.recovered >= 12 - delivered_before - 1
    assert stats.resent == in_flight
    # Every reminder arrives; only one whose request was out when the process died may
    # arrive twice.
    assert [d.status for d in await store.deliveries()] == ["sent"] * 12
    counts = [fake.sent_count_in(user_id) for user_id in users]
    assert min(counts) == 1 and sum(counts) <= 12 + in_flight
    assert len(fake.duplicate_texts()) <= in_flight


async def test_a_claimed_occurrence_left_until_the_next_day_is_dropped(
    store: Store, fake: FakeTelegram, bot: Bot, clock: Clock
) -> None:
    [user_id] = await store.add_users(1, due_at=TUESDAY_18)
    with pytest.raises(Crash):
        await dispatcher(store, bot, clock, checkpoints=CrashAt(Checkpoints.AFTER_CLAIM)).tick()

    clock.now = datetime(2026, 11, 18, 9, 0, tzinfo=UTC)  # Wednesday in Berlin
    stats = await dispatcher(store, bot, clock).tick()

    assert (stats.sent, stats.dropped) == (0, 1)
    assert [d.status for d in await store.deliveries(user_id)] == ["dropped"]
    assert fake.sent_count == 0


async def test_two_dispatchers_on_one_database_share_the_work(
    store: Store, fake: FakeTelegram, clock: Clock
) -> None:
    users = await store.add_users(300, due_at=TUESDAY_18)
    second_engine = create_engine(str(store.engine.url.render_as_string(hide_password=False)))
    try:
        async with make_bot(fake.api_url) as first_bot, make_bot(fake.api_url) as second_bot:
            options: dict[str, Any] = {"batch_size": 40, "send_rate_per_second": 2000}
            first = Dispatcher(store.sessions, first_bot, clock=clock, **options)
            second = Dispatcher(create_sessions(second_engine), second_bot, clock=clock, **options)

            async def drain(worker: Dispatcher) -> int:
                sent, idle = 0, 0
                while idle < 3:
                    stats = await worker.tick()
                    sent += stats.sent
                    idle = 0 if stats.sent or stats.claimed else idle + 1
                    await asyncio.sleep(0.01)
                return sent

            by_first, by_second = await asyncio.gather(drain(first), drain(second))
    finally:
        await second_engine.dispose()

    assert by_first + by_second == 300
    assert by_first > 0 and by_second > 0
    assert fake.sent_counts() == {str(user_id): 1 for user_id in users}
    assert fake.duplicate_texts() == {}


_PROCESS = """
import asyncio, json, sys
from datetime import datetime
from telegram import Bot
from telegram.request import HTTPXRequest
from bot.dispatcher import Dispatcher
from bot.storage.db import create_engine, create_sessions

async def main(url, api_url, now, name):
    now = datetime.fromisoformat(now)
    engine = create_engine(url)
    bot = Bot("<token>", base_url=api_url, request=HTTPXRequest(connection_pool_size=16))
    worker = Dispatcher(
        create_sessions(engine), bot, batch_size=50, send_rate_per_second=5000,
        max_in_flight=8, clock=lambda: now, worker_id=name,
    )
    print("ready", flush=True)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
    sent, idle = 0, 0
    while idle < 5:
        stats = await worker.tick()
        sent += stats.sent
        idle = 0 if stats.sent or stats.claimed else idle + 1
        await asyncio.sleep(0.02)
    print(json.dumps({"sent": sent}), flush=True)
    await engine.dispose()

asyncio.run(main(*sys.argv[1:]))
""".replace("<token>", TOKEN)


async def test_two_processes_on_postgresql_deliver_a_thousand_once_each(
    postgres_url: str, fake: FakeTelegram, clock: Clock
) -> None:
    engine = create_engine(postgres_url)
    sessions = create_sessions(engine)
    store = Store(engine, sessions, next_id=FIRST_USER + 500_000)
    await delete_test_users(sessions)
    processes: list[asyncio.subprocess.Process] = []
    try:
        users = await store.add_users(1000, due_at=TUESDAY_18)
        for name in ("one", "two"):
            process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-c",
                _PROCESS,
                postgres_url,
                fake.api_url,
                clock.now.isoformat(),
                name,
                cwd=REPO,
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
            )
            processes.append(process)
        for process in processes:
            assert process.stdout is not None
            ready = await asyncio.wait_for(process.stdout.readline(), timeout=30)
            assert ready.strip() == b"ready"
        for process in processes:  # both start at once
            assert process.stdin is not None
            process.stdin.write(b"go\n")
            await process.stdin.drain()
        outputs = [await asyncio.wait_for(p.communicate(), timeout=60) for p in processes]
        sent_by = [json.loads(stdout.decode().strip().splitlines()[-1]) for stdout, _ in outputs]

        assert [p.returncode for p in processes] == [0, 0]
        assert sum(part["sent"] for part in sent_by) == 1000
        assert all(part["sent"] > 0 for part in sent_by), sent_by
        assert fake.sent_counts() == {str(user_id): 1 for user_id in users}
        assert fake.duplicate_texts() == {}
        deliveries = await store.deliveries()
        assert len(deliveries) == 1000
        assert {d.status for d in deliveries} == {"sent"}
    finally:
        for process in processes:
            if process.returncode is None:
                process.kill()
                await process.wait()
        await delete_test_users(sessions)
        await engine.dispose()


# ---------------------------------------------------------------------------- missed reminders


async def test_missed_reminders_go_out_late_the_same_day_and_are_dropped_after(
    store: Store, fake: FakeTelegram, bot: Bot, clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    clock.now = datetime(2026, 11, 17, 16, 0, tzinfo=UTC)  # Tuesday 17:00 in Berlin
    # Due at 08:00 this morning: the bot was down, but it is still Tuesday for them.
    [this_morning] = await store.add_users(
        1, due_at=datetime(2026, 11, 17, 7, 0, tzinfo=UTC), local_time="08:00"
    )
    # Due last Friday: that leg day is over.
    [last_friday] = await store.add_users(1, due_at=datetime(2026, 11, 13, 17, 0, tzinfo=UTC))
    # Due a week ago and again this morning: the old one is dropped, today's still goes out.
    [week_ago] = await store.add_users(
        1,
        due_at=datetime(2026, 11, 10, 7, 0, tzinfo=UTC),
        weekdays=(1,),
        local_time="08:00",
        split=False,
    )

    with caplog.at_level(logging.INFO, logger="bot.dispatcher"):
        stats = await dispatcher(store, bot, clock).tick()

    assert (stats.sent, stats.dropped) == (2, 2)
    assert fake.sent_count_in(this_morning) == 1
    assert fake.sent_count_in(last_friday) == 0
    assert fake.sent_count_in(week_ago) == 1
    assert "Tuesday 17 November" in (fake.sent(week_ago)[0].text or "")

    assert [(d.status, d.due_at) for d in await store.deliveries(last_friday)] == [
        ("dropped", datetime(2026, 11, 13, 17, 0, tzinfo=UTC))
    ]
    assert [(d.status, d.due_at) for d in await store.deliveries(week_ago)] == [
        ("dropped", datetime(2026, 11, 10, 7, 0, tzinfo=UTC)),
        ("sent", datetime(2026, 11, 17, 7, 0, tzinfo=UTC)),
    ]
    # Everyone's next reminder lies ahead.
    assert (await store.reminder(this_morning)).next_due_at == datetime(
        2026, 11, 20, 7, 0, tzinfo=UTC
    )
    assert (await store.reminder(last_friday)).next_due_at == TUESDAY_18
    assert (await store.reminder(week_ago)).next_due_at == datetime(2026, 11, 24, 7, 0, tzinfo=UTC)
    dropped_lines = [r.getMessage() for r in caplog.records if "dropped" in r.getMessage()]
    assert any(str(last_friday) in line for line in dropped_lines)
    assert any(str(week_ago) in line for line in dropped_lines)


# ---------------------------------------------------------------------------- Telegram errors


async def test_flood_control_holds_back_only_that_message_for_its_retry_after(
    store: Store, fake: FakeTelegram, bot: Bot, clock: Clock
) -> None:
    waiting, other, third = await store.add_users(3, due_at=TUESDAY_18)
    fake.fail_next("sendMessage", chat_id=waiting, error_code=429, retry_after=7)
    worker = dispatcher(store, bot, clock)

    started = time.monotonic()
    stats = await worker.tick()

    assert time.monotonic() - started < 3  # nobody sat out the 7 s
    assert (stats.sent, stats.retried) == (2, 1)
    assert fake.sent_count_in(other) == fake.sent_count_in(third) == 1
    assert fake.sent_count_in(waiting) == 0
    [held] = await store.deliveries(waiting)
    assert held.status == "pending"
    assert held.not_before == clock.now + timedelta(seconds=7)
    assert stats.next_retry_at == held.not_before

    clock.advance(seconds=6)
    assert (await worker.tick()).sent == 0
    clock.advance(seconds=1)
    assert (await worker.tick()).sent == 1
    assert fake.sent_counts() == {str(waiting): 1, str(other): 1, str(third): 1}


@pytest.mark.parametrize("refusal", ["blocked", "chat not found"])
async def test_an_unreachable_user_is_paused_and_never_retried(
    store: Store, fake: FakeTelegram, bot: Bot, clock: Clock, refusal: str
) -> None:
    gone, fine = await store.add_users(2, due_at=TUESDAY_18, kinds=("leg_day", "checkin"))
    if refusal == "blocked":
        fake.block_user(gone)
    else:
        fake.fail_next("sendMessage", chat_id=gone, error_code=400)  # "chat not found"
    checkin = {"checkin": lambda context: ReminderMessage("How did today go?")}
    composers = {"leg_day": compose_leg_day, **checkin}
    worker = dispatcher(store, bot, clock, composers=composers, per_chat_rate_per_second=50)

    stats = await worker.tick()

    assert stats.failed == 1 and stats.sent == 2
    user = await store.user(gone)
    assert user.unreachable_since == clock.now
    assert (await store.reminder(gone)).active is False
    assert (await store.reminder(gone, "checkin")).active is False
    assert sorted(d.status for d in await store.deliveries(gone)) == ["failed", "failed"]

    clock.now = FRIDAY_18 + timedelta(seconds=5)
    await worker.tick()
    assert send_calls_to(fake, gone) == 1
    assert fake.sent_count_in(fine) == 4
    assert (await store.reminder(gone)).next_due_at > clock.now  # moved on, without a trace


# A plain HTTPXRequest does not tell how far a request got: it must be as careful.
@pytest.mark.parametrize("request_class", [DeliveryRequest, HTTPXRequest])
async def test_a_read_timeout_is_not_resent(
    store: Store, fake: FakeTelegram, clock: Clock, request_class: type[HTTPXRequest]
) -> None:
    slow, fine = await store.add_users(2, due_at=TUESDAY_18)
    fake.delay_next("sendMessage", 1.0, chat_id=slow)
    async with make_bot(fake.api_url, request_class, read_timeout=0.3) as impatient:
        worker = dispatcher(store, impatient, clock)
        stats = await worker.tick()

        assert (stats.unknown, stats.sent) == (1, 1)
        await fake.wait_for_count_async(slow, 1, timeout=5)  # it did arrive, late
        clock.advance(minutes=5)
        await worker.tick()

    [unsure] = await store.deliveries(slow)
    assert unsure.status == "unknown"
    assert send_calls_to(fake, slow) == 1
    assert fake.sent_count_in(slow) == 1 and fake.sent_count_in(fine) == 1


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.parametrize("request_class", [HTTPXRequest, DeliveryRequest])
async def test_a_connection_that_never_opened_is_retried(
    store: Store, fake: FakeTelegram, bot: Bot, clock: Clock, request_class: type[HTTPXRequest]
) -> None:
    [user_id] = await store.add_users(1, due_at=TUESDAY_18)
    # Not initialized: getMe would fail the same way.
    request = request_class(connection_pool_size=4)
    unreachable = Bot(TOKEN, base_url=f"http://127.0.0.1:{closed_port()}/bot", request=request)
    try:
        stats = await dispatcher(store, unreachable, clock, retry_backoff_s=5).tick()
    finally:
        await request.shutdown()

    assert stats.retried == 1
    [waiting] = await store.deliveries(user_id)
    assert waiting.status == "pending"
    assert waiting.not_before == clock.now + timedelta(seconds=5)

    clock.advance(seconds=5)
    assert (await dispatcher(store, bot, clock).tick()).sent == 1
    assert fake.sent_count_in(user_id) == 1


@pytest.mark.parametrize("fault", ["500", "502", "reset before read"])
async def test_a_failure_known_not_to_have_delivered_is_retried_and_arrives_once(
    store: Store, fake: FakeTelegram, bot: Bot, clock: Clock, fault: str
) -> None:
    failing, fine = await store.add_users(2, due_at=TUESDAY_18)
    if fault == "reset before read":
        fake.drop_next("sendMessage")  # whichever goes first; the other is sent
    else:
        fake.fail_next("sendMessage", chat_id=failing, error_code=int(fault))
    worker = dispatcher(store, bot, clock, retry_backoff_s=5)

    stats = await worker.tick()

    assert (stats.retried, stats.sent, stats.unknown) == (1, 1, 0)
    [waiting] = [d for d in await store.deliveries() if d.status == "pending"]
    assert waiting.not_before == clock.now + timedelta(seconds=5)
    assert stats.next_retry_at == waiting.not_before
    if fault == "reset before read":
        assert fake.dropped_connections == 1
    else:
        assert waiting.user_id == failing
    assert fake.sent_count_in(waiting.user_id) == 0

    clock.advance(seconds=5)
    assert (await worker.tick()).sent == 1
    assert fake.sent_counts() == {str(failing): 1, str(fine): 1}
    assert [d.status for d in await store.deliveries()] == ["sent", "sent"]


async def test_a_message_telegram_rejects_fails_without_pausing_the_user(
    store: Store, fake: FakeTelegram, bot: Bot, clock: Clock
) -> None:
    [user_id] = await store.add_users(1, due_at=TUESDAY_18)
    fake.fail_next(
        "sendMessage", chat_id=user_id, error_code=400, description="Bad Request: message is long"
    )

    stats = await dispatcher(store, bot, clock).tick()

    assert stats.failed == 1
    assert [d.status for d in await store.deliveries(user_id)] == ["failed"]
    assert (await store.user(user_id)).unreachable_since is None
    assert (await store.reminder(user_id)).active is True


# ---------------------------------------------------------------------------- pause, kinds


async def test_paused_users_get_nothing_and_resuming_fires_no_backlog(
    store: Store, fake: FakeTelegram, bot: Bot, clock: Clock
) -> None:
    paused, active = await store.add_users(2, due_at=TUESDAY_18)
    async with store.sessions() as session, session.begin():
        await reminders.set_paused(session, paused, True, clock.now)
    worker = dispatcher(store, bot, clock)

    stats = await worker.tick()

    assert stats.sent == 1 and fake.sent_count_in(paused) == 0
    assert await store.deliveries(paused) == []
    assert (await store.reminder(paused)).next_due_at == FRIDAY_18

    clock.now = FRIDAY_18 + timedelta(hours=1)  # Friday's came and went while paused
    await worker.tick()
    async with store.sessions() as session, session.begin():
        await reminders.set_paused(session, paused, False, clock.now)
    assert (await worker.tick()).sent == 0
    assert fake.sent_count_in(paused) == 0

    clock.now = TUESDAY_18 + timedelta(days=7, seconds=1)
    await worker.tick()
    assert fake.sent_count_in(paused) == 1
    assert fake.sent_count_in(active) == 3


async def test_composers_are_chosen_per_kind(
    store: Store, fake: FakeTelegram, bot: Bot, clock: Clock
) -> None:
    [user_id] = await store.add_users(
        1, due_at=TUESDAY_18, kinds=("leg_day", "checkin", "summary", "stretching")
    )
    seen: list[ReminderContext] = []
    chart = b"\x89PNG\r\n\x1a\n a weekly chart"

    async def checkin(context: ReminderContext) -> ReminderMessage:
        seen.append(context)
        return ReminderMessage(f"Check-in for <b>{context.local_date:%d %B}</b>")

    def summary(context: ReminderContext) -> ReminderMessage:
        return ReminderMessage("Your <b>week</b>", photo=chart)

    worker = dispatcher(
        store,
        bot,
        clock,
        composers={"leg_day": compose_leg_day, "checkin": checkin, "summary": summary},
        per_chat_rate_per_second=50,
    )
    stats = await worker.tick()

    assert (stats.sent, stats.failed) == (3, 0)
    [photo] = [record for record in fake.sent(user_id) if record.method == "sendPhoto"]
    assert (photo.caption, photo.file_bytes) == ("Your <b>week</b>", chart)
    texts = sorted(r.text or "" for r in fake.sent(user_id) if r.method == "sendMessage")
    assert texts[0] == "Check-in for <b>17 November</b>"
    assert "Leg day today" in texts[1]
    assert [context.kind for context in seen] == ["checkin"]
    assert seen[0].chat_id == user_id and seen[0].plan is not None
    by_kind = {d.kind: d.status for d in await store.deliveries(user_id)}
    # Nothing here writes "stretching": it waits for a dispatcher that can.
    assert by_kind == {
        "leg_day": "sent",
        "checkin": "sent",
        "summary": "sent",
        "stretching": "pending",
    }

    def stretching(context: ReminderContext) -> ReminderMessage:
        return ReminderMessage("Time to stretch")

    newer = dispatcher(store, bot, clock, composers={"stretching": stretching})
    assert (await newer.tick()).sent == 1
    assert fake.sent(user_id)[-1].text == "Time to stretch"


# ---------------------------------------------------------------------------- limits, cost


async def test_a_burst_stays_within_telegrams_limits(
    store: Store, fake: FakeTelegram, bot: Bot, clock: Clock
) -> None:
    users = await store.add_users(100, due_at=TUESDAY_18)
    # Four of them get two reminders at once, which must go out a second apart.
    twice = await store.add_users(4, due_at=TUESDAY_18, kinds=("leg_day", "checkin"))
    checkin = {"checkin": lambda context: ReminderMessage("Check-in time")}
    worker = dispatcher(store, bot, clock, composers={"leg_day": compose_leg_day, **checkin})
    fake.enforce_limits(30, 1)

    started = time.monotonic()
    total = TickStats()
    while total.sent < 108:
        stats = await worker.tick()
        assert stats.sent > 0
        total.sent += stats.sent
    elapsed = time.monotonic() - started

    assert fake.too_many_requests == 0
    assert fake.sent_count == 108
    assert fake.sent_counts() == {str(u): 1 for u in users} | {str(u): 2 for u in twice}
    # A sliding second may hold 30: the last 78 need at least 78 / 30 s after the first 30.
    assert elapsed >= 78 / 30
    for user_id in twice:
        first, second = fake.sent(user_id)
        assert second.timestamp - first.timestamp >= 1.0


async def test_database_work_stays_at_about_one_statement_a_message(
    store: Store, bot: Bot, clock: Clock
) -> None:
    await store.add_users(50, due_at=TUESDAY_18)
    statements: list[str] = []
    transactions: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if not statement.lstrip().upper().startswith("BEGIN"):
            statements.append(statement)

    def commit(conn: Any) -> None:
        transactions.append(str(conn.get_execution_options().get("isolation_level")))

    event.listen(store.engine.sync_engine, "before_cursor_execute", count)
    event.listen(store.engine.sync_engine, "commit", commit)
    try:
        stats = await dispatcher(store, bot, clock, send_rate_per_second=30).tick()
    finally:
        event.remove(store.engine.sync_engine, "before_cursor_execute", count)
        event.remove(store.engine.sync_engine, "commit", commit)

    assert stats.sent == 50
    assert [d.status for d in await store.deliveries()] == ["sent"] * 50
    # Per message one UPDATE: its "sending" mark, with the "sent" marks that waited for it.
    # Per tick: recovery, claim and lease in one transaction, a few statements.
    assert len(statements) <= 50 + 10, len(statements)
    if store.engine.dialect.name == "postgresql":
        # The marks' connection runs in autocommit (its commits send nothing): the only
        # transactions with a BEGIN and a COMMIT are the tick's claims.
        assert "AUTOCOMMIT" in transactions
        assert len(transactions) - transactions.count("AUTOCOMMIT") <= 3, transactions


async def test_no_more_sends_are_out_at_once_than_the_rate_needs(
    store: Store, fake: FakeTelegram, bot: Bot, clock: Clock
) -> None:
    users = await store.add_users(60, due_at=TUESDAY_18)
    worker = dispatcher(store, bot, clock)
    fake.enforce_limits(30, 1)
    # 30 a second and a round trip of 50 ms: ceil(30 * 0.05) + 1 = 3 out at once, more
    # only while Telegram (or the database) is measured to be slower.
    assert worker.max_in_flight == 3
    total = 0
    while total < 60:
        total += (await worker.tick()).sent

    assert 1 <= worker.in_flight.peak <= worker.in_flight.highest_limit < 16
    assert fake.sent_counts() == {str(user_id): 1 for user_id in users}
    assert fake.too_many_requests == 0


async def test_a_fixed_number_of_sends_out_at_once_is_never_exceeded(
    store: Store, fake: FakeTelegram, bot: Bot, clock: Clock
) -> None:
    users = await store.add_users(20, due_at=TUESDAY_18)
    worker = dispatcher(store, bot, clock, max_in_flight=2, send_rate_per_second=200)
    stats = await worker.tick()
    assert stats.sent == 20
    assert worker.in_flight.peak == 2
    assert fake.sent_counts() == {str(user_id): 1 for user_id in users}


async def test_the_send_gate_lets_out_no_more_than_its_limit_and_widens_with_the_round_trip() -> (
    None
):
    gate = InFlight(10, 0.05, cap=16)  # ceil(10 * 0.05) + 1 = 2
    out: list[int] = []
    release = asyncio.Event()

    async def send() -> None:
        async with gate.turn():
            out.append(gate.out)
            await release.wait()

    sends = [asyncio.create_task(send()) for _ in range(6)]
    await asyncio.sleep(0.01)
    assert (gate.out, len(out)) == (2, 2)
    gate.record(0.35)  # slower answers: ceil(10 * 0.35) + 1 = 5 may be out
    await asyncio.sleep(0.01)
    assert (gate.out, len(out)) == (5, 5)
    release.set()
    await asyncio.gather(*sends)
    assert max(out) == 5 and gate.out == 0 and gate.peak == 5


def test_sends_out_at_once_follow_the_rate_and_the_round_trip() -> None:
    assert InFlight(30, 0.05, cap=16).limit == 3
    assert InFlight(1, 0.05, cap=16).limit == 2
    slow = InFlight(30, 0.05, cap=16)
    slow.record(0.4)  # Telegram answers slowly: more out at once keep the rate
    assert slow.limit == 13
    assert InFlight(30, 2.0, cap=16).limit == 16
    assert InFlight(30, 0.05, cap=16, fixed=1).limit == 1
    fast = InFlight(30, 0.05, cap=16)
    fast.record(0.001)  # never below what the configured round trip needs
    assert fast.limit == 3


async def test_the_pacer_spaces_sends_and_forgets_idle_chats() -> None:
    pacer = SendPacer(rate_per_second=100, per_chat_rate_per_second=20, margin_s=0.0)

    started = time.monotonic()
    for chat_id in range(60):
        async with pacer.chat_turn(chat_id):
            pacer.depart(await pacer.take_slot(chat_id))
    elapsed = time.monotonic() - started
    assert elapsed >= 59 * pacer.min_gap_s
    # Only chats served within the last 1/20 s (checked every 1/20 s) are remembered.
    assert pacer.tracked_chats <= 2 * 100 / 20 + 1


async def test_the_pacer_gives_one_chat_one_turn_at_a_time() -> None:
    pacer = SendPacer(rate_per_second=1000, per_chat_rate_per_second=10, margin_s=0.0)
    starts: list[float] = []

    async def send() -> None:
        async with pacer.chat_turn(7):
            await pacer.take_slot(7)
            starts.append(time.monotonic())

    await asyncio.gather(send(), send(), send())

    assert starts[1] - starts[0] >= 0.1 - 0.005
    assert starts[2] - starts[1] >= 0.1 - 0.005
    assert pacer.tracked_chats <= 1  # the turn's lock is gone once nobody waits


async def test_the_pacer_never_puts_more_than_the_rate_in_one_window() -> None:
    pacer = SendPacer(rate_per_second=100, per_chat_rate_per_second=1000, margin_s=0.01)
    starts: list[float] = []
    for chat_id in range(130):
        async with pacer.chat_turn(chat_id):
            pacer.depart(await pacer.take_slot(chat_id))
            starts.append(time.monotonic())

    # Any 101 consecutive sends span more than a second.
    spans = [later - earlier for earlier, later in zip(starts, starts[100:], strict=False)]
    assert min(spans) >= 1.0


async def test_a_send_held_up_on_its_way_out_counts_from_when_it_left() -> None:
    pacer = SendPacer(rate_per_second=10, per_chat_rate_per_second=1000, margin_s=0.0)
    first = await pacer.take_slot(0)
    pacer.settle(first)  # answered at once: the fastest round trip
    held_up = await pacer.take_slot(1)
    for chat_id in range(2, 10):
        pacer.settle(await pacer.take_slot(chat_id))
    # Its answer comes only now, so its request may have left only now.
    pacer.settle(held_up)
    await pacer.take_slot(10)
    last = await pacer.take_slot(11)

    # Counted from its start, the window would open at 0.09 s + 1 s; counted from when it
    # may have left, the oldest send still in the window is the third, at 0.18 s.
    assert last.started_at - first.started_at >= 0.18 + 1.0 - 0.01


async def test_a_send_whose_request_has_not_left_counts_as_leaving_any_moment() -> None:
    # Its slot came first, but its request waits (e.g. for "sending" to be saved) and
    # leaves just before the second is up: no ten others may follow within that second.
    pacer = SendPacer(rate_per_second=10, per_chat_rate_per_second=1000, margin_s=0.0)
    waiting = await pacer.take_slot(0)
    others = []
    for chat_id in range(1, 10):
        others.append(slot := await pacer.take_slot(chat_id))
        pacer.depart(slot)
    await asyncio.sleep(max(0.0, waiting.started_at + 0.95 - time.monotonic()))
    pacer.depart(waiting)
    eleventh = await pacer.take_slot(10)

    # Counted from its slot, the waiting send would have let the eleventh go at 1 s.
    assert eleventh.started_at - others[0].started_at >= 1.0 - 0.005


# ---------------------------------------------------------------------------- retention


async def add_delivery(
    store: Store,
    user_id: int,
    due_at: datetime,
    status: str,
    answered: str | None = None,
    kind: str = "leg_day",
) -> int:
    """A delivery row as the dispatcher and the buttons leave it."""
    reminder = await store.reminder(user_id)
    async with store.sessions() as session, session.begin():
        delivery = Delivery(
            reminder_id=reminder.id,
            user_id=user_id,
            kind=kind,
            due_at=due_at,
            local_date=due_at.astimezone(ZoneInfo(BERLIN)).date(),
            status=status,
            not_before=due_at,
            attempts=1,
            sent_at=due_at if status == "sent" else None,
            message_id=1000 if status == "sent" else None,
            answered=answered,
        )
        session.add(delivery)
        await session.flush()
        return delivery.id


async def history(store: Store, user_id: int) -> tuple[list[Any], list[dict[str, Any]]]:
    """What streaks and summaries read (every answered leg day) and what /export gives."""
    async with store.sessions() as session:
        marks = await reminders.leg_days_done(session, user_id, date(2000, 1, 1))
        exported = (await account_data.collect(session, user_id))["deliveries"]
    return marks, exported


async def test_pruning_deletes_old_finished_deliveries_and_keeps_answers_and_recent_ones(
    store: Store, bot: Bot, clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    [user_id] = await store.add_users(1, due_at=TUESDAY_18)
    old = clock() - timedelta(days=100)
    recent = clock() - timedelta(days=10)
    gone = [
        await add_delivery(store, user_id, old + timedelta(days=day), status, answered, kind)
        for day, (status, answered, kind) in enumerate(
            [
                ("sent", None, "leg_day"),
                ("failed", None, "leg_day"),
                ("dropped", None, "leg_day"),
                ("unknown", None, "leg_day"),
                ("sent", None, "checkin"),
                ("sent", None, "summary"),
            ]
        )
    ]
    kept = [
        # The training record: answered reminders stay for good.
        await add_delivery(store, user_id, old - timedelta(days=300), "sent", "done"),
        await add_delivery(store, user_id, old + timedelta(days=1, hours=1), "sent", "done"),
        await add_delivery(store, user_id, old + timedelta(days=2, hours=1), "unknown", "skipped"),
        await add_delivery(store, user_id, old + timedelta(days=4, hours=1), "sent", "snoozed"),
        # Not finished: never pruned, whatever its age.
        await add_delivery(store, user_id, old + timedelta(days=3, hours=1), "pending"),
        # Within the retention.
        await add_delivery(store, user_id, recent, "sent"),
        await add_delivery(store, user_id, recent + timedelta(days=1), "sent", "done"),
        await add_delivery(store, user_id, clock() - timedelta(days=89), "dropped"),
    ]
    marks_before, exported_before = await history(store, user_id)
    pruner = dispatcher(store, bot, clock, retention_days=90, prune_batch=2, prune_pause_s=0)

    with caplog.at_level(logging.INFO, logger="bot.dispatcher"):
        assert await pruner.prune() == len(gone)
    assert await pruner.prune() == 0

    assert sorted(d.id for d in await store.deliveries(user_id)) == sorted(kept)
    marks_after, exported_after = await history(store, user_id)
    assert marks_after == marks_before
    assert len(marks_after) == 4  # three done, one skipped
    assert exported_after == [row for row in exported_before if row["id"] in kept]
    assert any("6 deliveries due before" in record.getMessage() for record in caplog.records)


async def test_pruning_leaves_the_leg_day_streak_and_progress_as_they_were(
    store: Store, bot: Bot, clock: Clock
) -> None:
    [user_id] = await store.add_users(1, due_at=TUESDAY_18)
    # Tuesdays and Fridays of the last five weeks done, each once snoozed first; far older
    # reminders left unanswered.
    for weeks in range(5):
        for days in (0, 3):
            due = TUESDAY_18 - timedelta(weeks=weeks + 1) + timedelta(days=days)
            await add_delivery(store, user_id, due - timedelta(hours=1), "sent", "snoozed")
            await add_delivery(store, user_id, due, "sent", "done")
    for weeks in range(20, 40):
        await add_delivery(store, user_id, TUESDAY_18 - timedelta(weeks=weeks), "sent")

    async def progress() -> tuple[dict[date, str], int]:
        async with store.sessions() as session:
            user = await session.get(User, user_id)
            assert user is not None
            profile = await load_profile(session, user, clock(), (ProfilePart.REMINDER_MARKS,))
        today = clock().astimezone(ZoneInfo(BERLIN)).date()
        marks = profile.reminder_leg_days
        return marks, leg_day_streak((), (1, 4), today, marks)

    before = await progress()
    assert before[1] == 10, before
    pruned = await dispatcher(store, bot, clock, prune_pause_s=0).prune()
    assert pruned == 20  # the old unanswered ones; the snoozes are recent
    assert await progress() == before


async def test_the_run_loop_prunes_old_deliveries_on_its_schedule(
    store: Store, bot: Bot, clock: Clock
) -> None:
    [user_id] = await store.add_users(1, due_at=TUESDAY_18 + timedelta(days=30))
    first = await add_delivery(store, user_id, clock() - timedelta(days=120), "sent")
    worker = dispatcher(store, bot, clock, interval_s=0.05, prune_every_s=0.2)
    stop = asyncio.Event()
    running = asyncio.create_task(worker.run(stop))

    async def pruned(delivery_id: int) -> None:
        deadline = time.monotonic() + 10
        while delivery_id in {d.id for d in await store.deliveries(user_id)}:
            assert time.monotonic() < deadline, "not pruned"
            await asyncio.sleep(0.05)

    try:
        await pruned(first)
        # Rows that grow old later go at a later round.
        second = await add_delivery(store, user_id, clock() - timedelta(days=95), "failed")
        await pruned(second)
    finally:
        stop.set()
        await running


async def test_pruning_uses_the_partial_index(store: Store, bot: Bot, clock: Clock) -> None:
    postgres = store.engine.dialect.name == "postgresql"
    query = dispatcher(store, bot, clock).store.prunable(clock(), 500, postgres=postgres)
    async with store.engine.connect() as connection:
        compiled = query.compile(
            connection.sync_connection, compile_kwargs={"render_postcompile": True}
        )
        names = compiled.positiontup or []
        values = tuple(compiled.params[name] for name in names)
        if connection.dialect.name == "sqlite":
            plan = await connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}", values)
        else:
            # A table this small would be read whole; what matters is that the index fits.
            await connection.exec_driver_sql("SET enable_seqscan = off")
            plan = await connection.exec_driver_sql(f"EXPLAIN {compiled}", values)
        text = " ".join(str(value) for row in plan for value in row)
    assert "ix_deliveries_prunable_due_at" in text, text
