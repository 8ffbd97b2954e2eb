"""Configuration from environment variables and a .env file."""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# Telegram's rule for a webhook's secret token.
SECRET_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,256}")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    telegram_bot_token: SecretStr | None = None
    # The Bot API server root; a self-hosted Bot API server works too.
    telegram_base_url: str = "https://api.telegram.org"
    database_url: str | None = None
    data_dir: Path = Path("data")
    log_level: str = "INFO"
    # "text" (one line a record) or "json" (one JSON object a line, for log collectors).
    log_format: str = "text"
    # How often the dispatcher looks for due reminders, and how many it claims at once.
    dispatch_interval_s: float = Field(default=5.0, gt=0)
    dispatch_batch_size: int = Field(default=200, gt=0)
    # Telegram's limits: about 30 messages a second in all, one a second per chat.
    send_rate_per_second: float = Field(default=30.0, gt=0)
    per_chat_rate_per_second: float = Field(default=1.0, gt=0)
    # Finished reminder deliveries are deleted after this many days, except leg days answered
    # "done" or "skipped", which are kept for good (streaks, summaries, /export). At least
    # 35: the 30-day progress summary and streaks read that far back.
    delivery_retention_days: int = Field(default=90, ge=35)
    # Worker processes drawing charts off the event loop; 0 draws them in a thread instead.
    chart_workers: int = Field(default=1, ge=0)
    # Webhook mode: Telegram posts updates to this public HTTPS URL; the bot serves its path
    # on PORT. Unset means long polling (`python -m bot web` serves without registering).
    webhook_url: str | None = None
    port: int = Field(default=8080, ge=1, le=65535)
    # What Telegram sends in X-Telegram-Bot-Api-Secret-Token; generated once and kept in the
    # database when unset, so every worker on that database agrees on it.
    webhook_secret: SecretStr | None = None
    # Requests with a larger body are refused (413) before they are read further.
    webhook_max_body_bytes: int = Field(default=262_144, ge=1024)

    @field_validator("webhook_url")
    @classmethod
    def _webhook_url(cls, value: str | None) -> str | None:
        value = (value or "").strip()
        if not value:
            return None
        if not re.fullmatch(r"https?://[^\s/?#]+[^\s#]*", value):
            raise ValueError("must be an http(s) URL such as https://bot.example.com/webhook")
        return value

    @field_validator("webhook_secret")
    @classmethod
    def _webhook_secret(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value().strip():
            return None
        if not SECRET_PATTERN.fullmatch(value.get_secret_value().strip()):
            raise ValueError("must be 1 to 256 characters of A-Z, a-z, 0-9, _ and -")
        return SecretStr(value.get_secret_value().strip())

    @property
    def token(self) -> str | None:
        if self.telegram_bot_token is None:
            return None
        value = self.telegram_bot_token.get_secret_value().strip()
        return value or None

    @property
    def secret(self) -> str | None:
        return None if self.webhook_secret is None else self.webhook_secret.get_secret_value()

    @property
    def bot_api_base(self) -> str:
        """The URL python-telegram-bot puts the token after ("…/bot")."""
        root = self.telegram_base_url.rstrip("/").removesuffix("/bot")
        return f"{root}/bot"

    @property
    def bot_file_base(self) -> str:
        root = self.telegram_base_url.rstrip("/").removesuffix("/bot")
        return f"{root}/file/bot"

    @property
    def sqlalchemy_url(self) -> str:
        return database_url(self.database_url, self.data_dir)


def database_url(configured: str | None, data_dir: Path) -> str:
    """The async SQLAlchemy URL: the configured one in driver form, else SQLite in data_dir."""
    if not configured:
        data_dir.mkdir(parents=True, exist_ok=True)
        return f"sqlite+aiosqlite:///{(data_dir / 'legdaycoach.db').resolve()}"
    url = configured.strip()
    # Hosting platforms hand out postgres:// URLs; SQLAlchemy wants a dialect and driver.
    for prefix in (
        "postgres://",
        "postgresql://",
        "postgresql+psycopg2://",
        "postgresql+psycopg://",
    ):
        if url.startswith(prefix):
            return "postgresql+asyncpg://" + url[len(prefix) :]
    if url.startswith("sqlite://") and not url.startswith("sqlite+aiosqlite://"):
        return "sqlite+aiosqlite://" + url[len("sqlite://") :]
    return url
