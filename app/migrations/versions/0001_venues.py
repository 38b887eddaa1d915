"""Venues, and the revision counter that keeps every instance's index fresh.

Revision ID: 0001
Revises:
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CATEGORIES = (
    "library",
    "shop",
    "cafe",
    "pharmacy",
    "community_centre",
    "leisure_centre",
    "council_office",
    "bank",
    "church",
    "other",
)


def upgrade() -> None:
    op.create_table(
        "venue",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("ref", sa.String(64), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column(
            "category",
            sa.Enum(*CATEGORIES, name="category", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("address", sa.String(300), nullable=False),
        sa.Column("town", sa.String(100), nullable=False),
        sa.Column("postcode", sa.String(10), nullable=False),
        sa.Column("latitude", sa.Float(), nullable=False),
        sa.Column("longitude", sa.Float(), nullable=False),
        sa.Column("phone", sa.String(40), nullable=True),
        sa.Column("website", sa.String(300), nullable=True),
        sa.Column("opening_hours", sa.String(500), nullable=True),
        sa.Column("easy_read", sa.String(2000), nullable=True),
        sa.Column("step_free", sa.Boolean(), nullable=True),
        sa.Column("accessible_toilet", sa.Boolean(), nullable=True),
        sa.Column("quiet_space", sa.Boolean(), nullable=True),
        sa.Column("photo", sa.String(300), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False, server_default=sa.true()),
        sa.Column("last_checked", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_venue_ref", "venue", ["ref"], unique=True)
    op.create_index("ix_venue_active", "venue", ["active"])
    op.create_index("ix_venue_postcode", "venue", ["postcode"])
    state = op.create_table(
        "catalogue_state",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("revision", sa.Integer(), nullable=False),
    )
    op.bulk_insert(state, [{"id": 1, "revision": 0}])


def downgrade() -> None:
    op.drop_table("catalogue_state")
    op.drop_index("ix_venue_postcode", table_name="venue")
    op.drop_index("ix_venue_active", table_name="venue")
    op.drop_index("ix_venue_ref", table_name="venue")
    op.drop_table("venue")
