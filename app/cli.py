"""The `safe-places` command: serve, import and export venues."""

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import orjson
import typer
from sqlalchemy import Engine, inspect
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, select

from app.bootstrap import prepare_database
from app.config import get_settings
from app.db import make_engine, migrate, sqlite_file_missing
from app.importer import import_venue_file
from app.models import Venue
from app.venue_file import VenueFileError, geojson_feature_collection, write_venue_file

cli = typer.Typer(
    help="Safe Places: find the nearest Safe Place.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


class ExportFormat(StrEnum):
    csv = "csv"
    geojson = "geojson"


def _engine() -> Engine:
    return make_engine(get_settings().database_url)


@cli.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Address to listen on (env HOST).")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on (env PORT).")] = None,
    workers: Annotated[int | None, typer.Option(help="Worker processes.")] = None,
) -> None:
    """Migrate the database, load the venue file if it is empty, and serve."""
    import uvicorn

    settings = get_settings()
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
            summary = import_venue_file(session, path.read_bytes(), dry_run=dry_run)
        except VenueFileError as error:
            typer.echo(f"{path}: nothing was imported, because:", err=True)
            for problem in error.errors:
                typer.echo(f"  {problem}", err=True)
            raise typer.Exit(1) from None
        except DBAPIError as error:
            message = f"nothing was imported; the database refused it: {error.orig or error}"
            typer.echo(f"{path}: {message}", err=True)
            raise typer.Exit(1) from None
    typer.echo(f"{path}: {summary}")


@cli.command()
def export(
    format: Annotated[
        ExportFormat, typer.Option("--format", help="csv or geojson.")
    ] = ExportFormat.csv,
) -> None:
    """Write the active venues to standard output."""
    with Session(_engine()) as session:
        rows = session.exec(select(Venue).where(Venue.active).order_by(Venue.ref)).all()
        venues = [row.model_dump() for row in rows]
    if format is ExportFormat.csv:
        write_venue_file(venues, sys.stdout)
    else:
        sys.stdout.write(orjson.dumps(geojson_feature_collection(venues)).decode() + "\n")


def main() -> None:
    cli()
