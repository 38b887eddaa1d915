import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from app.gazetteer.place_names import IN_PLACE_M, Gazetteer
from app.http.errors import FIELD_HELP
from app.routers.places import NORTHERN_IRELAND
from app.venues.geo import distance_m
from tests.conftest import HEADER, load, venue_row

RECORDED = Path(__file__).parent / "recorded"


def names(client: TestClient, query: str) -> list[str]:
    response = client.get("/api/places", params={"q": query})
    assert response.status_code == 200
    return [place["name"] for place in response.json()["places"]]


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("Rugby", "Rugby"),
        ("rugby", "Rugby"),
        ("NUNEATON", "Nuneaton"),
        ("Nuneton", "Nuneaton"),  # a typo
        ("warwik", "Warwick"),
        ("leamington", "Royal Leamington Spa"),
        ("stratford upon avon", "Stratford-upon-Avon"),
        ("Shipston-on-Stour", "Shipston on Stour"),
        ("st albans", "St Albans"),
        ("saint ives", "St Ives"),
    ],
)
def test_towns_are_found_forgivingly(client: TestClient, query: str, first: str) -> None:
    assert names(client, query)[0] == first


def test_a_place_carries_its_position_and_area(client: TestClient) -> None:
    place = client.get("/api/places", params={"q": "Kenilworth"}).json()["places"][0]
    assert place["area"] == "Warwickshire, England"
    assert place["latitude"] == pytest.approx(52.34, abs=0.02)
    assert place["longitude"] == pytest.approx(-1.57, abs=0.02)
    assert place["source"] == "gazetteer"


def test_a_venue_town_missing_from_geonames_is_found(client: TestClient) -> None:
    # GeoNames' table has no Coleshill; the sample venues do.
    response = client.get("/api/places", params={"q": "coleshil"}).json()
    assert response["places"][0]["name"] == "Coleshill"
    assert response["places"][0]["source"] == "venue_town"
    assert response["places"][0]["area"] == "Warwickshire, England"  # from a nearby place


def test_a_venue_postcode_and_district_are_found(engine: Engine, make_client) -> None:
    # Code-Point Open has no Northern Ireland: a scheme's own BT venues still answer.
    load(
        engine,
        HEADER
        + venue_row("P-1", 54.5960, -5.9300, town="Belfast", postcode="BT1 5GS")
        + venue_row("P-2", 54.5980, -5.9320, town="Belfast", postcode="BT1 6DN"),
    )
    client = make_client()
    [place] = client.get("/api/places", params={"q": "bt1 5gs"}).json()["places"]
    assert (place["name"], place["latitude"], place["source"]) == (
        "BT1 5GS",
        54.596,
        "venue_postcode",
    )
    assert place["near"] == "Belfast"
    [district] = client.get("/api/places", params={"q": "BT1"}).json()["places"]
    assert district["latitude"] == pytest.approx(54.597)


GAZETTEER = Path(__file__).resolve().parent.parent / "data" / "gb_places.csv"
# 52.2197, -1.5157: between villages; Harbury's centre is 4.4 km away.
NEAREST_TO_CV35_0AA = "Harbury"


@pytest.mark.parametrize(
    ("query", "near", "inside"),
    [
        ("CV34 4AB", "Warwick", True),
        ("cv114au", "Nuneaton", True),
        ("CV37 6QW", "Stratford-upon-Avon", True),
        ("CV35 0AA", NEAREST_TO_CV35_0AA, False),  # over 3 km from every town: how far
    ],
)
def test_a_postcode_names_its_nearest_town_and_how_far(
    client: TestClient, query: str, near: str, inside: bool
) -> None:
    [place] = client.get("/api/places", params={"q": query}).json()["places"]
    assert place["near"] == near
    assert (place["near_m"] <= IN_PLACE_M) is inside
    # The distance is the gazetteer's own centre's, worked out again here.
    centre = next(p for p in Gazetteer.from_csv(GAZETTEER).places if p.name == near)
    metres = distance_m(place["latitude"], place["longitude"], centre.latitude, centre.longitude)
    assert place["near_m"] == pytest.approx(metres, abs=1)
    assert place["area"] == "Warwickshire, England"
    # A name is its own place: nothing to add.
    assert client.get("/api/places", params={"q": "Warwick"}).json()["places"][0]["near"] == ""


def test_nothing_found_is_an_empty_list(client: TestClient) -> None:
    assert names(client, "xqzxqz") == []
    assert names(client, "ZZ9 9ZZ") == []  # a postcode shape that no venue has


@pytest.mark.parametrize(
    ("query", "problem"),
    [
        ("", "q must be at least 2 characters."),
        ("x" * 201, "q must be at most 200 characters."),
    ],
)
def test_bad_queries_get_a_422(client: TestClient, query: str, problem: str) -> None:
    response = client.get("/api/places", params={"q": query})
    assert response.status_code == 422
    assert response.json()["message"] == f"{problem} {FIELD_HELP['q']}"


def test_spaces_around_a_query_are_ignored(client: TestClient) -> None:
    assert names(client, "  Rugby" + " " * 150)[0] == "Rugby"
    assert names(client, " a ") == []


def test_a_guessed_spelling_is_marked_close(client: TestClient) -> None:
    [exact] = client.get("/api/places", params={"q": "Rugby"}).json()["places"][:1]
    [close] = client.get("/api/places", params={"q": "Nuneton"}).json()["places"][:1]
    assert (exact["match"], close["match"]) == ("exact", "close")


def test_no_far_away_lookalikes_for_a_town_we_do_not_know(client: TestClient) -> None:
    assert names(client, "Polesworth") == []  # not Halesworth, not Holsworthy


def test_a_postcode_answer_is_never_cached(client: TestClient) -> None:
    response = client.get("/api/places", params={"q": "CV34 4AB"})
    assert response.headers["cache-control"] == "no-store"


class RecordedNominatim(BaseHTTPRequestHandler):
    """Plays back a response recorded from Nominatim's /search for a postcode."""

    def do_GET(self) -> None:
        body = (RECORDED / "nominatim_cv34_4rl.json").read_bytes()
        self.server.requests.append(self.path)  # type: ignore[attr-defined]
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args: object) -> None:
        pass


@pytest.fixture
def nominatim() -> Iterator[ThreadingHTTPServer]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), RecordedNominatim)
    server.requests = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()


def test_postcodes_the_table_lacks_use_the_online_geocoder_when_configured(
    engine: Engine, make_client, nominatim: ThreadingHTTPServer
) -> None:
    domain = f"127.0.0.1:{nominatim.server_address[1]}"
    client = make_client(geocoder="nominatim", geocoder_domain=domain, geocoder_scheme="http")
    # The playback answers every question with CV34 4RL's recorded answer: this checks
    # what is asked (a Northern Irish postcode, which Code-Point Open lacks) and how
    # the answer is read, not what Nominatim knows.
    answer = client.get("/api/places", params={"q": "BT1 5GS"}).json()
    [place] = answer["places"]
    recorded = json.loads((RECORDED / "nominatim_cv34_4rl.json").read_text())[0]
    assert place["latitude"] == pytest.approx(float(recorded["lat"]))
    assert place["longitude"] == pytest.approx(float(recorded["lon"]))
    assert place["source"] == "geocoder"
    assert answer["attribution"] == "Data © OpenStreetMap contributors, ODbL 1.0"
    assert "postalcode=BT1+5GS" in nominatim.requests[0]  # type: ignore[attr-defined]
    assert "countrycodes=gb" in nominatim.requests[0]  # type: ignore[attr-defined]


def test_a_postcode_in_the_table_never_goes_online(
    engine: Engine, make_client, nominatim: ThreadingHTTPServer
) -> None:
    domain = f"127.0.0.1:{nominatim.server_address[1]}"
    client = make_client(geocoder="nominatim", geocoder_domain=domain, geocoder_scheme="http")
    for typed in ("CV34 4RL", "cv344rl", "CV34"):
        [place] = client.get("/api/places", params={"q": typed}).json()["places"]
        assert place["source"] == "postcode"
    assert nominatim.requests == []  # type: ignore[attr-defined]


def test_the_online_geocoder_is_off_by_default(client: TestClient) -> None:
    answer = client.get("/api/places", params={"q": "BT1 5GS"}).json()
    # Said only when no geocoder could have been asked.
    assert (answer["places"], answer["message"]) == ([], NORTHERN_IRELAND)
