"""The diagnosis in Russian: every message and button of every view, for varied answers in kg
and in pounds, without an English word, with the plural forms a count asks for; and the
English as it was."""

from __future__ import annotations

import re
from typing import Any

import pytest

from flows import i18n
from flows.answers import Answers
from flows.core import Event, Profile, Reply
from flows.diagnosis import answer
from flows.rules import RULE_IDS, Diagnosis, evaluate
from flows.texts import plain, render
from flows.texts.diagnosis import (
    MESSAGE_LIMIT,
    render_problems,
    render_strengths,
    render_summary,
    render_why,
    rule_title,
    why_label,
)
from tests.flows.answer_grid import GRID
from tests.flows.driver import NOW, Chat
from tests.flows.i18n_check import english_words
from tests.flows.test_rules import (
    BEGINNER,
    CARDIO_ONLY,
    HEALTHY,
    HEAVY_CHASER,
    KG_PER_LB,
    PROFILES,
    with_changes,
)

# Answers that reach every branch of the texts: the named lifters, edge cases of each rule,
# and a slice of the generated grid.
VARIED: list[Answers] = [
    *PROFILES.values(),
    with_changes(HEALTHY, leg_days_per_week=1, sleep_hours=6.5, cardio_kind="steady"),
    with_changes(HEALTHY, leg_days_per_week=3, accessory_reps=8, weeks_since_program_change=104),
    with_changes(HEALTHY, recovery="poor", front_exercises=5, back_exercises=1),
    with_changes(HEALTHY, carbs_g=None, carbs_level="moderate", naps=True, sleep_hours=7.5),
    with_changes(HEALTHY, weight_kg=None, carbs_g=250),
    with_changes(HEALTHY, weeks_since_program_change=4.5, calories_per_day=5000),
    with_changes(HEALTHY, explosive_reps=True, form_checked=False, trains_calves=False),
    with_changes(HEALTHY, leg_training="machines", calf_set_seconds=70, cardio_minutes_week=0),
    *GRID[::60],
]


def all_views(diagnosis: Diagnosis, unit: str) -> list[str]:
    return [
        render_summary(diagnosis, unit),
        *render_problems(diagnosis, unit),
        *render_strengths(diagnosis, unit),
        *(render_why(diagnosis, rule_id, unit) for rule_id in RULE_IDS),
    ]


def shown(replies: list[Reply]) -> list[str]:
    """What a person sees of the replies: each message and each button label."""
    return [render(reply) for reply in replies] + [
        choice.label for reply in replies for row in reply.choices for choice in row
    ]


def diagnosis_replies(answers: Answers, unit: str) -> list[str]:
    """Every view of /diagnosis as the command answers it, with its buttons."""
    profile = Profile(user_id=3, weight_unit=unit, latest_answers=answers, language="ru")
    texts: list[str] = []
    for args in ("", "problems", "right", *(f"why {rule_id}" for rule_id in RULE_IDS)):
        replies, _ = answer(profile, NOW, args)
        texts += shown(replies)
    return texts


@pytest.mark.parametrize("unit", ["kg", "lb"])
def test_every_view_and_button_is_russian_for_varied_answers(unit: str) -> None:
    with i18n.use("ru"):
        for answers in VARIED:
            diagnosis = evaluate(answers)
            for text in (*all_views(diagnosis, unit), *diagnosis_replies(answers, unit)):
                assert english_words(text) == [], text
                assert len(text) <= MESSAGE_LIMIT


def test_without_an_assessment_the_answer_is_russian() -> None:
    with i18n.use("ru"):
        replies, _ = answer(Profile(user_id=4, language="ru"), NOW)
        [text] = shown(replies)
    assert english_words(text) == [] and "/assess" in text


def test_titles_and_why_buttons_are_distinct_russian_words() -> None:
    with i18n.use("ru"):
        titles = [rule_title(rule_id) for rule_id in RULE_IDS]
        labels = [why_label(rule_id) for rule_id in RULE_IDS]
    assert len(set(titles)) == len(titles) and len(set(labels)) == len(labels)
    for text in titles + labels:
        assert english_words(text) == [] and re.search("[а-яё]", text), text
    assert titles[RULE_IDS.index("protein")] == "Белок"


def test_why_names_the_article_and_its_part_in_russian() -> None:
    with i18n.use("ru"):
        text = plain(render_why(evaluate(BEGINNER), "technique"))
        calves = plain(render_why(evaluate(BEGINNER), "calves"))
    assert text.startswith("Почему важна техника?")
    assert "Из статьи «Самые частые причины, почему отстают ноги», раздел «Техника выполнения»" in (
        text
    )
    # Then what it means for this person: their problem, ranked.
    assert "Для тебя: технику приседа и становой тяги ещё никто не проверял. (пункт 7 из 9)" in text
    assert "«7 главных причин, почему не растут ноги», раздел «Ты уделяешь мало времени икрам»" in (
        calves
    )
    assert "около 40 с — массу" in calves and "30–50 с" in calves


def test_kilograms_in_russian() -> None:
    lifter = with_changes(HEALTHY, weight_kg=81.6, protein_g=120)
    with i18n.use("ru"):
        diagnosis = evaluate(lifter)
        text = "\n".join(plain(message) for message in all_views(diagnosis, "kg"))
    assert "при весе 81,6 кг нужно около 180 г (2,2 г на кг), так что не хватает 60 г" in text
    assert "около 40 ккал на кг массы тела в дни тренировок" in text
    assert "профицит больше 10 %" in text and "не меньше 8 ч за ночь" in text
    assert "фунт" not in text


def test_pounds_in_russian_stay_pounds() -> None:
    lifter = with_changes(HEALTHY, weight_kg=180 * KG_PER_LB, weight_unit="lb", protein_g=120)
    with i18n.use("ru"):
        diagnosis = evaluate(lifter)
        text = "\n".join(plain(message) for message in all_views(diagnosis, "lb"))
    assert "при весе 180 фунт. нужно около 180 г (1 г на фунт)" in text
    assert "около 1 г на фунт массы тела в день" in text
    # A rule stated in kg keeps its kg, with the pounds beside it.
    assert "40 ккал на кг массы тела (примерно 18 ккал на фунт)" in text
    assert "3 г на кг (примерно 1,4 г на фунт)" in text
    assert " кг" not in re.sub(r"на кг[^(]*\(примерно [^)]*\)", "", text)
    assert "lb" not in text


def summary_ru(answers: Answers) -> str:
    with i18n.use("ru"):
        return plain(render_summary(evaluate(answers)))


def problems_ru(answers: Answers) -> str:
    with i18n.use("ru"):
        diagnosis = evaluate(answers)
        return "\n".join(plain(m) for m in render_problems(diagnosis) + render_strengths(diagnosis))


@pytest.mark.parametrize(
    ("changes", "said"),
    [
        # The verdict: 1 причина, 2 причины, 5 причин.
        ({"sleep_hours": 7}, "Проверка ног: 1 причина мешает твоим ногам расти."),
        ({"sleep_hours": 7, "protein_g": 100}, "2 причины мешают твоим ногам расти."),
        (
            {
                "sleep_hours": 7,
                "protein_g": 100,
                "calories_per_day": 2000,
                "trains_calves": False,
                "cardio_minutes_week": 400,
            },
            "5 причин мешают твоим ногам расти.",
        ),
        # What is already right: 1 пункт, 2 пункта, 13 пунктов.
        ({}, "Что ты уже делаешь правильно: 13 пунктов."),
    ],
)
def test_the_summary_counts_in_russian_forms(changes: dict[str, Any], said: str) -> None:
    assert said in summary_ru(with_changes(HEALTHY, **changes))


def test_strength_counts_of_one_and_two() -> None:
    assert "Что ты уже делаешь правильно: 1 пункт;" in summary_ru(CARDIO_ONLY)
    assert "Что ты уже делаешь правильно: 2 пункта." in summary_ru(BEGINNER)


@pytest.mark.parametrize(
    ("count", "exercises"),
    [(1, "1 упражнение"), (2, "2 упражнения"), (5, "5 упражнений"), (21, "21 упражнение")],
)
def test_exercise_counts_take_their_russian_form(count: int, exercises: str) -> None:
    assert f"Квадрицепсы: {exercises} в неделю" in problems_ru(
        with_changes(HEALTHY, front_exercises=count)
    )


@pytest.mark.parametrize(
    ("reps", "said"),
    [(1, "1 повторение"), (2, "2 повторения"), (5, "5 повторений"), (11, "11 повторений")],
)
def test_rep_counts_take_their_russian_form(reps: int, said: str) -> None:
    assert f"Небазовые упражнения: {said} в подходе" in problems_ru(
        with_changes(HEALTHY, accessory_reps=reps)
    )


@pytest.mark.parametrize(
    ("days", "said"),
    [
        (1, "Вся работа на ноги втиснута в 1 день."),
        (3, "Ты тренируешь ноги 3 дня в неделю."),
        (5, "Ты тренируешь ноги 5 дней в неделю."),
    ],
)
def test_leg_day_counts_take_their_russian_form(days: int, said: str) -> None:
    assert said in problems_ru(with_changes(HEALTHY, leg_days_per_week=days))


def test_the_leg_days_that_suit_agree_with_their_count() -> None:
    too_many = summary_ru(with_changes(HEALTHY, leg_days_per_week=3))
    assert "3 дня ног в неделю, а тебе подходят 2 дня ног." in too_many
    beginner = summary_ru(BEGINNER)
    assert "2 дня ног в неделю, некоторые подряд, а тебе подходит 1 день ног." in beginner
    assert "Ты тренируешь ноги 4 дня в неделю." in problems_ru(HEAVY_CHASER)


@pytest.mark.parametrize(
    ("weeks", "said"),
    [
        (3.0, "программа менялась меньше месяца назад"),
        (6.0, "программа менялась около 6 недель назад"),
        (4.5, "программа менялась около 1 месяца назад"),
        (4 * 52 / 12, "не менялась уже около 4 месяцев"),
        (21 * 52 / 12, "не менялась уже около 21 месяца"),
        (104.0, "не менялась уже около 2 лет"),
        (260.0, "не менялась уже около 5 лет"),
    ],
)
def test_how_long_since_the_program_changed_in_russian(weeks: float, said: str) -> None:
    text = problems_ru(with_changes(HEALTHY, weeks_since_program_change=weeks))
    assert said in text
    if weeks > 8:
        assert "примерно через 8 недель прогресс обычно встаёт" in text


def test_the_split_names_weekdays_in_russian() -> None:
    text = problems_ru(with_changes(HEALTHY, leg_days_per_week=1))
    assert "(например, вторник и пятница)" in text


def test_the_buttons_through_the_router_are_russian() -> None:
    chat = Chat(Profile(user_id=6, latest_answers=BEGINNER, language="ru"))
    with i18n.use("ru"):
        first = chat.command("diagnosis")
        diagnosis = evaluate(BEGINNER)
        buttons = {c.label: c.value for r in first for row in r.choices for c in row}
        assert f"Все проблемы ({len(diagnosis.problems)})" in buttons
        assert f"Что уже правильно ({len(diagnosis.strengths)})" in buttons
        problems = chat.press(buttons[f"Все проблемы ({len(diagnosis.problems)})"])
        whys = {c.label: c.value for r in problems for row in r.choices for c in row}
        why = chat.press(whys["Почему важен белок?"])
        typed = chat.send(Event.command("diagnosis", "why sleep"))
        for text in shown(first) + shown(problems) + shown(why) + shown(typed):
            assert english_words(text) == [], text
    assert plain(render_summary(diagnosis)).startswith("Your leg check")  # English outside


# --- the English is as it was -----------------------------------------------------------------


def test_english_outside_a_russian_block() -> None:
    text = plain(render_summary(evaluate(BEGINNER)))
    assert text.startswith("Your leg check: 9 things hold your legs back.")
    assert "2 leg days a week, some back to back; 1 leg day suits you." in text
    assert "already do right: 2 things. Tap below for all of it and why." in text
    one = plain(render_summary(evaluate(with_changes(HEALTHY, sleep_hours=7))))
    assert one.startswith("Your leg check: 1 thing holds your legs back.")
    assert "cut to 2 leg days a week" in plain(
        render_summary(
            evaluate(with_changes(HEALTHY, leg_days_per_week=3, consecutive_leg_days=False))
        )
    )
    split = "\n".join(render_problems(evaluate(with_changes(HEALTHY, leg_days_per_week=1))))
    assert "All your leg work is crammed into 1 day." in split
    assert "(say Tuesday and Friday)" in split
    assert why_label("frequency") == "Why leg days a week?"
    assert rule_title("explosive") == "Explosive reps"
    with i18n.use("ru"):
        assert why_label("protein") == "Почему важен белок?"
    assert why_label("protein") == "Why protein?"  # the language is the block's only
