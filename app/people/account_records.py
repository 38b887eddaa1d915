"""Making and changing accounts: one place for the CLI and the API.

An account's ETag is the moment of its last change, to the microsecond
(`updated_at`, which every change moves on). A change sent with If-Match is a
compare-and-set on it (`claim_account`), like a venue's version: of two changes
made from one read, one is kept and the other is refused whole. Not HTTP.
"""

from collections.abc import Iterable

from sqlalchemy import delete, update
from sqlmodel import Session, col, select

from app.db import utc_now
from app.models import Account, AccountVenue, Role, Venue
from app.models.account import AccountPublic
from app.people.sign_in import hash_password
from app.preconditions import moment_after, moment_etag


class AccountError(ValueError):
    """A request about accounts that cannot be done, with a reason a person can act on."""


class AccountChanged(Exception):
    """Someone changed the account after it was read: nothing of this change may be kept."""


def account_etag(account: Account) -> str:
    """What a change to the account must send back as If-Match."""
    return moment_etag(account.updated_at)


def claim_account(session: Session, account: Account) -> None:
    """Mark the account changed now, only if it is unchanged since it was read.

    One statement checks and writes, so it holds on both databases and across
    server processes; it is the change's first write, and the row (the SQLite
    database) stays locked until the caller commits. The new time is later than
    the old by at least a microsecond, so every change gives a new ETag.
    Raises AccountChanged, having written nothing, when someone got there first.
    """
    read = account.updated_at
    now = moment_after(read, utc_now())
    # On the connection, not the session: no flush of pending rows before it.
    claimed = session.connection().execute(
        update(Account)
        .where(col(Account.id) == account.id, col(Account.updated_at) == read)
        .values(updated_at=now)
    )
    if claimed.rowcount != 1:
        raise AccountChanged(f"account {account.id} changed after it was read")
    account.updated_at = now


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
        etag=account_etag(account),
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
