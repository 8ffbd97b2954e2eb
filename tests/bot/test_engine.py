"""The engine on real databases: the conversation lives in a row, not in memory."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest
from sqlalchemy import delete, func, select

from bot.engine import Coach, Sender
from bot.storage.db import Sessions
from bot.storage.models import Assessment, ConversationRow, User
from flows.core import Event, Reply
from tests.flows.driver import TYPED

NOW = datetime(2026, 11, 17, 9, 30, tzinfo=UTC)
ANN = Sender(user_id=101, chat_id=101, first_name="Ann")


def coach(sessions: Sessions) -> Coach:
    return Coach(sessions, clock=lambda: NOW)


async def test_each_answer_is_saved_and_a_new_engine_continues(sessions: Sessions) -> None:
    first = coach(sessions)
    await first.handle(ANN, Event.command("start"))
    await first.handle(ANN, Event.typed("advanced"))
    await first.handle(ANN, Event.typed("good"))
    # A different engine object stands for a restarted process: only the database remains.
    second = coach(sessions)
    response = await second.handle(ANN, Event.typed("90 kg"))
    assert response.replies[-1].key == "q.leg_days_per_week"
    async with sessions() as session:
        row = await session.get(ConversationRow, ANN.user_id)
        assert row is not None
        assert row.state == "leg_days_per_week"
        assert row.data["answers"] == {
            "experience": "advanced",
            "recovery": "good",
            "weight_kg": 90.0,
            "weight_unit": "kg",
        }
        assert row.version == 4


async def test_a_whole_interview_stores_the_assessment(sessions: Sessions) -> None:
    engine = coach(sessions)
    response = await engine.handle(ANN, Event.command("start"))
    while response.replies[-1].key.startswith("q."):
        state = response.replies[-1].key.removeprefix("q.")
        response = await engine.handle(ANN, Event.typed(TYPED[state]))
    assert response.replies[-1].key == "assessment.next"
    async with sessions() as session:
        saved = await session.scalar(select(Assessment).where(Assessment.user_id == ANN.user_id))
        assert saved is not None
        assert saved.answers["protein_g"] == 181.0
        assert saved.created_at == NOW
        row = await session.get(ConversationRow, ANN.user_id)
        assert row is not None and row.flow is None
    response = await engine.handle(ANN, Event.command("start"))
    assert response.replies[0].key == "welcome.back"


async def test_buttons_carry_the_token_of_their_conversation(sessions: Sessions) -> None:
    engine = coach(sessions)
    first = await engine.handle(ANN, Event.command("start"))
    await engine.handle(ANN, Event.command("assess"))
    restarted = await engine.handle(ANN, Event.button("ctl=restart", token=first.token))
    assert restarted.token != first.token
    stale = await engine.handle(ANN, Event.button("experience=advanced", token=first.token))
    assert stale.replies[0].key == "stale_button"
    fresh = await engine.handle(ANN, Event.button("experience=advanced", token=restarted.token))
    assert fresh.replies[-1].key == "q.recovery"


async def test_users_do_not_see_each_other(sessions: Sessions) -> None:
    engine = coach(sessions)
    bob = Sender(202, 202, "Bob")
    await engine.handle(ANN, Event.command("start"))
    await engine.handle(bob, Event.command("start"))
    await engine.handle(ANN, Event.typed("beginner"))
    response = await engine.handle(bob, Event.typed("advanced"))
    assert response.replies[-1].values["number"] == 2
    async with sessions() as session:
        count = await session.scalar(select(func.count()).select_from(ConversationRow))
        ann = await session.get(ConversationRow, ANN.user_id)
        assert count == 2 and ann is not None
        assert ann.data["answers"] == {"experience": "beginner"}


async def test_a_question_shown_again_after_a_crash_never_arrives_after_the_next_one(
    postgres_url: str,
) -> None:
    """A worker shows the next question and is killed before noting that it did; Telegram
    delivers the update again to a second worker, whose repeat of the question is slow to
    leave, while the user answers the question on a third. The repeat must not reach the
    user after the question that follows their answer: an answer typed to it would be
    taken for that next question."""
    from bot.storage.db import create_engine, create_sessions

    engine = create_engine(postgres_url, pool_size=5)
    user = Sender(user_id=880_002, chat_id=880_002, first_name="Ann")
    try:
        sessions = create_sessions(engine)
        bot = coach(sessions)
        chat: list[Reply] = []
        message_ids = iter(range(1, 10_000))

        async def deliver(reply: Reply, token: str) -> int:
            chat.append(reply)
            return next(message_ids)

        async def killed_after_showing(reply: Reply, token: str) -> int:
            await deliver(reply, token)
            raise asyncio.CancelledError  # the process ends here: nothing after it runs

        await bot.handle(user, Event.command("start"), 1, deliver=deliver)
        with pytest.raises(asyncio.CancelledError):
            await bot.handle(user, Event.typed("intermediate"), 2, deliver=killed_after_showing)
        assert chat[-1].key == "q.recovery"

        leaving, release = asyncio.Event(), asyncio.Event()

        async def slow(reply: Reply, token: str) -> int:
            leaving.set()
            await release.wait()
            return await deliver(reply, token)

        redelivered = asyncio.create_task(
            bot.handle(user, Event.typed("intermediate"), 2, deliver=slow)
        )
        await leaving.wait()
        answered = asyncio.create_task(bot.handle(user, Event.typed("good"), 3, deliver=deliver))
        finished, _ = await asyncio.wait({answered}, timeout=1.0)
        if finished:  # it was asked again at once: the user answers that too
            await bot.handle(user, Event.typed("good"), 4, deliver=deliver)
        release.set()
        await redelivered
        await answered

        async with sessions() as session:
            row = await session.get(ConversationRow, user.user_id)
            assert row is not None and row.outbox is None
        assert row.state == "weight"
        assert row.data["answers"]["recovery"] == "good"
        questions = [reply.key for reply in chat if reply.key.startswith("q.")]
        assert questions[-1] == "q.weight", questions
    finally:
        async with create_sessions(engine)() as session, session.begin():
            await session.execute(delete(User).where(User.id == user.user_id))
        await engine.dispose()


async def test_one_users_concurrent_updates_on_postgresql_are_all_applied(
    postgres_url: str,
) -> None:
    """Twenty updates of one user at once, each in its own connection, as from several
    workers: all are applied, in some order, and none is lost to a stale read of a
    conversation another transaction changed while this one waited for the user's lock."""
    from bot.storage.db import create_engine, create_sessions

    engine = create_engine(postgres_url, pool_size=20)
    try:
        sessions = create_sessions(engine)
        user = Sender(user_id=880_001, chat_id=880_001, first_name="Ann")
        engine_coach = coach(sessions)
        shown = iter(range(1, 10_000))

        async def deliver(reply: object, token: str) -> int:
            await asyncio.sleep(0)
            return next(shown)

        await engine_coach.handle(user, Event.command("start"), 1, deliver=deliver)
        update_ids = list(range(2, 22))
        await asyncio.gather(
            *(
                engine_coach.handle(user, Event.command("help"), update_id, deliver=deliver)
                for update_id in update_ids
            )
        )
        async with sessions() as session:
            row = await session.get(ConversationRow, user.user_id)
            assert row is not None
            assert sorted(row.recent_update_ids)[-20:] == update_ids
            assert row.outbox is None
    finally:
        # Other tests share this database and expect it empty.
        async with create_sessions(engine)() as session, session.begin():
            await session.execute(delete(User).where(User.id == 880_001))
        await engine.dispose()
