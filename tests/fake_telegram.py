"""A fake Telegram Bot API server for tests.

It speaks real HTTP on 127.0.0.1 so the unmodified python-telegram-bot client can talk to it
(``telegram.Bot(token, base_url=fake.api_url)``). It answers with the Bot API's response shapes,
simulates users writing to the bot, records what the bot sends and can inject Telegram's errors
(429 flood control, 403 blocked, 400 bad request) and delays.

Updates reach the bot through getUpdates, or, after setWebhook, as Telegram does it: each one
POSTed as JSON to the webhook's URL with the X-Telegram-Bot-Api-Secret-Token header, one at a
time per chat and in order, again after a non-2xx answer, a refused connection or a time-out
(with a short back-off), while getUpdates answers 409 Conflict. `balance_webhook` spreads the
deliveries over several URLs, as a load balancer in front of several workers would.

Everything runs in background threads; every public method is thread-safe. The blocking
``wait_for*`` helpers have ``*_async`` twins for tests whose bot runs on the same event loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import http.client
import itertools
import json
import logging
import math
import queue
import random
import re
import socket
import struct
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Generic, TypeVar
from urllib.parse import parse_qsl, unquote, urlsplit

logger = logging.getLogger(__name__)

ChatId = int | str
JsonDict = dict[str, Any]

# Methods that put something into a chat; only these count towards the flood limits.
_RATE_LIMITED_METHODS = frozenset(
    {
        "sendMessage",
        "sendDocument",
        "sendPhoto",
        "editMessageText",
        "editMessageReplyMarkup",
        "editMessageCaption",
    }
)
# Methods whose successful calls are kept in `sent()`; the first three create a new message.
_NEW_MESSAGE_METHODS = frozenset({"sendMessage", "sendDocument", "sendPhoto"})

# Form fields that are plain strings in the Bot API; every other field is JSON-decoded,
# as Telegram does, because the client JSON-encodes non-string values.
_STRING_PARAMS = frozenset(
    {
        "text",
        "caption",
        "parse_mode",
        "callback_query_id",
        "inline_message_id",
        "action",
        "language_code",
        "url",
        "file_id",
        "document",
        "photo",
        "emoji",
        "business_connection_id",
        "message_effect_id",
        "secret_token",
        "ip_address",
    }
)

_CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)

# Tags Telegram's HTML parse mode understands (https://core.telegram.org/bots/api#html-style).
_HTML_TAGS = frozenset(
    {
        "b",
        "strong",
        "i",
        "em",
        "u",
        "ins",
        "s",
        "strike",
        "del",
        "span",
        "tg-spoiler",
        "a",
        "tg-emoji",
        "code",
        "pre",
        "blockquote",
    }
)
_API_PATH_RE = re.compile(r"/bot([^/]+)/([A-Za-z]+)/?")
_TAG_RE = re.compile(r"<(/?)([^\s<>/]*)([^<>]*)>")
_COMMAND_RE = re.compile(r"(?<!\S)/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?")
_BOT_COMMAND_NAME_RE = re.compile(r"^[a-z0-9_]{1,32}$")
_DISPOSITION_PARAM_RE = re.compile(r'(\w+\*?)=(?:"((?:[^"\\]|\\.)*)"|([^;\s]+))')

_NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of the message"
)
_QUERY_INVALID = "Bad Request: query is too old and response timeout expired or query ID is invalid"
_DEFAULT_DESCRIPTIONS = {
    400: "Bad Request: chat not found",
    401: "Unauthorized",
    403: "Forbidden: bot was blocked by the user",
    404: "Not Found",
    409: "Conflict: terminated by other getUpdates request",
    500: "Internal Server Error",
    502: "Bad Gateway",
}


_WEBHOOK_CONFLICT = (
    "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to "
    "delete the webhook first"
)
SECRET_TOKEN_HEADER = "X-Telegram-Bot-Api-Secret-Token"
_SECRET_TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{1,256}")


def _utf16_len(text: str) -> int:
    """Telegram measures text lengths and entity offsets in UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


# --------------------------------------------------------------------------------------------
# Records handed out to tests
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SentRecord:
    """One successful call by which the bot put something into a chat (a send or an edit)."""

    method: str
    chat_id: ChatId
    message_id: int
    text: str | None = None  # as the bot sent it, markup included (e.g. "<b>Hi</b>")
    parse_mode: str | None = None
    reply_markup: JsonDict | None = None
    caption: str | None = None
    file_name: str | None = None
    file_bytes: bytes | None = None
    mime_type: str | None = None
    timestamp: float = 0.0
    params: JsonDict = field(default_factory=dict)

    @property
    def inline_keyboard(self) -> list[list[JsonDict]]:
        """Rows of inline buttons, or [] when the record carries none."""
        rows = (self.reply_markup or {}).get("inline_keyboard")
        return list(rows) if isinstance(rows, list) else []

    @property
    def keyboard(self) -> list[list[Any]]:
        """Rows of a reply keyboard, or [] when the record carries none."""
        rows = (self.reply_markup or {}).get("keyboard")
        return list(rows) if isinstance(rows, list) else []

    @property
    def button_labels(self) -> list[str]:
        """Labels of all inline buttons (or reply-keyboard buttons), row by row."""
        labels: list[str] = []
        for row in self.inline_keyboard or self.keyboard:
            for button in row:
                labels.append(button if isinstance(button, str) else str(button.get("text", "")))
        return labels

    def callback_data_for(self, label: str) -> str:
        """The callback_data of the inline button whose label contains `label`."""
        for row in self.inline_keyboard:
            for button in row:
                if label in str(button.get("text", "")) and "callback_data" in button:
                    return str(button["callback_data"])
        raise LookupError(f"no inline button labelled {label!r} in {self.button_labels}")


@dataclass(frozen=True, slots=True)
class ChatMessage:
    """The current state of one message the bot sent (edits applied)."""

    chat_id: ChatId
    message_id: int
    date: int
    kind: str  # "text", "document" or "photo"
    text: str | None = None  # as sent, markup included
    plain_text: str | None = None  # as a user sees it (HTML tags stripped)
    parse_mode: str | None = None
    reply_markup: JsonDict | None = None
    caption: str | None = None
    plain_caption: str | None = None
    file_id: str | None = None
    file_unique_id: str | None = None
    file_name: str | None = None
    file_bytes: bytes | None = None
    mime_type: str | None = None
    edit_date: int | None = None
    edit_count: int = 0
    file_size: int = 0

    @property
    def inline_keyboard(self) -> list[list[JsonDict]]:
        rows = (self.reply_markup or {}).get("inline_keyboard")
        return list(rows) if isinstance(rows, list) else []

    @property
    def callback_datas(self) -> list[str]:
        return [
            str(button["callback_data"])
            for row in self.inline_keyboard
            for button in row
            if "callback_data" in button
        ]


@dataclass(frozen=True, slots=True)
class UploadedFile:
    """One file part of a multipart request."""

    field_name: str
    file_name: str | None
    content_type: str | None
    data: bytes


@dataclass(frozen=True, slots=True)
class ApiCall:
    """One raw request, kept only when the fake records."""

    method: str
    params: JsonDict
    files: dict[str, UploadedFile]
    status: int
    timestamp: float

    @property
    def ok(self) -> bool:
        return self.status == 200


@dataclass(frozen=True, slots=True)
class WebhookAttempt:
    """One POST of an update to the webhook: `status` is None when no answer came (refused,
    reset or timed out)."""

    update_id: int
    url: str
    status: int | None
    error: str | None
    timestamp: float

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


@dataclass(frozen=True, slots=True)
class CallbackAnswer:
    callback_query_id: str
    text: str | None
    show_alert: bool
    url: str | None
    cache_time: int | None
    timestamp: float


# --------------------------------------------------------------------------------------------
# Internals
# --------------------------------------------------------------------------------------------


class _ApiError(Exception):
    def __init__(self, code: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.retry_after = retry_after


def _bad_request(description: str) -> _ApiError:
    return _ApiError(400, f"Bad Request: {description}")


@dataclass(slots=True)
class _Fault:
    method: str  # lower case
    chat_id: ChatId | None
    error_code: int
    description: str
    retry_after: int | None
    remaining: int


@dataclass(slots=True)
class _Delay:
    method: str  # lower case
    chat_id: ChatId | None
    seconds: float
    remaining: int


@dataclass(slots=True)
class _Call:
    method: str
    params: JsonDict
    files: dict[str, UploadedFile]
    now: float


@dataclass(frozen=True, slots=True)
class _Webhook:
    url: str
    secret_token: str | None
    max_connections: int


@dataclass(frozen=True, slots=True)
class _Delivery:
    key: str
    update_id: int
    body: bytes
    url: str
    secret_token: str | None


def _delivery_key(update_type: str, payload: JsonDict, update_id: int) -> str:
    """Updates with the same key go to the webhook one at a time and in order: one chat's
    (a private chat's id is its user's id), else the sender's, else each on its own."""
    chat = payload.get("chat")
    if chat is None and isinstance(payload.get("message"), dict):
        chat = payload["message"].get("chat")
    if isinstance(chat, dict) and "id" in chat:
        return str(chat["id"])
    sender = payload.get("from")
    if isinstance(sender, dict) and "id" in sender:
        return str(sender["id"])
    return f"{update_type}:{update_id}"


@dataclass(slots=True)
class _ChatState:
    next_message_id: int = 1
    messages: OrderedDict[int, ChatMessage] = field(default_factory=OrderedDict)
    sent_count: int = 0


def _same_chat(wanted: ChatId | None, actual: object) -> bool:
    return wanted is None or str(wanted) == str(actual)


def _coerce(name: str, value: str) -> Any:
    if name in _STRING_PARAMS:
        return value
    if name == "chat_id":
        try:
            return int(value)
        except ValueError:
            return value
    try:
        return json.loads(value)
    except ValueError:
        return value


def _parse_multipart(
    content_type: str, body: bytes
) -> tuple[dict[str, str], dict[str, UploadedFile]]:
    match = re.search(r'boundary="?([^";]+)"?', content_type)
    if match is None:
        raise _bad_request("multipart boundary is missing")
    delimiter = b"--" + match.group(1).encode("latin-1")
    fields: dict[str, str] = {}
    files: dict[str, UploadedFile] = {}
    for chunk in body.split(delimiter)[1:]:
        if chunk.startswith(b"--"):
            break
        chunk = chunk.removeprefix(b"\r\n").removesuffix(b"\r\n")
        head, _, data = chunk.partition(b"\r\n\r\n")
        headers: dict[str, str] = {}
        for line in head.decode("utf-8", "replace").split("\r\n"):
            key, _, value = line.partition(":")
            headers[key.strip().lower()] = value.strip()
        params: dict[str, str] = {}
        for key, quoted, bare in _DISPOSITION_PARAM_RE.findall(
            headers.get("content-disposition", "")
        ):
            params[key.lower()] = quoted.replace('\\"', '"') if quoted else bare
        name = params.get("name")
        if not name:
            continue
        file_name = params.get("filename")
        if "filename*" in params:
            file_name = unquote(params["filename*"].split("''", 1)[-1])
        if file_name is None:
            fields[name] = data.decode("utf-8")
        else:
            files[name] = UploadedFile(name, file_name, headers.get("content-type"), data)
    return fields, files


def _render(text: str, parse_mode: str | None) -> str:
    """What the user sees: for HTML, validates the markup like Telegram and strips the tags."""
    mode = (parse_mode or "").lower()
    if mode == "html":
        return _render_html(text)
    if mode in ("", "markdown", "markdownv2"):
        return text
    raise _bad_request("unsupported parse_mode")


def _render_html(text: str) -> str:
    def fail(problem: str) -> _ApiError:
        return _bad_request(f"can't parse entities: {problem}")

    def offset(position: int) -> int:
        return len(text[:position].encode("utf-8"))

    pieces: list[str] = []
    open_tags: list[str] = []
    position = 0
    while True:
        start = text.find("<", position)
        pieces.append(text[position : start if start >= 0 else len(text)])
        if start < 0:
            break
        match = _TAG_RE.match(text, start)
        if match is None:
            raise fail(f"Unclosed start tag at byte offset {offset(start)}")
        closing, name = match.group(1) == "/", match.group(2).lower()
        if closing:
            if not open_tags:
                raise fail(f"Unexpected end tag at byte offset {offset(start)}")
            expected = open_tags.pop()
            if name != expected:
                raise fail(
                    f'Unmatched end tag at byte offset {offset(start)}, expected "</{expected}>", '
                    f'found "</{name}>"'
                )
        elif name not in _HTML_TAGS:
            raise fail(f'Unsupported start tag "{name}" at byte offset {offset(start)}')
        else:
            open_tags.append(name)
        position = match.end()
    if open_tags:
        raise fail(f'Can\'t find end tag corresponding to start tag "{open_tags[-1]}"')
    return html.unescape("".join(pieces))


def _check_markup(markup: object) -> JsonDict | None:
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise _bad_request("can't parse reply keyboard markup JSON object")
    rows = markup.get("inline_keyboard")
    if rows is None:
        if not any(k in markup for k in ("keyboard", "remove_keyboard", "force_reply")):
            raise _bad_request("can't parse reply keyboard markup JSON object")
        return markup
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise _bad_request('field "inline_keyboard" of the InlineKeyboardMarkup must be an Array')
    for row in rows:
        for button in row:
            if not isinstance(button, dict) or not button.get("text"):
                raise _bad_request("can't parse inline keyboard button: Text buttons are unallowed")
            if "callback_data" in button:
                data = str(button["callback_data"]).encode("utf-8")
                if not 1 <= len(data) <= 64:
                    raise _bad_request("BUTTON_DATA_INVALID")
            elif len(button) == 1:
                raise _bad_request("text buttons are unallowed in the inline keyboard")
    return markup


def _inline_part(markup: JsonDict | None) -> JsonDict | None:
    """Only inline keyboards belong to a message; reply keyboards belong to the chat."""
    if markup is not None and "inline_keyboard" in markup:
        return markup
    return None


# --------------------------------------------------------------------------------------------
# HTTP plumbing
# --------------------------------------------------------------------------------------------


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 256

    def __init__(self, fake: FakeTelegram) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.fake = fake
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()

    def track(self, connection: socket.socket) -> None:
        with self._connections_lock:
            self._connections.add(connection)

    def untrack(self, connection: socket.socket) -> None:
        with self._connections_lock:
            self._connections.discard(connection)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that timed out and hung up is expected here, not worth a traceback.
        logger.debug("fake telegram: connection from %s failed", client_address, exc_info=True)

    def close_connections(self) -> None:
        # Keep-alive connections would otherwise leave handler threads blocked on reads.
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: one connection serves many requests
    server: _Server

    def setup(self) -> None:
        super().setup()
        # Responses go out in one write; without this the loopback ACK delay adds ~40 ms.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.server.track(self.connection)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.untrack(self.connection)

    def do_POST(self) -> None:
        if self.server.fake._take_drop(self.path):
            # A reset, not an orderly close: closing a socket with the request unread
            # resets the connection, as a server dropping it does.
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
            self.close_connection = True
            return
        body = self._read_body()
        status, payload, content_type = self.server.fake._serve_http(
            self.path, self.headers.get("Content-Type", ""), body
        )
        lines = [
            f"HTTP/1.1 {status} {HTTPStatus(status).phrase}",
            "Server: fake-telegram",
            f"Content-Type: {content_type}",
            f"Content-Length: {len(payload)}",
        ]
        if self.close_connection:
            lines.append("Connection: close")
        head = "\r\n".join(lines) + "\r\n\r\n"
        self.wfile.write(head.encode("latin-1") + payload)

    do_GET = do_POST

    def _read_body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks: list[bytes] = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def log_message(self, format: str, *args: Any) -> None:
        logger.debug("fake telegram: " + format, *args)


# --------------------------------------------------------------------------------------------
# The fake
# --------------------------------------------------------------------------------------------


class FakeTelegram:
    """A Telegram Bot API server on 127.0.0.1 for one bot token.

    With ``record=False`` nothing per request is kept (no `sent()`, no `calls()`), only counts,
    a bounded window of each chat's latest messages (so edits and button presses still work)
    and what `duplicate_texts()` needs.
    """

    def __init__(
        self,
        token: str = "123:ABC",
        *,
        record: bool = True,
        bot_first_name: str = "Test Bot",
        bot_username: str = "test_bot",
        strict_html: bool = True,
        keep_messages_per_chat: int | None = None,
        webhook_timeout_s: float = 10.0,
        webhook_retry_s: float = 0.1,
        webhook_max_retry_s: float = 1.0,
    ) -> None:
        """`webhook_timeout_s`: how long a webhook POST may take before it counts as failed;
        a failed one is tried again after `webhook_retry_s`, doubling up to
        `webhook_max_retry_s` (Telegram waits longer; tests should not)."""
        self.token = token
        self.record = record
        self.strict_html = strict_html
        bot_id_text = token.split(":", 1)[0]
        self.bot_user: JsonDict = {
            "id": int(bot_id_text) if bot_id_text.isdigit() else 1,
            "is_bot": True,
            "first_name": bot_first_name,
            "username": bot_username,
        }
        self._keep_per_chat = keep_messages_per_chat or (None if record else 50)

        self._lock = threading.Lock()
        self._updates_cv = threading.Condition(self._lock)
        self._sent_cv = threading.Condition(self._lock)
        self._stop_event = threading.Event()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

        self._update_ids = itertools.count(1)
        self._callback_ids = itertools.count(1)
        self._file_ids = itertools.count(1)
        self._updates: deque[tuple[int, str, JsonDict]] = deque()
        self._allowed_updates: list[str] | None = None
        self._users: dict[int, JsonDict] = {}
        self._blocked: set[str] = set()
        self._chats: dict[str, _ChatState] = {}
        self._open_callback_queries: dict[str, int] = {}
        self._files: dict[str, tuple[str, bytes]] = {}  # file_id -> (file_path, data)
        self._commands: dict[tuple[str, str], list[JsonDict]] = {}

        self._sent: list[SentRecord] = []
        self._calls: list[ApiCall] = []
        self._callback_answers: list[CallbackAnswer] = []
        self._call_counts: dict[str, int] = {}
        self._sent_total = 0
        self._edit_total = 0
        self._too_many_requests = 0
        self._text_seen: dict[tuple[str, int], int] = {}
        self._duplicates: dict[tuple[ChatId, str], int] = {}

        self._faults: list[_Fault] = []
        self._delays: list[_Delay] = []
        self._drops: list[_Delay] = []
        self._dropped = 0
        self._global_window: deque[float] | None = None
        self._per_chat_limit: int | None = None
        self._chat_windows: dict[str, deque[float]] = {}
        self._windows_pruned_at = 0.0

        self.logged_out = False
        self.closed = False

        self.webhook_timeout_s = webhook_timeout_s
        self.webhook_retry_s = webhook_retry_s
        self.webhook_max_retry_s = webhook_max_retry_s
        self._webhook: _Webhook | None = None
        self._webhook_targets: list[str] | None = None
        self._webhook_random: random.Random | None = None
        self._webhook_turn = 0
        self._webhook_busy: set[str] = set()  # delivery keys with a POST under way
        self._webhook_retry_at: dict[str, float] = {}
        self._webhook_backoff: dict[str, float] = {}
        self._webhook_attempts: list[WebhookAttempt] = []
        self._webhook_delivered = 0
        self._webhook_failed = 0
        self._webhook_last_error: tuple[int, str] | None = None
        self._deliverer: threading.Thread | None = None

        self._methods: dict[str, tuple[str, Callable[[_Call], Any]]] = {}
        for name, handler in (
            ("getMe", self._get_me),
            ("getUpdates", self._get_updates),
            ("setWebhook", self._set_webhook),
            ("deleteWebhook", self._delete_webhook),
            ("getWebhookInfo", self._get_webhook_info),
            ("setMyCommands", self._set_my_commands),
            ("getMyCommands", self._get_my_commands),
            ("deleteMyCommands", self._delete_my_commands),
            ("sendMessage", self._send_message),
            ("sendDocument", self._send_document),
            ("sendPhoto", self._send_photo),
            ("editMessageText", self._edit_message_text),
            ("editMessageReplyMarkup", self._edit_message_reply_markup),
            ("editMessageCaption", self._edit_message_caption),
            ("deleteMessage", self._delete_message),
            ("answerCallbackQuery", self._answer_callback_query),
            ("sendChatAction", self._send_chat_action),
            ("getFile", self._get_file),
            ("close", self._close),
            ("logOut", self._log_out),
        ):
            self._methods[name.lower()] = (name, handler)

    # ---------------------------------------------------------------- lifecycle

    def start(self) -> FakeTelegram:
        if self._server is not None:
            return self
        self._stop_event.clear()
        self._server = _Server(self)
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="fake-telegram",
            daemon=True,
        )
        self._thread.start()
        self._deliverer = threading.Thread(
            target=self._deliver_loop, name="fake-telegram-webhook", daemon=True
        )
        self._deliverer.start()
        logger.debug("fake telegram listening on %s", self.base_url)
        return self

    def stop(self) -> None:
        server, thread = self._server, self._thread
        if server is None:
            return
        self._stop_event.set()
        with self._lock:
            self._updates_cv.notify_all()  # long polls return at once
        server.shutdown()
        server.close_connections()
        server.server_close()
        if thread is not None:
            thread.join(timeout=5)
        if self._deliverer is not None:
            self._deliverer.join(timeout=5)
        self._server = None
        self._thread = None
        self._deliverer = None

    def __enter__(self) -> FakeTelegram:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        """The server root, e.g. "http://127.0.0.1:8123"."""
        if self._server is None:
            raise RuntimeError("the fake Telegram server is not running; call start() first")
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def api_url(self) -> str:
        """What to pass as python-telegram-bot's `base_url` (it appends the token)."""
        return self.base_url + "/bot"

    @property
    def file_url(self) -> str:
        """What to pass as python-telegram-bot's `base_file_url`."""
        return self.base_url + "/file/bot"

    # ---------------------------------------------------------------- simulated users

    def add_user(
        self,
        user_id: int,
        *,
        first_name: str | None = None,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "en",
    ) -> JsonDict:
        """Registers (or replaces) a user's profile; users are created on first use anyway."""
        user: JsonDict = {
            "id": user_id,
            "is_bot": False,
            "first_name": first_name or f"User{user_id}",
        }
        if last_name:
            user["last_name"] = last_name
        if username:
            user["username"] = username
        if language_code:
            user["language_code"] = language_code
        with self._lock:
            self._users[user_id] = user
        return dict(user)

    def send_text(self, user_id: int, text: str) -> int:
        """The user types `text` in their private chat; returns the update id."""
        entities = [
            {
                "type": "bot_command",
                "offset": _utf16_len(text[: match.start()]),
                "length": _utf16_len(match.group()),
            }
            for match in _COMMAND_RE.finditer(text)
        ]
        content: JsonDict = {"text": text}
        if entities:
            content["entities"] = entities
        return self._push_user_message(user_id, content)

    def send_command(self, user_id: int, command: str) -> int:
        """The user sends a command such as "/start" or "/start payload"."""
        if not command.startswith("/"):
            command = "/" + command
        return self.send_text(user_id, command)

    def press_button(
        self, user_id: int, message_id: int, callback_data: str, *, strict: bool = True
    ) -> int:
        """The user taps an inline button of a message the bot sent to their chat.

        With `strict`, the message must exist and carry a button with that callback_data
        (as on Telegram); `strict=False` allows simulating taps on stale keyboards.
        """
        with self._lock:
            state = self._chats.get(str(user_id))
            message = state.messages.get(message_id) if state else None
            if strict:
                if message is None:
                    raise LookupError(f"the bot has no message {message_id} in chat {user_id}")
                if callback_data not in message.callback_datas:
                    raise LookupError(
                        f"message {message_id} has no button with callback_data "
                        f"{callback_data!r}; it has {message.callback_datas}"
                    )
            if message is not None:
                message_json = self._message_json(message)
            else:
                message_json = {
                    "message_id": message_id,
                    "from": self.bot_user,
                    "chat": self._chat_json(user_id),
                    "date": int(time.time()),
                    "text": "",
                }
            query_id = str(4_000_000_000_000_000 + next(self._callback_ids))
            self._open_callback_queries[query_id] = user_id
            payload: JsonDict = {
                "id": query_id,
                "from": self._user(user_id),
                "message": message_json,
                "chat_instance": str(abs(hash((self.bot_user["id"], user_id)))),
                "data": callback_data,
            }
            return self._push_locked("callback_query", payload)

    def send_sticker(self, user_id: int, emoji: str = "👍") -> int:
        file_id, unique_id = self._register_user_file(b"RIFF-fake-webp", "stickers/sticker.webp")
        sticker = {
            "file_id": file_id,
            "file_unique_id": unique_id,
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": emoji,
            "file_size": 14,
        }
        return self._push_user_message(user_id, {"sticker": sticker})

    def send_photo_message(
        self, user_id: int, caption: str | None = None, data: bytes = b"\xff\xd8fake-jpeg\xff\xd9"
    ) -> int:
        sizes = []
        for width, height in ((90, 67), (800, 600)):
            file_id, unique_id = self._register_user_file(data, f"photos/file_{width}.jpg")
            sizes.append(
                {
                    "file_id": file_id,
                    "file_unique_id": unique_id,
                    "width": width,
                    "height": height,
                    "file_size": len(data),
                }
            )
        content: JsonDict = {"photo": sizes}
        if caption:
            content["caption"] = caption
        return self._push_user_message(user_id, content)

    def send_voice(self, user_id: int, duration: int = 3, data: bytes = b"OggS-fake-voice") -> int:
        file_id, unique_id = self._register_user_file(data, "voice/file.oga")
        voice = {
            "file_id": file_id,
            "file_unique_id": unique_id,
            "duration": duration,
            "mime_type": "audio/ogg",
            "file_size": len(data),
        }
        return self._push_user_message(user_id, {"voice": voice})

    def send_location(self, user_id: int, latitude: float, longitude: float) -> int:
        return self._push_user_message(
            user_id, {"location": {"latitude": latitude, "longitude": longitude}}
        )

    def inject_update(self, update_type: str, payload: JsonDict) -> int:
        """Queues any other update, e.g. ("my_chat_member", {...}); returns its id."""
        with self._lock:
            return self._push_locked(update_type, payload)

    def send_group_text(self, group_id: int, user_id: int, text: str) -> int:
        """`user_id` writes `text` in the group `group_id` (a negative id, as on Telegram)."""
        with self._lock:
            payload: JsonDict = {
                "message_id": 900_000 + next(self._callback_ids),
                "date": int(time.time()),
                "chat": {"id": group_id, "type": "group", "title": "Gym buddies"},
                "from": self._user(user_id),
                "text": text,
            }
            entities = [
                {
                    "type": "bot_command",
                    "offset": _utf16_len(text[: match.start()]),
                    "length": _utf16_len(match.group()),
                }
                for match in _COMMAND_RE.finditer(text)
            ]
            if entities:
                payload["entities"] = entities
            return self._push_locked("message", payload)

    def restart_update_ids(self, next_id: int) -> None:
        """Numbers the next updates from `next_id`, as Telegram may after a quiet week."""
        with self._lock:
            self._update_ids = itertools.count(next_id)

    def block_user(self, user_id: int) -> None:
        """From now on, sends to this user's chat answer 403 "bot was blocked by the user"."""
        with self._lock:
            self._blocked.add(str(user_id))

    def unblock_user(self, user_id: int) -> None:
        with self._lock:
            self._blocked.discard(str(user_id))

    @property
    def pending_updates(self) -> int:
        """Updates queued and not yet confirmed by the bot through getUpdates' offset, or not
        yet answered 2xx by its webhook."""
        with self._lock:
            return len(self._updates)

    # ---------------------------------------------------------------- webhook

    def balance_webhook(self, urls: list[str] | None, *, seed: int | None = None) -> None:
        """Delivers the webhook's updates to these URLs instead of the one the bot set, as a
        load balancer in front of several workers: in turn, or at random with a `seed`. A
        failed delivery is tried again at the next URL. None goes back to the bot's URL."""
        with self._lock:
            self._webhook_targets = list(urls) if urls else None
            self._webhook_random = random.Random(seed) if seed is not None and urls else None
            self._webhook_turn = 0
            self._updates_cv.notify_all()

    @property
    def webhook_url(self) -> str | None:
        """The URL the bot set with setWebhook, or None when updates go to getUpdates."""
        with self._lock:
            return self._webhook.url if self._webhook else None

    def webhook_attempts(self) -> list[WebhookAttempt]:
        """Every POST to the webhook, oldest first, failed ones included."""
        self._require_recording("webhook_attempts()")
        with self._lock:
            return list(self._webhook_attempts)

    @property
    def webhook_delivered(self) -> int:
        """Webhook POSTs answered 2xx (each takes its update off the queue)."""
        with self._lock:
            return self._webhook_delivered

    @property
    def webhook_failed(self) -> int:
        """Webhook POSTs answered otherwise, or not at all; each is tried again."""
        with self._lock:
            return self._webhook_failed

    def wait_for_webhook_idle(self, timeout: float = 10.0) -> None:
        """Blocks until the webhook has taken every queued update."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while self._updates or self._webhook_busy:
                remaining = deadline - time.monotonic()
                if remaining <= 0 or self._stop_event.is_set():
                    raise TimeoutError(
                        f"{len(self._updates)} updates still queued for the webhook after "
                        f"{timeout} s; last error: {self._webhook_last_error}"
                    )
                self._updates_cv.wait(min(remaining, 0.5))

    def _deliver_loop(self) -> None:
        with self._lock:
            while not self._stop_event.is_set():
                deliveries, wait_s = self._due_deliveries_locked()
                for delivery in deliveries:
                    threading.Thread(
                        target=self._deliver,
                        args=(delivery,),
                        name="fake-webhook-post",
                        daemon=True,
                    ).start()
                if not deliveries:
                    self._updates_cv.wait(wait_s if wait_s is not None else 0.5)

    def _due_deliveries_locked(self) -> tuple[list[_Delivery], float | None]:
        """The first queued update of every chat that has none under way and is not waiting
        out a back-off; and how long until the next back-off ends."""
        hook = self._webhook
        if hook is None:
            return [], None
        self._drop_unwanted_locked()
        now = time.monotonic()
        due: list[_Delivery] = []
        wait_s: float | None = None
        first_seen: set[str] = set()
        for update_id, kind, payload in self._updates:
            if len(self._webhook_busy) >= hook.max_connections:
                break
            key = _delivery_key(kind, payload, update_id)
            if key in first_seen:
                continue  # a later update of a chat waits for the earlier one
            first_seen.add(key)
            if key in self._webhook_busy:
                continue
            retry_at = self._webhook_retry_at.get(key, 0.0)
            if retry_at > now:
                wait_s = min(wait_s if wait_s is not None else math.inf, retry_at - now)
                continue
            self._webhook_busy.add(key)
            body = json.dumps({"update_id": update_id, kind: payload}, ensure_ascii=False)
            due.append(
                _Delivery(
                    key,
                    update_id,
                    body.encode("utf-8"),
                    self._target_locked(hook),
                    hook.secret_token,
                )
            )
        return due, wait_s

    def _target_locked(self, hook: _Webhook) -> str:
        targets = self._webhook_targets
        if not targets:
            return hook.url
        if self._webhook_random is not None:
            return self._webhook_random.choice(targets)
        self._webhook_turn += 1
        return targets[(self._webhook_turn - 1) % len(targets)]

    def _deliver(self, delivery: _Delivery) -> None:
        status, error = self._post(delivery)
        with self._lock:
            self._webhook_busy.discard(delivery.key)
            attempt = WebhookAttempt(delivery.update_id, delivery.url, status, error, time.time())
            if self.record:
                self._webhook_attempts.append(attempt)
            if attempt.ok:
                self._webhook_delivered += 1
                self._webhook_retry_at.pop(delivery.key, None)
                self._webhook_backoff.pop(delivery.key, None)
                for index, queued in enumerate(self._updates):
                    if queued[0] == delivery.update_id:
                        del self._updates[index]
                        break
            else:
                self._webhook_failed += 1
                backoff = min(
                    max(self._webhook_backoff.get(delivery.key, 0.0) * 2, self.webhook_retry_s),
                    self.webhook_max_retry_s,
                )
                self._webhook_backoff[delivery.key] = backoff
                self._webhook_retry_at[delivery.key] = time.monotonic() + backoff
                self._webhook_last_error = (
                    int(attempt.timestamp),
                    error or f"Wrong response from the webhook: {status}",
                )
            self._updates_cv.notify_all()
            self._sent_cv.notify_all()

    def _post(self, delivery: _Delivery) -> tuple[int | None, str | None]:
        url = urlsplit(delivery.url)
        connection_type = (
            http.client.HTTPSConnection if url.scheme == "https" else http.client.HTTPConnection
        )
        connection = connection_type(
            url.hostname or "127.0.0.1", url.port, timeout=self.webhook_timeout_s
        )
        headers = {"Content-Type": "application/json"}
        if delivery.secret_token:
            headers[SECRET_TOKEN_HEADER] = delivery.secret_token
        path = (url.path or "/") + (f"?{url.query}" if url.query else "")
        try:
            connection.request("POST", path, delivery.body, headers)
            response = connection.getresponse()
            response.read()
            return response.status, None
        except (OSError, http.client.HTTPException) as error:
            return None, f"{type(error).__name__}: {error}"
        finally:
            connection.close()

    def _drop_unwanted_locked(self) -> None:
        allowed = self._allowed_updates
        if allowed is not None and any(kind not in allowed for _, kind, _ in self._updates):
            # Telegram drops updates of types the bot did not ask for.
            self._updates = deque(u for u in self._updates if u[1] in allowed)

    # ---------------------------------------------------------------- inspection

    def sent(self, chat_id: ChatId | None = None) -> list[SentRecord]:
        """Everything the bot sent or edited, oldest first (optionally for one chat)."""
        self._require_recording("sent()")
        with self._lock:
            return [r for r in self._sent if _same_chat(chat_id, r.chat_id)]

    def calls(self, method: str | None = None) -> list[ApiCall]:
        """Every raw request (including failed ones), optionally for one method."""
        self._require_recording("calls()")
        with self._lock:
            if method is None:
                return list(self._calls)
            wanted = method.lower()
            return [c for c in self._calls if c.method.lower() == wanted]

    def call_count(self, method: str) -> int:
        """How many requests of `method` succeeded (kept also when not recording)."""
        with self._lock:
            return self._call_counts.get(self._canonical(method), 0)

    def messages_in(self, chat_id: ChatId) -> list[ChatMessage]:
        """The bot's messages in a chat as they stand now (edits applied, deletions gone)."""
        with self._lock:
            state = self._chats.get(str(chat_id))
            return list(state.messages.values()) if state else []

    def last_message(self, chat_id: ChatId) -> ChatMessage:
        messages = self.messages_in(chat_id)
        if not messages:
            raise LookupError(f"the bot has sent nothing to chat {chat_id}")
        return messages[-1]

    @property
    def commands(self) -> list[JsonDict]:
        """The command list set for the default scope and no language."""
        return self.commands_for()

    def commands_for(
        self, scope: JsonDict | None = None, language_code: str = ""
    ) -> list[JsonDict]:
        with self._lock:
            return list(self._commands.get(self._commands_key(scope, language_code), []))

    @property
    def callback_answers(self) -> list[CallbackAnswer]:
        with self._lock:
            return list(self._callback_answers)

    @property
    def sent_count(self) -> int:
        """How many new messages (text, document, photo) the bot sent, edits not counted."""
        with self._lock:
            return self._sent_total

    def sent_count_in(self, chat_id: ChatId) -> int:
        with self._lock:
            state = self._chats.get(str(chat_id))
            return state.sent_count if state else 0

    def sent_counts(self) -> dict[str, int]:
        """New messages per chat (chat ids as strings)."""
        with self._lock:
            return {chat: s.sent_count for chat, s in self._chats.items() if s.sent_count}

    @property
    def edit_count(self) -> int:
        with self._lock:
            return self._edit_total

    @property
    def too_many_requests(self) -> int:
        """How many 429 answers the fake gave (flood limits and injected ones)."""
        with self._lock:
            return self._too_many_requests

    def duplicate_texts(self) -> dict[tuple[ChatId, str], int]:
        """(chat_id, text) pairs the bot sent more than once with sendMessage, and how often."""
        with self._lock:
            return dict(self._duplicates)

    # ---------------------------------------------------------------- waiting

    def wait_for(
        self,
        predicate: Callable[[SentRecord], bool],
        timeout: float = 10.0,
        count: int = 1,
    ) -> list[SentRecord]:
        """Blocks until at least `count` sent records satisfy `predicate`; returns all of them.

        Raises TimeoutError (listing the latest records) when that does not happen in time.
        """
        self._require_recording("wait_for()")
        deadline = time.monotonic() + timeout
        matches: list[SentRecord] = []
        scanned = 0
        while True:
            with self._lock:
                fresh = self._sent[scanned:]
                if not fresh:
                    remaining = deadline - time.monotonic()
                    if remaining <= 0 or self._stop_event.is_set():
                        latest = [(r.method, r.chat_id, r.text or r.caption) for r in self._sent]
                        raise TimeoutError(
                            f"{len(matches)} of {count} expected records after {timeout} s; "
                            f"latest sent: {latest[-5:]}"
                        )
                    self._sent_cv.wait(min(remaining, 0.5))
                    continue
            scanned += len(fresh)
            # The predicate runs outside the lock so it may call back into the fake.
            matches.extend(r for r in fresh if predicate(r))
            if len(matches) >= count:
                return matches

    def wait_for_text(
        self, chat_id: ChatId | None, substring: str, timeout: float = 10.0
    ) -> SentRecord:
        """The first record for `chat_id` (None: any) whose text or caption has `substring`."""
        return self.wait_for(
            lambda r: _same_chat(chat_id, r.chat_id) and substring in (r.text or r.caption or ""),
            timeout,
        )[0]

    def wait_for_count(self, chat_id: ChatId | None, n: int, timeout: float = 10.0) -> int:
        """Blocks until the bot sent at least `n` new messages to `chat_id` (None: in total).

        Works without recording; returns the count reached.
        """
        key = None if chat_id is None else str(chat_id)

        def reached() -> int:
            if key is None:
                return self._sent_total
            state = self._chats.get(key)
            return state.sent_count if state else 0

        deadline = time.monotonic() + timeout
        with self._lock:
            while (current := reached()) < n:
                remaining = deadline - time.monotonic()
                if remaining <= 0 or self._stop_event.is_set():
                    raise TimeoutError(
                        f"{current} of {n} messages to chat {chat_id} in {timeout} s"
                    )
                self._sent_cv.wait(min(remaining, 0.5))
            return current

    def wait_for_calls(self, method: str, n: int = 1, timeout: float = 10.0) -> int:
        """Blocks until `n` requests of `method` succeeded (e.g. "answerCallbackQuery")."""
        name = self._canonical(method)
        deadline = time.monotonic() + timeout
        with self._lock:
            while (current := self._call_counts.get(name, 0)) < n:
                remaining = deadline - time.monotonic()
                if remaining <= 0 or self._stop_event.is_set():
                    raise TimeoutError(f"{current} of {n} {name} calls in {timeout} s")
                self._sent_cv.wait(min(remaining, 0.5))
            return current

    # Twins for async tests: a blocking wait would freeze a bot running on the same loop.

    async def wait_for_async(
        self, predicate: Callable[[SentRecord], bool], timeout: float = 10.0, count: int = 1
    ) -> list[SentRecord]:
        return await asyncio.to_thread(self.wait_for, predicate, timeout, count)

    async def wait_for_text_async(
        self, chat_id: ChatId | None, substring: str, timeout: float = 10.0
    ) -> SentRecord:
        return await asyncio.to_thread(self.wait_for_text, chat_id, substring, timeout)

    async def wait_for_count_async(
        self, chat_id: ChatId | None, n: int, timeout: float = 10.0
    ) -> int:
        return await asyncio.to_thread(self.wait_for_count, chat_id, n, timeout)

    async def wait_for_calls_async(self, method: str, n: int = 1, timeout: float = 10.0) -> int:
        return await asyncio.to_thread(self.wait_for_calls, method, n, timeout)

    # ---------------------------------------------------------------- fault injection

    def fail_next(
        self,
        method: str,
        chat_id: ChatId | None = None,
        *,
        error_code: int,
        description: str | None = None,
        retry_after: int | None = None,
        times: int = 1,
    ) -> None:
        """The next `times` calls of `method` (to `chat_id`, if given) fail with this error.

        `description` defaults to Telegram's usual text for the code; a 429 always carries
        `retry_after` (default 1 s) and reads "Too Many Requests: retry after N".
        """
        if error_code == 429:
            retry_after = retry_after if retry_after is not None else 1
            description = description or f"Too Many Requests: retry after {retry_after}"
        description = description or _DEFAULT_DESCRIPTIONS.get(error_code, "Unknown error")
        with self._lock:
            self._faults.append(
                _Fault(method.lower(), chat_id, error_code, description, retry_after, times)
            )

    def delay_next(
        self, method: str, seconds: float, chat_id: ChatId | None = None, times: int = 1
    ) -> None:
        """The next `times` calls of `method` are answered only after `seconds` (then normally),
        as when Telegram is slow and the client times out although the message went out."""
        with self._lock:
            self._delays.append(_Delay(method.lower(), chat_id, seconds, times))

    def drop_next(self, method: str, times: int = 1) -> None:
        """The next `times` calls of `method` find their connection reset before the request
        is read: the client gets no answer, and nothing is delivered."""
        with self._lock:
            self._drops.append(_Delay(method.lower(), None, 0.0, times))

    @property
    def dropped_connections(self) -> int:
        """How many connections `drop_next` reset."""
        with self._lock:
            return self._dropped

    def _take_drop(self, raw_path: str) -> bool:
        if not self._drops:  # unlocked peek: the common case has no drops queued
            return False
        match = _API_PATH_RE.fullmatch(unquote(urlsplit(raw_path).path))
        if match is None:
            return False
        with self._lock:
            if self._take_rule(self._drops, match.group(2).lower(), None) is None:
                return False
            self._dropped += 1
            return True

    def enforce_limits(
        self, global_per_second: int | None = 30, per_chat_per_second: int | None = 1
    ) -> None:
        """Answers 429 with retry_after when sends exceed these rates over any 1 s window.

        None switches a limit off; `enforce_limits(None, None)` switches both off.
        """
        with self._lock:
            self._global_window = deque(maxlen=global_per_second) if global_per_second else None
            self._per_chat_limit = per_chat_per_second or None
            self._chat_windows.clear()

    # ---------------------------------------------------------------- request handling

    def _serve_http(self, raw_path: str, content_type: str, body: bytes) -> tuple[int, bytes, str]:
        url = urlsplit(raw_path)
        path = unquote(url.path)  # the client may percent-encode the token's colon
        try:
            if path.startswith("/file/bot"):
                return self._serve_file(path)
            match = _API_PATH_RE.fullmatch(path)
            if match is None:
                raise _ApiError(404, "Not Found")
            if match.group(1) != self.token:
                raise _ApiError(401, "Unauthorized")
            entry = self._methods.get(match.group(2).lower())
            if entry is None:
                raise _ApiError(404, "Not Found")
            name, handler = entry
            params, files = self._parse_params(url.query, content_type, body)
            call = _Call(name, params, files, time.time())
        except _ApiError as error:
            return self._error_response(error)
        try:
            result = self._run(handler, call)
        except _ApiError as error:
            self._note_call(call, error.code)
            return self._error_response(error)
        except Exception as error:  # a bug in the fake must surface, not hang the client
            logger.exception("fake telegram failed on %s", call.method)
            self._note_call(call, 500)
            return self._error_response(_ApiError(500, f"Internal Server Error: {error!r}"))
        payload = json.dumps({"ok": True, "result": result}, ensure_ascii=False)
        return 200, payload.encode("utf-8"), "application/json"

    def _error_response(self, error: _ApiError) -> tuple[int, bytes, str]:
        body: JsonDict = {"ok": False, "error_code": error.code, "description": error.description}
        if error.retry_after is not None:
            body["parameters"] = {"retry_after": error.retry_after}
        return error.code, json.dumps(body).encode("utf-8"), "application/json"

    def _parse_params(
        self, query: str, content_type: str, body: bytes
    ) -> tuple[JsonDict, dict[str, UploadedFile]]:
        fields: dict[str, str] = dict(parse_qsl(query, keep_blank_values=True))
        params: JsonDict = {}
        files: dict[str, UploadedFile] = {}
        media_type = content_type.split(";", 1)[0].strip().lower()
        if media_type == "application/json" and body:
            try:
                decoded = json.loads(body)
            except ValueError as error:
                raise _bad_request("can't parse JSON object") from error
            if not isinstance(decoded, dict):
                raise _bad_request("can't parse JSON object")
            params.update(decoded)
        elif media_type == "multipart/form-data":
            form, files = _parse_multipart(content_type, body)
            fields.update(form)
        elif body:
            fields.update(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
        for name, value in list(params.items()) + list(fields.items()):
            params[name] = _coerce(name, value) if isinstance(value, str) else value
        return params, files

    def _run(self, handler: Callable[[_Call], Any], call: _Call) -> Any:
        chat_id = call.params.get("chat_id")
        wanted = call.method.lower()
        delay = None
        if self._delays:  # unlocked peek: the common case has no delays queued
            with self._lock:
                delay = self._take_rule(self._delays, wanted, chat_id)
        if delay is not None:
            self._stop_event.wait(delay.seconds)
        with self._lock:
            fault = self._take_rule(self._faults, wanted, chat_id)
            if fault is not None:
                if fault.error_code == 429:
                    self._too_many_requests += 1
                raise _ApiError(fault.error_code, fault.description, fault.retry_after)
            if call.method in _RATE_LIMITED_METHODS:
                self._check_limits(chat_id)
            result = handler(call)
            self._note_call_locked(call, 200)
            return result

    @staticmethod
    def _take_rule(rules: list[Any], method: str, chat_id: object) -> Any:
        for index, rule in enumerate(rules):
            if rule.method == method and _same_chat(rule.chat_id, chat_id):
                rule.remaining -= 1
                if rule.remaining <= 0:
                    del rules[index]
                return rule
        return None

    def _check_limits(self, chat_id: object) -> None:
        now = time.monotonic()
        window = self._global_window
        if window is not None and len(window) == window.maxlen and now - window[0] < 1.0:
            self._too_many_requests += 1
            retry_after = max(1, math.ceil(1.0 - (now - window[0])))
            raise _ApiError(429, f"Too Many Requests: retry after {retry_after}", retry_after)
        chat_window: deque[float] | None = None
        if self._per_chat_limit is not None:
            key = str(chat_id)
            chat_window = self._chat_windows.get(key)
            if chat_window is None:
                chat_window = self._chat_windows[key] = deque(maxlen=self._per_chat_limit)
            if len(chat_window) == chat_window.maxlen and now - chat_window[0] < 1.0:
                self._too_many_requests += 1
                retry_after = max(1, math.ceil(1.0 - (now - chat_window[0])))
                raise _ApiError(429, f"Too Many Requests: retry after {retry_after}", retry_after)
            if len(self._chat_windows) > 4096 and now - self._windows_pruned_at > 1.0:
                # Forget chats idle for a second so many recipients do not pile up windows.
                self._windows_pruned_at = now
                for stale in [k for k, w in self._chat_windows.items() if w and now - w[-1] >= 1.0]:
                    del self._chat_windows[stale]
        if window is not None:
            window.append(now)
        if chat_window is not None:
            chat_window.append(now)

    def _note_call(self, call: _Call, status: int) -> None:
        with self._lock:
            self._note_call_locked(call, status)

    def _note_call_locked(self, call: _Call, status: int) -> None:
        if status == 200:
            self._call_counts[call.method] = self._call_counts.get(call.method, 0) + 1
            self._sent_cv.notify_all()
        if self.record:
            self._calls.append(ApiCall(call.method, call.params, call.files, status, call.now))

    def _serve_file(self, path: str) -> tuple[int, bytes, str]:
        prefix = f"/file/bot{self.token}/"
        if not path.startswith(prefix):
            raise _ApiError(401, "Unauthorized")
        wanted = path[len(prefix) :]
        with self._lock:
            for file_path, data in self._files.values():
                if file_path == wanted:
                    return 200, data, "application/octet-stream"
        raise _ApiError(404, "Not Found")

    # ---------------------------------------------------------------- shared helpers

    def _canonical(self, method: str) -> str:
        entry = self._methods.get(method.lower())
        return entry[0] if entry else method

    def _require_recording(self, what: str) -> None:
        if not self.record:
            raise RuntimeError(f"{what} needs FakeTelegram(record=True)")

    @staticmethod
    def _commands_key(scope: object, language_code: object) -> tuple[str, str]:
        scope = scope or {"type": "default"}
        return json.dumps(scope, sort_keys=True), str(language_code or "")

    def _user(self, user_id: int) -> JsonDict:
        user = self._users.get(user_id)
        if user is None:
            user = self._users[user_id] = {
                "id": user_id,
                "is_bot": False,
                "first_name": f"User{user_id}",
                "language_code": "en",
            }
        return user

    def _chat_json(self, chat_id: ChatId) -> JsonDict:
        if isinstance(chat_id, int) and chat_id < 0:
            return {"id": chat_id, "type": "group", "title": f"Group {-chat_id}"}
        user = self._user(int(chat_id))
        chat: JsonDict = {"id": user["id"], "type": "private", "first_name": user["first_name"]}
        for key in ("last_name", "username"):
            if key in user:
                chat[key] = user[key]
        return chat

    def _chat_state(self, chat_id: ChatId) -> _ChatState:
        key = str(chat_id)
        state = self._chats.get(key)
        if state is None:
            state = self._chats[key] = _ChatState()
        return state

    def _push_locked(self, update_type: str, payload: JsonDict) -> int:
        update_id = next(self._update_ids)
        self._updates.append((update_id, update_type, payload))
        self._updates_cv.notify_all()
        return update_id

    def _push_user_message(self, user_id: int, content: JsonDict) -> int:
        with self._lock:
            state = self._chat_state(user_id)
            message: JsonDict = {
                "message_id": state.next_message_id,
                "from": dict(self._user(user_id)),
                "chat": self._chat_json(user_id),
                "date": int(time.time()),
                **content,
            }
            state.next_message_id += 1
            return self._push_locked("message", message)

    def _register_user_file(self, data: bytes, file_path: str) -> tuple[str, str]:
        with self._lock:
            return self._register_file(data, file_path)

    def _register_file(self, data: bytes | None, file_path: str) -> tuple[str, str]:
        number = next(self._file_ids)
        file_id = f"BQACAgIAAxkBAAI{number:08d}"
        unique_id = f"AgAD{number:08d}"
        # Without recording only counts are kept, so uploaded bytes are not retained either.
        if data is not None and self.record:
            directory, _, name = file_path.rpartition("/")
            self._files[file_id] = (f"{directory}/{number}_{name}", data)
        return file_id, unique_id

    def _require_chat(self, params: JsonDict) -> ChatId:
        chat_id = params.get("chat_id")
        if chat_id is None or chat_id == "":
            raise _bad_request("chat_id is empty")
        if isinstance(chat_id, str):
            raise _bad_request("chat not found")
        if not isinstance(chat_id, int):
            raise _bad_request("chat not found")
        if str(chat_id) in self._blocked:
            raise _ApiError(403, "Forbidden: bot was blocked by the user")
        return chat_id

    def _rendered(self, text: str, parse_mode: str | None) -> str:
        if not self.strict_html and (parse_mode or "").lower() == "html":
            return html.unescape(re.sub(r"<[^>]*>", "", text))
        return _render(text, parse_mode)

    def _find_message(self, params: JsonDict, missing: str) -> ChatMessage:
        if "inline_message_id" in params:
            raise _bad_request("MESSAGE_ID_INVALID")
        chat_id = self._require_chat(params)
        message_id = params.get("message_id")
        state = self._chats.get(str(chat_id))
        message = state.messages.get(message_id) if state and isinstance(message_id, int) else None
        if message is None:
            raise _bad_request(missing)
        return message

    def _store(self, message: ChatMessage) -> None:
        state = self._chat_state(message.chat_id)
        state.messages[message.message_id] = message
        if self._keep_per_chat is not None:
            while len(state.messages) > self._keep_per_chat:
                state.messages.popitem(last=False)

    def _message_json(self, message: ChatMessage) -> JsonDict:
        result: JsonDict = {
            "message_id": message.message_id,
            "from": self.bot_user,
            "chat": self._chat_json(message.chat_id),
            "date": message.date,
        }
        if message.edit_date is not None:
            result["edit_date"] = message.edit_date
        if message.kind == "text":
            result["text"] = message.plain_text
        elif message.kind == "document":
            document: JsonDict = {
                "file_id": message.file_id,
                "file_unique_id": message.file_unique_id,
                "file_size": message.file_size,
            }
            if message.file_name:
                document["file_name"] = message.file_name
            if message.mime_type:
                document["mime_type"] = message.mime_type
            result["document"] = document
        elif message.kind == "photo":
            result["photo"] = [
                {
                    "file_id": f"{message.file_id}_{width}",
                    "file_unique_id": f"{message.file_unique_id}_{width}",
                    "width": width,
                    "height": width * 3 // 4,
                    "file_size": message.file_size,
                }
                for width in (90, 320, 800)
            ]
        if message.plain_caption:
            result["caption"] = message.plain_caption
        inline = _inline_part(message.reply_markup)
        if inline is not None:
            result["reply_markup"] = inline
        return result

    def _record(self, method: str, message: ChatMessage, call: _Call) -> None:
        if method in _NEW_MESSAGE_METHODS:
            self._sent_total += 1
            self._chat_state(message.chat_id).sent_count += 1
            if method == "sendMessage" and message.text is not None:
                key = (str(message.chat_id), hash(message.text))
                seen = self._text_seen[key] = self._text_seen.get(key, 0) + 1
                if seen > 1:
                    self._duplicates[(message.chat_id, message.text)] = seen
        else:
            self._edit_total += 1
        if self.record:
            self._sent.append(
                SentRecord(
                    method=method,
                    chat_id=message.chat_id,
                    message_id=message.message_id,
                    text=message.text,
                    parse_mode=message.parse_mode,
                    reply_markup=message.reply_markup,
                    caption=message.caption,
                    file_name=message.file_name,
                    file_bytes=message.file_bytes,
                    mime_type=message.mime_type,
                    timestamp=call.now,
                    params=call.params,
                )
            )
        self._sent_cv.notify_all()

    def _caption(self, params: JsonDict) -> tuple[str | None, str | None]:
        caption = params.get("caption")
        if caption is None or caption == "":
            return None, None
        plain = self._rendered(str(caption), params.get("parse_mode"))
        if _utf16_len(plain) > 1024:
            raise _bad_request("message caption is too long")
        return str(caption), plain

    def _text(self, params: JsonDict) -> tuple[str, str]:
        text = params.get("text")
        if text is None or str(text) == "":
            raise _bad_request("message text is empty")
        plain = self._rendered(str(text), params.get("parse_mode"))
        if not plain.strip():
            raise _bad_request("message text is empty")
        if _utf16_len(plain) > 4096:
            raise _bad_request("message is too long")
        return str(text), plain

    # ---------------------------------------------------------------- Bot API methods

    def _get_me(self, call: _Call) -> JsonDict:
        return {
            **self.bot_user,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    def _get_updates(self, call: _Call) -> list[JsonDict]:
        if self._webhook is not None:
            raise _ApiError(409, _WEBHOOK_CONFLICT)
        params = call.params
        offset = int(params.get("offset") or 0)
        limit = min(max(int(params.get("limit") or 100), 1), 100)
        timeout = max(float(params.get("timeout") or 0), 0.0)
        if "allowed_updates" in params:
            allowed = params["allowed_updates"]
            self._allowed_updates = list(allowed) if allowed else None
        if offset > 0:
            while self._updates and self._updates[0][0] < offset:
                self._updates.popleft()
        elif offset < 0:
            while len(self._updates) > -offset:
                self._updates.popleft()
        deadline = time.monotonic() + timeout
        while True:
            batch = self._collect_updates(limit)
            remaining = deadline - time.monotonic()
            if batch or remaining <= 0 or self._stop_event.is_set():
                return batch
            self._updates_cv.wait(remaining)
            if self._webhook is not None:
                raise _ApiError(409, _WEBHOOK_CONFLICT)

    def _collect_updates(self, limit: int) -> list[JsonDict]:
        self._drop_unwanted_locked()
        return [
            {"update_id": update_id, kind: payload}
            for update_id, kind, payload in itertools.islice(self._updates, limit)
        ]

    def _set_webhook(self, call: _Call) -> bool:
        params = call.params
        url = str(params.get("url") or "")
        if not url:
            return self._delete_webhook(call)  # an empty URL removes the webhook
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise _bad_request("bad webhook: invalid URL")
        secret = params.get("secret_token")
        if secret is not None and not _SECRET_TOKEN_RE.fullmatch(str(secret)):
            raise _bad_request("bad webhook: secret token contains unallowed characters")
        max_connections = int(params.get("max_connections") or 40)
        if not 1 <= max_connections <= 100:
            raise _bad_request("bad webhook: max_connections must be between 1 and 100")
        if "allowed_updates" in params:
            allowed = params["allowed_updates"]
            self._allowed_updates = list(allowed) if allowed else None
        if params.get("drop_pending_updates"):
            self._updates.clear()
        self._webhook = _Webhook(url, str(secret) if secret else None, max_connections)
        self._updates_cv.notify_all()
        return True

    def _delete_webhook(self, call: _Call) -> bool:
        if call.params.get("drop_pending_updates"):
            self._updates.clear()
        self._webhook = None
        self._updates_cv.notify_all()
        return True

    def _get_webhook_info(self, call: _Call) -> JsonDict:
        hook = self._webhook
        info: JsonDict = {
            "url": hook.url if hook else "",
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }
        if hook is not None:
            info["max_connections"] = hook.max_connections
            if self._allowed_updates is not None:
                info["allowed_updates"] = list(self._allowed_updates)
            if self._webhook_last_error is not None:
                info["last_error_date"], info["last_error_message"] = self._webhook_last_error
        return info

    def _set_my_commands(self, call: _Call) -> bool:
        commands = call.params.get("commands")
        if not isinstance(commands, list):
            raise _bad_request("can't parse commands JSON object")
        if len(commands) > 100:
            raise _bad_request("BOT_COMMANDS_TOO_MUCH")
        cleaned: list[JsonDict] = []
        for command in commands:
            if not isinstance(command, dict):
                raise _bad_request("can't parse BotCommand")
            name = str(command.get("command", ""))
            description = str(command.get("description", ""))
            if not _BOT_COMMAND_NAME_RE.match(name):
                raise _bad_request("BOT_COMMAND_INVALID")
            if not 1 <= len(description) <= 256:
                raise _bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
            cleaned.append({"command": name, "description": description})
        key = self._commands_key(call.params.get("scope"), call.params.get("language_code"))
        self._commands[key] = cleaned
        return True

    def _get_my_commands(self, call: _Call) -> list[JsonDict]:
        key = self._commands_key(call.params.get("scope"), call.params.get("language_code"))
        return list(self._commands.get(key, []))

    def _delete_my_commands(self, call: _Call) -> bool:
        key = self._commands_key(call.params.get("scope"), call.params.get("language_code"))
        self._commands.pop(key, None)
        return True

    def _send_message(self, call: _Call) -> JsonDict:
        params = call.params
        chat_id = self._require_chat(params)
        text, plain = self._text(params)
        markup = _check_markup(params.get("reply_markup"))
        state = self._chat_state(chat_id)
        message = ChatMessage(
            chat_id=chat_id,
            message_id=state.next_message_id,
            date=int(call.now),
            kind="text",
            text=text,
            plain_text=plain,
            parse_mode=params.get("parse_mode"),
            reply_markup=markup,
        )
        state.next_message_id += 1
        self._store(message)
        self._record(call.method, message, call)
        return self._message_json(message)

    def _send_file(self, call: _Call, kind: str) -> JsonDict:
        params = call.params
        chat_id = self._require_chat(params)
        caption, plain_caption = self._caption(params)
        markup = _check_markup(params.get("reply_markup"))
        upload = call.files.get(kind)
        reference = params.get(kind)
        if upload is not None:
            data: bytes | None = upload.data
            file_name, mime_type = upload.file_name, upload.content_type
            if not data:
                raise _bad_request("file must be non-empty")
            file_id, unique_id = self._register_file(data, f"{kind}s/{file_name or 'file'}")
        elif isinstance(reference, str) and reference:
            # A file_id or URL: Telegram fetches or reuses it; nothing is uploaded here.
            known = self._files.get(reference)
            data = known[1] if known else None
            file_name, mime_type = None, None
            file_id, unique_id = self._register_file(data, f"{kind}s/file")
        else:
            raise _bad_request(f"there is no {kind} in the request")
        state = self._chat_state(chat_id)
        message = ChatMessage(
            chat_id=chat_id,
            message_id=state.next_message_id,
            date=int(call.now),
            kind=kind,
            caption=caption,
            plain_caption=plain_caption,
            parse_mode=params.get("parse_mode"),
            reply_markup=markup,
            file_id=file_id,
            file_unique_id=unique_id,
            file_name=file_name,
            file_bytes=data if self.record else None,
            file_size=len(data or b""),
            mime_type=mime_type,
        )
        state.next_message_id += 1
        self._store(message)
        self._record(call.method, message, call)
        return self._message_json(message)

    def _send_document(self, call: _Call) -> JsonDict:
        return self._send_file(call, "document")

    def _send_photo(self, call: _Call) -> JsonDict:
        return self._send_file(call, "photo")

    def _edit_message_text(self, call: _Call) -> JsonDict:
        params = call.params
        message = self._find_message(params, "message to edit not found")
        if message.kind != "text":
            raise _bad_request("there is no text in the message to edit")
        text, plain = self._text(params)
        # Omitting reply_markup in an edit removes the inline keyboard, as on Telegram.
        markup = _inline_part(_check_markup(params.get("reply_markup")))
        if text == message.text and markup == _inline_part(message.reply_markup):
            raise _bad_request(_NOT_MODIFIED.removeprefix("Bad Request: "))
        edited = replace(
            message,
            text=text,
            plain_text=plain,
            parse_mode=params.get("parse_mode"),
            reply_markup=markup,
            edit_date=int(call.now),
            edit_count=message.edit_count + 1,
        )
        self._store_edit(edited)
        self._record(call.method, edited, call)
        return self._message_json(edited)

    def _edit_message_reply_markup(self, call: _Call) -> JsonDict:
        params = call.params
        message = self._find_message(params, "message to edit not found")
        markup = _inline_part(_check_markup(params.get("reply_markup")))
        if markup == _inline_part(message.reply_markup):
            raise _bad_request(_NOT_MODIFIED.removeprefix("Bad Request: "))
        edited = replace(
            message,
            reply_markup=markup,
            edit_date=int(call.now),
            edit_count=message.edit_count + 1,
        )
        self._store_edit(edited)
        self._record(call.method, edited, call)
        return self._message_json(edited)

    def _edit_message_caption(self, call: _Call) -> JsonDict:
        params = call.params
        message = self._find_message(params, "message to edit not found")
        if message.kind == "text":
            raise _bad_request("there is no caption in the message to edit")
        caption, plain = self._caption(params)
        markup = _inline_part(_check_markup(params.get("reply_markup")))
        if caption == message.caption and markup == _inline_part(message.reply_markup):
            raise _bad_request(_NOT_MODIFIED.removeprefix("Bad Request: "))
        edited = replace(
            message,
            caption=caption,
            plain_caption=plain,
            parse_mode=params.get("parse_mode"),
            reply_markup=markup,
            edit_date=int(call.now),
            edit_count=message.edit_count + 1,
        )
        self._store_edit(edited)
        self._record(call.method, edited, call)
        return self._message_json(edited)

    def _store_edit(self, message: ChatMessage) -> None:
        # Replacing in place keeps the chat's message order.
        self._chat_state(message.chat_id).messages[message.message_id] = message

    def _delete_message(self, call: _Call) -> bool:
        message = self._find_message(call.params, "message to delete not found")
        del self._chat_state(message.chat_id).messages[message.message_id]
        return True

    def _answer_callback_query(self, call: _Call) -> bool:
        params = call.params
        query_id = str(params.get("callback_query_id") or "")
        if self._open_callback_queries.pop(query_id, None) is None:
            raise _bad_request(_QUERY_INVALID.removeprefix("Bad Request: "))
        text = params.get("text")
        if text is not None and len(str(text)) > 200:
            raise _bad_request("MESSAGE_TOO_LONG")
        cache_time = params.get("cache_time")
        self._callback_answers.append(
            CallbackAnswer(
                callback_query_id=query_id,
                text=None if text is None else str(text),
                show_alert=bool(params.get("show_alert", False)),
                url=params.get("url"),
                cache_time=int(cache_time) if cache_time is not None else None,
                timestamp=call.now,
            )
        )
        return True

    def _send_chat_action(self, call: _Call) -> bool:
        self._require_chat(call.params)
        if call.params.get("action") not in _CHAT_ACTIONS:
            raise _bad_request("wrong parameter action in request")
        return True

    def _get_file(self, call: _Call) -> JsonDict:
        file_id = str(call.params.get("file_id") or "")
        known = self._files.get(file_id)
        if known is None:
            raise _bad_request("invalid file_id")
        file_path, data = known
        return {
            "file_id": file_id,
            "file_unique_id": "AgAD" + file_id[-8:],
            "file_size": len(data),
            "file_path": file_path,
        }

    def _close(self, call: _Call) -> bool:
        self.closed = True
        return True

    def _log_out(self, call: _Call) -> bool:
        self.logged_out = True
        return True


A = TypeVar("A")


class ArrivalsFake(FakeTelegram, Generic[A]):
    """The fake server without recording, which puts what `arrival` makes of each message the
    bot sends or edits (nothing for None) on `arrivals` as it comes in: for timing the bot."""

    def __init__(self, token: str, arrival: Callable[[str, ChatMessage], A | None]) -> None:
        super().__init__(token=token, record=False)
        self._arrival = arrival
        self.arrivals: queue.SimpleQueue[A] = queue.SimpleQueue()

    def _record(self, method: str, message: ChatMessage, call: _Call) -> None:
        super()._record(method, message, call)
        arrived = self._arrival(method, message)
        if arrived is not None:
            self.arrivals.put(arrived)
