"""A pure conversation driver for tests: keeps the conversation the way storage would."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flows import app
from flows.core import Conversation, Event, Profile, Reply
from flows.texts import render

NOW = datetime(2026, 11, 17, 9, 30, tzinfo=UTC)

# One typed answer per question that applies to this lifter, in order.
TYPED = {
    "experience": "intermediate",
    "recovery": "good",
    "weight": "82 kg",
    "leg_days_per_week": "2",
    "consecutive_leg_days": "no",
    "leg_training": "squats",
    "front_exercises": "3",
    "back_exercises": "2",
    "accessory_reps": "15",
    "trains_calves": "yes",
    "calf_set_seconds": "40 s",
    "weeks_since_program_change": "3 weeks",
    "form_checked": "yes",
    "chases_heavy": "no",
    "explosive_reps": "yes",
    "leg_lift": "squat",
    "leg_lift_set": "100 x 5",
    "bench_set": "80 kg x 5",
    "tape": "yes",
    "thigh_cm": "58 cm",
    "calf_cm": "38",
    "arm_cm": "14 in",
    "cardio_minutes_week": "60",
    "cardio_kind": "intervals",
    "calories_per_day": "3300",
    "carbs": "400 g",
    "protein_g": "181",
    "sleep_hours": "8h",
    "naps": "no",
}


class Chat:
    """Keeps the conversation the way storage would, between pure calls."""

    def __init__(self, profile: Profile | None = None) -> None:
        self.profile = profile or Profile(user_id=1)
        self.conversation: Conversation | None = None
        self.effects: list[Any] = []
        self.tokens = 0

    def send(self, event: Event, now: datetime = NOW) -> list[Reply]:
        outcome = app.handle(self.conversation, event, self.profile, now)
        token = self.conversation.token if self.conversation else ""
        if outcome.new_conversation or self.conversation is None:
            self.tokens += 1
            token = f"t{self.tokens}"
        self.conversation = Conversation(
            outcome.flow or "", outcome.state or "", outcome.data, token
        )
        self.effects.extend(outcome.effects)
        for reply in outcome.replies:
            render(reply)  # every reply must render: no missing keys or values
        return outcome.replies

    def text(self, text: str) -> list[Reply]:
        return self.send(Event.typed(text))

    def press(self, value: str) -> list[Reply]:
        assert self.conversation is not None
        return self.send(Event.button(value, token=self.conversation.token))

    def command(self, name: str) -> list[Reply]:
        return self.send(Event.command(name))

    @property
    def state(self) -> str:
        assert self.conversation is not None
        return self.conversation.state

    @property
    def answers(self) -> dict[str, Any]:
        assert self.conversation is not None
        return self.conversation.data.get("answers", {})
