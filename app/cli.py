"""The `safe-places` command: serve, import and export venues."""

import getpass
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, ProgressColumn, Task, TextColumn, TimeRemainingColumn
from rich.text import Text
from sqlalchemy import Engine, inspect, make_url
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, col, select

from app.bootstrap import prepare_database
from app.config import get_settings
from app.db import make_engine, migrate, sqlite_file_missing, utc_now
from app.gazetteer.place_names import Gazetteer
from app.models import Role, Venue
from app.people.account_records import AccountError, create_account
from app.venues.exporting import ExportFormat, export_venues
from app.venues.importing import CHECKING, ImportConflict, import_venue_file
from app.venues.importing import Progress as ImportProgress
from app.venues.venue_file import MAX_FILE_BYTES, VenueFileError

cli = typer.Typer(
    help="Safe Places: find the nearest Safe Place.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


def _engine() -> Engine:
    return make_engine(get_settings().database_url)


def _existing_database() -> Engine:
    """The configured database, which must already exist and have its tables.

    The default SQLite file is `var/safe_places.db` under the folder you are in:
    run from elsewhere, a command must not quietly make a new, empty database.
    """
    url = get_settings().database_url
    if sqlite_file_missing(url):
        where = Path(str(make_url(url).database)).resolve()
        _fail(
            f"There is no database at {where}. Run this in the project's folder, where "
            "`make run` made it, or set SAFE_PLACES_DATABASE_URL."
        )
    engine = make_engine(url)
    if not inspect(engine).has_table("venue"):
        _fail("The database has no tables yet. Run `safe-places migrate` or `make run` first.")
    return engine


def _gazetteer() -> Gazetteer:
    """The towns and their counties (Open Referral addresses name the county)."""
    path = get_settings().gazetteer_csv
    if not path.is_file():
        _fail(
            f"There is no gazetteer at {path.resolve()}. Run this in the project's folder, "
            "or set SAFE_PLACES_GAZETTEER_CSV."
        )
    return Gazetteer.from_csv(path)


def _fail(message: str) -> NoReturn:
    typer.echo(message, err=True)
    raise typer.Exit(1)


@cli.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Address to listen on (env HOST).")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on (env PORT).")] = None,
    workers: Annotated[int | None, typer.Option(help="Worker processes.")] = None,
) -> None:
    """Migrate the database, load the venue file if it is empty, and serve."""
    import uvicorn

    settings = get_settings()
    # Workers are separate processes: they must sign and check tokens with one
    # key, so a development key made here is handed down to them.
    os.environ.setdefault("SAFE_PLACES_SECRET_KEY", settings.secret_key)
    summary = prepare_database(_engine(), settings.data_csv)
    if summary:
        typer.echo(f"Loaded {settings.data_csv}: {summary}", err=True)
    uvicorn.run(
        "app.main:app",
        host=host or settings.host,
        port=port or settings.port,
        workers=workers or settings.workers,
        loop="uvloop",
        http="httptools",
        # Off: uvicorn's default trusts X-Forwarded-For from any local client. The app
        # reads it itself, only from SAFE_PLACES_TRUSTED_PROXIES (app/main.py).
        proxy_headers=False,
    )


@cli.command("migrate")
def migrate_command() -> None:
    """Create the database schema, or upgrade it to the newest version."""
    migrate(_engine())
    typer.echo("The database is up to date.", err=True)


@cli.command("import")
def import_command(
    path: Annotated[
        Path, typer.Argument(help="The venue file (CSV).", exists=True, dir_okay=False)
    ],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Check only; change nothing.")] = False,
) -> None:
    """Load or update venues from a CSV file, matched by ref. All rows or none."""
    data = _venue_file(path)
    url = get_settings().database_url
    if not dry_run:
        engine = make_engine(url)
        migrate(engine)
    elif sqlite_file_missing(url) or not inspect(engine := make_engine(url)).has_table("venue"):
        # A dry run changes nothing, not even the schema: compare with no venues.
        engine = make_engine("sqlite://")
        migrate(engine)
    with Session(engine) as session:
        try:
            with _import_progress() as progress:
                summary = import_venue_file(session, data, dry_run=dry_run, progress=progress)
        except VenueFileError as error:
            typer.echo(f"{path}: nothing was imported, because:", err=True)
            for problem in error.errors:
                typer.echo(f"  {problem}", err=True)
            raise typer.Exit(1) from None
        except ImportConflict as error:
            typer.echo(f"{path}: {error}", err=True)
            raise typer.Exit(1) from None
        except DBAPIError as error:
            message = f"nothing was imported; the database refused it: {error.orig or error}"
            typer.echo(f"{path}: {message}", err=True)
            raise typer.Exit(1) from None
    typer.echo(f"{path}: {summary}")


class _Rate(ProgressColumn):
    """Rows a second, once there is a rate to show."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:,.0f} rows a second" if speed and task.total else "")


@contextmanager
def _import_progress() -> Iterator[ImportProgress | None]:
    """A progress bar on standard error when a person watches it (a terminal): rows
    checked of the rows in the file, the rate and the time left, then the writing.
    Nothing when standard error is a pipe or a file: logs and scripts stay plain."""
    console = Console(stderr=True)
    if not console.is_terminal:
        yield None
        return
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.fields[counts]}"),
        _Rate(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=console, transient=True) as bar:
        tasks = {}

        def report(stage: str, done: int, total: int) -> None:
            checking = stage == CHECKING
            counts = f"{done:,} of {total:,} rows" if checking else ""
            if stage not in tasks:
                words = "Checking the rows" if checking else "Writing to the database"
                # Writing has no steps to count: its bar moves to and fro until it is done.
                tasks[stage] = bar.add_task(words, total=total if checking else None, counts=counts)
            bar.update(tasks[stage], completed=done, counts=counts)
            if not checking and done == total:
                bar.update(tasks[stage], total=1, completed=1)

        yield report


def _venue_file(path: Path) -> bytes:
    """The file's bytes, or exit 1 saying why it cannot be read (never a traceback)."""
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            _fail(f"{path}: nothing was imported; the file is bigger than 10 MB. Split it up.")
        return path.read_bytes()
    except OSError as error:
        _fail(f"{path}: nothing was imported; the file cannot be read: {error.strerror}")


@cli.command()
def export(
    format: Annotated[
        ExportFormat, typer.Option("--format", help="csv, geojson or openreferral.")
    ] = ExportFormat.csv,
) -> None:
    """Write the active venues to standard output."""
    with Session(_existing_database()) as session:
        export = export_venues(session, format, utc_now(), _gazetteer().area_near)
    sys.stdout.buffer.write(export.body)


users = typer.Typer(help="Staff and council officer accounts.", no_args_is_help=True)
cli.add_typer(users, name="users")


@users.command("add")
def add_user(
    email: Annotated[str, typer.Argument(help="The person's email: their sign-in name.")],
    role: Annotated[Role, typer.Option(help="officer (runs the scheme) or staff (one venue).")],
    venue: Annotated[
        list[str] | None, typer.Option(help="A venue ref staff may edit; repeat for more.")
    ] = None,
) -> None:
    """Add an account. The password is read from standard input, never the command line."""
    engine = _existing_database()
    if sys.stdin.isatty():  # a person at a terminal: ask, and do not show what they type
        password = getpass.getpass("Password for the new account (12 or more characters): ")
    else:
        password = sys.stdin.readline().rstrip("\n")
    if len(password) < 12:
        _fail("The password (on standard input) must be 12 characters or more.")
    migrate(engine)
    with Session(engine) as session:
        refs = venue or []
        rows = session.exec(select(Venue.ref, Venue.id).where(col(Venue.ref).in_(refs))).all()
        found = {ref: venue_id for ref, venue_id in rows if venue_id is not None}
        if missing := [ref for ref in refs if ref not in found]:
            typer.echo(f"There is no venue with ref {', '.join(missing)}.", err=True)
            raise typer.Exit(1)
        try:
            account = create_account(
                session, email, role, password, found.values(), must_change_password=False
            )
            added = account.email
            session.commit()
        except AccountError as error:
            typer.echo(str(error), err=True)
            raise typer.Exit(1) from None
    typer.echo(f"Added {role.value} {added}.")


def main() -> None:
    cli()
