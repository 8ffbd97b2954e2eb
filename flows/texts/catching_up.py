"""Texts of the "legs catching up" view (/progress, the weekly summary) and its one-tap
accept; the chart's own words are CHART_TEXTS. All are read in the user's language
(flows.i18n): figures go through i18n.number, weekdays and dates through i18n, and counted
weeks, months and leg days are Plurals."""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING

from flows import i18n, lifts
from flows.i18n import Messages, Plural
from flows.lifts import BALANCED_RANGE, BALANCED_RATIO
from flows.progress import PROTEIN_PER_SHAKE_G
from flows.texts.progress import short_date

if TYPE_CHECKING:
    from flows.catching_up import Proposal, TapeChange, Trend, View

TEXTS = Messages(
    {
        "catching_up.view": "{view_html}",
        "catching_up.chart_caption": "🦵 Legs catching up, {start} to {end}.",
        "catching_up.accepted": "{text_html}",
        "catching_up.accept.unknown": (
            "I don't know that change. /progress shows the one I propose, with its button."
        ),
        "catching_up.accept.no_plan": "There is no leg-day plan to change yet: /plan makes one.",
        "catching_up.accept.already_split": (
            "Your plan already has two leg days a week: nothing to change."
        ),
        "catching_up.accept.already_scheme": (
            "Your rep scheme has changed since I proposed it: nothing more to change. Your next "
            "leg-day reminder shows the reps."
        ),
        # The parts of the view.
        "catching_up.summary_title": "🦵 <b>Legs catching up</b>",
        "catching_up.lifts": (
            "Estimated 1RM: squat {squat_first} → {squat_last}, bench {bench} (from your top sets)."
        ),
        "catching_up.lifts_same": "Estimated 1RM: squat {squat_last}, bench {bench}.",
        # Before a bench set is known: the squat's own progress.
        "catching_up.lifts_squat": (
            "Estimated squat 1RM: {squat_first} → {squat_last} (from your top sets)."
        ),
        "catching_up.lifts_squat_same": "Estimated squat 1RM: {squat_last}.",
        "catching_up.no_bench": (
            "No bench press to compare with yet: give your best recent bench set in /assess to "
            "see your squat:bench ratio."
        ),
        # {weeks} is WEEKS ("11 weeks").
        "catching_up.went": "Your squat:bench ratio went from {first} to {last} in {weeks}",
        # {eta} is WEEKS or MONTHS ("6 weeks", "5 months").
        "catching_up.closing": "{went}; at this pace you reach {balanced} in about {eta}.",
        "catching_up.closing_slow": (
            "{went}; at this pace {balanced} is still more than two years away."
        ),
        "catching_up.not_closing": "{went}: the lag is not closing.",
        "catching_up.stopped_closing": (
            "{went}, but it is no higher in the last three weeks than before: the lag has "
            "stopped closing."
        ),
        "catching_up.balanced": (
            "{went}: balanced ({low} to {high}). Your legs have caught up; keep them there."
        ),
        "catching_up.ahead": "{went}: your squat is ahead of your bench (over {high}).",
        # {lift} is a LIFT_NAMES name.
        "catching_up.stalled": (
            "⚠️ Your {lift} has not gone up in three weeks: no new best estimated 1RM."
        ),
        # {changes}: "catching_up.tape_change" of each site, comma-separated.
        "catching_up.tape": "📏 Since {day}: {changes}{verdict}.",
        # One site's change on the tape: "thigh +2.5 cm".
        "catching_up.tape_change": "{site} {change}",
        "catching_up.tape_legs_faster": ": legs growing faster than the arm",
        "catching_up.tape_arm_faster": ": the arm growing faster than the legs",
        "catching_up.proposal": "💡 <b>One change to try</b>: {text}",
        "catching_up.proposal_tap": "Tap the button below to accept it.",
        # The short form, where a photo's caption leaves little room.
        "catching_up.short.closing": (
            "Squat:bench {first} → {last} in {weeks}: {balanced} in about {eta}."
        ),
        "catching_up.short.closing_slow": (
            "Squat:bench {first} → {last} in {weeks}: closing slowly."
        ),
        "catching_up.short.not_closing": "Squat:bench {first} → {last} in {weeks}: not closing.",
        "catching_up.short.stopped_closing": (
            "Squat:bench {first} → {last} in {weeks}, no higher in three weeks."
        ),
        "catching_up.short.balanced": "Squat:bench {last}: balanced.",
        "catching_up.short.ahead": "Squat:bench {last}: ahead of your bench.",
        "catching_up.short.unknown": "Log your squat's top sets with /log to see the trend.",
        "catching_up.short.stalled": "Your {lift} is stuck for three weeks.",
        "catching_up.short.protein": "💡 Try: more protein ({average} of {target} g a day).",
        # {day_a}, {day_b}: weekday names (i18n.weekday_name, lower case where the language
        # writes them so).
        "catching_up.short.split": "💡 Try: two leg days, {day_a} and {day_b}.",
        "catching_up.short.deload": "💡 Try: a deload week (half the sets, about 60 % weights).",
        # {scheme} is a SCHEME_NAMES name.
        "catching_up.short.scheme": "💡 Try: {scheme} from this week.",
        # The changes.
        "catching_up.change.protein": (
            "more protein. Your check-ins average {average} g a day over the last two weeks, "
            "against your {target} g; a shake adds about {shake} g."
        ),
        "catching_up.change.split": (
            "two leg days instead of one: front thigh and calves on {day_a}, back thigh, "
            "glutes and calves on {day_b}. Shorter sessions, every muscle trained fresh."
        ),
        "catching_up.change.deload": (
            "a deload week: for the next 7 days half the sets at about 60 % of your usual "
            "weights. Tired legs stall; rested ones come back stronger."
        ),
        "catching_up.change.scheme": (
            "a new rep scheme: {scheme} from this week, instead of waiting for the block to end."
        ),
        "catching_up.button.protein": "👍 Got it: more protein",
        "catching_up.button.split": "✅ Split my leg day",
        "catching_up.button.deload": "✅ Deload this week",
        "catching_up.button.scheme": "✅ Switch to {scheme}",
        # After the tap.
        "catching_up.done.protein": (
            "👍 More protein it is: {target} g a day. Your evening check-in shows each day's "
            "gap and how many shakes close it. Your plan stays as it is."
        ),
        "catching_up.done.protein_no_target": (
            "👍 More protein it is. Run /assess with your body weight and your check-in shows "
            "each day's gap against your target. Your plan stays as it is."
        ),
        "catching_up.done.split": (
            "✅ Done: your legs now train twice a week, {day_a} (front thigh and calves) and "
            "{day_b} (back thigh, glutes and calves). The leg-day reminders follow the new days."
        ),
        # The first and last day of a deload week: a CLDR pattern ("Sunday 29 March").
        "catching_up.deload_date": "EEEE d MMMM",
        # {start}, {end}: "catching_up.deload_date".
        "catching_up.done.deload": (
            "✅ Done: {start} to {end} is a deload week. Your leg-day reminders show half the "
            "sets; lift about 60 % of your usual weights. Then back to full sessions."
        ),
        "catching_up.already_deload": "Your deload week already runs, {start} to {end}.",
        "catching_up.done.scheme": (
            "✅ Done: {scheme} from this week. Your next leg-day reminder has the new reps."
        ),
    },
)

# The view's title: the weeks it covers.
TITLE = Plural(
    "catching_up.title_weeks",
    "🦵 <b>Legs catching up</b>, last {count} week",
    "🦵 <b>Legs catching up</b>, last {count} weeks",
)
# Squat weeks still missing for a trend. English says the count in words ({words}, a
# COUNT_WORDS word, "three"); a language may write {count} or a word of its own instead.
NO_SQUAT = Plural(
    "catching_up.no_squat_weeks",
    "Not enough logged yet: log your squat top set with /log after your next {words} "
    "leg day to see the trend.",
    "Not enough logged yet: log your squat top set with /log after your next {words} "
    "leg days to see the trend.",
)
NOT_ENOUGH = Plural(
    "catching_up.not_enough_weeks",
    "Not enough logged yet: log your top sets after {words} more leg day to see the trend.",
    "Not enough logged yet: log your top sets after {words} more leg days to see the trend.",
)
# Small counts in words, as NO_SQUAT and NOT_ENOUGH say them ("after three more leg days");
# a larger count is written in figures.
COUNT_WORDS = Messages(
    {"1": "one", "2": "two", "3": "three", "4": "four"},
    "catching_up.count_words.",
)
# A span of time in "in {weeks}" and "in about {eta}".
WEEKS = Plural("catching_up.weeks", "{count} week", "{count} weeks")
MONTHS = Plural("catching_up.months", "{count} month", "{count} months")

SCHEME_NAMES = Messages(
    {"straight": "straight sets", "pyramid": "pyramids", "giant": "a giant set"},
    "catching_up.scheme.",
)
LIFT_NAMES = Messages(
    {lifts.SQUAT: "squat", lifts.LEG_PRESS: "leg press"},
    "catching_up.lift.",
)
# A length with its unit; {amount} is written by i18n.number.
LENGTHS = Messages({"cm": "{amount} cm", "in": "{amount} in"}, "catching_up.length.")
TAPE_SITES = Messages({"thigh": "thigh", "calf": "calf", "arm": "upper arm"}, "catching_up.site.")

# The chart's words (bot.chart.catching_up_chart).
CHART_TEXTS = Messages(
    {
        "title": "Legs catching up, {start} to {end}",
        "lifts": "Estimated 1RM ({unit})",
        "squat": "Squat",
        "bench": "Bench press",
        "ratio": "Squat ÷ bench",
        "ratio_line": "Your ratio",
        "balanced": "Balanced {value}",
        "balanced_range": "{low}–{high}",
        "tape": "Tape ({unit})",
        "thigh": "Thigh",
        "calf": "Calf",
        "arm": "Upper arm",
        "missing": "no squat logged",
        "empty": "No squat logged yet",
        "empty_hint": (
            "Log your squat's top set with /log after each leg day and your trend shows up here."
        ),
    },
    "catching_up.chart.",
)


def _words(number: int) -> str:
    key = str(number)
    return COUNT_WORDS[key] if key in COUNT_WORDS else i18n.number(number, 0)


def ratio_text(ratio: float) -> str:
    """ "0.9", "1.05": the ratio as flows.lifts rounds it, as the language writes it."""
    return i18n.number(round(ratio, 2), 2)


def eta_text(weeks: int) -> str:
    """ "6 weeks", "5 months": under nine weeks in weeks, else in months."""
    if weeks < 9:
        return WEEKS(weeks)
    return MONTHS(max(2, round(weeks * 7 / 30.44)))


def weight_text(kg: float, unit: str) -> str:
    """ "122.5 kg", "270 lb": an estimated 1RM in `unit`, rounded as /log rounds it
    (flows.lifts.format_estimate, to the nearest plate step), so one set shows one figure
    everywhere."""
    return lifts.format_estimate(kg, "lb" if unit == "lb" else "kg")


def weekday(index: int) -> str:
    """A weekday inside a sentence ("Wednesday" / "среда")."""
    return i18n.weekday_name(index, capital=False)


def verdict_text(trend: Trend) -> str:
    state = trend.state
    if state == "no_squat":
        count = trend.squat_weeks_needed
        return NO_SQUAT(count, words=_words(count))
    if state == "no_bench":
        return TEXTS["catching_up.no_bench"]
    if state == "not_enough":
        count = trend.squat_weeks_needed
        return NOT_ENOUGH(count, words=_words(count))
    assert trend.first is not None and trend.last is not None
    went = TEXTS["catching_up.went"].format(
        first=ratio_text(trend.first.ratio or 0.0),
        last=ratio_text(trend.last.ratio or 0.0),
        weeks=WEEKS(trend.weeks_between),
    )
    low, high = BALANCED_RANGE
    values = {
        "went": went,
        "balanced": ratio_text(BALANCED_RATIO),
        "low": ratio_text(low),
        "high": ratio_text(high),
    }
    if state == "closing":
        if trend.weeks_to_balance is None:
            return TEXTS["catching_up.closing_slow"].format(**values)
        return TEXTS["catching_up.closing"].format(eta=eta_text(trend.weeks_to_balance), **values)
    if state == "not_closing":
        key = "catching_up.stopped_closing" if trend.lag_stalled else "catching_up.not_closing"
        return TEXTS[key].format(**values)
    return TEXTS[f"catching_up.{state}"].format(**values)


def _signed(cm: float, unit: str) -> str:
    amount = cm / lifts.CM_PER_INCH if unit == "in" else cm
    shown = round(amount, 1)
    sign = "+" if shown > 0 else "−" if shown < 0 else "±"
    return sign + LENGTHS[unit].format(amount=i18n.number(abs(shown), 1))


def tape_text(tape: TapeChange, weight_unit: str) -> str:
    unit = lifts.tape_unit(weight_unit)
    parts = []
    for site, change in (("thigh", tape.thigh), ("calf", tape.calf), ("arm", tape.arm)):
        if change is not None:
            parts.append(
                TEXTS["catching_up.tape_change"].format(
                    site=TAPE_SITES[site], change=_signed(change[1] - change[0], unit)
                )
            )
    verdict = ""
    if tape.thigh is not None and tape.arm is not None:
        legs = tape.thigh[1] - tape.thigh[0]
        arm = tape.arm[1] - tape.arm[0]
        if legs > arm:
            verdict = TEXTS["catching_up.tape_legs_faster"]
        elif arm > legs:
            verdict = TEXTS["catching_up.tape_arm_faster"]
    return TEXTS["catching_up.tape"].format(
        day=short_date(tape.since), changes=", ".join(parts), verdict=verdict
    )


def _scheme(scheme: str | None) -> str:
    return SCHEME_NAMES.get(scheme or "", "")


def change_text(proposal: Proposal) -> str:
    change = proposal.change
    if change == "protein":
        return TEXTS["catching_up.change.protein"].format(
            average=i18n.number(proposal.protein_average_g or 0, 0),
            target=i18n.number(proposal.protein_target_g or 0, 0),
            shake=i18n.number(PROTEIN_PER_SHAKE_G, 0),
        )
    if change == "split":
        day_a, day_b = proposal.weekdays
        return TEXTS["catching_up.change.split"].format(day_a=weekday(day_a), day_b=weekday(day_b))
    if change == "deload":
        return TEXTS["catching_up.change.deload"]
    return TEXTS["catching_up.change.scheme"].format(scheme=SCHEME_NAMES[proposal.scheme or ""])


def accept_label(proposal: Proposal) -> str:
    return TEXTS[f"catching_up.button.{proposal.change}"].format(scheme=_scheme(proposal.scheme))


def _lifts_line(view: View, weight_unit: str) -> str | None:
    squats = [w for w in view.weeks if w.squat_1rm_kg is not None]
    benches = [w for w in view.weeks if w.bench_1rm_kg is not None]
    if not squats:
        return None
    first, last = squats[0].squat_1rm_kg or 0.0, squats[-1].squat_1rm_kg or 0.0
    if not benches:
        if len(squats) == 1:
            return TEXTS["catching_up.lifts_squat_same"].format(
                squat_last=weight_text(last, weight_unit)
            )
        return TEXTS["catching_up.lifts_squat"].format(
            squat_first=weight_text(first, weight_unit), squat_last=weight_text(last, weight_unit)
        )
    bench = weight_text(benches[-1].bench_1rm_kg or 0.0, weight_unit)
    if len(squats) == 1:
        return TEXTS["catching_up.lifts_same"].format(
            squat_last=weight_text(last, weight_unit), bench=bench
        )
    return TEXTS["catching_up.lifts"].format(
        squat_first=weight_text(first, weight_unit),
        squat_last=weight_text(last, weight_unit),
        bench=bench,
    )


def _lines(view: View, weight_unit: str, *, tap: bool) -> list[str]:
    trend = view.trend
    lines = []
    if trend.state != "no_squat":
        lifts_line = _lifts_line(view, weight_unit)
        if lifts_line:
            lines.append(html.escape(lifts_line))
    lines.append(html.escape(verdict_text(trend)))
    if trend.leg_stalled and trend.leg_lift:
        lines.append(
            html.escape(TEXTS["catching_up.stalled"].format(lift=LIFT_NAMES[trend.leg_lift]))
        )
    if trend.tape is not None:
        lines.append(html.escape(tape_text(trend.tape, weight_unit)))
    if view.proposal is not None:
        text = html.escape(change_text(view.proposal))
        proposal = TEXTS["catching_up.proposal"].format(text=text)
        if tap:
            proposal += " " + TEXTS["catching_up.proposal_tap"]
        lines.append(proposal)
    return lines


def render_view(view: View, weight_unit: str = "kg") -> str:
    """The view under /progress: the title, the lifts, the verdict, the tape, the change."""
    title = TITLE(len(view.weeks))
    return "\n".join([title, *_lines(view, weight_unit, tap=False)])


def _short_lines(view: View) -> list[str]:
    trend = view.trend
    if trend.first is None or trend.last is None or trend.state in ("not_enough", "no_bench"):
        lines = [TEXTS["catching_up.short.unknown"]]
    else:
        key: str = trend.state
        if key == "closing" and trend.weeks_to_balance is None:
            key = "closing_slow"
        elif key == "not_closing" and trend.lag_stalled:
            key = "stopped_closing"
        lines = [
            TEXTS[f"catching_up.short.{key}"].format(
                first=ratio_text(trend.first.ratio or 0.0),
                last=ratio_text(trend.last.ratio or 0.0),
                weeks=WEEKS(trend.weeks_between),
                balanced=ratio_text(BALANCED_RATIO),
                eta=eta_text(trend.weeks_to_balance or 0),
            )
        ]
    if trend.leg_stalled and trend.leg_lift:
        lines.append(TEXTS["catching_up.short.stalled"].format(lift=LIFT_NAMES[trend.leg_lift]))
    proposal = view.proposal
    if proposal is not None:
        days = proposal.weekdays if len(proposal.weekdays) == 2 else (0, 0)
        lines.append(
            TEXTS[f"catching_up.short.{proposal.change}"].format(
                average=i18n.number(proposal.protein_average_g or 0, 0),
                target=i18n.number(proposal.protein_target_g or 0, 0),
                day_a=weekday(days[0]),
                day_b=weekday(days[1]),
                scheme=_scheme(proposal.scheme),
            )
        )
    return [html.escape(line) for line in lines]


def render_summary_part(
    view: View, weight_unit: str = "kg", *, with_proposal: bool = True, compact: bool = False
) -> str:
    """The view in the weekly summary: the lifts, the verdict, a stall, the tape and the
    change to try; `compact` says the verdict, a stall and the change in a few words."""
    shown = view if with_proposal else type(view)(view.weeks, view.trend, None)
    if compact:
        return " ".join([TEXTS["catching_up.summary_title"] + ":", *_short_lines(shown)])
    lines = _lines(shown, weight_unit, tap=with_proposal)
    return "\n".join([TEXTS["catching_up.summary_title"], *lines])


def accepted_protein(target_g: float | None) -> str:
    if target_g is None:
        return html.escape(TEXTS["catching_up.done.protein_no_target"])
    return html.escape(TEXTS["catching_up.done.protein"].format(target=i18n.number(target_g, 0)))


def accepted_split(weekdays: Sequence[int]) -> str:
    day_a, day_b = weekdays
    return html.escape(
        TEXTS["catching_up.done.split"].format(day_a=weekday(day_a), day_b=weekday(day_b))
    )


def _deload_days(start: date) -> dict[str, str]:
    from flows.planning import DELOAD_DAYS

    pattern = TEXTS["catching_up.deload_date"]
    return {
        "start": i18n.date_label(start, pattern),
        "end": i18n.date_label(start + timedelta(days=DELOAD_DAYS - 1), pattern),
    }


def accepted_deload(start: date) -> str:
    return html.escape(TEXTS["catching_up.done.deload"].format(**_deload_days(start)))


def already_deload(start: date) -> str:
    return html.escape(TEXTS["catching_up.already_deload"].format(**_deload_days(start)))


def accepted_scheme(scheme: str) -> str:
    return html.escape(TEXTS["catching_up.done.scheme"].format(scheme=SCHEME_NAMES[scheme]))
