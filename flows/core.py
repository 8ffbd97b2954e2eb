"""Types shared by every flow: what comes in (Event), what goes out (Reply, Effect)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class EventKind(StrEnum):
    TEXT = "text"  # a typed message
    BUTTON = "button"  # an inline-keyboard press; `text` holds the button's value
    COMMAND = "command"  # "/assess" -> text="assess", args="..."
    LOCATION = "location"  # a shared location
    OTHER = "other"  # sticker, photo, voice, ...: anything a flow cannot read


@dataclass(frozen=True)
class Event:
    kind: EventKind
    text: str = ""
    args: str = ""
    latitude: float | None = None
    longitude: float | None = None
    token: str = ""  # for buttons: the conversation token the pressed message carried

    @classmethod
    def typed(cls, text: str) -> Event:
        return cls(EventKind.TEXT, text)

    @classmethod
    def button(cls, value: str, token: str = "") -> Event:
        return cls(EventKind.BUTTON, value, token=token)

    @classmethod
    def command(cls, name: str, args: str = "") -> Event:
        return cls(EventKind.COMMAND, name.lower(), args)

    @classmethod
    def other(cls, what: str = "message") -> Event:
        return cls(EventKind.OTHER, what)

    @classmethod
    def location(cls, latitude: float, longitude: float) -> Event:
        return cls(EventKind.LOCATION, latitude=latitude, longitude=longitude)


@dataclass(frozen=True)
class Choice:
    """One button: `label` is what the user sees, `value` what comes back when pressed."""

    label: str
    value: str


@dataclass(frozen=True)
class Attachment:
    """A file to send with a reply (a calendar, a chart, an export)."""

    filename: str
    content: bytes
    media_type: str
    as_photo: bool = False


@dataclass(frozen=True)
class Reply:
    """One message to show: a text key from flows.texts with its values, and buttons.

    `choices` are rows of buttons. `request_location` asks the client for a location button.
    """

    key: str
    values: dict[str, Any] = field(default_factory=dict)
    choices: tuple[tuple[Choice, ...], ...] = ()
    attachment: Attachment | None = None
    request_location: bool = False

    @property
    def choice_values(self) -> list[str]:
        return [choice.value for row in self.choices for choice in row]


def rows(choices: list[Choice], per_row: int = 3) -> tuple[tuple[Choice, ...], ...]:
    """Lays buttons out in rows of `per_row`, which reads well on a phone."""
    return tuple(tuple(choices[i : i + per_row]) for i in range(0, len(choices), per_row))


@dataclass(frozen=True)
class Conversation:
    """A user's place in a flow, as stored: which flow, which state, its data, and the token
    that the buttons of this conversation carry (so presses on older messages are spotted)."""

    flow: str
    state: str
    data: dict[str, Any]
    token: str


@dataclass(frozen=True)
class Profile:
    """What flows may know about the user, loaded fresh for every update."""

    user_id: int
    first_name: str = ""
    weight_unit: str = "kg"
    timezone: str = "UTC"
    latest_answers: dict[str, Any] | None = None
    latest_problem_ids: tuple[str, ...] = ()
    assessed_at: Any = None  # datetime of the latest assessment, if any
    plan_weekdays: tuple[int, ...] = ()
    plan_split: bool | None = None
    plan_since: Any = None  # the local date the plan was first saved
    reminder_time: str | None = None  # "HH:MM" local
    reminders_paused: bool = False
    checkin_time: str = "21:00"  # "HH:MM" local
    summary_weekday: int = 6  # 0 = Monday; the weekly summary comes that evening
    checkins_paused: bool = False
    # The user's check-ins of the last weeks, oldest first (flows.progress.CheckinDay).
    recent_checkins: tuple[Any, ...] = ()
    # Leg days answered with a reminder's Done or Skip button: {date: "done" | "skipped"}.
    reminder_leg_days: dict[Any, str] = field(default_factory=dict)
    has_data: bool = False  # anything stored about the user beyond the bare user row


@dataclass
class Step:
    """What a flow answers to one event. state None means the flow has finished."""

    state: str | None
    data: dict[str, Any]
    replies: list[Reply] = field(default_factory=list)
    effects: list[Any] = field(default_factory=list)
    # True when the flow began afresh: its buttons get a new token, old ones go stale.
    restarted: bool = False
