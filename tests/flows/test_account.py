"""The user's own data: /export, /delete, /progress and the re-assessment comparison."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from flows.account import (
    AttachChart,
    DeleteEverything,
    ExportData,
    assessment_change_reply,
    export,
    parse_period,
    progress,
)
from flows.core import Event, Profile
from flows.export import render_summary as render_export_summary
from flows.progress import CheckinDay
from flows.texts import render, render_key
from tests.flows.driver import NOW, Chat

TUESDAY = date(2026, 11, 17)  # NOW's date in UTC
ASSESSED = {"experience": "intermediate", "weight_kg": 82.0, "weight_unit": "kg"}


def user(**profile: Any) -> Chat:
    return Chat(Profile(user_id=11, **profile))


# ---- /export ---------------------------------------------------------------------------------


def export_document(**parts: Any) -> dict[str, Any]:
    """An export document as bot.account_data builds it, with nothing stored yet."""
    return {
        "exported_at": "2026-11-17T10:30+01:00",
        "time_zone": "Europe/Berlin",
        "profile": {"name": "Ann", "with_leg_day_coach_since": "2026-11-01T08:05+01:00"},
        "settings": {
            "time_zone": "Europe/Berlin",
            "weight_unit": "lb",
            "daily_check_in_time": "21:00",
            "daily_check_ins_paused": True,
            "weekly_summary_day": "Friday",
            "leg_day_reminders_paused": False,
        },
        "assessments": [],
        "plan": None,
        "scheduled": [],
        "reminder_answers": [],
        "check_ins": [],
        **parts,
    }


def test_export_summary_of_a_new_user_says_what_is_not_there_yet() -> None:
    summary = render_export_summary(export_document())
    assert "Exported Tuesday 17 November 2026, 10:30 (Berlin)." in summary
    assert "- With Leg Day Coach since: Sunday 1 November 2026, 08:05" in summary
    assert "- Daily check-in: paused (usually at 21:00)" in summary
    assert "- Weekly summary: Friday evening" in summary
    for missing in ("No assessment yet.", "No plan yet.", "Nothing is scheduled.", "None yet."):
        assert missing in summary
    assert "No check-ins yet." in summary


def test_export_summary_puts_skipped_answers_and_check_ins_in_words() -> None:
    taken = {
        "taken_at": "2026-11-10T19:00+01:00",
        "answers": {"experience": "beginner", "weight_kg": 81.6466266, "weight_unit": "lb"},
        "holding_legs_back": [{"reason": "protein", "title": "Protein"}],
    }
    taken["answers"]["recovery"] = None
    checkin = {
        "date": "2026-11-16",
        "weekday": "Monday",
        "sleep_hours": None,
        "protein_g": 140.0,
        "carbs_g": 300.0,
        "carbs_level": None,
        "cardio_minutes": 45,
        "cardio_kind": "steady",
        "leg_day": "rest",
        "saved_at": "2026-11-16T21:10+01:00",
    }
    summary = render_export_summary(export_document(assessments=[taken], check_ins=[checkin]))
    assert "What held your legs back then: Protein." in summary
    assert "- What do you weigh? **180 lb**" in summary
    assert "after a hard one? **don't know / skipped**" in summary
    assert "| Mon 16 Nov 2026 | - | 140 g | 300 g | 45 min, steady | rest day |" in summary


def test_export_with_no_data_says_so_and_does_nothing() -> None:
    chat = user()
    replies = chat.command("export")
    assert replies[0].key == "account.export.nothing"
    assert "nothing" in render(replies[0])
    assert chat.effects == []


def test_export_sends_everything_held() -> None:
    chat = user(has_data=True)
    replies = chat.command("export")
    assert replies[0].key == "account.export.ready"
    assert "everything I hold about you" in render(replies[0])
    assert chat.effects == [ExportData()]
    assert export(Profile(user_id=1, has_data=True), NOW) == (replies, [ExportData()])


# ---- /delete ---------------------------------------------------------------------------------


def test_delete_asks_first_and_yes_deletes_everything() -> None:
    chat = user(has_data=True)
    [confirm] = chat.command("delete")
    assert confirm.key == "account.delete.confirm"
    assert [choice.label for row in confirm.choices for choice in row] == [
        "Yes, delete everything",
        "No, keep my data",
    ]
    assert chat.effects == []
    [done] = chat.press("delete=yes")
    assert chat.effects == [DeleteEverything()]
    text = render(done)
    assert "deleted" in text and "/start" in text
    assert "Reminders and check-ins have stopped" in text
    assert chat.conversation is not None and chat.conversation.flow == ""


def test_delete_twice_shows_the_confirmation_again_and_nothing_more() -> None:
    chat = user(has_data=True)
    first = chat.command("delete")
    second = chat.command("delete")
    assert second == first
    assert chat.state == "confirm" and chat.effects == []
    # The buttons of the first confirmation still work: it is one conversation.
    chat.press("delete=no")
    assert chat.effects == []


@pytest.mark.parametrize(
    ("typed", "deleted"),
    [("yes", True), ("Yes, delete everything", True), ("no", False), ("No, keep my data", False)],
)
def test_delete_answers_can_be_typed(typed: str, deleted: bool) -> None:
    chat = user(has_data=True)
    chat.command("delete")
    replies = chat.text(typed)
    assert replies[0].key == ("account.delete.done" if deleted else "account.delete.kept")
    assert chat.effects == ([DeleteEverything()] if deleted else [])


def test_no_keeps_the_data_and_unclear_answers_ask_again() -> None:
    chat = user(has_data=True)
    chat.command("delete")
    replies = chat.text("hmm")
    assert [reply.key for reply in replies] == [
        "account.delete.yes_or_no",
        "account.delete.confirm",
    ]
    replies = chat.send(Event.other("sticker"))
    assert [reply.key for reply in replies] == ["account.delete.confirm"]
    replies = chat.press("delete=no")
    assert replies[0].key == "account.delete.kept"
    assert "Nothing was deleted" in render(replies[0])
    assert chat.effects == []


def test_delete_with_no_data_has_nothing_to_delete() -> None:
    chat = user()
    replies = chat.command("delete")
    assert replies[0].key == "account.delete.nothing"
    assert chat.conversation is not None and chat.conversation.flow == ""
    assert chat.effects == []


# ---- /progress -------------------------------------------------------------------------------


def week_of_checkins() -> tuple[CheckinDay, ...]:
    """Three check-ins in the last 7 days (sleep 7, 8, 9 h; protein 150, 180, 200 g) and
    two older ones within 30 days."""
    return (
        CheckinDay(TUESDAY - timedelta(days=20), sleep_hours=6, protein_g=100),
        CheckinDay(TUESDAY - timedelta(days=12), sleep_hours=6, protein_g=100),
        CheckinDay(TUESDAY - timedelta(days=2), sleep_hours=7, protein_g=150),
        CheckinDay(TUESDAY - timedelta(days=1), sleep_hours=8, protein_g=180),
        CheckinDay(TUESDAY, sleep_hours=9, protein_g=200),
    )


@pytest.mark.parametrize(("args", "days"), [("", 7), ("7", 7), ("30", 30), (" 30 days ", 30)])
def test_progress_periods(args: str, days: int) -> None:
    assert parse_period(args) == days


@pytest.mark.parametrize("args", ["12", "week", "-7", "7 30"])
def test_progress_with_another_period_says_7_or_30(args: str) -> None:
    profile = Profile(user_id=1, recent_checkins=week_of_checkins())
    replies, effects = progress(profile, NOW, args)
    assert replies[0].key == "account.progress.bad_period"
    text = render(replies[0])
    assert "/progress 7" in text and "/progress 30" in text
    assert effects == []


def test_progress_of_the_last_7_days_with_a_chart() -> None:
    profile = Profile(user_id=1, latest_answers=ASSESSED, recent_checkins=week_of_checkins())
    replies, effects = progress(profile, NOW, "")
    text = render(replies[0])
    # 15-17 Nov: sleep (7 + 8 + 9) / 3 = 8 h, one night under 8 h; protein (150 + 180 + 200)
    # / 3 = 176.7 -> 177 g against 82 x 2.2 = 180.4 g, shown as 180 g: so the 180 g day
    # counts as on target, as its check-in reply said, and the 200 g day too.
    assert "11 Nov – 17 Nov" in text
    assert "Checked in on 3 of 7 days" in text
    assert "8 h a night on average" in text and "1 night under target" in text
    assert "177 g a day on average (target 180 g" in text
    assert "at target on 2 of 3 days" in text
    assert effects == [AttachChart(date(2026, 11, 11), TUESDAY, 180.4, 8.0)]


def test_progress_of_the_last_30_days_counts_the_older_checkins() -> None:
    profile = Profile(user_id=1, recent_checkins=week_of_checkins())
    replies, effects = progress(profile, NOW, "30")
    text = render(replies[0])
    assert "Checked in on 5 of 30 days" in text
    assert "19 Oct – 17 Nov" in text
    assert effects == [AttachChart(date(2026, 10, 19), TUESDAY, None, 8.0)]


def test_progress_without_checkins_says_so_and_sends_no_chart() -> None:
    chat = user()
    replies = chat.command("progress")
    assert replies[0].key == "account.progress.none"
    assert "No check-ins yet" in render(replies[0])
    assert chat.effects == []


def test_progress_with_only_old_checkins_sends_no_empty_chart() -> None:
    old = (CheckinDay(TUESDAY - timedelta(days=20), sleep_hours=8),)
    replies, effects = progress(Profile(user_id=1, recent_checkins=old), NOW, "7")
    assert "No check-ins between" in render(replies[0])
    assert effects == []


def test_progress_ends_on_the_users_local_today() -> None:
    late_utc = datetime(2026, 11, 17, 23, 30, tzinfo=UTC)  # already the 18th in Tokyo
    checkins = (CheckinDay(date(2026, 11, 18), sleep_hours=8),)
    profile = Profile(user_id=1, timezone="Asia/Tokyo", recent_checkins=checkins)
    _, effects = progress(profile, late_utc, "7")
    assert effects == [AttachChart(date(2026, 11, 12), date(2026, 11, 18))]
    _, effects = progress(
        Profile(user_id=1, timezone="Etc/GMT+12", recent_checkins=checkins), late_utc, "7"
    )
    assert effects == []  # still the 17th out west: the 18th is not in the window


def test_progress_through_the_router_reads_the_period_from_the_command() -> None:
    chat = user(recent_checkins=week_of_checkins())
    for args in ("30", "12"):
        expected_replies, expected_effects = progress(chat.profile, NOW, args)
        assert chat.send(Event.command("progress", args)) == expected_replies
        assert chat.effects[-len(expected_effects) or len(chat.effects) :] == expected_effects
    assert expected_replies[0].key == "account.progress.bad_period"


# ---- re-assessment ---------------------------------------------------------------------------


def test_no_comparison_after_a_first_assessment() -> None:
    assert assessment_change_reply(None, ("protein", "sleep")) is None


def test_the_comparison_names_fixed_remaining_and_new_reasons() -> None:
    reply = assessment_change_reply(("protein", "sleep"), ("sleep", "cardio"))
    assert reply is not None
    text = render(reply)
    fixed, remaining, new = (text.index(word) for word in ("Fixed", "Still to work on", "New"))
    assert fixed < text.index("Protein") < remaining < text.index("Sleep") < new
    assert text.index("Cardio") > new


def test_a_previous_assessment_without_problems_still_compares() -> None:
    reply = assessment_change_reply((), ("carbs",))
    assert reply is not None
    text = render(reply)
    assert "New" in text and "Carbs" in text and "Fixed" not in text


def test_progress_without_a_plan_points_to_start_not_to_a_check_in_that_never_comes() -> None:
    text = render(user().command("progress")[0])
    assert "/start" in text and "Once you answer the daily check-in" not in text
    planned = render(user(plan_weekdays=(1, 4), plan_split=True).command("progress")[0])
    assert "Once you answer the daily check-in" in planned


@pytest.mark.parametrize(("args", "other"), [("7", "/progress 30"), ("30", "/progress 7")])
def test_the_summary_names_the_other_period_once(args: str, other: str) -> None:
    profile = Profile(user_id=1, recent_checkins=week_of_checkins())
    replies, _ = progress(profile, NOW, args)
    text = render(replies[0]) + render_key("summary.reminder.footer")
    assert text.count("/progress") == 1 and other in text


def test_help_names_the_plan_without_calling_it_split() -> None:
    text = render(user().command("help")[0])
    assert "/plan — Your leg-day plan" in text and "split" not in text
