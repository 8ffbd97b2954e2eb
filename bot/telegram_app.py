"""The python-telegram-bot application: thin handlers that turn updates into flow events."""

from __future__ import annotations

import asyncio
import contextlib
import html
import logging
import re
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from telegram import (
    Bot,
    BotCommand,
    Chat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    Message,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    Update,
)
from telegram.constants import ChatType, ParseMode
from telegram.error import BadRequest, NetworkError, RetryAfter, TimedOut
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
from bot.dispatcher import DEFAULT_COMPOSERS, DeliveryRequest, Dispatcher
from bot.engine import Coach, Deliver, Response, Sender
from flows import app, i18n, registry
from flows.core import Event, EventKind, Reply
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


_COMMAND = re.compile(r"/([A-Za-z0-9_]{1,64})(?:@(\w+))?(?:\s+(.*))?", re.S)


def event_from_message(message: Message, bot_username: str | None = None) -> Event:
    if message.location is not None:
        return Event.location(message.location.latitude, message.location.longitude)
    text = message.text
    if text is None:
        for kind in ("sticker", "photo", "voice", "video", "document", "audio", "animation"):
            if getattr(message, kind, None):
                return Event.other(kind)
        return Event.other("message")
    command = _COMMAND.fullmatch(text.strip())
    if command:
        addressee = command.group(2)
        if addressee and bot_username and addressee.lower() != bot_username.lower():
            return Event.typed(text)  # "/start@OtherBot" is meant for another bot
        return Event.command(command.group(1), (command.group(3) or "").strip())
    return Event.typed(text)


# Telegram's flood control asks for a pause; longer pauses than this are not waited out
# inside a handler: the reply stays in the outbox and goes with the user's next update.
MAX_RETRY_AFTER_S = 30.0
SEND_ATTEMPTS = 4


async def with_retries(send: Callable[[], Awaitable[Message]]) -> Message:
    """One send or edit, retried where Telegram says it showed nothing."""
    for attempt in range(SEND_ATTEMPTS - 1):
        try:
            return await send()
        except RetryAfter as error:
            wait_s = retry_after_seconds(error)
            if wait_s > MAX_RETRY_AFTER_S:
                raise
            await asyncio.sleep(wait_s)
        except TimedOut:
            raise  # it may have arrived: sending again could show it twice
        except NetworkError as error:
            if isinstance(error, BadRequest):
                raise
            # Refused connections and Telegram's 5xx answers: nothing was shown.
            await asyncio.sleep(0.5 * 2**attempt)
    return await send()


def delivery_to(bot: Bot, chat_id: int) -> Deliver:
    """Sends replies to one chat, retrying what Telegram did not take and says so."""

    async def deliver(reply: Reply, token: str) -> int | None:
        sent = await with_retries(lambda: send_reply(bot, chat_id, reply, token))
        return sent.message_id

    return deliver


def can_become(message: object, reply: Reply) -> bool:
    """Whether a pressed text message can be edited into this reply (files and location
    requests need a message of their own)."""
    return (
        isinstance(message, Message)
        and message.text is not None
        and reply.attachment is None
        and not reply.request_location
    )


async def edit_into(message: Message, chosen: str | None, reply: Reply, token: str) -> Message:
    """The pressed question becomes the next one, headed by the answer chosen: one edit
    instead of marking the old message and sending a new one."""
    head = f"✓ <b>{html.escape(chosen)}</b>\n\n" if chosen else ""
    edited = await message.edit_text(
        head + render(reply),
        reply_markup=keyboard(reply, token),
        disable_web_page_preview=True,
    )
    return edited if isinstance(edited, Message) else message


def retry_after_seconds(error: RetryAfter) -> float:
    retry_after = error.retry_after
    if isinstance(retry_after, timedelta):
        return retry_after.total_seconds()
    return float(retry_after)


def private_chat(chat: Chat | None) -> bool:
    return chat is not None and chat.type == ChatType.PRIVATE


class TelegramFrontend:
    def __init__(self, coach: Coach) -> None:
        self.coach = coach

    async def on_message(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        user = update.effective_user
        chat = update.effective_chat
        if message is None or user is None or chat is None:
            return
        if not private_chat(chat):
            await self.refuse_group(message, context)
            return
        sender = Sender(user.id, chat.id, user.first_name or "", user.language_code or "")
        event = event_from_message(message, context.bot.username)
        await self.coach.handle(
            sender,
            event,
            update.update_id,
            deliver=delivery_to(context.bot, chat.id),
            message_id=message.message_id,
        )

    async def refuse_group(self, message: Message, context: ContextTypes.DEFAULT_TYPE) -> None:
        """In a group the bot reads only commands meant for it; it answers those with a link
        to a private chat and stores nothing about anyone."""
        event = event_from_message(message, context.bot.username)
        if event.kind is not EventKind.COMMAND:
            return
        link = f"https://t.me/{context.bot.username}" if context.bot.username else ""
        # Nothing is stored about anyone here, so Telegram's language is all there is.
        language = message.from_user.language_code if message.from_user else None
        with i18n.use(i18n.from_telegram(language)):
            await message.reply_text(render_key("private_only", {"link": link}))

    async def on_edited(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Edits are not read as answers (the earlier answer already counted): say so and
        show the open question again."""
        user, chat = update.effective_user, update.effective_chat
        if user is None or chat is None or not private_chat(chat):
            return
        sender = Sender(user.id, chat.id, user.first_name or "", user.language_code or "")
        deliver = delivery_to(context.bot, chat.id)
        language = await self.coach.language_of(sender)
        with i18n.use(language):
            await deliver(Reply("edited_message"), "")
        await self.coach.handle(sender, app.REPEAT, update.update_id, deliver=deliver)

    async def on_button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        if query is None or query.from_user is None:
            return
        if query.message is not None and not private_chat(query.message.chat):
            with i18n.use(i18n.from_telegram(query.from_user.language_code)):
                await query.answer(render_key("private_only.alert"))
            return
        chat_id = query.from_user.id
        sender = Sender(
            query.from_user.id,
            chat_id,
            query.from_user.first_name or "",
            query.from_user.language_code or "",
        )
        deliver = delivery_to(context.bot, chat_id)
        reminder_response = await self.coach.press_reminder(sender, query.data or "")
        if reminder_response is not None:
            await self.on_reminder_button(query, context, chat_id, reminder_response)
            return
        token, _, value = (query.data or "").partition(SEPARATOR)
        pressed = Event.button(value, token=token)
        answered = False
        # The first reply replaces the pressed question; the rest come as new messages.
        pressed_message = query.message if isinstance(query.message, Message) else None

        async def settle_query(first: Reply | None) -> None:
            # The pop-up is answered before any message, so the button stops spinning.
            nonlocal answered
            answered = True
            stale = first is not None and first.key == "stale_button"
            try:
                await query.answer(render_key("stale_button.alert") if stale else None)
            except BadRequest as error:  # too old to answer: the messages still go
                logger.info("could not answer a button press: %s", error)

        async def deliver_after_answer(reply: Reply, reply_token: str) -> int | None:
            nonlocal pressed_message
            if not answered:
                await settle_query(reply)
            message, pressed_message = pressed_message, None
            if message is not None and reply.key != "stale_button" and can_become(message, reply):
                try:
                    edited = await with_retries(
                        lambda: edit_into(message, chosen_label(message, value), reply, reply_token)
                    )
                    return edited.message_id
                except BadRequest as error:  # too old to edit: a new message instead
                    logger.info("could not edit the pressed message: %s", error)
            return await deliver(reply, reply_token)

        await self.coach.handle(sender, pressed, update.update_id, deliver=deliver_after_answer)
        if not answered:
            await settle_query(None)

    async def on_reminder_button(
        self, query: Any, context: ContextTypes.DEFAULT_TYPE, chat_id: int, response: Response
    ) -> None:
        with i18n.use(response.language):
            await self._answer_reminder_button(query, context, chat_id, response)

    async def _answer_reminder_button(
        self, query: Any, context: ContextTypes.DEFAULT_TYPE, chat_id: int, response: Response
    ) -> None:
        first = response.replies[0] if response.replies else None
        # Short answers fit the little pop-up; the check-in's questions come as messages.
        if first is not None and first.key.startswith("reminder.answer.") and not first.choices:
            # Answered once: in the pop-up, with the reminder showing the choice.
            await query.answer(render(first))
            if isinstance(query.message, Message) and first.key in CLOSING_ANSWERS:
                await mark_chosen(query.message, query.data.split(SEPARATOR)[-1])
            for reply in response.replies[1:]:
                await send_reply(context.bot, chat_id, reply, response.token)
            return
        await query.answer()
        for reply in response.replies:
            await send_reply(context.bot, chat_id, reply, response.token)


# Answers after which the reminder's buttons have done their job.
CLOSING_ANSWERS = {"reminder.answer.done", "reminder.answer.skipped", "reminder.answer.snoozed"}


def chosen_label(message: Message, value: str) -> str | None:
    """The label of the pressed button, found by its value among the message's buttons."""
    return next(
        (
            button.text
            for row in (message.reply_markup.inline_keyboard if message.reply_markup else ())
            for button in row
            if isinstance(button.callback_data, str)
            and button.callback_data.endswith(SEPARATOR + value)
        ),
        None,
    )


async def mark_chosen(message: Message, value: str) -> None:
    """Shows which button was pressed and removes the keyboard, so it is not pressed twice."""
    label = chosen_label(message, value)
    if label is None or message.text_html is None:
        return
    try:
        await message.edit_text(
            f"{message.text_html}\n\n→ <b>{html.escape(label)}</b>", reply_markup=None
        )
    except BadRequest as error:  # the message is too old or unchanged: nothing to fix
        logger.info("could not mark the chosen button: %s", error)


async def send_reply(bot: Bot, chat_id: int, reply: Reply, token: str) -> Message:
    text = render(reply)
    markup = keyboard(reply, token)
    if reply.attachment is not None:
        attachment = reply.attachment
        send = bot.send_photo if attachment.as_photo else bot.send_document
        return await send(
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
        # Telegram's language: the database may be what failed.
        user = update.effective_user
        language = i18n.from_telegram(user.language_code if user else None)
        try:
            if update.callback_query is not None:
                await update.callback_query.answer()
            with i18n.use(language):
                text = render_key("error.internal")
            await context.bot.send_message(update.effective_chat.id, text)
        except Exception:  # Telegram itself failing; the log above already has the cause
            logger.exception("could not tell the user about the error")


async def register_commands(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """The command menu in every language: Telegram shows a user the list registered for
    their app's language, and the default list (English) to everyone else."""
    for language in i18n.LANGUAGES:
        with i18n.use(language):
            commands = [
                BotCommand(command.name, command.title()) for command in registry.menu_commands()
            ]
        if language == i18n.DEFAULT_LANGUAGE:
            await application.bot.set_my_commands(commands)
        await application.bot.set_my_commands(commands, language_code=language)


class Lifecycle:
    """Starts the reminder dispatcher beside the polling loop or the webhook (unless told not
    to: a worker that only serves the webhook), and stops it cleanly."""

    def __init__(self, settings: Settings, coach: Coach, *, dispatch: bool = True) -> None:
        self.settings = settings
        self.coach = coach
        self.dispatch = dispatch
        self.stop = asyncio.Event()
        self.task: asyncio.Task[None] | None = None

    async def post_init(self, application: Application[Any, Any, Any, Any, Any, Any]) -> None:
        await register_commands(application)
        # On the first start this builds the city index file (in a child process); later
        # starts only open it. Either way off the event loop.
        asyncio.get_running_loop().run_in_executor(None, preload_city_index)
        if not self.dispatch:
            return
        sessions = self.coach.sessions
        dispatcher = Dispatcher.from_settings(
            sessions,
            application.bot,
            self.settings,
            composers={**DEFAULT_COMPOSERS, **routine.composers(sessions)},
        )
        self.task = asyncio.create_task(dispatcher.run(self.stop), name="reminder-dispatcher")

    async def post_shutdown(self, application: Application[Any, Any, Any, Any, Any, Any]) -> None:
        self.stop.set()
        if self.task is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.task, timeout=10)


def build_application(
    settings: Settings, coach: Coach, *, dispatch: bool = True
) -> Application[Any, Any, Any, Any, Any, Any]:
    token = settings.token
    if token is None:
        raise ValueError("TELEGRAM_BOT_TOKEN is not set")
    frontend = TelegramFrontend(coach)
    lifecycle = Lifecycle(settings, coach, dispatch=dispatch)
    application = (
        Application.builder()
        .token(token)
        .base_url(settings.bot_api_base)
        .base_file_url(settings.bot_file_base)
        .request(DeliveryRequest())  # reminders count as sending once their request leaves
        .post_init(lifecycle.post_init)
        .post_shutdown(lifecycle.post_shutdown)
        .defaults(Defaults(parse_mode=ParseMode.HTML))
        # bot.polling fetches updates itself, confirming each only once it is handled; in
        # webhook mode bot.webhook answers each request only once its update is handled.
        .updater(None)
        .build()
    )
    application.add_handler(CallbackQueryHandler(frontend.on_button))
    application.add_handler(MessageHandler(filters.UpdateType.EDITED_MESSAGE, frontend.on_edited))
    application.add_handler(
        MessageHandler(filters.ALL & ~filters.UpdateType.EDITED, frontend.on_message)
    )
    application.add_error_handler(on_error)
    return application
