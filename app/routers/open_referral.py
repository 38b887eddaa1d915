"""The Open Referral UK feed: the scheme's venues, read-only, for any directory to harvest.

Public and open to every web page (`Access-Control-Allow-Origin: *` on every
answer, errors too, as ORUK asks). The services are the export's
(app/venues/exporting.py reads the venues, app/venues/oruk.py shapes them), valid
against the official HSDS-UK 3.0 schemas. Not the officers' download
(`/api/venues/export`), and nothing here writes.
"""

import uuid
from collections.abc import Callable, Coroutine
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.deps import GazetteerDep, NowDep, SessionDep
from app.http.errors import error_responses, http_error, problem_error, validation_error
from app.problems import NotFound, Problem
from app.venues.exporting import active_venue_count, active_venue_refs, active_venues
from app.venues.oruk import (
    PROFILE_URL,
    VERSION,
    open_referral_service,
    service_id,
    service_page,
)

SCHEMA_NOTE = (
    "Shaped and valid as the official HSDS-UK 3.0 schema "
    "(github.com/OpenReferralUK/uk-profile, schema/compiled/service.json)."
)


class OpenToEveryPage(APIRoute):
    """Adds `Access-Control-Allow-Origin: *` to every answer, errors included."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handle = super().get_route_handler()

        async def handle_open(request: Request) -> Response:
            try:
                response = await handle(request)
            except RequestValidationError as error:
                response = await validation_error(request, error)
            except StarletteHTTPException as error:
                response = await http_error(request, error)
            except Problem as problem:
                response = await problem_error(request, problem)
            response.headers["Access-Control-Allow-Origin"] = "*"
            return response

        return handle_open


router = APIRouter(prefix="/openreferral", tags=["Open Referral UK"], route_class=OpenToEveryPage)


class ApiDetails(BaseModel):
    """ORUK's `/` answer: which standard this feed follows."""

    version: str = Field(description="The standard: HSDS-UK-3.0.")
    profile: str = Field(description="Where the UK profile of HSDS is described.")
    openapi_url: str = Field(description="This API's OpenAPI document.")


class ServicePage(BaseModel):
    """ORUK's page of services."""

    total_items: int = Field(description="Active venues in the feed.")
    total_pages: int
    page_number: int
    size: int = Field(description="Services on this page.")
    first_page: bool
    last_page: bool
    empty: bool = Field(description="True when this page has no services.")
    contents: list[dict[str, Any]] = Field(description=f"Fully nested services. {SCHEMA_NOTE}")


@router.get("/", response_model=ApiDetails)
def api_details(request: Request) -> ApiDetails:
    """Which standard this feed follows (HSDS-UK 3.0), for validators and directories."""
    return ApiDetails(
        version=VERSION, profile=PROFILE_URL, openapi_url=str(request.url_for("openapi"))
    )


@router.get("/services", response_model=ServicePage, responses=error_responses(422))
def list_services(
    session: SessionDep,
    gazetteer: GazetteerDep,
    now: NowDep,
    page: Annotated[int, Query(ge=1, description="Which page, from 1.")] = 1,
    per_page: Annotated[int, Query(ge=1, le=100, description="Services a page: 1 to 100.")] = 50,
) -> dict[str, Any]:
    """Every active venue as an ORUK service, by ref, a page at a time.

    Each service is fully nested (organization, schedules, location), as
    `/openreferral/services/{id}` gives it.
    """
    total = active_venue_count(session)
    offset = (page - 1) * per_page
    venues = active_venues(session, offset, per_page) if offset < total else []
    services = [open_referral_service(venue, now, gazetteer.area_near) for venue in venues]
    return service_page(services, total, page, per_page)


def service_venue_or_404(
    session: SessionDep,
    id: Annotated[str, Path(max_length=100, description="The service's id (a UUID).")],
) -> dict[str, Any]:
    """The active venue whose service has this id (ids are derived from refs)."""
    try:
        wanted = str(uuid.UUID(id))
    except ValueError:
        wanted = None
    ref = next((ref for ref in active_venue_refs(session) if service_id(ref) == wanted), None)
    venues = active_venues(session, ref=ref) if ref is not None else []
    if not venues:
        raise NotFound(
            f"There is no service with id {id} in this feed. Take an id from "
            "/openreferral/services; a Safe Place that left the scheme is not listed.",
        )
    return venues[0]


@router.get("/services/{id}", response_model=dict[str, Any], responses=error_responses(404, 422))
def get_service(
    venue: Annotated[dict[str, Any], Depends(service_venue_or_404)],
    gazetteer: GazetteerDep,
    now: NowDep,
) -> dict[str, Any]:
    """One active venue as an ORUK service, by the service id the list gives.

    Shaped and valid as the official HSDS-UK 3.0 schema
    (github.com/OpenReferralUK/uk-profile, schema/compiled/service.json).
    """
    return open_referral_service(venue, now, gazetteer.area_near)
