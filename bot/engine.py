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

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.exc import StaleDataError

from bot import reminders
from bot.effects import apply_effect
from bot.profile import load_profile
from bot.storage.db import Sessions
from bot.storage.models import (
    ConversationRow,
    Delivery,
    User,
)
from flows import app, registry
from flows.core import Conversation, Event, Reply
from flows.effects import DeleteEverything
from flows.reminders import CHECKIN_ACTION, parse_callback

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

    async def handle(self, sender: Sender, event: Event, update_id: int | None = None) -> Response:
        # A concurrent update for the same user (a second process) can make our copy stale:
        # then we load again and redo the work, which is pure and cheap.
        for attempt in range(3):
            try:
                return await self._handle_once(sender, event, update_id)
            except StaleDataError:
                logger.info(
                    "conversation of user %s changed meanwhile, retry %d",
                    sender.user_id,
                    attempt + 1,
                )
        return await self._handle_once(sender, event, update_id)

    async def _handle_once(self, sender: Sender, event: Event, update_id: int | None) -> Response:
        now = self.clock()
        async with self.sessions() as session, session.begin():
            user = await ensure_user(session, sender, now)
            if user.unreachable_since is not None:
                # They write to us, so the chat works again: reminders resume.
                await reminders.mark_reachable(session, user.id, now)
            row = await session.get(ConversationRow, sender.user_id, with_for_update=True)
            conversation = (
                Conversation(row.flow or "", row.state or "", dict(row.data), row.token)
                if row is not None
                else None
            )
            profile = await load_profile(
                session, user, now, registry.profile_parts(conversation, event)
            )
            if (
                update_id is not None
                and row is not None
                and row.last_update_id is not None
                and update_id <= row.last_update_id
            ):
                # Telegram sends an update again when a crash came before its offset was
                # confirmed; it was applied already, so only the current question is repeated.
                logger.info("update %s of user %s was applied already", update_id, user.id)
                event = app.REPEAT
            outcome = app.handle(conversation, event, profile, now)
            made: list[Reply] = []
            for effect in outcome.effects:
                made += await apply_effect(session, user, effect, now)
            at = (
                len(outcome.replies)
                if outcome.effects_reply_at is None
                else outcome.effects_reply_at
            )
            replies = [*outcome.replies[:at], *made, *outcome.replies[at:]]
            if any(isinstance(effect, DeleteEverything) for effect in outcome.effects):
                # Nothing about the user may remain, not even where their conversation was.
                return Response(replies, "")
            token = new_token() if outcome.new_conversation or row is None else row.token
            if row is None:
                row = ConversationRow(user_id=user.id, token=token, data={})
                session.add(row)
            row.flow = outcome.flow
            row.state = outcome.state
            row.data = outcome.data
            row.token = token
            row.updated_at = now
            if update_id is not None:
                row.last_update_id = max(update_id, row.last_update_id or 0)
        return Response(replies, token)

    async def press_reminder(self, sender: Sender, data: str) -> Response | None:
        """A button of a reminder message ("r|<delivery>|<action>"); None for other buttons.

        Done / Snooze / Skip are answered by bot.reminders; a check-in reminder's button
        opens the check-in for the day it was sent for."""
        parsed = parse_callback(data)
        if parsed is None:
            return None
        delivery_id, action = parsed
        if action == CHECKIN_ACTION:
            async with self.sessions() as session:
                delivery = await session.get(Delivery, delivery_id)
                day = (
                    delivery.local_date if delivery and delivery.user_id == sender.user_id else None
                )
            if day is None:
                return Response([Reply("reminder.answer.unknown")], "")
            return await self.handle(sender, Event.command("checkin", day.isoformat()))
        now = self.clock()
        async with self.sessions() as session, session.begin():
            await ensure_user(session, sender, now)
            answer = await reminders.answer_button(
                session, sender.user_id, delivery_id, action, now
            )
        return Response([Reply(answer.key, answer.values)], "")


async def ensure_user(session: AsyncSession, sender: Sender, now: datetime) -> User:
    """The user's row, created on first contact; safe when two processes race to create it."""
    user = await session.get(User, sender.user_id)
    if user is None:
        dialect = session.get_bind().dialect.name
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
