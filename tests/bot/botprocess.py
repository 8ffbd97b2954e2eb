"""Runs the real bot (`python -m bot run`) as a separate process against a fake Bot API."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Collection, Mapping, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Left out of a bot's environment unless given: a developer's own bot and database.
OWN_SETTINGS = frozenset({"TELEGRAM_BOT_TOKEN", "DATABASE_URL"})


def bot_env(
    data_dir: Path, without: Collection[str] = OWN_SETTINGS, **extra: str
) -> dict[str, str]:
    """This process's environment less `without`, for a bot keeping its data in `data_dir`
    and running this checkout's code (unless `extra` says otherwise)."""
    env = {key: value for key, value in os.environ.items() if key not in without}
    env.update({"DATA_DIR": str(data_dir), "PYTHONPATH": str(ROOT), **extra})
    return env


def run_bot_command(
    args: Sequence[str],
    data_dir: Path,
    env: Mapping[str, str],
    timeout: float,
    stdin: str | None = None,
) -> subprocess.CompletedProcess[str]:
    """`python -m bot ARGS` in `data_dir`, to its end; output captured as text."""
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=data_dir,
        env=dict(env),
        timeout=timeout,
        check=False,
    )


class BotProcess:
    def __init__(
        self, base_url: str, token: str, data_dir: Path, database_url: str | None, **extra_env: str
    ) -> None:
        defaults = {"LOG_LEVEL": "DEBUG", "DISPATCH_INTERVAL_S": "0.5"}
        self.env = bot_env(
            data_dir,
            TELEGRAM_BOT_TOKEN=token,
            TELEGRAM_BASE_URL=base_url,
            **{**defaults, **extra_env},  # a caller's setting wins over the default
        )
        if database_url:
            self.env["DATABASE_URL"] = database_url
        self.data_dir = data_dir
        self.log_path = data_dir / "bot.log"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> BotProcess:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot", "run"],
            cwd=self.data_dir,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        return self

    def kill(self) -> None:
        """kill -9: no clean-up of any kind."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)

    @property
    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
