"""Text for check-in replies, progress summaries, re-assessment changes and the chart.

TEXTS are str.format templates in Telegram HTML (<b>, <i> only), read in the user's
language (flows.i18n). Numbers are written by i18n.number before they go in ("7.5" / "7,5"),
and anything counted is a Plural, so each language says "1 night" and "5 nights" its way.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from flows import i18n
from flows.i18n import Messages, Plural, Text
from flows.progress import AssessmentChange, Feedback, Line, Streaks, Summary

TEXTS = Messages(
    {
        # After a check-in: one line per answer.
        "progress_checkin_title": "<b>Check-in for {day}</b>",
        "progress_sleep_ok": "😴 {hours} h of sleep: on target.",
        "progress_sleep_short": (
            "😴 {hours} h of sleep: under the {target} h your legs need to grow."
        ),
        "progress_protein_ok": "🍗 Protein {protein} g of {target} g: target hit.",
        "progress_protein_short": "🍗 Protein {protein} g of {target} g: {missing} g short.",
        "progress_protein_logged": "🍗 Protein {protein} g.",
        "progress_carbs_grams": "🍞 Carbs {carbs} g.",
        "progress_carbs_grams_ok": "🍞 Carbs {carbs} g: enough fuel.",
        "progress_carbs_grams_low": (
            "🍞 Carbs {carbs} g: under the {minimum} g that fuels hard sessions and recovery."
        ),
        "progress_carbs_level": "🍞 Carbs: {level}.",
        "progress_carbs_level_low": "🍞 Carbs: low. Training and recovery run on them.",
        "progress_cardio": "🏃 Cardio: {minutes} min.",
        "progress_cardio_steady": "🏃 Cardio: {minutes} min steady.",
        "progress_cardio_intervals": "🏃 Cardio: {minutes} min of intervals.",
        "progress_cardio_long_steady": (
            "🏃 {minutes} min of steady cardio: a lot when legs should grow."
        ),
        "progress_cardio_steady_week": (
            "🏃 Cardio: {minutes} min steady, {week_steady} min steady over the last 7 days: "
            "that much works against growth."
        ),
        "progress_leg_done": "🦵 Leg day done. 💪",
        "progress_leg_skipped": "🦵 Leg day skipped.",
        "progress_leg_rest": "🛌 Rest day: muscles grow while you recover.",
        "progress_no_answers": "Saved. Nothing to compare yet: no numbers in this check-in.",
        # The one thing for tomorrow.
        "progress_tip_title": "<b>For tomorrow:</b> {tip}",
        "progress_tip_sleep_before_leg_day": (
            "legs are on after two short nights. Make sleep the priority tonight, then keep the "
            "session but drop one set from each exercise."
        ),
        "progress_tip_back_to_back": (
            "rest your legs. Leg days never go back to back, so today's session takes the place "
            "of tomorrow's planned one: skip it and train legs on your next planned day."
        ),
        "progress_tip_skipped_next_planned": (
            "tomorrow's leg day is on. Do it in full, and don't stack the missed session on top."
        ),
        "progress_tip_skipped_make_up": (
            "make up the missed leg session, with the heavy basics first while you're fresh."
        ),
        "progress_tip_protein_one_shake": (
            "add a protein shake. You were {missing} g short, and one scoop is about {shake} g."
        ),
        "progress_tip_protein_shakes": (
            "you were {missing} g short on protein. Add two shakes (about {shake} g a scoop), "
            "or one shake and a protein-rich meal."
        ),
        "progress_tip_sleep": (
            "go to bed {minutes} min earlier tonight to reach {target} h. "
            "A short nap in the afternoon helps too."
        ),
        "progress_tip_sleep_hours": (
            "go to bed {hours} h earlier tonight to reach {target} h. "
            "A short nap in the afternoon helps too."
        ),
        "progress_tip_intervals": (
            "swap the long steady cardio for a short interval session: it keeps the "
            "conditioning without eating into your legs."
        ),
        "progress_tip_carbs": (
            "add a portion of complex carbs (oats, rice, potatoes) to your main meals."
        ),
        "progress_tip_carbs_leg_day": (
            "it's a leg day, so eat a solid portion of complex carbs (oats, rice, potatoes) "
            "a couple of hours before training."
        ),
        "progress_tip_leg_day_tomorrow": (
            "it's a leg day. Heavy basics first with clean form, then 15+ reps on the rest."
        ),
        "progress_tip_keep_going": "nothing to fix from today's numbers. Same again!",
        # Streaks: {days} and {leg_days} are DAYS and LEG_DAYS.
        "progress_streak_checkins": "🔥 {days} in a row checked in",
        "progress_streak_leg_days": "🦵 {leg_days} done as planned in a row",
        # Summary of a period. Every average says over how many days it is, and nothing is
        # counted as "0 of N": a count that is nothing is said plainly or left out. A verdict
        # about every day has a form for one day ("_one"), for two ("_two": "both") and a
        # Plural for more (SUMMARY_EVERY).
        "progress_summary_sleep_on_target_one": "on target",
        "progress_summary_sleep_on_target_two": "both nights on target",
        "progress_summary_sleep_all_under_one": "under target",
        "progress_summary_sleep_all_under_two": "both nights under target",
        "progress_summary_sleep_none": "😴 <b>Sleep</b> not reported.",
        "progress_summary_protein": (
            "🍗 <b>Protein</b> {average} g a day on average (target {target} g, "
            "{per_weight}), {verdict}."
        ),
        "progress_summary_protein_all_at_one": "at target on the 1 day reported",
        "progress_summary_protein_all_at_two": "at target on both days",
        "progress_summary_protein_all_under_one": "under target on the 1 day reported",
        "progress_summary_protein_all_under_two": "under target on both days",
        "progress_summary_protein_none": "🍗 <b>Protein</b> not reported.",
        "progress_summary_carbs": "🍞 <b>Carbs</b> {parts}.",
        "progress_summary_carbs_all_enough_one": "enough on the 1 day reported ({basis})",
        "progress_summary_carbs_all_enough_two": "enough on both days ({basis})",
        "progress_summary_carbs_all_low_one": "low on the 1 day reported ({basis})",
        "progress_summary_carbs_all_low_two": "low on both days ({basis})",
        "progress_summary_carbs_by_grams": "grams against your {minimum} g",
        "progress_summary_carbs_by_level": "by the level you gave",
        "progress_summary_carbs_by_both": "grams against your {minimum} g, else the level you gave",
        "progress_summary_carbs_by_level_only": (
            "by the level you gave; no target to compare grams with yet"
        ),
        "progress_summary_carbs_unjudged": "no target to compare them with yet (/assess sets one)",
        "progress_summary_carbs_none": "🍞 <b>Carbs</b> not reported.",
        "progress_summary_cardio_all_steady": ", all steady",
        "progress_summary_cardio_all_intervals": ", all intervals",
        "progress_summary_cardio_kinds": ": {kinds}",
        "progress_summary_cardio_steady": "{minutes} min steady",
        "progress_summary_cardio_intervals": "{minutes} min intervals",
        "progress_summary_cardio_other": "{minutes} min other",
        "progress_summary_cardio_none": "🏃 <b>Cardio</b> none.",
        "progress_summary_legs": "🦵 <b>Leg days</b> {parts}.",
        "progress_summary_legs_planned_all_done_one": "1 planned, done",
        "progress_summary_legs_planned_all_done_two": "2 planned, both done",
        "progress_summary_legs_planned": "{planned} planned: {marks}",
        "progress_summary_legs_done": "{count} done",
        "progress_summary_legs_skipped": "{count} skipped",
        "progress_summary_legs_rest": "{count} taken as rest",
        "progress_summary_legs_unmarked": "{count} not marked",
        "progress_summary_legs_extra": ", plus {count} extra",
        "progress_summary_legs_none_due": "none planned in these days yet",
        "progress_summary_legs_done_before_plan": "{count} done, none planned in these days yet",
        "progress_summary_legs_none": "🦵 <b>Leg days</b> none marked.",
        "progress_summary_streaks": "🔥 <b>Streaks</b> {parts}.",
        "progress_summary_streak_checkins": "{days} in a row checked in",
        "progress_summary_streak_leg_days": "{leg_days} in a row done as planned",
        "progress_summary_empty": (
            "No check-ins between {start} and {end}. Answer the next daily check-in and "
            "your progress shows up here."
        ),
        "progress_no_checkins_yet": (
            "No check-ins yet. Once you answer the daily check-in, you'll see your sleep, "
            "protein, cardio and leg days here against your targets."
        ),
        "progress_no_checkins_none_coming": (
            "No check-ins yet. Send /start: a short assessment, then your leg-day plan, and the "
            "daily check-in comes with it. Your sleep, protein, cardio and leg days show up here."
        ),
        # Assessed, but no plan yet: the plan brings the daily check-in.
        "progress_no_checkins_no_plan": (
            "No check-ins yet. Send /plan for your leg-day plan, built from your assessment: "
            "the daily check-in comes with it. Your sleep, protein, cardio and leg days show up "
            "here."
        ),
        "progress_no_checkins_paused": (
            "No check-ins yet, and your daily check-in is paused. Resume it in /settings and "
            "your sleep, protein, cardio and leg days show up here."
        ),
        # Re-assessment.
        "progress_change_title": "<b>Since your last assessment</b>",
        "progress_change_fixed": "✅ <b>Fixed</b>",
        "progress_change_remaining": "⏳ <b>Still to work on</b>",
        "progress_change_new": "🆕 <b>New</b>",
        "progress_change_item": "• {title}",
        "progress_change_same": "Same reasons as last time: keep working on them.",
        "progress_change_all_clear": "No reasons found, then or now. Keep doing what you do!",
        "progress_change_all_fixed": "Every reason from last time is fixed. Great work!",
    },
)

# Counted things; `{count}` is the number as the language writes it.
DAYS = Plural("progress.days", "{count} day", "{count} days")
LEG_DAYS = Plural("progress.leg_days", "{count} leg day", "{count} leg days")

SUMMARY_TITLE = Plural(
    "progress.summary.title",
    "<b>Your last {count} day</b> ({start} – {end})",
    "<b>Your last {count} days</b> ({start} – {end})",
)
CHECKED_IN = Plural(
    "progress.summary.checked_in",
    "Checked in on {checked} of {count} day.",
    "Checked in on {checked} of {count} days.",
)
CHECKED_IN_ALL = Plural(
    "progress.summary.checked_in_all",
    "Checked in on all {count} day.",
    "Checked in on all {count} days.",
)
SLEEP_LINE = Plural(
    "progress.summary.sleep",
    "😴 <b>Sleep</b> {average} h a night on average over {count} night (target {target} h), "
    "{verdict}.",
    "😴 <b>Sleep</b> {average} h a night on average over {count} nights (target {target} h), "
    "{verdict}.",
)
SLEEP_SOME_UNDER = Plural(
    "progress.summary.sleep_some_under",
    "{count} night under target",
    "{count} nights under target",
)
PROTEIN_SOME_AT = Plural(
    "progress.summary.protein_some_at",
    "at target on {at_target} of {count} day",
    "at target on {at_target} of {count} days",
)
PROTEIN_NO_TARGET = Plural(
    "progress.summary.protein_no_target",
    "🍗 <b>Protein</b> {average} g a day on average over {count} day.",
    "🍗 <b>Protein</b> {average} g a day on average over {count} days.",
)
CARBS_AVERAGE = Plural(
    "progress.summary.carbs_average",
    "{average} g a day on average over {count} day",
    "{average} g a day on average over {count} days",
)
CARBS_SOME_LOW = Plural(
    "progress.summary.carbs_some_low",
    "low on {low} of {count} day ({basis})",
    "low on {low} of {count} days ({basis})",
)
CARDIO_LINE = Plural(
    "progress.summary.cardio",
    "🏃 <b>Cardio</b> {total} min on {count} day{kinds}.",
    "🏃 <b>Cardio</b> {total} min on {count} days{kinds}.",
)
# A verdict about every one of three or more days ("all 5 nights on target"); one day and
# two days have their own texts in TEXTS ("_one", "_two").
SUMMARY_EVERY: dict[str, Plural] = {
    key: Plural(
        "progress.summary.every." + key.removeprefix("progress_summary_"),
        one,
        other,
    )
    for key, one, other in (
        (
            "progress_summary_sleep_on_target",
            "all {count} night on target",
            "all {count} nights on target",
        ),
        (
            "progress_summary_sleep_all_under",
            "all {count} night under target",
            "all {count} nights under target",
        ),
        (
            "progress_summary_protein_all_at",
            "at target on all {count} day",
            "at target on all {count} days",
        ),
        (
            "progress_summary_protein_all_under",
            "under target on all {count} day",
            "under target on all {count} days",
        ),
        (
            "progress_summary_carbs_all_enough",
            "enough on all {count} day ({basis})",
            "enough on all {count} days ({basis})",
        ),
        (
            "progress_summary_carbs_all_low",
            "low on all {count} day ({basis})",
            "low on all {count} days ({basis})",
        ),
        (
            "progress_summary_legs_planned_all_done",
            "{count} planned, all done",
            "{count} planned, all done",
        ),
    )
}

# The protein target per body weight: 2.2 g per kg is the same target as 1 g per lb.
PER_WEIGHT = Messages({"kg": "2.2 g per kg", "lb": "1 g per lb"}, "progress.per_weight.")
# The carbs a check-in gives as a level, when the grams are not known.
CARBS_LEVELS = Messages(
    {"low": "low", "moderate": "moderate", "high": "high"},
    "progress.carbs_level.",
)

# Plain-text labels for the progress chart (an image, so no HTML).
CHART_TEXTS = Messages(
    {
        "title": "Progress {start} – {end}",
        "sleep": "Sleep (h)",
        "protein": "Protein (g)",
        "target": "target {value} {unit}",
        "average": "avg {value} {unit}",
        "on_target": "on target",
        "under_target": "under target",
        "no_target": "no target yet",
        "missing": "not reported",
        "cardio": "Cardio (min)",
        "cardio_steady": "steady",
        "cardio_intervals": "intervals",
        "cardio_other": "other",
        "legs": "Leg days",
        "leg_done": "leg day done",
        "leg_skipped": "skipped",
        "leg_rest": "rest",
        "leg_planned": "planned, not marked",
        "plan_start": "plan from {day}",
        "no_checkins_yet": "No check-ins yet",
        "no_checkins_yet_hint": "Answer the daily check-in and your progress shows up here.",
        "no_checkins_in_period": "No check-ins in these days",
    },
    "progress.chart.",
)

# A day and its month, short: a CLDR pattern, so each language orders it its own way.
SHORT_DATE = Text("progress.date.short", "d MMM")


def short_date(day: date) -> str:
    """'29 Mar' / '29 мар.', in the current language."""
    return i18n.date_label(day, SHORT_DATE())


def weekday_short(day: date) -> str:
    """'Sun' / 'Вс'."""
    return i18n.weekday_name(day.weekday(), "abbreviated")


def day_label(day: date) -> str:
    """'Sun 29 Mar' / 'вс, 29 мар.'."""
    return i18n.day_label(day, short=True)


def _figure(value: float, decimals: int = 1) -> str:
    return i18n.number(value, decimals)


def _hours(value: float) -> str:
    return _figure(value, 1)


def _grams(value: float) -> str:
    return _figure(value, 0)


def _number(value: float) -> str:
    # One decimal at most, and whole numbers from 10 up: "7.4 h", "158 g".
    return _figure(value, 0 if abs(value) >= 10 else 1)


def _shown(values: Mapping[str, Any]) -> dict[str, Any]:
    """A line's values as the language writes them: numbers through i18n.number, a carbs
    level in words."""
    shown: dict[str, Any] = {}
    for name, value in values.items():
        if isinstance(value, int | float) and not isinstance(value, bool):
            shown[name] = _figure(value)
        elif name == "level" and value in CARBS_LEVELS:
            shown[name] = CARBS_LEVELS[value]
        else:
            shown[name] = value
    return shown


def render_line(line: Line) -> str:
    return TEXTS[line.key].format(**_shown(line.values))


def render_streaks(streaks: Streaks) -> str:
    parts = [TEXTS["progress_streak_checkins"].format(days=DAYS(streaks.checkin_days))]
    if streaks.leg_days > 0:
        parts.append(TEXTS["progress_streak_leg_days"].format(leg_days=LEG_DAYS(streaks.leg_days)))
    return " · ".join(parts)


def render_feedback(
    feedback: Feedback, streaks: Streaks | None = None, *, with_tip: bool = True
) -> str:
    """The reply after a check-in: how the day went, one tip for tomorrow (`with_tip`: a
    day gone by has no tomorrow left to advise on), the streaks."""
    parts = [TEXTS["progress_checkin_title"].format(day=day_label(feedback.day))]
    if feedback.lines:
        parts.append("\n".join(render_line(line) for line in feedback.lines))
    else:
        parts.append(TEXTS["progress_no_answers"])
    if with_tip:
        parts.append(TEXTS["progress_tip_title"].format(tip=render_line(feedback.tip)))
    if streaks is not None:
        parts.append(render_streaks(streaks))
    return "\n\n".join(parts)


def _per_weight(weight_unit: str) -> str:
    return PER_WEIGHT["lb" if weight_unit == "lb" else "kg"]


def _verdict(key: str, number: int, **values: Any) -> str:
    """A verdict about every one of `number` days: its own words for one day and for two
    ("both"), else the Plural of SUMMARY_EVERY."""
    if number in (1, 2):
        return TEXTS[f"{key}_{'one' if number == 1 else 'two'}"].format(**values)
    return SUMMARY_EVERY[key](number, **values)


def _sleep_line(summary: Summary) -> str:
    if summary.sleep_average_h is None:
        return TEXTS["progress_summary_sleep_none"]
    nights, under = summary.sleep_nights_reported, summary.nights_under_target
    if under == 0:
        verdict = _verdict("progress_summary_sleep_on_target", nights)
    elif under == nights:
        verdict = _verdict("progress_summary_sleep_all_under", nights)
    else:
        verdict = SLEEP_SOME_UNDER(under)
    return SLEEP_LINE(
        nights,
        average=_hours(summary.sleep_average_h),
        target=_hours(summary.sleep_target_h),
        verdict=verdict,
    )


def _protein_line(summary: Summary, weight_unit: str) -> str:
    if summary.protein_average_g is None:
        return TEXTS["progress_summary_protein_none"]
    days = summary.protein_days_reported
    if summary.protein_target_g is None or summary.protein_days_at_target is None:
        return PROTEIN_NO_TARGET(days, average=_grams(summary.protein_average_g))
    at_target = summary.protein_days_at_target
    if at_target == days:
        verdict = _verdict("progress_summary_protein_all_at", days)
    elif at_target == 0:
        verdict = _verdict("progress_summary_protein_all_under", days)
    else:
        verdict = PROTEIN_SOME_AT(days, at_target=_figure(at_target))
    return TEXTS["progress_summary_protein"].format(
        average=_grams(summary.protein_average_g),
        target=_grams(summary.protein_target_g),
        per_weight=_per_weight(weight_unit),
        verdict=verdict,
    )


def _carbs_basis(summary: Summary) -> str:
    """Which days the carbs verdict is about: grams against the target, levels, or both."""
    grams, levels = summary.carbs_days_grams > 0, summary.carbs_days_levels > 0
    if summary.carbs_min_g is None:
        key = "progress_summary_carbs_by_level_only" if grams else "progress_summary_carbs_by_level"
        return TEXTS[key]
    key = (
        "progress_summary_carbs_by_both"
        if grams and levels
        else ("progress_summary_carbs_by_grams" if grams else "progress_summary_carbs_by_level")
    )
    return TEXTS[key].format(minimum=_grams(summary.carbs_min_g))


def _carbs_line(summary: Summary) -> str:
    if summary.carbs_days_reported == 0:
        return TEXTS["progress_summary_carbs_none"]
    parts = []
    if summary.carbs_average_g is not None:
        parts.append(
            CARBS_AVERAGE(summary.carbs_days_grams, average=_number(summary.carbs_average_g))
        )
    judged, low = summary.carbs_days_judged, summary.carbs_days_low
    if judged == 0:
        parts.append(TEXTS["progress_summary_carbs_unjudged"])
    else:
        basis = _carbs_basis(summary)
        if low == 0:
            parts.append(_verdict("progress_summary_carbs_all_enough", judged, basis=basis))
        elif low == judged:
            parts.append(_verdict("progress_summary_carbs_all_low", judged, basis=basis))
        else:
            parts.append(CARBS_SOME_LOW(judged, low=_figure(low), basis=basis))
    return TEXTS["progress_summary_carbs"].format(parts="; ".join(parts))


def _cardio_line(summary: Summary) -> str:
    total = summary.cardio_minutes_total
    if total == 0:
        return TEXTS["progress_summary_cardio_none"]
    kinds = [
        (kind, minutes)
        for kind, minutes in (
            ("steady", summary.cardio_minutes_steady),
            ("intervals", summary.cardio_minutes_intervals),
            ("other", total - summary.cardio_minutes_steady - summary.cardio_minutes_intervals),
        )
        if minutes > 0
    ]
    if len(kinds) == 1 and kinds[0][0] != "other":
        said = TEXTS[f"progress_summary_cardio_all_{kinds[0][0]}"]
    elif len(kinds) > 1:
        said = TEXTS["progress_summary_cardio_kinds"].format(
            kinds=", ".join(
                TEXTS[f"progress_summary_cardio_{kind}"].format(minutes=_figure(minutes))
                for kind, minutes in kinds
            )
        )
    else:
        said = ""
    return CARDIO_LINE(summary.cardio_days, total=_figure(total), kinds=said)


def _marks(*counts: tuple[str, int]) -> str:
    """'1 done, 2 skipped': the counts that are not zero."""
    return ", ".join(
        TEXTS[f"progress_summary_legs_{name}"].format(count=_figure(count))
        for name, count in counts
        if count > 0
    )


def _legs_line(summary: Summary) -> str:
    if not summary.has_plan:
        marks = _marks(("done", summary.leg_days_done), ("skipped", summary.leg_days_skipped))
        if not marks:
            return TEXTS["progress_summary_legs_none"]
        return TEXTS["progress_summary_legs"].format(parts=marks)
    planned, done = summary.leg_days_planned, summary.leg_days_planned_done
    if planned == 0:
        if summary.leg_days_extra:
            parts = TEXTS["progress_summary_legs_done_before_plan"].format(
                count=_figure(summary.leg_days_extra)
            )
        else:
            parts = TEXTS["progress_summary_legs_none_due"]
        return TEXTS["progress_summary_legs"].format(parts=parts)
    if done == planned:
        parts = _verdict("progress_summary_legs_planned_all_done", planned)
    else:
        parts = TEXTS["progress_summary_legs_planned"].format(
            planned=_figure(planned),
            marks=_marks(
                ("done", done),
                ("skipped", summary.leg_days_planned_skipped),
                ("rest", summary.leg_days_planned_rest),
                ("unmarked", summary.leg_days_planned_unmarked),
            ),
        )
    if summary.leg_days_extra:
        parts += TEXTS["progress_summary_legs_extra"].format(count=_figure(summary.leg_days_extra))
    return TEXTS["progress_summary_legs"].format(parts=parts)


def _streaks_line(summary: Summary) -> str | None:
    parts = []
    if summary.checkin_streak > 0:
        parts.append(
            TEXTS["progress_summary_streak_checkins"].format(days=DAYS(summary.checkin_streak))
        )
    if summary.leg_day_streak > 0:
        parts.append(
            TEXTS["progress_summary_streak_leg_days"].format(
                leg_days=LEG_DAYS(summary.leg_day_streak)
            )
        )
    return TEXTS["progress_summary_streaks"].format(parts=", ".join(parts)) if parts else None


def render_summary(summary: Summary, period_days: int, weight_unit: str = "kg") -> str:
    """A period at a glance: short lines that fit on a phone screen (and, with the weekly
    summary's footer, in a photo caption)."""
    start, end = short_date(summary.start), short_date(summary.end)
    title = SUMMARY_TITLE(period_days, start=start, end=end)
    if summary.days_checked_in == 0:
        return f"{title}\n\n" + TEXTS["progress_summary_empty"].format(start=start, end=end)

    if summary.days_checked_in == summary.days:
        checked_in = CHECKED_IN_ALL(summary.days)
    else:
        checked_in = CHECKED_IN(summary.days, checked=_figure(summary.days_checked_in))
    lines = [
        checked_in,
        _sleep_line(summary),
        _protein_line(summary, weight_unit),
        _carbs_line(summary),
        _cardio_line(summary),
        _legs_line(summary),
    ]
    streaks = _streaks_line(summary)
    if streaks is not None:
        lines.append(streaks)
    return f"{title}\n\n" + "\n".join(lines)


def render_no_checkins(coming: bool = True, *, assessed: bool = False, paused: bool = False) -> str:
    """What /progress says before the first check-in: `coming` when a daily check-in is
    scheduled (there is a plan and check-ins are on); else `paused` (there is a plan, its
    check-ins paused) points to /settings, `assessed` (an assessment, no plan) to /plan, and
    without an assessment it points to /start."""
    if coming:
        return TEXTS["progress_no_checkins_yet"]
    if paused:
        return TEXTS["progress_no_checkins_paused"]
    if assessed:
        return TEXTS["progress_no_checkins_no_plan"]
    return TEXTS["progress_no_checkins_none_coming"]


def render_assessment_change(change: AssessmentChange, title_for: Callable[[str], str]) -> str:
    """What changed since the last assessment.

    `title_for` turns a rule id into its short title (already HTML-safe).
    """
    parts = [TEXTS["progress_change_title"]]
    if not change.fixed and not change.remaining and not change.new:
        parts.append(TEXTS["progress_change_all_clear"])
        return "\n\n".join(parts)
    sections = (
        ("progress_change_fixed", change.fixed),
        ("progress_change_remaining", change.remaining),
        ("progress_change_new", change.new),
    )
    for heading, rule_ids in sections:
        if rule_ids:
            items = [
                TEXTS["progress_change_item"].format(title=title_for(rule_id))
                for rule_id in rule_ids
            ]
            parts.append("\n".join([TEXTS[heading], *items]))
    if change.unchanged:
        parts.append(TEXTS["progress_change_same"])
    elif change.fixed and not change.remaining and not change.new:
        parts.append(TEXTS["progress_change_all_fixed"])
    return "\n\n".join(parts)
