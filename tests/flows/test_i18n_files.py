"""The files the bot makes, in Russian: the /export summary (Markdown), its JSON and CSV, and
the calendar of leg days. What a person reads is Russian; what programs read (JSON keys, CSV
columns, stored codes) stays as it is."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime
from typing import Any

from icalendar import Calendar
from sqlalchemy import update

from bot.engine import Coach, Sender
from bot.storage.db import Sessions
from bot.storage.models import BodyMeasurement, LoggedSet, User
from flows import export, i18n
from flows.export import CHECKIN_COLUMNS, checkins_csv, render_summary
from flows.texts import plain
from tests.bot.test_user_data import NOW, Clock, onboard, say
from tests.flows.i18n_check import english_words
from tests.flows.test_leg_plan import planner

ANNA = Sender(user_id=311, chat_id=311, first_name="Аня")
# The bot's name is a name: it stays as it is in every language, like Telegram.
BRAND = "Leg Day Coach"


def russian_words_only(text: str) -> list[str]:
    return english_words(text.replace(BRAND, " "))


def document(**parts: Any) -> dict[str, Any]:
    """An export document as bot.account_data builds it, in the current language."""
    checkins = [
        {
            "date": "2026-11-16",
            "weekday": export.weekday(0),
            "sleep_hours": 7.5,
            "protein_g": 140.0,
            "carbs_g": None,
            "carbs_level": "moderate",
            "cardio_minutes": 45,
            "cardio_kind": "steady",
            "leg_day": "rest",
            "saved_at": "2026-11-16T21:10+01:00",
        },
        {
            "date": "2026-11-17",
            "weekday": export.weekday(1),
            "sleep_hours": None,
            "protein_g": 182.5,
            "carbs_g": 300.0,
            "carbs_level": None,
            "cardio_minutes": 0,
            "cardio_kind": None,
            "leg_day": "done",
            "saved_at": "2026-11-17T21:40+01:00",
        },
    ]
    return {
        "exported_at": "2026-11-17T21:40+01:00",
        "time_zone": "Europe/Berlin",
        "profile": {"name": "Аня", "with_leg_day_coach_since": "2026-11-01T08:05+01:00"},
        "settings": {
            "time_zone": "Europe/Berlin",
            "weight_unit": "lb",
            "daily_check_in_time": "21:00",
            "daily_check_ins_paused": True,
            "weekly_summary_day": export.weekday(6),
            "leg_day_reminders_paused": False,
        },
        "assessments": [],
        "plan": None,
        "scheduled": [
            {
                "what": "leg_day",
                "weekdays": [export.weekday(1), export.weekday(4)],
                "time": "18:00",
                "time_zone": "Europe/Berlin",
                "active": True,
                "next_at": "2026-11-20T18:00+01:00",
            },
            {
                "what": "checkin",
                "weekdays": [export.weekday(day) for day in range(7)],
                "time": "21:00",
                "time_zone": "Europe/Berlin",
                "active": False,
                "next_at": None,
            },
        ],
        "reminder_answers": [
            {
                "date": "2026-11-17",
                "weekday": export.weekday(1),
                "reminder": "leg_day",
                "answer": "done",
                "sent_at": "2026-11-17T18:00+01:00",
            }
        ],
        "check_ins": checkins,
        "other_records": {
            "lift_sets": [
                {
                    "day": "2026-11-17",
                    "lift": "back_squat",
                    "weight_kg": 102.5,
                    "reps": 5,
                    "unit": "kg",
                    "source": "log",
                    "created_at": "2026-11-17T19:30+01:00",
                    "updated_at": "2026-11-17T19:30+01:00",
                }
            ],
            "measurements": [
                {
                    "day": "2026-11-16",
                    "body_weight_kg": 81.2,
                    "thigh_cm": 58.5,
                    "calf_cm": None,
                    "arm_cm": 38.0,
                    "created_at": "2026-11-16T08:00+01:00",
                    "updated_at": "2026-11-16T08:00+01:00",
                }
            ],
        },
        "unfinished": {
            "kind": "log",
            "conversation": "твой журнал подходов",
            "answers": {"day_kind": "front", "back_squat_kg": 100.0, "back_squat_unit": "kg"},
        },
        **parts,
    }


# ---- the summary --------------------------------------------------------------------------


def test_the_russian_summary_has_no_english_word() -> None:
    with i18n.use("ru"):
        summary = render_summary(document())
    assert russian_words_only(summary) == []
    # Dates, times, numbers and units as Russian writes them.
    assert "Выгружено 17 ноября 2026, 21:40 (Берлин)." in summary
    assert "| пн, 16 нояб. 2026 | 7,5 ч | 140 г | в меру | 45 мин, ровный темп |" in summary
    assert "| вт, 17 нояб. 2026 | - | 182,5 г | 300 г | нет |" in summary
    assert "вторник и пятница" in summary
    assert "- Единицы веса: фунты" in summary
    # Records without a section of their own, in words too.
    assert "присед" in summary and "102,5" in summary and "записано через /log" in summary
    assert "- день: 16 ноября 2026; вес тела (кг): 81,2; бедро (см): 58,5; икра (см): -;" in summary


def test_the_russian_summary_of_a_new_user_has_no_english_word() -> None:
    with i18n.use("ru"):
        summary = render_summary(
            document(
                scheduled=[],
                reminder_answers=[],
                check_ins=[],
                other_records={},
                unfinished=None,
            )
        )
    assert russian_words_only(summary) == []


def test_the_english_summary_keeps_its_words() -> None:
    summary = render_summary(document())
    assert "Exported Tuesday 17 November 2026, 21:40 (Berlin)." in summary
    assert "| Mon 16 Nov 2026 | 7.5 h | 140 g | moderate | 45 min, steady | rest day |" in summary
    assert "| Tue 17 Nov 2026 | - | 182.5 g | 300 g | none | done |" in summary
    assert "- Leg-day reminder: Tuesday and Friday at 18:00 (Berlin), on" in summary
    assert "## Lift sets" in summary and "## Measurements" in summary


def test_a_table_without_words_is_shown_by_its_name_in_every_language() -> None:
    rows = {"mood_notes": [{"day": "2026-11-17", "mood_level": 3}]}
    with i18n.use("ru"):
        summary = render_summary(document(other_records=rows))
    assert "## Mood notes" in summary and "mood level: 3" in summary


# ---- the data for programs --------------------------------------------------------------------


def test_csv_columns_and_stored_codes_stay_english() -> None:
    with i18n.use("ru"):
        rows = document()["check_ins"]
        content = checkins_csv(rows).decode()
    [header, *lines] = list(csv.reader(io.StringIO(content)))
    assert tuple(header) == CHECKIN_COLUMNS
    assert lines[0][:3] == ["2026-11-16", "monday", "7.5"]
    assert "steady" in lines[0] and "rest" in lines[0]


# ---- the calendar ---------------------------------------------------------------------------


def test_the_russian_calendar_names_and_describes_every_leg_day_in_russian() -> None:
    chat = planner(
        plan_weekdays=(1, 4), plan_split=True, reminder_time="18:30", timezone="Europe/Moscow"
    )
    with i18n.use("ru"):
        [reply] = chat.command("calendar")
    assert reply.attachment is not None
    calendar = Calendar.from_ical(reply.attachment.content)
    assert str(calendar["x-wr-calname"]) == "Дни ног"
    events = list(calendar.walk("VEVENT"))
    assert events
    for event in events:
        words = f"{event['summary']}\n{event['description']}"
        assert russian_words_only(words) == [], words
    english = Calendar.from_ical(chat.command("calendar")[0].attachment.content)  # type: ignore[union-attr]
    assert str(english["x-wr-calname"]) == "Leg days"


# ---- the whole /export ----------------------------------------------------------------------


async def test_a_russian_users_export_is_russian_to_read_and_english_to_parse(
    sessions: Sessions,
) -> None:
    coach = Coach(sessions, clock=Clock(NOW))
    await onboard(coach, ANNA)
    await say(coach, ANNA, "/checkin", "7.5", "150", "low", "30", "steady", "done")
    # A lift log left open halfway: its answers are exported as unfinished.
    await say(coach, ANNA, "/log", "100 x 5")
    async with sessions() as session, session.begin():
        await session.execute(update(User).where(User.id == ANNA.user_id).values(language="ru"))
        moment = datetime(2026, 11, 16, 18, 0, tzinfo=UTC)
        session.add(
            LoggedSet(
                user_id=ANNA.user_id,
                day=date(2026, 11, 16),
                lift="back_squat",
                weight_kg=102.5,
                reps=5,
                unit="kg",
                source="log",
                created_at=moment,
                updated_at=moment,
            )
        )
        session.add(
            BodyMeasurement(
                user_id=ANNA.user_id,
                day=date(2026, 11, 16),
                body_weight_kg=81.5,
                thigh_cm=58.0,
                created_at=moment,
                updated_at=moment,
            )
        )
    replies = await say(coach, ANNA, "/export")
    files = {
        reply.attachment.filename: reply.attachment.content for reply in replies if reply.attachment
    }
    summary = files["legdaycoach-2026-11-17.md"].decode()
    assert russian_words_only(plain(summary)) == []
    assert "- Вторник — " in summary and "| 7,5 ч | 150 г | мало | 30 мин, ровный темп |" in summary
    assert "## Не закончено" in summary
    data = json.loads(files["legdaycoach-2026-11-17.json"])
    # Keys for programs stay English; the words for people are Russian.
    assert set(data["settings"]) >= {"time_zone", "weight_unit", "weekly_summary_day"}
    assert [day["weekday"] for day in data["plan"]["leg_days"]] == ["вторник", "пятница"]
    assert russian_words_only(" ".join(day["workout"] for day in data["plan"]["leg_days"])) == []
    assert data["check_ins"][0]["cardio_kind"] == "steady"
    header = files["checkins-2026-11-17.csv"].decode().splitlines()[0]
    assert header.split(",") == list(CHECKIN_COLUMNS)
