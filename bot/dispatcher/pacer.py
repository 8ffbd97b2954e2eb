"""Pacing of sends to Telegram's limits: about 30 messages a second in all and one a second
to one chat, with no more sends out at once than that rate needs. Pacing is per process:
with several processes, give each a share."""

from __future__ import annotations

import asyncio
import collections
import contextlib
import math
import time
from collections.abc import AsyncIterator, Callable

from bot.lanes import Lanes


class SendSlot:
    """One send booked with the pacer: when its request may have left, at the latest known."""

    __slots__ = ("departed_at", "left_at", "started_at")

    def __init__(self, at: float) -> None:
        self.started_at = at
        self.left_at = at
        self.departed_at: float | None = None  # when its request began to leave


class SendPacer:
    """Keeps sends under Telegram's limits: in any second at most `rate_per_second` messages
    in all and `per_chat_rate_per_second` to one chat.

    Each send counts from the moment its request may have left: when its slot was taken, or,
    once Telegram has answered, as late as the answer allows (the answer time less the
    fastest round trip seen). That covers a request held up on its way out, e.g. by a
    garbage-collection pause, which would otherwise bunch up with later ones at Telegram. A
    new send waits until fewer than `rate` sends fall within the last second plus a margin
    (which absorbs jitter), and at least a minimum gap after the previous one, so the pace
    stays even and a late start can still be made up for. Only chats served within the last
    second are remembered.
    """

    def __init__(
        self,
        rate_per_second: float,
        per_chat_rate_per_second: float,
        margin_s: float = 0.03,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        if rate_per_second <= 0 or per_chat_rate_per_second <= 0:
            raise ValueError("rates must be positive")
        self.window_size = max(1, int(rate_per_second))
        self.window_s = self.window_size / rate_per_second + margin_s
        self.min_gap_s = 0.9 * self.window_s / self.window_size
        self.chat_interval_s = 1.0 / per_chat_rate_per_second + margin_s
        self._monotonic = monotonic
        self._lock = asyncio.Lock()
        self._recent: list[SendSlot] = []  # sends that may still count within the window
        self._last_start = -float("inf")
        self._fastest_answer_s = float("inf")
        self._chat_last: dict[int, SendSlot] = {}
        self._chat_lanes: Lanes[int] = Lanes()
        self._pruned_at = -float("inf")

    @property
    def tracked_chats(self) -> int:
        return len(self._chat_last) + len(self._chat_lanes)

    @contextlib.asynccontextmanager
    async def chat_turn(self, chat_id: int) -> AsyncIterator[None]:
        """One sender per chat at a time, and each only once the chat may get a message
        again; waiting here holds up no other chat. Locks live only while in use."""
        async with self._chat_lanes.of(chat_id):
            last = self._chat_last.get(chat_id)
            if last is not None:
                wait = last.left_at + self.chat_interval_s - self._monotonic()
                if wait > 0:
                    await asyncio.sleep(wait)
            yield

    async def take_slot(self, chat_id: int) -> SendSlot:
        """Waits for the next global send slot and books it for `chat_id`, whose turn the
        caller holds. The caller must start its request right away, `depart` the slot when
        the request begins to leave and `settle` it when Telegram has answered (or failed
        to); until it departs, the send counts as leaving at any moment."""
        async with self._lock:
            while True:
                now = self._monotonic()
                horizon = now - self.window_s
                counted = [(self._counted_at(slot, now), slot) for slot in self._recent]
                counted = [(at, slot) for at, slot in counted if at > horizon]
                self._recent = [slot for _, slot in counted]
                ready_at = self._last_start + self.min_gap_s
                if len(counted) >= self.window_size:
                    times = sorted(at for at, _ in counted)
                    ready_at = max(ready_at, times[-self.window_size] + self.window_s)
                if ready_at <= now:
                    break
                # Check again afterwards: an answer meanwhile may have moved a send later.
                await asyncio.sleep(ready_at - now)
            slot = SendSlot(now)
            self._recent.append(slot)
            self._last_start = now
            self._chat_last[chat_id] = slot
            if now - self._pruned_at >= self.chat_interval_s:
                self._pruned_at = now
                stale = [
                    chat
                    for chat, last in self._chat_last.items()
                    if last.left_at <= now - self.chat_interval_s
                ]
                for chat in stale:
                    del self._chat_last[chat]
            return slot

    def _counted_at(self, slot: SendSlot, now: float) -> float:
        if slot.departed_at is None:
            # Not left yet: it may leave at any moment, so it counts as leaving now (for a
            # window at most, so a slot never reported cannot hold the pace up for good).
            return max(slot.left_at, min(now, slot.started_at + self.window_s))
        return slot.left_at

    def depart(self, slot: SendSlot) -> None:
        """The request of `slot` begins to leave now (its slot may have been granted a
        little earlier, e.g. before the delivery was marked as sending)."""
        now = self._monotonic()
        slot.departed_at = now
        slot.left_at = max(slot.left_at, now)

    def settle(self, slot: SendSlot) -> None:
        """Telegram answered the send of `slot` (or it failed): its request left no later
        than the answer time less the fastest round trip seen so far."""
        now = self._monotonic()
        if slot.departed_at is None:
            slot.departed_at = slot.started_at
        self._fastest_answer_s = min(self._fastest_answer_s, now - slot.departed_at)
        slot.left_at = max(slot.left_at, now - self._fastest_answer_s)


class InFlight:
    """How many sends may be out at once: as many as the rate needs, no more.

    A send is out from its slot to Telegram's answer. Every message out when the process dies
    is one reminder whose fate stays unknown, so the limit is what keeps `rate_per_second`
    going and no more: ceil(rate * round trip) + 1 (the +1 lets the next send take its slot
    while the others are still out), at least 1 and at most `cap`. The round trip is the
    larger of `round_trip_s` (what to expect of Telegram) and the one measured (a moving
    average of the time from a request leaving to its answer), so a slow Telegram still
    gets its rate.
    """

    def __init__(
        self,
        rate_per_second: float,
        round_trip_s: float,
        cap: int,
        fixed: int | None = None,
    ) -> None:
        if cap < 1 or (fixed is not None and fixed < 1):
            raise ValueError("at least one send must be allowed out")
        self.rate_per_second = rate_per_second
        self.expected_round_trip_s = round_trip_s
        self.cap = cap
        self.fixed = fixed
        self.measured_round_trip_s: float | None = None
        self.out = 0
        self.peak = 0  # the most sends out at once so far
        self.highest_limit = 0  # the highest limit any send was let out under
        self._waiters: collections.deque[asyncio.Future[None]] = collections.deque()

    @property
    def limit(self) -> int:
        if self.fixed is not None:
            return self.fixed
        round_trip = max(self.expected_round_trip_s, self.measured_round_trip_s or 0.0)
        return max(1, min(self.cap, math.ceil(self.rate_per_second * round_trip) + 1))

    @contextlib.asynccontextmanager
    async def turn(self) -> AsyncIterator[None]:
        """Waits until fewer than `limit` sends are out, and counts this one out."""
        while self.out >= self.limit:
            waiter = asyncio.get_running_loop().create_future()
            self._waiters.append(waiter)
            try:
                await waiter
            except BaseException:
                if waiter in self._waiters:
                    self._waiters.remove(waiter)
                else:
                    self._wake()  # pass on the turn this one was woken for
                raise
        self.out += 1
        self.peak = max(self.peak, self.out)
        self.highest_limit = max(self.highest_limit, self.limit)
        try:
            yield
        finally:
            self.out -= 1
            self._wake()

    def record(self, round_trip_s: float) -> None:
        """A request took `round_trip_s` from leaving to Telegram's answer."""
        previous = self.measured_round_trip_s
        self.measured_round_trip_s = (
            round_trip_s if previous is None else 0.8 * previous + 0.2 * round_trip_s
        )
        self._wake()

    def _wake(self) -> None:
        free = self.limit - self.out
        while free > 0 and self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(None)
                free -= 1
