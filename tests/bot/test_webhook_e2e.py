"""Webhook workers (`python -m bot` with WEBHOOK_URL) as real processes on one PostgreSQL.

Forged requests are refused and change nothing; an update sent again is applied once; two
workers given one user's updates at the same moment apply them one at a time; and three
workers behind the fake Bot API's load balancing, killed with SIGKILL at random while 30
users are interviewed, lose no answer and apply none twice.
"""

from __future__ import annotations

import asyncio
import json
import random
import socket
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
from pydantic import ValidationError

from bot.config import Settings, database_url
from bot.flood import FLOOD_LIMIT
from bot.storage.migrate import upgrade
from bot.webhook import script_heads, webhook_path
from tests.bot.botprocess import OWN_SETTINGS, BotProcess, bot_env, run_bot_command
from tests.bot.test_crash_e2e import ScriptedUser, expected_answers
from tests.conftest import IN_CI, POSTGRES_URL, _admin
from tests.fake_telegram import FakeTelegram

TOKEN = "777333:WEBHOOK-token-never-logged"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
HOOK_PATH = "/telegram/hook"
HELP_TEXT = "asks about your training, food and sleep"
START_TIMEOUT_S = 60.0


@pytest.fixture
def database() -> Iterator[tuple[str, str]]:
    """A fresh, migrated PostgreSQL database: (SQLAlchemy URL, asyncpg URL)."""
    name = f"legday_webhook_{uuid.uuid4().hex[:10]}"
    try:
        asyncio.run(_admin(f'CREATE DATABASE "{name}"'))
    except (OSError, asyncpg.PostgresError, TimeoutError) as error:
        if IN_CI:
            pytest.fail(f"PostgreSQL is required under CI=true but unreachable: {error}")
        pytest.skip(f"PostgreSQL not reachable at {POSTGRES_URL} ({error}); set TEST_DATABASE_URL")
    url = database_url(POSTGRES_URL, Path(".")).rsplit("/", 1)[0] + f"/{name}"
    upgrade(url)
    yield url, url.replace("postgresql+asyncpg://", "postgresql://")
    asyncio.run(_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def query(dsn: str, sql: str, *args: Any) -> list[asyncpg.Record]:
    async def run() -> list[asyncpg.Record]:
        connection = await asyncpg.connect(dsn, timeout=10)
        try:
            return list(await connection.fetch(sql, *args))
        finally:
            await connection.close()

    return asyncio.run(run())


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Worker(BotProcess):
    """One web worker on a port of its own. It registers `public_url` (the load balancer's,
    the same for every worker), or without one its own address."""

    def __init__(
        self, fake: FakeTelegram, data_dir: Path, url: str, public_url: str | None = None
    ) -> None:
        self.port = free_port()
        super().__init__(
            fake.base_url,
            TOKEN,
            data_dir,
            url,
            WEBHOOK_URL=public_url or f"http://127.0.0.1:{self.port}{HOOK_PATH}",
            PORT=str(self.port),
            CHART_WORKERS="0",
            DISPATCH_INTERVAL_S="2",
        )

    @property
    def root(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def hook(self) -> str:
        return self.root + HOOK_PATH

    def serving(self) -> bool:
        assert self.process is not None and self.process.poll() is None, self.log[-3000:]
        try:
            return httpx.get(self.root + "/healthz", timeout=1).status_code == 200
        except httpx.TransportError:
            return False

    def wait_serving(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT_S
        while not self.serving():
            assert time.monotonic() < deadline, "the worker did not start serving"
            time.sleep(0.1)


def start_workers(
    fake: FakeTelegram, tmp_path: Path, url: str, count: int, public_url: str
) -> list[Worker]:
    workers = [
        Worker(fake, tmp_path / f"worker{number}", url, public_url).start()
        for number in range(count)
    ]
    for worker in workers:
        worker.wait_serving()
    return workers


class Updates:
    """Hand-made updates, numbered as Telegram numbers them."""

    def __init__(self) -> None:
        self.next_id = 5_000
        self.next_message_id = 100_000  # above any message id of the bot's in the fake

    def message(self, user_id: int, text: str) -> dict[str, Any]:
        self.next_id += 1
        self.next_message_id += 1
        message: dict[str, Any] = {
            "message_id": self.next_message_id,
            "from": {"id": user_id, "is_bot": False, "first_name": f"User{user_id}"},
            "chat": {"id": user_id, "type": "private", "first_name": f"User{user_id}"},
            "date": int(time.time()),
            "text": text,
        }
        if text.startswith("/"):
            message["entities"] = [
                {"type": "bot_command", "offset": 0, "length": len(text.split()[0])}
            ]
        return {"update_id": self.next_id, "message": message}


def post(url: str, body: bytes | Any, secret: str | None) -> int:
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers[SECRET_HEADER] = secret
    content = body if isinstance(body, bytes) else json.dumps(body).encode()
    return httpx.post(url, content=content, headers=headers, timeout=30).status_code


def stored_secret(dsn: str) -> str:
    rows = query(dsn, "SELECT value FROM settings_kv WHERE key = 'webhook_secret'")
    return str(rows[0]["value"])


def update_ids_of(dsn: str, user_id: int) -> list[int]:
    rows = query(dsn, "SELECT recent_update_ids FROM conversations WHERE user_id = $1", user_id)
    return [int(value) for value in json.loads(rows[0]["recent_update_ids"])]


def test_forged_requests_are_refused_and_a_replayed_update_is_applied_once(
    tmp_path: Path, database: tuple[str, str]
) -> None:
    url, dsn = database
    updates = Updates()
    with FakeTelegram(token=TOKEN) as fake:
        worker = Worker(fake, tmp_path / "worker", url).start()
        try:
            worker.wait_serving()
            fake.wait_for_calls("setWebhook", timeout=START_TIMEOUT_S)
            secret = stored_secret(dsn)
            assert fake.webhook_url == worker.hook
            assert httpx.get(worker.root + "/readyz").status_code == 200

            # Telegram's own delivery, with the secret the worker registered.
            fake.send_command(9001, "/start")
            fake.wait_for_text(9001, "Question 1 of", timeout=20)

            # Forged or broken requests: refused, and nothing about the user is stored.
            forged = updates.message(9002, "/start")
            assert post(worker.hook, forged, None) == 403
            assert post(worker.hook, forged, "not-the-secret") == 403
            assert post(worker.hook, forged, secret.upper()) == 403
            padded = {**forged, "padding": "x" * 300_000}
            assert post(worker.hook, padded, secret) == 413
            chunks = (b"x" * 65_536 for _ in range(5))  # no Content-Length: read up to the limit
            assert (
                httpx.post(worker.hook, content=chunks, headers={SECRET_HEADER: secret}).status_code
                == 413
            )
            assert post(worker.hook, b'{"update_id": 1, "message": {', secret) == 400
            assert post(worker.hook, b"[1, 2, 3]", secret) == 400
            assert post(worker.hook, {"message": forged["message"]}, secret) == 400
            assert post(worker.hook, {"update_id": 1, "message": "not a message"}, secret) == 400
            assert post(worker.hook, {"update_id": 1, "message": {"chat": 1}}, secret) == 400
            assert httpx.get(worker.hook).status_code == 405
            assert query(dsn, "SELECT id FROM users WHERE id = 9002") == []
            assert fake.sent(9002) == []

            # The same update twice (Telegram sending it again after no answer): applied once.
            start = updates.message(9003, "/start")
            assert post(worker.hook, start, secret) == 200
            shown = fake.sent_count_in(9003)
            assert post(worker.hook, start, secret) == 200
            answer = updates.message(9003, "intermediate")
            assert post(worker.hook, answer, secret) == 200
            assert post(worker.hook, answer, secret) == 200
            texts = [record.text or "" for record in fake.sent(9003)]
            assert sum("Question 1 of" in text for text in texts) == 1
            assert sum("Question 2 of" in text for text in texts) == 1
            assert fake.sent_count_in(9003) == shown + 1
            assert update_ids_of(dsn, 9003) == [start["update_id"], answer["update_id"]]

            # Ready only while the schema is at this version's head and the database answers.
            query(dsn, "UPDATE alembic_version SET version_num = '0005'")
            assert httpx.get(worker.root + "/readyz").status_code == 503
            query(dsn, "UPDATE alembic_version SET version_num = $1", _head())
            assert httpx.get(worker.root + "/readyz").status_code == 200
            name = dsn.rsplit("/", 1)[1]
            asyncio.run(_admin(f'DROP DATABASE "{name}" WITH (FORCE)'))
            assert httpx.get(worker.root + "/readyz", timeout=10).status_code == 503
            assert httpx.get(worker.root + "/healthz").status_code == 200
        finally:
            worker.stop()
    assert worker.process is not None and worker.process.returncode == 0
    assert TOKEN not in worker.log
    assert secret not in worker.log


@pytest.mark.parametrize(
    ("variables", "problem"),
    [
        ({"WEBHOOK_SECRET": "has spaces"}, "webhook_secret"),
        ({"WEBHOOK_SECRET": "x" * 257}, "webhook_secret"),
        ({"WEBHOOK_URL": "coach.example.org/hook"}, "webhook_url"),
        ({"PORT": "0"}, "port"),
        ({"WEBHOOK_MAX_BODY_BYTES": "10"}, "webhook_max_body_bytes"),
    ],
)
def test_settings_refuse_what_telegram_or_the_server_would_refuse(
    monkeypatch: pytest.MonkeyPatch, variables: dict[str, str], problem: str
) -> None:
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ValidationError, match=problem):
        Settings(_env_file=None)


def test_settings_read_the_webhook_and_leave_an_empty_one_unset(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("WEBHOOK_URL", " ")
    monkeypatch.setenv("WEBHOOK_SECRET", "")
    settings = Settings(_env_file=None)
    assert (settings.webhook_url, settings.secret, settings.port) == (None, None, 8080)
    monkeypatch.setenv("WEBHOOK_URL", "https://coach.example.org/telegram")
    monkeypatch.setenv("WEBHOOK_SECRET", "A-b_9")
    settings = Settings(_env_file=None)
    assert settings.webhook_url == "https://coach.example.org/telegram"
    assert settings.secret == "A-b_9"
    assert webhook_path(settings.webhook_url) == "/telegram"
    assert webhook_path(None) == "/webhook"


def _head() -> str:
    (head,) = script_heads()
    return head


def test_one_users_updates_at_two_workers_at_once_are_applied_one_at_a_time(
    tmp_path: Path, database: tuple[str, str]
) -> None:
    url, dsn = database
    typed, expected = expected_answers()
    updates = Updates()
    with FakeTelegram(token=TOKEN) as fake:
        workers = start_workers(fake, tmp_path, url, 2, "https://coach.example.org" + HOOK_PATH)
        try:
            fake.wait_for_calls("setWebhook", 2, timeout=START_TIMEOUT_S)
            secret = stored_secret(dsn)
            hooks = [worker.hook for worker in workers]
            with ThreadPoolExecutor(max_workers=10) as pool:

                def both(update: dict[str, Any]) -> list[int]:
                    """The same update at both workers at once, as when Telegram sends it
                    again while the first try is still being handled."""
                    return list(pool.map(lambda hook: post(hook, update, secret), hooks))

                # A whole interview, every answer sent to both workers at the same moment.
                assert both(updates.message(9101, "/start")) == [200, 200]
                for answer in typed:
                    assert both(updates.message(9101, answer)) == [200, 200]

                # Ten different updates of one user at once, five at each worker.
                assert both(updates.message(9102, "/start")) == [200, 200]
                helps = [updates.message(9102, "/help") for _ in range(10)]
                statuses = list(
                    pool.map(
                        lambda pair: post(hooks[pair[0] % 2], pair[1], secret), enumerate(helps)
                    )
                )
        finally:
            for worker in workers:
                worker.stop()

        help_replies = [r for r in fake.sent(9102) if HELP_TEXT in (r.text or "")]

    rows = query(dsn, "SELECT answers FROM assessments WHERE user_id = 9101")
    assert [json.loads(row["answers"]) for row in rows] == [expected]
    assert statuses == [200] * 10
    # Each applied exactly once, one after another: none lost to a concurrent write.
    applied = update_ids_of(dsn, 9102)
    assert sorted(applied[-10:]) == [update["update_id"] for update in helps]
    assert len(help_replies) == 10
    for worker in workers:
        assert "Traceback" not in worker.log


def test_a_flood_at_a_worker_gets_one_polite_answer_and_others_are_answered(
    tmp_path: Path, database: tuple[str, str]
) -> None:
    """Forty messages of one user at once at one worker: the lane takes FLOOD_LIMIT at a
    time, the rest is answered once, politely, and not applied; someone else is answered
    meanwhile."""
    url, dsn = database
    updates = Updates()
    flooder, other = 9301, 9302
    with FakeTelegram(token=TOKEN) as fake:
        [worker] = start_workers(fake, tmp_path, url, 1, "https://coach.example.org" + HOOK_PATH)
        try:
            fake.wait_for_calls("setWebhook", 1, timeout=START_TIMEOUT_S)
            secret = stored_secret(dsn)
            assert post(worker.hook, updates.message(flooder, "/start"), secret) == 200
            flood = [updates.message(flooder, f"spam {number}") for number in range(40)]
            with ThreadPoolExecutor(max_workers=41) as pool:
                statuses = pool.map(lambda update: post(worker.hook, update, secret), flood)
                answered = pool.submit(post, worker.hook, updates.message(other, "/start"), secret)
                assert answered.result() == 200
                assert list(statuses) == [200] * 40
        finally:
            worker.stop()
        answers = [record.text or "" for record in fake.sent(flooder)]
        other_answers = [record.text or "" for record in fake.sent(other)]
    notices = [text for text in answers if "so many messages at once" in text]
    assert len(notices) == 1
    applied = update_ids_of(dsn, flooder)
    flood_ids = {update["update_id"] for update in flood}
    # FLOOD_LIMIT at a time: one that finished early may let another in before the first
    # is turned away, so a few more than the limit can be applied, never the whole flood.
    applied_flood = len(flood_ids & set(applied))
    assert 0 < applied_flood <= 2 * FLOOD_LIMIT
    # The welcome and first question, at most an answer and the question again for each
    # message applied, and the one notice: nothing for the messages turned away.
    assert len(answers) <= 2 + 2 * applied_flood + 1
    assert any("Question 1 of" in text for text in other_answers)
    assert "Traceback" not in worker.log


USERS = 30
# A random worker is killed this often (seconds, at random) and started again at once, as
# long as another one is serving; a worker may be killed again while it is starting.
KILL_EVERY_S = (1.0, 2.5)
MAX_KILLS = 8
MIN_KILLS = 4


def test_three_workers_killed_at_random_lose_no_answer_and_apply_none_twice(
    tmp_path: Path, database: tuple[str, str]
) -> None:
    url, dsn = database
    typed, expected = expected_answers()
    rng = random.Random(20261201)
    with FakeTelegram(token=TOKEN, webhook_timeout_s=15.0, webhook_retry_s=0.1) as fake:
        workers = start_workers(fake, tmp_path, url, 3, "https://coach.example.org" + HOOK_PATH)
        fake.balance_webhook([worker.hook for worker in workers], seed=7)
        users = [ScriptedUser(9200 + number, typed) for number in range(USERS)]
        began = time.monotonic()
        kills = 0
        try:
            fake.wait_for_calls("setWebhook", 3, timeout=START_TIMEOUT_S)
            for user in users:
                fake.send_command(user.user_id, "/start")
                user.sent_at, user.waiting = time.monotonic(), True
            restarted_at = time.monotonic()
            next_kill = time.monotonic() + rng.uniform(*KILL_EVERY_S)
            deadline = time.monotonic() + 150
            while not all(user.finished for user in users):
                progress = sorted(user.answers_sent for user in users)
                assert time.monotonic() < deadline, f"not finished: {kills} kills, {progress}"
                for user in users:
                    if not user.finished:
                        user.step(fake, restarted_at)
                if kills < MAX_KILLS and time.monotonic() >= next_kill:
                    victim = rng.choice(workers)
                    if any(worker.serving() for worker in workers if worker is not victim):
                        victim.kill()
                        kills += 1
                        victim.start()
                        restarted_at = time.monotonic()
                    next_kill = time.monotonic() + rng.uniform(*KILL_EVERY_S)
                time.sleep(0.02)
            elapsed_s = time.monotonic() - began
            fake.wait_for_webhook_idle(30.0)
        finally:
            for worker in workers:
                worker.stop()
        failed, delivered = fake.webhook_failed, fake.webhook_delivered

    rows = query(dsn, "SELECT user_id, answers FROM assessments ORDER BY user_id, id")
    assert [row["user_id"] for row in rows] == [user.user_id for user in users]
    for row in rows:
        assert json.loads(row["answers"]) == expected
    for user in users:
        assert user.answers_sent >= len(typed)
        applied = update_ids_of(dsn, user.user_id)
        assert len(applied) == len(set(applied)), f"user {user.user_id}: an update applied twice"
    assert kills >= MIN_KILLS
    assert failed > 0  # some deliveries did meet a killed worker and came again
    for worker in workers:
        assert "Traceback" not in worker.log
        assert TOKEN not in worker.log
    print(
        f"\n{USERS} users, {kills} kills in {elapsed_s:.1f} s: {delivered} updates delivered, "
        f"{failed} deliveries failed and sent again, "
        f"{sum(u.answers_sent for u in users) - USERS * len(typed)} answers typed again"
    )


def test_the_web_command_needs_a_token(tmp_path: Path) -> None:
    env = bot_env(tmp_path, without=OWN_SETTINGS | {"WEBHOOK_URL"})
    result = run_bot_command(["web"], tmp_path, env, timeout=60)
    assert result.returncode == 1, result.stderr[-2000:]
    assert "TELEGRAM_BOT_TOKEN" in result.stderr
