"""The terminal chat, scripted through piped standard input, as a user would run it."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

from bot.engine import Coach, Response
from bot.storage.db import Sessions
from bot.terminal import TerminalChat, option_number
from flows.core import Choice, Event, Reply
from tests.bot.botprocess import bot_env, run_bot_command
from tests.flows.driver import TYPED

ROOT = Path(__file__).resolve().parents[2]


def run_bot(
    args: list[str], stdin: str, data_dir: Path, **env: str
) -> subprocess.CompletedProcess[str]:
    return run_bot_command(args, data_dir, bot_env(data_dir, **env), timeout=120, stdin=stdin)


def test_whole_interview_through_piped_input(tmp_path: Path) -> None:
    # Options are picked by number, by label and by typing; one bad answer on the way.
    script = ["2", "Fresh by next session", "heavy", "82 kg", *[TYPED[k] for k in list(TYPED)[3:]]]
    result = run_bot(["chat", "--user", "7"], "\n".join(script) + "\n", tmp_path)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Question 1 of" in out and "[1] Beginner (under 1 year)" in out
    assert "I couldn't read that as a body weight" in out
    assert "What holds your legs back" in out or "already do right" in out
    assert "Bye!" in out
    assert "Traceback" not in result.stderr


def test_run_without_token_offers_the_terminal_chat(tmp_path: Path) -> None:
    result = run_bot([], "/help\n", tmp_path)
    assert result.returncode == 0, result.stderr
    assert "No TELEGRAM_BOT_TOKEN is set" in result.stdout
    assert "/assess" in result.stdout
    assert "Traceback" not in result.stderr


def test_chat_resumes_where_the_user_stopped(tmp_path: Path) -> None:
    first = run_bot(["chat", "--user", "9"], "1\n", tmp_path)
    assert first.returncode == 0, first.stderr
    second = run_bot(["chat", "--user", "9"], "2\n", tmp_path)
    # Opening the chat again shows the open question; option 2 answers it.
    opening = second.stdout.split("bot> ", 2)[1]
    assert opening.startswith("Question 2 of")
    assert "Question 3 of" in second.stdout
    assert _answers(tmp_path, 9) == {"experience": "beginner", "recovery": "average"}
    other_user = run_bot(["chat", "--user", "10"], "", tmp_path)
    assert "Question 1 of" in other_user.stdout


def _answers(data_dir: Path, user_id: int) -> dict[str, object]:
    import json
    import sqlite3

    with sqlite3.connect(data_dir / "legdaycoach.db") as database:
        row = database.execute(
            "select data from conversations where user_id = ?", (user_id,)
        ).fetchone()
    return dict(json.loads(row[0])["answers"])


def test_typed_numbers_are_answers_where_the_options_are_numbers(tmp_path: Path) -> None:
    # Experience by option number, then recovery, weight, and "2" leg days: a value.
    result = run_bot(["chat", "--user", "11"], "3\n1\n90\n2\n", tmp_path)
    assert result.returncode == 0, result.stderr
    assert _answers(tmp_path, 11) == {
        "experience": "advanced",
        "recovery": "good",
        "weight_kg": 90.0,
        "weight_unit": "kg",
        "leg_days_per_week": 2,
    }


def test_unknown_commands_and_empty_input_do_not_break_the_chat(tmp_path: Path) -> None:
    result = run_bot(["chat"], "/nonsense\n\n   \n/cancel\nhello\n", tmp_path)
    assert result.returncode == 0, result.stderr
    assert "I don't know /nonsense" in result.stdout
    assert "Stopped." in result.stdout
    assert "I'm not asking anything right now" in result.stdout


def _onboarding_script() -> list[str]:
    answers = [TYPED[key] for key in TYPED]
    # The assessment, then /plan: keep Tuesday and Friday (option 1), 18:00, Berlin.
    return ["/start", *answers, "/plan", "1", "18:00", "Berlin"]


# After onboarding: the calendar file, a whole check-in and the progress chart.
CALENDAR_CHECKIN_PROGRESS = (
    "/calendar",
    "/checkin",
    "7",
    "150",
    "moderate",
    "0",
    "rest",
    "/progress",
)


def test_plan_calendar_checkin_and_progress_chart_in_the_terminal(tmp_path: Path) -> None:
    script = [
        *_onboarding_script(),
        *CALENDAR_CHECKIN_PROGRESS,
    ]
    result = run_bot(["chat", "--user", "21"], "\n".join(script) + "\n", tmp_path)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Tuesday" in out and "Friday" in out and "Berlin" in out
    saved_files = [
        line.split("file saved: ", 1)[1].rstrip("]")
        for line in out.splitlines()
        if "file saved: " in line
    ]
    calendar = next(Path(path) for path in saved_files if path.endswith(".ics"))
    assert calendar.read_bytes().startswith(b"BEGIN:VCALENDAR")
    chart = next(Path(path) for path in saved_files if path.endswith(".png"))
    assert chart.read_bytes().startswith(b"\x89PNG")
    assert "Saved" in out and "in a row" in out


def test_a_due_checkin_reaches_the_terminal_and_is_answered(tmp_path: Path) -> None:
    first = run_bot(["chat", "--user", "22"], "\n".join(_onboarding_script()) + "\n", tmp_path)
    assert first.returncode == 0, first.stderr
    import sqlite3
    from datetime import UTC, datetime, timedelta

    due = (datetime.now(UTC) - timedelta(seconds=5)).strftime("%Y-%m-%d %H:%M:%S.%f")
    with sqlite3.connect(tmp_path / "legdaycoach.db") as database:
        changed = database.execute(
            "update reminders set next_due_at = ? where user_id = 22 and kind = 'checkin'",
            (due,),
        ).rowcount
    assert changed == 1
    # The scheduled check-in comes right after the menu; its one button is option 1.
    second = run_bot(["chat", "--user", "22"], "1\n8\n180\nhigh\n0\nrest\n", tmp_path)
    assert second.returncode == 0, second.stderr
    out = second.stdout
    assert "Check-in time" in out
    assert "Saved" in out


def test_delete_removes_every_file_the_terminal_wrote_for_the_user(tmp_path: Path) -> None:
    other = run_bot(["chat", "--user", "24"], "/start\n1\n", tmp_path)
    assert other.returncode == 0, other.stderr
    script = [
        *_onboarding_script(),
        *CALENDAR_CHECKIN_PROGRESS,
        "/export",
    ]
    made = run_bot(["chat", "--user", "23"], "\n".join(script) + "\n", tmp_path)
    assert made.returncode == 0, made.stderr
    files = tmp_path / "files"
    saved = sorted(path.name for path in (files / "23").iterdir())
    assert any(name.endswith(".ics") for name in saved)
    assert any(name.endswith(".png") for name in saved)
    assert any(name.endswith(".json") for name in saved)
    assert any(name.endswith(".csv") for name in saved)
    # The printed paths are the files in the user's own folder.
    printed = [
        line.split("file saved: ", 1)[1].rstrip("]")
        for line in made.stdout.splitlines()
        if "file saved: " in line
    ]
    assert printed and all(Path(path).parent == (files / "23").resolve() for path in printed)
    # A file an earlier version wrote straight into the files folder is theirs too.
    (files / "23-legdaycoach-old.json").write_text("{}")
    (files / "230-someone-else.json").write_text("{}")

    kept = run_bot(["chat", "--user", "23"], "/delete\nKeep my data\n", tmp_path)
    assert kept.returncode == 0, kept.stderr
    assert sorted(path.name for path in (files / "23").iterdir()) == saved

    deleted = run_bot(["chat", "--user", "23"], "/delete\n1\n", tmp_path)
    assert deleted.returncode == 0, deleted.stderr
    assert "are deleted too" in deleted.stdout
    assert not (files / "23").exists()
    assert not (files / "23-legdaycoach-old.json").exists()
    # Nobody else's files are touched.
    assert (files / "230-someone-else.json").exists()
    assert _user_rows(tmp_path, 23) == 0
    assert _user_rows(tmp_path, 24) == 1


def _user_rows(data_dir: Path, user_id: int) -> int:
    import sqlite3

    with sqlite3.connect(data_dir / "legdaycoach.db") as database:
        row = database.execute("select count(*) from users where id = ?", (user_id,)).fetchone()
    return int(row[0])


# Lines a terminal may receive: digits that are not ASCII, numbers beyond any range, control
# characters, emoji, very long lines, and commands with such arguments.
HOSTILE_LINES = [
    "8²",
    "²",
    "٣",
    "٣٣",
    "𝟠",
    "８２ kg",
    "½",
    "Ⅻ",
    "99999999999999999999999",
    "-99999999999999999999999",
    "1e999",
    "nan",
    "inf",
    "0",
    "00000",
    "1" * 5000,
    "",
    "   ",
    "\t",
    "\x00",
    "\x01\x07\x1b[31m",
    "2\x00",
    "\u202e\u200b",
    "🏋️",
    "🦵🦵🦵 💪🏽",
    "x" * 100_000,
    "/",
    "/8²",
    "/progress 8²",
    "/progress 99999999999999999999999",
    "/checkin ٣",
    "/checkin 99999999999999999999999",
    "/" + "a" * 5000,
    "82 kg²",
    "180 lb" + "0" * 400,
]

# Nothing but spaces and control characters.
BLANK_LINES = {"", "   ", "\t", "\x00"}


async def _say_all(chat: TerminalChat, out: io.StringIO, lines: list[str]) -> None:
    for line in lines:
        before = len(out.getvalue())
        await chat.say(line)
        answer = out.getvalue()[before:]
        if line in BLANK_LINES:
            # Like pressing Enter on nothing: no answer, and nothing changes.
            assert answer == "", f"blank line {line!r} answered with {answer[:80]!r}"
        else:
            assert "bot> " in answer, f"no answer to {line[:40]!r}"


async def test_hostile_lines_are_answered_in_every_kind_of_question(
    sessions: Sessions, tmp_path: Path
) -> None:
    coach = Coach(sessions)
    answers = [TYPED[key] for key in TYPED]
    # Each place is reached by a fresh user, so what a hostile line answers by chance does
    # not move the next place.
    places = [
        [],  # the welcome, nothing asked
        ["/start"],  # options that are words
        ["/start", "2", "1"],  # a typed number with a unit
        ["/start", "2", "1", "82 kg"],  # options that are numbers themselves
        ["/start", *answers, "/plan"],  # the weekday picker
        ["/start", *answers, "/plan", "1"],  # the reminder hour
        ["/start", *answers, "/plan", "1", "18:00", "Berlin", "/checkin"],
        ["/start", *answers, "/settings"],
    ]
    for user_id, setup in enumerate(places, start=100):
        out = io.StringIO()
        chat = TerminalChat(coach, user_id, out, tmp_path / "files")
        await _say_all(chat, out, ["/open", *setup])
        await _say_all(chat, out, HOSTILE_LINES)
        assert "something went wrong" not in out.getvalue()


def test_hostile_input_never_ends_the_terminal_chat(tmp_path: Path) -> None:
    lines = ["/start", *HOSTILE_LINES, "2", "1", *HOSTILE_LINES, "82 kg", *HOSTILE_LINES]
    result = run_bot(["chat", "--user", "31"], "\n".join(lines) + "\n", tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    assert "something went wrong" not in result.stdout
    assert result.stdout.rstrip().endswith("Bye! Your answers are saved; come back any time.")
    # Every line that is not blank got at least one message back.
    answered = [line for line in lines if line not in BLANK_LINES]
    assert result.stdout.count("bot> ") > len(answered)


def test_only_plain_ascii_digits_pick_an_option() -> None:
    assert option_number("2") == 2
    assert option_number("0003") == 3
    for text in ("8²", "²", "٣", "𝟠", "８", "½", "Ⅻ", "99999999999999999999999", "", "-1", "2 "):
        assert option_number(text) is None, text


def test_a_typed_number_picks_an_option_unless_an_option_starts_with_it(
    sessions: Sessions, tmp_path: Path
) -> None:
    chat = TerminalChat(Coach(sessions), 77, io.StringIO(), tmp_path / "files")

    def options(*labels: str) -> None:
        choices = tuple((Choice(label, f"v{index}"),) for index, label in enumerate(labels, 1))
        chat.show(Response([Reply("raw", {"text_html": "?"}, choices=choices)], "tok"))

    options("8-10", "10-12", "15+")  # reps: "2" is option 2, not two reps
    assert chat.event_for("2") == Event.button("v2", token="tok")
    assert chat.event_for("12") == Event.typed("12")
    options("90 g", "130 g", "180 g")  # grams
    assert chat.event_for("2") == Event.button("v2", token="tok")
    assert chat.event_for("130") == Event.typed("130")
    options("6 h", "7 h", "8 h")  # hours that are also option numbers: the hours win
    assert chat.event_for("3") == Event.button("v3", token="tok")
    assert chat.event_for("7") == Event.typed("7")
    options("Beginner (under 1 year)", "Intermediate (1–3 years)", "Advanced (3+ years)")
    assert chat.event_for("1") == Event.button("v1", token="tok")
