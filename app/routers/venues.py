"""Public venue look-ups: the nearest Safe Places, and one venue's easy-read page."""

from typing import Annotated

from fastapi import APIRouter, Query, Response

from app.deps import CatalogueDep, NowDep, VenueOr404
from app.models.venue import NearestVenues, VenueEasyRead
from app.venue_page import etag, venue_easy_read

router = APIRouter(prefix="/api/venues", tags=["venues"])

# A position in a URL must not be kept by any cache on the way.
PRIVATE = {"Cache-Control": "no-store"}


@router.get("/nearest", response_model=NearestVenues)
async def nearest_venues(
    catalogue: CatalogueDep,
    now: NowDep,
    lat: Annotated[
        float,
        Query(ge=-90, le=90, allow_inf_nan=False, description="Your latitude, like 52.2823."),
    ],
    lon: Annotated[
        float,
        Query(ge=-180, le=180, allow_inf_nan=False, description="Your longitude, like -1.5849."),
    ],
    limit: Annotated[int, Query(ge=1, le=50, description="How many places, 1 to 50.")] = 5,
    open_now: Annotated[
        bool, Query(description="Only places that are open now (hours known and open).")
    ] = False,
) -> Response:
    """The nearest active Safe Places to a position, nearest first."""
    # The hot path: JSON is assembled from pre-serialised pieces (see Catalogue),
    # so no ORM and no per-request model validation. The schema is still declared.
    venues = catalogue.nearest(lat, lon, limit, now, open_only=open_now)
    body = b'{"venues":[' + b",".join(venues) + b"]}"
    return Response(body, media_type="application/json", headers=PRIVATE)


@router.get(
    "/{venue_id}", response_model=VenueEasyRead, responses={404: {"description": "No such venue"}}
)
def venue_details(response: Response, venue: VenueOr404, now: NowDep) -> VenueEasyRead:
    """One Safe Place in easy read: hours, open now, access, and what to do there.

    The ETag header is what a change to this venue must send back as If-Match.
    """
    response.headers["ETag"] = etag(venue)
    return venue_easy_read(venue, now)
