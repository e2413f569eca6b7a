"""The world's posts: Wikidata IDs, coordinates, contacts, claims and other jurisdictions.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 22:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_KINDS = (
    "EMBASSY",
    "HIGH_COMMISSION",
    "CONSULATE_GENERAL",
    "CONSULATE",
    "HONORARY_CONSULATE",
    "PERMANENT_MISSION",
)
NEW_KINDS = (
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
TWO_TARGETS = "(country_id IS NULL) <> (organization_id IS NULL)"
THREE_TARGETS = (
    "CASE WHEN country_id IS NULL THEN 0 ELSE 1 END + "
    "CASE WHEN organization_id IS NULL THEN 0 ELSE 1 END + "
    "CASE WHEN jurisdiction_id IS NULL THEN 0 ELSE 1 END = 1"
)
MISSION_COLUMNS = (
    ("wikidata", 20),
    ("city_wikidata", 20),
    ("website", 2000),
    ("email", 500),
    ("phone", 200),
    ("facebook", 200),
    ("twitter", 200),
    ("youtube", 200),
)


def _kinds(postgresql: bool) -> None:
    """Widen the mission kinds: new values of PostgreSQL's enum type, a longer column on SQLite."""
    if postgresql:
        for kind in NEW_KINDS:
            op.execute(f"ALTER TYPE missionkind ADD VALUE IF NOT EXISTS '{kind}'")
        return
    with op.batch_alter_table("mission") as batch:
        batch.alter_column(
            "kind",
            existing_type=sa.Enum(*OLD_KINDS, name="missionkind"),
            type_=sa.Enum(*OLD_KINDS, *NEW_KINDS, name="missionkind"),
            existing_nullable=False,
        )


def upgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    op.create_table(
        "jurisdiction",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=500), nullable=False),
        sa.Column("wikidata", sa.String(length=20), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_jurisdiction")),
        sa.UniqueConstraint("wikidata", name=op.f("uq_jurisdiction_wikidata")),
    )
    op.create_table(
        "mission_claim",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("mission_id", sa.Integer(), nullable=False),
        sa.Column("property", sa.String(length=50), nullable=False),
        sa.Column("value", sa.String(length=500), nullable=False),
        sa.Column("wikidata", sa.String(length=20), nullable=True),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["mission_id"],
            ["mission.id"],
            name=op.f("fk_mission_claim_mission_id_mission"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["source_id"], ["source.id"], name=op.f("fk_mission_claim_source_id_source")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mission_claim")),
    )
    op.create_index(op.f("ix_mission_claim_source_id"), "mission_claim", ["source_id"])
    op.create_index("ix_mission_claim_subject", "mission_claim", ["mission_id", "property"])
    with op.batch_alter_table("accreditation") as batch:
        batch.add_column(sa.Column("jurisdiction_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_accreditation_jurisdiction_id_jurisdiction"),
            "jurisdiction",
            ["jurisdiction_id"],
            ["id"],
        )
        batch.drop_constraint(op.f("ck_accreditation_one_target"), type_="check")
        batch.create_check_constraint(op.f("ck_accreditation_one_target"), THREE_TARGETS)
        batch.create_index("ix_accreditation_country_id", ["country_id"])
    with op.batch_alter_table("country") as batch:
        batch.add_column(sa.Column("wikidata", sa.String(length=20), nullable=True))
        batch.create_unique_constraint(op.f("uq_country_wikidata"), ["wikidata"])
    _kinds(postgresql)
    with op.batch_alter_table("mission") as batch:
        for name, length in MISSION_COLUMNS:
            batch.add_column(sa.Column(name, sa.String(length=length), nullable=True))
        batch.add_column(sa.Column("latitude", sa.Double(), nullable=True))
        batch.add_column(sa.Column("longitude", sa.Double(), nullable=True))
        batch.drop_constraint(op.f("uq_mission_country_id"), type_="unique")
        batch.create_index("ix_mission_posts", ["country_id", "host_country_id", "kind"])
        batch.create_unique_constraint(op.f("uq_mission_wikidata"), ["wikidata"])
    # What the posts already hold is what their first source says of them.
    for name in ("city", "opened"):
        op.execute(
            f"""INSERT INTO mission_claim (mission_id, property, value, source_id)
                SELECT m.id, '{name}', m.{name}, min(s.source_id)
                FROM mission m JOIN mission_source s ON s.mission_id = m.id
                WHERE m.{name} IS NOT NULL AND m.{name} <> ''
                GROUP BY m.id, m.{name}"""
        )


def downgrade() -> None:
    # Fails, as it should, where posts now share a sender, host, kind and city.
    with op.batch_alter_table("mission") as batch:
        batch.drop_constraint(op.f("uq_mission_wikidata"), type_="unique")
        batch.drop_index("ix_mission_posts")
        batch.create_unique_constraint(
            op.f("uq_mission_country_id"), ["country_id", "host_country_id", "kind", "city"]
        )
        for name, _ in MISSION_COLUMNS:
            batch.drop_column(name)
        batch.drop_column("latitude")
        batch.drop_column("longitude")
    if op.get_bind().dialect.name != "postgresql":  # PostgreSQL cannot drop an enum's values
        with op.batch_alter_table("mission") as batch:
            batch.alter_column(
                "kind",
                existing_type=sa.Enum(*OLD_KINDS, *NEW_KINDS, name="missionkind"),
                type_=sa.Enum(*OLD_KINDS, name="missionkind"),
                existing_nullable=False,
            )
    with op.batch_alter_table("country") as batch:
        batch.drop_constraint(op.f("uq_country_wikidata"), type_="unique")
        batch.drop_column("wikidata")
    with op.batch_alter_table("accreditation") as batch:
        batch.drop_index("ix_accreditation_country_id")
        batch.drop_constraint(op.f("ck_accreditation_one_target"), type_="check")
        batch.create_check_constraint(op.f("ck_accreditation_one_target"), TWO_TARGETS)
        batch.drop_constraint(
            op.f("fk_accreditation_jurisdiction_id_jurisdiction"), type_="foreignkey"
        )
        batch.drop_column("jurisdiction_id")
    op.drop_table("mission_claim")
    op.drop_table("jurisdiction")
