"""Chiefs of mission from the Office of the Historian: typed tenures, people's years and ids,
legations, branch offices and a post's kind through time, and the datasets imported.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 16:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KINDS = (
    "EMBASSY",
    "HIGH_COMMISSION",
    "CONSULATE_GENERAL",
    "CONSULATE",
    "HONORARY_CONSULATE",
    "PERMANENT_MISSION",
    "APOSTOLIC_NUNCIATURE",
    "APOSTOLIC_DELEGATION",
    "ASSISTANT_HIGH_COMMISSION",
    "CONSULAR_AGENCY",
    "REPRESENTATIVE_OFFICE",
    "DE_FACTO_CONSULATE",
    "LIAISON_OFFICE",
    "INTERESTS_SECTION",
    "TRADE_OFFICE",
    "DIPLOMATIC_MISSION",
)

NEW_KINDS = ("LEGATION", "BRANCH_OFFICE")


def _kind(*extra: str, create: bool = False) -> sa.Enum:
    return sa.Enum(*KINDS, *extra, name="missionkind", create_type=create)


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for value in NEW_KINDS:
            op.execute(f"ALTER TYPE missionkind ADD VALUE IF NOT EXISTS '{value}'")
    else:
        with op.batch_alter_table("mission") as batch:
            batch.alter_column(
                "kind", existing_type=_kind(), type_=_kind(*NEW_KINDS), existing_nullable=False
            )
    with op.batch_alter_table("mission") as batch:
        batch.add_column(sa.Column("historian_id", sa.String(100), nullable=True))
        batch.add_column(sa.Column("historian_post_id", sa.String(100), nullable=True))
        batch.create_unique_constraint("uq_mission_historian_id", ["historian_id"])
        batch.create_unique_constraint("uq_mission_historian_post_id", ["historian_post_id"])
    with op.batch_alter_table("person") as batch:
        batch.add_column(sa.Column("born", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("died", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("career_type", sa.String(20), nullable=True))
        batch.add_column(sa.Column("historian_id", sa.String(100), nullable=True))
        batch.create_unique_constraint("uq_person_historian_id", ["historian_id"])
    with op.batch_alter_table("head_of_mission") as batch:
        for name in ("appointed", "arrived", "until"):
            batch.add_column(sa.Column(name, sa.String(10), nullable=True))
        batch.add_column(sa.Column("start_note", sa.String(500), nullable=True))
        batch.add_column(sa.Column("end_note", sa.String(500), nullable=True))
        batch.add_column(sa.Column("end_kind", sa.String(30), nullable=True))
        batch.add_column(sa.Column("note", sa.String(2000), nullable=True))
        batch.add_column(sa.Column("accredited_to_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("resident_in_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("historian_id", sa.String(100), nullable=True))
        batch.create_foreign_key(
            "fk_head_of_mission_accredited_to_id_country", "country", ["accredited_to_id"], ["id"]
        )
        batch.create_foreign_key(
            "fk_head_of_mission_resident_in_id_country", "country", ["resident_in_id"], ["id"]
        )
        batch.create_unique_constraint("uq_head_of_mission_historian_id", ["historian_id"])
    op.create_table(
        "mission_kind_period",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("mission_id", sa.Integer(), nullable=False),
        sa.Column("kind", _kind(*NEW_KINDS), nullable=False),
        sa.Column("from", sa.String(10), nullable=True),
        sa.Column("to", sa.String(10), nullable=True),
        sa.Column("source_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["mission_id"], ["mission.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["source_id"], ["source.id"]),
        sa.PrimaryKeyConstraint("id"),
        sqlite_autoincrement=True,
    )
    op.create_index(
        "ix_mission_kind_period_mission_id", "mission_kind_period", ["mission_id"], unique=False
    )
    op.create_table(
        "dataset",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("title", sa.String(500), nullable=False),
        sa.Column("publisher", sa.String(500), nullable=False),
        sa.Column("url", sa.String(2000), nullable=False),
        sa.Column("licence", sa.String(200), nullable=False),
        sa.Column("version", sa.String(100), nullable=True),
        sa.Column("released", sa.Date(), nullable=True),
        sa.Column("cutoff", sa.String(10), nullable=True),
        sa.Column("counts", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
        sqlite_autoincrement=True,
    )


def downgrade() -> None:
    op.drop_table("dataset")
    op.drop_index("ix_mission_kind_period_mission_id", table_name="mission_kind_period")
    op.drop_table("mission_kind_period")
    with op.batch_alter_table("head_of_mission") as batch:
        batch.drop_constraint("uq_head_of_mission_historian_id", type_="unique")
        batch.drop_constraint("fk_head_of_mission_resident_in_id_country", type_="foreignkey")
        batch.drop_constraint("fk_head_of_mission_accredited_to_id_country", type_="foreignkey")
        for name in (
            "historian_id",
            "resident_in_id",
            "accredited_to_id",
            "note",
            "end_kind",
            "end_note",
            "start_note",
            "until",
            "arrived",
            "appointed",
        ):
            batch.drop_column(name)
    with op.batch_alter_table("person") as batch:
        batch.drop_constraint("uq_person_historian_id", type_="unique")
        for name in ("historian_id", "career_type", "died", "born"):
            batch.drop_column(name)
    with op.batch_alter_table("mission") as batch:
        batch.drop_constraint("uq_mission_historian_post_id", type_="unique")
        batch.drop_constraint("uq_mission_historian_id", type_="unique")
        batch.drop_column("historian_post_id")
        batch.drop_column("historian_id")
    # PostgreSQL cannot drop an enum's value; SQLite narrows the column's check again.
    if op.get_bind().dialect.name != "postgresql":
        with op.batch_alter_table("mission") as batch:
            batch.alter_column(
                "kind", existing_type=_kind(*NEW_KINDS), type_=_kind(), existing_nullable=False
            )
