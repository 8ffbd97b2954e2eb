"""Texts of the assessment interview: questions, button labels, examples and errors.

Every table here is read when a text is shown, in the user's language (flows.i18n).
"""

from flows.i18n import Messages, Plural, Text
from flows.texts.common import WHICH_LABELS, Choices
from flows.texts.diagnosis import how_long

__all__ = [
    "CHOICES",
    "COMMANDS",
    "EXAMPLES",
    "SAME_AMOUNTS",
    "SAME_COUNTS",
    "SAME_LABEL",
    "SAME_SET",
    "SAME_WEEKS",
    "SAME_WEIGHT",
    "SKIP_LABEL",
    "TEXTS",
    "TITLE",
    "WHICH_LABELS",
]

# How the conversation is named when another one puts it on hold, and its command's menu line.
TITLE = "your assessment"
COMMANDS: dict[str, str] = {
    "assess": "Find out why your legs lag behind",
    "diagnosis": "Your latest diagnosis: what holds your legs back and why",
}

QUESTIONS: dict[str, str] = {
    "experience": "How long have you been training with weights?",
    "recovery": "How do you usually feel at your next workout after a hard one?",
    "weight": "What do you weigh? Type it in kg or lb, e.g. <b>82 kg</b> or <b>180 lb</b>.",
    "leg_days_per_week": "How many days a week do you train legs?",
    "consecutive_leg_days": "Do your leg workouts ever fall on two days in a row?",
    "leg_training": "What does your leg training mostly consist of?",
    "front_exercises": (
        "How many different exercises do you do for the <b>front</b> of your thighs "
        "(squats, leg press, hack squat, leg extensions...) in a week?"
    ),
    "back_exercises": (
        "And for the <b>back</b> of your thighs (leg curls, Romanian deadlifts...)?"
    ),
    "accessory_reps": (
        "How many reps per set do you usually do on the exercises that are <i>not</i> "
        "the heavy basics (machines, curls, extensions)?"
    ),
    "trains_calves": "Do you train your calves?",
    "calf_set_seconds": "How long does one set of calf raises take you, start to finish?",
    "weeks_since_program_change": (
        "When did you last change your leg exercises or rep scheme? "
        "Tap a button or type e.g. <b>6 weeks</b> or <b>4 months</b>."
    ),
    "form_checked": (
        "Has anyone (a coach, a training partner or a video of yourself) checked your "
        "squat and deadlift form?"
    ),
    "chases_heavy": "Be honest: do you go for heavier weights even when your form suffers?",
    "explosive_reps": ("Do you push the lifting part of each rep fast and hard (explosive reps)?"),
    "leg_lift": ("Optional, to measure how far your legs lag: which is your main heavy leg lift?"),
    "leg_lift_set": (
        "Your best set of it in the last few weeks: weight x reps, e.g. <b>100 x 5</b>, "
        "<b>100 kg x 5</b> or <b>225 lb for 5</b>."
    ),
    "bench_set": (
        "And your best recent bench press set, the same way, e.g. <b>80 x 5</b>? "
        "Squat against bench shows how far your legs lag."
    ),
    "tape": (
        "Optional: tape measurements of thigh, calf and upper arm? A minute with a soft "
        "tape, and over the weeks they show your legs catching up."
    ),
    "thigh_cm": (
        "<b>Thigh</b>: stand relaxed, weight on both feet, tape around the thickest part "
        "just below the buttock, level and snug. In cm or in, e.g. <b>58 cm</b> or "
        "<b>23 in</b>."
    ),
    "calf_cm": (
        "<b>Calf</b>: stand relaxed, tape around the thickest part, level. "
        "E.g. <b>38 cm</b> or <b>15 in</b>."
    ),
    "arm_cm": (
        "<b>Upper arm</b>: arm hanging relaxed, tape halfway between shoulder and elbow. "
        "E.g. <b>36 cm</b> or <b>14 in</b>."
    ),
    "cardio_minutes_week": (
        "How much cardio do you do in a typical week? "
        "Tap a button or type e.g. <b>90 min</b> or <b>2 h</b>."
    ),
    "cardio_kind": "What kind of cardio is it mostly?",
    "calories_per_day": (
        "About how many calories do you eat a day? Type a number like <b>2800</b>, "
        "or tap skip if you don't count them."
    ),
    "carbs": (
        "How much carbohydrate do you eat (rice, pasta, bread, potatoes, oats, fruit)? "
        "Tap a level or type grams a day, e.g. <b>300 g</b>."
    ),
    "protein_g": (
        "How many grams of protein do you eat a day? E.g. <b>150</b>. Tap skip if you have no idea."
    ),
    "sleep_hours": (
        "How many hours do you sleep on a typical night? E.g. <b>7</b>, <b>7.5</b> or <b>7h30</b>."
    ),
    "naps": "Do you take naps during the day?",
}

# Button labels, (label, value); typing a label works like tapping it.
CHOICES = Choices(
    {
        "experience": (
            ("Beginner (under 1 year)", "beginner"),
            ("Intermediate (1–3 years)", "intermediate"),
            ("Advanced (3+ years)", "advanced"),
        ),
        "recovery": (
            ("Fresh by next session", "good"),
            ("Somewhat sore", "average"),
            ("Often worn out", "poor"),
        ),
        "leg_days_per_week": (("0", "0"), ("1", "1"), ("2", "2"), ("3", "3"), ("4+", "4")),
        "consecutive_leg_days": (("Yes, sometimes", "yes"), ("No, never", "no")),
        "leg_training": (
            ("Heavy basics: squats, deadlifts, leg press", "free_weights"),
            ("Machines only", "machines"),
            ("Only running or cycling", "cardio_only"),
            ("Nothing for legs yet", "none"),
        ),
        "front_exercises": (("1", "1"), ("2", "2"), ("3", "3"), ("4", "4"), ("5+", "5")),
        "back_exercises": (("0", "0"), ("1", "1"), ("2", "2"), ("3", "3"), ("4+", "4")),
        "accessory_reps": (("6–8", "8"), ("10–12", "12"), ("15–20", "15"), ("20+", "20")),
        "trains_calves": (("Yes", "yes"), ("No", "no")),
        "calf_set_seconds": (("About 20 s", "20"), ("About 40 s", "40"), ("About 60 s", "60")),
        # Values carry their unit: a bare number typed here is read as months.
        "weeks_since_program_change": (
            ("Under a month", "3 weeks"),
            ("1–3 months", "8 weeks"),
            ("3–6 months", "18 weeks"),
            ("Longer", "40 weeks"),
        ),
        "form_checked": (("Yes", "yes"), ("No", "no")),
        "chases_heavy": (("Yes, weight first", "yes"), ("No, form first", "no")),
        "explosive_reps": (("Yes", "yes"), ("No, slow and steady", "no")),
        "cardio_minutes_week": (
            ("None", "0"),
            ("About 1 h", "60"),
            ("About 2.5 h", "150"),
            ("5 h or more", "300"),
        ),
        "cardio_kind": (
            ("Long and steady", "steady"),
            ("Intervals", "intervals"),
            ("Both", "mixed"),
        ),
        "carbs": (("Low", "low"), ("Moderate", "moderate"), ("High", "high")),
        "sleep_hours": (("6 h", "6"), ("7 h", "7"), ("8 h", "8"), ("9 h", "9")),
        "naps": (("Yes", "yes"), ("No", "no")),
        "leg_lift": (("Squat", "back_squat"), ("Leg press", "leg_press")),
        "tape": (("Yes, measure", "yes"), ("Not now", "no")),
    },
    "assessment.button.",
)

SKIP_LABEL = Text("assessment.skip", "Don't know / skip")
# A re-assessment offers each answer given last time as a button.
SAME_LABEL = Text("assessment.same", "Same as last time: {answer}")
# How a number from last time is shown on that button, by answer key: counts, then amounts
# with their unit.
SAME_COUNTS: dict[str, Plural] = {
    "leg_days_per_week": Plural(
        "assessment.same.leg_days_per_week", "{count} a week", "{count} a week"
    ),
    "accessory_reps": Plural("assessment.same.accessory_reps", "{count} reps", "{count} reps"),
}
SAME_AMOUNTS = Messages(
    {
        "calf_set_seconds": "{amount} s",
        "cardio_minutes_week": "{amount} min a week",
        "calories_per_day": "{amount} kcal",
        "carbs_g": "{amount} g",
        "protein_g": "{amount} g",
        "sleep_hours": "{amount} h",
        "thigh_cm": "{amount} cm",
        "calf_cm": "{amount} cm",
        "arm_cm": "{amount} cm",
    },
    "assessment.same.",
)


class _WeeksAgo:
    """How long ago the program changed, as the person said it: whole weeks (a button's
    "8 weeks", a typed "5 weeks") and halves under a month in weeks; a time typed in months
    or years, stored in weeks (8.7 for "a couple of months", 13 for "3 months"), as about
    that many months or years, as the diagnosis says it."""

    def __init__(self, weeks: Plural) -> None:
        self.weeks = weeks

    def __call__(self, count: float) -> str:
        whole = float(count).is_integer()
        if count == 0 or (whole and count % 13) or (count < 4 and float(count * 2).is_integer()):
            return self.weeks(count)
        return how_long(count)


SAME_WEEKS = _WeeksAgo(Plural("assessment.same.weeks", "{count} week", "{count} weeks"))
# A set from last time, and a weight (the set's or the body's) in the unit it was typed in.
SAME_SET = Text("assessment.same.set", "{weight} x {reps}")
SAME_WEIGHT = Messages({"kg": "{amount} kg", "lb": "{amount} lb"}, "assessment.same.weight.")

# A good answer for each question, shown whenever an answer could not be used.
EXAMPLES = Messages(
    {
        "experience": "tap a button, or type “beginner”, “intermediate”, “advanced” or “2 years”",
        "recovery": "tap a button, or type “fresh”, “somewhat sore” or “worn out”",
        "weight": "“82”, “82 kg”, “180 lb” (between 30 and 300 kg)",
        "leg_days_per_week": "a whole number from 0 to 7, e.g. “2”",
        "consecutive_leg_days": "“yes” or “no”",
        "leg_training": (
            "tap one of the buttons, or type “squats”, “machines”, “running” or “nothing”"
        ),
        "front_exercises": "a whole number from 1 to 15 (“5+” for five or more), e.g. “3”",
        "back_exercises": "a whole number from 0 to 15 (“4+” for four or more), e.g. “2”",
        "accessory_reps": "a number of reps from 1 to 100, e.g. “12”",
        "trains_calves": "“yes” or “no”",
        "calf_set_seconds": "seconds from 3 to 600, e.g. “40” or “40 s”",
        "weeks_since_program_change": "“3 weeks”, “2 months”, “1 year” or just “4” (months)",
        "form_checked": "“yes” or “no”",
        "chases_heavy": "“yes” or “no”",
        "explosive_reps": "“yes” or “no”",
        "cardio_minutes_week": "up to 3000 minutes a week, e.g. “90 min”, “2 h”, “1h30” or “0”",
        "cardio_kind": "“steady”, “intervals” or “both”",
        "calories_per_day": "calories a day from 500 to 15,000, e.g. “2800” or “2,800 kcal”",
        "carbs": "“low”, “moderate”, “high”, or grams a day such as “300 g”",
        "protein_g": "grams a day from 0 to 800, e.g. “150” or “150 g”",
        "sleep_hours": "hours from 0 to 16, e.g. “7”, “7.5”, “7h30” or “6 h 30 min”",
        "naps": "“yes” or “no”",
        "leg_lift": "“squat” or “leg press”",
        "leg_lift_set": "weight x reps, e.g. “100 x 5”, “100 kg x 5” or “225 lb for 5”",
        "bench_set": "weight x reps, e.g. “80 x 5”, “80 kg x 5” or “175 lb for 5”",
        "tape": "“yes” or “no”",
        "thigh_cm": "“58 cm”, “23 in” or just “58” (30 to 100 cm)",
        "calf_cm": "“38 cm”, “15 in” or just “38” (20 to 70 cm)",
        "arm_cm": "“36 cm”, “14 in” or just “36” (15 to 70 cm)",
    },
    "assessment.example.",
)

# Above every question; part of each question's message, so each language words it whole.
_PROGRESS = "<i>Question {number} of {total}</i>\n"

TEXTS = Messages(
    {
        **{f"q.{state}": _PROGRESS + prompt for state, prompt in QUESTIONS.items()},
        "assessment.error.not_a_number": "I need a number there. A good answer: {example}.",
        "assessment.error.out_of_range": (
            "That number is outside what's possible here. A good answer: {example}."
        ),
        "assessment.error.not_a_weight": (
            "I couldn't read that as a body weight. A good answer: {example}."
        ),
        "assessment.error.not_hours": "I couldn't read that as hours. A good answer: {example}.",
        "assessment.error.not_minutes": (
            "I couldn't read that as minutes. A good answer: {example}."
        ),
        "assessment.error.not_seconds": (
            "I couldn't read that as seconds. A good answer: {example}."
        ),
        "assessment.error.not_grams": "I couldn't read that as grams. A good answer: {example}.",
        "assessment.error.not_kcal": "I couldn't read that as calories. A good answer: {example}.",
        "assessment.error.not_carbs": (
            "I couldn't read that as a carb level or grams. A good answer: {example}."
        ),
        "assessment.error.not_a_duration": (
            "I couldn't read that as a length of time. A good answer: {example}."
        ),
        "assessment.error.not_yes_no": "Please answer yes or no: {example}.",
        "assessment.error.not_a_set": "I couldn't read that as a set. A good answer: {example}.",
        "assessment.error.no_reps": (
            "I see the weight but not the reps: add how many, e.g. “{text} x 5”. "
            "A good answer: {example}."
        ),
        "assessment.error.no_weight": (
            "I see the reps but not the weight: put the weight first. A good answer: {example}."
        ),
        "assessment.error.reps_out_of_range": (
            "A set here has from 1 to 30 whole reps. A good answer: {example}."
        ),
        "assessment.error.weight_out_of_range": (
            "That weight is outside what a set can be here. A good answer: {example}."
        ),
        "assessment.error.not_a_length": (
            "I couldn't read that as a measurement. A good answer: {example}."
        ),
        "assessment.error.not_a_choice": "That isn't one of the options. A good answer: {example}.",
        "assessment.error.no_previous": (
            "There's no answer from your last assessment to reuse here. A good answer: {example}."
        ),
        "assessment.which": "Just to be sure: did you mean <b>{reading}</b>?",
        "assessment.error.cannot_skip": (
            "I need this one to work out your targets, so it can't be skipped. "
            "A good answer: {example}."
        ),
        "assessment.error.too_long": (
            "That message is too long for an answer ({length} characters). "
            "A short one is enough: {example}."
        ),
        "assessment.error.not_text": (
            "I can only read text and buttons here, not a {what}. A good answer: {example}."
        ),
        "assessment.confirm_restart": (
            "You're in the middle of an assessment (at question {number}). "
            "Start over, or continue where you left off?"
        ),
        "assessment.continuing": "Let's carry on.",
        "assessment.resumed": "I've updated my questions since we last spoke; let's carry on here.",
        "assessment.old_question": (
            "That button belongs to an earlier question. Here's where we are now:"
        ),
        "assessment.first_question": "This is the first question, there's nothing before it.",
        "assessment.next": (
            "Next: a leg-day plan built on this diagnosis, with reminders. /diagnosis shows the "
            "diagnosis again; run /assess in a few weeks to see what changed."
        ),
        "assessment.diagnosis.none": (
            "There's no diagnosis yet: it comes at the end of the assessment. /assess starts it."
        ),
        "assessment.next.plan": "Build my leg-day plan",
        # The lag figure (flows.lifts.leg_lag), after the diagnosis.
        "assessment.lag.lag": (
            "📐 Your squat is {ratio} times your bench; balanced lifters squat about {balanced} "
            "times: your legs lag by about {percent} %.{rough} /log after each leg day tracks "
            "them catching up."
        ),
        "assessment.lag.balanced": (
            "📐 Your squat is {ratio} times your bench, in the 1.25 to 1.4 range balanced "
            "lifters show: by strength your legs keep up; the tape shows whether size does.{rough}"
        ),
        "assessment.lag.ahead": (
            "📐 Your squat is {ratio} times your bench, more than the about {balanced} of "
            "balanced lifters: by strength your legs are ahead; the tape shows whether size "
            "is.{rough}"
        ),
        "assessment.lag.rough": (
            " (A rough estimate: sets of more than 10 reps say less about a one-rep max.)"
        ),
        "assessment.lag.leg_press": (
            "📐 Your leg press set starts your lift history. The squat-to-bench comparison "
            "needs a squat: leg press weights don't compare with a bench press."
        ),
    },
)
