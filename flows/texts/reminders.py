"""Texts of the reminder buttons and of the answers to them.

The answers are short enough for a button's pop-up notice (at most 200 characters) and carry
no tags, so they read the same as a notice or as a message. TEXTS are str.format templates;
`render` escapes the values.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

from flows.i18n import Messages

TEXTS = Messages(
    {
        "reminder.button.done": "✅ Done",
        "reminder.button.snooze": "⏰ Snooze 1 h",
        "reminder.button.skip": "Skip this one",
        "reminder.answer.done": (
            "💪 Leg day logged! Now eat your protein and get at least 8 hours of sleep tonight: "
            "that is when your legs grow."
        ),
        "reminder.answer.skipped": "Skipped. Your next leg day stays as planned.",
        "reminder.answer.snoozed": "⏰ I'll remind you again at {time}.",
        "reminder.answer.already_done": "You have already logged this leg day as done. 💪",
        "reminder.answer.already_skipped": (
            "You already skipped this one. See you on the next leg day."
        ),
        "reminder.answer.already_snoozed": (
            "You snoozed this one, so I'll send it again. Answer the new reminder when it comes."
        ),
        "reminder.answer.too_late_to_snooze": (
            "An hour from now is already tomorrow, so there is nothing left to snooze to today. "
            "Tap Done or Skip."
        ),
        "reminder.answer.paused": (
            "Your reminders are paused, so I've left this one as it was. /resume turns them on."
        ),
        "reminder.answer.unknown": "I can't find that reminder any more, so nothing has changed.",
        # After Done on a leg day: the offer to log the top sets (flows.log_lifts).
        "reminder.log_offer": (
            "Log your top sets while you remember them: a few taps, and your next reminder says "
            "what to aim for."
        ),
        "reminder.button.log": "📝 Log your top sets",
    },
)


def render(key: str, values: Mapping[str, Any] | None = None) -> str:
    escaped = {
        name: html.escape(value, quote=False) if isinstance(value, str) else value
        for name, value in (values or {}).items()
    }
    return TEXTS[key].format(**escaped)
