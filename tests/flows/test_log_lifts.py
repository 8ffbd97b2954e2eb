"""/log and /measure as state machines through flows.app.handle, with bad input; the lag
figure at the end of the assessment; the reminder's progression line and the check-in's
offer to measure."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from flows import assessment, checkin, log_lifts, measure
from flows.core import Event, Profile, Reply
from flows.lifts import LiftSet, Measurement
from flows.progress import CheckinDay
from flows.reminders import leg_day_message
from flows.texts import render
from tests.flows.driver import NOW, TYPED, Chat

TODAY = NOW.date()  # Tuesday 17 November 2026
LAST_WEEK = TODAY - timedelta(days=7)
SPLIT = {"plan_weekdays": (1, 4), "plan_split": True}  # Tuesday is day A: squat, leg press
# Built for an intermediate with checked form: heavy basics 6-8 on day A.
INTERMEDIATE = {"plan_experience": "intermediate", "plan_explosive": True}


def history(*sets: tuple[str, float, int]) -> tuple[LiftSet, ...]:
    return tuple(LiftSet(LAST_WEEK, lift, weight, reps) for lift, weight, reps in sets)


def logging(profile: Profile) -> tuple[Chat, list[Reply]]:
    chat = Chat(profile)
    return chat, chat.command("log")


def saved_sets(chat: Chat) -> list[LiftSet]:
    return [s for e in chat.effects if isinstance(e, log_lifts.SaveLiftSets) for s in e.sets]


def test_log_asks_the_basics_of_the_days_workout_and_keeps_them() -> None:
    chat, replies = logging(Profile(user_id=1, **SPLIT))  # type: ignore[arg-type]
    assert chat.state == "back_squat" and replies[-1].values["total"] == 2
    chat.text("100 x 8")
    assert chat.state == "leg_press"
    replies = chat.text("225 lb for 12")
    assert chat.conversation is not None and chat.conversation.flow == ""
    assert saved_sets(chat) == [
        LiftSet(TODAY, "back_squat", 100.0, 8, "kg"),
        LiftSet(TODAY, "leg_press", 102.058, 12, "lb"),
    ]
    text = render(replies[-1])
    assert "100 kg x 8" in text and "rough" in text  # 12 reps: a rough estimate


def test_log_on_a_day_b_asks_only_the_romanian_deadlift() -> None:
    chat = Chat(Profile(user_id=1, **SPLIT))  # type: ignore[arg-type]
    chat.send(Event.command("log", "2026-11-13"))  # a Friday
    assert chat.state == "romanian_deadlift"
    replies = chat.command("back")
    assert chat.state == "romanian_deadlift" and replies[0].key == "log.first_question"


def test_without_a_plan_the_full_day_is_logged() -> None:
    chat, replies = logging(Profile(user_id=1))
    assert chat.state == "back_squat" and replies[-1].values["total"] == 3


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("100x", "log.error.no_reps"),
        ("x5", "log.error.no_weight"),
        ("1000 kg x 1", "log.error.weight_out_of_range"),
        ("100 kg x 0", "log.error.reps_out_of_range"),
        ("a lot", "log.error.not_a_set"),
    ],
)
def test_bad_sets_are_explained_and_nothing_is_kept(typed: str, error: str) -> None:
    chat, _ = logging(Profile(user_id=1, **SPLIT))  # type: ignore[arg-type]
    replies = chat.text(typed)
    assert replies[0].key == error and "A good answer" in render(replies[0])
    assert chat.state == "back_squat" and not chat.effects
    assert replies[-1].key == "log.q"  # the same step again


def test_todays_aim_and_same_as_last_time() -> None:
    sets = history(("back_squat", 100, 8), ("leg_press", 200, 12))
    profile = Profile(user_id=1, lift_sets=sets, **SPLIT, **INTERMEDIATE)  # type: ignore[arg-type]
    chat, replies = logging(profile)
    labels = [choice.label for row in replies[-1].choices for choice in row]
    assert labels == ["Today's aim: 102.5 kg x 8", "Same as last time: 100 kg x 8", "Skip"]
    assert "Last time" in render(replies[-1])
    chat.press(replies[-1].choice_values[0])  # today's aim
    chat.text("same")
    assert saved_sets(chat) == [
        LiftSet(TODAY, "back_squat", 102.5, 8, "kg"),
        LiftSet(TODAY, "leg_press", 200.0, 12, "kg"),
    ]


def test_a_lifter_in_pounds_gets_five_pound_steps() -> None:
    sets = history(("back_squat", 102.058, 8))
    profile = Profile(user_id=1, weight_unit="lb", lift_sets=sets, **SPLIT, **INTERMEDIATE)  # type: ignore[arg-type]
    _, replies = logging(profile)
    assert replies[-1].choices[0][0].label == "Today's aim: 230 lb x 8"
    _, replies = logging(Profile(user_id=1, weight_unit="lb", lift_sets=sets))  # no plan
    assert replies[-1].choices[0][0].label == "+5 lb → 230 lb x 8"


def test_a_lost_decimal_point_is_asked_about() -> None:
    profile = Profile(user_id=1, lift_sets=history(("back_squat", 100, 8)), **SPLIT)  # type: ignore[arg-type]
    chat, _ = logging(profile)
    replies = chat.text("1025 x 8")
    assert replies[-1].key == "log.check.slip" and not chat.effects
    assert render(replies[-1]) == "Did you mean <b>102.5 kg x 8</b>? Last time you logged 100 kg."
    chat.text("yes")
    chat.text("skip")
    assert saved_sets(chat) == [LiftSet(TODAY, "back_squat", 102.5, 8, "kg")]


def test_a_set_far_from_history_is_confirmed_or_typed_again() -> None:
    profile = Profile(user_id=1, lift_sets=history(("back_squat", 100, 8)), **SPLIT)  # type: ignore[arg-type]
    chat, _ = logging(profile)
    replies = chat.text("250 x 5")
    assert replies[-1].key == "log.check.up" and chat.state == "back_squat"
    replies = chat.text("no")
    assert replies[0].key == "log.retype" and chat.state == "back_squat"
    replies = chat.text("250 x 5")
    chat.press(replies[-1].choice_values[0])  # "Yes, 250 kg x 5"
    assert chat.state == "leg_press"
    chat.text("skip")
    assert saved_sets(chat) == [LiftSet(TODAY, "back_squat", 250.0, 5, "kg")]


def test_skipping_everything_keeps_nothing() -> None:
    chat, _ = logging(Profile(user_id=1, **SPLIT))  # type: ignore[arg-type]
    chat.text("skip")
    replies = chat.text("skip")
    assert replies[-1].key == "log.nothing" and not chat.effects


def test_a_stall_is_said_when_the_log_shows_it() -> None:
    sets = tuple(LiftSet(TODAY - timedelta(days=ago), "back_squat", 100, 8) for ago in (28, 14, 7))
    chat, _ = logging(Profile(user_id=1, lift_sets=sets, **SPLIT))  # type: ignore[arg-type]
    chat.text("same")
    replies = chat.text("skip")
    assert "hasn't gone up in three weeks" in render(replies[-1])


# ---- /measure --------------------------------------------------------------------------------


def measurements(chat: Chat) -> list[measure.SaveMeasurement]:
    return [e for e in chat.effects if isinstance(e, measure.SaveMeasurement)]


def test_measure_with_bad_input_then_everything() -> None:
    chat = Chat(Profile(user_id=1))
    chat.command("measure")
    replies = chat.text("heavy")
    assert replies[0].key == "measure.error.not_a_weight" and chat.state == "body_weight"
    chat.text("82.5 kg")
    assert chat.state == "tape"
    chat.press("tape=yes")
    replies = chat.text("huge")
    assert replies[0].key == "measure.error.not_a_length" and chat.state == "thigh_cm"
    replies = chat.text("500 cm")
    assert replies[0].key == "measure.error.out_of_range"
    chat.text("58 cm")
    chat.text("skip")
    chat.text("14 in")
    assert measurements(chat) == [measure.SaveMeasurement(TODAY, 82.5, 58.0, None, 35.6)]


def test_measure_shows_the_change_since_last_time() -> None:
    earlier = (Measurement(TODAY - timedelta(days=14), 82.0, 57.0, 38.0, 36.0),)
    chat = Chat(Profile(user_id=1, measurements=earlier))
    replies = chat.command("measure")
    assert "Same as last time: 82 kg" in [c.label for row in replies[-1].choices for c in row]
    chat.text("82.5")
    replies = chat.press("tape=no")
    assert measurements(chat) == [measure.SaveMeasurement(TODAY, 82.5)]
    assert "Body weight: 82.5 kg (+0.5 kg since" in render(replies[-1])


def test_measure_with_everything_skipped_keeps_nothing() -> None:
    chat = Chat(Profile(user_id=1))
    chat.command("measure")
    chat.text("skip")
    replies = chat.text("skip")
    assert replies[-1].key == "measure.nothing" and not chat.effects


@pytest.mark.parametrize(
    ("weighed_days_ago", "offered"), [(None, False), (13, False), (14, True), (40, True)]
)
def test_the_check_in_offers_to_measure_every_two_weeks(
    weighed_days_ago: int | None, offered: bool
) -> None:
    weighed = (
        (Measurement(TODAY - timedelta(days=weighed_days_ago), 82.0),)
        if weighed_days_ago is not None
        else ()
    )
    chat = Chat(Profile(user_id=1, measurements=weighed))
    chat.command("checkin")
    replies: list[Reply] = []
    while chat.conversation is not None and chat.conversation.flow == checkin.NAME:
        replies = chat.text("skip")
    assert any(reply.key == "measure.offer" for reply in replies) is offered


# ---- the assessment and the reminder ------------------------------------------------------------


def test_the_assessment_reports_the_lag_and_keeps_the_sets() -> None:
    chat = Chat()
    replies = chat.command("assess")
    answers = dict(TYPED, leg_lift_set="90 x 5", bench_set="100 x 5")
    while replies[-1].key.startswith("q."):
        replies = chat.text(answers[replies[-1].key.removeprefix("q.")])
    [lag] = [reply for reply in replies if reply.key.startswith("assessment.lag")]
    assert render(lag) == (
        "📐 Your squat is 0.9 times your bench; balanced lifters squat about 1.3 times: your "
        "legs lag by about 30 %. /log after each leg day tracks them catching up."
    )
    sets = [s for e in chat.effects if isinstance(e, log_lifts.SaveLiftSets) for s in e.sets]
    assert [(s.lift, s.weight_kg, s.reps, s.source) for s in sets] == [
        ("back_squat", 90.0, 5, "assessment"),
        ("bench_press", 100.0, 5, "assessment"),
    ]
    [taped] = [e for e in chat.effects if isinstance(e, measure.SaveMeasurement)]
    assert (taped.body_weight_kg, taped.thigh_cm, taped.calf_cm) == (82.0, 58.0, 38.0)


def assessed(**typed: str) -> Chat:
    chat = Chat()
    replies = chat.command("assess")
    while replies[-1].key.startswith("q."):
        state = replies[-1].key.removeprefix("q.")
        replies = chat.text(typed.get(state, TYPED[state]))
    return chat


def test_a_lifter_who_weighs_in_pounds_types_sets_in_pounds() -> None:
    chat = assessed(weight="180 lb", leg_lift_set="225 x 5", bench_set="185 x 5")
    sets = [s for e in chat.effects if isinstance(e, log_lifts.SaveLiftSets) for s in e.sets]
    assert [(s.lift, s.weight_kg, s.unit) for s in sets] == [
        ("back_squat", 102.058, "lb"),
        ("bench_press", 83.915, "lb"),
    ]


def test_the_assessment_lift_questions_can_be_skipped() -> None:
    chat = assessed(leg_lift="skip", tape="no")
    assert not [e for e in chat.effects if isinstance(e, log_lifts.SaveLiftSets)]
    [saved] = [e for e in chat.effects if isinstance(e, assessment.SaveAssessment)]
    assert saved.answers["leg_lift"] is None and "leg_lift_kg" not in saved.answers


def test_the_reminder_carries_todays_aim() -> None:
    sets = history(("back_squat", 100, 8), ("leg_press", 200, 10))
    # A Tuesday, day A, intermediate with checked form: heavy basics 6-8.
    message = leg_day_message(1, TODAY, True, (1, 4), "intermediate", True, "kg", sets)
    assert "Barbell back squat: last time 100 kg x 8: today 102.5 kg" in message.text_html
    without = leg_day_message(1, TODAY, True, (1, 4), "intermediate", True, "kg")
    assert "Today's aim" not in without.text_html


def test_todays_aim_ignores_sets_of_that_day_or_later() -> None:
    later = (LiftSet(TODAY, "back_squat", 100, 8),)
    message = leg_day_message(1, TODAY, True, (1, 4), "intermediate", True, "kg", later)
    assert "Today's aim" not in message.text_html


def test_log_started_for_a_day_to_come_logs_the_usual_day() -> None:
    chat = Chat(Profile(user_id=1, **SPLIT))  # type: ignore[arg-type]
    chat.send(Event.command("log", "2026-12-24"))
    assert chat.conversation is not None and chat.conversation.data["day"] == TODAY.isoformat()


def test_the_log_buttons_offer_the_aim_the_reminder_gave() -> None:
    sets = history(("back_squat", 180, 5))
    message = leg_day_message(1, TODAY, True, (1, 4), "intermediate", True, "kg", sets)
    assert "Barbell back squat: last time 180 kg x 5: today 180 kg again, for 6 reps" in (
        message.text_html
    )
    profile = Profile(
        user_id=1,
        plan_weekdays=(1, 4),
        plan_split=True,
        plan_experience="intermediate",
        plan_explosive=True,
        lift_sets=sets,
    )
    chat, replies = logging(profile)
    labels = [choice.label for row in replies[-1].choices for choice in row]
    assert labels[0] == "Today's aim: 180 kg x 6"
    assert not any(label.startswith("+2.5 kg") for label in labels)
    chat.press(replies[-1].choices[0][0].value)
    assert chat.answers["back_squat_kg"] == 180.0 and chat.answers["back_squat_reps"] == 6


MONDAY_30 = date(2026, 11, 30)


def log_asks_about(profile: Profile, now: datetime) -> str:
    chat = Chat(profile)
    replies = chat.send(Event.command("log"), now)
    return str(replies[-1].values["day"])


def test_log_asks_about_the_day_marked_done_not_one_before_the_plan() -> None:
    plan = {"plan_weekdays": (1, 3), "plan_split": True, "plan_since": MONDAY_30}
    noon = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
    checked_in = (CheckinDay(MONDAY_30, leg_day="done"),)
    assert log_asks_about(Profile(user_id=1, recent_checkins=checked_in, **plan), noon) == (
        "Mon 30 Nov"
    )
    marked = {MONDAY_30: "done"}
    assert log_asks_about(Profile(user_id=1, reminder_leg_days=marked, **plan), noon) == (
        "Mon 30 Nov"
    )
    # Nothing marked: no planned day before the plan began, so today.
    assert log_asks_about(Profile(user_id=1, **plan), noon) == "Mon 30 Nov"


def test_log_asks_about_the_users_local_day() -> None:
    plan = {"plan_weekdays": (1, 3), "plan_split": True, "plan_since": MONDAY_30}
    late = datetime(2026, 11, 30, 22, 0, tzinfo=UTC)  # Tuesday 1 December in Tokyo
    assert log_asks_about(Profile(user_id=1, timezone="Asia/Tokyo", **plan), late) == ("Tue 1 Dec")


@pytest.mark.parametrize(
    ("unit", "typed", "estimate"),
    [("kg", "200 x 10", "about 267.5 kg for one rep"), ("lb", "315 x 8", "about 400 lb")],
)
def test_the_one_rep_estimate_is_rounded_to_a_plate_step(
    unit: str, typed: str, estimate: str
) -> None:
    chat, _ = logging(Profile(user_id=1, weight_unit=unit, **SPLIT))  # type: ignore[arg-type]
    chat.text(typed)
    replies = chat.text("skip")
    text = render(replies[-1])
    assert estimate in text and "266.7" not in text


@pytest.mark.parametrize(
    ("typed", "squat"),
    [
        ("+2.5", LiftSet(TODAY, "back_squat", 102.5, 8, "kg")),
        ("+5 kg", LiftSet(TODAY, "back_squat", 105.0, 8, "kg")),
        ("+2,5 кг", LiftSet(TODAY, "back_squat", 102.5, 8, "kg")),
    ],
)
def test_more_weight_typed_adds_it_to_the_last_set(typed: str, squat: LiftSet) -> None:
    sets = history(("back_squat", 100, 8), ("leg_press", 200, 12))
    profile = Profile(user_id=1, lift_sets=sets, **SPLIT, **INTERMEDIATE)  # type: ignore[arg-type]
    chat, _ = logging(profile)
    chat.text(typed)
    chat.text("skip")
    assert saved_sets(chat) == [squat]


def test_a_pound_lifter_is_asked_for_the_tape_in_inches() -> None:
    chat = Chat(Profile(user_id=1, weight_unit="lb"))
    chat.command("measure")
    chat.text("180 lb")
    replies = chat.press("tape=yes")
    assert "<b>Thigh</b>, in inches." in render(replies[-1])
