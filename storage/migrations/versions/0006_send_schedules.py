"""the outbox's sending schedule per channel, shared by every process

Revision ID: 0006_send_schedules
Revises: 0003_outbox_claims
Create Date: 2026-12-01 19:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_send_schedules"
down_revision: str | None = "0003_outbox_claims"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "send_schedules",
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("next_at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("channel", name=op.f("pk_send_schedules")),
    )


def downgrade() -> None:
    op.drop_table("send_schedules")
