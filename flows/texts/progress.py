"""Text for check-in replies, progress summaries, re-assessment changes and the chart.

TEXTS are str.format templates in Telegram HTML (<b>, <i> only). Numbers arrive already
rounded (grams as whole numbers, hours to one decimal), so `{x:g}` drops a useless ".0".
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

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
    # Summary of a period. Every average says over how many days it is, and nothing is
    # counted as "0 of N": a count that is nothing is said plainly or left out.
    "progress_summary_title": "<b>Your last {period_days} days</b> ({start} – {end})",
    "progress_summary_checked_in": "Checked in on {checked} of {days} days.",
    "progress_summary_checked_in_all": "Checked in on all {days} days.",
    "progress_summary_sleep": (
        "😴 <b>Sleep</b> {average:g} h a night on average over {nights} (target {target:g} h), "
        "{verdict}."
    ),
    "progress_summary_sleep_on_target": "{all} on target",
    "progress_summary_sleep_on_target_one": "on target",
    "progress_summary_sleep_all_under": "{all} under target",
    "progress_summary_sleep_all_under_one": "under target",
    "progress_summary_sleep_some_under": "{nights} under target",
    "progress_summary_sleep_none": "😴 <b>Sleep</b> not reported.",
    "progress_summary_protein": (
        "🍗 <b>Protein</b> {average:g} g a day on average (target {target:g} g, "
        "{per_weight}), {verdict}."
    ),
    "progress_summary_protein_all_at": "at target on {all}",
    "progress_summary_protein_all_at_one": "at target on the 1 day reported",
    "progress_summary_protein_all_under": "under target on {all}",
    "progress_summary_protein_all_under_one": "under target on the 1 day reported",
    "progress_summary_protein_some_at": "at target on {at_target} of {days}",
    "progress_summary_protein_no_target": (
        "🍗 <b>Protein</b> {average:g} g a day on average over {days}."
    ),
    "progress_summary_protein_none": "🍗 <b>Protein</b> not reported.",
    "progress_summary_carbs": "🍞 <b>Carbs</b> {parts}.",
    "progress_summary_carbs_average": "{average:g} g a day on average over {days}",
    "progress_summary_carbs_all_enough": "enough on {all} ({basis})",
    "progress_summary_carbs_all_enough_one": "enough on the 1 day reported ({basis})",
    "progress_summary_carbs_all_low": "low on {all} ({basis})",
    "progress_summary_carbs_all_low_one": "low on the 1 day reported ({basis})",
    "progress_summary_carbs_some_low": "low on {low} of {days} ({basis})",
    "progress_summary_carbs_by_grams": "grams against your {minimum:g} g",
    "progress_summary_carbs_by_level": "by the level you gave",
    "progress_summary_carbs_by_both": "grams against your {minimum:g} g, else the level you gave",
    "progress_summary_carbs_by_level_only": (
        "by the level you gave; no target to compare grams with yet"
    ),
    "progress_summary_carbs_unjudged": "no target to compare them with yet (/assess sets one)",
    "progress_summary_carbs_none": "🍞 <b>Carbs</b> not reported.",
    "progress_summary_cardio": "🏃 <b>Cardio</b> {total} min on {days}{kinds}.",
    "progress_summary_cardio_all_of_a_kind": ", all {kind}",
    "progress_summary_cardio_kinds": ": {kinds}",
    "progress_summary_cardio_steady": "{minutes} min steady",
    "progress_summary_cardio_intervals": "{minutes} min intervals",
    "progress_summary_cardio_other": "{minutes} min other",
    "progress_summary_cardio_none": "🏃 <b>Cardio</b> none.",
    "progress_summary_legs": "🦵 <b>Leg days</b> {parts}.",
    "progress_summary_legs_planned_all_done": "{planned} planned, {all} done",
    "progress_summary_legs_planned_all_done_one": "1 planned, done",
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


def _hours(value: float) -> float:
    return round(value, 1)


def _grams(value: float) -> int:
    return round(value)


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


def _all(number: int, nouns: str) -> str:
    """'both nights', 'all 5 nights': every one of `number` (2 or more) things."""
    return f"both {nouns}" if number == 2 else f"all {number} {nouns}"


def _verdict(key: str, number: int, nouns: str, **values: Any) -> str:
    """A verdict about every one of `number` days: the short '_one' form for a single day."""
    if number == 1:
        return TEXTS[f"{key}_one"].format(**values)
    return TEXTS[key].format(all=_all(number, nouns), **values)


def _sleep_line(summary: Summary) -> str:
    if summary.sleep_average_h is None:
        return TEXTS["progress_summary_sleep_none"]
    nights, under = summary.sleep_nights_reported, summary.nights_under_target
    if under == 0:
        verdict = _verdict("progress_summary_sleep_on_target", nights, "nights")
    elif under == nights:
        verdict = _verdict("progress_summary_sleep_all_under", nights, "nights")
    else:
        verdict = TEXTS["progress_summary_sleep_some_under"].format(
            nights=_count(under, "night", "nights")
        )
    return TEXTS["progress_summary_sleep"].format(
        average=_hours(summary.sleep_average_h),
        nights=_count(nights, "night", "nights"),
        target=summary.sleep_target_h,
        verdict=verdict,
    )


def _protein_line(summary: Summary, weight_unit: str) -> str:
    if summary.protein_average_g is None:
        return TEXTS["progress_summary_protein_none"]
    days = summary.protein_days_reported
    if summary.protein_target_g is None or summary.protein_days_at_target is None:
        return TEXTS["progress_summary_protein_no_target"].format(
            average=round(summary.protein_average_g), days=_count(days, "day", "days")
        )
    at_target = summary.protein_days_at_target
    if at_target == days:
        verdict = _verdict("progress_summary_protein_all_at", days, "days")
    elif at_target == 0:
        verdict = _verdict("progress_summary_protein_all_under", days, "days")
    else:
        verdict = TEXTS["progress_summary_protein_some_at"].format(
            at_target=at_target, days=_count(days, "day", "days")
        )
    return TEXTS["progress_summary_protein"].format(
        average=round(summary.protein_average_g),
        target=round(summary.protein_target_g),
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
            TEXTS["progress_summary_carbs_average"].format(
                average=_number(summary.carbs_average_g),
                days=_count(summary.carbs_days_grams, "day", "days"),
            )
        )
    judged, low = summary.carbs_days_judged, summary.carbs_days_low
    if judged == 0:
        parts.append(TEXTS["progress_summary_carbs_unjudged"])
    else:
        basis = _carbs_basis(summary)
        if low == 0:
            parts.append(_verdict("progress_summary_carbs_all_enough", judged, "days", basis=basis))
        elif low == judged:
            parts.append(_verdict("progress_summary_carbs_all_low", judged, "days", basis=basis))
        else:
            parts.append(
                TEXTS["progress_summary_carbs_some_low"].format(
                    low=low, days=_count(judged, "day", "days"), basis=basis
                )
            )
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
        said = TEXTS["progress_summary_cardio_all_of_a_kind"].format(kind=kinds[0][0])
    elif len(kinds) > 1:
        said = TEXTS["progress_summary_cardio_kinds"].format(
            kinds=", ".join(
                TEXTS[f"progress_summary_cardio_{kind}"].format(minutes=minutes)
                for kind, minutes in kinds
            )
        )
    else:
        said = ""
    return TEXTS["progress_summary_cardio"].format(
        total=total, days=_count(summary.cardio_days, "day", "days"), kinds=said
    )


def _marks(*counts: tuple[str, int]) -> str:
    """'1 done, 2 skipped': the counts that are not zero."""
    return ", ".join(
        TEXTS[f"progress_summary_legs_{name}"].format(count=count)
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
                count=summary.leg_days_extra
            )
        else:
            parts = TEXTS["progress_summary_legs_none_due"]
        return TEXTS["progress_summary_legs"].format(parts=parts)
    if done == planned:
        parts = (
            TEXTS["progress_summary_legs_planned_all_done_one"]
            if planned == 1
            else TEXTS["progress_summary_legs_planned_all_done"].format(
                planned=planned, all="both" if planned == 2 else "all"
            )
        )
    else:
        parts = TEXTS["progress_summary_legs_planned"].format(
            planned=planned,
            marks=_marks(
                ("done", done),
                ("skipped", summary.leg_days_planned_skipped),
                ("rest", summary.leg_days_planned_rest),
                ("unmarked", summary.leg_days_planned_unmarked),
            ),
        )
    if summary.leg_days_extra:
        parts += TEXTS["progress_summary_legs_extra"].format(count=summary.leg_days_extra)
    return TEXTS["progress_summary_legs"].format(parts=parts)


def _streaks_line(summary: Summary) -> str | None:
    parts = []
    if summary.checkin_streak > 0:
        parts.append(
            TEXTS["progress_summary_streak_checkins"].format(
                days=_count(summary.checkin_streak, "day", "days")
            )
        )
    if summary.leg_day_streak > 0:
        parts.append(
            TEXTS["progress_summary_streak_leg_days"].format(
                leg_days=_count(summary.leg_day_streak, "leg day", "leg days")
            )
        )
    return TEXTS["progress_summary_streaks"].format(parts=", ".join(parts)) if parts else None


def render_summary(summary: Summary, period_days: int, weight_unit: str = "kg") -> str:
    """A period at a glance: short lines that fit on a phone screen (and, with the weekly
    summary's footer, in a photo caption)."""
    start, end = short_date(summary.start), short_date(summary.end)
    title = TEXTS["progress_summary_title"].format(period_days=period_days, start=start, end=end)
    if summary.days_checked_in == 0:
        return f"{title}\n\n" + TEXTS["progress_summary_empty"].format(start=start, end=end)

    if summary.days_checked_in == summary.days:
        checked_in = TEXTS["progress_summary_checked_in_all"].format(days=summary.days)
    else:
        checked_in = TEXTS["progress_summary_checked_in"].format(
            checked=summary.days_checked_in, days=summary.days
        )
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


def render_no_checkins(coming: bool = True) -> str:
    """What /progress says before the first check-in; `coming` when a daily check-in is
    scheduled (there is a plan), else it points to /start."""
    return TEXTS["progress_no_checkins_yet" if coming else "progress_no_checkins_none_coming"]


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
