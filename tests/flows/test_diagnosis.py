"""The diagnosis on a phone: a short first message, and the views behind its buttons, pressed
through the router after the interview has ended."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any, cast

import pytest

from flows import registry
from flows.answers import Answers
from flows.assessment import SaveAssessment
from flows.core import Event, Profile, ProfilePart, Reply
from flows.diagnosis import button
from flows.rules import ARTICLE_TITLES, RULE_IDS, RULES, Diagnosis, Status, evaluate
from flows.texts import plain, render
from flows.texts.diagnosis import (
    MESSAGE_LIMIT,
    TOP_PROBLEMS,
    render_problems,
    render_strengths,
    render_summary,
    render_why,
    rule_title,
    why_label,
)
from tests.flows.answer_grid import GRID
from tests.flows.driver import TYPED, Chat
from tests.flows.test_rules import (
    BEGINNER,
    CARDIO_ONLY,
    DONT_KNOW,
    HEALTHY,
    KG_PER_LB,
    PROFILES,
    with_changes,
)

MAX_WORDS = 120
ALLOWED_TAGS = {"<b>", "</b>", "<i>", "</i>"}
# How sources were once cited; a person can't look these up.
CITATION = re.compile(r"article \d|reason \d|\.txt", re.IGNORECASE)


def words(message: str) -> int:
    return len(plain(message).split())


def unit_of(answers: Answers) -> str:
    return answers.get("weight_unit") or "kg"


def all_views(diagnosis: Diagnosis, unit: str) -> list[str]:
    return [
        render_summary(diagnosis, unit),
        *render_problems(diagnosis, unit),
        *render_strengths(diagnosis, unit),
        *(render_why(diagnosis, rule_id, unit) for rule_id in RULE_IDS),
    ]


def assert_simple_html(message: str) -> None:
    assert set(re.findall(r"</?[a-z]+>", message)) <= ALLOWED_TAGS, message
    assert message.count("<b>") == message.count("</b>"), message
    assert message.count("<i>") == message.count("</i>"), message


# --- the first message ------------------------------------------------------------------------


def test_the_first_message_fits_a_phone_for_every_generated_answer() -> None:
    longest = 0
    for generated in GRID:
        diagnosis = evaluate(generated)
        summary = render_summary(diagnosis, unit_of(generated))
        longest = max(longest, words(summary))
        assert words(summary) <= MAX_WORDS, plain(summary)
        assert_simple_html(summary)
        text = plain(summary)
        assert "Next step this week" in text
        assert "already do right" in text
        top = diagnosis.problems[:TOP_PROBLEMS]
        assert ("What holds your legs back" in text) is bool(top)
        # The top problems, biggest first, and no others.
        positions = [text.find(f"{n}. {rule_title(f.rule_id)}:") for n, f in enumerate(top, 1)]
        assert -1 not in positions and positions == sorted(positions), text
        assert f"{len(top) + 1}. " not in text.partition("Next step")[0]
    assert longest > 60  # the grid reaches long diagnoses, not only short ones


def test_the_first_message_shows_the_persons_own_numbers() -> None:
    lifter = with_changes(HEALTHY, weight_kg=80.0, protein_g=106, calories_per_day=2320)
    diagnosis = evaluate(lifter)
    text = plain(render_summary(diagnosis))
    assert "106 g a day, you need about 176 g: 70 g short" in text
    assert "2,320 kcal a day, you need about 3,200 kcal: 880 kcal short" in text
    # This week's one step is about the biggest problem, with its own number.
    gaps = {"protein": "70 g", "calories": "880 kcal"}
    step = text.partition("Next step this week:")[2].partition("\n")[0]
    assert gaps[diagnosis.problems[0].rule_id] in step


@pytest.mark.parametrize(
    ("changes", "top", "in_step"),
    [
        ({"sleep_hours": 6.5}, "Sleep", "1.5 h earlier"),
        ({"sleep_hours": 7.5}, "Sleep", "30 min earlier"),
        ({"leg_training": "none"}, "Strength work", "squats"),
        ({"cardio_minutes_week": 400}, "Cardio", "150 min"),
        ({"calf_set_seconds": 20}, "Calves", "40 s"),
    ],
)
def test_the_step_this_week_belongs_to_the_biggest_problem(
    changes: dict[str, Any], top: str, in_step: str
) -> None:
    diagnosis = evaluate(with_changes(HEALTHY, **changes))
    assert rule_title(diagnosis.problems[0].rule_id) == top
    text = plain(render_summary(diagnosis))
    assert in_step in text.partition("Next step this week:")[2]


def test_pounds_stay_pounds() -> None:
    lifter = with_changes(HEALTHY, weight_kg=180 * KG_PER_LB, weight_unit="lb", protein_g=120)
    diagnosis = evaluate(lifter)
    text = "\n".join(plain(message) for message in all_views(diagnosis, "lb"))
    assert "180 lb" in text and "60 g short" in text and "1 g per lb" in text
    # kg only where a rule is stated in kg with the pounds beside it.
    ruled = re.sub(r"[\d.]+ \w+ per kg( of body weight)? \(about [\d.]+ \w+ per lb\)", "", text)
    assert " kg" not in ruled


def test_diagnosis_follows_the_unit_set_after_the_assessment() -> None:
    """Weight given in kg, then pounds chosen in /settings: /diagnosis speaks pounds."""
    from datetime import UTC, datetime

    from flows import diagnosis as flow

    answers = with_changes(HEALTHY, weight_kg=80.0, weight_unit="kg", protein_g=120)
    profile = Profile(user_id=5, weight_unit="lb", latest_answers=answers)
    replies, _ = flow.answer(profile, datetime(2026, 11, 17, tzinfo=UTC), "problems")
    text = "\n".join(plain(render(reply)) for reply in replies)
    assert "at 176 lb you need" in text and "80 kg" not in text


def test_with_nothing_wrong_the_first_message_says_so_and_keeps_the_phrases() -> None:
    text = plain(render_summary(evaluate(HEALTHY)))
    assert "nothing in your answers holds your legs back" in text
    assert "What holds your legs back" not in text
    assert "already do right: 13 things" in text


# --- every view -------------------------------------------------------------------------------


def test_every_view_is_simple_html_within_the_limit_and_names_no_file_or_number() -> None:
    for generated in GRID[::7]:
        diagnosis = evaluate(generated)
        for message in all_views(diagnosis, unit_of(generated)):
            assert len(message) <= MESSAGE_LIMIT
            assert_simple_html(message)
            assert not CITATION.search(plain(message)), plain(message)


def test_all_problems_lists_every_problem_in_full_and_what_could_not_be_judged() -> None:
    diagnosis = evaluate(BEGINNER)
    text = "\n".join(plain(message) for message in render_problems(diagnosis))
    positions = [
        text.index(f"{n}. {rule_title(f.rule_id)}\n") for n, f in enumerate(diagnosis.problems, 1)
    ]
    assert positions == sorted(positions)
    assert text.count("What to do:") == len(diagnosis.problems)
    # Problems spoken for by another problem are named under it, not lost; a reason that
    # was fine is not said to be settled by it.
    settled = " ".join(line for line in text.splitlines() if line.startswith("Fixing this"))
    assert diagnosis.covered
    for covered in diagnosis.covered:
        named = rule_title(covered.rule_id).lower() in settled
        assert named == (covered.status is Status.PROBLEM), covered.rule_id
    unknown = "\n".join(plain(message) for message in render_problems(evaluate(DONT_KNOW)))
    assert "What I couldn't judge" in unknown and "your hours of sleep" in unknown


def test_what_you_do_right_lists_the_strengths_only() -> None:
    diagnosis = evaluate(CARDIO_ONLY)
    text = "\n".join(plain(message) for message in render_strengths(diagnosis))
    for finding in diagnosis.strengths:
        assert f"• {rule_title(finding.rule_id)}:" in text
    for finding in (*diagnosis.problems, *diagnosis.covered):
        assert f"• {rule_title(finding.rule_id)}:" not in text


@pytest.mark.parametrize("rule", RULES, ids=[rule.id for rule in RULES])
def test_why_names_the_article_and_its_point_in_words(rule: Any) -> None:
    for profile in PROFILES.values():
        diagnosis = evaluate(profile)
        text = plain(render_why(diagnosis, rule.id))
        title = ARTICLE_TITLES[rule.source.article]
        assert text.startswith(why_label(rule.id))
        assert f"From “{title}”, the part on “{rule.source.section_title}”:" in text
        found = diagnosis.finding(rule.id)
        assert found is not None
        verdict = text.partition("For you:")[2]
        if found.covered_by is not None:
            assert rule_title(found.covered_by).lower() in verdict
        elif found.status is Status.PROBLEM:
            assert f"number {diagnosis.problems.index(found) + 1} of" in verdict
        elif found.status is Status.OK:
            assert "already do this right" in verdict
        else:
            assert "couldn't judge" in verdict


def test_user_values_are_escaped() -> None:
    hostile = with_changes(HEALTHY, carbs_g=None, carbs_level="<b>high</b>")
    text = "\n".join(render_strengths(evaluate(hostile)))
    assert "&lt;b&gt;high&lt;/b&gt;" in text


# --- the buttons, pressed through the router --------------------------------------------------

# A lifter who answers "form first" but never had it checked, short of protein and sleep.
ANSWERS = {**TYPED, "form_checked": "no", "protein_g": "120", "sleep_hours": "6"}


def finished(profile: Profile | None = None) -> tuple[Chat, list[Reply]]:
    """An interview answered to the end; the profile then holds the saved assessment, as the
    database would for the next update."""
    chat = Chat(profile or Profile(user_id=5))
    replies = chat.command("assess")
    while chat.conversation and chat.conversation.flow:
        replies = chat.text(ANSWERS[chat.state])
    [saved] = [effect for effect in chat.effects if isinstance(effect, SaveAssessment)]
    chat.profile = replace(
        chat.profile,
        latest_answers=cast(Answers, saved.answers),
        latest_problem_ids=saved.problem_ids,
    )
    return chat, replies


def labelled(replies: list[Reply]) -> dict[str, str]:
    return {
        choice.label: choice.value for reply in replies for row in reply.choices for choice in row
    }


def texts_of(replies: list[Reply]) -> str:
    return "\n".join(plain(render(reply)) for reply in replies)


def test_the_interview_ends_in_the_short_diagnosis_with_its_buttons() -> None:
    chat, replies = finished()
    assert chat.conversation is not None and not chat.conversation.flow  # the interview ended
    first = replies[0]
    assert words(render(first)) <= MAX_WORDS
    assert replies[-1].key == "assessment.next"
    buttons = labelled([first])
    diagnosis = evaluate(cast(Answers, chat.profile.latest_answers))
    assert buttons[f"All problems ({len(diagnosis.problems)})"] == button("problems")
    assert buttons[f"What you do right ({len(diagnosis.strengths)})"] == button("right")
    for finding in diagnosis.problems[:TOP_PROBLEMS]:
        assert buttons[why_label(finding.rule_id)] == button("why", finding.rule_id)
    # Food and sleep gaps come before the unchecked form of someone who puts form first.
    order = [f.rule_id for f in diagnosis.problems]
    assert order.index("protein") < order.index("technique")
    assert order.index("sleep") < order.index("technique")


def test_the_buttons_open_every_view_after_the_interview_ended() -> None:
    chat, replies = finished()
    diagnosis = evaluate(cast(Answers, chat.profile.latest_answers))
    first = labelled(replies[:1])

    problems = chat.press(first[f"All problems ({len(diagnosis.problems)})"])
    assert "What holds your legs back" in texts_of(problems)
    assert texts_of(problems).count("What to do:") == len(diagnosis.problems)
    whys = labelled(problems)
    for finding in diagnosis.problems:
        assert why_label(finding.rule_id) in whys  # a "Why?" for every problem

    why = chat.press(whys[why_label("technique")])
    text = texts_of(why)
    assert "From “What are the most common reasons for your legs to fall behind”" in text
    assert "“Execution technique”" in text and not CITATION.search(text)

    right = chat.press(labelled(why)[f"What you do right ({len(diagnosis.strengths)})"])
    text = texts_of(right)
    assert "What you already do right" in text
    for finding in diagnosis.strengths:
        assert why_label(finding.rule_id) in labelled(right)
    # Still nothing open: the views are answered, no conversation is started.
    assert chat.conversation is not None and not chat.conversation.flow


def test_diagnosis_typed_shows_it_again_and_works_in_the_middle_of_another_conversation() -> None:
    chat, replies = finished()
    again = chat.command("diagnosis")
    assert render(again[0]) == render(replies[0])
    chat.command("settings")
    state = chat.conversation
    replies = chat.send(Event.command("diagnosis", "why protein"))
    assert "Why protein?" in texts_of(replies)
    # The open conversation goes on where it was, its question asked again.
    assert chat.conversation is not None and state is not None
    assert (chat.conversation.flow, chat.conversation.state) == (state.flow, state.state)


def test_without_an_assessment_the_diagnosis_says_how_to_get_one() -> None:
    chat = Chat(Profile(user_id=8))
    replies = chat.command("diagnosis")
    assert [reply.key for reply in replies] == ["assessment.diagnosis.none"]
    assert "/assess" in render(replies[0])


def test_an_unknown_view_shows_the_first_message() -> None:
    chat, replies = finished()
    shown = chat.send(Event.command("diagnosis", "why nonsense"))
    assert render(shown[0]) == render(replies[0])


def test_the_buttons_load_the_assessment_and_fit_telegrams_button_data() -> None:
    for rule_id in RULE_IDS:
        value = button("why", rule_id)
        parts = registry.profile_parts(None, Event.button(value, token="t"))
        assert ProfilePart.ASSESSMENT in parts
        # Telegram keeps 64 bytes of button data: an 8-character token, a separator, the value.
        assert len(value.encode()) <= 64 - 9


@pytest.mark.parametrize(
    ("weeks", "said", "never"),
    [
        (4 * 52 / 12, "for about 4 months", "17.3"),  # "4 months"
        (3.0, "changed less than a month ago", "3 weeks ago"),  # "Under a month"
        (6.0, "changed about 6 weeks ago", "6.0"),
        (104.0, "for about 2 years", "104"),
    ],
)
def test_how_long_since_the_program_changed_reads_as_answered(
    weeks: float, said: str, never: str
) -> None:
    diagnosis = evaluate(with_changes(HEALTHY, weeks_since_program_change=weeks))
    text = " ".join(render_problems(diagnosis) + render_strengths(diagnosis))
    assert said in text and never not in text


def test_why_calories_for_a_lifter_in_pounds_keeps_the_rule_in_kg() -> None:
    diagnosis = evaluate(with_changes(HEALTHY, calories_per_day=1500))
    text = render_why(diagnosis, "calories", "lb")
    assert "40 kcal per kg of body weight (about 18 kcal per lb)" in text
    assert "18.1" not in text
    assert "1 g per lb of body weight" in render_why(diagnosis, "protein", "lb")


def test_the_longer_button_of_the_program_question_is_said_as_what_it_meant() -> None:
    from flows.texts.assessment import CHOICES as ASSESSMENT_CHOICES
    from flows.texts.diagnosis import LONGER_BUTTON_WEEKS, how_long

    chat = Chat()
    chat.command("start")
    while chat.state != "weeks_since_program_change":
        chat.text(TYPED[chat.state])
    [(_, longer)] = [
        (label, value)
        for label, value in ASSESSMENT_CHOICES["weeks_since_program_change"]
        if label == "Longer"
    ]
    chat.press(f"weeks_since_program_change={longer}")
    assert chat.answers["weeks_since_program_change"] == LONGER_BUTTON_WEEKS
    assert how_long(LONGER_BUTTON_WEEKS) == "more than 6 months"
    assert how_long(39) == "about 9 months"  # typed, the number is said as it is


@pytest.mark.parametrize(("protein_g", "large"), [(130, False), (110, True), (40, True)])
def test_protein_advice_fits_the_size_of_the_gap(protein_g: int, large: bool) -> None:
    """BEGINNER weighs 68 kg: 150 g a day, so 130 g is 20 g short (one shake closes it),
    110 g is 40 g and 40 g is 110 g short (a shake and protein food in every meal)."""
    diagnosis = evaluate(cast(Any, {**BEGINNER, "protein_g": protein_g}))
    text = "\n".join(plain(message) for message in render_problems(diagnosis))
    protein = text[text.index("Protein") :]
    assert ("protein food" in protein) == large, protein
    assert ("a shake adds about 25 g" in protein.replace("protein shake", "shake")) == large
