"""Who may do what: the one place each rule about roles, venues and fields is decided.

- Officers run the scheme: they may change every venue (withdrawn ones too) and
  every field, add venues, import and export, and manage accounts.
- Venue staff keep their own venues' listings true: only the venues linked to
  their account, and only the fields in `STAFF_FIELDS` (hours, contact, access,
  easy read, photo, a temporary closure). Where a venue is, what it is called and
  whether it is in the scheme are the council's.
- An account that has a one-time password must choose its own before anything else.

Every route that changes a venue (PATCH, restore, withdraw, reinstate, checked,
photo) and the venue file import ask here; `/api/me` sends `editable_fields` to
the web app, so the browser holds no copy of these rules. Raises `NotAllowed`
(never an HTTP status: `app.http.errors` maps it to 403).
"""

from collections.abc import Iterable

from sqlmodel import Session

from app.models import Account, AccountVenue, Role, Venue
from app.problems import NotAllowed

# What venue staff may change about their own venue; the rest is officers'.
STAFF_FIELDS = frozenset(
    {"phone", "website", "opening_hours", "easy_read", "step_free", "accessible_toilet",
     "quiet_space", "photo", "closed_until"}
)  # fmt: skip
# Every field of a venue that a change may set (the venue file's columns, and a closure).
VENUE_FIELDS = frozenset(
    {"ref", "name", "category", "address", "town", "postcode", "latitude", "longitude",
     *STAFF_FIELDS}
)  # fmt: skip

# What only officers set: whether a venue is in the scheme, and when it was last checked.
OFFICER_FIELDS = VENUE_FIELDS | {"active", "last_checked"}

CHOOSE_PASSWORD = "Choose your own password first (POST /api/auth/password)."
OFFICERS_ONLY = "Only council officers can do this."
NOT_YOUR_VENUE = "You can only change the Safe Places you look after."


def is_officer(account: Account) -> bool:
    return account.role == Role.officer


def require_own_password(account: Account) -> None:
    """Nothing but choosing a password until the one-time password is replaced."""
    if account.must_change_password:
        raise NotAllowed(CHOOSE_PASSWORD)


def require_officer(account: Account) -> None:
    if not is_officer(account):
        raise NotAllowed(OFFICERS_ONLY)


def may_edit(session: Session, account: Account, venue: Venue) -> bool:
    """Officers any venue; staff only the venues linked to their account."""
    if is_officer(account):
        return True
    assert account.id is not None and venue.id is not None
    return session.get(AccountVenue, (account.id, venue.id)) is not None


def require_editor(
    session: Session, account: Account, venue: Venue, refusal: str = NOT_YOUR_VENUE
) -> None:
    """NotAllowed unless `may_edit`; `refusal` says it in the words of what was tried."""
    if not may_edit(session, account, venue):
        raise NotAllowed(refusal)


def editable_fields(account: Account) -> frozenset[str]:
    """The fields of a venue this account may change (on the venues it may edit)."""
    return OFFICER_FIELDS if is_officer(account) else STAFF_FIELDS


def require_fields(account: Account, fields: Iterable[str]) -> None:
    """NotAllowed naming the fields, sorted, that this account may not change."""
    if not_theirs := sorted(set(fields) - editable_fields(account)):
        raise NotAllowed(
            f"Only a council officer can change {', '.join(not_theirs)}.", field=not_theirs[0]
        )
