"""/language, and the same question in the /settings menu: a button per language in its own
name, typed names in either language, the choice stored with UpdateSettings, and the
confirmation already in the chosen language; then the choice kept in the users row and the
next reply in it, on a real database."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from bot.engine import Coach, Sender
from bot.storage.db import Sessions
from bot.storage.models import User
from flows import i18n, language
from flows.core import Event, Profile, Reply
from flows.lifts import LiftSet
from flows.settings import UpdateSettings
from flows.texts import render
from tests.flows.driver import Chat
from tests.flows.i18n_check import english_words

# The buttons name each language in its own name: "English" is not English in a Russian text.
OWN_NAMES = frozenset(i18n.LANGUAGES.values())


def chat(language: str = "en", **profile: Any) -> Chat:
    return Chat(Profile(user_id=7, language=language, **profile))


def labels(reply: Reply) -> list[str]:
    return [choice.label for row in reply.choices for choice in row]


def changes(talk: Chat) -> list[UpdateSettings]:
    return [effect for effect in talk.effects if isinstance(effect, UpdateSettings)]


def not_russian(text: str) -> list[str]:
    """The English words of a Russian text, apart from the languages' own names."""
    return [word for word in english_words(text) if word not in OWN_NAMES]


def test_a_button_per_language_in_its_own_name_the_current_one_marked() -> None:
    talk = chat("en")
    [question] = talk.command("language")
    assert question.key == "language.prompt"
    assert labels(question) == ["✅ English", "Русский"]
    assert question.choice_values == ["language=en", "language=ru"]
    assert "Now: <b>English</b>" in render(question)
    with i18n.use("ru"):
        [question] = chat("ru").command("language")
        assert labels(question) == ["English", "✅ Русский"]
        assert not_russian(render(question)) == []


def test_a_choice_is_stored_and_confirmed_in_the_new_language() -> None:
    talk = chat("en")
    talk.command("language")
    [done] = talk.press("language=ru")
    assert changes(talk) == [UpdateSettings(language="ru")]
    assert done.key == "language.saved"
    assert talk.conversation is not None and talk.conversation.flow == ""
    # The adapter renders the reply once the change is stored, in the new language.
    with i18n.use("ru"):
        text = render(done)
    assert "Русский" in text and not_russian(text) == []


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("ru", "ru"),
        ("RU", "ru"),
        ("русский", "ru"),
        ("Русский", "ru"),
        ("Russian", "ru"),
        ("по-русски", "ru"),
        ("✅ Русский", "ru"),
        ("на русском", "ru"),
    ],
)
def test_typed_names_of_russian_from_an_english_user(typed: str, code: str) -> None:
    talk = chat("en")
    talk.command("language")
    talk.text(typed)
    assert changes(talk) == [UpdateSettings(language=code)]


@pytest.mark.parametrize("typed", ["en", "english", "English.", "английский", "Английский", "eng"])
def test_typed_names_of_english_from_a_russian_user(typed: str) -> None:
    with i18n.use("ru"):
        talk = chat("ru")
        talk.command("language")
        [done] = talk.text(typed)
    assert changes(talk) == [UpdateSettings(language="en")]
    assert render(done) == (
        "🌐 Language: <b>English</b>. Everything I send from now on is in it; "
        "/language changes it again."
    )


def test_the_language_in_use_changes_nothing() -> None:
    talk = chat("ru")
    talk.command("language")
    [same] = talk.press("language=ru")
    assert same.key == "language.unchanged"
    assert changes(talk) == []
    with i18n.use("ru"):
        assert not_russian(render(same)) == []


def test_anything_else_asks_again_in_the_users_language() -> None:
    with i18n.use("ru"):
        talk = chat("ru")
        talk.command("language")
        seen: list[Reply] = []
        for send in (
            lambda: talk.text("клингонский"),
            lambda: talk.text("x" * 500),
            lambda: talk.send(Event.other("sticker")),
            lambda: talk.command("back"),
            lambda: talk.press("units=kg"),
            lambda: talk.command("reask"),
            lambda: talk.command("language"),
        ):
            replies = send()
            assert replies[-1].choice_values == ["language=en", "language=ru"]
            seen += replies
        keys = [reply.key for reply in seen if reply.key != "language.prompt"]
        assert keys == [
            "language.not_a_language",
            "language.too_long",
            "language.not_text",
            "language.first_step",
            "language.old_button",
            "language.reask",
        ]
        for reply in seen:
            assert not_russian(render(reply)) == [], reply.key
    assert changes(talk) == []
    assert talk.conversation is not None and talk.conversation.state == "choose"
    assert language.MACHINE.models == []  # no user's state outlives an event


def test_cancel_keeps_the_language() -> None:
    talk = chat("en")
    talk.command("language")
    [cancelled] = talk.command("cancel")
    assert cancelled.key == "cancelled.language"
    assert changes(talk) == []


def test_the_settings_menu_offers_the_language_and_shows_the_menu_in_it() -> None:
    talk = chat("en", weight_unit="kg", summary_weekday=4)
    [menu] = talk.command("settings")
    assert "🌐 Language: <b>English</b>" in render(menu)
    assert "🌐 Language" in labels(menu)
    [question] = talk.press("settings=language")
    assert question.key == "settings.language.prompt"
    assert labels(question) == ["✅ English", "Русский"]
    # Typing the new language's name works there too.
    confirmation, menu = talk.text("русский")
    assert changes(talk) == [UpdateSettings(language="ru")]
    assert [confirmation.key, menu.key] == ["settings.language.saved", "settings.menu"]
    # Made while the update was still in English, the menu's values and buttons are already
    # Russian; the adapter renders both texts in Russian once the change is stored.
    for label in labels(menu):
        assert english_words(label) == [], label
    with i18n.use("ru"):
        shown = render(menu)
        assert not_russian(render(confirmation)) == []
    assert not_russian(shown) == []
    assert "по <b>пятницам</b> вечером" in shown and "Язык: <b>Русский</b>" in shown
    # Back in the menu, the next change is asked as before.
    assert talk.conversation is not None and talk.conversation.state == "menu"


def test_settings_refuses_an_unknown_language_and_keeps_asking() -> None:
    talk = chat("en")
    talk.command("settings")
    talk.press("settings=language")
    problem, question = talk.text("Klingon")
    assert problem.key == "settings.language.not_a_language"
    assert question.key == "settings.language.prompt"
    assert talk.press("language=ru")[1].key == "settings.menu"
    assert changes(talk) == [UpdateSettings(language="ru")]


def test_a_conversation_put_on_hold_comes_back_in_the_new_language() -> None:
    talk = chat("en", lift_sets=(LiftSet(date(2026, 11, 10), "back_squat", 100.0, 5),))
    talk.command("log")
    talk.command("language")
    done, back, question = talk.press("language=ru")
    assert [done.key, back.key, question.key] == ["language.saved", "resumed", "log.q"]
    # Its values and buttons were made in Russian; the adapter renders the texts in it.
    assert question.values["lift"] == "Присед со штангой"
    assert labels(question) == [
        "+2,5 кг → 102,5 кг × 5",
        "Как в прошлый раз: 100 кг × 5",
        "Пропустить",
    ]
    with i18n.use("ru"):
        for reply in (done, back, question):
            assert not_russian(render(reply)) == [], reply.key


# ---- on a real database ------------------------------------------------------------------

NOW = datetime(2026, 11, 17, 9, 30, tzinfo=UTC)
ANN = Sender(user_id=303, chat_id=303, first_name="Ann", language_code="en")


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
async def test_the_choice_is_stored_and_the_next_reply_is_in_russian(sessions: Sessions) -> None:
    coach = Coach(sessions, clock=lambda: NOW)
    asked = await coach.handle(ANN, Event.command("language"))
    assert asked.language == "en"
    assert asked.replies[0].choice_values == ["language=en", "language=ru"]
    done = await coach.handle(ANN, Event.button("language=ru", token=asked.token))
    assert [reply.key for reply in done.replies] == ["language.saved"]
    # The confirmation goes out in the new language already.
    assert done.language == "ru"
    with i18n.use(done.language):
        assert not_russian(render(done.replies[0])) == []
    async with sessions() as session:
        user = await session.get(User, ANN.user_id)
        assert user is not None and user.language == "ru"
    # Telegram still says "en": the stored choice wins, for this update and the next.
    menu = await coach.handle(ANN, Event.command("settings"))
    assert menu.language == "ru"
    with i18n.use(menu.language):
        text = render(menu.replies[0])
    assert "Язык: <b>Русский</b>" in text and not_russian(text) == []
    assert all(english_words(label) == [] for label in labels(menu.replies[0]))
