"""Dependencies: what a route needs, looked up (or refused) once, here."""

from collections.abc import Iterator
from datetime import datetime
from typing import Annotated

from fastapi import Depends, HTTPException, Path, Request, status
from sqlmodel import Session

from app.catalogue import Catalogue
from app.config import Settings
from app.hours import london_now
from app.models import Venue
from app.places import Gazetteer, OnlineGeocoder

# Ids are 32-bit in PostgreSQL; a bigger number can name no venue.
MAX_ID = 2**31 - 1


def get_session(request: Request) -> Iterator[Session]:
    with Session(request.app.state.engine) as session:
        yield session


# Look-ups of app state are `async def`: FastAPI runs a plain `def` dependency in
# a worker thread, which costs more than the whole nearest look-up.
async def get_catalogue(request: Request) -> Catalogue:
    return request.app.state.catalogue


async def get_settings(request: Request) -> Settings:
    return request.app.state.settings


async def get_gazetteer(request: Request) -> Gazetteer:
    return request.app.state.gazetteer


async def get_geocoder(request: Request) -> OnlineGeocoder | None:
    return request.app.state.geocoder


async def get_now() -> datetime:
    """The time now in Europe/London (a dependency, so tests can set the clock)."""
    return london_now()


SessionDep = Annotated[Session, Depends(get_session)]
CatalogueDep = Annotated[Catalogue, Depends(get_catalogue)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
GazetteerDep = Annotated[Gazetteer, Depends(get_gazetteer)]
GeocoderDep = Annotated[OnlineGeocoder | None, Depends(get_geocoder)]
NowDep = Annotated[datetime, Depends(get_now)]


def active_venue_or_404(
    session: SessionDep,
    venue_id: Annotated[int, Path(ge=1, le=MAX_ID, description="The venue's id.")],
) -> Venue:
    venue = session.get(Venue, venue_id)
    if venue is None or not venue.active:
        raise HTTPException(
            status.HTTP_404_NOT_FOUND,
            f"There is no Safe Place with id {venue_id}. It may have left the scheme.",
        )
    return venue


VenueOr404 = Annotated[Venue, Depends(active_venue_or_404)]
