"""Texts of /measure: body weight every two weeks, the tape every four, each optional.

TEXTS are str.format templates in Telegram HTML (<b>, <i> only); values are escaped by
flows.texts unless their name ends in "_html".
"""

from __future__ import annotations

from flows.i18n import Messages, Text

# How the conversation is named when another one puts it on hold, and its command's menu line.
TITLE = "your measurements"
COMMANDS: dict[str, str] = {"measure": "Body weight and tape measurements"}

OFFER_LABEL = Text("measure.label.offer", "📏 Measure now")

# What is measured, by name: the body weight and the tape's sites.
BODY_WEIGHT = Text("measure.body_weight", "Body weight")
SITE_NAMES = Messages(
    {"thigh_cm": "Thigh", "calf_cm": "Calf", "arm_cm": "Upper arm"},
    "measure.site.",
)
# "in cm": the tape's unit as the question names it.
IN_UNIT = Messages({"cm": "cm", "in": "inches"}, "measure.in_unit.")
# The day of the earlier measurement a change is counted from ("+1.5 kg since Thu 1 Oct"): a
# date pattern (CLDR), since each language writes a date after "since" its own way.
SINCE_DATE = Text("measure.since_date", "EEE d MMM")

# How to measure, for the same number every time (the tape questions show it).
HOW_TO = Messages(
    {
        "thigh_cm": (
            "Stand relaxed, weight on both feet; tape around the thickest part of the thigh, "
            "just below the buttock, level and snug, not tight."
        ),
        "calf_cm": "Stand relaxed; tape around the thickest part of the calf, level.",
        "arm_cm": (
            "Arm hanging relaxed; tape around the upper arm halfway between shoulder and elbow."
        ),
    },
    "measure.how_to.",
)

# The buttons of a question, as (label key, value): see `choices`.
_CHOICE_LABELS = Messages({"tape.yes": "Yes, measure", "tape.no": "Not now"}, "measure.choice.")


def choices(question: str) -> tuple[tuple[str, str], ...]:
    """The (label, value) buttons of a question, in the user's language."""
    if question == "tape":
        return ((_CHOICE_LABELS["tape.yes"], "yes"), (_CHOICE_LABELS["tape.no"], "no"))
    return ()


EXAMPLES = Messages(
    {
        "body_weight": "“82”, “82 kg”, “180 lb” (between 30 and 300 kg)",
        "tape": "“yes” or “no”",
        "thigh_cm": "“58 cm”, “23 in” or just “58” (30 to 100 cm)",
        "calf_cm": "“38 cm”, “15 in” or just “38” (20 to 70 cm)",
        "arm_cm": "“36 cm”, “14 in” or just “36” (15 to 70 cm)",
    },
    "measure.example.",
)

_HEAD = "<i>Measurements · {number}/{total}</i>\n"

TEXTS = Messages(
    {
        "measure.q.body_weight": (
            _HEAD + "⚖️ Your body weight today? Best in the morning, before breakfast. "
            "E.g. <b>82 kg</b> or <b>180 lb</b>.{last_html}"
        ),
        "measure.q.tape": (
            _HEAD + "📏 Tape measurements too: thigh, calf and upper arm, a minute with a soft "
            "tape. {due_html}"
        ),
        "measure.q.tape.due": "They're due: every four weeks shows whether your legs catch up.",
        "measure.q.tape.none": "You have none yet: they show whether your legs catch up.",
        "measure.q.tape.early": (
            "Your last ones are from {day}; every four weeks is enough, so skipping is fine."
        ),
        "measure.q.site": (_HEAD + "📏 <b>{site}</b>, in {unit}. {how_to}{last_html}"),
        "measure.q.last": "\nLast time ({day}): {value}.",
        "measure.error.not_a_weight": (
            "I couldn't read that as a body weight. A good answer: {example}."
        ),
        "measure.error.not_a_length": (
            "I couldn't read that as a measurement. A good answer: {example}."
        ),
        "measure.error.out_of_range": (
            "That's outside what a body measures here. A good answer: {example}."
        ),
        "measure.error.not_yes_no": "Please answer yes or no: {example}.",
        "measure.error.not_a_choice": "That isn't one of the options. A good answer: {example}.",
        "measure.error.cannot_skip": "This one can't be skipped. A good answer: {example}.",
        "measure.error.no_previous": (
            "There's nothing from last time to reuse. A good answer: {example}."
        ),
        "measure.error.too_long": (
            "That message is too long for an answer ({length} characters). "
            "A good answer: {example}."
        ),
        "measure.error.not_text": (
            "I can only read text and buttons here, not a {what}. A good answer: {example}."
        ),
        "measure.which": "Just to be sure: did you mean <b>{reading}</b>?",
        "measure.old_question": (
            "That button belongs to an earlier question. Here's where we are now:"
        ),
        "measure.first_question": "This is the first question, there's nothing before it.",
        "measure.resumed": "I've updated my questions since we last spoke; let's carry on here.",
        "measure.continuing": "Let's carry on with your measurements.",
        "measure.saved": "✅ Measurements for {day}:\n{lines_html}",
        "measure.saved.line": "• {what}: {value}{change}",
        "measure.saved.change": " ({change} since {day})",
        "measure.saved.change.replaced": " (replaces today's earlier {value}: {change})",
        "measure.nothing": "Nothing measured: everything was skipped. /measure any time.",
        "measure.offer": "⚖️ Your two-weekly weigh-in is due{tape}: it takes a minute.",
        "measure.offer.tape": ", and so are the tape measurements (every four weeks)",
    },
)
