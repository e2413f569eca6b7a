"""One key per imported record: the source_record table, which the writers match by.

An imported event was found again by its `dataset` and `record_id` columns, and a tenure
from pocom by its `historian_id`; the writers now find every imported row through
source_record (origin, kind, key). The keys earlier imports left in those columns are
copied there, so that a database imported before re-imports without duplicates. The
columns stay, as what the API shows of where a row came from (Event.dataset,
Event.recordId, HeadOfMission.historianId); the downgrade removes the copied keys.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07 19:05:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

RECORD = sa.table(
    "source_record",
    sa.column("origin", sa.String),
    sa.column("kind", sa.String),
    sa.column("key", sa.String),
    sa.column("ref_id", sa.Integer),
)
EVENT = sa.table("event", sa.column("id"), sa.column("dataset"), sa.column("record_id"))
HEAD = sa.table("head_of_mission", sa.column("id"), sa.column("historian_id"))


def _copied() -> list[tuple[str, sa.TableClause, sa.ColumnElement[str], sa.ColumnElement[str]]]:
    """Each kind whose keys are copied: its table, the origin and key of each of its rows."""
    return [
        ("event", EVENT, EVENT.c.dataset, EVENT.c.record_id),
        ("head_of_mission", HEAD, sa.literal("pocom"), HEAD.c.historian_id),
    ]


def upgrade() -> None:
    for kind, table, origin, key in _copied():
        known = sa.exists().where(
            RECORD.c.origin == origin, RECORD.c.kind == kind, RECORD.c.key == key
        )
        rows = sa.select(origin, sa.literal(kind), key, table.c.id).where(
            key.is_not(None), origin.is_not(None), ~known
        )
        op.execute(sa.insert(RECORD).from_select(["origin", "kind", "key", "ref_id"], rows))


def downgrade() -> None:
    for kind, table, origin, key in _copied():
        copied = sa.exists().where(
            table.c.id == RECORD.c.ref_id, key == RECORD.c.key, origin == RECORD.c.origin
        )
        op.execute(sa.delete(RECORD).where(RECORD.c.kind == kind, copied))
