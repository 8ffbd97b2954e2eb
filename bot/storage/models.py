"""Tables. Every datetime is stored in UTC and comes back time zone aware."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any

from sqlalchemy import (
    JSON,
    BigInteger,
    DateTime,
    ForeignKey,
    Integer,
    String,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out, on SQLite (which keeps no zone) too."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        # SQLite stores text: a fixed naive UTC form keeps it sortable.
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


# The surrogate key of a table with many rows per user.
RowId = Annotated[int, mapped_column(Integer, primary_key=True, autoincrement=True)]
# The user a row belongs to: deleting the user deletes the row.
OwnerId = Annotated[
    int, mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"), index=True)
]


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON, datetime: UTCDateTime}  # noqa: RUF012


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    first_name: Mapped[str] = mapped_column(String(128), default="")
    weight_unit: Mapped[str] = mapped_column(String(2), default="kg")
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    reminders_paused: Mapped[bool] = mapped_column(default=False)
    checkin_time: Mapped[str] = mapped_column(String(5), default="21:00")  # "HH:MM" local
    summary_weekday: Mapped[int] = mapped_column(Integer, default=6)  # 0 = Monday
    checkins_paused: Mapped[bool] = mapped_column(default=False)
    # A code of flows.i18n.LANGUAGES; empty until known (from Telegram, or /language).
    language: Mapped[str | None] = mapped_column(String(8))
    # Set when Telegram says the chat is gone or the bot was blocked; reminders stop.
    unreachable_since: Mapped[datetime | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class ConversationRow(Base):
    """A user's place in a flow: state name plus JSON data, one row per user."""

    __tablename__ = "conversations"

    user_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    flow: Mapped[str | None] = mapped_column(String(32))
    state: Mapped[str | None] = mapped_column(String(64))
    data: Mapped[dict[str, Any]]
    token: Mapped[str] = mapped_column(String(16))
    # Bumped on every save; a concurrent save of a stale copy fails instead of overwriting.
    version: Mapped[int] = mapped_column(Integer)
    # The newest Telegram update applied by versions before the window below; no longer read.
    last_update_id: Mapped[int | None] = mapped_column(BigInteger)
    # Ids of the latest Telegram updates applied: one delivered again after a crash is not
    # applied twice. A set, not a maximum, because Telegram may restart its numbering.
    recent_update_ids: Mapped[list[Any] | None]
    # Replies saved with the step that made them, until Telegram has taken them: what a
    # crash or a failed send kept from the user is sent again, never lost.
    outbox: Mapped[list[Any] | None]
    # The chat's message id with which the open question was first shown. A typed message
    # with a lower id was written before that, so it cannot answer the question.
    asked_message_id: Mapped[int | None] = mapped_column(BigInteger)
    updated_at: Mapped[datetime]

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class Assessment(Base):
    __tablename__ = "assessments"

    id: Mapped[RowId]
    user_id: Mapped[OwnerId]
    created_at: Mapped[datetime]
    answers: Mapped[dict[str, Any]]
    problem_ids: Mapped[list[Any]]


class Plan(Base):
    """A user's leg-day plan: which weekdays, split or not, and when to remind."""

    __tablename__ = "plans"

    user_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    split: Mapped[bool]
    weekdays: Mapped[list[Any]]  # 0 = Monday; the first day is the front-thigh day
    experience: Mapped[str] = mapped_column(String(16))
    explosive: Mapped[bool]  # may the heavy basics be lifted explosively (form is checked)
    reminder_time: Mapped[str | None] = mapped_column(String(5))  # "HH:MM" local
    # Adapting the plan (flows.catching_up): the first day of a deload week, and the weeks
    # added to the rep-scheme rotation by rep-scheme changes.
    deload_from: Mapped[date | None]
    scheme_shift: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class Reminder(Base):
    """One scheduled reminder series with its next due time; the dispatcher's work list."""

    __tablename__ = "reminders"
    __table_args__ = (UniqueConstraint("user_id", "kind"),)

    id: Mapped[RowId]
    user_id: Mapped[OwnerId]
    kind: Mapped[str] = mapped_column(String(16))  # "leg_day", "checkin", "summary"
    weekdays: Mapped[list[Any]]
    local_time: Mapped[str] = mapped_column(String(5))
    timezone: Mapped[str] = mapped_column(String(64))
    next_due_at: Mapped[datetime] = mapped_column(index=True)
    active: Mapped[bool]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class Delivery(Base):
    """One occurrence of a reminder. Its unique key makes claiming an occurrence idempotent;
    its status records how far sending got, so a restart neither loses nor repeats it."""

    __tablename__ = "deliveries"
    __table_args__ = (UniqueConstraint("reminder_id", "due_at"),)

    id: Mapped[RowId]
    reminder_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("reminders.id", ondelete="CASCADE")
    )
    user_id: Mapped[OwnerId]
    kind: Mapped[str] = mapped_column(String(16))
    due_at: Mapped[datetime]
    local_date: Mapped[date]
    status: Mapped[str] = mapped_column(String(16), index=True)
    not_before: Mapped[datetime]
    lease_until: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    message_id: Mapped[int | None] = mapped_column(BigInteger)
    sent_at: Mapped[datetime | None]
    answered: Mapped[str | None] = mapped_column(String(16))  # done / skipped / snoozed


class Checkin(Base):
    """One daily check-in; answering the same day again updates this row."""

    __tablename__ = "checkins"
    __table_args__ = (UniqueConstraint("user_id", "day"),)

    id: Mapped[RowId]
    user_id: Mapped[OwnerId]
    day: Mapped[date]  # the user's local date the check-in is about
    sleep_hours: Mapped[float | None]
    protein_g: Mapped[float | None]
    carbs_g: Mapped[float | None]
    carbs_level: Mapped[str | None] = mapped_column(String(16))
    cardio_minutes: Mapped[int | None] = mapped_column(Integer)
    cardio_kind: Mapped[str | None] = mapped_column(String(16))
    leg_day: Mapped[str | None] = mapped_column(String(16))  # done / skipped / rest
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class LoggedSet(Base):
    """One top set: the heaviest set of a lift on a day, from /log or an assessment. Logging
    the same lift for the same day again updates this row."""

    __tablename__ = "lift_sets"
    __table_args__ = (UniqueConstraint("user_id", "day", "lift"),)

    id: Mapped[RowId]
    user_id: Mapped[OwnerId]
    day: Mapped[date]  # the user's local date of the workout
    lift: Mapped[str] = mapped_column(String(32))  # back_squat, leg_press, ..., bench_press
    weight_kg: Mapped[float]
    reps: Mapped[int] = mapped_column(Integer)
    unit: Mapped[str] = mapped_column(String(2))  # the unit it was typed in: kg or lb
    source: Mapped[str] = mapped_column(String(16))  # "log" or "assessment"
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class BodyMeasurement(Base):
    """Body weight and tape measurements of one day, each optional; measuring again the same
    day fills in or replaces the values given."""

    __tablename__ = "measurements"
    __table_args__ = (UniqueConstraint("user_id", "day"),)

    id: Mapped[RowId]
    user_id: Mapped[OwnerId]
    day: Mapped[date]
    body_weight_kg: Mapped[float | None]
    thigh_cm: Mapped[float | None]
    calf_cm: Mapped[float | None]
    arm_cm: Mapped[float | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
