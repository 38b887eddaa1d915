"""Temporary closures: a venue closed until a date, after which it lapses by itself.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("venue") as batch:
        batch.add_column(sa.Column("closed_until", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("venue") as batch:
        batch.drop_column("closed_until")
