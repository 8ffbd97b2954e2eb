"""/measure after an assessment that measured the same day: what it measured is last time."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from flows import measure
from flows.core import Profile, Reply
from flows.lifts import Measurement
from flows.texts import render
from tests.flows.driver import NOW, TYPED, Chat

TODAY = NOW.date()


def measured(chat: Chat) -> list[measure.SaveMeasurement]:
    return [effect for effect in chat.effects if isinstance(effect, measure.SaveMeasurement)]


def assessed_today() -> Chat:
    """A lifter who has just taken the assessment with the tape (82 kg, thigh 58 cm, calf
    38 cm, upper arm 14 in), its measurement stored as the profile loads it."""
    chat = Chat()
    replies = chat.command("assess")
    while replies[-1].key.startswith("q."):
        replies = chat.text(TYPED[replies[-1].key.removeprefix("q.")])
    [taped] = measured(chat)
    assert taped.day == TODAY
    chat.profile = replace(chat.profile, measurements=(taped,))
    chat.effects.clear()
    return chat


def same_label(reply: Reply) -> str:
    return reply.choices[0][0].label


def test_measure_after_the_assessment_shows_what_it_measured() -> None:
    chat = assessed_today()
    weight = chat.command("measure")[-1]
    assert "Last time (Tue 17 Nov): 82 kg." in render(weight)
    assert same_label(weight) == "Same as last time: 82 kg"
    tape = chat.text("81.5")[-1]
    assert "You have none yet" not in render(tape)
    assert "Your last ones are from Tue 17 Nov" in render(tape)
    thigh = chat.press("tape=yes")[-1]
    assert "Last time (Tue 17 Nov): 58 cm." in render(thigh)
    calf = chat.text("59")[-1]
    assert "Last time (Tue 17 Nov): 38 cm." in render(calf)
    arm = chat.text("38")[-1]
    assert "Last time (Tue 17 Nov): 35.6 cm." in render(arm)
    replies = chat.text("skip")
    # Measured again the same day: the new values take the old ones' place, and say so.
    assert measured(chat) == [measure.SaveMeasurement(TODAY, 81.5, 59.0, 38.0, None)]
    text = render(replies[-1])
    assert "Body weight: 81.5 kg (replaces today's earlier 82 kg: −0.5 kg)" in text
    assert "Thigh: 59 cm (replaces today's earlier 58 cm: +1 cm)" in text
    assert "Calf: 38 cm (replaces today's earlier 38 cm: ±0 cm)" in text
    assert "Upper arm" not in text


def test_a_measurement_of_an_earlier_day_is_counted_from_as_before() -> None:
    earlier = Measurement(TODAY - timedelta(days=14), 82.0, 57.0)
    chat = Chat(Profile(user_id=1, measurements=(earlier,)))
    chat.command("measure")
    chat.text("83")
    chat.press("tape=yes")
    chat.text("58")
    chat.text("skip")
    text = render(chat.text("skip")[-1])
    assert "Body weight: 83 kg (+1 kg since Tue 3 Nov)" in text
    assert "Thigh: 58 cm (+1 cm since Tue 3 Nov)" in text
    assert "replaces" not in text
