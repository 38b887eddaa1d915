""" "Something is wrong with this place": anyone may send one (throttled), nothing of it
is ever public, officers see and settle them with the contact, a venue's staff see
their own venue's without it. Every route by every kind of caller, on both databases."""

import json
from datetime import UTC, datetime, timedelta

import pytest

from app.hours import LONDON
from app.models.scheme import PROBLEM_KIND_WORDS, ProblemKind
from app.people.public_throttle import PROBLEM_REPORTS
from app.venues.problem_reports import THANK_YOU
from tests.callers import Site, answered, cells
from tests.conftest import Clock, sql
from tests.people import cheap_hashing  # noqa: F401  (a fixture)

pytestmark = pytest.mark.usefixtures("cheap_hashing")


@pytest.fixture
def site(engine, make_client) -> Site:
    return Site(engine, make_client)


def send(site: Site, venue_id: int | None = None, headers: dict[str, str] | None = None, **body):
    body = {"problem": "closed_when_open", **body}
    return site.client.post(
        f"/api/venues/{venue_id or site.a}/feedback", json=body, headers=headers or {}
    )


def officer_list(site: Site, **params) -> list[dict]:
    answer = site.client.get("/api/feedback", params=params, headers=site.callers["officer"])
    assert answer.status_code == 200, answer.text
    return answer.json()


# --- who may call which route ----------------------------------------------------------


def call(site: Site, route: str, headers: dict[str, str]):
    client, a = site.client, site.a
    if route == "report a problem":
        return send(site, headers=headers)
    if route == "list the problems reported":
        return client.get("/api/feedback", headers=headers)
    if route == "settle a problem report":
        assert send(site).status_code == 201
        report = officer_list(site)[0]["id"]
        return client.patch(f"/api/feedback/{report}", headers=headers, json={"status": "done"})
    if route == "read a venue's problem reports":
        return client.get(f"/api/venues/{a}/feedback", headers=headers)
    raise AssertionError(route)


MATRIX = {
    "report a problem": (201, 201, 201, 201, 201, 201),
    "list the problems reported": (401, 403, 403, 200, 401, 401),
    "settle a problem report": (401, 403, 403, 200, 401, 401),
    "read a venue's problem reports": (401, 200, 403, 200, 401, 401),
}
CELLS = cells(MATRIX)


@pytest.mark.parametrize(("route", "caller", "status"), CELLS)
def test_who_may_do_what(site: Site, route: str, caller: str, status: int) -> None:
    response = call(site, route, site.callers[caller])
    answered(response, status)


# --- sending ---------------------------------------------------------------------------


def test_a_report_reaches_the_officers_with_its_contact_and_staff_without(site: Site) -> None:
    before = site.client.get(f"/api/venues/{site.a}")
    sent = send(
        site, problem="could_not_get_in", note="  The door was locked.  ", contact="07700 900123"
    )
    assert (sent.status_code, sent.json()) == (201, {"message": THANK_YOU})
    [report] = officer_list(site)
    assert report["venue_id"] == site.a
    assert (report["venue_name"], report["venue_town"]) == ("Place A-1", "Warwick")
    assert report["problem"] == "could_not_get_in"
    assert report["problem_words"] == "I could not get in"
    assert (report["note"], report["contact"]) == ("The door was locked.", "07700 900123")
    assert (report["status"], report["officer_note"]) == ("new", None)
    staff = site.client.get(
        f"/api/venues/{site.a}/feedback", headers=site.callers["staff of this venue"]
    ).json()["reports"]
    # Staff see the kind and the day, never the person's words or contact (the form
    # says only the council reads them).
    assert [each["problem"] for each in staff] == ["could_not_get_in"]
    assert {"note", "contact", "officer_note"}.isdisjoint(staff[0])
    assert "door was locked" not in json.dumps(staff)
    # Nothing of it is public: the venue's page and its ETag are as they were.
    after = site.client.get(f"/api/venues/{site.a}")
    assert after.json() == before.json() and after.headers["etag"] == before.headers["etag"]
    assert "07700" not in site.client.get("/api/venues/offline").text
    # Another venue's staff see none of it on their own venue.
    other = site.client.get(
        f"/api/venues/{site.b}/feedback", headers=site.callers["staff of another venue"]
    )
    assert other.json() == {"reports": [], "total": 0, "open": 0}


def test_only_the_problem_is_needed_and_empty_words_are_kept_as_none(site: Site) -> None:
    assert send(site, note="   ", contact="").status_code == 201
    [report] = officer_list(site)
    assert (report["note"], report["contact"]) == (None, None)


@pytest.mark.parametrize("problem", list(ProblemKind))
def test_every_problem_the_contract_names_is_taken(site: Site, problem: ProblemKind) -> None:
    assert send(site, problem=problem.value).status_code == 201
    assert officer_list(site)[0]["problem_words"] == PROBLEM_KIND_WORDS[problem]


def test_the_problems_are_the_contracts() -> None:
    assert [kind.value for kind in ProblemKind] == [
        "closed_when_open",
        "staff_did_not_help",
        "wrong_information",
        "could_not_get_in",
        "other",
    ]


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ({"problem": "on_fire"}, "problem", "problem: Input should be"),
        ({"problem": None}, "problem", "problem: Input should be"),
        ({"note": "x" * 301}, "note", "note must be at most 300 characters."),
        ({"contact": "x" * 201}, "contact", "contact must be at most 200 characters."),
        ({"note": "Locked\x00 door"}, "note", "note holds a control character"),
        ({"contact": "me\x07"}, "contact", "contact holds a control character"),
        ({"note": "abc\u202edcba"}, "note", "note holds an invisible mark"),
        ({"name": "Sam"}, "name", "name: Extra inputs are not permitted"),
    ],
)
def test_bad_reports_are_refused_with_words(site: Site, body: dict, field: str, words: str) -> None:
    response = send(site, **body)
    assert response.status_code == 422, response.text
    answer = response.json()
    assert words in answer["message"]
    assert [error["field"] for error in answer["errors"]] == [field]
    assert officer_list(site) == []
    # A refused report is not counted against the sender.
    assert sql(site_engine(site), "SELECT count(*) FROM public_post")[0][0] == 0


def site_engine(site: Site):
    return site.client.app.state.engine


def test_a_phone_number_may_start_with_plus(site: Site) -> None:
    assert send(site, contact="+44 7700 900123").status_code == 201
    assert officer_list(site)[0]["contact"] == "+44 7700 900123"


@pytest.mark.parametrize(
    "body",
    [
        {"note": "- the door was locked"},
        {"note": "+ no one answered the bell"},
        {"note": "@ 3pm it was shut"},
        {"note": '=HYPERLINK("http://x.example")'},
        {"contact": "@sam_on_social"},
        {"contact": "-"},
    ],
)
def test_a_note_may_start_as_a_spreadsheet_formula_would(site: Site, body: dict) -> None:
    """Reports are never written to a spreadsheet file (and every CSV the service writes
    marks its cells as text), so a member of the public is not told about formulas."""
    sent = send(site, **body)
    assert sent.status_code == 201, sent.text
    [(field, words)] = body.items()
    assert officer_list(site)[0][field] == words


@pytest.mark.parametrize("venue", ["unknown", "withdrawn"])
def test_an_unknown_or_withdrawn_venue_is_not_found(site: Site, venue: str) -> None:
    venue_id = 999_999 if venue == "unknown" else site.a
    if venue == "withdrawn":
        officer = site.callers["officer"]
        gone = site.client.post(
            f"/api/venues/{site.a}/withdraw", headers={**officer, **site.etag(site.a)}
        )
        assert gone.status_code == 200
    response = send(site, venue_id=venue_id)
    assert response.status_code == 404
    assert response.json()["message"] == (
        f"There is no Safe Place with id {venue_id}. It may have left the scheme."
    )
    assert officer_list(site) == []


def test_too_many_reports_from_one_address_wait(site: Site) -> None:
    for _ in range(PROBLEM_REPORTS.most):
        assert send(site).status_code == 201
    refused = send(site, note="One more")
    assert refused.status_code == 429
    assert refused.json()["message"].startswith("Too many sent from here. Wait ")
    assert int(refused.headers["retry-after"]) > 0
    assert len(officer_list(site)) == PROBLEM_REPORTS.most
    # Only the address and the time are kept for the count: never what was sent.
    kept = sql(site_engine(site), "SELECT * FROM public_post")
    assert len(kept) == PROBLEM_REPORTS.most
    assert set(kept[0]._mapping) == {"id", "kind", "address", "at"}
    assert {row.kind for row in kept} == {"problem_report"}


# --- officers settle them ----------------------------------------------------------------


def test_officers_see_them_newest_first_and_by_status(site: Site) -> None:
    for note in ("First", "Second", "Third"):
        assert (
            send(site, venue_id=site.b if note == "Second" else site.a, note=note).status_code
            == 201
        )
    reports = officer_list(site)
    assert [r["note"] for r in reports] == ["Third", "Second", "First"]
    assert reports[1]["venue_name"] == "Place B-1"
    second = reports[1]["id"]
    officer = site.callers["officer"]
    moved = site.client.patch(
        f"/api/feedback/{second}",
        headers=officer,
        json={"status": "in_hand", "officer_note": "Rang the manager."},
    )
    assert moved.status_code == 200, moved.text
    assert (moved.json()["status"], moved.json()["officer_note"]) == (
        "in_hand",
        "Rang the manager.",
    )
    assert moved.json()["updated_at"] >= moved.json()["created_at"]
    assert [r["note"] for r in officer_list(site, status="new")] == ["Third", "First"]
    assert [r["note"] for r in officer_list(site, status="in_hand")] == ["Second"]
    assert officer_list(site, status="done") == []
    assert [r["note"] for r in officer_list(site, limit=1)] == ["Third"]
    # The note alone leaves the status as it is; then done.
    noted = site.client.patch(
        f"/api/feedback/{second}", headers=officer, json={"officer_note": "Fixed."}
    )
    assert (noted.json()["status"], noted.json()["officer_note"]) == ("in_hand", "Fixed.")
    done = site.client.patch(f"/api/feedback/{second}", headers=officer, json={"status": "done"})
    assert (done.json()["status"], done.json()["officer_note"]) == ("done", "Fixed.")
    # The venue's staff see the status move, never the officers' note.
    staff = site.client.get(
        f"/api/venues/{site.b}/feedback", headers=site.callers["staff of another venue"]
    ).json()
    assert [(r["id"], r["status"]) for r in staff["reports"]] == [(second, "done")]
    assert "Second" not in json.dumps(staff)
    assert (staff["total"], staff["open"]) == (1, 0)


@pytest.mark.parametrize(
    ("body", "status", "words"),
    [
        ({"status": "lost"}, 422, "status: Input should be"),
        ({"status": None}, 422, "status must be new, in_hand or done."),
        ({"officer_note": "y" * 501}, 422, "officer_note must be at most 500 characters."),
        ({"officer_note": "Rang\x00them"}, 422, "officer_note holds a control character"),
        ({"contact": "someone"}, 422, "contact: Extra inputs are not permitted"),
    ],
)
def test_bad_changes_are_refused_with_words(
    site: Site, body: dict, status: int, words: str
) -> None:
    assert send(site, note="Kept").status_code == 201
    report = officer_list(site)[0]
    response = site.client.patch(
        f"/api/feedback/{report['id']}", headers=site.callers["officer"], json=body
    )
    assert response.status_code == status, response.text
    assert words in response.json()["message"]
    assert officer_list(site) == [report]


def test_an_unknown_report_is_not_found(site: Site) -> None:
    response = site.client.patch(
        "/api/feedback/424242", headers=site.callers["officer"], json={"status": "done"}
    )
    assert response.status_code == 404
    assert (
        response.json()["message"] == "There is no problem report with id 424242. Check the number."
    )
    bad_id = site.client.patch("/api/feedback/0", headers=site.callers["officer"], json={})
    assert bad_id.status_code == 422
    bad_status = site.client.get("/api/feedback?status=closed", headers=site.callers["officer"])
    assert bad_status.status_code == 422 and "status" in bad_status.json()["message"]


def test_an_officer_note_may_start_with_a_dash(site: Site) -> None:
    assert send(site, note="Kept").status_code == 201
    report = officer_list(site)[0]
    noted = site.client.patch(
        f"/api/feedback/{report['id']}",
        headers=site.callers["officer"],
        json={"officer_note": "- rang the manager\n- door fixed"},
    )
    assert noted.status_code == 200, noted.text
    assert noted.json()["officer_note"] == "- rang the manager\n- door fixed"


def test_staff_get_the_newest_few_and_the_counts_of_all(site: Site) -> None:
    for note in ("1", "2", "3", "4", "5", "6", "7"):
        assert send(site, note=note).status_code == 201
    officer = site.callers["officer"]
    for report in officer_list(site)[-2:]:  # the oldest two: "2" in hand, "1" done
        status = "done" if report["note"] == "1" else "in_hand"
        moved = site.client.patch(
            f"/api/feedback/{report['id']}", headers=officer, json={"status": status}
        )
        assert moved.status_code == 200
    by_note = {report["id"]: report["note"] for report in officer_list(site)}
    staff = site.callers["staff of this venue"]
    answer = site.client.get(f"/api/venues/{site.a}/feedback?limit=5", headers=staff).json()
    assert [by_note[r["id"]] for r in answer["reports"]] == ["7", "6", "5", "4", "3"]
    assert (answer["total"], answer["open"]) == (7, 6)  # new and in hand; not done


def test_when_a_report_was_sent_and_settled_is_the_apis_clock(site: Site, clock: Clock) -> None:
    # 00:30 in London in summer: 23:30 the day before in UTC.
    clock.now = datetime(2026, 4, 1, 0, 30, tzinfo=LONDON)
    assert send(site).status_code == 201
    [report] = officer_list(site)
    assert parsed(report["created_at"]) == clock.now
    clock.now += timedelta(days=2)
    settled = site.client.patch(
        f"/api/feedback/{report['id']}", headers=site.callers["officer"], json={"status": "done"}
    ).json()
    assert parsed(settled["updated_at"]) == clock.now
    assert parsed(settled["created_at"]) == datetime(2026, 3, 31, 23, 30, tzinfo=UTC)


def parsed(moment: str) -> datetime:
    """A time the API sent (SQLite hands times back without their zone: UTC)."""
    at = datetime.fromisoformat(moment)
    return at if at.tzinfo else at.replace(tzinfo=UTC)


# --- two officers at once ----------------------------------------------------------------

STALE_REPORT = (
    "Another officer moved this report on after you read it. Read it again, then change it."
)


def test_of_two_officers_moving_one_report_from_one_read_the_second_is_refused(
    site: Site, clock: Clock
) -> None:
    """The officers' screen sends the report's etag: a change made from a stale read
    is refused whole, so one officer's note never silently replaces another's."""
    assert send(site).status_code == 201
    [report] = officer_list(site)
    officer, path = site.callers["officer"], f"/api/feedback/{report['id']}"
    first = site.client.patch(
        path,
        headers={**officer, "If-Match": report["etag"]},
        json={"status": "in_hand", "officer_note": "Rang the manager."},
    )
    assert first.status_code == 200, first.text
    assert first.headers["etag"] == first.json()["etag"] != report["etag"]
    second = site.client.patch(
        path,
        headers={**officer, "If-Match": report["etag"]},
        json={"status": "done", "officer_note": "Nothing to do."},
    )
    assert second.status_code == 412
    assert second.json()["message"] == STALE_REPORT
    [now] = officer_list(site, status="in_hand")
    assert (now["officer_note"], now["etag"]) == ("Rang the manager.", first.json()["etag"])
    again = site.client.patch(
        path, headers={**officer, "If-Match": now["etag"]}, json={"status": "done"}
    )
    assert again.status_code == 200, again.text
    assert again.json()["officer_note"] == "Rang the manager."
    # The clock held still (as here) still gives every change its own etag.
    assert len({report["etag"], first.json()["etag"], again.json()["etag"]}) == 3


def test_if_match_star_does_not_move_a_report_and_none_keeps_the_last_change(
    site: Site,
) -> None:
    assert send(site).status_code == 201
    [report] = officer_list(site)
    officer, path = site.callers["officer"], f"/api/feedback/{report['id']}"
    star = site.client.patch(path, headers={**officer, "If-Match": "*"}, json={"status": "done"})
    assert star.status_code == 428
    assert "If-Match: * is not enough" in star.json()["message"]
    assert officer_list(site)[0]["status"] == "new"
    # Without If-Match (a script, an older screen), the change is made: the last one wins.
    plain = site.client.patch(path, headers=officer, json={"status": "done"})
    assert plain.status_code == 200
    assert plain.headers["etag"] == plain.json()["etag"] != report["etag"]
