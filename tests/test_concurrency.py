"""If-Match is a compare-and-set: of two changes sent with one ETag at the same
moment, one is kept and the other gets 412, with nothing of it written.

Two threads meet at a barrier and send their change with the same If-Match to a
real server process (or to two processes sharing the database), round after
round, on SQLite and on PostgreSQL. Every acknowledged change must be in the
final state and in the history, in order, and the version must count the
changes. Each test prints its figures: rounds, 412s, rounds that went wrong,
acknowledged writes lost.
"""

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine, text
from sqlmodel import Session, col, select

from app.models import Venue, VenueChange
from app.venues.edits import VersionConflict, record_change
from tests.conftest import HEADER, load, venue_row
from tests.people import (
    add_account,
    cheap_hashing,  # noqa: F401  (a fixture)
    token_headers,
    venue_ids,
)
from tests.pictures import photo_bytes
from tests.servers import running_server

ROUNDS = 200
MIXED_ROUNDS = 30
# Every server sharing a database must sign tokens with one key.
SECRET_KEY = "concurrency-test-key-" + "x" * 32
QUOTE = '"'
WORDS = {1: "one server", 2: "two servers"}
STALE_VENUE = "Someone changed this venue after you read it. Read it again, then change it."
STALE_ACCOUNT = "Someone changed this account after you read it. Read it again, then change it."
STALE_REPORT = (
    "Another officer moved this report on after you read it. Read it again, then change it."
)

pytestmark = pytest.mark.usefixtures("cheap_hashing")

Send = Callable[[httpx.Client, int], httpx.Response]


@dataclass
class Tally:
    """What the rounds came to."""

    what: str
    rounds: int = 0
    kept: list[tuple[str, Any]] = field(default_factory=list)  # (field, value) of each 200
    refused: int = 0  # 412s
    extra: int = 0  # 200s beyond one a round: changes made from a read that was stale
    wrong: list[str] = field(default_factory=list)  # rounds that were not one 200, one 412

    def add(self, number: int, answers: list[httpx.Response], stale: str) -> list[int]:
        """Count one round; the indexes of the answers that were 200."""
        self.rounds += 1
        statuses = sorted(answer.status_code for answer in answers)
        self.refused += statuses.count(412)
        self.extra += max(0, statuses.count(200) - 1)
        for answer in answers:
            if answer.status_code == 412 and answer.json()["message"] != stale:
                self.wrong.append(f"round {number}: 412 said {answer.json()['message']!r}")
        if statuses != [200, 412]:
            self.wrong.append(f"round {number}: {statuses} {[a.text[:200] for a in answers]}")
        return [index for index, answer in enumerate(answers) if answer.status_code == 200]

    def report(self, lost: int) -> str:
        return (
            f"{self.what}: {self.rounds} rounds, {self.refused} answered 412, "
            f"{len(self.wrong)} rounds not one 200 and one 412, "
            f"{len(self.kept)} writes acknowledged, {lost} acknowledged writes lost"
        )


class Pair:
    """Two HTTP clients (each on its own connection) that send at the same moment."""

    def __init__(self, one: httpx.Client, two: httpx.Client) -> None:
        self.clients = (one, two)
        self.pool = ThreadPoolExecutor(2)

    def race(self, send: Send) -> list[httpx.Response]:
        barrier = threading.Barrier(2)

        def go(index: int) -> httpx.Response:
            barrier.wait()
            return send(self.clients[index], index)

        return [future.result() for future in [self.pool.submit(go, i) for i in (0, 1)]]


@pytest.fixture(scope="module")
def apis(backend: str, database_url: str, tmp_path_factory) -> Iterator[list[httpx.Client]]:
    """Two server processes on the test database, started once for this file (and at
    the same time: each takes seconds): instances sharing a PostgreSQL database, or
    two processes on one machine's SQLite file. Each test loads its own venues."""
    count = 2
    logs = tmp_path_factory.mktemp(f"servers-{backend}")
    settings = {
        "SAFE_PLACES_SECRET_KEY": SECRET_KEY,
        "SAFE_PLACES_DATA_CSV": str(logs / "none.csv"),  # none: no sample venues
    }
    with ExitStack() as stack, ThreadPoolExecutor(count) as starting:
        started = [
            starting.submit(
                stack.enter_context,
                running_server(database_url, logs / f"server-{n}.log", **settings),
            )
            for n in range(count)
        ]
        yield [future.result() for future in started]


@contextmanager
def pair_on(apis: list[httpx.Client], count: int) -> Iterator[Pair]:
    """Two clients: both on the first server, or one on each of two."""
    with httpx.Client(base_url=apis[count - 1].base_url, timeout=30) as second:
        pair = Pair(apis[0], second)
        try:
            yield pair
        finally:
            pair.pool.shutdown()


@pytest.fixture
def venue(engine: Engine) -> int:
    load(engine, HEADER + venue_row("A-1", 52.28, -1.58) + venue_row("B-1", 52.29, -1.59))
    add_account(engine, "officer@example.org", "officer")
    add_account(engine, "officer2@example.org", "officer")
    return venue_ids(engine, "A-1")[0]


def signed_in(pair: Pair) -> tuple[dict[str, str], dict[str, str]]:
    """A different officer on each client (as two people would be)."""
    one, two = pair.clients
    return (
        token_headers(one, "officer@example.org"),  # type: ignore[arg-type]
        token_headers(two, "officer2@example.org"),  # type: ignore[arg-type]
    )


def phone(number: int, index: int) -> str:
    return f"01632 {number:05d}{index}"


def race_phones(pair: Pair, venue_id: int, rounds: int, tally: Tally) -> None:
    """Each round both clients PATCH a different phone with the same If-Match: the
    ETag the last round's change answered with (as read by both)."""
    headers = signed_in(pair)
    path = f"/api/venues/{venue_id}"
    etag = pair.clients[0].get(f"{path}/listing", headers=headers[0]).headers["etag"]
    for number in range(rounds):

        def send(client: httpx.Client, index: int, etag: str = etag, number: int = number):
            return client.patch(
                path,
                headers={**headers[index], "If-Match": etag},
                json={"phone": phone(number, index)},
            )

        answers = pair.race(send)
        next_etag = f'"{int(etag.strip(QUOTE)) + 1}"'
        for index in tally.add(number, answers, STALE_VENUE):
            tally.kept.append(("phone", phone(number, index)))
            if answers[index].headers["etag"] != next_etag:
                tally.wrong.append(f"round {number}: new ETag {answers[index].headers['etag']}")
        etag = next_etag


def history_and_version(engine: Engine, venue_id: int) -> tuple[list[tuple[str, Any]], int]:
    """The venue's recorded changes, oldest first, as (field, new value); and its version."""
    with Session(engine) as session:
        rows = session.exec(
            select(VenueChange.field, VenueChange.new_value)
            .where(VenueChange.venue_id == venue_id)
            .order_by(col(VenueChange.id))
        ).all()
        venue = session.get(Venue, venue_id)
        assert venue is not None
        return [(name, value) for name, value in rows], venue.version


def lost_writes(engine: Engine, venue_id: int, tally: Tally) -> int:
    """Acknowledged changes lost: a second 200 in a round (two changes acknowledged
    from one read, both told the same new ETag: one overwrote the other), or one
    missing from the history (which must be exactly them, in order) or from the
    final state. The version must count the changes recorded."""
    history, version = history_and_version(engine, venue_id)
    lost = tally.extra + sum(1 for kept in tally.kept if kept not in history)
    if history != tally.kept:
        tally.wrong.append(f"history {history[-5:]} is not the acknowledged {tally.kept[-5:]}")
    if version != 1 + len(history):
        tally.wrong.append(f"version {version} but {len(history)} changes recorded")
    with Session(engine) as session:
        stored = session.get(Venue, venue_id)
        assert stored is not None
        for name in {name for name, _ in tally.kept}:
            last = next(value for field_name, value in reversed(tally.kept) if field_name == name)
            if getattr(stored, name) != last:
                lost += 1
                tally.wrong.append(f"{name} is {getattr(stored, name)!r}, last kept {last!r}")
    return lost


SERVERS = pytest.mark.parametrize("count", [1, 2], ids=["one server", "two servers"])


@SERVERS
def test_of_two_patches_with_one_etag_one_is_kept(
    engine: Engine, apis: list[httpx.Client], backend: str, venue: int, count: int
) -> None:
    with pair_on(apis, count) as pair:
        tally = Tally(f"{backend}, {WORDS[count]}, PATCH")
        race_phones(pair, venue, ROUNDS, tally)
    lost = lost_writes(engine, venue, tally)
    print(tally.report(lost))
    assert (tally.refused, lost, tally.wrong) == (ROUNDS, 0, [])


@dataclass(frozen=True)
class Rival:
    """A write that races a PATCH, and the field it changes."""

    field: str
    method: str
    path: str
    content: bytes | None = None


def rival_write(pair: Pair, headers: dict[str, str], venue_id: int, number: int, tally: Tally):
    """Round `number`'s rival to a PATCH: a withdrawal (or reinstatement), a photo
    upload, or putting the first phone number back."""
    base = f"/api/venues/{venue_id}"
    reader = pair.clients[0]
    listing = reader.get(f"{base}/listing", headers=headers)
    if number % 3 == 0:
        return Rival(
            "active", "POST", f"{base}/{'withdraw' if listing.json()['active'] else 'reinstate'}"
        )
    if number % 3 == 1:
        return Rival("photo", "PUT", f"{base}/photo", photo_bytes((300 + number, 200)))
    if listing.json()["phone"] is None:  # so that putting the first phone back changes it
        sent = {**headers, "If-Match": listing.headers["etag"]}
        given = reader.patch(base, headers=sent, json={"phone": phone(number, 9)})
        assert given.status_code == 200, given.text
        tally.kept.append(("phone", phone(number, 9)))
    history = reader.get(f"{base}/history", headers=headers).json()
    first = min(change["id"] for change in history if change["field"] == "phone")
    return Rival("phone", "POST", f"{base}/history/{first}/restore")


def test_every_kind_of_venue_write_is_a_compare_and_set(
    engine: Engine, apis: list[httpx.Client], backend: str, venue: int
) -> None:
    """A PATCH races a withdrawal or reinstatement, a photo upload, or a restore."""
    tally = Tally(f"{backend}, one server, PATCH against the other writes")
    with pair_on(apis, 1) as pair:
        headers = signed_in(pair)
        for number in range(MIXED_ROUNDS):
            rival = rival_write(pair, headers[0], venue, number, tally)
            read = pair.clients[0].get(f"/api/venues/{venue}/listing", headers=headers[0])

            def send(client, index, etag=read.headers["etag"], number=number, rival=rival):
                sent = {**headers[index], "If-Match": etag}
                if index == 1:
                    return client.request(
                        rival.method, rival.path, headers=sent, content=rival.content
                    )
                return client.patch(
                    f"/api/venues/{venue}", headers=sent, json={"phone": phone(number, 0)}
                )

            answers = pair.race(send)
            for index in tally.add(number, answers, STALE_VENUE):
                field_name = rival.field if index == 1 else "phone"
                tally.kept.append((field_name, answers[index].json()[field_name]))
    with engine.connect() as conn:
        photos = conn.execute(text("SELECT count(*) FROM photo")).scalar_one()
    lost = lost_writes(engine, venue, tally)
    print(tally.report(lost))
    # A refused upload leaves no photo behind: one stored for each one kept.
    assert photos == sum(1 for name, _ in tally.kept if name == "photo")
    assert (tally.refused, lost, tally.wrong) == (MIXED_ROUNDS, 0, [])


@SERVERS
def test_of_two_account_changes_with_one_etag_one_is_kept(
    engine: Engine, apis: list[httpx.Client], backend: str, venue: int, count: int
) -> None:
    staff = add_account(engine, "staff@example.org", "staff", ("A-1",))
    choices = [[venue], venue_ids(engine, "B-1"), venue_ids(engine, "A-1", "B-1"), []]
    tally = Tally(f"{backend}, {WORDS[count]}, account PATCH")
    with pair_on(apis, count) as pair:
        headers = signed_in(pair)
        path = f"/api/accounts/{staff}"
        etag = pair.clients[0].get(path, headers=headers[0]).headers["etag"]
        for number in range(ROUNDS // 2):

            def send(client, index, etag=etag, number=number):
                wanted = choices[(number + index) % len(choices)]
                return client.patch(
                    path, headers={**headers[index], "If-Match": etag}, json={"venue_ids": wanted}
                )

            answers = pair.race(send)
            for index in tally.add(number, answers, STALE_ACCOUNT):
                tally.kept.append(("venue_ids", answers[index].json()["venue_ids"]))
                etag = answers[index].headers["etag"]
        final = pair.clients[1].get(path, headers=headers[1]).json()
    # Each round's change is made on the last one kept (its ETag), so one lost would
    # have been overwritten by a second 200 in its round, or be missing at the end.
    lost = tally.extra + (final["venue_ids"] != tally.kept[-1][1])
    print(tally.report(lost))
    assert (tally.refused, lost, tally.wrong) == (ROUNDS // 2, 0, [])


@SERVERS
def test_of_two_officers_moving_one_problem_report_with_one_etag_one_is_kept(
    engine: Engine, apis: list[httpx.Client], backend: str, venue: int, count: int
) -> None:
    tally = Tally(f"{backend}, {WORDS[count]}, problem report PATCH")
    with pair_on(apis, count) as pair:
        headers = signed_in(pair)
        sent = pair.clients[0].post(f"/api/venues/{venue}/feedback", json={"problem": "other"})
        assert sent.status_code == 201, sent.text
        [report] = pair.clients[0].get("/api/feedback", headers=headers[0]).json()
        path, etag = f"/api/feedback/{report['id']}", report["etag"]
        for number in range(ROUNDS // 4):

            def send(client, index, etag=etag, number=number):
                note = f"round {number}, officer {index + 1}"
                status = ("in_hand", "done")[(number + index) % 2]
                return client.patch(
                    path,
                    headers={**headers[index], "If-Match": etag},
                    json={"status": status, "officer_note": note},
                )

            answers = pair.race(send)
            for index in tally.add(number, answers, STALE_REPORT):
                tally.kept.append(("officer_note", answers[index].json()["officer_note"]))
                etag = answers[index].headers["etag"]
        [final] = pair.clients[1].get("/api/feedback", headers=headers[1]).json()
    # Each round's change is made from the last one kept, so one lost would show as a
    # second 200 in its round, or as a note at the end that is not the last kept.
    lost = tally.extra + (final["officer_note"] != tally.kept[-1][1])
    print(tally.report(lost))
    assert (tally.refused, lost, tally.wrong) == (ROUNDS // 4, 0, [])
    assert final["etag"] == etag


# --- the rules, without servers ------------------------------------------------


def test_if_match_star_is_not_a_way_round_the_check(engine: Engine, make_client) -> None:
    load(engine, HEADER + venue_row("A-1", 52.28, -1.58))
    add_account(engine, "officer@example.org", "officer")
    client = make_client()
    officer = token_headers(client, "officer@example.org")
    [a] = venue_ids(engine, "A-1")
    for star in ("*", '"1", *', 'W/"1", *'):
        response = client.patch(
            f"/api/venues/{a}", headers={**officer, "If-Match": star}, json={"phone": "01632 1"}
        )
        assert (response.status_code, response.json()["message"]) == (
            428,
            "If-Match: * is not enough. Send If-Match with the ETag you read, "
            "so no change is lost.",
        )
        withdraw = client.post(f"/api/venues/{a}/withdraw", headers={**officer, "If-Match": star})
        assert withdraw.status_code == 428
    assert client.get(f"/api/venues/{a}").json()["phone"] is None


def test_a_change_refused_at_the_write_leaves_nothing_behind(engine: Engine) -> None:
    """The version moved on between the read and the write: no history row, no value."""
    load(engine, HEADER + venue_row("A-1", 52.28, -1.58))
    [a] = venue_ids(engine, "A-1")
    with Session(engine) as session:
        venue = session.get(Venue, a)
        assert venue is not None and venue.version == 1
        with engine.begin() as elsewhere:  # another server's change, committed meanwhile
            elsewhere.execute(text("UPDATE venue SET version = 2 WHERE id = :id"), {"id": a})
        with pytest.raises(VersionConflict):
            record_change(session, venue, None, {"phone": "01632 960001"})
        session.rollback()
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM venue_change")).scalar_one() == 0
        stored = conn.execute(text("SELECT phone, version FROM venue WHERE id = :id"), {"id": a})
        assert stored.one() == (None, 2)


def test_a_change_that_changes_nothing_keeps_the_etag(engine: Engine, make_client) -> None:
    load(engine, HEADER + venue_row("A-1", 52.28, -1.58, phone="01632 960000"))
    add_account(engine, "officer@example.org", "officer")
    client = make_client()
    officer = token_headers(client, "officer@example.org")
    [a] = venue_ids(engine, "A-1")
    same = client.patch(
        f"/api/venues/{a}", headers={**officer, "If-Match": '"1"'}, json={"phone": "01632 960000"}
    )
    assert (same.status_code, same.headers["etag"]) == (200, '"1"')
    assert client.get(f"/api/venues/{a}/history", headers=officer).json() == []


RACE_ROUNDS = 40


@SERVERS
def test_of_two_new_venues_whose_refs_differ_only_in_case_one_is_added(
    engine: Engine, apis: list[httpx.Client], backend: str, venue: int, count: int
) -> None:
    """Both pass the check (neither ref is stored yet) and meet at the write: the
    database's unique index on lower(ref) keeps one, and the other is a plain 409,
    never a 500 and never two venues."""
    with pair_on(apis, count) as pair:
        headers = signed_in(pair)
        statuses: list[list[int]] = []
        for number in range(RACE_ROUNDS):
            refs = (f"RACE-{count}-{number}", f"race-{count}-{number}")

            def add(
                client: httpx.Client, index: int, refs: tuple[str, str] = refs
            ) -> httpx.Response:
                new = {
                    "ref": refs[index],
                    "name": "Race Library",
                    "address": "1 High Street",
                    "town": "Warwick",
                    "postcode": "CV34 4AB",
                    "latitude": 52.28,
                    "longitude": -1.58,
                }
                return client.post("/api/venues", headers=headers[index], json=new)

            answers = pair.race(add)
            statuses.append(sorted(answer.status_code for answer in answers))
            refused = next(answer for answer in answers if answer.status_code != 201)
            assert "already used" in refused.json()["message"], refused.text
    with Session(engine) as session:
        added = session.exec(select(Venue.ref).where(col(Venue.ref).ilike(f"race-{count}-%")))
        assert len(added.all()) == RACE_ROUNDS
    print(f"{backend}, {WORDS[count]}: {RACE_ROUNDS} rounds of two case-twin refs, "
          f"{statuses.count([201, 409])} one 201 and one 409")  # fmt: skip
    assert statuses == [[201, 409]] * RACE_ROUNDS


def test_a_ref_taken_after_the_check_is_refused_as_taken_by_the_index(
    engine: Engine, venue: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The race above, made certain: the check sees no twin (as when the other write
    has not committed yet), and the database's index refuses the write as Taken."""
    import app.venues.edits as edits
    from app.models import Account
    from app.problems import Taken

    monkeypatch.setattr(edits, "ref_taken", lambda *_: None)
    with Session(engine) as session:
        officer = session.exec(select(Account).where(Account.email == "officer@example.org")).one()
        new = {"ref": "a-1", "name": "Twin", "address": "x", "town": "y",
               "postcode": "CV34 4AB", "latitude": 52.3, "longitude": -1.6}  # fmt: skip
        with pytest.raises(Taken, match="ref a-1 is already used"):
            edits.add_venue(session, officer, new, date(2026, 12, 7))
        assert sorted(session.exec(select(Venue.ref)).all()) == ["A-1", "B-1"]
