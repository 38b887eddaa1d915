"""GET /api/venues/offline: the whole list a phone keeps for when it has no signal."""

from datetime import date, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from app.hours import LONDON
from app.venues import offline_list
from tests.conftest import HEADER, SAMPLE_CSV, Clock, load, venue_row

FRIDAY_1PM = datetime(2026, 11, 27, 13, 0, tzinfo=LONDON)


def epoch(*args: int) -> int:
    return int(datetime(*args, tzinfo=LONDON).timestamp())  # type: ignore[misc]


def is_open(venue: dict, moment: datetime) -> bool | None:
    """What the phone works out from the list: the same rule as app/web/js/opening.js."""
    at = moment.timestamp()
    if venue["open"] is None or any(a <= at < b for a, b in venue["unknown"]):
        return None
    return any(a <= at < b for a, b in venue["open"])


def test_every_active_sample_venue_is_listed(client: TestClient) -> None:
    body = client.get("/api/venues/offline").json()
    rows = SAMPLE_CSV.read_text(encoding="utf-8").splitlines()[1:]
    assert len(body["venues"]) == len(rows)
    assert body["sample"] is True
    first = body["venues"][0]
    for field in ("id", "name", "kind", "address", "latitude", "longitude", "phone", "sample"):
        assert field in first
    assert first["ref"].startswith("SAMPLE-")


def test_spans_agree_with_the_servers_open_now(client: TestClient, clock: Clock) -> None:
    """Through the week, whatever the phone works out matches /api/venues/nearest."""
    clock.now = FRIDAY_1PM
    listed = {v["id"]: v for v in client.get("/api/venues/offline").json()["venues"]}
    for hours_later in range(0, 7 * 24, 5):
        clock.now = FRIDAY_1PM + timedelta(hours=hours_later, minutes=7)
        found = client.get(
            "/api/venues/nearest", params={"lat": 52.3, "lon": -1.5, "limit": 50}
        ).json()["venues"]
        for venue in found:
            assert is_open(listed[venue["id"]], clock.now) == venue["open_now"], (
                venue["name"],
                clock.now,
            )


def test_the_window_is_today_and_7_more_days_across_a_clock_change(
    engine: Engine, make_client, clock: Clock
) -> None:
    load(engine, HEADER + venue_row("A-1", 52.28, -1.58, opening_hours="24/7"))
    clock.now = datetime(2026, 10, 22, 15, 30, tzinfo=LONDON)  # the clocks go back on the 25th
    body = make_client().get("/api/venues/offline").json()
    assert body["generated_at"] == "2026-10-22T15:30:00+01:00"
    assert body["valid_from"] == epoch(2026, 10, 22)
    assert body["valid_until"] == epoch(2026, 10, 30)
    assert body["valid_until"] - body["valid_from"] == 8 * 24 * 3600 + 3600  # one longer night
    assert body["venues"][0]["open"] == [[body["valid_from"], body["valid_until"]]]


def test_unknown_hours_are_null_and_unknown_times_are_listed(
    engine: Engine, make_client, clock: Clock
) -> None:
    load(
        engine,
        HEADER
        + venue_row("U-1", 52.28, -1.58, opening_hours="")
        + venue_row("U-2", 52.29, -1.58, opening_hours="Mo-Fr 09:00-17:00; Sa 10:00-12:00 unknown"),
    )
    clock.now = FRIDAY_1PM
    by_ref = {v["ref"]: v for v in make_client().get("/api/venues/offline").json()["venues"]}
    assert (by_ref["U-1"]["open"], by_ref["U-1"]["unknown"]) == (None, [])
    assert by_ref["U-2"]["unknown"][0] == [epoch(2026, 11, 28, 10), epoch(2026, 11, 28, 12)]
    assert by_ref["U-2"]["open"][0] == [epoch(2026, 11, 27, 9), epoch(2026, 11, 27, 17)]


def test_a_temporary_closure_takes_out_the_days_before_it_ends(
    engine: Engine, make_client, clock: Clock
) -> None:
    load(engine, HEADER + venue_row("C-1", 52.28, -1.58, opening_hours="Mo-Su 09:00-17:00"))
    with engine.begin() as conn:
        conn.execute(text("UPDATE venue SET closed_until = '2026-11-30' WHERE ref = 'C-1'"))
    clock.now = FRIDAY_1PM
    venue = make_client().get("/api/venues/offline").json()["venues"][0]
    assert venue["closed_until"] == "2026-11-30"
    assert venue["open"][0] == [epoch(2026, 11, 30, 9), epoch(2026, 11, 30, 17)]
    assert len(venue["open"]) == 5  # Monday 30 November to Friday 4 December


def test_a_closure_that_has_ended_is_not_mentioned(
    engine: Engine, make_client, clock: Clock
) -> None:
    load(engine, HEADER + venue_row("C-2", 52.28, -1.58))
    with engine.begin() as conn:
        conn.execute(text("UPDATE venue SET closed_until = '2026-11-20' WHERE ref = 'C-2'"))
    clock.now = FRIDAY_1PM
    venue = make_client().get("/api/venues/offline").json()["venues"][0]
    assert venue["closed_until"] is None
    assert len(venue["open"]) == 8


def test_withdrawn_venues_are_not_listed(engine: Engine, make_client) -> None:
    load(engine, HEADER + venue_row("W-1", 52.28, -1.58) + venue_row("K-1", 52.29, -1.58))
    with engine.begin() as conn:
        conn.execute(text("UPDATE venue SET active = false WHERE ref = 'W-1'"))
    body = make_client().get("/api/venues/offline").json()
    assert [v["ref"] for v in body["venues"]] == ["K-1"]
    assert body["sample"] is False


def test_gzip_etag_and_not_modified(client: TestClient) -> None:
    first = client.get("/api/venues/offline", headers={"Accept-Encoding": "gzip"})
    assert first.headers["content-encoding"] == "gzip"
    assert first.headers["cache-control"] == "no-cache"
    assert int(first.headers["content-length"]) < len(first.content) / 4
    again = client.get("/api/venues/offline", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304
    assert again.content == b""
    other = client.get("/api/venues/offline", headers={"If-None-Match": '"something-else"'})
    assert other.status_code == 200
    plain = client.get("/api/venues/offline", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers
    assert plain.json() == first.json()


@pytest.mark.parametrize("piece_bytes", [1, 5_000, 1 << 20])
def test_the_list_without_gzip_is_the_gzipped_list_in_any_size_of_piece(
    engine: Engine, make_client, monkeypatch: pytest.MonkeyPatch, piece_bytes: int
) -> None:
    """Sent inflated a piece at a time (each piece's parts in one call): every part, in
    order, whatever the piece's size, and as long as Content-Length says."""
    rows = "".join(venue_row(f"P-{n}", 52 + n / 1000, -1.5) for n in range(700))
    load(engine, HEADER + rows)
    client = make_client()
    gzipped = client.get("/api/venues/offline", headers={"Accept-Encoding": "gzip"})
    monkeypatch.setattr(offline_list, "JSON_SEND_BYTES", piece_bytes)
    plain = client.get("/api/venues/offline", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers
    assert int(plain.headers["content-length"]) == len(plain.content)
    assert plain.content == gzipped.content  # httpx inflates the gzipped one
    assert [v["ref"] for v in plain.json()["venues"]] == [f"P-{n}" for n in range(700)]


def test_a_change_to_the_venues_is_a_new_list(engine: Engine, make_client) -> None:
    load(engine, HEADER + venue_row("A-1", 52.28, -1.58))
    client = make_client()
    before = client.get("/api/venues/offline")
    load(engine, HEADER + venue_row("A-1", 52.28, -1.58, name="A new name"))
    client.app.state.catalogue.refresh_if_changed()
    after = client.get("/api/venues/offline")
    assert after.headers["etag"] != before.headers["etag"]
    assert after.json()["venues"][0]["name"] == "A new name"


def test_the_day_changes_the_list(engine: Engine, make_client, clock: Clock) -> None:
    load(engine, HEADER + venue_row("A-1", 52.28, -1.58))
    client = make_client()
    clock.now = FRIDAY_1PM
    friday = client.get("/api/venues/offline").json()
    clock.now = FRIDAY_1PM + timedelta(days=1)
    saturday = client.get("/api/venues/offline").json()
    assert saturday["valid_from"] - friday["valid_from"] == 24 * 3600
    assert date.fromisoformat(saturday["generated_at"][:10]) == date(2026, 11, 28)


def test_the_list_says_what_to_do_when_you_arrive(client: TestClient) -> None:
    body = client.get("/api/venues/offline").json()
    assert (
        body["when_you_arrive"]
        == client.get(f"/api/venues/{body['venues'][0]['id']}").json()["when_you_arrive"]
    )
