"""Officers bring the county's list in and take it out, through the API."""

from datetime import datetime
from uuid import UUID

import orjson
import pytest
from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError

from app.hours import LONDON
from app.routers import venue_files
from app.venues.venue_file import read_venue_file
from tests.conftest import HEADER, load, venue_row
from tests.people import add_account, cheap_hashing, token_headers  # noqa: F401

pytestmark = pytest.mark.usefixtures("cheap_hashing")
CSV = {"Content-Type": "text/csv"}


@pytest.fixture
def officer(engine: Engine, make_client):
    load(
        engine,
        HEADER
        + venue_row("A-1", 52.28, -1.58, phone="01632 960001")
        + venue_row("B-1", 52.29, -1.59, opening_hours="Mo-Fr 09:00-17:00; Sa 10:00-13:00"),
    )
    client = make_client()
    add_account(engine, "officer@example.org", "officer")
    add_account(engine, "a@example.org", "staff", ("A-1",))
    return client, {**token_headers(client, "officer@example.org"), **CSV}


def first_id(client) -> int:
    """Venue A-1's id: the nearest to where it is."""
    return client.get("/api/venues/nearest?lat=52.28&lon=-1.58").json()["venues"][0]["id"]


def refs(client) -> set[str]:
    found = client.get("/api/venues/nearest", params={"lat": 52.28, "lon": -1.58, "limit": 50})
    return {venue["ref"] for venue in found.json()["venues"]}


def test_a_dry_run_says_what_would_change_and_changes_nothing(officer) -> None:
    client, headers = officer
    file = (
        HEADER
        + venue_row("A-1", 52.28, -1.58, phone="01632 960099")
        + venue_row("C-1", 52.27, -1.57)
    )
    response = client.post("/api/venues/import?dry_run=true", content=file, headers=headers)
    assert response.status_code == 200, response.text
    assert response.json() == {
        "dry_run": True,
        "added": 1,
        "updated": 1,
        "unchanged": 0,
        "message": "Would import 1 new, 1 changed, 0 unchanged; nothing was written (dry run).",
    }
    assert refs(client) == {"A-1", "B-1"}

    done = client.post("/api/venues/import", content=file, headers=headers)
    assert done.json()["added"] == 1 and done.json()["dry_run"] is False
    assert refs(client) == {"A-1", "B-1", "C-1"}  # nearest look-ups see it at once


def test_an_import_is_recorded_as_the_officers(officer, engine: Engine) -> None:
    client, headers = officer
    file = HEADER + venue_row("A-1", 52.28, -1.58, phone="01632 960099")
    assert client.post("/api/venues/import", content=file, headers=headers).status_code == 200
    a = next(
        v["id"] for v in client.get("/api/venues/nearest?lat=52.28&lon=-1.58").json()["venues"]
    )
    change = client.get(f"/api/venues/{a}/history", headers=headers).json()[0]
    assert change["changed_by"] == "officer@example.org"
    assert (change["old_value"], change["new_value"]) == ("01632 960001", "01632 960099")


def test_a_bad_file_is_refused_whole_with_every_line_named(officer) -> None:
    client, headers = officer
    file = (
        HEADER
        + venue_row("C-1", 52.27, -1.57)
        + venue_row("D-1", 40.0, -1.57)
        + venue_row("E-1", 52.27, -1.57, opening_hours="whenever")
    )
    response = client.post("/api/venues/import?dry_run=false", content=file, headers=headers)
    assert response.status_code == 422
    body = response.json()
    assert [problem["line"] for problem in body["detail"]] == [3, 4]
    assert body["message"].startswith("Nothing was imported. Put right 2 problem(s): line 3:")
    assert refs(client) == {"A-1", "B-1"}


@pytest.mark.parametrize(
    ("body", "status", "words"),
    [
        (b"", 422, "the file is empty"),
        (b"\xff\xfe\x00n\x00a\x00m\x00e", 422, "not UTF-8"),
        (b"name,colour\nx,blue\n", 422, "ref"),
    ],
    ids=["empty", "utf-16", "wrong-columns"],
)
def test_files_that_are_not_venue_files_say_why(officer, body: bytes, status: int, words) -> None:
    client, headers = officer
    response = client.post("/api/venues/import", content=body, headers=headers)
    assert response.status_code == status
    assert words in response.json()["message"]


def test_a_huge_file_is_refused_by_its_declared_length(officer) -> None:
    client, headers = officer
    too_big = {**headers, "Content-Length": str(10 * 1024 * 1024 + 1)}
    assert client.post("/api/venues/import", content=b"x", headers=too_big).status_code == 413


def test_only_officers_import_and_export(officer) -> None:
    client, _headers = officer
    staff = token_headers(client, "a@example.org")
    file = HEADER + venue_row("C-1", 52.27, -1.57)
    assert client.post("/api/venues/import", content=file, headers=CSV).status_code == 401
    assert client.post("/api/venues/import", content=file, headers=staff).status_code == 403
    assert client.get("/api/venues/export").status_code == 401
    assert client.get("/api/venues/export", headers=staff).status_code == 403
    assert refs(client) == {"A-1", "B-1"}


def test_the_csv_export_reads_back_as_the_same_venues(officer) -> None:
    client, headers = officer
    response = client.get("/api/venues/export", headers=headers)
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"].startswith('attachment; filename="safe-places-')
    rows = read_venue_file(response.content)
    assert [row["ref"] for row in rows] == ["A-1", "B-1"]
    again = client.post("/api/venues/import", content=response.content, headers=headers)
    assert again.json()["unchanged"] == 2  # the round trip changes nothing


def test_a_withdrawn_venue_is_left_out_of_exports(officer) -> None:
    client, headers = officer
    a = next(
        v["id"] for v in client.get("/api/venues/nearest?lat=52.28&lon=-1.58").json()["venues"]
    )
    etag = client.get(f"/api/venues/{a}/listing", headers=headers).headers["etag"]
    client.post(f"/api/venues/{a}/withdraw", headers={**headers, "If-Match": etag})
    for format in ("csv", "geojson", "openreferral"):
        body = client.get(f"/api/venues/export?format={format}", headers=headers).text
        assert "A-1" not in body and "B-1" in body


def test_the_geojson_export_is_rfc_7946(officer) -> None:
    client, headers = officer
    response = client.get("/api/venues/export?format=geojson", headers=headers)
    assert response.headers["content-type"] == "application/geo+json"
    collection = orjson.loads(response.content)
    assert collection["type"] == "FeatureCollection"
    first = collection["features"][0]
    assert first["geometry"] == {"type": "Point", "coordinates": [-1.58, 52.28]}  # lon, lat
    assert first["properties"]["ref"] == "A-1"
    assert "crs" not in collection  # RFC 7946 removed it: WGS84 always


def test_the_open_referral_export_has_the_oruk_shape(officer, clock) -> None:
    client, headers = officer
    clock.now = datetime(2027, 1, 5, 12, 0, tzinfo=LONDON)  # a Tuesday
    response = client.get("/api/venues/export?format=openreferral", headers=headers)
    assert response.status_code == 200
    page = orjson.loads(response.content)
    assert (page["total_items"], page["page_number"], page["empty"]) == (2, 1, False)
    a, b = page["contents"]
    for service in (a, b):
        assert {"id", "name", "status"} <= set(service)  # ORUK's required fields
        UUID(service["id"])
        assert service["status"] == "active"
    location = a["service_at_locations"][0]["location"]
    assert (location["latitude"], location["longitude"]) == (52.28, -1.58)
    assert location["addresses"][0]["postal_code"] == "CV34 4AB"
    assert location["external_identifier"] == "A-1"
    assert a["phones"][0]["number"] == "01632 960001"
    assert {entry["description"] for entry in location["accessibility"]} == {
        "Step-free entrance",
        "No quiet space",
    }
    days = {(s["byday"], s["opens_at"], s["closes_at"]) for s in b["schedules"]}
    assert days == {  # UK time, with its offset from UTC (winter: +00:00)
        *((day, "09:00+00:00", "17:00+00:00") for day in ("MO", "TU", "WE", "TH", "FR")),
        ("SA", "10:00+00:00", "13:00+00:00"),
    }
    assert b["schedules"][0]["valid_from"] == "2027-01-05"
    again = orjson.loads(
        client.get("/api/venues/export?format=openreferral", headers=headers).content
    )
    assert again["contents"][0]["id"] == a["id"]  # ids are stable between exports


def test_an_unknown_format_is_refused_plainly(officer) -> None:
    client, headers = officer
    response = client.get("/api/venues/export?format=xlsx", headers=headers)
    assert response.status_code == 422
    assert "format" in response.json()["message"]


def test_a_file_sent_as_a_form_is_told_to_send_the_file_itself(officer) -> None:
    client, headers = officer
    auth = {"Authorization": headers["Authorization"]}
    file = HEADER + venue_row("C-1", 52.27, -1.57)
    response = client.post("/api/venues/import", headers=auth, files={"file": ("v.csv", file)})
    assert response.status_code == 415
    assert "not as a form" in response.json()["message"]
    assert refs(client) == {"A-1", "B-1"}


def test_an_import_racing_another_change_is_a_plain_409(officer, monkeypatch) -> None:
    client, headers = officer

    def clash(*_args, **_kwargs):
        raise IntegrityError("INSERT INTO venue", {}, Exception("UNIQUE constraint failed"))

    monkeypatch.setattr(venue_files, "import_venue_file", clash)
    file = HEADER + venue_row("C-1", 52.27, -1.57)
    response = client.post("/api/venues/import", content=file, headers=headers)
    assert response.status_code == 409
    assert response.json()["message"] == (
        "Nothing was imported: someone changed the venues at the same time. Try again."
    )
