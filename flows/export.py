"""/export as files a person can read: the summary (Markdown) and the check-ins (CSV), both
made from the export document, the JSON the adapter builds from storage.

The document holds only what the user gave or what was made for them, under meaningful
keys: times in the user's zone (ISO 8601 with the offset), dates as ISO dates, weekdays by
name. Nothing here reads the clock or storage.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any, cast

from flows import assessment
from flows.answers import Answers
from flows.progress import CHECKIN_VALUES
from flows.rules import evaluate
from flows.texts import plain
from flows.texts.account import ANSWER_WORDS, REMINDER_KINDS, SUMMARY
from flows.texts.assessment import QUESTIONS as QUESTION_TEXTS
from flows.texts.diagnosis import render_problems, render_strengths
from flows.texts.plan import MONTH_NAMES, WEEKDAY_NAMES
from flows.texts.progress import day_label

# The columns of the check-ins, in the JSON document and in the CSV file.
CHECKIN_COLUMNS = ("date", "weekday", *CHECKIN_VALUES, "saved_at")


def local_time(moment: datetime | None, zone: Any) -> str | None:
    """An aware datetime as ISO 8601 in the user's zone, e.g. 2026-11-17T10:30:00+01:00."""
    if moment is None:
        return None
    return moment.astimezone(zone).isoformat(timespec="minutes")


def _when(iso: str | None) -> str:
    """ "Tuesday 17 November 2026, 10:30" from a local ISO time."""
    if not iso:
        return "-"
    moment = datetime.fromisoformat(iso)
    return f"{_date_words(moment.date())}, {moment:%H:%M}"


def _date_words(day: date) -> str:
    return f"{WEEKDAY_NAMES[day.weekday()]} {day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


def _number(value: float | None, unit: str) -> str:
    if value is None:
        return ""
    shown = f"{value:g}" if isinstance(value, float) else str(value)
    return f"{shown} {unit}"


def _list(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


# ---- the summary ------------------------------------------------------------------------------


def render_summary(document: Mapping[str, Any]) -> str:
    """The whole export as Markdown, for a person to read."""
    text = SUMMARY
    lines = [
        text["title"],
        "",
        text["exported"].format(when=_when(document["exported_at"]), zone=document["time_zone"]),
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
        (text["zone"], settings["time_zone"]),
        (text["unit"], settings["weight_unit"]),
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
    """The question without the hints on how to answer it ("Type it in kg or lb, ...")."""
    text = plain(QUESTION_TEXTS[name])
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
        titles = [reason["title"] for reason in taken["holding_legs_back"]]
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
        text["plan_day"].format(weekday=day["weekday"], workout=day["workout"])
        for day in plan["leg_days"]
    ]
    reminders = text["paused"] if document["settings"]["leg_day_reminders_paused"] else text["on"]
    lines += [
        "",
        text["plan_reminder"].format(
            time=plan["reminder_time"], zone=plan["time_zone"], state=reminders
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
                kind=REMINDER_KINDS.get(item["what"], item["what"]),
                days=text["every_day"] if len(days) == 7 else _list(days),
                time=item["time"],
                zone=item["time_zone"],
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
            answer=ANSWER_WORDS.get(item["answer"], item["answer"]),
        )
        for item in answered
    ]


def _checkin_row(checkin: Mapping[str, Any]) -> str:
    day = date.fromisoformat(checkin["date"])
    carbs = _number(checkin["carbs_g"], "g") or (checkin["carbs_level"] or "")
    minutes = checkin["cardio_minutes"]
    cardio = "none" if minutes == 0 else _number(minutes, "min")
    if minutes and checkin["cardio_kind"]:
        cardio += f", {checkin['cardio_kind']}"
    leg_day = ANSWER_WORDS.get(checkin["leg_day"] or "", checkin["leg_day"] or "")
    cells = [
        f"{day_label(day)} {day.year}",
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
    heading = SUMMARY["other"].format(what=name.replace("_", " ").capitalize())
    return [
        heading,
        "",
        *(
            "- " + ", ".join(f"{key.replace('_', ' ')}: {value}" for key, value in row.items())
            for row in rows
        ),
    ]


def _unfinished_lines(unfinished: Mapping[str, Any]) -> list[str]:
    lines = [SUMMARY["unfinished"].format(what=unfinished["conversation"]), ""]
    answers = unfinished.get("answers") or {}
    if unfinished.get("kind") == "assessment":
        shown = answer_lines(answers)
    else:
        shown = [f"- {key}: {value}" for key, value in answers.items()]
    return [*lines, SUMMARY["unfinished_answers"], *shown]


# ---- the check-ins for a spreadsheet ----------------------------------------------------------


def checkins_csv(checkins: Sequence[Mapping[str, Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CHECKIN_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(checkins)
    return buffer.getvalue().encode()
