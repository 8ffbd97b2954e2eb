"""What a reminder says: the context a composer gets for one occurrence, and the composers
of this module's own kind (the leg-day reminder). bot.routine writes the others."""

from __future__ import annotations

import inspect
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from bot.profile import recent_lift_sets
from bot.storage.db import Sessions
from flows import i18n
from flows.lifts import LOGGED_LIFTS, LiftSet
from flows.reminders import ReminderMessage, leg_day_message

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PlanInfo:
    split: bool
    weekdays: tuple[int, ...]
    experience: str
    explosive: bool
    deload_from: date | None = None  # the plan's adaptation (flows.planning.Plan)
    scheme_shift: int = 0


@dataclass(frozen=True)
class ReminderContext:
    """What a composer gets to build one occurrence's message from."""

    delivery_id: int
    reminder_id: int
    user_id: int
    chat_id: int
    kind: str
    due_at: datetime
    local_date: date
    timezone: str
    first_name: str
    weight_unit: str
    plan: PlanInfo | None
    language: str = i18n.DEFAULT_LANGUAGE  # the recipient's


ComposerResult = ReminderMessage | None
# A composer may be sync or async; None means there is nothing to send (the delivery is
# dropped). One that needs the database can close over a sessionmaker.
Composer = Callable[[ReminderContext], ComposerResult | Awaitable[ComposerResult]]


def compose_leg_day(
    context: ReminderContext, last_sets: Sequence[LiftSet] = ()
) -> ReminderMessage | None:
    if context.plan is None:
        logger.info("user %s has a leg-day reminder but no plan", context.user_id)
        return None
    plan = context.plan
    return leg_day_message(
        context.delivery_id,
        context.local_date,
        plan.split,
        plan.weekdays,
        plan.experience,
        plan.explosive,
        context.weight_unit,
        last_sets,
        deload_from=plan.deload_from,
        scheme_shift=plan.scheme_shift,
    )


def leg_day_composer(
    sessions: Sessions,
) -> Callable[[ReminderContext], Awaitable[ReminderMessage | None]]:
    """The leg-day reminder with what to aim for today, from the sets logged before it."""

    async def compose(context: ReminderContext) -> ReminderMessage | None:
        if context.plan is None:
            return compose_leg_day(context)
        async with sessions() as session:
            last_sets = await recent_lift_sets(
                session, context.user_id, before=context.local_date, lifts=LOGGED_LIFTS
            )
        return compose_leg_day(context, last_sets)

    return compose


DEFAULT_COMPOSERS: dict[str, Composer] = {"leg_day": compose_leg_day}


async def compose(composers: Mapping[str, Composer], context: ReminderContext) -> ComposerResult:
    """The message of one occurrence, from the composer of its kind."""
    composer = composers.get(context.kind)
    if composer is None:
        raise LookupError(f"no composer for reminder kind {context.kind!r}")
    # Every text of the message, and of the buttons, in the recipient's language.
    with i18n.use(context.language):
        result = composer(context)
        if inspect.isawaitable(result):
            return await result
        return result
