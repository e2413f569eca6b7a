"""At most one ongoing head per post, as a partial unique index.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 01:56:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "uq_head_of_mission_one_ongoing",
        "head_of_mission",
        ["mission_id"],
        unique=True,
        sqlite_where=sa.text("ongoing"),
        postgresql_where=sa.text("ongoing"),
    )


def downgrade() -> None:
    op.drop_index("uq_head_of_mission_one_ongoing", table_name="head_of_mission")
