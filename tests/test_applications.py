"""Joining the scheme, on both databases: a venue applies (public, throttled, checked like
the venue file, placed at its postcode), nothing of it is public until an officer
approves it, approval makes the venue and its staff account once, and vetting is for
officers' eyes only. Every new route x every kind of caller."""

import re
from datetime import date, datetime, timedelta
from http.server import ThreadingHTTPServer
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from app.hours import LONDON
from app.models import Account, AccountVenue, Venue
from app.venues import applications as rules
from tests.callers import Site, answered, cells
from tests.conftest import HEADER, Clock, load, venue_row
from tests.people import (
    PASSWORD,
    cheap_hashing,  # noqa: F401  (a fixture)
    token_headers,
)
from tests.test_api_places import nominatim  # noqa: F401  (a fixture)

# Leamington Spa, by the Parade (Code-Point Open puts CV32 4AA at 52.287064, -1.534409).
APPLYING = {
    "name": "Parade Books",
    "category": "shop",
    "address": "12 The Parade",
    "town": "Leamington Spa",
    "postcode": "cv32 4aa",
    "phone": "01632 960123",
    "opening_hours": "Mo-Sa 09:00-17:30",
    "easy_read": "This is a book shop. Staff here can help you.",
    "step_free": True,
    "contact_name": "Sam Patel",
    "contact_email": "Sam@ParadeBooks.example",
    "contact_phone": "01632 960124",
    "trained_staff": 3,
    "training_date": "2026-11-02",
}
CV32_4AA = (52.287064, -1.534409)

pytestmark = pytest.mark.usefixtures("cheap_hashing")


@pytest.fixture
def site(engine: Engine, make_client) -> Site:
    return Site(engine, make_client)


def apply(site: Site, **changes: Any):
    return site.client.post("/api/applications", json={**APPLYING, **changes})


def applied(site: Site, **changes: Any) -> int:
    sent = apply(site, **changes)
    assert sent.status_code == 201, sent.text
    return sent.json()["id"]


def officer(site: Site) -> dict[str, str]:
    return site.callers["officer"]


def near_parade(site: Site) -> list[str]:
    lat, lon = CV32_4AA
    found = site.client.get(f"/api/venues/nearest?lat={lat}&lon={lon}&limit=50").json()
    return [venue["name"] for venue in found["venues"]]


def offline_names(site: Site) -> list[str]:
    return [venue["name"] for venue in site.client.get("/api/venues/offline").json()["venues"]]


def test_a_venue_applies_and_is_public_only_once_approved(site: Site, engine: Engine) -> None:
    sent = apply(site)
    assert sent.status_code == 201
    answer = sent.json()
    assert set(answer) == {"id", "message"}
    assert answer["message"].startswith("Thank you.")
    assert "Parade Books" not in near_parade(site)
    assert "Parade Books" not in offline_names(site)
    editable = site.client.get("/api/venues/editable", headers=officer(site)).json()
    assert "Parade Books" not in [venue["name"] for venue in editable]

    shown = site.client.get(f"/api/applications/{answer['id']}", headers=officer(site)).json()
    assert shown["status"] == "new"
    assert shown["contact_email"] == "sam@paradebooks.example"
    assert shown["venue"]["postcode"] == "CV32 4AA"
    assert (shown["venue"]["latitude"], shown["venue"]["longitude"]) == CV32_4AA
    assert shown["enough_trained_staff"] is True and shown["min_trained_staff"] == 2
    # The hours as people would see them, for the officer to check before approving.
    week = shown["opening_week"]
    assert len(week) == 7 and all(re.fullmatch(r"\w+day \d+ \w+: .+", line) for line in week)
    assert any(line.startswith("Monday") and line.endswith(": 9am to 5:30pm") for line in week)
    assert any(line.startswith("Sunday") and line.endswith(": Closed") for line in week), week

    approved = site.client.post(f"/api/applications/{answer['id']}/approve", headers=officer(site))
    assert approved.status_code == 200, approved.text
    approval = approved.json()
    assert approval["venue_ref"] == f"APP-{answer['id']}"
    assert approval["account_created"] is True
    assert approval["account_email"] == "sam@paradebooks.example"
    password = approval["one_time_password"]
    assert len(password) >= 12
    assert approval["application"]["status"] == "approved"
    assert approval["application"]["venue_id"] == approval["venue_id"]
    assert "Parade Books is now a Safe Place." in approval["message"]

    venue_id = approval["venue_id"]
    assert "Parade Books" in near_parade(site)  # the catalogue was refreshed at once
    assert "Parade Books" in offline_names(site)
    page = site.client.get(f"/api/venues/{venue_id}").json()
    assert page["opening_hours"] == "Mo-Sa 09:00-17:30" and page["step_free"] is True
    history = site.client.get(f"/api/venues/{venue_id}/history", headers=officer(site)).json()
    assert {change["field"] for change in history} >= {"ref", "name", "postcode", "latitude"}
    vetting = site.client.get(f"/api/venues/{venue_id}/vetting", headers=officer(site)).json()
    assert vetting["trained_staff"] == 3 and vetting["training_date"] == "2026-11-02"
    assert vetting["police_check_date"] is None and vetting["sticker_given"] is False

    # The new staff member signs in with the one-time password, and must choose their own.
    staff = token_headers(site.client, "sam@paradebooks.example", password)
    me = site.client.get("/api/me", headers=staff).json()
    assert me["must_change_password"] is True and me["venue_ids"] == [venue_id]
    assert site.client.get("/api/venues/editable", headers=staff).status_code == 403
    chose = site.client.post(
        "/api/auth/password",
        headers=staff,
        json={"current_password": password, "new_password": "my own long password"},
    )
    assert chose.status_code == 200
    mine = {"Authorization": f"Bearer {chose.json()['access_token']}"}
    editable = site.client.get("/api/venues/editable", headers=mine).json()
    assert [venue["id"] for venue in editable] == [venue_id]
    # The password is in that one answer: nothing shows it again.
    again = site.client.get(f"/api/applications/{answer['id']}", headers=officer(site))
    assert password not in again.text


def test_a_position_sent_is_kept_and_a_postcode_not_found_is_refused(site: Site) -> None:
    placed = applied(site, latitude=52.2881, longitude=-1.5361)
    venue = site.client.get(f"/api/applications/{placed}", headers=officer(site)).json()["venue"]
    assert (venue["latitude"], venue["longitude"]) == (52.2881, -1.5361)

    unknown = apply(site, postcode="ZZ99 9ZZ")
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["field"] == "postcode"
    assert unknown.json()["message"] == (
        "We cannot find the postcode ZZ99 9ZZ. Check it: it is on your place's letters."
    )
    half = apply(site, latitude=52.2881)
    assert half.status_code == 422
    assert half.json()["errors"][0]["field"] == "longitude"
    assert "Give latitude and longitude both, or neither" in half.json()["message"]
    not_a_postcode = apply(site, postcode="NOWHERE")
    assert not_a_postcode.status_code == 422
    assert not_a_postcode.json()["errors"][0]["field"] == "postcode"


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"name": '=HYPERLINK("http://x")'}, "name", "a spreadsheet would run it"),
        ({"address": "@SUM(A1)"}, "address", "a spreadsheet would run it"),
        ({"contact_name": "+Sam"}, "contact_name", "a spreadsheet would run it"),
        ({"contact_name": "Sam\x00"}, "contact_name", "control character"),
        ({"town": "Leam\x07"}, "town", "control character"),
        ({"contact_name": "Sam\u202e"}, "contact_name", "invisible mark"),
        ({"contact_phone": "call me"}, "contact_phone", "must be a phone number"),
        ({"phone": "-1632-960001"}, "phone", "must be a phone number"),
        ({"opening_hours": "whenever"}, "opening_hours", ""),
        # As a shopkeeper writes it: read as written, open from 9am to 5am.
        ({"opening_hours": "Mo-Fr 9-5; Sa 10-4"}, "opening_hours", "write 09:00-17:00"),
        ({"website": "javascript:alert(1)"}, "website", "must start with https://"),
        ({"category": "nightclub"}, "category", ""),
        ({"contact_email": "not an email"}, "contact_email", ""),
        ({"trained_staff": -1}, "trained_staff", "must be 0 or more"),
        ({"trained_staff": "3"}, "trained_staff", ""),
        ({"training_date": "2099-01-01"}, "training_date", "must be a day that has passed"),
        (
            {"training_date": str(date.today() + timedelta(days=30))},
            "training_date",
            "must be a day that has passed",
        ),
        ({"training_date": "1900-01-01"}, "training_date", "within the last 10 years"),
        ({"contact_phone": "=1+2"}, "contact_phone", "must be a phone number"),
        ({"ref": "MINE-1"}, "ref", ""),
        ({"name": ""}, "name", ""),
    ],
)
def test_bad_values_are_refused_with_words_beside_their_field(
    site: Site, changes: dict[str, Any], field: str, words: str
) -> None:
    sent = apply(site, **changes)
    assert sent.status_code == 422, sent.text
    answer = sent.json()
    assert field in [error["field"] for error in answer["errors"]]
    assert words in answer["message"]
    assert site.client.get("/api/applications", headers=officer(site)).json() == []


def test_a_contact_phone_may_start_with_a_plus_and_training_may_be_today(site: Site) -> None:
    sent = apply(site, contact_phone="+44 7700 900123", training_date=str(date.today()))
    assert sent.status_code == 201, sent.text
    [listed] = site.client.get("/api/applications", headers=officer(site)).json()
    assert listed["contact_phone"] == "+44 7700 900123"


def test_every_problem_is_told_at_once(site: Site) -> None:
    sent = apply(site, name="=X", contact_phone="no", opening_hours="whenever")
    assert sent.status_code == 422
    fields = {error["field"] for error in sent.json()["errors"]}
    assert fields == {"name", "contact_phone", "opening_hours"}


def test_a_postcode_not_found_is_told_with_every_other_problem(site: Site) -> None:
    sent = apply(site, postcode="ZZ99 9ZZ", name="=X", contact_phone="no")
    assert sent.status_code == 422
    errors = sent.json()["errors"]
    assert {error["field"] for error in errors} == {"postcode", "name", "contact_phone"}
    [postcode] = [error for error in errors if error["field"] == "postcode"]
    assert postcode["code"] == "postcode_not_found"
    # The join form has no boxes for a position: the words never ask for one.
    assert "latitude" not in sent.json()["message"]
    half = apply(site, latitude=52.2881, name="=X")
    assert {error["field"] for error in half.json()["errors"]} == {"longitude", "name"}


def test_a_postcode_that_is_no_postcode_is_told_so(site: Site) -> None:
    sent = apply(site, postcode="nonsense!")
    assert sent.status_code == 422
    assert sent.json()["message"] == "postcode 'nonsense!' is not a UK postcode, like CV34 4AB."
    assert [error["field"] for error in sent.json()["errors"]] == ["postcode"]


def test_a_postcode_the_table_lacks_is_found_as_place_search_finds_it(
    site: Site, engine: Engine, make_client, request: pytest.FixtureRequest
) -> None:
    # Code-Point Open has no Northern Ireland: a venue's own postcode places it ...
    load(engine, HEADER + venue_row("BT-1", 54.5960, -5.9300, town="Belfast", postcode="BT1 5GS"))
    placed = applied(site, postcode="bt1 5gs", town="Belfast")
    venue = site.client.get(f"/api/applications/{placed}", headers=officer(site)).json()["venue"]
    assert (venue["postcode"], venue["latitude"], venue["longitude"]) == ("BT1 5GS", 54.596, -5.93)
    # ... and a postcode nothing here knows is said plainly, with what to do.
    unknown = apply(site, postcode="BT1 1AA", town="Belfast")
    assert unknown.status_code == 422
    assert unknown.json()["message"] == (
        "We cannot find postcodes in Northern Ireland yet, so we cannot put BT1 1AA on the map. "
        "Please ask the council to add your place."
    )
    # With the online geocoder set up, it is asked (it plays back CV34 4RL's answer).
    recorded: ThreadingHTTPServer = request.getfixturevalue("nominatim")
    online = make_client(
        geocoder="nominatim",
        geocoder_domain=f"127.0.0.1:{recorded.server_address[1]}",
        geocoder_scheme="http",
    )
    sent = online.post("/api/applications", json={**APPLYING, "postcode": "BT1 1AA"})
    assert sent.status_code == 201, sent.text
    assert "postalcode=BT1+1AA" in recorded.requests[0]  # type: ignore[attr-defined]


def test_sends_from_one_address_are_throttled_but_mistakes_cost_nothing(site: Site) -> None:
    for _ in range(3):
        assert apply(site, postcode="ZZ99 9ZZ").status_code == 422
    for _ in range(5):
        assert apply(site).status_code == 201
    refused = apply(site)
    assert refused.status_code == 429
    assert refused.json()["message"].startswith("Too many sent from here. Wait ")
    assert int(refused.headers["Retry-After"]) > 0


def test_a_body_too_big_is_refused_unread(site: Site) -> None:
    sent = site.client.post(
        "/api/applications", json={**APPLYING, "easy_read": "Staff help you. " * 5000}
    )
    assert sent.status_code == 413
    assert sent.json()["message"] == "The request is bigger than 64 KB. Send less."


def test_approval_needs_the_schemes_trained_staff(site: Site, engine: Engine, make_client) -> None:
    few = applied(site, trained_staff=1)
    refused = site.client.post(f"/api/applications/{few}/approve", headers=officer(site))
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "trained_staff"
    assert refused.json()["message"] == (
        "This place has 1 trained staff. The scheme needs at least 2. "
        "Ask them to train more staff first."
    )
    with Session(engine) as session:
        assert session.exec(select(Venue).where(Venue.name == "Parade Books")).first() is None
    shown = site.client.get(f"/api/applications/{few}", headers=officer(site)).json()
    assert shown["status"] == "new" and shown["enough_trained_staff"] is False
    # A council that asks for 1 (SAFE_PLACES_MIN_TRAINED_STAFF) approves it.
    lenient = make_client(min_trained_staff=1)
    approved = lenient.post(f"/api/applications/{few}/approve", headers=officer(site))
    assert approved.status_code == 200, approved.text


def test_deciding_twice_is_refused_with_words(site: Site) -> None:
    first, second = applied(site), applied(site, contact_email="other@example.org")
    headers = officer(site)
    assert (
        site.client.post(f"/api/applications/{first}/approve", headers=headers).status_code == 200
    )
    for action, body in (("approve", None), ("decline", {"reason": "Too late"})):
        again = site.client.post(f"/api/applications/{first}/{action}", headers=headers, json=body)
        assert again.status_code == 409
        assert again.json()["message"].startswith("This application was already approved on ")
    no_reason = site.client.post(
        f"/api/applications/{second}/decline", headers=headers, json={"reason": "   "}
    )
    assert no_reason.status_code == 422
    assert no_reason.json()["errors"][0]["field"] == "reason"
    missing = site.client.post(f"/api/applications/{second}/decline", headers=headers, json={})
    assert missing.status_code == 422
    declined = site.client.post(
        f"/api/applications/{second}/decline",
        headers=headers,
        json={"reason": " Not open to the public. "},
    )
    assert declined.status_code == 200
    assert declined.json()["status"] == "declined"
    assert declined.json()["decline_reason"] == "Not open to the public."
    for action, body in (("decline", {"reason": "Again"}), ("approve", None)):
        again = site.client.post(f"/api/applications/{second}/{action}", headers=headers, json=body)
        assert again.status_code == 409
        assert "already declined" in again.json()["message"]
    long_reason = site.client.post(
        f"/api/applications/{second}/decline", headers=headers, json={"reason": "x" * 301}
    )
    assert long_reason.status_code == 422


def test_an_email_with_an_account_is_linked_not_made_again(site: Site, engine: Engine) -> None:
    # a@example.org is staff at A-1 already (tests/test_listings.py's Site).
    second_place = applied(site, contact_email="A@example.org")
    approved = site.client.post(
        f"/api/applications/{second_place}/approve", headers=officer(site)
    ).json()
    assert approved["account_created"] is False
    assert approved["one_time_password"] is None
    assert "already has an account. We linked it to the new Safe Place." in approved["message"]
    with Session(engine) as session:
        linked = session.exec(
            select(AccountVenue.venue_id).where(AccountVenue.account_id == site.staff_id)
        ).all()
    assert sorted(linked) == sorted([site.a, approved["venue_id"]])
    # Their own password still works, and they now look after both.
    staff = token_headers(site.client, "a@example.org", PASSWORD)
    editable = site.client.get("/api/venues/editable", headers=staff).json()
    assert {venue["id"] for venue in editable} == {site.a, approved["venue_id"]}

    officers = applied(site, contact_email="officer@example.org")
    answer = site.client.post(f"/api/applications/{officers}/approve", headers=officer(site))
    assert answer.status_code == 200
    assert "already has an officer account" in answer.json()["message"]
    with Session(engine) as session:
        count = len(session.exec(select(Account)).all())
    assert count == 4  # no account was added: the 4 of Site


def test_linking_an_account_changes_its_etag(site: Site) -> None:
    # An officer read the account before the approval linked it to the new venue: their
    # change, made from that read, must not drop the new link.
    read_before = site.account_etag(site.staff_id)
    waiting = applied(site, contact_email="a@example.org")
    approved = site.client.post(f"/api/applications/{waiting}/approve", headers=officer(site))
    assert approved.status_code == 200
    stale = site.client.patch(
        f"/api/accounts/{site.staff_id}",
        headers={**officer(site), **read_before},
        json={"venue_ids": [site.a]},
    )
    assert stale.status_code == 412
    account = site.client.get(f"/api/accounts/{site.staff_id}", headers=officer(site)).json()
    assert account["venue_ids"] == sorted([site.a, approved.json()["venue_id"]])


def test_decisions_are_dated_in_london(site: Site, clock: Clock) -> None:
    first, second = applied(site), applied(site, contact_email="other@example.org")
    clock.now = datetime(2026, 7, 1, 0, 30, tzinfo=LONDON)  # 23:30 on 30 June in UTC
    approved = site.client.post(f"/api/applications/{first}/approve", headers=officer(site))
    assert approved.json()["application"]["decided_at"].startswith("2026-06-30T23:30:00")
    again = site.client.post(f"/api/applications/{first}/approve", headers=officer(site))
    assert again.json()["message"] == (
        "This application was already approved on 2026-07-01. Nothing was changed."
    )
    venue_id = approved.json()["venue_id"]
    vetting = site.client.get(f"/api/venues/{venue_id}/vetting", headers=officer(site)).json()
    assert vetting["updated_at"].startswith("2026-06-30T23:30:00")
    declined = site.client.post(
        f"/api/applications/{second}/decline", headers=officer(site), json={"reason": "No"}
    )
    assert declined.json()["decided_at"].startswith("2026-06-30T23:30:00")


def test_a_ref_already_used_gets_another(site: Site, engine: Engine) -> None:
    first = applied(site)
    with Session(engine) as session:
        venue = session.exec(select(Venue).where(Venue.ref == "A-1")).one()
        venue.ref = f"APP-{first}"
        session.add(venue)
        session.commit()
    approved = site.client.post(f"/api/applications/{first}/approve", headers=officer(site))
    assert approved.json()["venue_ref"] == f"APP-{first}-2"


def test_officers_list_newest_first_and_by_status(site: Site) -> None:
    ids = [applied(site, name=f"Place {n}") for n in range(3)]
    site.client.post(
        f"/api/applications/{ids[0]}/decline", headers=officer(site), json={"reason": "No"}
    )
    everyone = site.client.get("/api/applications", headers=officer(site)).json()
    assert [each["id"] for each in everyone] == ids[::-1]
    new = site.client.get("/api/applications?status=new", headers=officer(site)).json()
    assert [each["id"] for each in new] == ids[:0:-1]
    declined = site.client.get("/api/applications?status=declined", headers=officer(site)).json()
    assert [each["id"] for each in declined] == [ids[0]]
    bad = site.client.get("/api/applications?status=maybe", headers=officer(site))
    assert bad.status_code == 422
    assert site.client.get("/api/applications/999999", headers=officer(site)).status_code == 404


def test_vetting_is_for_officers_and_never_in_a_public_answer(site: Site) -> None:
    vetting = {
        "police_check_date": "2026-10-01",
        "trained_staff": 4,
        "training_date": "2026-09-15",
        "sticker_given": True,
    }
    put = site.client.put(f"/api/venues/{site.a}/vetting", headers=officer(site), json=vetting)
    assert put.status_code == 200, put.text
    assert {name: put.json()[name] for name in vetting} == vetting
    read = site.client.get(f"/api/venues/{site.a}/vetting", headers=officer(site)).json()
    assert {name: read[name] for name in vetting} == vetting
    # PUT replaces all of it.
    cleared = site.client.put(f"/api/venues/{site.a}/vetting", headers=officer(site), json={})
    assert cleared.json()["police_check_date"] is None and cleared.json()["sticker_given"] is False
    site.client.put(f"/api/venues/{site.a}/vetting", headers=officer(site), json=vetting)
    future = site.client.put(
        f"/api/venues/{site.a}/vetting",
        headers=officer(site),
        json={**vetting, "police_check_date": "2099-01-01"},
    )
    assert future.status_code == 422
    assert future.json()["errors"][0]["field"] == "police_check_date"
    unknown = site.client.put(
        f"/api/venues/{site.a}/vetting", headers=officer(site), json={"dbs": "yes"}
    )
    assert unknown.status_code == 422
    missing = site.client.get("/api/venues/999999/vetting", headers=officer(site))
    assert missing.status_code == 404

    staff = site.callers["staff of this venue"]
    public_answers = [
        site.client.get(f"/api/venues/{site.a}"),
        site.client.get("/api/venues/nearest?lat=52.28&lon=-1.58"),
        site.client.get("/api/venues/offline"),
        site.client.get("/openreferral/services"),
        site.client.get(f"/api/venues/{site.a}/listing", headers=staff),
        site.client.get("/api/venues/editable", headers=staff),
    ]
    for answer in public_answers:
        assert answer.status_code == 200
        for word in ("police_check", "sticker_given", "trained_staff", "2026-10-01", "vetting"):
            assert word not in answer.text, (answer.url, word)


# --- who may do what: every new route, every kind of caller -------------------------

MATRIX = {
    "send an application": (201, 201, 201, 201, 201, 201),
    "list applications": (401, 403, 403, 200, 401, 401),
    "read an application": (401, 403, 403, 200, 401, 401),
    "approve an application": (401, 403, 403, 200, 401, 401),
    "decline an application": (401, 403, 403, 200, 401, 401),
    "read a venue's vetting": (401, 403, 403, 200, 401, 401),
    "change a venue's vetting": (401, 403, 403, 200, 401, 401),
}
CELLS = cells(MATRIX)


def call(site: Site, route: str, headers: dict[str, str]):
    client = site.client
    if route == "send an application":
        return client.post("/api/applications", headers=headers, json=APPLYING)
    if route == "list applications":
        return client.get("/api/applications", headers=headers)
    if route == "read a venue's vetting":
        return client.get(f"/api/venues/{site.a}/vetting", headers=headers)
    if route == "change a venue's vetting":
        return client.put(
            f"/api/venues/{site.a}/vetting", headers=headers, json={"sticker_given": True}
        )
    waiting = applied(site)
    if route == "read an application":
        return client.get(f"/api/applications/{waiting}", headers=headers)
    if route == "approve an application":
        return client.post(f"/api/applications/{waiting}/approve", headers=headers)
    if route == "decline an application":
        return client.post(
            f"/api/applications/{waiting}/decline", headers=headers, json={"reason": "No room"}
        )
    raise AssertionError(route)


@pytest.mark.parametrize(("route", "caller", "status"), CELLS)
def test_who_may_do_what(site: Site, route: str, caller: str, status: int) -> None:
    response = call(site, route, site.callers[caller])
    answered(response, status)
    if route != "send an application" and status >= 400:
        # Nothing was decided or changed by a caller who may not.
        listed = site.client.get("/api/applications", headers=site.callers["officer"]).json()
        assert all(each["status"] == "new" for each in listed)
        vetting = site.client.get(f"/api/venues/{site.a}/vetting", headers=site.callers["officer"])
        assert vetting.json()["sticker_given"] is False


def test_the_matrix_covers_every_route_of_this_module(site: Site) -> None:
    from app.routers.applications import router

    assert len(router.routes) == len(MATRIX)


def test_the_minimum_is_a_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    from app.config import Settings

    assert Settings().min_trained_staff == 2
    monkeypatch.setenv("SAFE_PLACES_MIN_TRAINED_STAFF", "3")
    assert Settings().min_trained_staff == 3


@pytest.mark.parametrize(
    ("one", "other", "alike"),
    [
        ("Costa Coffee", "Costa coffee Ltd", True),
        ("The Old Library & Café", "Old Library and Cafe", True),
        ("Parade Books", "Parade Bookz", True),
        ("Costa Coffee", "Boots", False),
        ("Boots", "Boots Opticians", True),
        ("The", "The Ltd", False),  # nothing left to compare
    ],
)
def test_names_alike(one: str, other: str, alike: bool) -> None:
    assert rules.names_alike(one, other) is alike
    assert rules.names_alike(other, one) is alike


def test_the_same_place_applying_twice_is_pointed_out_before_approving(site: Site) -> None:
    first = applied(site)
    again = applied(site, name=f"The {APPLYING['name']} Ltd")
    other_shop = applied(site, name="Boots")
    elsewhere = applied(site, postcode="CV34 4AB")
    listed = {
        each["id"]: each
        for each in site.client.get("/api/applications", headers=officer(site)).json()
    }

    def pointed_at(application: dict) -> list[tuple[str, int]]:
        return [(each["kind"], each["id"]) for each in application["looks_the_same"]]

    assert pointed_at(listed[first]) == [("application", again)]
    assert pointed_at(listed[again]) == [("application", first)]
    assert "applied too" in listed[again]["looks_the_same"][0]["words"]
    assert listed[other_shop]["looks_the_same"] == []
    assert listed[elsewhere]["looks_the_same"] == []
    # Once the first is approved it is a Safe Place: the second now points at the venue.
    approved = site.client.post(f"/api/applications/{first}/approve", headers=officer(site))
    assert approved.status_code == 200, approved.text
    venue_id = approved.json()["venue_id"]
    one = site.client.get(f"/api/applications/{again}", headers=officer(site)).json()
    assert pointed_at(one) == [("venue", venue_id)]
    assert one["looks_the_same"][0]["words"].endswith("is a Safe Place at CV32 4AA already.")
    # The approved one is not said to look like the venue it became.
    mine = site.client.get(f"/api/applications/{first}", headers=officer(site)).json()
    assert pointed_at(mine) == [("application", again)]
