"""A bare python-telegram-bot echo bot: the yardstick that bench/updates.py measures the
coach against.

    TELEGRAM_BOT_TOKEN=123:ABC TELEGRAM_BASE_URL=http://127.0.0.1:8081 \\
        .venv/bin/python bench/echo_bot.py

One MessageHandler sends every text back as it came, one CallbackQueryHandler answers the
button press and sends a message; no database, no state. It polls with python-telegram-bot's
own updater (`run_polling`) and, like the coach, handles one update at a time.
"""

from __future__ import annotations

import logging
import os

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, ContextTypes, MessageHandler, filters


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    if message is not None and message.text:
        await context.bot.send_message(message.chat_id, message.text)


async def pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    if query is None or update.effective_chat is None:
        return
    await query.answer()
    await context.bot.send_message(update.effective_chat.id, f"You pressed {query.data}")


def main() -> None:
    logging.basicConfig(
        level=os.environ.get("LOG_LEVEL", "WARNING"),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    root = os.environ.get("TELEGRAM_BASE_URL", "https://api.telegram.org").rstrip("/")
    application = (
        Application.builder()
        .token(os.environ["TELEGRAM_BOT_TOKEN"])
        .base_url(root.removesuffix("/bot") + "/bot")
        .build()
    )
    application.add_handler(MessageHandler(filters.TEXT, echo))
    application.add_handler(CallbackQueryHandler(pressed))
    application.run_polling(allowed_updates=["message", "callback_query"])


if __name__ == "__main__":
    main()
