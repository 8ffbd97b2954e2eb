"""Progress in Russian: check-in feedback, streaks, period summaries, the re-assessment
change, the legs-catching-up view, its one-tap accept and the chart words, from realistic
check-ins, logged sets and tape measurements; no English word left, counted things in the
right Russian form (1 день, 2 дня, 5 дней, 21 день), and the English output unchanged."""

from __future__ import annotations

import itertools
import random
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from flows import catching_up, i18n
from flows.catching_up import Context, PlanState, Proposal, propose, trend, weekly
from flows.core import Event, Profile, Reply
from flows.lifts import BENCH, LEG_PRESS, SQUAT, LiftSet, Measurement
from flows.progress import CheckinDay, Streaks, compare_assessments, feedback, summarize
from flows.texts import catching_up as lag_texts
from flows.texts import progress as texts
from flows.texts import render
from tests.flows.driver import Chat
from tests.flows.i18n_check import english_words

TODAY = date(2026, 3, 29)  # a Sunday, the weekly summary's day
NOW = datetime(2026, 3, 29, 18, 0, tzinfo=UTC)
FIRST = TODAY - timedelta(days=7 * 11 + 6)  # the first day of the twelve weeks
MON, TUE, WED, THU, FRI, SAT, SUN = range(7)
MODULES = ("flows.texts.progress", "flows.texts.catching_up")
PREFIXES = ("progress_", "progress.", "catching_up.")
LEVELS = ["low", "moderate", "high"]
# CLDR date patterns: letters by design, not words.
PATTERNS = {"progress.date.short", "catching_up.deload_date"}


@pytest.fixture
def russian() -> Iterator[None]:
    with i18n.use("ru"):
        yield


def no_english(text: str) -> str:
    """`text`, after checking that a Russian reader meets no English in it: no Latin
    words, no decimal point, no unfilled placeholder."""
    assert english_words(text) == [], text
    assert re.search(r"\d\.\d", text) is None, text
    assert "{" not in text and "}" not in text, text
    return text


# ---- check-ins -------------------------------------------------------------------------------


def lifter_month(seed: int, first: date, days: int) -> list[CheckinDay]:
    """A lifter's check-ins: most evenings, each answer usually given, as people answer."""
    chance = random.Random(seed)

    def sometimes(value: Any, given: float = 0.8) -> Any:
        return value if chance.random() < given else None

    found = []
    for offset in range(days):
        if chance.random() < 0.25:
            continue  # a forgotten evening
        grams = chance.random() < 0.5
        found.append(
            CheckinDay(
                first + timedelta(days=offset),
                sleep_hours=sometimes(chance.choice([5.5, 6.25, 6.5, 7.0, 7.5, 8.0, 8.5, 9.0])),
                protein_g=sometimes(chance.randrange(90, 230, 5)),
                carbs_g=sometimes(float(chance.randrange(120, 420, 10))) if grams else None,
                carbs_level=None if grams else sometimes(chance.choice(LEVELS)),
                cardio_minutes=sometimes(chance.choice([0, 15, 20, 30, 45, 60, 75])),
                cardio_kind=sometimes(chance.choice(["steady", "intervals"])),
                leg_day=sometimes(chance.choice(["done", "done", "skipped", "rest"]), 0.6),
            )
        )
    return found


@pytest.mark.usefixtures("russian")
@pytest.mark.parametrize("seed", range(30))
def test_summaries_of_a_month_of_check_ins_are_all_russian(seed: int) -> None:
    chance = random.Random(seed)
    period = chance.choice([7, 30])
    end = TODAY + timedelta(days=chance.randrange(0, 40))
    start = end - timedelta(days=period - 1)
    checkins = lifter_month(seed, start - timedelta(days=10), period + 10)
    summary = summarize(
        checkins,
        start,
        end,
        sorted(chance.sample(range(7), chance.randrange(0, 4))),
        chance.choice([None, 176.0]),
        sleep_target_h=chance.choice([8.0, 8.5]),
        carbs_min_g=chance.choice([None, 250.0]),
        plan_start=chance.choice([None, start - timedelta(days=3), start + timedelta(days=4)]),
        reminder_marks={start + timedelta(days=2): "done", start + timedelta(days=5): "skipped"},
    )
    for unit in ("kg", "lb"):
        text = no_english(texts.render_summary(summary, period, unit))
        assert f"<b>Последние {period} дней</b>" in text


@pytest.mark.usefixtures("russian")
def test_an_empty_period_and_no_check_ins_yet_are_russian() -> None:
    summary = summarize(
        [CheckinDay(TODAY - timedelta(days=20))], TODAY - timedelta(6), TODAY, [MON], 176
    )
    text = no_english(texts.render_summary(summary, 7))
    assert "С 23 мар. по 29 мар. отчётов нет." in text
    no_english(texts.render_no_checkins(True))
    assert "/start" in no_english(texts.render_no_checkins(False))


def feedback_days() -> Iterator[tuple[CheckinDay, list[CheckinDay], bool]]:
    """Check-ins that reach every line and every tip, with the evenings before them."""
    chance = random.Random(7)
    for n in range(120):
        day = TODAY - timedelta(days=n % 9)
        checkin = CheckinDay(
            day,
            sleep_hours=chance.choice([None, 5.0, 6.5, 7.25, 8.0, 9.0]),
            protein_g=chance.choice([None, 95.0, 140.0, 162.0, 175.8, 200.0]),
            carbs_g=chance.choice([None, 150.0, 320.0]),
            carbs_level=chance.choice([None, "low", "moderate", "high"]),
            cardio_minutes=chance.choice([None, 0, 20, 50, 90]),
            cardio_kind=chance.choice([None, "steady", "intervals"]),
            leg_day=chance.choice([None, "done", "skipped", "rest"]),
        )
        recent = [
            CheckinDay(
                day - timedelta(days=back),
                sleep_hours=chance.choice([6.0, 8.0]),
                cardio_minutes=40,
                cardio_kind="steady",
            )
            for back in (1, 2, 3)
        ]
        yield checkin, recent, n % 2 == 0


@pytest.mark.usefixtures("russian")
def test_every_check_in_reply_is_russian() -> None:
    tips = set()
    for checkin, recent, leg_day_tomorrow in feedback_days():
        for targets in ((176.0, 250.0), (None, None)):
            result = feedback(
                checkin,
                protein_target_g=targets[0],
                carbs_min_g=targets[1],
                recent=recent,
                tomorrow_is_leg_day=leg_day_tomorrow,
            )
            tips.add(result.tip.key)
            text = no_english(texts.render_feedback(result, Streaks(3, 1)))
            assert "<b>На завтра:</b>" in text
    # Every tip of flows.progress was met on the way.
    assert tips == {key for key in texts.TEXTS if key.startswith("progress_tip_")} - {
        "progress_tip_title"
    }


@pytest.mark.usefixtures("russian")
def test_a_check_in_reply_in_russian_reads_as_it_should() -> None:
    monday = date(2026, 3, 23)
    checkin = CheckinDay(monday, sleep_hours=6.5, protein_g=140.0, carbs_level="moderate")
    result = feedback(checkin, protein_target_g=176.0, recent=[], tomorrow_is_leg_day=False)
    text = texts.render_feedback(result, Streaks(checkin_days=5, leg_days=2))
    assert "😴 Сон 6,5 ч: меньше 8 ч" in text
    assert "🍗 Белок 140 г из 176 г: не хватает 36 г." in text
    assert "🍞 Углеводы: в меру." in text
    assert "<b>На завтра:</b> белка не хватило 36 г. Добавь два протеиновых коктейля" in text
    assert "🔥 5 дней подряд с отчётом · 🦵 2 дня ног подряд по плану" in text


@pytest.mark.usefixtures("russian")
@pytest.mark.parametrize(
    ("count", "days", "leg_days"),
    [
        (1, "1 день", "1 день ног"),
        (2, "2 дня", "2 дня ног"),
        (5, "5 дней", "5 дней ног"),
        (21, "21 день", "21 день ног"),
    ],
)
def test_streaks_count_days_and_leg_days_in_russian(count: int, days: str, leg_days: str) -> None:
    result = feedback(CheckinDay(TODAY, sleep_hours=8.0), protein_target_g=None, recent=[])
    text = texts.render_feedback(result, Streaks(checkin_days=count, leg_days=count))
    assert f"🔥 {days} подряд с отчётом · 🦵 {leg_days} подряд по плану" in text
    # And in a summary ending today, with the check-ins that make the streaks.
    checkins = [CheckinDay(TODAY - timedelta(days=n), leg_day="done") for n in range(count)]
    summary = summarize(checkins, TODAY - timedelta(days=29), TODAY, range(7), None)
    line = no_english(texts.render_summary(summary, 30)).splitlines()[-1]
    assert line == f"🔥 <b>Серии</b>: {days} подряд с отчётом, {leg_days} подряд по плану."


def month_with(count: int, **answer: object) -> list[CheckinDay]:
    """The last 30 days with `answer` given on `count` of them."""
    return [CheckinDay(TODAY - timedelta(days=n), **answer) for n in range(count)]  # type: ignore[arg-type]


@pytest.mark.usefixtures("russian")
@pytest.mark.parametrize(
    ("count", "nights", "every_night", "checked_in", "days"),
    [
        (1, "1 ночь", "в норме", "Отчёты: 1 из 30 дней.", "1 день"),
        (2, "2 ночи", "обе ночи в норме", "Отчёты: 2 из 30 дней.", "2 дня"),
        (5, "5 ночей", "все 5 ночей в норме", "Отчёты: 5 из 30 дней.", "5 дней"),
        (21, "21 ночь", "все 21 ночь в норме", "Отчёты: 21 из 30 дней.", "21 день"),
    ],
)
def test_summary_counts_nights_and_days_in_russian(
    count: int, nights: str, every_night: str, checked_in: str, days: str
) -> None:
    start = TODAY - timedelta(days=29)
    sleep = summarize(month_with(count, sleep_hours=8.5), start, TODAY, [], None)
    text = no_english(texts.render_summary(sleep, 30))
    assert checked_in in text.splitlines()
    assert (
        f"😴 <b>Сон</b>: в среднем 8,5 ч за ночь, по данным за {nights} (цель 8 ч), "
        f"{every_night}." in text.splitlines()
    )
    cardio = summarize(
        month_with(count, cardio_minutes=30, cardio_kind="intervals"), start, TODAY, [], None
    )
    total = 30 * count
    assert (
        f"🏃 <b>Кардио</b>: {i18n.number(total)} мин за {days}, только интервалы."
        in no_english(texts.render_summary(cardio, 30)).splitlines()
    )
    protein = summarize(month_with(count, protein_g=150.0), start, TODAY, [], None)
    assert (
        f"🍗 <b>Белок</b>: в среднем 150 г в день за {days}."
        in no_english(texts.render_summary(protein, 30)).splitlines()
    )


@pytest.mark.usefixtures("russian")
@pytest.mark.parametrize(
    ("period", "title"),
    [
        (1, "<b>Последний 1 день</b>"),
        (2, "<b>Последние 2 дня</b>"),
        (5, "<b>Последние 5 дней</b>"),
        (21, "<b>Последний 21 день</b>"),
    ],
)
def test_summary_title_counts_the_days_of_the_period(period: int, title: str) -> None:
    start = TODAY - timedelta(days=period - 1)
    summary = summarize(month_with(period, sleep_hours=7.0), start, TODAY, [], None)
    text = no_english(texts.render_summary(summary, period))
    assert text.startswith(f"{title} (")
    assert "Отчёты за все" in text


@pytest.mark.usefixtures("russian")
def test_leg_days_planned_and_marked_in_russian() -> None:
    week = [TODAY - timedelta(days=6 - n) for n in range(7)]  # Monday 23 .. Sunday 29 March
    marks = {week[MON]: "done", week[THU]: "skipped", week[SAT]: "rest", week[TUE]: "done"}
    checkins = [CheckinDay(day, sleep_hours=8.0, leg_day=marks.get(day)) for day in week]
    summary = summarize(checkins, week[0], TODAY, [MON, THU, FRI, SAT], None)
    text = no_english(texts.render_summary(summary, 7))
    assert (
        "🦵 <b>Дни ног</b>: по плану 4: сделано 1, пропущено 1, заменено отдыхом 1, "
        "без отметки 1, плюс 1 сверх плана." in text.splitlines()
    )
    all_done = [CheckinDay(day, leg_day="done") for day in (week[MON], week[THU], week[SAT])]
    summary = summarize(all_done, week[0], TODAY, [MON, THU, SAT], None)
    assert "🦵 <b>Дни ног</b>: по плану 3, все сделаны." in texts.render_summary(summary, 7)


@pytest.mark.usefixtures("russian")
def test_the_reassessment_change_is_russian() -> None:
    titles = {"sleep": "Мало сна", "protein": "Мало белка", "carbs": "Мало углеводов"}
    for previous, current in (
        ([], []),
        (["sleep"], ["sleep"]),
        (["sleep"], []),
        (["sleep", "protein"], ["protein", "carbs"]),
    ):
        text = texts.render_assessment_change(
            compare_assessments(previous, current), titles.__getitem__
        )
        no_english(text)


# ---- legs catching up ------------------------------------------------------------------------


def week_day(week: int, weekday: int = WED) -> date:
    return FIRST + timedelta(days=7 * week + weekday)


BENCH_SET = LiftSet(FIRST, BENCH, 100.0, 1, source="assessment")


def squats(*per_week: float | None, reps: int = 5) -> list[LiftSet]:
    """A top set of squats a week, as /log stores it."""
    return [
        LiftSet(week_day(week), SQUAT, weight, reps)
        for week, weight in enumerate(per_week)
        if weight is not None
    ]


HISTORIES = {
    "closing": [BENCH_SET, *squats(80, 82.5, 85, 87.5, 90, 92.5, 95, 97.5, 100, 102.5, 105, 107.5)],
    "stalled": [BENCH_SET, *squats(80, 82.5, 85, 87.5, 90, 90, 90, 87.5, 90, 87.5, 90, 90)],
    "slow": [BENCH_SET, *squats(78, 78, 78.5, 78.5, 79, 79, 79, 79.5, 79.5, 80, 80, 80.5)],
    "balanced": [
        BENCH_SET,
        *squats(105, 106, 107.5, 108, 110, 110, 111, 112.5, 113, 114, 115, 116),
    ],
    "ahead": [
        BENCH_SET,
        *squats(125, 127.5, 130, 132.5, 135, 137.5, 140, 142.5, 145, 147.5, 150, 152.5),
    ],
    "two weeks": [BENCH_SET, *squats(*([None] * 10), 95, 97.5)],
    "one week": [BENCH_SET, LiftSet(week_day(11, MON), SQUAT, 95.0, 3, source="assessment")],
    "no bench": squats(80, 82.5, 85, 87.5, 90, 92.5, 95, 97.5, 100, 102.5, 105, 107.5),
    "nothing": [],
    "leg press stalled": [
        BENCH_SET,
        *[LiftSet(week_day(week), LEG_PRESS, 200.0, 10) for week in range(12)],
        *squats(80, None, 85, None, 87.5, None, 90, None, 90, None, 90, None),
    ],
}
TAPE = [
    Measurement(week_day(1), 80.0, thigh_cm=56.0, calf_cm=37.0, arm_cm=38.0),
    Measurement(week_day(6), None, thigh_cm=57.0, calf_cm=37.5, arm_cm=38.6),
    Measurement(week_day(10), 81.0, thigh_cm=57.5, calf_cm=37.0, arm_cm=39.5),
]


def protein(grams: float) -> tuple[CheckinDay, ...]:
    return tuple(CheckinDay(TODAY - timedelta(days=n), protein_g=grams) for n in range(10))


CONTEXTS = [
    Context(protein(140.0), 180.0, "advanced", plan=PlanState(False, (WED,))),
    Context(protein(185.0), 180.0, "intermediate", plan=PlanState(False, (WED,))),
    Context(protein(185.0), 180.0, "advanced", plan=PlanState(True, (TUE, FRI))),
    Context(
        (),
        None,
        "advanced",
        True,
        PlanState(True, (TUE, FRI), deload_from=TODAY - timedelta(weeks=3), scheme_shift=1),
    ),
    Context(),
]


def views() -> Iterator[catching_up.View]:
    for sets, context, tape in itertools.product(HISTORIES.values(), CONTEXTS, ([], TAPE)):
        weeks = weekly(sets, tape, TODAY)
        found = trend(weeks, sets, TODAY, tape)
        yield catching_up.View(weeks, found, propose(found, context, TODAY))


@pytest.mark.usefixtures("russian")
def test_every_catching_up_view_is_russian() -> None:
    states, changes = set(), set()
    for view in views():
        states.add(view.trend.state)
        for unit in ("kg", "lb"):
            no_english(lag_texts.render_view(view, unit))
            for with_proposal, compact in itertools.product((True, False), repeat=2):
                no_english(
                    lag_texts.render_summary_part(
                        view, unit, with_proposal=with_proposal, compact=compact
                    )
                )
        if view.proposal is not None:
            changes.add(view.proposal.change)
            no_english(lag_texts.accept_label(view.proposal))
    assert states == {
        "no_squat", "no_bench", "not_enough", "closing", "not_closing", "balanced", "ahead"
    }  # fmt: skip
    assert changes == {"protein", "split", "deload", "scheme"}


@pytest.mark.usefixtures("russian")
def test_the_view_in_russian_reads_as_it_should() -> None:
    sets, tape = HISTORIES["stalled"], TAPE
    weeks = weekly(sets, tape, TODAY)
    found = trend(weeks, sets, TODAY, tape)
    view = catching_up.View(weeks, found, propose(found, CONTEXTS[1], TODAY))
    text = lag_texts.render_view(view)
    assert text.startswith("🦵 <b>Ноги догоняют</b>: последние 12 недель\n")
    assert "Расчётный 1ПМ: присед 92,5 кг → 105 кг, жим лёжа 100 кг" in text
    assert "за 11 недель изменилось с 0,93 до 1,05" in text
    assert "⚠️ Твой присед не растёт уже три недели" in text
    assert "📏 С 14 янв.: бедро +1,5 см, икра ±0 см, плечо +1,5 см" in text
    assert "среда — квадрицепсы и икры, суббота — бицепс бедра" in text
    in_pounds = lag_texts.render_view(view, "lb")
    assert "присед 205 фунт. → 230 фунт., жим лёжа 220 фунт." in in_pounds
    assert "бедро +0,6 дюйм., икра ±0 дюйм., плечо +0,6 дюйм." in in_pounds


@pytest.mark.usefixtures("russian")
@pytest.mark.parametrize(
    ("count", "title", "weeks", "months"),
    [
        (1, "последняя 1 неделя", "1 неделю", "1 месяц"),
        (2, "последние 2 недели", "2 недели", "2 месяца"),
        (5, "последние 5 недель", "5 недель", "5 месяцев"),
        (21, "последняя 21 неделя", "21 неделю", "21 месяц"),
    ],
)
def test_weeks_and_months_in_russian(count: int, title: str, weeks: str, months: str) -> None:
    sets = [BENCH_SET, *squats(*[80 + 2.5 * n for n in range(12)])]
    view = catching_up.View(
        weekly(sets, [], TODAY, weeks=count), trend(weekly(sets, [], TODAY), sets, TODAY), None
    )
    assert lag_texts.render_view(view).startswith(f"🦵 <b>Ноги догоняют</b>: {title}\n")
    assert lag_texts.WEEKS(count) == weeks and lag_texts.MONTHS(count) == months
    # The time to balance: in weeks under nine, else in months.
    assert lag_texts.eta_text(5) == "5 недель" and lag_texts.eta_text(22) == "5 месяцев"
    assert lag_texts.eta_text(91) == "21 месяц"


@pytest.mark.usefixtures("russian")
@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("two weeks", "ещё после одной тренировки ног"),
        ("one week", "ещё после двух тренировок ног"),
        ("nothing", "после каждой из следующих трёх тренировок ног"),
    ],
)
def test_leg_days_still_needed_in_russian(name: str, text: str) -> None:
    sets = HISTORIES[name]
    found = trend(weekly(sets, [], TODAY), sets, TODAY)
    assert text in no_english(lag_texts.verdict_text(found))


CHART_VALUES = {
    "start": "23 мар.",
    "end": "29 мар.",
    "value": "8",
    "unit": "ч",
    "day": "25 мар.",
    "low": "1,25",
    "high": "1,4",
}


@pytest.mark.usefixtures("russian")
def test_the_chart_words_are_russian_with_their_placeholders() -> None:
    for table in (texts.CHART_TEXTS, lag_texts.CHART_TEXTS):
        for key in table:
            russian = table[key]
            assert i18n.placeholders(russian) == i18n.placeholders(table.english[key]), key
            no_english(russian.format(**CHART_VALUES))
    assert texts.short_date(TODAY) == "29 мар."
    assert texts.weekday_short(TODAY) == "Вс"
    no_english(texts.day_label(TODAY))


# ---- /progress and the one-tap accept through the app ----------------------------------------


def lifter(**parts: object) -> Chat:
    profile = {
        "latest_answers": {"experience": "intermediate", "weight_kg": 82.0, "weight_unit": "kg"},
        "plan_split": False,
        "plan_weekdays": (WED,),
        "plan_since": FIRST,
        "lift_sets": tuple(HISTORIES["stalled"]),
        "recent_checkins": tuple(lifter_month(3, TODAY - timedelta(days=20), 21)),
        "measurements": tuple(TAPE),
        **parts,
    }
    return Chat(Profile(user_id=7, **profile))  # type: ignore[arg-type]


def _progress(chat: Chat) -> list[Reply]:
    return chat.send(Event.command("progress"), NOW)


def _press(chat: Chat, value: str) -> list[Reply]:
    assert chat.conversation is not None
    return chat.send(Event.button(value, token=chat.conversation.token), NOW)


@pytest.mark.usefixtures("russian")
def test_progress_through_the_app_is_russian() -> None:
    chat = lifter(
        recent_checkins=tuple(lifter_month(3, TODAY - timedelta(days=20), 21)) + protein(120.0)
    )
    replies = _progress(chat)
    summary = next(reply for reply in replies if "summary_html" in reply.values)
    assert no_english(summary.values["summary_html"]).startswith("<b>Последние 7 дней</b>")
    view = next(reply for reply in replies if reply.key == "catching_up.view")
    no_english(render(view))
    labels = [choice.label for row in view.choices for choice in row]
    assert labels == ["👍 Принято: больше белка"]


@pytest.mark.usefixtures("russian")
@pytest.mark.parametrize(
    ("parts", "value", "start"),
    [
        ({"recent_checkins": protein(120.0)}, "go=progress adapt protein", "👍 Договорились"),
        (
            {},
            "go=progress adapt split",
            "✅ Готово: теперь ноги тренируются два раза в неделю: среда",
        ),
        (
            {"plan_split": True, "plan_weekdays": (TUE, FRI)},
            "go=progress adapt deload",
            "✅ Готово: с 29 марта по 4 апреля — разгрузочная неделя.",
        ),
        (
            {
                "plan_split": True,
                "plan_weekdays": (TUE, FRI),
                "plan_deload_from": TODAY - timedelta(days=1),
            },
            "go=progress adapt deload",
            "Разгрузочная неделя уже идёт: с 28 марта по 3 апреля.",
        ),
        (
            {
                "plan_split": True,
                "plan_weekdays": (TUE, FRI),
                "plan_deload_from": TODAY - timedelta(weeks=3),
            },
            "go=progress adapt scheme 0",
            "✅ Готово: с этой недели",
        ),
        (
            {"plan_split": True, "plan_weekdays": (TUE, FRI)},
            "go=progress adapt split",
            "В твоём плане уже",
        ),
        ({"plan_scheme_shift": 3}, "go=progress adapt scheme 0", "Схема повторений уже сменилась"),
        (
            {"plan_split": None, "plan_weekdays": ()},
            "go=progress adapt deload",
            "Плана тренировок ног пока нет",
        ),
        ({}, "go=progress adapt squats", "Такого изменения я не знаю."),
    ],
)
def test_every_accept_answer_is_russian(parts: dict[str, object], value: str, start: str) -> None:
    chat = lifter(**parts)
    _progress(chat)
    [reply] = _press(chat, value)
    assert no_english(render(reply)).startswith(start)


# ---- the catalog, and English as it was --------------------------------------------------


def _forms(entry: i18n.Entry) -> list[str]:
    if entry.plural is None:
        return [i18n.translate(entry.context, entry.english)]
    return [i18n.translate_plural(entry.context, entry.english, entry.plural, n) for n in (1, 2, 5)]


@pytest.mark.usefixtures("russian")
def test_every_progress_message_has_its_russian() -> None:
    mine = [
        entry
        for entry in i18n.declared()
        if (entry.module in MODULES or entry.context.startswith(PREFIXES))
        and entry.context not in PATTERNS
    ]
    assert len(mine) > 200
    untranslated = []
    for entry in mine:
        for form in _forms(entry):
            words = english_words(re.sub(r"\{[a-z_]+\}", " ", form))
            if words:
                untranslated.append((entry.context, words))
    assert untranslated == []


def test_english_is_unchanged_at_one_and_many() -> None:
    assert texts.DAYS(1) == "1 day" and texts.DAYS(21) == "21 days"
    assert texts.LEG_DAYS(1) == "1 leg day" and texts.LEG_DAYS(2) == "2 leg days"
    assert lag_texts.eta_text(1) == "1 week" and lag_texts.eta_text(22) == "5 months"
    assert lag_texts.ratio_text(1.0) == "1" and lag_texts.ratio_text(1.125) == "1.12"
    assert lag_texts.accept_label(Proposal("scheme", scheme="giant")) == "✅ Switch to a giant set"
    assert texts.day_label(TODAY) == "Sun 29 Mar" and texts.short_date(TODAY) == "29 Mar"
    start = TODAY - timedelta(days=29)
    summary = summarize(month_with(21, sleep_hours=7.0), start, TODAY, [], None)
    text = texts.render_summary(summary, 30)
    assert text.startswith("<b>Your last 30 days</b> (28 Feb – 29 Mar)")
    assert (
        "😴 <b>Sleep</b> 7 h a night on average over 21 nights (target 8 h), "
        "all 21 nights under target." in text.splitlines()
    )
    assert text.splitlines()[-1] == "🔥 <b>Streaks</b> 21 days in a row checked in."
