"""Signing in, choosing a password, and saying who you are."""

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from fastapi.security import OAuth2PasswordRequestForm
from sqlmodel import select

from app.deps import ClientAddress, SessionDep, SettingsDep, SignedIn
from app.http.errors import error_responses
from app.http.headers import no_store
from app.models import Account
from app.models.account import Me, PasswordChange, Token
from app.people.account_records import normalise_email, public, set_password
from app.people.sign_in import (
    ACCESS_TOKEN_MINUTES,
    SignInThrottle,
    TooManyTries,
    create_access_token,
    verify_password,
)
from app.permissions import editable_fields, is_officer
from app.problems import Invalid, SignInNeeded, TooSoon

router = APIRouter(prefix="/api", tags=["accounts"])


def token_for(account: Account, secret_key: str) -> Token:
    assert account.id is not None
    return Token(
        access_token=create_access_token(account.id, account.token_version, secret_key),
        expires_in=ACCESS_TOKEN_MINUTES * 60,
    )


@router.post(
    "/auth/token",
    response_model=Token,
    responses=error_responses(400, 401, 422, 429),
    dependencies=[Depends(no_store)],  # the token: never kept by a browser or a proxy
)
def sign_in(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    address: ClientAddress,
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
) -> Token:
    """Sign in with email and password (OAuth2 password flow); the token lasts 15 minutes."""
    throttle: SignInThrottle = request.app.state.sign_in_throttle
    email = normalise_email(form.username)
    try:
        attempt = throttle.begin(email, address)
    except TooManyTries as refused:
        raise too_many_tries(refused) from None
    # A NUL byte can be in no email, and PostgreSQL would refuse to compare it.
    found = select(Account).where(Account.email == email)
    account = None if "\x00" in email else session.exec(found).first()
    password_hash = account.password_hash if account and account.active else None
    if not verify_password(form.password, password_hash) or account is None:
        # Counted already: a try is a failure until its password proves right.
        raise SignInNeeded("That email and password do not match.")
    throttle.succeeded(attempt)
    return token_for(account, settings.secret_key)


@router.post("/auth/password", response_model=Token, responses=error_responses(400, 401, 403, 422))
def change_password(
    session: SessionDep, settings: SettingsDep, account: SignedIn, change: PasswordChange
) -> Token:
    """Choose a new password (12 characters or more). Ends every other sign-in."""
    if not verify_password(change.current_password, account.password_hash):
        raise Invalid("current_password is not your password.", field="current_password")
    if change.new_password == change.current_password:
        raise Invalid("new_password must be different from the one you have.", field="new_password")
    set_password(account, change.new_password, must_change=False)
    session.add(account)
    session.commit()
    return token_for(account, settings.secret_key)


@router.post("/auth/sign-out", status_code=204, responses=error_responses(401))
def sign_out(session: SessionDep, account: SignedIn) -> Response:
    """End every sign-in of this account, here and on any other device, at once."""
    account.token_version += 1
    session.add(account)
    session.commit()
    return Response(status_code=204)


@router.get("/me", response_model=Me, responses=error_responses(401))
def me(session: SessionDep, account: SignedIn) -> Me:
    """Who you are, and what you may change."""
    officer = is_officer(account)
    return Me(
        **public(session, account).model_dump(),
        can_add_venues=officer,
        can_manage_accounts=officer,
        editable_fields=sorted(editable_fields(account)),
    )


def too_many_tries(refused: TooManyTries) -> TooSoon:
    """429, saying how long to wait; and, when the failures came from elsewhere, that
    the account's owner can still sign in where they have before."""
    wait = refused.wait_seconds
    message = f"Too many tries. Wait {wait_words(wait)}, then try again."
    if refused.elsewhere:
        message += (
            " There have been many wrong passwords for this account from other places:"
            " you can still sign in from a place where you have signed in before."
        )
    return TooSoon(message, retry_after=wait)


def wait_words(seconds: int) -> str:
    """'15 minutes' for 900 seconds (rounded up: never promise less than the wait)."""
    minutes = max(1, -(-seconds // 60))
    return "1 minute" if minutes == 1 else f"{minutes} minutes"
