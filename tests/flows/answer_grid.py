"""Generated assessments: every question's options and its skip, the way the interview
stores them (its own parsers, follow-up questions only where they apply)."""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from typing import cast

from flows.answers import Answers
from flows.assessment import QUESTIONS
from flows.core import Profile
from flows.interview import AnswerMap, Question
from flows.texts.assessment import CHOICES

SKIP = None  # "don't know / skip"

# Typed answers besides the buttons: questions without buttons, and values between them.
TYPED: dict[str, tuple[str, ...]] = {
    "weight": ("55 kg", "82 kg", "180 lb", "120 kg"),
    "leg_days_per_week": ("7",),
    "calf_set_seconds": ("25", "35", "50"),
    "cardio_minutes_week": ("200", "600"),
    "calories_per_day": ("1800", "2600", "3300", "3600", "4500"),
    "carbs": ("120 g", "250 g", "400 g"),
    "protein_g": ("60", "120", "150", "180", "250"),
    "sleep_hours": ("5", "7.5"),
}

_PROFILE = Profile(user_id=0)


def options(question: Question) -> list[str | None]:
    """Every button value, the typed extras, and skip where the question allows it."""
    found: list[str | None] = [value for _, value in CHOICES.get(question.name, ())]
    found += TYPED.get(question.name, ())
    if question.skippable:
        found.append(SKIP)
    return found


def build(picks: Sequence[int]) -> Answers:
    """The answers of someone who picks option `picks[i] % len(options)` at question i."""
    answers: AnswerMap = {}
    for question, pick in zip(QUESTIONS, picks, strict=True):
        if not question.applies(answers):
            continue
        chosen = options(question)
        text = chosen[pick % len(chosen)]
        if text is None:
            question.save(answers, None)
            continue
        parsed = question.parse(text, _PROFILE)
        assert parsed.ok, (question.name, text)
        question.save(answers, parsed.value)
    return cast(Answers, answers)


def grid(random_cases: int = 1500, seed: int = 7) -> Iterator[Answers]:
    """Each question's options in turn over three fixed lifters, then random lifters."""
    widest = max(len(options(question)) for question in QUESTIONS)
    for base in (0, 1, -1):
        for position in range(len(QUESTIONS)):
            for pick in range(widest):
                picks = [base % len(options(q)) for q in QUESTIONS]
                picks[position] = pick
                yield build(picks)
    rng = random.Random(seed)
    for _ in range(random_cases):
        yield build([rng.randrange(len(options(q))) for q in QUESTIONS])


GRID: tuple[Answers, ...] = tuple(grid())
