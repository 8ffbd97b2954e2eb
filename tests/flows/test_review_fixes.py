"""What a read through the whole journey found, in English and Russian: the program advice
names its muscle group, one set gives one rounded maximum everywhere, the export says what
the user said and names its unit, its CSV holds codes only, /progress points to the next
step that is missing, /measure counts its questions without jumps, and Russian goes on in
lower case after a colon that code joins on."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from typing import Any

import pytest

from flows import i18n, lifts
from flows.account import progress
from flows.catching_up import View, trend, weekly
from flows.core import Profile
from flows.export import answer_lines, checkins_csv, render_summary
from flows.lifts import BENCH, KG_PER_LB, SQUAT, LiftSet
from flows.rules import evaluate
from flows.texts import catching_up as lag_texts
from flows.texts import plain, render
from flows.texts.assessment import SAME_WEEKS
from flows.texts.diagnosis import (
    after_colon,
    render_problems,
    render_strengths,
    render_why,
    rule_title,
)
from flows.texts.diagnosis import (
    render_summary as render_diagnosis,
)
from tests.flows.driver import NOW, Chat
from tests.flows.test_i18n_files import document
from tests.flows.test_rules import BEGINNER, HEALTHY, with_changes

TODAY = date(2026, 11, 17)


def in_language(language: str, render_it: Any) -> Any:
    with i18n.use(language):
        return render_it()


# ---- 1. the program advice names the muscle group ---------------------------------------------


@pytest.mark.parametrize(
    ("front", "back", "english", "russian"),
    [
        (
            5,
            1,
            [
                "add back-thigh exercises (leg curls, Romanian deadlifts) up to the range.",
                "Cut front-thigh exercises down to the range",
            ],
            [
                "добавь упражнения на бицепс бедра (сгибания ног, румынская тяга)",
                "Сократи упражнения на квадрицепсы до нормы",
            ],
        ),
        (
            1,
            2,
            ["add front-thigh exercises (leg press, hack squat) up to the range."],
            ["добавь упражнения на квадрицепсы (жим ногами, гакк-присед), чтобы выйти на норму."],
        ),
        (
            1,
            0,
            ["add front-thigh exercises (leg press, hack squat) and back-thigh exercises"],
            ["добавь упражнения на квадрицепсы (жим ногами, гакк-присед) и на бицепс бедра"],
        ),
        (
            6,
            5,
            ["cut front-thigh and back-thigh exercises down to the range"],
            ["сократи упражнения на квадрицепсы и на бицепс бедра до нормы"],
        ),
    ],
)
def test_the_program_advice_names_each_muscle_group(
    front: int, back: int, english: list[str], russian: list[str]
) -> None:
    diagnosis = evaluate(with_changes(HEALTHY, front_exercises=front, back_exercises=back))
    for language, expected in (("en", english), ("ru", russian)):
        text = in_language(language, lambda: "\n".join(render_problems(diagnosis)))
        for part in expected:
            assert part in text, (language, part)
    text = in_language("ru", lambda: "\n".join(render_problems(diagnosis)))
    assert "добавь упражнения (" not in text and "ократи до нормы" not in text


# ---- 2. one set, one rounded maximum ----------------------------------------------------------


def catching_up_view(sets: list[LiftSet], unit: str, language: str) -> str:
    weeks = weekly(sets, [], TODAY)
    found = trend(weeks, sets, TODAY, [])
    return in_language(language, lambda: lag_texts.render_view(View(weeks, found, None), unit))


def test_a_set_in_pounds_shows_the_same_whole_maximum_in_log_and_progress() -> None:
    squat = LiftSet(TODAY, SQUAT, 230 * KG_PER_LB, 5, unit="lb")  # 230 x (1 + 5/30) = 268.3
    bench = LiftSet(TODAY - timedelta(days=30), BENCH, 200 * KG_PER_LB, 5, "lb", "assessment")
    in_log = in_language("ru", lambda: lifts.format_estimate(lifts.estimate(squat).kg, "lb"))
    assert in_log == "270 фунт."
    russian = catching_up_view([bench, squat], "lb", "ru")
    assert "присед 270 фунт." in russian and "268,3" not in russian
    english = catching_up_view([bench, squat], "lb", "en")
    assert "squat 270 lb" in english and "268.3" not in english


@pytest.mark.parametrize("unit", ["kg", "lb"])
def test_every_set_rounds_the_same_in_log_and_progress(unit: str) -> None:
    typed = range(100, 400, 3) if unit == "lb" else range(40, 200, 1)
    for amount in typed:
        for reps in (1, 3, 5, 8, 12):
            kg = amount * KG_PER_LB if unit == "lb" else amount + 0.25 * (reps % 2)
            lift_set = LiftSet(TODAY, SQUAT, kg, reps, unit=unit)
            [week] = weekly([lift_set], [], TODAY, weeks=1)
            assert week.squat_1rm_kg is not None
            shown = lag_texts.weight_text(week.squat_1rm_kg, unit)
            assert shown == lifts.format_estimate(lifts.estimate(lift_set).kg, unit)
            if unit == "lb":
                assert "." not in shown.removesuffix(" lb")


# ---- 2. how long ago the program changed, as said ----------------------------------------------


@pytest.mark.parametrize(
    ("weeks", "english", "russian"),
    [
        (8.7, "about 2 months", "около 2 месяцев"),  # "a couple of months", «пару месяцев»
        (4.3, "about 1 month", "около 1 месяца"),
        (13.0, "about 3 months", "около 3 месяцев"),
        (52.0, "about 1 year", "около 1 года"),
        (104.0, "about 2 years", "около 2 лет"),
        (8.0, "8 weeks", "8 недель"),  # the "1-3 months" button
        (21.0, "21 weeks", "21 неделя"),
        (2.5, "2.5 weeks", "2,5 недели"),
    ],
)
def test_weeks_since_the_program_changed_read_as_said(
    weeks: float, english: str, russian: str
) -> None:
    assert in_language("en", lambda: SAME_WEEKS(weeks)) == english
    assert in_language("ru", lambda: SAME_WEEKS(weeks)) == russian


def test_the_export_shows_a_couple_of_months_as_months() -> None:
    answers = with_changes(HEALTHY, weeks_since_program_change=8.7)
    russian = "\n".join(in_language("ru", lambda: answer_lines(answers)))
    assert "**около 2 месяцев**" in russian and "8,7" not in russian
    english = "\n".join(answer_lines(answers))
    assert "**about 2 months**" in english and "8.7" not in english


# ---- 3. the export names its unit; its CSV holds codes -----------------------------------------


def test_the_export_names_the_weight_unit() -> None:
    assert "- Единицы веса: фунты" in in_language("ru", lambda: render_summary(document()))
    assert "- Weight unit: pounds" in render_summary(document())
    kilograms = document(settings={**document()["settings"], "weight_unit": "kg"})
    assert "- Единицы веса: килограммы" in in_language("ru", lambda: render_summary(kilograms))


@pytest.mark.parametrize("language", ["en", "ru"])
def test_the_csv_is_the_same_codes_in_every_language(language: str) -> None:
    content = in_language(language, lambda: checkins_csv(document()["check_ins"]).decode())
    rows = list(csv.DictReader(io.StringIO(content)))
    assert [row["weekday"] for row in rows] == ["monday", "tuesday"]
    assert rows[0]["carbs_level"] == "moderate" and rows[1]["leg_day"] == "done"
    assert content == checkins_csv(document()["check_ins"]).decode()


# ---- 4. /progress before the first check-in -----------------------------------------------------


@pytest.mark.parametrize(
    ("profile", "command", "not_there"),
    [
        (Profile(user_id=1), "/start", "/plan"),
        (Profile(user_id=1, latest_answers=HEALTHY), "/plan", "/start"),
        (
            Profile(user_id=1, latest_answers=HEALTHY, plan_weekdays=(1, 4), checkins_paused=True),
            "/settings",
            "/start",
        ),
    ],
)
@pytest.mark.parametrize("language", ["en", "ru"])
def test_progress_without_check_ins_points_to_the_missing_step(
    profile: Profile, command: str, not_there: str, language: str
) -> None:
    replies, _ = progress(profile, NOW)
    text = in_language(language, lambda: render(replies[0]))
    assert command in text and not_there not in text


def test_progress_with_a_plan_waits_for_the_check_in() -> None:
    profile = Profile(user_id=1, latest_answers=HEALTHY, plan_weekdays=(1, 4))
    replies, _ = progress(profile, NOW)
    text = render(replies[0])
    assert "Once you answer the daily check-in" in text and "/start" not in text


# ---- 5. /measure counts its questions without jumps --------------------------------------------


def measure_heads(chat: Chat, answers: list[str], language: str) -> list[str]:
    heads = []
    for step in [None, *answers]:
        replies = chat.command("measure") if step is None else chat.text(step)
        text = in_language(language, lambda replies=replies: render(replies[-1]))
        heads.append(text.split("\n", 1)[0])
    return heads


def test_measure_counts_every_question_that_may_come() -> None:
    heads = measure_heads(Chat(Profile(user_id=1)), ["82 kg", "yes", "58", "38"], "en")
    assert heads == [f"<i>Measurements · {n}/5</i>" for n in range(1, 6)]


def test_measure_count_shrinks_when_the_tape_is_left_out() -> None:
    chat = Chat(Profile(user_id=1))
    heads = measure_heads(chat, ["82 kg"], "ru")
    assert heads == ["<i>Замеры · 1/5</i>", "<i>Замеры · 2/5</i>"]
    chat.text("нет")
    assert chat.conversation is not None and chat.conversation.flow == ""


# ---- 7. lower case after a joined colon in Russian, English as it was ---------------------------


def test_russian_goes_on_in_lower_case_after_a_colon() -> None:
    diagnosis = evaluate(BEGINNER)
    with i18n.use("ru"):
        strengths = "\n".join(render_strengths(diagnosis))
        why = plain(render_why(diagnosis, "technique"))
        summary = render_diagnosis(diagnosis)
        titles = [rule_title(rule) for rule in ("calories", "protein", "strength_work")]
        exported = render_summary(
            document(
                assessments=[
                    {
                        "taken_at": "2026-11-01T08:05+01:00",
                        "holding_legs_back": [{"title": title} for title in titles],
                        "answers": dict(HEALTHY),
                    }
                ]
            )
        )
    for line in [*strengths.split("\n"), *summary.split("\n")]:
        if "</b>: " in line:
            after = line.split("</b>: ", 1)[1]
            assert not after[:1].isupper() or after[1:2].isupper(), line
    assert "Для тебя: технику приседа" in why
    assert "Что тогда тормозило твои ноги: калории, белок и силовая работа." in exported


def test_english_keeps_its_capitals_after_a_colon() -> None:
    diagnosis = evaluate(BEGINNER)
    strengths = "\n".join(render_strengths(diagnosis))
    after = [line.split("</b>: ", 1)[1] for line in strengths.split("\n") if "</b>: " in line]
    assert any(text[:1].isupper() for text in after)
    assert "For you: Nobody has checked your squat" in plain(render_why(diagnosis, "technique"))
    assert after_colon("Calories") == "Calories"
    with i18n.use("ru"):
        assert after_colon("Калории") == "калории"
        assert after_colon("ATP") == "ATP" and after_colon("1ПМ") == "1ПМ"


@pytest.mark.parametrize("typed", ["Intermediate (1-3 years)", "intermediate (1–3 years)"])
def test_a_range_label_is_taken_whichever_dash_is_typed(typed: str) -> None:
    chat = Chat()
    chat.command("start")
    replies = chat.text(typed)
    assert replies[-1].key == "q.recovery"
    assert chat.conversation is not None
    assert chat.conversation.data["answers"]["experience"] == "intermediate"


def test_a_sentence_ending_in_an_abbreviation_keeps_one_full_stop() -> None:
    from flows.texts import render_key

    with i18n.use("ru"):
        text = render_key(
            "catching_up.tape",
            {"day": "14 янв.", "changes": "бедро +0,6 дюйм.", "verdict": ""},
        )
        plain_end = render_key(
            "catching_up.tape", {"day": "14 янв.", "changes": "бедро +0,6 см", "verdict": ""}
        )
    assert text.endswith("бедро +0,6 дюйм.") and ".." not in text
    assert plain_end.endswith("бедро +0,6 см.")
