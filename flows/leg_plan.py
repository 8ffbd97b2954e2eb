"""The /plan conversation: the proposed leg days, the weekday picker, reminder time and zone.

States are an enum and the transitions live in one shared `transitions` machine, as in the
assessment; a user's place is the stored state name plus JSON data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from transitions import EventData, Machine

from flows import parsing, zone_picker
from flows.core import (
    Attachment,
    Choice,
    Conversation,
    Event,
    EventKind,
    Profile,
    ProfilePart,
    Reply,
    Step,
    rows,
)
from flows.interview import MESSAGE_KINDS
from flows.machine import Model, fire, new_machine
from flows.places import zone_name
from flows.planning import (
    Lifter,
    Plan,
    check_weekdays,
    day_kind_for,
    lifter_from,
    propose_plan,
    start_shift,
    workout_on,
)
from flows.registry import Flow
from flows.rules import split_recommended
from flows.schedule import next_occurrence, parse_time_of_day_or_error
from flows.texts import plan as plan_texts
from flows.texts.common import REASK
from flows.texts.leg_plan import COMMANDS as LEG_PLAN_COMMANDS
from flows.texts.leg_plan import TEXTS as LEG_PLAN_TEXTS
from flows.texts.leg_plan import TITLE as LEG_PLAN_TITLE
from flows.texts.plan import TEXTS as PLAN_TEXTS
from flows.texts.plan import (
    WEEKDAY_FILLERS,
    WEEKDAY_WORDS,
    date_label,
    day_and_time,
    days_label,
    proposal,
    weekday_name,
    weekday_short,
)

if TYPE_CHECKING:
    from flows.effects import Effect

NAME = "plan"


class S(StrEnum):
    SHOW = "show"  # an existing plan, with what can be changed
    PROPOSE = "propose"  # the proposal made from the assessment
    PICK_DAYS = "pick_days"
    ASK_TIME = "ask_time"
    ASK_ZONE = "ask_zone"
    SAVED = "saved"


TIME_CHOICES = ("07:00", "12:00", "18:00", "20:00")
DEFAULT_TIME = "18:00"
ZONE_PROMPT = "zone.prompt"


@dataclass(frozen=True)
class SavePlan:
    """Effect: store the plan and (re)schedule its reminders. `scheme_shift` is set for a
    new plan only (its first week is week 1 of a block); None keeps the stored one."""

    split: bool
    weekdays: tuple[int, ...]
    reminder_time: str
    timezone: str
    experience: str
    explosive: bool
    scheme_shift: int | None = None


def _editing(event: EventData) -> bool:
    model: Model = event.model  # type: ignore[assignment]
    return bool(model.data.get("editing"))


def _build_machine() -> Machine:
    machine = new_machine(S, S.PROPOSE.value, send_event=True)
    add = machine.add_transition
    add("keep_days", S.PROPOSE.value, S.ASK_TIME.value)
    add("change_days", [S.PROPOSE.value, S.SHOW.value], S.PICK_DAYS.value)
    add("set_days", S.PICK_DAYS.value, S.SAVED.value, conditions=[_editing])
    add("set_days", S.PICK_DAYS.value, S.ASK_TIME.value)
    add("change_time", S.SHOW.value, S.ASK_TIME.value)
    add("set_time", S.ASK_TIME.value, S.SAVED.value, conditions=[_editing])
    add("set_time", S.ASK_TIME.value, S.ASK_ZONE.value)
    add("change_zone", S.SHOW.value, S.ASK_ZONE.value)
    add("set_zone", S.ASK_ZONE.value, S.SAVED.value)
    # /back: each step knows the one before it.
    add("go_back", S.ASK_TIME.value, S.PROPOSE.value, unless=[_editing])
    add("go_back", S.ASK_ZONE.value, S.ASK_TIME.value, unless=[_editing])
    add(
        "go_back",
        [S.PICK_DAYS.value, S.ASK_TIME.value, S.ASK_ZONE.value],
        S.SHOW.value,
        conditions=[_editing],
    )
    add("go_back", S.PICK_DAYS.value, S.PROPOSE.value)
    return machine


MACHINE = _build_machine()


def _text(key: str, **values: Any) -> str:
    template = LEG_PLAN_TEXTS.get(key) or PLAN_TEXTS[key]
    return template.format(**values)


# ---- what each state shows ------------------------------------------------------------------


def _has_plan(profile: Profile) -> bool:
    return bool(profile.plan_weekdays) and profile.plan_split is not None


def _next_reminder(data: dict[str, Any], now: datetime) -> str:
    due = next_occurrence(data["weekdays"], _time(data["time"]), data["zone"], now)
    local = due.astimezone(_zoneinfo(data["zone"]))
    return day_and_time(local.date(), f"{local:%H:%M}")


def _zoneinfo(zone: str) -> Any:
    from zoneinfo import ZoneInfo

    return ZoneInfo(zone)


def _time(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def _show(data: dict[str, Any], profile: Profile, now: datetime) -> Reply:
    plan = Plan(data["split"], tuple(data["weekdays"]))
    days_html = "\n".join(
        _text(
            "leg_plan.summary.day",
            day=weekday_name(day),
            title=plan_texts.WORKOUT_TITLES[day_kind_for(plan, day) or "full"],
        )
        for day in plan.weekdays
    )
    if profile.reminders_paused:
        reminders_html = _text("leg_plan.summary.reminders_paused")
    elif data.get("time"):
        reminders_html = _text(
            "leg_plan.summary.reminders_on",
            time=data["time"],
            next_reminder=_next_reminder(data, now),
        )
    else:
        reminders_html = _text("leg_plan.summary.no_time")
    choices = [
        Choice(_text("leg_plan.choice.days"), "plan=days"),
        Choice(_text("leg_plan.choice.time"), "plan=time"),
        Choice(_text("leg_plan.choice.zone"), "plan=zone"),
        Choice(_text("leg_plan.choice.workout"), "plan=workout"),
        Choice(_text("leg_plan.choice.calendar"), "go=calendar"),
    ]
    return Reply(
        "leg_plan.summary",
        {
            "days_html": days_html,
            "reminders_html": reminders_html,
            # "Berlin (UTC+1)", or "UTC+2" alone for a zone that is only an offset.
            "zone": zone_name(data["zone"], now),
        },
        choices=rows(choices, 2),
    )


def _propose(data: dict[str, Any]) -> Reply:
    key, values = proposal(data["weekdays"], data["split"])
    keep = (
        _text("plan.choice.keep")
        if data["split"]
        else _text("plan.choice.keep_one", day=weekday_name(data["weekdays"][0], capital=False))
    )
    return Reply(
        key,
        values,
        choices=((Choice(keep, "plan=keep"), Choice(_text("plan.choice.change"), "plan=days")),),
    )


def _picker(data: dict[str, Any]) -> Reply:
    picked = data.get("picked", [])
    buttons = [Choice(weekday_short(index), f"day={index}") for index in range(7)]
    keyboard = (tuple(buttons[:4]), tuple(buttons[4:]))
    if picked:
        day = weekday_name(picked[0], capital=False)
        return Reply("plan.picked_so_far", {"day": day}, choices=keyboard)
    return Reply("plan.pick_days" if data["split"] else "plan.pick_day", choices=keyboard)


def _ask_time(data: dict[str, Any]) -> Reply:
    choices = [Choice(label, f"time={label}") for label in TIME_CHOICES]
    return Reply("time.prompt", choices=rows(choices, 4))


def _ask_zone(data: dict[str, Any], profile: Profile) -> list[Reply]:
    return zone_picker.ask(ZONE_PROMPT, data.get("zone"))


def _prompt(state: str, data: dict[str, Any], profile: Profile, now: datetime) -> list[Reply]:
    if state == S.SHOW:
        return [_show(data, profile, now)]
    if state == S.PROPOSE:
        return [_propose(data)]
    if state == S.PICK_DAYS:
        return [_picker(data)]
    if state == S.ASK_TIME:
        return [_ask_time(data)]
    return _ask_zone(data, profile)


def _reask(state: str, data: dict[str, Any], profile: Profile, now: datetime) -> list[Reply]:
    """The open step after something else was answered in between: the plan's menu is still
    there above (its buttons work), so nothing; the proposal in one line; the other
    questions are short already."""
    if state == S.SHOW:
        return []
    if state == S.PROPOSE:
        return [
            Reply(
                "leg_plan.reask.propose",
                {"days": days_label(data["weekdays"])},
                choices=_propose(data).choices,
            )
        ]
    return _prompt(state, data, profile, now)


# States whose buttons are choices rather than a question with typed answers: a message
# that is none of them gets the buttons under the explanation, not the whole menu again.
_BUTTON_STATES = frozenset({S.SHOW.value, S.PROPOSE.value})


def _state_choices(
    state: str, data: dict[str, Any], profile: Profile, now: datetime
) -> tuple[tuple[Choice, ...], ...]:
    replies = _prompt(state, data, profile, now)
    return next((reply.choices for reply in replies if reply.choices), ())


# ---- the flow ---------------------------------------------------------------------------------


def start(profile: Profile, now: datetime) -> Step:
    if profile.latest_answers is None:
        choice = Choice(_text("leg_plan.choice.assess"), "go=assess")
        return Step(None, {}, [Reply("leg_plan.needs_assessment", choices=((choice,),))])
    answers = profile.latest_answers
    if _has_plan(profile):
        data = {
            "split": profile.plan_split,
            "weekdays": list(profile.plan_weekdays),
            "time": profile.reminder_time or DEFAULT_TIME,
            "zone": profile.timezone,
            "editing": True,
        }
        return Step(S.SHOW.value, data, [_show(data, profile, now)], restarted=True)
    split = split_recommended(answers)
    data = {
        "split": split,
        "weekdays": list(propose_plan(split).weekdays),
        "time": profile.reminder_time or DEFAULT_TIME,
        "zone": profile.timezone,
        "editing": False,
    }
    return Step(S.PROPOSE.value, data, [_propose(data)], restarted=True)


def handle(conversation: Conversation, event: Event, profile: Profile, now: datetime) -> Step:
    state = conversation.state
    data = dict(conversation.data)
    if state not in {s.value for s in S} or state == S.SAVED or "weekdays" not in data:
        return start(profile, now)  # unknown state after an update: begin again, safely

    if event.kind is EventKind.COMMAND:
        if event.text == "back":
            previous = fire(MACHINE, state, "go_back", data)
            if previous is None:
                return Step(
                    state, data, [Reply("leg_plan.first_step"), *_prompt(state, data, profile, now)]
                )
            data["picked"] = []
            return Step(previous, data, _prompt(previous, data, profile, now))
        if event.text == "plan":
            return start(profile, now)
        if event.text == REASK:
            return Step(state, data, _reask(state, data, profile, now))
        return Step(state, data, _prompt(state, data, profile, now))

    if event.kind is EventKind.TEXT and len(event.text) > parsing.MAX_ANSWER_CHARS:
        return _retry(state, data, profile, now, "leg_plan.too_long")

    if state == S.ASK_ZONE:
        answer = zone_picker.read(event, ZONE_PROMPT, data.get("zone"))
        if answer is not None:
            if answer.zone is None:
                return Step(state, data, answer.replies)
            return _set_zone(state, data, answer.zone, profile, now)

    if event.kind is EventKind.BUTTON:
        target, _, value = event.text.partition("=")
        return _on_button(state, data, target, value, profile, now)

    if event.kind is EventKind.TEXT:
        return _on_text(state, data, event.text, profile, now)

    what = MESSAGE_KINDS[event.text if event.text in MESSAGE_KINDS else "message"]
    return _retry(state, data, profile, now, "leg_plan.not_text", what=what)


def _example(state: str) -> str:
    return {
        S.ASK_TIME: _text("leg_plan.example.time"),
        S.ASK_ZONE: _text("leg_plan.example.zone"),
        S.PICK_DAYS: _text("leg_plan.example.days"),
    }.get(S(state), _text("leg_plan.example.choice"))


def _retry(
    state: str, data: dict[str, Any], profile: Profile, now: datetime, key: str, **values: Any
) -> Step:
    if state in _BUTTON_STATES:
        choices = _state_choices(state, data, profile, now)
        return Step(state, data, [Reply(key, {"example_html": _example(state), **values}, choices)])
    problem = Reply(key, {"example_html": _example(state), **values})
    return Step(state, data, [problem, *_prompt(state, data, profile, now)])


def _on_button(
    state: str, data: dict[str, Any], target: str, value: str, profile: Profile, now: datetime
) -> Step:
    if target == "plan" and value == "workout" and state == S.SHOW:
        return Step(state, data, [*_workouts(data, profile, now), _show(data, profile, now)])
    trigger = {
        ("plan", "keep"): "keep_days",
        ("plan", "days"): "change_days",
        ("plan", "time"): "change_time",
        ("plan", "zone"): "change_zone",
    }.get((target, value))
    if trigger is not None:
        new_state = fire(MACHINE, state, trigger, data)
        if new_state is not None:
            data["picked"] = []
            return Step(new_state, data, _prompt(new_state, data, profile, now))
    day = parsing.parse_index(value, 7)
    if target == "day" and state == S.PICK_DAYS and day is not None:
        return _pick(state, data, [day], profile, now, append=True)
    if target == "take" and state == S.PICK_DAYS:
        picked = (parsing.parse_index(part, 7) for part in value.split(","))
        days = [day for day in picked if day is not None]
        return _pick(state, data, days, profile, now, append=False)
    if target == "time" and state == S.ASK_TIME:
        return _on_text(state, data, value, profile, now)
    return Step(state, data, [Reply("leg_plan.old_button"), *_prompt(state, data, profile, now)])


def _on_text(state: str, data: dict[str, Any], text: str, profile: Profile, now: datetime) -> Step:
    if state == S.ASK_TIME:
        moment, error = parse_time_of_day_or_error(text)
        if moment is None:
            return Step(
                state,
                data,
                [Reply(f"time.{error or 'not_a_time'}", {"text": text[:40]}), _ask_time(data)],
            )
        data["time"] = f"{moment:%H:%M}"
        return _advance(state, data, "set_time", profile, now)
    if state == S.PICK_DAYS:
        days = _weekdays_in(text)
        if not days:
            return Step(
                state, data, [Reply("leg_plan.pick.not_a_day", {"text": text[:40]}), _picker(data)]
            )
        # One day typed is one day picked, as a tap on it would be; several replace the pick.
        return _pick(state, data, days, profile, now, append=len(days) == 1)
    return _on_menu_text(state, data, text, profile, now)


def _on_menu_text(
    state: str, data: dict[str, Any], text: str, profile: Profile, now: datetime
) -> Step:
    """In SHOW or PROPOSE typed text is a button's label (or the words that tell it from the
    others: «другие» for «Выбрать другие дни»), weekdays to take instead of the proposed or
    planned ones («пн и чт»), or not understood."""
    choices = [choice for row in _state_choices(state, data, profile, now) for choice in row]
    choice = _typed_choice(text, choices)
    if choice is not None:
        target, _, value = choice.value.partition("=")
        if choice.value == "go=calendar":  # the menu's command button, typed
            return Step(state, data, calendar(profile, now)[0])
        return _on_button(state, data, target, value, profile, now)
    days = _weekdays_in(text)
    picking = fire(MACHINE, state, "change_days", data) if days else None
    if picking is not None:
        return _pick(picking, data, days, profile, now, append=False)
    label = choices[0].label if choices else ""
    return _retry(state, data, profile, now, "leg_plan.not_understood", text=text[:40], label=label)


def _label_words(text: str) -> list[str]:
    """The words of a label or of what was typed, lower case, «ё» as «е», without marks."""
    return re.findall(r"[^\W_]+", text.lower().replace("ё", "е"))


def _same_word(typed: str, label: str) -> bool:
    """Whether a typed word is a word of a label, in another form too («другие», «других»)."""
    return typed == label or (len(typed) >= 5 and len(label) >= 5 and typed[:5] == label[:5])


def _typed_choice(text: str, choices: list[Choice]) -> Choice | None:
    """The choice whose label was typed; else the one choice whose label holds every word
    typed, when they are Russian («другие», «оставить»)."""
    typed = _label_words(text)
    for choice in choices:
        if _label_words(choice.label) == typed:
            return choice
    if not typed or not all(_CYRILLIC.fullmatch(word) for word in typed):
        return None
    holding = [
        choice
        for choice in choices
        if all(any(_same_word(word, said) for said in _label_words(choice.label)) for word in typed)
    ]
    return holding[0] if len(holding) == 1 else None


_CYRILLIC = re.compile("[а-я]+")


def _weekdays_in(text: str) -> list[int]:
    """The weekdays typed in `text` ("tue fri", "во вторник и пятницу"); none when a word
    is neither a weekday nor a word that goes between them."""
    words = re.findall(r"[^\W\d_]+", text.lower().replace("ё", "е"))
    days = [WEEKDAY_WORDS[word] for word in words if word in WEEKDAY_WORDS]
    unknown = [w for w in words if w not in WEEKDAY_WORDS and w not in WEEKDAY_FILLERS]
    return [] if unknown else days


def _pick(
    state: str,
    data: dict[str, Any],
    days: list[int],
    profile: Profile,
    now: datetime,
    *,
    append: bool,
) -> Step:
    chosen = [*data.get("picked", []), *days] if append else days
    wanted = 2 if data["split"] else 1
    if append and len(chosen) < wanted:
        data["picked"] = chosen
        return Step(state, data, [_picker(data)])
    data["picked"] = []
    check = check_weekdays(chosen, data["split"])
    if not check.ok:
        key, values = plan_texts.weekday_problem(chosen, check)
        suggestion = ",".join(str(day) for day in check.suggestion)
        take = Choice(
            _text("plan.choice.take", days=days_label(check.suggestion)), f"take={suggestion}"
        )
        return Step(state, data, [Reply(key, values, choices=((take,),)), _picker(data)])
    data["weekdays"] = list(chosen)
    return _advance(state, data, "set_days", profile, now)


def _set_zone(state: str, data: dict[str, Any], zone: str, profile: Profile, now: datetime) -> Step:
    data["zone"] = zone
    step = _advance(state, data, "set_zone", profile, now)
    step.replies.insert(0, zone_picker.confirmed(zone, now))
    return step


def _advance(
    state: str, data: dict[str, Any], trigger: str, profile: Profile, now: datetime
) -> Step:
    new_state = fire(MACHINE, state, trigger, data)
    if new_state is None:
        return Step(state, data, _prompt(state, data, profile, now))
    if new_state != S.SAVED:
        return Step(new_state, data, _prompt(new_state, data, profile, now))
    return _save(data, profile, now)


def _lifter(profile: Profile) -> Lifter:
    """Who the workouts are for, from the latest assessment: the one source of the chat, the
    reminder (through the saved plan) and the calendar."""
    return lifter_from(profile.latest_answers or {}, profile.latest_problem_ids)


def _leg_dates(data: dict[str, Any], now: datetime) -> list[date]:
    """The coming leg days of the plan in `data`, one per weekday, in the order they come."""
    reminder_time = _time(data.get("time") or DEFAULT_TIME)
    return sorted(
        next_occurrence((weekday,), reminder_time, data["zone"], now)
        .astimezone(_zoneinfo(data["zone"]))
        .date()
        for weekday in data["weekdays"]
    )


def _plan(data: dict[str, Any], profile: Profile, now: datetime) -> Plan:
    """The plan in `data` as its workouts are built: a saved plan keeps its rep-scheme
    place and deload; a new one starts week 1 of a block with its first leg day."""
    split, weekdays = bool(data["split"]), tuple(data["weekdays"])
    if _has_plan(profile):
        return Plan(split, weekdays, profile.plan_deload_from, profile.plan_scheme_shift)
    return Plan(split, weekdays, scheme_shift=start_shift(_leg_dates(data, now)[0]))


def _save(data: dict[str, Any], profile: Profile, now: datetime) -> Step:
    lifter = _lifter(profile)
    effect = SavePlan(
        split=bool(data["split"]),
        weekdays=tuple(data["weekdays"]),
        reminder_time=data["time"],
        timezone=data["zone"],
        experience=lifter.experience,
        explosive=lifter.form_ready,
        scheme_shift=None if _has_plan(profile) else _plan(data, profile, now).scheme_shift,
    )
    saved = Reply(
        "leg_plan.saved",
        {
            "days": days_label(data["weekdays"]),
            "time": data["time"],
            "zone": zone_name(data["zone"]),
            "next_reminder": _next_reminder(data, now),
        },
    )
    # The workouts come with a new plan or new days; a new time or zone changes none of them.
    same_days = _has_plan(profile) and (bool(data["split"]), tuple(data["weekdays"])) == (
        profile.plan_split,
        tuple(profile.plan_weekdays),
    )
    workouts = [] if same_days else _workouts(data, profile, now)
    return Step(None, {}, [saved, *workouts], [effect])


def _workouts(data: dict[str, Any], profile: Profile, now: datetime) -> list[Reply]:
    """The coming leg days in the order they come, each with its workout."""
    lifter = _lifter(profile)
    plan = _plan(data, profile, now)
    dates = _leg_dates(data, now)
    return [
        Reply(
            "plan.workout_preview" if index == 0 else "plan.workout_after",
            {
                "day": date_label(local_date),
                "workout_html": plan_texts.render_workout(
                    workout_on(plan, lifter, local_date), profile.weight_unit
                ),
            },
        )
        for index, local_date in enumerate(dates)
    ]


# ---- one-shot commands: they answer at once and leave any open conversation as it is -----


@dataclass(frozen=True)
class SetRemindersPaused:
    """Effect: pause or resume every reminder of the user."""

    paused: bool


def _saved_plan_data(profile: Profile) -> dict[str, Any] | None:
    if not _has_plan(profile) or not profile.reminder_time:
        return None
    return {
        "split": profile.plan_split,
        "weekdays": list(profile.plan_weekdays),
        "time": profile.reminder_time,
        "zone": profile.timezone,
    }


def pause(profile: Profile, now: datetime, args: str = "") -> tuple[list[Reply], list[Effect]]:
    if _saved_plan_data(profile) is None:
        return [Reply("reminders.none")], []
    if profile.reminders_paused:
        return [Reply("reminders.already_paused")], []
    return [Reply("reminders.paused")], [SetRemindersPaused(True)]


def resume(profile: Profile, now: datetime, args: str = "") -> tuple[list[Reply], list[Effect]]:
    data = _saved_plan_data(profile)
    if data is None:
        return [Reply("reminders.none")], []
    if not profile.reminders_paused:
        return [Reply("reminders.not_paused")], []
    return (
        [Reply("reminders.resumed", {"next_reminder": _next_reminder(data, now)})],
        [SetRemindersPaused(False)],
    )


def calendar(profile: Profile, now: datetime, args: str = "") -> tuple[list[Reply], list[Effect]]:
    from flows.calendar_file import leg_days_calendar

    data = _saved_plan_data(profile)
    if data is None:
        return [Reply("calendar.none")], []
    content = leg_days_calendar(
        _plan(data, profile, now),
        _time(data["time"]),
        data["zone"],
        _lifter(profile),
        profile.user_id,
        now,
        profile.weight_unit,
    )
    attachment = Attachment("leg-days.ics", content, "text/calendar")
    caption = Reply(
        "calendar.caption",
        {"time": data["time"], "zone": zone_name(data["zone"])},
        attachment=attachment,
    )
    return [caption], []


FLOW = Flow(
    NAME,
    LEG_PLAN_TITLE,
    LEG_PLAN_COMMANDS,
    LEG_PLAN_TEXTS,
    start,
    handle,
    needs=frozenset({ProfilePart.ASSESSMENT, ProfilePart.PLAN}),
    effects=(SavePlan, SetRemindersPaused),
    # The saved plan on show: nothing is half answered there, so nothing to come back to.
    idle_states=frozenset({S.SHOW.value}),
    answers={"calendar": calendar, "pause": pause, "resume": resume},
)
