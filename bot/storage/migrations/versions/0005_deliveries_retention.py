"""An index that finds deliveries old enough to prune.

Finished deliveries older than the retention period (DELIVERY_RETENTION_DAYS) are deleted by
the dispatcher, oldest first, except those the user answered with a button (a leg day done
or skipped, a snooze), which are kept for good. The index holds only rows that may ever be
pruned, so the kept answers never slow the search down however many years of them pile up;
its predicate is written exactly as the pruning query writes it (bot/dispatcher/store.py),
which both databases need to use it.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

PRUNABLE = "answered IS NULL"


def upgrade() -> None:
    op.create_index(
        "ix_deliveries_prunable_due_at",
        "deliveries",
        ["due_at"],
        sqlite_where=sa.text(PRUNABLE),
        postgresql_where=sa.text(PRUNABLE),
    )


def downgrade() -> None:
    op.drop_index("ix_deliveries_prunable_due_at", table_name="deliveries")
