"""Keeping listings true: staff change their own venue, officers any venue.

Routes only: the rules of a change are `app.venues.edits` (the one write path) and
`app.permissions` (who may change what); `app.routers.writes` runs each change in
one worker thread.
"""

import math
from typing import Annotated

from fastapi import APIRouter, Path, Query, Response
from sqlmodel import col, select

from app.deps import (
    CurrentAccount,
    EditableVenue,
    NowDep,
    OfficerOnly,
    SessionDep,
    SettingsDep,
    VenueId,
)
from app.http.errors import error_responses
from app.models import Account, AccountVenue, Role, Venue, VenueChange
from app.models.account import MAX_ID
from app.models.history import VenueChangePublic
from app.models.venue import ListingSummary, VenueCreate, VenueEasyRead, VenuePatch
from app.routers.writes import WRITE_ERRORS, VenueWriter, venue_answer
from app.venues.edits import CHECK_EVERY_MONTHS, CheckedToday, FieldChanges, Restore, SetValues
from app.venues.listing_pages import (
    MAX_MONTHS,
    MAX_PAGE,
    MAX_PER_PAGE,
    MAX_SEARCH,
    PER_PAGE,
    ListFilters,
    ListOrder,
    ListSort,
    SortOrder,
    VenueListPage,
    clock,
    list_line,
    months_before,
    not_done_since,
    venue_page,
)
from app.venues.page import venue_easy_read

router = APIRouter(prefix="/api/venues", tags=["listings"])


@router.post("", status_code=201, response_model=VenueEasyRead, responses=WRITE_ERRORS)
async def add_venue(write: VenueWriter, new: VenueCreate) -> Response:
    """Add a venue to the scheme (officers)."""
    return await write.add(new.model_dump())


@router.patch("/{venue_id:int}", response_model=VenueEasyRead, responses=WRITE_ERRORS)
async def change_venue(write: VenueWriter, venue_id: VenueId, patch: VenuePatch) -> Response:
    """Change some of a venue's fields. Staff: hours, phone, website, access, easy read, photo."""
    return await write.change(venue_id, FieldChanges(patch.model_dump(exclude_unset=True)))


@router.post("/{venue_id:int}/withdraw", response_model=VenueEasyRead, responses=WRITE_ERRORS)
async def withdraw_venue(write: VenueWriter, venue_id: VenueId) -> Response:
    """Take a venue out of the scheme: kept, with its history, but no longer shown."""
    return await write.change(venue_id, SetValues({"active": False}), officers_only=True)


@router.post("/{venue_id:int}/reinstate", response_model=VenueEasyRead, responses=WRITE_ERRORS)
async def reinstate_venue(write: VenueWriter, venue_id: VenueId) -> Response:
    """Bring a withdrawn venue back into the scheme, shown again (recorded like any change)."""
    return await write.change(venue_id, SetValues({"active": True}), officers_only=True)


@router.post("/{venue_id:int}/checked", response_model=VenueEasyRead, responses=WRITE_ERRORS)
async def mark_checked(write: VenueWriter, venue_id: VenueId) -> Response:
    """Record that the listing was checked today (shown on the venue's page)."""
    return await write.change(venue_id, CheckedToday(), officers_only=True)


@router.get(
    "/{venue_id:int}/listing",
    response_model=VenueEasyRead,
    responses=error_responses(401, 403, 404),
)
def venue_listing(venue: EditableVenue, now: NowDep) -> Response:
    """A venue as its editors see it, withdrawn or not, with the ETag to change it."""
    return venue_answer(venue, now)


@router.get(
    "/{venue_id:int}/history",
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
    "/{venue_id:int}/history/{change_id:int}/restore",
    response_model=VenueEasyRead,
    responses=WRITE_ERRORS,
)
async def restore_value(
    write: VenueWriter,
    venue_id: VenueId,
    change_id: Annotated[int, Path(ge=1, le=MAX_ID)],
) -> Response:
    """Put a field back to the value it had before one recorded change (itself recorded)."""
    return await write.change(venue_id, Restore(change_id))


@router.get(
    "/unchecked",
    response_model=list[VenueEasyRead],
    responses=error_responses(401, 403, 422),
)
def unchecked_venues(
    session: SessionDep,
    _officer: OfficerOnly,
    now: NowDep,
    months: Annotated[
        int, Query(ge=1, le=60, description="Not checked for this long.")
    ] = CHECK_EVERY_MONTHS,
) -> list[VenueEasyRead]:
    """Active venues not checked for a year, oldest check first (officers). A venue never
    checked counts from the day it was added: one added today is not due."""
    stale = session.exec(
        select(Venue)
        .where(Venue.active, not_done_since(Venue.last_checked, months_before(now, months)))
        .order_by(clock(Venue.last_checked).asc(), col(Venue.ref))
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


Months = Annotated[int | None, Query(ge=1, le=MAX_MONTHS)]


@router.get(
    "/editable/page",
    response_model=VenueListPage,
    responses=error_responses(401, 403, 422),
)
def editable_venues_page(
    session: SessionDep,
    account: CurrentAccount,
    now: NowDep,
    settings: SettingsDep,
    page: Annotated[int, Query(ge=1, le=MAX_PAGE, description="1 is the first page.")] = 1,
    per_page: Annotated[int, Query(ge=1, le=MAX_PER_PAGE)] = PER_PAGE,
    sort: ListSort = ListSort.name,
    order: SortOrder = SortOrder.asc,
    search: Annotated[
        str | None, Query(max_length=MAX_SEARCH, description="Words in the name, ref or town.")
    ] = None,
    town: Annotated[str | None, Query(max_length=100, description="This town only.")] = None,
    not_checked_months: Months = None,
    not_confirmed_months: Months = None,
    has_open_problems: Annotated[
        bool | None, Query(description="Only venues with (true) or without (false) them.")
    ] = None,
) -> VenueListPage:
    """The venues you may change, a page at a time, sorted and filtered: staff their own,
    officers all. A venue never checked or confirmed counts from the day it was added."""
    filters = ListFilters(search, town, not_checked_months, not_confirmed_months, has_open_problems)
    rows, total, everything = venue_page(
        session, account, now, filters, ListOrder(sort, order, page, per_page)
    )
    confirm_every = settings.confirm_every_months
    return VenueListPage(
        venues=[list_line(venue, problems, now, confirm_every) for venue, problems in rows],
        total=total,
        all_venues=everything,
        page=page,
        per_page=per_page,
        pages=max(1, math.ceil(total / per_page)),
        check_every_months=CHECK_EVERY_MONTHS,
        confirm_every_months=confirm_every,
    )
