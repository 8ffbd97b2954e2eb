"""The assessment interview as a pure state machine, driven through the router."""

from __future__ import annotations

import pytest

from flows import assessment
from flows.assessment import MACHINE, QUESTIONS, SaveAssessment
from flows.core import Conversation, Event, Profile
from flows.texts import render
from flows.texts.assessment import CHOICES, EXAMPLES
from tests.flows.driver import TYPED, Chat


def started() -> Chat:
    chat = Chat()
    replies = chat.command("start")
    assert [reply.key for reply in replies] == ["welcome.new", "q.experience"]
    return chat


def test_start_says_what_the_bot_does_and_asks_the_first_question() -> None:
    chat = Chat(Profile(user_id=1, first_name="Ann"))
    replies = chat.command("start")
    welcome = render(replies[0])
    assert "Ann" in welcome and welcome.count("\n") == 1
    assert replies[1].values == {"number": 1, "total": len(QUESTIONS)}
    assert replies[1].choice_values == [
        "experience=beginner",
        "experience=intermediate",
        "experience=advanced",
    ]


def test_whole_interview_typed_ends_in_a_diagnosis_and_saves_it() -> None:
    chat = started()
    seen = []
    while chat.conversation and chat.conversation.flow:
        seen.append(chat.state)
        replies = chat.text(TYPED[chat.state])
    assert seen == [question.name for question in QUESTIONS]
    assert replies[-1].key == "assessment.next"
    [saved] = [effect for effect in chat.effects if isinstance(effect, SaveAssessment)]
    assert saved.answers["weight_kg"] == 82.0
    assert saved.answers["carbs_g"] == 400.0 and saved.answers["carbs_level"] is None
    assert saved.answers["sleep_hours"] == 8.0
    assert saved.answers["calf_set_seconds"] == 40
    diagnosis = "\n".join(render(reply) for reply in replies[:-1])
    assert "right" in diagnosis.lower()


def test_every_question_can_be_answered_with_each_of_its_buttons() -> None:
    for question in QUESTIONS:
        for _label, value in CHOICES.get(question.name, ()):
            chat = started()
            while chat.state != question.name:
                chat.text(TYPED[chat.state])
            before = chat.state
            replies = chat.press(f"{before}={value}")
            assert not replies[0].key.startswith("assessment.error"), (before, value)
            assert chat.state != before


def test_typing_a_button_label_counts_as_pressing_it() -> None:
    chat = started()
    chat.text("Advanced (3+ years)")
    assert chat.answers["experience"] == "advanced"


@pytest.mark.parametrize(
    ("question", "bad", "error"),
    [
        ("weight", "-5", "out_of_range"),
        ("weight", "900 kg", "out_of_range"),
        ("weight", "heavy", "not_a_weight"),
        ("leg_days_per_week", "twice", "not_a_number"),
        ("leg_days_per_week", "9", "out_of_range"),
        ("experience", "a little", "not_a_choice"),
        ("sleep_hours", "30", "out_of_range"),
        ("sleep_hours", "lots", "not_hours"),
        ("protein_g", "-10", "out_of_range"),
        ("calories_per_day", "many", "not_kcal"),
        ("trains_calves", "maybe", "not_yes_no"),
        ("weight", "x" * 4000, "too_long"),
    ],
)
def test_bad_answers_say_what_was_wrong_and_ask_again(question: str, bad: str, error: str) -> None:
    chat = started()
    while chat.state != question:
        chat.text(TYPED[chat.state])
    answers_before = dict(chat.answers)
    replies = chat.text(bad)
    assert replies[0].key == f"assessment.error.{error}"
    assert EXAMPLES[question] in render(replies[0])
    assert replies[1].key == f"q.{question}"
    assert chat.state == question
    assert chat.answers == answers_before


@pytest.mark.parametrize("what", ["sticker", "photo", "voice"])
def test_non_text_messages_are_refused_politely(what: str) -> None:
    chat = started()
    chat.text("beginner")
    replies = chat.send(Event.other(what))
    assert replies[0].key == "assessment.error.not_text"
    assert what in render(replies[0])
    assert chat.state == "recovery" and chat.answers == {"experience": "beginner"}


def test_unknown_command_mid_interview_repeats_the_question() -> None:
    chat = started()
    replies = chat.command("dance")
    assert replies[0].key == "unknown_command"
    assert "/dance" in render(replies[0])
    assert replies[1].key == "q.experience"


def test_weight_in_pounds_is_converted() -> None:
    chat = started()
    chat.text("beginner")
    chat.text("good")
    chat.text("180lbs")
    assert chat.answers["weight_kg"] == pytest.approx(81.65, abs=0.01)
    assert chat.answers["weight_unit"] == "lb"


def test_skip_is_offered_where_people_may_not_know_and_refused_elsewhere() -> None:
    chat = started()
    replies = chat.text("skip")
    assert replies[0].key == "assessment.error.cannot_skip"
    chat.text("beginner")
    replies = chat.text("don't know")
    assert chat.answers["recovery"] is None
    assert replies[-1].key == "q.weight"


def test_follow_up_questions_only_when_they_apply() -> None:
    chat = started()
    for state in ("experience", "recovery", "weight"):
        chat.text(TYPED[state])
    chat.text("1")  # one leg day: no question about two days in a row
    assert chat.state == "leg_training"
    chat.text("running")  # no gym work: no exercise counts or reps
    assert chat.state == "trains_calves"
    chat.text("no")
    assert chat.state == "weeks_since_program_change"
    for _ in range(4):
        chat.text("skip")
    chat.text("0")  # no cardio: no question about its kind
    assert chat.state == "calories_per_day"


def test_back_returns_to_the_previous_question_and_keeps_answers() -> None:
    chat = started()
    chat.text("beginner")
    chat.text("good")
    replies = chat.command("back")
    assert chat.state == "recovery" and replies[-1].key == "q.recovery"
    assert chat.answers == {"experience": "beginner", "recovery": "good"}
    chat.command("back")
    replies = chat.command("back")
    assert replies[0].key == "assessment.first_question" and chat.state == "experience"


def test_back_skips_questions_that_no_longer_apply() -> None:
    chat = started()
    for state in ("experience", "recovery", "weight"):
        chat.text(TYPED[state])
    chat.text("2")
    chat.text("no")  # consecutive
    chat.command("back")
    chat.command("back")
    assert chat.state == "leg_days_per_week"
    chat.text("1")
    assert "consecutive_leg_days" not in chat.answers
    chat.command("back")
    assert chat.state == "leg_days_per_week"


def test_cancel_leaves_the_interview() -> None:
    chat = started()
    chat.text("beginner")
    replies = chat.command("cancel")
    assert [reply.key for reply in replies] == ["cancelled"]
    assert chat.conversation is not None and chat.conversation.flow == ""
    assert chat.text("hello")[0].key == "idle.text"


def test_start_during_interview_asks_restart_or_continue() -> None:
    chat = started()
    chat.text("beginner")
    chat.text("good")
    replies = chat.command("start")
    assert replies[0].key == "assessment.confirm_restart"
    assert replies[0].choice_values == ["ctl=restart", "ctl=continue"]
    replies = chat.press("ctl=continue")
    assert chat.state == "weight" and chat.answers["recovery"] == "good"
    chat.command("assess")
    token_before = chat.conversation.token if chat.conversation else ""
    replies = chat.press("ctl=restart")
    assert chat.state == "experience" and chat.answers == {}
    assert chat.conversation is not None and chat.conversation.token != token_before


def test_buttons_from_an_earlier_interview_are_refused_politely() -> None:
    chat = started()
    old_token = chat.conversation.token if chat.conversation else ""
    chat.text("beginner")
    chat.command("assess")
    chat.press("ctl=restart")
    replies = chat.send(Event.button("experience=advanced", token=old_token))
    assert replies[0].key == "stale_button"
    assert replies[-1].key == "q.experience"
    assert chat.answers == {}


def test_buttons_of_an_earlier_question_do_not_answer_the_current_one() -> None:
    chat = started()
    chat.text("beginner")
    replies = chat.press("experience=advanced")
    assert replies[0].key == "assessment.old_question"
    assert chat.answers == {"experience": "beginner"} and chat.state == "recovery"


def test_an_unknown_state_after_an_update_resumes_at_the_first_open_question() -> None:
    chat = started()
    chat.text("beginner")
    assert chat.conversation is not None
    chat.conversation = Conversation(
        "assessment", "a_question_that_was_removed", chat.conversation.data, chat.conversation.token
    )
    replies = chat.text("whatever")
    assert [reply.key for reply in replies] == ["assessment.resumed", "q.recovery"]


def test_one_machine_serves_everyone_and_holds_no_user() -> None:
    first, second = started(), started()
    first.text("beginner")
    second.text("advanced")
    assert MACHINE.models == []
    assert first.answers["experience"] == "beginner"
    assert second.answers["experience"] == "advanced"


def test_progress_hint_counts_only_questions_that_apply() -> None:
    chat = started()
    for state in ("experience", "recovery", "weight"):
        chat.text(TYPED[state])
    replies = chat.text("0")
    assert replies[-1].values["number"] == 5
    assert replies[-1].values["total"] == len(assessment.applicable(chat.answers))
    assert "Question 5 of" in render(replies[-1])


def test_help_mid_interview_lists_commands_then_repeats_the_question() -> None:
    chat = started()
    replies = chat.command("help")
    assert replies[0].key == "help" and "/assess" in render(replies[0])
    assert replies[1].key == "q.experience"


def test_returning_user_gets_a_menu_not_the_interview() -> None:
    chat = Chat(Profile(user_id=1, latest_answers={"experience": "advanced"}))
    replies = chat.command("start")
    assert replies[0].key == "welcome.back"
    assert "go=assess" in replies[0].choice_values
    replies = chat.press("go=assess")
    assert replies[-1].key == "q.experience"
