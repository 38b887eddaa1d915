"""Finding a place by name or postcode, for people who do not share their position.

A postcode is answered by app.gazetteer.postcode_lookup (the postcode table offline,
the venues' own postcodes, the online geocoder when one is set up), with the town or
village it is in. Anything else is looked up as a town or village name, places in the
scheme's own area first. A place outside that area is found all the same, with a plain
word that the app covers one area and how far its nearest Safe Place is. Phones download
the districts' centres to use offline.
"""

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel, Field

from app.deps import (
    CatalogueDep,
    GazetteerDep,
    GeocoderDep,
    PostcodesDep,
    SessionDep,
    SettingsDep,
)
from app.gazetteer.place_names import (
    AREA_RADIUS_M,
    EXACT_SCORE,
    IN_PLACE_M,
    OnlineGeocoder,
    Place,
    postcode_key,
    rank_places,
)
from app.gazetteer.postcode_lookup import find_postcode, unknown_in_northern_ireland
from app.gazetteer.postcodes import ATTRIBUTION
from app.gazetteer.scheme_area import area_of, outside_words_at
from app.web.assets import Asset
from app.web.responses import send

router = APIRouter(prefix="/api/places", tags=["places"])

GEONAMES = "Place names © GeoNames, CC BY 4.0"
ATTRIBUTIONS = {
    "postcode": f"{ATTRIBUTION} Code-Point Open, Open Government Licence v3.0.",
    "geocoder": "Data © OpenStreetMap contributors, ODbL 1.0",
}
NORTHERN_IRELAND = "We do not have postcodes in Northern Ireland. Type the name of your town."
UNKNOWN_POSTCODE = "We cannot find that postcode. Check it, or type the name of your town."
# A phone that asks with ?v= (the table's version) may keep the answer a year;
# one that asks without must check it is current (a 304 costs little).
KEEP_A_YEAR = "public, max-age=31536000, immutable"
ASK_EACH_TIME = "no-cache"


class PlaceOut(BaseModel):
    name: str
    area: str = Field(description="County and country, when known: 'Warwickshire, England'.")
    latitude: float
    longitude: float
    source: Literal["gazetteer", "venue_town", "venue_postcode", "postcode", "geocoder"] = Field(
        description="'postcode': a full postcode or a district, from Code-Point Open."
    )
    match: Literal["exact", "close"] = Field(
        description="'close' when the name was guessed from a misspelling: ask 'Did you mean…?'"
    )
    near: str = Field(
        default="",
        description=(
            "For a postcode: the nearest town or village (of 1,000+ people) within "
            f"{AREA_RADIUS_M // 1000} km ('Warwick' for CV34 4AB); empty when none is."
        ),
    )
    near_m: int | None = Field(
        default=None,
        description=(
            f"How far `near`'s centre is, in metres. Within {IN_PLACE_M} the postcode is "
            "in it ('CV34 4AB is in Warwick'); farther, it is that far from it."
        ),
    )

    @classmethod
    def of(cls, place: Place, score: float = 100.0) -> "PlaceOut":
        return cls(**vars(place), match="exact" if score >= EXACT_SCORE else "close")


class Places(BaseModel):
    places: list[PlaceOut]
    attribution: str = GEONAMES
    message: str = Field(
        default="",
        description=(
            "In plain words: why a postcode was not found and what to do, or, when the "
            "first place is outside the scheme's area, that the app covers one area and "
            "how far its nearest Safe Place is."
        ),
    )


class Districts(BaseModel):
    attribution: str
    districts: dict[str, Annotated[list[float], Field(min_length=2, max_length=2)]] = Field(
        description="Each GB postcode district ('CV34') and its centre: latitude, longitude."
    )


def _not_found(postcode: tuple[str, str] | None, geocoder: OnlineGeocoder | None) -> str:
    """Why a postcode was not found, and what to do: nothing to say for a name."""
    if postcode is None:
        return ""
    if unknown_in_northern_ireland(postcode[1], geocoder):
        return NORTHERN_IRELAND
    return UNKNOWN_POSTCODE


@router.get("", response_model=Places)
def find_places(
    response: Response,
    session: SessionDep,
    settings: SettingsDep,
    catalogue: CatalogueDep,
    gazetteer: GazetteerDep,
    postcodes: PostcodesDep,
    geocoder: GeocoderDep,
    q: Annotated[
        str,
        Query(min_length=2, max_length=200, description="A town, village or postcode."),
    ],
    limit: Annotated[int, Query(ge=1, le=10)] = 5,
) -> Places:
    """Towns, villages, postcodes and postcode districts matching what was typed."""
    # A postcode says where a person is: no cache may keep the answer.
    response.headers["Cache-Control"] = "no-store"
    q = q.strip()
    snapshot = catalogue.snapshot
    home = area_of(snapshot, settings.area_name)
    postcode = postcode_key(q)
    if postcode:
        place = find_postcode(*postcode, postcodes, gazetteer, session, geocoder)
        if place is not None:
            return Places(
                places=[PlaceOut.of(place)],
                attribution=ATTRIBUTIONS.get(place.source, GEONAMES),
                message=outside_words_at(home, snapshot, place.latitude, place.longitude),
            )
    towns = [
        Place(town, gazetteer.area_near(lat, lon), lat, lon, "venue_town")
        for town, (lat, lon) in snapshot.towns.items()
    ]
    found = rank_places(gazetteer.search(q, towns, home), home, limit)
    if not found:
        return Places(places=[], message=_not_found(postcode, geocoder))
    first = found[0][1]
    return Places(
        places=[PlaceOut.of(place, score) for score, place in found],
        message=outside_words_at(home, snapshot, first.latitude, first.longitude),
    )


@router.get(
    "/districts",
    response_model=Districts,
    responses={304: {"description": "The table you have is still current."}},
)
async def postcode_districts(
    request: Request,
    postcodes: PostcodesDep,
    v: Annotated[
        str | None,
        Query(max_length=40, description="The table's version, from its ETag: kept a year."),
    ] = None,
) -> Response:
    """Every GB postcode district's centre (about 25 KB gzipped), for phones to keep offline."""
    control = KEEP_A_YEAR if v == postcodes.districts_version else ASK_EACH_TIME
    etag = f'"{postcodes.districts_version}"'
    body, gzipped = postcodes.districts_json, postcodes.districts_gzipped
    return send(request, Asset(body, gzipped, "application/json", etag, control))
