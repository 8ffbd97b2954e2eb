"""Telegram's webhook: each update comes as an HTTP request, answered 200 only once handled.

The request is answered only after `application.process_update` has returned, so the update
is stored and its replies sent (or kept in the outbox) by then. A process killed before
that leaves Telegram without an answer, and Telegram sends the update again, to this
process after its restart or to another worker; the engine recognises an update it applied
already by its id. Any number of workers may serve one PostgreSQL database: the engine
locks the user's row while it applies an update, so one user's updates are applied one at
a time, and Telegram sends a chat's next update only once the one before was answered.

Requests without the right X-Telegram-Bot-Api-Secret-Token header get 403, bodies over
WEBHOOK_MAX_BODY_BYTES 413 and anything that is not an update 400; none of them reaches the
bot. /healthz answers while the process is alive, /readyz only while the database is
reachable and its schema at this version's head.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import secrets
import signal
import sys
from collections.abc import Awaitable
from typing import Any
from urllib.parse import urlsplit

import uvicorn
from alembic.script import ScriptDirectory
from sqlalchemy import text
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route
from telegram import Update

from bot import logs
from bot.config import Settings
from bot.flood import FLOOD_LIMIT, FloodGuard, language_code_of
from bot.lanes import Lanes
from bot.polling import ALLOWED_UPDATES, running, user_of
from bot.storage import kv
from bot.storage.db import Sessions
from bot.storage.migrate import MIGRATIONS

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
SECRET_KEY = "webhook_secret"
DEFAULT_PATH = "/webhook"
# /readyz gives the database this long before it answers 503.
READY_TIMEOUT_S = 3.0
# On SIGTERM, requests under way get this long to finish; Telegram sends the rest again.
GRACEFUL_SHUTDOWN_S = 20

Application = Any  # telegram.ext.Application with its six type parameters


def webhook_path(url: str | None) -> str:
    """The path the worker serves: the webhook URL's own, or /webhook without one."""
    if not url:
        return DEFAULT_PATH
    return urlsplit(url).path or "/"


def new_secret() -> str:
    # 43 characters of A-Z, a-z, 0-9, "-" and "_": what Telegram allows in a secret token.
    return secrets.token_urlsafe(32)


async def webhook_secret(settings: Settings, sessions: Sessions) -> str:
    """WEBHOOK_SECRET, or the one stored in the database, made by the first worker that
    needed it; every worker on that database then checks requests against the same one."""
    return settings.secret or await kv.get_or_create(sessions, SECRET_KEY, new_secret)


def script_heads() -> set[str]:
    """The revisions this version's migrations end at."""
    return set(ScriptDirectory(str(MIGRATIONS)).get_heads())


class UserLanes(Lanes[int]):
    """One lock per user who has a request under way, so a user's updates that reach this
    process at once are handled one after the other in the order they came (the database
    lock orders them across processes)."""


async def _read_body(request: Request, limit: int) -> bytes | None:
    """The body, or None when it is longer than `limit` (reading stops there)."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        return None
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            return None
    return bytes(body)


def create_app(
    application: Application,
    sessions: Sessions,
    secret: str,
    *,
    path: str = DEFAULT_PATH,
    max_body_bytes: int = 262_144,
    heads: set[str] | None = None,
) -> Starlette:
    """The ASGI app: the webhook at `path`, /healthz and /readyz."""
    lanes = UserLanes()
    guard = FloodGuard(application.bot)
    expected = secret.encode()
    at_head = heads if heads is not None else script_heads()

    async def receive_update(request: Request) -> Response:
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, expected):
            logger.warning("refused a webhook request without the right secret token")
            return PlainTextResponse("forbidden", status_code=403)
        body = await _read_body(request, max_body_bytes)
        if body is None:
            logger.warning("refused a webhook request of more than %d bytes", max_body_bytes)
            return PlainTextResponse("request body too large", status_code=413)
        try:
            data = json.loads(body)
            if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
                raise ValueError("not an update")
            update = Update.de_json(data, application.bot)
        except Exception as error:  # whatever python-telegram-bot cannot read as an update
            logger.warning(
                "refused a webhook request that is not an update: %s: %s",
                type(error).__name__,
                error,
            )
            return PlainTextResponse("not a Telegram update", status_code=400)
        user_id = user_of(update)
        if guard.cooling(user_id) or lanes.waiting(user_id) >= FLOOD_LIMIT:
            # A flood: answered once, not applied; 200 so that Telegram does not send it
            # again (as the polling loop confirms the excess of a batch).
            await guard.flooded(user_id, 1, language_code_of(update))
            return Response(status_code=200)
        async with lanes.of(user_id):
            # Errors inside go to the application's error handler, which answers the user.
            await application.process_update(update)
        return Response(status_code=200)

    async def healthz(request: Request) -> Response:
        return PlainTextResponse("ok")

    async def readyz(request: Request) -> Response:
        try:
            current = await asyncio.wait_for(_schema_revisions(sessions), READY_TIMEOUT_S)
        except Exception as error:  # unreachable, refusing, or not migrated at all
            logger.warning("not ready: the database cannot be read (%s)", error)
            return PlainTextResponse("database unreachable", status_code=503)
        if current != at_head:
            logger.warning("not ready: the database is at %s, this version at %s", current, at_head)
            return PlainTextResponse("database not at this version's schema", status_code=503)
        return PlainTextResponse("ready")

    return Starlette(
        routes=[
            Route(path, receive_update, methods=["POST"]),
            Route("/healthz", healthz, methods=["GET"]),
            Route("/readyz", readyz, methods=["GET"]),
        ]
    )


async def _schema_revisions(sessions: Sessions) -> set[str]:
    async with sessions() as session:
        rows = await session.execute(text("SELECT version_num FROM alembic_version"))
        return {str(row[0]) for row in rows}


async def register(application: Application, url: str, secret: str) -> None:
    await application.bot.set_webhook(
        url, secret_token=secret, allowed_updates=ALLOWED_UPDATES, drop_pending_updates=False
    )
    logger.info("webhook registered at %s", url)


def redact_in_logs(settings: Settings, secret: str) -> None:
    """From now on the logs redact the secret token as they do the bot token (a secret
    chosen too short to tell from ordinary words is left alone)."""
    if len(secret) < logs.MIN_SECRET_PART:
        return
    redact = logs.Redactor([settings.token, secret])
    for handler in logging.getLogger().handlers:
        if isinstance(handler.formatter, logs.RedactingFormatter):
            handler.formatter.redact = redact
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, logs.RedactingStream):
            stream.redact = redact


async def serve(settings: Settings, application: Application, sessions: Sessions) -> None:
    """Serves the webhook on PORT until SIGTERM or SIGINT, registering it with Telegram once
    the port is open when WEBHOOK_URL is set. The application is started before the port
    opens, so a refused token or an unreachable Bot API stops the worker with that error."""
    secret = await webhook_secret(settings, sessions)
    redact_in_logs(settings, secret)
    app = create_app(
        application,
        sessions,
        secret,
        path=webhook_path(settings.webhook_url),
        max_body_bytes=settings.webhook_max_body_bytes,
    )
    config = uvicorn.Config(
        app,
        host="0.0.0.0",  # the worker sits behind the platform's router
        port=settings.port,
        log_config=None,
        access_log=False,
        lifespan="off",
        timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_S,
    )
    server = uvicorn.Server(config)
    async with running(application):
        serving = asyncio.create_task(_quietly(server.serve()))
        while not server.started and not serving.done():
            await asyncio.sleep(0.05)
        if server.started:
            logger.info("serving the webhook on port %d", settings.port)
        if server.started and settings.webhook_url:
            try:
                await register(application, settings.webhook_url, secret)
            except BaseException:
                server.should_exit = True
                await serving
                raise
        await serving


async def _quietly(serving: Awaitable[None]) -> None:
    """uvicorn raises SIGTERM and SIGINT again once it has shut down; the handlers it then
    restores are these, which ignore them, so the process ends normally after its clean-up."""
    previous = {
        signum: signal.signal(signum, signal.SIG_IGN) for signum in (signal.SIGINT, signal.SIGTERM)
    }
    try:
        await serving
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
