"""Finding a place by name or postcode, for people who do not share their position."""

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, Field
from sqlalchemy import func
from sqlmodel import Session, select

from app.deps import CatalogueDep, GazetteerDep, GeocoderDep, SessionDep
from app.gazetteer.place_names import EXACT_SCORE, Place, postcode_key, rank_places
from app.models import Venue

router = APIRouter(prefix="/api/places", tags=["places"])


class PlaceOut(BaseModel):
    name: str
    area: str = Field(description="County and country, when known: 'Warwickshire, England'.")
    latitude: float
    longitude: float
    source: Literal["gazetteer", "venue_town", "venue_postcode", "geocoder"]
    match: Literal["exact", "close"] = Field(
        description="'close' when the name was guessed from a misspelling: ask 'Did you mean…?'"
    )

    @classmethod
    def of(cls, place: Place, score: float = 100.0) -> "PlaceOut":
        return cls(**vars(place), match="exact" if score >= EXACT_SCORE else "close")


class Places(BaseModel):
    places: list[PlaceOut]
    attribution: str = "Place names © GeoNames, CC BY 4.0"


def _venue_postcode(session: Session, kind: str, code: str) -> Place | None:
    pattern = code if kind == "full" else f"{code} %"
    row = session.exec(
        select(func.avg(Venue.latitude), func.avg(Venue.longitude), func.min(Venue.town)).where(
            Venue.active,
            Venue.postcode.like(pattern),  # type: ignore[attr-defined]
        )
    ).one()
    if row[0] is None:
        return None
    return Place(code, row[2], float(row[0]), float(row[1]), "venue_postcode")


@router.get("", response_model=Places)
def find_places(
    response: Response,
    session: SessionDep,
    catalogue: CatalogueDep,
    gazetteer: GazetteerDep,
    geocoder: GeocoderDep,
    q: Annotated[
        str,
        Query(min_length=2, max_length=200, description="A town, village or postcode."),
    ],
    limit: Annotated[int, Query(ge=1, le=10)] = 5,
) -> Places:
    """Towns, villages and postcodes matching what was typed; typos and case forgiven."""
    # A postcode says where a person is: no cache may keep the answer.
    response.headers["Cache-Control"] = "no-store"
    q = q.strip()
    postcode = postcode_key(q)
    if postcode:
        place = _venue_postcode(session, *postcode)
        if place is None and geocoder is not None and postcode[0] == "full":
            place = geocoder.postcode(postcode[1])
        if place is not None:
            return Places(places=[PlaceOut.of(place)])
    towns = [
        Place(town, gazetteer.area_near(lat, lon), lat, lon, "venue_town")
        for town, (lat, lon) in catalogue.snapshot.towns.items()
    ]
    found = rank_places(gazetteer.search(q, towns), catalogue.snapshot.centre, limit)
    return Places(places=[PlaceOut.of(place, score) for score, place in found])
