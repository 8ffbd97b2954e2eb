"""Texts about the user's own data: /export, /delete, /progress and re-assessment changes."""

from __future__ import annotations

from datetime import date

from flows import i18n
from flows.i18n import Messages, Text

TITLE = "deleting your data"
COMMANDS: dict[str, str] = {
    "delete": "Delete everything about you",
    "progress": "Your progress and chart",
    "export": "Download your data",
}

TEXTS = Messages(
    {
        "account.export.summary_caption": (
            "📄 Everything I hold about you, to read: settings, assessments with their diagnosis, "
            "your plan, reminders and check-ins, in your local time."
        ),
        "account.export.json_caption": "The same data for programs (JSON).",
        "account.export.csv_caption": "Your check-ins (CSV, opens in any spreadsheet).",
        "progress_chart_caption": "📈 Your progress, {start} to {end}.",
        # /export
        "account.export.ready": (
            "📦 Here is everything I hold about you, as files you can open or keep: a summary "
            "to read, and the same data for programs and spreadsheets."
        ),
        "account.export.nothing": (
            "I hold nothing about you yet beyond your Telegram name, so there is nothing to "
            "export. /assess is a good place to start."
        ),
        # /delete
        "account.delete.confirm": (
            "⚠️ <b>Delete everything I hold about you?</b>\n"
            "Your assessments, plan, reminders, check-ins, logged sets, measurements and "
            "settings all go, for good, and can't be brought back. /export first if you'd like "
            "a copy."
        ),
        "account.delete.choice.yes": "Yes, delete everything",
        "account.delete.choice.no": "No, keep my data",
        "account.delete.yes_or_no": (
            "Please answer <b>yes</b> to delete everything or <b>no</b> to keep it."
        ),
        "account.delete.done": (
            "🗑 Done: everything I held about you is deleted. Reminders and check-ins have stopped "
            "and nothing more will come from me. Send /start whenever you want to begin afresh."
        ),
        "account.delete.kept": "👍 Nothing was deleted. Your data is as it was.",
        # The question again in short, after something else was answered in between.
        "account.delete.reask": "Still to answer: delete everything I hold about you?",
        "cancelled.delete": "👍 Nothing was deleted. Your data is as it was.",
        "account.delete.nothing": (
            "There is nothing to delete: I hold nothing about you beyond your Telegram name."
        ),
        # /progress
        # The other period, once.
        "account.progress.summary": "{summary_html}\n\n<i>/progress 7 shows the last week.</i>",
        "account.progress.summary_week": (
            "{summary_html}\n\n<i>/progress 30 shows the last month.</i>"
        ),
        "account.progress.none": "{summary_html}",
        "account.progress.bad_period": (
            "“{text}” isn't a period I can show. Send <b>/progress 7</b> for the last 7 days "
            "or <b>/progress 30</b> for the last 30."
        ),
        # After a re-assessment.
        "account.assessment_change": "{change_html}",
    },
)

# The first and last day of the /progress chart's caption ("progress_chart_caption"):
# "25 November" / «25 ноября».
CAPTION_DATE = Text("account.caption_date", "d MMMM")


def caption_date(day: date) -> str:
    return i18n.date_label(day, CAPTION_DATE())


# The /export summary (Markdown): headings, labels and words for stored values.
SUMMARY = Messages(
    {
        "title": "# Leg Day Coach: your data",
        "exported": "Exported {when} ({zone}). Times are your local time.",
        "you": "## You and your settings",
        "name": "Name",
        "since": "With Leg Day Coach since",
        "zone": "Time zone",
        "unit": "Weight unit",
        "checkin_time": "Daily check-in",
        "summary_day": "Weekly summary",
        "reminders": "Leg-day reminders",
        "on": "on",
        "paused": "paused",
        "checkins_on": "at {time}",
        "checkins_paused": "paused (usually at {time})",
        "summary_evening": "{weekday} evening",
        "assessments": "## Assessments",
        "no_assessments": "No assessment yet.",
        "assessment": "### Assessment of {when}",
        "held_back": "What held your legs back then: {titles}.",
        "held_back_none": "Nothing in these answers held your legs back.",
        "answers": "Your answers:",
        "skipped": "don't know / skipped",
        "diagnosis": "## Your latest diagnosis",
        "plan": "## Your leg-day plan",
        "no_plan": "No plan yet.",
        "plan_day": "- {weekday}: {workout}",
        "plan_reminder": "Reminder at {time} ({zone}), {state}.",
        "plan_no_reminder": "No reminder time set.",
        "plan_since": "Plan made {created}, last changed {changed}.",
        "schedule": "## What is scheduled",
        "no_schedule": "Nothing is scheduled.",
        "schedule_line": "- {kind}: {days} at {time} ({zone}), {state}; next {next}",
        "every_day": "every day",
        "reminder_answers": "## Your answers to leg-day reminders",
        "no_reminder_answers": "None yet.",
        "reminder_answer": "- {day}: {answer}",
        "checkins": "## Check-ins",
        "no_checkins": "No check-ins yet.",
        "checkin_header": "| Date | Sleep | Protein | Carbs | Cardio | Leg day |",
        "checkin_rule": "|---|---|---|---|---|---|",
        "other": "## {what}",
        "unfinished": "## Unfinished: {what}",
        "unfinished_answers": "Answers given so far, not yet saved:",
        "files": (
            "The JSON file holds the same data for programs; the CSV file holds your check-ins "
            "for a spreadsheet."
        ),
    },
    "account.summary.",
)
# Stored values in words.
REMINDER_KINDS = Messages(
    {
        "leg_day": "Leg-day reminder",
        "checkin": "Daily check-in",
        "summary": "Weekly summary",
    },
    "account.reminder_kind.",
)
ANSWER_WORDS = Messages(
    {
        "done": "done",
        "skipped": "skipped",
        "snoozed": "snoozed",
        "rest": "rest day",
    },
    "account.answer.",
)
