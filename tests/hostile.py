"""Hostile input for property-based tests: text of every kind, numbers in every form that
Python's int() and float() take or choke on, and the ranges stored numbers must keep to."""

from __future__ import annotations

from hypothesis import strategies as st

from flows import checkin

INT64_MAX = 2**63 - 1
# The numbers a check-in keeps, with the range each must lie in.
CHECKIN_BOUNDS: dict[str, tuple[float, float]] = {
    "sleep_hours": (0.0, checkin.MAX_SLEEP_H),
    "protein_g": (0.0, checkin.MAX_PROTEIN_G),
    "carbs_g": (0.0, checkin.MAX_CARBS_G),
    "cardio_minutes": (0, checkin.MAX_CARDIO_MIN),
}
# Units and tails that may follow a number.
UNITS = (
    "",
    " ",
    "kg",
    " lb",
    "lbs",
    "g",
    " grams",
    "h",
    "h30",
    ":30",
    " min",
    "s",
    " sec",
    " weeks",
    " months",
    " years",
    "k",
    " kcal",
    "%",
    "+",
    " reps",
    ".",
    ",5",
    "e5",
    "²",
)
numbers_as_text = st.one_of(
    st.integers().map(str),
    st.integers(min_value=-(10**400), max_value=10**400).map(str),
    st.integers(min_value=300, max_value=4400).map(lambda digits: "9" * digits),
    st.floats().map(str),
    st.floats().map(repr),
    st.floats(allow_nan=False).map(lambda number: f"{number:,.3f}"),
    st.sampled_from(
        [
            "inf",
            "-inf",
            "nan",
            "NaN",
            "1e400",
            "-0",
            "1_000",
            "0x10",
            "0b11",
            "١٢",
            "８２",
            "8²",
            "²",
            "①",
            "٣",
            "Ⅻ",
            "⁹⁹",
            "𝟖𝟐",
            "৭",
            "-1",
            "+82",
            "0",
            ".5",
            "5.",
            "1e3",
            "1E-3",
            "∞",
            "½",
            "0.000000001",
            "00000000000000000082",
        ]
    ),
    st.text(alphabet=st.characters(categories=["Nd", "No", "Nl"]), min_size=1, max_size=30),
)
hostile_text = st.one_of(
    st.text(),
    # Long texts by repetition: as hostile as random ones, and much quicker to make.
    st.tuples(st.text(min_size=1, max_size=10), st.integers(20, 600)).map(
        lambda pair: pair[0] * pair[1]
    ),
    numbers_as_text,
    st.tuples(numbers_as_text, st.sampled_from(UNITS)).map("".join),
    st.tuples(numbers_as_text, st.sampled_from(UNITS), numbers_as_text).map("".join),
)
