"""The conversation engine: one update in, replies out, with the database as the only memory.

For each event it loads the user's conversation row and profile, runs the pure core
(flows.app.handle), applies the effects and saves the new conversation in one transaction.
Telegram and the terminal chat both go through here.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any, TypeVar, cast

from sqlalchemy import JSON, BigInteger, Select, Table, bindparam, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.exc import StaleDataError

import bot.places_index  # noqa: F401  (installs the place data flows look zones up in)
from bot import outbox, reminders
from bot.effects import apply_effect
from bot.profile import Preloaded, load_profile
from bot.storage.db import Sessions
from bot.storage.models import Assessment, ConversationRow, Delivery, Plan, User
from flows import app, catching_up, i18n, registry
from flows.core import Conversation, Event, EventKind, Reply
from flows.effects import DeleteEverything
from flows.reminders import CHECKIN_ACTION, log_offer_choices, parse_callback

logger = logging.getLogger(__name__)

T = TypeVar("T")

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Sender:
    """Who sent an update: the user and the chat to answer in."""

    user_id: int
    chat_id: int
    first_name: str = ""
    language_code: str = ""  # Telegram's guess of the user's language, "" when unknown


@dataclass(frozen=True)
class Response:
    replies: list[Reply]
    token: str  # buttons of these replies carry it, so later presses can be checked
    # How many of `replies` the client has taken; the rest wait in the outbox.
    delivered: int | None = None
    # Replies from the outbox, shown again: the user may have seen them before a crash.
    resent: bool = False
    language: str = i18n.DEFAULT_LANGUAGE  # the language to show the replies in


def new_token() -> str:
    return secrets.token_urlsafe(6)


# Sends one reply whose buttons carry the token and returns the chat's id for the message
# (None where the client has none); raises when the client could not take it.
Deliver = Callable[[Reply, str], Awaitable[int | None]]

# Enough update ids to recognise any update Telegram can still deliver again: only those
# fetched but not yet confirmed, which are a handful per user.
UPDATE_WINDOW = 64
# A stale try is retried once per concurrent writer of the same user at most (each retry
# follows another's commit), so this only bounds pathological contention.
STALE_RETRIES = 10


_CONVERSATIONS = cast(Table, ConversationRow.__table__)
# Built once: constructing statements costs more than running them on the hot path.
_SETTLE = (
    update(_CONVERSATIONS)
    .where(
        _CONVERSATIONS.c.user_id == bindparam("settled_user"),
        _CONVERSATIONS.c.version == bindparam("settled_version"),
    )
    .values(
        outbox=bindparam("kept", type_=JSON),
        version=bindparam("new_version"),
        # The first showing of a question counts, not a repeat after a bad answer.
        asked_message_id=func.coalesce(
            _CONVERSATIONS.c.asked_message_id, bindparam("shown_id", type_=BigInteger)
        ),
    )
)


class Coach:
    def __init__(self, sessions: Sessions, clock: Clock = utc_now) -> None:
        self.sessions = sessions
        self.clock = clock

    async def handle(
        self,
        sender: Sender,
        event: Event,
        update_id: int | None = None,
        *,
        deliver: Deliver | None = None,
        message_id: int | None = None,
    ) -> Response:
        """Applies one event and returns the replies.

        With `deliver`, the replies are saved in the outbox with the step, sent through it,
        and removed once taken: a reply that could not be sent goes out again with the next
        update, and until it has, a typed answer (which names no question) is not applied.
        Without it the caller shows the replies itself and they count as delivered.
        `message_id` is the chat's id of the user's message, where the client has one."""
        # Telegram's guess until the user's row says which language they use.
        with i18n.use(i18n.from_telegram(sender.language_code)):
            return await self._handle_in_language(sender, event, update_id, deliver, message_id)

    async def _handle_in_language(
        self,
        sender: Sender,
        event: Event,
        update_id: int | None,
        deliver: Deliver | None,
        message_id: int | None,
    ) -> Response:
        response, version = await self._retrying(
            sender.user_id,
            lambda locking_first: self._apply_once(
                sender,
                event,
                update_id,
                message_id,
                deliver=deliver,
                lock_first=locking_first,
            ),
        )
        if response.delivered is not None:  # shown again while the user's lock was held
            return replace(response, language=i18n.current())
        if deliver is None or version is None:
            if deliver is not None:
                await _send(response, deliver)
            return replace(response, language=i18n.current())
        delivered, shown_id = await _send(response, deliver)
        # A question shown again after a crash may have been shown before it: only a first
        # showing can tell which messages were written before the user saw it.
        first_showing = None if response.resent else shown_id
        await self._settle(sender.user_id, version, response.replies[delivered:], first_showing)
        return Response(response.replies, response.token, delivered, language=i18n.current())

    async def _settle(
        self, user_id: int, version: int, undelivered: list[Reply], shown_id: int | None
    ) -> None:
        """Empties the outbox, or keeps what was not taken; only if no later update has
        rewritten the conversation meanwhile (that one owns the outbox now)."""
        await self._retrying(
            user_id, lambda _: self._settle_once(user_id, version, undelivered, shown_id)
        )

    async def _settle_once(
        self, user_id: int, version: int, undelivered: list[Reply], shown_id: int | None
    ) -> None:
        async with self.sessions() as session, session.begin():
            connection = await session.connection()
            await connection.execute(
                _SETTLE,
                {
                    "settled_user": user_id,
                    "settled_version": version,
                    "new_version": version + 1,
                    "kept": outbox.to_json(undelivered) or None,
                    "shown_id": shown_id,
                },
            )

    async def _retrying(self, user_id: int, once: Callable[[bool], Awaitable[T]]) -> T:
        """Runs one transaction again when it could not commit: a concurrent update of the
        same user (another process) made our copy stale, or a pooled connection the server
        had closed was dropped. Nothing was committed, and the work is pure and cheap.

        `once` is told whether to take the user's lock before reading: the one-statement
        read locks the user but, having waited for the lock, may still return the
        conversation as it was before the holder changed it. After a first stale try,
        taking the lock first costs one statement and reads what the holder committed."""
        for attempt in range(STALE_RETRIES):
            try:
                return await once(attempt > 0)
            except StaleDataError:
                logger.info("user %s changed meanwhile, retry %d", user_id, attempt + 1)
            except _ReadLocked:
                pass  # the next try takes the lock first
            except DBAPIError as error:
                if not error.connection_invalidated:
                    raise
                logger.warning("database connection lost, retry %d", attempt + 1)
        return await once(True)

    async def _apply_once(
        self,
        sender: Sender,
        event: Event,
        update_id: int | None,
        message_id: int | None,
        *,
        deliver: Deliver | None,
        lock_first: bool = False,
    ) -> tuple[Response, int | None]:
        keep = deliver is not None
        now = self.clock()
        async with self.sessions() as session, session.begin():
            state = await load_state(session, sender.user_id, lock_first=lock_first)
            if state is None:
                if event.kind is EventKind.BUTTON:
                    # A press from someone who never wrote to us (a forged or very old
                    # button): nothing is stored about them.
                    return Response([Reply("stale_button"), Reply("idle.text")], ""), None
                await create_user(session, sender, now)
                state = await load_state(session, sender.user_id)
                assert state is not None
            user, row = state.user, state.conversation
            note_sender(user, sender, now)
            if user.language is None:  # first contact, or first since languages came
                user.language = i18n.from_telegram(sender.language_code)
            i18n.switch(user.language)
            if user.unreachable_since is not None:
                # They write to us, so the chat works again: reminders resume.
                await reminders.mark_reachable(session, user.id, now)
            seen = list(row.recent_update_ids or ()) if row is not None else []
            pending = outbox.from_json(row.outbox) if row is not None else []
            if row is not None and update_id is not None and update_id in seen:
                # Telegram delivers an update again when a crash came before it was
                # confirmed. It was applied already; only what never reached the user goes.
                logger.info("update %s of user %s was applied already", update_id, user.id)
                resend = Response(pending, row.token, resent=True)
                if pending and deliver is not None and _locks_users(session):
                    return await _resend_locked(row, resend, deliver, lock_first), None
                return resend, (row.version if pending else None)
            # Typed text, a location or a photo names no question; buttons and commands do.
            typed = event.kind not in (EventKind.BUTTON, EventKind.COMMAND)
            if row is not None and pending and typed:
                # The user may not have seen the question these replies ask, so a typed
                # answer cannot be bound to it: show it (again) and let them answer it.
                row.recent_update_ids = _remember(seen, update_id)
                row.updated_at = now
                again = [reply for reply in pending if reply.key != "delivery.again"]
                replies = [Reply("delivery.again"), *again]
                resend = Response(replies, row.token, resent=True)
                if deliver is not None and _locks_users(session):
                    return await _resend_locked(row, resend, deliver, lock_first), None
                row.outbox = outbox.to_json(replies)
                await session.flush()
                return resend, row.version
            if (
                row is not None
                and typed
                and message_id is not None
                and row.asked_message_id is not None
                and message_id < row.asked_message_id
            ):
                # Written before the open question was shown (a second answer to the one
                # before it, sent quickly): it answers nothing open, and the newer question
                # is already the reply to it.
                logger.info("message %s of user %s predates its question", message_id, user.id)
                row.recent_update_ids = _remember(seen, update_id)
                return Response([], row.token), None
            conversation = (
                Conversation(row.flow or "", row.state or "", dict(row.data), row.token)
                if row is not None
                else None
            )
            profile = await load_profile(
                session,
                user,
                now,
                registry.profile_parts(conversation, event),
                preloaded=state.preloaded,
            )
            outcome = app.handle(conversation, event, profile, now)
            made: list[Reply] = []
            for effect in outcome.effects:
                made += await apply_effect(session, user, effect, now)
            i18n.switch(user.language)  # an effect may have changed it
            at = (
                len(outcome.replies)
                if outcome.effects_reply_at is None
                else outcome.effects_reply_at
            )
            replies = [*outcome.replies[:at], *made, *outcome.replies[at:]]
            if any(isinstance(effect, DeleteEverything) for effect in outcome.effects):
                # Nothing about the user may remain, not even where their conversation was.
                return Response(replies, ""), None
            moved = (
                row is None
                or outcome.new_conversation
                or (row.flow, row.state) != (outcome.flow, outcome.state)
            )
            # Each question gets its own token, so a button is only ever taken as the
            # answer to the question it was shown with.
            token = new_token() if moved or row is None else row.token
            if row is None:
                row = ConversationRow(user_id=user.id, token=token, data={})
                session.add(row)
            row.flow = outcome.flow
            row.state = outcome.state
            row.data = outcome.data
            row.token = token
            row.updated_at = now
            row.recent_update_ids = _remember(seen, update_id)
            row.outbox = outbox.to_json(replies) if keep else None
            if moved:
                row.asked_message_id = None  # set when the new question has been shown
            await session.flush()
            version = row.version
        return Response(replies, token), version if keep else None

    async def press_reminder(
        self, sender: Sender, data: str, *, deliver: Deliver | None = None
    ) -> Response | None:
        """A button of a reminder message ("r|<delivery>|<action>"); None for other buttons.

        Done / Snooze / Skip are answered by bot.reminders; a check-in reminder's button
        opens the check-in for the day it was sent for."""
        parsed = parse_callback(data)
        if parsed is None:
            return None
        with i18n.use(i18n.from_telegram(sender.language_code)):
            return await self._press_reminder(sender, *parsed, deliver=deliver)

    async def set_language(self, sender: Sender, language: str) -> None:
        """Stores the user's language, for a user we know (a new one gets it on first contact
        from `sender.language_code`)."""
        async with self.sessions() as session, session.begin():
            user = await session.get(User, sender.user_id)
            if user is not None:
                user.language = i18n.supported(language)
                user.updated_at = self.clock()

    async def language_of(self, sender: Sender) -> str:
        """The user's language: stored, or Telegram's for someone not (yet) known."""
        async with self.sessions() as session:
            stored = await session.scalar(select(User.language).where(User.id == sender.user_id))
        return i18n.supported(stored) if stored else i18n.from_telegram(sender.language_code)

    async def _press_reminder(
        self, sender: Sender, delivery_id: int, action: str, *, deliver: Deliver | None
    ) -> Response:
        adapt = catching_up.accept_args(action)
        if adapt is not None:  # the weekly summary's one-tap accept: "/progress adapt ..."
            return await self.handle(sender, Event.command("progress", adapt), deliver=deliver)
        if action == CHECKIN_ACTION:
            async with self.sessions() as session:
                delivery = await session.get(Delivery, delivery_id)
                day = (
                    delivery.local_date if delivery and delivery.user_id == sender.user_id else None
                )
            if day is None:
                return Response([Reply("reminder.answer.unknown")], "", language=i18n.current())
            return await self.handle(
                sender, Event.command("checkin", day.isoformat()), deliver=deliver
            )
        now = self.clock()
        async with self.sessions() as session, session.begin():
            user = await session.get(User, sender.user_id)
            if user is None:
                return Response([Reply("reminder.answer.unknown")], "", language=i18n.current())
            i18n.switch(user.language)
            answer = await reminders.answer_button(
                session, sender.user_id, delivery_id, action, now
            )
            replies, token = [Reply(answer.key, answer.values)], ""
            if answer.answered == "done":
                replies, token = await _offer_log(session, sender.user_id, delivery_id, replies)
        return Response(replies, token, language=i18n.current())


async def _offer_log(
    session: AsyncSession, user_id: int, delivery_id: int, replies: list[Reply]
) -> tuple[list[Reply], str]:
    """After Done on a leg day: a button that opens /log for that day. It is a conversation
    button, so it carries the conversation's token, as buttons of replies do."""
    delivery = await session.get(Delivery, delivery_id)
    row = await session.get(ConversationRow, user_id)
    if delivery is None or delivery.kind != "leg_day" or row is None:
        return replies, ""
    offer = Reply("reminder.log_offer", choices=log_offer_choices(delivery.local_date))
    return [*replies, offer], row.token


async def _send(response: Response, deliver: Deliver) -> tuple[int, int | None]:
    """How many replies the client took, and the message id of the last of them."""
    delivered, shown_id = 0, None
    for reply in response.replies:
        try:
            shown_id = await deliver(reply, response.token) or shown_id
        except Exception as error:  # whatever the client raised, the reply waits
            logger.warning(
                "reply %s could not be sent (%s: %s); it waits for the next update",
                reply.key,
                type(error).__name__,
                error,
            )
            break
        delivered += 1
    return delivered, shown_id


class _ReadLocked(Exception):
    """Raised to read the user's conversation again with the lock taken first."""


def _locks_users(session: AsyncSession) -> bool:
    """Whether other processes may apply this user's updates meanwhile, each under the
    user's row lock (PostgreSQL); one SQLite process handles a user's updates in turn."""
    return session.get_bind().dialect.name == "postgresql"


async def _resend_locked(
    row: ConversationRow, resend: Response, deliver: Deliver, lock_first: bool
) -> Response:
    """Shows replies from the outbox again while holding the user's lock, and keeps only
    what was not taken. Sent after the lock, a repeated question could reach the user after
    the next one, which another process applied and asked meanwhile; an answer typed to
    that late repeat would then be stored under the next question."""
    if not lock_first:
        raise _ReadLocked  # the one-statement read may predate the lock's previous holder
    delivered, _ = await _send(resend, deliver)
    row.outbox = outbox.to_json(resend.replies[delivered:]) or None
    return replace(resend, delivered=delivered)


def _remember(seen: list[Any], update_id: int | None) -> list[int]:
    if update_id is None:
        return [int(value) for value in seen][-UPDATE_WINDOW:]
    return [*(int(value) for value in seen), update_id][-UPDATE_WINDOW:]


@dataclass(frozen=True)
class UserState:
    user: User
    conversation: ConversationRow | None
    preloaded: Preloaded


def _load_state_query() -> Select[User, ConversationRow, Assessment, Plan]:
    latest = (
        select(Assessment.id)
        .where(Assessment.user_id == User.id)
        .order_by(Assessment.created_at.desc(), Assessment.id.desc())
        .limit(1)
        .correlate(User)
        .scalar_subquery()
    )
    return (
        select(User, ConversationRow, Assessment, Plan)
        .outerjoin(ConversationRow, ConversationRow.user_id == User.id)
        .outerjoin(Assessment, Assessment.id == latest)
        .outerjoin(Plan, Plan.user_id == User.id)
        .where(User.id == bindparam("loaded_user"))
    )


_LOAD_STATE = _load_state_query()
_LOAD_STATE_LOCKED = _LOAD_STATE.with_for_update(of=User)
_LOCK_USER = select(User.id).where(User.id == bindparam("loaded_user")).with_for_update()


async def load_state(
    session: AsyncSession, user_id: int, *, lock_first: bool = False
) -> UserState | None:
    """The user, their conversation, latest assessment and plan in one round trip; the user's
    row is locked on PostgreSQL, so one user's updates are applied one at a time even by
    several processes (SQLite's BEGIN IMMEDIATE already takes the whole database).

    With `lock_first` the lock is taken by a statement of its own, so that the read, a new
    statement, sees what the lock's previous holder committed."""
    query = _LOAD_STATE
    if session.get_bind().dialect.name == "postgresql":
        if lock_first:
            await session.execute(_LOCK_USER, {"loaded_user": user_id})
        else:
            query = _LOAD_STATE_LOCKED
    found = (await session.execute(query, {"loaded_user": user_id})).first()
    if found is None:
        return None
    user, conversation, assessment, plan = found
    return UserState(user, conversation, Preloaded(assessment, plan))


async def create_user(session: AsyncSession, sender: Sender, now: datetime) -> None:
    """The user's row on first contact; safe when two processes race to create it."""
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


async def ensure_user(session: AsyncSession, sender: Sender, now: datetime) -> User:
    """The user's row, created on first contact, with their chat and name kept current."""
    state = await load_state(session, sender.user_id)
    if state is None:
        await create_user(session, sender, now)
        state = await load_state(session, sender.user_id)
        assert state is not None
    note_sender(state.user, sender, now)
    return state.user


def note_sender(user: User, sender: Sender, now: datetime) -> None:
    if user.chat_id != sender.chat_id or (
        sender.first_name and user.first_name != sender.first_name
    ):
        user.chat_id = sender.chat_id
        user.first_name = sender.first_name[:128] or user.first_name
        user.updated_at = now
