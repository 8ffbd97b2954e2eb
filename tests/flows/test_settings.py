"""/settings as a pure state machine: the menu, every setting, bad input, back and done."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from typing import Any

import pytest

from flows.core import Event, Profile
from flows.settings import MACHINE, UpdateSettings
from flows.texts import render
from tests.flows.driver import Chat


def user(**profile: Any) -> Chat:
    return Chat(Profile(user_id=9, **profile))


def updates(chat: Chat) -> list[UpdateSettings]:
    return [effect for effect in chat.effects if isinstance(effect, UpdateSettings)]


def opened(**profile: Any) -> Chat:
    chat = user(**profile)
    chat.command("settings")
    return chat


def test_the_menu_shows_every_current_setting() -> None:
    chat = user(
        timezone="Europe/Berlin",
        weight_unit="lb",
        checkin_time="21:30",
        summary_weekday=4,
    )
    [menu] = chat.command("settings")
    assert menu.key == "settings.menu"
    text = render(menu)
    # NOW (driver) is in November: Berlin is on winter time, UTC+1.
    for shown in ("Time zone: <b>Berlin (UTC+1)</b>", "lb", "21:30", "Friday"):
        assert shown in text
    assert menu.choice_values == [
        "settings=zone",
        "settings=units",
        "settings=time",
        "settings=weekday",
        "settings=language",
        "settings=pause",
        "settings=done",
    ]


def test_time_zone_by_city_location_or_button() -> None:
    chat = opened()
    replies = chat.press("settings=zone")
    assert [reply.key for reply in replies] == ["settings.zone.prompt", "zone.share_location"]
    assert replies[1].request_location
    assert "zone=America/New_York" in replies[0].choice_values
    replies = chat.text("Berlin")
    assert updates(chat) == [UpdateSettings(timezone="Europe/Berlin")]
    assert [reply.key for reply in replies] == ["zone.confirmed", "settings.menu"]
    assert "Time zone: <b>Berlin (UTC+1)</b>" in render(replies[1])
    assert chat.state == "menu"

    chat.press("settings=zone")
    assert chat.send(Event.location(0.0, -30.0))[0].key == "zone.at_sea"
    chat.send(Event.location(35.68, 139.69))
    chat.press("settings=zone")
    chat.press("zone=America/Sao_Paulo")
    assert [change.timezone for change in updates(chat)] == [
        "Europe/Berlin",
        "Asia/Tokyo",
        "America/Sao_Paulo",
    ]


def test_an_unknown_place_and_a_sticker_ask_for_the_zone_again() -> None:
    chat = opened()
    chat.press("settings=zone")
    replies = chat.text("Atlantisville")
    assert replies[0].key == "zone.not_found" and replies[1].key == "settings.zone.prompt"
    replies = chat.send(Event.other("sticker"))
    assert replies[0].key == "settings.not_text" and "sticker" in render(replies[0])
    assert chat.state == "zone" and updates(chat) == []


def test_a_city_with_namesakes_offers_a_choice() -> None:
    chat = opened()
    chat.press("settings=zone")
    replies = chat.text("Springfield")
    assert replies[0].key == "zone.pick" and len(set(replies[0].choice_values)) >= 2
    chat.press("zone=America/Chicago")
    assert updates(chat) == [UpdateSettings(timezone="America/Chicago")]


@pytest.mark.parametrize(("answer", "unit"), [("unit=lb", "lb"), ("pounds", "lb"), ("KG", "kg")])
def test_units_by_button_or_typed(answer: str, unit: str) -> None:
    chat = opened()
    replies = chat.press("settings=units")
    assert replies[0].choice_values == ["unit=kg", "unit=lb"]
    replies = chat.press(answer) if "=" in answer else chat.text(answer)
    assert updates(chat) == [UpdateSettings(weight_unit=unit)]
    assert replies[0].key == "settings.units.saved" and replies[1].key == "settings.menu"


def test_an_unknown_unit_is_explained() -> None:
    chat = opened()
    chat.press("settings=units")
    replies = chat.text("stone")
    assert replies[0].key == "settings.units.not_a_unit" and "stone" in render(replies[0])
    assert replies[1].key == "settings.units.prompt" and chat.state == "units"


@pytest.mark.parametrize(
    ("answer", "saved"),
    [("time=22:00", "22:00"), ("9:30pm", "21:30"), ("20", "20:00"), ("at 7.15 pm", "19:15")],
)
def test_checkin_time_by_button_or_typed(answer: str, saved: str) -> None:
    chat = opened()
    replies = chat.press("settings=time")
    assert replies[0].choice_values == ["time=20:00", "time=21:00", "time=22:00"]
    replies = chat.press(answer) if answer.startswith("time=") else chat.text(answer)
    assert updates(chat) == [UpdateSettings(checkin_time=saved)]
    assert saved in render(replies[0]) and saved in render(replies[1])


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("25:00", "settings.time.out_of_range"),
        ("9pm tomorrow", "settings.time.has_date"),
        ("after dinner", "settings.time.not_a_time"),
    ],
)
def test_bad_times_say_what_was_wrong(typed: str, error: str) -> None:
    chat = opened()
    chat.press("settings=time")
    replies = chat.text(typed)
    assert replies[0].key == error and replies[1].key == "settings.time.prompt"
    assert "21:30" in render(replies[0])  # an example of a good answer
    assert chat.state == "time" and updates(chat) == []


@pytest.mark.parametrize(("answer", "weekday"), [("weekday=0", 0), ("Friday", 4), ("sun", 6)])
def test_summary_day_by_button_or_typed(answer: str, weekday: int) -> None:
    chat = opened()
    replies = chat.press("settings=weekday")
    assert replies[0].choice_values == [f"weekday={day}" for day in range(7)]
    replies = chat.press(answer) if "=" in answer else chat.text(answer)
    assert updates(chat) == [UpdateSettings(summary_weekday=weekday)]
    assert replies[1].key == "settings.menu"


def test_a_summary_day_must_be_one_weekday() -> None:
    chat = opened()
    chat.press("settings=weekday")
    for typed in ("someday", "monday friday"):
        replies = chat.text(typed)
        assert replies[0].key == "settings.weekday.not_a_day"
        assert replies[1].key == "settings.weekday.prompt"
    assert updates(chat) == []


def test_pause_and_resume_checkins() -> None:
    chat = opened()
    replies = chat.press("settings=pause")
    assert updates(chat) == [UpdateSettings(checkins_paused=True)]
    assert replies[0].key == "settings.paused"
    assert "settings=resume" in replies[1].choice_values
    assert "paused" in render(replies[1])
    replies = chat.press("settings=resume")
    assert updates(chat)[-1] == UpdateSettings(checkins_paused=False)
    assert "21:00" in render(replies[0])
    # A paused user sees "resume"; an old "pause" button then changes nothing.
    paused = opened(checkins_paused=True)
    paused.press("settings=pause")
    assert updates(paused) == []


def test_typed_menu_labels_work_like_buttons() -> None:
    chat = opened()
    assert chat.text("Units")[0].key == "settings.units.prompt"
    chat.command("back")
    assert chat.text("check-in time")[0].key == "settings.time.prompt"
    chat.command("back")
    replies = chat.text("what")
    assert replies[0].key == "settings.not_understood" and replies[1].key == "settings.menu"


def test_back_returns_to_the_menu_and_done_closes_it() -> None:
    chat = opened()
    chat.press("settings=time")
    assert chat.command("back")[0].key == "settings.menu"
    assert chat.state == "menu"
    replies = chat.command("back")
    assert [reply.key for reply in replies] == ["settings.first_step", "settings.menu"]
    replies = chat.press("settings=done")
    assert replies[0].key == "settings.closed"
    assert chat.conversation is not None and chat.conversation.flow == ""
    assert updates(chat) == [] and MACHINE.models == []


def test_an_old_menu_button_during_a_question_is_not_acted_on() -> None:
    chat = opened()
    chat.press("settings=time")
    replies = chat.press("settings=zone")
    assert replies[0].key == "settings.old_button" and replies[1].key == "settings.time.prompt"


def test_the_offset_in_the_menu_follows_daylight_saving() -> None:
    chat = user(timezone="Europe/Berlin")
    summer = chat.send(Event.command("settings"), datetime(2026, 3, 29, 2, 0, tzinfo=UTC))
    assert "UTC+2" in render(summer[0])
    winter = chat.send(Event.command("settings"), datetime(2026, 3, 29, 0, 59, tzinfo=UTC))
    assert "UTC+1" in render(winter[0])


def test_the_menu_shown_again_after_another_conversation_shows_the_settings_stored_now() -> None:
    """Settings opened in pounds, put on hold by /language, and the unit changed meanwhile
    (a second /settings): back in the first, the menu says kilograms."""
    chat = user(weight_unit="lb")
    chat.command("settings")
    chat.command("language")
    chat.profile = dataclasses.replace(chat.profile, weight_unit="kg")
    replies = chat.command("cancel")
    menu = next(reply for reply in replies if reply.key == "settings.menu")
    assert "Units: <b>kg</b>" in render(menu)


def test_check_ins_held_by_pause_say_so_and_how_to_resume() -> None:
    chat = user(reminders_paused=True)
    [menu] = chat.command("settings")
    assert "paused</b> with every reminder (usually at 21:00); /resume" in render(menu)
