"""Throwaway databases for every test, on SQLite and on PostgreSQL.

Tests that take the `engine` fixture (directly or through `client`) run once
per backend. PostgreSQL tests use the server on 127.0.0.1:5432 (database
`test`), each run in a schema of its own that is dropped afterwards. Without
that server they skip, except under CI=true, where they fail.
"""

import os
import uuid
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import psycopg
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, delete, text, update
from sqlmodel import Session

from app.config import Settings
from app.db import make_engine, migrate
from app.deps import get_now
from app.hours import LONDON
from app.importer import import_venue_file
from app.main import create_app
from app.models import (
    Account,
    AccountVenue,
    CatalogueState,
    Photo,
    SignInAttempt,
    Venue,
    VenueChange,
)

# The browser fixtures (Chromium via Playwright), for the web app's tests.
pytest_plugins = ["tests.browser"]

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_CSV = ROOT / "data" / "safe_places.csv"
POSTGRES_URL = os.environ.get(
    "SAFE_PLACES_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
IN_CI = os.environ.get("CI", "").lower() == "true"
HEADER = (
    "ref,name,category,address,town,postcode,latitude,longitude,phone,website,"
    "opening_hours,easy_read,step_free,accessible_toilet,quiet_space,photo\n"
)


def postgres_or_skip() -> None:
    """Skip (or, in CI, fail) when the PostgreSQL server cannot be reached."""
    try:
        with psycopg.connect(POSTGRES_URL.replace("+psycopg", ""), connect_timeout=3):
            return
    except psycopg.OperationalError as error:
        reason = f"PostgreSQL at {POSTGRES_URL} is not reachable: {error}".strip()
        if IN_CI:
            pytest.fail(f"CI=true needs PostgreSQL: {reason}")
        pytest.skip(reason)


def new_database_url(backend: str, tmp_dir: Path) -> tuple[str, str | None]:
    """A URL to an empty database, and the PostgreSQL schema to drop afterwards."""
    if backend == "sqlite":
        return f"sqlite:///{tmp_dir / f'{uuid.uuid4().hex}.db'}", None
    postgres_or_skip()
    schema = f"test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(POSTGRES_URL.replace("+psycopg", ""), autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    return f"{POSTGRES_URL}?options=-csearch_path%3D{schema}", schema


def drop_schema(schema: str | None) -> None:
    if schema:
        with psycopg.connect(POSTGRES_URL.replace("+psycopg", ""), autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture(scope="session")
def database_url(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    url, schema = new_database_url(backend, tmp_path_factory.mktemp(backend))
    engine = make_engine(url)
    migrate(engine)
    engine.dispose()
    yield url
    drop_schema(schema)


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    """A migrated database with no venues, shared by the tests of one backend."""
    engine = make_engine(database_url)
    with Session(engine) as session:
        for table in (Photo, VenueChange, AccountVenue, Account, Venue, SignInAttempt):
            session.execute(delete(table))
        session.execute(update(CatalogueState).values(revision=0))
        session.commit()
    yield engine
    engine.dispose()


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(
        database_url=database_url,
        data_csv=SAMPLE_CSV,
        gazetteer_csv=ROOT / "data" / "gb_places.csv",
        refresh_seconds=0.1,
    )


def load(engine: Engine, csv_text: str) -> None:
    with Session(engine) as session:
        import_venue_file(session, csv_text)


def load_sample(engine: Engine) -> None:
    load(engine, SAMPLE_CSV.read_text(encoding="utf-8"))


class Clock:
    """A settable 'now' for the API, in Europe/London."""

    def __init__(self) -> None:
        self.now: datetime | None = None

    async def __call__(self) -> datetime:
        return self.now or datetime.now(LONDON)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def make_client(settings: Settings, clock: Clock) -> Iterator:
    """make_client() -> a TestClient on a fresh app over `engine` (lifespan run)."""
    clients: list[TestClient] = []

    def make(**overrides: object) -> TestClient:
        app = create_app(settings.model_copy(update=overrides))
        app.dependency_overrides[get_now] = clock
        client = TestClient(app)
        client.__enter__()
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)


@pytest.fixture
def client(engine: Engine, make_client) -> TestClient:
    """A client over a database holding the sample venues."""
    load_sample(engine)
    return make_client()


def quote(value: str) -> str:
    return '"' + value.replace('"', '""') + '"'


def venue_row(ref: str, lat: float, lon: float, **fields: str) -> str:
    """One CSV line in the contract's column order; unspecified columns are sensible."""
    values = {
        "ref": ref,
        "name": f"Place {ref}",
        "category": "shop",
        "address": "1 High Street",
        "town": "Warwick",
        "postcode": "CV34 4AB",
        "latitude": f"{lat}",
        "longitude": f"{lon}",
        "phone": "",
        "website": "",
        "opening_hours": "Mo-Su 09:00-17:00",
        "easy_read": "This is a shop. Staff here can help you.",
        "step_free": "yes",
        "accessible_toilet": "",
        "quiet_space": "no",
        "photo": "",
    }
    values.update(fields)
    return ",".join(quote(values[name]) for name in HEADER.strip().split(",")) + "\n"


def sql(engine: Engine, statement: str) -> list:
    with engine.connect() as conn:
        return list(conn.execute(text(statement)))
