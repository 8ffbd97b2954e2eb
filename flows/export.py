"""/export as files a person can read: the summary (Markdown) and the check-ins (CSV), both
made from the export document, the JSON the adapter builds from storage.

The document holds only what the user gave or what was made for them, under meaningful
keys: times in the user's zone (ISO 8601 with the offset), dates as ISO dates, weekdays by
name. Nothing here reads the clock or storage.

The summary is in the user's language (the current one): headings, labels, dates, numbers
and stored codes in words. The JSON keys and the CSV columns stay English: they are data for
programs, which look them up by name; values of the JSON that are words for people
(weekdays, workout and conversation titles) are in the user's language, as the adapter
builds the document inside it. The CSV holds codes only, whatever the language: stored
codes as they are ("moderate", "done") and the weekday as an English code ("monday").
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any, cast

from flows import assessment, i18n
from flows.answers import Answers
from flows.places import zone_name
from flows.progress import CHECKIN_VALUES
from flows.rules import evaluate
from flows.texts import plain
from flows.texts.account import ANSWER_WORDS, REMINDER_KINDS, SUMMARY
from flows.texts.assessment import TEXTS as ASSESSMENT_TEXTS
from flows.texts.diagnosis import after_colon, render_problems, render_strengths
from flows.texts.files import (
    AMOUNT,
    CARBS_LEVELS,
    CARDIO_KINDS,
    CARDIO_NONE,
    CARDIO_WITH_KIND,
    EXPORT_DATE,
    EXPORT_SHORT_DATE,
    EXPORT_WHEN,
    FIELD,
    FIELDS,
    FIELDS_SEPARATOR,
    TABLES,
    UNIT_NAMES,
    UNITS,
    VALUES,
)
from flows.texts.plan import WORKOUT_TITLES

# The columns of the check-ins, in the JSON document and in the CSV file: English names for
# programs, whatever the user's language.
CHECKIN_COLUMNS = ("date", "weekday", *CHECKIN_VALUES, "saved_at")
# The CSV's weekday values, Monday first: English codes like every other value of the file
# ("moderate", "done"), not the document's weekday in the user's language.
WEEKDAY_CODES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def local_time(moment: datetime | None, zone: Any) -> str | None:
    """An aware datetime as ISO 8601 in the user's zone, e.g. 2026-11-17T10:30:00+01:00."""
    if moment is None:
        return None
    return moment.astimezone(zone).isoformat(timespec="minutes")


def weekday(index: int) -> str:
    """A weekday (Monday is 0) as a value of the document: "Monday" / "понедельник"."""
    return i18n.weekday_name(index, capital=False)


def _when(iso: str | None) -> str:
    """ "Tuesday 17 November 2026, 10:30" from a local ISO time."""
    if not iso:
        return "-"
    moment = datetime.fromisoformat(iso)
    return EXPORT_WHEN(date=_date_words(moment.date()), time=f"{moment:%H:%M}")


def _date_words(day: date) -> str:
    """ "Tuesday 17 November 2026"."""
    return i18n.date_label(day, EXPORT_DATE())


def _zone_with_offset(zone: str, iso: str | None) -> str:
    """ "Berlin (UTC+1)": the zone by name, with its offset when the export was made."""
    return zone_name(zone, datetime.fromisoformat(iso) if iso else None)


def _number(value: float | None, unit: str) -> str:
    """ "7.5 h", "150 g": `unit` is a key of UNITS."""
    if value is None:
        return ""
    return AMOUNT(value=i18n.number(value, 2), unit=UNITS[unit])


def _list(items: Sequence[str]) -> str:
    return i18n.joined(list(items))


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


# ---- the summary ------------------------------------------------------------------------------


def render_summary(document: Mapping[str, Any]) -> str:
    """The whole export as Markdown, for a person to read."""
    text = SUMMARY
    lines = [
        text["title"],
        "",
        text["exported"].format(
            when=_when(document["exported_at"]), zone=zone_name(document["time_zone"])
        ),
        "",
        *_settings_lines(document),
        "",
        *_assessment_lines(document),
        "",
        *_plan_lines(document),
        "",
        *_schedule_lines(document),
        "",
        *_reminder_answer_lines(document),
        "",
        *_checkin_lines(document),
    ]
    for name, rows in (document.get("other_records") or {}).items():
        lines += ["", *_other_lines(name, rows)]
    unfinished = document.get("unfinished")
    if unfinished:
        lines += ["", *_unfinished_lines(unfinished)]
    lines += ["", text["files"], ""]
    return "\n".join(lines)


def _settings_lines(document: Mapping[str, Any]) -> list[str]:
    text = SUMMARY
    you, settings = document["profile"], document["settings"]
    time = settings["daily_check_in_time"]
    checkins = (
        text["checkins_paused"] if settings["daily_check_ins_paused"] else text["checkins_on"]
    ).format(time=time)
    rows = [
        (text["name"], you.get("name") or "-"),
        (text["since"], _when(you.get("with_leg_day_coach_since"))),
        (text["zone"], _zone_with_offset(settings["time_zone"], document["exported_at"])),
        (text["unit"], _word(UNIT_NAMES, settings["weight_unit"])),
        (text["checkin_time"], checkins),
        (
            text["summary_day"],
            text["summary_evening"].format(weekday=settings["weekly_summary_day"]),
        ),
        (
            text["reminders"],
            text["paused"] if settings["leg_day_reminders_paused"] else text["on"],
        ),
    ]
    return [text["you"], "", *(f"- {label}: {value}" for label, value in rows)]


def answer_lines(answers: Mapping[str, Any]) -> list[str]:
    """Each question that was answered, with the answer in words."""
    lines = []
    for question in assessment.QUESTIONS:
        values = {key: answers[key] for key in question.answer_keys if key in answers}
        if not values:
            continue
        shown = assessment.describe_answer(question, cast(Any, values))
        if all(value is None for value in values.values()) or not shown:
            shown = SUMMARY["skipped"]
        lines.append(f"- {_question(question.name)} **{shown}**")
    return lines


def _question(name: str) -> str:
    """The question without the line above it ("Question 3 of 29") and the hints on how to
    answer it ("Type it in kg or lb, ...")."""
    _, newline, prompt = ASSESSMENT_TEXTS[f"q.{name}"].partition("\n")
    text = plain(prompt) if newline else ""
    asked, mark, _ = text.partition("?")
    return asked + mark if mark else text


def _assessment_lines(document: Mapping[str, Any]) -> list[str]:
    text = SUMMARY
    assessments = document["assessments"]
    lines = [text["assessments"], ""]
    if not assessments:
        return [*lines, text["no_assessments"]]
    for index, taken in enumerate(assessments):
        if index:
            lines.append("")
        # After a colon, mid-sentence: lower case in the languages that write it so.
        titles = [after_colon(reason["title"]) for reason in taken["holding_legs_back"]]
        lines += [
            text["assessment"].format(when=_when(taken["taken_at"])),
            "",
            text["held_back"].format(titles=_list(titles)) if titles else text["held_back_none"],
            "",
            text["answers"],
            *answer_lines(taken["answers"]),
        ]
    latest = assessments[-1]
    answers = cast(Answers, dict(latest["answers"]))
    diagnosis = evaluate(answers)
    unit = answers.get("weight_unit") or document["settings"]["weight_unit"]
    lines += ["", text["diagnosis"], ""]
    for message in (*render_problems(diagnosis, unit), *render_strengths(diagnosis, unit)):
        lines += [plain(message), ""]
    return lines[:-1]


def _plan_lines(document: Mapping[str, Any]) -> list[str]:
    text = SUMMARY
    plan = document["plan"]
    lines = [text["plan"], ""]
    if plan is None:
        return [*lines, text["no_plan"]]
    lines += [
        text["plan_day"].format(weekday=_capital(day["weekday"]), workout=day["workout"])
        for day in plan["leg_days"]
    ]
    reminders = text["paused"] if document["settings"]["leg_day_reminders_paused"] else text["on"]
    lines += [
        "",
        text["plan_reminder"].format(
            time=plan["reminder_time"], zone=zone_name(plan["time_zone"]), state=reminders
        )
        if plan["reminder_time"]
        else text["plan_no_reminder"],
        text["plan_since"].format(
            created=_when(plan["created_at"]), changed=_when(plan["changed_at"])
        ),
    ]
    return lines


def _schedule_lines(document: Mapping[str, Any]) -> list[str]:
    text = SUMMARY
    lines = [text["schedule"], ""]
    if not document["scheduled"]:
        return [*lines, text["no_schedule"]]
    for item in document["scheduled"]:
        days = item["weekdays"]
        lines.append(
            text["schedule_line"].format(
                kind=_word(REMINDER_KINDS, item["what"]),
                days=text["every_day"] if len(days) == 7 else _list(days),
                time=item["time"],
                zone=zone_name(item["time_zone"]),
                state=text["on"] if item["active"] else text["paused"],
                next=_when(item["next_at"]),
            )
        )
    return lines


def _reminder_answer_lines(document: Mapping[str, Any]) -> list[str]:
    text = SUMMARY
    lines = [text["reminder_answers"], ""]
    answered = document["reminder_answers"]
    if not answered:
        return [*lines, text["no_reminder_answers"]]
    return lines + [
        text["reminder_answer"].format(
            day=_date_words(date.fromisoformat(item["date"])),
            answer=_word(ANSWER_WORDS, item["answer"]),
        )
        for item in answered
    ]


def _word(words: Mapping[str, str], code: str | None) -> str:
    """A stored code in words, or as it is when there are none for it."""
    return words.get(code, code) if code else ""


def _checkin_row(checkin: Mapping[str, Any]) -> str:
    day = date.fromisoformat(checkin["date"])
    carbs = _number(checkin["carbs_g"], "g") or _word(CARBS_LEVELS, checkin["carbs_level"])
    minutes = checkin["cardio_minutes"]
    cardio = CARDIO_NONE() if minutes == 0 else _number(minutes, "min")
    if minutes and checkin["cardio_kind"]:
        cardio = CARDIO_WITH_KIND(minutes=cardio, kind=_word(CARDIO_KINDS, checkin["cardio_kind"]))
    leg_day = _word(ANSWER_WORDS, checkin["leg_day"])
    cells = [
        i18n.date_label(day, EXPORT_SHORT_DATE()),
        _number(checkin["sleep_hours"], "h"),
        _number(checkin["protein_g"], "g"),
        carbs,
        cardio,
        leg_day,
    ]
    return "| " + " | ".join(cell or "-" for cell in cells) + " |"


def _checkin_lines(document: Mapping[str, Any]) -> list[str]:
    text = SUMMARY
    lines = [text["checkins"], ""]
    if not document["check_ins"]:
        return [*lines, text["no_checkins"]]
    return [
        *lines,
        text["checkin_header"],
        text["checkin_rule"],
        *(_checkin_row(checkin) for checkin in document["check_ins"]),
    ]


def _other_lines(name: str, rows: Sequence[Mapping[str, Any]]) -> list[str]:
    """The rows of a table without a section of its own, a line each. A table or field
    without words (one added after these were written) is shown by its name."""
    what = TABLES[name] if name in TABLES else name.replace("_", " ").capitalize()
    return [SUMMARY["other"].format(what=what), "", *(_fields_line(row) for row in rows)]


def _fields_line(fields: Mapping[str, Any]) -> str:
    return "- " + FIELDS_SEPARATOR().join(
        FIELD(field=_field_name(key), value=_field_value(key, value))
        for key, value in fields.items()
    )


def _field_name(key: str) -> str:
    return FIELDS[key] if key in FIELDS else key.replace("_", " ")


def _field_value(key: str, value: Any) -> str:
    """A stored value in words: times and days as dates, numbers as the language writes
    them, yes or no, and the codes there are words for."""
    if value is None:
        return "-"
    if isinstance(value, bool):
        return VALUES["yes" if value else "no"]
    if isinstance(value, int | float):
        return i18n.number(value, 2)
    if not isinstance(value, str):
        return str(value)
    if key.endswith("_at"):
        return _when(value)
    if key == "day":
        return _day_words(value)
    words_for: tuple[Mapping[str, str], ...] = (
        UNIT_NAMES if key == "unit" or key.endswith("_unit") else UNITS,
        CARDIO_KINDS,
        CARBS_LEVELS,
        ANSWER_WORDS,
        VALUES,
        WORKOUT_TITLES,
    )
    for words in words_for:
        if value in words:
            return words[value]
    return value


def _day_words(iso: str) -> str:
    try:
        return _date_words(date.fromisoformat(iso))
    except ValueError:
        return iso


def _unfinished_lines(unfinished: Mapping[str, Any]) -> list[str]:
    lines = [SUMMARY["unfinished"].format(what=unfinished["conversation"]), ""]
    answers = unfinished.get("answers") or {}
    if unfinished.get("kind") == "assessment":
        shown = answer_lines(answers)
    else:
        shown = [
            "- " + FIELD(field=_field_name(key), value=_field_value(key, value))
            for key, value in answers.items()
        ]
    return [*lines, SUMMARY["unfinished_answers"], *shown]


# ---- the check-ins for a spreadsheet ----------------------------------------------------------


def _weekday_code(checkin: Mapping[str, Any]) -> str:
    """The weekday of a check-in as an English code ("monday"), from its ISO date."""
    try:
        return WEEKDAY_CODES[date.fromisoformat(str(checkin.get("date"))).weekday()]
    except ValueError:
        return ""


def checkins_csv(checkins: Sequence[Mapping[str, Any]]) -> bytes:
    """The check-ins for a spreadsheet: English column names and codes only (see
    WEEKDAY_CODES), the same file in every language."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CHECKIN_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    writer.writerows({**checkin, "weekday": _weekday_code(checkin)} for checkin in checkins)
    return buffer.getvalue().encode()
