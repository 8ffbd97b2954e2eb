"""The charts in the user's language: a request carries the language it was made in (a worker
process has none set), and every word, date and number a chart draws is in that language,
readable at phone size, with every legend clear of its panel's title."""

from __future__ import annotations

import pickle
import re
import warnings
from datetime import timedelta

import pytest
from matplotlib.figure import Figure
from matplotlib.text import Text

from bot.chart import catching_up_figure, min_font_pt, progress_figure
from bot.chart_pool import AnyChartRequest, ChartRenderer, ChartRequest, LagChartRequest, draw
from flows import i18n
from flows.progress import CheckinDay
from tests.bot.test_catching_up_chart import history
from tests.bot.test_chart import (
    MONDAY,
    SUNDAY,
    assert_phone_friendly_png,
    month_with_gaps,
    shown_texts,
    week,
)
from tests.flows.i18n_check import english_words


def every_cardio_kind() -> list[CheckinDay]:
    """A week with steady, interval and other cardio: the widest cardio legend."""
    return [*week(), CheckinDay(MONDAY + timedelta(days=5), 8.0, 170, None, None, 25, "bike")]


def requests() -> dict[str, AnyChartRequest]:
    """Every kind of chart, requested where the language is current."""
    checkins, first, last = month_with_gaps()
    return {
        "week": ChartRequest(
            tuple(every_cardio_kind()),
            MONDAY,
            SUNDAY,
            176.0,
            planned_weekdays=(0, 3),
            plan_start=MONDAY + timedelta(days=2),
            reminder_marks=((MONDAY + timedelta(days=2), "done"),),
        ),
        "month": ChartRequest(tuple(checkins), first, last, None, planned_weekdays=(1, 4)),
        "no check-ins": ChartRequest((), MONDAY, SUNDAY, 176.0),
        "none in the period": ChartRequest(
            (CheckinDay(MONDAY - timedelta(days=30), 8.0),), MONDAY, SUNDAY, 176.0
        ),
        "lag kg": LagChartRequest(history(), "kg"),
        "lag lb": LagChartRequest(history(), "lb"),
        "no squat": LagChartRequest((), "kg"),
    }


def figures() -> dict[str, Figure]:
    """The charts with panels, built in the current language."""
    checkins, first, last = month_with_gaps()
    return {
        "week": progress_figure(
            every_cardio_kind(),
            MONDAY,
            SUNDAY,
            176.0,
            planned_weekdays=[0, 3],
            plan_start=MONDAY + timedelta(days=2),
        ),
        "month": progress_figure(checkins, first, last, None, planned_weekdays=[1, 4]),
        "lag kg": catching_up_figure(history(), "kg"),
        "lag lb": catching_up_figure(history(), "lb"),
    }


def test_a_request_carries_the_language_it_was_made_in() -> None:
    assert ChartRequest((), MONDAY, SUNDAY, None).language == "en"
    assert LagChartRequest(()).language == "en"
    with i18n.use("ru"):
        progress = ChartRequest((), MONDAY, SUNDAY, None)
        lag = LagChartRequest(history(), "lb")
    assert (progress.language, lag.language) == ("ru", "ru")
    # A worker process gets it with the rest of the request.
    assert pickle.loads(pickle.dumps(progress)).language == "ru"
    assert pickle.loads(pickle.dumps(lag)) == lag


@pytest.mark.parametrize("name", list(requests()))
def test_a_russian_request_is_drawn_in_russian_wherever_it_is_drawn(name: str) -> None:
    with i18n.use("ru"):
        russian = requests()[name]
    english = requests()[name]
    # Drawn outside any language, as in a worker process: the request's own language counts.
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a letter missing from the font warns
        png = draw(russian)
    assert_phone_friendly_png(png)
    assert png != draw(english)
    with i18n.use("en"):
        assert draw(russian) == png


@pytest.mark.parametrize("name", list(figures()))
def test_every_word_of_a_russian_chart_is_russian_and_readable_on_a_phone(name: str) -> None:
    with i18n.use("ru"):
        figure = figures()[name]
    texts = shown_texts(figure)  # drawn outside the language: tick numbers keep theirs
    words = [text.get_text() for text in texts]
    assert len(words) >= 15
    assert [word for word in words if english_words(word)] == []
    smallest = min_font_pt()
    assert [t.get_text() for t in texts if float(t.get_fontsize()) < smallest] == []


def test_dates_units_and_numbers_are_written_the_russian_way() -> None:
    with i18n.use("ru"):
        week_words = {text.get_text() for text in shown_texts(figures()["week"])}
        month_words = {text.get_text() for text in shown_texts(figures()["month"])}
        lag_words = {text.get_text() for text in shown_texts(figures()["lag lb"])}
    # Weekdays over the day of the month; months abbreviated as Russian does.
    assert {"Пн\n23", "Вс\n29"} <= week_words
    assert {"2 мар.", "16 мар."} <= month_words
    # Units of the language, decimal commas.
    assert any(word.endswith(" ч") and "," in word for word in week_words), week_words
    assert any(word.endswith(" г") for word in week_words), week_words
    assert any("фунт." in word for word in lag_words)
    assert any("дюйм." in word for word in lag_words)
    assert "1,25–1,4" in lag_words and any(word.endswith(" 1,3") for word in lag_words)
    assert [word for word in lag_words if re.fullmatch(r"\d+,\d+", word)]  # ratio ticks
    assert [word for word in lag_words if re.fullmatch(r"\d+\.\d+", word)] == []


def test_english_charts_keep_their_words() -> None:
    week_words = {text.get_text() for text in shown_texts(figures()["week"])}
    lag_words = {text.get_text() for text in shown_texts(figures()["lag kg"])}
    assert {"Mon\n23", "Sun\n29", "Progress 23 Mar – 29 Mar", "target 176 g"} <= week_words
    assert {"Balanced 1.3", "1.25–1.4", "Estimated 1RM (kg)"} <= lag_words


def legend_overlaps(figure: Figure) -> list[str]:
    """The panels whose legend reaches into their title once drawn."""
    shown_texts(figure)
    overlaps = []
    for axes in figure.axes:
        legend, title = axes.get_legend(), axes.get_title(loc="left")
        if legend is None or not title:
            continue
        drawn = [text for text in axes.findobj(Text) if text.get_text() == title]
        title_end = max(text.get_window_extent().x1 for text in drawn)
        if legend.get_window_extent().x0 < title_end:
            overlaps.append(title)
    return overlaps


@pytest.mark.parametrize("language", ["en", "ru"])
def test_every_legend_stays_clear_of_its_panels_title(language: str) -> None:
    with i18n.use(language):
        built = figures()
    for name, figure in built.items():
        assert legend_overlaps(figure) == [], name


async def test_a_worker_process_draws_the_russian_the_request_asked_for() -> None:
    with i18n.use("ru"):
        request = requests()["lag lb"]
    renderer = ChartRenderer(1)
    try:
        png = await renderer.render(request)
    finally:
        renderer.shutdown()
    assert renderer.counts.in_processes == 1
    assert png == draw(request)
