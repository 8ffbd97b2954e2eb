"""Composers for the daily check-in and the weekly summary: the dispatcher sends them with
the same exactly-once, restart and rate-limit guarantees as the leg-day reminders."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from sqlalchemy import select

from bot.chart_pool import ChartRequest, render_chart
from bot.dispatcher.composers import ReminderContext, leg_day_composer
from bot.profile import checkin_day, load_profile
from bot.storage.db import Sessions
from bot.storage.models import Checkin, User
from flows import account, catching_up
from flows.core import Choice
from flows.reminders import CHECKIN_ACTION, ReminderMessage, callback_data
from flows.texts import plain, render, render_key
from flows.texts.catching_up import accept_label, render_summary_part
from flows.texts.progress import day_label

logger = logging.getLogger(__name__)

Composer = Callable[[ReminderContext], Awaitable[ReminderMessage | None]]


def checkin_composer(sessions: Sessions) -> Composer:
    async def compose(context: ReminderContext) -> ReminderMessage | None:
        async with sessions() as session:
            done = await session.scalar(
                select(Checkin.id).where(
                    Checkin.user_id == context.user_id, Checkin.day == context.local_date
                )
            )
        if done is not None:
            logger.info("user %s checked in already for %s", context.user_id, context.local_date)
            return None  # nothing to ask: they did it on their own
        name_part = f", {context.first_name}" if context.first_name else ""
        text = render_key(
            "checkin.reminder", {"name_part": name_part, "day": day_label(context.local_date)}
        )
        button = Choice(
            render_key("checkin.reminder.button"),
            callback_data(context.delivery_id, CHECKIN_ACTION),
        )
        return ReminderMessage(text, ((button,),))

    return compose


def summary_composer(sessions: Sessions) -> Composer:
    async def compose(context: ReminderContext) -> ReminderMessage | None:
        async with sessions() as session:
            user = await session.get(User, context.user_id)
            if user is None:
                return None
            profile = await load_profile(session, user, context.due_at)
            replies, effects = account.progress(profile, context.due_at, "7")
            chart_request = next(
                (effect for effect in effects if isinstance(effect, account.AttachChart)), None
            )
            text, choices = with_catching_up(
                render(replies[0]),
                catching_up.view_of(profile, context.local_date),
                profile.weight_unit,
                context.delivery_id,
                photo=chart_request is not None,
            )
            if chart_request is None:
                return ReminderMessage(text, choices)
            rows = await session.scalars(
                select(Checkin)
                .where(
                    Checkin.user_id == user.id,
                    Checkin.day >= chart_request.start,
                    Checkin.day <= chart_request.end,
                )
                .order_by(Checkin.day)
            )
            request = ChartRequest(
                tuple(checkin_day(row) for row in rows),
                chart_request.start,
                chart_request.end,
                chart_request.protein_target_g,
                chart_request.sleep_target_h,
                planned_weekdays=tuple(profile.plan_weekdays),
                plan_start=profile.plan_since,
                reminder_marks=tuple(sorted(profile.reminder_leg_days.items())),
            )
        # The session is closed (on SQLite its lock released) before the chart is drawn, in
        # a worker process; charts someone is waiting for go first.
        chart = await render_chart(request, urgent=False)
        return ReminderMessage(text, choices, photo=chart)

    return compose


# Telegram's limit on a photo's caption, in characters as shown (HTML tags do not count).
CAPTION_LIMIT = 1024


def with_catching_up(
    summary_html: str, view: catching_up.View, weight_unit: str, delivery_id: int, *, photo: bool
) -> tuple[str, tuple[tuple[Choice, ...], ...]]:
    """The weekly summary with the legs catching up under it and, when there is a change to
    try, its accept button. As a photo's caption it must fit CAPTION_LIMIT: the footer goes
    first, then the view is said in a few words, then left out; the button goes with the
    change it accepts."""
    footer = render_key("summary.reminder.footer")
    full = render_summary_part(view, weight_unit)
    compact = render_summary_part(view, weight_unit, compact=True)
    candidates = [
        (f"{summary_html}\n\n{full}{footer}", True),
        (f"{summary_html}\n\n{full}", True),
        (f"{summary_html}\n\n{compact}", True),
        (f"{summary_html}{footer}", False),
        (summary_html, False),
    ]
    text, with_view = candidates[0]
    if photo:
        text, with_view = next(
            ((t, v) for t, v in candidates if len(plain(t)) <= CAPTION_LIMIT), candidates[-1]
        )
    proposal = view.proposal
    if proposal is None or not with_view:
        return text, ()
    button = Choice(
        accept_label(proposal), callback_data(delivery_id, catching_up.reminder_action(proposal))
    )
    return text, ((button,),)


def composers(sessions: Sessions) -> dict[str, Composer]:
    return {
        "checkin": checkin_composer(sessions),
        "summary": summary_composer(sessions),
        "leg_day": leg_day_composer(sessions),  # with today's aim from the logged sets
    }
