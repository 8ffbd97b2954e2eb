"""Texts of /language, and the language question it shares with /settings: a button for
every language the bot speaks, each in its own name, and the words a typed answer may use.

TEXTS are str.format templates in Telegram HTML (<b>, <i> only); values are escaped by
flows.texts unless their name ends in "_html".
"""

from __future__ import annotations

import re

from flows import i18n, parsing
from flows.core import Choice, rows
from flows.i18n import Messages

# How the conversation is named when another one puts it on hold, and its command's menu line.
TITLE = "choosing your language"
COMMANDS: dict[str, str] = {"language": "Choose the language I speak"}

# The mark of the language in use on its button.
CURRENT_MARK = "✅"

# Typed answers, by language code, besides the code and the language's own name; a typed
# answer is read the same whatever the language in use.
WORDS: dict[str, frozenset[str]] = {
    "en": frozenset(
        {"eng", "english", "inglés", "englisch", "англ", "английский", "английском",
         "по-английски", "на английском", "английский язык", "англиский", "инглиш"}
    ),
    "ru": frozenset(
        {"rus", "russian", "russisch", "ру", "рус", "русский", "русском", "по-русски",
         "на русском", "русский язык", "руский"}
    ),
}  # fmt: skip

TEXTS = Messages(
    {
        "language.prompt": (
            "🌐 Which language should I speak? Now: <b>{language}</b>.\n"
            "Tap one; your settings and everything else stay as they are."
        ),
        "language.saved": (
            "🌐 Language: <b>{language}</b>. Everything I send from now on is in it; "
            "/language changes it again."
        ),
        "language.unchanged": "🌐 We already speak <b>{language}</b>: nothing changed.",
        "language.not_a_language": (
            "I don't speak “{text}”. Tap one of the languages below, or type e.g. <b>English</b>."
        ),
        "language.not_text": "I can't read a {what} here. Tap one of the languages below.",
        "language.too_long": (
            "That message is too long for a language name. Tap one of the languages below."
        ),
        "language.old_button": "That button belongs to an earlier step. Here's where we are now:",
        "language.first_step": "This is the first question, there's nothing before it.",
        "language.reask": "Still to answer: which language should I speak?",
        "cancelled.language": "🌐 The language stays as it was.",
    },
)


def own_name(code: str) -> str:
    """A language by its own name ("Русский"), whatever language is in use."""
    return i18n.LANGUAGES[i18n.supported(code)]


def choices(current: str, target: str = "language") -> tuple[tuple[Choice, ...], ...]:
    """A button per language, each in its own name, the one in use marked; pressed, it sends
    "<target>=<code>"."""
    buttons = [
        Choice(f"{CURRENT_MARK} {name}" if code == current else name, f"{target}={code}")
        for code, name in i18n.LANGUAGES.items()
    ]
    return rows(buttons, 2)


def read(text: str) -> str | None:
    """The language a typed answer names: its code ("ru"), its own name ("Русский"), its
    name in another language ("russian", "английский") or a button's label; None for
    anything else."""
    cleaned = parsing.normalise(re.sub(r"[^\w\s-]", " ", text)).strip("-")
    for code, name in i18n.LANGUAGES.items():
        if cleaned in {code, name.lower()} or cleaned in WORDS.get(code, frozenset()):
            return code
    return None
