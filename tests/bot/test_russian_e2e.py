"""A Russian-speaking user's whole journey, end to end: the real bot process over the fake Bot
API, from /start through the assessment, the diagnosis, the plan, the calendar file, the
scheduled leg-day reminder (Done, then the /log offer), the daily check-in, /progress, the
weekly summary, /settings, /help and /language. Everything the bot shows this user (messages,
captions, edits, pop-ups and button labels) must be Russian, and every answer typed the way a
Russian speaker types it («90 кг», «7,5 ч», «2 400 ккал», «пропустить», «Москва») must be
understood.

The journey waits on nothing written in any language, and picks buttons by their values.
After each update it waits until the bot has settled it in the database: the update is among
the conversation's recent ids and the row was saved twice since, once with the step and once
when every reply had been sent (files never wait in the outbox, so an empty outbox alone does
not tell). The dispatcher's messages are recognised by their reminder buttons.
"""

from __future__ import annotations

import asyncio
import functools
import html
import json
import re
import sqlite3
import time
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import pytest

from flows import i18n
from tests.bot.botprocess import BotProcess
from tests.bot.test_scheduled_e2e import make_due
from tests.fake_telegram import ChatMessage, FakeTelegram, SentRecord
from tests.flows.i18n_check import english_words

TOKEN = "555:russian-journey-token"
USER = 7101
TIMEOUT = 30.0
POLL_S = 0.02


@dataclass(frozen=True)
class Press:
    """Tap the button with this value."""

    value: str


@dataclass(frozen=True)
class Type:
    """Type `text`; if the bot does not take it, note it and answer with `fallback`."""

    text: str
    fallback: Press | str


# The assessment, question by question: some answers tapped, some typed in Russian. The
# answers leave protein, calories and sleep short, so the diagnosis has reasons to explain.
ASSESSMENT: dict[str, Press | Type] = {
    "experience": Press("experience=intermediate"),
    "recovery": Press("recovery=average"),
    "weight": Type("90 кг", "90 kg"),
    "leg_days_per_week": Press("leg_days_per_week=2"),
    "consecutive_leg_days": Type("нет", Press("consecutive_leg_days=no")),
    "leg_training": Press("leg_training=free_weights"),
    "front_exercises": Type("3", Press("front_exercises=3")),
    "back_exercises": Press("back_exercises=1"),
    "accessory_reps": Press("accessory_reps=12"),
    "trains_calves": Type("да", Press("trains_calves=yes")),
    "calf_set_seconds": Type("40 с", "40 s"),
    "weeks_since_program_change": Type("2 месяца", "2 months"),
    "form_checked": Type("пропустить", Press("form_checked=skip")),
    "chases_heavy": Press("chases_heavy=no"),
    "explosive_reps": Type("нет", Press("explosive_reps=no")),
    "leg_lift": Press("leg_lift=back_squat"),
    "leg_lift_set": Type("100 кг × 5", "100 kg x 5"),
    "bench_set": Type("90 × 5", "90 x 5"),
    "tape": Press("tape=yes"),
    "thigh_cm": Type("58 см", "58 cm"),
    "calf_cm": Type("38,5 см", "38.5 cm"),
    "arm_cm": Type("40 см", "40 cm"),
    "cardio_minutes_week": Type("1,5 ч", "90 min"),
    "cardio_kind": Press("cardio_kind=intervals"),
    "calories_per_day": Type("2 400 ккал", "2400"),
    "carbs": Type("300 г", "300 g"),
    "protein_g": Type("120 г", "120"),
    "sleep_hours": Type("7,5 ч", "7.5"),
    "naps": Press("naps=no"),
}

# Answers that are none, given before the right one: the bot's explanations must be Russian.
ASSESSMENT_MISTAKES: dict[str, str | None] = {"weight": "много", "naps": None}

# The daily check-in, question by question.
CHECKIN: dict[str, Press | Type] = {
    "sleep_hours": Type("7,5 ч", "7.5"),
    "protein_g": Type("150 г", "150"),
    "carbs": Press("carbs=moderate"),
    "cardio_minutes": Type("20 мин", "20 min"),
    "cardio_kind": Press("cardio_kind=intervals"),
    "leg_day": Press("leg_day=done"),
}

TOP_SET = Type("100 кг × 8", "100 kg x 8")

# The language buttons show each language in its own name, English in English.
LANGUAGE_BUTTONS = {label for name in i18n.LANGUAGES.values() for label in (name, f"✅ {name}")}
_TAG = re.compile(r"</?[a-z][^>]*>")
_PLACEHOLDER = re.compile(r"\{[a-z_][a-z0-9_]*(?:[!:][^}]*)?\}")


@dataclass(frozen=True)
class Row:
    """The user's conversation as stored."""

    flow: str | None
    state: str | None
    token: str
    outbox: list[object] | None
    recent_update_ids: list[int]
    version: int

    @property
    def place(self) -> tuple[str | None, str | None]:
        return self.flow, self.state


class Journey:
    """The user's side of the chat: sends, taps, and waits until the bot has answered."""

    def __init__(self, fake: FakeTelegram, bot: BotProcess) -> None:
        self.fake = fake
        self.bot = bot
        self.database = bot.data_dir / "legdaycoach.db"
        # Russian answers the bot did not take, and other ways the journey went astray.
        self.problems: list[str] = []

    # --- the database, read to know when the bot is done and where the user is

    def _query(self, sql: str, *args: object) -> tuple[object, ...] | None:
        try:
            with closing(sqlite3.connect(self.database, timeout=10)) as database:
                found = database.execute(sql, args).fetchone()
                return tuple(found) if found is not None else None
        except sqlite3.OperationalError as error:  # not migrated yet
            if "no such table" in str(error):
                return None
            raise

    def row(self) -> Row | None:
        found = self._query(
            "select flow, state, token, outbox, recent_update_ids, version from conversations "
            "where user_id = ?",
            USER,
        )
        if found is None:
            return None
        flow, state, token, outbox, recent, version = found
        return Row(
            flow=str(flow) if flow else None,
            state=str(state) if state else None,
            token=str(token),
            outbox=json.loads(str(outbox)) if outbox is not None else None,
            recent_update_ids=[int(i) for i in json.loads(str(recent or "[]")) or []],
            version=int(str(version)),
        )

    def language(self) -> str | None:
        found = self._query("select language from users where id = ?", USER)
        return str(found[0]) if found and found[0] is not None else None

    def bot_running(self) -> bool:
        return self.bot.process is not None and self.bot.process.poll() is None

    def version(self) -> int:
        row = self.row()
        return row.version if row is not None else 0

    def settled(self, update_id: int, version: int) -> Row:
        """The conversation once the bot has applied the update (one save) and sent all its
        replies (a second save empties the outbox; files are never in it, so the count of
        saves since `version`, the one before the update, is what tells)."""
        deadline = time.monotonic() + TIMEOUT
        while True:
            row = self.row()
            if (
                row is not None
                and update_id in row.recent_update_ids
                and row.version >= version + 2
                and not row.outbox
            ):
                return row
            if time.monotonic() > deadline or not self.bot_running():
                raise AssertionError(
                    f"update {update_id} not answered in {TIMEOUT} s; conversation {row}; "
                    f"bot log ends:\n{self.bot.log[-3000:]}"
                )
            time.sleep(POLL_S)

    def wait_for_flow(self, flow: str) -> Row:
        """The conversation once the bot has opened `flow` (for updates the bot applies
        without keeping an outbox: a reminder's button)."""
        deadline = time.monotonic() + TIMEOUT
        while (row := self.row()) is None or row.flow != flow:
            assert time.monotonic() < deadline, f"{flow} did not open; conversation {row}"
            time.sleep(POLL_S)
        return row

    def current(self) -> Row:
        row = self.row()
        assert row is not None, "the user has no conversation"
        return row

    # --- the user's actions

    def send(self, text: str) -> Row:
        version = self.version()
        return self.settled(self.fake.send_text(USER, text), version)

    def buttons(self, token: str | None = None) -> dict[str, ChatMessage]:
        """The values of the open buttons (those of the conversation's token), newest last,
        with the message each is on."""
        prefix = (token or self.current().token) + "|"
        found: dict[str, ChatMessage] = {}
        for message in self.fake.messages_in(USER):
            for data in message.callback_datas:
                if data.startswith(prefix):
                    found[data.removeprefix(prefix)] = message
        return found

    def press(self, value: str) -> Row:
        token = self.current().token
        buttons = self.buttons(token)
        message = buttons.get(value)
        assert message is not None, f"no button {value!r}; the open ones are {list(buttons)}"
        version = self.version()
        pressed = self.fake.press_button(USER, message.message_id, f"{token}|{value}")
        return self.settled(pressed, version)

    def mistake(self, text: str | None) -> Row:
        """Types `text` (None: sends a sticker) where it is no answer: the bot explains and
        the question stays open."""
        before = self.current().place
        version = self.version()
        if text is None:
            row = self.settled(self.fake.send_sticker(USER), version)
        else:
            row = self.settled(self.fake.send_text(USER, text), version)
        assert row.place == before, f"{text!r} was taken as an answer: {row}"
        return row

    def answer(self, answer: Press | Type, where: str) -> Row:
        """Taps or types an answer; a typed one the bot does not take (the question stays
        open) is noted, and answered with the fallback."""
        if isinstance(answer, Press):
            return self.press(answer.value)
        before = self.current().place
        row = self.send(answer.text)
        if row.place != before:
            return row
        self.problems.append(f"«{answer.text}» was not understood ({where})")
        fallback = answer.fallback
        return self.press(fallback.value) if isinstance(fallback, Press) else self.send(fallback)

    def answer_questions(
        self,
        flow: str,
        answers: dict[str, Press | Type],
        row: Row,
        mistakes: dict[str, str | None] | None = None,
    ) -> Row:
        """Answers the flow's questions until it ends, after the `mistakes` (text typed, or
        None for a sticker) where given; a question not in `answers` is skipped (or its first
        button tapped) and noted."""
        mistakes = dict(mistakes or {})
        for _ in range(60):
            if row.flow != flow or row.state is None:
                return row
            state = row.state
            if state in mistakes:
                self.mistake(mistakes.pop(state))
            answer = answers.get(state)
            if answer is None:
                self.problems.append(f"{flow}: no answer planned for question {state!r}")
                values = list(self.buttons())
                skip = f"{state}=skip"
                assert values, f"{flow}: question {state!r} has no buttons"
                answer = Press(skip if skip in values else values[0])
            row = self.answer(answer, f"{flow}.{state}")
        raise AssertionError(f"{flow} did not end")

    # --- what the dispatcher sends

    def wait_for_reminder(self, after: int, action: str) -> SentRecord:
        """The first message since record number `after` with a reminder button `action`."""
        return self.fake.wait_for(
            lambda r: (
                r.chat_id == USER
                and r.method == "sendMessage"
                and any(
                    str(b.get("callback_data", "")).startswith("r|")
                    and str(b.get("callback_data", "")).endswith("|" + action)
                    for row in r.inline_keyboard
                    for b in row
                )
                and any(r is later for later in self.fake.sent(USER)[after:])
            ),
            TIMEOUT,
        )[0]

    def sent_count(self) -> int:
        return len(self.fake.sent(USER))


def _reminder_data(record: SentRecord, action: str) -> str:
    for row in record.inline_keyboard:
        for button in row:
            data = str(button.get("callback_data", ""))
            if data.startswith("r|") and data.endswith("|" + action):
                return data
    raise LookupError(f"no {action} button in {record.button_labels}")


def _visible(text: str) -> str:
    return html.unescape(_TAG.sub(" ", text))


@functools.cache
def _templates() -> list[tuple[re.Pattern[str], str]]:
    """Every declared English text as a pattern (its placeholders match anything), with its
    key and module; longest first."""
    found: list[tuple[str, str]] = []
    for entry in i18n.declared():
        for english in filter(None, (entry.english, entry.plural)):
            if len(re.findall(r"[A-Za-z]", _PLACEHOLDER.sub("", english))) >= 3:
                found.append((english, f"{entry.context} ({entry.module})"))
    found.sort(key=lambda item: -len(item[0]))
    return [
        (re.compile(".*?".join(map(re.escape, _PLACEHOLDER.split(english))), re.S), where)
        for english, where in found
    ]


def _sources(text: str) -> list[str]:
    """The declared English messages a shown text contains, the longest three."""
    return [where for pattern, where in _templates() if pattern.search(text)][:3]


@dataclass
class Shown:
    """Everything shown to the user, with where it was shown, and the English in it."""

    english: dict[str, tuple[str, list[str]]]

    def check(self, where: str, text: str | None) -> None:
        if not text:
            return
        words = english_words(_visible(text))
        if words and text not in self.english:
            self.english[text] = (where, words)

    def report(self) -> list[str]:
        return [
            f"[{where}] {words}: {_visible(text).strip()[:400]!r}\n"
            f"    from: {', '.join(_sources(text)) or 'no declared message'}"
            for text, (where, words) in self.english.items()
        ]


@pytest.fixture
def fake() -> Iterator[FakeTelegram]:
    with FakeTelegram(token=TOKEN) as server:
        yield server


def test_a_russian_user_sees_only_russian_through_the_whole_journey(
    fake: FakeTelegram, tmp_path: Path
) -> None:
    fake.add_user(USER, first_name="Аня", language_code="ru")
    bot = BotProcess(fake.base_url, TOKEN, tmp_path / "bot", None).start()
    journey = Journey(fake, bot)
    english_window = range(0)  # the sent records shown while English was chosen
    english_answers = range(0)  # the same for pop-up answers
    try:
        # The command menu, in every language and a default for everyone else.
        fake.wait_for_calls("setMyCommands", 3, TIMEOUT)

        # /start: the language comes from Telegram and is stored on first contact.
        row = journey.send("/start")
        assert journey.language() == "ru"
        assert row.place == ("assessment", "experience"), row

        # The whole assessment, then the diagnosis and why one reason matters.
        row = journey.answer_questions("assessment", ASSESSMENT, row, ASSESSMENT_MISTAKES)
        assert row.flow is None, row
        why = [value for value in journey.buttons() if value.startswith("go=diagnosis why ")]
        assert why, f"the diagnosis has no Why? button: {list(journey.buttons())}"
        journey.press(why[0])

        # /plan through to saved leg days: two days picked, a time typed, a city typed.
        row = journey.send("/plan")
        assert "plan=days" in journey.buttons(), list(journey.buttons())
        journey.press("plan=days")
        journey.press("day=0")
        row = journey.press("day=3")
        assert row.place == ("plan", "ask_time"), row
        row = journey.answer(Type("18:30", Press("time=18:00")), "plan.ask_time")
        assert row.place == ("plan", "ask_zone"), row
        row = journey.send("Москва")
        if row.flow == "plan":
            offered = journey.buttons()
            if "zone=UTC" in offered:  # the question again: the city was not found
                journey.problems.append("«Москва» was not found as a city (plan.ask_zone)")
            row = journey.press("zone=Europe/Moscow")
        assert row.flow is None, row

        # The calendar file.
        before = journey.sent_count()
        journey.send("/calendar")
        files = [r for r in fake.sent(USER)[before:] if r.method == "sendDocument"]
        assert files and (files[0].file_name or "").endswith(".ics"), files

        # The leg-day reminder from the dispatcher: Done, then the offer to log the top sets.
        before = journey.sent_count()
        asyncio.run(make_due(f"sqlite+aiosqlite:///{journey.database}", "leg_day", USER))
        reminder = journey.wait_for_reminder(before, "done")
        answers_before = fake.call_count("answerCallbackQuery")
        fake.press_button(USER, reminder.message_id, _reminder_data(reminder, "done"))
        offer = fake.wait_for(
            lambda r: (
                r.chat_id == USER
                and any(
                    "|go=log " in str(b.get("callback_data", ""))
                    for row in r.inline_keyboard
                    for b in row
                )
            ),
            TIMEOUT,
        )[0]
        fake.wait_for_calls("answerCallbackQuery", answers_before + 1, TIMEOUT)
        assert fake.callback_answers[-1].text, "Done was not answered in the pop-up"
        log_value = next(
            str(b["callback_data"]).split("|", 1)[1]
            for row in offer.inline_keyboard
            for b in row
            if "|go=log " in str(b.get("callback_data", ""))
        )
        row = journey.press(log_value)
        for _ in range(10):  # one step per main lift of the day
            if row.flow != "log":
                break
            row = journey.answer(TOP_SET, f"log.{row.state}")
        assert row.flow is None, row

        # The daily check-in from the dispatcher: its button opens the questions.
        before = journey.sent_count()
        asyncio.run(make_due(f"sqlite+aiosqlite:///{journey.database}", "checkin", USER))
        prompt = journey.wait_for_reminder(before, "checkin")
        fake.press_button(USER, prompt.message_id, _reminder_data(prompt, "checkin"))
        # The questions come as messages of their own, with the new conversation's buttons.
        token = journey.wait_for_flow("checkin").token
        fake.wait_for(
            lambda r: (
                r.chat_id == USER
                and any(
                    str(b.get("callback_data", "")).startswith(token + "|")
                    for row in r.inline_keyboard
                    for b in row
                )
            ),
            TIMEOUT,
        )
        row = journey.answer_questions("checkin", CHECKIN, journey.current())
        assert row.flow is None, row

        # /progress: the numbers and the chart.
        before = journey.sent_count()
        journey.send("/progress")
        charts = [r for r in fake.sent(USER)[before:] if r.method == "sendPhoto"]
        assert charts and charts[0].caption, "/progress sent no chart with a caption"

        # The weekly summary from the dispatcher, a chart with the week in its caption.
        before = journey.sent_count()
        asyncio.run(make_due(f"sqlite+aiosqlite:///{journey.database}", "summary", USER))
        summary = fake.wait_for(
            lambda r: (
                r.chat_id == USER
                and r.method == "sendPhoto"
                and any(r is later for later in fake.sent(USER)[before:])
            ),
            TIMEOUT,
        )[0]
        assert summary.caption

        # /settings: the summary day and the check-in time changed, then closed.
        journey.send("/settings")
        journey.press("settings=weekday")
        journey.press("weekday=5")
        journey.press("settings=time")
        journey.answer(Type("20:30", Press("time=21:00")), "settings.time")
        row = journey.press("settings=done")
        assert row.flow is None, row

        journey.send("/help")

        # /language: to English and back; what is shown in between is English by choice.
        journey.send("/language")
        records_from, answers_from = journey.sent_count(), len(fake.callback_answers)
        journey.press("language=en")
        assert journey.language() == "en"
        journey.send("/language")
        english_window = range(records_from, journey.sent_count())
        english_answers = range(answers_from, len(fake.callback_answers))
        in_english = [r.text or "" for r in fake.sent(USER)[records_from:]]
        assert in_english and all(english_words(_visible(text)) for text in in_english)
        journey.press("language=ru")
        assert journey.language() == "ru"
        journey.send("/help")
    finally:
        bot.stop()

    # Everything shown, but what came while the user had chosen English.
    shown = Shown({})
    for number, record in enumerate(fake.sent(USER)):
        if number in english_window:
            continue
        where = f"{record.method} #{record.message_id}"
        shown.check(where, record.text)
        shown.check(where + " caption", record.caption)
        for label in record.button_labels:
            if label not in LANGUAGE_BUTTONS:
                shown.check(where + " button", label)
    for number, answer in enumerate(fake.callback_answers):
        if number not in english_answers:
            shown.check("pop-up", answer.text)

    # The command menu: Russian for Russian apps, English for English ones and by default.
    russian_menu = fake.commands_for(language_code="ru")
    english_menu = fake.commands_for(language_code="en")
    assert russian_menu and english_menu and fake.commands
    assert fake.commands == english_menu
    assert [c["command"] for c in russian_menu] == [c["command"] for c in english_menu]
    assert russian_menu != english_menu, "the Russian menu is the English one"
    for command in russian_menu:
        shown.check(f"menu (ru) /{command['command']}", command["description"])

    english = shown.report()
    assert not english and not journey.problems, (
        f"{len(english)} texts with English in them:\n"
        + "\n".join(english)
        + f"\n\n{len(journey.problems)} problems with Russian answers:\n"
        + "\n".join(journey.problems)
    )
    assert TOKEN not in bot.log
    assert "Traceback" not in bot.log
