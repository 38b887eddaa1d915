"""What every change to a venue shares: If-Match, one commit, the new ETag.

Every write needs `If-Match` with the ETag last read (428 without it or with
`*`, 412 when stale), is recorded field by field, and reaches nearest look-ups
at once on this instance (others within a second or two).

If-Match is checked twice: here against the venue as read (a quick 412), and
then by the write itself, a compare-and-set on the version
(`app.venue_edits.claim_version`): of two writes sent with one ETag at the same
moment, to one server or to two, one is kept and the other gets 412 with
nothing of it written.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any

from fastapi import Depends, Header, HTTPException, Response
from sqlmodel import Session

from app.catalogue import Catalogue
from app.deps import (
    CatalogueDep,
    NowDep,
    SessionDep,
    any_venue_or_404,
    current_account,
    editable_venue,
    officer_only,
)
from app.errors import error_responses
from app.models import Account, Venue
from app.models.venue import VenueEasyRead
from app.venue_edits import VersionConflict, record_change
from app.venue_page import etag, venue_easy_read

WRITE_ERRORS = error_responses(400, 401, 403, 404, 409, 412, 422, 428)
IfMatch = Annotated[
    str | None,
    Header(max_length=200, description="The ETag from your last read of this venue."),
]


STALE_VENUE = "Someone changed this venue after you read it. Read it again, then change it."


def require_fresh(if_match: str | None, current: str, stale: str) -> None:
    """428 without If-Match or with `*`; 412 (saying `stale`) unless it names `current`.

    `*` would match whatever is stored now, so it could overwrite a change the
    sender never saw: it is refused as not saying which version was read (428,
    "send the precondition we need"), not as a failed precondition (412).
    """
    if if_match is None:
        raise HTTPException(428, "Send If-Match with the ETag you read, so no change is lost.")
    tags = [tag.strip().removeprefix("W/") for tag in if_match.split(",")]
    if "*" in tags:
        raise HTTPException(
            428,
            "If-Match: * is not enough. Send If-Match with the ETag you read, "
            "so no change is lost.",
        )
    if current not in tags:
        raise HTTPException(412, stale)


def require_if_match(if_match: str | None, venue: Venue) -> None:
    require_fresh(if_match, etag(venue), STALE_VENUE)


def venue_response(response: Response, venue: Venue, now: datetime) -> VenueEasyRead:
    response.headers["ETag"] = etag(venue)
    return venue_easy_read(venue, now)


def commit_change(
    response: Response,
    session: Session,
    catalogue: Catalogue,
    account: Account,
    venue: Venue,
    values: dict[str, Any],
    now: datetime,
) -> VenueEasyRead:
    """Record and commit checked values, refresh nearest look-ups, answer with the new ETag.

    412, with nothing written (history rows, a new photo), when another change
    to the venue was made since it was read.
    """
    try:
        record_change(session, venue, account, values)
    except VersionConflict:
        session.rollback()
        raise HTTPException(412, STALE_VENUE) from None
    commit_and_refresh(session, catalogue)
    return venue_response(response, venue, now)


def commit_and_refresh(session: Session, catalogue: Catalogue) -> None:
    session.commit()
    # This instance answers with the change at once; others within a second.
    catalogue.refresh_if_changed()


@dataclass(frozen=True, slots=True)
class VenueWrite:
    """A change about to be made: who, to which venue, with If-Match already checked."""

    response: Response
    session: Session
    catalogue: Catalogue
    account: Account
    venue: Venue
    now: datetime

    def commit(self, values: dict[str, Any]) -> VenueEasyRead:
        return commit_change(
            self.response, self.session, self.catalogue, self.account, self.venue, values, self.now
        )


def _venue_write(account_rule: Callable[..., Account], venue_rule: Callable[..., Venue]):
    """A dependency: the caller may change the venue (by the two rules), and sent a fresh ETag."""

    def venue_write(
        response: Response,
        session: SessionDep,
        catalogue: CatalogueDep,
        account: Annotated[Account, Depends(account_rule)],
        venue: Annotated[Venue, Depends(venue_rule)],
        now: NowDep,
        if_match: IfMatch = None,
    ) -> VenueWrite:
        require_if_match(if_match, venue)
        return VenueWrite(response, session, catalogue, account, venue, now)

    return venue_write


# Officers, any venue (withdrawn ones too); editors: officers, or staff of this venue.
OfficerWrite = Annotated[VenueWrite, Depends(_venue_write(officer_only, any_venue_or_404))]
EditorWrite = Annotated[VenueWrite, Depends(_venue_write(current_account, editable_venue))]
