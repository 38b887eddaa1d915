"""Issue 12, items 5 and 6: "Something is wrong with this place" and "Still correct?".

Anyone may report a problem with a venue (throttled by address); only council
officers see who may be reached about it and move it along; a venue's staff see the
reports about their own venue, without the contact. A venue's staff (or an officer)
say the listing is still right through the one write path (`app.venues.edits`), so
it is recorded in the history and changes the ETag. The rules are
`app.venues.problem_reports`; this module is only the HTTP side.
"""

from typing import Annotated

from fastapi import APIRouter, Header, Path, Query, Response

from app.deps import (
    ClientAddress,
    EditableVenue,
    NowDep,
    OfficerOnly,
    SessionDep,
    SettingsDep,
    VenueId,
    VenueOr404,
)
from app.hours import LONDON
from app.http.errors import error_responses
from app.models.account import MAX_ID
from app.models.scheme import ProblemStatus
from app.models.venue import VenueEasyRead
from app.people.public_throttle import PROBLEM_REPORTS, count_send
from app.routers.writes import WRITE_ERRORS, VenueWriter
from app.venues.edits import Confirmed
from app.venues.problem_reports import (
    THANK_YOU,
    Confirmation,
    ProblemReportChange,
    ProblemReportForOfficers,
    ProblemReportSend,
    ProblemReportSent,
    VenueProblemReports,
    add_report,
    change_report,
    checked_report,
    confirmation,
    reports_for_officers,
    reports_for_staff,
)

router = APIRouter(prefix="/api", tags=["running the scheme"])
MOST_SHOWN = 500
Limit = Annotated[int, Query(ge=1, le=MOST_SHOWN, description="At most this many, newest first.")]


@router.post(
    "/venues/{venue_id:int}/feedback",
    status_code=201,
    response_model=ProblemReportSent,
    responses=error_responses(400, 404, 413, 422, 429),
)
def report_a_problem(
    session: SessionDep,
    settings: SettingsDep,
    address: ClientAddress,
    venue: VenueOr404,
    sent: ProblemReportSend,
    now: NowDep,
) -> ProblemReportSent:
    """Something is wrong with this place: tell the council (anyone; never shown publicly)."""
    texts = checked_report(sent)
    count_send(session, PROBLEM_REPORTS, address, settings.secret_key)
    add_report(session, venue, sent.problem, texts, now)
    return ProblemReportSent(message=THANK_YOU)


@router.get(
    "/feedback",
    response_model=list[ProblemReportForOfficers],
    responses=error_responses(401, 403, 422),
)
def problem_reports(
    session: SessionDep,
    _officer: OfficerOnly,
    status: Annotated[ProblemStatus | None, Query(description="Only these.")] = None,
    limit: Limit = MOST_SHOWN,
) -> list[ProblemReportForOfficers]:
    """The problems people reported, newest first, with how to reach them (officers)."""
    return reports_for_officers(session, status, limit)


@router.patch(
    "/feedback/{report_id:int}",
    response_model=ProblemReportForOfficers,
    responses=error_responses(400, 401, 403, 404, 412, 422, 428),
)
def settle_problem_report(
    session: SessionDep,
    _officer: OfficerOnly,
    report_id: Annotated[int, Path(ge=1, le=MAX_ID, description="The report's id.")],
    change: ProblemReportChange,
    now: NowDep,
    response: Response,
    if_match: Annotated[
        str | None,
        Header(
            max_length=200,
            description="The report's `etag` from your last read: if another officer moved "
            "it on since, 412 and nothing is changed. Without it, the last change wins.",
        ),
    ] = None,
) -> ProblemReportForOfficers:
    """Move a report along (new, in hand, done), with a note of what was done (officers)."""
    settled = change_report(session, report_id, change, now, if_match)
    response.headers["ETag"] = settled.etag
    return settled


@router.get(
    "/venues/{venue_id:int}/feedback",
    response_model=VenueProblemReports,
    responses=error_responses(401, 403, 404, 422),
)
def venue_problem_reports(
    session: SessionDep, venue: EditableVenue, limit: Limit = MOST_SHOWN
) -> VenueProblemReports:
    """The problems people reported about this venue, newest first, and how many are not
    done: never who sent them."""
    return reports_for_staff(session, venue, limit)


@router.post("/venues/{venue_id:int}/confirm", response_model=VenueEasyRead, responses=WRITE_ERRORS)
async def confirm_listing(write: VenueWriter, venue_id: VenueId) -> Response:
    """Everything on the listing is still right (its staff, or officers), recorded today."""
    return await write.change(venue_id, Confirmed())


@router.get(
    "/venues/{venue_id:int}/confirmation",
    response_model=Confirmation,
    responses=error_responses(401, 403, 404, 422),
)
def listing_confirmation(venue: EditableVenue, settings: SettingsDep, now: NowDep) -> Confirmation:
    """When the listing was last said to be still right, and when it is due again."""
    return confirmation(venue, settings.confirm_every_months, now.astimezone(LONDON).date())
