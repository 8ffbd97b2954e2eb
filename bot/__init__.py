"""Adapters of Leg Day Coach: Telegram, the terminal chat, storage and the dispatcher."""
