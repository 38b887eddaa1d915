"""Search that stays at home: places in the scheme's area first, close spellings there
before far-away ones, and a plain word for a place or position outside the area.

Real requests against the app, the real gazetteer (data/gb_places.csv), the real
postcode table and the sample venues (Warwickshire)."""

import math

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from app.config import Settings
from app.gazetteer.scheme_area import (
    NEAR_M,
    SchemeArea,
    area_of,
    convex_outline,
    inside,
    widened,
)
from app.venues.geo import distance_m
from app.venues.snapshot import Snapshot, VenueBlock, VenueEntry
from tests.conftest import HEADER, SAMPLE_CSV, load, load_sample, venue_row

WARWICKSHIRE = "This app shows Safe Places in Warwickshire."
BIRMINGHAM = (52.4814, -1.8998)
LEAMINGTON = (52.2886, -1.5353)


@pytest.fixture
def warwickshire(engine: Engine, make_client) -> TestClient:
    load_sample(engine)
    return make_client(area_name="Warwickshire")


def places(client: TestClient, query: str) -> dict:
    response = client.get("/api/places", params={"q": query})
    assert response.status_code == 200
    return response.json()


def nearest_km(client: TestClient, lat: float, lon: float) -> int:
    params = {"lat": lat, "lon": lon, "limit": 1}
    [venue] = client.get("/api/venues/nearest", params=params).json()["venues"]
    return round(venue["distance_m"] / 1000)


def in_outline(outline: list[list[float]], lat: float, lon: float) -> bool:
    """The rule /api/area documents, written out as a phone would follow it."""
    for i, (a_lat, a_lon) in enumerate(outline):
        b_lat, b_lon = outline[(i + 1) % len(outline)]
        if (b_lon - a_lon) * (lat - a_lat) - (b_lat - a_lat) * (lon - a_lon) < 0:
            return False
    return True


def north_of(lat: float, lon: float, metres: float) -> tuple[float, float]:
    return lat + math.degrees(metres / 6_371_008.8), lon


@pytest.mark.parametrize(
    ("query", "name", "source"),
    [
        ("CV34", "CV34", "postcode"),
        ("CV34 4AB", "CV34 4AB", "postcode"),
        ("cv344ab", "CV34 4AB", "postcode"),
        ("CV34 4AB Warwick", "CV34 4AB", "postcode"),  # a postcode among other words
        ("12 High Street, Warwick, cv34 4ab", "CV34 4AB", "postcode"),
        ("lemington", "Royal Leamington Spa", "gazetteer"),
        ("Leamington", "Royal Leamington Spa", "gazetteer"),
    ],
)
def test_the_right_place_at_home(warwickshire: TestClient, query: str, name: str, source: str):
    answer = places(warwickshire, query)
    first = answer["places"][0]
    assert (first["name"], first["source"]) == (name, source)
    assert first["area"] == "Warwickshire, England"
    assert distance_m(first["latitude"], first["longitude"], *LEAMINGTON) < 6000
    assert answer["message"] == ""  # at home: nothing to warn about


def test_a_close_spelling_at_home_beats_a_far_away_one(warwickshire: TestClient) -> None:
    """'lemington' is one letter from Lymington (Hampshire) and one from Leamington."""
    answer = places(warwickshire, "lemington")
    assert [place["name"] for place in answer["places"]] == ["Royal Leamington Spa"]
    assert answer["places"][0]["match"] == "close"  # "Did you mean Royal Leamington Spa?"


def test_a_name_at_home_comes_before_the_same_name_far_away(warwickshire: TestClient) -> None:
    found = [place["name"] for place in places(warwickshire, "Stratford")["places"]]
    assert found[0] == "Stratford-upon-Avon"
    assert "Stony Stratford" in found  # still offered, after


def test_without_an_area_the_search_is_as_before(engine: Engine, make_client) -> None:
    """With no venues there is no area: names rank by how well they match."""
    client = make_client(area_name="Warwickshire")
    assert places(client, "lemington")["places"][0]["name"] == "Lymington"
    assert places(client, "Lymington")["message"] == ""
    assert places(client, "Polesworth")["places"] == []  # not Halesworth


@pytest.mark.parametrize(
    ("query", "km"),
    [("Birmingham", 13), ("Lymington", 145), ("Banbury", 19), ("B1 1BB", 13)],
)
def test_a_place_outside_the_area_says_so(warwickshire: TestClient, query: str, km: int):
    answer = places(warwickshire, query)
    first = answer["places"][0]
    assert answer["message"] == f"{WARWICKSHIRE} The nearest one is {km} km away."
    assert nearest_km(warwickshire, first["latitude"], first["longitude"]) == km


def test_without_a_name_the_words_need_none(engine: Engine, make_client) -> None:
    load_sample(engine)
    client = make_client()
    assert places(client, "Birmingham")["message"] == (
        "This app shows Safe Places in one area only. The nearest one is 13 km away."
    )


def test_the_area_name_is_a_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SAFE_PLACES_AREA_NAME", "Warwickshire")
    assert Settings().area_name == "Warwickshire"
    monkeypatch.setenv("SAFE_PLACES_AREA_NAME", "Warwickshire\nCall 0900 000 000")
    with pytest.raises(ValueError, match="area_name"):
        Settings()


def test_the_area_answer_lets_a_phone_tell_outside_from_in(warwickshire: TestClient) -> None:
    response = warwickshire.get("/api/area")
    assert response.status_code == 200
    area = response.json()
    assert area["name"] == "Warwickshire"
    assert area["shows"] == WARWICKSHIRE
    assert area["outside"] == f"{WARWICKSHIRE} The nearest one is {{km}} km away."
    outline = area["outline"]
    assert len(outline) >= 3
    venues = warwickshire.get("/api/venues/offline").json()["venues"]
    assert all(in_outline(outline, v["latitude"], v["longitude"]) for v in venues)
    assert in_outline(outline, *LEAMINGTON)
    assert not in_outline(outline, *BIRMINGHAM)
    # 20 km beyond the area's northern edge: outside, and the nearest is further still.
    top = max(outline, key=lambda corner: corner[0])
    beyond = north_of(*top, 20_000)
    assert not in_outline(outline, *beyond)
    words = area["outside"].format(km=nearest_km(warwickshire, *beyond))
    assert words.startswith(WARWICKSHIRE) and nearest_km(warwickshire, *beyond) >= 20
    # Just inside the widening, it is still home.
    northernmost = max(venues, key=lambda venue: venue["latitude"])
    assert in_outline(outline, *north_of(northernmost["latitude"], northernmost["longitude"], 7000))
    assert response.headers["cache-control"] == "no-cache"


def test_the_area_follows_the_venues(engine: Engine, make_client) -> None:
    manchester = (53.4808, -2.2426)
    load(engine, SAMPLE_CSV.read_text(encoding="utf-8"))
    before = make_client().get("/api/area").json()
    assert not in_outline(before["outline"], *manchester)
    load(engine, HEADER + venue_row("FAR-1", *manchester, town="Manchester", postcode="M1 1AE"))
    after = make_client().get("/api/area").json()
    assert in_outline(after["outline"], *manchester)
    assert places(make_client(), "Manchester")["message"] == ""


def test_with_no_venues_everywhere_is_in(engine: Engine, make_client) -> None:
    area = make_client().get("/api/area").json()
    assert (area["outline"], area["centre"]) == ([], None)
    assert area["shows"] == "This app shows Safe Places in one area only."


# --- the outline itself (pure) ---------------------------------------------------------


def test_the_outline_is_convex_and_holds_every_point() -> None:
    points = [(52.0, -1.0), (52.0, -2.0), (53.0, -2.0), (53.0, -1.0), (52.5, -1.5)]
    hull = convex_outline(points)
    assert sorted(hull) == sorted(points[:4])  # the middle one is inside
    assert all(inside(hull, *point) for point in points)
    assert not inside(hull, 53.1, -1.5)


@pytest.mark.parametrize("towns", [[(52.3, -1.5)], [(52.3, -1.5), (52.5, -1.5)]])
def test_the_widening_reaches_near_m_all_round(towns: list[tuple[float, float]]) -> None:
    """One town, or two: a point or a line grows into an area."""
    outline = widened(convex_outline(towns), NEAR_M)
    for lat, lon in towns:
        for bearing in range(0, 360, 15):
            b = math.radians(bearing)
            step = (NEAR_M - 50) / 6_371_008.8
            near = (
                lat + math.degrees(step * math.cos(b)),
                lon + math.degrees(step * math.sin(b)) / math.cos(math.radians(lat)),
            )
            assert inside(outline, *near), bearing
    assert not inside(outline, *north_of(*max(towns), NEAR_M * 1.1))


def test_an_area_with_no_name_or_no_venues() -> None:
    empty = SchemeArea.around([], None)
    assert empty.contains(*BIRMINGHAM) and empty.outline == ()
    assert empty.outside_words(400) == (
        "This app shows Safe Places in one area only. The nearest one is 1 km away."
    )


def test_the_area_is_worked_out_once_per_snapshot() -> None:
    """Not per request: a search or /api/area reuses it until the venues change."""
    entries = [VenueEntry(1, 52.3, -1.5, None, 0, b"{", "Warwick")]
    first = Snapshot.from_base(VenueBlock.build(entries), revision=1)
    assert area_of(first, "Warwickshire") is area_of(first, "Warwickshire")
    moved = first.with_changes({1: entries[0]._replace(latitude=53.4)}, revision=2)
    assert area_of(moved, "Warwickshire") is not area_of(first, "Warwickshire")
    assert area_of(moved, "Warwickshire").contains(53.4, -1.5)
    assert not area_of(moved, "Warwickshire").contains(52.3, -1.5)
