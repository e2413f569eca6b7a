"""History: gaps in a post's tenures, ranked claims, countries' names and identifiers.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 23:05:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

RANK = sa.Enum("PREFERRED", "NORMAL", "DEPRECATED", name="claimrank")


def upgrade() -> None:
    op.create_table(
        "country_identifier",
        sa.Column("country_id", sa.Integer(), nullable=False),
        sa.Column("scheme", sa.String(length=20), nullable=False),
        sa.Column("value", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(
            ["country_id"], ["country.id"], name=op.f("fk_country_identifier_country_id_country")
        ),
        sa.PrimaryKeyConstraint("country_id", "scheme", name=op.f("pk_country_identifier")),
    )
    op.create_index("ix_country_identifier_scheme_value", "country_identifier", ["scheme", "value"])
    op.create_table(
        "country_name",
        sa.Column("country_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["country_id"], ["country.id"], name=op.f("fk_country_name_country_id_country")
        ),
        sa.PrimaryKeyConstraint("country_id", "language", name=op.f("pk_country_name")),
    )
    with op.batch_alter_table("head_of_mission") as batch:
        batch.add_column(
            sa.Column("gap_before", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    RANK.create(op.get_bind(), checkfirst=True)
    with op.batch_alter_table("mission_claim") as batch:
        batch.add_column(sa.Column("rank", RANK, server_default="NORMAL", nullable=False))
        batch.add_column(sa.Column("version", sa.Integer(), server_default="1", nullable=False))
    # The claim whose value a post holds, the first where several do, is its preferred one.
    op.execute(
        """UPDATE mission_claim SET rank = 'PREFERRED' WHERE id IN (
             SELECT min(c.id) FROM mission_claim c JOIN mission m ON m.id = c.mission_id
             WHERE (c.property = 'city' AND c.value = m.city)
                OR (c.property = 'opened' AND c.value = m.opened)
             GROUP BY c.mission_id, c.property)"""
    )


def downgrade() -> None:
    with op.batch_alter_table("mission_claim") as batch:
        batch.drop_column("version")
        batch.drop_column("rank")
    RANK.drop(op.get_bind(), checkfirst=True)
    with op.batch_alter_table("head_of_mission") as batch:
        batch.drop_column("gap_before")
    op.drop_table("country_name")
    op.drop_index("ix_country_identifier_scheme_value", table_name="country_identifier")
    op.drop_table("country_identifier")
