"""Texts of /log: one quick step per main lift of a leg day, its buttons and errors.

TEXTS are str.format templates in Telegram HTML (<b>, <i> only); values are escaped by
flows.texts unless their name ends in "_html".
"""

from __future__ import annotations

from flows.i18n import Messages, Text

# How the conversation is named when another one puts it on hold, and its command's menu line.
TITLE = "your lift log"
COMMANDS: dict[str, str] = {"log": "Log your top sets of a leg day"}

# The lifts by their key in flows.lifts, as every text names them.
LIFT_NAMES = Messages(
    {
        "back_squat": "Barbell back squat",
        "leg_press": "Leg press",
        "romanian_deadlift": "Romanian deadlift",
        "bench_press": "Bench press",
    },
    "lift.",
)

# The button that adds one plate step to last time's weight, with the set it logs.
STEP_LABEL = Text("log.label.step", "+{step} → {reading}")
# The button with the aim the leg-day reminder gave for today, as the set it logs.
AIM_LABEL = Text("log.label.aim", "Today's aim: {reading}")
# After "is that right?" about a set far from the last one: the other answer to "Yes, ...".
RETYPE_LABEL = Text("log.label.retype", "No, let me type it again")

# A good answer, shown whenever an answer could not be used.
EXAMPLE = Text("log.example", "“102.5 x 8”, “100 kg x 5”, “225 lb for 5”, or tap Skip")

TEXTS = Messages(
    {
        "log.q": (
            "<i>Top sets · {day} · {number}/{total}</i>\n"
            "🏋️ <b>{lift}</b>: your top set, the heaviest set you did: weight x reps, "
            "e.g. <b>{example_set}</b>.{last_html}"
        ),
        "log.q.last": "\nLast time ({day}): {set}.",
        "log.q.target": " Today's aim: {target}.",
        "log.error.not_a_set": "I couldn't read that as a set. A good answer: {example}.",
        "log.error.no_reps": (
            "I see the weight but not the reps: add how many reps you did, e.g. “{text} x 8”. "
            "A good answer: {example}."
        ),
        "log.error.no_weight": (
            "I see the reps but not the weight: put the weight first, e.g. “100 x 8”. "
            "A good answer: {example}."
        ),
        "log.error.reps_out_of_range": (
            "A top set has from 1 to 30 whole reps. A good answer: {example}."
        ),
        "log.error.weight_out_of_range": (
            "That weight is outside what I can log for this lift (1 to {max_kg} kg). "
            "A good answer: {example}."
        ),
        "log.error.cannot_skip": "This one can't be skipped. A good answer: {example}.",
        "log.error.no_previous": (
            "There's no earlier set of this lift to repeat yet. A good answer: {example}."
        ),
        "log.error.too_long": (
            "That message is too long for a set ({length} characters). A good answer: {example}."
        ),
        "log.error.not_text": (
            "I can only read text and buttons here, not a {what}. A good answer: {example}."
        ),
        "log.which": "Just to be sure: did you mean <b>{reading}</b>?",
        "log.check.slip": "Did you mean <b>{reading}</b>? Last time you logged {last}.",
        "log.check.up": (
            "That's more than double the {last} you logged last time. Is <b>{reading}</b> right?"
        ),
        "log.check.down": (
            "That's less than half the {last} you logged last time. Is <b>{reading}</b> right?"
        ),
        "log.retype": "No problem, nothing is logged yet. Type the set again.",
        "log.old_question": "That button belongs to an earlier step. Here's where we are now:",
        "log.first_question": "This is the first lift, there's nothing before it.",
        "log.resumed": "I've updated my questions since we last spoke; let's carry on here.",
        "log.continuing": "Let's carry on with your top sets.",
        "log.saved": "✅ Logged for {day}:\n{lines_html}",
        "log.saved.line": "• {lift}: {set}, about {one_rep_max} for one rep{rough}",
        "log.saved.rough": " (rough: more than 10 reps)",
        "log.stalled": (
            "\n📉 Your {lift} hasn't gone up in three weeks. Check sleep, protein and calories "
            "(/checkin keeps them), keep every rep strict, and if it stays stuck, /assess again."
        ),
        # What to aim for today, in the leg-day reminder (flows.reminders.progression_html).
        "log.aim": "\n\n🎯 <b>Today's aim</b>\n{lines_html}",
        "log.aim.add": "{lift}: last time {last}: today {weight}",
        "log.aim.reps": "{lift}: last time {last}: today {weight} again, for {reps} reps",
        "log.nothing": "Nothing logged: every lift was skipped. /log any time after a leg day.",
    },
)
