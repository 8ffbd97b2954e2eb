"""The states of one reminder delivery (deliveries.status). The values are what the rows
store, so they never change."""

from __future__ import annotations

from enum import StrEnum


class DeliveryStatus(StrEnum):
    PENDING = "pending"  # waiting for its time, or for a retry
    CLAIMED = "claimed"  # leased by a dispatcher, no request made yet
    SENDING = "sending"  # its request is leaving; Telegram's answer not yet saved
    SENT = "sent"
    UNKNOWN = "unknown"  # may or may not have arrived; never sent again
    FAILED = "failed"  # Telegram refused it for good, or it could not be written
    DROPPED = "dropped"  # too late for the user's day, or nothing to send
