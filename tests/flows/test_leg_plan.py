"""The /plan conversation and the one-shot reminder commands, as pure state machines."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
from icalendar import Calendar

from flows.core import Event, Profile
from flows.leg_plan import MACHINE, SavePlan, SetRemindersPaused
from flows.planning import Lifter, Plan, build_workout, lifter_from, start_shift, workout_on
from flows.texts import plain, render
from flows.texts.plan import render_workout
from tests.flows.driver import NOW, Chat

# Answers of someone who should split leg work (intermediate, recovers well, form checked).
SPLITTER: dict[str, Any] = {
    "experience": "intermediate",
    "recovery": "good",
    "weight_kg": 82.0,
    "weight_unit": "kg",
    "form_checked": True,
    "chases_heavy": False,
}
BEGINNER: dict[str, Any] = {"experience": "beginner", "recovery": "good", "weight_kg": 70.0}


def planner(answers: dict[str, Any] | None = SPLITTER, **profile: Any) -> Chat:
    chat = Chat(Profile(user_id=3, latest_answers=answers, **profile))
    return chat


def saved_plans(chat: Chat) -> list[SavePlan]:
    return [effect for effect in chat.effects if isinstance(effect, SavePlan)]


def test_plan_needs_an_assessment_first() -> None:
    chat = planner(None)
    replies = chat.command("plan")
    assert replies[0].key == "leg_plan.needs_assessment"
    assert replies[0].choice_values == ["go=assess"]
    assert chat.press("go=assess")[-1].key == "q.experience"


def test_split_lifter_gets_tuesday_and_friday_then_time_and_zone() -> None:
    chat = planner()
    replies = chat.command("plan")
    assert replies[0].key == "plan.proposal.split"
    assert replies[0].values == {"first_day": "Tuesday", "second_day": "Friday"}
    replies = chat.press("plan=keep")
    assert replies[0].key == "time.prompt"
    replies = chat.text("18:30")
    assert [reply.key for reply in replies] == ["zone.prompt", "zone.share_location"]
    assert replies[1].request_location
    replies = chat.text("Berlin")
    [plan] = saved_plans(chat)
    assert plan == SavePlan(
        split=True,
        weekdays=(1, 4),
        reminder_time="18:30",
        timezone="Europe/Berlin",
        experience="intermediate",
        explosive=True,
        scheme_shift=start_shift(date(2026, 11, 17)),
    )
    saved = next(reply for reply in replies if reply.key == "leg_plan.saved")
    # NOW is Tuesday 17 Nov 09:30 UTC: the first reminder is that evening in Berlin.
    assert saved.values["next_reminder"] == "Tuesday 17 November, 18:30"
    previews = [reply for reply in replies if reply.key.startswith("plan.workout_")]
    assert [reply.key for reply in previews] == ["plan.workout_preview", "plan.workout_after"]
    assert [reply.values["day"] for reply in previews] == [
        "Tuesday 17 November",
        "Friday 20 November",
    ]
    assert "15" in render(previews[0])
    assert chat.conversation is not None and chat.conversation.flow == ""


def test_beginner_gets_one_full_leg_day() -> None:
    chat = planner(BEGINNER)
    replies = chat.command("plan")
    assert replies[0].key == "plan.proposal.single"
    chat.press("plan=days")
    chat.press("day=5")
    chat.text("7am")
    chat.press("zone=Europe/London")
    [plan] = saved_plans(chat)
    assert plan.weekdays == (5,) and plan.split is False and plan.reminder_time == "07:00"


def test_adjacent_days_are_explained_with_a_better_pair() -> None:
    chat = planner()
    chat.command("plan")
    chat.press("plan=days")
    chat.press("day=0")
    replies = chat.press("day=1")
    assert replies[0].key == "plan.adjacent"
    assert replies[0].choice_values == ["take=0,3"]
    assert "Monday" in render(replies[0]) and "Thursday" in render(replies[0])
    replies = chat.press("take=0,3")
    assert replies[0].key == "time.prompt"
    assert chat.conversation is not None
    assert chat.conversation.data["weekdays"] == [0, 3]


def test_sunday_and_monday_are_neighbours_too() -> None:
    chat = planner()
    chat.command("plan")
    chat.press("plan=days")
    replies = chat.text("sunday monday")
    assert replies[0].key == "plan.adjacent_wrap"
    assert chat.conversation is not None and chat.conversation.state == "pick_days"


@pytest.mark.parametrize(
    ("typed", "weekdays"), [("tue fri", [1, 4]), ("Monday and Thursday", [0, 3])]
)
def test_days_can_be_typed(typed: str, weekdays: list[int]) -> None:
    chat = planner()
    chat.command("plan")
    chat.press("plan=days")
    assert chat.text(typed)[0].key == "time.prompt"
    assert chat.conversation is not None and chat.conversation.data["weekdays"] == weekdays


def test_days_typed_one_at_a_time_are_picked_like_taps() -> None:
    chat = planner()
    chat.command("plan")
    chat.press("plan=days")
    first = chat.text("monday")
    assert chat.conversation is not None and chat.conversation.state == "pick_days"
    assert "exactly two" not in plain(render(first[0]))
    assert chat.text("thursday")[0].key == "time.prompt"
    assert chat.conversation is not None and chat.conversation.data["weekdays"] == [0, 3]


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("25:00", "time.out_of_range"),
        ("6pm tomorrow", "time.has_date"),
        ("soonish", "time.not_a_time"),
    ],
)
def test_bad_times_say_what_was_wrong(typed: str, error: str) -> None:
    chat = planner()
    chat.command("plan")
    chat.press("plan=keep")
    replies = chat.text(typed)
    assert replies[0].key == error and replies[1].key == "time.prompt"
    assert chat.conversation is not None and chat.conversation.state == "ask_time"


def test_unknown_city_sea_location_and_stickers_ask_again() -> None:
    chat = planner()
    chat.command("plan")
    chat.press("plan=keep")
    chat.text("18:00")
    assert chat.text("Atlantisville")[0].key == "zone.not_found"
    assert chat.send(Event.location(0.0, -30.0))[0].key == "zone.at_sea"
    assert chat.send(Event.other("sticker"))[0].key == "leg_plan.not_text"
    assert chat.conversation is not None and chat.conversation.state == "ask_zone"
    assert saved_plans(chat) == []
    chat.send(Event.location(52.52, 13.40))
    [plan] = saved_plans(chat)
    assert plan.timezone == "Europe/Berlin"


def test_cities_of_similar_size_offer_a_choice_and_a_world_city_does_not() -> None:
    chat = planner()
    chat.command("plan")
    chat.press("plan=keep")
    chat.text("18:00")
    replies = chat.text("Springfield")
    assert replies[0].key == "zone.pick"
    assert len(set(replies[0].choice_values)) >= 2
    labels = [choice.label for row in replies[0].choices for choice in row]
    assert len(set(labels)) == len(labels)  # namesakes are told apart
    chat.press("zone=America/Chicago")
    assert saved_plans(chat)[0].timezone == "America/Chicago"
    other = planner()
    other.command("plan")
    other.press("plan=keep")
    other.text("18:00")
    other.text("Paris")  # not Paris, Texas
    assert saved_plans(other)[0].timezone == "Europe/Paris"


def test_existing_plan_is_shown_and_one_part_changed() -> None:
    chat = planner(
        plan_weekdays=(1, 4), plan_split=True, reminder_time="18:00", timezone="America/New_York"
    )
    replies = chat.command("plan")
    assert replies[0].key == "leg_plan.summary"
    text = render(replies[0])
    assert "Tuesday" in text and "Friday" in text and "New York" in text
    chat.press("plan=time")
    saved = chat.text("6:15 am")
    assert [reply.key for reply in saved] == ["leg_plan.saved"]  # no workouts: days unchanged
    [plan] = saved_plans(chat)
    assert plan.weekdays == (1, 4) and plan.reminder_time == "06:15"
    assert plan.timezone == "America/New_York"


@pytest.mark.parametrize(
    ("zone", "shown"),
    [("America/New_York", "Time zone: New York (UTC-5)"), ("Etc/GMT-2", "Time zone: UTC+2")],
)
def test_the_plan_names_its_zone_with_the_offset_once(zone: str, shown: str) -> None:
    chat = planner(plan_weekdays=(1, 4), plan_split=True, reminder_time="18:00", timezone=zone)
    text = plain(render(chat.command("plan")[0]))
    assert text.endswith(shown) and "UTC+2 (UTC+2)" not in text


def test_back_goes_one_step_back() -> None:
    chat = planner()
    chat.command("plan")
    chat.press("plan=keep")
    chat.text("18:00")
    chat.command("back")
    assert chat.conversation is not None and chat.conversation.state == "ask_time"
    chat.command("back")
    assert chat.conversation.state == "propose"
    replies = chat.command("back")
    assert replies[0].key == "leg_plan.first_step"


def test_old_buttons_of_the_plan_do_not_act() -> None:
    chat = planner()
    chat.command("plan")
    chat.press("plan=keep")
    replies = chat.press("day=3")
    assert replies[0].key == "leg_plan.old_button"
    assert chat.conversation is not None and chat.conversation.state == "ask_time"


def test_machine_keeps_no_model_between_events() -> None:
    chat = planner()
    chat.command("plan")
    chat.press("plan=keep")
    assert MACHINE.models == []


def test_pause_and_resume() -> None:
    no_plan = planner()
    assert no_plan.command("pause")[0].key == "reminders.none"
    chat = planner(
        plan_weekdays=(1, 4), plan_split=True, reminder_time="18:00", timezone="Europe/Berlin"
    )
    assert chat.command("pause")[0].key == "reminders.paused"
    assert chat.effects == [SetRemindersPaused(True)]
    assert chat.command("resume")[0].key == "reminders.not_paused"
    paused = planner(
        plan_weekdays=(1, 4),
        plan_split=True,
        reminder_time="18:00",
        timezone="Europe/Berlin",
        reminders_paused=True,
    )
    replies = paused.command("resume")
    assert replies[0].key == "reminders.resumed"
    assert replies[0].values["next_reminder"] == "Tuesday 17 November, 18:00"
    assert paused.command("pause")[0].key == "reminders.already_paused"


def test_pause_mid_interview_keeps_the_question() -> None:
    chat = planner(plan_weekdays=(1, 4), plan_split=True, reminder_time="18:00")
    chat.command("assess")
    replies = chat.command("pause")
    assert [reply.key for reply in replies] == ["reminders.paused", "q.experience"]


def occurrences(calendar: Calendar, weeks: int) -> dict[date, Any]:
    """Every event date of the first `weeks` weeks from the earliest start, to its event."""
    events = list(calendar.walk("VEVENT"))
    first = min(event.decoded("dtstart").date() for event in events)
    found: dict[date, Any] = {}
    for event in events:
        start = event.decoded("dtstart").date()
        step = timedelta(weeks=int(event["rrule"]["INTERVAL"][0]))
        day = start
        while day < first + timedelta(weeks=weeks):
            assert day not in found, "one event per leg day"
            found[day] = event
            day += step
    return found


def test_calendar_file_holds_weekly_leg_days_in_local_time() -> None:
    chat = planner(
        plan_weekdays=(1, 4), plan_split=True, reminder_time="18:30", timezone="Europe/Berlin"
    )
    [reply] = chat.command("calendar")
    assert reply.attachment is not None and reply.attachment.filename.endswith(".ics")
    calendar = Calendar.from_ical(reply.attachment.content)
    events = list(calendar.walk("VEVENT"))
    starts = sorted(event.decoded("dtstart") for event in events)
    assert {start.weekday() for start in starts} == {1, 4}
    assert all(start.time() == time(18, 30) for start in starts)
    assert all(str(start.tzinfo) == "Europe/Berlin" for start in starts)
    assert starts[0] > NOW
    assert {str(event["rrule"]["FREQ"][0]) for event in events} == {"WEEKLY"}
    assert len({str(event["uid"]) for event in events}) == len(events)
    # Every Tuesday and Friday of the coming year has exactly one event.
    days = occurrences(calendar, 52)
    assert len(days) == 104 and {day.weekday() for day in days} == {1, 4}
    assert planner().command("calendar")[0].key == "calendar.none"


def test_calendar_event_holds_the_workout_of_its_date() -> None:
    chat = planner(
        plan_weekdays=(1, 4), plan_split=True, reminder_time="18:30", timezone="Europe/Berlin"
    )
    [reply] = chat.command("calendar")
    assert reply.attachment is not None
    plan = Plan(split=True, weekdays=(1, 4))
    lifter = lifter_from(SPLITTER)
    for day, event in occurrences(Calendar.from_ical(reply.attachment.content), 30).items():
        expected = plain(render_workout(workout_on(plan, lifter, day)))
        assert str(event["description"]) == expected


def test_a_technique_first_calendar_has_no_explosive_cue() -> None:
    answers = {**SPLITTER, "form_checked": None}
    chat = planner(
        answers, plan_weekdays=(1, 4), plan_split=True, reminder_time="18:30", timezone="UTC"
    )
    [reply] = chat.command("calendar")
    assert reply.attachment is not None
    text = reply.attachment.content.decode()
    assert "fast" not in text and "heavy" not in text and "moderate weight" in text


def test_next_workouts_come_in_date_order() -> None:
    # Thursday 3 December, day A on Monday and day B on Thursday: Thursday comes first.
    thursday = datetime(2026, 12, 3, 7, 0, tzinfo=UTC)
    chat = planner(plan_weekdays=(0, 3), plan_split=True, reminder_time="18:00", timezone="UTC")
    chat.send(Event.command("plan"), thursday)
    replies = chat.send(Event.button("plan=workout", token=chat.conversation.token), thursday)  # type: ignore[union-attr]
    previews = [reply for reply in replies if reply.key.startswith("plan.workout_")]
    assert [reply.values["day"] for reply in previews] == [
        "Thursday 3 December",
        "Monday 7 December",
    ]
    assert "Day B" in render(previews[0]) and "Day A" in render(previews[1])


def test_next_reminder_respects_the_users_zone_far_east_and_west() -> None:
    for zone in ("Pacific/Kiritimati", "Etc/GMT+12"):
        chat = planner()
        chat.command("plan")
        chat.press("plan=keep")
        chat.text("06:00")
        replies = chat.text(zone)
        saved = next(reply for reply in replies if reply.key == "leg_plan.saved")
        assert saved.values["next_reminder"].endswith("06:00")
    assert datetime(2026, 11, 17, tzinfo=UTC) < NOW


# ---- what the plan says when a message is not one of its buttons -----------------------


def shown_plan() -> Chat:
    chat = planner(plan_weekdays=(1, 4), plan_split=True, reminder_time="18:00")
    chat.command("plan")
    return chat


def test_free_text_in_the_plan_menu_says_what_to_do_with_the_buttons_under_it() -> None:
    chat = shown_plan()
    [reply] = chat.text("what now")
    text = plain(render(reply))
    assert (
        text
        == "I didn't get “what now”. Tap a button below, or type what it says, e.g. Change days."
    )
    assert "not a text like that" not in text
    assert reply.choice_values[:2] == ["plan=days", "plan=time"]
    assert chat.state == "show"
    assert chat.text("change time")[0].key == "time.prompt"


def test_free_text_in_the_proposal_names_its_buttons() -> None:
    chat = planner()
    chat.command("plan")
    [reply] = chat.text("hmm")
    assert "e.g. <b>Keep these days</b>" in render(reply)
    assert reply.choice_values == ["plan=keep", "plan=days"]


def test_a_sticker_in_the_plan_menu_gets_the_buttons_not_the_whole_menu() -> None:
    chat = shown_plan()
    [reply] = chat.send(Event.other("sticker"))
    assert reply.key == "leg_plan.not_text" and "sticker" in render(reply)
    assert "plan=zone" in reply.choice_values


def test_typing_a_command_button_of_the_menu_works_like_tapping_it() -> None:
    chat = shown_plan()
    [reply] = chat.text("Calendar file")
    assert reply.key == "calendar.caption" and reply.attachment is not None
    assert chat.state == "show"


def test_a_new_plan_starts_in_week_one_of_its_block() -> None:
    for first_day in (date(2026, 11, 17), date(2026, 12, 8), date(2027, 3, 2)):
        plan = Plan(True, (1, 4), scheme_shift=start_shift(first_day))
        workout = workout_on(plan, lifter_from(SPLITTER), first_day)
        assert (workout.scheme, workout.week_in_block) == ("straight", 1)
    chat = planner()
    chat.command("plan")
    chat.press("plan=keep")
    chat.text("18:30")
    replies = chat.text("Berlin")
    preview = next(reply for reply in replies if reply.key == "plan.workout_preview")
    assert "Straight sets, week 1 of 4 of this block" in render(preview)


def test_two_exercises_back_to_back_are_called_supersets() -> None:
    front = build_workout("front", Lifter("intermediate", True), 8)
    assert front.scheme == "giant" and len(front.giant_set) == 2
    text = render_workout(front)
    assert "Supersets, week" in text and "Giant sets" not in text
    full = build_workout("full", Lifter("intermediate", True), 8)
    assert "Giant sets, week" in render_workout(full)
