"""The fake Telegram server, driven by the real python-telegram-bot client over HTTP."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dtm
import json
import threading
import time
import urllib.request
from collections.abc import AsyncIterator, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from telegram import (
    Bot,
    BotCommand,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    Update,
)
from telegram.constants import ChatAction, ParseMode
from telegram.error import (
    BadRequest,
    Conflict,
    EndPointNotFound,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TimedOut,
)
from telegram.ext import Application, ContextTypes, MessageHandler, filters
from telegram.request import HTTPXRequest

from tests.fake_telegram import FakeTelegram, JsonDict

# PTB announces that durations will become timedeltas; `_seconds` copes with either.
pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")

TOKEN = "123:ABC"
USER_ID = 4242


@pytest.fixture
def fake() -> Iterator[FakeTelegram]:
    with FakeTelegram(token=TOKEN) as server:
        yield server


@pytest.fixture
async def bot(fake: FakeTelegram) -> AsyncIterator[Bot]:
    async with Bot(TOKEN, base_url=fake.api_url, base_file_url=fake.file_url) as client:
        yield client


def _keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton("Squats", callback_data="ex:squat")],
            [InlineKeyboardButton("Lunges", callback_data="ex:lunge")],
        ]
    )


def _seconds(retry_after: int | dtm.timedelta) -> float:
    return retry_after.total_seconds() if isinstance(retry_after, dtm.timedelta) else retry_after


async def test_get_me_describes_the_bot(bot: Bot) -> None:
    me = await bot.get_me()

    assert me.id == 123
    assert me.is_bot is True
    assert me.username == "test_bot"


async def test_send_message_returns_a_full_message_and_is_recorded(
    fake: FakeTelegram, bot: Bot
) -> None:
    first = await bot.send_message(
        USER_ID, "<b>Leg day</b> &amp; rest", parse_mode=ParseMode.HTML, reply_markup=_keyboard()
    )
    second = await bot.send_message(USER_ID, "plain")
    elsewhere = await bot.send_message(99, "other chat")

    assert (first.message_id, second.message_id, elsewhere.message_id) == (1, 2, 1)
    assert first.chat.id == USER_ID and first.chat.type == "private"
    assert first.from_user is not None and first.from_user.id == 123
    assert first.text == "Leg day & rest"  # what the user sees, tags stripped
    assert abs(first.date.timestamp() - time.time()) < 5
    assert first.reply_markup is not None
    assert first.reply_markup.inline_keyboard[1][0].callback_data == "ex:lunge"

    records = fake.sent(USER_ID)
    assert [r.text for r in records] == ["<b>Leg day</b> &amp; rest", "plain"]
    assert records[0].parse_mode == "HTML"
    assert records[0].button_labels == ["Squats", "Lunges"]
    assert records[0].callback_data_for("Lunge") == "ex:lunge"
    assert records[1].reply_markup is None
    assert fake.sent_count == 3 and fake.sent_count_in(USER_ID) == 2


async def test_reply_keyboard_is_recorded_but_not_attached_to_the_message(
    fake: FakeTelegram, bot: Bot
) -> None:
    markup = ReplyKeyboardMarkup([[KeyboardButton("Yes"), KeyboardButton("No")]])

    message = await bot.send_message(USER_ID, "Ready?", reply_markup=markup)

    assert message.reply_markup is None
    assert fake.sent(USER_ID)[0].keyboard[0][0] == {"text": "Yes"}
    assert fake.sent(USER_ID)[0].button_labels == ["Yes", "No"]


async def test_edit_message_text_changes_the_chat_state(fake: FakeTelegram, bot: Bot) -> None:
    sent = await bot.send_message(USER_ID, "Pick one", reply_markup=_keyboard())

    edited = await bot.edit_message_text("Squats it is", chat_id=USER_ID, message_id=1)

    assert isinstance(edited, type(sent)) and edited.edit_date is not None
    state = fake.messages_in(USER_ID)
    assert len(state) == 1
    assert state[0].text == "Squats it is"
    assert state[0].reply_markup is None  # an edit without markup drops the keyboard
    assert state[0].edit_count == 1
    assert [r.method for r in fake.sent(USER_ID)] == ["sendMessage", "editMessageText"]
    assert fake.sent_count == 1 and fake.edit_count == 1


async def test_edits_that_change_nothing_or_miss_the_message_are_refused(
    fake: FakeTelegram, bot: Bot
) -> None:
    await bot.send_message(USER_ID, "Pick one", reply_markup=_keyboard())

    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_text(
            "Pick one", chat_id=USER_ID, message_id=1, reply_markup=_keyboard()
        )
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_reply_markup(chat_id=USER_ID, message_id=1, reply_markup=_keyboard())
    with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
        await bot.edit_message_text("x", chat_id=USER_ID, message_id=77)
    with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
        await bot.edit_message_reply_markup(chat_id=USER_ID, message_id=77)

    await bot.edit_message_reply_markup(chat_id=USER_ID, message_id=1, reply_markup=None)
    assert fake.messages_in(USER_ID)[0].reply_markup is None
    assert fake.messages_in(USER_ID)[0].text == "Pick one"


async def test_invalid_html_is_refused_like_telegram(bot: Bot) -> None:
    with pytest.raises(BadRequest, match=r'(?i)unsupported start tag "h1"'):
        await bot.send_message(USER_ID, "<h1>Big</h1>", parse_mode=ParseMode.HTML)
    with pytest.raises(BadRequest, match=r"(?i)can't find end tag"):
        await bot.send_message(USER_ID, "<b>unclosed", parse_mode=ParseMode.HTML)
    with pytest.raises(BadRequest, match=r"(?i)message text is empty"):
        await bot.send_message(USER_ID, "<b></b>", parse_mode=ParseMode.HTML)
    with pytest.raises(BadRequest, match=r"(?i)message is too long"):
        await bot.send_message(USER_ID, "x" * 4097)


async def test_get_updates_long_poll_returns_as_soon_as_a_user_writes(
    fake: FakeTelegram, bot: Bot
) -> None:
    started = time.monotonic()
    poll = asyncio.create_task(bot.get_updates(timeout=5))
    await asyncio.sleep(0.3)
    assert not poll.done()

    fake.send_text(USER_ID, "hello coach")
    updates = await poll

    assert time.monotonic() - started < 3
    assert len(updates) == 1
    message = updates[0].message
    assert message is not None and message.text == "hello coach"
    assert message.from_user is not None and message.from_user.id == USER_ID
    assert message.from_user.language_code == "en" and not message.from_user.is_bot
    assert message.chat.id == USER_ID and message.chat.type == "private"


async def test_get_updates_long_poll_gives_up_after_the_timeout(bot: Bot) -> None:
    started = time.monotonic()

    updates = await bot.get_updates(timeout=1)

    assert updates == ()
    assert 0.9 <= time.monotonic() - started < 3


async def test_offset_confirms_earlier_updates_and_limit_caps_the_batch(
    fake: FakeTelegram, bot: Bot
) -> None:
    ids = [fake.send_text(USER_ID, f"message {n}") for n in range(4)]

    assert [u.update_id for u in await bot.get_updates(limit=2)] == ids[:2]
    remaining = await bot.get_updates(offset=ids[1] + 1)
    assert [u.update_id for u in remaining] == ids[2:]
    assert fake.pending_updates == 2  # fetched but not yet confirmed

    newest = await bot.get_updates(offset=-1)
    assert [u.update_id for u in newest] == ids[3:]
    assert await bot.get_updates(offset=ids[3] + 1) == ()
    assert fake.pending_updates == 0


async def test_user_message_ids_and_bot_message_ids_share_the_chat_sequence(
    fake: FakeTelegram, bot: Bot
) -> None:
    fake.send_text(USER_ID, "hi")
    reply = await bot.send_message(USER_ID, "hello")
    fake.send_text(USER_ID, "again")

    updates = await bot.get_updates()

    user_ids = [u.message.message_id for u in updates if u.message is not None]
    assert user_ids == [1, 3]
    assert reply.message_id == 2


async def test_commands_carry_a_bot_command_entity(fake: FakeTelegram, bot: Bot) -> None:
    fake.send_command(USER_ID, "/start plan")

    (update,) = await bot.get_updates()

    message = update.message
    assert message is not None and message.text == "/start plan"
    assert len(message.entities) == 1
    entity = message.entities[0]
    assert (entity.type, entity.offset, entity.length) == ("bot_command", 0, len("/start"))


async def test_user_media_and_location_updates_parse(fake: FakeTelegram, bot: Bot) -> None:
    fake.send_sticker(USER_ID)
    fake.send_photo_message(USER_ID, caption="my legs")
    fake.send_voice(USER_ID, duration=4)
    fake.send_location(USER_ID, 52.52, 13.405)

    messages = [u.message for u in await bot.get_updates()]

    assert all(m is not None for m in messages)
    sticker, photo, voice, location = messages
    assert sticker is not None and sticker.sticker is not None
    assert photo is not None and photo.photo and photo.caption == "my legs"
    assert voice is not None and voice.voice is not None
    assert _seconds(voice.voice.duration) == 4
    assert location is not None and location.location is not None
    assert (location.location.latitude, location.location.longitude) == (52.52, 13.405)
    assert photo is not None
    photo_file = await photo.photo[-1].get_file()
    assert await photo_file.download_as_bytearray() == bytearray(b"\xff\xd8fake-jpeg\xff\xd9")


async def test_button_press_reaches_the_bot_and_is_answered(fake: FakeTelegram, bot: Bot) -> None:
    await bot.send_message(USER_ID, "Which first?", reply_markup=_keyboard())
    fake.press_button(USER_ID, 1, "ex:lunge")

    (update,) = await bot.get_updates()
    query = update.callback_query
    assert query is not None and query.data == "ex:lunge"
    assert query.from_user.id == USER_ID
    assert query.message is not None and query.message.message_id == 1
    assert query.message.chat.id == USER_ID

    assert await query.answer("Noted", show_alert=True)
    answers = fake.callback_answers
    assert [(a.callback_query_id, a.text, a.show_alert) for a in answers] == [
        (query.id, "Noted", True)
    ]
    with pytest.raises(BadRequest, match=r"(?i)query id is invalid"):
        await query.answer()


def test_pressing_a_button_the_message_does_not_have_is_a_test_error(
    fake: FakeTelegram,
) -> None:
    with pytest.raises(LookupError, match="no message 5"):
        fake.press_button(USER_ID, 5, "ex:squat")


async def test_unknown_callback_data_is_caught_unless_not_strict(
    fake: FakeTelegram, bot: Bot
) -> None:
    await bot.send_message(USER_ID, "Which first?", reply_markup=_keyboard())

    with pytest.raises(LookupError, match="ex:squat"):
        fake.press_button(USER_ID, 1, "ex:deadlift")
    fake.press_button(USER_ID, 1, "stale", strict=False)

    (update,) = await bot.get_updates()
    assert update.callback_query is not None and update.callback_query.data == "stale"


async def test_send_document_uploads_bytes_filename_and_caption(
    fake: FakeTelegram, bot: Bot
) -> None:
    content = b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n\x00\xff"

    message = await bot.send_document(
        USER_ID,
        document=content,
        filename="plan.ics",
        caption="Your <i>plan</i>",
        parse_mode=ParseMode.HTML,
    )

    assert message.document is not None and message.document.file_name == "plan.ics"
    assert message.document.file_size == len(content)
    assert message.caption == "Your plan"
    (record,) = fake.sent(USER_ID)
    assert record.method == "sendDocument"
    assert (record.file_name, record.file_bytes, record.caption) == (
        "plan.ics",
        content,
        "Your <i>plan</i>",
    )
    downloaded = await (await message.document.get_file()).download_as_bytearray()
    assert bytes(downloaded) == content


async def test_send_photo_uploads_bytes(fake: FakeTelegram, bot: Bot) -> None:
    image = b"\x89PNG\r\n\x1a\nfake-chart"

    message = await bot.send_photo(USER_ID, photo=image, caption="Progress")

    assert message.photo and message.caption == "Progress"
    assert fake.sent(USER_ID)[0].file_bytes == image
    assert fake.messages_in(USER_ID)[0].kind == "photo"


async def test_flood_error_surfaces_as_retry_after(fake: FakeTelegram, bot: Bot) -> None:
    fake.fail_next("sendMessage", error_code=429, retry_after=7)

    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(USER_ID, "first try")
    await bot.send_message(USER_ID, "second try")

    assert _seconds(caught.value.retry_after) == 7
    assert fake.too_many_requests == 1
    assert [r.text for r in fake.sent(USER_ID)] == ["second try"]
    assert [c.status for c in fake.calls("sendMessage")] == [429, 200]


async def test_blocked_user_surfaces_as_forbidden(fake: FakeTelegram, bot: Bot) -> None:
    fake.fail_next(
        "sendMessage", USER_ID, error_code=403, description="Forbidden: bot was blocked by the user"
    )

    await bot.send_message(7, "other users are unaffected")
    with pytest.raises(Forbidden, match="blocked by the user"):
        await bot.send_message(USER_ID, "reminder")

    fake.block_user(USER_ID)
    with pytest.raises(Forbidden):
        await bot.send_message(USER_ID, "reminder")
    fake.unblock_user(USER_ID)
    await bot.send_message(USER_ID, "welcome back")
    assert [r.text for r in fake.sent()] == ["other users are unaffected", "welcome back"]


async def test_chat_not_found_surfaces_as_bad_request(fake: FakeTelegram, bot: Bot) -> None:
    fake.fail_next(
        "sendMessage", error_code=400, description="Bad Request: chat not found", times=2
    )

    for _ in range(2):
        with pytest.raises(BadRequest, match=r"(?i)chat not found"):
            await bot.send_message(USER_ID, "hello")
    await bot.send_message(USER_ID, "hello")

    assert fake.sent_count == 1


async def test_wrong_token_is_refused(fake: FakeTelegram) -> None:
    intruder = Bot("999:WRONG", base_url=fake.api_url)

    with pytest.raises(InvalidToken):
        await intruder.initialize()

    assert fake.calls() == []


async def test_unknown_method_is_not_found(bot: Bot) -> None:
    with pytest.raises(EndPointNotFound):
        await bot.do_api_request("sendTelepathy", api_kwargs={"chat_id": USER_ID})


async def test_set_my_commands_is_recorded_and_served_back(fake: FakeTelegram, bot: Bot) -> None:
    await bot.set_my_commands([BotCommand("start", "Begin"), BotCommand("plan", "Your plan")])

    assert fake.commands == [
        {"command": "start", "description": "Begin"},
        {"command": "plan", "description": "Your plan"},
    ]
    assert [c.command for c in await bot.get_my_commands()] == ["start", "plan"]
    with pytest.raises(BadRequest, match=r"(?i)bot_command_invalid"):
        await bot.set_my_commands([BotCommand("Start", "Capitals are refused")])

    await bot.delete_my_commands()
    assert fake.commands == []
    assert await bot.get_my_commands() == ()


async def test_webhook_chat_action_close_and_log_out(fake: FakeTelegram, bot: Bot) -> None:
    fake.send_text(USER_ID, "pending")

    info = await bot.get_webhook_info()
    assert info.url == "" and info.pending_update_count == 1
    assert await bot.delete_webhook(drop_pending_updates=True)
    assert fake.pending_updates == 0
    assert await bot.send_chat_action(USER_ID, ChatAction.TYPING)
    assert fake.calls("sendChatAction")[0].params["action"] == "typing"
    assert await bot.close() and fake.closed
    assert await bot.log_out() and fake.logged_out


async def test_flood_limits_answer_429_per_chat_and_globally(fake: FakeTelegram, bot: Bot) -> None:
    fake.enforce_limits(global_per_second=3, per_chat_per_second=1)

    await bot.send_message(1, "a")
    with pytest.raises(RetryAfter) as per_chat:
        await bot.send_message(1, "b")
    await bot.send_message(2, "c")
    await bot.send_message(3, "d")
    with pytest.raises(RetryAfter):
        await bot.send_message(4, "e")

    assert _seconds(per_chat.value.retry_after) == 1
    assert fake.too_many_requests == 2
    await asyncio.sleep(1.05)
    await bot.send_message(1, "b again")
    assert fake.sent_count == 4

    fake.enforce_limits(None, None)
    for _ in range(5):
        await bot.send_message(1, "unlimited")
    assert fake.sent_count_in(1) == 7


async def test_delay_makes_the_client_time_out_while_the_message_still_arrives(
    fake: FakeTelegram,
) -> None:
    fake.delay_next("sendMessage", 1.0)
    request = HTTPXRequest(read_timeout=0.3)

    async with Bot(TOKEN, base_url=fake.api_url, request=request) as slow_bot:
        with pytest.raises(TimedOut):
            await slow_bot.send_message(USER_ID, "slow")
        record = await fake.wait_for_text_async(USER_ID, "slow", timeout=5)

    assert record.method == "sendMessage"


async def test_a_dropped_connection_is_reset_before_the_request_is_read(
    fake: FakeTelegram, bot: Bot
) -> None:
    fake.drop_next("sendMessage")

    with pytest.raises(NetworkError) as dropped:
        await bot.send_message(USER_ID, "lost on the way")
    cause = dropped.value.__cause__
    while cause is not None and not isinstance(cause, ConnectionResetError):
        cause = cause.__cause__ or cause.__context__
    assert isinstance(cause, ConnectionResetError)
    assert fake.dropped_connections == 1
    assert fake.calls("sendMessage") == [] and fake.sent_count == 0

    await bot.send_message(USER_ID, "next one")  # only the one call was dropped
    assert [record.text for record in fake.sent(USER_ID)] == ["next one"]


def test_without_recording_only_counts_and_duplicates_are_kept() -> None:
    import httpx

    with FakeTelegram(token=TOKEN, record=False) as fake, httpx.Client() as client:
        for text in ("squat", "squat", "lunge"):
            response = client.post(
                f"{fake.api_url}{TOKEN}/sendMessage", json={"chat_id": 5, "text": text}
            )
            assert response.json()["ok"] is True
        client.post(f"{fake.api_url}{TOKEN}/sendMessage", json={"chat_id": 6, "text": "squat"})

        assert fake.sent_count == 4
        assert fake.sent_counts() == {"5": 3, "6": 1}
        assert fake.duplicate_texts() == {(5, "squat"): 2}
        assert fake.wait_for_count(5, 3, timeout=1) == 3
        with pytest.raises(RuntimeError):
            fake.sent()


def test_form_encoded_and_query_parameters_are_understood(fake: FakeTelegram) -> None:
    import httpx

    url = f"{fake.api_url}{TOKEN}/sendMessage"
    with httpx.Client() as client:
        form = client.post(
            url, data={"chat_id": "8", "text": "123", "disable_notification": "true"}
        )
        query = client.get(url, params={"chat_id": "8", "text": "via query"})
        missing = client.post(url, data={"chat_id": "8"})

    assert form.json()["result"]["text"] == "123"  # numeric text stays a string
    assert query.json()["result"]["message_id"] == 2
    assert missing.status_code == 400
    assert missing.json() == {
        "ok": False,
        "error_code": 400,
        "description": "Bad Request: message text is empty",
    }
    assert fake.sent(8)[0].params["disable_notification"] is True


def test_wait_for_times_out_with_what_was_sent(fake: FakeTelegram) -> None:
    with pytest.raises(TimeoutError, match="0 of 1"):
        fake.wait_for(lambda record: record.chat_id == USER_ID, timeout=0.2)


async def test_application_polling_answers_an_echo_handler(fake: FakeTelegram) -> None:
    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.message is not None and update.message.text is not None
        await update.message.reply_text(f"echo: {update.message.text}")

    application = Application.builder().token(TOKEN).base_url(fake.api_url).build()
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    await application.initialize()
    assert application.updater is not None
    await application.updater.start_polling(poll_interval=0, timeout=1)
    await application.start()
    try:
        fake.send_text(USER_ID, "squats done")
        fake.send_text(USER_ID + 1, "lunges done")
        first = await fake.wait_for_text_async(USER_ID, "echo: squats done")
        second = await fake.wait_for_text_async(USER_ID + 1, "echo: lunges done")
    finally:
        await application.updater.stop()
        await application.stop()
        await application.shutdown()

    assert first.message_id == 2  # after the user's own message 1
    assert second.chat_id == USER_ID + 1
    assert fake.pending_updates == 0  # stopping confirmed the handled updates


# --- webhook delivery ---------------------------------------------------------------------


class _Receiver:
    """A webhook endpoint on 127.0.0.1 that records each POST and answers with the statuses
    it is given in turn (then 200), each held back by the delays given in turn (then none)."""

    def __init__(self, statuses: list[int] | None = None, delays: list[float] | None = None):
        self.statuses = list(statuses or [])
        self.delays = list(delays or [])
        self.received: list[tuple[dict[str, str], JsonDict]] = []
        self.in_flight = 0
        self.most_in_flight = 0
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                with receiver.lock:
                    receiver.in_flight += 1
                    receiver.most_in_flight = max(receiver.most_in_flight, receiver.in_flight)
                    receiver.received.append((dict(self.headers), json.loads(body)))
                    status = receiver.statuses.pop(0) if receiver.statuses else 200
                    delay_s = receiver.delays.pop(0) if receiver.delays else 0.0
                time.sleep(delay_s)
                with receiver.lock:
                    receiver.in_flight -= 1
                with contextlib.suppress(OSError):
                    self.send_response(status)
                    self.send_header("Content-Length", "0")
                    self.end_headers()

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/hook"

    def texts(self) -> list[str]:
        with self.lock:
            return [update["message"]["text"] for _, update in self.received]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[_Receiver]:
    endpoint = _Receiver()
    yield endpoint
    endpoint.close()


async def test_set_webhook_posts_each_update_with_the_secret_and_getupdates_conflicts(
    fake: FakeTelegram, bot: Bot, receiver: _Receiver
) -> None:
    before = fake.send_text(USER_ID, "sent before the webhook")

    assert await bot.set_webhook(
        receiver.url, secret_token="s3cret_-Token", allowed_updates=["message"]
    )
    after = fake.send_text(USER_ID, "sent after it")
    fake.press_button(USER_ID, 1, "not|allowed", strict=False)  # not an allowed update type
    await asyncio.to_thread(fake.wait_for_webhook_idle, 5.0)

    assert [update["update_id"] for _, update in receiver.received] == [before, after]
    headers, first = receiver.received[0]
    assert headers["X-Telegram-Bot-Api-Secret-Token"] == "s3cret_-Token"
    assert headers["Content-Type"] == "application/json"
    assert Update.de_json(first, bot).message.text == "sent before the webhook"  # type: ignore[union-attr]
    info = await bot.get_webhook_info()
    assert info.url == receiver.url and info.pending_update_count == 0
    with pytest.raises(Conflict, match="webhook is active"):
        await bot.get_updates(timeout=0)

    assert await bot.delete_webhook()
    queued = fake.send_text(USER_ID, "polled again")
    await asyncio.sleep(0.2)
    assert [update.update_id for update in await bot.get_updates(timeout=0)] == [queued]
    assert len(receiver.received) == 2


async def test_set_webhook_refuses_a_secret_telegram_would_refuse(bot: Bot) -> None:
    with pytest.raises(BadRequest, match="secret token"):
        await bot.set_webhook("http://127.0.0.1:9/hook", secret_token="no spaces allowed")


def test_webhook_retries_an_error_answer_and_keeps_each_chats_order() -> None:
    receiver = _Receiver(statuses=[500, 403])
    with FakeTelegram(token=TOKEN, webhook_retry_s=0.05) as fake:
        try:
            fake.send_text(USER_ID, "one")
            fake.send_text(USER_ID, "two")
            fake.send_text(USER_ID, "three")
            _set_webhook(fake, receiver.url)
            fake.wait_for_webhook_idle(5.0)
        finally:
            receiver.close()
        attempts = fake.webhook_attempts()

    # The first update failed twice and came again; the later ones waited for it.
    assert receiver.texts() == ["one", "one", "one", "two", "three"]
    assert [attempt.status for attempt in attempts] == [500, 403, 200, 200, 200]
    assert fake.webhook_delivered == 3 and fake.webhook_failed == 2
    assert fake.pending_updates == 0


def test_webhook_retries_after_a_time_out_without_holding_up_other_chats() -> None:
    slow = _Receiver(delays=[0.6, 0.6])  # the first two are answered too late, then at once
    with FakeTelegram(token=TOKEN, webhook_timeout_s=0.3, webhook_retry_s=0.05) as fake:
        try:
            fake.send_text(USER_ID, "slow")
            fake.send_text(USER_ID + 1, "other chat")
            _set_webhook(fake, slow.url)
            fake.wait_for_webhook_idle(5.0)
        finally:
            slow.close()
        attempts = fake.webhook_attempts()

    # Both chats' first tries were under way at once and timed out; each came again once.
    assert slow.most_in_flight >= 2
    assert sorted(slow.texts()) == ["other chat", "other chat", "slow", "slow"]
    assert [attempt.status for attempt in attempts[:2]] == [None, None]
    assert all("timed out" in (attempt.error or "") for attempt in attempts[:2])
    assert all(attempt.ok for attempt in attempts[2:])


def test_balanced_webhook_spreads_updates_and_skips_a_dead_worker() -> None:
    first, second = _Receiver(), _Receiver()
    dead = "http://127.0.0.1:9/hook"  # the discard port: the connection is refused
    with FakeTelegram(token=TOKEN, webhook_retry_s=0.02) as fake:
        try:
            fake.balance_webhook([first.url, dead, second.url])
            _set_webhook(fake, "https://coach.example.org/hook")
            for number in range(12):
                fake.send_text(USER_ID + number % 4, f"update {number}")
            fake.wait_for_webhook_idle(5.0)
        finally:
            first.close()
            second.close()
        attempts = fake.webhook_attempts()

    delivered = sorted(first.texts() + second.texts(), key=lambda text: int(text.split()[1]))
    assert delivered == [f"update {number}" for number in range(12)]
    assert first.texts() and second.texts()
    assert {attempt.url for attempt in attempts if not attempt.ok} == {dead}
    assert fake.webhook_delivered == 12


def _set_webhook(fake: FakeTelegram, url: str) -> None:
    """setWebhook as a bot calls it, over HTTP."""
    body = json.dumps({"url": url, "secret_token": "token-1"}).encode()
    request = urllib.request.Request(
        f"{fake.api_url}{TOKEN}/setWebhook",
        data=body,
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=5) as response:
        assert json.loads(response.read())["result"] is True
