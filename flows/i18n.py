"""The user's language: message catalogs, plural forms, and numbers and dates as they are
written in that language.

English is written in the source, in the message tables of flows.texts (`Messages`,
`Text`, `Plural`). Each message has a stable key, which is gettext's message context, and
its English text is the message id. A catalog per further language,
flows/locale/<language>/LC_MESSAGES/messages.po, translates them. `python -m flows.i18n
extract` writes the template (flows/locale/messages.pot) from the tables and brings every
catalog up to date with Babel: a message whose English changed keeps its old translation
marked fuzzy, and a fuzzy translation is not shown (the English is, until it is reviewed).

The language is the current context's: an adapter sets it with `use()` around one user's
update or message, and every table read inside gives that language's text, so flows do not
pass it around. Outside any `use()` it is English.
"""

from __future__ import annotations

import gettext
import importlib
import pkgutil
import re
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from io import BytesIO
from pathlib import Path
from typing import Literal

from babel import Locale
from babel.dates import format_date, get_day_names, get_month_names
from babel.lists import format_list
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal

# Every language the bot speaks, by code, with its own name for the /language buttons.
# A further language is a catalog in flows/locale/ and a line here.
LANGUAGES: dict[str, str] = {"en": "English", "ru": "Русский"}
DEFAULT_LANGUAGE = "en"
SOURCE_LANGUAGE = "en"  # the language the tables are written in

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "messages"

_current: ContextVar[str] = ContextVar("language", default=DEFAULT_LANGUAGE)


def current() -> str:
    return _current.get()


def supported(language: str | None) -> str:
    """`language` if the bot speaks it, else the default."""
    return language if language in LANGUAGES else DEFAULT_LANGUAGE


def from_telegram(language_code: str | None) -> str:
    """The language for a Telegram language_code ("ru", "pt-br", None): its base language
    when the bot speaks it, else the default."""
    if not language_code:
        return DEFAULT_LANGUAGE
    return supported(language_code.split("-")[0].split("_")[0].lower())


@contextmanager
def use(language: str | None) -> Iterator[str]:
    """Texts read inside are in `language` (the default when it is not spoken)."""
    chosen = supported(language)
    token = _current.set(chosen)
    try:
        yield chosen
    finally:
        _current.reset(token)


def switch(language: str | None) -> None:
    """Changes the language of the enclosing `use()` block, which restores the outer one at
    its end: for a caller that learns the language halfway (from the user's row)."""
    _current.set(supported(language))


# --- catalogs ---------------------------------------------------------------------------


def read_catalog(language: str, *, with_fuzzy: bool = False) -> Catalog:
    """The translated messages of `language`'s catalog (empty when it has none yet)."""
    translated = Catalog(locale=language, domain=DOMAIN)
    path = catalog_path(language)
    if not path.exists():
        return translated
    with path.open("rb") as file:
        catalog = read_po(file, locale=language, domain=DOMAIN)
    for message in catalog:
        if message.id and message.string and (with_fuzzy or not message.fuzzy):
            translated[message.id] = message
    return translated


@cache
def translations(language: str) -> gettext.NullTranslations:
    """The compiled catalog of `language`; English is the source and needs none."""
    if language == SOURCE_LANGUAGE or language not in LANGUAGES:
        return gettext.NullTranslations()
    compiled = BytesIO()
    write_mo(compiled, read_catalog(language), use_fuzzy=False)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def translate(context: str, english: str) -> str:
    """`english` (the message with key `context`) in the current language."""
    return translations(current()).pgettext(context, english)


def translate_plural(context: str, one: str, other: str, count: int) -> str:
    return translations(current()).npgettext(context, one, other, count)


# --- message tables ---------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One message of the source: its key, English text (two forms for a plural) and the
    module it is declared in."""

    context: str
    english: str
    plural: str | None
    module: str


_ENTRIES: dict[str, Entry] = {}


def declare(context: str, english: str, *, module: str | None = None) -> None:
    """Declares one message read elsewhere with `translate(context, english)`; `module` is
    where it is declared when that is not the caller."""
    _declare(context, english, None, _caller() if module is None else module)


def _caller() -> str:
    """The module that declares a message (its location in the template): the caller of the
    declaring function, so that no declaration has to name its own module."""
    return str(sys._getframe(2).f_globals.get("__name__", ""))


def _declare(context: str, english: str, plural: str | None, module: str) -> None:
    if not english:
        return  # an empty text (an optional part left out) has nothing to translate
    entry = Entry(context, english, plural, module)
    known = _ENTRIES.get(context)
    if known is not None and (known.english, known.plural) != (english, plural):
        raise ValueError(f"message key {context!r} declared twice with different texts")
    _ENTRIES[context] = entry


def declared() -> list[Entry]:
    """Every message of the source, after importing every module of flows."""
    import flows

    for module in pkgutil.walk_packages(flows.__path__, "flows."):
        importlib.import_module(module.name)
    from flows import texts

    for key in texts.TEXTS:  # completes the table with every flow's texts
        if key not in _ENTRIES:  # a table of a texts module declared it, with its place
            _declare(key, texts.TEXTS.by_key[key], None, "flows.texts")
    return sorted(_ENTRIES.values(), key=lambda entry: entry.context)


class Messages(Mapping[str, str]):
    """A table of English texts by key, read in the current language. The message key is
    `prefix` + the table's key; `prefix` keeps keys that are only unique inside a table
    ("thigh_cm") apart from those of other tables."""

    def __init__(self, english: Mapping[str, str], prefix: str = "", /) -> None:
        self.english = dict(english)
        self.prefix = prefix
        module = _caller()
        for key, text in self.english.items():
            _declare(prefix + key, text, None, module)

    def __getitem__(self, key: str) -> str:
        return translate(self.prefix + key, self.english[key])

    def __iter__(self) -> Iterator[str]:
        return iter(self.english)

    def __len__(self) -> int:
        return len(self.english)


class Text:
    """One English text with its key, read in the current language by calling it."""

    def __init__(self, context: str, english: str) -> None:
        self.context = context
        self.english = english
        _declare(context, english, None, _caller())

    def __call__(self, **values: object) -> str:
        text = translate(self.context, self.english)
        return text.format(**values) if values else text


class Plural:
    """A text that depends on a count: English has two forms, others more (Russian three:
    1 день, 2 дня, 5 дней). `{count}` in a form is the count written in the language."""

    def __init__(self, context: str, one: str, other: str) -> None:
        self.context = context
        self.one = one
        self.other = other
        _declare(context, one, other, _caller())

    def __call__(self, count: float, **values: object) -> str:
        whole = int(count) if float(count).is_integer() else 2  # fractions read as "other"
        form = translate_plural(self.context, self.one, self.other, abs(whole))
        return form.format(count=number(count), **values)


# --- numbers, dates and lists -----------------------------------------------------------


def locale() -> Locale:
    return _locale(current())


@cache
def _locale(language: str) -> Locale:
    return Locale.parse(language)


def number(value: float, decimals: int = 1) -> str:
    """A figure as the language writes it, with at most `decimals` decimals and no trailing
    zero: 2.5 / 2,5; 2400 / 2 400 (CLDR groups thousands from four digits in both)."""
    pattern = "#,##0" + ("." + "#" * decimals if decimals > 0 else "")
    return format_decimal(round(value, decimals), format=pattern, locale=locale())


def weekday_name(
    index: int, width: Literal["abbreviated", "short", "wide"] = "wide", *, capital: bool = True
) -> str:
    """Monday is 0. Stand-alone form ("Понедельник" on a button); `capital` capitalises the
    languages that write weekdays in lower case."""
    name = str(get_day_names(width, context="stand-alone", locale=locale())[index])
    return name[:1].upper() + name[1:] if capital else name


def month_name(month: int, width: Literal["abbreviated", "wide"] = "wide") -> str:
    return str(get_month_names(width, context="stand-alone", locale=locale())[month])


DATE_PATTERN = Text("date.day", "EEEE d MMMM")
SHORT_DATE_PATTERN = Text("date.short", "EEE d MMM")


def day_label(day: date | datetime, *, short: bool = False) -> str:
    """ "Monday 7 December" / "понедельник, 7 декабря" (the pattern is a message, since each
    language orders and inflects these differently)."""
    pattern = SHORT_DATE_PATTERN() if short else DATE_PATTERN()
    return format_date(day, format=pattern, locale=locale())


def date_label(day: date | datetime, pattern: str) -> str:
    """`day` in a CLDR `pattern` of the current language (the pattern itself a message)."""
    return format_date(day, format=pattern, locale=locale())


def joined(items: list[str]) -> str:
    """ "a, b and c" / "a, b и c"."""
    if current() == SOURCE_LANGUAGE and len(items) > 2:
        # The house style of the English texts has no comma before "and".
        return ", ".join(items[:-1]) + " and " + items[-1]
    return format_list(items, locale=locale()) if items else ""


# --- checks shared by the tests and the extraction command -------------------------------

_PLACEHOLDER = re.compile(r"(?<!\{)\{([a-z_][a-z0-9_]*)(?:[!:][^}]*)?\}(?!\})")
_TAG = re.compile(r"</?[a-z]+[^>]*>")


def placeholders(text: str) -> set[str]:
    return set(_PLACEHOLDER.findall(text))


def tags(text: str) -> list[str]:
    return sorted(_TAG.findall(text))


def template() -> Catalog:
    """The message template of the source."""
    result = Catalog(locale=SOURCE_LANGUAGE, domain=DOMAIN, project="Leg Day Coach")
    for entry in declared():
        message_id: str | tuple[str, str] = (
            entry.english if entry.plural is None else (entry.english, entry.plural)
        )
        location = (entry.module.replace(".", "/") + ".py", 0) if entry.module else None
        result.add(message_id, context=entry.context, locations=[location] if location else [])
    return result


def catalog_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def extract() -> list[Path]:
    """Writes the template and updates every language's catalog to it; returns the files."""
    from babel.messages.pofile import write_po

    source = template()
    written = [LOCALE_DIR / f"{DOMAIN}.pot"]
    LOCALE_DIR.mkdir(exist_ok=True)
    with written[0].open("wb") as file:
        write_po(file, source, width=100, omit_header=False)
    for language in LANGUAGES:
        if language == SOURCE_LANGUAGE:
            continue
        path = catalog_path(language)
        path.parent.mkdir(parents=True, exist_ok=True)
        catalog = read_catalog(language, with_fuzzy=True)
        catalog.update(source)
        catalog.project, catalog.version, catalog.fuzzy = "Leg Day Coach", "", False
        with path.open("wb") as file:
            write_po(file, catalog, width=100, ignore_obsolete=True)
        written.append(path)
    return written


if __name__ == "__main__":
    # `python -m flows.i18n extract`: this file runs as __main__, so use the imported module,
    # whose tables the flows registered in.
    import sys

    from flows import i18n as catalogs

    if sys.argv[1:] != ["extract"]:
        sys.exit("usage: python -m flows.i18n extract")
    for path in catalogs.extract():
        print(path)
