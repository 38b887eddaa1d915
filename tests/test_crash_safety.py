"""Kill -9 at the worst moment, on SQLite and PostgreSQL.

The command line is killed while its import's transaction is open; a server is
killed while an import it was sent is being written and two people's changes
stream in. Afterwards: the import is all in or all out, no acknowledged change
is lost, SQLite's file passes `PRAGMA integrity_check`, and every venue's
version counts its recorded changes. The moment is found from outside: the
import's transaction is open when PostgreSQL shows it inserting venues under a
lock, or while SQLite's write lock is taken the process writes megabytes (the
uncommitted pages of a bulk write spilling to the WAL; a change writes a few).
Linux: the tests read /proc for the server's process and what it wrote.
"""

import os
import random
import signal
import sqlite3
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager, suppress
from pathlib import Path
from urllib.parse import unquote

import httpx
import psycopg
import pytest
from httpx import TransportError
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

from tests.conftest import HEADER, POSTGRES_URL, load, venue_row
from tests.people import (
    add_account,
    cheap_hashing,  # noqa: F401  (a fixture)
    token_headers,
    venue_ids,
)
from tests.servers import BIN, running_server, server_pid

# Rows in the file being imported when the kill comes: writing them takes about a second.
BIG = 20_000
KNOWN = 50  # venues stored before, each changed by the file
SECRET_KEY = "crash-safety-test-key-" + "x" * 32

pytestmark = pytest.mark.usefixtures("cheap_hashing")


def known_rows(phone: str = "") -> str:
    return "".join(
        venue_row(f"KNOWN-{n:03d}", 52.2 + n / 1000, -1.6, phone=phone) for n in range(KNOWN)
    )


def big_file(tmp_path: Path) -> Path:
    """KNOWN stored venues with a new phone number, and BIG new venues."""
    rows = [
        venue_row(f"NEW-{n:06d}", 52.0 + (n % 1000) / 2000, -1.5 - (n // 1000) / 100)
        for n in range(BIG)
    ]
    path = tmp_path / "big.csv"
    path.write_text(HEADER + known_rows("01632 960999") + "".join(rows), encoding="utf-8")
    return path


# --- seeing the import's transaction from outside ------------------------------


def kill_mid_import(database_url: str, pid: int, alive: Callable[[], bool]) -> bool:
    """SIGKILL `pid` while its import's transaction is open; False if it ended first."""
    with import_watch(database_url, pid) as writing:
        deadline = time.monotonic() + 60
        while alive() and time.monotonic() < deadline:
            if writing():
                os.kill(pid, signal.SIGKILL)
                return True
            time.sleep(0.002)
    return False


@contextmanager
def import_watch(database_url: str, pid: int) -> Iterator[Callable[[], bool]]:
    """A probe: True while process `pid` has a bulk write to the venues (an import) open.

    PostgreSQL: a session holds a write lock on this schema's venue table and is
    inserting venues (a change never does). SQLite: the write lock is taken, and
    the process has written megabytes since it was last free: a transaction too
    big for SQLite's page cache spills to the WAL before it commits (a change
    writes a few pages).
    """
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        with closing(sqlite3.connect(str(url.database), timeout=0, isolation_level=None)) as probe:
            yield _sqlite_bulk_write(probe, pid)
        return
    schema = unquote(str(url.query["options"])).removeprefix("-csearch_path=")
    with psycopg.connect(POSTGRES_URL.replace("+psycopg", ""), autocommit=True) as conn:

        def writing() -> bool:
            row = conn.execute(
                "SELECT count(*) FROM pg_locks lock JOIN pg_stat_activity activity USING (pid)"
                " WHERE lock.relation = %s::regclass AND lock.mode = 'RowExclusiveLock'"
                " AND lock.granted AND activity.query ILIKE 'INSERT INTO venue (%%'",
                (f'"{schema}".venue',),
            ).fetchone()
            return bool(row and row[0])

        yield writing


def _sqlite_bulk_write(probe: sqlite3.Connection, pid: int) -> Callable[[], bool]:
    free_at = [written_by(pid)]

    def writing() -> bool:
        try:
            probe.execute("BEGIN IMMEDIATE")
            probe.execute("ROLLBACK")
            free_at[0] = written_by(pid)
            return False
        except sqlite3.OperationalError:  # "database is locked": someone is writing
            return written_by(pid) - free_at[0] > 1_000_000

    return writing


def written_by(pid: int) -> int:
    """Bytes the process has written so far (Linux), 0 once it is gone."""
    try:
        io = Path(f"/proc/{pid}/io").read_text()
    except OSError:
        return 0
    return next(int(line.split()[1]) for line in io.splitlines() if line.startswith("wchar:"))


# --- what must hold afterwards -------------------------------------------------


def after_the_crash(engine: Engine, database_url: str) -> str:
    """All in or all out, versions that count the changes, an intact SQLite file;
    which way the import went."""
    if make_url(database_url).get_backend_name() == "sqlite":
        with sqlite3.connect(str(make_url(database_url).database)) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    with engine.connect() as conn:
        new = conn.execute(text("SELECT count(*) FROM venue WHERE ref LIKE 'NEW-%'")).scalar_one()
        changed = conn.execute(
            text("SELECT count(*) FROM venue WHERE ref LIKE 'KNOWN-%' AND phone IS NOT NULL")
        ).scalar_one()
        # An import changes each venue once, at one moment: a version is one more
        # than the moments recorded in its history (no venue here was made by the API).
        miscounted = conn.execute(
            text(
                "SELECT venue.ref, venue.version, count(DISTINCT venue_change.changed_at) "
                "FROM venue LEFT JOIN venue_change ON venue_change.venue_id = venue.id "
                "GROUP BY venue.id, venue.ref, venue.version "
                "HAVING venue.version <> 1 + count(DISTINCT venue_change.changed_at)"
            )
        ).all()
    assert miscounted == []
    assert (new, changed) in ((0, 0), (BIG, KNOWN)), f"{new} new and {changed} changed"
    return "all in" if new else "all out"


# --- the tests -------------------------------------------------------------------


def test_the_command_line_killed_mid_import_leaves_all_or_nothing(
    engine: Engine, database_url: str, backend: str, tmp_path: Path
) -> None:
    load(engine, HEADER + known_rows())
    path = big_file(tmp_path)
    importing = subprocess.Popen(
        [str(BIN / "safe-places"), "import", str(path)],
        env={**os.environ, "SAFE_PLACES_DATABASE_URL": database_url},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    killed = kill_mid_import(database_url, importing.pid, lambda: importing.poll() is None)
    said = importing.communicate(timeout=60)[0].decode()
    assert killed, f"the import ended before it could be killed mid-write: {said}"
    assert importing.returncode == -signal.SIGKILL
    went = after_the_crash(engine, database_url)
    print(f"{backend}: `safe-places import` of {BIG + KNOWN} rows killed mid-write: {went}")


class Stream(threading.Thread):
    """One person changing one venue's phone again and again, each change sent
    with the ETag the last one was acknowledged with, until the server dies."""

    def __init__(self, api: httpx.Client, headers: dict[str, str], venue_id: int, first: int):
        super().__init__()
        self.base_url, self.headers, self.first = api.base_url, headers, first
        self.path = f"/api/venues/{venue_id}"
        self.acknowledged: list[str] = []
        self.unexpected: list[str] = []  # answers other than 200

    def run(self) -> None:
        with httpx.Client(base_url=self.base_url, timeout=60) as client, suppress(TransportError):
            etag = client.get(f"{self.path}/listing", headers=self.headers).headers["etag"]
            for number in range(self.first, self.first + 100_000):
                value = f"01632 {number:06d}"
                sent = client.patch(
                    self.path, headers={**self.headers, "If-Match": etag}, json={"phone": value}
                )
                if sent.status_code != 200:
                    self.unexpected.append(f"{sent.status_code} {sent.text}")
                    return
                self.acknowledged.append(value)
                etag = sent.headers["etag"]


@contextmanager
def server(database_url: str, log: Path) -> Iterator[tuple[httpx.Client, int, dict[str, str]]]:
    """A server on the database (no sample venues), its process id and an officer's sign-in."""
    settings = {"SAFE_PLACES_SECRET_KEY": SECRET_KEY, "SAFE_PLACES_DATA_CSV": str(log) + ".none"}
    with running_server(database_url, log, **settings) as api:
        yield api, server_pid(api), token_headers(api, "officer@example.org")  # type: ignore[arg-type]


def phones_recorded(engine: Engine, venue_id: int) -> list[str]:
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT new_value FROM venue_change WHERE venue_id = :id AND field = 'phone' "
                "ORDER BY id"
            ),
            {"id": venue_id},
        )
        # JSON: decoded by PostgreSQL's driver, its text from SQLite's.
        return [value.strip('"') for (value,) in rows]


def unacknowledged(recorded: list[str], runs: list[list[str]]) -> int:
    """How many recorded changes were never acknowledged. Each run's acknowledged
    changes must be recorded whole and in order; after each may come one more, made
    when the server died before it could answer."""
    extra = 0
    for index, run in enumerate(runs):
        assert recorded[: len(run)] == run, "an acknowledged change is missing"
        recorded = recorded[len(run) :]
        next_run = runs[index + 1] if index + 1 < len(runs) else []
        if recorded and recorded[:1] != next_run[:1]:
            extra, recorded = extra + 1, recorded[1:]
    assert recorded == [], f"changes recorded but never sent: {recorded}"
    return extra


def test_servers_killed_mid_import_and_mid_changes_lose_nothing_acknowledged(
    engine: Engine, database_url: str, backend: str, tmp_path: Path
) -> None:
    """Two people change two venues while an import is sent; the server is killed
    mid-import. A new server starts on what is left, the changes go on, and it is
    killed at a random moment among them."""
    stream_rows = venue_row("S-1", 52.3, -1.5) + venue_row("S-2", 52.3, -1.4)
    load(engine, HEADER + known_rows() + stream_rows)
    add_account(engine, "officer@example.org", "officer")
    streamed = venue_ids(engine, "S-1", "S-2")
    venue_file = big_file(tmp_path).read_bytes()

    with server(database_url, tmp_path / "first.log") as (api, pid, headers):
        first = [Stream(api, headers, venue_id, 0) for venue_id in streamed]

        def send_the_file() -> None:
            # Killed before it answers.
            with (
                httpx.Client(base_url=api.base_url, timeout=120) as client,
                suppress(TransportError),
            ):
                client.post("/api/venues/import", headers=headers, content=venue_file)

        importing = threading.Thread(target=send_the_file)
        for thread in (*first, importing):
            thread.start()
        killed = kill_mid_import(database_url, pid, importing.is_alive)
        for thread in (*first, importing):
            thread.join(timeout=60)
    assert killed, "the import ended before the server could be killed mid-write"
    went = after_the_crash(engine, database_url)

    with server(database_url, tmp_path / "second.log") as (api, pid, headers):
        second = [Stream(api, headers, venue_id, 500_000) for venue_id in streamed]
        for thread in second:
            thread.start()
        deadline = time.monotonic() + 30
        while min(len(stream.acknowledged) for stream in second) < 3:
            assert time.monotonic() < deadline, "the changes did not stream"
            time.sleep(0.01)
        time.sleep(random.uniform(0, 0.2))  # mid-stream: any moment of a change
        os.kill(pid, signal.SIGKILL)
        for thread in second:
            thread.join(timeout=60)
    after_the_crash(engine, database_url)

    made = 0
    for venue_id, before, after in zip(streamed, first, second, strict=True):
        assert before.acknowledged and after.acknowledged, "the changes did not stream"
        assert before.unexpected + after.unexpected == []
        made += unacknowledged(
            phones_recorded(engine, venue_id), [before.acknowledged, after.acknowledged]
        )
    acknowledged = sum(len(stream.acknowledged) for stream in (*first, *second))
    print(
        f"{backend}: a server killed mid-import ({went}), another mid-stream: "
        f"{acknowledged} changes acknowledged, 0 lost, {made} made but not acknowledged"
    )
