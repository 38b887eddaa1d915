"""Joining the scheme: a venue applies (public), officers approve or decline; and what the
council checked about each venue (vetting: officers only, never in a public answer).

Routes only: the rules are `app.venues.applications`.
"""

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query

from app.deps import (
    CatalogueDep,
    ClientAddress,
    GazetteerDep,
    GeocoderDep,
    NowDep,
    OfficerOnly,
    PostcodesDep,
    SessionDep,
    SettingsDep,
    any_venue_or_404,
)
from app.http.errors import error_responses
from app.models import Application, Venue
from app.models.account import MAX_ID
from app.models.scheme import ApplicationStatus
from app.people.public_throttle import APPLICATIONS, count_send
from app.venues import applications as rules
from app.venues.applications import (
    ApplicationCreate,
    ApplicationPublic,
    ApplicationSent,
    Approval,
    Decline,
    VettingIn,
    VettingPublic,
)

router = APIRouter(tags=["joining the scheme"])
OFFICER_ERRORS = error_responses(401, 403, 404, 422)
DECISION_ERRORS = error_responses(400, 401, 403, 404, 409, 422)


def application_or_404(
    session: SessionDep,
    _officer: OfficerOnly,
    application_id: Annotated[int, Path(ge=1, le=MAX_ID, description="The application's id.")],
) -> Application:
    return rules.application_or_not_found(session, application_id)


ApplicationOr404 = Annotated[Application, Depends(application_or_404)]


def vetted_venue(
    _officer: OfficerOnly, venue: Annotated[Venue, Depends(any_venue_or_404)]
) -> Venue:
    """Any venue, withdrawn or not, for officers only."""
    return venue


VettedVenue = Annotated[Venue, Depends(vetted_venue)]


@router.post(
    "/api/applications",
    status_code=201,
    response_model=ApplicationSent,
    responses=error_responses(400, 413, 422, 429),
)
def apply_to_join(
    session: SessionDep,
    settings: SettingsDep,
    address: ClientAddress,
    postcodes: PostcodesDep,
    gazetteer: GazetteerDep,
    geocoder: GeocoderDep,
    now: NowDep,
    sent: ApplicationCreate,
) -> ApplicationSent:
    """Ask to join the scheme (public). Nothing is shown until an officer approves it."""
    venue = rules.checked_venue(session, sent, postcodes, gazetteer, geocoder, now.date())
    # Counted once it is valid: putting mistakes right costs no tries.
    count_send(session, APPLICATIONS, address, settings.secret_key)
    application = rules.add_application(session, sent, venue, now)
    assert application.id is not None
    return ApplicationSent(id=application.id, message=rules.THANK_YOU)


@router.get("/api/applications", response_model=list[ApplicationPublic], responses=OFFICER_ERRORS)
def list_applications(
    session: SessionDep,
    settings: SettingsDep,
    _officer: OfficerOnly,
    now: NowDep,
    status: Annotated[ApplicationStatus | None, Query(description="Only these.")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 200,
) -> list[ApplicationPublic]:
    """Applications to join, newest first (officers)."""
    found = rules.applications(session, status, limit)
    alike = rules.looks_the_same(session, found)
    return [
        rules.shown(application, settings.min_trained_staff, now, alike.get(application.id or 0))
        for application in found
    ]


@router.get(
    "/api/applications/{application_id:int}",
    response_model=ApplicationPublic,
    responses=OFFICER_ERRORS,
)
def read_application(
    session: SessionDep, application: ApplicationOr404, settings: SettingsDep, now: NowDep
) -> ApplicationPublic:
    """One application (officers)."""
    alike = rules.looks_the_same(session, [application])
    return rules.shown(application, settings.min_trained_staff, now, alike.get(application.id or 0))


@router.post(
    "/api/applications/{application_id:int}/approve",
    response_model=Approval,
    responses=DECISION_ERRORS,
)
def approve_application(
    session: SessionDep,
    settings: SettingsDep,
    catalogue: CatalogueDep,
    officer: OfficerOnly,
    application: ApplicationOr404,
    now: NowDep,
) -> Approval:
    """Make the venue and a staff account for the contact (its one-time password is in
    this answer, once). Needs the scheme's minimum of trained staff."""
    approval = rules.approve(session, application, officer, settings.min_trained_staff, now)
    catalogue.refresh_if_changed()  # here at once; other instances within a second
    return approval


@router.post(
    "/api/applications/{application_id:int}/decline",
    response_model=ApplicationPublic,
    responses=DECISION_ERRORS,
)
def decline_application(
    session: SessionDep,
    settings: SettingsDep,
    officer: OfficerOnly,
    application: ApplicationOr404,
    decline: Decline,
    now: NowDep,
) -> ApplicationPublic:
    """Say no, with a short reason (officers)."""
    rules.decline(session, application, officer, decline.reason, now)
    return rules.shown(application, settings.min_trained_staff, now)


@router.get(
    "/api/venues/{venue_id:int}/vetting", response_model=VettingPublic, responses=OFFICER_ERRORS
)
def read_vetting(session: SessionDep, venue: VettedVenue) -> VettingPublic:
    """What the council checked about this venue (officers only)."""
    assert venue.id is not None
    return rules.vetting_of(session, venue.id)


@router.put(
    "/api/venues/{venue_id:int}/vetting",
    response_model=VettingPublic,
    responses=error_responses(400, 401, 403, 404, 409, 422),
)
def change_vetting(
    session: SessionDep, venue: VettedVenue, vetting: VettingIn, now: NowDep
) -> VettingPublic:
    """Record the police check, trained staff, training date and sticker (all of it)."""
    assert venue.id is not None
    return rules.set_vetting(session, venue.id, vetting, now)
