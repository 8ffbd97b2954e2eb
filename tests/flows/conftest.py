"""The flows look places up in the real city and location data, as the bot does."""

import bot.places_index  # noqa: F401  (installs itself as flows.places' lookup)
