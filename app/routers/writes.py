"""How a route changes a venue: in one step in a worker thread, answered with the new ETag.

Every write needs `If-Match` with the ETag last read (428 without it or with
`*`, 412 when stale); the rules are `app.venues.edits.apply_edit`, the one write
path. This module is only the HTTP side of it.

Why one step: FastAPI runs each plain-`def` dependency and route in a worker
thread of its own, and each hand-over waits for the event loop. Under a steady
load of look-ups, the eight hand-overs a PATCH used to make took most of its
time (p50 102 ms at 100,000 venues, December 2026). So `Writer` is gathered on
the event loop with no database work (the token, If-Match, the clock), and
everything else — who is signed in, the venue, the checks, the write, the
catalogue's refresh and the answer's JSON — happens in one worker thread.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Header, Request, Response
from sqlalchemy import Engine
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from app.config import Settings
from app.deps import NowDep, account_for_token, bearer_token, venue_or_not_found
from app.hours import LONDON
from app.http.errors import error_responses
from app.models import Account, Venue
from app.permissions import require_officer, require_own_password
from app.venues.catalogue import Catalogue
from app.venues.edits import Edit, add_venue, apply_edit, permit_edit
from app.venues.page import etag, venue_easy_read

WRITE_ERRORS = error_responses(400, 401, 403, 404, 409, 412, 422, 428)
IfMatch = Annotated[
    str | None,
    Header(max_length=200, description="The ETag from your last read of this venue."),
]
T = TypeVar("T")


def venue_answer(venue: Venue, now: datetime, status_code: int = 200) -> Response:
    """The venue as its editors see it, with the ETag for the next change (JSON made here,
    in the worker thread, not by FastAPI on the event loop)."""
    body = venue_easy_read(venue, now).model_dump_json()
    return Response(
        body, status_code=status_code, media_type="application/json", headers={"ETag": etag(venue)}
    )


@dataclass(frozen=True, slots=True)
class Writer:
    """What a change needs, gathered on the event loop without touching the database."""

    engine: Engine
    settings: Settings
    catalogue: Catalogue
    token: str
    if_match: str | None
    now: datetime

    async def change(self, venue_id: int, edit: Edit, *, officers_only: bool = False) -> Response:
        """Make `edit` to the venue, in one worker thread; answer with the venue and new ETag."""
        return await run_in_threadpool(self._change, venue_id, edit, officers_only)

    async def add(self, values: dict[str, Any]) -> Response:
        """Add a venue (officers), in one worker thread: 201 with the venue and its ETag."""
        return await run_in_threadpool(self._add, values)

    async def check(self, venue_id: int, edit: Edit) -> None:
        """Who may, and If-Match, settled before a body is read (a photo): nothing written."""

        def check(session: Session, account: Account) -> None:
            venue = venue_or_not_found(session, venue_id)
            permit_edit(session, account, venue, edit, self.if_match)

        await run_in_threadpool(self._signed_in, check)

    def _signed_in(self, work: Callable[[Session, Account], T], officers_only: bool = False) -> T:
        with Session(self.engine) as session:
            account = account_for_token(session, self.settings, self.token)
            require_own_password(account)
            if officers_only:
                require_officer(account)
            return work(session, account)

    def _change(self, venue_id: int, edit: Edit, officers_only: bool) -> Response:
        def change(session: Session, account: Account) -> Response:
            venue = venue_or_not_found(session, venue_id)
            apply_edit(session, account, venue, edit, self.if_match, self.now)
            self.catalogue.refresh_if_changed()  # here at once; other instances within a second
            return venue_answer(venue, self.now)

        return self._signed_in(change, officers_only)

    def _add(self, values: dict[str, Any]) -> Response:
        def add(session: Session, account: Account) -> Response:
            venue = add_venue(session, account, values, self.now.astimezone(LONDON).date())
            self.catalogue.refresh_if_changed()
            return venue_answer(venue, self.now, 201)

        return self._signed_in(add, officers_only=True)


async def writer(
    request: Request,
    token: Annotated[str, Depends(bearer_token)],
    now: NowDep,
    if_match: IfMatch = None,
) -> Writer:
    state = request.app.state
    return Writer(state.engine, state.settings, state.catalogue, token, if_match, now)


VenueWriter = Annotated[Writer, Depends(writer)]
