import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from app.db import current_revision
from app.models import Venue, VenueChange
from app.venues import importing as importer
from app.venues.importing import import_venue_file
from app.venues.venue_file import VenueFileError
from tests.conftest import HEADER, load, venue_row


def venues(engine: Engine) -> dict[str, Venue]:
    with Session(engine) as session:
        return {venue.ref: venue for venue in session.exec(select(Venue)).all()}


def revision(engine: Engine) -> int:
    with Session(engine) as session:
        return current_revision(session)


def test_import_adds_venues_and_bumps_the_revision(engine: Engine) -> None:
    load(engine, HEADER + venue_row("A-1", 52.28, -1.58) + venue_row("A-2", 52.29, -1.59))
    stored = venues(engine)
    assert set(stored) == {"A-1", "A-2"}
    assert stored["A-1"].latitude == 52.28
    assert stored["A-1"].active is True
    assert revision(engine) == 1


def test_reimport_updates_by_ref_and_never_duplicates(engine: Engine) -> None:
    load(engine, HEADER + venue_row("A-1", 52.28, -1.58) + venue_row("A-2", 52.29, -1.59))
    first_id = venues(engine)["A-1"].id
    with Session(engine) as session:
        summary = import_venue_file(
            session,
            HEADER + venue_row("A-1", 52.30, -1.50, name="New name") + venue_row("A-3", 52.3, -1.6),
        )
    assert (summary.added, summary.updated, summary.unchanged) == (1, 1, 0)
    stored = venues(engine)
    assert set(stored) == {"A-1", "A-2", "A-3"}
    assert stored["A-1"].id == first_id
    assert stored["A-1"].name == "New name"
    assert stored["A-1"].latitude == 52.30


def test_importing_the_same_file_again_changes_nothing(engine: Engine) -> None:
    text = HEADER + venue_row("A-1", 52.28, -1.58) + venue_row("A-2", 52.29, -1.59)
    load(engine, text)
    before = {ref: venue.updated_at for ref, venue in venues(engine).items()}
    with Session(engine) as session:
        summary = import_venue_file(session, text)
    assert (summary.added, summary.updated, summary.unchanged) == (0, 0, 2)
    assert {ref: venue.updated_at for ref, venue in venues(engine).items()} == before
    assert revision(engine) == 1  # no server reloads for a no-op


def test_one_bad_row_imports_nothing_and_keeps_what_was_there(engine: Engine) -> None:
    load(engine, HEADER + venue_row("A-1", 52.28, -1.58, name="Original"))
    before = revision(engine)
    bad_file = (
        HEADER
        + venue_row("A-1", 52.28, -1.58, name="Changed")
        + venue_row("A-2", 52.29, -1.59)
        + venue_row("A-3", 52.29, -1.59, postcode="nope")
    )
    with Session(engine) as session, pytest.raises(VenueFileError) as caught:
        import_venue_file(session, bad_file)
    assert [error.line for error in caught.value.errors] == [4]
    stored = venues(engine)
    assert set(stored) == {"A-1"}
    assert stored["A-1"].name == "Original"
    assert revision(engine) == before


def test_a_dry_run_reports_and_writes_nothing(engine: Engine) -> None:
    load(engine, HEADER + venue_row("A-1", 52.28, -1.58))
    with Session(engine) as session:
        summary = import_venue_file(
            session,
            HEADER + venue_row("A-1", 52.3, -1.5) + venue_row("A-2", 52.3, -1.5),
            dry_run=True,
        )
    assert (summary.added, summary.updated, summary.dry_run) == (1, 1, True)
    assert "nothing was written" in str(summary)
    assert set(venues(engine)) == {"A-1"}
    assert venues(engine)["A-1"].latitude == 52.28
    assert revision(engine) == 1


def test_an_import_that_changes_a_venue_records_it_and_bumps_its_version(engine: Engine) -> None:
    load(engine, HEADER + venue_row("A-1", 52.28, -1.58, phone="01632 960001"))
    before = venues(engine)["A-1"].version
    load(engine, HEADER + venue_row("A-1", 52.28, -1.58, phone="01632 960002"))
    after = venues(engine)["A-1"]
    assert after.version == before + 1  # an edit made against the old ETag now gets 412
    with Session(engine) as session:
        changes = session.exec(select(VenueChange)).all()
    assert [(c.field, c.old_value, c.new_value, c.account_id) for c in changes] == [
        ("phone", "01632 960001", "01632 960002", None)
    ]


def test_a_ref_differing_from_a_stored_one_only_in_case_is_refused(engine: Engine) -> None:
    load(engine, HEADER + venue_row("A-1", 52.28, -1.58))
    with Session(engine) as session, pytest.raises(VenueFileError) as caught:
        import_venue_file(
            session, HEADER + venue_row("B-1", 52.3, -1.5) + venue_row("a-1", 52.3, -1.5)
        )
    assert [str(error) for error in caught.value.errors] == [
        "line 3: ref a-1 is already used by A-1 (case does not make refs differ)"
    ]
    assert set(venues(engine)) == {"A-1"}


def test_an_edit_between_the_check_and_the_write_stops_the_import(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An import is a compare-and-set too: a venue changed after the file was checked
    (an officer's PATCH, committed meanwhile) is not overwritten; nothing is written."""
    load(engine, HEADER + venue_row("A-1", 52.28, -1.58) + venue_row("B-1", 52.29, -1.58))
    real_read = importer.read_venue_file

    def read_then_someone_edits(*args, **kwargs):  # the file is checked, then A-1 changes
        rows = real_read(*args, **kwargs)
        with Session(engine) as other:
            venue = other.exec(select(Venue).where(Venue.ref == "A-1")).one()
            venue.name, venue.version = "Changed by an officer", venue.version + 1
            other.add(venue)
            other.commit()
        return rows

    monkeypatch.setattr(importer, "read_venue_file", read_then_someone_edits)
    file = (
        HEADER
        + venue_row("A-1", 52.28, -1.58, name="From the file")
        + venue_row("B-1", 52.29, -1.58, name="Also from the file")
        + venue_row("C-1", 52.30, -1.58)
    )
    with Session(engine) as session, pytest.raises(importer.ImportConflict, match="Try again"):
        import_venue_file(session, file)
    with Session(engine) as session:
        names = {venue.ref: venue.name for venue in session.exec(select(Venue))}
    assert names == {"A-1": "Changed by an officer", "B-1": "Place B-1"}
