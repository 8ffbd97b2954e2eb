"""The plan in Russian: the /plan conversation, the workouts of every scheme and level, the
leg-day reminder with its buttons and answers, and the time-zone question; and English as it
was."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from flows import i18n, registry
from flows import reminders as pure_reminders
from flows.core import Event, Profile, Reply
from flows.leg_plan import SavePlan
from flows.lifts import LiftSet
from flows.planning import (
    BLOCK_WEEKS,
    LEVELS,
    ROTATION_WEEKS,
    Lifter,
    Workout,
    build_workout,
    check_weekdays,
    deloaded,
)
from flows.schedule import parse_time_of_day_or_error
from flows.texts import plan as plan_texts
from flows.texts import reminders as reminder_texts
from flows.texts import render, render_key
from tests.flows.driver import Chat
from tests.flows.i18n_check import english_words

SPLITTER: dict[str, Any] = {
    "experience": "intermediate",
    "recovery": "good",
    "weight_kg": 82.0,
    "weight_unit": "kg",
    "form_checked": True,
    "chases_heavy": False,
}
BEGINNER: dict[str, Any] = {"experience": "beginner", "recovery": "good", "weight_kg": 70.0}
CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)


def planner(answers: dict[str, Any] | None = SPLITTER, **profile: Any) -> Chat:
    return Chat(Profile(user_id=3, latest_answers=answers, language="ru", **profile))


def shown(replies: list[Reply]) -> list[str]:
    """Everything a user sees of `replies`: each text and each button label, rendered in the
    current language."""
    seen = [render(reply) for reply in replies]
    seen += [choice.label for reply in replies for row in reply.choices for choice in row]
    seen += [str(reply.values["location_label"]) for reply in replies if reply.request_location]
    return seen


def assert_russian(replies: list[Reply]) -> None:
    assert replies
    for text in shown(replies):
        assert english_words(text) == [], text
        assert CYRILLIC.search(text) or re.fullmatch(r"[\d:]+|UTC", text), text


def test_a_split_plan_is_set_up_in_russian_from_the_proposal_to_the_workouts() -> None:
    chat = planner()
    with i18n.use("ru"):
        proposal = chat.command("plan")
        assert proposal[0].key == "plan.proposal.split"
        assert_russian(proposal)
        assert "<b>Вторник</b>: день А" in render(proposal[0])
        # A typed answer that is no button: the buttons are named in Russian.
        confused = chat.text("ну не знаю")
        assert confused[0].key == "leg_plan.not_understood"
        assert_russian(confused)
        assert "Оставить эти дни" in render(confused[0])
        picker = chat.press("plan=days")
        assert_russian(picker)
        assert [choice.label for row in picker[0].choices for choice in row] == [
            "Пн",
            "Вт",
            "Ср",
            "Чт",
            "Пт",
            "Сб",
            "Вс",
        ]
        first = chat.press("day=0")
        assert first[0].key == "plan.picked_so_far"
        assert_russian(first)
        adjacent = chat.press("day=1")
        assert adjacent[0].key == "plan.adjacent"
        assert_russian(adjacent)
        assert "<b>понедельник</b> и <b>вторник</b>" in render(adjacent[0])
        assert adjacent[0].choices[0][0].label == "Выбрать: понедельник и четверг"
        ask_time = chat.text("во вторник и пятницу")
        assert ask_time[0].key == "time.prompt"
        assert_russian(ask_time)
        for typed, error in (("25:00", "out_of_range"), ("завтра", "has_date"), ("скоро", "")):
            problem = chat.text(typed)
            assert problem[0].key == f"time.{error or 'not_a_time'}"
            assert_russian(problem)
        ask_zone = chat.text("в 7 вечера")
        assert [reply.key for reply in ask_zone] == ["zone.prompt", "zone.share_location"]
        assert_russian(ask_zone)
        sticker = chat.send(Event.other("sticker"))
        assert sticker[0].key == "leg_plan.not_text"
        assert "а стикер прочитать не могу" in render(sticker[0])
        assert_russian(sticker)
        saved = chat.press("zone=Europe/Moscow")
        assert_russian(saved)
    keys = [reply.key for reply in saved]
    assert keys == [
        "zone.confirmed",
        "leg_plan.saved",
        "plan.workout_preview",
        "plan.workout_after",
    ]
    [plan] = [effect for effect in chat.effects if isinstance(effect, SavePlan)]
    assert (plan.weekdays, plan.reminder_time, plan.timezone) == ((1, 4), "19:00", "Europe/Moscow")
    with i18n.use("ru"):
        text = render(saved[1])
        # NOW is Tuesday 17 November 2026, 12:30 in Moscow.
        assert "Дни ног: <b>вторник и пятница</b>, в <b>19:00</b>" in text
        assert "Следующее напоминание: <b>вторник, 17 ноября, 19:00</b>" in text
        assert "Ближайший день ног — <b>вторник, 17 ноября</b>" in render(saved[2])


def test_one_full_leg_day_is_offered_on_wednesday_and_chosen_by_typing() -> None:
    chat = planner(BEGINNER)
    with i18n.use("ru"):
        proposal = chat.command("plan")
        assert proposal[0].key == "plan.proposal.single"
        assert "в неделю</b>, в <b>среду</b>:" in render(proposal[0])
        assert proposal[0].choices[0][0].label == "Оставить: среда"
        assert_russian(proposal)
        chat.press("plan=days")
        two = chat.text("пн чт")
        assert two[0].key == "plan.wrong_count.single"
        assert_russian(two)
        unknown = chat.text("каждый день")
        assert unknown[0].key == "leg_plan.pick.not_a_day"
        assert_russian(unknown)
        assert chat.text("Суббота")[0].key == "time.prompt"
        zone = chat.text("7:30 утра")
        assert_russian(zone)
        assert_russian(chat.press("zone=Europe/Berlin"))
    [plan] = [effect for effect in chat.effects if isinstance(effect, SavePlan)]
    assert (plan.weekdays, plan.reminder_time) == ((5,), "07:30")


def test_the_saved_plan_its_workouts_pausing_and_the_calendar_in_russian() -> None:
    chat = planner(
        plan_weekdays=(1, 4), plan_split=True, reminder_time="18:30", timezone="Europe/Moscow"
    )
    with i18n.use("ru"):
        summary = chat.command("plan")
        assert summary[0].key == "leg_plan.summary"
        assert_russian(summary)
        assert "• <b>Вторник</b> — День А: квадрицепсы и икры" in render(summary[0])
        assert_russian(chat.press("plan=workout"))
        assert_russian(chat.text("Ближайшие тренировки"))
        assert_russian(chat.command("back"))
        assert_russian(chat.press("plan=time"))
        assert_russian(chat.command("back"))
        assert_russian(chat.press("plan=zone"))
        assert_russian(chat.text("x" * 5000))
        assert_russian(chat.command("back"))
        assert_russian(chat.press("plan=days"))
        assert_russian(chat.press("time=07:00"))  # a button of an earlier step
        for command in ("pause", "pause", "resume", "resume", "calendar"):
            assert_russian(chat.command(command))
        nothing = planner()
        for command in ("pause", "resume", "calendar"):
            assert_russian(nothing.command(command))
        assert_russian(planner(None).command("plan"))


def test_the_plans_commands_title_and_cancel_in_russian() -> None:
    with i18n.use("ru"):
        flow = registry.by_name("plan")
        assert flow is not None
        commands = (*flow.commands, *(one_shot.command for one_shot in flow.one_shots))
        assert {command.name for command in commands} == {"plan", "calendar", "pause", "resume"}
        titles = [command.title() for command in commands]
        title = registry.title_of(flow)
        for text in [
            *titles,
            render_key("paused", {"now": title[:1].upper() + title[1:], "what": title}),
            render_key("resumed", {"what": title}),
            render_key("cancelled.plan"),
        ]:
            assert english_words(text) == [], text


@pytest.mark.parametrize(
    ("chosen", "split", "key"),
    [
        ((0, 1), True, "plan.adjacent"),
        ((6, 0), True, "plan.adjacent_wrap"),
        ((2, 2), True, "plan.duplicate"),
        ((2,), True, "plan.wrong_count.split"),
        ((2, 4), False, "plan.wrong_count.single"),
        ((3, 3), False, "plan.wrong_count.single"),
    ],
)
def test_every_weekday_problem_reads_in_russian(
    chosen: tuple[int, ...], split: bool, key: str
) -> None:
    with i18n.use("ru"):
        found, values = plan_texts.weekday_problem(chosen, check_weekdays(chosen, split))
        assert found == key
        text = render_key(found, values)
        assert english_words(text) == [], text
        assert "Может, <b>" in text


def every_workout() -> Iterator[Workout]:
    """Each kind of day for each level, form checked or not, in every week of the scheme
    rotation, and each of those as a deload."""
    for kind in ("front", "back", "full"):
        for level in LEVELS:
            for ready in (True, False):
                for week in range(0, ROTATION_WEEKS, BLOCK_WEEKS):
                    workout = build_workout(kind, Lifter(level, ready), week)
                    yield workout
                    yield deloaded(workout)


def test_every_workout_and_reminder_reads_in_russian() -> None:
    schemes = set()
    with i18n.use("ru"):
        for workout in every_workout():
            schemes.add((workout.scheme, len(workout.giant_set)))
            for unit, step in (("kg", "добавь 2,5 кг"), ("lb", "добавь 5 фунт.")):
                text = plan_texts.render_reminder(workout, date(2026, 3, 3), unit)
                assert english_words(text) == [], text
                assert step in text
                assert text.startswith("🦵 <b>Сегодня день ног</b>, вторник, 3 марта.")
                for exercise in workout.exercises:
                    assert f"<b>{plan_texts.exercise_name(exercise.name)}</b>" in text
            if workout.deload:
                assert "Разгрузочная неделя" in text
            if workout.focus == "explosive":
                assert "поднимай вес быстро" in text
    assert {scheme for scheme, _ in schemes} == {"straight", "pyramid", "giant"}
    assert {("giant", 2), ("giant", 3)} <= schemes


def test_the_exercises_as_a_coach_names_them() -> None:
    with i18n.use("ru"):
        workout = build_workout("full", Lifter("intermediate", True), 0)
        text = plan_texts.render_workout(workout)
    assert "1. <b>Присед со штангой</b>: 4 × 6–8 повторений, тяжёлый вес" in text
    assert "<b>Румынская тяга</b>" in text and "<b>Подъёмы на носки стоя</b>" in text
    assert "⚡ Присед со штангой, жим ногами и румынская тяга: поднимай вес" in text
    assert "🔁 Всё, кроме базы (присед со штангой, жим ногами и румынская тяга)" in text


def test_counted_words_take_the_russian_form_of_their_number() -> None:
    with i18n.use("ru"):
        sets = [plan_texts.TIMED_SETS(count, seconds="40") for count in (1, 2, 5, 21)]
        rounds = [plan_texts.CHAINED_HEADINGS["giant"](count, exercises="3") for count in (1, 3)]
    assert [line.split(" примерно")[0] for line in sets] == [
        "1 подход",
        "2 подхода",
        "5 подходов",
        "21 подход",
    ]
    assert "1 круг (" in rounds[0] and "3 круга (" in rounds[1]


def test_weekdays_in_russian_and_as_before_in_english() -> None:
    with i18n.use("ru"):
        assert plan_texts.weekday_name(2) == "Среда"
        assert plan_texts.weekday_name(2, capital=False) == "среда"
        assert plan_texts.weekday_short(6) == "Вс"
        assert plan_texts.WEEKDAY_NAMES[1] == "Вторник" and len(plan_texts.WEEKDAY_NAMES) == 7
        assert plan_texts.days_label([0, 3]) == "понедельник и четверг"
        on_days = [plan_texts.on_weekday_html(day) for day in range(7)]
        assert on_days[1] == "во <b>вторник</b>" and on_days[4] == "в <b>пятницу</b>"
        assert plan_texts.date_label(date(2026, 3, 3)) == "вторник, 3 марта"
    assert plan_texts.weekday_name(2) == "Wednesday" and plan_texts.weekday_short(6) == "Sun"
    assert list(plan_texts.WEEKDAY_NAMES[:2]) == ["Monday", "Tuesday"]
    assert plan_texts.days_label([0, 3]) == "Monday and Thursday"
    assert plan_texts.on_weekday_html(1) == "on <b>Tuesday</b>"
    assert plan_texts.date_label(date(2026, 3, 3)) == "Tuesday 3 March"
    assert plan_texts.day_and_time(date(2026, 3, 3), "18:30") == "Tuesday 3 March, 18:30"


def test_english_workouts_read_as_before() -> None:
    text = plan_texts.render_workout(build_workout("full", Lifter("intermediate", True), 8))
    assert "<i>Giant sets, week 1 of 4 of this block: the compound lifts first" in text
    assert "1. <b>Barbell back squat</b>: 4 × 6-8 reps, heavy" in text
    assert "⚡ Barbell back squat, leg press and Romanian deadlift: drive the weight up" in text
    assert "🔁 Everything but the basics (barbell back squat, leg press and Romanian" in text
    assert "<b>Giant set</b>: these 3 back to back, 3 rounds (they count as sets):" in text
    assert "about 40 s, slow and to a full stretch" in text
    key, values = plan_texts.proposal((2,), split=False)
    assert render_key(key, values).startswith(
        "<b>Your leg plan: one full leg day a week</b>, on <b>Wednesday</b>: front thigh"
    )


@pytest.mark.parametrize(
    ("typed", "weekdays"),
    [("вт пт", [1, 4]), ("Понедельник и четверг", [0, 3]), ("по средам и субботам", [2, 5])],
)
def test_days_can_be_typed_in_russian(typed: str, weekdays: list[int]) -> None:
    chat = planner()
    with i18n.use("ru"):
        chat.command("plan")
        chat.press("plan=days")
        assert chat.text(typed)[0].key == "time.prompt"
    assert chat.conversation is not None and chat.conversation.data["weekdays"] == weekdays


@pytest.mark.parametrize(
    ("typed", "hour", "minute"),
    [
        ("в 18:30", 18, 30),
        ("7 утра", 7, 0),
        ("6 вечера", 18, 0),
        ("12 ночи", 0, 0),
        ("в 11 ночи", 23, 0),
        ("2 ночи", 2, 0),
        ("18 ч", 18, 0),
        ("18ч30", 18, 30),
        ("19 ч 30 мин", 19, 30),
        ("7 часов 30 минут", 7, 30),
        ("в 7 часов утра", 7, 0),
        ("полдень", 12, 0),
    ],
)
def test_times_can_be_typed_in_russian(typed: str, hour: int, minute: int) -> None:
    moment, error = parse_time_of_day_or_error(typed)
    assert error is None and moment is not None
    assert (moment.hour, moment.minute) == (hour, minute)


def test_a_russian_time_with_a_day_is_refused_as_having_a_date() -> None:
    assert parse_time_of_day_or_error("завтра в 18") == (None, "has_date")
    assert parse_time_of_day_or_error("по вторникам в 7") == (None, "has_date")


def test_the_reminder_its_buttons_and_every_answer_in_russian() -> None:
    with i18n.use("ru"):
        message = pure_reminders.leg_day_message(
            7, date(2026, 11, 17), True, (1, 4), "advanced", True
        )
        assert english_words(message.text_html) == [], message.text_html
        labels = [choice.label for row in message.choices for choice in row]
        assert labels == ["✅ Сделано", "⏰ Напомнить через 1 ч", "Пропустить"]
        [[log]] = pure_reminders.log_offer_choices(date(2026, 11, 17))
        texts = [log.label, render_key("reminder.log_offer")]
        for action in (*pure_reminders.ACTIONS, "nonsense"):
            for answered in (None, "done", "skipped", "snoozed"):
                for paused in (False, True):
                    for same_day in (False, True):
                        decision = pure_reminders.decide(action, answered, paused, same_day)
                        texts.append(reminder_texts.render(decision.key, {"time": "19:30"}))
        for text in texts:
            assert english_words(text) == [], text
        # The answer names the buttons as they read.
        too_late = render_key("reminder.answer.too_late_to_snooze")
        assert f"«{labels[0].removeprefix('✅ ')}» или «{labels[2]}»" in too_late


def test_the_reminders_aim_shows_the_weight_as_russian_writes_it() -> None:
    last = LiftSet(day=date(2026, 11, 10), lift="back_squat", weight_kg=100.0, reps=8)
    with i18n.use("ru"):
        message = pure_reminders.leg_day_message(
            7, date(2026, 11, 17), True, (1, 4), "advanced", True, "kg", [last]
        )
    assert english_words(message.text_html) == [], message.text_html
    assert "сегодня 102,5 кг" in message.text_html
    with i18n.use("ru"):
        pounds = pure_reminders.leg_day_message(
            7, date(2026, 11, 17), True, (1, 4), "advanced", True, "lb", [last]
        )
    assert english_words(pounds.text_html) == [], pounds.text_html
    # 100 kg is 220.5 lb: the aim is the nearest plate weight, one step on.
    assert "сегодня 225 фунт." in pounds.text_html and "добавь 5 фунт." in pounds.text_html
    english = pure_reminders.leg_day_message(
        7, date(2026, 11, 17), True, (1, 4), "advanced", True, "kg", [last]
    )
    assert "102.5 kg" in english.text_html


def test_the_time_zone_question_in_russian() -> None:
    chat = planner()
    with i18n.use("ru"):
        chat.command("plan")
        chat.press("plan=keep")
        chat.text("18:00")
        for event in (
            Event.typed("Нигдебург"),
            Event.location(0.0, -30.0),
            Event.location(123.0, 456.0),
            Event.other("photo"),
        ):
            replies = chat.send(event)
            assert_russian(replies)
        confirmed = chat.send(Event.location(55.75, 37.62))
        assert confirmed[0].key == "zone.confirmed"
        assert_russian(confirmed)
        assert "Часовой пояс: <b>Москва</b>, сейчас UTC+3." in render(confirmed[0])
