"""Changing venues through the API: checked like the venue file, recorded field by field.

Every change is a compare-and-set on the venue's version (its ETag): the first
thing written is `version + 1 WHERE version = the one read`, so of two changes
made from one read, one is kept and the other is refused whole. Not HTTP: the
routes turn `VersionConflict` into 412 (`app.routers.writes`).
"""

from datetime import date
from typing import Any

from sqlalchemy import func, update
from sqlmodel import Session, col, select

from app.db import bump_revision, utc_now
from app.models import Account, Venue, VenueChange
from app.venue_file import COLUMNS, cell_text, check_row


class VenueInvalid(ValueError):
    """The change would leave the venue invalid; `problems` name the fields."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


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
        raise VenueInvalid(problems)
    return row


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
