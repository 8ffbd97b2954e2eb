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
from typing import Any

from telegram.error import InvalidToken, NetworkError, TelegramError, TimedOut

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
    await application.initialize()
    try:
        if application.post_init is not None:
            await application.post_init(application)
        await application.start()
        # A webhook left behind would make every long poll fail with 409 Conflict.
        await application.bot.delete_webhook(drop_pending_updates=False)
        await poll(application, stop)
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
        for update in updates:
            # Handlers run to the end here (errors go to the error handler), so moving the
            # offset past an update means it is stored and answered.
            await application.process_update(update)
            offset = update.update_id + 1
    if offset is not None:
        # Confirms the last batch, so a restart does not fetch it again.
        try:
            await bot.get_updates(offset=offset, timeout=0, allowed_updates=ALLOWED_UPDATES)
        except TelegramError as error:
            logger.info("could not confirm the last updates on the way out: %s", error)


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
