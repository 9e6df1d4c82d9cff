"""photo fingerprints: perceptual hashes and camera date on evidence; photo_flags

Photos kept before this migration have no hashes; they are still found by exact content.

Revision ID: 0004_photo_fingerprints
Revises: 0001_initial
Create Date: 2026-12-01 16:04:01.317036
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.models.base

revision: str = "0004_photo_fingerprints"
down_revision: str | None = "0001_initial"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "photo_flags",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("evidence_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("match", sa.String(length=16), nullable=True),
        sa.Column("origin_id", sa.Integer(), nullable=True),
        sa.Column("distance", sa.Integer(), nullable=True),
        sa.Column("taken_at", storage.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", storage.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["evidence_id"], ["evidence.id"], name=op.f("fk_photo_flags_evidence_id_evidence")
        ),
        sa.ForeignKeyConstraint(
            ["origin_id"], ["evidence.id"], name=op.f("fk_photo_flags_origin_id_evidence")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_photo_flags")),
    )
    with op.batch_alter_table("photo_flags", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_photo_flags_evidence_id"), ["evidence_id"], unique=False
        )

    with op.batch_alter_table("evidence", schema=None) as batch_op:
        batch_op.add_column(sa.Column("phash", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("dhash", sa.BigInteger(), nullable=True))
        batch_op.add_column(
            sa.Column("taken_at", storage.models.base.UTCDateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("evidence", schema=None) as batch_op:
        batch_op.drop_column("taken_at")
        batch_op.drop_column("dhash")
        batch_op.drop_column("phash")

    with op.batch_alter_table("photo_flags", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_photo_flags_evidence_id"))

    op.drop_table("photo_flags")
