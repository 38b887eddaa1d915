"""Changing venues through the API: checked like the venue file, recorded field by field."""

from datetime import date
from typing import Any

from sqlmodel import Session, select

from app.db import bump_revision, utc_now
from app.models import Account, Venue, VenueChange
from app.venue_file import COLUMNS, cell_text, check_row


class VenueInvalid(ValueError):
    """The change would leave the venue invalid; `problems` name the fields."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def file_columns(venue: Venue) -> dict[str, Any]:
    return {name: getattr(venue, name) for name in COLUMNS}


def checked_values(current: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """The venue as it would be, checked by the same rules as an imported row."""
    merged = {**current, **changes}
    row, problems = check_row({name: cell_text(merged.get(name)) for name in COLUMNS})
    if problems:
        raise VenueInvalid(problems)
    return row


def ref_taken(session: Session, ref: str, venue_id: int | None) -> bool:
    other = session.exec(select(Venue.id).where(Venue.ref == ref)).first()
    return other is not None and other != venue_id


def record_change(
    session: Session, venue: Venue, account: Account | None, values: dict[str, Any]
) -> list[str]:
    """Set the values that differ, record each old and new value, and bump the version.

    Returns the names of the fields that changed (none: nothing is written).
    Not committed: the caller commits, so a change is whole or not at all.
    """
    assert venue.id is not None
    now = utc_now()
    changed = [name for name, value in values.items() if getattr(venue, name) != value]
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
        venue.version += 1
        venue.updated_at = now
        session.add(venue)
        bump_revision(session)
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
    bump_revision(session)
    return venue
