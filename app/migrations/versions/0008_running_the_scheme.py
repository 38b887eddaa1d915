"""Running the scheme: applications to join, vetting, visits, problem reports, the
public-send throttle, and the day a venue's listing was last confirmed.

New tables and one nullable column: SQLite adds both in place, so no batch copy.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The values as they were at this revision (app/models/scheme.py may add more later).
VISIT_REASONS = (
    "lost", "scared", "bullied", "hate_incident", "lost_belongings", "unwell", "toilet",
    "missed_transport", "other",
)  # fmt: skip
VISIT_OUTCOMES = (
    "sat_with_them", "called_their_contact", "called_101", "called_999", "helped_find_way",
    "other",
)  # fmt: skip
PROBLEMS = (
    "closed_when_open", "staff_did_not_help", "wrong_information", "could_not_get_in", "other",
)  # fmt: skip


def text_enum(name: str, length: int, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, length=length)


def upgrade() -> None:
    op.add_column("venue", sa.Column("last_confirmed", sa.Date(), nullable=True))
    op.create_table(
        "application",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "status",
            text_enum("application_status", 16, "new", "approved", "declined"),
            nullable=False,
        ),
        sa.Column("venue", sa.JSON(), nullable=False),
        sa.Column("contact_name", sa.String(100), nullable=False),
        sa.Column("contact_email", sa.String(254), nullable=False),
        sa.Column("contact_phone", sa.String(40), nullable=False),
        sa.Column("trained_staff", sa.Integer(), nullable=False),
        sa.Column("training_date", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by", sa.Integer(), sa.ForeignKey("account.id"), nullable=True),
        sa.Column("decline_reason", sa.String(500), nullable=True),
        sa.Column("venue_id", sa.Integer(), sa.ForeignKey("venue.id"), nullable=True),
    )
    op.create_index("ix_application_status", "application", ["status"])
    op.create_table(
        "venue_vetting",
        sa.Column(
            "venue_id",
            sa.Integer(),
            sa.ForeignKey("venue.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("police_check_date", sa.Date(), nullable=True),
        sa.Column("trained_staff", sa.Integer(), nullable=True),
        sa.Column("training_date", sa.Date(), nullable=True),
        sa.Column("sticker_given", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_table(
        "visit",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("venue_id", sa.Integer(), sa.ForeignKey("venue.id"), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "reason",
            text_enum("visit_reason", 32, *VISIT_REASONS),
            nullable=False,
        ),
        sa.Column(
            "outcome",
            text_enum("visit_outcome", 32, *VISIT_OUTCOMES),
            nullable=False,
        ),
    )
    op.create_index("ix_visit_recorded_at", "visit", ["recorded_at"])
    op.create_index("ix_visit_venue_at", "visit", ["venue_id", "recorded_at"])
    op.create_table(
        "problem_report",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("venue_id", sa.Integer(), sa.ForeignKey("venue.id"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "problem",
            text_enum("problem_kind", 32, *PROBLEMS),
            nullable=False,
        ),
        sa.Column("note", sa.String(300), nullable=True),
        sa.Column("contact", sa.String(200), nullable=True),
        sa.Column(
            "status", text_enum("problem_status", 16, "new", "in_hand", "done"), nullable=False
        ),
        sa.Column("officer_note", sa.String(500), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_problem_report_venue_id", "problem_report", ["venue_id"])
    op.create_index("ix_problem_report_status", "problem_report", ["status"])
    op.create_table(
        "public_post",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("address", sa.String(64), nullable=False),
        sa.Column("at", sa.Float(), nullable=False),
    )
    op.create_index("ix_public_post_kind_address_at", "public_post", ["kind", "address", "at"])


def downgrade() -> None:
    op.drop_table("public_post")
    op.drop_table("problem_report")
    op.drop_table("visit")
    op.drop_table("venue_vetting")
    op.drop_table("application")
    # In place on SQLite 3.35+ too: a batch copy would lose the lower(ref) index.
    op.drop_column("venue", "last_confirmed")
