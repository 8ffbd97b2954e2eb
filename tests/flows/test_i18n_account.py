"""The user's own corner in Russian: /settings, /log, /measure, /delete, /export and /progress
driven through the router under i18n.use("ru"), every reply and button rendered and read for
English words; lift sets and amounts as Russian writes them, and read back; English unchanged."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from flows import i18n, lifts
from flows.core import Event, Profile, Reply
from flows.lifts import LiftSet, Measurement
from flows.log_lifts import SaveLiftSets
from flows.measure import SaveMeasurement
from flows.settings import UpdateSettings
from flows.texts import render
from tests.flows.driver import Chat
from tests.flows.i18n_check import english_words

# The /language buttons name each language in its own name.
OWN_NAMES = frozenset(i18n.LANGUAGES.values())


@pytest.fixture(autouse=True)
def russian() -> Iterator[None]:
    with i18n.use("ru"):
        yield


def lifter(**profile: Any) -> Chat:
    fields: dict[str, Any] = {
        "user_id": 11,
        "language": "ru",
        "has_data": True,
        "lift_sets": (
            LiftSet(date(2026, 11, 10), "back_squat", 100.0, 5),
            LiftSet(date(2026, 11, 10), "leg_press", 180.0, 10),
        ),
        "measurements": (Measurement(date(2026, 10, 1), 80.0, 58.0, 38.0, 36.0),),
    }
    return Chat(Profile(**{**fields, **profile}))


def english_in(replies: list[Reply]) -> list[tuple[str, list[str]]]:
    """The English words of each reply's text and buttons, by text key."""
    found = []
    for reply in replies:
        shown = [render(reply), *(choice.label for row in reply.choices for choice in row)]
        words = [word for text in shown for word in english_words(text) if word not in OWN_NAMES]
        if words:
            found.append((reply.key, words))
    return found


def conversation(chat: Chat, steps: list[str]) -> list[Reply]:
    """Every reply to `steps`: "/command", "button=value", "<sticker>", or typed text."""
    replies: list[Reply] = []
    for step in steps:
        if step.startswith("/"):
            name, _, args = step[1:].partition(" ")
            replies += chat.send(Event.command(name, args))
        elif step.startswith("<"):
            replies += chat.send(Event.other(step.strip("<>")))
        elif "=" in step and " " not in step:
            replies += chat.press(step)
        else:
            replies += chat.text(step)
    return replies


def test_settings_in_russian() -> None:
    chat = lifter(summary_weekday=4, checkin_time="21:30")
    replies = conversation(
        chat,
        [
            "/settings",
            "что это",
            "<sticker>",
            "⚖️ Единицы",
            "граммы",
            "фунты",
            "settings=time",
            "25:00",
            "после ужина",
            "21:30",
            "settings=weekday",
            "когда-нибудь",
            "в пятницу",
            "settings=zone",
            "<photo>",
            "zone=Europe/Moscow",
            "settings=language",
            "клингонский",
            "/back",
            "settings=pause",
            "settings=resume",
            "x" * 300,
            "/back",
            "Готово",
        ],
    )
    assert english_in(replies) == []
    assert [effect for effect in chat.effects if isinstance(effect, UpdateSettings)] == [
        UpdateSettings(weight_unit="lb"),
        UpdateSettings(checkin_time="21:30"),
        UpdateSettings(summary_weekday=4),
        UpdateSettings(timezone="Europe/Moscow"),
        UpdateSettings(checkins_paused=True),
        UpdateSettings(checkins_paused=False),
    ]
    menu = render(next(reply for reply in replies if reply.key == "settings.menu"))
    assert "⚖️ Единицы: <b>кг</b>" in menu
    assert "📊 Итоги недели: по <b>пятницам</b> вечером" in menu
    assert replies[-1].key == "settings.closed"


@pytest.mark.parametrize(
    ("typed", "weekday"), [("воскресенье", 6), ("Пн", 0), ("в среду", 2), ("по субботам", 5)]
)
def test_a_summary_day_typed_in_russian(typed: str, weekday: int) -> None:
    chat = lifter()
    conversation(chat, ["/settings", "settings=weekday", typed])
    assert chat.effects == [UpdateSettings(summary_weekday=weekday)]


def test_settings_weekday_buttons_are_russian_abbreviations() -> None:
    chat = lifter()
    [question] = conversation(chat, ["/settings", "settings=weekday"])[1:]
    labels = [choice.label for row in question.choices for choice in row]
    assert labels == ["Пн", "Вт", "Ср", "Чт", "Пт", "Сб", "Вс"]


def test_log_in_russian() -> None:
    chat = lifter()
    replies = conversation(
        chat,
        [
            "/log",
            "100 кг",
            "х 5",
            "штанга",
            "<voice>",
            "1025 х 5",
            "да",
            "/back",
            "/log",
            "back_squat=same",
            "180 кг на 8",
            "romanian_deadlift=skip",
        ],
    )
    assert english_in(replies) == []
    saved = [effect for effect in chat.effects if isinstance(effect, SaveLiftSets)]
    assert [(s.lift, s.weight_kg, s.reps) for s in saved[0].sets] == [
        ("back_squat", 100.0, 5),
        ("leg_press", 180.0, 8),
    ]
    assert render(replies[-1]) == (
        "✅ Записано за вт, 17 нояб.:\n"
        "• Присед со штангой: 100 кг × 5, 1ПМ ≈ 117,5 кг\n"
        "• Жим ногами: 180 кг × 8, 1ПМ ≈ 227,5 кг"
    )


def test_log_buttons_and_a_far_jump_in_russian() -> None:
    chat = lifter()
    [question] = chat.command("log")
    labels = [choice.label for row in question.choices for choice in row]
    assert labels == ["+2,5 кг → 102,5 кг × 5", "Как в прошлый раз: 100 кг × 5", "Пропустить"]
    # The button carries the set as the parser reads it, in any language.
    assert question.choice_values[0] == "back_squat=102.5 kg x 5"
    typed = chat.text("+2,5 кг → 102,5 кг × 5")
    assert typed[-1].values["lift"] == "Жим ногами"
    far = chat.text("400 на 8")
    assert far[0].key == "log.check.up"
    assert english_in(far) == []
    assert render(far[0]) == (
        "Это больше чем вдвое тяжелее 180 кг, записанных в прошлый раз. <b>400 кг × 8</b> — точно?"
    )
    assert [choice.label for row in far[0].choices for choice in row] == [
        "Да, 400 кг × 8",
        "Нет, напишу заново",
    ]
    assert chat.text("Нет, напишу заново")[0].key == "log.retype"


def test_log_in_pounds_in_russian() -> None:
    chat = lifter(
        weight_unit="lb", lift_sets=(LiftSet(date(2026, 11, 10), "back_squat", 102.058, 5, "lb"),)
    )
    [question] = chat.command("log")
    assert "например <b>225 фунт. × 8</b>" in render(question)
    assert "225 фунт. × 5" in render(question)
    labels = [choice.label for row in question.choices for choice in row]
    assert labels[0] == "+5 фунт. → 230 фунт. × 5"
    assert english_in([question]) == []


def test_measure_in_russian() -> None:
    chat = lifter()
    replies = conversation(
        chat,
        [
            "/measure",
            "тяжёлый",
            "81,5 кг",
            "может быть",
            "да",
            "59 см",
            "23",
            "да",
            "<sticker>",
            "arm_cm=skip",
        ],
    )
    assert english_in(replies) == []
    [saved] = [effect for effect in chat.effects if isinstance(effect, SaveMeasurement)]
    assert (saved.body_weight_kg, saved.thigh_cm, saved.calf_cm, saved.arm_cm) == (
        81.5,
        59.0,
        23.0,
        None,
    )
    assert render(replies[-1]) == (
        "✅ Замеры за вт, 17 нояб.:\n"
        "• Вес тела: 81,5 кг (+1,5 кг с 1 октября)\n"
        "• Бедро: 59 см (+1 см с 1 октября)\n"
        "• Икра: 23 см (−15 см с 1 октября)"
    )


def test_measure_in_inches_in_russian() -> None:
    chat = lifter(weight_unit="lb")
    replies = conversation(chat, ["/measure", "body_weight=skip", "да"])
    assert "📏 <b>Бедро</b>, в дюймах." in render(replies[-1])
    assert "В прошлый раз (чт, 1 окт.): 22,8 дюйм." in render(replies[-1])
    assert english_in(replies) == []


def test_the_weigh_in_offer_in_russian() -> None:
    from flows.measure import offer_reply

    profile = Profile(
        user_id=11, language="ru", measurements=(Measurement(date(2026, 10, 1), 80.0),)
    )
    offer = offer_reply(profile, date(2026, 11, 17))
    assert offer is not None
    assert english_in([offer]) == []
    assert offer.choices[0][0].label == "📏 Замерить сейчас"


@pytest.mark.parametrize(
    ("steps", "deleted"),
    [
        (["/delete", "может", "/help", "нет"], False),
        (["/delete", "удалить"], True),
        (["/delete", "delete=yes"], True),
        (["/delete", "Да, удалить всё"], True),
        (["/delete", "/cancel"], False),
    ],
)
def test_delete_in_russian(steps: list[str], deleted: bool) -> None:
    chat = lifter()
    replies = conversation(chat, steps)
    assert english_in(replies) == []
    assert bool(chat.effects) is deleted


def test_export_and_progress_answers_in_russian() -> None:
    chat = lifter()
    replies = conversation(chat, ["/export", "/progress 90"])
    assert [reply.key for reply in replies][:2] == [
        "account.export.ready",
        "account.progress.bad_period",
    ]
    assert english_in(replies) == []
    nothing = conversation(lifter(has_data=False), ["/export", "/delete"])
    assert english_in(nothing) == []


@pytest.mark.parametrize(("args", "days"), [("30 дней", 30), ("7 д", 7), ("30 дн.", 30)])
def test_progress_periods_typed_in_russian(args: str, days: int) -> None:
    from flows.account import parse_period

    assert parse_period(args) == days


# ---- sets and amounts ------------------------------------------------------------------------


def test_sets_and_amounts_as_russian_writes_them() -> None:
    assert lifts.format_set(102.5, 8, "kg") == "102,5 кг × 8"
    assert lifts.format_set(lifts.to_kg(225, "lb"), 5, "lb") == "225 фунт. × 5"
    assert lifts.format_weight(800.0, "lb") == "1763,7 фунт."  # never grouped: it is read back
    assert lifts.format_estimate(120.3, "kg") == "120 кг"
    assert lifts.format_length(58.5, "cm") == "58,5 см"
    assert lifts.format_length(58.42, "in") == "23 дюйм."
    # What the buttons carry stays the same in every language.
    assert lifts.typed_set(102.5, 8, "kg") == "102.5 kg x 8"


def test_english_sets_and_amounts_are_unchanged() -> None:
    with i18n.use("en"):
        assert lifts.format_set(102.5, 8, "kg") == "102.5 kg x 8"
        assert lifts.format_set(lifts.to_kg(225, "lb"), 5, "lb") == "225 lb x 5"
        assert lifts.format_weight(800.0, "lb") == "1763.7 lb"
        assert lifts.format_length(58.42, "in") == "23 in"


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("102,5 кг × 8", (102.5, 8, "kg")),
        ("100 кг х 5", (100.0, 5, "kg")),  # a Cyrillic х
        ("100х5", (100.0, 5, "kg")),
        ("100 кг на 5", (100.0, 5, "kg")),
        ("100 на 5 повторений", (100.0, 5, "kg")),
        ("100 кг 5 повторов", (100.0, 5, "kg")),
        ("5 раз по 100 кг", (100.0, 5, "kg")),
        ("около 100 кг на 5", (100.0, 5, "kg")),
        ("225 фунт. × 5", (102.058, 5, "lb")),
        ("225 фунтов на 5", (102.058, 5, "lb")),
    ],
)
def test_sets_typed_in_russian_are_read(typed: str, value: tuple[float, int, str]) -> None:
    parsed = lifts.parse_set(typed, "kg", "back_squat")
    assert parsed.ok and parsed.value is not None
    kg, reps, unit = parsed.value
    assert (round(kg, 3), reps, unit) == value


@pytest.mark.parametrize(("typed", "error"), [("100 кг", "no_reps"), ("х 5", "no_weight")])
def test_half_sets_typed_in_russian_say_what_is_missing(typed: str, error: str) -> None:
    assert lifts.parse_set(typed, "kg", "back_squat").error == error


def test_every_set_shown_reads_back_as_the_same_set() -> None:
    for kg, reps, unit in [(102.5, 8, "kg"), (lifts.to_kg(225, "lb"), 5, "lb"), (450.0, 1, "kg")]:
        for language in i18n.LANGUAGES:
            with i18n.use(language):
                shown = lifts.format_set(kg, reps, unit)
            parsed = lifts.parse_set(shown, "kg", "back_squat")
            assert parsed.value == (kg, reps, unit), shown


@pytest.mark.parametrize(
    ("typed", "cm"),
    [("58 см", 58.0), ("58,5 сантиметров", 58.5), ("23 дюйм.", 58.4), ("23 дюйма", 58.4)],
)
def test_lengths_typed_in_russian(typed: str, cm: float) -> None:
    assert lifts.parse_length(typed, "cm", "thigh_cm").value == cm
