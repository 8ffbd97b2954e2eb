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
    prefix="files.unit.",
    module=__name__,
)
AMOUNT = Text("files.amount", "{value} {unit}", module=__name__)
# A unit by its name, where it stands alone: "Weight unit: pounds".
UNIT_NAMES = Messages(
    {"kg": "kilograms", "lb": "pounds"}, prefix="files.unit_name.", module=__name__
)

# ---- the /export summary --------------------------------------------------------------------

# "Tuesday 17 November 2026", "Tue 17 Nov 2026", "Tuesday 17 November 2026, 10:30".
EXPORT_DATE = Text("files.export.date", "EEEE d MMMM y", module=__name__)
EXPORT_SHORT_DATE = Text("files.export.short_date", "EEE d MMM y", module=__name__)
EXPORT_WHEN = Text("files.export.when", "{date}, {time}", module=__name__)

# The check-ins table.
CARDIO_NONE = Text("files.export.cardio_none", "none", module=__name__)
CARDIO_WITH_KIND = Text("files.export.cardio_with_kind", "{minutes}, {kind}", module=__name__)
CARDIO_KINDS = Messages(
    {"steady": "steady", "intervals": "intervals", "other": "other"},
    prefix="files.export.cardio.",
    module=__name__,
)
CARBS_LEVELS = Messages(
    {"low": "low", "moderate": "moderate", "high": "high"},
    prefix="files.export.carbs.",
    module=__name__,
)

# Records of tables without a section of their own, and answers of an unfinished
# conversation other than the assessment: "- field: value, field: value".
FIELD = Text("files.export.field", "{field}: {value}", module=__name__)
FIELDS_SEPARATOR = Text("files.export.fields_separator", ", ", module=__name__)
TABLES = Messages(
    {"lift_sets": "Lift sets", "measurements": "Measurements"},
    prefix="files.export.table.",
    module=__name__,
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
    prefix="files.export.field.",
    module=__name__,
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
    prefix="files.export.value.",
    module=__name__,
)

# ---- the calendar ---------------------------------------------------------------------------

CALENDAR_NAME = Text("files.calendar.name", "Leg days", module=__name__)
