"""Countries' ISO, official and other names; the quality flags an import writes; search keys.

Revision ID: 0014
Revises: 0011
Create Date: 2026-12-07 19:15:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from db.search import search_key_ddl

revision: str = "0014"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("country") as batch_op:
        batch_op.add_column(sa.Column("iso_name", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("official_name", sa.String(length=200), nullable=True))
        batch_op.add_column(
            sa.Column("known_as", sa.JSON(), server_default=sa.text("'[]'"), nullable=False)
        )
    op.create_table(
        "quality_flag",
        sa.Column("mission_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["mission_id"],
            ["mission.id"],
            name=op.f("fk_quality_flag_mission_id_mission"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("mission_id", "kind", name=op.f("pk_quality_flag")),
    )
    for statement in search_key_ddl():
        op.execute(statement)


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS search_index_key")
    op.drop_table("quality_flag")
    with op.batch_alter_table("country") as batch_op:
        batch_op.drop_column("known_as")
        batch_op.drop_column("official_name")
        batch_op.drop_column("iso_name")
