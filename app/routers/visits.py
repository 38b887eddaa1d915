""" "Someone came to us": venue staff (or officers) record a visit in two taps.

A visit is a venue, a time, a reason and an outcome, each reason and outcome one
of a fixed list: no names, no words typed, no position. Who may record one is
app.permissions' rule for keeping a venue's listing (staff of that venue, officers).
"""

from datetime import UTC, datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Response
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import delete
from sqlmodel import col

from app.db import stored_utc
from app.deps import CurrentAccount, NowDep, SessionDep, any_venue_or_404
from app.http.errors import error_responses
from app.models import Venue, Visit
from app.models.account import MAX_ID
from app.models.scheme import VisitOutcome, VisitReason
from app.permissions import is_officer, require_editor
from app.problems import NotFound, Problem, Taken

router = APIRouter(prefix="/api/venues", tags=["running the scheme"])

NOT_YOUR_VENUE = "You can only record visits to the Safe Places you look after."
# A tap on the wrong picture can be taken back by the venue's staff for this long;
# officers, who keep the figures right, may take one back at any time.
UNDO_MINUTES = 15
TOO_LATE = (
    f"It is too late to take this back: it was recorded more than {UNDO_MINUTES} minutes "
    "ago. Ask the council to take it out."
)
NO_SUCH_VISIT = "There is no visit with id {id} at this Safe Place. Check the number."
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
    """A venue in the scheme whose visits this account may record: the editors' rule
    (`EditableVenue`'s), said in words about visits, as staff are changing nothing."""
    require_editor(session, account, venue, NOT_YOUR_VENUE)
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


@router.delete(
    "/{venue_id:int}/visits/{visit_id:int}",
    status_code=204,
    response_class=Response,
    responses=error_responses(401, 403, 404, 409, 422),
)
def take_back_visit(
    session: SessionDep,
    account: CurrentAccount,
    venue: Annotated[Venue, Depends(venue_for_visits)],
    visit_id: Annotated[int, Path(ge=1, le=MAX_ID, description="The visit's id.")],
    now: NowDep,
) -> Response:
    """Take back a visit recorded by mistake: the venue's staff within UNDO_MINUTES of
    recording it, officers at any time. Nothing of it is kept."""
    visit = session.get(Visit, visit_id)
    if visit is None or visit.venue_id != venue.id:
        raise NotFound(NO_SUCH_VISIT.format(id=visit_id))
    if not is_officer(account) and now - stored_utc(visit.recorded_at) > timedelta(
        minutes=UNDO_MINUTES
    ):
        raise Taken(TOO_LATE, code="too_late")
    # One statement, so of two taps at once the second finds nothing and says so.
    taken = session.connection().execute(delete(Visit).where(col(Visit.id) == visit_id))
    session.commit()
    if taken.rowcount == 0:
        raise NotFound(NO_SUCH_VISIT.format(id=visit_id))
    return Response(status_code=204)
