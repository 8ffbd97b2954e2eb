"""Reminders across kill -9 of the sending dispatcher: lost and doubled.

    .venv/bin/python bench/dispatch_crash.py [--users 1250] [--kills 10] [--processes 2]
                                             [--database-url postgresql://postgres@127.0.0.1/test]

It creates a database of its own on the given PostgreSQL server (dropped afterwards), starts
`--processes` dispatchers (`python -m bot dispatch`, DISPATCH_INTERVAL_S=0.5) against the fake
Bot API server (in this process, enforcing 30 messages a second and 1 per chat), and once
one of them leads, makes `--users` users due at once, each with a leg-day reminder and a
check-in (2,500 by default). Each time another tenth of them (for 10 kills) has gone out,
the dispatcher holding the lock is killed with SIGKILL and started again at once. When every
delivery is settled it reports, from the fake server's messages per delivery id (the id in
each message's buttons):

* lost: deliveries no message arrived for;
* doubled: messages beyond the first for one delivery;
* "sending" at the kills: deliveries whose request had left (or whose "sent" mark had not
  been written yet) when the leader died, i.e. those whose fate was unknown;
* takeover: from each kill to the next message Telegram took;
* 429 answers, and the most processes ever seen holding the lock at once.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
import uuid
from dataclasses import asdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

import asyncpg  # noqa: E402

from bot.config import database_url  # noqa: E402
from bot.storage.migrate import upgrade  # noqa: E402
from tests.bot.dispatch_cluster import TOKEN, crash_run  # noqa: E402
from tests.fake_telegram import FakeTelegram  # noqa: E402


async def _admin(server: str, sql: str) -> None:
    connection = await asyncpg.connect(server)
    try:
        await connection.execute(sql)
    finally:
        await connection.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--users", type=int, default=1250)
    parser.add_argument("--kills", type=int, default=10)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument(
        "--database-url", default="postgresql://postgres@127.0.0.1:5432/test", help="PostgreSQL"
    )
    args = parser.parse_args()
    base = database_url(args.database_url, Path(tempfile.gettempdir()))
    if not base.startswith("postgresql"):
        parser.error("the election needs PostgreSQL")
    server = base.replace("postgresql+asyncpg://", "postgresql://")
    name = f"legday_bench_crash_{uuid.uuid4().hex[:8]}"
    url = base.rsplit("/", 1)[0] + f"/{name}"
    asyncio.run(_admin(server, f'CREATE DATABASE "{name}"'))
    started = time.monotonic()
    try:
        upgrade(url)
        with (
            FakeTelegram(token=TOKEN) as fake,
            tempfile.TemporaryDirectory(prefix="dispatch-crash-") as data_dir,
        ):
            fake.enforce_limits(30, 1)
            outcome = asyncio.run(
                crash_run(
                    url,
                    fake,
                    Path(data_dir),
                    users=args.users,
                    kills=args.kills,
                    processes=args.processes,
                    timeout_s=60 + args.users * 2 / 10,
                    log=True,
                )
            )
    finally:
        asyncio.run(_admin(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    takeovers = [kill.takeover_s for kill in outcome.kills if kill.takeover_s is not None]
    print()
    print(f"due                      {outcome.due} ({args.users} users x 2 kinds)")
    print(f"deliveries               {outcome.deliveries}: {outcome.statuses}")
    print(f"kills of the leader      {len(outcome.kills)}")
    print(f"lost                     {outcome.lost}")
    print(f"doubled                  {outcome.doubled}")
    print(f"'sending' at the kills   {outcome.sending_at_kills}")
    print(f"messages sent            {outcome.sent_messages}")
    print(
        f"takeover (s)             min {min(takeovers):.2f}, "
        f"mean {sum(takeovers) / len(takeovers):.2f}, max {max(takeovers):.2f}"
    )
    print(f"429 answers              {outcome.too_many_requests}")
    print(f"leaders at once, at most {outcome.leaders_at_once}")
    whole_s = time.monotonic() - started
    print(f"from due to settled      {outcome.seconds:.1f} s (whole run {whole_s:.0f} s)")
    print(json.dumps(asdict(outcome)))
    return 0 if outcome.lost == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
