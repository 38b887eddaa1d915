""" "Someone came to us": venue staff (or officers) record a visit in two taps.

A visit is a venue, a time, a reason and an outcome, each reason and outcome one
of a fixed list: no names, no words typed, no position. Who may record one is
app.permissions' rule for keeping a venue's listing (staff of that venue, officers).
"""

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import BaseModel, ConfigDict, Field

from app.deps import CurrentAccount, NowDep, SessionDep, any_venue_or_404
from app.http.errors import error_responses
from app.models import Venue, Visit
from app.models.scheme import VisitOutcome, VisitReason
from app.permissions import may_edit
from app.problems import NotAllowed, Problem

router = APIRouter(prefix="/api/venues", tags=["running the scheme"])

NOT_YOUR_VENUE = "You can only record visits to the Safe Places you look after."
WITHDRAWN = (
    "This Safe Place has left the scheme, so its visits are not counted now. "
    "Ask the council if it should be back."
)


class VisitCreate(BaseModel):
    """Why they came and what staff did: nothing else is taken."""

    model_config = ConfigDict(extra="forbid")

    reason: VisitReason = Field(description="Why they came.")
    outcome: VisitOutcome = Field(description="What staff did.")


class VisitRecorded(BaseModel):
    id: int
    venue_id: int
    recorded_at: datetime = Field(description="When it was recorded (UTC).")
    reason: VisitReason
    outcome: VisitOutcome


def venue_for_visits(
    session: SessionDep, account: CurrentAccount, venue: Annotated[Venue, Depends(any_venue_or_404)]
) -> Venue:
    """A venue in the scheme whose visits this account may record."""
    if not may_edit(session, account, venue):
        raise NotAllowed(NOT_YOUR_VENUE)
    if not venue.active:
        raise Problem(WITHDRAWN, code="withdrawn")
    return venue


@router.post(
    "/{venue_id:int}/visits",
    status_code=201,
    response_model=VisitRecorded,
    responses=error_responses(400, 401, 403, 404, 422),
)
def record_visit(
    session: SessionDep,
    venue: Annotated[Venue, Depends(venue_for_visits)],
    visit: VisitCreate,
    now: NowDep,
) -> VisitRecorded:
    """Record that someone came for help: why, and what staff did (staff of the venue)."""
    assert venue.id is not None
    row = Visit(
        venue_id=venue.id,
        recorded_at=now.astimezone(UTC),
        reason=visit.reason,
        outcome=visit.outcome,
    )
    session.add(row)
    session.commit()
    assert row.id is not None
    return VisitRecorded(
        id=row.id,
        venue_id=venue.id,
        recorded_at=now.astimezone(UTC),
        reason=visit.reason,
        outcome=visit.outcome,
    )
