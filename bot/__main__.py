"""Entry point: `python -m bot [run|web|dispatch|chat|migrate]`.

run      Telegram when TELEGRAM_BOT_TOKEN is set (the webhook when WEBHOOK_URL is set, else
         long polling), else the terminal chat (the default)
web      a webhook worker on PORT (registers WEBHOOK_URL with Telegram when it is set);
         --no-dispatcher leaves reminders to the other processes
dispatch reminders, check-ins and weekly summaries alone (no polling, no webhook); on
         PostgreSQL one dispatcher sends at a time, the others stand by
chat     the terminal chat; --user ID picks who is chatting
migrate  apply database migrations and exit (the Procfile's release step)
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import sys

from pydantic import ValidationError
from telegram.error import InvalidToken, NetworkError

from bot import logs
from bot.config import Settings
from bot.engine import Coach
from bot.storage.db import create_engine, create_sessions
from bot.storage.migrate import upgrade
from bot.terminal import read_stdin_line, run_chat
from flows import i18n
from flows.texts.terminal import TEXTS as TERMINAL_TEXTS

logger = logging.getLogger(__name__)


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bot", description="Leg Day Coach")
    parser.add_argument(
        "command", nargs="?", default="run", choices=["run", "web", "dispatch", "chat", "migrate"]
    )
    parser.add_argument(
        "--user", type=int, default=1, help="terminal chat: the user id (default 1)"
    )
    parser.add_argument(
        "--language",
        choices=sorted(i18n.LANGUAGES),
        metavar="CODE",
        help=f"terminal chat: the language to chat in, one of {', '.join(sorted(i18n.LANGUAGES))} "
        "(default: the one chosen before, else English)",
    )
    parser.add_argument(
        "--no-dispatcher",
        action="store_true",
        help="web: serve updates only; reminders are sent by the other processes",
    )
    return parser.parse_args(argv)


async def chat(settings: Settings, user_id: int, language: str | None = None) -> None:
    engine = create_engine(settings.sqlalchemy_url)
    try:
        coach = Coach(create_sessions(engine))
        await run_chat(
            coach,
            user_id,
            read_stdin_line,
            sys.stdout,
            settings.data_dir / "files",
            interval_s=settings.dispatch_interval_s,
            language=language,
        )
    finally:
        await engine.dispose()


def run_telegram(settings: Settings) -> None:
    from bot.telegram_app import build_application

    engine = create_engine(settings.sqlalchemy_url)
    coach = Coach(create_sessions(engine))
    application = build_application(settings, coach)
    logger.info("starting the Telegram bot at %s", settings.telegram_base_url)
    from bot import polling

    async def serve() -> None:
        try:
            await polling.run(application)
        finally:
            await engine.dispose()  # in the loop that opened its connections

    asyncio.run(serve())


def run_web(settings: Settings, *, dispatch: bool = True) -> None:
    from bot import webhook
    from bot.telegram_app import build_application

    engine = create_engine(settings.sqlalchemy_url)
    sessions = create_sessions(engine)
    application = build_application(settings, Coach(sessions), dispatch=dispatch)
    logger.info("starting a webhook worker for the Bot API at %s", settings.telegram_base_url)
    if not settings.webhook_url:
        logger.warning(
            "WEBHOOK_URL is not set: serving on port %d without registering a webhook",
            settings.port,
        )

    async def serve() -> None:
        try:
            await webhook.serve(settings, application, sessions)
        finally:
            await engine.dispose()

    asyncio.run(serve())


async def dispatch_alone(settings: Settings, stop: asyncio.Event | None = None) -> None:
    """The reminder dispatcher by itself, until SIGTERM or SIGINT (or `stop`): in-flight
    sends are finished and recorded, unsent work is handed back, the lock is released."""
    import signal

    from telegram import Bot

    from bot import routine
    from bot.dispatcher import DEFAULT_COMPOSERS, DeliveryRequest, Dispatcher

    token = settings.token
    assert token is not None
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(signum, stop.set)
    engine = create_engine(settings.sqlalchemy_url)
    sessions = create_sessions(engine)
    bot = Bot(
        token,
        base_url=settings.bot_api_base,
        base_file_url=settings.bot_file_base,
        request=DeliveryRequest(connection_pool_size=32),
    )
    try:
        async with bot:  # checks the token (getMe)
            dispatcher = Dispatcher.from_settings(
                sessions,
                bot,
                settings,
                composers={**DEFAULT_COMPOSERS, **routine.composers(sessions)},
            )
            logger.info(
                "dispatching reminders through the Bot API at %s", settings.telegram_base_url
            )
            await dispatcher.run(stop)
    finally:
        await engine.dispose()


def run_bot(
    settings: Settings, *, web: bool, dispatch: bool = True, dispatch_only: bool = False
) -> int:
    """Telegram, by webhook or long polling, or the dispatcher alone; the exit status."""
    try:
        if dispatch_only:
            asyncio.run(dispatch_alone(settings))
        elif web:
            run_web(settings, dispatch=dispatch)
        else:
            run_telegram(settings)
    except InvalidToken:
        logger.error(
            "Telegram refused the bot token, so the bot stops. Check TELEGRAM_BOT_TOKEN: "
            "it is the whole token @BotFather gave, like 123456789:AAH4f..., "
            "and the bot was not deleted or its token revoked."
        )
        return 2
    except NetworkError as error:
        logger.error("cannot reach the Bot API at %s: %s", settings.telegram_base_url, error)
        return 3
    return 0


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        settings = Settings()
    except ValidationError as error:
        # The token is a secret field, so pydantic shows it as stars here.
        print(f"The configuration (environment or .env) is not valid:\n{error}", file=sys.stderr)
        return 1
    in_terminal = args.command == "chat" or (args.command == "run" and not settings.token)
    # In the terminal chat, logs would be mixed into the conversation: warnings only.
    logs.configure(
        "WARNING" if in_terminal else settings.log_level, settings.token, settings.log_format
    )
    url = settings.sqlalchemy_url
    upgrade(url)
    if args.command == "migrate":
        logger.info("database is up to date")
        return 0
    if args.command == "web" and not settings.token:
        logger.error("a webhook worker needs TELEGRAM_BOT_TOKEN (see .env.example)")
        return 1
    if args.command == "dispatch":
        if not settings.token:
            logger.error("the dispatcher needs TELEGRAM_BOT_TOKEN (see .env.example)")
            return 1
        return run_bot(settings, web=False, dispatch_only=True)
    if args.command == "web" or (args.command == "run" and settings.token):
        web = args.command == "web" or settings.webhook_url is not None
        return run_bot(settings, web=web, dispatch=not args.no_dispatcher)
    if args.command == "run":
        with i18n.use(args.language):
            print(TERMINAL_TEXTS["terminal.no_token"] + "\n", flush=True)
    try:
        asyncio.run(chat(settings, args.user, args.language))
    except KeyboardInterrupt:
        # Ctrl-C in the terminal chat: every answer is saved already, so no traceback.
        with i18n.use(args.language):
            print("\n" + TERMINAL_TEXTS["terminal.bye"], flush=True)
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
