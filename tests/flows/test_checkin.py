"""The daily check-in as a pure state machine: questions, answers, errors, days and zones."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

import pytest

from flows import app, checkin
from flows.checkin import (
    MACHINE,
    SaveCheckin,
    checkin_expired,
    day_to_check_in,
    protein_buttons,
    start_for_day,
)
from flows.core import Conversation, Event, Profile, Reply
from flows.progress import CheckinDay
from flows.rules import evaluate
from flows.texts import render
from flows.texts.diagnosis import render_why
from tests.flows.driver import NOW, Chat

# NOW (driver) is Tuesday 17 November 2026, 09:30 UTC.
TUESDAY = date(2026, 11, 17)
ASSESSED = {"experience": "intermediate", "weight_kg": 82.0, "weight_unit": "kg"}
TUE_FRI = (1, 4)


@pytest.fixture(autouse=True)
def _checkin_in_router(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The router as the app wires it: /checkin starts this flow."""
    monkeypatch.setitem(app.FLOWS, checkin.NAME, checkin)
    monkeypatch.setitem(app.STARTERS, "checkin", checkin.NAME)
    yield


def lifter(**profile: Any) -> Chat:
    return Chat(Profile(user_id=5, **{"latest_answers": ASSESSED, **profile}))


def saved(chat: Chat) -> list[SaveCheckin]:
    return [effect for effect in chat.effects if isinstance(effect, SaveCheckin)]


def at(chat: Chat, event: Event, now: datetime) -> list[Reply]:
    return chat.send(event, now)


def press_at(chat: Chat, value: str, now: datetime) -> list[Reply]:
    assert chat.conversation is not None
    return chat.send(Event.button(value, token=chat.conversation.token), now)


def scheduled(chat: Chat, day: date, now: datetime) -> list[Reply]:
    """What the engine does when the scheduled check-in for `day` goes out."""
    step = start_for_day(chat.profile, day, now)
    if step.state is not None:
        chat.conversation = Conversation(checkin.NAME, step.state, step.data, "scheduled")
    return step.replies


# ---- every question, typed and tapped --------------------------------------------------


def test_typed_answers_go_through_every_question_and_save_the_day() -> None:
    chat = lifter()
    replies = chat.command("checkin")
    assert replies[0].key == "checkin.q.sleep_hours"
    assert replies[0].values["day"] == "Tue 17 Nov"
    assert replies[0].values["total"] == 5  # the cardio kind shares the cardio step
    assert chat.text("7.5")[0].key == "checkin.q.protein_g"
    assert chat.text("140 g")[0].key == "checkin.q.carbs"
    assert chat.text("300 g")[0].key == "checkin.q.cardio_minutes"
    assert chat.text("40")[0].key == "checkin.q.cardio_kind"
    assert chat.text("intervals")[0].key == "checkin.q.leg_day"
    replies = chat.text("done")
    assert saved(chat) == [
        SaveCheckin(
            day=TUESDAY,
            sleep_hours=7.5,
            protein_g=140.0,
            carbs_g=300.0,
            carbs_level=None,
            cardio_minutes=40,
            cardio_kind="intervals",
            leg_day="done",
        )
    ]
    assert replies[0].key == "checkin.saved"
    assert chat.conversation is not None and chat.conversation.flow == ""


def test_buttons_answer_every_question() -> None:
    chat = lifter()
    first = chat.command("checkin")[0]
    assert first.choice_values == [
        "sleep_hours=6",
        "sleep_hours=7",
        "sleep_hours=8",
        "sleep_hours=9",
        "sleep_hours=skip",
    ]
    chat.press("sleep_hours=8")
    chat.press("protein_g=180")
    carbs = chat.conversation
    assert carbs is not None and carbs.state == "carbs"
    cardio = chat.press("carbs=high")[0]
    assert cardio.choice_values[:5] == [f"cardio_minutes={m}" for m in (0, 20, 30, 45, 60)]
    kind = chat.press("cardio_minutes=45")[0]
    assert kind.choice_values == ["cardio_kind=steady", "cardio_kind=intervals", "cardio_kind=skip"]
    chat.press("cardio_kind=steady")
    chat.press("leg_day=rest")
    [checkin_saved] = saved(chat)
    assert (checkin_saved.sleep_hours, checkin_saved.protein_g) == (8.0, 180.0)
    assert (checkin_saved.carbs_g, checkin_saved.carbs_level) == (None, "high")
    assert (checkin_saved.cardio_minutes, checkin_saved.cardio_kind) == (45, "steady")
    assert checkin_saved.leg_day == "rest"


@pytest.mark.parametrize(("typed", "hours"), [("7h30", 7.5), ("7:30", 7.5), ("6,5", 6.5)])
def test_sleep_can_be_typed_in_hours_and_minutes(typed: str, hours: float) -> None:
    chat = lifter()
    chat.command("checkin")
    chat.text(typed)
    assert chat.answers["sleep_hours"] == hours


def test_protein_buttons_are_built_around_the_personal_target() -> None:
    # 82 kg x 2.2 g = 180.4 g: the target 180 g, three quarters 135.3 -> 140, half 90.2 -> 90.
    assert protein_buttons(lifter().profile) == [
        ("90 g", "90"),
        ("140 g", "140"),
        ("180 g 🎯", "180"),
    ]
    # Without an assessment there is no target: plain round numbers.
    no_target = Profile(user_id=6)
    assert [value for _, value in protein_buttons(no_target)] == ["100", "150", "200"]
    chat = lifter()
    chat.command("checkin")
    question = chat.text("8")[0]
    assert "180 g" in render(question)
    assert question.choice_values == [
        "protein_g=90",
        "protein_g=140",
        "protein_g=180",
        "protein_g=skip",
    ]


@pytest.mark.parametrize(("weight_kg", "target"), [(80.0, 176), (90.0, 198)])
def test_the_protein_target_is_the_one_the_diagnosis_gives(weight_kg: float, target: int) -> None:
    answers = {**ASSESSED, "weight_kg": weight_kg, "protein_g": 100}
    [protein] = [p for p in evaluate(answers).problems if p.rule_id == "protein"]  # type: ignore[arg-type]
    assert f"you need about {target} g" in render_why(evaluate(answers), "protein")  # type: ignore[arg-type]
    assert protein.values["protein_target_g"] == pytest.approx(2.2 * weight_kg)
    chat = lifter(latest_answers=answers)
    chat.command("checkin")
    question = chat.text("8")[0]
    assert f"Your target: <b>{target} g</b>" in render(question)
    assert question.choice_values[-2] == f"protein_g={target}"
    assert protein_buttons(chat.profile)[-1] == (f"{target} g 🎯", str(target))


def test_typed_button_labels_count_as_presses() -> None:
    chat = lifter()
    chat.command("checkin")
    chat.text("7 h")
    chat.text("180 g 🎯")
    chat.text("Moderate")
    assert chat.text("None")[0].key == "checkin.q.leg_day"  # no cardio, so no cardio kind
    chat.text("Leg day skipped")
    [checkin_saved] = saved(chat)
    assert checkin_saved.protein_g == 180.0 and checkin_saved.carbs_level == "moderate"
    assert checkin_saved.cardio_minutes == 0 and checkin_saved.cardio_kind is None
    assert checkin_saved.leg_day == "skipped"


def test_cardio_in_hours_and_no_cardio_leaves_out_the_kind() -> None:
    chat = lifter()
    chat.command("checkin")
    for answer in ("8", "150", "low"):
        chat.text(answer)
    replies = chat.text("1h")
    assert chat.answers["cardio_minutes"] == 60
    assert replies[0].key == "checkin.q.cardio_kind"
    chat.command("back")
    replies = chat.press("cardio_minutes=0")
    assert replies[0].key == "checkin.q.leg_day"
    # Five steps, and the leg day is the fifth.
    assert (replies[0].values["number"], replies[0].values["total"]) == (5, 5)


@pytest.mark.parametrize("cardio", ["0", "30"])
def test_the_step_counter_keeps_its_total_whatever_the_cardio(cardio: str) -> None:
    chat = lifter()
    counted = [chat.command("checkin")[0]]
    for answer in ("8", "150", "low", cardio, "steady"):
        if chat.state == "leg_day":
            break
        counted.append(chat.text(answer)[0])
    steps = [(reply.values["number"], reply.values["total"]) for reply in counted]
    if cardio == "0":
        assert steps == [(1, 5), (2, 5), (3, 5), (4, 5), (5, 5)]
    else:  # the kind of cardio is part of the cardio step
        assert steps == [(1, 5), (2, 5), (3, 5), (4, 5), (4, 5), (5, 5)]


# ---- bad input -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("before", "typed", "error", "state", "shown"),
    [
        ((), "25", "checkin.error.out_of_range", "sleep_hours", "16"),
        ((), "a lot", "checkin.error.not_hours", "sleep_hours", "7.5"),
        (("8",), "-10", "checkin.error.out_of_range", "protein_g", "600"),
        (("8",), "lots", "checkin.error.not_grams", "protein_g", "140"),
        (("8", "150"), "tons", "checkin.error.not_carbs", "carbs", "300 g"),
        (("8", "150", "low"), "a while", "checkin.error.not_minutes", "cardio_minutes", "1h"),
        (("8", "150", "low", "30"), "yoga", "checkin.error.not_a_choice", "cardio_kind", "steady"),
        (("8", "150", "low", "0"), "maybe", "checkin.error.not_a_choice", "leg_day", "rest"),
    ],
)
def test_bad_answers_say_what_was_wrong_and_ask_again(
    before: tuple[str, ...], typed: str, error: str, state: str, shown: str
) -> None:
    chat = lifter()
    chat.command("checkin")
    for answer in before:
        chat.text(answer)
    replies = chat.text(typed)
    assert replies[0].key == error
    problem = render(replies[0])
    assert typed in problem and shown in problem  # the bad answer, and a good one or the range
    assert replies[1].key == f"checkin.q.{state}"
    assert chat.state == state
    assert saved(chat) == []


def test_a_photo_or_sticker_instead_of_a_number_gets_the_same_question() -> None:
    chat = lifter()
    chat.command("checkin")
    chat.text("8")
    for what in ("photo", "sticker"):
        replies = chat.send(Event.other(what))
        assert replies[0].key == "checkin.error.not_text"
        assert what in render(replies[0])
        assert replies[1].key == "checkin.q.protein_g"
    assert chat.state == "protein_g"


def test_a_button_of_another_question_does_not_answer_this_one() -> None:
    chat = lifter()
    chat.command("checkin")
    chat.text("8")
    replies = chat.press("sleep_hours=6")
    assert [reply.key for reply in replies] == ["checkin.old_question", "checkin.q.protein_g"]
    assert chat.answers["sleep_hours"] == 8.0


# ---- skip, back, repeat -----------------------------------------------------------------------


def test_every_question_can_be_skipped() -> None:
    chat = lifter()
    chat.command("checkin")
    chat.press("sleep_hours=skip")
    chat.text("skip")
    chat.press("carbs=skip")
    chat.text("Skip")  # cardio minutes unknown, so the kind is not asked
    replies = chat.press("leg_day=skip")
    assert saved(chat) == [SaveCheckin(TUESDAY, None, None, None, None, None, None, None)]
    assert "Nothing to compare yet" in render(replies[0])


def test_back_goes_one_question_back_and_not_before_the_first() -> None:
    chat = lifter()
    replies = chat.command("back")  # nothing open yet
    assert replies[0].key == "nothing_to_go_back"
    chat.command("checkin")
    replies = chat.command("back")
    assert [reply.key for reply in replies] == ["checkin.first_question", "checkin.q.sleep_hours"]
    chat.text("6")
    chat.text("120")
    assert chat.command("back")[0].key == "checkin.q.protein_g"
    assert chat.command("back")[0].key == "checkin.q.sleep_hours"
    chat.text("9")
    chat.text("130")
    assert chat.answers == {"sleep_hours": 9.0, "protein_g": 130.0}
    assert MACHINE.models == []


def test_checkin_again_while_open_continues_where_it_was() -> None:
    chat = lifter()
    chat.command("checkin")
    chat.text("8")
    replies = chat.command("checkin")
    assert [reply.key for reply in replies] == ["checkin.continuing", "checkin.q.protein_g"]
    assert chat.answers == {"sleep_hours": 8.0}


# ---- the leg-day question follows the plan ------------------------------------------------


def test_a_planned_leg_day_offers_done_first_and_a_rest_day_rest_first() -> None:
    chat = lifter(plan_weekdays=TUE_FRI)
    chat.command("checkin")
    for answer in ("8", "180", "high", "0"):
        replies = chat.text(answer)
    assert replies[0].key == "checkin.q.leg_day.planned"
    assert replies[0].choice_values[0] == "leg_day=done"
    wednesday = datetime(2026, 11, 18, 10, 0, tzinfo=UTC)
    other = lifter(plan_weekdays=TUE_FRI)
    at(other, Event.command("checkin"), wednesday)
    for answer in ("8", "180", "high", "0"):
        replies = at(other, Event.typed(answer), wednesday)
    assert replies[0].key == "checkin.q.leg_day"
    assert replies[0].choice_values[:3] == ["leg_day=rest", "leg_day=done", "leg_day=skipped"]


MON_THU = (0, 3)


def leg_day_answered(typed: str, plan: tuple[int, ...]) -> tuple[str | None, str]:
    """A check-in on Tuesday 17 November, the leg-day question answered with `typed`: the leg
    day saved and the tip given."""
    chat = lifter(plan_weekdays=plan)
    chat.command("checkin")
    for answer in ("8", "180", "high", "0"):
        chat.text(answer)
    assert chat.state == "leg_day"
    replies = chat.text(typed)
    assert replies[0].key == "checkin.saved"
    [effect] = saved(chat)
    return effect.leg_day, replies[0].values["tip"]


@pytest.mark.parametrize("typed", ["no", "No.", "нет", "Нет", "didn't", "не было"])
def test_no_on_a_day_without_a_planned_leg_day_is_a_rest_day(typed: str) -> None:
    # Not "make up the missed leg day", which would crowd Thursday's planned one.
    mark, tip = leg_day_answered(typed, MON_THU)
    assert mark == "rest" and tip != "progress_tip_skipped_make_up"
    assert leg_day_answered(typed, ())[0] == "rest"


@pytest.mark.parametrize("typed", ["no", "нет", "didn't", "не было", "missed", "пропустил"])
def test_no_on_a_planned_leg_day_is_a_skipped_leg_day(typed: str) -> None:
    assert leg_day_answered(typed, TUE_FRI) == ("skipped", "progress_tip_skipped_make_up")


@pytest.mark.parametrize(
    "typed", ["rest", "rested", "day off", "Rest day", "отдыхал", "отдыхала", "Отдых", "выходной"]
)
def test_rest_words_are_a_rest_day_planned_or_not(typed: str) -> None:
    for plan in (MON_THU, TUE_FRI):
        assert leg_day_answered(typed, plan)[0] == "rest"


def test_a_leg_day_marked_with_the_reminder_is_not_asked_and_the_mark_is_saved() -> None:
    for mark in ("done", "skipped"):
        chat = lifter(plan_weekdays=TUE_FRI, reminder_leg_days={TUESDAY: mark})
        replies = chat.command("checkin")
        assert "1/4" in render(replies[-1])  # sleep, protein, carbs, cardio (and its kind)
        for answer in ("8", "180", "high", "30"):
            replies = chat.text(answer)
        assert "4/4" in render(replies[-1])
        replies = chat.text("steady")
        assert replies[0].key == "checkin.saved"
        [effect] = saved(chat)
        assert effect.leg_day == mark


def test_a_mark_of_another_day_or_a_snooze_leaves_the_question() -> None:
    chat = lifter(plan_weekdays=TUE_FRI, reminder_leg_days={date(2026, 11, 13): "done"})
    chat.command("checkin")
    for answer in ("8", "180", "high", "0"):
        replies = chat.text(answer)
    assert replies[0].key == "checkin.q.leg_day.planned"
    snoozed = lifter(plan_weekdays=TUE_FRI, reminder_leg_days={TUESDAY: "snoozed"})
    snoozed.command("checkin")
    for answer in ("8", "180", "high", "0"):
        replies = snoozed.text(answer)
    assert replies[0].key == "checkin.q.leg_day.planned"


def test_a_mark_made_while_the_check_in_is_open_is_taken_before_the_question() -> None:
    chat = lifter(plan_weekdays=TUE_FRI)
    chat.command("checkin")
    chat.text("8")
    chat.profile = Profile(
        user_id=5,
        latest_answers=ASSESSED,
        plan_weekdays=TUE_FRI,
        reminder_leg_days={TUESDAY: "done"},
    )
    for answer in ("180", "high"):
        chat.text(answer)
    replies = chat.text("0")
    assert replies[0].key == "checkin.saved"
    assert saved(chat)[0].leg_day == "done"


def test_the_scheduled_check_in_promises_no_number_of_questions() -> None:
    text = render(Reply("checkin.reminder", {"name_part": ", Ann", "day": "Tue 17 Nov"}))
    assert "Five" not in text and "quick taps" in text


# ---- feedback, tip and streaks ------------------------------------------------------------


def test_feedback_tip_and_streaks_against_hand_computed_numbers() -> None:
    recent = (
        CheckinDay(date(2026, 11, 6), sleep_hours=8, leg_day="done"),  # Friday, planned
        CheckinDay(date(2026, 11, 10), sleep_hours=8, leg_day="done"),  # Tuesday, planned
        CheckinDay(date(2026, 11, 13), sleep_hours=8, leg_day="done"),  # Friday, planned
        CheckinDay(date(2026, 11, 15), sleep_hours=8, leg_day="rest"),
        CheckinDay(date(2026, 11, 16), sleep_hours=8, leg_day="rest"),
    )
    chat = lifter(plan_weekdays=TUE_FRI, recent_checkins=recent)
    chat.command("checkin")
    for answer in ("6.5", "140", "moderate", "0"):
        chat.text(answer)
    replies = chat.press("leg_day=done")
    reply = replies[0]
    text = render(reply)
    # 82 kg: protein target 180 g, 40 g short; 6.5 h is under the 8 h sleep target.
    assert "Protein 140 g of 180 g: 40 g short" in text
    assert "6.5 h of sleep: under the 8 h" in text
    # Tomorrow (Wednesday) is no leg day, nothing was skipped: 40 g short needs two shakes.
    assert reply.values["tip"] == "progress_tip_protein_shakes"
    assert text.count("For tomorrow") == 1
    # Checked in 15, 16 and now 17 Nov (the 14th is missing): 3 days in a row.
    # Planned leg days 6, 10, 13 and 17 Nov all done: 4 in a row.
    assert (reply.values["checkin_streak"], reply.values["leg_day_streak"]) == (3, 4)
    assert "3 days in a row" in text and "4 leg days done as planned in a row" in text
    assert len(replies) == 1  # assessed: no suggestion to /assess


def test_tomorrows_leg_day_after_two_short_nights_puts_sleep_first() -> None:
    thursday = datetime(2026, 11, 19, 19, 0, tzinfo=UTC)
    recent = (CheckinDay(date(2026, 11, 18), sleep_hours=6.0, protein_g=180),)
    chat = lifter(plan_weekdays=TUE_FRI, recent_checkins=recent)
    at(chat, Event.command("checkin"), thursday)
    for answer in ("6", "100", "high", "0", "rest"):
        replies = at(chat, Event.typed(answer), thursday)
    # Friday is planned and both nights were under 8 h: sleep beats the 80 g protein gap.
    assert replies[0].values["tip"] == "progress_tip_sleep_before_leg_day"
    assert replies[0].values["checkin_streak"] == 2


def test_without_an_assessment_only_sleep_is_judged_and_assess_is_suggested() -> None:
    chat = Chat(Profile(user_id=7))
    chat.command("checkin")
    for answer in ("7", "140", "low", "20", "steady", "done"):
        replies = chat.text(answer)
    text = render(replies[0])
    assert "Protein 140 g." in text and "140 g of" not in text
    assert "7 h of sleep: under the 8 h" in text
    assert replies[1].key == "checkin.no_assessment"
    assert replies[1].choice_values == ["go=assess"]
    assert "/assess" in render(replies[1])


def test_the_same_day_twice_updates_it_and_says_so() -> None:
    earlier = CheckinDay(TUESDAY, sleep_hours=5.0, protein_g=90.0, leg_day="skipped")
    chat = lifter(recent_checkins=(CheckinDay(date(2026, 11, 16), sleep_hours=8), earlier))
    replies = chat.command("checkin")
    assert [reply.key for reply in replies] == ["checkin.again", "checkin.q.sleep_hours"]
    for answer in ("8", "180", "high", "0", "done"):
        replies = chat.text(answer)
    assert replies[0].key == "checkin.updated"
    assert "replace" in render(replies[0])
    [checkin_saved] = saved(chat)
    assert checkin_saved.day == TUESDAY and checkin_saved.sleep_hours == 8.0
    # The 17th counts once, with the 16th: two days in a row.
    assert replies[0].values["checkin_streak"] == 2


# ---- the day being checked in --------------------------------------------------------------


def test_an_answer_after_midnight_counts_for_the_day_asked() -> None:
    chat = lifter(timezone="Europe/Berlin")
    evening = datetime(2026, 11, 17, 20, 0, tzinfo=UTC)  # 21:00 in Berlin
    after_midnight = datetime(2026, 11, 17, 23, 30, tzinfo=UTC)  # 00:30 on the 18th
    first = at(chat, Event.command("checkin"), evening)[0]
    assert first.values["night"] == "last night"
    for answer in ("8", "180", "high"):
        replies = at(chat, Event.typed(answer), after_midnight)
    # After midnight the question names the day instead of saying "today".
    assert replies[0].values["when"] == "on Tue 17 Nov"
    for answer in ("0", "done"):
        at(chat, Event.typed(answer), after_midnight)
    assert saved(chat)[0].day == TUESDAY


def test_before_four_in_the_morning_a_missing_yesterday_is_checked_in() -> None:
    early = datetime(2026, 11, 18, 2, 30, tzinfo=UTC)
    assert day_to_check_in(Profile(user_id=1), early) == TUESDAY
    done = Profile(user_id=1, recent_checkins=(CheckinDay(TUESDAY),))
    assert day_to_check_in(done, early) == date(2026, 11, 18)
    assert day_to_check_in(Profile(user_id=1), datetime(2026, 11, 18, 4, 0, tzinfo=UTC)) == date(
        2026, 11, 18
    )
    chat = Chat(Profile(user_id=1))
    first = at(chat, Event.command("checkin"), early)[0]
    assert first.values["day"] == "Tue 17 Nov"
    assert first.values["night"] == "the night before Tue 17 Nov"


@pytest.mark.parametrize(
    ("utc", "day"),
    [
        # Spring: 02:00 CET jumps to 03:00 CEST on 29 March 2026.
        (datetime(2026, 3, 29, 0, 30, tzinfo=UTC), date(2026, 3, 28)),  # 01:30 CET
        (datetime(2026, 3, 29, 1, 59, tzinfo=UTC), date(2026, 3, 28)),  # 03:59 CEST
        (datetime(2026, 3, 29, 2, 0, tzinfo=UTC), date(2026, 3, 29)),  # 04:00 CEST
        # Autumn: 03:00 CEST falls back to 02:00 CET on 25 October 2026.
        (datetime(2026, 10, 25, 2, 0, tzinfo=UTC), date(2026, 10, 24)),  # 03:00 CET
        (datetime(2026, 10, 25, 2, 59, tzinfo=UTC), date(2026, 10, 24)),  # 03:59 CET
        (datetime(2026, 10, 25, 3, 0, tzinfo=UTC), date(2026, 10, 25)),  # 04:00 CET
    ],
)
def test_the_day_being_checked_in_around_the_european_clock_changes(
    utc: datetime, day: date
) -> None:
    assert day_to_check_in(Profile(user_id=1, timezone="Europe/Berlin"), utc) == day


def test_the_day_being_checked_in_at_both_ends_of_the_clock() -> None:
    kiritimati = Profile(user_id=1, timezone="Pacific/Kiritimati")  # UTC+14
    far_west = Profile(user_id=1, timezone="Etc/GMT+12")  # UTC-12
    evening_utc = datetime(2026, 11, 17, 20, 0, tzinfo=UTC)
    assert day_to_check_in(kiritimati, evening_utc) == date(2026, 11, 18)  # 10:00 on the 18th
    assert day_to_check_in(far_west, evening_utc) == date(2026, 11, 17)  # 08:00 on the 17th
    small_hours = datetime(2026, 11, 17, 12, 30, tzinfo=UTC)
    assert day_to_check_in(kiritimati, small_hours) == date(2026, 11, 17)  # 02:30 on the 18th
    assert day_to_check_in(far_west, small_hours) == date(2026, 11, 16)  # 00:30 on the 17th
    # Same moment, the 15th is three local days back in Kiritimati, two in the far west.
    assert checkin_expired(date(2026, 11, 15), small_hours, "Pacific/Kiritimati")
    assert not checkin_expired(date(2026, 11, 15), small_hours, "Etc/GMT+12")


# ---- scheduled check-ins, late and too late ------------------------------------------------


def test_a_scheduled_checkin_answered_two_days_later_still_counts_for_its_day() -> None:
    chat = lifter(timezone="Europe/Berlin")
    sent = datetime(2026, 11, 17, 20, 0, tzinfo=UTC)
    replies = scheduled(chat, TUESDAY, sent)
    assert replies[0].key == "checkin.q.sleep_hours"
    two_days_later = datetime(2026, 11, 19, 21, 0, tzinfo=UTC)  # 22:00 on Thursday in Berlin
    press_at(chat, "sleep_hours=7", two_days_later)
    for answer in ("150", "high", "0", "rest"):
        at(chat, Event.typed(answer), two_days_later)
    [checkin_saved] = saved(chat)
    assert checkin_saved.day == TUESDAY


def test_a_checkin_button_a_week_later_is_refused_politely() -> None:
    chat = lifter()
    scheduled(chat, TUESDAY, datetime(2026, 11, 17, 21, 0, tzinfo=UTC))
    week_later = datetime(2026, 11, 24, 21, 0, tzinfo=UTC)
    replies = press_at(chat, "sleep_hours=8", week_later)
    assert replies[0].key == "checkin.expired"
    assert "Tue 17 Nov" in render(replies[0])
    assert replies[0].choice_values == ["go=checkin"]
    assert chat.conversation is not None and chat.conversation.flow == ""
    assert saved(chat) == []
    # The offered button starts today's check-in.
    replies = press_at(chat, "go=checkin", week_later)
    assert replies[0].values["day"] == "Tue 24 Nov"


def test_a_scheduled_checkin_started_too_late_is_refused_at_once() -> None:
    profile = Profile(user_id=1)
    step = start_for_day(profile, TUESDAY, datetime(2026, 11, 20, 0, 1, tzinfo=UTC))
    assert step.state is None and step.replies[0].key == "checkin.expired"
    step = start_for_day(profile, TUESDAY, datetime(2026, 11, 19, 23, 59, tzinfo=UTC))
    assert step.state == "sleep_hours" and step.data["day"] == "2026-11-17"
    assert checkin_expired(TUESDAY, datetime(2026, 11, 19, 23, 59, tzinfo=UTC), "UTC") is False


def test_an_open_checkin_of_an_old_day_gives_way_to_a_new_one() -> None:
    chat = lifter()
    scheduled(chat, date(2026, 11, 10), datetime(2026, 11, 10, 21, 0, tzinfo=UTC))
    replies = chat.command("checkin")  # at NOW, a week later
    assert replies[0].key == "checkin.q.sleep_hours"
    assert replies[0].values["day"] == "Tue 17 Nov"
    assert NOW.date() == TUESDAY


# ---- numbers as people type them ------------------------------------------------------------


@pytest.mark.parametrize(
    ("answers", "key", "stored"),
    [
        (("6 h 30 min",), "sleep_hours", 6.5),
        (("7 hours 30",), "sleep_hours", 7.5),
        (("7:30",), "sleep_hours", 7.5),
        (("6,5 h",), "sleep_hours", 6.5),
        (("8", "about 140 g"), "protein_g", 140.0),
        (("8", "150", "1,200 g"), "carbs_g", 1200.0),
        (("8", "150", "low", "1h30"), "cardio_minutes", 90),
        (("8", "150", "low", "1.5"), "cardio_minutes", 90),
        (("8", "150", "low", "5"), "cardio_minutes", 5),
    ],
)
def test_numbers_typed_the_way_people_write_them(
    answers: tuple[str, ...], key: str, stored: object
) -> None:
    chat = lifter()
    chat.command("checkin")
    for answer in answers:
        replies = chat.text(answer)
        assert "error" not in replies[0].key, render(replies[0])
    assert chat.answers[key] == stored


@pytest.mark.parametrize(("reply", "minutes"), [("yes", 120), ("No", 2), ("2 minutes", 2)])
def test_a_bare_small_number_of_cardio_minutes_asks_whether_hours_were_meant(
    reply: str, minutes: int
) -> None:
    chat = lifter()
    chat.command("checkin")
    for answer in ("8", "150", "low"):
        chat.text(answer)
    replies = chat.text("2")
    assert [r.key for r in replies] == ["checkin.which"]
    assert "did you mean <b>2 hours</b>?" in render(replies[0])
    assert replies[0].choice_values == ["cardio_minutes=2 hours", "cardio_minutes=2 minutes"]
    assert "cardio_minutes" not in chat.answers and chat.state == "cardio_minutes"
    replies = chat.text(reply)
    assert chat.answers["cardio_minutes"] == minutes
    assert replies[0].key == "checkin.q.cardio_kind"


def test_a_checkin_offers_no_same_as_last_time() -> None:
    chat = lifter()
    replies = chat.command("checkin")
    while chat.conversation and chat.conversation.flow:
        assert all(not value.endswith("=same") for value in replies[-1].choice_values)
        replies = chat.press(replies[-1].choice_values[0])
    assert saved(chat)


def test_legs_done_the_day_before_a_planned_leg_day_rest_tomorrow() -> None:
    # Tuesday 1 December in Tokyo; the plan's one full leg day is on Wednesday.
    chat = lifter(timezone="Asia/Tokyo", plan_weekdays=(2,), plan_split=False)
    now = datetime(2026, 11, 30, 22, 0, tzinfo=UTC)
    replies = at(chat, Event.command("checkin"), now)
    for answer in ("8", "180", "skip", "0", "Leg day done"):
        replies = at(chat, Event.typed(answer), now)
    text = render(replies[0])
    assert "Check-in for Tue 1 Dec" in text
    assert "other half of the thigh" not in text
    assert "For tomorrow:</b> rest your legs" in text


def test_a_check_in_for_a_day_gone_by_gives_no_tip_for_its_tomorrow() -> None:
    chat = lifter(plan_weekdays=TUE_FRI)
    chat.send(Event.command("checkin", "2026-11-16"))
    for answer in ("6.5", "140", "moderate", "0"):
        chat.text(answer)
    replies = chat.text("rest")
    text = render(replies[0])
    assert "16" in text and "For tomorrow" not in text


@pytest.mark.parametrize(("said", "day"), [("yesterday", "2026-11-16"), ("вчера", "2026-11-16")])
def test_a_day_named_by_how_long_ago_it_was(said: str, day: str) -> None:
    chat = lifter(plan_weekdays=TUE_FRI)
    chat.send(Event.command("checkin", said))
    assert chat.conversation is not None and chat.conversation.data["day"] == day
