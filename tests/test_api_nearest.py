import csv
import random
from datetime import datetime

import pytest
from fastapi.testclient import TestClient
from geopy.distance import geodesic
from sqlalchemy import Engine, text

from app.hours import LONDON
from app.routers import public_venues as venues
from tests.conftest import HEADER, SAMPLE_CSV, Clock, load, venue_row

LEAMINGTON = (52.2886, -1.5353)


def sample_positions() -> list[tuple[int, float, float]]:
    with SAMPLE_CSV.open(encoding="utf-8") as file:
        return [
            (index, float(row["latitude"]), float(row["longitude"]))
            for index, row in enumerate(csv.DictReader(file))
        ]


def test_results_match_a_brute_force_geodesic_ranking(client: TestClient) -> None:
    positions = sample_positions()
    rng = random.Random(11)
    for _ in range(40):
        here = (rng.uniform(52.05, 52.65), rng.uniform(-1.95, -1.2))
        response = client.get("/api/venues/nearest", params={"lat": here[0], "lon": here[1]})
        assert response.status_code == 200
        found = response.json()["venues"]
        expected = sorted(geodesic(here, (lat, lon)).m for _, lat, lon in positions)[:5]
        assert len(found) == 5
        for venue, metres in zip(found, expected, strict=True):
            # Same order and distances as the geodesic ranking, to the metre.
            assert venue["distance_m"] == pytest.approx(metres, abs=1)
            truth = geodesic(here, (venue["latitude"], venue["longitude"])).m
            assert venue["distance_m"] == pytest.approx(truth, abs=1)


def test_each_result_says_how_far_which_way_and_whether_open(
    engine: Engine, make_client, clock: Clock
) -> None:
    load(
        engine,
        HEADER
        + venue_row("N-1", 52.2976, -1.5353, opening_hours="Mo-Fr 09:00-17:00")  # 1 km north
        + venue_row("E-1", 52.2886, -1.5250, opening_hours="")
        + venue_row("W-1", 52.2886, -1.5480, opening_hours="Mo-Fr 09:00-12:00"),
    )
    clock.now = datetime(2026, 11, 27, 13, 0, tzinfo=LONDON)  # Friday lunchtime
    body = make_client().get("/api/venues/nearest", params={"lat": 52.2886, "lon": -1.5353}).json()
    by_ref = {venue["ref"]: venue for venue in body["venues"]}
    north = by_ref["N-1"]
    assert north["distance_m"] == pytest.approx(1001, abs=2)
    assert north["walking_minutes"] == 16
    assert north["nearby"] is False  # more than 15 minutes
    assert north["direction"] == "north"
    assert north["open_now"] is True
    assert north["opening_status"] == "Open now. Closes at 5pm."
    assert north["opening_today"] == "Open today 9am to 5pm."
    assert north["closes_at"] == "2026-11-27T17:00:00+00:00"  # so the app can weigh the walk
    assert by_ref["W-1"]["closes_at"] is None and by_ref["E-1"]["closes_at"] is None
    assert by_ref["E-1"]["direction"] == "east"
    assert by_ref["E-1"]["open_now"] is None
    assert by_ref["E-1"]["opening_status"] is None
    assert by_ref["W-1"]["open_now"] is False
    assert by_ref["W-1"]["opening_status"] == "Closed now. Opens on Monday at 9am."
    assert [venue["ref"] for venue in body["venues"]] == ["E-1", "W-1", "N-1"]
    assert north["sample"] is False


def test_open_now_filter_skips_closed_and_unknown(engine: Engine, make_client, clock) -> None:
    load(
        engine,
        HEADER
        + venue_row("CLOSED", 52.2887, -1.5353, opening_hours="Mo-Fr 09:00-12:00")
        + venue_row("UNKNOWN", 52.2888, -1.5353, opening_hours="")
        + venue_row("LATE", 52.3500, -1.5353, opening_hours="Fr,Sa 17:00-02:00")
        + venue_row("FAR", 52.4500, -1.5353, opening_hours="24/7"),
    )
    clock.now = datetime(2026, 11, 28, 1, 30, tzinfo=LONDON)  # Saturday, 1:30am
    client = make_client()
    params = {"lat": LEAMINGTON[0], "lon": LEAMINGTON[1], "open_now": "true", "limit": 5}
    refs = [
        venue["ref"] for venue in client.get("/api/venues/nearest", params=params).json()["venues"]
    ]
    assert refs == ["LATE", "FAR"]
    clock.now = datetime(2026, 11, 28, 2, 30, tzinfo=LONDON)
    refs = [
        venue["ref"] for venue in client.get("/api/venues/nearest", params=params).json()["venues"]
    ]
    assert refs == ["FAR"]


def test_limit_and_withdrawn_venues(engine: Engine, make_client) -> None:
    rows = "".join(venue_row(f"V-{i}", 52.28 + i * 0.001, -1.58) for i in range(60))
    load(engine, HEADER + rows)
    with engine.begin() as conn:
        conn.execute(text("UPDATE venue SET active = false WHERE ref = 'V-0'"))
        conn.execute(text("UPDATE catalogue_state SET revision = revision + 1"))
    client = make_client()
    body = client.get("/api/venues/nearest", params={"lat": 52.28, "lon": -1.58, "limit": 50})
    refs = [venue["ref"] for venue in body.json()["venues"]]
    assert len(refs) == 50
    assert "V-0" not in refs
    assert refs[0] == "V-1"
    default = client.get("/api/venues/nearest", params={"lat": 52.28, "lon": -1.58}).json()
    assert len(default["venues"]) == 5


def test_no_venues_gives_an_empty_list(engine: Engine, make_client) -> None:
    body = make_client().get("/api/venues/nearest", params={"lat": 52.28, "lon": -1.58}).json()
    assert body == {"venues": []}


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"lon": -1.5}, "lat is missing. Give latitude as a number from -90 to 90, like 52.2823."),
        ({"lat": "north", "lon": -1.5}, "lat must be a number. Give latitude"),
        ({"lat": 91, "lon": -1.5}, "lat must be 90 or less. Give latitude"),
        ({"lat": 52, "lon": 181}, "lon must be 180 or less. Give longitude"),
        ({"lat": "nan", "lon": -1.5}, "lat must be a number."),
        ({"lat": "inf", "lon": -1.5}, "lat must be a number."),
        ({"lat": 52, "lon": -1.5, "limit": 0}, "limit must be 1 or more. Ask for 1 to 50 places."),
        ({"lat": 52, "lon": -1.5, "limit": 51}, "limit must be 50 or less."),
        ({}, "lat is missing. Give latitude as a number from -90 to 90, like 52.2823. lon is"),
    ],
)
def test_bad_coordinates_get_a_422_a_person_can_act_on(
    client: TestClient, params: dict, message: str
) -> None:
    response = client.get("/api/venues/nearest", params=params)
    assert response.status_code == 422
    assert response.json()["message"].startswith(message)


def test_a_position_is_never_cached(client: TestClient) -> None:
    response = client.get("/api/venues/nearest", params={"lat": 52.28, "lon": -1.58})
    assert response.headers["cache-control"] == "no-store"


def test_open_now_across_the_clocks_going_forward(engine: Engine, make_client, clock) -> None:
    """The cached opening state must expire at the right instant, in London time."""
    load(
        engine,
        HEADER
        + venue_row("NIGHT", 52.2886, -1.5353, opening_hours="Sa 20:00-02:00")
        + venue_row("DAY", 52.2887, -1.5353, opening_hours="Mo-Fr 09:00-17:00"),
    )
    client = make_client()
    params = {"lat": LEAMINGTON[0], "lon": LEAMINGTON[1], "limit": 2}

    def open_now(utc: str) -> dict[str, bool | None]:
        clock.now = datetime.fromisoformat(utc).astimezone(LONDON)
        venues = client.get("/api/venues/nearest", params=params).json()["venues"]
        return {venue["ref"]: venue["open_now"] for venue in venues}

    # 29 March 2026: 01:00 GMT becomes 02:00 BST, so the night ends at 01:00 UTC.
    assert open_now("2026-03-29T00:30:00+00:00")["NIGHT"] is True
    assert open_now("2026-03-29T00:59:00+00:00")["NIGHT"] is True
    assert open_now("2026-03-29T01:00:00+00:00")["NIGHT"] is False
    # Monday 08:30 UTC is 09:30 in London: open, though 08:30 would be closed in GMT.
    assert open_now("2026-03-30T08:30:00+00:00")["DAY"] is True
    assert open_now("2026-03-30T07:59:00+00:00")["DAY"] is False


def test_far_places_are_not_offered_as_a_walk(engine: Engine, make_client) -> None:
    load(
        engine,
        HEADER
        + venue_row("HERE", 52.28860, -1.53530)
        + venue_row("NEAR", 52.29500, -1.53530)  # about 700 m
        + venue_row("FAR", 52.40000, -1.53530),  # about 12 km
    )
    venues = (
        make_client()
        .get("/api/venues/nearest", params={"lat": 52.2886, "lon": -1.5353})
        .json()["venues"]
    )
    here, near, far = venues
    assert (here["direction"], here["walking_minutes"], here["nearby"]) == ("here", 1, True)
    assert (near["direction"], near["walking_minutes"], near["nearby"]) == ("north", 12, True)
    assert (far["walking_minutes"], far["nearby"], far["direction"]) == (None, False, "north")
    assert far["distance_m"] == pytest.approx(12403, abs=15)


@pytest.mark.parametrize(
    "query",
    [
        "lat=52.28&lon=-1.58",
        "lat=52.28&lon=-1.58&limit=50&open_now=true",
        "lat=52.28&lon=-1.58&open_now=yes&limit=1",
        "lat=91&lat=52.28&lon=-1.58",  # the last of a repeated name counts
        "lat=52.28&lat=91&lon=-1.58",
        "lat=52.28&lon=-1.58&what=else",
        "lat=%2052.28&lon=-1.58",
        "lat=5.228e1&lon=-1.58",
        "lat=&lon=-1.58",
        "lat=52.28&lon=-1.58&limit=5.0",
        "lat=52.28&lon=-1.58&open_now=",
        "lat=nan&lon=-1.58",
        "",
    ],
)
def test_the_direct_answer_is_the_routes_own(
    client: TestClient, monkeypatch: pytest.MonkeyPatch, query: str
) -> None:
    """Valid look-ups skip FastAPI's dependency solving, and must answer exactly as it would."""
    taken: list[bool] = []
    direct = venues.answer_directly

    async def watched(request):
        answer = await direct(request)
        taken.append(answer is not None)
        return answer

    monkeypatch.setattr(venues, "answer_directly", watched)
    fast = client.get(f"/api/venues/nearest?{query}")
    monkeypatch.setattr(venues, "answer_directly", no_direct_answer)
    usual = client.get(f"/api/venues/nearest?{query}")
    assert taken == [fast.status_code == 200]
    assert (fast.status_code, fast.content) == (usual.status_code, usual.content)
    # Every header, the security headers' included (all but the date).
    assert {k: v for k, v in fast.headers.items() if k != "date"} == {
        k: v for k, v in usual.headers.items() if k != "date"
    }


async def no_direct_answer(_request) -> None:
    return None
