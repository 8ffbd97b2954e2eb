"""Benchmark: one user floods the bot while others chat; how long do the others wait?

    .venv/bin/python bench/flood.py [--flood 300] [--others 10] [--rounds 3]

The real bot (`python -m bot run`, SQLite) polls the fake Bot API server of the tests. Ten
users take turns sending /help one at a time (each waits for its answer); meanwhile one user
sends `--flood` messages as fast as the server takes them. Reported: the other users' reply
latency (from the server receiving their message to the bot's answer) with and without the
flood, and what the flooding user got back.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.bot.botprocess import BotProcess
from tests.fake_telegram import FakeTelegram

TOKEN = "135791:FLOOD-bench-token"
FLOODER = 9_000_001


def latencies(fake: FakeTelegram, others: list[int], rounds: int) -> list[float]:
    waited: list[float] = []
    for _ in range(rounds):
        for user in others:
            before = fake.sent_count_in(user)
            started = time.monotonic()
            fake.send_command(user, "/help")
            deadline = started + 60
            while fake.sent_count_in(user) <= before:
                if time.monotonic() > deadline:
                    raise SystemExit(f"user {user} got no answer in 60 s")
                time.sleep(0.002)
            waited.append(time.monotonic() - started)
    return waited


def flood(fake: FakeTelegram, count: int) -> None:
    for number in range(count):
        fake.send_text(FLOODER, f"message {number}")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--flood", type=int, default=300)
    parser.add_argument("--others", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    others = [9_100_000 + number for number in range(args.others)]
    with tempfile.TemporaryDirectory() as folder, FakeTelegram(token=TOKEN) as fake:
        bot = BotProcess(fake.base_url, TOKEN, Path(folder), None, LOG_LEVEL="WARNING").start()
        try:
            latencies(fake, others[:1], 1)  # started and warm
            quiet = latencies(fake, others, args.rounds)
            flooder = threading.Thread(target=flood, args=(fake, args.flood))
            flooder.start()
            loud = latencies(fake, others, args.rounds)
            flooder.join()
            time.sleep(2)
            answered = fake.sent_count_in(FLOODER)
        finally:
            bot.stop()
    for label, values in (("without a flood", quiet), (f"during {args.flood} messages", loud)):
        print(
            f"others' latency {label:>24}: p50 {1000 * statistics.median(values):6.1f} ms, "
            f"p95 {1000 * percentile(values, 0.95):6.1f} ms, max {1000 * max(values):6.1f} ms"
        )
    print(f"the flooding user sent {args.flood} messages and got {answered} answers")
    return 0


if __name__ == "__main__":
    sys.exit(main())
