"""All user-facing text. Flows return text keys and values; adapters call `render`.

Templates are str.format strings in Telegram HTML (<b>, <i>). String values are escaped
unless their name ends in "_html" (already-rendered, trusted fragments).
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

from flows.core import Reply
from flows.texts import (
    account,
    assessment,
    checkin,
    common,
    delivery,
    leg_plan,
    plan,
    progress,
    reminders,
    settings,
)

TEXTS: dict[str, str] = {}


def register(templates: Mapping[str, str]) -> None:
    """Adds a flow's templates; a key defined twice is a bug, so it fails loudly."""
    clash = TEXTS.keys() & templates.keys()
    if clash:
        raise ValueError(f"text keys defined twice: {sorted(clash)}")
    TEXTS.update(templates)


for _module in (
    common,
    delivery,
    assessment,
    plan,
    leg_plan,
    progress,
    checkin,
    settings,
    account,
    reminders,
):
    register(_module.TEXTS)


def _escaped(values: Mapping[str, Any]) -> dict[str, Any]:
    return {
        name: html.escape(value, quote=False)
        if isinstance(value, str) and not name.endswith("_html")
        else value
        for name, value in values.items()
    }


def render_key(key: str, values: Mapping[str, Any] | None = None) -> str:
    return TEXTS[key].format(**_escaped(values or {}))


def render(reply: Reply) -> str:
    return render_key(reply.key, reply.values)


def plain(text_html: str) -> str:
    """Telegram HTML as plain text, for the terminal."""
    import re

    return html.unescape(re.sub(r"</?(b|i|u|s|code|pre|a)(\s[^>]*)?>", "", text_html))
