"""Former states: countries that no longer exist, with four-letter codes, years and successions.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07 16:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("country") as batch_op:
        # ISO 3166-3's codes (CSHH) and the project's own (XPRU) have four letters.
        batch_op.alter_column("code", type_=sa.String(length=4), existing_nullable=False)
        batch_op.alter_column("alpha3", type_=sa.String(length=4), existing_nullable=False)
        batch_op.add_column(
            sa.Column("former", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(sa.Column("long_name", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("existed_from", sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column("existed_until", sa.String(length=10), nullable=True))
    op.create_table(
        "country_succession",
        sa.Column("predecessor_id", sa.Integer(), nullable=False),
        sa.Column("successor_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["predecessor_id"],
            ["country.id"],
            name=op.f("fk_country_succession_predecessor_id_country"),
        ),
        sa.ForeignKeyConstraint(
            ["successor_id"],
            ["country.id"],
            name=op.f("fk_country_succession_successor_id_country"),
        ),
        sa.PrimaryKeyConstraint(
            "predecessor_id", "successor_id", name=op.f("pk_country_succession")
        ),
    )
    op.create_index(
        op.f("ix_country_succession_successor_id"), "country_succession", ["successor_id"]
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_country_succession_successor_id"), table_name="country_succession")
    op.drop_table("country_succession")
    # Former states' rows cannot hold two-letter codes: they go, with whatever names them.
    country = sa.table("country", sa.column("id", sa.Integer), sa.column("former", sa.Boolean))
    former = sa.select(country.c.id).where(country.c.former)
    for name in ("country_identifier", "country_name"):
        table = sa.table(name, sa.column("country_id", sa.Integer))
        op.execute(table.delete().where(table.c.country_id.in_(former)))
    op.execute(
        sa.text(
            "DELETE FROM search_index WHERE kind = 'country' AND ref_id IN (SELECT id FROM country WHERE former)"
        )
    )
    op.execute(country.delete().where(country.c.former))
    with op.batch_alter_table("country") as batch_op:
        batch_op.drop_column("existed_until")
        batch_op.drop_column("existed_from")
        batch_op.drop_column("long_name")
        batch_op.drop_column("former")
        batch_op.alter_column("alpha3", type_=sa.String(length=3), existing_nullable=False)
        batch_op.alter_column("code", type_=sa.String(length=2), existing_nullable=False)
