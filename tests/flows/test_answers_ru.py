"""Ordinary Russian answers, as a Russian speaker types them, understood by the questions
that ask for them: numbers said in words («два раза», «полтора часа», «семь с половиной»),
the number after its unit («месяца 2», «секунд 30»), a half of a unit («полминуты»), words
around a choice («в основном тренажёры»), a set that names its lift («жим лёжа 140 на 5»)
and the /plan menu answered in words («другие», «пн и чт»)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from flows import assessment, checkin, i18n, parsing
from flows.answers import Answers
from flows.core import Profile
from flows.interview import Interview, Turn
from flows.texts.assessment import CHOICES as ASSESSMENT_CHOICES
from flows.texts.checkin import CHOICES as CHECKIN_CHOICES
from flows.texts.checkin import LEG_DAY_LABELS
from tests.flows.driver import NOW, Chat


@pytest.fixture(autouse=True)
def russian() -> Iterator[None]:
    with i18n.use("ru"):
        yield


def answer(interview: Interview[Any], name: str, typed: str) -> parsing.Parsed[Any]:
    """What a question makes of a typed answer, a typed button label included."""
    data: Any = (
        assessment.AssessmentData()
        if interview is assessment.INTERVIEW
        else checkin.CheckinData(date(2026, 11, 17))
    )
    profile = Profile(user_id=7, language="ru")
    value = interview.typed_value(name, Turn(data, profile, NOW), typed)
    return interview.question(name).parse(value, profile)


def assessed(name: str, typed: str) -> parsing.Parsed[Any]:
    return answer(assessment.INTERVIEW, name, typed)


# ---- the assessment ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "days"),
    [
        ("раз в неделю", 1),
        ("один раз", 1),
        ("один раз в неделю", 1),
        ("1 раз", 1),
        ("два", 2),
        ("два раза", 2),
        ("2 раза в неделю", 2),
        ("раза 2", 2),
        ("три раза в неделю", 3),
        ("четыре", 4),
        ("ноль", 0),
    ],
)
def test_leg_days_a_week(typed: str, days: int) -> None:
    assert assessed("leg_days_per_week", typed) == parsing.ok(days)


@pytest.mark.parametrize(
    ("typed", "level"),
    [
        ("полтора года", "intermediate"),
        ("года полтора", "intermediate"),
        ("2 года", "intermediate"),
        ("два года", "intermediate"),
        ("пару лет", "intermediate"),
        ("лет пять", "advanced"),
        ("полгода", "beginner"),
        ("месяцев 8", "beginner"),
        ("около трёх лет", "advanced"),
    ],
)
def test_experience_as_time_trained(typed: str, level: str) -> None:
    assert assessed("experience", typed) == parsing.ok(level)


@pytest.mark.parametrize(
    ("typed", "recovery"),
    [
        ("нормально восстанавливаюсь", "average"),
        ("восстанавливаюсь нормально", "average"),
        ("быстро восстанавливаюсь", "good"),
        ("обычно хорошо", "good"),
        ("медленно восстанавливаюсь", "poor"),
        ("Часто нет сил", "poor"),  # the button's label, typed
        ("часто нет сил.", "poor"),
    ],
)
def test_recovery(typed: str, recovery: str) -> None:
    assert assessed("recovery", typed) == parsing.ok(recovery)


@pytest.mark.parametrize(
    ("typed", "training"),
    [
        ("в основном тренажёры", "machines"),
        ("в основном тренажеры", "machines"),
        ("тренажёры, в основном", "machines"),
        ("на тренажёрах", "machines"),
        ("в основном приседания", "free_weights"),
    ],
)
def test_leg_training(typed: str, training: str) -> None:
    assert assessed("leg_training", typed) == parsing.ok(training)


@pytest.mark.parametrize(
    ("typed", "seconds"),
    [
        ("секунд 30", 30),
        ("полминуты", 30),
        ("пол минуты", 30),
        ("30 сек", 30),
        ("тридцать секунд", 30),
        ("секунд сорок", 40),
        ("минуту", 60),
        ("минута с половиной", 90),
    ],
)
def test_calf_set_length(typed: str, seconds: int) -> None:
    assert assessed("calf_set_seconds", typed) == parsing.ok(seconds)


@pytest.mark.parametrize(
    ("typed", "weeks"),
    [
        ("месяца 2", 8.7),
        ("пару месяцев", 8.7),
        ("два месяца", 8.7),
        ("недели три", 3.0),
        ("полтора месяца", 6.5),
        ("полгода", 26.0),
        ("месяц назад", 4.3),
    ],
)
def test_time_since_the_program_changed(typed: str, weeks: float) -> None:
    assert assessed("weeks_since_program_change", typed) == parsing.ok(weeks)


@pytest.mark.parametrize(
    ("typed", "minutes"),
    [
        ("полтора часа", 90),
        ("1,5 часа", 90),
        ("часа полтора", 90),
        ("полчаса", 30),
        ("час", 60),
        ("час с половиной", 90),
        ("два с половиной часа", 150),
        ("два часа в неделю", 120),
        ("минут 40", 40),
        ("сорок минут", 40),
    ],
)
def test_weekly_cardio(typed: str, minutes: int) -> None:
    assert assessed("cardio_minutes_week", typed) == parsing.ok(minutes)


def test_a_bare_number_in_words_is_asked_about_like_digits() -> None:
    assert assessed("cardio_minutes_week", "два") == assessed("cardio_minutes_week", "2")
    assert assessed("cardio_minutes_week", "два").error == parsing.AMBIGUOUS


@pytest.mark.parametrize(
    ("typed", "naps"),
    [("иногда", True), ("бывает", True), ("часто", True), ("редко", False), ("никогда", False)],
)
def test_how_often_one_naps(typed: str, naps: bool) -> None:
    """The question is yes or no: napping now and then is yes, seldom is no."""
    assert assessed("naps", typed) == parsing.ok(naps)


@pytest.mark.parametrize(
    ("typed", "hours"),
    [("7 с половиной", 7.5), ("семь с половиной", 7.5), ("7 часов с половиной", 7.5)],
)
def test_sleep(typed: str, hours: float) -> None:
    assert assessed("sleep_hours", typed) == parsing.ok(hours)


@pytest.mark.parametrize(
    ("question", "typed", "lift_set"),
    [
        ("bench_set", "жим лёжа 140 на 5", (140.0, 5, "kg")),
        ("bench_set", "жим лежа: 100 x 8", (100.0, 8, "kg")),
        ("bench_set", "жим 100 кг на 5", (100.0, 5, "kg")),
        ("leg_lift_set", "присед 140 на 5", (140.0, 5, "kg")),
        ("leg_lift_set", "жим ногами 200 на 10", (200.0, 10, "kg")),
    ],
)
def test_a_set_that_names_its_lift(question: str, typed: str, lift_set: Any) -> None:
    assert assessed(question, typed) == parsing.ok(lift_set)


def test_a_set_named_after_another_lift_is_not_read() -> None:
    assert not assessed("bench_set", "присед 140 на 5").ok
    assert not assessed("bench_set", "жим ногами 200 на 10").ok


def _labels(interview: Interview[Any]) -> list[tuple[str, str, str]]:
    with i18n.use("ru"):
        return [
            (question, label, value)
            for question, buttons in (
                ASSESSMENT_CHOICES if interview is assessment.INTERVIEW else CHECKIN_CHOICES
            ).items()
            for label, value in buttons
        ]


@pytest.mark.parametrize(
    ("interview", "question", "label", "value"),
    [
        *((assessment.INTERVIEW, *button) for button in _labels(assessment.INTERVIEW)),
        *((checkin.INTERVIEW, *button) for button in _labels(checkin.INTERVIEW)),
    ],
)
def test_a_russian_button_label_typed_is_the_button(
    interview: Interview[Any], question: str, label: str, value: str
) -> None:
    """Typed as it reads, in lower case or with «е» for «ё»: the same as the tap."""
    tapped = interview.question(question).parse(value, Profile(user_id=7))
    assert tapped.ok
    for typed in (label, label.lower().replace("ё", "е")):
        assert answer(interview, question, typed) == tapped


# ---- the check-in --------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["бег", "бег трусцой", "пробежка"])
def test_checkin_cardio_kind(typed: str) -> None:
    assert answer(checkin.INTERVIEW, "cardio_kind", typed) == parsing.ok("steady")


@pytest.mark.parametrize(
    ("typed", "hours"),
    [("7 с половиной", 7.5), ("семь с половиной", 7.5), ("часов 7", 7.0), ("восемь", 8.0)],
)
def test_checkin_sleep(typed: str, hours: float) -> None:
    assert answer(checkin.INTERVIEW, "sleep_hours", typed) == parsing.ok(hours)


def test_a_half_is_read_in_either_language_whatever_the_users() -> None:
    for language in ("en", "ru"):
        with i18n.use(language):
            assert answer(checkin.INTERVIEW, "sleep_hours", "7 and a half") == parsing.ok(7.5)
            assert answer(checkin.INTERVIEW, "sleep_hours", "7 с половиной") == parsing.ok(7.5)


@pytest.mark.parametrize(("typed", "minutes"), [("полчаса", 30), ("минут 40", 40)])
def test_checkin_cardio_minutes(typed: str, minutes: int) -> None:
    assert answer(checkin.INTERVIEW, "cardio_minutes", typed) == parsing.ok(minutes)


# ---- numbers said in words -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ("два", "2"),
        ("одну", "1"),
        ("десять", "10"),
        ("сто двадцать пять", "125"),
        ("полтора часа", "1.5 часа"),
        ("полторы минуты", "1.5 минуты"),
        ("пару месяцев", "2 месяцев"),
        ("полчаса", "0.5 часа"),
        ("пол часа", "0.5 часа"),
        ("7 с половиной", "7.5"),
        ("месяца 2", "2 месяца"),
        ("года полтора", "1.5 года"),
        ("час", "1 час"),
        ("раз в неделю", "1 раз в неделю"),
        ("2,400 ккал", "2,400 ккал"),  # digits stay as they were typed
        ("7 and a half", "7 and a half"),
        ("час 30", "час 30"),  # a singular unit before a number is not a number after it
    ],
)
def test_said_numbers(typed: str, written: str) -> None:
    assert parsing.said_numbers(typed) == written


# ---- the plan ------------------------------------------------------------------------------

PLANNER: Answers = {
    "experience": "intermediate",
    "recovery": "good",
    "weight_kg": 82.0,
    "weight_unit": "kg",
    "form_checked": True,
    "chases_heavy": False,
}


def planner() -> Chat:
    chat = Chat(Profile(user_id=3, latest_answers=PLANNER, language="ru"))
    assert chat.command("plan")[0].key == "plan.proposal.split"
    return chat


@pytest.mark.parametrize("typed", ["другие", "Другие дни", "выбрать другие", "другие!"])
def test_plan_other_days_in_words(typed: str) -> None:
    chat = planner()
    chat.text(typed)
    assert chat.state == "pick_days"


@pytest.mark.parametrize("typed", ["оставить", "Оставить эти дни", "оставить эти"])
def test_plan_keep_in_words(typed: str) -> None:
    chat = planner()
    chat.text(typed)
    assert chat.state == "ask_time"


def test_plan_weekdays_typed_at_the_proposal() -> None:
    chat = planner()
    replies = chat.text("пн и чт")
    assert chat.state == "ask_time"
    assert replies[-1].key == "time.prompt"
    assert chat.conversation is not None
    assert chat.conversation.data["weekdays"] == [0, 3]


def test_plan_weekdays_that_do_not_fit_go_to_the_picker() -> None:
    chat = planner()
    chat.text("пн и вт")  # two days in a row for a split: refused, with a suggestion
    assert chat.state == "pick_days"


def test_plan_words_in_both_labels_are_not_guessed() -> None:
    chat = planner()
    assert chat.text("дни")[0].key == "leg_plan.not_understood"
    assert chat.state == "propose"


@pytest.mark.parametrize("value", ["done", "skipped", "rest"])
def test_checkin_leg_day_label_typed(value: str) -> None:
    label = LEG_DAY_LABELS[value]
    assert answer(checkin.INTERVIEW, "leg_day", label.lower()) == parsing.ok(value)
