"""Types shared by every flow: what comes in (Event), what goes out (Reply, Effect)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from flows.answers import Answers
from flows.lifts import LiftSet, Measurement
from flows.progress import CheckinDay

if TYPE_CHECKING:
    # Only for annotations: the effect classes live in the flow modules, which import this one.
    from flows.effects import Effect


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


class ProfilePart(StrEnum):
    """The parts of a profile a flow can ask for; the user's own settings always come.

    A flow declares the parts it reads (flows.registry.Flow.needs) and only those are loaded;
    a part not loaded keeps the empty default below."""

    ASSESSMENT = "assessment"  # latest_answers, latest_problem_ids, assessed_at
    PLAN = "plan"  # plan_weekdays, plan_split, plan_since, reminder_time, plan_deload_from, ...
    CHECKINS = "checkins"  # recent_checkins
    REMINDER_MARKS = "reminder_marks"  # reminder_leg_days
    STORED_DATA = "stored_data"  # has_data
    LOGBOOK = "logbook"  # lift_sets, measurements


ALL_PROFILE_PARTS: frozenset[ProfilePart] = frozenset(ProfilePart)


@dataclass(frozen=True)
class Profile:
    """What flows may know about the user, loaded fresh for every update."""

    user_id: int
    first_name: str = ""
    weight_unit: str = "kg"
    timezone: str = "UTC"
    reminders_paused: bool = False
    checkin_time: str = "21:00"  # "HH:MM" local
    summary_weekday: int = 6  # 0 = Monday; the weekly summary comes that evening
    checkins_paused: bool = False
    language: str = "en"  # a code of flows.i18n.LANGUAGES
    # ProfilePart.ASSESSMENT
    latest_answers: Answers | None = None
    latest_problem_ids: tuple[str, ...] = ()
    assessed_at: datetime | None = None
    # ProfilePart.PLAN
    plan_weekdays: tuple[int, ...] = ()
    plan_split: bool | None = None
    plan_since: date | None = None  # the local date the plan was first saved
    reminder_time: str | None = None  # "HH:MM" local
    plan_deload_from: date | None = None  # the first day of the plan's deload week
    plan_scheme_shift: int = 0  # weeks added to the rep-scheme rotation
    plan_experience: str = ""  # the level the plan was built for ("" counts as beginner)
    plan_explosive: bool = False  # may the heavy basics be lifted explosively
    # ProfilePart.CHECKINS: the user's check-ins of the last weeks, oldest first.
    recent_checkins: tuple[CheckinDay, ...] = ()
    # ProfilePart.REMINDER_MARKS: leg days answered with a reminder's Done or Skip button.
    reminder_leg_days: dict[date, str] = field(default_factory=dict)  # "done" | "skipped"
    # ProfilePart.STORED_DATA: anything stored about the user beyond the bare user row.
    has_data: bool = False
    # ProfilePart.LOGBOOK: the latest top sets logged (oldest first) and body measurements.
    lift_sets: tuple[LiftSet, ...] = ()
    measurements: tuple[Measurement, ...] = ()


@dataclass
class Step:
    """What a flow answers to one event. state None means the flow has finished."""

    state: str | None
    data: dict[str, Any]
    replies: list[Reply] = field(default_factory=list)
    effects: list[Effect] = field(default_factory=list)
    # True when the flow began afresh: its buttons get a new token, old ones go stale.
    restarted: bool = False
