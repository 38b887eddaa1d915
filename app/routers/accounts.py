"""Officers manage staff and officer accounts.

Account answers carry an ETag (also as `etag` in the body, so a list gives each
account's); a change needs it back as If-Match, like a venue's (428 without it,
412 when someone changed the account since), checked by a compare-and-set.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Response
from sqlmodel import Session, select

from app.deps import MAX_ID, OfficerOnly, SessionDep
from app.http.errors import error_responses
from app.models import Account, Role
from app.models.account import AccountCreate, AccountPublic, AccountUpdate, AccountWithPassword
from app.people.account_records import (
    AccountChanged,
    AccountError,
    account_etag,
    claim_account,
    create_account,
    link_venues,
    public,
    set_password,
)
from app.people.sign_in import one_time_password
from app.preconditions import require_fresh
from app.problems import Invalid, NotFound, Stale
from app.routers.writes import IfMatch

router = APIRouter(prefix="/api/accounts", tags=["accounts"])
ERRORS = error_responses(400, 401, 403, 404, 422)
STALE_ACCOUNT = "Someone changed this account after you read it. Read it again, then change it."


def account_or_404(
    session: SessionDep,
    _officer: OfficerOnly,
    account_id: Annotated[int, Path(ge=1, le=MAX_ID)],
) -> Account:
    account = session.get(Account, account_id)
    if account is None:
        raise NotFound(f"There is no account with id {account_id}.")
    return account


AccountOr404 = Annotated[Account, Depends(account_or_404)]


@contextmanager
def account_change(session: Session) -> Iterator[None]:
    """Commit the change, or turn a reason it cannot be done into a 422 (412 when
    someone changed the account first), nothing written."""
    try:
        yield
        session.commit()
    except AccountError as error:
        session.rollback()
        raise Invalid(str(error)) from None
    except AccountChanged:
        session.rollback()
        raise Stale(STALE_ACCOUNT) from None


def with_etag(response: Response, shown: AccountPublic) -> AccountPublic:
    response.headers["ETag"] = shown.etag
    return shown


@router.get("", response_model=list[AccountPublic], responses=ERRORS)
def list_accounts(session: SessionDep, _officer: OfficerOnly) -> list[AccountPublic]:
    """Every account, officers first."""
    accounts = session.exec(select(Account).order_by(Account.role, Account.email)).all()
    return [public(session, account) for account in accounts]


@router.get("/{account_id:int}", response_model=AccountPublic, responses=ERRORS)
def read_account(session: SessionDep, account: AccountOr404, response: Response) -> AccountPublic:
    """One account, with the ETag to change it."""
    return with_etag(response, public(session, account))


@router.post("", status_code=201, response_model=AccountWithPassword, responses=ERRORS)
def add_account(
    session: SessionDep, _officer: OfficerOnly, new: AccountCreate, response: Response
) -> AccountWithPassword:
    """Add an account with a one-time password, shown once; the person then chooses theirs."""
    password = one_time_password()
    with account_change(session):
        account = create_account(
            session, new.email, new.role, password, new.venue_ids, must_change_password=True
        )
    shown = with_etag(response, public(session, account))
    return AccountWithPassword(**shown.model_dump(), one_time_password=password)


@router.patch(
    "/{account_id:int}", response_model=AccountPublic, responses=ERRORS | error_responses(412, 428)
)
def change_account(
    session: SessionDep,
    officer: OfficerOnly,
    account: AccountOr404,
    change: AccountUpdate,
    response: Response,
    if_match: IfMatch = None,
) -> AccountPublic:
    """Disable or enable an account, change its role, or re-link its venues (with If-Match)."""
    if account.id == officer.id and (
        change.active is False or change.role not in (None, officer.role)
    ):
        raise Invalid("You cannot disable yourself or take away your own role.", field="active")
    require_fresh(if_match, account_etag(account), STALE_ACCOUNT)
    with account_change(session):
        claim_account(session, account)  # first: nothing is written unless it holds
        if change.role is not None:
            account.role = change.role
        if change.active is not None and change.active != account.active:
            account.active = change.active
            account.token_version += 1  # a disabled account's sign-ins end now
        if change.venue_ids is not None:
            link_venues(session, account, change.venue_ids)
        elif change.role == Role.officer:
            link_venues(session, account, [])  # officers edit every venue
        session.add(account)
    return with_etag(response, public(session, account))


@router.post(
    "/{account_id:int}/password-reset", response_model=AccountWithPassword, responses=ERRORS
)
def reset_password(
    session: SessionDep, _officer: OfficerOnly, account: AccountOr404, response: Response
) -> AccountWithPassword:
    """Give an account a new one-time password; its sign-ins end now (and its ETag changes)."""
    password = one_time_password()
    set_password(account, password, must_change=True)
    session.add(account)
    session.commit()
    shown = with_etag(response, public(session, account))
    return AccountWithPassword(**shown.model_dump(), one_time_password=password)
