"""The user's own data: /export, /delete, /progress, and what changed at a re-assessment.

/export and /progress answer at once (one-shots); /delete is a one-question flow that asks
for confirmation first, on its own small `transitions` machine like the other flows.
"""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING

from transitions import Machine

from flows import catching_up, parsing
from flows.checkin import local_today
from flows.core import Choice, Conversation, Event, EventKind, Profile, ProfilePart, Reply, Step
from flows.machine import fire, new_machine
from flows.progress import CheckinDay, compare_assessments, summarize
from flows.registry import Flow
from flows.rules import SLEEP_TARGET_H, Targets, targets_from_answers
from flows.texts.account import COMMANDS as ACCOUNT_COMMANDS
from flows.texts.account import TEXTS as ACCOUNT_TEXTS
from flows.texts.account import TITLE as ACCOUNT_TITLE
from flows.texts.common import REASK
from flows.texts.diagnosis import rule_title
from flows.texts.progress import render_assessment_change, render_no_checkins, render_summary

if TYPE_CHECKING:
    from flows.effects import Effect

logger = logging.getLogger(__name__)

NAME = "delete"

PERIODS_DAYS = (7, 30)
DEFAULT_PERIOD_DAYS = 7


# ---- effects --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportData:
    """Effect: build the files with everything stored about the user and send them."""


@dataclass(frozen=True)
class DeleteEverything:
    """Effect: delete every row about the user (assessments, plan, reminders, check-ins,
    conversation, settings) and stop everything scheduled for them."""


@dataclass(frozen=True)
class AttachChart:
    """Effect: draw the progress chart for `start`..`end` (local dates, both included) and
    send it as a photo after the replies. The targets are the ones the summary used."""

    start: date
    end: date
    protein_target_g: float | None = None
    sleep_target_h: float = SLEEP_TARGET_H


# ---- /export --------------------------------------------------------------------------------


def export(profile: Profile, now: datetime, args: str = "") -> tuple[list[Reply], list[Effect]]:
    if not profile.has_data:
        return [Reply("account.export.nothing")], []
    return [Reply("account.export.ready")], [ExportData()]


# ---- /progress ------------------------------------------------------------------------------

# At most four ASCII digits: no period is longer, and int() never sees a huge number.
_PERIOD = re.compile(r"(\d{1,4})\s*(?:d|days?|д|дн|дн\.|день|дня|дней)?", re.ASCII)


def parse_period(args: str) -> int | None:
    """Days to show for "/progress <args>": "" -> 7, "7" -> 7, "30 days" -> 30, "30 дней"
    -> 30; None for anything else."""
    cleaned = parsing.normalise(args)
    if not cleaned:
        return DEFAULT_PERIOD_DAYS
    match = _PERIOD.fullmatch(cleaned)
    if match is None or int(match.group(1)) not in PERIODS_DAYS:
        return None
    return int(match.group(1))


def _targets(profile: Profile) -> Targets | None:
    return targets_from_answers(profile.latest_answers or {})


def progress(profile: Profile, now: datetime, args: str = "") -> tuple[list[Reply], list[Effect]]:
    """The last 7 or 30 days of check-ins against the user's targets, with a chart, then
    the legs catching up (flows.catching_up); "/progress adapt ..." accepts its change."""
    today = local_today(profile.timezone, now)
    if catching_up.is_accept(args):
        return catching_up.accept(profile, today, args)
    replies, effects = _checkins_progress(profile, now, args)
    if replies and replies[0].key == "account.progress.bad_period":
        return replies, effects
    lag_replies, lag_effects = catching_up.progress_view(profile, today)
    return [*replies, *lag_replies], [*effects, *lag_effects]


def _checkins_progress(
    profile: Profile, now: datetime, args: str
) -> tuple[list[Reply], list[Effect]]:
    period_days = parse_period(args)
    if period_days is None:
        return [Reply("account.progress.bad_period", {"text": args.strip()[:20]})], []
    checkins = [c for c in profile.recent_checkins if isinstance(c, CheckinDay)]
    if not checkins:
        planned = bool(profile.plan_weekdays)
        text = render_no_checkins(
            planned and not profile.checkins_paused,
            assessed=profile.latest_answers is not None,
            paused=planned and profile.checkins_paused,
        )
        return [Reply("account.progress.none", {"summary_html": text})], []
    end = local_today(profile.timezone, now)
    start = end - timedelta(days=period_days - 1)
    targets = _targets(profile)
    protein_target_g = targets.protein_target_g if targets else None
    sleep_target_h = targets.sleep_target_h if targets else SLEEP_TARGET_H
    summary = summarize(
        checkins,
        start,
        end,
        profile.plan_weekdays,
        protein_target_g,
        sleep_target_h=sleep_target_h,
        carbs_min_g=targets.carbs_min_g if targets else None,
        today=end,
        plan_start=profile.plan_since,
        reminder_marks=profile.reminder_leg_days,
    )
    reply = Reply(
        "account.progress.summary" if period_days == 30 else "account.progress.summary_week",
        {"summary_html": render_summary(summary, period_days, profile.weight_unit)},
    )
    if summary.days_checked_in == 0:
        return [reply], []  # an empty chart says nothing the text does not
    return [reply], [AttachChart(start, end, protein_target_g, sleep_target_h)]


# ---- re-assessment --------------------------------------------------------------------------


def assessment_change_reply(
    previous_problem_ids: Iterable[str] | None, current_problem_ids: Iterable[str]
) -> Reply | None:
    """What changed since the previous assessment, or None when there was none.

    Pass None for a first assessment: an empty list means the previous one found nothing.
    """
    if previous_problem_ids is None:
        return None
    change = compare_assessments(previous_problem_ids, current_problem_ids)
    text = render_assessment_change(change, lambda rule_id: html.escape(rule_title(rule_id)))
    return Reply("account.assessment_change", {"change_html": text})


# ---- /delete --------------------------------------------------------------------------------


class D(StrEnum):
    CONFIRM = "confirm"
    DELETED = "deleted"
    KEPT = "kept"


def _build_machine() -> Machine:
    machine = new_machine(D, D.CONFIRM.value)
    machine.add_transition("delete", D.CONFIRM.value, D.DELETED.value)
    machine.add_transition("keep", D.CONFIRM.value, D.KEPT.value)
    return machine


MACHINE = _build_machine()


def _fire(state: str, trigger: str) -> str:
    return fire(MACHINE, state, trigger) or state


def _confirm(key: str = "account.delete.confirm") -> Reply:
    return Reply(
        key,
        choices=(
            (Choice(ACCOUNT_TEXTS["account.delete.choice.yes"], "delete=yes"),),
            (Choice(ACCOUNT_TEXTS["account.delete.choice.no"], "delete=no"),),
        ),
    )


def start(profile: Profile, now: datetime) -> Step:
    if not profile.has_data:
        return Step(None, {}, [Reply("account.delete.nothing")])
    return Step(D.CONFIRM.value, {}, [_confirm()], restarted=True)


# Typed answers to "delete everything?" besides yes and no and the buttons' labels, in every
# language the bot speaks.
_DELETE_WORDS = frozenset(
    {"delete", "delete everything", "удалить", "удали", "удалить всё", "удалить все", "удаляй"}
)
_KEEP_WORDS = frozenset(
    {"keep", "keep my data", "cancel", "оставить", "оставь", "отмена", "не удалять", "не надо"}
)


def _typed_choice(text: str) -> str | None:
    cleaned = parsing.normalise(text).strip(".!")
    for value in ("yes", "no"):
        if cleaned == parsing.normalise(ACCOUNT_TEXTS[f"account.delete.choice.{value}"]):
            return value
    if cleaned in _DELETE_WORDS:
        return "yes"
    if cleaned in _KEEP_WORDS:
        return "no"
    parsed = parsing.parse_yes_no(cleaned)
    if parsed.ok:
        return "yes" if parsed.value else "no"
    return None


def handle(conversation: Conversation, event: Event, profile: Profile, now: datetime) -> Step:
    state = D.CONFIRM.value
    if event.kind is EventKind.BUTTON:
        target, _, value = event.text.partition("=")
        choice = value if target == NAME and value in {"yes", "no"} else None
    elif event.kind is EventKind.TEXT:
        choice = _typed_choice(event.text)
        if choice is None:
            return Step(state, {}, [Reply("account.delete.yes_or_no"), _confirm()])
    elif event.kind is EventKind.COMMAND and event.text == REASK:
        # Something else was answered in between: the question again, in one line.
        return Step(state, {}, [_confirm("account.delete.reask")])
    else:
        # /delete again, /back, a repeat or a sticker: the question stays as it was.
        choice = None
    if choice is None:
        return Step(state, {}, [_confirm()])
    if _fire(state, "delete" if choice == "yes" else "keep") == D.DELETED:
        logger.info("user %s asked to delete everything", profile.user_id)
        return Step(None, {}, [Reply("account.delete.done")], [DeleteEverything()])
    return Step(None, {}, [Reply("account.delete.kept")])


FLOW = Flow(
    NAME,
    ACCOUNT_TITLE,
    ACCOUNT_COMMANDS,
    ACCOUNT_TEXTS,
    start,
    handle,
    # /progress reads them all; /delete and /export only whether there is anything.
    needs=frozenset(ProfilePart),
    effects=(AttachChart, ExportData, DeleteEverything, *catching_up.EFFECTS),
    answers={"progress": progress, "export": export},
)
