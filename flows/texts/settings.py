"""Texts of /settings: the menu, each setting's question, confirmations and errors.

The time-zone answers (not found, at sea, pick one, confirmed) are shared with the plan and
live in flows.texts.plan.
"""

from __future__ import annotations

from flows.i18n import Messages

CHECKIN_TIMES = ("20:00", "21:00", "22:00")

# The weekday of the weekly summary as the menu and its confirmation put it ("on <b>Friday</b>
# evenings"), by Monday = 0: a language may need another form than the plain name.
SUMMARY_WEEKDAYS = Messages(
    {
        "0": "Monday",
        "1": "Tuesday",
        "2": "Wednesday",
        "3": "Thursday",
        "4": "Friday",
        "5": "Saturday",
        "6": "Sunday",
    },
    "settings.summary_weekday.",
)

# Typed weekdays besides every language's names and abbreviations (flows.settings reads
# those from the locale data): the forms a sentence puts them in ("в пятницу", "по пятницам").
TYPED_WEEKDAYS: dict[str, int] = {
    "понедельникам": 0,
    "вторникам": 1,
    "среду": 2,
    "средам": 2,
    "четвергам": 3,
    "пятницу": 4,
    "пятницам": 4,
    "субботу": 5,
    "субботам": 5,
    "воскресеньям": 6,
}

TITLE = "your settings"
COMMANDS: dict[str, str] = {"settings": "Time zone, units, check-in time"}

TEXTS = Messages(
    {
        "settings.menu": (
            "<b>Your settings</b>\n"
            "🌍 Time zone: <b>{zone}</b>\n"
            "⚖️ Units: <b>{unit}</b>\n"
            "📝 Daily check-in: {checkins_html}\n"
            "📊 Weekly summary: <b>{weekday}</b> evening\n"
            "🌐 Language: <b>{language}</b>\n\n"
            "Tap what you want to change."
        ),
        "settings.checkins.on": "at <b>{time}</b>",
        "settings.checkins.paused": "<b>paused</b> (usually at {time})",
        "settings.checkins.all_paused": (
            "<b>paused</b> with every reminder (usually at {time}); /resume turns them back on"
        ),
        "settings.choice.zone": "🌍 Time zone",
        "settings.choice.units": "⚖️ Units",
        "settings.choice.time": "📝 Check-in time",
        "settings.choice.weekday": "📊 Summary day",
        "settings.choice.language": "🌐 Language",
        "settings.choice.pause": "⏸ Pause check-ins",
        "settings.choice.resume": "▶️ Resume check-ins",
        "settings.choice.done": "Done",
        "settings.choice.kg": "kg",
        "settings.choice.lb": "lb",
        # The questions.
        "settings.zone.prompt": (
            "Which time zone are you in? Check-ins and reminders follow your local time. "
            "Type your city (e.g. <b>Berlin</b>), share your location, or tap a zone."
        ),
        "settings.units.prompt": (
            "Which unit do you weigh yourself in? Weights in your workouts follow it."
        ),
        "settings.time.prompt": (
            "At what time should the daily check-in come? Tap one or type your local time, "
            "e.g. <b>21:30</b> or <b>9pm</b>."
        ),
        "settings.weekday.prompt": "On which evening should your weekly summary come?",
        "settings.language.prompt": "Which language should I speak? Now: <b>{language}</b>.",
        # Confirmations.
        "settings.units.saved": "Units: <b>{unit}</b>.",
        "settings.language.saved": "🌐 Language: <b>{language}</b>.",
        "settings.time.saved": "Daily check-in at <b>{time}</b>, your local time.",
        "settings.weekday.saved": "Weekly summary on <b>{weekday}</b> evenings.",
        "settings.paused": (
            "⏸ Check-ins paused: no daily check-in and no weekly summary until you resume them. "
            "/checkin still works whenever you like."
        ),
        "settings.resumed": "▶️ Check-ins are back on, daily at <b>{time}</b>.",
        "settings.closed": "Settings saved. /settings opens them again.",
        # Errors: what was wrong and a good answer, then the question again.
        "settings.time.out_of_range": (
            "“{text}” is not on the clock: hours run from 0 to 23 (or 1 to 12 with am/pm), "
            "minutes from 00 to 59. Try <b>21:30</b> or <b>9pm</b>."
        ),
        "settings.time.not_a_time": (
            "I can't read “{text}” as a time of day. Try <b>21:30</b>, <b>9pm</b> "
            "or just <b>21</b>."
        ),
        "settings.time.has_date": (
            "Just the time, please: the check-in comes every day. Try <b>21:30</b> or <b>9pm</b>."
        ),
        "settings.units.not_a_unit": "“{text}” isn't a unit I use. Tap <b>kg</b> or <b>lb</b>.",
        "settings.language.not_a_language": (
            "I don't speak “{text}”. Tap a language below, or type e.g. <b>English</b>."
        ),
        "settings.weekday.not_a_day": (
            "I couldn't read “{text}” as one day of the week. Tap a day, or type e.g. "
            "<b>Sunday</b> or <b>sun</b>."
        ),
        "settings.not_understood": (
            "I didn't get “{text}”. Tap a button below, or type what it says, e.g. <b>Units</b>."
        ),
        "settings.not_text": ("I can't read a {what} here, only text and buttons. {example_html}"),
        "settings.too_long": "That message is too long for an answer. {example_html}",
        "settings.example.zone": "Type a city such as <b>Berlin</b>, or share your location.",
        "settings.example.units": "Tap <b>kg</b> or <b>lb</b>.",
        "settings.example.time": "Type a time such as <b>21:30</b> or <b>9pm</b>.",
        "settings.example.weekday": "Tap a day, or type e.g. <b>Sunday</b>.",
        "settings.example.language": "Tap a language, or type e.g. <b>English</b>.",
        "settings.example.menu": "Tap one of the buttons below.",
        "settings.old_button": "That button belongs to an earlier step. Here's where we are now:",
        "settings.first_step": "This is the settings menu, there's nothing before it.",
        "cancelled.settings": (
            "Settings closed. What you changed is saved; /settings opens them again."
        ),
    },
)
