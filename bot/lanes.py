"""One lock per key while anybody holds or awaits it: work on one key goes one at a time,
in the order it came, and no other key waits for it."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Hashable
from typing import Generic, TypeVar

Key = TypeVar("Key", bound=Hashable)


class Lanes(Generic[Key]):
    """A lock per key that lives only while in use."""

    def __init__(self) -> None:
        self.locks: dict[Key, tuple[asyncio.Lock, int]] = {}

    def __len__(self) -> int:
        return len(self.locks)

    def waiting(self, key: Key) -> int:
        """How many hold or await the lock of `key`."""
        return self.locks.get(key, (None, 0))[1]

    @contextlib.asynccontextmanager
    async def of(self, key: Key) -> AsyncIterator[None]:
        lock, users = self.locks.get(key, (asyncio.Lock(), 0))
        self.locks[key] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self.locks[key]
            if users == 1:
                del self.locks[key]
            else:
                self.locks[key] = (lock, users - 1)
