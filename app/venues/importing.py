"""Storing a checked venue file: all rows in one transaction, matched by ref.

An import can tell how far it has got (`progress`), for the command line's progress
bar: lines checked out of the lines in the file (a row is a line, but for a value
holding a line break), then the writing.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, func, insert, update
from sqlmodel import Session, col, select

from app.db import UNSTAMPED, bump_revision, utc_now
from app.models import Account, Venue, VenueChange
from app.venues.venue_file import COLUMNS, read_venue_file


@dataclass(frozen=True)
class ImportSummary:
    added: int
    updated: int
    unchanged: int
    dry_run: bool

    def __str__(self) -> str:
        counts = f"{self.added} new, {self.updated} changed, {self.unchanged} unchanged"
        if self.dry_run:
            return f"would import {counts}; nothing was written (dry run)"
        return f"imported {counts}"


# progress(stage, done, total): stage "checking" with lines done of the `total` after
# the header, then "writing" (0 of 1, then 1 of 1).
Progress = Callable[[str, int, int], None]
CHECKING, WRITING = "checking", "writing"
# How often (records) checking reports: often enough for a smooth bar, rarely enough to
# cost nothing.
REPORT_EVERY = 500


def _lines_after_header(data: bytes | str) -> int:
    """The file's lines, less the header: the lines `read_venue_file` reads."""
    if isinstance(data, bytes):
        lines, ends_with_one = data.count(b"\n"), data.endswith(b"\n")
    else:
        lines, ends_with_one = data.count("\n"), data.endswith("\n")
    return max(0, lines + (not ends_with_one) - 1)


def _stored_rows(session: Session) -> dict[str, tuple[int, int, dict[str, Any]]]:
    """ref -> (id, version, the venue file's columns as stored)."""
    columns = [col(getattr(Venue, name)) for name in ("id", "version", *COLUMNS)]
    return {
        row.ref: (row.id, row.version, {name: getattr(row, name) for name in COLUMNS})
        for row in session.exec(select(*columns))  # type: ignore[call-overload]
    }


def _history(
    venue_id: int,
    account_id: int | None,
    current: dict[str, Any],
    row: dict[str, Any],
    now: datetime,
) -> list:
    """One VenueChange row for each field the import changes (by the officer, if any)."""
    return [
        {
            "venue_id": venue_id,
            "account_id": account_id,
            "changed_at": now,
            "field": name,
            "old_value": current[name],
            "new_value": row[name],
        }
        for name in COLUMNS
        if current[name] != row[name]
    ]


def import_venue_file(
    session: Session,
    data: bytes | str,
    *,
    dry_run: bool = False,
    account: Account | None = None,
    progress: Progress | None = None,
) -> ImportSummary:
    """Check the whole file, then add new refs and update changed ones, or change nothing.

    Raises VenueFileError (nothing written) when any row is wrong, a ref among
    them that differs from a stored one only in case. Venues not in the file are
    left as they are: a file may hold part of a county's list.
    Rows identical to what is stored are not rewritten, so importing the same
    file twice changes nothing (and no server reloads for it).
    """
    stored = _stored_rows(session)
    columns: Mapping[str, Any] = {ref: columns for ref, (_, _, columns) in stored.items()}
    on_line = None
    if progress is not None:
        total = _lines_after_header(data)
        progress(CHECKING, 0, total)

        def on_line(line: int) -> None:  # the lines before `line`, less the header
            progress(CHECKING, min(line - 2, total), total)

    rows = read_venue_file(data, columns, on_line=on_line, every=REPORT_EVERY)
    if progress is not None:
        progress(CHECKING, total, total)
    now = utc_now()
    new_rows: list[dict[str, Any]] = []
    changed_rows: list[dict[str, Any]] = []
    history: list[dict[str, Any]] = []
    for row in rows:
        if row["ref"] not in stored:
            new_rows.append({**row, "active": True, "created_at": now, "updated_at": now})
            continue
        venue_id, version, current = stored[row["ref"]]
        if current != row:
            # A new version, so an edit based on what was there before gets 412;
            # written only where the version is still the one read (below).
            changed_rows.append(
                {
                    **row,
                    "b_id": venue_id,
                    "b_read": version,
                    "version": version + 1,
                    "updated_at": now,
                }
            )
            history += _history(venue_id, account.id if account else None, current, row, now)
    summary = ImportSummary(
        added=len(new_rows),
        updated=len(changed_rows),
        unchanged=len(rows) - len(new_rows) - len(changed_rows),
        dry_run=dry_run,
    )
    if dry_run or not (new_rows or changed_rows):
        return summary
    if progress is not None:
        progress(WRITING, 0, 1)
    try:
        # Marked as written here, then stamped with the new revision: the revision
        # is taken last, as an edit takes it after locking its venue (no deadlock).
        for written in (*new_rows, *changed_rows):
            written["revision"] = UNSTAMPED
        if new_rows:
            session.execute(insert(Venue), new_rows)
        if changed_rows:
            _update_unless_changed_meanwhile(session, changed_rows)
            session.execute(insert(VenueChange), history)
        revision = bump_revision(session)
        session.execute(
            update(Venue)
            .where(col(Venue.revision) == UNSTAMPED)
            .values(revision=revision)
            .execution_options(synchronize_session=False)
        )
        session.commit()
    except Exception:
        session.rollback()
        raise
    if progress is not None:
        progress(WRITING, 1, 1)
    return summary


def _update_unless_changed_meanwhile(session: Session, rows: list[dict[str, Any]]) -> None:
    """Compare-and-set, as every edit is: each row is written only if its version is
    still the one read when the file was checked; if any is not, nothing is."""
    table = Venue.__table__  # type: ignore[attr-defined]
    columns = [name for name in rows[0] if name not in ("b_id", "b_read")]
    statement = (
        update(table)
        .where(table.c.id == bindparam("b_id"), table.c.version == bindparam("b_read"))
        .values({name: bindparam(name) for name in columns})
    )
    session.execute(statement, rows)
    # The rows written carry the mark; any the file meant to change and did not
    # were changed by someone else meanwhile.
    written = session.execute(
        select(func.count())
        .select_from(table)
        .where(table.c.revision == UNSTAMPED, table.c.id.in_([row["b_id"] for row in rows]))
    ).scalar_one()
    if written != len(rows):
        raise ImportConflict(
            "Nothing was imported: someone changed the venues at the same time. Try again."
        )


class ImportConflict(Exception):
    """A venue in the file changed between the check and the write: nothing was written."""
