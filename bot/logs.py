"""Logging set-up. The bot token must never reach the output, whatever prints it.

Redaction happens where text is finally put together: in the formatter, after the message,
its arguments, an exception's traceback with its whole chain and any stack have been turned
into one string. On top of that, standard output and standard error are wrapped so that a
print, a warning or the traceback of an unhandled error is redacted too.

LOG_FORMAT=json writes one JSON object per line (time in UTC, level, logger, message and the
exception text if any), for log collectors.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import threading
import time
from collections.abc import Iterable
from datetime import UTC, datetime
from types import TracebackType
from typing import Any, TextIO, cast
from urllib.parse import quote, quote_plus

logger = logging.getLogger(__name__)

REDACTED = "<token>"
LOG_FORMATS = ("text", "json")
# A real token's secret part is 35 characters; a much shorter one is not a real token, and
# redacting it alone would blank ordinary words all over the logs.
MIN_SECRET_PART = 8


def secret_forms(token: str) -> list[str]:
    """Every form in which the token or its secret part may appear in text, longest first."""
    token = token.strip()
    if not token:
        return []
    secret = token.split(":", 1)[1] if ":" in token else token
    forms = {token, quote(token, safe=""), quote_plus(token)}
    if len(secret) >= MIN_SECRET_PART:
        forms |= {secret, quote(secret, safe=""), quote_plus(secret)}
    # Percent-encoding may come with lower-case hex digits ("%3a") as well.
    forms |= {re.sub(r"%[0-9A-F]{2}", lambda m: m.group(0).lower(), form) for form in forms}
    return sorted((form for form in forms if form), key=len, reverse=True)


class Redactor:
    """Replaces every form of the given secrets by a placeholder."""

    def __init__(self, secrets: Iterable[str | None]) -> None:
        forms = sorted(
            {form for secret in secrets if secret for form in secret_forms(secret)},
            key=len,
            reverse=True,
        )
        self.pattern = re.compile("|".join(map(re.escape, forms))) if forms else None

    def __call__(self, text: str) -> str:
        if self.pattern is None or not text:
            return text
        return self.pattern.sub(REDACTED, text)


class RedactingFormatter(logging.Formatter):
    """The usual text line, in UTC, with the token redacted from everything it prints."""

    converter = staticmethod(lambda seconds: time.gmtime(seconds))
    default_time_format = "%Y-%m-%dT%H:%M:%S"
    default_msec_format = "%s.%03dZ"

    def __init__(self, redact: Redactor, fmt: str | None = None) -> None:
        super().__init__(fmt or "%(asctime)s %(levelname)s %(name)s: %(message)s")
        self.redact = redact

    def format(self, record: logging.LogRecord) -> str:
        text = self.redact(super().format(record))
        _scrub_record(record, self.redact)
        return text


class JsonFormatter(RedactingFormatter):
    """One JSON object a line: time (UTC, ISO 8601), level, logger, message, exception."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": self.redact(record.getMessage()),
        }
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exception"] = self.redact(record.exc_text)
        if record.stack_info:
            entry["stack"] = self.redact(self.formatStack(record.stack_info))
        _scrub_record(record, self.redact)
        return self.redact(json.dumps(entry, ensure_ascii=False))


def _scrub_record(record: logging.LogRecord, redact: Redactor) -> None:
    # The formatter caches the traceback text on the record, where another handler (or a
    # test's log capture) would pick it up unredacted.
    if record.exc_text:
        record.exc_text = redact(record.exc_text)
    if isinstance(getattr(record, "message", None), str):
        record.message = redact(record.message)


class RedactingHandler(logging.StreamHandler[TextIO]):
    def handleError(self, record: logging.LogRecord) -> None:
        # The stock version prints the record's raw message and arguments: the token's way
        # out when a log call itself is broken. Name the broken call instead.
        if not logging.raiseExceptions:
            return
        kind = sys.exc_info()[0]
        try:
            self.stream.write(
                f"--- Logging error: {kind.__name__ if kind else 'error'} in a log call "
                f"at {record.pathname}:{record.lineno} (logger {record.name}) ---\n"
            )
            self.flush()
        except Exception:  # nowhere left to report it
            pass


class RedactingStream:
    """Wraps sys.stdout or sys.stderr: whatever is written there is redacted first."""

    def __init__(self, stream: TextIO, redact: Redactor) -> None:
        self.stream = stream
        self.redact = redact

    def write(self, text: str) -> int:
        self.stream.write(self.redact(text))
        return len(text)

    def writelines(self, lines: Iterable[str]) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        self.stream.flush()

    def isatty(self) -> bool:
        return self.stream.isatty()

    def fileno(self) -> int:
        return self.stream.fileno()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)


def formatter_for(log_format: str, redact: Redactor) -> RedactingFormatter:
    return JsonFormatter(redact) if log_format == "json" else RedactingFormatter(redact)


def configure(level: str, token: str | None, log_format: str = "text") -> None:
    redact = Redactor([token])
    # print, warnings and the last-resort tracebacks write to these streams.
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if stream is None:
            continue  # no console at all (pythonw, some services)
        if isinstance(stream, RedactingStream):
            stream = stream.stream
        setattr(sys, name, cast(TextIO, RedactingStream(stream, redact)))

    chosen = log_format.strip().lower()
    handler = RedactingHandler(sys.stderr)
    handler.setFormatter(formatter_for(chosen, redact))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
        old.close()
    root.addHandler(handler)
    root.setLevel(level.upper())
    # httpx logs every request URL at INFO, and Bot API URLs contain the token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    logging.captureWarnings(True)
    sys.excepthook = _log_unhandled
    threading.excepthook = _log_unhandled_in_thread
    if chosen not in LOG_FORMATS:
        logger.warning(
            "LOG_FORMAT %r is not one I know; use text or json. Logging as text.", log_format
        )


def _log_unhandled(
    kind: type[BaseException], error: BaseException, traceback: TracebackType | None
) -> None:
    if issubclass(kind, KeyboardInterrupt):
        return  # Ctrl-C: the person knows why it stopped
    logging.getLogger("bot").critical(
        "unhandled error, stopping: %s", kind.__name__, exc_info=(kind, error, traceback)
    )


def _log_unhandled_in_thread(args: threading.ExceptHookArgs) -> None:
    if args.exc_value is None:
        return
    logging.getLogger("bot").error(
        "unhandled error in thread %s",
        args.thread.name if args.thread else "?",
        exc_info=(args.exc_type, args.exc_value, args.exc_traceback),
    )
