"""Refs that differ only in case are one ref, kept so by the database.

The API and the import already refuse A-1 beside a-1; this unique index on
lower(ref) also holds when two writes race, or a row arrives by another road.
A database that already holds such a pair stops here with both refs named, so
an operator chooses which to change (nothing is renamed behind their back).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


class RefsDifferOnlyInCase(RuntimeError):
    """Stored refs that the new index would refuse: say which, and what to do."""


def upgrade() -> None:
    clashes = (
        op.get_bind()
        .execute(
            sa.text(
                "SELECT lower(ref), min(ref), max(ref) FROM venue "
                "GROUP BY lower(ref) HAVING count(*) > 1 ORDER BY lower(ref)"
            )
        )
        .all()
    )
    if clashes:
        pairs = "; ".join(f"{first} and {last}" for _, first, last in clashes[:10])
        raise RefsDifferOnlyInCase(
            f"{len(clashes)} ref(s) are used twice, differing only in case ({pairs}). "
            "Refs must differ in more than case: change one of each pair "
            "(UPDATE venue SET ref = '…' WHERE ref = '…'), then start again."
        )
    op.create_index("ix_venue_ref_lower", "venue", [sa.text("lower(ref)")], unique=True)


def downgrade() -> None:
    op.drop_index("ix_venue_ref_lower", table_name="venue")
