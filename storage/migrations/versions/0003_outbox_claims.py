"""outbox claims carry their sender run; the attempt in flight is recorded

Revision ID: 0003_outbox_claims
Revises: 0005_dashboard_links
Create Date: 2026-12-01 12:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.models.base

revision: str = "0003_outbox_claims"
down_revision: str | None = "0005_dashboard_links"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("claimed_by", sa.String(length=128), nullable=True))
        batch_op.add_column(
            sa.Column("attempted_at", storage.models.base.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.create_index("ix_outbox_due", ["status", "channel", "available_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_due")
        batch_op.drop_column("attempted_at")
        batch_op.drop_column("claimed_by")
