"""Replies are part of the saved step, and answers are bound to the question the user saw.

On SQLite and PostgreSQL, through the engine with a client that fails the way Telegram can.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import event, func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.engine import Coach, Response, Sender
from bot.storage.db import Sessions
from bot.storage.models import ConversationRow, User
from flows.core import Event, Reply

NOW = datetime(2026, 11, 17, 9, 30, tzinfo=UTC)
ANN = Sender(user_id=701, chat_id=701, first_name="Ann")


class Client:
    """Collects what reaches the user; refuses sends while `down` is set. Messages of both
    sides are numbered in one sequence, as in a Telegram chat."""

    def __init__(self) -> None:
        self.shown: list[Reply] = []
        self.down = False
        self.last_message_id = 0

    def next_message_id(self) -> int:
        self.last_message_id += 1
        return self.last_message_id

    async def deliver(self, reply: Reply, token: str) -> int | None:
        if self.down:
            raise ConnectionError("Telegram answered 502 Bad Gateway")
        self.shown.append(reply)
        return self.next_message_id()

    @property
    def keys(self) -> list[str]:
        return [reply.key for reply in self.shown]


def coach(sessions: Sessions) -> Coach:
    return Coach(sessions, clock=lambda: NOW)


async def conversation(sessions: Sessions, user_id: int = ANN.user_id) -> ConversationRow:
    async with sessions() as session:
        row = await session.get(ConversationRow, user_id)
        assert row is not None
        return row


async def test_a_typed_answer_is_not_stored_under_a_question_that_never_arrived(
    sessions: Sessions,
) -> None:
    bot, client = coach(sessions), Client()
    await bot.handle(ANN, Event.command("start"), 1, deliver=client.deliver)
    assert client.keys[-1] == "q.experience"
    await bot.handle(ANN, Event.typed("intermediate"), 2, deliver=client.deliver)
    assert client.keys[-1] == "q.recovery"

    # The answer is saved, but Telegram refuses the next question.
    client.down = True
    failed = await bot.handle(ANN, Event.typed("good"), 3, deliver=client.deliver)
    assert failed.delivered == 0
    assert client.keys[-1] == "q.recovery"
    row = await conversation(sessions)
    assert row.state == "weight"
    assert row.outbox and row.outbox[-1]["key"] == "q.weight"

    # The user, who never saw the weight question, sends "good" again: it must not become
    # their body weight (nor an error about it); the weight question is shown instead.
    client.down = False
    again = await bot.handle(ANN, Event.typed("good"), 4, deliver=client.deliver)
    assert [reply.key for reply in again.replies] == ["delivery.again", "q.weight"]
    row = await conversation(sessions)
    assert row.state == "weight"
    assert "weight_kg" not in row.data["answers"]
    assert row.outbox is None

    # Now they have seen it, and their answer counts.
    await bot.handle(ANN, Event.typed("82 kg"), 5, deliver=client.deliver)
    row = await conversation(sessions)
    assert row.data["answers"]["weight_kg"] == 82.0
    assert row.data["answers"]["recovery"] == "good"
    assert client.keys[-1] == "q.leg_days_per_week"


async def test_a_button_of_the_unsent_question_proves_it_arrived(sessions: Sessions) -> None:
    bot, client = coach(sessions), Client()
    await bot.handle(ANN, Event.command("start"), 10, deliver=client.deliver)
    # The send raised, yet the question reached the user (say the answer was lost on the way
    # back): pressing one of its buttons is an answer to exactly that question.
    client.down = True
    await bot.handle(ANN, Event.typed("intermediate"), 11, deliver=client.deliver)
    client.down = False
    row = await conversation(sessions)
    assert row.state == "recovery"
    await bot.handle(
        ANN, Event.button("recovery=good", token=row.token), 12, deliver=client.deliver
    )
    row = await conversation(sessions)
    assert row.state == "weight"
    assert row.data["answers"]["recovery"] == "good"
    assert row.outbox is None


async def test_each_question_has_its_own_token(sessions: Sessions) -> None:
    bot, client = coach(sessions), Client()
    first = await bot.handle(ANN, Event.command("start"), 20, deliver=client.deliver)
    second = await bot.handle(
        ANN, Event.button("experience=advanced", token=first.token), 21, deliver=client.deliver
    )
    assert second.token != first.token
    # A second press on the first question's keyboard is not taken as the next answer.
    late = await bot.handle(
        ANN, Event.button("experience=beginner", token=first.token), 22, deliver=client.deliver
    )
    assert late.replies[0].key == "stale_button"
    row = await conversation(sessions)
    assert row.data["answers"] == {"experience": "advanced"}
    # A bad answer asks the same question again: both of its messages keep working.
    retry = await bot.handle(ANN, Event.typed("tired?"), 23, deliver=client.deliver)
    assert retry.token == second.token


async def test_an_update_seen_again_is_not_applied_twice(sessions: Sessions) -> None:
    bot, client = coach(sessions), Client()
    await bot.handle(ANN, Event.command("start"), 30, deliver=client.deliver)
    await bot.handle(ANN, Event.typed("intermediate"), 31, deliver=client.deliver)
    shown = len(client.shown)
    # Delivered again after a crash that came after its reply went out: nothing is repeated.
    repeat = await bot.handle(ANN, Event.typed("intermediate"), 31, deliver=client.deliver)
    assert repeat.replies == []
    assert len(client.shown) == shown
    row = await conversation(sessions)
    assert row.state == "recovery"

    # Delivered again after a crash that came before its reply went out: the reply goes now.
    client.down = True
    await bot.handle(ANN, Event.typed("good"), 32, deliver=client.deliver)
    client.down = False
    resent = await bot.handle(ANN, Event.typed("good"), 32, deliver=client.deliver)
    assert [reply.key for reply in resent.replies] == ["q.weight"]
    assert client.keys[-1] == "q.weight"
    row = await conversation(sessions)
    assert row.state == "weight"
    assert row.outbox is None


async def test_update_ids_that_start_again_lower_are_still_applied(sessions: Sessions) -> None:
    bot, client = coach(sessions), Client()
    await bot.handle(ANN, Event.command("start"), 500_000, deliver=client.deliver)
    await bot.handle(ANN, Event.typed("intermediate"), 500_001, deliver=client.deliver)
    # After a quiet week Telegram may number updates from a random lower value.
    await bot.handle(ANN, Event.typed("good"), 1_000, deliver=client.deliver)
    await bot.handle(ANN, Event.typed("82 kg"), 1_001, deliver=client.deliver)
    row = await conversation(sessions)
    assert row.state == "leg_days_per_week"
    assert row.data["answers"]["weight_kg"] == 82.0
    assert client.keys[-1] == "q.leg_days_per_week"


async def test_a_button_from_someone_who_never_wrote_stores_nothing(sessions: Sessions) -> None:
    bot, client = coach(sessions), Client()
    stranger = Sender(user_id=702, chat_id=702, first_name="Eve")
    response = await bot.handle(
        stranger, Event.button("experience=advanced", token="forged"), 40, deliver=client.deliver
    )
    assert response.replies[0].key == "stale_button"
    reminder = await bot.press_reminder(stranger, "r|12345|done")
    assert isinstance(reminder, Response)
    assert reminder.replies[0].key == "reminder.answer.unknown"
    async with sessions() as session:
        users = await session.scalar(select(func.count()).select_from(User))
        assert users == 0


async def test_without_a_client_the_caller_shows_replies_and_nothing_waits(
    sessions: Sessions,
) -> None:
    bot = coach(sessions)
    await bot.handle(ANN, Event.command("start"))
    await bot.handle(ANN, Event.typed("intermediate"))
    row = await conversation(sessions)
    assert row.outbox is None
    assert row.state == "recovery"


async def test_a_second_answer_typed_before_the_next_question_arrived_is_not_its_answer(
    sessions: Sessions,
) -> None:
    bot, client = coach(sessions), Client()
    await bot.handle(ANN, Event.command("start"), 50, deliver=client.deliver)
    # The first question was shown twice (say, sent again after a crash), and the user
    # answers each copy: two messages written before any reply to them.
    first_answer, second_answer = client.next_message_id(), client.next_message_id()
    await bot.handle(
        ANN, Event.typed("advanced"), 51, deliver=client.deliver, message_id=first_answer
    )
    assert client.keys[-1] == "q.recovery"
    late = await bot.handle(
        ANN, Event.typed("advanced"), 52, deliver=client.deliver, message_id=second_answer
    )
    assert late.replies == []
    row = await conversation(sessions)
    assert row.state == "recovery"
    assert "recovery" not in row.data["answers"]
    # What they type after seeing the recovery question answers it.
    await bot.handle(
        ANN, Event.typed("good"), 53, deliver=client.deliver, message_id=client.next_message_id()
    )
    row = await conversation(sessions)
    assert row.data["answers"] == {"experience": "advanced", "recovery": "good"}


async def test_an_interview_answer_costs_at_most_three_statements(
    sessions: Sessions, engine: AsyncEngine
) -> None:
    """Load (user, conversation, latest assessment, plan in one), save the step, empty the
    outbox: the whole path of one answer, BEGIN/COMMIT and savepoints aside."""
    bot, client = coach(sessions), Client()
    await bot.handle(ANN, Event.command("start"), 60, deliver=client.deliver)
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        if statement.lstrip().split(None, 1)[0].upper() in {"SELECT", "INSERT", "UPDATE", "DELETE"}:
            statements.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", count)
    try:
        for update_id, answer in enumerate(("intermediate", "good", "82 kg", "2"), start=61):
            statements.clear()
            await bot.handle(ANN, Event.typed(answer), update_id, deliver=client.deliver)
            assert len(statements) <= 3, statements
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", count)
    assert client.keys[-1] == "q.consecutive_leg_days"


async def test_an_answer_written_while_a_bad_one_was_being_read_still_counts(
    sessions: Sessions,
) -> None:
    bot, client = coach(sessions), Client()
    await bot.handle(ANN, Event.command("start"), 70, deliver=client.deliver)
    # Two messages in a row to the first question: a bad one, then a good one written before
    # the bot's "couldn't read that" and the repeated question arrived.
    bad, good = client.next_message_id(), client.next_message_id()
    retry = await bot.handle(ANN, Event.typed("??"), 71, deliver=client.deliver, message_id=bad)
    assert retry.replies[-1].key == "q.experience"
    await bot.handle(ANN, Event.typed("advanced"), 72, deliver=client.deliver, message_id=good)
    row = await conversation(sessions)
    assert row.data["answers"] == {"experience": "advanced"}
