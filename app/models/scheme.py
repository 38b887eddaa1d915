"""Running the scheme (issue 12): venues applying to join, their vetting, visits staff
record, and problems people report about a venue.

Each kind of choice is a StrEnum stored as plain text (`text_enum`), with the easy-read
words people see beside its picture. Nothing here names or places a person: a visit is
a venue, a time, a reason and an outcome; a problem report's contact is optional and
seen only by officers.
"""

from datetime import date, datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from app.models.columns import text_enum


class ApplicationStatus(StrEnum):
    new = "new"
    approved = "approved"
    declined = "declined"


class VisitReason(StrEnum):
    lost = "lost"
    scared = "scared"
    bullied = "bullied"
    hate_incident = "hate_incident"
    lost_belongings = "lost_belongings"
    unwell = "unwell"
    toilet = "toilet"
    missed_transport = "missed_transport"
    other = "other"


VISIT_REASON_WORDS = {
    VisitReason.lost: "They were lost",
    VisitReason.scared: "They were scared",
    VisitReason.bullied: "Someone bullied or harassed them",
    VisitReason.hate_incident: "A hate incident",
    VisitReason.lost_belongings: "They lost their phone, purse or bus pass",
    VisitReason.unwell: "They felt unwell",
    VisitReason.toilet: "They needed a toilet",
    VisitReason.missed_transport: "They missed a bus or a lift",
    VisitReason.other: "Something else",
}


class VisitOutcome(StrEnum):
    sat_with_them = "sat_with_them"
    called_their_contact = "called_their_contact"
    called_101 = "called_101"
    called_999 = "called_999"
    helped_find_way = "helped_find_way"
    other = "other"


VISIT_OUTCOME_WORDS = {
    VisitOutcome.sat_with_them: "We sat with them",
    VisitOutcome.called_their_contact: "We called their person",
    VisitOutcome.called_101: "We called 101",
    VisitOutcome.called_999: "We called 999",
    VisitOutcome.helped_find_way: "We helped them find their way",
    VisitOutcome.other: "Something else",
}


class ProblemKind(StrEnum):
    closed_when_open = "closed_when_open"
    staff_did_not_help = "staff_did_not_help"
    wrong_information = "wrong_information"
    could_not_get_in = "could_not_get_in"
    other = "other"


PROBLEM_KIND_WORDS = {
    ProblemKind.closed_when_open: "It was closed when it said open",
    ProblemKind.staff_did_not_help: "Staff did not help me",
    ProblemKind.wrong_information: "The information is wrong",
    ProblemKind.could_not_get_in: "I could not get in",
    ProblemKind.other: "Something else",
}


class ProblemStatus(StrEnum):
    new = "new"
    in_hand = "in_hand"
    done = "done"


# Where a report is, as staff and officers are told (js/constants.js serves them).
PROBLEM_STATUS_WORDS = {
    ProblemStatus.new: "New",
    ProblemStatus.in_hand: "The council is looking into it",
    ProblemStatus.done: "Done",
}


class Application(SQLModel, table=True):
    """A venue asking to join. Nothing of it is public until an officer approves it."""

    id: int | None = Field(default=None, primary_key=True)
    status: ApplicationStatus = Field(
        default=ApplicationStatus.new,
        sa_type=text_enum(ApplicationStatus, "application_status", 16),
        index=True,
    )
    # The venue's details as the venue file has them (checked when sent), as JSON.
    venue: dict[str, Any] = Field(sa_type=sa.JSON)
    contact_name: str = Field(max_length=100)
    contact_email: str = Field(max_length=254)
    contact_phone: str = Field(max_length=40)
    trained_staff: int = Field(ge=0)
    training_date: date | None = None
    created_at: datetime
    decided_at: datetime | None = None
    decided_by: int | None = Field(default=None, foreign_key="account.id")
    decline_reason: str | None = Field(default=None, max_length=500)
    # The venue made when it was approved.
    venue_id: int | None = Field(default=None, foreign_key="venue.id")


class VenueVetting(SQLModel, table=True):
    """What the council checked before a venue joined: officers only, never public."""

    __tablename__ = "venue_vetting"

    venue_id: int = Field(foreign_key="venue.id", primary_key=True, ondelete="CASCADE")
    police_check_date: date | None = None
    trained_staff: int | None = Field(default=None, ge=0)
    training_date: date | None = None
    sticker_given: bool = False
    updated_at: datetime | None = None


class Visit(SQLModel, table=True):
    """Someone came to a Safe Place for help: no name, no words, no position."""

    __table_args__ = (sa.Index("ix_visit_venue_at", "venue_id", "recorded_at"),)

    id: int | None = Field(default=None, primary_key=True)
    venue_id: int = Field(foreign_key="venue.id")
    recorded_at: datetime = Field(index=True)
    reason: VisitReason = Field(sa_type=text_enum(VisitReason, "visit_reason", 32))
    outcome: VisitOutcome = Field(sa_type=text_enum(VisitOutcome, "visit_outcome", 32))


class ProblemReport(SQLModel, table=True):
    """ "Something is wrong with this place", from a member of the public."""

    __tablename__ = "problem_report"

    id: int | None = Field(default=None, primary_key=True)
    venue_id: int = Field(foreign_key="venue.id", index=True)
    created_at: datetime
    problem: ProblemKind = Field(sa_type=text_enum(ProblemKind, "problem_kind", 32))
    note: str | None = Field(default=None, max_length=300)
    # How to reach the person, if they chose to say: officers only.
    contact: str | None = Field(default=None, max_length=200)
    status: ProblemStatus = Field(
        default=ProblemStatus.new,
        sa_type=text_enum(ProblemStatus, "problem_status", 16),
        index=True,
    )
    officer_note: str | None = Field(default=None, max_length=500)
    updated_at: datetime


class PublicPost(SQLModel, table=True):
    """Public sends (applications, problem reports) by address, so every instance sharing
    the database throttles the same count. Rows older than the window are deleted."""

    __tablename__ = "public_post"
    __table_args__ = (sa.Index("ix_public_post_kind_address_at", "kind", "address", "at"),)

    id: int | None = Field(
        default=None, primary_key=True, sa_type=sa.BigInteger().with_variant(sa.Integer(), "sqlite")
    )
    kind: str = Field(max_length=16)
    # HMAC-SHA256 of the client's IP address (for IPv6, its /64 network) under the
    # secret key, 64 hex digits (app/people/public_throttle.py): never the address.
    address: str = Field(max_length=64)
    # Unix time in seconds.
    at: float
