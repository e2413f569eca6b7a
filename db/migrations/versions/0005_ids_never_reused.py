"""Row ids are never reused: SQLite's tables get AUTOINCREMENT (PostgreSQL's sequences have it).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 23:25:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Every table whose key is one integer id, parents before children.
TABLES = (
    "country",
    "source",
    "token",
    "change",
    "organization",
    "person",
    "position",
    "mission",
    "mission_address",
    "jurisdiction",
    "accreditation",
    "mission_claim",
    "head_of_mission",
    "relation",
    "event",
    "participation",
    "quote",
    "figure",
)


def _rebuild(autoincrement: bool) -> None:
    if op.get_bind().dialect.name != "sqlite":
        return  # PostgreSQL's identity sequences never hand out an id twice
    for table in TABLES:
        with op.batch_alter_table(
            table, recreate="always", table_kwargs={"sqlite_autoincrement": autoincrement}
        ):
            pass


def upgrade() -> None:
    _rebuild(True)


def downgrade() -> None:
    _rebuild(False)
