"""What a reminder says: the context a composer gets for one occurrence, and the composers
of this module's own kind (the leg-day reminder). bot.routine writes the others."""

from __future__ import annotations

import inspect
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime

from flows.reminders import ReminderMessage, leg_day_message

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PlanInfo:
    split: bool
    weekdays: tuple[int, ...]
    experience: str
    explosive: bool


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


ComposerResult = ReminderMessage | None
# A composer may be sync or async; None means there is nothing to send (the delivery is
# dropped). One that needs the database can close over a sessionmaker.
Composer = Callable[[ReminderContext], ComposerResult | Awaitable[ComposerResult]]


def compose_leg_day(context: ReminderContext) -> ReminderMessage | None:
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
    )


DEFAULT_COMPOSERS: dict[str, Composer] = {"leg_day": compose_leg_day}


async def compose(composers: Mapping[str, Composer], context: ReminderContext) -> ComposerResult:
    """The message of one occurrence, from the composer of its kind."""
    composer = composers.get(context.kind)
    if composer is None:
        raise LookupError(f"no composer for reminder kind {context.kind!r}")
    result = composer(context)
    if inspect.isawaitable(result):
        return await result
    return result
