"""Create the schema: every table of the models, and the search index.

Revision ID: 0001
Revises:
Create Date: 2026-11-29 00:53:38.432470
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import db.partial_date
from db.search import search_ddl, search_drop_ddl

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("action", sa.String(length=100), nullable=False),
        sa.Column("target_type", sa.String(length=50), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_change")),
    )
    with op.batch_alter_table("change", schema=None) as batch_op:
        batch_op.create_index("ix_change_target", ["target_type", "target_id"], unique=False)

    op.create_table(
        "country",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=2), nullable=False),
        sa.Column("alpha3", sa.String(length=3), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_country")),
        sa.UniqueConstraint("alpha3", name=op.f("uq_country_alpha3")),
        sa.UniqueConstraint("code", name=op.f("uq_country_code")),
    )
    op.create_table(
        "source",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("section", sa.String(length=500), nullable=True),
        sa.Column("url", sa.String(length=2000), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_source")),
        sa.UniqueConstraint("title", "section", "url", name=op.f("uq_source_title")),
    )
    op.create_table(
        "token",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("role", sa.Enum("READER", "EDITOR", name="role"), nullable=False),
        sa.Column("key", sa.String(length=32), nullable=False),
        sa.Column("secret_sha256", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_token")),
        sa.UniqueConstraint("key", name=op.f("uq_token_key")),
        sa.UniqueConstraint("name", name=op.f("uq_token_name")),
    )
    op.create_table(
        "event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "DIPLOMATIC",
                "POLITICAL",
                "MILITARY",
                "ECONOMIC",
                "CULTURAL",
                "OTHER",
                name="eventkind",
            ),
            nullable=False,
        ),
        sa.Column("date", db.partial_date.PartialDateType(length=10), nullable=False),
        sa.Column("end_date", db.partial_date.PartialDateType(length=10), nullable=True),
        sa.Column("place_name", sa.String(length=500), nullable=True),
        sa.Column("place_country_id", sa.Integer(), nullable=True),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["place_country_id"], ["country.id"], name=op.f("fk_event_place_country_id_country")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event")),
    )
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_event_date"), ["date"], unique=False)

    op.create_table(
        "mission",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "EMBASSY",
                "HIGH_COMMISSION",
                "CONSULATE_GENERAL",
                "CONSULATE",
                "HONORARY_CONSULATE",
                "PERMANENT_MISSION",
                name="missionkind",
            ),
            nullable=False,
        ),
        sa.Column("name", sa.String(length=500), nullable=False),
        sa.Column("country_id", sa.Integer(), nullable=False),
        sa.Column("host_country_id", sa.Integer(), nullable=False),
        sa.Column("city", sa.String(length=200), nullable=False),
        sa.Column("opened", db.partial_date.PartialDateType(length=10), nullable=True),
        sa.Column("closed", db.partial_date.PartialDateType(length=10), nullable=True),
        sa.ForeignKeyConstraint(
            ["country_id"], ["country.id"], name=op.f("fk_mission_country_id_country")
        ),
        sa.ForeignKeyConstraint(
            ["host_country_id"], ["country.id"], name=op.f("fk_mission_host_country_id_country")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mission")),
        sa.UniqueConstraint(
            "country_id", "host_country_id", "kind", "city", name=op.f("uq_mission_country_id")
        ),
    )
    with op.batch_alter_table("mission", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_mission_country_id"), ["country_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_mission_host_country_id"), ["host_country_id"], unique=False
        )

    op.create_table(
        "organization",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=500), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "GOVERNMENT_BODY",
                "REGIONAL_GOVERNMENT",
                "MILITARY",
                "INTERNATIONAL_ORGANIZATION",
                "COMPANY",
                "UNIVERSITY",
                "ASSOCIATION",
                "NGO",
                "OTHER",
                name="organizationkind",
            ),
            nullable=False,
        ),
        sa.Column("country_id", sa.Integer(), nullable=True),
        sa.Column("founded", db.partial_date.PartialDateType(length=10), nullable=True),
        sa.Column("source_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["country_id"], ["country.id"], name=op.f("fk_organization_country_id_country")
        ),
        sa.ForeignKeyConstraint(
            ["source_id"], ["source.id"], name=op.f("fk_organization_source_id_source")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organization")),
        sa.UniqueConstraint("name", name=op.f("uq_organization_name")),
    )
    with op.batch_alter_table("organization", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_organization_country_id"), ["country_id"], unique=False
        )

    op.create_table(
        "person",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=500), nullable=False),
        sa.Column("country_id", sa.Integer(), nullable=True),
        sa.Column("source_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["country_id"], ["country.id"], name=op.f("fk_person_country_id_country")
        ),
        sa.ForeignKeyConstraint(
            ["source_id"], ["source.id"], name=op.f("fk_person_source_id_source")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person")),
        sa.UniqueConstraint("name", name=op.f("uq_person_name")),
    )
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_person_country_id"), ["country_id"], unique=False)

    op.create_table(
        "relation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("country_a_id", sa.Integer(), nullable=False),
        sa.Column("country_b_id", sa.Integer(), nullable=False),
        sa.Column("established", db.partial_date.PartialDateType(length=10), nullable=True),
        sa.CheckConstraint("country_a_id < country_b_id", name=op.f("ck_relation_ordered_pair")),
        sa.ForeignKeyConstraint(
            ["country_a_id"], ["country.id"], name=op.f("fk_relation_country_a_id_country")
        ),
        sa.ForeignKeyConstraint(
            ["country_b_id"], ["country.id"], name=op.f("fk_relation_country_b_id_country")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_relation")),
        sa.UniqueConstraint("country_a_id", "country_b_id", name=op.f("uq_relation_country_a_id")),
    )
    with op.batch_alter_table("relation", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_relation_country_b_id"), ["country_b_id"], unique=False
        )

    op.create_table(
        "accreditation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("mission_id", sa.Integer(), nullable=False),
        sa.Column("country_id", sa.Integer(), nullable=True),
        sa.Column("organization_id", sa.Integer(), nullable=True),
        sa.Column("from", db.partial_date.PartialDateType(length=10), nullable=True),
        sa.Column("to", db.partial_date.PartialDateType(length=10), nullable=True),
        sa.Column("source_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "(country_id IS NULL) <> (organization_id IS NULL)",
            name=op.f("ck_accreditation_one_target"),
        ),
        sa.ForeignKeyConstraint(
            ["country_id"], ["country.id"], name=op.f("fk_accreditation_country_id_country")
        ),
        sa.ForeignKeyConstraint(
            ["mission_id"],
            ["mission.id"],
            name=op.f("fk_accreditation_mission_id_mission"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organization.id"],
            name=op.f("fk_accreditation_organization_id_organization"),
        ),
        sa.ForeignKeyConstraint(
            ["source_id"], ["source.id"], name=op.f("fk_accreditation_source_id_source")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_accreditation")),
    )
    with op.batch_alter_table("accreditation", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_accreditation_mission_id"), ["mission_id"], unique=False
        )

    op.create_table(
        "event_country",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("country_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["country_id"], ["country.id"], name=op.f("fk_event_country_country_id_country")
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["event.id"],
            name=op.f("fk_event_country_event_id_event"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("event_id", "country_id", name=op.f("pk_event_country")),
    )
    with op.batch_alter_table("event_country", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_event_country_country_id"), ["country_id"], unique=False
        )

    op.create_table(
        "event_declared_country",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("country_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["country_id"],
            ["country.id"],
            name=op.f("fk_event_declared_country_country_id_country"),
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["event.id"],
            name=op.f("fk_event_declared_country_event_id_event"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("event_id", "country_id", name=op.f("pk_event_declared_country")),
    )
    op.create_table(
        "event_source",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["event.id"],
            name=op.f("fk_event_source_event_id_event"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["source_id"], ["source.id"], name=op.f("fk_event_source_source_id_source")
        ),
        sa.PrimaryKeyConstraint("event_id", "source_id", name=op.f("pk_event_source")),
    )
    with op.batch_alter_table("event_source", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_event_source_source_id"), ["source_id"], unique=False)

    op.create_table(
        "figure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=500), nullable=False),
        sa.Column("value", sa.Double(), nullable=False),
        sa.Column("unit", sa.String(length=50), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["event_id"], ["event.id"], name=op.f("fk_figure_event_id_event"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["source_id"], ["source.id"], name=op.f("fk_figure_source_id_source")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_figure")),
    )
    with op.batch_alter_table("figure", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_figure_event_id"), ["event_id"], unique=False)

    op.create_table(
        "head_of_mission",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("mission_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("ordinal", sa.Integer(), nullable=True),
        sa.Column("start", db.partial_date.PartialDateType(length=10), nullable=True),
        sa.Column("end", db.partial_date.PartialDateType(length=10), nullable=True),
        sa.Column("ongoing", sa.Boolean(), nullable=False),
        sa.Column("held_on", db.partial_date.PartialDateType(length=10), nullable=True),
        sa.ForeignKeyConstraint(
            ["mission_id"],
            ["mission.id"],
            name=op.f("fk_head_of_mission_mission_id_mission"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_head_of_mission_person_id_person")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_head_of_mission")),
    )
    with op.batch_alter_table("head_of_mission", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_head_of_mission_mission_id"), ["mission_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_head_of_mission_person_id"), ["person_id"], unique=False
        )

    op.create_table(
        "mission_address",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("mission_id", sa.Integer(), nullable=False),
        sa.Column("address", sa.String(length=1000), nullable=False),
        sa.Column("city", sa.String(length=200), nullable=False),
        sa.Column("from", db.partial_date.PartialDateType(length=10), nullable=True),
        sa.Column("to", db.partial_date.PartialDateType(length=10), nullable=True),
        sa.Column("source_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["mission_id"],
            ["mission.id"],
            name=op.f("fk_mission_address_mission_id_mission"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["source_id"], ["source.id"], name=op.f("fk_mission_address_source_id_source")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mission_address")),
    )
    with op.batch_alter_table("mission_address", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_mission_address_mission_id"), ["mission_id"], unique=False
        )

    op.create_table(
        "mission_source",
        sa.Column("mission_id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["mission_id"],
            ["mission.id"],
            name=op.f("fk_mission_source_mission_id_mission"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["source_id"], ["source.id"], name=op.f("fk_mission_source_source_id_source")
        ),
        sa.PrimaryKeyConstraint("mission_id", "source_id", name=op.f("pk_mission_source")),
    )
    with op.batch_alter_table("mission_source", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_mission_source_source_id"), ["source_id"], unique=False
        )

    op.create_table(
        "participation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=200), nullable=True),
        sa.Column("country_id", sa.Integer(), nullable=True),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("organization_id", sa.Integer(), nullable=True),
        sa.Column("mission_id", sa.Integer(), nullable=True),
        sa.Column("source_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "CASE WHEN country_id IS NULL THEN 0 ELSE 1 END + CASE WHEN person_id IS NULL THEN 0 ELSE 1 END + CASE WHEN organization_id IS NULL THEN 0 ELSE 1 END + CASE WHEN mission_id IS NULL THEN 0 ELSE 1 END = 1",
            name=op.f("ck_participation_one_participant"),
        ),
        sa.ForeignKeyConstraint(
            ["country_id"], ["country.id"], name=op.f("fk_participation_country_id_country")
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["event.id"],
            name=op.f("fk_participation_event_id_event"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["mission_id"], ["mission.id"], name=op.f("fk_participation_mission_id_mission")
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organization.id"],
            name=op.f("fk_participation_organization_id_organization"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_participation_person_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["source_id"], ["source.id"], name=op.f("fk_participation_source_id_source")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_participation")),
    )
    with op.batch_alter_table("participation", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_participation_country_id"), ["country_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_participation_event_id"), ["event_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_participation_mission_id"), ["mission_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_participation_organization_id"), ["organization_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_participation_person_id"), ["person_id"], unique=False)

    op.create_table(
        "position",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("country_id", sa.Integer(), nullable=True),
        sa.Column("organization_id", sa.Integer(), nullable=True),
        sa.Column("start", db.partial_date.PartialDateType(length=10), nullable=True),
        sa.Column("end", db.partial_date.PartialDateType(length=10), nullable=True),
        sa.Column("held_on", db.partial_date.PartialDateType(length=10), nullable=True),
        sa.Column("source_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["country_id"], ["country.id"], name=op.f("fk_position_country_id_country")
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organization.id"],
            name=op.f("fk_position_organization_id_organization"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_position_person_id_person"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["source_id"], ["source.id"], name=op.f("fk_position_source_id_source")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_position")),
    )
    with op.batch_alter_table("position", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_position_person_id"), ["person_id"], unique=False)

    op.create_table(
        "quote",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("speaker_id", sa.Integer(), nullable=False),
        sa.Column("date", db.partial_date.PartialDateType(length=10), nullable=True),
        sa.Column("event_id", sa.Integer(), nullable=True),
        sa.Column("source_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["event_id"], ["event.id"], name=op.f("fk_quote_event_id_event"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["source_id"], ["source.id"], name=op.f("fk_quote_source_id_source")
        ),
        sa.ForeignKeyConstraint(
            ["speaker_id"], ["person.id"], name=op.f("fk_quote_speaker_id_person")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quote")),
    )
    with op.batch_alter_table("quote", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_quote_event_id"), ["event_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_quote_speaker_id"), ["speaker_id"], unique=False)

    op.create_table(
        "relation_organization",
        sa.Column("relation_id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organization.id"],
            name=op.f("fk_relation_organization_organization_id_organization"),
        ),
        sa.ForeignKeyConstraint(
            ["relation_id"],
            ["relation.id"],
            name=op.f("fk_relation_organization_relation_id_relation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "relation_id", "organization_id", name=op.f("pk_relation_organization")
        ),
    )
    with op.batch_alter_table("relation_organization", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_relation_organization_organization_id"),
            ["organization_id"],
            unique=False,
        )

    op.create_table(
        "relation_source",
        sa.Column("relation_id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["relation_id"],
            ["relation.id"],
            name=op.f("fk_relation_source_relation_id_relation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["source_id"], ["source.id"], name=op.f("fk_relation_source_source_id_source")
        ),
        sa.PrimaryKeyConstraint("relation_id", "source_id", name=op.f("pk_relation_source")),
    )
    with op.batch_alter_table("relation_source", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_relation_source_source_id"), ["source_id"], unique=False
        )

    op.create_table(
        "head_of_mission_source",
        sa.Column("head_of_mission_id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["head_of_mission_id"],
            ["head_of_mission.id"],
            name=op.f("fk_head_of_mission_source_head_of_mission_id_head_of_mission"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["source_id"], ["source.id"], name=op.f("fk_head_of_mission_source_source_id_source")
        ),
        sa.PrimaryKeyConstraint(
            "head_of_mission_id", "source_id", name=op.f("pk_head_of_mission_source")
        ),
    )
    with op.batch_alter_table("head_of_mission_source", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_head_of_mission_source_source_id"), ["source_id"], unique=False
        )
    # The search index is built differently on each kind of database (see db/search.py).
    for statement in search_ddl(op.get_bind().dialect.name):
        op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for statement in search_drop_ddl(dialect):
        op.execute(statement)
    with op.batch_alter_table("head_of_mission_source", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_head_of_mission_source_source_id"))

    op.drop_table("head_of_mission_source")
    with op.batch_alter_table("relation_source", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_relation_source_source_id"))

    op.drop_table("relation_source")
    with op.batch_alter_table("relation_organization", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_relation_organization_organization_id"))

    op.drop_table("relation_organization")
    with op.batch_alter_table("quote", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_quote_speaker_id"))
        batch_op.drop_index(batch_op.f("ix_quote_event_id"))

    op.drop_table("quote")
    with op.batch_alter_table("position", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_position_person_id"))

    op.drop_table("position")
    with op.batch_alter_table("participation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_participation_person_id"))
        batch_op.drop_index(batch_op.f("ix_participation_organization_id"))
        batch_op.drop_index(batch_op.f("ix_participation_mission_id"))
        batch_op.drop_index(batch_op.f("ix_participation_event_id"))
        batch_op.drop_index(batch_op.f("ix_participation_country_id"))

    op.drop_table("participation")
    with op.batch_alter_table("mission_source", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_mission_source_source_id"))

    op.drop_table("mission_source")
    with op.batch_alter_table("mission_address", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_mission_address_mission_id"))

    op.drop_table("mission_address")
    with op.batch_alter_table("head_of_mission", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_head_of_mission_person_id"))
        batch_op.drop_index(batch_op.f("ix_head_of_mission_mission_id"))

    op.drop_table("head_of_mission")
    with op.batch_alter_table("figure", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_figure_event_id"))

    op.drop_table("figure")
    with op.batch_alter_table("event_source", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_source_source_id"))

    op.drop_table("event_source")
    op.drop_table("event_declared_country")
    with op.batch_alter_table("event_country", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_country_country_id"))

    op.drop_table("event_country")
    with op.batch_alter_table("accreditation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_accreditation_mission_id"))

    op.drop_table("accreditation")
    with op.batch_alter_table("relation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_relation_country_b_id"))

    op.drop_table("relation")
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_person_country_id"))

    op.drop_table("person")
    with op.batch_alter_table("organization", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_organization_country_id"))

    op.drop_table("organization")
    with op.batch_alter_table("mission", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_mission_host_country_id"))
        batch_op.drop_index(batch_op.f("ix_mission_country_id"))

    op.drop_table("mission")
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_date"))

    op.drop_table("event")
    op.drop_table("token")
    op.drop_table("source")
    op.drop_table("country")
    with op.batch_alter_table("change", schema=None) as batch_op:
        batch_op.drop_index("ix_change_target")

    op.drop_table("change")
    if dialect == "postgresql":  # dropping a table leaves its enum types behind
        for name in ("eventkind", "missionkind", "organizationkind", "role"):
            op.execute(f"DROP TYPE IF EXISTS {name}")
