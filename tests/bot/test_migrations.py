"""Migrations never lose data.

Every revision found in the migrations folder is built on SQLite and on PostgreSQL, a fresh
database per case. Every table that exists at that revision is filled with rows whose values
come from the reflected column types (NULLs, unicode, Telegram-sized ids), parents before
children. After the upgrade to head each table has the same rows and every column that
existed before holds the same values. Round trips (upgrade, downgrade, upgrade) must give
back the same schema and the same rows.

A revision that changes stored values on purpose (a data fix) names the columns it rewrites
in a module-level ``rewrites = {"table": {"column", ...}}``; those columns are then checked
for their rows only, not their values.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import sqlite3
import subprocess
import sys
import traceback
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Enum,
    Float,
    Integer,
    LargeBinary,
    MetaData,
    Numeric,
    String,
    Table,
    event,
    func,
    inspect,
    select,
    text,
)
from sqlalchemy.engine import Connection, Inspector

from bot.config import database_url
from bot.storage.db import create_engine
from bot.storage.migrate import MIGRATIONS, downgrade, upgrade
from bot.storage.models import UTCDateTime
from tests.conftest import IN_CI, POSTGRES_URL, _admin

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = ScriptDirectory(str(MIGRATIONS))
# Oldest first; walk_revisions goes from head down to base.
REVISIONS = [script.revision for script in reversed(list(SCRIPTS.walk_revisions()))]
HEAD = SCRIPTS.get_current_head()

Rows = dict[str, list[dict[str, Any]]]
Schema = dict[str, Any]


# --- databases --------------------------------------------------------------------------


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A brand-new, empty database of this test's own."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'legdaycoach.db'}"
        return
    name = f"legday_migrations_{uuid.uuid4().hex[:10]}"
    try:
        asyncio.run(_admin(f'CREATE DATABASE "{name}"'))
    except (OSError, asyncpg.PostgresError, TimeoutError) as error:
        if IN_CI:
            pytest.fail(f"PostgreSQL is required under CI=true but unreachable: {error}")
        pytest.skip(f"PostgreSQL not reachable at {POSTGRES_URL} ({error}); set TEST_DATABASE_URL")
    yield database_url(POSTGRES_URL, Path(".")).rsplit("/", 1)[0] + f"/{name}"
    asyncio.run(_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def _app_types(_inspector: Inspector, _table: Table, column_info: dict[str, Any]) -> None:
    # Datetimes are written and read as the app does: aware in, aware UTC out.
    if isinstance(column_info["type"], DateTime):
        column_info["type"] = UTCDateTime()


def _reflect_sync(connection: Connection) -> MetaData:
    metadata = MetaData()
    event.listen(metadata, "column_reflect", _app_types)
    metadata.reflect(connection, only=lambda name, _: name != "alembic_version")
    return metadata


def _schema_sync(connection: Connection) -> Schema:
    inspector = inspect(connection)
    schema: Schema = {}
    for table in sorted(inspector.get_table_names()):
        if table == "alembic_version":
            continue
        schema[table] = {
            "columns": [
                (column["name"], str(column["type"]), column["nullable"])
                for column in inspector.get_columns(table)
            ],
            "primary_key": inspector.get_pk_constraint(table)["constrained_columns"],
            "foreign_keys": sorted(
                (
                    tuple(key["constrained_columns"]),
                    key["referred_table"],
                    tuple(key["referred_columns"]),
                    (key.get("options") or {}).get("ondelete"),
                )
                for key in inspector.get_foreign_keys(table)
            ),
            "indexes": sorted(
                (index["name"], tuple(index["column_names"]), bool(index["unique"]))
                for index in inspector.get_indexes(table)
            ),
        }
    return schema


async def _on(url: str, work: Any) -> Any:
    engine = create_engine(url)
    try:
        async with engine.begin() as connection:
            return await connection.run_sync(work)
    finally:
        await engine.dispose()


def schema(url: str) -> Schema:
    return asyncio.run(_on(url, _schema_sync))


def version(url: str) -> str | None:
    def read(connection: Connection) -> str | None:
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()

    return asyncio.run(_on(url, read))


# --- rows generated from the reflected columns ------------------------------------------

ROWS_PER_TABLE = 2  # row 0 leaves every nullable column NULL, row 1 fills every column
TEXT = "Zoë Łódź 李雷 💪 “quoted” 'x' \\ ;-- Straße"
# Columns whose values have a format the app relies on get well-formed values, so that a
# data fix repairing malformed values has nothing to repair here.
WELL_FORMED = {
    "timezone": ("Europe/Berlin", "America/Sao_Paulo"),
    "weight_unit": ("kg", "lb"),
}
CLOCK_TIMES = ("06:45", "21:30")  # columns named *_time hold "HH:MM"


def _value(column: Column[Any], index: int, rows: Rows) -> Any:
    if index == 0 and column.nullable and not column.primary_key:
        return None
    reference = next(iter(column.foreign_keys), None)
    if reference is not None:  # the parent's row of the same index, written earlier
        parent = reference.column
        return rows[parent.table.name][index][parent.name]
    kind = column.type
    if isinstance(kind, UTCDateTime | DateTime):
        # A DST night in Europe, with microseconds.
        return datetime(2024, 3, 31, 1, 30, 15, 123456, tzinfo=UTC) + timedelta(hours=index)
    if isinstance(kind, Date):
        return date(2024, 2, 29) + timedelta(days=index)
    if isinstance(kind, Boolean):
        return index % 2 == 1
    if isinstance(kind, BigInteger):
        return 7_000_000_000 + index  # Telegram ids no longer fit 32 bits
    if isinstance(kind, Integer):
        return index + 1 if column.primary_key else index + 3
    if isinstance(kind, Float | Numeric):
        return 7.25 + index
    if isinstance(kind, JSON):
        if index == 0:
            return [0, 3, "ü"]
        return {"name": "Zoë 💪", "weight": {"value": 82.5, "unit": "kg"}, "list": [1, None]}
    if isinstance(kind, Enum):
        return kind.enums[index % len(kind.enums)]
    if isinstance(kind, String):
        if column.name in WELL_FORMED:
            return WELL_FORMED[column.name][index % 2]
        if column.name.endswith("_time"):
            return CLOCK_TIMES[index % 2]
        value = f"{index}{TEXT}"
        return value[: kind.length] if kind.length else value
    if isinstance(kind, LargeBinary):
        return bytes([index, 0, 255])
    raise AssertionError(
        f"no test value for {column.table.name}.{column.name} of type {kind!r}: "
        "add one to _value in tests/bot/test_migrations.py"
    )


def _fill_sync(connection: Connection) -> Rows:
    metadata = _reflect_sync(connection)
    rows: Rows = {}
    for table in metadata.sorted_tables:  # parents before children
        rows[table.name] = []
        for index in range(ROWS_PER_TABLE):
            row = {column.name: _value(column, index, rows) for column in table.columns}
            rows[table.name].append(row)
        connection.execute(table.insert(), rows[table.name])
        if connection.dialect.name == "postgresql":
            # Explicit ids bypass the sequence: move it past them for later inserts.
            for column in table.primary_key.columns:
                sequence = connection.execute(
                    text("SELECT pg_get_serial_sequence(:table, :column)"),
                    {"table": table.name, "column": column.name},
                ).scalar()
                if sequence:
                    highest = connection.execute(select(func.max(column))).scalar()
                    connection.execute(text("SELECT setval(:s, :v)"), {"s": sequence, "v": highest})
    return rows


def fill(url: str) -> Rows:
    """Rows in every table of the current schema; returns what was written."""
    return asyncio.run(_on(url, _fill_sync))


def _rewritten(after: str | None) -> dict[str, set[str]]:
    """Columns that revisions after `after` up to head change on purpose."""
    columns: dict[str, set[str]] = {}
    for script in SCRIPTS.iterate_revisions(HEAD, after or "base"):
        for table, names in getattr(script.module, "rewrites", {}).items():
            columns.setdefault(table, set()).update(names)
    return columns


def _read_sync(names: list[str]) -> Any:
    def read(connection: Connection) -> dict[str, tuple[Table, list[dict[str, Any]]] | None]:
        metadata = _reflect_sync(connection)
        found: dict[str, tuple[Table, list[dict[str, Any]]] | None] = {}
        for name in names:
            table = metadata.tables.get(name)
            if table is None:
                found[name] = None
                continue
            found[name] = (table, [dict(row._mapping) for row in connection.execute(select(table))])
        return found

    return read


def _by_key(
    rows: list[dict[str, Any]], key: list[str], columns: list[str]
) -> dict[tuple[Any, ...], dict[str, Any]]:
    return {tuple(row[k] for k in key): {c: row[c] for c in columns} for row in rows}


def assert_kept(url: str, written: Rows, rewritten: dict[str, set[str]]) -> None:
    """Every table written still has all its rows, with unchanged values in old columns."""
    found = asyncio.run(_on(url, _read_sync(list(written))))
    for name, rows in written.items():
        entry = found[name]
        assert entry is not None, f"table {name} is gone, with its {len(rows)} rows"
        table, now = entry
        assert len(now) == len(rows), f"{name}: {len(rows)} rows before, {len(now)} after"
        on_purpose = rewritten.get(name, set())
        before_columns = [
            column for column in (rows[0] if rows else {}) if column not in on_purpose
        ]
        missing = [column for column in before_columns if column not in table.columns]
        assert not missing, f"{name}: columns {missing} are gone"
        key = [column.name for column in table.primary_key.columns] or before_columns
        assert _by_key(now, key, before_columns) == _by_key(rows, key, before_columns), (
            f"{name}: values changed"
        )


# --- every revision upgraded to head, and round trips -----------------------------------


@pytest.mark.parametrize("revision", REVISIONS)
def test_upgrade_to_head_keeps_every_row(empty_url: str, revision: str) -> None:
    upgrade(empty_url, revision)
    written = fill(empty_url)
    assert written, f"no tables at {revision}"
    assert all(len(rows) == ROWS_PER_TABLE for rows in written.values())

    upgrade(empty_url)

    assert version(empty_url) == HEAD
    assert_kept(empty_url, written, _rewritten(revision))


@pytest.mark.parametrize("revision", REVISIONS)
def test_upgrade_downgrade_upgrade_round_trip(empty_url: str, revision: str) -> None:
    parent = SCRIPTS.get_revision(revision).down_revision
    if not (parent is None or isinstance(parent, str)):
        pytest.skip(f"{revision} merges {parent}: no single revision to go down to")
    if parent is not None:
        upgrade(empty_url, parent)
    schema_before = schema(empty_url)
    written = fill(empty_url)  # nothing at base: the first revision round-trips its schema
    upgrade(empty_url, revision)
    schema_at_revision = schema(empty_url)
    try:
        downgrade(empty_url, parent or "base")
    except NotImplementedError:
        pytest.skip(f"{revision} defines no downgrade")

    assert schema(empty_url) == schema_before
    assert_kept(empty_url, written, {})

    upgrade(empty_url, revision)

    assert schema(empty_url) == schema_at_revision
    assert_kept(empty_url, written, _rewritten(parent))


def test_every_revision_is_discovered_and_stepwise_upgrades_match_a_fresh_head(
    tmp_path: Path,
) -> None:
    # The parametrized tests above are only as good as the revision discovery.
    files = sorted(
        path.stem
        for path in (MIGRATIONS / "versions").glob("*.py")
        if not path.name.startswith("_")
    )
    assert len(REVISIONS) == len(files), (REVISIONS, files)
    assert REVISIONS[-1] == HEAD
    stepwise = f"sqlite+aiosqlite:///{tmp_path / 'stepwise.db'}"
    for revision in REVISIONS:
        upgrade(stepwise, revision)
    fresh = f"sqlite+aiosqlite:///{tmp_path / 'fresh.db'}"
    upgrade(fresh)
    assert schema(stepwise) == schema(fresh)


# --- the real command -------------------------------------------------------------------


def _migrate_process(data_dir: Path) -> subprocess.Popen[bytes]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"TELEGRAM_BOT_TOKEN", "DATABASE_URL"}
    }
    env.update({"DATA_DIR": str(data_dir), "PYTHONPATH": str(ROOT), "LOG_LEVEL": "WARNING"})
    return subprocess.Popen(
        [sys.executable, "-m", "bot", "migrate"],
        cwd=data_dir,  # away from any .env in the project folder
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


def _sqlite_file_url(data_dir: Path) -> str:
    return database_url(None, data_dir)  # where `python -m bot` puts its SQLite file


def test_migrate_command_keeps_every_row_of_an_older_sqlite_database(tmp_path: Path) -> None:
    url = _sqlite_file_url(tmp_path)
    upgrade(url, "0002")
    written = fill(url)
    assert {"users", "conversations", "assessments", "plans", "reminders"} <= set(written)

    process = _migrate_process(tmp_path)
    output, _ = process.communicate(timeout=60)

    assert process.returncode == 0, output.decode()
    assert version(url) == HEAD
    assert_kept(url, written, _rewritten("0002"))


def test_migration_refuses_to_finish_with_broken_foreign_keys(tmp_path: Path) -> None:
    url = _sqlite_file_url(tmp_path)
    upgrade(url, "0002")
    written = fill(url)
    # A row whose user is gone: only possible with foreign keys off, as in a hand-edited file.
    raw = sqlite3.connect(tmp_path / "legdaycoach.db")
    raw.execute("PRAGMA foreign_keys=OFF")
    raw.execute(
        "INSERT INTO assessments (id, user_id, created_at, answers, problem_ids) "
        "VALUES (99, 123, '2026-01-01 00:00:00.000000', '{}', '[]')"
    )
    raw.commit()
    raw.close()

    with pytest.raises(RuntimeError, match=r"foreign key.*assessments"):
        upgrade(url)

    # Nothing half done: still at 0002, every row there, the orphan too.
    assert version(url) == "0002"
    assert_kept(url, {name: rows for name, rows in written.items() if name != "assessments"}, {})
    with sqlite3.connect(tmp_path / "legdaycoach.db") as raw:
        count = raw.execute("SELECT count(*) FROM assessments").fetchone()[0]
    assert count == len(written["assessments"]) + 1


CONCURRENT_PROCESSES = 3
CONCURRENT_ATTEMPTS = 8


def _migrate_at_barrier(url: str, barrier: Any, error_path: Path) -> None:
    barrier.wait(timeout=30)
    try:
        upgrade(url)
    except BaseException:
        error_path.write_text(traceback.format_exc())
        raise


def test_concurrent_migrations_on_a_fresh_sqlite_file(tmp_path: Path) -> None:
    fresh = f"sqlite+aiosqlite:///{tmp_path / 'reference.db'}"
    upgrade(fresh)
    expected = schema(fresh)
    # Forked processes share nothing that matters here (each opens its own database
    # connection and lock file) and start at once: no import time staggers them, and the
    # barrier lets them reach the database together.
    processes_from = multiprocessing.get_context("fork")
    for attempt in range(CONCURRENT_ATTEMPTS):
        data_dir = tmp_path / f"attempt{attempt}"
        data_dir.mkdir()
        url = _sqlite_file_url(data_dir)
        barrier = processes_from.Barrier(CONCURRENT_PROCESSES)
        errors = [data_dir / f"error{number}.txt" for number in range(CONCURRENT_PROCESSES)]
        processes = [
            processes_from.Process(target=_migrate_at_barrier, args=(url, barrier, error))
            for error in errors
        ]
        for process in processes:
            process.start()
        for process in processes:
            process.join(timeout=60)

        failures = [error.read_text() for error in errors if error.exists()]
        assert not failures, f"attempt {attempt}:\n" + "\n".join(failures)
        assert [process.exitcode for process in processes] == [0] * CONCURRENT_PROCESSES
        assert version(url) == HEAD
        assert schema(url) == expected


def test_0004_points_every_user_back_at_their_own_private_chat(empty_url: str) -> None:
    """Earlier versions stored a group's id as the chat of a user who wrote there; reminders
    and summaries would have gone to the group."""
    upgrade(empty_url, "0003")
    now = datetime(2026, 11, 1, 10, tzinfo=UTC)
    rows = [(7_000_000_001, -1_001_234_567_890), (7_000_000_002, 7_000_000_002)]

    def insert(connection: Connection) -> None:
        for user_id, chat_id in rows:
            connection.execute(
                text(
                    "INSERT INTO users (id, chat_id, first_name, weight_unit, timezone, "
                    "created_at, updated_at) VALUES (:id, :chat, 'Ann', 'kg', 'UTC', :at, :at)"
                ),
                {"id": user_id, "chat": chat_id, "at": now},
            )

    asyncio.run(_on(empty_url, insert))
    upgrade(empty_url, "0004")

    def read(connection: Connection) -> list[tuple[int, int]]:
        result = connection.execute(text("SELECT id, chat_id FROM users ORDER BY id"))
        return [(int(row[0]), int(row[1])) for row in result]

    assert asyncio.run(_on(empty_url, read)) == [(user_id, user_id) for user_id, _ in rows]
