"""Public venue look-ups: the nearest Safe Places, and one venue's easy-read page."""

from datetime import datetime
from typing import Annotated
from urllib.parse import parse_qsl

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel, Field, ValidationError
from starlette._utils import is_async_callable
from starlette.types import ASGIApp, Receive, Scope, Send

from app.deps import CatalogueDep, NowDep, VenueOr404, get_catalogue, get_now
from app.models.venue import NearestVenues, PlainFloat, VenueEasyRead
from app.venues.catalogue import Catalogue
from app.venues.page import etag, venue_easy_read

router = APIRouter(prefix="/api/venues", tags=["venues"])
# Included first (app.main): the look-up people wait for; its path shadows nothing,
# and matching it after every other /api/venues route cost it 35 µs of 100.
nearest_router = APIRouter(prefix="/api/venues", tags=["venues"])
NEAREST_PATH = "/nearest"
NEAREST = nearest_router.prefix + NEAREST_PATH

# A position in a URL must not be kept by any cache on the way.
PRIVATE = {"Cache-Control": "no-store"}


class NearestQuery(BaseModel):
    """What a nearest look-up may ask: the rules, written once for both ways in (below)."""

    lat: PlainFloat = Field(
        ge=-90, le=90, allow_inf_nan=False, description="Your latitude, like 52.2823."
    )
    lon: PlainFloat = Field(
        ge=-180, le=180, allow_inf_nan=False, description="Your longitude, like -1.5849."
    )
    limit: int = Field(default=5, ge=1, le=50, description="How many places, 1 to 50.")
    open_now: bool = Field(
        default=False, description="Only places that are open now (hours known and open)."
    )


def nearest_response(catalogue: Catalogue, query: NearestQuery, now: datetime) -> Response:
    # The hot path: JSON is assembled from pre-serialised pieces (see Catalogue),
    # so no ORM and no per-request model validation. The schema is still declared.
    venues = catalogue.nearest(query.lat, query.lon, query.limit, now, open_only=query.open_now)
    body = b'{"venues":[' + b",".join(venues) + b"]}"
    return Response(body, media_type="application/json", headers=PRIVATE)


async def answer_directly(request: Request) -> Response | None:
    """The answer to a valid look-up, without FastAPI's dependency solving; None otherwise.

    The same model checks the query, and the same dependencies (overrides too)
    give the catalogue and the time. Whatever this does not take (a query the
    model refuses, an override it cannot call) goes the usual way, which says
    what is wrong: so each rule and its message exist once.
    """
    overrides = request.app.dependency_overrides
    clock = overrides.get(get_now, get_now)
    if get_catalogue in overrides or not is_async_callable(clock):
        return None
    query = request.scope["query_string"].decode("latin-1")
    try:
        # As Starlette reads a query string (the last of repeated names counts).
        asked = NearestQuery.model_validate(dict(parse_qsl(query, keep_blank_values=True)))
    except ValidationError:
        return None
    return nearest_response(await get_catalogue(request), asked, await clock())


class NearestFirst:
    """Answers valid nearest look-ups before FastAPI's routing (`answer_directly`).

    Pure ASGI middleware, the innermost: the security headers, the access log's
    route and the body limits still wrap it; FastAPI's exception middleware,
    routing, request wrappers and dependency solving do not, which cost about
    40 µs a request, more than the look-up itself (measured at 100k venues,
    December 2026). Anything it does not answer (a query the model refuses,
    another method) goes on to the route below, which says what is wrong.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"] == NEAREST and scope["method"] == "GET":
            answer = await answer_directly(Request(scope, receive))
            if answer is not None:
                await answer(scope, receive, send)
                return
        await self.app(scope, receive, send)


async def nearest_venues(
    catalogue: CatalogueDep, now: NowDep, query: Annotated[NearestQuery, Query()]
) -> Response:
    """The nearest active Safe Places to a position, nearest first."""
    return nearest_response(catalogue, query, now)


nearest_router.add_api_route(
    NEAREST_PATH,
    nearest_venues,
    methods=["GET"],
    response_model=NearestVenues,
)


@router.get(
    "/{venue_id:int}",
    response_model=VenueEasyRead,
    responses={404: {"description": "No such venue"}},
)
def venue_details(response: Response, venue: VenueOr404, now: NowDep) -> VenueEasyRead:
    """One Safe Place in easy read: hours, open now, access, and what to do there.

    The ETag header is what a change to this venue must send back as If-Match.
    """
    response.headers["ETag"] = etag(venue)
    return venue_easy_read(venue, now)
