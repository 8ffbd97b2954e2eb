"""Texts of the terminal chat around the conversation (files written, greeting, goodbye)."""

from __future__ import annotations

from flows.i18n import Messages

TEXTS = Messages(
    {
        "terminal.intro": (
            "Leg Day Coach in the terminal. Answer with an option's number or in your own "
            "words; /help lists the commands; end of input (Ctrl-D) quits."
        ),
        "terminal.file_saved": "[file saved: {path}]",
        "terminal.files_deleted": "[your files in {path} are deleted too]",
        "terminal.bye": "Bye! Your answers are saved; come back any time.",
        "terminal.no_token": (
            "No TELEGRAM_BOT_TOKEN is set, so here is the terminal chat instead.\n"
            "To run on Telegram, put the token from @BotFather in .env as TELEGRAM_BOT_TOKEN "
            "(see .env.example)."
        ),
    },
)
