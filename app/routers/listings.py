"""Keeping listings true: staff change their own venue, officers any venue.

Changes are checked by the same rules as the venue file (422); the rules every
write shares (If-Match, history, freshness) are in `app.routers.writes`.
"""

from datetime import date, datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Query, Response
from sqlalchemy import or_
from sqlmodel import col, select

from app.deps import (
    CatalogueDep,
    CurrentAccount,
    EditableVenue,
    NowDep,
    OfficerOnly,
    SessionDep,
)
from app.errors import error_responses
from app.hours import LONDON
from app.models import Account, AccountVenue, Role, Venue, VenueChange
from app.models.account import MAX_ID
from app.models.history import VenueChangePublic
from app.models.venue import STAFF_FIELDS, ListingSummary, VenueCreate, VenueEasyRead, VenuePatch
from app.routers.writes import (
    WRITE_ERRORS,
    IfMatch,
    OfficerWrite,
    commit_and_refresh,
    commit_change,
    require_if_match,
    venue_response,
)
from app.venue_edits import VenueInvalid, checked_values, create_venue, file_columns, ref_taken
from app.venue_file import COLUMNS
from app.venue_page import venue_easy_read

router = APIRouter(prefix="/api/venues", tags=["listings"])
# A closure is for a holiday or a refit; longer than this is leaving the scheme.
MAX_CLOSURE_DAYS = 366
# Fields whose earlier value can be put back from the history.
RESTORABLE = frozenset({*COLUMNS, "closed_until", "active"})


def checked(current: dict[str, Any], changes: dict[str, Any], now: datetime) -> dict[str, Any]:
    """The changes, checked: the venue file's columns by its rules, a closure by date."""
    closure = {"closed_until": changes.pop("closed_until")} if "closed_until" in changes else {}
    try:
        values = checked_values(current, changes)
    except VenueInvalid as error:
        said = (
            problem if problem.endswith((".", "?", "!")) else f"{problem}."
            for problem in error.problems
        )
        raise HTTPException(422, " ".join(said)) from None
    until = closure.get("closed_until")
    today = now.astimezone(LONDON).date()
    if until is not None and not today < until <= today + timedelta(days=MAX_CLOSURE_DAYS):
        raise HTTPException(
            422,
            f"closed_until must be a day after today and within {MAX_CLOSURE_DAYS} days. "
            "To close for longer, ask a council officer to withdraw the venue.",
        )
    return {**{name: values[name] for name in changes}, **closure}


@router.post("", status_code=201, response_model=VenueEasyRead, responses=WRITE_ERRORS)
def add_venue(
    response: Response,
    session: SessionDep,
    catalogue: CatalogueDep,
    officer: OfficerOnly,
    now: NowDep,
    new: VenueCreate,
) -> VenueEasyRead:
    """Add a venue to the scheme (officers)."""
    values = checked({}, new.model_dump(), now)  # first: a bad ref must not reach the database
    if ref_taken(session, values["ref"], None):
        raise HTTPException(409, f"ref {values['ref']} is already used by another venue.")
    venue = create_venue(session, values, officer)
    commit_and_refresh(session, catalogue)
    return venue_response(response, venue, now)


@router.patch("/{venue_id}", response_model=VenueEasyRead, responses=WRITE_ERRORS)
def change_venue(
    response: Response,
    session: SessionDep,
    catalogue: CatalogueDep,
    account: CurrentAccount,
    venue: EditableVenue,
    now: NowDep,
    patch: VenuePatch,
    if_match: IfMatch = None,
) -> VenueEasyRead:
    """Change some of a venue's fields. Staff: hours, phone, website, access, easy read, photo."""
    changes = patch.model_dump(exclude_unset=True)
    if account.role == Role.staff and (not_theirs := sorted(set(changes) - STAFF_FIELDS)):
        raise HTTPException(403, f"Only a council officer can change {', '.join(not_theirs)}.")
    require_if_match(if_match, venue)
    values = checked(file_columns(venue), changes, now)
    if "ref" in values and ref_taken(session, values["ref"], venue.id):
        raise HTTPException(409, f"ref {values['ref']} is already used by another venue.")
    return commit_change(response, session, catalogue, account, venue, values, now)


@router.post("/{venue_id}/withdraw", response_model=VenueEasyRead, responses=WRITE_ERRORS)
def withdraw_venue(write: OfficerWrite) -> VenueEasyRead:
    """Take a venue out of the scheme: kept, with its history, but no longer shown."""
    return write.commit({"active": False})


@router.post("/{venue_id}/reinstate", response_model=VenueEasyRead, responses=WRITE_ERRORS)
def reinstate_venue(write: OfficerWrite) -> VenueEasyRead:
    """Bring a withdrawn venue back into the scheme, shown again (recorded like any change)."""
    return write.commit({"active": True})


@router.post("/{venue_id}/checked", response_model=VenueEasyRead, responses=WRITE_ERRORS)
def mark_checked(write: OfficerWrite) -> VenueEasyRead:
    """Record that the listing was checked today (shown on the venue's page)."""
    return write.commit({"last_checked": write.now.astimezone(LONDON).date()})


@router.get(
    "/{venue_id}/listing", response_model=VenueEasyRead, responses=error_responses(401, 403, 404)
)
def venue_listing(response: Response, venue: EditableVenue, now: NowDep) -> VenueEasyRead:
    """A venue as its editors see it, withdrawn or not, with the ETag to change it."""
    return venue_response(response, venue, now)


@router.get(
    "/{venue_id}/history",
    response_model=list[VenueChangePublic],
    responses=error_responses(401, 403, 404),
)
def venue_history(session: SessionDep, venue: EditableVenue) -> list[VenueChangePublic]:
    """Every change to the venue, newest first: who, when, and old and new values."""
    rows = session.exec(
        select(VenueChange, Account.email)
        .join(Account, isouter=True)
        .where(VenueChange.venue_id == venue.id)
        .order_by(VenueChange.id.desc())  # type: ignore[union-attr]
    ).all()
    return [
        VenueChangePublic(**change.model_dump(exclude={"account_id"}), changed_by=email)
        for change, email in rows
    ]


@router.post(
    "/{venue_id}/history/{change_id}/restore",
    response_model=VenueEasyRead,
    responses=WRITE_ERRORS,
)
def restore_value(
    response: Response,
    session: SessionDep,
    catalogue: CatalogueDep,
    account: CurrentAccount,
    venue: EditableVenue,
    now: NowDep,
    change_id: Annotated[int, Path(ge=1, le=MAX_ID)],
    if_match: IfMatch = None,
) -> VenueEasyRead:
    """Put a field back to the value it had before one recorded change (itself recorded)."""
    change = session.get(VenueChange, change_id)
    if change is None or change.venue_id != venue.id:
        raise HTTPException(404, f"This venue has no change with id {change_id}.")
    field = change.field
    if account.role == Role.staff and field not in STAFF_FIELDS:
        raise HTTPException(403, f"Only a council officer can change {field}.")
    if field not in RESTORABLE:
        raise HTTPException(422, f"{field} cannot be restored this way.")
    require_if_match(if_match, venue)
    old = change.old_value
    if field == "closed_until" and old is not None:
        old = date.fromisoformat(old)
    values = {field: old} if field == "active" else checked(file_columns(venue), {field: old}, now)
    return commit_change(response, session, catalogue, account, venue, values, now)


@router.get(
    "/unchecked",
    response_model=list[VenueEasyRead],
    responses=error_responses(401, 403, 422),
)
def unchecked_venues(
    session: SessionDep,
    _officer: OfficerOnly,
    now: NowDep,
    months: Annotated[int, Query(ge=1, le=60, description="Not checked for this long.")] = 12,
) -> list[VenueEasyRead]:
    """Active venues not checked for 12 months (or never), oldest check first (officers)."""
    cutoff = (now.astimezone(LONDON) - timedelta(days=round(months * 365.25 / 12))).date()
    stale = session.exec(
        select(Venue)
        .where(
            Venue.active, or_(col(Venue.last_checked).is_(None), col(Venue.last_checked) < cutoff)
        )
        .order_by(col(Venue.last_checked).asc().nulls_first(), col(Venue.ref))
    ).all()
    return [venue_easy_read(venue, now) for venue in stale]


@router.get("/editable", response_model=list[ListingSummary], responses=error_responses(401, 403))
def editable_venues(session: SessionDep, account: CurrentAccount) -> list[ListingSummary]:
    """The venues you may change, by name: staff their own, officers all (withdrawn too)."""
    query = select(Venue).order_by(col(Venue.name), col(Venue.ref))
    if account.role == Role.staff:
        query = query.join(AccountVenue).where(AccountVenue.account_id == account.id)
    return [
        ListingSummary.model_validate(venue, from_attributes=True) for venue in session.exec(query)
    ]
