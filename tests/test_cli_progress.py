"""A long import shows a progress bar to a person at a terminal (rows checked of the
rows in the file, the rate, the time left, then the writing), and nothing at all
when its output goes to a pipe or a file, so scripts and logs read as before."""

import os
import pty
import select
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session
from typer.testing import CliRunner

from app.cli import cli
from app.config import get_settings
from app.venues.importing import CHECKING, REPORT_EVERY, WRITING, import_venue_file
from tests.conftest import HEADER, SAMPLE_CSV, venue_row
from tests.servers import BIN, safe_places

ROWS = 1_200


def venue_file(rows: int = ROWS, prefix: str = "P") -> str:
    venues = (venue_row(f"{prefix}-{i}", 52.2 + i * 1e-5, -1.5) for i in range(rows))
    return HEADER + "".join(venues)


def test_an_import_tells_how_far_it_has_got(engine: Engine) -> None:
    told: list[tuple[str, int, int]] = []
    with Session(engine) as session:  # an empty database: the usual first, big import
        import_venue_file(session, venue_file(), progress=lambda *said: told.append(said))
    checking = [(done, total) for stage, done, total in told if stage == CHECKING]
    assert checking[0] == (0, ROWS) and checking[-1] == (ROWS, ROWS)
    assert [done for done, _ in checking] == sorted(done for done, _ in checking)
    assert (REPORT_EVERY, ROWS) in checking and (2 * REPORT_EVERY, ROWS) in checking
    assert told[-2:] == [(WRITING, 0, 1), (WRITING, 1, 1)]


def test_blank_and_wrong_rows_move_the_bar_too(engine: Engine) -> None:
    """The bar counts the file's lines, as read, whatever each holds."""
    told: list[tuple[str, int, int]] = []
    venues = [venue_row(f"B-{i}", 52.2 + i * 1e-5, -1.5) for i in range(ROWS // 2)]
    data = HEADER + "".join(f"{venue}\n" for venue in venues)  # each venue, then a blank line
    with Session(engine) as session:
        import_venue_file(session, data, dry_run=True, progress=lambda *said: told.append(said))
    checking = [(done, total) for stage, done, total in told if stage == CHECKING]
    assert checking == [(0, ROWS), (REPORT_EVERY, ROWS), (2 * REPORT_EVERY, ROWS), (ROWS, ROWS)]


def test_a_dry_run_writes_nothing_and_says_no_writing(engine: Engine) -> None:
    told: list[tuple[str, int, int]] = []
    with Session(engine) as session:
        import_venue_file(session, venue_file(), dry_run=True, progress=lambda *s: told.append(s))
    assert told[-1] == (CHECKING, ROWS, ROWS)
    assert not [said for said in told if said[0] == WRITING]


def test_without_a_terminal_the_output_is_as_before(database_url: str, tmp_path: Path) -> None:
    path = tmp_path / "venues.csv"
    path.write_text(venue_file(prefix="R"))
    get_settings.cache_clear()  # read again, with this test's database
    try:
        result = CliRunner().invoke(
            cli, ["import", str(path)], env={"SAFE_PLACES_DATABASE_URL": database_url}
        )
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{path}: imported {ROWS} new, 0 changed, 0 unchanged\n"
    assert result.stderr == ""
    # A real process with its output in pipes, as a script or a log sees it.
    piped = safe_places("import", str(SAMPLE_CSV), database_url=database_url)
    assert piped.returncode == 0 and piped.stderr == ""
    assert "\x1b[" not in piped.stdout and "Checking" not in piped.stdout


def run_in_a_terminal(args: list[str], database_url: str) -> str:
    """The command with a pseudo-terminal for its output, as a person runs it."""
    leader, follower = pty.openpty()
    env = {**os.environ, "SAFE_PLACES_DATABASE_URL": database_url, "COLUMNS": "120"}
    env.pop("NO_COLOR", None)
    env["TERM"] = "xterm-256color"
    process = subprocess.Popen(
        [str(BIN / "safe-places"), *args], stdout=follower, stderr=follower, env=env
    )
    os.close(follower)
    shown = b""
    while True:
        ready, _, _ = select.select([leader], [], [], 120)
        if not ready:
            process.kill()
            pytest.fail("the import said nothing for 2 minutes")
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closed: the command has ended
            break
        if not chunk:
            break
        shown += chunk
    assert process.wait(timeout=30) == 0, shown.decode(errors="replace")
    os.close(leader)
    return shown.decode()


def test_at_a_terminal_a_progress_bar_shows(database_url: str, tmp_path: Path) -> None:
    path = tmp_path / "venues.csv"
    path.write_text(venue_file(3 * REPORT_EVERY, prefix="T"))
    shown = run_in_a_terminal(["import", str(path)], database_url)
    assert "Checking the rows" in shown
    assert f"{REPORT_EVERY:,} of {3 * REPORT_EVERY:,} rows" in shown
    assert "rows a second" in shown
    assert "Writing to the database" in shown
    # The summary is still said, once, after the bar has gone.
    assert shown.count(f"imported {3 * REPORT_EVERY} new, 0 changed, 0 unchanged") == 1
