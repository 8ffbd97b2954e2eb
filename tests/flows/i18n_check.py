"""What a Russian reader would see as English: words in Latin letters.

Names that are the same in Russian texts (the bot's own name, Leg Day Coach; Telegram; the
file formats) are allowed, and so are commands (/plan), which are typed as they are. Time
zones are shown by their city's name, so an id such as Europe/Moscow counts as English,
except in bold as an example of what may be typed.
"""

from __future__ import annotations

import re

ALLOWED = frozenset({"telegram", "csv", "json", "ics", "png", "utc", "gmt", "markdown", "id"})
_COMMAND = re.compile(r"/[a-z_]+\b")
_TAG = re.compile(r"</?[a-z]+[^>]*>")
_WORD = re.compile(r"[A-Za-z]{2,}")
_NAME = re.compile(r"Leg Day Coach")
_ZONE_EXAMPLE = re.compile(r"<b>[A-Z][A-Za-z_]+/[A-Za-z_/+-]+</b>")


def english_words(text: str) -> list[str]:
    """The Latin-letter words of `text` a Russian reader should not meet."""
    text = _ZONE_EXAMPLE.sub(" ", text)
    text = _TAG.sub(" ", text)
    text = _NAME.sub(" ", text)
    text = _COMMAND.sub(" ", text)
    return [word for word in _WORD.findall(text) if word.lower() not in ALLOWED]
