"""Small settings the bot keeps for itself, shared by every process on one database."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import String, Text, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.db import Sessions
from bot.storage.models import Base


class SettingValue(Base):
    """One named value, such as the webhook's secret token."""

    __tablename__ = "settings_kv"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime]


async def get_or_create(sessions: Sessions, key: str, make: Callable[[], str]) -> str:
    """The stored value of `key`, stored first as `make()` if there is none. Processes racing
    to create it all end up with the one value that was stored first."""
    async with sessions() as session, session.begin():
        dialect = session.get_bind().dialect.name
        insert = pg_insert if dialect == "postgresql" else sqlite_insert
        existing = await session.scalar(select(SettingValue.value).where(SettingValue.key == key))
        if existing is not None:
            return existing
        await session.execute(
            insert(SettingValue)
            .values(key=key, value=make(), updated_at=datetime.now(UTC))
            .on_conflict_do_nothing(index_elements=["key"])
        )
        stored = await session.scalar(select(SettingValue.value).where(SettingValue.key == key))
    assert stored is not None
    return stored
