"""Events from the Office of the Historian: the kinds its records need, a visit's type, an
imported event's dataset and record id, and a relation's status since a date.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07 17:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KINDS = ("DIPLOMATIC", "POLITICAL", "MILITARY", "ECONOMIC", "CULTURAL", "OTHER")
NEW_KINDS = (
    "TRIP",
    "VISIT",
    "RECOGNITION",
    "RELATIONS_ESTABLISHED",
    "POST_OPENED",
    "RAISED_TO_EMBASSY",
    "POST_CLOSED",
    "RELATIONS_SEVERED",
    "RELATIONS_RESUMED",
    "TREATY",
)
VISIT_TYPES = ("STATE", "OFFICIAL", "OFFICIAL_WORKING", "WORKING", "PRIVATE", "INFORMAL")
STATUSES = ("ESTABLISHED", "SEVERED")


# SQLite's batch mode rebuilds a table: it must keep AUTOINCREMENT (0005: ids never reused).
KEEP_IDS = {"sqlite_autoincrement": True}


def _kind(*values: str) -> sa.Enum:
    return sa.Enum(*values, name="eventkind", create_type=False)


def upgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    if postgresql:
        for value in NEW_KINDS:
            op.execute(f"ALTER TYPE eventkind ADD VALUE IF NOT EXISTS '{value}'")
        sa.Enum(*VISIT_TYPES, name="visittype").create(op.get_bind())
        sa.Enum(*STATUSES, name="relationstatus").create(op.get_bind())
    else:
        with op.batch_alter_table("event", table_kwargs=KEEP_IDS) as batch:
            batch.alter_column(
                "kind",
                existing_type=_kind(*KINDS),
                type_=_kind(*KINDS, *NEW_KINDS),
                existing_nullable=False,
            )
    with op.batch_alter_table("event", table_kwargs=KEEP_IDS) as batch:
        batch.add_column(
            sa.Column("visit_type", sa.Enum(*VISIT_TYPES, name="visittype", create_type=False))
        )
        batch.add_column(sa.Column("dataset", sa.String(100), nullable=True))
        batch.add_column(sa.Column("record_id", sa.String(200), nullable=True))
        batch.create_unique_constraint("uq_event_dataset", ["dataset", "record_id"])
    with op.batch_alter_table("relation", table_kwargs=KEEP_IDS) as batch:
        batch.add_column(
            sa.Column("status", sa.Enum(*STATUSES, name="relationstatus", create_type=False))
        )
        batch.add_column(sa.Column("status_since", sa.String(10), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("relation", table_kwargs=KEEP_IDS) as batch:
        batch.drop_column("status_since")
        batch.drop_column("status")
    with op.batch_alter_table("event", table_kwargs=KEEP_IDS) as batch:
        batch.drop_constraint("uq_event_dataset", type_="unique")
        batch.drop_column("record_id")
        batch.drop_column("dataset")
        batch.drop_column("visit_type")
    if op.get_bind().dialect.name == "postgresql":
        # PostgreSQL cannot drop an enum's values; the new types go.
        op.execute("DROP TYPE relationstatus")
        op.execute("DROP TYPE visittype")
    else:
        with op.batch_alter_table("event", table_kwargs=KEEP_IDS) as batch:
            batch.alter_column(
                "kind",
                existing_type=_kind(*KINDS, *NEW_KINDS),
                type_=_kind(*KINDS),
                existing_nullable=False,
            )
