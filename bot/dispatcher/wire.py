"""How far the HTTP request of one send got, seen from inside python-telegram-bot's client.

A Bot whose `request` is a `DeliveryRequest` reports, for a send made inside
`watching(progress)`: the moment right before the request's first byte is written (the
connection is open by then), whether the request was written completely, whether an answer
began to come back, and the answer's HTTP status, which python-telegram-bot does not pass on
for a 500 or 502. The moment before the first byte is when a delivery becomes "sending": a
request that never got that far provably never reached Telegram.
"""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

import httpx
from telegram.request import BaseRequest, HTTPXRequest, RequestData


class SendAborted(Exception):
    """The send stopped before its first byte: the delivery was no longer this sender's."""


@dataclass
class SendProgress:
    """One send's request on its way out. `on_write` runs right before the first byte; it
    returns False when the send must not go ahead."""

    on_write: Callable[[], Awaitable[bool]]
    write_started: bool = False
    written: bool = False  # every byte of the request was handed to the connection
    answered: bool = False  # the head of an answer came back
    status: int | None = None  # the answer's HTTP status
    aborted: bool = False

    async def leaving(self) -> None:
        """The request is about to be written: now it counts as sent, or it stops here."""
        self.write_started = True
        if not await self.on_write():
            self.aborted = True
            raise SendAborted("the delivery was taken over before its request was written")

    async def leaving_unobserved(self) -> None:
        """For a Bot that does not report how far its requests get: the send leaves now, and
        counts as written and answered, so a failure is retried only when no connection
        was made at all."""
        await self.leaving()
        self.written = self.answered = True

    async def trace(self, event: str, info: dict[str, Any]) -> None:
        """httpcore's trace callback; events read "<protocol>.<step>.<started|complete|failed>"."""
        if event.endswith(".send_request_headers.started") and not self.write_started:
            await self.leaving()
        elif event.endswith(".send_request_body.complete"):
            self.written = True
        elif event.endswith(".receive_response_headers.complete"):
            self.answered = True


_current: ContextVar[SendProgress | None] = ContextVar("delivery_send_progress", default=None)


@contextlib.contextmanager
def watching(progress: SendProgress) -> Iterator[None]:
    """Requests made inside report to `progress` (when their Bot uses a DeliveryRequest)."""
    token = _current.set(progress)
    try:
        yield
    finally:
        _current.reset(token)


async def _follow(request: httpx.Request) -> None:
    progress = _current.get()
    if progress is not None:
        request.extensions["trace"] = progress.trace


class DeliveryRequest(HTTPXRequest):
    """HTTPXRequest that reports sends made inside `watching` (see the module docstring);
    any other request goes out exactly as with HTTPXRequest."""

    __slots__ = ()

    def __init__(self, *, httpx_kwargs: dict[str, Any] | None = None, **kwargs: Any) -> None:
        options = dict(httpx_kwargs or {})
        hooks = {name: list(found) for name, found in (options.get("event_hooks") or {}).items()}
        hooks.setdefault("request", []).append(_follow)
        options["event_hooks"] = hooks
        super().__init__(httpx_kwargs=options, **kwargs)

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = BaseRequest.DEFAULT_NONE,
        write_timeout: Any = BaseRequest.DEFAULT_NONE,
        connect_timeout: Any = BaseRequest.DEFAULT_NONE,
        pool_timeout: Any = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        code, payload = await super().do_request(
            url, method, request_data, read_timeout, write_timeout, connect_timeout, pool_timeout
        )
        progress = _current.get()
        if progress is not None:
            progress.status = code
        return code, payload


def reports_progress(bot: object) -> bool:
    """Whether sends through `bot` report when their request leaves."""
    return isinstance(getattr(bot, "request", None), DeliveryRequest)
