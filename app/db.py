"""The database: engine, sessions, migrations and the first load of venues."""

from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, event, update
from sqlalchemy.engine import make_url
from sqlmodel import Session, create_engine, func, select

from app.models import CatalogueState, Venue

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def utc_now() -> datetime:
    return datetime.now(UTC)


def stored_utc(moment: datetime) -> datetime:
    """A time read back from the database, with its zone: SQLite hands back the UTC
    time it was given without one; PostgreSQL gives it."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def make_engine(url: str) -> Engine:
    """An engine for `url`; SQLite gets WAL mode, a busy timeout and foreign keys."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    return engine


def alembic_config(engine: Engine) -> "Config":
    # Alembic is imported only when migrating: a running server does not need it.
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["engine"] = engine
    return config


def migrate(engine: Engine) -> None:
    """Create the schema, or upgrade it to the newest migration."""
    from alembic import command

    command.upgrade(alembic_config(engine), "head")


def sqlite_file_missing(url: str) -> bool:
    """True for a SQLite URL whose file does not exist yet (connecting would create it)."""
    parsed = make_url(url)
    return (
        parsed.get_backend_name() == "sqlite"
        and bool(parsed.database)
        and parsed.database != ":memory:"
        and not Path(str(parsed.database)).exists()
    )


def venue_count(session: Session) -> int:
    return session.exec(select(func.count()).select_from(Venue)).one()


def current_revision(session: Session) -> int:
    state = session.get(CatalogueState, 1)
    return state.revision if state else 0


# What a bulk write marks its venues with until it has its revision to stamp on them.
UNSTAMPED = -1


def bump_revision(session: Session) -> int:
    """Mark the venues as changed, inside the caller's transaction; the new revision.

    The caller stamps it on every venue it changed (`venue.revision`), so a server
    holding revision R reloads only the venues `WHERE revision > R`. The update
    locks the one row until the caller commits: on PostgreSQL writers queue here,
    so revision N commits only after N - 1 has (on SQLite writes are serial
    anyway), and a reader that sees revision N sees every venue stamped N or less.
    """
    session.execute(update(CatalogueState).values(revision=CatalogueState.revision + 1))
    return session.exec(select(CatalogueState.revision)).one()
