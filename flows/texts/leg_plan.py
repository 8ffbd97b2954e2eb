"""Texts of the /plan conversation around the plan itself: the summary, saving, pausing,
and the calendar file. The plan's own wording lives in flows.texts.plan."""

from flows.i18n import Messages

# How this conversation is named when another one comes first ("Your check-in first; then
# we'll go back to your plan, where you left off").
TITLE = "your plan"
# Command -> its line in the command menu and in /help.
COMMANDS: dict[str, str] = {
    "plan": "Your leg-day plan and reminders",
    "calendar": "Leg days as a calendar file",
    "pause": "Pause all reminders",
    "resume": "Resume reminders",
}

TEXTS = Messages(
    {
        "leg_plan.needs_assessment": (
            "Your plan is built from your assessment, and I don't have one yet. "
            "It takes a few minutes: tap below or send /assess."
        ),
        "leg_plan.choice.assess": "Start the assessment",
        "leg_plan.summary": (
            "<b>Your leg-day plan</b>\n{days_html}\nReminders: {reminders_html}\nTime zone: {zone}"
        ),
        "leg_plan.summary.day": "• <b>{day}</b>: {title}",
        "leg_plan.summary.reminders_on": "at <b>{time}</b>, next on {next_reminder}",
        "leg_plan.summary.reminders_paused": "<b>paused</b> (send /resume to turn them back on)",
        "leg_plan.summary.no_time": "not set yet",
        "leg_plan.choice.days": "Change days",
        "leg_plan.choice.time": "Change time",
        "leg_plan.choice.zone": "Change time zone",
        "leg_plan.choice.calendar": "Calendar file",
        "leg_plan.choice.workout": "Next workouts",
        "leg_plan.saved": (
            "✅ Saved. Leg days: <b>{days}</b> at <b>{time}</b> ({zone}).\n"
            "Next reminder: <b>{next_reminder}</b>.\n"
            "/plan shows or changes the plan, /pause stops reminders, /calendar adds the days "
            "to your calendar app."
        ),
        "leg_plan.pick.not_a_day": (
            "I couldn't read “{text}” as a weekday. Tap the days below, or type them, "
            "e.g. <b>Tuesday Friday</b> or <b>tue fri</b>."
        ),
        "leg_plan.not_text": (
            "I can only read text and buttons here, not a {what}. {example_html}"
        ),
        "leg_plan.too_long": "That message is too long for an answer. {example_html}",
        "leg_plan.example.time": "A good answer: <b>18:00</b> or <b>6pm</b>.",
        "leg_plan.example.zone": "A good answer: a city such as <b>Berlin</b>, or your location.",
        "leg_plan.example.days": "A good answer: tap two days, or type <b>Tuesday Friday</b>.",
        "leg_plan.example.choice": "Tap one of the buttons below.",
        "leg_plan.zone.other": "Another city",
        "leg_plan.old_button": "That button belongs to an earlier step. Here's where we are now:",
        "leg_plan.first_step": "This is the first step, there's nothing before it.",
        # Free text where buttons are expected: what to do instead.
        "leg_plan.not_understood": (
            "I didn't get “{text}”. Tap a button below, or type what it says, e.g. <b>{label}</b>."
        ),
        # The proposal asked again in short, after something else was answered in between.
        "leg_plan.reask.propose": "Back to your plan: keep <b>{days}</b> or pick other days?",
        "cancelled.plan": "Stopped; nothing in your plan was changed. /plan opens it again.",
        "reminders.paused": (
            "⏸ Reminders paused. Nothing will come until you send /resume. Your plan is kept."
        ),
        "reminders.already_paused": "Reminders are already paused. /resume turns them back on.",
        "reminders.resumed": "▶️ Reminders are back on. Next one: <b>{next_reminder}</b>.",
        "reminders.not_paused": "Reminders are already on. /pause stops them.",
        "reminders.none": "You have no reminders yet. /plan sets up your leg days and reminders.",
        "calendar.caption": (
            "📅 Your leg days, weekly at {time} ({zone}). Open the file to add them to your "
            "calendar."
        ),
        "calendar.none": "There are no leg days to put in a calendar yet. /plan sets them up.",
    },
)
