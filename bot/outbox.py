"""Replies as JSON, so they can be saved in the same transaction as the step that made them.

A reply stays in the conversation row's outbox until the client has taken it; one that a
crash or a failed send kept from the user is sent again instead of being lost. Files (charts,
calendars, exports) are not kept: they are large and any of them can be asked for again.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from flows.core import Choice, Reply
from flows.texts import TEXTS


def _plain(value: Any) -> Any:
    """Text values are formatted into templates; dates and times keep their ISO form."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def to_json(replies: list[Reply]) -> list[dict[str, Any]]:
    kept = []
    for reply in replies:
        if reply.attachment is not None:
            continue
        kept.append(
            {
                "key": reply.key,
                "values": json.loads(json.dumps(reply.values, default=_plain)),
                "choices": [
                    [[choice.label, choice.value] for choice in row] for row in reply.choices
                ],
                "request_location": reply.request_location,
            }
        )
    return kept


def from_json(saved: list[Any] | None) -> list[Reply]:
    replies = []
    for item in saved or ():
        if not isinstance(item, dict) or item.get("key") not in TEXTS:
            continue  # a text this version no longer has: the next reply will do instead
        replies.append(
            Reply(
                item["key"],
                dict(item.get("values") or {}),
                tuple(
                    tuple(Choice(str(label), str(value)) for label, value in row)
                    for row in item.get("choices") or ()
                ),
                request_location=bool(item.get("request_location")),
            )
        )
    return replies
