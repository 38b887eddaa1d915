"""Storing a checked venue file: all rows in one transaction, matched by ref."""

from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, update
from sqlmodel import Session, select

from app.db import bump_revision, utc_now
from app.models import Venue
from app.venue_file import read_venue_file


@dataclass(frozen=True)
class ImportSummary:
    added: int
    updated: int
    dry_run: bool

    def __str__(self) -> str:
        if self.dry_run:
            return f"would add {self.added} venue(s) and update {self.updated}; nothing was written"
        return f"added {self.added} venue(s) and updated {self.updated}"


def import_venue_file(
    session: Session, data: bytes | str, *, dry_run: bool = False
) -> ImportSummary:
    """Check the whole file, then add new refs and update known ones, or change nothing.

    Raises VenueFileError (nothing written) when any row is wrong. Venues not in
    the file are left as they are: a file may hold part of a county's list.
    """
    rows = read_venue_file(data)
    known = dict(session.exec(select(Venue.ref, Venue.id)).all())
    now = utc_now()
    new_rows: list[dict[str, Any]] = []
    changed_rows: list[dict[str, Any]] = []
    for row in rows:
        if row["ref"] in known:
            changed_rows.append({**row, "id": known[row["ref"]], "updated_at": now})
        else:
            new_rows.append({**row, "active": True, "created_at": now, "updated_at": now})
    summary = ImportSummary(added=len(new_rows), updated=len(changed_rows), dry_run=dry_run)
    if dry_run:
        return summary
    try:
        if new_rows:
            session.execute(insert(Venue), new_rows)
        if changed_rows:
            session.execute(update(Venue), changed_rows)
        bump_revision(session)
        session.commit()
    except Exception:
        session.rollback()
        raise
    return summary
