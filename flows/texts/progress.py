"""Text for check-in replies, progress summaries, re-assessment changes and the chart.

TEXTS are str.format templates in Telegram HTML (<b>, <i> only). Numbers arrive already
rounded (grams as whole numbers, hours to one decimal), so `{x:g}` drops a useless ".0".
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from flows.progress import AssessmentChange, Feedback, Line, Streaks, Summary

TEXTS: dict[str, str] = {
    # After a check-in: one line per answer.
    "progress_checkin_title": "<b>Check-in for {day}</b>",
    "progress_sleep_ok": "😴 {hours:g} h of sleep: on target.",
    "progress_sleep_short": (
        "😴 {hours:g} h of sleep: under the {target:g} h your legs need to grow."
    ),
    "progress_protein_ok": "🍗 Protein {protein:g} g of {target:g} g: target hit.",
    "progress_protein_short": "🍗 Protein {protein:g} g of {target:g} g: {missing:g} g short.",
    "progress_protein_logged": "🍗 Protein {protein:g} g.",
    "progress_carbs_grams": "🍞 Carbs {carbs:g} g.",
    "progress_carbs_grams_ok": "🍞 Carbs {carbs:g} g: enough fuel.",
    "progress_carbs_grams_low": (
        "🍞 Carbs {carbs:g} g: under the {minimum:g} g that fuels hard sessions and recovery."
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
        "legs again after today's session. Give tomorrow to the other half of the thigh "
        "(back thigh and glutes if today was front), so the same muscles get a day off."
    ),
    "progress_tip_skipped_next_planned": (
        "tomorrow's leg day is on. Do it in full, and don't stack the missed session on top."
    ),
    "progress_tip_skipped_make_up": (
        "make up the missed leg session, with the heavy basics first while you're fresh."
    ),
    "progress_tip_protein_one_shake": (
        "add a protein shake. You were {missing:g} g short, and one scoop is about {shake} g."
    ),
    "progress_tip_protein_shakes": (
        "you were {missing:g} g short on protein. Add two shakes (about {shake} g a scoop), "
        "or one shake and a protein-rich meal."
    ),
    "progress_tip_sleep": (
        "go to bed {minutes} min earlier tonight to reach {target:g} h. "
        "A short nap in the afternoon helps too."
    ),
    "progress_tip_intervals": (
        "swap the long steady cardio for a short interval session: it keeps the conditioning "
        "without eating into your legs."
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
    # Streaks.
    "progress_streak_checkins": "🔥 {days} in a row checked in",
    "progress_streak_leg_days": "🦵 {leg_days} done as planned in a row",
    # Summary of a period.
    "progress_summary_title": "<b>Your last {period_days} days</b> ({start} – {end})",
    "progress_summary_checked_in": "Checked in on {checked} of {days} days.",
    "progress_summary_sleep": (
        "😴 <b>Sleep</b> {average:g} h a night on average (target {target:g} h), "
        "{under} under target."
    ),
    "progress_summary_sleep_none": "😴 <b>Sleep</b> not reported.",
    "progress_summary_protein": (
        "🍗 <b>Protein</b> {average:g} g a day on average (target {target:g} g, "
        "{per_weight}), at target on {at_target} of {reported}."
    ),
    "progress_summary_protein_no_target": "🍗 <b>Protein</b> {average:g} g a day on average.",
    "progress_summary_protein_none": "🍗 <b>Protein</b> not reported.",
    "progress_summary_carbs": "🍞 <b>Carbs</b> low on {low} of {reported}.",
    "progress_summary_carbs_grams": (
        "🍞 <b>Carbs</b> {average:g} g a day on average, low on {low} of {reported}."
    ),
    "progress_summary_carbs_none": "🍞 <b>Carbs</b> not reported.",
    "progress_summary_cardio": (
        "🏃 <b>Cardio</b> {total} min in all: {steady} min steady, {intervals} min intervals."
    ),
    "progress_summary_cardio_none": "🏃 <b>Cardio</b> none.",
    "progress_summary_legs": (
        "🦵 <b>Leg days</b> {done} done of {planned} planned, {skipped} skipped."
    ),
    "progress_summary_legs_unplanned": "🦵 <b>Leg days</b> {done} done, {skipped} skipped.",
    "progress_summary_streaks": (
        "🔥 <b>Streaks</b> {days} in a row checked in, {leg_days} in a row done as planned."
    ),
    "progress_summary_empty": (
        "No check-ins between {start} and {end}. Answer the next daily check-in and "
        "your progress shows up here."
    ),
    "progress_no_checkins_yet": (
        "No check-ins yet. Once you answer the daily check-in, you'll see your sleep, "
        "protein, cardio and leg days here against your targets."
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
}

# Plain-text labels for the progress chart (an image, so no HTML).
CHART_TEXTS: dict[str, str] = {
    "title": "Progress {start} – {end}",
    "sleep": "Sleep (h)",
    "sleep_target": "{target:g} h target",
    "protein": "Protein (g)",
    "protein_target": "{target:g} g target",
    "cardio": "Cardio (min)",
    "cardio_steady": "steady",
    "cardio_intervals": "intervals",
    "cardio_other": "other",
    "legs": "Leg days",
    "leg_done": "done",
    "leg_skipped": "skipped",
    "leg_rest": "rest",
    "leg_planned": "planned, not marked",
    "no_checkins_yet": "No check-ins yet",
    "no_checkins_yet_hint": "Answer the daily check-in and your progress shows up here.",
    "no_checkins_in_period": "No check-ins in these days",
}

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def short_date(day: date) -> str:
    """'29 Mar', without depending on the machine's locale."""
    return f"{day.day} {_MONTHS[day.month - 1]}"


def weekday_short(day: date) -> str:
    """'Sun'."""
    return _WEEKDAYS[day.weekday()]


def day_label(day: date) -> str:
    """'Sun 29 Mar'."""
    return f"{weekday_short(day)} {short_date(day)}"


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"


def _number(value: float) -> float:
    # One decimal at most, and whole numbers from 10 up: "7.4 h", "158 g".
    return round(value) if abs(value) >= 10 else round(value, 1)


def render_line(line: Line) -> str:
    return TEXTS[line.key].format(**line.values)


def render_streaks(streaks: Streaks) -> str:
    parts = [
        TEXTS["progress_streak_checkins"].format(days=_count(streaks.checkin_days, "day", "days"))
    ]
    if streaks.leg_days > 0:
        leg_days = _count(streaks.leg_days, "leg day", "leg days")
        parts.append(TEXTS["progress_streak_leg_days"].format(leg_days=leg_days))
    return " · ".join(parts)


def render_feedback(feedback: Feedback, streaks: Streaks | None = None) -> str:
    """The reply after a check-in: how the day went, one tip for tomorrow, the streaks."""
    parts = [TEXTS["progress_checkin_title"].format(day=day_label(feedback.day))]
    if feedback.lines:
        parts.append("\n".join(render_line(line) for line in feedback.lines))
    else:
        parts.append(TEXTS["progress_no_answers"])
    parts.append(TEXTS["progress_tip_title"].format(tip=render_line(feedback.tip)))
    if streaks is not None:
        parts.append(render_streaks(streaks))
    return "\n\n".join(parts)


def _per_weight(weight_unit: str) -> str:
    # 2.2 g per kg is the same target as 1 g per lb.
    return "1 g per lb" if weight_unit == "lb" else "2.2 g per kg"


def render_summary(summary: Summary, period_days: int, weight_unit: str = "kg") -> str:
    """A period at a glance: short lines that fit on a phone screen."""
    start, end = short_date(summary.start), short_date(summary.end)
    title = TEXTS["progress_summary_title"].format(period_days=period_days, start=start, end=end)
    if summary.days_checked_in == 0:
        return f"{title}\n\n" + TEXTS["progress_summary_empty"].format(start=start, end=end)

    lines = [
        TEXTS["progress_summary_checked_in"].format(
            checked=summary.days_checked_in, days=summary.days
        )
    ]

    if summary.sleep_average_h is None:
        lines.append(TEXTS["progress_summary_sleep_none"])
    else:
        lines.append(
            TEXTS["progress_summary_sleep"].format(
                average=round(summary.sleep_average_h, 1),
                target=summary.sleep_target_h,
                under=_count(summary.nights_under_target, "night", "nights"),
            )
        )

    if summary.protein_average_g is None:
        lines.append(TEXTS["progress_summary_protein_none"])
    elif summary.protein_target_g is None or summary.protein_days_at_target is None:
        lines.append(
            TEXTS["progress_summary_protein_no_target"].format(
                average=round(summary.protein_average_g)
            )
        )
    else:
        lines.append(
            TEXTS["progress_summary_protein"].format(
                average=round(summary.protein_average_g),
                target=round(summary.protein_target_g),
                per_weight=_per_weight(weight_unit),
                at_target=summary.protein_days_at_target,
                reported=_count(summary.protein_days_reported, "day", "days"),
            )
        )

    if summary.carbs_days_reported == 0:
        lines.append(TEXTS["progress_summary_carbs_none"])
    else:
        reported = _count(summary.carbs_days_reported, "day", "days")
        if summary.carbs_average_g is None:
            lines.append(
                TEXTS["progress_summary_carbs"].format(
                    low=summary.carbs_days_low, reported=reported
                )
            )
        else:
            lines.append(
                TEXTS["progress_summary_carbs_grams"].format(
                    average=_number(summary.carbs_average_g),
                    low=summary.carbs_days_low,
                    reported=reported,
                )
            )

    if summary.cardio_minutes_total == 0:
        lines.append(TEXTS["progress_summary_cardio_none"])
    else:
        lines.append(
            TEXTS["progress_summary_cardio"].format(
                total=summary.cardio_minutes_total,
                steady=summary.cardio_minutes_steady,
                intervals=summary.cardio_minutes_intervals,
            )
        )

    if summary.leg_days_planned > 0:
        lines.append(
            TEXTS["progress_summary_legs"].format(
                done=summary.leg_days_done,
                planned=summary.leg_days_planned,
                skipped=summary.leg_days_skipped,
            )
        )
    else:
        lines.append(
            TEXTS["progress_summary_legs_unplanned"].format(
                done=summary.leg_days_done, skipped=summary.leg_days_skipped
            )
        )

    lines.append(
        TEXTS["progress_summary_streaks"].format(
            days=_count(summary.checkin_streak, "day", "days"),
            leg_days=_count(summary.leg_day_streak, "leg day", "leg days"),
        )
    )
    return f"{title}\n\n" + "\n".join(lines)


def render_no_checkins() -> str:
    return TEXTS["progress_no_checkins_yet"]


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
