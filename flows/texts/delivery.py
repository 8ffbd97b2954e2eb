"""Texts the adapters send about delivery itself rather than about a conversation."""

from flows.i18n import Messages

TEXTS = Messages(
    {
        "private_only": (
            "I coach one person at a time, in a private chat, so nothing about you is shown to a "
            "group. Open a chat with me here: {link}"
        ),
        "private_only.alert": "I only work in a private chat with you.",
        "delivery.again": "I'm not sure my last message reached you, so here it is again:",
        "flood": (
            "That's so many messages at once that I've left some of them unread. "
            "Please send one at a time and wait for my answer."
        ),
    },
)
