"""The conversation engine: one update in, replies out, with the database as the only memory.

For each event it loads the user's conversation row and profile, runs the pure core
(flows.app.handle), applies the effects and saves the new conversation in one transaction.
Telegram and the terminal chat both go through here.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.exc import StaleDataError

from bot.storage.db import Sessions
from bot.storage.models import Assessment, ConversationRow, User
from flows import app
from flows.assessment import SaveAssessment
from flows.core import Conversation, Event, Profile, Reply

logger = logging.getLogger(__name__)

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Sender:
    """Who sent an update: the user and the chat to answer in."""

    user_id: int
    chat_id: int
    first_name: str = ""


@dataclass(frozen=True)
class Response:
    replies: list[Reply]
    token: str  # buttons of these replies carry it, so later presses can be checked


def new_token() -> str:
    return secrets.token_urlsafe(6)


class Coach:
    def __init__(self, sessions: Sessions, clock: Clock = utc_now) -> None:
        self.sessions = sessions
        self.clock = clock

    async def handle(self, sender: Sender, event: Event) -> Response:
        # A concurrent update for the same user (a second process) can make our copy stale:
        # then we load again and redo the work, which is pure and cheap.
        for attempt in range(3):
            try:
                return await self._handle_once(sender, event)
            except StaleDataError:
                logger.info(
                    "conversation of user %s changed meanwhile, retry %d",
                    sender.user_id,
                    attempt + 1,
                )
        return await self._handle_once(sender, event)

    async def _handle_once(self, sender: Sender, event: Event) -> Response:
        now = self.clock()
        async with self.sessions() as session, session.begin():
            user = await ensure_user(session, sender, now)
            row = await session.get(ConversationRow, sender.user_id, with_for_update=True)
            conversation = (
                Conversation(row.flow or "", row.state or "", dict(row.data), row.token)
                if row is not None
                else None
            )
            profile = await load_profile(session, user)
            outcome = app.handle(conversation, event, profile, now)
            for effect in outcome.effects:
                await apply_effect(session, user, effect, now)
            token = new_token() if outcome.new_conversation or row is None else row.token
            if row is None:
                row = ConversationRow(user_id=user.id, token=token, data={})
                session.add(row)
            row.flow = outcome.flow
            row.state = outcome.state
            row.data = outcome.data
            row.token = token
            row.updated_at = now
        return Response(outcome.replies, token)


async def ensure_user(session: AsyncSession, sender: Sender, now: datetime) -> User:
    """The user's row, created on first contact; safe when two processes race to create it."""
    user = await session.get(User, sender.user_id)
    if user is None:
        dialect = session.bind.dialect.name
        insert = pg_insert if dialect == "postgresql" else sqlite_insert
        await session.execute(
            insert(User)
            .values(
                id=sender.user_id,
                chat_id=sender.chat_id,
                first_name=sender.first_name[:128],
                weight_unit="kg",
                timezone="UTC",
                created_at=now,
                updated_at=now,
            )
            .on_conflict_do_nothing(index_elements=["id"])
        )
        user = await session.get(User, sender.user_id)
        assert user is not None
    elif user.chat_id != sender.chat_id or (
        sender.first_name and user.first_name != sender.first_name
    ):
        user.chat_id = sender.chat_id
        user.first_name = sender.first_name[:128] or user.first_name
        user.updated_at = now
    return user


async def latest_assessment(session: AsyncSession, user_id: int) -> Assessment | None:
    return await session.scalar(
        select(Assessment)
        .where(Assessment.user_id == user_id)
        .order_by(Assessment.created_at.desc(), Assessment.id.desc())
        .limit(1)
    )


async def load_profile(session: AsyncSession, user: User) -> Profile:
    assessment = await latest_assessment(session, user.id)
    return Profile(
        user_id=user.id,
        first_name=user.first_name,
        weight_unit=user.weight_unit,
        timezone=user.timezone,
        latest_answers=dict(assessment.answers) if assessment else None,
        latest_problem_ids=tuple(assessment.problem_ids) if assessment else (),
        assessed_at=assessment.created_at if assessment else None,
    )


async def apply_effect(session: AsyncSession, user: User, effect: Any, now: datetime) -> None:
    if isinstance(effect, SaveAssessment):
        session.add(
            Assessment(
                user_id=user.id,
                created_at=now,
                answers=effect.answers,
                problem_ids=list(effect.problem_ids),
            )
        )
        user.weight_unit = effect.answers.get("weight_unit", user.weight_unit)
        user.updated_at = now
        return
    raise TypeError(f"unknown effect {effect!r}")
