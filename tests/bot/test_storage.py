"""Storage on SQLite and PostgreSQL: migrations, the conversation row, users."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import inspect, select
from sqlalchemy.orm.exc import StaleDataError

from bot.config import database_url
from bot.engine import Sender, ensure_user
from bot.storage.db import Sessions, create_engine
from bot.storage.migrate import downgrade, upgrade
from bot.storage.models import ConversationRow, User


async def test_migrations_create_every_table(engine) -> None:
    async with engine.connect() as connection:
        tables = await connection.run_sync(lambda sync: set(inspect(sync).get_table_names()))
    assert {"users", "conversations", "assessments", "alembic_version"} <= tables


def test_migrations_go_down_and_up_again(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'm.db'}"
    upgrade(url)
    downgrade(url, "base")
    upgrade(url)
    import sqlite3

    names = {
        row[0]
        for row in sqlite3.connect(tmp_path / "m.db").execute(
            "select name from sqlite_master where type='table'"
        )
    }
    assert {"users", "conversations", "assessments"} <= names


async def test_datetimes_come_back_aware_in_utc(sessions: Sessions) -> None:
    moment = datetime(2026, 3, 29, 3, 30, tzinfo=timezone(timedelta(hours=2)))
    async with sessions() as session, session.begin():
        await ensure_user(session, Sender(5, 5, "Ann"), moment)
    async with sessions() as session:
        user = await session.get(User, 5)
        assert user is not None
        assert user.created_at == moment
        assert user.created_at.tzinfo is not None
        assert user.created_at.utcoffset() == timedelta(0)


async def test_naive_datetimes_are_refused(sessions: Sessions) -> None:
    with pytest.raises(Exception, match="naive datetime"):
        async with sessions() as session, session.begin():
            await ensure_user(session, Sender(6, 6), datetime(2026, 1, 1))


async def test_ensure_user_is_idempotent_and_follows_chat_changes(sessions: Sessions) -> None:
    now = datetime(2026, 11, 1, tzinfo=UTC)
    async with sessions() as session, session.begin():
        await ensure_user(session, Sender(7, 70, "Bo"), now)
        await ensure_user(session, Sender(7, 71, "Bo"), now)
    async with sessions() as session:
        users = (await session.scalars(select(User).where(User.id == 7))).all()
        assert [(user.chat_id, user.first_name) for user in users] == [(71, "Bo")]


async def test_a_stale_conversation_copy_cannot_overwrite_a_newer_one(sessions: Sessions) -> None:
    now = datetime(2026, 11, 1, tzinfo=UTC)
    async with sessions() as session, session.begin():
        await ensure_user(session, Sender(8, 8), now)
        session.add(
            ConversationRow(
                user_id=8,
                flow="assessment",
                state="weight",
                data={"answers": {}},
                token="t",
                updated_at=now,
            )
        )
    async with sessions() as first, sessions() as second:
        mine = await first.get(ConversationRow, 8)
        theirs = await second.get(ConversationRow, 8)
        assert mine is not None and theirs is not None
        theirs.state = "sleep_hours"
        await second.commit()
        mine.state = "naps"
        with pytest.raises(StaleDataError):
            await first.commit()


@pytest.mark.parametrize(
    ("configured", "expected_prefix"),
    [
        ("postgres://u:p@db.example:5432/app", "postgresql+asyncpg://u:p@db.example:5432/app"),
        ("postgresql://u@h/app", "postgresql+asyncpg://u@h/app"),
        ("sqlite:///x.db", "sqlite+aiosqlite:///x.db"),
    ],
)
def test_database_urls_from_hosting_platforms_are_accepted(
    configured: str, expected_prefix: str
) -> None:
    assert database_url(configured, Path(".")) == expected_prefix


def test_without_database_url_sqlite_lives_in_the_data_folder(tmp_path: Path) -> None:
    url = database_url(None, tmp_path / "data")
    assert url == f"sqlite+aiosqlite:///{(tmp_path / 'data' / 'legdaycoach.db').resolve()}"
    assert (tmp_path / "data").is_dir()


async def test_engine_factory_works_for_both(db_url: str) -> None:
    engine = create_engine(db_url)
    try:
        async with engine.connect() as connection:
            assert (await connection.exec_driver_sql("select 1")).scalar() == 1
    finally:
        await engine.dispose()
