"""The token never reaches the output: the formatters, the streams and the last-resort hooks."""

from __future__ import annotations

import io
import json
import logging
import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

import pytest

from bot.logs import (
    REDACTED,
    JsonFormatter,
    RedactingFormatter,
    RedactingHandler,
    RedactingStream,
    Redactor,
)

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "7123456789:AAHk-Secret_part-of-the-token-xyz42"
SECRET = TOKEN.split(":", 1)[1]
ENCODED = quote(TOKEN, safe="")  # "7123456789%3AAAHk-..."


def leaks(text: str) -> list[str]:
    """The forms of the token found in text; the secret part covers the encoded forms too."""
    return [form for form in (TOKEN, SECRET, ENCODED, ENCODED.lower()) if form in text]


class Capture:
    """A real logger with one handler and the formatter under test, writing to a buffer."""

    def __init__(self, formatter: logging.Formatter) -> None:
        self.buffer = io.StringIO()
        self.handler = RedactingHandler(self.buffer)
        self.handler.setFormatter(formatter)
        self.logger = logging.getLogger(f"test.logs.{id(self)}")
        self.logger.propagate = False
        self.logger.setLevel(logging.DEBUG)
        self.logger.addHandler(self.handler)

    @property
    def text(self) -> str:
        return self.buffer.getvalue()

    def close(self) -> None:
        self.logger.removeHandler(self.handler)


@pytest.fixture(params=["text", "json"])
def capture(request: pytest.FixtureRequest) -> Iterator[Capture]:
    redact = Redactor([TOKEN])
    formatter = JsonFormatter(redact) if request.param == "json" else RedactingFormatter(redact)
    captured = Capture(formatter)
    yield captured
    captured.close()


def test_token_inside_the_message_is_redacted(capture: Capture) -> None:
    capture.logger.info(f"calling https://api.telegram.org/bot{TOKEN}/getMe")
    assert leaks(capture.text) == []
    assert f"bot{REDACTED}/getMe" in capture.text


def test_token_inside_the_arguments_is_redacted(capture: Capture) -> None:
    capture.logger.warning("token %s, secret %r, encoded %s", TOKEN, SECRET, ENCODED)
    assert leaks(capture.text) == []
    assert capture.text.count(REDACTED) == 3


def _rejected() -> None:
    try:
        raise PermissionError(f"401 for /bot{ENCODED}/getMe")
    except PermissionError as cause:
        try:
            raise LookupError(f"secret part {SECRET} unknown") from cause
        except LookupError:
            # Raised while handling the above: an implicit __context__ on top of a __cause__.
            raise RuntimeError(f"The token `{TOKEN}` was rejected by the server.")  # noqa: B904


def test_exception_chain_is_redacted_in_every_link(capture: Capture) -> None:
    try:
        _rejected()
    except RuntimeError:
        capture.logger.exception("start failed for %s", TOKEN)
    text = capture.text
    assert leaks(text) == []
    # The whole chain is there, only without the token.
    assert "direct cause of the following exception" in text
    assert "During handling of the above exception" in text
    for name in ("PermissionError", "LookupError", "RuntimeError"):
        assert name in text
    assert f"The token `{REDACTED}` was rejected" in text


def test_traceback_with_notes_and_stack_info_is_redacted(capture: Capture) -> None:
    error = ValueError("bad answer from the Bot API")
    error.add_note(f"while calling /bot{TOKEN}/getUpdates")
    try:
        raise error
    except ValueError:
        capture.logger.error("polling stopped", exc_info=True, stack_info=True)
    text = capture.text
    assert leaks(text) == []
    assert f"/bot{REDACTED}/getUpdates" in text
    assert "Stack (most recent call last)" in text
    assert "test_traceback_with_notes_and_stack_info_is_redacted" in text


def test_cached_traceback_on_the_record_is_redacted_for_other_handlers() -> None:
    redact = Redactor([TOKEN])
    record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", None, None)
    try:
        raise RuntimeError(TOKEN)
    except RuntimeError:
        record.exc_info = sys.exc_info()
    RedactingFormatter(redact).format(record)
    # A plain formatter used later reuses the cached text, which must be clean by now.
    assert leaks(logging.Formatter().format(record)) == []


def test_json_lines_carry_time_level_logger_message_and_exception() -> None:
    captured = Capture(JsonFormatter(Redactor([TOKEN])))
    try:
        captured.logger.info("ready with %s", TOKEN)
        try:
            raise RuntimeError(f"The token `{TOKEN}` was rejected by the server.")
        except RuntimeError:
            captured.logger.exception("refused")
    finally:
        captured.close()
    lines = captured.text.splitlines()
    assert len(lines) == 2
    first, second = (json.loads(line) for line in lines)
    assert first["level"] == "INFO" and first["logger"] == captured.logger.name
    assert first["message"] == f"ready with {REDACTED}"
    assert "exception" not in first
    stamp = datetime.fromisoformat(first["time"])
    assert stamp.utcoffset() is not None and stamp.utcoffset().total_seconds() == 0
    assert abs((datetime.now(UTC) - stamp).total_seconds()) < 60
    assert second["level"] == "ERROR" and second["message"] == "refused"
    assert f"RuntimeError: The token `{REDACTED}` was rejected" in second["exception"]
    assert leaks(captured.text) == []


def test_text_lines_are_stamped_in_utc() -> None:
    captured = Capture(RedactingFormatter(Redactor([TOKEN])))
    try:
        captured.logger.info("hello")
    finally:
        captured.close()
    stamp = captured.text.split(" ", 1)[0]
    assert stamp.endswith("Z")
    parsed = datetime.fromisoformat(stamp.removesuffix("Z")).replace(tzinfo=UTC)
    assert abs((datetime.now(UTC) - parsed).total_seconds()) < 60


def test_a_broken_log_call_does_not_print_its_raw_arguments(
    capsys: pytest.CaptureFixture[str],
) -> None:
    captured = Capture(RedactingFormatter(Redactor([TOKEN])))
    try:
        captured.logger.error("token is %d", TOKEN)  # %d of a string fails in formatting
    finally:
        captured.close()
    assert "Logging error" in captured.text and "test_logs.py" in captured.text
    assert leaks(captured.text) == []
    assert leaks(capsys.readouterr().err) == []


def test_short_secret_parts_are_not_redacted_alone_but_whole_tokens_are() -> None:
    redact = Redactor(["123:ABC"])
    assert redact("ABC went 123:ABC") == f"ABC went {REDACTED}"
    assert Redactor([None])("nothing to hide") == "nothing to hide"


def test_redacting_stream_keeps_what_the_terminal_needs() -> None:
    target = io.StringIO()
    stream = RedactingStream(target, Redactor([TOKEN]))
    print(f"token={TOKEN}", "secret", SECRET, file=stream)  # type: ignore[arg-type]
    assert target.getvalue() == f"token={REDACTED} secret {REDACTED}\n"
    assert stream.isatty() is False


def test_warnings_prints_and_unhandled_errors_are_redacted_once_configured() -> None:
    script = textwrap.dedent(
        f"""
        import logging, sys, threading, warnings
        from bot import logs

        token = {TOKEN!r}
        logs.configure("INFO", token, sys.argv[1])
        print("printed", token)
        print("secret", token.split(":", 1)[1], file=sys.stderr)
        warnings.warn(f"deprecated call with {{token}}")
        logging.getLogger("telegram").info("url %s", "/bot" + token + "/getMe")
        thread = threading.Thread(target=lambda: 1 / 0 if token else None, name="worker")
        thread.start()
        thread.join()
        raise RuntimeError(f"The token `{{token}}` was rejected by the server.")
        """
    )
    for log_format in ("text", "json"):
        result = subprocess.run(
            [sys.executable, "-c", script, log_format],
            capture_output=True,
            text=True,
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            timeout=60,
            check=False,
        )
        output = result.stdout + result.stderr
        assert result.returncode == 1, output
        assert leaks(output) == [], output
        assert f"printed {REDACTED}" in result.stdout
        assert f"secret {REDACTED}" in result.stderr
        assert "deprecated call with" in result.stderr
        assert "ZeroDivisionError" in result.stderr and "worker" in result.stderr
        assert f"The token `{REDACTED}` was rejected" in result.stderr
        if log_format == "json":
            # Every line but the script's own print to stderr is a JSON record.
            lines = result.stderr.splitlines()
            assert lines[0] == f"secret {REDACTED}"
            records = [json.loads(line) for line in lines[1:] if line.strip()]
            assert {"py.warnings", "telegram", "bot"} <= {record["logger"] for record in records}
            assert any(record["level"] == "CRITICAL" for record in records)
