"""Dependencies: what a route needs, looked up (or refused) once, here."""

from collections.abc import Iterator
from datetime import datetime
from typing import Annotated

from fastapi import Depends, HTTPException, Path, Request, status
from fastapi.security import OAuth2PasswordBearer
from sqlmodel import Session

from app.catalogue import Catalogue
from app.config import Settings
from app.hours import london_now
from app.models import Account, AccountVenue, Role, Venue
from app.models.account import MAX_ID
from app.places import Gazetteer, OnlineGeocoder
from app.security import BadToken, read_access_token


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


def any_venue_or_404(
    session: SessionDep,
    venue_id: Annotated[int, Path(ge=1, le=MAX_ID, description="The venue's id.")],
) -> Venue:
    """A venue, withdrawn or not: for the people who look after listings."""
    venue = session.get(Venue, venue_id)
    if venue is None:
        raise HTTPException(
            status.HTTP_404_NOT_FOUND,
            f"There is no Safe Place with id {venue_id}. It may have left the scheme.",
        )
    return venue


def active_venue_or_404(venue: Annotated[Venue, Depends(any_venue_or_404)]) -> Venue:
    """A venue people can be sent to: withdrawn ones are not found."""
    if not venue.active:
        raise HTTPException(
            status.HTTP_404_NOT_FOUND,
            f"There is no Safe Place with id {venue.id}. It may have left the scheme.",
        )
    return venue


VenueOr404 = Annotated[Venue, Depends(active_venue_or_404)]


# --- who is asking, and what they may do -----------------------------------

bearer = OAuth2PasswordBearer(tokenUrl="/api/auth/token", auto_error=False)
UNAUTHENTICATED = {"WWW-Authenticate": "Bearer"}


def signed_in_account(
    session: SessionDep, settings: SettingsDep, token: Annotated[str | None, Depends(bearer)]
) -> Account:
    """The account behind a valid token: 401 for none, expired, forged, disabled or ended."""
    if not token:
        raise HTTPException(401, "Sign in first.", headers=UNAUTHENTICATED)
    try:
        account_id, version = read_access_token(token, settings.secret_key)
    except BadToken:
        raise HTTPException(
            401, "Your sign-in has ended. Sign in again.", headers=UNAUTHENTICATED
        ) from None
    account = session.get(Account, account_id)
    if account is None or not account.active or account.token_version != version:
        raise HTTPException(401, "Your sign-in has ended. Sign in again.", headers=UNAUTHENTICATED)
    return account


SignedIn = Annotated[Account, Depends(signed_in_account)]


def current_account(account: SignedIn) -> Account:
    """A signed-in account that has chosen its own password."""
    if account.must_change_password:
        raise HTTPException(403, "Choose your own password first (POST /api/auth/password).")
    return account


CurrentAccount = Annotated[Account, Depends(current_account)]


def officer_only(account: CurrentAccount) -> Account:
    if account.role != Role.officer:
        raise HTTPException(403, "Only council officers can do this.")
    return account


OfficerOnly = Annotated[Account, Depends(officer_only)]


def editable_venue(
    session: SessionDep, account: CurrentAccount, venue: Annotated[Venue, Depends(any_venue_or_404)]
) -> Venue:
    """A venue this account may change: officers any, staff only their own (403 otherwise)."""
    if account.role == Role.officer:
        return venue
    assert account.id is not None and venue.id is not None
    if session.get(AccountVenue, (account.id, venue.id)) is None:
        raise HTTPException(403, "You can only change the Safe Places you look after.")
    return venue


EditableVenue = Annotated[Venue, Depends(editable_venue)]
