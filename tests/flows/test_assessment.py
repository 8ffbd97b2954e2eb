"""The assessment interview as a pure state machine, driven through the router."""

from __future__ import annotations

from typing import Any, cast

import pytest

from flows import assessment
from flows.answers import Answers
from flows.assessment import MACHINE, QUESTIONS, SaveAssessment
from flows.core import Conversation, Event, Profile, Reply
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


@pytest.mark.parametrize(
    ("typed", "level"),
    [
        ("1-3 years", "intermediate"),
        ("1–3 года", "intermediate"),
        ("от 1 до 3 лет", "intermediate"),
        ("2 to 4 years", "advanced"),
        ("more than 3 years", "advanced"),
        ("3+ years", "advanced"),
        ("больше трёх лет", "advanced"),
        ("over a year", "intermediate"),
        ("less than a year", "beginner"),
        ("меньше года", "beginner"),
        ("three years", "advanced"),
        ("about eight months", "beginner"),
    ],
)
def test_time_trained_as_people_say_it_gives_the_level(typed: str, level: str) -> None:
    chat = started()
    chat.text(typed)
    assert chat.answers["experience"] == level


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
        ("leg_days_per_week", "often", "not_a_number"),
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


@pytest.mark.parametrize(
    ("question", "bad", "shown", "not_shown"),
    [
        ("recovery", "meh", "“fresh”, “somewhat sore” or “worn out”", "“good”"),
        ("front_exercises", "lots", "from 1 to 15 (“5+” for five or more)", "0 to 15"),
    ],
)
def test_error_examples_use_the_words_of_the_buttons(
    question: str, bad: str, shown: str, not_shown: str
) -> None:
    chat = started()
    while chat.state != question:
        chat.text(TYPED[chat.state])
    text = render(chat.text(bad)[0])
    assert shown in text and not_shown not in text


@pytest.mark.parametrize("typed", ["fresh", "Somewhat sore", "worn out"])
def test_the_button_words_typed_answer_the_recovery_question(typed: str) -> None:
    chat = started()
    chat.text(TYPED["experience"])
    chat.text(typed)
    assert chat.state == "weight"


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
    while chat.state != "cardio_minutes_week":
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


# ---- numbers as people type them ------------------------------------------------------------


def at(question: str, chat: Chat | None = None) -> Chat:
    chat = chat or started()
    while chat.state != question:
        chat.text(TYPED[chat.state])
    return chat


@pytest.mark.parametrize(
    ("question", "typed", "key", "stored"),
    [
        ("calories_per_day", "2,400 kcal", "calories_per_day", 2400),
        ("calories_per_day", "2.400 kcal", "calories_per_day", 2400),
        ("calories_per_day", "2 400", "calories_per_day", 2400),
        ("calories_per_day", "2\u202f400 kcal", "calories_per_day", 2400),
        ("weight", "82,5", "weight_kg", 82.5),
        ("sleep_hours", "6 h 30 min", "sleep_hours", 6.5),
        ("sleep_hours", "7 hours 30", "sleep_hours", 7.5),
        ("sleep_hours", "6,5 h", "sleep_hours", 6.5),
        ("cardio_minutes_week", "1h30", "cardio_minutes_week", 90),
        ("cardio_minutes_week", "2.5", "cardio_minutes_week", 150),
        ("protein_g", "about 150 g", "protein_g", 150.0),
        ("weeks_since_program_change", "4 months", "weeks_since_program_change", 17.3),
        ("weeks_since_program_change", "0", "weeks_since_program_change", 0.0),
    ],
)
def test_numbers_typed_the_way_people_write_them(
    question: str, typed: str, key: str, stored: object
) -> None:
    chat = at(question)
    replies = chat.text(typed)
    assert not replies[0].key.startswith("assessment.error"), render(replies[0])
    assert chat.answers[key] == stored and chat.state != question


@pytest.mark.parametrize(
    ("question", "typed", "question_text", "yes", "no"),
    [
        ("weeks_since_program_change", "4", "4 months", 17.3, 4.0),
        ("weeks_since_program_change", "1", "1 month", 4.3, 1.0),
        ("cardio_minutes_week", "2", "2 hours", 120, 2),
        ("weight", "180", "180 kg", (180.0, "kg"), (81.647, "lb")),
    ],
)
def test_a_bare_number_that_could_mean_two_things_is_confirmed(
    question: str, typed: str, question_text: str, yes: object, no: object
) -> None:
    for reply, expected in (("yes", yes), ("no", no)):
        chat = at(question)
        before = dict(chat.answers)
        replies = chat.text(typed)
        assert [r.key for r in replies] == ["assessment.which"]
        assert f"did you mean <b>{question_text}</b>?" in render(replies[0])
        assert replies[0].choices[0][0].label == f"Yes, {question_text}"
        assert chat.state == question and chat.answers == before
        chat.text(reply)
        stored = (
            (chat.answers["weight_kg"], chat.answers["weight_unit"])
            if question == "weight"
            else chat.answers[question]
        )
        assert stored == expected and chat.state != question


@pytest.mark.parametrize(
    ("question", "typed", "unit", "stored"),
    [
        ("weight", "180", "lb", (81.647, "lb")),
        ("weight", "180", "pounds", (81.647, "lb")),
        ("weight", "180", "фунты", (81.647, "lb")),
        ("weight", "180", "kilos", (180.0, "kg")),
        ("weeks_since_program_change", "4", "weeks", 4.0),
        ("weeks_since_program_change", "4", "месяца", 17.3),
        ("cardio_minutes_week", "2", "hours", 120),
        ("cardio_minutes_week", "2", "minutes", 2),
    ],
)
def test_a_unit_typed_alone_picks_the_reading_in_that_unit(
    question: str, typed: str, unit: str, stored: object
) -> None:
    chat = at(question)
    assert [r.key for r in chat.text(typed)] == ["assessment.which"]
    chat.text(unit)
    answer = (
        (chat.answers["weight_kg"], chat.answers["weight_unit"])
        if question == "weight"
        else chat.answers[question]
    )
    assert answer == stored and chat.state != question


def test_the_program_change_buttons_are_in_weeks_and_need_no_confirmation() -> None:
    chat = at("weeks_since_program_change")
    replies = chat.press("weeks_since_program_change=8 weeks")
    assert replies[-1].key == "q.form_checked"
    assert chat.answers["weeks_since_program_change"] == 8.0


def test_a_which_question_pressed_answers_with_the_reading() -> None:
    chat = at("weeks_since_program_change")
    replies = chat.text("6")
    assert replies[0].choice_values == [
        "weeks_since_program_change=6 months",
        "weeks_since_program_change=6 weeks",
    ]
    chat.press("weeks_since_program_change=6 weeks")
    assert chat.answers["weeks_since_program_change"] == 6.0


# ---- re-assessment: same as last time ---------------------------------------------------------


def _previous_answers() -> dict[str, Any]:
    chat = started()
    while chat.conversation and chat.conversation.flow:
        chat.text(TYPED[chat.state])
    [saved] = [effect for effect in chat.effects if isinstance(effect, SaveAssessment)]
    return saved.answers


PREVIOUS = _previous_answers()
SAME_LABELS = {
    "experience": "Intermediate (1–3 years)",
    "recovery": "Fresh by next session",
    "weight": "82 kg",
    "leg_days_per_week": "2 a week",
    "consecutive_leg_days": "No, never",
    "leg_training": "Heavy basics: squats, deadlifts, leg press",
    "front_exercises": "3",
    "back_exercises": "2",
    "accessory_reps": "15 reps",
    "trains_calves": "Yes",
    "calf_set_seconds": "40 s",
    "weeks_since_program_change": "3 weeks",
    "form_checked": "Yes",
    "chases_heavy": "No, form first",
    "explosive_reps": "Yes",
    "leg_lift": "Squat",
    "leg_lift_set": "100 kg x 5",
    "bench_set": "80 kg x 5",
    "tape": "Yes, measure",
    "thigh_cm": "58 cm",
    "calf_cm": "38 cm",
    "arm_cm": "35.6 cm",
    "cardio_minutes_week": "60 min a week",
    "cardio_kind": "Intervals",
    "calories_per_day": "3,300 kcal",
    "carbs": "400 g",
    "protein_g": "181 g",
    "sleep_hours": "8 h",
    "naps": "No",
}


def reassessing(previous: dict[str, Any] | None = None) -> tuple[Chat, list[Reply]]:
    chat = Chat(Profile(user_id=1, latest_answers=cast(Answers, previous or PREVIOUS)))
    replies = chat.command("assess")
    assert replies[-1].key == "q.experience"
    return chat, replies


def same_buttons(reply: Reply) -> list[str]:
    return [c.label for row in reply.choices for c in row if c.value.endswith("=same")]


def test_a_reassessment_offers_every_previous_answer_and_same_keeps_each_unchanged() -> None:
    chat, replies = reassessing()
    seen = []
    while chat.conversation and chat.conversation.flow:
        state = chat.state
        seen.append(state)
        assert same_buttons(replies[-1]) == [f"Same as last time: {SAME_LABELS[state]}"], state
        assert (replies[-1].values["number"], replies[-1].values["total"]) == (len(seen), 29)
        replies = chat.press(f"{state}=same")
    assert seen == [question.name for question in QUESTIONS]
    [saved] = [effect for effect in chat.effects if isinstance(effect, SaveAssessment)]
    assert saved.answers == PREVIOUS
    assert all(type(saved.answers[key]) is type(PREVIOUS[key]) for key in PREVIOUS)


@pytest.mark.parametrize("typed", ["same", "Same as last time", "as before"])
def test_same_may_be_typed_and_keeps_the_stored_form(typed: str) -> None:
    chat, replies = reassessing({**PREVIOUS, "weight_kg": 81.647, "weight_unit": "lb"})
    chat.text(typed)
    replies = chat.text(typed)
    assert same_buttons(replies[-1]) == ["Same as last time: 180 lb"]
    chat.text(typed)
    assert chat.answers == {
        "experience": "intermediate",
        "recovery": "good",
        "weight_kg": 81.647,
        "weight_unit": "lb",
    }
    assert chat.state == "leg_days_per_week"


def test_the_first_assessment_offers_no_same_button() -> None:
    chat = Chat()
    replies = chat.command("assess")
    while chat.conversation and chat.conversation.flow:
        assert same_buttons(replies[-1]) == [], chat.state
        replies = chat.text(TYPED[chat.state])


def test_same_typed_on_a_first_assessment_says_there_is_nothing_to_reuse() -> None:
    chat = at("weight")
    before = dict(chat.answers)
    replies = chat.text("same")
    assert [reply.key for reply in replies] == ["assessment.error.no_previous", "q.weight"]
    assert EXAMPLES["weight"] in render(replies[0])
    assert chat.answers == before and chat.state == "weight"


def test_a_follow_up_not_asked_last_time_has_no_same_button() -> None:
    previous = {key: value for key, value in PREVIOUS.items() if key != "calf_set_seconds"}
    chat, replies = reassessing({**previous, "trains_calves": False})
    while chat.state != "trains_calves":
        replies = chat.text("same")
    assert same_buttons(replies[-1]) == ["Same as last time: No"]
    replies = chat.text("yes")
    assert chat.state == "calf_set_seconds" and same_buttons(replies[-1]) == []
    assert chat.text("same")[0].key == "assessment.error.no_previous"


@pytest.mark.parametrize(
    ("key", "value", "question"),
    [
        ("weight_kg", 900.0, "weight"),
        ("weight_kg", "82", "weight"),
        ("weight_unit", "stone", "weight"),
        ("experience", "guru", "experience"),
        ("calories_per_day", 2400.5, "calories_per_day"),
        ("calories_per_day", True, "calories_per_day"),
        ("leg_days_per_week", 99, "leg_days_per_week"),
        ("trains_calves", "yes", "trains_calves"),
        ("sleep_hours", float("nan"), "sleep_hours"),
        ("carbs_level", "300", "carbs"),
        ("experience", None, "experience"),
    ],
)
def test_a_previous_answer_this_version_would_not_store_is_not_offered(
    key: str, value: object, question: str
) -> None:
    chat, replies = reassessing({**PREVIOUS, key: value})
    while chat.state != question:
        replies = chat.text("same")
    assert same_buttons(replies[-1]) == [], key
    assert chat.text("same")[0].key == "assessment.error.no_previous"
    assert question not in chat.answers and key not in chat.answers


# ---- question N of M ---------------------------------------------------------------------------


def test_question_numbers_after_back_and_follow_ups_that_come_and_go() -> None:
    chat = started()

    def where(replies: list[Any]) -> tuple[str, int, int]:
        return chat.state, replies[-1].values["number"], replies[-1].values["total"]

    for state in ("experience", "recovery", "weight"):
        chat.text(TYPED[state])
    assert where(chat.text("1")) == ("leg_training", 5, 28)  # no "two days in a row"
    assert where(chat.command("back")) == ("leg_days_per_week", 4, 28)
    assert where(chat.text("2")) == ("consecutive_leg_days", 5, 29)  # it is back
    assert where(chat.command("back")) == ("leg_days_per_week", 4, 29)
    assert where(chat.command("back")) == ("weight", 3, 29)
    assert where(chat.text("82")) == ("leg_days_per_week", 4, 29)
    chat.text("2")
    chat.text("no")
    assert where(chat.text("running")) == ("trains_calves", 7, 23)  # no gym follow-ups
    assert where(chat.command("back")) == ("leg_training", 6, 23)
    assert where(chat.text("squats")) == ("front_exercises", 7, 29)
    assert where(chat.command("back")) == ("leg_training", 6, 29)
    assert where(chat.command("back")) == ("consecutive_leg_days", 5, 29)


def test_question_numbers_on_a_reassessment_follow_the_new_answers() -> None:
    chat, _ = reassessing()

    def where(replies: list[Any]) -> tuple[str, int, int]:
        return chat.state, replies[-1].values["number"], replies[-1].values["total"]

    for _ in range(3):
        chat.text("same")
    assert where(chat.text("1")) == ("leg_training", 5, 28)
    assert where(chat.command("back")) == ("leg_days_per_week", 4, 28)
    assert where(chat.press("leg_days_per_week=same")) == ("consecutive_leg_days", 5, 29)
    chat.text("same")
    assert where(chat.text("same")) == ("front_exercises", 7, 29)
    assert where(chat.command("back")) == ("leg_training", 6, 29)


@pytest.mark.parametrize(
    ("question", "typed", "stored"),
    [
        ("leg_training", "heavy basics", "free_weights"),
        ("leg_training", "Heavy basics.", "free_weights"),
        ("experience", "Beginner", "beginner"),
    ],
)
def test_a_labels_words_before_its_explanation_press_its_button(
    question: str, typed: str, stored: str
) -> None:
    chat = at(question)
    chat.text(typed)
    assert chat.answers[question] == stored and chat.state != question


def test_no_leg_day_asks_no_leg_exercises_or_reps() -> None:
    chat = at("leg_days_per_week")
    chat.text("0")
    chat.text("heavy basics")
    asked = []
    while chat.conversation and chat.conversation.flow == "assessment":
        asked.append(chat.state)
        chat.text(TYPED[chat.state])
    assert not {"front_exercises", "back_exercises", "accessory_reps"} & set(asked)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("squat", "free_weights"), ("leg press", "free_weights"), ("nothing yet", "none")],
)
def test_how_legs_are_trained_in_plain_words(typed: str, stored: str) -> None:
    chat = at("leg_training")
    chat.text(typed)
    assert chat.answers["leg_training"] == stored


def test_a_set_typed_the_other_way_round_is_asked_about() -> None:
    chat = at("bench_set")
    replies = chat.text("5x100")
    assert [r.key for r in replies] == ["assessment.which"]
    assert "100 kg x 5" in render(replies[0])
    chat.text("yes")
    assert chat.answers["bench_kg"] == 100.0 and chat.answers["bench_reps"] == 5


@pytest.mark.parametrize(
    ("question", "typed", "asked", "stored"),
    [("protein_g", "2", "2 g", 2.0), ("sleep_hours", "about 1", "1 hour", 1.0)],
)
def test_a_bare_figure_no_lifter_lives_on_is_confirmed(
    question: str, typed: str, asked: str, stored: float
) -> None:
    chat = at(question)
    replies = chat.text(typed)
    assert [r.key for r in replies] == ["assessment.which"]
    assert f"did you mean <b>{asked}</b>?" in render(replies[0])
    chat.text("yes")
    assert chat.answers[question] == stored and chat.state != question


def test_a_small_figure_with_its_unit_is_taken_as_typed() -> None:
    chat = at("protein_g")
    chat.text("15 g")
    assert chat.answers["protein_g"] == 15.0


@pytest.mark.parametrize(("typed", "reps"), [("8-12", 12), ("12–15 reps", 15), ("15", 15)])
def test_reps_said_as_a_range_are_read_at_its_top(typed: str, reps: int) -> None:
    chat = at("accessory_reps")
    chat.text(typed)
    assert chat.answers["accessory_reps"] == reps and chat.state != "accessory_reps"
