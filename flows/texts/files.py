"""Words of the files the bot makes, in the user's language: units in the charts and the
export, the /export summary's dates and words for stored values and fields, and the
calendar's name.

The export's headings and labels are flows.texts.account's SUMMARY, the charts' labels and
dates the CHART_TEXTS and short_date of flows.texts.progress and flows.texts.catching_up;
these are what they leave out. Dates are CLDR patterns, themselves messages, so each
language orders them its own way.
"""

from __future__ import annotations

from flows.i18n import Messages, Text

# Units after a number, in the charts and the export: "7.5 h", "150 g", "100 kg".
UNITS = Messages(
    {
        "kg": "kg",
        "lb": "lb",
        "cm": "cm",
        "in": "in",
        "h": "h",
        "g": "g",
        "min": "min",
    },
    "files.unit.",
)
AMOUNT = Text("files.amount", "{value} {unit}")
# A unit by its name, where it stands alone: "Weight unit: pounds".
UNIT_NAMES = Messages({"kg": "kilograms", "lb": "pounds"}, "files.unit_name.")

# ---- the /export summary --------------------------------------------------------------------

# "Tuesday 17 November 2026", "Tue 17 Nov 2026", "Tuesday 17 November 2026, 10:30".
EXPORT_DATE = Text("files.export.date", "EEEE d MMMM y")
EXPORT_SHORT_DATE = Text("files.export.short_date", "EEE d MMM y")
EXPORT_WHEN = Text("files.export.when", "{date}, {time}")

# The check-ins table.
CARDIO_NONE = Text("files.export.cardio_none", "none")
CARDIO_WITH_KIND = Text("files.export.cardio_with_kind", "{minutes}, {kind}")
CARDIO_KINDS = Messages(
    {"steady": "steady", "intervals": "intervals", "other": "other"},
    "files.export.cardio.",
)
CARBS_LEVELS = Messages(
    {"low": "low", "moderate": "moderate", "high": "high"},
    "files.export.carbs.",
)

# Records of tables without a section of their own, and answers of an unfinished
# conversation other than the assessment: "- field: value, field: value".
FIELD = Text("files.export.field", "{field}: {value}")
FIELDS_SEPARATOR = Text("files.export.fields_separator", ", ")
TABLES = Messages(
    {"lift_sets": "Lift sets", "measurements": "Measurements"},
    "files.export.table.",
)
FIELDS = Messages(
    {
        "day": "day",
        "lift": "lift",
        "weight_kg": "weight kg",
        "reps": "reps",
        "unit": "unit",
        "source": "source",
        "created_at": "created at",
        "updated_at": "updated at",
        "body_weight_kg": "body weight kg",
        "thigh_cm": "thigh cm",
        "calf_cm": "calf cm",
        "arm_cm": "arm cm",
        "tape": "tape",
        "sleep_hours": "sleep hours",
        "protein_g": "protein g",
        "carbs_g": "carbs g",
        "carbs_level": "carbs level",
        "cardio_minutes": "cardio minutes",
        "cardio_kind": "cardio kind",
        "leg_day": "leg day",
        "leg_day_marked": "leg day marked",
        "day_kind": "day kind",
        "back_squat_kg": "back squat kg",
        "back_squat_reps": "back squat reps",
        "back_squat_unit": "back squat unit",
        "leg_press_kg": "leg press kg",
        "leg_press_reps": "leg press reps",
        "leg_press_unit": "leg press unit",
        "romanian_deadlift_kg": "romanian deadlift kg",
        "romanian_deadlift_reps": "romanian deadlift reps",
        "romanian_deadlift_unit": "romanian deadlift unit",
    },
    "files.export.field.",
)
# Stored codes in words (units, cardio kinds, carbs levels and reminder answers have tables
# of their own).
VALUES = Messages(
    {
        "back_squat": "back squat",
        "leg_press": "leg press",
        "romanian_deadlift": "Romanian deadlift",
        "bench_press": "bench press",
        "log": "logged with /log",
        "assessment": "from an assessment",
        "yes": "yes",
        "no": "no",
    },
    "files.export.value.",
)

# ---- the calendar ---------------------------------------------------------------------------

CALENDAR_NAME = Text("files.calendar.name", "Leg days")
