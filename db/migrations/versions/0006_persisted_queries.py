"""Persisted queries live in the database, so that a hash registered on one process works on all.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 02:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "persisted_query",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_persisted_query")),
    )
    op.create_index(op.f("ix_persisted_query_registered_at"), "persisted_query", ["registered_at"])


def downgrade() -> None:
    op.drop_index(op.f("ix_persisted_query_registered_at"), table_name="persisted_query")
    op.drop_table("persisted_query")
