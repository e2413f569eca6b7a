"""Imported sources' own ids for the rows their records became, for re-imports by record.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 16:15:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "source_record",
        sa.Column("origin", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("ref_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("origin", "kind", "key", name=op.f("pk_source_record")),
    )


def downgrade() -> None:
    op.drop_table("source_record")
