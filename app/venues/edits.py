"""Changing a venue: the one write path every change takes, and the kinds of change.

A change (`apply_edit`) goes: who may (`app.permissions`, and the edit's own
rule) -> If-Match names the version read -> the values, checked like a row of the
venue file -> each changed field recorded with its old and new value -> commit.
Every change is a compare-and-set on the venue's version (its ETag): the first
thing written is `version + 1 WHERE version = the one read`, so of two changes
made from one read, one is kept and the other is refused whole (`Stale`).

The kinds of change (`Edit`): fields sent in a PATCH, fixed values (withdraw,
reinstate, checked), a value put back from the history, a new photo. Not HTTP:
problems are `app.problems` kinds, which `app.http.errors` turns into statuses.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import func, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from app.db import bump_revision, utc_now
from app.hours import LONDON
from app.models import Account, Photo, Venue, VenueChange
from app.permissions import require_editor, require_fields
from app.preconditions import require_fresh
from app.problems import Invalid, NotFound, Stale, Taken
from app.venues.page import etag
from app.venues.photo_checks import PreparedPhoto, uploaded_photo_address
from app.venues.venue_file import COLUMNS, cell_text, check_row

# A closure is for a holiday or a refit; longer than this is leaving the scheme.
MAX_CLOSURE_DAYS = 366
# A listing not checked for this long is shown to officers as due a check.
CHECK_EVERY_MONTHS = 12
# Fields whose earlier value can be put back from the history.
RESTORABLE = frozenset({*COLUMNS, "closed_until", "active"})
# A change's values, by field name.
Values = dict[str, Any]
STALE_VENUE = "Someone changed this venue after you read it. Read it again, then change it."


class VersionConflict(Exception):
    """Someone changed the venue after it was read: nothing of this change may be kept."""


def claim_version(session: Session, venue: Venue) -> None:
    """Move the stored version on by one, only if it is still the version read.

    The check and the write are one statement, so it holds on both databases and
    across server processes: PostgreSQL locks the row and re-checks `version`
    once a concurrent change commits; SQLite lets one writer in at a time, and
    this is the transaction's first statement, so it reads the newest version.
    The row (or the SQLite database) stays locked until the caller commits.
    Raises VersionConflict, having written nothing, when the version moved on.
    """
    read = venue.version
    # On the connection, not the session: no flush of pending rows before it.
    claimed = session.connection().execute(
        update(Venue)
        .where(col(Venue.id) == venue.id, col(Venue.version) == read)
        .values(version=read + 1)
    )
    if claimed.rowcount != 1:
        raise VersionConflict(f"venue {venue.id} is no longer at version {read}")
    venue.version = read + 1


def file_columns(venue: Venue) -> dict[str, Any]:
    return {name: getattr(venue, name) for name in COLUMNS}


def checked_values(current: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """The venue as it would be, checked by the same rules as an imported row."""
    merged = {**current, **changes}
    # A value left as stored passes the rules that guard readers (formula-like text,
    # photo addresses), as on import: an old row must not block every other edit.
    row, problems = check_row(
        {name: cell_text(merged.get(name)) for name in COLUMNS}, stored=current
    )
    if problems:
        raise Invalid(problems)
    return row


def checked(current: dict[str, Any], changes: dict[str, Any], today: date) -> Values:
    """The changes, checked: the venue file's columns by its rules, a closure by date."""
    closure = {"closed_until": changes.pop("closed_until")} if "closed_until" in changes else {}
    values = checked_values(current, changes)
    until = closure.get("closed_until")
    if until is not None and not today < until <= today + timedelta(days=MAX_CLOSURE_DAYS):
        raise Invalid(
            f"closed_until must be a day after today and within {MAX_CLOSURE_DAYS} days. "
            "To close for longer, ask a council officer to withdraw the venue.",
            field="closed_until",
        )
    return {**{name: values[name] for name in changes}, **closure}


def require_unique_ref(session: Session, ref: str, venue_id: int | None) -> None:
    if ref_taken(session, ref, venue_id):
        raise Taken(f"ref {ref} is already used by another venue.", field="ref")


class Edit(Protocol):
    """One kind of change: who may make it (beyond editing the venue), and its values."""

    def permit(self, session: Session, account: Account, venue: Venue) -> None:
        """Raise a problem if this account may not make this change (before If-Match)."""

    def stage(self, session: Session, account: Account, venue: Venue, today: date) -> Values:
        """The checked values to set (and any rows the change needs, added to `session`)."""


def permit_edit(
    session: Session, account: Account, venue: Venue, edit: Edit, if_match: str | None
) -> None:
    """May this account make this change, from the version it read? (A problem if not.)"""
    require_editor(session, account, venue)
    edit.permit(session, account, venue)
    require_fresh(if_match, etag(venue), STALE_VENUE)


def apply_edit(
    session: Session,
    account: Account,
    venue: Venue,
    edit: Edit,
    if_match: str | None,
    now: datetime,
) -> list[str]:
    """Make the change, whole or not at all, and commit it; the names of the fields changed."""
    permit_edit(session, account, venue, edit, if_match)
    values = edit.stage(session, account, venue, now.astimezone(LONDON).date())
    try:
        changed = record_change(session, venue, account, values)
    except VersionConflict:
        session.rollback()
        raise Stale(STALE_VENUE) from None
    with ref_race_refused(session, values):
        session.commit()
    return changed


@contextmanager
def ref_race_refused(session: Session, values: Values) -> Iterator[None]:
    """A ref another write took after it was checked here (the database's unique index
    on lower(ref) keeps races out) is refused as taken, nothing written."""
    try:
        yield
    except IntegrityError:
        session.rollback()
        if "ref" not in values:
            raise
        raise Taken(f"ref {values['ref']} is already used by another venue.", field="ref") from None


@dataclass(frozen=True, slots=True)
class FieldChanges:
    """Fields sent in a PATCH: staff only theirs, checked like the venue file, refs unique."""

    changes: dict[str, Any]

    def permit(self, session: Session, account: Account, venue: Venue) -> None:
        require_fields(account, self.changes)

    def stage(self, session: Session, account: Account, venue: Venue, today: date) -> Values:
        values = checked(file_columns(venue), dict(self.changes), today)
        if "ref" in values:
            require_unique_ref(session, values["ref"], venue.id)
        return values


@dataclass(frozen=True, slots=True)
class SetValues:
    """Values the route fixes (withdraw, reinstate): officers only (the route's rule)."""

    values: dict[str, Any]

    def permit(self, session: Session, account: Account, venue: Venue) -> None:
        require_fields(account, self.values)

    def stage(self, session: Session, account: Account, venue: Venue, today: date) -> Values:
        return dict(self.values)


class CheckedToday:
    """The listing was checked today: shown on the venue's page."""

    def permit(self, session: Session, account: Account, venue: Venue) -> None:
        require_fields(account, ["last_checked"])

    def stage(self, session: Session, account: Account, venue: Venue, today: date) -> Values:
        return {"last_checked": today}


class Confirmed:
    """Its staff (or an officer) say the listing is still right today: whoever may edit
    the venue may say so. No field rule: `last_confirmed` is set by this alone."""

    def permit(self, session: Session, account: Account, venue: Venue) -> None:
        """Nothing more to ask: `permit_edit` has already required an editor of the venue,
        which is this change's whole rule (asking again would query the link twice)."""

    def stage(self, session: Session, account: Account, venue: Venue, today: date) -> Values:
        return {"last_confirmed": today}


@dataclass(frozen=True, slots=True)
class Restore:
    """A field put back to the value it had before one recorded change."""

    change_id: int

    def permit(self, session: Session, account: Account, venue: Venue) -> None:
        change = session.get(VenueChange, self.change_id)
        if change is None or change.venue_id != venue.id:
            raise NotFound(f"This venue has no change with id {self.change_id}.")
        # What can never be restored is said first, to officers too: "only an officer can
        # change last_confirmed" would send an officer looking for a right that no one has.
        if change.field not in RESTORABLE:
            raise Invalid(f"{change.field} cannot be restored this way.", field=change.field)
        require_fields(account, [change.field])

    def stage(self, session: Session, account: Account, venue: Venue, today: date) -> Values:
        change = session.get(VenueChange, self.change_id)
        assert change is not None
        field, old = change.field, change.old_value
        if field == "active":
            return {field: old}
        if field == "closed_until" and old is not None:
            old = date.fromisoformat(old)
        return checked(file_columns(venue), {field: old}, today)


@dataclass(frozen=True, slots=True)
class NewPhoto:
    """A photo put up for the venue (already checked and cleaned: `app.venues.photo_checks`)."""

    photo: PreparedPhoto

    def permit(self, session: Session, account: Account, venue: Venue) -> None:
        require_fields(account, ["photo"])

    def stage(self, session: Session, account: Account, venue: Venue, today: date) -> Values:
        photo = self.photo
        assert venue.id is not None
        if session.get(Photo, photo.key) is None:
            session.add(
                Photo(
                    key=photo.key,
                    venue_id=venue.id,
                    account_id=account.id,
                    created_at=utc_now(),
                    width=photo.width,
                    height=photo.height,
                    data=photo.data,
                )
            )
        return {"photo": uploaded_photo_address(photo.key)}


def add_venue(session: Session, account: Account, new: dict[str, Any], today: date) -> Venue:
    """A new venue, checked (a bad ref never reaches the database), recorded and committed."""
    require_fields(account, new)
    values = checked({}, new, today)
    require_unique_ref(session, values["ref"], None)
    with ref_race_refused(session, values):
        venue = create_venue(session, values, account)
        session.commit()
    return venue


def ref_taken(session: Session, ref: str, venue_id: int | None) -> str | None:
    """The ref of another venue that `ref` names, ignoring case (A-1 and a-1 are one); or None."""
    return session.exec(
        select(Venue.ref).where(func.lower(Venue.ref) == ref.lower(), col(Venue.id) != venue_id)
    ).first()


def record_change(
    session: Session, venue: Venue, account: Account | None, values: dict[str, Any]
) -> list[str]:
    """Set the values that differ, record each old and new value, and bump the version.

    Returns the names of the fields that changed (none: nothing is written, and
    the version, so the ETag, stays as it is). Not committed: the caller commits,
    so a change is whole or not at all. Raises VersionConflict when the venue's
    version is no longer the one read (the caller must roll back).
    """
    assert venue.id is not None
    now = utc_now()
    changed = [name for name, value in values.items() if getattr(venue, name) != value]
    if changed:
        claim_version(session, venue)  # first: nothing is written unless it holds
    for name in changed:
        old = getattr(venue, name)
        session.add(
            VenueChange(
                venue_id=venue.id,
                account_id=account.id if account else None,
                changed_at=now,
                field=name,
                old_value=_jsonable(old),
                new_value=_jsonable(values[name]),
            )
        )
        setattr(venue, name, values[name])
    if changed:
        venue.updated_at = now
        session.add(venue)
        venue.revision = bump_revision(session)
    return changed


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def create_venue(session: Session, values: dict[str, Any], account: Account) -> Venue:
    """Add a venue (not committed), its first values recorded as changes from nothing."""
    now = utc_now()
    venue = Venue(**values, active=True, version=1, created_at=now, updated_at=now)
    session.add(venue)
    session.flush()
    assert venue.id is not None
    session.add_all(
        VenueChange(
            venue_id=venue.id,
            account_id=account.id,
            changed_at=now,
            field=name,
            old_value=None,
            new_value=_jsonable(value),
        )
        for name, value in values.items()
        if value is not None
    )
    venue.revision = bump_revision(session)
    return venue
