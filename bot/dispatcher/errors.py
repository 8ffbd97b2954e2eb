"""What to do when a send fails: pure functions from python-telegram-bot's exception (and
how far the request got) to a verdict. Nothing here touches the database or the network.

The rule that keeps a message from being doubled: only a failure known to have left Telegram
without the message is sent again. That is a request that never left or was cut off before
its last byte, a connection reset before any answer (a server that closes a connection with
the request unread resets it), and a 500 or 502 answer. A request that was written and then
met silence (a read timeout) or an orderly close may have been delivered: it is "unknown".
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from enum import Enum
from typing import Protocol

import httpx
from telegram.error import (
    BadRequest,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
)

# BadRequest descriptions that mean the chat is gone for good, like a block.
GONE_CHAT = ("chat not found", "peer_id_invalid", "user not found")
# Answers from Telegram's front that come before the message is handled.
NOT_DELIVERED_STATUSES = frozenset({500, 502})
# No connection was made, or none was free: the request never left.
_NEVER_CONNECTED = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


class Action(Enum):
    WAIT = "wait"  # flood control: send again after Telegram's retry_after
    RETRY = "retry"  # known not delivered: send again after a backoff
    UNREACHABLE = "unreachable"  # the chat is gone: stop the user's reminders
    FAILED = "failed"  # Telegram refused this message for good
    UNKNOWN = "unknown"  # may have arrived: never sent again


@dataclass(frozen=True)
class Verdict:
    action: Action
    reason: str
    wait_s: float = 0.0  # for WAIT
    log_level: int = logging.INFO


class RequestProgress(Protocol):
    """How far a request got (bot.dispatcher.wire.SendProgress)."""

    @property
    def write_started(self) -> bool: ...
    @property
    def written(self) -> bool: ...
    @property
    def answered(self) -> bool: ...
    @property
    def status(self) -> int | None: ...


def classify(error: BaseException, progress: RequestProgress) -> Verdict:
    if isinstance(error, RetryAfter):
        return Verdict(Action.WAIT, "flood control", wait_s=retry_after_seconds(error))
    if isinstance(error, Forbidden) or (isinstance(error, BadRequest) and chat_gone(error)):
        return Verdict(Action.UNREACHABLE, "the chat is gone", log_level=logging.WARNING)
    if isinstance(error, InvalidToken):
        # Telegram turned the request away before looking at it.
        return Verdict(Action.RETRY, "the bot token was rejected", log_level=logging.ERROR)
    if progress.status in NOT_DELIVERED_STATUSES:
        return Verdict(Action.RETRY, f"Telegram answered {progress.status}")
    if isinstance(error, NetworkError):
        reason = _never_arrived(error, progress)
        if reason is not None:
            return Verdict(Action.RETRY, reason)
    if isinstance(error, BadRequest) or (
        isinstance(error, TelegramError) and not isinstance(error, NetworkError)
    ):
        return Verdict(Action.FAILED, "Telegram refused the message", log_level=logging.ERROR)
    # A timeout after the request went out, an orderly close, another 5xx: Telegram may have
    # delivered it. Sending again could double it.
    return Verdict(Action.UNKNOWN, "it may have arrived", log_level=logging.WARNING)


def _never_arrived(error: NetworkError, progress: RequestProgress) -> str | None:
    causes = list(_causes(error))
    if any(isinstance(cause, _NEVER_CONNECTED) for cause in causes):
        return "no connection to Telegram"
    if not progress.write_started:
        return "the request never left"
    if not progress.written:
        return "the request was cut off before its end"
    if not progress.answered and any(isinstance(c, ConnectionResetError) for c in causes):
        return "the connection was reset before any answer"
    return None


def _causes(error: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    cause: BaseException | None = error.__cause__ or error.__context__
    while cause is not None and id(cause) not in seen:
        seen.add(id(cause))
        yield cause
        cause = cause.__cause__ or cause.__context__


def chat_gone(error: BadRequest) -> bool:
    text = error.message.lower()
    return any(phrase in text for phrase in GONE_CHAT)


def retry_after_seconds(error: RetryAfter) -> float:
    with warnings.catch_warnings():
        # PTB warns that the attribute will become a timedelta; either form is handled.
        warnings.simplefilter("ignore")
        value = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def describe(error: BaseException, token: str) -> str:
    """The error for a log line, never with the bot token in it."""
    text = f"{type(error).__name__}: {error}"
    return text.replace(token, "<token>") if token else text
