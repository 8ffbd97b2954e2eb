"""The user's own data: everything stored about them as files, and deleting all of it.

The tables are found from the schema itself, so a table added later is exported and
deleted without anyone having to remember this module.
"""

from __future__ import annotations

import csv
import io
import json
import logging
from datetime import date, datetime
from typing import Any

from sqlalchemy import Table, delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import Base, Checkin, User
from flows.core import Attachment, Reply

logger = logging.getLogger(__name__)


def user_tables() -> list[tuple[Table, str]]:
    """Every table with a row about a user, and the column that names the user."""
    found = []
    for table in Base.metadata.sorted_tables:
        if table.name == User.__tablename__:
            found.append((table, "id"))
        elif "user_id" in table.columns:
            found.append((table, "user_id"))
    return found


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


async def collect(session: AsyncSession, user_id: int) -> dict[str, list[dict[str, Any]]]:
    data: dict[str, list[dict[str, Any]]] = {}
    for table, column in user_tables():
        result = await session.execute(select(table).where(table.c[column] == user_id))
        data[table.name] = [
            {key: _plain(value) for key, value in row._mapping.items()} for row in result
        ]
    return data


def checkins_csv(rows: list[dict[str, Any]]) -> bytes:
    columns = [column.name for column in Checkin.__table__.columns if column.name != "user_id"]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(sorted(rows, key=lambda row: row["day"]))
    return buffer.getvalue().encode()


async def export_replies(session: AsyncSession, user_id: int, now: datetime) -> list[Reply]:
    data = await collect(session, user_id)
    document = {"exported_at": now.isoformat(), "user_id": user_id, "tables": data}
    content = json.dumps(document, indent=2, ensure_ascii=False, sort_keys=True).encode()
    stamp = now.date().isoformat()
    replies = [
        Reply(
            "account.export.json_caption",
            attachment=Attachment(f"legdaycoach-{stamp}.json", content, "application/json"),
        )
    ]
    if data.get(Checkin.__tablename__):
        replies.append(
            Reply(
                "account.export.csv_caption",
                attachment=Attachment(
                    f"checkins-{stamp}.csv", checkins_csv(data[Checkin.__tablename__]), "text/csv"
                ),
            )
        )
    return replies


async def delete_user(session: AsyncSession, user_id: int) -> None:
    """Deletes every row about the user, children first (no reliance on ON DELETE CASCADE)."""
    for table, column in reversed(user_tables()):
        await session.execute(delete(table).where(table.c[column] == user_id))
    logger.info("deleted every row of user %s", user_id)
