"""The officers' venue list, paged by name or town: an index for each order.

Measured at 100,000 venues (bench/officer_list.py): the first page by name went from
277 to 9 ms on SQLite and 77 to 21 ms on PostgreSQL; a deep page (4,999) from 371 to
16 ms on SQLite. The list sorts by lower(name) then ref, so the index does too.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_venue_name_order", "venue", [sa.text("lower(name)"), "ref"])
    op.create_index("ix_venue_town_order", "venue", [sa.text("lower(town)"), "ref"])


def downgrade() -> None:
    op.drop_index("ix_venue_town_order", table_name="venue")
    op.drop_index("ix_venue_name_order", table_name="venue")
