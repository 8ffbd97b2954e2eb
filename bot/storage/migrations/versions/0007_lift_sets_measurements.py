"""Top sets of the main lifts and body measurements: the lag, measured.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

from bot.storage.models import UTCDateTime

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def _user_id() -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(
        "user_id", sa.BigInteger(), sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False
    )


def upgrade() -> None:
    op.create_table(
        "lift_sets",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        _user_id(),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("lift", sa.String(32), nullable=False),
        sa.Column("weight_kg", sa.Float(), nullable=False),
        sa.Column("reps", sa.Integer(), nullable=False),
        sa.Column("unit", sa.String(2), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.UniqueConstraint("user_id", "day", "lift"),
    )
    op.create_index("ix_lift_sets_user_id", "lift_sets", ["user_id"])
    op.create_table(
        "measurements",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        _user_id(),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("body_weight_kg", sa.Float(), nullable=True),
        sa.Column("thigh_cm", sa.Float(), nullable=True),
        sa.Column("calf_cm", sa.Float(), nullable=True),
        sa.Column("arm_cm", sa.Float(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.UniqueConstraint("user_id", "day"),
    )
    op.create_index("ix_measurements_user_id", "measurements", ["user_id"])


def downgrade() -> None:
    op.drop_index("ix_measurements_user_id", table_name="measurements")
    op.drop_table("measurements")
    op.drop_index("ix_lift_sets_user_id", table_name="lift_sets")
    op.drop_table("lift_sets")
