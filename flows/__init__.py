"""The pure core of Leg Day Coach: conversations, coaching rules, plans, parsing and text.

Nothing in this package talks to Telegram or a database, and nothing reads the clock:
the current time is always passed in.
"""
