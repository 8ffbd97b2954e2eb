"""One user sending many updates without waiting for the answers: a flood. The excess gets
one polite answer instead of a reply each and is not applied, and so is whatever that user
sends until they pause for a few seconds. Used by the polling loop (more than FLOOD_LIMIT
updates of a user in one batch) and by the webhook (more than FLOOD_LIMIT of a user's
requests waiting in this process at once)."""

from __future__ import annotations

import logging
import time
from typing import Any

from telegram.error import TelegramError

from flows import i18n
from flows.texts import render_key

logger = logging.getLogger(__name__)

FLOOD_LIMIT = 10
FLOOD_COOLDOWN_S = 5.0
FLOOD_NOTICE_EVERY_S = 60.0
# Past this many remembered users, the ones whose cooldown and notice have lapsed go.
_REMEMBERED = 1_000


class FloodGuard:
    def __init__(self, bot: Any) -> None:
        self.bot = bot
        self.flooding_until: dict[int, float] = {}
        self.noticed_at: dict[int, float] = {}

    def cooling(self, user_id: int) -> bool:
        """Whether the user flooded a moment ago: what they send now is not read."""
        return time.monotonic() < self.flooding_until.get(user_id, 0.0)

    async def flooded(self, user_id: int, unread: int, language_code: str | None) -> None:
        """`unread` updates of the user were not read: start the cooldown and tell them, at
        most once a minute."""
        now = time.monotonic()
        self.flooding_until[user_id] = now + FLOOD_COOLDOWN_S
        logger.info("user %s is flooding: %d updates not read", user_id, unread)
        self._forget_the_quiet(now)
        if now - self.noticed_at.get(user_id, -FLOOD_NOTICE_EVERY_S) < FLOOD_NOTICE_EVERY_S:
            return
        self.noticed_at[user_id] = now
        # Telegram's language: a flood is not worth a database read.
        with i18n.use(i18n.from_telegram(language_code)):
            text = render_key("flood")
        try:
            await self.bot.send_message(user_id, text)
        except TelegramError as error:
            logger.info("could not tell user %s about the flood: %s", user_id, error)

    def _forget_the_quiet(self, now: float) -> None:
        if len(self.flooding_until) > _REMEMBERED:
            self.flooding_until = {
                key: until for key, until in self.flooding_until.items() if until > now
            }
        if len(self.noticed_at) > _REMEMBERED:
            self.noticed_at = {
                key: at for key, at in self.noticed_at.items() if now - at < FLOOD_NOTICE_EVERY_S
            }


def language_code_of(update: Any) -> str | None:
    user = update.effective_user
    return user.language_code if user is not None else None
