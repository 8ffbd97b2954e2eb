"""Long polling that confirms an update to Telegram only after it has been handled.

python-telegram-bot's own updater confirms a batch as soon as it has fetched it, so a process
killed before handling the batch loses it. Here the offset moves past an update only once
the update is handled and stored; after a crash Telegram sends the unconfirmed ones again
and the engine recognises those it had already applied by their ids.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import AsyncIterator
from typing import Any

from telegram.error import InvalidToken, NetworkError, TelegramError, TimedOut

from bot.flood import FLOOD_LIMIT, FloodGuard, language_code_of

logger = logging.getLogger(__name__)

ALLOWED_UPDATES = ["message", "edited_message", "callback_query"]
# Telegram holds a long poll open up to this long when there is nothing to fetch.
POLL_TIMEOUT_S = 25
MAX_BACKOFF_S = 30.0

Application = Any  # telegram.ext.Application with its six type parameters


async def run(application: Application, stop: asyncio.Event | None = None) -> None:
    """Runs the application until SIGINT or SIGTERM (or `stop`): start-up, polling and a
    clean shutdown that confirms every update handled."""
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(signum, stop.set)
    async with running(application):
        # A webhook left behind would make every long poll fail with 409 Conflict.
        await application.bot.delete_webhook(drop_pending_updates=False)
        await poll(application, stop)


@contextlib.asynccontextmanager
async def running(application: Application) -> AsyncIterator[None]:
    """The application started (post_init included) and shut down cleanly afterwards."""
    await application.initialize()
    try:
        if application.post_init is not None:
            await application.post_init(application)
        await application.start()
        yield
    finally:
        if application.running:
            await application.stop()
        if application.post_stop is not None:
            await application.post_stop(application)
        await application.shutdown()
        if application.post_shutdown is not None:
            await application.post_shutdown(application)


async def poll(application: Application, stop: asyncio.Event) -> None:
    bot = application.bot
    offset: int | None = None
    backoff_s = 1.0
    lanes = Lanes(application)
    while not stop.is_set():
        try:
            updates = await _fetch(bot, offset, stop)
        except InvalidToken:
            raise
        except TimedOut:
            continue
        except NetworkError as error:
            logger.warning("fetching updates failed, retrying in %.0f s: %s", backoff_s, error)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), backoff_s)
            backoff_s = min(backoff_s * 2, MAX_BACKOFF_S)
            continue
        if updates is None:
            break
        backoff_s = 1.0
        if updates:
            # Handlers run to the end (errors go to the error handler), so moving the offset
            # past the batch once it is done means every update in it is stored and answered.
            await lanes.run(updates)
            offset = updates[-1].update_id + 1
    if offset is not None:
        # Confirms the last batch, so a restart does not fetch it again.
        try:
            await bot.get_updates(offset=offset, timeout=0, allowed_updates=ALLOWED_UPDATES)
        except TelegramError as error:
            logger.info("could not confirm the last updates on the way out: %s", error)


class Lanes:
    """Runs a batch of updates with one lane per user: a user's updates one after another and
    in order, different users' at the same time, so nobody waits behind someone else. More
    than FLOOD_LIMIT of one user's in a batch are a flood (bot.flood)."""

    def __init__(self, application: Application) -> None:
        self.application = application
        self.guard = FloodGuard(application.bot)

    async def run(self, updates: list[Any]) -> None:
        by_user: dict[int, list[Any]] = {}
        for update in updates:
            by_user.setdefault(user_of(update), []).append(update)
        async with asyncio.TaskGroup() as group:
            for user_id, own in by_user.items():
                group.create_task(self._lane(user_id, own))

    async def _lane(self, user_id: int, updates: list[Any]) -> None:
        read = [] if self.guard.cooling(user_id) else updates[:FLOOD_LIMIT]
        for update in read:
            await self.application.process_update(update)
        if len(read) < len(updates):
            unread = len(updates) - len(read)
            await self.guard.flooded(user_id, unread, language_code_of(updates[-1]))


def user_of(update: Any) -> int:
    """The user an update comes from, or its chat where it names no user."""
    user = update.effective_user
    if user is not None:
        return int(user.id)
    chat = update.effective_chat
    return int(chat.id) if chat is not None else 0


async def _fetch(bot: Any, offset: int | None, stop: asyncio.Event) -> Any:
    """One long poll, or None when `stop` is set first (the poll is then abandoned: what it
    would have returned is not confirmed, so Telegram keeps it)."""
    fetch = asyncio.ensure_future(
        bot.get_updates(
            offset=offset,
            timeout=POLL_TIMEOUT_S,
            allowed_updates=ALLOWED_UPDATES,
            read_timeout=POLL_TIMEOUT_S + 10,
        )
    )
    stopping = asyncio.ensure_future(stop.wait())
    done, _ = await asyncio.wait({fetch, stopping}, return_when=asyncio.FIRST_COMPLETED)
    if fetch in done:
        stopping.cancel()
        return fetch.result()
    fetch.cancel()
    with contextlib.suppress(asyncio.CancelledError, TelegramError):
        await fetch
    return None
