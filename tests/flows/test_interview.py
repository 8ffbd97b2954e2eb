"""The interview engine: a small interview declared here the way a new one would be, and the
assessment and check-in data that earlier versions of the bot stored."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest

from flows import parsing
from flows.assessment import SaveAssessment
from flows.checkin import SaveCheckin
from flows.core import Conversation, Event, Profile, Reply, Step
from flows.interview import (
    DATA_VERSION,
    VERSION_KEY,
    AnswerMap,
    Interview,
    Question,
    Turn,
    read_answers,
    read_readings,
    text_only,
    versioned,
    with_readings,
    words,
    yes_no,
)
from flows.texts import render
from tests.flows.driver import NOW, TYPED, Chat

# ---- a body-measurement interview, declared as a new one would be --------------------------

EXAMPLES = {
    "waist_cm": "a waist in cm, e.g. 84",
    "measures_hips": "yes or no",
    "hips_cm": "hips in cm, e.g. 98",
    "mood": "good or bad",
}
BUTTONS = {"measures_hips": (("Yes", "yes"), ("No", "no")), "mood": (("Good 🙂", "good"),)}


@dataclass
class MeasureData:
    answers: AnswerMap = field(default_factory=dict)
    readings: tuple[str, ...] = ()

    @classmethod
    def from_json(cls, stored: dict[str, Any]) -> MeasureData:
        return cls(read_answers(stored), read_readings(stored))

    def to_json(self) -> dict[str, Any]:
        return versioned(with_readings({"answers": dict(self.answers)}, self.readings))


def _finish(turn: Turn[MeasureData]) -> Step:
    return Step(None, {}, [Reply("measure.saved", {"answers": dict(turn.data.answers)})])


def _measures_hips(answers: AnswerMap) -> bool:
    return answers.get("measures_hips", True) is True


QUESTIONS = (
    Question("waist_cm", text_only(lambda text: parsing.parse_number(text, 40, 200))),
    Question("measures_hips", yes_no, per_row=2),
    Question(
        "hips_cm",
        text_only(lambda text: parsing.parse_number(text, 50, 200)),
        skippable=True,
        applies=_measures_hips,
    ),
    Question("mood", words({"good": ("great", "fine"), "bad": ("meh",)}), skippable=True),
)
MEASURE: Interview[MeasureData] = Interview(
    "measure",
    QUESTIONS,
    _finish,
    buttons=lambda question, turn: BUTTONS.get(question.name, ()),
    problem_values=lambda question: {"example": EXAMPLES[question.name]},
)
PROFILE = Profile(user_id=3)


class Talk:
    """Keeps the interview's place the way storage would: a state name and JSON data."""

    def __init__(self, interview: Interview[MeasureData] = MEASURE) -> None:
        self.interview = interview
        self.step = interview.start(MeasureData(), PROFILE, NOW)
        assert self.step.restarted
        self.saved: list[dict[str, Any]] = []

    @property
    def state(self) -> str | None:
        return self.step.state

    @property
    def answers(self) -> dict[str, Any]:
        return dict(self.step.data.get("answers", {}))

    @property
    def asked(self) -> Reply:
        return self.step.replies[-1]

    def send(self, event: Event) -> list[Reply]:
        assert self.step.state is not None, "the interview is over"
        data = MeasureData.from_json(self.step.data)
        self.step = self.interview.handle(self.step.state, data, event, PROFILE, NOW)
        self.saved += [r.values["answers"] for r in self.step.replies if r.key == "measure.saved"]
        assert self.interview.machine.models == []
        return self.step.replies

    def text(self, text: str) -> list[Reply]:
        return self.send(Event.typed(text))

    def press(self, value: str) -> list[Reply]:
        return self.send(Event.button(value))

    def back(self) -> list[Reply]:
        return self.send(Event.command("back"))


def progress(reply: Reply) -> tuple[int, int]:
    return reply.values["number"], reply.values["total"]


def test_a_list_of_questions_and_a_finish_make_a_whole_interview() -> None:
    talk = Talk()
    assert talk.asked.key == "measure.q.waist_cm" and progress(talk.asked) == (1, 4)
    for typed, next_key in (
        ("84", "measure.q.measures_hips"),
        ("yes", "measure.q.hips_cm"),
        ("98.5", "measure.q.mood"),
    ):
        assert talk.text(typed)[-1].key == next_key
    replies = talk.text("great")
    assert [reply.key for reply in replies] == ["measure.saved"]
    assert talk.state is None
    assert talk.saved == [
        {"waist_cm": 84.0, "measures_hips": True, "hips_cm": 98.5, "mood": "good"}
    ]


def test_progress_follows_questions_that_appear_and_disappear() -> None:
    talk = Talk()
    talk.text("84")
    assert progress(talk.asked) == (2, 4)
    talk.press("measures_hips=no")  # no hips question any more
    assert talk.state == "mood" and progress(talk.asked) == (3, 3)
    talk.back()
    assert talk.state == "measures_hips" and progress(talk.asked) == (2, 3)
    talk.press("measures_hips=yes")  # the hips question is back
    assert talk.state == "hips_cm" and progress(talk.asked) == (3, 4)


def test_back_passes_over_questions_that_do_not_apply_and_keeps_the_answers() -> None:
    talk = Talk()
    talk.text("84")
    talk.text("yes")
    talk.text("100")
    talk.back()
    assert talk.state == "hips_cm" and talk.answers["hips_cm"] == 100.0
    talk.back()
    talk.text("no")  # the hips answer no longer applies, so it goes
    assert talk.state == "mood" and "hips_cm" not in talk.answers
    talk.back()
    assert talk.state == "measures_hips"
    talk.back()
    replies = talk.back()
    assert [reply.key for reply in replies] == ["measure.first_question", "measure.q.waist_cm"]
    assert talk.answers == {"waist_cm": 84.0, "measures_hips": False}


@pytest.mark.parametrize(
    ("typed", "error"),
    [("30", "out_of_range"), ("a lot", "not_a_number"), ("8" * 300, "too_long")],
)
def test_a_bad_answer_says_why_and_keeps_everything(typed: str, error: str) -> None:
    talk = Talk()
    data_before = dict(talk.step.data)
    replies = talk.text(typed)
    assert replies[0].key == f"measure.error.{error}"
    assert replies[0].values["example"] == EXAMPLES["waist_cm"]
    assert replies[0].values["text"] == typed[:40]
    assert replies[1].key == "measure.q.waist_cm"
    assert talk.state == "waist_cm" and talk.step.data == data_before


def test_skip_only_where_the_question_allows_it() -> None:
    talk = Talk()
    replies = talk.text("don't know")
    assert [reply.key for reply in replies] == ["measure.error.cannot_skip", "measure.q.waist_cm"]
    talk.text("84")
    assert "measures_hips=skip" not in talk.asked.choice_values
    talk.text("yes")
    assert talk.asked.choice_values[-1] == "hips_cm=skip"
    talk.press("hips_cm=skip")
    assert talk.answers["hips_cm"] is None and talk.state == "mood"


def test_typed_button_labels_count_as_presses() -> None:
    talk = Talk()
    talk.text("84")
    talk.text("No")
    talk.text("good 🙂")
    assert talk.saved[-1]["mood"] == "good"


def test_buttons_of_another_question_and_stickers_are_answered_with_the_question() -> None:
    talk = Talk()
    talk.text("84")
    replies = talk.press("waist_cm=90")
    assert [reply.key for reply in replies] == ["measure.old_question", "measure.q.measures_hips"]
    replies = talk.send(Event.other("sticker"))
    assert replies[0].key == "measure.error.not_text" and replies[0].values["what"] == "sticker"
    replies = talk.send(Event.command("dance"))
    assert [reply.key for reply in replies] == ["measure.q.measures_hips"]
    assert talk.answers == {"waist_cm": 84.0}


def test_an_unknown_state_resumes_at_the_first_open_question() -> None:
    data = MeasureData({"waist_cm": 84.0, "measures_hips": False})
    step = MEASURE.handle("chest_cm", data, Event.typed("70"), PROFILE, NOW)
    # The hips question does not apply, so the mood is the first open one.
    assert [reply.key for reply in step.replies] == ["measure.resumed", "measure.q.mood"]
    assert step.state == "mood" and step.data["answers"] == data.answers
    everything = MeasureData({"waist_cm": 84.0, "measures_hips": False, "mood": None})
    step = MEASURE.ask("done", everything, PROFILE, NOW)
    assert step.state is None and step.replies[-1].values["answers"] == everything.answers


def test_the_machine_holds_no_model_even_when_a_finish_fails() -> None:
    def broken_finish(turn: Turn[MeasureData]) -> Step:
        raise RuntimeError("the finish failed")

    broken = Interview("measure", QUESTIONS[:1], broken_finish, problem_values=lambda q: {})
    step = broken.start(MeasureData(), PROFILE, NOW)
    with pytest.raises(RuntimeError, match="the finish failed"):
        broken.handle(step.state or "", MeasureData(), Event.typed("84"), PROFILE, NOW)
    assert broken.machine.models == []


def _transition_count(interview: Interview[MeasureData]) -> int:
    return sum(
        len(transitions)
        for event in interview.machine.events.values()
        for transitions in event.transitions.values()
    )


def test_the_machine_grows_with_the_questions_not_with_their_square() -> None:
    def numbered(count: int) -> Interview[MeasureData]:
        questions = [Question(f"q{index}", yes_no, skippable=True) for index in range(count)]
        return Interview("many", questions, _finish, problem_values=lambda q: {})

    assert _transition_count(numbered(40)) == 10 * _transition_count(numbered(4))


@pytest.mark.parametrize("names", [[], ["waist_cm", "waist_cm"], ["done"]])
def test_question_names_must_make_a_machine(names: list[str]) -> None:
    with pytest.raises(ValueError, match="measure"):
        Interview(
            "measure",
            [Question(name, yes_no) for name in names],
            _finish,
            problem_values=lambda question: {},
        )


# ---- the assessment's and check-in's stored data ------------------------------------------


def test_stored_data_carries_its_version() -> None:
    chat = Chat()
    chat.command("assess")
    chat.text("beginner")
    assert chat.conversation is not None
    assert chat.conversation.data[VERSION_KEY] == DATA_VERSION
    assert chat.answers == {"experience": "beginner"}


def test_an_assessment_stored_without_a_version_goes_on() -> None:
    chat = Chat()
    stored = {
        "answers": {"experience": "beginner", "recovery": None},
        "history": ["experience", "recovery"],
        "unit": "kg",
    }
    chat.conversation = Conversation("assessment", "weight", stored, "t0")
    replies = chat.text("82 kg")
    assert replies[-1].key == "q.leg_days_per_week" and progress(replies[-1]) == (4, 29)
    assert chat.answers == {
        "experience": "beginner",
        "recovery": None,
        "weight_kg": 82.0,
        "weight_unit": "kg",
    }
    chat.command("back")
    assert chat.command("back")[-1].key == "q.recovery"


def test_a_checkin_stored_without_a_version_goes_on() -> None:
    chat = Chat(Profile(user_id=5))
    stored = {"day": "2026-11-17", "answers": {"sleep_hours": 8.0}, "history": ["sleep_hours"]}
    chat.conversation = Conversation("checkin", "protein_g", stored, "t0")
    replies = chat.text("150")
    assert replies[-1].key == "checkin.q.carbs" and progress(replies[-1]) == (3, 5)
    assert replies[-1].values["day"] == "Tue 17 Nov"
    for answer in ("low", "0", "rest"):
        chat.text(answer)
    saved = [effect for effect in chat.effects if isinstance(effect, SaveCheckin)]
    assert [(checkin.day, checkin.sleep_hours, checkin.protein_g) for checkin in saved] == [
        (date(2026, 11, 17), 8.0, 150.0)
    ]


@pytest.mark.parametrize(
    "answers",
    [None, "experience=beginner", ["beginner"], {"experience": "beginner", "weight_kg": [1, 2]}],
)
def test_answers_no_version_ever_wrote_are_left_out(answers: object) -> None:
    chat = Chat()
    chat.conversation = Conversation("assessment", "recovery", {"answers": answers}, "t0")
    replies = chat.text("good")
    assert replies[-1].key == "q.weight"
    assert "weight_kg" not in chat.answers and chat.answers["recovery"] == "good"


def test_a_checkin_at_an_unknown_state_resumes_with_its_answers() -> None:
    chat = Chat(Profile(user_id=5))
    stored = {"v": 1, "day": "2026-11-17", "answers": {"sleep_hours": 7.0, "protein_g": 90.0}}
    chat.conversation = Conversation("checkin", "water_litres", stored, "t0")
    replies = chat.text("2")
    assert [reply.key for reply in replies] == ["checkin.resumed", "checkin.q.carbs"]
    assert "updated" in render(replies[0])
    assert chat.answers == {"sleep_hours": 7.0, "protein_g": 90.0}


def test_an_assessment_at_an_unknown_state_with_every_answer_finishes() -> None:
    chat = Chat()
    chat.command("assess")
    while chat.conversation and chat.conversation.flow:
        chat.text(TYPED[chat.state])
    [finished] = [effect for effect in chat.effects if isinstance(effect, SaveAssessment)]
    later = Chat()
    stored = {"v": 1, "answers": finished.answers, "unit": "kg"}
    later.conversation = Conversation("assessment", "a_removed_question", stored, "t0")
    replies = later.text("hello")
    assert replies[-1].key == "assessment.next"
    [saved] = [effect for effect in later.effects if isinstance(effect, SaveAssessment)]
    assert saved.answers == finished.answers


# ---- answers that could mean two things -------------------------------------------------------


def _waist(text: str) -> parsing.Parsed[float]:
    """Waist in cm; "45 in" in inches; a bare 40 to 59 could be either, so it is asked."""
    cleaned = parsing.normalise(text)
    if cleaned.endswith(" in"):
        inches = parsing.parse_number(cleaned.removesuffix(" in"), 16, 80)
        return parsing.ok(round(inches.value * 2.54, 1)) if inches.value else inches
    parsed = parsing.parse_number(cleaned.removesuffix(" cm"), 40, 200)
    if parsed.value is not None and parsed.value < 60 and not cleaned.endswith(" cm"):
        number = parsing.figure(parsed.value)
        return parsing.ambiguous([f"{number} in", f"{number} cm"])
    return parsed


ASKING = Interview(
    "measure",
    (Question("waist_cm", text_only(_waist)), *QUESTIONS[1:]),
    _finish,
    buttons=lambda question, turn: BUTTONS.get(question.name, ()),
    problem_values=lambda question: {"example": EXAMPLES[question.name]},
    which_labels=("Yes, {reading}", "No, {reading}"),
)


def test_an_answer_that_could_mean_two_things_is_asked_about() -> None:
    talk = Talk(ASKING)
    replies = talk.text("45")
    assert [reply.key for reply in replies] == ["measure.which"]
    assert replies[0].values["reading"] == "45 in"
    assert [choice.label for row in replies[0].choices for choice in row] == [
        "Yes, 45 in",
        "No, 45 cm",
    ]
    assert replies[0].choice_values == ["waist_cm=45 in", "waist_cm=45 cm"]
    assert talk.state == "waist_cm" and talk.answers == {}
    replies = talk.text("Yes")
    assert replies[-1].key == "measure.q.measures_hips" and progress(replies[-1]) == (2, 4)
    assert talk.answers == {"waist_cm": 114.3}


@pytest.mark.parametrize(
    ("reply", "waist"),
    [("no", 45.0), ("45 cm", 45.0), ("No, 45 cm", 45.0), ("yes!", 114.3), ("45 in", 114.3)],
)
def test_the_choice_may_be_typed_in_several_ways(reply: str, waist: float) -> None:
    talk = Talk(ASKING)
    talk.text("45")
    talk.text(reply)
    assert talk.answers == {"waist_cm": waist} and talk.state == "measures_hips"


def test_the_choice_may_be_pressed() -> None:
    talk = Talk(ASKING)
    talk.text("45")
    talk.press("waist_cm=45 cm")
    assert talk.answers == {"waist_cm": 45.0}


def test_the_readings_wait_for_the_next_message_only() -> None:
    talk = Talk(ASKING)
    talk.text("45")
    assert talk.step.data["readings"] == ["45 in", "45 cm"]
    replies = talk.text("90")  # a fresh answer instead: taken as it is
    assert replies[-1].key == "measure.q.measures_hips" and talk.answers == {"waist_cm": 90.0}
    assert "readings" not in talk.step.data
    talk.text("yes")  # now an answer to the hips question, not a choice of readings
    assert talk.answers == {"waist_cm": 90.0, "measures_hips": True}


def test_back_after_a_which_question_forgets_the_readings() -> None:
    talk = Talk(ASKING)
    talk.text("84")
    talk.text("no")
    talk.back()
    talk.back()
    talk.text("50")
    assert talk.step.data["readings"] == ["50 in", "50 cm"]
    replies = talk.back()
    assert [reply.key for reply in replies] == ["measure.first_question", "measure.q.waist_cm"]
    assert "readings" not in talk.step.data
    replies = talk.text("yes")
    assert replies[0].key == "measure.error.not_a_number" and talk.state == "waist_cm"


def test_an_unclear_reply_to_a_which_question_is_read_as_an_answer() -> None:
    talk = Talk(ASKING)
    talk.text("45")
    replies = talk.text("maybe")
    assert replies[0].key == "measure.error.not_a_number"
    assert replies[-1].key == "measure.q.waist_cm" and talk.answers == {}


def test_stored_readings_are_read_again_by_the_parser() -> None:
    stored = {"v": 1, "answers": {}, "readings": ["999 in", 7, "45 cm"]}
    data = MeasureData.from_json(stored)
    assert data.readings == ("999 in", "45 cm")
    step = ASKING.handle("waist_cm", data, Event.typed("yes"), PROFILE, NOW)
    assert step.replies[0].key == "measure.error.out_of_range" and step.state == "waist_cm"
    assert step.data["answers"] == {}


# ---- same as last time -----------------------------------------------------------------------

LAST_TIME: dict[str, Any] = {"waist_cm": 86.0, "measures_hips": False, "mood": None}


def _last_time(question: Question, turn: Turn[MeasureData]) -> tuple[AnswerMap, str] | None:
    value = LAST_TIME.get(question.name)
    if value is None:
        return None
    return {question.name: value}, f"{value:g} cm" if question.name == "waist_cm" else "No"


REMEMBERING = Interview(
    "measure",
    QUESTIONS,
    _finish,
    buttons=lambda question, turn: BUTTONS.get(question.name, ()),
    problem_values=lambda question: {"example": EXAMPLES[question.name]},
    remembered=_last_time,
    same_label="Same as last time: {answer}",
)


def test_an_answer_from_last_time_is_a_button_that_stores_it_unchanged() -> None:
    talk = Talk(REMEMBERING)
    assert talk.asked.choices[-1][0].label == "Same as last time: 86 cm"
    assert talk.asked.choice_values == ["waist_cm=same"]
    replies = talk.press("waist_cm=same")
    assert replies[-1].key == "measure.q.measures_hips" and progress(replies[-1]) == (2, 4)
    assert talk.answers == {"waist_cm": 86.0}
    assert replies[-1].choice_values == [
        "measures_hips=yes",
        "measures_hips=no",
        "measures_hips=same",
    ]
    replies = talk.text("same")  # typed works too; no hips question this time
    assert talk.answers == {"waist_cm": 86.0, "measures_hips": False}
    assert replies[-1].key == "measure.q.mood" and progress(replies[-1]) == (3, 3)


@pytest.mark.parametrize("typed", ["same", "Same as last time", "as before", "Unchanged."])
def test_same_may_be_typed(typed: str) -> None:
    talk = Talk(REMEMBERING)
    talk.text(typed)
    assert talk.answers == {"waist_cm": 86.0}


def test_typing_the_same_button_label_counts_as_pressing_it() -> None:
    talk = Talk(REMEMBERING)
    talk.text("same as last time: 86 cm")
    assert talk.answers == {"waist_cm": 86.0}


def test_same_where_last_time_has_no_answer_says_so_and_keeps_everything() -> None:
    talk = Talk(REMEMBERING)
    talk.text("84")
    talk.text("yes")
    assert "hips_cm=same" not in talk.asked.choice_values
    replies = talk.text("same")
    assert [reply.key for reply in replies] == ["measure.error.no_previous", "measure.q.hips_cm"]
    assert replies[0].values["example"] == EXAMPLES["hips_cm"]
    replies = talk.press("hips_cm=same")
    assert replies[0].key == "measure.error.no_previous"
    assert talk.answers == {"waist_cm": 84.0, "measures_hips": True}


def test_without_remembered_answers_same_is_an_ordinary_answer() -> None:
    talk = Talk()
    assert all(not value.endswith("=same") for value in talk.asked.choice_values)
    replies = talk.text("same")
    assert replies[0].key == "measure.error.not_a_number"
    replies = talk.press("waist_cm=same")
    assert replies[0].key == "measure.error.not_a_number" and talk.answers == {}


def test_same_that_makes_a_follow_up_go_clears_its_answer() -> None:
    talk = Talk(REMEMBERING)
    talk.text("84")
    talk.text("yes")
    talk.text("100")
    talk.back()
    talk.back()
    assert talk.state == "measures_hips" and talk.answers["hips_cm"] == 100.0
    talk.press("measures_hips=same")
    assert talk.answers == {"waist_cm": 84.0, "measures_hips": False}
    assert talk.state == "mood" and progress(talk.asked) == (3, 3)


# ---- question N of M -------------------------------------------------------------------------


def test_progress_after_back_counts_the_questions_that_apply_now() -> None:
    talk = Talk()
    seen = [progress(talk.asked)]
    talk.text("84")
    seen.append(progress(talk.asked))
    talk.text("no")  # the hips question goes
    seen.append(progress(talk.asked))
    talk.back()
    seen.append(progress(talk.asked))
    talk.back()
    seen.append(progress(talk.asked))
    talk.back()  # nothing before the first question: it stays 1 of 3
    seen.append(progress(talk.asked))
    assert seen == [(1, 4), (2, 4), (3, 3), (2, 3), (1, 3), (1, 3)]
