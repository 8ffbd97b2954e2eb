"""The router: conversations interrupted by another one come back intact."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import pytest

from flows import app
from flows.core import Profile
from flows.texts import render
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


def test_cancel_before_a_paused_conversation_comes_back_does_not_say_nothing_more_is_asked() -> (
    None
):
    chat = Chat(Profile(user_id=1, latest_answers=ASSESSED, timezone="Europe/Berlin"))
    chat.command("plan")
    chat.press("plan=keep")
    chat.command("log")
    replies = chat.command("cancel")
    assert [reply.key for reply in replies][:2] == ["cancelled.resuming", "resumed"]
    assert "Nothing more is asked" not in " ".join(render(reply) for reply in replies)
    assert replies[-1].key == "time.prompt"


def test_a_plan_on_show_is_closed_not_paused_by_another_conversation() -> None:
    chat = Chat(
        Profile(
            user_id=1,
            latest_answers=ASSESSED,
            plan_weekdays=(1, 4),
            plan_split=True,
            reminder_time="18:00",
        )
    )
    chat.command("plan")
    assert chat.state == "show"
    replies = chat.command("settings")
    assert replies[0].key != "paused"
    assert "go back to your plan" not in " ".join(render(reply) for reply in replies)
    replies = chat.command("cancel")
    assert "resumed" not in [reply.key for reply in replies]
    assert chat.conversation is not None and chat.conversation.flow == ""


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


PLANNED: dict[str, Any] = {
    "latest_answers": ASSESSED,
    "plan_weekdays": (1, 4),
    "plan_split": True,
    "reminder_time": "18:00",
    "timezone": "Europe/Berlin",
}


def test_switching_speaks_of_the_conversations_not_of_reminders() -> None:
    chat = Chat(Profile(user_id=1, latest_answers=ASSESSED, timezone="Europe/Berlin"))
    chat.command("plan")
    replies = chat.command("checkin")
    switched = render(replies[0])
    assert switched == ("Your check-in first; then we'll go back to your plan, where you left off.")
    assert "hold" not in switched and "paus" not in switched


@pytest.mark.parametrize(
    ("command", "cancelled"),
    [
        ("checkin", "Check-in stopped; nothing from it was saved. /checkin starts it again"),
        ("plan", "nothing in your plan was changed. /plan opens it again."),
        ("settings", "What you changed is saved; /settings opens them again."),
        ("assess", "send /assess whenever you want to begin again."),
    ],
)
def test_cancel_fits_the_conversation_it_ends(command: str, cancelled: str) -> None:
    chat = Chat(Profile(user_id=1, **PLANNED))
    chat.command(command)
    [reply] = chat.command("cancel")
    assert cancelled in render(reply)
    if command != "assess":
        assert "/assess" not in render(reply)
    assert chat.conversation is not None and chat.conversation.flow == ""


def test_cancel_inside_delete_says_nothing_was_deleted() -> None:
    chat = Chat(Profile(user_id=1, has_data=True))
    chat.command("delete")
    [reply] = chat.command("cancel")
    assert "Nothing was deleted" in render(reply)


@pytest.mark.parametrize("command", ["help", "calendar", "export", "progress", "foo"])
def test_a_one_shot_in_the_plan_menu_never_repeats_the_menu(command: str) -> None:
    chat = Chat(Profile(user_id=1, has_data=True, **PLANNED))
    chat.command("plan")
    token = chat.conversation.token if chat.conversation else ""
    replies = chat.command(command)
    assert replies, command
    assert not any(reply.key == "leg_plan.summary" for reply in replies)
    # The menu above stays open, its buttons as they were.
    assert chat.state == "show" and chat.conversation is not None
    assert chat.conversation.token == token
    assert chat.press("plan=time")[0].key == "time.prompt"


@pytest.mark.parametrize("command", ["help", "export", "pause"])
def test_a_one_shot_in_the_settings_menu_never_repeats_the_menu(command: str) -> None:
    chat = Chat(Profile(user_id=1, has_data=True, **PLANNED))
    chat.command("settings")
    replies = chat.command(command)
    assert replies and not any(reply.key == "settings.menu" for reply in replies)
    assert chat.state == "menu"


def test_a_one_shot_during_a_question_asks_it_again_in_short() -> None:
    chat = Chat(Profile(user_id=1, latest_answers=ASSESSED, timezone="Europe/Berlin"))
    chat.command("plan")
    replies = chat.command("help")
    assert [reply.key for reply in replies] == ["help", "leg_plan.reask.propose"]
    short = render(replies[1])
    assert short == "Back to your plan: keep <b>Tuesday and Friday</b> or pick other days?"
    assert replies[1].choice_values == ["plan=keep", "plan=days"]
    assert chat.press("plan=keep")[0].key == "time.prompt"
    # A question that is short already comes back as it is.
    replies = chat.command("foo")
    assert [reply.key for reply in replies] == ["unknown_command", "time.prompt"]


def test_a_one_shot_during_an_interview_asks_the_same_question_again() -> None:
    chat = Chat()
    chat.command("start")
    chat.text("beginner")
    replies = chat.command("help")
    assert [reply.key for reply in replies] == ["help", "q.recovery"]


def test_a_one_shot_in_the_delete_question_asks_it_in_one_line() -> None:
    chat = Chat(Profile(user_id=1, has_data=True))
    chat.command("delete")
    replies = chat.command("help")
    assert [reply.key for reply in replies] == ["help", "account.delete.reask"]
    assert replies[1].choice_values == ["delete=yes", "delete=no"]
    assert chat.text("no")[0].key == "account.delete.kept"


@pytest.mark.parametrize(
    ("typed", "suggestion"),
    [("chekin", "checkin"), ("exprot", "export"), ("plna", "plan"), ("setings", "settings")],
)
def test_a_mistyped_command_gets_the_closest_one_and_help(typed: str, suggestion: str) -> None:
    assert app.closest_command(typed) == suggestion
    [reply] = Chat().command(typed)
    assert render(reply) == (
        f"I don't know /{typed}. Did you mean /{suggestion}? /help lists every command I know."
    )


def test_an_unknown_command_with_nothing_close_points_to_help() -> None:
    assert app.closest_command("foo") is None
    [reply] = Chat().command("foo")
    assert render(reply) == "I don't know /foo. /help lists every command I know."


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
