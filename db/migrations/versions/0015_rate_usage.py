"""The cost points each client spent per window, shared by every process (schema.budget).

Revision ID: 0015
Revises: 0011
Create Date: 2026-12-07 19:15:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "rate_usage",
        sa.Column("client", sa.String(length=200), nullable=False),
        sa.Column("window_start", sa.Integer(), nullable=False),
        sa.Column("points", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("client", "window_start", name=op.f("pk_rate_usage")),
    )


def downgrade() -> None:
    op.drop_table("rate_usage")
