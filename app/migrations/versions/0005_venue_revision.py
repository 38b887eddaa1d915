"""Each venue remembers the catalogue revision of its last change, so a server can
reload only the venues changed since it last looked (not the whole list).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("venue") as batch:
        batch.add_column(sa.Column("revision", sa.BigInteger(), nullable=False, server_default="0"))
    op.create_index("ix_venue_revision", "venue", ["revision"])


def downgrade() -> None:
    op.drop_index("ix_venue_revision", table_name="venue")
    with op.batch_alter_table("venue") as batch:
        batch.drop_column("revision")
