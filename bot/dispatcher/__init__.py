"""The reminder dispatcher: a loop inside the bot process that turns due reminders into
Telegram messages, each occurrence exactly once, with the database as the only memory.

Every tick (loop.py) recovers expired leases, claims due reminders as delivery rows and
leases a batch of them, in one transaction (store.py, which holds all the SQL), then sends
them paced to Telegram's limits, with no more messages out at once than the rate needs
(pacer.py: at 30 a second and a 50 ms round trip, three). While full batches keep coming,
the next is claimed and leased before the current one runs out. Messages are written by a
composer per reminder kind (composers.py). The "sending" and "sent" marks of a round are
written in groups, one UPDATE each (marks.py). Once an hour, finished deliveries older than
the retention are pruned, except those the user answered (leg days done or skipped).

A delivery stays "claimed" until its request actually leaves: with a Bot whose request is a
`DeliveryRequest` (wire.py), it is marked "sending" right before the request's first byte,
otherwise right before the send; either way only after the pacer granted its slot. So a
process that dies while messages wait for their slot leaves them claimed, and the next tick
of any process queues them again once their lease runs out. A delivery is "sent" once
Telegram has answered with the message.

Telegram's answers (errors.py): 429 puts that one message back with its retry_after;
"blocked" and "chat not found" stop all of the user's reminders; a failure known not to
have delivered the message (no connection, a request cut off or reset before any answer, a
500 or 502) is retried with backoff; anything that may have reached Telegram (a read
timeout, an orderly close without answer, another 5xx) becomes "unknown" and is not sent
again. A crash between the first byte of a request and saving Telegram's answer is another
matter: the dispatcher that finds such a delivery "sending" sends it again while it is still
the user's day (store.py), so a reminder is not lost; the copy carries the same delivery id
in its buttons, so either answers the same reminder.

Telegram's 30 messages a second are the bot's, not a process's: on PostgreSQL the
dispatchers elect one leader by an advisory lock (leader.py), which sends while the others
stand by and take over within `interval_s` once its session ends. On SQLite every
dispatcher sends, serialized by the database.
The bot passed in needs a connection pool of at least `in_flight_cap` (16) connections, or
`max_in_flight` when that is fixed (the Application's bot has one; a bare telegram.Bot has a
single connection).
"""

from bot.delivery_status import DeliveryStatus
from bot.dispatcher.composers import (
    DEFAULT_COMPOSERS,
    Composer,
    PlanInfo,
    ReminderContext,
    compose_leg_day,
)
from bot.dispatcher.leader import AdvisoryLock, Everyone, Leadership
from bot.dispatcher.loop import Checkpoints, Dispatcher, DispatcherConfig, TickStats, utc_now
from bot.dispatcher.pacer import InFlight, SendPacer, SendSlot
from bot.dispatcher.wire import DeliveryRequest

__all__ = [
    "DEFAULT_COMPOSERS",
    "AdvisoryLock",
    "Checkpoints",
    "Composer",
    "DeliveryRequest",
    "DeliveryStatus",
    "Dispatcher",
    "DispatcherConfig",
    "Everyone",
    "InFlight",
    "Leadership",
    "PlanInfo",
    "ReminderContext",
    "SendPacer",
    "SendSlot",
    "TickStats",
    "compose_leg_day",
    "utc_now",
]
