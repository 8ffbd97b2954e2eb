"""One question-and-answer engine for every interview: the assessment, the daily check-in, and
any later one.

An interview is a list of `Question`s plus a finish function. From them this module builds one
shared `transitions` machine, once, at import: a state per question, in order, and DONE at the
end. A user's place is a stored row (state name plus JSON data); for one event its data is
wrapped in a model, attached to the machine, driven by one trigger, and detached again.

Triggers a person causes:
  answer(value)  parse and store, then on to the next question; a bad answer stays put and
                 says what was wrong and what a good answer looks like; an answer that could
                 mean two things stays put and asks which ("Did you mean 4 months?"), and the
                 next message may simply say yes or no
  skip           store "don't know" where the question allows it, else explain why not
  same           store the answer given last time, unchanged, where the interview remembers
                 one (a re-assessment), else explain that there is none
  go_back        to the previous question that applies (answers are kept)
  repeat         ask the current question again (commands, old buttons, stickers)
  resume         from the first question to the first one still open (after a deploy)

Entering a question passes straight on when it does not apply (`pass_over`, `pass_back`,
guarded by the question's `applies` condition, checked with `may_trigger`), so follow-up
questions come and go with the answers; resting on a question asks it. Entering DONE calls the
interview's finish function.

Texts an interview named N must have: N.error.<parser error>, N.error.cannot_skip,
N.error.too_long, N.error.not_text, N.old_question, N.first_question, N.resumed and N.which
(values "reading", the most likely meaning, and "text"); with remembered answers also
N.error.no_previous.

Every text is read when it is shown, in the user's language: the labels an interview is given
may be callables (flows.i18n.Text) rather than strings. The readings of an ambiguous answer
are written as the parser reads them ("4 months"); they go back to the parser as they are,
and are shown in the user's language (`reading_label`).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Generic, Protocol, Self, TypeGuard, TypeVar

from transitions import EventData, Machine, State

from flows import i18n, parsing
from flows.core import Choice, Event, EventKind, Profile, Reply, Step, rows
from flows.i18n import Messages, Plural, Text
from flows.machine import attached
from flows.parsing import Parsed
from flows.texts.common import WHICH_LABELS

logger = logging.getLogger(__name__)

DONE = "done"
SKIP = "skip"  # the value of every skip button, and what skip words typed turn into
SAME = "same"  # the value of every "same as last time" button, and what "same" typed turns into
SAME_WORDS = frozenset(
    {
        "same",
        "the same",
        "same as last time",
        "same as before",
        "as before",
        "as last time",
        "unchanged",
        "no change",
        "still the same",
        "то же",
        "то же самое",
        "так же",
        "как раньше",
        "как в прошлый раз",
        "как прошлый раз",
        "без изменений",
        "не изменилось",
        "всё так же",
        "все так же",
    }
)
# Stored interview data carries its layout version; data stored before versions is version 0,
# the same layout plus a "history" list that is no longer needed.
VERSION_KEY = "v"
DATA_VERSION = 1
READINGS_KEY = "readings"

AnswerValue = str | int | float | bool | None
AnswerMap = dict[str, AnswerValue]
Parser = Callable[[str, Profile], Parsed[Any]]
Store = Callable[[AnswerMap, Any], None]
Buttons = Sequence[tuple[str, str]]  # (label, value)
# What an interview remembers from last time for one question: the stored values, under the
# question's answer keys, and how to show them ("82 kg").
Remembered = tuple[AnswerMap, str]
# A button label, or what gives it in the current language (a flows.i18n.Text).
Label = str | Callable[[], str]


def label_text(label: Label) -> str:
    """A label in the current language."""
    return label if isinstance(label, str) else label()


SKIP_LABEL = Text("interview.skip", "Skip")
SAME_LABEL = Text("interview.same", "Same as last time: {answer}")

# What a message that is not text is called in "not a {what}", by the kind an adapter gives;
# in English each kind goes by its own name.
_KINDS = ("sticker", "photo", "voice", "video", "document", "audio", "animation", "message")
MESSAGE_KINDS = Messages({kind: kind for kind in _KINDS}, "interview.kind.")

# ---- readings, as the user's language writes them ---------------------------------------------

# The units a parser spells its readings in ("82 kg", "2 hours", "100 kg x 5").
_READING_UNITS = Messages(
    {
        "kg": "{amount} kg",
        "lb": "{amount} lb",
        "cm": "{amount} cm",
        "in": "{amount} in",
        "g": "{amount} g",
    },
    "interview.reading.",
)
_READING_SPANS = {
    "minute": Plural("interview.reading.minutes", "{count} minute", "{count} minutes"),
    "hour": Plural("interview.reading.hours", "{count} hour", "{count} hours"),
    "day": Plural("interview.reading.days", "{count} day", "{count} days"),
    "week": Plural("interview.reading.weeks", "{count} week", "{count} weeks"),
    "month": Plural("interview.reading.months", "{count} month", "{count} months"),
    "year": Plural("interview.reading.years", "{count} year", "{count} years"),
}
_READING_SET = Text("interview.reading.set", "{weight} x {reps}")
_AMOUNT = r"(\d+(?:\.\d+)?)"
_UNIT_READING = re.compile(_AMOUNT + r" (kg|lb|cm|in|g)", re.ASCII)
_SET_READING = re.compile(_AMOUNT + r" (kg|lb) x (\d+)", re.ASCII)
_SPAN_READING = re.compile(_AMOUNT + r" (minute|hour|day|week|month|year)s?", re.ASCII)


def reading_label(reading: str) -> str:
    """A reading of an ambiguous answer as the current language writes it: "4 месяца" for
    "4 months". A reading in no form known here is shown as it is, and so is every reading
    in the language the parsers write them in."""
    if i18n.current() == i18n.SOURCE_LANGUAGE:
        return reading
    if match := _SET_READING.fullmatch(reading):
        weight = _READING_UNITS[match[2]].format(amount=i18n.number(float(match[1]), 2))
        return _READING_SET(weight=weight, reps=match[3])
    if match := _UNIT_READING.fullmatch(reading):
        return _READING_UNITS[match[2]].format(amount=i18n.number(float(match[1]), 2))
    if match := _SPAN_READING.fullmatch(reading):
        return _READING_SPANS[match[2]](float(match[1]))
    return reading


# ---- questions -----------------------------------------------------------------------------


def always(answers: AnswerMap) -> bool:
    return True


@dataclass(frozen=True)
class Question:
    """One question. Its name is its state and, unless `keys` says otherwise, the key its answer
    is stored under. `store` writes a parsed value (or None for skip) when the plain
    `answers[name] = value` does not fit; `keys` then lists what it writes."""

    name: str
    parse: Parser
    skippable: bool = False
    # Follow-up questions count as coming until the answer they depend on says otherwise, so
    # an `applies` is True for answers not given yet and "question N of M" only ever shrinks.
    applies: Callable[[AnswerMap], bool] = always
    store: Store | None = None
    keys: tuple[str, ...] = ()
    per_row: int = 3  # buttons per row

    @property
    def answer_keys(self) -> tuple[str, ...]:
        return self.keys or (self.name,)

    def answered(self, answers: AnswerMap) -> bool:
        return any(key in answers for key in self.answer_keys)

    def clear(self, answers: AnswerMap) -> None:
        for key in self.answer_keys:
            answers.pop(key, None)

    def save(self, answers: AnswerMap, value: Any) -> None:
        self.clear(answers)
        if self.store is not None:
            self.store(answers, value)
        else:
            answers[self.name] = value


# Words an answer to a choice may carry that change nothing: «в основном тренажёры»,
# «тренажёры, в основном», «обычно нормально».
FILLERS = ("в основном", "в целом", "обычно", "чаще всего", "скорее всего", "скорее", "пожалуй")


def _headline(label: str) -> str:
    """A button label without its explanation, in brackets or after a colon."""
    return re.split(r" \(|:", label, maxsplit=1)[0]


def _plain(text: str) -> str:
    """`text` normalised, without the full stop or exclamation mark at its end; «ё» is «е»."""
    return parsing.normalise(text).strip(".!").replace("ё", "е")


def _filler_pattern(fillers: Sequence[str]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(_plain(filler)) for filler in fillers)
    return re.compile(rf"(?<!\S)(?:{alternatives})(?!\S)")


def words(mapping: Mapping[str, Sequence[str]], fillers: Sequence[str] = ()) -> Parser:
    """A parser for a choice: the value itself or any of its words («ё» or «е» alike),
    with or without the words of FILLERS and `fillers` around them («в основном
    тренажёры»)."""
    said = {value: {_plain(word) for word in (value, *words)} for value, words in mapping.items()}
    filler = _filler_pattern((*FILLERS, *fillers))

    def parse(text: str, profile: Profile) -> Parsed[Any]:
        cleaned = _plain(text)
        bare = parsing.normalise(filler.sub(" ", re.sub(r"[,;!.]", " ", cleaned)))
        for candidate in (cleaned, bare):
            for value, forms in said.items():
                if candidate in forms:
                    return parsing.ok(value)
        return parsing.fail("not_a_choice")

    return parse


def text_only(parse: Callable[[str], Parsed[Any]]) -> Parser:
    """A parser that needs nothing but the text."""
    return lambda text, profile: parse(text)


def yes_no(text: str, profile: Profile) -> Parsed[bool]:
    return parsing.parse_yes_no(text)


def either(
    name: str,
    forms: Sequence[tuple[str, Parser]],
    unreadable: str,
    *,
    skippable: bool = False,
    applies: Callable[[AnswerMap], bool] = always,
    per_row: int = 3,
) -> Question:
    """A question answered in one of several forms, each kept under its own key (carbs as a
    level or in grams): the first form whose parser reads the answer keeps it, the other keys
    get None, and a skip sets them all to None. When no form reads it, a number out of range
    in the last form says so; anything else is `unreadable`."""

    def parse(text: str, profile: Profile) -> Parsed[Any]:
        error = unreadable
        for key, read in forms:
            parsed = read(text, profile)
            if parsed.ok:
                return parsing.ok((key, parsed.value))
            if parsed.error == parsing.AMBIGUOUS:
                return parsed
            error = "out_of_range" if parsed.error == "out_of_range" else unreadable
        return parsing.fail(error)

    def store(answers: AnswerMap, value: tuple[str, AnswerValue] | None) -> None:
        given, amount = value if value is not None else ("", None)
        for key, _ in forms:
            answers[key] = amount if key == given else None

    return Question(
        name,
        parse,
        skippable=skippable,
        applies=applies,
        store=store,
        keys=tuple(key for key, _ in forms),
        per_row=per_row,
    )


# ---- stored data ---------------------------------------------------------------------------


class InterviewData(Protocol):
    """An interview's typed data: its answers, and whatever else it keeps (a day, a unit).

    `readings` holds what an ambiguous answer may mean while the last reply asks which, for
    the very next message only; stored with the data (see `read_readings`)."""

    readings: tuple[str, ...]

    @property
    def answers(self) -> AnswerMap: ...

    def to_json(self) -> dict[str, Any]: ...


D = TypeVar("D", bound=InterviewData)


def _is_answer(value: object) -> TypeGuard[AnswerValue]:
    return value is None or isinstance(value, str | int | float | bool)


def stored_version(stored: Mapping[str, object]) -> int:
    version = stored.get(VERSION_KEY, 0)
    return version if isinstance(version, int) and not isinstance(version, bool) else 0


def read_answers(stored: Mapping[str, object]) -> AnswerMap:
    """The answers in stored interview data: plain JSON values under text keys; anything else
    (which no version of the bot writes) is left out rather than trusted."""
    if stored_version(stored) > DATA_VERSION:
        logger.warning(
            "interview data of version %s read by version %s", stored_version(stored), DATA_VERSION
        )
    raw = stored.get("answers")
    if not isinstance(raw, dict):
        return {}
    return {key: value for key, value in raw.items() if isinstance(key, str) and _is_answer(value)}


def read_readings(stored: Mapping[str, object]) -> tuple[str, ...]:
    """The readings of an ambiguous answer kept in stored data (see InterviewData); each
    goes through the question's parser again when chosen, so nothing here is trusted."""
    raw = stored.get(READINGS_KEY)
    if not isinstance(raw, list):
        return ()
    return tuple(item[: parsing.MAX_ANSWER_CHARS] for item in raw if isinstance(item, str))[:4]


def with_readings(fields: dict[str, Any], readings: Sequence[str]) -> dict[str, Any]:
    """`fields` plus the readings awaiting a choice, when there are any."""
    return {**fields, READINGS_KEY: list(readings)} if readings else fields


def read_text(stored: Mapping[str, object], key: str) -> str | None:
    value = stored.get(key)
    return value if isinstance(value, str) else None


def versioned(fields: dict[str, Any]) -> dict[str, Any]:
    """Interview data as stored: its fields under the current version."""
    return {VERSION_KEY: DATA_VERSION, **fields}


@dataclass
class DayData:
    """Interview data about one local day: the day and the answers so far, and the readings
    awaiting a choice; stored as JSON with a version key."""

    day: date
    answers: AnswerMap = field(default_factory=dict)
    readings: tuple[str, ...] = ()

    @classmethod
    def from_json(cls, stored: dict[str, Any]) -> Self | None:
        """None when the day cannot be read (data no version of the bot writes)."""
        try:
            day = date.fromisoformat(read_text(stored, "day") or "")
        except ValueError:
            return None
        return cls(day, read_answers(stored), read_readings(stored))

    def to_json(self) -> dict[str, Any]:
        fields = {"day": self.day.isoformat(), "answers": dict(self.answers)}
        return versioned(with_readings(fields, self.readings))


def number_answer(answers: Mapping[str, AnswerValue], key: str) -> float | None:
    value = answers.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return value


def whole_answer(answers: Mapping[str, AnswerValue], key: str) -> int | None:
    value = answers.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def text_answer(answers: Mapping[str, AnswerValue], key: str) -> str | None:
    value = answers.get(key)
    return value if isinstance(value, str) else None


# ---- one event -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Turn(Generic[D]):
    """What one event works with: the interview data (answers change in place), the user's
    profile and the time."""

    data: D
    profile: Profile
    now: datetime


@dataclass(frozen=True)
class Problem:
    """Why an answer could not be used: a text key suffix, what was given, and details."""

    error: str
    text: str = ""
    details: Mapping[str, Any] = field(default_factory=dict)


# On entering a question that does not apply (or, when resuming, is answered already) the
# model moves on the way it was going.
_ONWARD = {
    "go_back": "pass_back",
    "pass_back": "pass_back",
    "resume": "pass_answered",
    "pass_answered": "pass_answered",
}


class _Model(Generic[D]):
    """What the shared machine drives for one event. Its callbacks are named in the machine's
    transitions and states; the replies they make are collected in `replies`."""

    state: str
    # Bound by the machine while the model is attached.
    trigger: Callable[..., bool]
    may_trigger: Callable[..., bool]

    def __init__(self, interview: Interview[D], turn: Turn[D], notes: Sequence[Reply]) -> None:
        self.interview = interview
        self.turn = turn
        self.replies = list(notes)
        self.problem: Problem | None = None
        self.value: Any = None
        self.readings: tuple[str, ...] = ()
        self.finished: Step | None = None

    @property
    def question(self) -> Question:
        return self.interview.question(self.state)

    @property
    def answers(self) -> AnswerMap:
        return self.turn.data.answers

    # Conditions.
    def applies(self, event: EventData) -> bool:
        return self.question.applies(self.answers)

    def still_open(self, event: EventData) -> bool:
        return self.question.applies(self.answers) and not self.question.answered(self.answers)

    def answer_is_valid(self, event: EventData) -> bool:
        return self.problem is None

    def answer_is_ambiguous(self, event: EventData) -> bool:
        return bool(self.readings)

    def has_previous(self, event: EventData) -> bool:
        return self.interview.previous(self.question, self.turn) is not None

    # Preparing and before-callbacks of transitions.
    def read_answer(self, event: EventData) -> None:
        text = str(event.kwargs.get("value", ""))
        profile = self.interview.reading_profile(self.turn)
        self.problem, self.value = self.interview.read(self.question, text, profile)
        if self.problem is not None and self.problem.error == parsing.AMBIGUOUS:
            self.readings = tuple(self.problem.details["readings"])

    def store_answer(self, event: EventData) -> None:
        self.interview.keep(self.question, self.answers, self.value)

    def store_skip(self, event: EventData) -> None:
        self.interview.keep(self.question, self.answers, None)

    def store_previous(self, event: EventData) -> None:
        remembered = self.interview.previous(self.question, self.turn)
        if remembered is not None:
            self.interview.keep_values(self.question, self.answers, remembered[0])

    def ask_which(self, event: EventData) -> None:
        self.turn.data.readings = self.readings
        self.replies.append(self.interview.which_reply(self.question, self.readings))

    def refuse_same(self, event: EventData) -> None:
        self.replies.append(self.interview.problem_reply(self.question, Problem("no_previous")))

    def explain_problem(self, event: EventData) -> None:
        if self.problem is not None:
            self.replies.append(self.interview.problem_reply(self.question, self.problem))

    def refuse_skip(self, event: EventData) -> None:
        self.replies.append(self.interview.problem_reply(self.question, Problem("cannot_skip")))

    def say_first_question(self, event: EventData) -> None:
        self.replies.append(Reply(f"{self.interview.name}.first_question"))

    # Entering states.
    def arrive(self, event: EventData) -> None:
        onward = _ONWARD.get(event.event.name, "pass_over")
        if self.may_trigger(onward):
            self.trigger(onward)
        else:
            self.replies.append(self.interview.prompt(self.state, self.turn))

    def conclude(self, event: EventData) -> None:
        self.finished = self.interview.finish(self.turn)


# ---- the interview -------------------------------------------------------------------------

PromptText = Callable[[Question, Turn[D]], tuple[str, dict[str, Any]]]


class Interview(Generic[D]):
    """An interview's questions, texts and finish, and the one machine that drives them.

    `prompt` gives a question's text key and values (the progress "number" and "total" are
    added); by default the key is "<name>.q.<question>". `buttons` gives a question's
    (label, value) buttons; typing a label counts as pressing it. `problem_values` gives the
    values of an error message about a question (what a good answer looks like).
    `remembered` gives a question's answer from last time, when there is one worth offering:
    its button reads `same_label` and stores those values unchanged. `which_labels` label
    the buttons of "did you mean ...?": the first for the most likely reading, the second for
    each other one. `reading_profile` gives the profile typed answers are read with (by default
    the user's own), for an interview whose earlier answers change how later ones read."""

    def __init__(
        self,
        name: str,
        questions: Sequence[Question],
        finish: Callable[[Turn[D]], Step],
        *,
        problem_values: Callable[[Question], dict[str, Any]],
        buttons: Callable[[Question, Turn[D]], Buttons] = lambda question, turn: (),
        prompt: PromptText[D] | None = None,
        skip_label: Label = SKIP_LABEL,
        remembered: Callable[[Question, Turn[D]], Remembered | None] | None = None,
        same_label: Label = SAME_LABEL,
        which_labels: tuple[Label, Label] = WHICH_LABELS,
        reading_profile: Callable[[Turn[D]], Profile] = lambda turn: turn.profile,
    ) -> None:
        if not questions:
            raise ValueError(f"interview {name} has no questions")
        self.name = name
        self.questions = tuple(questions)
        self.finish = finish
        self.problem_values = problem_values
        self.buttons = buttons
        self.prompt_text: PromptText[D] = prompt or (
            lambda question, turn: (f"{name}.q.{question.name}", {})
        )
        self._skip_label = skip_label
        self.remembered = remembered
        self._same_label = same_label
        self._which_labels = which_labels
        self.reading_profile = reading_profile
        self._by_name = {question.name: question for question in self.questions}
        if len(self._by_name) != len(self.questions) or DONE in self._by_name:
            raise ValueError(f"interview {name}: question names must be unique and not {DONE!r}")
        self.machine = self._build_machine()

    # The labels, read in the current language each time.
    @property
    def skip_label(self) -> str:
        return label_text(self._skip_label)

    @property
    def same_label(self) -> str:
        return label_text(self._same_label)

    @property
    def which_labels(self) -> tuple[str, str]:
        first, other = self._which_labels
        return label_text(first), label_text(other)

    def _build_machine(self) -> Machine:
        names = [question.name for question in self.questions]
        machine = Machine(
            model=None,
            states=[State(name, on_enter="arrive") for name in names]
            + [State(DONE, on_enter="conclude")],
            initial=names[0],
            send_event=True,
            auto_transitions=False,
            name=self.name,
        )
        for index, question in enumerate(self.questions):
            here = question.name
            onward = names[index + 1] if index + 1 < len(names) else DONE
            previous = names[index - 1] if index > 0 else None
            # Tried in order: a valid answer moves on, any other stays and says why.
            machine.add_transition(
                "answer",
                here,
                onward,
                prepare="read_answer",
                conditions="answer_is_valid",
                before="store_answer",
            )
            machine.add_transition(
                "answer", here, None, conditions="answer_is_ambiguous", before="ask_which"
            )
            machine.add_transition("answer", here, here, before="explain_problem")
            machine.add_transition(
                "same", here, onward, conditions="has_previous", before="store_previous"
            )
            machine.add_transition("same", here, here, before="refuse_same")
            if question.skippable:
                machine.add_transition("skip", here, onward, before="store_skip")
            else:
                machine.add_transition("skip", here, here, before="refuse_skip")
            if previous is None:
                machine.add_transition("go_back", here, here, before="say_first_question")
            else:
                machine.add_transition("go_back", here, previous)
                machine.add_transition("pass_back", here, previous, unless="applies")
            machine.add_transition("pass_over", here, onward, unless="applies")
            machine.add_transition("pass_answered", here, onward, unless="still_open")
            machine.add_transition("repeat", here, here)
        machine.add_transition("resume", names[0], names[0])
        return machine

    # ---- what the flows call ---------------------------------------------------------------

    def knows(self, state: str) -> bool:
        """Whether `state` is a question of this version (a stored one may not be)."""
        return state in self._by_name

    def question(self, state: str) -> Question:
        return self._by_name[state]

    def start(self, data: D, profile: Profile, now: datetime, before: Sequence[Reply] = ()) -> Step:
        """A new interview: the first question (which always applies)."""
        data.readings = ()
        step = self._fire(self.questions[0].name, Turn(data, profile, now), "repeat", before)
        step.restarted = True
        return step

    def ask(
        self, state: str, data: D, profile: Profile, now: datetime, before: Sequence[Reply] = ()
    ) -> Step:
        """The current question again, after `before`."""
        data.readings = ()
        if not self.knows(state):
            return self.recover(state, data, profile, now)
        return self._fire(state, Turn(data, profile, now), "repeat", before)

    def recover(self, state: str, data: D, profile: Profile, now: datetime) -> Step:
        """A state this version does not know (after a deploy): on at the first open question,
        answers kept, or the finish when none is open."""
        logger.warning("interview %s: unknown state %r, resuming", self.name, state)
        data.readings = ()
        step = self._fire(self.questions[0].name, Turn(data, profile, now), "resume")
        if step.state is not None:
            step.replies.insert(0, Reply(f"{self.name}.resumed"))
        return step

    def handle(self, state: str, data: D, event: Event, profile: Profile, now: datetime) -> Step:
        """One event at question `state`: an answer typed or tapped, skip, same as last time,
        /back, or anything else, which asks the question again. Right after "did you mean
        ...?" a typed yes, no or a reading chooses among the readings."""
        pending, data.readings = data.readings, ()
        if not self.knows(state):
            return self.recover(state, data, profile, now)
        turn = Turn(data, profile, now)
        if event.kind is EventKind.TEXT and pending:
            chosen = self.chosen_reading(event.text, pending) or self.reading_in_unit(
                self.question(state), event.text, pending, profile
            )
            if chosen is not None:
                return self._offer(state, turn, chosen)
        if event.kind is EventKind.COMMAND:
            return self._fire(state, turn, "go_back" if event.text == "back" else "repeat")
        if event.kind is EventKind.BUTTON:
            target, _, value = event.text.partition("=")
            if target != state:
                return self._fire(state, turn, "repeat", [Reply(f"{self.name}.old_question")])
            return self._offer(state, turn, value)
        if event.kind is EventKind.TEXT:
            return self._offer(state, turn, self.typed_value(state, turn, event.text))
        kind = event.text if event.text in MESSAGE_KINDS else "message"
        problem = Problem("not_text", details={"what": MESSAGE_KINDS[kind]})
        return self._fire(
            state, turn, "repeat", [self.problem_reply(self.question(state), problem)]
        )

    def applicable(self, answers: AnswerMap) -> list[Question]:
        return [question for question in self.questions if question.applies(answers)]

    def progress(self, state: str, answers: AnswerMap) -> tuple[int, int]:
        """(number, total): where `state` stands among the questions that apply now."""
        names = [question.name for question in self.applicable(answers)]
        number = names.index(state) + 1 if state in names else len(names)
        return number, len(names)

    # ---- what the machine's callbacks call ----------------------------------------------------

    def read(self, question: Question, text: str, profile: Profile) -> tuple[Problem | None, Any]:
        if len(text) > parsing.MAX_ANSWER_CHARS:
            return Problem("too_long", text, {"length": len(text)}), None
        parsed = question.parse(text, profile)
        if parsed.error == parsing.AMBIGUOUS and parsed.readings:
            return Problem(parsing.AMBIGUOUS, text, {"readings": parsed.readings}), None
        if not parsed.ok:
            return Problem(parsed.error or "not_a_choice", text), None
        return None, parsed.value

    def previous(self, question: Question, turn: Turn[D]) -> Remembered | None:
        return self.remembered(question, turn) if self.remembered is not None else None

    def keep_values(self, question: Question, answers: AnswerMap, values: AnswerMap) -> None:
        """Stores `values` as they are under the question's keys (an answer from last time)."""
        question.clear(answers)
        answers.update({key: values[key] for key in question.answer_keys if key in values})
        self._prune(answers)

    def keep(self, question: Question, answers: AnswerMap, value: Any) -> None:
        question.save(answers, value)
        self._prune(answers)

    def _prune(self, answers: AnswerMap) -> None:
        # Answers to questions that no longer apply (calf set length after "no calves")
        # would mislead whoever reads them, so they go.
        for other in self.questions:
            if not other.applies(answers):
                other.clear(answers)

    def which_labels_for(self, readings: Sequence[str]) -> list[str]:
        first, other = self.which_labels
        return [
            (first if index == 0 else other).format(reading=reading_label(reading))
            for index, reading in enumerate(readings)
        ]

    def which_reply(self, question: Question, readings: Sequence[str]) -> Reply:
        """ "Did you mean 4 months?" with a button for each reading, the likely one first."""
        choices = tuple(
            (Choice(label, f"{question.name}={reading}"),)
            for label, reading in zip(self.which_labels_for(readings), readings, strict=True)
        )
        return Reply(f"{self.name}.which", {"reading": reading_label(readings[0])}, choices=choices)

    def chosen_reading(self, text: str, readings: Sequence[str]) -> str | None:
        """The reading a typed reply to "did you mean ...?" picks: yes the first, no the
        other (of two), or a reading or its button label typed; None for anything else."""
        cleaned = parsing.normalise(text).strip(".!")
        said = parsing.parse_yes_no(cleaned)
        if said.ok:
            if said.value:
                return readings[0]
            return readings[1] if len(readings) == 2 else None
        labels = self.which_labels_for(readings)
        for reading, label in zip(readings, labels, strict=True):
            shown = reading_label(reading)
            if cleaned in {parsing.normalise(said) for said in (reading, shown, label)}:
                return reading
        return None

    def reading_in_unit(
        self, question: Question, text: str, readings: Sequence[str], profile: Profile
    ) -> str | None:
        """The reading a unit typed alone picks ("lb" or "pounds" after "did you mean 180
        kg?"): the one that means what the reading's number in that unit means."""
        if any(char.isdigit() for char in text) or len(text) > 40:
            return None
        number = readings[0].partition(" ")[0]
        meant = question.parse(f"{number} {parsing.normalise(text)}", profile)
        if not meant.ok:
            return None
        same = [reading for reading in readings if question.parse(reading, profile) == meant]
        return same[0] if len(same) == 1 else None

    def problem_reply(self, question: Question, problem: Problem) -> Reply:
        values = {**self.problem_values(question), "text": problem.text[:40], **problem.details}
        return Reply(f"{self.name}.error.{problem.error}", values)

    def prompt(self, state: str, turn: Turn[D]) -> Reply:
        question = self.question(state)
        number, total = self.progress(state, turn.data.answers)
        key, values = self.prompt_text(question, turn)
        buttons = [
            Choice(label, f"{question.name}={value}")
            for label, value in self.buttons(question, turn)
        ]
        keyboard = rows(buttons, question.per_row)
        remembered = self.previous(question, turn)
        if remembered is not None:
            label = self.same_label.format(answer=remembered[1])
            keyboard += ((Choice(label, f"{question.name}={SAME}"),),)
        if question.skippable:
            keyboard += ((Choice(self.skip_label, f"{question.name}={SKIP}"),),)
        return Reply(key, {"number": number, "total": total, **values}, choices=keyboard)

    def typed_value(self, state: str, turn: Turn[D], text: str) -> str:
        """A typed button label counts as pressing that button; skip words skip."""
        cleaned = parsing.normalise(text)
        if parsing.says_skip(text) or _plain(cleaned) == _plain(self.skip_label):
            return SKIP
        if self.remembered is not None and cleaned.strip(".!") in SAME_WORDS:
            return SAME
        remembered = self.previous(self.question(state), turn)
        if remembered is not None and cleaned == parsing.normalise(
            self.same_label.format(answer=remembered[1])
        ):
            return SAME
        buttons = self.buttons(self.question(state), turn)
        for label, value in buttons:
            if _plain(cleaned) == _plain(label):
                return value
        # A label's words before its explanation ("heavy basics" for "Heavy basics: squats,
        # deadlifts, leg press", "beginner" for "Beginner (under 1 year)"), when they name one
        # button only.
        named = [value for label, value in buttons if _plain(cleaned) == _plain(_headline(label))]
        return named[0] if len(named) == 1 else text

    # ---- firing ------------------------------------------------------------------------------

    def _offer(self, state: str, turn: Turn[D], value: str) -> Step:
        if value == SKIP:
            return self._fire(state, turn, "skip")
        if value == SAME and self.remembered is not None:
            return self._fire(state, turn, "same")
        return self._fire(state, turn, "answer", value=value)

    def _fire(
        self,
        state: str,
        turn: Turn[D],
        trigger: str,
        notes: Sequence[Reply] = (),
        **arguments: str,
    ) -> Step:
        model = _Model(self, turn, notes)
        with attached(self.machine, model, state):
            model.trigger(trigger, **arguments)
        if model.finished is not None:
            finished = model.finished
            finished.replies[:0] = model.replies
            return finished
        return Step(model.state, turn.data.to_json(), model.replies)
