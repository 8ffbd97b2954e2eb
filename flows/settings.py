"""/settings: time zone, units, check-in time, weekly summary day, language, pausing
check-ins.

The menu shows the current values; each change is saved at once (an UpdateSettings effect)
and leads back to the menu with the new value, until "Done" closes it. As in the other
flows, one shared `transitions` machine drives every user.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from enum import Enum, StrEnum
from functools import cache
from typing import Any

from babel.dates import get_day_names
from transitions import Machine, State

from flows import i18n, parsing, zone_picker
from flows.core import Choice, Conversation, Event, EventKind, Profile, Reply, Step, rows
from flows.interview import MESSAGE_KINDS
from flows.machine import fire, new_machine
from flows.places import canonical_zone, zone_name
from flows.registry import Flow
from flows.schedule import parse_time_of_day_or_error
from flows.texts import language as language_texts
from flows.texts.common import REASK
from flows.texts.plan import WEEKDAY_WORDS
from flows.texts.settings import CHECKIN_TIMES, SUMMARY_WEEKDAYS, TYPED_WEEKDAYS
from flows.texts.settings import COMMANDS as SETTINGS_COMMANDS
from flows.texts.settings import TEXTS as SETTINGS_TEXTS
from flows.texts.settings import TITLE as SETTINGS_TITLE

NAME = "settings"

UNITS = ("kg", "lb")
_UNIT_WORDS = {
    "kg": ("kg", "kgs", "kilo", "kilos", "kilogram", "kilograms", "metric", "кг", "кило",
           "килограмм", "килограмма", "килограммы", "килограммах", "килограммами",
           "килограммов", "метрическая", "метрические", "метрической", "метрическую"),
    "lb": ("lb", "lbs", "pound", "pounds", "imperial", "фунт", "фунта", "фунты", "фунтах",
           "фунтами", "фунтов", "имперская", "имперские", "имперской", "имперскую"),
}  # fmt: skip
_UNIT_OF_WORD = {word: unit for unit, words in _UNIT_WORDS.items() for word in words}
# Words around a typed unit that change nothing: "in pounds", «в фунтах», «давай в кг».
_UNIT_FILLERS = frozenset(
    {"in", "use", "please", "the", "units", "system", "в", "во", "на", "давай", "пожалуйста",
     "система", "системе", "систему", "единицы"}
)  # fmt: skip
# Words around a typed weekday that change nothing: "on sunday", "в воскресенье вечером".
_WEEKDAY_FILLERS = frozenset({"on", "evening", "evenings", "в", "во", "по", "вечером"})


class S(StrEnum):
    MENU = "menu"
    ZONE = "zone"
    UNITS = "units"
    TIME = "time"
    WEEKDAY = "weekday"
    LANGUAGE = "language"
    CLOSED = "closed"


_QUESTIONS = (S.ZONE.value, S.UNITS.value, S.TIME.value, S.WEEKDAY.value, S.LANGUAGE.value)


@dataclass(frozen=True)
class UpdateSettings:
    """Effect: change the settings that are not None.

    A new time zone or check-in time means the check-in, summary and leg-day reminders
    are due at other moments; pausing stops check-ins and summaries, not leg-day reminders.
    """

    timezone: str | None = None
    weight_unit: str | None = None
    checkin_time: str | None = None
    summary_weekday: int | None = None
    checkins_paused: bool | None = None
    language: str | None = None  # a code of flows.i18n.LANGUAGES


def _build_machine() -> Machine:
    machine = new_machine(S, S.MENU.value)
    add = machine.add_transition
    for question in _QUESTIONS:
        add(f"change_{question}", S.MENU.value, question)
    questions: list[str | Enum | State] = list(_QUESTIONS)
    add("set_value", questions, S.MENU.value)
    add("go_back", questions, S.MENU.value)
    add("toggle_pause", S.MENU.value, S.MENU.value)
    add("close", S.MENU.value, S.CLOSED.value)
    return machine


MACHINE = _build_machine()


def _text(key: str, **values: Any) -> str:
    return SETTINGS_TEXTS[key].format(**values)


# ---- what each state shows ------------------------------------------------------------------


def _menu_choices(data: dict[str, Any]) -> list[Choice]:
    pause = (
        Choice(_text("settings.choice.resume"), "settings=resume")
        if data["paused"]
        else Choice(_text("settings.choice.pause"), "settings=pause")
    )
    return [
        Choice(_text("settings.choice.zone"), "settings=zone"),
        Choice(_text("settings.choice.units"), "settings=units"),
        Choice(_text("settings.choice.time"), "settings=time"),
        Choice(_text("settings.choice.weekday"), "settings=weekday"),
        Choice(_text("settings.choice.language"), "settings=language"),
        pause,
        Choice(_text("settings.choice.done"), "settings=done"),
    ]


def _menu(data: dict[str, Any], now: datetime) -> Reply:
    checkins_key = (
        "settings.checkins.all_paused"  # /pause holds every message, check-ins included
        if data.get("all_paused")
        else "settings.checkins.paused"
        if data["paused"]
        else "settings.checkins.on"
    )
    return Reply(
        "settings.menu",
        {
            "zone": zone_name(data["zone"], now),
            "unit": _text(f"settings.choice.{data['unit']}"),
            "checkins_html": _text(checkins_key, time=data["time"]),
            "weekday": SUMMARY_WEEKDAYS[str(data["weekday"])],
            "language": language_texts.own_name(data["language"]),
        },
        choices=rows(_menu_choices(data), 2),
    )


ZONE_PROMPT = "settings.zone.prompt"


def _ask_zone(data: dict[str, Any]) -> list[Reply]:
    return zone_picker.ask(ZONE_PROMPT, data["zone"])


def _ask_units() -> Reply:
    choices = [Choice(_text(f"settings.choice.{unit}"), f"unit={unit}") for unit in UNITS]
    return Reply("settings.units.prompt", choices=rows(choices, 2))


def _ask_time() -> Reply:
    choices = [Choice(label, f"time={label}") for label in CHECKIN_TIMES]
    return Reply("settings.time.prompt", choices=rows(choices, 3))


def _ask_weekday() -> Reply:
    buttons = [
        Choice(i18n.weekday_name(index, "abbreviated"), f"weekday={index}") for index in range(7)
    ]
    return Reply("settings.weekday.prompt", choices=(tuple(buttons[:4]), tuple(buttons[4:])))


def _ask_language(data: dict[str, Any]) -> Reply:
    current = i18n.supported(data["language"])
    return Reply(
        "settings.language.prompt",
        {"language": language_texts.own_name(current)},
        choices=language_texts.choices(current),
    )


def _prompt(state: str, data: dict[str, Any], now: datetime) -> list[Reply]:
    if state == S.ZONE:
        return _ask_zone(data)
    if state == S.UNITS:
        return [_ask_units()]
    if state == S.TIME:
        return [_ask_time()]
    if state == S.WEEKDAY:
        return [_ask_weekday()]
    if state == S.LANGUAGE:
        return [_ask_language(data)]
    return [_menu(data, now)]


# ---- the flow ---------------------------------------------------------------------------------


def _data_from(profile: Profile) -> dict[str, Any]:
    weekday = profile.summary_weekday if 0 <= profile.summary_weekday <= 6 else 6
    return {
        "zone": canonical_zone(profile.timezone) or "UTC",
        "unit": profile.weight_unit if profile.weight_unit in UNITS else "kg",
        "time": profile.checkin_time,
        "weekday": weekday,
        "paused": profile.checkins_paused,
        "all_paused": profile.reminders_paused,
        "language": i18n.supported(profile.language),
    }


def start(profile: Profile, now: datetime) -> Step:
    data = _data_from(profile)
    return Step(S.MENU.value, data, [_menu(data, now)], restarted=True)


def handle(conversation: Conversation, event: Event, profile: Profile, now: datetime) -> Step:
    state = conversation.state
    # /pause and /resume are answered at once, in the middle of this too: read, never kept.
    data = {**_data_from(profile), **conversation.data, "all_paused": profile.reminders_paused}
    if state not in {s.value for s in S} or state == S.CLOSED:
        return start(profile, now)  # a state this version does not know: begin again

    if event.kind is EventKind.COMMAND:
        if event.text == "back":
            previous = fire(MACHINE, state, "go_back", data)
            if previous is None:
                return Step(state, data, [Reply("settings.first_step"), _menu(data, now)])
            return Step(previous, data, _prompt(previous, data, now))
        if event.text == NAME:
            return Step(S.MENU.value, data, [_menu(data, now)])
        if event.text == REASK and state == S.MENU:
            return Step(state, data, [])  # the menu is still there above, its buttons work
        # Shown again (after another conversation, say): the stored settings are the truth,
        # since that one may have changed them (a second /settings, /language).
        data = {**conversation.data, **_data_from(profile)}
        return Step(state, data, _prompt(state, data, now))

    if event.kind is EventKind.TEXT and len(event.text) > parsing.MAX_ANSWER_CHARS:
        return _retry(state, data, now, "settings.too_long")

    if state == S.ZONE:
        answer = zone_picker.read(event, ZONE_PROMPT, data["zone"])
        if answer is not None:
            if answer.zone is None:
                return Step(state, data, answer.replies)
            return _set(state, data, now, UpdateSettings(timezone=answer.zone))

    if event.kind is EventKind.BUTTON:
        target, _, value = event.text.partition("=")
        return _on_button(state, data, target, value, now)

    if event.kind is EventKind.TEXT:
        return _on_text(state, data, event.text, now)

    kind = event.text if event.text in MESSAGE_KINDS else "message"
    return _retry(state, data, now, "settings.not_text", what=MESSAGE_KINDS[kind])


def _retry(state: str, data: dict[str, Any], now: datetime, key: str, **values: Any) -> Step:
    example = _text(f"settings.example.{state if state in _QUESTIONS else 'menu'}")
    problem = Reply(key, {"example_html": example, **values})
    return Step(state, data, [problem, *_prompt(state, data, now)])


def _on_button(state: str, data: dict[str, Any], target: str, value: str, now: datetime) -> Step:
    if target == "settings" and state == S.MENU:
        if value in _QUESTIONS:
            new_state = fire(MACHINE, state, f"change_{value}", data)
            if new_state is not None:
                return Step(new_state, data, _prompt(new_state, data, now))
        if value in {"pause", "resume"}:
            return _pause(state, data, now, paused=value == "pause")
        if value == "done":
            fire(MACHINE, state, "close", data)
            return Step(None, {}, [Reply("settings.closed")])
    if target == "unit" and state == S.UNITS and value in UNITS:
        return _set(state, data, now, UpdateSettings(weight_unit=value))
    if target == "time" and state == S.TIME:
        return _on_text(state, data, value, now)
    weekday = parsing.parse_index(value, 7)
    if target == "weekday" and state == S.WEEKDAY and weekday is not None:
        return _set(state, data, now, UpdateSettings(summary_weekday=weekday))
    if target == "language" and state == S.LANGUAGE and value in i18n.LANGUAGES:
        return _set(state, data, now, UpdateSettings(language=value))
    return Step(state, data, [Reply("settings.old_button"), *_prompt(state, data, now)])


def _on_text(state: str, data: dict[str, Any], text: str, now: datetime) -> Step:
    cleaned = parsing.normalise(text)
    if state == S.TIME:
        moment, error = parse_time_of_day_or_error(text)
        if moment is None:
            problem = Reply(f"settings.time.{error or 'not_a_time'}", {"text": text[:40]})
            return Step(state, data, [problem, _ask_time()])
        return _set(state, data, now, UpdateSettings(checkin_time=f"{moment:%H:%M}"))
    if state == S.UNITS:
        unit = _typed_unit(cleaned)
        if unit is not None:
            return _set(state, data, now, UpdateSettings(weight_unit=unit))
        return Step(
            state, data, [Reply("settings.units.not_a_unit", {"text": text[:40]}), _ask_units()]
        )
    if state == S.WEEKDAY:
        weekday = _typed_weekday(cleaned)
        if weekday is not None:
            return _set(state, data, now, UpdateSettings(summary_weekday=weekday))
        problem = Reply("settings.weekday.not_a_day", {"text": text[:40]})
        return Step(state, data, [problem, _ask_weekday()])
    if state == S.LANGUAGE:
        code = language_texts.read(text)
        if code is not None:
            return _set(state, data, now, UpdateSettings(language=code))
        problem = Reply("settings.language.not_a_language", {"text": text[:40]})
        return Step(state, data, [problem, _ask_language(data)])
    # In the menu, a typed button label counts as pressing it.
    for choice in _menu_choices(data):
        if parsing.normalise(choice.label) == cleaned or _bare(choice.label) == cleaned:
            target, _, value = choice.value.partition("=")
            return _on_button(state, data, target, value, now)
    return Step(
        state, data, [Reply("settings.not_understood", {"text": text[:40]}), _menu(data, now)]
    )


def _typed_unit(cleaned: str) -> str | None:
    """ "kg" or "lb" for a typed unit, alone or in a few words ("pounds", «в фунтах»,
    «килограммы»); None for anything else, also when both are named."""
    words = [word for word in re.findall(r"[^\W\d_]+", cleaned) if word not in _UNIT_FILLERS]
    units = {_UNIT_OF_WORD.get(word) for word in words}
    return units.pop() if len(units) == 1 and None not in units else None


def _typed_weekday(cleaned: str) -> int | None:
    """Monday = 0 for one typed day of the week ("Friday", "sun", "в пятницу"), else None."""
    day_words = [word for word in re.findall(r"[^\W\d_]+", cleaned) if word not in _WEEKDAY_FILLERS]
    if len(day_words) != 1:
        return None
    return _weekday_words().get(day_words[0])


@cache
def _weekday_words() -> dict[str, int]:
    """Typed weekdays in every language the bot speaks: the names and their abbreviations,
    and the other forms a sentence puts them in, by Monday = 0."""
    found: dict[str, int] = {**WEEKDAY_WORDS, **TYPED_WEEKDAYS}
    for language in i18n.LANGUAGES:
        for width in ("wide", "abbreviated", "short"):
            for context in ("format", "stand-alone"):
                names = get_day_names(width, context=context, locale=language)
                for index, name in names.items():
                    found.setdefault(str(name).lower().strip("."), int(index))
    return found


def _bare(label: str) -> str:
    """A label without its emoji: "⚖️ Units" -> "units"."""
    return parsing.normalise(re.sub(r"[^\w\s-]", "", label))


def _set(state: str, data: dict[str, Any], now: datetime, change: UpdateSettings) -> Step:
    """Saves one change and goes back to the menu, which shows the new value. After a new
    language both are in it already (the adapter renders them once the change is stored)."""
    if change.language is not None:
        data["language"] = change.language
    new_state = fire(MACHINE, state, "set_value", data) or S.MENU.value
    with i18n.use(data["language"] if change.language is not None else i18n.current()):
        replies = [_confirmation(data, now, change), _menu(data, now)]
    return Step(new_state, data, replies, [change])


def _confirmation(data: dict[str, Any], now: datetime, change: UpdateSettings) -> Reply:
    if change.timezone is not None:
        data["zone"] = change.timezone
        return zone_picker.confirmed(change.timezone, now)
    if change.weight_unit is not None:
        data["unit"] = change.weight_unit
        return Reply("settings.units.saved", {"unit": _text(f"settings.choice.{data['unit']}")})
    if change.checkin_time is not None:
        data["time"] = change.checkin_time
        return Reply("settings.time.saved", {"time": change.checkin_time})
    if change.language is not None:
        return Reply(
            "settings.language.saved", {"language": language_texts.own_name(data["language"])}
        )
    assert change.summary_weekday is not None
    data["weekday"] = change.summary_weekday
    return Reply(
        "settings.weekday.saved", {"weekday": SUMMARY_WEEKDAYS[str(change.summary_weekday)]}
    )


def _pause(state: str, data: dict[str, Any], now: datetime, *, paused: bool) -> Step:
    fire(MACHINE, state, "toggle_pause", data)
    if data["paused"] == paused:
        # An older menu's button: the setting is already that way, so just show it.
        return Step(state, data, [_menu(data, now)])
    data["paused"] = paused
    confirmation = (
        Reply("settings.paused") if paused else Reply("settings.resumed", {"time": data["time"]})
    )
    return Step(
        state, data, [confirmation, _menu(data, now)], [UpdateSettings(checkins_paused=paused)]
    )


FLOW = Flow(
    NAME,
    SETTINGS_TITLE,
    SETTINGS_COMMANDS,
    SETTINGS_TEXTS,
    start,
    handle,
    effects=(UpdateSettings,),
)
