"""Parsing of what people type: numbers, weights, hours, minutes, grams, yes/no, in English
and in Russian.

Each parser returns a `Parsed`: either a value or an error code that flows.texts turns into
a message saying what was wrong and what a good answer looks like. A parser never raises,
whatever the text, and every value it returns is finite and within the bounds it was given.

Words are read in every language the bot speaks, whatever the user's language: "82 kg" and
«82 кг», "yes" and «да», "7 h" and «7 ч», "skip" and «пропустить». What depends on the
language (flows.i18n.current()) is only how a number is written (see below).

Numbers are written with the ASCII digits 0-9 and at most one decimal point or comma: not
superscripts, other scripts' digits, "1_000", "1e3", "inf" or "nan", which Python's own
int() and float() would take or choke on. A number too large for its question, however many
digits it has, is "out_of_range".

Quantities whose decimals never come in threes (calories, grams, minutes) also take
thousands separators: a comma, dot, space (a no-break or narrow no-break space too) or
apostrophe before exactly three digits groups thousands, so "2,400", "2.400", "2 400" and
"1,234.5" are what they look like. Elsewhere (body weight, hours, weeks) a comma or dot is
always a decimal point: "82,5" is 82.5 and "82,500" is 82.5 too.

In a language that writes a decimal comma (Russian: «7,5 ч», «2 400 ккал») a lone comma or
dot before exactly three digits ("1,200") may be either: it is read as a decimal point first
and as a thousands separator second, and of the two readings those within the question's
bounds count: «2,400 ккал» is 2400 (2.4 kcal is no answer), «1,200 г» of carbs is asked
about ("1.2 g" or "1200 g"). A space or an apostrophe always groups thousands, and two
different separators tell themselves apart ("2.400,5", "1 234,5").

An answer that could mean two things (a bare "4" where both months and weeks make sense) is
"ambiguous": its `readings` spell out each meaning, most likely first ("4 months",
"4 weeks"), each one a text the same parser reads without doubt in any language, so the
person can choose. Readings are written the same in every language (button values carry
them); flows.interview.reading_label shows them in the user's.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, Generic, TypeVar

from babel import Locale
from babel.numbers import get_decimal_symbol

from flows import i18n

T = TypeVar("T")

KG_PER_LB = 0.45359237
# Long enough for any real answer, short enough that a pasted essay is refused, not parsed.
MAX_ANSWER_CHARS = 200
AMBIGUOUS = "ambiguous"


@dataclass(frozen=True)
class Parsed(Generic[T]):
    value: T | None = None
    error: str | None = None  # a text key suffix: "not_a_number", "out_of_range", ...
    # With error "ambiguous": what the answer may mean, most likely first, as texts the same
    # parser reads without doubt ("4 months", "4 weeks").
    readings: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.error is None


def ok(value: T) -> Parsed[T]:
    return Parsed(value=value)


def fail(error: str) -> Parsed[Any]:
    return Parsed(error=error)


def ambiguous(readings: list[str]) -> Parsed[Any]:
    return Parsed(error=AMBIGUOUS, readings=tuple(readings))


# ---- how numbers are written ----------------------------------------------------------


@cache
def _writes_decimal_comma(language: str) -> bool:
    return get_decimal_symbol(Locale.parse(language)) == ","


def decimal_comma() -> bool:
    """Whether the current language writes a decimal comma ("2,5"), so that a lone comma
    before three digits ("2,400") may be a decimal point as well as a thousands separator."""
    return _writes_decimal_comma(i18n.current())


def figure(amount: float) -> str:
    """A number as people write it: "4", "2.5", "82.75" (at most two decimals)."""
    return f"{amount:.2f}".rstrip("0").rstrip(".")


def spelled(amount: float, unit: str) -> str:
    """ "4 months", "1 week", "2.5 hours": a number with its unit, spelled out."""
    return f"{figure(amount)} {unit}{'' if amount == 1 else 's'}"


def _chosen(values: Sequence[T], readings: Callable[[T], str]) -> Parsed[T]:
    """The one value within bounds; two are ambiguous (their readings, most likely first);
    none is out of range."""
    values = list(dict.fromkeys(values))
    if not values:
        return fail("out_of_range")
    if len(values) > 1:
        return ambiguous([readings(value) for value in values])
    return ok(values[0])


# ---- words ------------------------------------------------------------------------------

# Typed ways of saying "don't know", for every question that may be skipped.
SKIP_WORDS = frozenset(
    {
        "skip",
        "pass",
        "-",
        "?",
        "don't know",
        "dont know",
        "do not know",
        "idk",
        "not sure",
        "unsure",
        *("no idea", "dunno", "no clue", "not a clue", "can't say", "cant say"),
        *("don't remember", "dont remember", "can't remember", "cant remember"),
        # Of calories and grams, which the question says may be skipped when not counted.
        *("don't count", "dont count", "don't count them", "don't track", "dont track"),
        # Russian, and the dashes a phone types for "-"
        "—",
        "–",
        "пропустить",
        "пропусти",
        "пропуск",
        "пропускаю",
        "пропущу",
        "не знаю",
        "незнаю",
        "хз",
        "не помню",
        "не уверен",
        "не уверена",
        "без понятия",
        "понятия не имею",
        "не считаю",
        "не слежу",
        "не отслеживаю",
    }
)
# Said before a skip word and changing nothing: "I don't know", "honestly, no idea".
_SKIP_LEAD = re.compile(r"(?:honestly,? |sorry,? |hmm,? )?(?:i |я )?(?:really |truly |честно,? )?")


def says_skip(text: str) -> bool:
    """Whether a typed answer says "don't know" or "skip" (see SKIP_WORDS)."""
    cleaned = normalise(text).strip(".!")
    return cleaned in SKIP_WORDS or _SKIP_LEAD.sub("", cleaned, count=1) in SKIP_WORDS


# Patterns are compiled with re.ASCII, so \d is 0-9 and nothing else (and \s, \w and \b are
# ASCII only: Cyrillic words are spelled out, never matched with \w).
_NUMBER = r"(\d+(?:[.,]\d+)?)"
# A number that may group its thousands: "2,400", "2.400", "2 400", "2'400", "12,400.5".
_GROUPED = r"(\d+(?:[.,]\d+)?|[1-9]\d{0,2}(?:[.,' ’]\d{3})+(?:[.,]\d+)?)"
_GROUPS = re.compile(
    r"([1-9]\d{0,2})((?P<sep>[.,' ’])\d{3}(?:(?P=sep)\d{3})*)"
    r"(?:(?P<point>[.,])(?P<fraction>\d+))?",
    re.ASCII,
)
# One comma or dot before exactly three digits: "2,400", "1.200".
_LONE_GROUP = re.compile(r"[1-9]\d{0,2}[.,]\d{3}", re.ASCII)
# "About 150", "~150", "≈ 2,400 kcal", «около 150», «примерно 7 ч»: the hedge changes nothing.
_HEDGE = re.compile(
    r"(?:~|≈|about|around|approx\.?|approximately|roughly|maybe|"
    r"около|примерно|приблизительно|где-то|где то|порядка|наверное|вроде)\s*",
    re.ASCII,
)
_H = r"(?:h|hr|hrs|hour|hours|ч|час|часа|часов)"
_M = r"(?:m|min|mins|minute|minutes|м|мин|минута|минуты|минуту|минут)"
# "a day", «в день»: said of calories and grams, and changing nothing.
_PER_DAY = r"(?:\s*(?:a day|per day|/\s*day|в день|в сутки|за день|/\s*день|/\s*сут(?:ки)?))?"
_YES = {
    *("yes", "y", "yeah", "yep", "sure", "true", "ja", "si", "oui"),
    *("да", "ага", "угу", "конечно", "да конечно", "ну да", "давай", "ок", "ok", "okay"),
}
_NO = {
    *("no", "n", "nope", "nah", "not really", "no thanks", "false", "nein", "non"),
    *("нет", "неа", "не-а", "не", "нету", "не особо"),
}


_DASHES = str.maketrans({"\u2013": "-", "\u2014": "-", "\u2011": "-", "\u2212": "-", "\u2019": "'"})


# Latin letters that look like Cyrillic ones, as a keyboard left on the other layout types
# them inside a Russian word («oпытный» with a Latin o).
_LOOK_ALIKES = str.maketrans("aeopcxyk", "аеорсхук")
_CYRILLIC = re.compile("[а-яё]")
_LATIN = re.compile("[a-z]")


def normalise(text: str) -> str:
    """Lower case, single spaces; every kind of space (no-break, narrow no-break, thin)
    becomes a plain one, every dash a hyphen ("6–8" as a label is typed "6-8") and a
    typographic apostrophe a plain one ("don’t"). Emoji are left out ("80 kg 💪"), and a
    Russian word typed with a Latin look-alike letter gets the Cyrillic one."""
    cleaned = text.strip().lower().translate(_DASHES)
    if not cleaned.isascii():
        cleaned = "".join(char for char in cleaned if not _is_emoji(char))
        cleaned = " ".join(_cyrillic_word(word) for word in cleaned.split())
    return " ".join(cleaned.split())


def _is_emoji(char: str) -> bool:
    # Symbols (So, Sk: emoji and their skin tones), the emoji variation selector and the
    # joiner of emoji sequences; other symbols people type in answers are in other classes.
    return char in "\ufe0f\u200d" or unicodedata.category(char) in ("So", "Sk")


def _cyrillic_word(word: str) -> str:
    if _CYRILLIC.search(word) and _LATIN.search(word):
        return word.translate(_LOOK_ALIKES)
    return word


def unhedged(text: str) -> str:
    """`text` normalised, without a leading "about", "~" or «около», and with numbers said
    in words written in digits (see `english_numbers` and `said_numbers`)."""
    cleaned = normalise(text)
    hedge = _HEDGE.match(cleaned)
    return said_numbers(english_numbers(cleaned[hedge.end() :] if hedge else cleaned))


# ---- numbers said in words ----------------------------------------------------------------

# Russian number words, as an answer says them: «два раза», «семь с половиной», «сорок
# секунд», «сто пятьдесят грамм».
_UNIT_WORDS = {
    "ноль": 0,
    **dict.fromkeys(("один", "одна", "одну", "одно"), 1),
    **dict.fromkeys(("два", "две"), 2),
    **{"три": 3, "четыре": 4, "пять": 5, "шесть": 6, "семь": 7, "восемь": 8, "девять": 9},
    # «около трёх лет», «больше двух часов»
    **{"одного": 1, "двух": 2, "трех": 3, "четырех": 4, "пяти": 5, "шести": 6, "семи": 7},
    **{"восьми": 8, "девяти": 9},
}
_TEEN_WORDS = {
    **{"десять": 10, "одиннадцать": 11, "двенадцать": 12, "тринадцать": 13},
    **{"четырнадцать": 14, "пятнадцать": 15, "шестнадцать": 16, "семнадцать": 17},
    **{"восемнадцать": 18, "девятнадцать": 19, "десяти": 10},
}
_TEN_WORDS = {
    **{"двадцать": 20, "тридцать": 30, "сорок": 40, "пятьдесят": 50},
    **{"шестьдесят": 60, "семьдесят": 70, "восемьдесят": 80, "девяносто": 90},
}
_HUNDRED_WORDS = {
    **{"сто": 100, "двести": 200, "триста": 300, "четыреста": 400, "пятьсот": 500},
    **{"шестьсот": 600, "семьсот": 700, "восемьсот": 800, "девятьсот": 900},
}
# Words that are a number on their own: «полтора часа», «пару месяцев».
_AMOUNT_WORDS = {
    **dict.fromkeys(("полтора", "полторы", "полутора"), 1.5),
    **dict.fromkeys(("пару", "пара", "пары", "парочку"), 2.0),
}
# «полчаса», «полминуты», «полгода»: half of the unit.
_HALF_OF = frozenset(
    {"часа", "минуты", "минутки", "года", "месяца", "недели", "дня", "суток", "секунды"}
)
# A unit said without a number is one of it: «час», «минуту», «раз в неделю».
_ONE_OF = frozenset(
    {
        *("час", "часик", "минута", "минуту", "минутка", "минутку", "секунда", "секунду"),
        *("неделя", "неделю", "месяц", "год", "день", "сутки", "раз"),
    }
)
_HALF = ("с", "половиной")
_CYRILLIC_WORD = re.compile("[а-я]+")


def _word_number(tokens: Sequence[str], start: int) -> tuple[float, int] | None:
    """The number said in words from tokens[start] («сто двадцать пять»), and the index
    after it; None when no number word stands there."""
    total, index = 0.0, start
    for table in (_HUNDRED_WORDS, _TEN_WORDS, _TEEN_WORDS, _UNIT_WORDS):
        if index < len(tokens) and tokens[index] in table:
            total += table[tokens[index]]
            index += 1
            if table is _TEEN_WORDS:
                break
    if index == start:
        amount = _AMOUNT_WORDS.get(tokens[start])
        return (amount, start + 1) if amount is not None else None
    return total, index


def _said_tokens(tokens: Sequence[str]) -> list[str]:
    """`tokens` with numbers in words written in digits, and «с половиной» added to the
    number before it."""
    said: list[str] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        found = _word_number(tokens, index)
        if found is None and token in _ONE_OF and _half_at(tokens, index + 1):
            found = (1.0, index)  # «час с половиной»: one, and the unit stays
        elif found is None and _match(_NUMBER, token) and _half_follows(tokens, index + 1):
            found = (to_float(token), index + 1)
        if found is None:
            said += _halved(token, has_next=index + 1 < len(tokens))
            index += 1
            continue
        amount, index = found
        if _half_at(tokens, index):
            amount, index, unit = amount + 0.5, index + 2, []
        elif index < len(tokens) and _half_at(tokens, index + 1):
            amount, index, unit = amount + 0.5, index + 3, [tokens[index]]
        else:
            unit = []
        said += [figure(amount), *unit]
    return said


def _half_at(tokens: Sequence[str], index: int) -> bool:
    return tuple(tokens[index : index + 2]) == _HALF


def _half_follows(tokens: Sequence[str], index: int) -> bool:
    """Whether «с половиной» stands at tokens[index] or right after the unit there."""
    return _half_at(tokens, index) or _half_at(tokens, index + 1)


def _halved(token: str, *, has_next: bool) -> list[str]:
    """«пол» before a unit, and «полчаса», «полминуты»: half of it."""
    if token == "пол" and has_next:
        return ["0.5"]
    if token.startswith("пол") and token[3:] in _HALF_OF:
        return ["0.5", token[3:]]
    return [token]


# English number words, as an answer says them: "three years", "twenty five minutes", "two
# and a half hours".
_ENGLISH_UNITS = {
    **{"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6},
    **{"seven": 7, "eight": 8, "nine": 9},
}
_ENGLISH_TEENS = {
    **{"ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15},
    **{"sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19},
}
_ENGLISH_TENS = {
    **{"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70},
    **{"eighty": 80, "ninety": 90},
}
_ENGLISH_NUMBER_WORDS = frozenset({*_ENGLISH_UNITS, *_ENGLISH_TEENS, *_ENGLISH_TENS})
# "twenty-five": a hyphen between number words joins them; "6-8" keeps its hyphen.
_HYPHENATED = re.compile(rf"\b({'|'.join(_ENGLISH_TENS)})-({'|'.join(_ENGLISH_UNITS)})\b")
_AND_A_HALF = ("and", "a", "half")


# "7½", "7 1/2", "7 and a half": a whole number and a half.
_HALF_WRITTEN = re.compile(r"\b(\d+) ?(?:½| 1/2\b| and a half\b)", re.ASCII)


def english_numbers(text: str) -> str:
    """`text` (normalised) with numbers said in English words written in digits: "three"
    is "3", "twenty five" and "twenty-five" "25", "two and a half" and "2 and a half" "2.5",
    "7½" and "7 1/2" "7.5"."""
    text = _HALF_WRITTEN.sub(lambda found: f"{found[1]}.5", text)
    tokens = _HYPHENATED.sub(r"\1 \2", text).split(" ")
    if _ENGLISH_NUMBER_WORDS.isdisjoint(tokens):
        return text
    said: list[str] = []
    index = 0
    while index < len(tokens):
        amount, after = 0.0, index
        if tokens[after] in _ENGLISH_TENS:
            amount, after = _ENGLISH_TENS[tokens[after]], after + 1
            if after < len(tokens) and tokens[after] in _ENGLISH_UNITS:
                amount, after = amount + _ENGLISH_UNITS[tokens[after]], after + 1
        elif tokens[after] in _ENGLISH_TEENS:
            amount, after = _ENGLISH_TEENS[tokens[after]], after + 1
        elif tokens[after] in _ENGLISH_UNITS:
            amount, after = _ENGLISH_UNITS[tokens[after]], after + 1
        if after == index:
            said.append(tokens[index])
            index += 1
            continue
        if tuple(tokens[after : after + 3]) == _AND_A_HALF:
            amount, after = amount + 0.5, after + 3
        said.append(figure(amount))
        index = after
    return " ".join(said)


# «3х лет», «3-х часов», «2-мя днями»: a case ending written after the digits.
_CASE_ENDING = re.compile(r"(\d)-?(?:х|ух|ех|ми|мя) (?=[а-я])")


def said_numbers(text: str) -> str:
    """`text` (normalised) with numbers said in Russian words written in digits, as the
    parsers here read them: «два» is "2", «полтора часа» "1.5 часа", «полминуты» "0.5
    минуты", «пару месяцев» "2 месяцев", «семь с половиной» "7.5", «час» "1 час" and «раз в
    неделю» "1 раз в неделю"; a number said after its unit («месяца 2», «секунд 30», «года
    полтора») comes before it. Digits stay as they were typed; English is left as it is."""
    tokens = _CASE_ENDING.sub(r"\1 ", text.replace("ё", "е")).split(" ")
    if not any(_CYRILLIC_WORD.search(token) for token in tokens):
        return text
    said = _said_tokens(tokens)
    if not any(any(char.isdigit() for char in token) for token in said):
        if said[0] in _ONE_OF:
            said.insert(0, "1")
    elif (
        len(said) == 2  # «месяца 2», not «больше 3 лет»
        and _CYRILLIC_WORD.fullmatch(said[0])
        and said[0] not in _ONE_OF
        and _match(_GROUPED, said[1])
    ):
        said[0], said[1] = said[1], said[0]
    return " ".join(said)


def to_float(number: str) -> float:
    """A number matched by one of the patterns here (ASCII digits, one optional point or
    comma) as a float; so many digits that no float holds them give inf, never an error."""
    return float(number.replace(",", "."))


def to_amount(number: str) -> float | None:
    """A number matched by `_GROUPED`, for quantities whose decimals never come in threes: a
    separator before exactly three digits groups thousands ("2,400" is 2400, "2,40" is 2.4).
    None for a mix that is neither ("1,234,5")."""
    grouped = _GROUPS.fullmatch(number)
    if grouped is None:
        return to_float(number) if _match(_NUMBER, number) else None
    if grouped["point"] == grouped["sep"]:
        return None
    digits = grouped.group(1) + grouped.group(2).replace(grouped["sep"], "")
    return float(f"{digits}.{grouped['fraction'] or 0}")


def amounts(number: str) -> list[float]:
    """What a number matched by `_GROUPED` may mean, most likely first: `to_amount`'s
    reading; in a language that writes a decimal comma, a lone comma or dot before exactly
    three digits ("2,400") is read as a decimal point first (2.4), then as a thousands
    separator (2400). [] for a mix that is neither."""
    amount = to_amount(number)
    if amount is None:
        return []
    if decimal_comma() and _LONE_GROUP.fullmatch(number):
        return [to_float(number), amount]
    return [amount]


def _whole(value: float) -> int | None:
    """`value` rounded to an int, or None for inf (round() would raise)."""
    return round(value) if math.isfinite(value) else None


def _whole_within(amount: float, low: int, high: int) -> Parsed[int]:
    """`amount` as a whole number within [low, high], else "out_of_range"."""
    whole = _whole(amount)
    if whole is None or not low <= whole <= high:
        return fail("out_of_range")
    return ok(whole)


def _unsigned_match(
    pattern: re.Pattern[str], cleaned: str, error: str
) -> re.Match[str] | Parsed[Any]:
    """`cleaned` matched whole by `pattern`, or the failure: a negative amount is out of
    range, anything else the pattern does not take is `error`."""
    if cleaned.startswith("-"):
        return fail("out_of_range")
    return pattern.fullmatch(cleaned) or fail(error)


def _match(pattern: str, text: str) -> re.Match[str] | None:
    return re.fullmatch(pattern, text, flags=re.ASCII)


def parse_index(text: str, count: int) -> int | None:
    """A position among `count` options as a button carries it ("0" .. str(count - 1)), or
    None for anything else: other digits, signs, spaces or a number past the end."""
    if not re.fullmatch(r"[0-9]{1,4}", text, flags=re.ASCII):
        return None
    index = int(text)
    return index if index < count else None


def parse_number(text: str, low: float, high: float) -> Parsed[float]:
    """A plain number within [low, high]; a decimal comma works as well as a dot."""
    cleaned = unhedged(text)
    match = _match(r"(-?\d+(?:[.,]\d+)?)", cleaned)
    if not match:
        return fail("not_a_number")
    value = to_float(match.group(1))
    if not low <= value <= high:
        return fail("out_of_range")
    return ok(value)


# What a count may be followed by: "15 reps", «15 повторений», «2 раза», «3 упражнения».
_COUNT_WORD = re.compile(
    r"\s*(?:reps?|times|x|exercises?|days?|раз|раза|повт|повтор|повтора|повторов|повторение|"
    r"повторения|повторений|упражнение|упражнения|упражнений|день|дня|дней)\.?$",
    re.ASCII,
)


# «в неделю»: said of leg days and cardio a week, and changing nothing.
_PER_WEEK = re.compile(
    r"\s*(?:(?:a|per|each|every|in a) week|/\s*w(?:ee)?k|"
    r"в неделю|за неделю|в нед\.?|/\s*нед(?:елю)?)$",
    re.ASCII,
)
# "twice a week", «трижды в неделю»: a count said as how many times.
_TIMES_SAID = {"once": "1", "twice": "2", "thrice": "3", "дважды": "2", "трижды": "3"}
# "2-3 times", «2–3 раза»: either end may be meant, so the answer asks which.
_COUNT_SPAN = re.compile(r"(\d+) ?- ?(\d+)")


def parse_whole_number(text: str, low: int, high: int, *, span_top: bool = False) -> Parsed[int]:
    """A whole number within [low, high]: "2", "4+", "15 reps", "twice a week", «2 раза»,
    «два раза в неделю», «раз в неделю», «раза 3»; a span ("2-3 times") asks which end, or
    with `span_top` is its top ("8-12" reps: sets taken to 12)."""
    said = _PER_WEEK.sub("", unhedged(text))
    cleaned = _COUNT_WORD.sub("", _TIMES_SAID.get(said, said))
    span = _COUNT_SPAN.fullmatch(cleaned)
    if span and int(span[1]) < int(span[2]):
        within = low <= int(span[1]) and int(span[2]) <= high
        if not within:
            return fail("out_of_range")
        return ok(int(span[2])) if span_top else ambiguous([span[1], span[2]])
    parsed = parse_number(cleaned.rstrip("+"), low, high)
    if not parsed.ok or parsed.value is None:
        return Parsed(error=parsed.error)
    return _whole_within(parsed.value, low, high)


# ---- body weight ------------------------------------------------------------------------

# The words for kilograms and pounds, as a regex alternation (one group where it is used).
WEIGHT_UNIT_WORDS = (
    r"kg|kgs|kilo|kilos|kilogram|kilograms|lb|lbs|pound|pounds|#|"
    r"кг|кило|килограмм|килограмма|килограммов|килограммы|фунт|фунта|фунтов|фунты"
)
_WEIGHT = re.compile(rf"{_NUMBER}\s*({WEIGHT_UNIT_WORDS})?\.?", re.ASCII)
MIN_WEIGHT_KG = 30.0
MAX_WEIGHT_KG = 300.0
# A bare number above this, where kg is the default, may well be pounds; one below
# LIGHT_LB, where lb is the default, may well be kilograms.
HEAVY_KG = 140.0
LIGHT_LB = 100.0


def weight_unit(word: str) -> str:
    """ "lb" for a word of WEIGHT_UNIT_WORDS that means pounds, else "kg"."""
    return "lb" if word.startswith(("lb", "pound", "#", "фунт")) else "kg"


def _weight_kg(amount: float, unit: str) -> float:
    return amount * KG_PER_LB if unit == "lb" else amount


def parse_weight(
    text: str, default_unit: str = "kg", ask_when_unsure: bool = False
) -> Parsed[tuple[float, str]]:
    """Body weight as (kg, unit the user typed): "82", "82 kg", "82,5", "180 lb", "180lbs",
    «82 кг», «180 фунтов».

    A bare number is in `default_unit`. With `ask_when_unsure`, a bare number that is heavy
    in kg (over 140) or light in lb (under 100) is ambiguous between the two units; a bare
    number only one unit makes a possible weight of is read in that unit."""
    match = _unsigned_match(_WEIGHT, unhedged(text), "not_a_weight")
    if isinstance(match, Parsed):
        return match
    amount = to_float(match.group(1))
    unit_word = match.group(2)
    if unit_word:
        units = [weight_unit(unit_word)]
    else:
        units = [default_unit if default_unit in {"kg", "lb"} else "kg"]
        other = "lb" if units[0] == "kg" else "kg"
        unsure = amount > HEAVY_KG if units[0] == "kg" else amount < LIGHT_LB
        if (ask_when_unsure and unsure) or not _weight_fits(amount, units[0]):
            units.append(other)
    fitting = [unit for unit in units if _weight_fits(amount, unit)]
    # Three decimals keep 180 lb (81.647 kg) on the right side of 81.6 when targets round.
    weights = [(round(_weight_kg(amount, unit), 3), unit) for unit in fitting]
    return _chosen(weights, lambda weight: f"{figure(amount)} {weight[1]}")


def _weight_fits(amount: float, unit: str) -> bool:
    return MIN_WEIGHT_KG <= _weight_kg(amount, unit) <= MAX_WEIGHT_KG


# ---- hours and minutes ------------------------------------------------------------------

# "6 h 30 min", "7h30", "7 hours and 30 minutes", "7:30", "7h 30m", «7 ч 30 мин»,
# «7 часов и 30 минут».
_HOURS_MINUTES = re.compile(
    rf"(\d{{1,2}})\s*(?:{_H}\.?\s*(?:(?:and|и)\s*)?|:\s*)(\d{{1,2}})\s*{_M}?\.?", re.ASCII
)
_HOURS = re.compile(rf"{_NUMBER}\s*{_H}?\.?", re.ASCII)
_MINUTES_ONLY = re.compile(rf"(\d{{1,4}})\s*{_M}\.?", re.ASCII)


def _is_hours(unit: str) -> bool:
    return unit.startswith(("h", "ч"))


# "2500-3000 kcal", "150 to 180 g", «7-8 ч»: a span of an amount, read at its middle.
_SPAN = re.compile(r"(\d[\d.,' ]*?) ?(?:-|to|до) ?(\d.*)")
_LEADING_NUMBER = re.compile(r"^[\d.,' ]+")


def _middle_of_span(cleaned: str, parse: Callable[[str], Parsed[Any]]) -> Parsed[float] | None:
    """The middle of a span typed for an amount, both ends read by `parse` in the unit the
    upper end is written with; None when `cleaned` is no span both ends of which `parse`
    reads, so that the answer is read (and refused) as it stands."""
    found = _SPAN.fullmatch(cleaned)
    if found is None:
        return None
    upper = parse(found[2])
    unit = _LEADING_NUMBER.sub("", found[2])
    lower = parse(f"{found[1].strip()} {unit}".strip())
    if lower.value is None or upper.value is None or lower.value >= upper.value:
        return None
    return ok((lower.value + upper.value) / 2)


def parse_hours(text: str, high: float = 16.0) -> Parsed[float]:
    """Hours of sleep: "7", "7.5", "7,5", "6.5 h", "7h30", "7:30", "6 h 30 min",
    "7 hours 30", "7 hours and 30 minutes", "8 hours", "450 min", «7,5 ч», «8 часов»,
    «7 ч 30 мин», a span "7-8" at its middle. A bare number is hours."""
    cleaned = unhedged(text)
    if span := _middle_of_span(cleaned, lambda end: parse_hours(end, high)):
        return ok(round(span.value or 0.0, 2))
    if cleaned.startswith("-"):
        return fail("out_of_range")
    value: float
    if match := _HOURS_MINUTES.fullmatch(cleaned):
        hours, minutes = int(match.group(1)), int(match.group(2))
        if minutes >= 60:
            return fail("out_of_range")
        value = hours + minutes / 60
    elif match := _MINUTES_ONLY.fullmatch(cleaned):
        value = int(match.group(1)) / 60
    elif match := _HOURS.fullmatch(cleaned):
        value = to_float(match.group(1))
    else:
        return fail("not_hours")
    if not 0 <= value <= high:
        return fail("out_of_range")
    return ok(round(value, 2))


_MINUTES = re.compile(rf"{_GROUPED}\s*({_M}|{_H})?\.?", re.ASCII)
_NO_MINUTES = frozenset(
    {
        *("none", "zero", "nothing", "no cardio", "no", "nope", "not today", "none today"),
        *("нет", "ноль", "нисколько", "ничего", "никакого", "не делаю", "без кардио"),
        *("нет кардио", "кардио нет", "никакого кардио"),
        *("не было", "сегодня нет"),
    }
)


def parse_minutes(text: str, high: int, ask_hours_up_to: float = 0) -> Parsed[int]:
    """Minutes, or hours turned into minutes: "150", "90 min", "2h", "2.5 hours", "1,5 h",
    "1h30", "1 h 30 min", "1:30", "1,200 min", "none", «90 мин», «1,5 ч», «нет».

    A bare number is minutes, except that one above 0 and up to `ask_hours_up_to` may be
    hours: a whole one ("2") is ambiguous between hours and minutes, one with decimals
    ("1.5") is hours, since nobody counts cardio in fractions of a minute."""
    cleaned = _PER_WEEK.sub("", unhedged(text))
    if cleaned.startswith("-"):
        return fail("out_of_range")
    if cleaned in _NO_MINUTES:
        return ok(0)
    if match := _HOURS_MINUTES.fullmatch(cleaned):
        if int(match.group(2)) >= 60:
            return fail("out_of_range")
        return _whole_within(int(match.group(1)) * 60 + int(match.group(2)), 0, high)
    match = _MINUTES.fullmatch(cleaned)
    if not match:
        return fail("not_minutes")
    number, unit = match.group(1), match.group(2)
    if unit and _is_hours(unit):
        # Hours have decimals, never thousands: "1,5 h" is an hour and a half.
        if not _match(_NUMBER, number):
            return fail("not_minutes")
        return _whole_within(to_float(number) * 60, 0, high)
    readings = amounts(number)
    if not readings:
        return fail("not_minutes")
    if len(readings) > 1:  # "1,200": 1.2 hours or 1200 minutes, where both are in bounds
        return _minutes_read_both_ways(readings, unit is None, high, ask_hours_up_to)
    amount = readings[0]
    if unit is None and 0 < amount <= ask_hours_up_to:
        if not amount.is_integer():
            return _whole_within(amount * 60, 0, high)
        if amount * 60 <= high:
            return ambiguous([spelled(amount, "hour"), spelled(amount, "minute")])
    return _whole_within(amount, 0, high)


def _minutes_read_both_ways(
    readings: list[float], bare: bool, high: int, ask_hours_up_to: float
) -> Parsed[int]:
    """A decimal reading and a thousands reading of one number of minutes: a bare decimal
    within `ask_hours_up_to` is hours, as in parse_minutes."""
    fitting: list[tuple[int, str]] = []
    for amount in readings:
        as_hours = bare and 0 < amount <= ask_hours_up_to and not amount.is_integer()
        minutes = _whole(amount * 60 if as_hours else amount)
        if minutes is not None and 0 <= minutes <= high:
            fitting.append((minutes, spelled(amount, "hour" if as_hours else "minute")))
    return _chosen([minutes for minutes, _ in fitting], dict(fitting).__getitem__)


_SECONDS = re.compile(
    rf"{_NUMBER}\s*(s|sec|secs|seconds?|m|min|mins|minutes?|"
    r"с|сек|секунда|секунды|секунду|секунд|м|мин|минута|минуты|минуту|минут)?\.?",
    re.ASCII,
)


def parse_seconds(text: str, low: int, high: int) -> Parsed[int]:
    """Seconds: "40", "40 s", "1 min", «40 с», «40 сек», «1 мин»."""
    match = _unsigned_match(_SECONDS, unhedged(text), "not_seconds")
    if isinstance(match, Parsed):
        return match
    amount = to_float(match.group(1))
    unit = match.group(2) or "s"
    return _whole_within(amount * 60 if unit.startswith(("m", "м")) else amount, low, high)


# ---- grams and calories -----------------------------------------------------------------

_GRAMS = re.compile(
    rf"{_GROUPED}\s*(?:g|gr|grs|gram|grams|г|гр|грам|грамм|грамма|граммов)?\.?{_PER_DAY}\.?",
    re.ASCII,
)


def parse_grams(text: str, high: float) -> Parsed[float]:
    """Grams a day: "150", "150 g", "about 150g", "1,200 g" (a thousand and two hundred),
    «150 г», «около 150 грамм», «1 200 г», a span "150-180 g" at its middle."""
    if span := _middle_of_span(unhedged(text), lambda end: parse_grams(end, high)):
        return ok(round(span.value or 0.0, 1))
    match = _unsigned_match(_GRAMS, unhedged(text), "not_grams")
    if isinstance(match, Parsed):
        return match
    readings = amounts(match.group(1))
    if not readings:
        return fail("not_grams")
    return _chosen([grams for grams in readings if 0 <= grams <= high], _grams_reading)


def _grams_reading(grams: float) -> str:
    return f"{figure(grams)} g"


# "k" is a thousand unless it begins "kcal": "2.4k" is 2400, "2.4kcal" is 2.4. So is «к»
# unless it begins «ккал» or «кал», and «тыс.».
_KCAL = re.compile(
    rf"{_GROUPED}\s*(k(?!cal)|thousand|к(?!к?ал)|тыс\.?|тысяч|тысячи)?\s*"
    r"(?:kcal|kcals|cal|cals|calorie|calories|kilocalories|"
    r"ккал|кал|калорий|калории|калория|килокалорий|килокалории)?"
    rf"{_PER_DAY}\.?",
    re.ASCII,
)


def parse_kcal(text: str, low: int, high: int) -> Parsed[int]:
    """Calories a day: "2800", "2800 kcal", "2.8k", "2,400 kcal", "2.400", "2 400",
    «2 400 ккал», «2,8 тыс. ккал», a span "2500-3000" at its middle."""
    if span := _middle_of_span(unhedged(text), lambda end: parse_kcal(end, low, high)):
        return ok(round(span.value or 0.0))
    match = _unsigned_match(_KCAL, unhedged(text), "not_kcal")
    if isinstance(match, Parsed):
        return match
    if match.group(2):
        # Before "k" a separator is a decimal point: "2.5k" is 2500.
        if not _match(_NUMBER, match.group(1)):
            return fail("not_kcal")
        readings = [to_float(match.group(1)) * 1000]
    else:
        readings = amounts(match.group(1))
    if not readings:
        return fail("not_kcal")
    fitting = []
    for amount in readings:
        whole = _whole(amount)
        if whole is not None and low <= amount <= high and low <= whole <= high:
            fitting.append(whole)
    return _chosen(fitting, _kcal_reading)


def _kcal_reading(kcal: int) -> str:
    return f"{kcal} kcal"


# ---- how long ago -----------------------------------------------------------------------

_WEEKS = re.compile(
    rf"{_NUMBER}\s*(d|days?|w|wk|wks|weeks?|m|mo|mos|months?|y|yr|yrs|years?|"
    r"д|дн|день|дня|дней|нед|неделя|недели|неделю|недель|мес|месяц|месяца|месяцев|"
    r"г|год|года|лет)?\.?",
    re.ASCII,
)
# A unit word's first letter to the unit: English and Russian («нед», «мес», «г», «лет»).
_WEEK_UNITS = {
    **{"d": "d", "w": "w", "m": "m", "y": "y"},
    **{"д": "d", "н": "w", "м": "m", "г": "y", "л": "y"},
}
_WEEKS_PER_UNIT = {"d": 1 / 7, "w": 1.0, "m": 52 / 12, "y": 52.0}
_UNIT_NAMES = {"d": "day", "w": "week", "m": "month", "y": "year"}
_SAID_AS_WORDS = {
    "a week": "1 week",
    "a month": "1 month",
    "a year": "1 year",
    "a few weeks": "3 weeks",
    "a couple of weeks": "2 weeks",
    "a couple of months": "2 months",
    "a few months": "3 months",
    "half a year": "6 months",
    "неделя": "1 week",
    "неделю": "1 week",
    "месяц": "1 month",
    "год": "1 year",
    "пару недель": "2 weeks",
    "пара недель": "2 weeks",
    "пару месяцев": "2 months",
    "пара месяцев": "2 months",
    "несколько недель": "3 weeks",
    "несколько месяцев": "3 months",
    "полтора месяца": "1.5 months",
    "полгода": "6 months",
    "пол года": "6 months",
    "полтора года": "1.5 years",
}


def parse_weeks(text: str, high: float = 520.0, bare: str = "w") -> Parsed[float]:
    """How long ago, in weeks: "3 weeks", "2 months", "1.5 years", "10 days", "a month ago",
    «3 недели», «2 месяца назад», «1,5 года», «полгода».

    `bare` lists the units a number typed without one may be in ("d", "w", "m", "y"), most
    likely first: a bare number is read in each unit that gives a time within range; more
    than one such reading (other than for 0) makes it ambiguous."""
    cleaned = unhedged(text).removesuffix(" ago").removesuffix(" назад")
    match = _unsigned_match(_WEEKS, _SAID_AS_WORDS.get(cleaned, cleaned), "not_a_duration")
    if isinstance(match, Parsed):
        return match
    amount = to_float(match.group(1))
    units = _WEEK_UNITS[match.group(2)[0]] if match.group(2) else bare or "w"
    fitting = [unit for unit in units if 0 <= amount * _WEEKS_PER_UNIT[unit] <= high]
    if not fitting:
        return fail("out_of_range")
    if len(fitting) > 1 and amount > 0:
        return ambiguous([spelled(amount, _UNIT_NAMES[unit]) for unit in fitting])
    return ok(round(amount * _WEEKS_PER_UNIT[fitting[0]], 1))


def parse_yes_no(text: str) -> Parsed[bool]:
    """Yes or no: "yes", "y", "nope", «да», «ага», «да, конечно», «нет», «неа»; a yes or no
    followed by more words says it too ("yes, sometimes", «да, иногда», "no, never")."""
    cleaned = normalise(text).strip(".!").replace(",", "")
    if cleaned in _YES:
        return ok(True)
    if cleaned in _NO:
        return ok(False)
    first, _, rest = cleaned.partition(" ")
    said = set(rest.split())
    if first in _YES and said.isdisjoint(_NO):
        return ok(True)
    if first in _NO and said.isdisjoint(_YES):
        return ok(False)
    return fail("not_yes_no")
