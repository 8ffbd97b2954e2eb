"""Texts about the user's own data: /export, /delete, /progress and re-assessment changes."""

from __future__ import annotations

TITLE = "deleting your data"
COMMANDS: dict[str, str] = {
    "delete": "Delete everything about you",
    "progress": "Your progress and chart",
    "export": "Download your data",
}

TEXTS: dict[str, str] = {
    "account.export.json_caption": "All your data (JSON).",
    "account.export.csv_caption": "Your check-ins (CSV, opens in any spreadsheet).",
    "progress_chart_caption": "📈 Your progress, {start} to {end}.",
    # /export
    "account.export.ready": (
        "📦 Here is everything I hold about you: your profile and settings, assessments, "
        "leg-day plan, reminders and check-ins, as files you can open or keep."
    ),
    "account.export.nothing": (
        "I hold nothing about you yet beyond your Telegram name, so there is nothing to "
        "export. /assess is a good place to start."
    ),
    # /delete
    "account.delete.confirm": (
        "⚠️ <b>Delete everything I hold about you?</b>\n"
        "Your assessments, plan, reminders, check-ins and settings all go, for good, and "
        "can't be brought back. /export first if you'd like a copy."
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
    "account.progress.summary": (
        "{summary_html}\n\n<i>/progress 7 and /progress 30 show a week or a month.</i>"
    ),
    "account.progress.none": "{summary_html}",
    "account.progress.bad_period": (
        "“{text}” isn't a period I can show. Send <b>/progress 7</b> for the last 7 days "
        "or <b>/progress 30</b> for the last 30."
    ),
    # After a re-assessment.
    "account.assessment_change": "{change_html}",
}
