"""Daily check-ins, the settings that steer them, and the last update applied per user.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

from bot.storage.models import UTCDateTime

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users") as users:
        users.add_column(
            sa.Column("checkin_time", sa.String(5), nullable=False, server_default="21:00")
        )
        users.add_column(
            sa.Column("summary_weekday", sa.Integer(), nullable=False, server_default="6")
        )
        users.add_column(
            sa.Column("checkins_paused", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table("conversations") as conversations:
        conversations.add_column(sa.Column("last_update_id", sa.BigInteger(), nullable=True))
    op.create_table(
        "checkins",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column(
            "user_id",
            sa.BigInteger(),
            sa.ForeignKey("users.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("sleep_hours", sa.Float(), nullable=True),
        sa.Column("protein_g", sa.Float(), nullable=True),
        sa.Column("carbs_g", sa.Float(), nullable=True),
        sa.Column("carbs_level", sa.String(16), nullable=True),
        sa.Column("cardio_minutes", sa.Integer(), nullable=True),
        sa.Column("cardio_kind", sa.String(16), nullable=True),
        sa.Column("leg_day", sa.String(16), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.UniqueConstraint("user_id", "day"),
    )
    op.create_index("ix_checkins_user_id", "checkins", ["user_id"])


def downgrade() -> None:
    op.drop_index("ix_checkins_user_id", table_name="checkins")
    op.drop_table("checkins")
    with op.batch_alter_table("conversations") as conversations:
        conversations.drop_column("last_update_id")
    with op.batch_alter_table("users") as users:
        users.drop_column("checkins_paused")
        users.drop_column("summary_weekday")
        users.drop_column("checkin_time")
