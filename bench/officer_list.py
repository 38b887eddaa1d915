"""The officers' venue list (GET /api/venues/editable/page) at 1,000 and 100,000 venues.

Builds a synthetic database (bench/synthetic.py) and makes it look lived in: venues
added over 3 years, most checked and some confirmed at some point, and open problem
reports about 2 % of them (plus as many settled ones). Starts `safe-places serve` on
it with an officer account, then asks, one request at a time over HTTP, as the staff
screen does:

- the first page (sorted by name, 20 a page);
- a sorted page (last checked, oldest first; and most open problems first);
- a deep page (page 2,500 at 100k: the last ones);
- a filtered page (a search word; a town; not checked for 12 months; has open
  problems; and all of those at once).

It prints p50 and p99 in ms for each, on SQLite, and on PostgreSQL when one answers at
SAFE_PLACES_TEST_POSTGRES_URL (as the tests use), without and with the list's indexes
(LIST_INDEXES, migration 0009). No targets are asserted: figures.

    .venv/bin/python bench/officer_list.py [--sizes 1000,100000] [--runs 200] [--no-postgres]
        [--indexes dropped|migrated|both]
"""

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import psycopg
from sqlalchemy import bindparam, insert, text, update

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.db import make_engine
from app.models import Venue
from app.models.scheme import ProblemKind, ProblemReport, ProblemStatus
from bench.mixed_load import OFFICER, PASSWORD
from bench.server_load import wait_until_up
from bench.synthetic import make_database

POSTGRES_URL = os.environ.get(
    "SAFE_PLACES_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
PAGE = "/api/venues/editable/page"
PORT = 8771
# The list's indexes (migration 0009): both serve `ORDER BY key, ref LIMIT`. With
# --indexes dropped (or both) they are dropped on the throwaway database, to show
# what they are worth.
LIST_INDEXES = ("ix_venue_name_order", "ix_venue_town_order")


def serve(database_url: str) -> subprocess.Popen:
    """`safe-places serve` on the database, with the officer added first."""
    env = {
        **os.environ,
        "SAFE_PLACES_DATABASE_URL": database_url,
        "SAFE_PLACES_SECRET_KEY": "bench-" + "k" * 40,
        "PORT": str(PORT),
    }
    cli = str(Path(sys.executable).parent / "safe-places")
    subprocess.run(
        [cli, "users", "add", OFFICER, "--role", "officer"],
        env=env, input=PASSWORD + "\n", capture_output=True, text=True, check=True,
    )  # fmt: skip
    return subprocess.Popen(
        [cli, "serve"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


def cases(size: int) -> dict[str, dict[str, str | int]]:
    deep = max(1, size // 20 - 1)
    return {
        "first page (name)": {},
        "sorted: last checked": {"sort": "last_checked"},
        "sorted: open problems": {"sort": "open_problems", "order": "desc"},
        "sorted: town, Z to A": {"sort": "town", "order": "desc"},
        f"deep page ({deep})": {"page": deep},
        f"deep page ({deep}), last checked": {"page": deep, "sort": "last_checked"},
        "filter: search '77'": {"search": "77"},
        "filter: town": {"town": "Town 42"},
        "filter: not checked 12 months": {"not_checked_months": 12},
        "filter: open problems": {"has_open_problems": "true"},
        "filter: all at once": {
            "search": "venue",
            "not_checked_months": 6,
            "not_confirmed_months": 3,
            "has_open_problems": "true",
            "sort": "last_confirmed",
        },
    }


def lived_in(url: str, size: int, seed: int = 5) -> None:
    """Dates and problem reports as a scheme three years old would have them."""
    rng = random.Random(seed)
    now = datetime.now(UTC)
    engine = make_engine(url)
    with engine.begin() as connection:
        ids = [row[0] for row in connection.execute(text("SELECT id FROM venue"))]
        rows = []
        for venue_id in ids:
            added = now - timedelta(days=rng.randint(0, 3 * 365))
            age = (now - added).days
            checked = (now - timedelta(days=rng.randint(0, age))).date()
            confirmed = (now - timedelta(days=rng.randint(0, age))).date()
            rows.append({
                "venue_id": venue_id,
                "created_at": added,
                "last_checked": checked if rng.random() < 0.8 else None,
                "last_confirmed": confirmed if rng.random() < 0.5 else None,
            })  # fmt: skip
        connection.execute(
            update(Venue)
            .where(Venue.id == bindparam("venue_id"))  # type: ignore[arg-type]
            .values(
                created_at=bindparam("created_at"),
                last_checked=bindparam("last_checked"),
                last_confirmed=bindparam("last_confirmed"),
            ),
            rows,
        )
        reports = []
        for venue_id in rng.sample(ids, max(1, size // 50)):
            for status in (ProblemStatus.new, ProblemStatus.in_hand, ProblemStatus.done):
                if rng.random() < 0.6:
                    reports.append({
                        "venue_id": venue_id, "created_at": now, "updated_at": now,
                        "problem": ProblemKind.other, "status": status,
                    })  # fmt: skip
        connection.execute(insert(ProblemReport), reports)
    engine.dispose()


@contextmanager
def database(backend: str, folder: Path) -> Iterator[str]:
    if backend == "sqlite":
        yield f"sqlite:///{folder / f'list-{uuid.uuid4().hex[:6]}.db'}"
        return
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    plain = POSTGRES_URL.replace("+psycopg", "")
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(plain, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


def postgres_answers() -> bool:
    try:
        with psycopg.connect(POSTGRES_URL.replace("+psycopg", ""), connect_timeout=3):
            return True
    except psycopg.OperationalError:
        return False


def timings(http: httpx.Client, params: dict, runs: int) -> tuple[list[float], int]:
    total = 0
    for _ in range(5):  # warm up: the first answers fill caches
        http.get(PAGE, params=params)
    seconds = []
    for _ in range(runs):
        began = time.perf_counter()
        answer = http.get(PAGE, params=params)
        seconds.append(time.perf_counter() - began)
        answer.raise_for_status()
        total = answer.json()["total"]
    return seconds, total


def p(seconds: list[float], share: float) -> float:
    ordered = sorted(seconds)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000


def measure(backend: str, size: int, runs: int, folder: Path, indexes: bool) -> None:
    with database(backend, folder) as url:
        began = time.perf_counter()
        make_database(url, size)
        lived_in(url, size)
        if not indexes:
            engine = make_engine(url)
            with engine.begin() as connection:
                for index in LIST_INDEXES:
                    connection.execute(text(f"DROP INDEX {index}"))
            engine.dispose()
        with_indexes = "" if indexes else " without the list's indexes"
        made = time.perf_counter() - began
        print(f"\n{backend}, {size:,} venues{with_indexes} (made in {made:.0f} s)")
        server = serve(url)
        try:
            wait_until_up(f"http://127.0.0.1:{PORT}/healthz")
            with httpx.Client(base_url=f"http://127.0.0.1:{PORT}", timeout=60) as http:
                print(f"  {'':38} {'p50 ms':>8} {'p99 ms':>8} {'matches':>9}")
                for name, params in cases(size).items():
                    # A fresh sign-in each time: a slow machine outlasts a token.
                    token = http.post(
                        "/api/auth/token", data={"username": OFFICER, "password": PASSWORD}
                    ).json()["access_token"]
                    http.headers["Authorization"] = f"Bearer {token}"
                    seconds, total = timings(http, params, runs)
                    print(
                        f"  {name:38} {statistics.median(seconds) * 1000:8.1f}"
                        f" {p(seconds, 0.99):8.1f} {total:9,}"
                    )
        finally:
            server.terminate()
            server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,100000")
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument(
        "--indexes",
        choices=["dropped", "migrated", "both"],
        default="both",
        help="Measure without the list's indexes (LIST_INDEXES), with them, or both.",
    )
    args = parser.parse_args()
    backends = ["sqlite"]
    if not args.no_postgres and postgres_answers():
        backends.append("postgresql")
    folder = Path(tempfile.mkdtemp(prefix="officer-list-"))
    try:
        for size in (int(text) for text in args.sizes.split(",")):
            for backend in backends:
                for indexes in {"dropped": [False], "migrated": [True]}.get(
                    args.indexes, [False, True]
                ):
                    measure(backend, size, args.runs, folder, indexes)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
