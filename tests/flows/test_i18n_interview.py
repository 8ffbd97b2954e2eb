"""The interviews and the shared texts in Russian: the assessment, the check-in, the question
engine, the router's own messages, the command menu and the delivery notices.

Typed answers are English (or button values): the parsers read them in any language, and no
reply here quotes one back, so every Latin word found would be an English text left behind."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, date, datetime, timedelta
from typing import Any, cast

import pytest

from flows import app, checkin, diagnosis, i18n, registry
from flows.answers import Answers
from flows.assessment import QUESTIONS, SaveAssessment
from flows.core import Conversation, Event, Profile, Reply
from flows.interview import MESSAGE_KINDS, reading_label
from flows.rules import evaluate
from flows.texts import TEXTS, common, delivery, render, render_key
from flows.texts import assessment as assessment_texts
from flows.texts import checkin as checkin_texts
from tests.flows.driver import NOW, TYPED, Chat
from tests.flows.i18n_check import english_words

TUESDAY = date(2026, 11, 17)  # NOW's local day in UTC
ASSESSED = {"experience": "intermediate", "weight_kg": 82.0, "weight_unit": "kg"}


@pytest.fixture(autouse=True)
def _russian() -> Iterator[None]:
    with i18n.use("ru"):
        yield


def shown(reply: Reply) -> list[str]:
    """A reply as the user sees it: its text and its button labels."""
    return [render(reply), *(choice.label for row in reply.choices for choice in row)]


def latin(replies: Iterable[Reply]) -> list[str]:
    return [word for reply in replies for text in shown(reply) for word in english_words(text)]


def labels(reply: Reply) -> list[str]:
    return [choice.label for row in reply.choices for choice in row]


def _finished_by_others(chat: Chat, replies: list[Reply]) -> list[Reply]:
    """The replies of an assessment's end that other texts write: the diagnosis summary and
    the change since the last assessment (tested with the diagnosis and account texts)."""
    [saved] = [effect for effect in chat.effects if isinstance(effect, SaveAssessment)]
    answers = cast(Answers, saved.answers)
    summary = diagnosis.summary_replies(
        evaluate(answers), diagnosis.weight_unit(answers, chat.profile)
    )
    return [r for r in replies if r in summary or r.key.startswith("account.")]


# ---- the assessment ---------------------------------------------------------------------------


def test_a_whole_assessment_speaks_russian() -> None:
    chat = Chat(Profile(user_id=1, first_name="Аня"))
    replies = chat.command("start")
    assert render(replies[0]).startswith("Привет, Аня!")
    seen: list[Reply] = list(replies)
    while chat.conversation and chat.conversation.flow:
        assert replies[-1].key == f"q.{chat.state}"
        replies = chat.text(TYPED[chat.state])
        seen += replies
    ours = [reply for reply in seen if reply not in _finished_by_others(chat, replies)]
    assert latin(ours) == []
    assert render(seen[1]).startswith(f"<i>Вопрос 1 из {len(QUESTIONS)}</i>\n")
    assert labels(seen[1]) == [
        "Новичок (меньше года)",
        "Средний (1–3 года)",
        "Опытный (больше 3 лет)",
    ]
    assert [reply.key for reply in replies[-2:]] == ["assessment.lag.balanced", "assessment.next"]
    assert "1,25 раза" in render(replies[-2])
    assert labels(replies[-1]) == ["Составить план тренировок ног"]


def _at(state: str) -> Chat:
    chat = Chat()
    chat.command("assess")
    while chat.state != state:
        chat.text(TYPED[chat.state])
    return chat


def test_every_button_of_every_question_is_russian() -> None:
    chat = Chat()
    replies = chat.command("assess")
    while chat.conversation and chat.conversation.flow:
        question = replies[-1]
        assert latin([question]) == [], chat.state
        if question.choices:  # a button press, where there is one, answers it
            replies = chat.press(question.choices[0][0].value)
        else:
            replies = chat.text(TYPED[chat.state])


def test_wrong_answers_say_what_a_good_one_is_in_russian() -> None:
    chat = _at("experience")
    wrong = {
        "experience": "12345",
        "weight": "1000",
        "leg_days_per_week": "9",
        "calf_set_seconds": "0",
        "weeks_since_program_change": "-1",
        "leg_lift_set": "100",
        "bench_set": "x5",
        "thigh_cm": "5",
        "calories_per_day": "99",
        "carbs": "%",
        "protein_g": "9000",
        "sleep_hours": "30",
    }
    errors: list[Reply] = []
    while chat.conversation and chat.conversation.flow:
        if chat.state in wrong:
            replies = chat.text(wrong[chat.state])
            assert replies[0].key.startswith("assessment.error."), chat.state
            errors += replies
        errors += chat.send(Event.other("sticker"))
        errors += chat.text("9" * 300)
        chat.text(TYPED[chat.state])
    keys = {reply.key for reply in errors}
    assert {"assessment.error.not_text", "assessment.error.too_long"} <= keys
    assert "assessment.error.no_reps" in keys and "assessment.error.no_weight" in keys
    assert latin(errors) == []
    sticker = next(r for r in errors if r.key == "assessment.error.not_text")
    assert "а стикер прочитать не могу" in render(sticker)


@pytest.mark.parametrize(
    ("state", "typed", "likely", "other"),
    [
        ("weight", "180", "180 кг", "180 фунт."),
        ("weeks_since_program_change", "4", "4 месяца", "4 недели"),
        ("cardio_minutes_week", "2", "2 часа", "2 минуты"),
    ],
)
def test_an_ambiguous_answer_is_asked_about_in_russian_and_a_typed_reading_settles_it(
    state: str, typed: str, likely: str, other: str
) -> None:
    chat = _at(state)
    [which] = chat.text(typed)
    assert render(which) == f"Уточню: <b>{likely}</b>, верно?"
    assert labels(which) == [f"Да, {likely}", f"Нет, {other}"]
    # The buttons carry the reading the parser reads back, in any language.
    assert all(not value.endswith(("кг", "фунт.", "месяца")) for value in which.choice_values)
    chat.text(other)  # typed as it was shown
    assert chat.state != state


def test_the_same_readings_are_kept_as_the_parser_writes_them_in_english() -> None:
    with i18n.use("en"):
        assert reading_label("4 months") == "4 months"
        assert reading_label("100 kg x 5") == "100 kg x 5"
    assert reading_label("100 kg x 5") == "100 кг × 5"
    assert reading_label("82.5 kg") == "82,5 кг"
    assert reading_label("something else") == "something else"


_QUOTED = re.compile(r"«([^»]+)»")
_BOLD = re.compile(r"<b>([^<]*\d[^<]*)</b>")


def _assessment_examples() -> Iterator[tuple[str, str]]:
    """Every answer the Russian assessment gives as an example: in its examples and in the
    bold figures of its questions."""
    for question in QUESTIONS:
        example = assessment_texts.EXAMPLES[question.name]
        prompt = assessment_texts.TEXTS[f"q.{question.name}"]
        for typed in [*_QUOTED.findall(example), *_BOLD.findall(prompt)]:
            yield question.name, typed


@pytest.mark.parametrize(("state", "typed"), list(_assessment_examples()))
def test_every_example_the_russian_assessment_gives_is_an_answer(state: str, typed: str) -> None:
    chat = _at(state)
    replies = chat.text(typed)
    assert chat.state != state or replies[0].key == "assessment.which", replies[0].key


_CHECKIN_BEFORE = {
    "sleep_hours": (),
    "protein_g": ("8",),
    "carbs": ("8", "140"),
    "cardio_minutes": ("8", "140", "300 g"),
    "cardio_kind": ("8", "140", "300 g", "40"),
    "leg_day": ("8", "140", "300 g", "40", "intervals"),
}


@pytest.mark.usefixtures("_checkin_in_router")
@pytest.mark.parametrize(
    ("state", "typed"),
    [
        (state, typed)
        for state in _CHECKIN_BEFORE
        for typed in _BOLD.findall(checkin_texts.EXAMPLES[state])
        + re.findall(r"<b>([^<\d]+)</b>", checkin_texts.EXAMPLES[state])
    ],
)
def test_every_example_the_russian_checkin_gives_is_an_answer(state: str, typed: str) -> None:
    chat = _lifter()
    chat.command("checkin")
    for answer in _CHECKIN_BEFORE[state]:
        chat.text(answer)
    assert chat.state == state
    replies = chat.text(typed)
    moved = chat.conversation is not None and chat.state != state
    assert moved or replies[0].key in ("checkin.which", "checkin.saved"), replies[0].key


def test_russian_words_and_labels_answer_the_questions() -> None:
    chat = _at("experience")
    chat.text("Средний (1–3 года)")  # a button label, typed
    chat.text("хорошо")
    assert chat.answers == {"experience": "intermediate", "recovery": "good"}
    chat = _at("experience")
    chat.text("2 года")
    assert chat.answers == {"experience": "intermediate"}
    chat = _at("accessory_reps")
    chat.text("15 повторений")
    assert chat.answers["accessory_reps"] == 15
    chat = _at("recovery")
    chat.text("Не знаю / пропустить")  # the skip button's label, typed
    assert chat.answers["recovery"] is None


def test_restart_or_continue_in_russian() -> None:
    chat = _at("leg_days_per_week")
    [ask] = chat.command("assess")
    assert render(ask).startswith("Ты сейчас проходишь оценку (вопрос 4).")
    assert labels(ask) == ["Начать заново", "Продолжить"]
    replies = chat.text("продолжить")
    assert [reply.key for reply in replies] == ["assessment.continuing", "q.leg_days_per_week"]
    chat.command("assess")
    chat.text("начать заново")
    assert chat.state == "experience" and chat.answers == {}


def _previous_answers() -> dict[str, Any]:
    chat = Chat()
    chat.command("assess")
    while chat.conversation and chat.conversation.flow:
        chat.text(TYPED[chat.state])
    [saved] = [effect for effect in chat.effects if isinstance(effect, SaveAssessment)]
    return saved.answers


def test_a_reassessment_offers_last_times_answers_in_russian() -> None:
    chat = Chat(Profile(user_id=1, latest_answers=cast(Answers, _previous_answers())))
    replies = chat.command("assess")
    same: dict[str, str] = {}
    seen: list[Reply] = list(replies)
    while chat.conversation and chat.conversation.flow:
        [label] = [c.label for row in replies[-1].choices for c in row if c.value.endswith("=same")]
        same[chat.state] = label
        replies = chat.text("как в прошлый раз")
        seen += replies
    assert latin([r for r in seen if r not in _finished_by_others(chat, replies)]) == []
    assert same["weight"] == "Как в прошлый раз: 82 кг"
    assert same["leg_days_per_week"] == "Как в прошлый раз: 2 раза в неделю"
    assert same["accessory_reps"] == "Как в прошлый раз: 15 повторений"
    assert same["weeks_since_program_change"] == "Как в прошлый раз: 3 недели"
    assert same["leg_lift_set"] == "Как в прошлый раз: 100 кг × 5"
    assert same["experience"] == "Как в прошлый раз: Средний (1–3 года)"
    assert same["calories_per_day"] == "Как в прошлый раз: 3\u00a0300 ккал"
    assert same["sleep_hours"] == "Как в прошлый раз: 8 ч"


def test_same_as_last_time_counts_take_russian_plural_forms() -> None:
    per_week = assessment_texts.SAME_COUNTS["leg_days_per_week"]
    reps = assessment_texts.SAME_COUNTS["accessory_reps"]
    weeks = assessment_texts.SAME_WEEKS
    assert [per_week(n) for n in (1, 2, 5, 21)] == [
        "1 раз в неделю",
        "2 раза в неделю",
        "5 раз в неделю",
        "21 раз в неделю",
    ]
    assert [reps(n) for n in (1, 2, 5, 21)] == [
        "1 повторение",
        "2 повторения",
        "5 повторений",
        "21 повторение",
    ]
    assert [weeks(n) for n in (1, 2, 5, 21, 2.5)] == [
        "1 неделя",
        "2 недели",
        "5 недель",
        "21 неделя",
        "2,5 недели",
    ]
    assert [reading_label(f"{n} {unit}") for n, unit in ((1, "minute"), (3, "hours"))] == [
        "1 минута",
        "3 часа",
    ]
    assert [reading_label(f"{n} years") for n in (2, 5, 21)] == ["2 года", "5 лет", "21 год"]
    assert [reading_label(f"{n} days") for n in (1, 2, 5)] == ["1 день", "2 дня", "5 дней"]
    assert reading_label("1 month") == "1 месяц" and reading_label("11 months") == "11 месяцев"


# ---- the check-in -------------------------------------------------------------------------


@pytest.fixture
def _checkin_in_router(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setitem(app.FLOWS, checkin.NAME, checkin)
    monkeypatch.setitem(app.STARTERS, "checkin", checkin.NAME)
    yield


def _lifter(**profile: Any) -> Chat:
    return Chat(Profile(user_id=5, **{"latest_answers": ASSESSED, **profile}))


def _ours(reply: Reply) -> Reply:
    """A check-in's end without the feedback the progress texts write into it."""
    if "feedback_html" in reply.values:
        return Reply(reply.key, {**reply.values, "feedback_html": ""}, reply.choices)
    return reply


@pytest.mark.usefixtures("_checkin_in_router")
def test_a_whole_checkin_speaks_russian() -> None:
    chat = _lifter(plan_weekdays=(1, 4))  # Tuesday is a planned leg day
    seen = chat.command("checkin")
    assert render(seen[0]).startswith("<i>Отчёт · ")
    assert "Сколько часов сна было этой ночью?" in render(seen[0])
    assert labels(seen[0]) == ["6 ч", "7 ч", "8 ч", "9 ч", "Пропустить"]
    seen += chat.text("7.5")
    assert labels(seen[-1])[-2:] == ["180 г 🎯", "Пропустить"]
    assert "Твоя цель: <b>180 г</b>." in render(seen[-1])
    seen += chat.text("9999")  # out of range: the error quotes it and names the range
    assert seen[-2].key == "checkin.error.out_of_range"
    assert "«9999» не подходит: белка за день — от 0 до 600 г." in render(seen[-2])
    seen += chat.send(Event.other("photo"))
    seen += chat.text("1" * 300)
    seen += chat.press("protein_g=140")
    seen += chat.press("carbs=moderate")
    seen += chat.text("2")  # hours or minutes?
    assert labels(seen[-1]) == ["Да, 2 часа", "Нет, 2 минуты"]
    seen += chat.text("нет")
    seen += chat.command("back")
    seen += chat.text("40")
    seen += chat.press("cardio_kind=intervals")
    assert render(seen[-1]).endswith("🦵 Сегодня — день ног по плану. Сделано?")
    assert labels(seen[-1]) == [
        "День ног сделан",
        "День ног пропущен",
        "День отдыха",
        "Пропустить",
    ]
    end = chat.press("leg_day=done")
    assert end[0].key == "checkin.saved"
    ours = [_ours(reply) for reply in seen + end if not reply.key.startswith("measure.")]
    assert latin(ours) == []


@pytest.mark.usefixtures("_checkin_in_router")
def test_a_checkin_answered_after_midnight_names_its_day_in_russian() -> None:
    after_midnight = datetime(2026, 11, 18, 0, 30, tzinfo=UTC)
    chat = _lifter()
    seen = chat.send(Event.command("checkin"), NOW)
    replies = chat.send(Event.typed("8"), after_midnight)
    assert "Сколько граммов белка было 17 ноября?" in render(replies[0])
    again = chat.send(Event.command("checkin"), after_midnight)
    assert again[0].key == "checkin.continuing"
    assert latin(seen + replies + again) == []


@pytest.mark.usefixtures("_checkin_in_router")
def test_the_night_before_a_past_day_and_an_expired_checkin_in_russian() -> None:
    chat = _lifter()
    step = checkin.start_for_day(chat.profile, TUESDAY - timedelta(days=1), NOW)
    assert "Сколько часов сна было в ночь на 16 ноября?" in render(step.replies[0])
    expired = checkin.start_for_day(chat.profile, TUESDAY - timedelta(days=5), NOW)
    assert expired.replies[0].key == "checkin.expired"
    assert labels(expired.replies[0]) == ["Отчёт за сегодня"]
    assert latin(step.replies + expired.replies) == []


@pytest.mark.usefixtures("_checkin_in_router")
def test_a_checkin_without_an_assessment_offers_one_in_russian() -> None:
    chat = Chat(Profile(user_id=6))
    chat.command("checkin")
    for answer in ("8", "skip", "skip", "0", "skip"):
        replies = chat.text(answer)
    [_saved, no_assessment] = [r for r in replies if not r.key.startswith("measure.")]
    assert labels(no_assessment) == ["Пройти оценку"]
    assert latin([_ours(_saved), no_assessment]) == []


# ---- the router, the menu and the adapters' notices ----------------------------------------


def test_the_routers_own_messages_are_russian() -> None:
    chat = Chat()
    seen = chat.command("cancel") + chat.command("back") + chat.text("привет")
    seen += chat.send(Event.other("voice")) + chat.command("dance") + chat.command("chekin")
    seen += chat.command("help")
    chat.command("assess")
    seen += chat.send(Event.button("experience=beginner", token="old"))
    seen += chat.command("cancel")
    keys = [reply.key for reply in seen]
    assert {"nothing_to_cancel", "nothing_to_go_back", "idle.text", "idle.other"} <= set(keys)
    assert {"unknown_command", "unknown_command.suggest", "help", "stale_button"} <= set(keys)
    assert "cancelled" in keys
    assert latin(seen) == []
    assert "/checkin — Отчёт за сегодня" in render(seen[keys.index("help")])


def test_welcome_back_and_a_paused_conversation_are_russian() -> None:
    chat = Chat(Profile(user_id=1, latest_answers=cast(Answers, ASSESSED), first_name="Анна"))
    welcome = chat.command("start")
    assert render(welcome[0]).startswith("С возвращением, Анна!")
    assert labels(welcome[0]) == ["Новая оценка", "Мой план тренировок ног"]
    chat.command("assess")
    chat.text("beginner")
    paused = chat.command("measure")
    assert render(paused[0]) == "Замеры, а потом вернёмся в раздел «оценка» с того же места."
    resumed = chat.command("cancel")
    assert "Возвращаемся в раздел «оценка» — с того же места:" in map(render, resumed)
    assert latin(welcome + paused[:1] + [r for r in resumed if r.key != "cancelled.measure"]) == []


def test_every_menu_line_and_flow_title_is_russian() -> None:
    for command in registry.menu_commands():
        assert english_words(command.title()) == [], command.name
        assert english_words(command.help()) == [], command.name
    for flow in registry.flows():
        assert english_words(registry.title_of(flow)) == [], flow.name


_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


def _filled(template: str) -> dict[str, str]:
    return {name: "1" for name in _PLACEHOLDER.findall(template)}


def _every(table: Mapping[str, str]) -> Iterator[tuple[str, str]]:
    for key in table:
        text = table[key]
        yield key, text.format(**_filled(text))


def test_every_message_of_the_area_is_russian() -> None:
    """Each text rendered with sample values, including those no conversation above reaches
    (the delivery notices, the internal error, an edited message)."""
    tables: list[Mapping[str, str]] = [
        common.TEXTS,
        delivery.TEXTS,
        assessment_texts.TEXTS,
        assessment_texts.EXAMPLES,
        assessment_texts.SAME_AMOUNTS,
        assessment_texts.SAME_WEIGHT,
        checkin_texts.TEXTS,
        checkin_texts.EXAMPLES,
        checkin_texts.RANGES,
        checkin_texts.LEG_DAY_LABELS,
        MESSAGE_KINDS,
    ]
    found = {key: english_words(text) for table in tables for key, text in _every(table)}
    assert {key: words for key, words in found.items() if words} == {}
    buttons = [
        label
        for table in (assessment_texts.CHOICES, checkin_texts.CHOICES)
        for question in table
        for label, _ in table[question]
    ]
    assert [label for label in buttons if english_words(label)] == []
    for key in ("private_only", "flood", "delivery.again", "edited_message", "error.internal"):
        assert english_words(render_key(key, _filled(TEXTS.by_key[key]))) == [], key


def test_english_stays_as_it_was() -> None:
    with i18n.use("en"):
        chat = Chat(Profile(user_id=1, first_name="Ann"))
        replies = chat.command("start")
        assert render(replies[0]).startswith("Hi, Ann! I'm <b>Leg Day Coach</b>")
        assert render(replies[1]) == (
            "<i>Question 1 of 29</i>\nHow long have you been training with weights?"
        )
        assert labels(replies[1])[0] == "Beginner (under 1 year)"
        assert labels(chat.text("beginner")[-1])[-1] == "Don't know / skip"
        assert assessment_texts.SAME_COUNTS["leg_days_per_week"](2) == "2 a week"
        assert assessment_texts.SAME_COUNTS["accessory_reps"](1) == "1 reps"
        assert assessment_texts.SAME_WEEKS(1) == "1 week"
        assert checkin_texts.PROTEIN_TARGET_LABEL(grams="180") == "180 g 🎯"
        [ask] = _at("weight").text("180")
        assert render(ask) == "Just to be sure: did you mean <b>180 kg</b>?"
        assert labels(ask) == ["Yes, 180 kg", "No, 180 lb"]
        [sticker, _question] = _at("weight").send(Event.other("sticker"))
        assert "not a sticker" in render(sticker)


def test_a_conversation_row_keeps_no_language() -> None:
    """A question asked in Russian is answered the same in English: the stored row holds
    values, never labels."""
    chat = _at("weight")
    chat.text("180")
    stored = chat.conversation
    assert stored is not None
    with i18n.use("en"):
        outcome = app.handle(
            Conversation(stored.flow, stored.state, stored.data, stored.token),
            Event.typed("yes"),
            chat.profile,
            NOW,
        )
    assert outcome.state == "leg_days_per_week"
