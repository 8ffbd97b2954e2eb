"""The python-telegram-bot application: thin handlers that turn updates into flow events."""

from __future__ import annotations

import asyncio
import contextlib
import html
import logging
import re
from typing import Any

from telegram import (
    BotCommand,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    Message,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    ContextTypes,
    Defaults,
    MessageHandler,
    filters,
)

from bot import routine
from bot.config import Settings
from bot.dispatcher import DEFAULT_COMPOSERS, Dispatcher
from bot.engine import Coach, Response, Sender
from flows import app, registry
from flows.core import Event, Reply
from flows.places import preload_city_index
from flows.texts import render, render_key

logger = logging.getLogger(__name__)

# callback_data is "<conversation token>|<choice value>", at most 64 bytes.
SEPARATOR = "|"
MAX_CALLBACK_BYTES = 64


def callback_data(token: str, value: str) -> str:
    data = f"{token}{SEPARATOR}{value}"
    if len(data.encode()) > MAX_CALLBACK_BYTES:
        raise ValueError(f"callback data too long: {data!r}")
    return data


def keyboard(reply: Reply, token: str) -> Any:
    if reply.request_location:
        button = KeyboardButton(
            reply.values.get("location_label", "Send my location"), request_location=True
        )
        return ReplyKeyboardMarkup([[button]], one_time_keyboard=True, resize_keyboard=True)
    if not reply.choices:
        return None
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(choice.label, callback_data=callback_data(token, choice.value))
                for choice in row
            ]
            for row in reply.choices
        ]
    )


def event_from_message(message: Message) -> Event:
    if message.location is not None:
        return Event.location(message.location.latitude, message.location.longitude)
    text = message.text
    if text is None:
        for kind in ("sticker", "photo", "voice", "video", "document", "audio", "animation"):
            if getattr(message, kind, None):
                return Event.other(kind)
        return Event.other("message")
    command = re.fullmatch(r"/([A-Za-z0-9_]{1,64})(?:@\w+)?(?:\s+(.*))?", text.strip(), re.S)
    if command:
        return Event.command(command.group(1), (command.group(2) or "").strip())
    return Event.typed(text)


class TelegramFrontend:
    def __init__(self, coach: Coach) -> None:
        self.coach = coach

    async def send_replies(
        self, context: ContextTypes.DEFAULT_TYPE, chat_id: int, response: Response
    ) -> None:
        for reply in response.replies:
            await send_reply(context.bot, chat_id, reply, response.token)

    async def on_message(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        user = update.effective_user
        if message is None or user is None or update.effective_chat is None:
            return
        sender = Sender(user.id, update.effective_chat.id, user.first_name or "")
        response = await self.coach.handle(sender, event_from_message(message), update.update_id)
        await self.send_replies(context, sender.chat_id, response)

    async def on_edited(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Edits are not read as answers (the earlier answer already counted): say so and
        show the open question again."""
        user, chat = update.effective_user, update.effective_chat
        if user is None or chat is None:
            return
        sender = Sender(user.id, chat.id, user.first_name or "")
        response = await self.coach.handle(sender, app.REPEAT, update.update_id)
        response = Response([Reply("edited_message"), *response.replies], response.token)
        await self.send_replies(context, chat.id, response)

    async def on_button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        if query is None or query.from_user is None:
            return
        chat_id = query.message.chat.id if query.message is not None else query.from_user.id
        sender = Sender(query.from_user.id, chat_id, query.from_user.first_name or "")
        reminder_response = await self.coach.press_reminder(sender, query.data or "")
        if reminder_response is not None:
            await self.on_reminder_button(query, context, chat_id, reminder_response)
            return
        token, _, value = (query.data or "").partition(SEPARATOR)
        response = await self.coach.handle(
            sender, Event.button(value, token=token), update.update_id
        )
        stale = any(reply.key == "stale_button" for reply in response.replies)
        await query.answer(render_key("stale_button.alert") if stale else None)
        if not stale and isinstance(query.message, Message):
            await mark_chosen(query.message, value)
        await self.send_replies(context, chat_id, response)

    async def on_reminder_button(
        self, query: Any, context: ContextTypes.DEFAULT_TYPE, chat_id: int, response: Response
    ) -> None:
        first = response.replies[0] if response.replies else None
        # Short answers fit the little pop-up; the check-in's questions come as messages.
        if first is not None and first.key.startswith("reminder.answer.") and not first.choices:
            await query.answer(render(first))
            if isinstance(query.message, Message) and first.key in CLOSING_ANSWERS:
                await mark_chosen(query.message, query.data.split(SEPARATOR)[-1])
            await self.send_replies(context, chat_id, response)
            return
        await query.answer()
        await self.send_replies(context, chat_id, response)


# Answers after which the reminder's buttons have done their job.
CLOSING_ANSWERS = {"reminder.answer.done", "reminder.answer.skipped", "reminder.answer.snoozed"}


async def mark_chosen(message: Message, value: str) -> None:
    """Shows which button was pressed and removes the keyboard, so it is not pressed twice."""
    label = next(
        (
            button.text
            for row in (message.reply_markup.inline_keyboard if message.reply_markup else ())
            for button in row
            if isinstance(button.callback_data, str)
            and button.callback_data.endswith(SEPARATOR + value)
        ),
        None,
    )
    if label is None or message.text_html is None:
        return
    try:
        await message.edit_text(
            f"{message.text_html}\n\n→ <b>{html.escape(label)}</b>",
            parse_mode=ParseMode.HTML,
            reply_markup=None,
        )
    except BadRequest as error:  # the message is too old or unchanged: nothing to fix
        logger.info("could not mark the chosen button: %s", error)


async def send_reply(bot: Any, chat_id: int, reply: Reply, token: str) -> Message:
    text = render(reply)
    markup = keyboard(reply, token)
    if reply.attachment is not None:
        attachment = reply.attachment
        if attachment.as_photo:
            return await bot.send_photo(
                chat_id,
                attachment.content,
                caption=text or None,
                parse_mode=ParseMode.HTML,
                reply_markup=markup,
                filename=attachment.filename,
            )
        return await bot.send_document(
            chat_id,
            attachment.content,
            caption=text or None,
            parse_mode=ParseMode.HTML,
            reply_markup=markup,
            filename=attachment.filename,
        )
    if markup is None and reply.values.get("remove_keyboard"):
        markup = ReplyKeyboardRemove()
    return await bot.send_message(
        chat_id, text, parse_mode=ParseMode.HTML, reply_markup=markup, disable_web_page_preview=True
    )


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The one error handler: log it, and never leave the user without an answer."""
    logger.error("error while handling an update", exc_info=context.error)
    if isinstance(update, Update) and update.effective_chat is not None:
        try:
            if update.callback_query is not None:
                await update.callback_query.answer()
            await context.bot.send_message(update.effective_chat.id, render_key("error.internal"))
        except Exception:  # Telegram itself failing; the log above already has the cause
            logger.exception("could not tell the user about the error")


async def register_commands(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    await application.bot.set_my_commands(
        [BotCommand(command.name, command.menu_title) for command in registry.menu_commands()]
    )


class Lifecycle:
    """Starts the reminder dispatcher beside the polling loop, and stops it cleanly."""

    def __init__(self, settings: Settings, coach: Coach) -> None:
        self.settings = settings
        self.coach = coach
        self.stop = asyncio.Event()
        self.task: asyncio.Task[None] | None = None

    async def post_init(self, application: Application[Any, Any, Any, Any, Any, Any]) -> None:
        await register_commands(application)
        sessions = self.coach.sessions
        dispatcher = Dispatcher.from_settings(
            sessions,
            application.bot,
            self.settings,
            composers={**DEFAULT_COMPOSERS, **routine.composers(sessions)},
        )
        self.task = asyncio.create_task(dispatcher.run(self.stop), name="reminder-dispatcher")
        # The city index takes a moment to build; do it now, off the event loop.
        asyncio.get_running_loop().run_in_executor(None, preload_city_index)

    async def post_shutdown(self, application: Application[Any, Any, Any, Any, Any, Any]) -> None:
        self.stop.set()
        if self.task is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.task, timeout=10)


def build_application(
    settings: Settings, coach: Coach
) -> Application[Any, Any, Any, Any, Any, Any]:
    token = settings.token
    if token is None:
        raise ValueError("TELEGRAM_BOT_TOKEN is not set")
    frontend = TelegramFrontend(coach)
    lifecycle = Lifecycle(settings, coach)
    application = (
        Application.builder()
        .token(token)
        .base_url(settings.bot_api_base)
        .base_file_url(settings.bot_file_base)
        .post_init(lifecycle.post_init)
        .post_shutdown(lifecycle.post_shutdown)
        .defaults(Defaults(parse_mode=ParseMode.HTML))
        .build()
    )
    application.add_handler(CallbackQueryHandler(frontend.on_button))
    application.add_handler(MessageHandler(filters.UpdateType.EDITED_MESSAGE, frontend.on_edited))
    application.add_handler(
        MessageHandler(filters.ALL & ~filters.UpdateType.EDITED, frontend.on_message)
    )
    application.add_error_handler(on_error)
    return application
