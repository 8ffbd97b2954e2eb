"""The message catalogs: every message translated in every language, with the same
placeholders and HTML tags, plural forms right, and the template current with the source."""

from __future__ import annotations

import pytest
from babel.messages.pofile import read_po

from flows import i18n

ENTRIES = i18n.declared()
OTHER_LANGUAGES = [language for language in i18n.LANGUAGES if language != i18n.SOURCE_LANGUAGE]


def catalog_of(language: str) -> dict[str, tuple[object, bool]]:
    path = i18n.catalog_path(language)
    with path.open("rb") as file:
        catalog = read_po(file, locale=language)
    return {message.context: (message.string, message.fuzzy) for message in catalog if message.id}


def test_every_message_has_a_unique_key_and_english_text() -> None:
    assert len(ENTRIES) > 500
    assert len({entry.context for entry in ENTRIES}) == len(ENTRIES)
    assert all(entry.english.strip() for entry in ENTRIES)


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_every_message_is_translated_without_fuzzy_entries(language: str) -> None:
    translated = catalog_of(language)
    missing = [
        entry.context
        for entry in ENTRIES
        if entry.context not in translated
        or not all(_forms(translated[entry.context][0]))
        or translated[entry.context][1]
    ]
    assert missing == []


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_translations_keep_placeholders_and_tags(language: str) -> None:
    translated = catalog_of(language)
    wrong = []
    for entry in ENTRIES:
        if entry.context not in translated:
            continue
        sources = [entry.english] if entry.plural is None else [entry.english, entry.plural]
        expected = set().union(*(i18n.placeholders(text) for text in sources))
        for form in _forms(translated[entry.context][0]):
            if i18n.placeholders(form) != expected and not (
                # A plural form for one may name the thing without its count ("один день").
                entry.plural is not None and i18n.placeholders(form) <= expected
            ):
                wrong.append((entry.context, "placeholders", form))
            if i18n.tags(form) != i18n.tags(entry.english):
                wrong.append((entry.context, "tags", form))
    assert wrong == []


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_catalog_holds_no_message_the_source_has_dropped(language: str) -> None:
    declared = {entry.context for entry in ENTRIES}
    assert set(catalog_of(language)) - declared == set()


def test_the_template_is_current_with_the_source() -> None:
    with (i18n.LOCALE_DIR / f"{i18n.DOMAIN}.pot").open("rb") as file:
        template = read_po(file)
    in_file = {(message.context, _key(message.id)) for message in template if message.id}
    in_source = {(entry.context, entry.english) for entry in ENTRIES}
    assert in_file == in_source, "run: python -m flows.i18n extract"


PLURALS = [entry for entry in ENTRIES if entry.plural is not None]


def test_plural_messages_exist() -> None:
    assert len(PLURALS) >= 5


@pytest.mark.parametrize("entry", PLURALS, ids=lambda entry: entry.context)
def test_russian_plural_forms_are_chosen_right_for_1_2_5_21(entry: i18n.Entry) -> None:
    """Russian has three forms (1 день, 2 дня, 5 дней, 21 день); the catalog's rule picks."""
    assert entry.plural is not None
    forms = _forms(catalog_of("ru")[entry.context][0])
    assert len(forms) == 3
    with i18n.use("ru"):
        chosen = [
            i18n.translate_plural(entry.context, entry.english, entry.plural, count)
            for count in (1, 2, 5, 21, 22, 11)
        ]
    assert chosen == [forms[0], forms[1], forms[2], forms[0], forms[1], forms[2]]
    with i18n.use("en"):
        english = [
            i18n.translate_plural(entry.context, entry.english, entry.plural, count)
            for count in (1, 2, 21)
        ]
    assert english == [entry.english, entry.plural, entry.plural]


def _forms(string: object) -> list[str]:
    if isinstance(string, tuple | list):
        return [str(form) for form in string]
    return [str(string)] if string else [""]


def _key(message_id: object) -> str:
    return str(message_id[0]) if isinstance(message_id, tuple | list) else str(message_id)
