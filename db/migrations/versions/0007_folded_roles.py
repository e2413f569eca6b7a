"""Participations keep their role casefolded, so that a compiled query matches `role:` exactly.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 06:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("participation") as batch_op:
        batch_op.add_column(sa.Column("role_folded", sa.String(length=400), nullable=True))
    # Roles are few and shared: fold each distinct one once (in Python: SQL has no casefold).
    participation = sa.table(
        "participation", sa.column("role", sa.String), sa.column("role_folded", sa.String)
    )
    bind = op.get_bind()
    roles = bind.execute(sa.select(participation.c.role).distinct()).scalars().all()
    for role in roles:
        if role is not None:
            bind.execute(
                participation.update()
                .where(participation.c.role == role)
                .values(role_folded=role.casefold())
            )


def downgrade() -> None:
    with op.batch_alter_table("participation") as batch_op:
        batch_op.drop_column("role_folded")
