"""Texts of the daily check-in: the questions, their buttons, examples and errors.

TEXTS are str.format templates in Telegram HTML (<b>, <i> only); values are escaped by
flows.texts unless their name ends in "_html". Every table here is read when a text is shown,
in the user's language (flows.i18n).
"""

from __future__ import annotations

from flows.i18n import Messages, Text
from flows.texts.common import WHICH_LABELS, Choices

__all__ = [
    "CHOICES",
    "COMMANDS",
    "DATE_PATTERN",
    "EXAMPLES",
    "FLOW_TEXTS",
    "LEG_DAY_LABELS",
    "PROTEIN_LABEL",
    "PROTEIN_TARGET_LABEL",
    "RANGES",
    "SKIP_LABEL",
    "TEXTS",
    "TITLE",
    "WHICH_LABELS",
]

# How the conversation is named when another one puts it on hold, and its command's menu line.
TITLE = "your check-in"
COMMANDS: dict[str, str] = {"checkin": "Today's check-in"}

QUESTIONS: dict[str, str] = {
    "sleep_hours": "😴 How long did you sleep {night}?",
    "protein_g": "🍗 How much protein did you eat {when}?{target_html}",
    "carbs": "🍞 Carbs {when}: low, moderate or high? Or type the grams, e.g. <b>300 g</b>.",
    "cardio_minutes": "🏃 Minutes of cardio {when}?",
    "cardio_kind": "🏃 Was it steady cardio or intervals?",
    "leg_day": "🦵 And your legs {when}?",
}

# What a good answer looks like, per question (HTML).
EXAMPLES = Messages(
    {
        "sleep_hours": "<b>7</b>, <b>7.5</b>, <b>7h30</b> or <b>6 h 30 min</b>",
        "protein_g": "<b>140</b> or <b>140 g</b>",
        "carbs": "<b>low</b>, <b>moderate</b>, <b>high</b> or grams such as <b>300 g</b>",
        "cardio_minutes": "<b>40</b>, <b>1h</b>, <b>1h30</b> or <b>none</b>",
        "cardio_kind": "<b>steady</b> or <b>intervals</b>",
        "leg_day": "<b>done</b>, <b>skipped</b> or <b>rest</b>",
    },
    "checkin.example.",
)

# The range a number must fall in, per question, for the out-of-range message.
RANGES = Messages(
    {
        "sleep_hours": "sleep runs from 0 to 16 hours",
        "protein_g": "protein for a day runs from 0 to 600 g",
        "carbs": "carbs for a day run from 0 to 1,500 g",
        "cardio_minutes": "cardio for a day runs from 0 to 600 minutes",
    },
    "checkin.range.",
)

# The leg-day question's buttons, which come in the order the plan expects the answer.
LEG_DAY_LABELS = Messages(
    {
        "done": "Leg day done",
        "skipped": "Leg day skipped",
        "rest": "Rest day",
    },
    "checkin.leg_day.",
)
# Button labels, (label, value), for questions whose buttons do not depend on the user.
# Typing a label works like tapping it.
CHOICES = Choices(
    {
        "sleep_hours": (("6 h", "6"), ("7 h", "7"), ("8 h", "8"), ("9 h", "9")),
        "carbs": (("Low", "low"), ("Moderate", "moderate"), ("High", "high")),
        "cardio_minutes": (
            ("None", "0"),
            ("20 min", "20"),
            ("30 min", "30"),
            ("45 min", "45"),
            ("60 min", "60"),
        ),
        "cardio_kind": (("Steady", "steady"), ("Intervals", "intervals")),
    },
    "checkin.button.",
)
# The other buttons the check-in builds itself: "Skip", and the grams of protein around the
# user's target, the target marked.
SKIP_LABEL = Text("checkin.skip", "Skip")
PROTEIN_LABEL = Text("checkin.protein_button", "{grams} g")
PROTEIN_TARGET_LABEL = Text("checkin.protein_button.target", "{grams} g 🎯")

# How a question names a day other than today ("on {day}", "the night before {day}"): a CLDR
# date pattern, so each language picks the form its sentence needs.
DATE_PATTERN = Text("checkin.date_pattern", "EEE d MMM")
# Shown above every question: which day the answers are for, and how far along we are. Part of
# each question's message, so each language words it whole.
_HEAD = "<i>Check-in · {day} · {number}/{total}</i>\n"

TEXTS = Messages(
    {
        **{f"checkin.q.{state}": _HEAD + prompt for state, prompt in QUESTIONS.items()},
        "checkin.q.leg_day.planned": _HEAD + "🦵 {when_title} is a leg day in your plan. Done?",
        "checkin.night.today": "last night",
        "checkin.night.other": "the night before {day}",
        "checkin.when.today": "today",
        "checkin.when.other": "on {day}",
        "checkin.when_title.today": "Today",
        "checkin.protein_target": " Your target: <b>{target} g</b>.",
        "checkin.again": (
            "You've already checked in for {day}. Your new answers will replace the old ones."
        ),
        "checkin.continuing": "Your check-in for {day} is still open. Here's where we were:",
        # Errors: what was wrong, a good answer, then the question again.
        "checkin.error.out_of_range": "“{text}” is out of range: {range}. Try {example_html}.",
        "checkin.error.not_hours": (
            "I couldn't read “{text}” as hours of sleep. Try {example_html}."
        ),
        "checkin.error.not_grams": (
            "I need a number of grams there, and “{text}” isn't one. Try {example_html}."
        ),
        "checkin.error.not_carbs": (
            "I couldn't read “{text}” as a carb level or grams. Try {example_html}."
        ),
        "checkin.error.not_minutes": "I couldn't read “{text}” as minutes. Try {example_html}.",
        "checkin.error.not_a_choice": "“{text}” isn't one of the options. Try {example_html}.",
        "checkin.error.not_text": (
            "I can't read a {what} as an answer, only text and buttons. Try {example_html}."
        ),
        "checkin.error.too_long": "That's too long for an answer. Try {example_html}.",
        "checkin.which": "Just to be sure: did you mean <b>{reading}</b>?",
        "checkin.old_question": (
            "That button belongs to another question. Here's the one we're on:"
        ),
        "checkin.first_question": "This is the first question, there's nothing before it.",
        "checkin.resumed": "I've updated the check-in since we last spoke; let's carry on here.",
        # The end.
        "checkin.saved": "✅ Saved.\n\n{feedback_html}",
        "checkin.updated": (
            "✅ Updated: these answers replace your earlier check-in for {day}.\n\n{feedback_html}"
        ),
        "checkin.no_assessment": (
            "I can only compare sleep with the 8 h your legs need: protein and carbs targets come "
            "from your body weight. Send /assess and the next check-in shows them too."
        ),
        "checkin.choice.assess": "Start the assessment",
        "checkin.expired": (
            "That check-in was for {day}, more than two days ago, so I've let it go: memories "
            "of sleep and meals fade fast. /checkin starts today's."
        ),
        "checkin.choice.today": "Check in for today",
        # /cancel in the middle of a check-in.
        "cancelled.checkin": (
            "Check-in stopped; nothing from it was saved. "
            "/checkin starts it again whenever you like."
        ),
        # The scheduled check-in message.
        "checkin.reminder": (
            "🌙 Check-in time{name_part}! How was {day}? A few quick taps, under 30 seconds."
        ),
        "checkin.reminder.button": "Start the check-in",
    },
)

# The flow's templates: the messages above, and the weekly summary's footer, which is empty
# (the summary itself says what /progress 30 shows) and so no message to translate.
FLOW_TEXTS: dict[str, str] = {**TEXTS.english, "summary.reminder.footer": ""}
