"""Dependencies: what a route needs, looked up (or refused) once, here."""

from collections.abc import Iterator
from datetime import datetime
from typing import Annotated

from fastapi import Depends, Path, Request
from fastapi.security import OAuth2PasswordBearer
from sqlmodel import Session

from app.config import Settings
from app.gazetteer.place_names import Gazetteer, OnlineGeocoder
from app.gazetteer.postcodes import PostcodeTable
from app.hours import london_now
from app.models import Account, Venue
from app.models.account import MAX_ID
from app.people.sign_in import BadToken, read_access_token
from app.permissions import require_editor, require_officer, require_own_password
from app.problems import NotFound, SignInNeeded
from app.venues.catalogue import Catalogue


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


async def get_postcodes(request: Request) -> PostcodeTable:
    return request.app.state.postcodes


async def get_geocoder(request: Request) -> OnlineGeocoder | None:
    return request.app.state.geocoder


async def client_address(request: Request) -> str:
    """The connection's own address, or the one a trusted proxy names (app/main.py):
    what the sign-in and public send limits count by."""
    return request.client.host if request.client else "unknown"


async def get_now() -> datetime:
    """The time now in Europe/London (a dependency, so tests can set the clock)."""
    return london_now()


SessionDep = Annotated[Session, Depends(get_session)]
CatalogueDep = Annotated[Catalogue, Depends(get_catalogue)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
GazetteerDep = Annotated[Gazetteer, Depends(get_gazetteer)]
PostcodesDep = Annotated[PostcodeTable, Depends(get_postcodes)]
GeocoderDep = Annotated[OnlineGeocoder | None, Depends(get_geocoder)]
NowDep = Annotated[datetime, Depends(get_now)]
ClientAddress = Annotated[str, Depends(client_address)]
VenueId = Annotated[int, Path(ge=1, le=MAX_ID, description="The venue's id.")]


def venue_or_not_found(session: Session, venue_id: int) -> Venue:
    """A venue, withdrawn or not (NotFound if there is none with this id)."""
    venue = session.get(Venue, venue_id)
    if venue is None:
        raise NotFound(f"There is no Safe Place with id {venue_id}. It may have left the scheme.")
    return venue


def any_venue_or_404(session: SessionDep, venue_id: VenueId) -> Venue:
    """A venue, withdrawn or not: for the people who look after listings."""
    return venue_or_not_found(session, venue_id)


def active_venue_or_404(venue: Annotated[Venue, Depends(any_venue_or_404)]) -> Venue:
    """A venue people can be sent to: withdrawn ones are not found."""
    if not venue.active:
        raise NotFound(f"There is no Safe Place with id {venue.id}. It may have left the scheme.")
    return venue


VenueOr404 = Annotated[Venue, Depends(active_venue_or_404)]


# --- who is asking, and what they may do (the rules: app.permissions) -------

bearer = OAuth2PasswordBearer(tokenUrl="/api/auth/token", auto_error=False)
SIGN_IN_FIRST = "Sign in first."
SIGN_IN_ENDED = "Your sign-in has ended. Sign in again."


async def bearer_token(token: Annotated[str | None, Depends(bearer)]) -> str:
    """The token sent, or 401 at once. A route that depends on this needs a sign-in, so its
    body is not read without an Authorization header (app/http/bodies.py)."""
    if not token:
        raise SignInNeeded(SIGN_IN_FIRST)
    return token


def account_for_token(session: Session, settings: Settings, token: str) -> Account:
    """The account behind a valid token: 401 for expired, forged, disabled or ended, and
    403 until it has chosen its own password."""
    try:
        account_id, version = read_access_token(token, settings.secret_key)
    except BadToken:
        raise SignInNeeded(SIGN_IN_ENDED) from None
    account = session.get(Account, account_id)
    if account is None or not account.active or account.token_version != version:
        raise SignInNeeded(SIGN_IN_ENDED)
    return account


def signed_in_account(
    session: SessionDep, settings: SettingsDep, token: Annotated[str, Depends(bearer_token)]
) -> Account:
    """The account behind a valid token: 401 for none, expired, forged, disabled or ended."""
    return account_for_token(session, settings, token)


SignedIn = Annotated[Account, Depends(signed_in_account)]


def current_account(account: SignedIn) -> Account:
    """A signed-in account that has chosen its own password."""
    require_own_password(account)
    return account


CurrentAccount = Annotated[Account, Depends(current_account)]


def officer_only(account: CurrentAccount) -> Account:
    require_officer(account)
    return account


OfficerOnly = Annotated[Account, Depends(officer_only)]


def editable_venue(
    session: SessionDep, account: CurrentAccount, venue: Annotated[Venue, Depends(any_venue_or_404)]
) -> Venue:
    """A venue this account may change: officers any, staff only their own (403 otherwise)."""
    require_editor(session, account, venue)
    return venue


EditableVenue = Annotated[Venue, Depends(editable_venue)]
