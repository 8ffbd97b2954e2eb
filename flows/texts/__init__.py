"""All user-facing text. Flows return text keys and values; adapters call `render`.

Templates are str.format strings in Telegram HTML (<b>, <i>). String values are escaped
unless their name ends in "_html" (already-rendered, trusted fragments).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator, Mapping
from typing import Any

from flows import i18n
from flows.core import Reply
from flows.texts import catching_up, common, delivery, plan, progress, reminders


class _Templates(Mapping[str, str]):
    """Every template by key. Each flow's own texts come with its declaration in
    flows.registry, which imports the flow modules, which import this package: so they are
    added on first read rather than while this package loads."""

    def __init__(self) -> None:
        self.by_key: dict[str, str] = {}
        self._complete = False

    def _completed(self) -> dict[str, str]:
        if not self._complete:
            self._complete = True
            from flows import registry

            for flow in registry.flows():
                register(flow.texts)
        return self.by_key

    def __getitem__(self, key: str) -> str:
        # The key is the message's context in the catalogs, the English its message id.
        return i18n.translate(key, self._completed()[key])

    def __iter__(self) -> Iterator[str]:
        return iter(self._completed())

    def __len__(self) -> int:
        return len(self._completed())


TEXTS = _Templates()


def register(templates: Mapping[str, str]) -> None:
    """Adds a flow's templates; a key defined twice is a bug, so it fails loudly."""
    english = templates.english if isinstance(templates, i18n.Messages) else templates
    clash = TEXTS.by_key.keys() & english.keys()
    if clash:
        raise ValueError(f"text keys defined twice: {sorted(clash)}")
    TEXTS.by_key.update(english)


# Texts shared by several flows and adapters.
for _module in (common, delivery, plan, progress, reminders, catching_up):
    register(_module.TEXTS)


def _escaped(values: Mapping[str, Any]) -> dict[str, Any]:
    return {
        name: html.escape(value, quote=False)
        if isinstance(value, str) and not name.endswith("_html")
        else value
        for name, value in values.items()
    }


# A sentence's full stop after an abbreviation that has one ("225 фунт.", "58 in."): one stop.
_DOUBLE_STOP = re.compile(r"(?<=[^\W\d])\.\.(?!\.)")


def render_key(key: str, values: Mapping[str, Any] | None = None) -> str:
    return _DOUBLE_STOP.sub(".", TEXTS[key].format(**_escaped(values or {})))


def render(reply: Reply) -> str:
    return render_key(reply.key, reply.values)


def plain(text_html: str) -> str:
    """Telegram HTML as plain text, for the terminal."""
    import re

    return html.unescape(re.sub(r"</?(b|i|u|s|code|pre|a)(\s[^>]*)?>", "", text_html))
