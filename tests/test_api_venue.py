import gc
from datetime import datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from app.hours import LONDON
from app.main import create_app
from tests.conftest import HEADER, Clock, load, venue_row


def venue_id(engine: Engine, ref: str) -> int:
    with engine.connect() as conn:
        return conn.execute(
            text("SELECT id FROM venue WHERE ref = :ref"), {"ref": ref}
        ).scalar_one()


def test_venue_page_has_everything_in_easy_read(engine: Engine, make_client, clock: Clock) -> None:
    load(
        engine,
        HEADER
        + venue_row(
            "L-1",
            52.2823,
            -1.5849,
            name="Warwick Library",
            category="library",
            phone="01632 960001",
            opening_hours="Mo-Fr 09:00-17:00; Sa 10:00-16:00",
            easy_read="This is a library. Go to the front desk. Staff will help you.",
            step_free="yes",
            accessible_toilet="no",
            quiet_space="",
        ),
    )
    clock.now = datetime(2026, 11, 27, 18, 0, tzinfo=LONDON)  # Friday evening
    body = make_client().get(f"/api/venues/{venue_id(engine, 'L-1')}").json()
    assert body["name"] == "Warwick Library"
    assert body["kind"] == "Library"
    assert body["phone"] == "01632 960001"
    assert body["open_now"] is False
    assert body["opening_status"] == "Closed now. Opens tomorrow at 10am."
    assert [day["day"] for day in body["opening_week"]][:3] == ["Friday", "Saturday", "Sunday"]
    assert [day["hours"] for day in body["opening_week"]][:3] == [
        "9am to 5pm",
        "10am to 4pm",
        "Closed",
    ]
    assert body["accessibility"] == {
        "step_free": True,
        "accessible_toilet": False,
        "quiet_space": None,
    }
    assert body["easy_read_sentences"] == [
        "This is a library.",
        "Go to the front desk.",
        "Staff will help you.",
    ]
    assert any("help card" in step for step in body["when_you_arrive"])
    assert body["sample"] is False
    assert body["last_checked"] is None


def test_unknown_hours_are_null_not_guessed(engine: Engine, make_client) -> None:
    load(engine, HEADER + venue_row("U-1", 52.2823, -1.5849, opening_hours=""))
    body = make_client().get(f"/api/venues/{venue_id(engine, 'U-1')}").json()
    assert (body["open_now"], body["opening_status"], body["opening_week"]) == (None, None, None)


def test_sample_venues_say_so(client: TestClient) -> None:
    first = client.get("/api/venues/nearest", params={"lat": 52.28, "lon": -1.58}).json()
    venue = client.get(f"/api/venues/{first['venues'][0]['id']}").json()
    assert venue["sample"] is True
    assert venue["ref"].startswith("SAMPLE-")


def test_every_sample_sentence_is_easy_read(client: TestClient) -> None:
    """15 words at most, in the venue's text and in what we add."""
    found = client.get("/api/venues/nearest", params={"lat": 52.3, "lon": -1.5, "limit": 50})
    for summary in found.json()["venues"]:
        venue = client.get(f"/api/venues/{summary['id']}").json()
        for sentence in venue["easy_read_sentences"] + venue["when_you_arrive"]:
            assert len(sentence.split()) <= 15, sentence
        assert venue["opening_status"] is None or len(venue["opening_status"].split()) <= 15


def test_withdrawn_venues_are_not_shown(engine: Engine, make_client) -> None:
    load(engine, HEADER + venue_row("W-1", 52.2823, -1.5849))
    with engine.begin() as conn:
        conn.execute(text("UPDATE venue SET active = false WHERE ref = 'W-1'"))
    response = make_client().get(f"/api/venues/{venue_id(engine, 'W-1')}")
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("path", "status", "message"),
    [
        ("/api/venues/999999", 404, "There is no Safe Place with id 999999."),
        ("/api/venues/0", 422, "venue_id must be 1 or more. Use the number from"),
        ("/api/venues/99999999999", 422, "venue_id must be 2147483647 or less."),
        ("/api/venues/abc", 422, "venue_id must be a whole number."),
        ("/api/venues/-1", 422, "venue_id must be 1 or more."),
        ("/api/venues/1.5", 422, "venue_id must be a whole number."),
        ("/api/venues/abc/listing", 422, "venue_id must be a whole number."),
        ("/api/accounts/abc", 422, "account_id must be a whole number."),
        ("/api/venues/1/history/x/restore", 422, "change_id must be a whole number."),
        ("/api/venues/abc/nothing-here", 404, "Not Found"),
    ],
)
def test_missing_or_malformed_ids(client: TestClient, path: str, status: int, message: str) -> None:
    response = client.post(path) if path.endswith("/restore") else client.get(path)
    assert response.status_code == status
    assert response.json()["message"].startswith(message)


def test_no_route_can_take_another_routes_address() -> None:
    """Ids in paths are typed (`{venue_id:int}`), so the order routers are included in
    does not matter: no route's pattern matches another route's fixed address."""
    from app.http.errors import api_routes
    from app.main import create_app

    routes = api_routes(create_app())
    assert len(routes) > 40
    fixed = [route for route in routes if "{" not in route.path]
    taken = [
        f"{route.path} would take {other.path}"
        for other in fixed
        for route in routes
        if route is not other
        and route.methods & other.methods
        and route.path_regex.match(other.path)
    ]
    assert taken == []
    # And the check can fail: an untyped id would take /api/venues/unchecked.
    untyped = next(route for route in routes if route.path == "/api/venues/{venue_id:int}")
    from starlette.routing import compile_path

    assert compile_path("/api/venues/{venue_id}")[0].match("/api/venues/unchecked")
    assert not untyped.path_regex.match("/api/venues/unchecked")


def test_the_served_app_puts_what_it_keeps_out_of_the_collectors_way(
    engine: Engine, settings
) -> None:
    """`app.main.app` (what `safe-places serve` runs) freezes the heap once started, so
    no full collection walks the catalogue while people look things up; the apps a
    test makes do not (each freeze would keep that app's cycles for good)."""
    gc.unfreeze()
    try:
        with TestClient(create_app(settings)):
            assert gc.get_freeze_count() == 0
        with TestClient(create_app(settings, freeze_heap=True)) as client:
            frozen = gc.get_freeze_count()
            assert frozen > 10_000
            assert client.get("/api/venues/nearest?lat=52.28&lon=-1.58").status_code == 200
    finally:
        gc.unfreeze()
