"""The plan adapts: a deload week and rep-scheme changes accepted from the weekly summary.

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("plans") as batch:
        batch.add_column(sa.Column("deload_from", sa.Date(), nullable=True))
        batch.add_column(
            sa.Column("scheme_shift", sa.Integer(), nullable=False, server_default="0")
        )


def downgrade() -> None:
    with op.batch_alter_table("plans") as batch:
        batch.drop_column("scheme_shift")
        batch.drop_column("deload_from")
