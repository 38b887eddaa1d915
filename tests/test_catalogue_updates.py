"""Changes reach look-ups and the offline list venue by venue, never by a whole reload.

The snapshot (base plus overlay) must answer exactly as one built afresh; a
server must take in only the venues stamped since its revision; and other
server processes, on PostgreSQL and on a shared SQLite file, must see every
kind of change within their refresh interval, with nothing left stale.
"""

import gzip
import math
import random
import time
import zlib
from datetime import datetime, timedelta
from pathlib import Path

import httpx
import orjson
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from app.db import UNSTAMPED
from app.hours import LONDON
from app.venues.catalogue import Catalogue
from app.venues.geo import unit_vector
from app.venues.gzip_parts import deflate_part, gzip_pieces, gzip_size, inflate_parts
from app.venues.offline_list import OfflineListCache, build_offline_list
from app.venues.snapshot import SCAN_AT_MOST, Snapshot, VenueBlock, VenueEntry
from tests.conftest import HEADER, Clock, load, sql, venue_row
from tests.people import (  # noqa: F401  (cheap_hashing: a fixture)
    PASSWORD,
    add_account,
    cheap_hashing,
    token_headers,
    venue_ids,
)
from tests.servers import running_server, safe_places

FRIDAY_1PM = datetime(2026, 11, 27, 13, 0, tzinfo=LONDON)
OFFICER = "officer@example.org"
NEW_VENUE = {
    "ref": "NEW-1",
    "name": "New Library",
    "category": "library",
    "address": "1 New Street",
    "town": "Kenilworth",
    "postcode": "CV8 1AA",
    "latitude": 52.34,
    "longitude": -1.57,
    "opening_hours": "Mo-Fr 09:00-17:00",
}
# tests/servers.py starts servers that look for changes every 0.5 s.
REFRESH_SECONDS = 0.5
# What a busy 2-core machine may add to it.
SLACK_SECONDS = 1.0


# --- the snapshot on its own -----------------------------------------------


def entry(venue_id: int, lat: float, lon: float, town: str = "Warwick") -> VenueEntry:
    return VenueEntry(venue_id, lat, lon, None, 0, b'{"id":%d,' % venue_id, town)


def fresh(venues: dict[int, VenueEntry]) -> Snapshot:
    return Snapshot.from_base(VenueBlock.build(venues[i] for i in sorted(venues)), 0)


def answers(snapshot: Snapshot, points: list[tuple[float, float]], k: int) -> list:
    """Each point's k nearest, as (chord, id): what a look-up sees."""
    return [
        [(round(chord, 12), block.ids[p]) for chord, block, p in snapshot.nearest(lat, lon, k)]
        for lat, lon in points
    ]


def assert_same(changed: Snapshot, truth: dict[int, VenueEntry], rng: random.Random) -> None:
    expected = fresh(truth)
    points = [(52.2 + rng.random() * 0.2, -1.7 + rng.random() * 0.3) for _ in range(30)]
    for k in (1, 7, 40):
        assert answers(changed, points, k) == answers(expected, points, k)
    assert [venue.id for venue in changed.venues()] == sorted(truth)
    assert changed.size == len(truth)
    assert changed.towns.keys() == expected.towns.keys()
    for town, (lat, lon) in expected.towns.items():
        assert changed.towns[town] == pytest.approx((lat, lon), abs=1e-9)
    assert changed.centre == pytest.approx(expected.centre, abs=1e-9)
    for venue_id in rng.sample(sorted(truth), min(20, len(truth))):
        assert changed.entry(venue_id) == truth[venue_id]
    assert changed.venues_between(100, 200) == [truth[i] for i in sorted(truth) if 100 <= i < 200]


def random_changes(
    truth: dict[int, VenueEntry], gone: set[int], rng: random.Random, next_id: int
) -> tuple[dict[int, VenueEntry | None], int]:
    """Moves, new venues, withdrawals and bring-backs, some close together."""
    changes: dict[int, VenueEntry | None] = {}
    for _ in range(rng.randint(1, 12)):
        kind = rng.random()
        if kind < 0.4 and truth:
            venue_id = rng.choice(sorted(truth))
            # Half the moves land in one small cluster: a slab too full to scan by hand.
            lat, lon = (52.3, -1.55) if rng.random() < 0.5 else (52.25, -1.6)
            changes[venue_id] = entry(venue_id, lat + rng.random() * 1e-3, lon, "Moved")
        elif kind < 0.6:
            changes[next_id] = entry(next_id, 52.2 + rng.random() * 0.2, -1.6, f"T{next_id % 3}")
            next_id += 1
        elif kind < 0.85 and truth:
            changes[rng.choice(sorted(truth))] = None
        elif gone:
            venue_id = rng.choice(sorted(gone))
            changes[venue_id] = entry(venue_id, 52.26, -1.58 + rng.random() * 0.01)
    for venue_id, changed in changes.items():
        if changed is None:
            truth.pop(venue_id, None)
            gone.add(venue_id)
        else:
            truth[venue_id] = changed
            gone.discard(venue_id)
    return changes, next_id


def test_a_changed_snapshot_answers_as_one_built_afresh() -> None:
    rng = random.Random(7)
    truth = {
        i: entry(i, 52.2 + rng.random() * 0.2, -1.7 + rng.random() * 0.3, f"T{i % 5}")
        for i in range(1, 301)
    }
    snapshot, gone, next_id = fresh(truth), set(), 301
    for round_ in range(60):
        changes, next_id = random_changes(truth, gone, rng, next_id)
        snapshot = snapshot.with_changes(changes, round_ + 1)
        assert snapshot.revision == round_ + 1
        assert_same(snapshot, truth, rng)
    assert len(snapshot.overlay.block) > SCAN_AT_MOST  # both ways of searching were used
    merged = snapshot.rebased(VenueBlock.build(snapshot.venues()), snapshot.serial)
    assert merged is not None and merged.overlay.size == 0
    assert_same(merged, truth, rng)


def test_changes_made_during_a_merge_are_kept() -> None:
    rng = random.Random(8)
    truth = {i: entry(i, 52.2 + i * 1e-3, -1.6) for i in range(1, 101)}
    start = fresh(truth).with_changes({5: None, 200: entry(200, 52.3, -1.5)}, 1)
    truth.pop(5)
    truth[200] = entry(200, 52.3, -1.5)
    base = VenueBlock.build(start.venues())  # what the merge thread builds
    later = start.with_changes({6: None, 200: entry(200, 52.31, -1.5), 5: entry(5, 52.2, -1.6)}, 2)
    truth.pop(6)
    truth[200] = entry(200, 52.31, -1.5)
    truth[5] = entry(5, 52.2, -1.6)
    merged = later.rebased(base, start.serial)
    assert merged is not None
    assert merged.changed_since(later.serial) == set()  # the same venues as `later`
    assert_same(merged, truth, rng)


def test_a_snapshot_knows_what_changed_since_an_earlier_one() -> None:
    first = fresh({1: entry(1, 52.0, -1.0)})
    second = first.with_changes({2: entry(2, 52.1, -1.0)}, 1)
    third = second.with_changes({1: None}, 2)
    assert third.changed_since(third.serial) == set()
    assert third.changed_since(second.serial) == {1}
    assert third.changed_since(first.serial) == {1, 2}
    assert third.changed_since(fresh({}).serial) is None  # another catalogue's
    assert fresh({}).changed_since(0) is None


def test_nearest_with_every_venue_hidden_or_none() -> None:
    snapshot = fresh({1: entry(1, 52.0, -1.0), 2: entry(2, 52.1, -1.0)})
    assert snapshot.with_changes({1: None, 2: None}, 1).nearest(52.0, -1.0, 5) == []
    assert fresh({}).nearest(52.0, -1.0, 5) == []
    moved = snapshot.with_changes({1: entry(1, 53.0, -1.0)}, 1).nearest(52.0, -1.0, 5)
    assert [block.ids[p] for _, block, p in moved] == [2, 1]
    chord = math.dist(unit_vector(52.0, -1.0), unit_vector(53.0, -1.0))
    assert moved[1][0] == pytest.approx(chord, rel=1e-12)


# --- the offline list in parts ----------------------------------------------


def test_parts_make_one_gzip_stream_any_reader_takes() -> None:
    rng = random.Random(3)
    for _ in range(20):
        texts = [rng.randbytes(rng.randint(0, 3000)) * rng.randint(1, 3) for _ in range(6)]
        parts = [deflate_part(text) for text in texts]
        stream = b"".join(gzip_pieces(parts))
        assert len(stream) == gzip_size(parts)
        assert gzip.decompress(stream) == b"".join(texts)
        reader = zlib.decompressobj(zlib.MAX_WBITS | 16)  # one member, read to its end
        assert reader.decompress(stream) == b"".join(texts)
        assert reader.eof and not reader.unused_data
        assert [part.inflate() for part in parts] == texts
        assert inflate_parts(parts) == b"".join(texts)
    assert gzip.decompress(b"".join(gzip_pieces([]))) == b""


def test_parts_are_inflated_as_zlib_reads_them_however_many_at_once() -> None:
    """zlib writes the parts and ISA-L reads them: checked against zlib's own reading,
    for runs of megabytes of text like the list's, which ISA-L takes in several goes."""
    rng = random.Random(5)
    words = [b"venue", b"open", b"High Street", b"[1796637600,1796652000]", b'"ref":', b","]
    texts = [b"".join(rng.choices(words, k=rng.randint(0, 60_000))) for _ in range(40)]
    parts = [deflate_part(text) for text in texts]
    for start, end in ((0, 1), (0, 40), (7, 23), (39, 40), (5, 5)):
        by_zlib = zlib.decompressobj(-zlib.MAX_WBITS).decompress(
            b"".join(part.deflated for part in parts[start:end])
        )
        assert inflate_parts(parts[start:end]) == by_zlib == b"".join(texts[start:end])
    assert sum(map(len, texts)) > 4 << 20


def test_the_offline_list_changed_in_place_is_the_list_built_afresh(engine: Engine) -> None:
    rows = "".join(venue_row(f"V-{i}", 52.28 + i * 1e-3, -1.58) for i in range(600))
    load(engine, HEADER + rows)
    catalogue = Catalogue(engine)
    lists = OfflineListCache()
    first = lists.get(catalogue.snapshot, FRIDAY_1PM)
    assert first.json() == build_offline_list(catalogue.snapshot, FRIDAY_1PM).json()
    load(
        engine,
        HEADER
        + venue_row("V-3", 52.5, -1.5, name="Moved")
        + venue_row("V-300", 52.28, -1.58, opening_hours="Mo-Fr 10:00-12:00")
        + venue_row("NEW-1", 52.2, -1.6),
    )
    base = catalogue.snapshot.base
    assert catalogue.refresh_if_changed()
    assert catalogue.snapshot.base is base  # three venues taken in, not a reload
    changed = lists.get(catalogue.snapshot, FRIDAY_1PM)
    afresh = build_offline_list(catalogue.snapshot, FRIDAY_1PM)
    assert changed.etag != first.etag
    assert (changed.etag, changed.json(), changed.size) == (afresh.etag, afresh.json(), afresh.size)
    gzipped = b"".join(changed.gzip_chunks())
    assert (gzip.decompress(gzipped), len(gzipped)) == (afresh.json(), afresh.gzipped_size)
    by_ref = {venue["ref"]: venue for venue in orjson.loads(changed.json())["venues"]}
    assert by_ref["V-3"]["name"] == "Moved" and "NEW-1" in by_ref
    assert catalogue.merge_overlay()
    assert lists.get(catalogue.snapshot, FRIDAY_1PM) is changed  # the same venues


def test_the_watcher_brings_the_offline_list_up_to_date_before_it_is_asked(
    engine: Engine,
) -> None:
    load(engine, HEADER + venue_row("V-1", 52.28, -1.58) + venue_row("V-2", 52.29, -1.58))
    catalogue = Catalogue(engine)
    lists = catalogue.offline_list
    lists.follow(catalogue.snapshot, FRIDAY_1PM)
    assert lists.current(catalogue.snapshot, FRIDAY_1PM) is None  # none built yet: not here
    first = lists.get(catalogue.snapshot, FRIDAY_1PM)
    old = catalogue.snapshot
    load(engine, HEADER + venue_row("V-1", 52.28, -1.58, name="Renamed"))
    assert catalogue.refresh_if_changed()
    assert lists.current(catalogue.snapshot, FRIDAY_1PM) is None
    lists.follow(catalogue.snapshot, FRIDAY_1PM)  # what the watcher does next
    followed = lists.current(catalogue.snapshot, FRIDAY_1PM)
    assert followed is not None and followed.etag != first.etag
    assert b"Renamed" in followed.json()
    lists.follow(old, FRIDAY_1PM)  # an older snapshot never takes the list back
    assert lists.current(catalogue.snapshot, FRIDAY_1PM) is followed
    lists.follow(catalogue.snapshot, FRIDAY_1PM + timedelta(days=1))  # another day: not here
    assert lists.current(catalogue.snapshot, FRIDAY_1PM) is followed


# --- every writer stamps the venues it changed --------------------------------


def stamps(engine: Engine) -> dict[str, int]:
    return dict(sql(engine, "SELECT ref, revision FROM venue"))


def test_each_write_stamps_its_venues_with_the_revision_it_made(
    officer_client, engine: Engine
) -> None:
    client, officer = officer_client
    before = stamps(engine)
    assert set(before.values()) == {1}  # the first import
    load(engine, HEADER + venue_row("V-1", 52.5, -1.5) + venue_row("NEW-1", 52.6, -1.5))
    after_import = stamps(engine)
    assert (after_import["V-1"], after_import["NEW-1"], after_import["V-2"]) == (2, 2, 1)
    change(client, officer, venue_ids(engine, "V-2")[0], "patch", name="Renamed")
    assert stamps(engine)["V-2"] == 3
    change(client, officer, venue_ids(engine, "V-2")[0], "withdraw")
    assert stamps(engine)["V-2"] == 4
    added = client.post("/api/venues", headers=officer, json={**NEW_VENUE, "ref": "NEW-2"})
    assert added.status_code == 201, added.text
    assert stamps(engine)["NEW-2"] == 5 == sql(engine, "SELECT revision FROM catalogue_state")[0][0]
    assert UNSTAMPED not in stamps(engine).values()


# --- one server: each change taken in alone -----------------------------------


@pytest.fixture
def officer_client(engine: Engine, make_client, clock: Clock) -> tuple[TestClient, dict]:
    rows = "".join(venue_row(f"V-{i}", 52.28 + i * 1e-3, -1.58) for i in range(40))
    load(engine, HEADER + rows)
    clock.now = FRIDAY_1PM
    client = make_client()
    add_account(engine, OFFICER, "officer")
    return client, token_headers(client, OFFICER)


def nearest_refs(api: TestClient | httpx.Client, lat: float, lon: float, limit: int = 3) -> list:
    found = api.get("/api/venues/nearest", params={"lat": lat, "lon": lon, "limit": limit})
    return [venue["ref"] for venue in found.json()["venues"]]


def offline_etag(api: TestClient | httpx.Client) -> str:
    return api.get("/api/venues/offline", headers={"Accept-Encoding": "gzip"}).headers["etag"]


def change(api: TestClient | httpx.Client, headers: dict, venue_id: int, action: str, **body):
    """A PATCH (fields given) or an officer's POST action, with the ETag just read."""
    etag = api.get(f"/api/venues/{venue_id}/listing", headers=headers).headers["etag"]
    sent = {**headers, "If-Match": etag}
    if action == "patch":
        answer = api.patch(f"/api/venues/{venue_id}", headers=sent, json=body)
    else:
        answer = api.post(f"/api/venues/{venue_id}/{action}", headers=sent)
    assert answer.status_code == 200, answer.text
    return answer


def test_each_change_is_taken_in_alone_and_seen_at_once(officer_client) -> None:
    client, officer = officer_client
    catalogue = client.app.state.catalogue  # type: ignore[attr-defined]
    base = catalogue.snapshot.base
    listed = client.get("/api/venues/offline").json()["venues"]
    v5 = next(venue["id"] for venue in listed if venue["ref"] == "V-5")
    etags = [offline_etag(client)]

    change(client, officer, v5, "patch", latitude=52.5, longitude=-1.4)
    assert nearest_refs(client, 52.5, -1.4, 1) == ["V-5"]
    assert "V-5" not in nearest_refs(client, 52.285, -1.58, 5)
    change(client, officer, v5, "withdraw")
    assert nearest_refs(client, 52.5, -1.4, 1) != ["V-5"]
    etags.append(offline_etag(client))
    change(client, officer, v5, "reinstate")
    assert nearest_refs(client, 52.5, -1.4, 1) == ["V-5"]
    etags.append(offline_etag(client))
    added = client.post("/api/venues", headers=officer, json=NEW_VENUE)
    assert added.status_code == 201, added.text
    assert nearest_refs(client, 52.34, -1.57, 1) == ["NEW-1"]
    assert "Kenilworth" in catalogue.snapshot.towns
    etags.append(offline_etag(client))
    file = HEADER + venue_row("V-7", 52.6, -1.3) + venue_row("NEW-2", 52.7, -1.2)
    imported = client.post(
        "/api/venues/import", content=file, headers={**officer, "Content-Type": "text/csv"}
    )
    assert imported.status_code == 200, imported.text
    assert nearest_refs(client, 52.6, -1.3, 1) == ["V-7"]
    assert nearest_refs(client, 52.7, -1.2, 1) == ["NEW-2"]
    etags.append(offline_etag(client))

    assert catalogue.snapshot.base is base  # never a whole reload
    assert len(set(etags)) == len(etags)  # every change, a new offline list
    listed = {v["ref"]: v for v in client.get("/api/venues/offline").json()["venues"]}
    assert (listed["V-5"]["latitude"], listed["V-7"]["latitude"]) == (52.5, 52.6)
    assert {"NEW-1", "NEW-2"} <= listed.keys()


def test_an_edit_is_an_overlay_until_it_is_merged(officer_client) -> None:
    client, officer = officer_client
    catalogue = client.app.state.catalogue  # type: ignore[attr-defined]
    here = {"lat": 52.281, "lon": -1.58, "limit": 1}
    [v1] = client.get("/api/venues/nearest", params=here).json()["venues"]
    change(client, officer, v1["id"], "patch", name="Renamed")
    assert catalogue.snapshot.overlay.size == 2  # its new entry, and the base position it hides
    assert catalogue.merge_overlay()
    assert catalogue.snapshot.overlay.size == 0
    assert client.get("/api/venues/nearest", params=here).json()["venues"][0]["name"] == "Renamed"


def test_a_change_made_without_a_stamp_still_reaches_the_catalogue(officer_client, engine) -> None:
    """A change made by hand in SQL (no venue stamped): the whole list is read again."""
    client, _ = officer_client
    catalogue = client.app.state.catalogue  # type: ignore[attr-defined]
    with engine.begin() as conn:
        conn.execute(text("UPDATE venue SET active = false WHERE ref = 'V-1'"))
        conn.execute(text("UPDATE catalogue_state SET revision = revision + 1"))
    catalogue.refresh_if_changed()  # (or the watcher did)
    assert "V-1" not in nearest_refs(client, 52.281, -1.58, 5)


# --- two server processes sharing one database ------------------------------


def test_other_instances_see_every_kind_of_change_within_the_refresh_interval(
    engine: Engine, database_url: str, tmp_path: Path
) -> None:
    rows = "".join(venue_row(f"V-{i}", 52.28 + i * 1e-3, -1.58) for i in range(40))
    load(engine, HEADER + rows)
    added = safe_places(
        "users", "add", OFFICER, "--role", "officer",
        database_url=database_url, stdin=PASSWORD + "\n",
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    with (
        running_server(database_url, tmp_path / "one.log") as one,
        running_server(database_url, tmp_path / "two.log") as two,
    ):
        token = one.post("/api/auth/token", data={"username": OFFICER, "password": PASSWORD})
        officer = {"Authorization": f"Bearer {token.json()['access_token']}"}
        v5 = next(v for v in one.get("/api/venues/offline").json()["venues"] if v["ref"] == "V-5")
        etag = offline_etag(two)

        def seen_by_two(what: str, shown) -> None:
            """Wait until `two` shows the change; then both must answer alike."""
            nonlocal etag
            began = time.monotonic()
            while not shown():
                waited = time.monotonic() - began
                assert waited < REFRESH_SECONDS + SLACK_SECONDS, f"{what}: stale for {waited:.1f} s"
                time.sleep(0.05)
            for lat, lon in [(52.28, -1.58), (52.5, -1.4), (52.6, -1.3), (52.34, -1.57)]:
                assert nearest_refs(one, lat, lon, 10) == nearest_refs(two, lat, lon, 10), what
            assert offline_etag(one) == offline_etag(two) != etag, what
            etag = offline_etag(two)

        change(one, officer, v5["id"], "patch", latitude=52.5, longitude=-1.4)
        seen_by_two("a move", lambda: nearest_refs(two, 52.5, -1.4, 1) == ["V-5"])
        change(one, officer, v5["id"], "patch", name="Renamed on one")
        seen_by_two(
            "a new name",
            lambda: (
                two.get(f"/api/venues/{v5['id']}").json()["name"] == "Renamed on one"
                and "Renamed on one" in two.get("/api/venues/offline").text
            ),
        )
        change(one, officer, v5["id"], "withdraw")
        seen_by_two("a withdrawal", lambda: nearest_refs(two, 52.5, -1.4, 1) != ["V-5"])
        change(one, officer, v5["id"], "reinstate")
        seen_by_two("a bring-back", lambda: nearest_refs(two, 52.5, -1.4, 1) == ["V-5"])
        file = tmp_path / "more.csv"
        file.write_text(HEADER + venue_row("V-7", 52.6, -1.3) + venue_row("NEW-1", 52.34, -1.57))
        imported = safe_places("import", str(file), database_url=database_url)
        assert imported.returncode == 0, imported.stderr
        began = time.monotonic()
        for instance in (one, two):  # neither made this change: both must find it
            while nearest_refs(instance, 52.34, -1.57, 1) != ["NEW-1"]:
                waited = time.monotonic() - began
                assert waited < REFRESH_SECONDS + SLACK_SECONDS, (
                    f"an import: stale for {waited:.1f} s"
                )
                time.sleep(0.05)
        seen_by_two("an import", lambda: nearest_refs(two, 52.6, -1.3, 1) == ["V-7"])
    for log in ("one.log", "two.log"):
        assert "Traceback" not in (tmp_path / log).read_text()
