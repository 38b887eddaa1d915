"""Making and changing accounts: one place for the CLI and the API."""

from collections.abc import Iterable

from sqlalchemy import delete
from sqlmodel import Session, col, select

from app.db import utc_now
from app.models import Account, AccountVenue, Role, Venue
from app.models.account import AccountPublic
from app.security import hash_password


class AccountError(ValueError):
    """A request about accounts that cannot be done, with a reason a person can act on."""


def normalise_email(email: str) -> str:
    return email.strip().lower()


def venue_ids_of(session: Session, account_id: int) -> list[int]:
    query = select(AccountVenue.venue_id).where(AccountVenue.account_id == account_id)
    return sorted(session.exec(query).all())


def public(session: Session, account: Account) -> AccountPublic:
    assert account.id is not None
    return AccountPublic(
        id=account.id,
        email=account.email,
        role=account.role,
        active=account.active,
        must_change_password=account.must_change_password,
        venue_ids=venue_ids_of(session, account.id),
    )


def link_venues(session: Session, account: Account, venue_ids: Iterable[int]) -> None:
    """Make these the venues a staff account may edit (officers edit all, so none)."""
    wanted = sorted(set(venue_ids))
    if wanted and account.role == Role.officer:
        raise AccountError("Officers can edit every venue: do not link venues to an officer.")
    found = session.exec(select(Venue.id).where(col(Venue.id).in_(wanted))).all()
    if missing := sorted(set(wanted) - set(found)):
        raise AccountError(f"There is no venue with id {', '.join(map(str, missing))}.")
    assert account.id is not None
    session.execute(delete(AccountVenue).where(col(AccountVenue.account_id) == account.id))
    session.add_all(AccountVenue(account_id=account.id, venue_id=venue) for venue in wanted)


def create_account(
    session: Session,
    email: str,
    role: Role,
    password: str,
    venue_ids: Iterable[int] = (),
    *,
    must_change_password: bool,
) -> Account:
    """Add an account (not committed). Raises AccountError if the email is taken."""
    email = normalise_email(email)
    if session.exec(select(Account).where(Account.email == email)).first():
        raise AccountError(f"There is already an account for {email}.")
    now = utc_now()
    account = Account(
        email=email,
        password_hash=hash_password(password),
        role=role,
        must_change_password=must_change_password,
        created_at=now,
        updated_at=now,
    )
    session.add(account)
    session.flush()
    link_venues(session, account, venue_ids)
    return account


def set_password(account: Account, password: str, *, must_change: bool) -> None:
    """A new password ends every token issued before it."""
    account.password_hash = hash_password(password)
    account.must_change_password = must_change
    account.token_version += 1
    account.updated_at = utc_now()
