"""The router: conversations interrupted by another one come back intact."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

from flows.core import Profile
from tests.flows.driver import TYPED, Chat

ASSESSED: dict[str, Any] = {"experience": "intermediate", "recovery": "good", "weight_kg": 82.0}


def test_another_conversation_pauses_the_interview_and_it_comes_back_intact() -> None:
    chat = Chat(
        Profile(
            user_id=1,
            latest_answers=ASSESSED,
            plan_weekdays=(1, 4),
            plan_split=True,
            reminder_time="18:00",
        )
    )
    chat.command("assess")
    chat.text("beginner")
    chat.text("good")
    replies = chat.command("settings")
    assert replies[0].key == "paused"
    assert chat.conversation is not None and chat.conversation.flow == "settings"
    replies = chat.command("cancel")
    keys = [reply.key for reply in replies]
    assert keys[:2] == ["cancelled.settings", "resumed"] and keys[-1] == "q.weight"
    assert chat.answers == {"experience": "beginner", "recovery": "good"}
    chat.text("82 kg")
    assert chat.state == "leg_days_per_week"


def test_a_finished_check_in_hands_back_to_the_paused_plan() -> None:
    chat = Chat(Profile(user_id=1, latest_answers=ASSESSED, timezone="Europe/Berlin"))
    chat.command("plan")
    chat.press("plan=keep")
    assert chat.state == "ask_time"
    chat.command("checkin")
    assert chat.conversation is not None and chat.conversation.flow == "checkin"
    for answer in ("7", "150", "moderate", "0", "rest"):
        replies = chat.text(answer)
    assert "resumed" in [reply.key for reply in replies]
    assert replies[-1].key == "time.prompt"
    assert chat.conversation is not None and chat.conversation.flow == "plan"


def test_a_command_with_nothing_to_ask_leaves_the_interview_as_it_was() -> None:
    chat = Chat()
    chat.command("start")
    chat.text("beginner")
    replies = chat.command("plan")  # no assessment yet: the plan has nothing to ask
    assert replies[0].key == "leg_plan.needs_assessment"
    assert replies[-1].key == "q.recovery"
    assert chat.answers == {"experience": "beginner"}


def test_a_fresh_start_with_nothing_answered_does_not_ask_to_restart() -> None:
    chat = Chat()
    chat.command("start")
    replies = chat.command("start")
    assert replies[-1].key == "q.experience"
    assert chat.text(TYPED["experience"])[-1].key == "q.recovery"


def test_the_core_imports_neither_telegram_nor_the_database() -> None:
    forbidden = {"telegram", "sqlalchemy", "bot", "asyncpg", "aiosqlite", "alembic"}
    found = []
    for path in Path(__file__).resolve().parents[2].joinpath("flows").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = (
                [alias.name for alias in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            found += [f"{path.name}: {name}" for name in names if name.split(".")[0] in forbidden]
    assert found == []
