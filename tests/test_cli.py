import json
from pathlib import Path

import pytest
from sqlalchemy import Engine

from app.venues.venue_file import read_venue_file
from tests.conftest import HEADER, SAMPLE_CSV, load_sample, venue_row
from tests.servers import safe_places


def test_import_reports_every_bad_line_and_imports_nothing(
    engine: Engine, database_url: str, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(
        HEADER
        + venue_row("OK-1", 52.28, -1.58)
        + venue_row("BAD-1", -1.58, 52.28)
        + venue_row("OK-1", 52.28, -1.58, opening_hours="sometimes")
    )
    result = safe_places("import", str(bad), database_url=database_url)
    assert result.returncode == 1
    assert "nothing was imported" in result.stderr
    assert "line 3: latitude -1.58 is outside the UK" in result.stderr
    assert "line 4: ref OK-1 is already used on line 2" in result.stderr
    assert "line 4: opening_hours is not in OpenStreetMap format" in result.stderr
    exported = safe_places("export", database_url=database_url)
    assert exported.stdout.strip() == HEADER.strip()


def test_import_twice_then_export_round_trips(engine: Engine, database_url: str) -> None:
    for _ in range(2):
        result = safe_places("import", str(SAMPLE_CSV), database_url=database_url)
        assert result.returncode == 0, result.stderr
    assert "imported 0 new, 0 changed, " in result.stdout
    exported = safe_places("export", "--format", "csv", database_url=database_url).stdout
    original = sorted(read_venue_file(SAMPLE_CSV.read_bytes()), key=lambda row: row["ref"])
    assert read_venue_file(exported) == original


def test_dry_run_changes_nothing(engine: Engine, database_url: str) -> None:
    result = safe_places("import", str(SAMPLE_CSV), "--dry-run", database_url=database_url)
    assert result.returncode == 0
    assert "would import " in result.stdout
    assert "nothing was written" in result.stdout
    assert safe_places("export", database_url=database_url).stdout.strip() == HEADER.strip()


def test_export_geojson(engine: Engine, database_url: str) -> None:
    load_sample(engine)
    collection = json.loads(
        safe_places("export", "--format", "geojson", database_url=database_url).stdout
    )
    assert collection["type"] == "FeatureCollection"
    first = collection["features"][0]
    assert first["geometry"]["type"] == "Point"
    lon, lat = first["geometry"]["coordinates"]
    assert -2 < lon < -1 and 52 < lat < 53


def test_export_open_referral(engine: Engine, database_url: str) -> None:
    load_sample(engine)
    page = json.loads(
        safe_places("export", "--format", "openreferral", database_url=database_url).stdout
    )
    assert page["total_items"] == len(page["contents"]) > 100
    assert all(service["name"].startswith("Safe Place: ") for service in page["contents"])


def test_dry_run_does_not_create_a_database(tmp_path: Path) -> None:
    database = tmp_path / "none.db"
    result = safe_places(
        "import", str(SAMPLE_CSV), "--dry-run", database_url=f"sqlite:///{database}"
    )
    assert result.returncode == 0, result.stderr
    assert "would import 113 new" in result.stdout
    assert not database.exists() or database.stat().st_size == 0


def test_a_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    result = safe_places(
        "import", str(tmp_path / "nope.csv"), database_url=f"sqlite:///{tmp_path}/x.db"
    )
    assert result.returncode == 2
    assert "does not exist" in result.stderr


@pytest.mark.parametrize(
    "command", [("export",), ("users", "add", "x@example.org", "--role", "officer")]
)
def test_commands_never_make_a_stray_empty_database(tmp_path: Path, command) -> None:
    """Run from the wrong folder, the default var/safe_places.db is not there: say so."""
    database = tmp_path / "var" / "safe_places.db"
    result = safe_places(
        *command, database_url=f"sqlite:///{database}", stdin="a long enough password\n"
    )
    assert result.returncode == 1
    assert f"There is no database at {database}" in result.stderr
    assert not database.exists()


def test_export_from_a_database_without_tables_says_what_to_do(tmp_path: Path) -> None:
    database = tmp_path / "empty.db"
    database.touch()
    result = safe_places("export", database_url=f"sqlite:///{database}")
    assert result.returncode == 1
    assert "Run `safe-places migrate` or `make run` first." in result.stderr
    assert "Traceback" not in result.stderr


def test_a_file_too_big_to_be_a_venue_file_is_refused_unread(tmp_path: Path) -> None:
    huge = tmp_path / "huge.csv"
    with huge.open("wb") as file:
        file.truncate(10 * 1024 * 1024 + 1)  # sparse: nothing is written to the disk
    result = safe_places("import", str(huge), database_url=f"sqlite:///{tmp_path}/x.db")
    assert result.returncode == 1
    assert "the file is bigger than 10 MB" in result.stderr
    assert "Traceback" not in result.stderr
