"""Throwaway databases for every test, on SQLite and on PostgreSQL.

Tests that take the `engine` fixture (directly or through `client`) run once
per backend. PostgreSQL tests use the server on 127.0.0.1:5432 (database
`test`), each run in a schema of its own that is dropped afterwards. Without
that server they skip, except under CI=true, where they fail.

It also marks each test by what it needs (browser, schemathesis, postgres, slow),
so `make test-fast` can leave the heavy ones out.
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
from app.main import create_app
from app.models import (
    Account,
    AccountVenue,
    Application,
    CatalogueState,
    Photo,
    ProblemReport,
    PublicPost,
    SignInAttempt,
    Venue,
    VenueChange,
    VenueVetting,
    Visit,
)
from app.venues.importing import import_venue_file

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


# Tests that start real servers or processes, race or kill them, or rank by brute force:
# 2 to 20 seconds each here. Every test in SLOW_FILES does; elsewhere, those named.
SLOW_FILES = {"test_crash_safety.py", "test_servers.py"}
SLOW_TESTS = {
    "test_accounts.py": {"test_first_officer_from_the_command_line"},
    "test_catalogue_updates.py": {
        "test_other_instances_see_every_kind_of_change_within_the_refresh_interval"
    },
    "test_concurrency.py": {
        "test_of_two_patches_with_one_etag_one_is_kept",
        "test_every_kind_of_venue_write_is_a_compare_and_set",
        "test_of_two_account_changes_with_one_etag_one_is_kept",
        "test_of_two_new_venues_whose_refs_differ_only_in_case_one_is_added",
    },
    "test_geo.py": {"test_point_index_matches_a_brute_force_ranking"},
    "test_hours_reference.py": {"test_our_answers_match_the_reference"},
    "test_listings.py": {"test_an_edit_reaches_another_instance_within_two_seconds"},
    "test_logs.py": {"test_no_log_line_holds_a_position_a_postcode_or_an_id"},
    "test_request_bodies.py": {"test_a_200_mb_body_never_reaches_the_servers_memory"},
    "test_sign_in_throttle.py": {
        "test_two_instances_count_the_same_tries",
        "test_forwarded_addresses_count_only_from_the_proxies_named",
    },
}


def slow_names_gone() -> list[str]:
    """Files and tests named in SLOW_FILES and SLOW_TESTS that are no longer there."""
    gone = []
    for file in sorted(SLOW_FILES | SLOW_TESTS.keys()):
        path = ROOT / "tests" / file
        source = path.read_text(encoding="utf-8") if path.exists() else ""
        if not source:
            gone.append(file)
        for name in sorted(SLOW_TESTS.get(file, ())):
            if f"def {name}(" not in source:
                gone.append(f"{file}::{name}")
    return gone


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark each test by what it needs, so `make test-fast` can leave the heavy ones out.

    browser: takes the `browser` fixture (Chromium); schemathesis: the generated API
    tests; postgres: the PostgreSQL run of a test parametrised by `backend`; slow: in
    SLOW_FILES or SLOW_TESTS. Markers only select: `make test` still runs every test.
    """
    gone = slow_names_gone()
    if gone:
        # A renamed test would slip into the fast tier unnoticed: stop and say so.
        raise pytest.UsageError(f"tests/conftest.py names slow tests that are gone: {gone}")
    for item in items:
        file = item.path.name
        callspec = getattr(item, "callspec", None)
        if callspec is not None and callspec.params.get("backend") == "postgresql":
            item.add_marker(pytest.mark.postgres)
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)
        if file == "test_schemathesis.py":
            item.add_marker(pytest.mark.schemathesis)
        name = getattr(item, "originalname", item.name)
        if file in SLOW_FILES or name in SLOW_TESTS.get(file, ()):
            item.add_marker(pytest.mark.slow)


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
        for table in (
            *(Application, Visit, ProblemReport, VenueVetting, PublicPost),
            *(Photo, VenueChange, AccountVenue, Account, Venue, SignInAttempt),
        ):
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
