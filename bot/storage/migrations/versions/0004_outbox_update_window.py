"""Replies kept until Telegram took them, a window of recent update ids, private chats only.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None
# The data fix below changes this column on purpose (see tests/bot/test_migrations.py).
rewrites = {"users": {"chat_id"}}


def upgrade() -> None:
    with op.batch_alter_table("conversations") as conversations:
        conversations.add_column(sa.Column("outbox", sa.JSON(), nullable=True))
        conversations.add_column(sa.Column("recent_update_ids", sa.JSON(), nullable=True))
        conversations.add_column(sa.Column("asked_message_id", sa.BigInteger(), nullable=True))
    # The bot answers in private chats only, where the chat id is the user's id; a group's id
    # stored by an earlier version must not receive anyone's reminders or summaries.
    op.execute("UPDATE users SET chat_id = id WHERE chat_id <> id")


def downgrade() -> None:
    with op.batch_alter_table("conversations") as conversations:
        conversations.drop_column("asked_message_id")
        conversations.drop_column("recent_update_ids")
        conversations.drop_column("outbox")
