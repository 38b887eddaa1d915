"""Open Referral UK: the export and the live feed, against the official HSDS-UK 3.0 schemas.

The schemas are OpenReferralUK/uk-profile's own, vendored at a pinned commit in
tests/data/oruk/ (see its README). Every answer is validated the way the ORUK
openapi.json says, with JSON Schema 2020-12 and format checking on.
"""

import json
import uuid
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012
from sqlalchemy import Engine, update
from sqlmodel import Session

from app.hours import LONDON
from app.models import Venue
from tests.conftest import HEADER, load, load_sample, venue_row
from tests.people import add_account, cheap_hashing, token_headers  # noqa: F401
from tests.servers import safe_places

pytestmark = pytest.mark.usefixtures("cheap_hashing")

SCHEMAS = Path(__file__).parent / "data" / "oruk"
# Where ORUK's openapi.json says its schemas are; mapped to the vendored copies.
UPSTREAM = "https://raw.githubusercontent.com/openreferral/uk-profile/main/schema/"
OPENAPI = UPSTREAM + "openapi.json"
ANSWER = "/get/responses/200/content/application~1json/schema"
SAMPLE_VENUES = 113
WEEK = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def _registry() -> Registry:
    files = {
        OPENAPI: "openapi.json",
        UPSTREAM + "compiled/service.json": "service.json",
        UPSTREAM + "compiled/service_list.json": "service_list.json",
    }
    return Registry().with_resources(
        (
            uri,
            Resource.from_contents(
                json.loads((SCHEMAS / name).read_text(encoding="utf-8")),
                default_specification=DRAFT202012,
            ),
        )
        for uri, name in files.items()
    )


REGISTRY = _registry()


def validator(path: str) -> Draft202012Validator:
    """The schema ORUK's openapi.json gives for a 200 answer at `path`."""
    pointer = path.replace("~", "~0").replace("/", "~1")
    return Draft202012Validator(
        {"$ref": f"{OPENAPI}#/paths/{pointer}{ANSWER}"},
        registry=REGISTRY,
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )


API_DETAILS = validator("/")
PAGE = validator("/services")
SERVICE = validator("/services/{id}")


def violations(schema: Draft202012Validator, instance: Any) -> list[str]:
    """Every violation, by where it is: `$.contents[3].url: '' is not a 'uri'`."""
    return sorted(f"{error.json_path}: {error.message}" for error in schema.iter_errors(instance))


def page_violations(page: dict[str, Any]) -> list[str]:
    """The page as a list answer, and each service in it as a fully nested one."""
    found = violations(PAGE, page)
    for number, service in enumerate(page["contents"]):
        found += [f"$.contents[{number}]{where[1:]}" for where in violations(SERVICE, service)]
    return found


def officer_headers(engine: Engine, client: TestClient) -> dict[str, str]:
    add_account(engine, "officer@example.org", "officer")
    return token_headers(client, "officer@example.org")


def export(client: TestClient, headers: dict[str, str]) -> dict[str, Any]:
    response = client.get("/api/venues/export?format=openreferral", headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def feed_services(client: TestClient, per_page: int = 100) -> list[dict[str, Any]]:
    """Every service in the feed, page by page, each page checked on the way."""
    services: list[dict[str, Any]] = []
    page_number = 1
    while True:
        page = client.get(f"/openreferral/services?page={page_number}&per_page={per_page}")
        assert page.status_code == 200, page.text
        body = page.json()
        assert page_violations(body) == []
        services += body["contents"]
        if body["last_page"]:
            return services
        page_number += 1


def set_venue(engine: Engine, ref: str, **values: object) -> None:
    with Session(engine) as session:
        session.execute(update(Venue).where(Venue.ref == ref).values(**values))  # type: ignore[arg-type]
        session.commit()


@pytest.fixture
def small(engine: Engine, make_client, clock) -> TestClient:
    """Two venues near Warwick, on a winter Tuesday."""
    load(
        engine,
        HEADER
        + venue_row("A-1", 52.28, -1.58, phone="01632 960001", website="https://example.org/a")
        + venue_row("B-1", 52.29, -1.59, opening_hours="Mo-Fr 09:00-17:00; Sa 10:00-13:00"),
    )
    clock.now = datetime(2027, 1, 5, 12, 0, tzinfo=LONDON)
    return make_client()


def test_the_schemas_are_strict_about_formats_and_required_fields() -> None:
    broken = {
        "id": "not-a-uuid",
        "name": "Safe Place: X",
        "status": "open",
        "url": "",
        "assured_date": None,
        "organization": {"id": str(uuid.uuid4()), "name": "X"},
        "last_modified": "2027-01-05 12:00",
    }
    assert violations(SERVICE, broken) == [
        "$.assured_date: None is not of type 'string'",
        "$.id: 'not-a-uuid' is not a 'uuid'",
        "$.last_modified: '2027-01-05 12:00' is not a 'date-time'",
        "$.organization: 'description' is a required property",
        "$.status: 'open' is not one of ['active', 'inactive', 'defunct', 'temporarily closed']",
        "$.url: '' is not a 'uri'",
    ]


def test_the_officers_export_of_the_sample_is_valid(engine: Engine, client: TestClient) -> None:
    page = export(client, officer_headers(engine, client))
    assert page["total_items"] == len(page["contents"]) == SAMPLE_VENUES
    assert page_violations(page) == []


def test_the_command_line_gives_the_feeds_services(
    engine: Engine, database_url: str, make_client
) -> None:
    load_sample(engine)
    result = safe_places("export", "--format", "openreferral", database_url=database_url)
    assert result.returncode == 0, result.stderr
    page = json.loads(result.stdout)
    assert page_violations(page) == []
    assert page["contents"] == feed_services(make_client())


def test_every_page_of_the_feed_is_valid(client: TestClient) -> None:
    details = client.get("/openreferral/")
    assert details.status_code == 200
    assert violations(API_DETAILS, details.json()) == []
    assert details.json() == {
        "version": "HSDS-UK-3.0",
        "profile": "https://github.com/OpenReferralUK/uk-profile",
        "openapi_url": "http://testserver/openapi.json",
    }
    services = feed_services(client, per_page=25)
    ids = [service["id"] for service in services]
    assert len(set(ids)) == len(ids) == SAMPLE_VENUES
    for service in services:
        one = client.get(f"/openreferral/services/{service['id']}")
        assert one.status_code == 200
        assert one.json() == service
        assert violations(SERVICE, one.json()) == []


def test_pages_say_where_they_are(client: TestClient) -> None:
    def page(query: str) -> dict[str, Any]:
        response = client.get(f"/openreferral/services?{query}")
        assert response.status_code == 200, response.text
        body = response.json()
        return {key: value for key, value in body.items() if key != "contents"}

    shape = ("total_items", "total_pages", "page_number", "size", "first_page", "last_page")
    first = page("")
    assert [first[key] for key in shape] == [SAMPLE_VENUES, 3, 1, 50, True, False]
    last = page("page=3")
    assert [last[key] for key in shape] == [SAMPLE_VENUES, 3, 3, 13, False, True]
    one = page("page=113&per_page=1")
    assert [one[key] for key in shape] == [SAMPLE_VENUES, 113, 113, 1, False, True]
    beyond = page("page=4")
    assert [beyond[key] for key in shape] == [SAMPLE_VENUES, 3, 4, 0, False, True]
    assert beyond["empty"] is True and first["empty"] is False
    assert page(f"page={10**30}")["size"] == 0


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("page=0", "page must be 1 or more."),
        ("per_page=0", "per_page must be 1 or more."),
        ("per_page=101", "per_page must be 100 or less."),
        ("page=two", "page must be a whole number."),
    ],
)
def test_bad_paging_is_refused_plainly(client: TestClient, query: str, message: str) -> None:
    response = client.get(f"/openreferral/services?{query}")
    assert response.status_code == 422
    assert response.json()["message"] == message
    assert response.headers["access-control-allow-origin"] == "*"


def test_every_answer_is_open_to_any_web_page(client: TestClient) -> None:
    some_id = client.get("/openreferral/services?per_page=1").json()["contents"][0]["id"]
    for path in (
        "/openreferral/",
        "/openreferral/services",
        f"/openreferral/services/{some_id}",
        f"/openreferral/services/{uuid.uuid4()}",
        "/openreferral/services?page=0",
    ):
        response = client.get(path)
        assert response.headers["access-control-allow-origin"] == "*", path


@pytest.mark.parametrize(
    ("service", "status", "message"),
    [
        # A fixed version-4 id (ours are version 5): a test must keep its name between runs.
        ("0b5c6a3e-2f1d-4e8a-9b7c-1d2e3f4a5b6c", 404, "There is no service with id "),
        ("not-an-id", 404, "There is no service with id not-an-id in this feed."),
        ("x" * 101, 422, "id must be at most 100 characters."),
    ],
)
def test_an_unknown_service_is_a_plain_error(
    client: TestClient, service: str, status: int, message: str
) -> None:
    response = client.get(f"/openreferral/services/{service}")
    assert response.status_code == status
    assert response.json()["message"].startswith(message)


def test_a_withdrawn_venue_is_left_out(engine: Engine, small: TestClient) -> None:
    a_id, b_id = (service["id"] for service in feed_services(small))
    set_venue(engine, "A-1", active=False)
    assert [service["id"] for service in feed_services(small)] == [b_id]
    assert small.get(f"/openreferral/services/{a_id}").status_code == 404
    exported = export(small, officer_headers(engine, small))
    assert [service["id"] for service in exported["contents"]] == [b_id]


def test_a_temporarily_closed_venue_says_so(engine: Engine, small: TestClient) -> None:
    set_venue(engine, "B-1", closed_until=date(2027, 1, 8))  # opens again on Friday
    b = feed_services(small)[1]
    assert b["status"] == "temporarily closed"
    assert b["alert"] == "Closed until Friday 8 January 2027."
    assert [schedule["byday"] for schedule in b["schedules"]] == ["FR", "SA", "MO"]
    set_venue(engine, "B-1", closed_until=date(2027, 1, 5))  # lapsed today
    b = feed_services(small)[1]
    assert b["status"] == "active" and "alert" not in b


def test_ids_stay_the_same_across_exports_and_edits(engine: Engine, small: TestClient) -> None:
    def ids(services: list[dict[str, Any]]) -> list[tuple[str, ...]]:
        return [
            (
                service["id"],
                service["organization"]["id"],
                service["service_at_locations"][0]["location"]["id"],
            )
            for service in services
        ]

    headers = officer_headers(engine, small)
    before = ids(export(small, headers)["contents"])
    set_venue(engine, "A-1", name="Renamed", phone="01632 960002")
    assert ids(export(small, headers)["contents"]) == before == ids(feed_services(small))


def test_known_values_only_and_no_nulls(engine: Engine, small: TestClient) -> None:
    a, b = feed_services(small)
    assert a["url"] == a["organization"]["website"] == "https://example.org/a"
    assert "url" not in b and "website" not in b["organization"]
    assert "assured_date" not in a  # never checked
    set_venue(engine, "A-1", last_checked=date(2026, 12, 14))
    a, b = feed_services(small)
    assert a["assured_date"] == "2026-12-14"
    assert a["last_modified"].endswith("Z")
    address = a["service_at_locations"][0]["location"]["addresses"][0]
    assert (address["city"], address["state_province"], address["country"]) == (
        "Warwick",
        "Warwickshire",
        "GB",
    )
    assert a["organization"]["description"].startswith("Shop in Warwick, and a Safe Place")
    assert "null" not in json.dumps([a, b])


@pytest.mark.parametrize(
    ("hours", "when", "expected"),
    [
        # Winter: UTC; a night cut at midnight, its morning on the next day.
        (
            "Fr,Sa 21:00-03:00",
            datetime(2027, 1, 4, 12, 0, tzinfo=LONDON),
            [
                ("FR", "21:00+00:00", "24:00+00:00"),
                ("SA", "00:00+00:00", "03:00+00:00"),
                ("SA", "21:00+00:00", "24:00+00:00"),
                ("SU", "00:00+00:00", "03:00+00:00"),
            ],
        ),
        # Summer: British Summer Time; open all day, every day.
        (
            "24/7",
            datetime(2027, 7, 5, 12, 0, tzinfo=LONDON),
            [(day, "00:00+01:00", "24:00+01:00") for day in WEEK],
        ),
        # The clocks go forward on Sunday 28 March 2027: that day ends at +01:00.
        (
            "Su 18:00-24:00",
            datetime(2027, 3, 22, 12, 0, tzinfo=LONDON),
            [("SU", "18:00+01:00", "24:00+01:00")],
        ),
    ],
)
def test_schedules_carry_their_offset_from_utc(
    engine: Engine, make_client, clock, hours: str, when: datetime, expected: list
) -> None:
    load(engine, HEADER + venue_row("N-1", 52.28, -1.58, opening_hours=hours))
    clock.now = when
    (service,) = feed_services(make_client())
    got = [(s["byday"], s["opens_at"], s["closes_at"]) for s in service["schedules"]]
    assert got == expected
    assert {s["valid_from"] for s in service["schedules"]} == {when.date().isoformat()}
