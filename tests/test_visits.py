""" "Someone came to us" and the usage report: who may record and read them, what is
stored (nothing that names or places a person), counting exact on both databases,
London months at every kind of month end, figures for the public, and the CSV."""

import csv
import io
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import schemathesis
from sqlalchemy import Engine, inspect, text
from sqlmodel import Session, select

from app.hours import LONDON
from app.models import Visit
from app.models.scheme import (
    VISIT_OUTCOME_WORDS,
    VISIT_REASON_WORDS,
    VisitOutcome,
    VisitReason,
)
from app.permissions import CHOOSE_PASSWORD, OFFICERS_ONLY
from app.routers.visits import NO_SUCH_VISIT, NOT_YOUR_VENUE, TOO_LATE, UNDO_MINUTES, WITHDRAWN
from tests.callers import answered, cells, every_caller
from tests.conftest import HEADER, Clock, load, venue_row
from tests.generated import no_server_errors
from tests.people import (
    add_account,
    cheap_hashing,  # noqa: F401  (a fixture)
    token_headers,
    venue_ids,
)

pytestmark = pytest.mark.usefixtures("cheap_hashing")
A_VISIT = {"reason": "lost", "outcome": "sat_with_them"}


class Site:
    """Three venues in three towns; an officer, staff of venue A and of venue B, a
    disabled account, a forged token, and staff who still have a one-time password."""

    def __init__(self, engine: Engine, make_client, clock: Clock) -> None:
        load(
            engine,
            HEADER
            + venue_row("A-1", 52.28, -1.58, name="Alpha Library", town="Warwick")
            + venue_row("B-1", 52.29, -1.53, name="Beta Cafe", town="Leamington Spa")
            + venue_row("C-1", 52.35, -1.58, name="Gamma Shop", town="Kenilworth"),
        )
        self.engine, self.clock = engine, clock
        self.client = client = make_client()
        self.a, self.b, self.c = venue_ids(engine, "A-1", "B-1", "C-1")
        self.callers = every_caller(engine, client, "A-1", "B-1")
        add_account(engine, "new@example.org", "staff", ("A-1",), must_change_password=True)
        self.newcomer = token_headers(client, "new@example.org")
        self.officer = self.callers["officer"]

    def record(self, venue_id: int, at: datetime | None = None, headers=None, **visit: str):
        """A visit recorded through the API, at `at` (UTC) on the API's clock."""
        self.clock.now = at.astimezone(LONDON) if at else None
        return self.client.post(
            f"/api/venues/{venue_id}/visits",
            headers=self.officer if headers is None else headers,
            json={**A_VISIT, **visit},
        )

    def report(self, headers=None, **params: Any):
        return self.client.get(
            "/api/reports/visits",
            headers=self.officer if headers is None else headers,
            params=params,
        )


@pytest.fixture
def site(engine: Engine, make_client, clock: Clock):
    return Site(engine, make_client, clock)


def stored_visits(engine: Engine) -> list[Visit]:
    with Session(engine) as session:
        return list(session.exec(select(Visit).order_by(Visit.id)))  # type: ignore[arg-type]


# --- who may ---------------------------------------------------------------------------


def call(site: Site, route: str, headers: dict[str, str]):
    if route == "record a visit":
        return site.record(site.a, headers=headers)
    if route == "read the visits report":
        return site.report(headers=headers, group="town")
    if route == "download the visits report":
        return site.report(headers=headers, group="reason", format="csv")
    if route == "take back a visit":
        visit = site.record(site.a).json()["id"]
        return site.client.delete(f"/api/venues/{site.a}/visits/{visit}", headers=headers)
    raise AssertionError(route)


MATRIX = {
    "record a visit": (401, 201, 403, 201, 401, 401),
    "read the visits report": (401, 403, 403, 200, 401, 401),
    "download the visits report": (401, 403, 403, 200, 401, 401),
    "take back a visit": (401, 204, 403, 204, 401, 401),
}
CELLS = cells(MATRIX)


@pytest.mark.parametrize(("route", "caller", "status"), CELLS)
def test_who_may_do_what(site: Site, route: str, caller: str, status: int) -> None:
    response = call(site, route, site.callers[caller])
    answered(response, status)
    if route == "record a visit":
        assert len(stored_visits(site.engine)) == (1 if status == 201 else 0)
    if route == "take back a visit":
        assert len(stored_visits(site.engine)) == (0 if status == 204 else 1)


def test_the_words_of_each_refusal(site: Site) -> None:
    other = site.record(site.a, headers=site.callers["staff of another venue"])
    assert other.json()["message"] == NOT_YOUR_VENUE
    staff = site.report(headers=site.callers["staff of this venue"])
    assert staff.json()["message"] == OFFICERS_ONLY
    for answer in (site.record(site.a, headers=site.newcomer), site.report(headers=site.newcomer)):
        assert answer.status_code == 403
        assert answer.json()["message"] == CHOOSE_PASSWORD
    assert stored_visits(site.engine) == []


def test_who_may_record_is_the_editors_rule_said_about_visits(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One rule (app.permissions.may_edit, as EditableVenue asks it), in visit words."""
    monkeypatch.setattr("app.permissions.may_edit", lambda *_args: False)
    refused = site.record(site.a)  # an officer, refused only by the rule put in its place
    assert (refused.status_code, refused.json()["message"]) == (403, NOT_YOUR_VENUE)
    assert stored_visits(site.engine) == []


# --- what is stored -----------------------------------------------------------------------


def test_a_visit_is_a_venue_a_time_a_reason_and_an_outcome(site: Site) -> None:
    at = datetime(2026, 7, 4, 21, 26, tzinfo=UTC)
    answer = site.record(
        site.a, at, headers=site.callers["staff of this venue"], reason="toilet", outcome="other"
    )
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert body["venue_id"] == site.a
    assert (body["reason"], body["outcome"]) == ("toilet", "other")
    assert datetime.fromisoformat(body["recorded_at"]) == at
    [stored] = stored_visits(site.engine)
    assert stored.id == body["id"] and stored.venue_id == site.a
    assert stored.reason == VisitReason.toilet and stored.outcome == VisitOutcome.other
    assert stored.recorded_at.replace(tzinfo=stored.recorded_at.tzinfo or UTC) == at
    # No column could hold a name, words, or a position.
    columns = {column["name"] for column in inspect(site.engine).get_columns("visit")}
    assert columns == {"id", "venue_id", "recorded_at", "reason", "outcome"}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**A_VISIT, "name": "Sam"}, "name"),
        ({**A_VISIT, "note": "She was crying"}, "note"),
        ({**A_VISIT, "latitude": 52.28, "longitude": -1.58}, "latitude"),
        ({"reason": "bored", "outcome": "other"}, "reason"),
        ({"reason": "lost"}, "outcome"),
        ({"reason": "Lost", "outcome": "other"}, "reason"),
    ],
)
def test_anything_more_or_other_is_refused(site: Site, body: dict, field: str) -> None:
    answer = site.client.post(f"/api/venues/{site.a}/visits", headers=site.officer, json=body)
    assert answer.status_code == 422, answer.text
    assert field in {error["field"] for error in answer.json()["errors"]}
    assert answer.json()["message"]
    assert stored_visits(site.engine) == []


def test_every_reason_and_outcome_of_the_contract_is_taken(site: Site) -> None:
    reasons = ["lost", "scared", "bullied", "hate_incident", "lost_belongings", "unwell",
               "toilet", "missed_transport", "other"]  # fmt: skip
    outcomes = ["sat_with_them", "called_their_contact", "called_101", "called_999",
                "helped_find_way", "other"]  # fmt: skip
    assert [reason.value for reason in VisitReason] == reasons
    assert [outcome.value for outcome in VisitOutcome] == outcomes
    for reason, outcome in zip(reasons, outcomes * 2, strict=False):
        assert site.record(site.a, reason=reason, outcome=outcome).status_code == 201
    assert len(stored_visits(site.engine)) == len(reasons)


def test_a_withdrawn_venue_says_so_and_an_unknown_one_is_not_found(site: Site) -> None:
    listing = site.client.get(f"/api/venues/{site.b}/listing", headers=site.officer)
    withdrawn = site.client.post(
        f"/api/venues/{site.b}/withdraw",
        headers={**site.officer, "If-Match": listing.headers["etag"]},
    )
    assert withdrawn.status_code == 200
    for who in (site.officer, site.callers["staff of another venue"]):  # B's own staff
        answer = site.record(site.b, headers=who)
        assert answer.status_code == 422
        assert answer.json()["message"] == WITHDRAWN
    assert site.record(999_999).status_code == 404
    assert (
        site.client.post("/api/venues/abc/visits", headers=site.officer, json=A_VISIT).json()[
            "errors"
        ][0]["field"]
        == "venue_id"
    )
    assert stored_visits(site.engine) == []


def test_a_visit_tapped_by_mistake_can_be_taken_back_for_a_while(site: Site) -> None:
    staff = site.callers["staff of this venue"]
    at = datetime(2026, 7, 4, 21, 26, tzinfo=UTC)

    def take_back(visit: int, minutes_later: int, headers: dict, venue: int | None = None):
        site.clock.now = (at + timedelta(minutes=minutes_later)).astimezone(LONDON)
        path = f"/api/venues/{venue or site.a}/visits/{visit}"
        return site.client.delete(path, headers=headers)

    first = site.record(site.a, at, headers=staff).json()["id"]
    assert take_back(first, UNDO_MINUTES, staff).status_code == 204
    assert stored_visits(site.engine) == []
    assert take_back(first, UNDO_MINUTES, staff).status_code == 404  # gone, not twice
    late = site.record(site.a, at, headers=staff).json()["id"]
    refused = take_back(late, UNDO_MINUTES + 1, staff)
    assert (refused.status_code, refused.json()["message"]) == (409, TOO_LATE)
    assert [visit.id for visit in stored_visits(site.engine)] == [late]
    # Another venue's visit is not found through this one, even by an officer.
    other = site.record(site.b, at).json()["id"]
    assert take_back(other, 1, site.officer).json()["message"] == NO_SUCH_VISIT.format(id=other)
    # Officers keep the figures right: they may take one back at any time.
    assert take_back(late, 60 * 24 * 90, site.officer).status_code == 204
    assert [visit.id for visit in stored_visits(site.engine)] == [other]


def test_two_taps_at_once_take_a_visit_back_once(site: Site) -> None:
    staff = site.callers["staff of this venue"]
    visit = site.record(site.a, headers=staff).json()["id"]
    path = f"/api/venues/{site.a}/visits/{visit}"
    with ThreadPoolExecutor(2) as pool:
        answers = list(pool.map(lambda _: site.client.delete(path, headers=staff), range(2)))
    assert sorted(answer.status_code for answer in answers) == [204, 404]
    assert stored_visits(site.engine) == []


# --- counting -----------------------------------------------------------------------------

# (venue, when in UTC, reason, outcome): spread over months, venues, towns and choices.
SPREAD = [
    ("a", datetime(2026, 1, 5, 10, tzinfo=UTC), "lost", "sat_with_them"),
    ("a", datetime(2026, 1, 20, 18, tzinfo=UTC), "scared", "called_their_contact"),
    ("b", datetime(2026, 1, 31, 12, tzinfo=UTC), "lost", "helped_find_way"),
    ("b", datetime(2026, 2, 14, 22, tzinfo=UTC), "toilet", "other"),
    ("c", datetime(2026, 2, 15, 9, tzinfo=UTC), "lost", "sat_with_them"),
    ("a", datetime(2026, 3, 3, 16, tzinfo=UTC), "unwell", "called_999"),
    ("c", datetime(2026, 5, 9, 13, tzinfo=UTC), "hate_incident", "called_101"),
    ("c", datetime(2026, 5, 10, 13, tzinfo=UTC), "lost", "sat_with_them"),
    ("c", datetime(2026, 5, 11, 13, tzinfo=UTC), "missed_transport", "called_their_contact"),
]
TOWNS = {"a": "Warwick", "b": "Leamington Spa", "c": "Kenilworth"}
NAMES = {"a": "Alpha Library", "b": "Beta Cafe", "c": "Gamma Shop"}


def record_spread(site: Site) -> None:
    for venue, at, reason, outcome in SPREAD:
        answer = site.record(getattr(site, venue), at, reason=reason, outcome=outcome)
        assert answer.status_code == 201, answer.text


def counts(report: dict) -> dict[str, int]:
    return {row["key"]: row["count"] for row in report["rows"]}


def test_counts_by_each_group_are_exact(site: Site) -> None:
    record_spread(site)
    period = {"from": "2026-01-01", "to": "2026-12-31"}
    expected = {
        "month": Counter(at.strftime("%Y-%m") for _, at, _, _ in SPREAD),
        "venue": Counter(f"{venue.upper()}-1" for venue, _, _, _ in SPREAD),
        "town": Counter(TOWNS[venue] for venue, _, _, _ in SPREAD),
        "reason": Counter(reason for _, _, reason, _ in SPREAD),
        "outcome": Counter(outcome for _, _, _, outcome in SPREAD),
    }
    for group, wanted in expected.items():
        answer = site.report(group=group, **period)
        assert answer.status_code == 200, answer.text
        report = answer.json()
        assert counts(report) == dict(wanted), group
        assert report["total"] == len(SPREAD) and report["total_words"] == str(len(SPREAD))
        assert report["period"] == period and report["group"] == group
        assert report["public"] is False
        assert [row["count_words"] for row in report["rows"]] == [
            str(row["count"]) for row in report["rows"]
        ]
    months = site.report(group="month", **period).json()["rows"]
    assert [row["key"] for row in months] == ["2026-01", "2026-02", "2026-03", "2026-05"]
    assert [row["label"] for row in months] == [
        "January 2026", "February 2026", "March 2026", "May 2026"
    ]  # fmt: skip
    reasons = site.report(group="reason", **period).json()["rows"]
    assert reasons[0] == {"key": "lost", "label": VISIT_REASON_WORDS[VisitReason.lost],
                          "count": 4, "count_words": "4"}  # fmt: skip
    assert [row["count"] for row in reasons] == sorted(
        (row["count"] for row in reasons), reverse=True
    )
    outcomes = site.report(group="outcome", **period).json()["rows"]
    assert {row["label"] for row in outcomes} <= set(VISIT_OUTCOME_WORDS.values())
    venues = site.report(group="venue", **period).json()["rows"]
    assert {row["key"]: row["label"] for row in venues} == {
        f"{key.upper()}-1": name for key, name in NAMES.items()
    }
    # Only what falls in the period, both days in.
    february = site.report(group="venue", **{"from": "2026-02-14", "to": "2026-02-15"}).json()
    assert counts(february) == {"B-1": 1, "C-1": 1} and february["total"] == 2
    none = site.report(group="town", **{"from": "2025-01-01", "to": "2025-12-31"}).json()
    assert none["rows"] == [] and none["total"] == 0


# UTC moments at each kind of month end, and the London month each is in.
MONTH_ENDS = [
    datetime(2026, 1, 31, 23, 30, tzinfo=UTC),  # winter: still January
    datetime(2026, 2, 28, 23, 59, tzinfo=UTC),  # winter: still February
    datetime(2026, 3, 29, 0, 30, tzinfo=UTC),  # the clocks go forward at 01:00 UTC
    datetime(2026, 3, 31, 23, 30, tzinfo=UTC),  # summer time: already April
    datetime(2026, 6, 30, 22, 59, tzinfo=UTC),  # summer time: still June
    datetime(2026, 6, 30, 23, 0, tzinfo=UTC),  # summer time: July
    datetime(2026, 9, 30, 23, 30, tzinfo=UTC),  # summer time: already October
    datetime(2026, 10, 25, 0, 30, tzinfo=UTC),  # summer time, the night the clocks go back
    datetime(2026, 10, 31, 23, 30, tzinfo=UTC),  # winter again: still October
    datetime(2026, 12, 31, 23, 30, tzinfo=UTC),  # winter: still December
    datetime(2027, 3, 31, 23, 30, tzinfo=UTC),  # another year's summer time: April
]


def test_months_are_london_months_at_every_kind_of_month_end(site: Site) -> None:
    """The database works out each visit's month: PostgreSQL with time zones, SQLite
    by the UK's rule. Both must agree with Python's own Europe/London."""
    for at in MONTH_ENDS:
        assert site.record(site.a, at).status_code == 201
    answer = site.report(group="month", **{"from": "2026-01-01", "to": "2027-12-31"}).json()
    assert counts(answer) == dict(Counter(f"{at.astimezone(LONDON):%Y-%m}" for at in MONTH_ENDS))
    # A period's days are London days: 23:30 UTC on 31 March is 1 April.
    april = site.report(group="month", **{"from": "2026-04-01", "to": "2026-04-30"}).json()
    assert counts(april) == {"2026-04": 1}
    march = site.report(group="month", **{"from": "2026-03-01", "to": "2026-03-31"}).json()
    assert counts(march) == {"2026-03": 1}
    june = site.report(group="reason", **{"from": "2026-06-30", "to": "2026-06-30"}).json()
    assert june["total"] == 1  # 23:00 UTC on 30 June is already 1 July in London


def test_the_period_is_the_last_12_months_unless_asked(site: Site) -> None:
    site.clock.now = datetime(2026, 12, 7, 9, tzinfo=LONDON)
    report = site.report().json()
    assert report["period"] == {"from": "2026-01-01", "to": "2026-12-07"}
    assert report["group"] == "month"
    only_to = site.report(to="2026-03-15").json()
    assert only_to["period"] == {"from": "2025-04-01", "to": "2026-03-15"}
    only_from = site.report(**{"from": "2026-11-01"}).json()
    assert only_from["period"] == {"from": "2026-11-01", "to": "2026-12-07"}
    # Any dates a person can write are answered, even far ones.
    wide = site.report(**{"from": "0001-01-01", "to": "9999-12-31"})
    assert wide.status_code == 200 and wide.json()["total"] == 0
    early = site.report(to="0001-03-01").json()
    assert early["period"] == {"from": "0001-01-01", "to": "0001-03-01"}


@pytest.mark.parametrize(
    ("params", "field", "words"),
    [
        ({"from": "2026-13-01"}, "from", "like 2026-04-06"),
        ({"to": "31/12/2026"}, "to", "like 2026-04-06"),
        ({"from": "2026-01-01T00:00:00"}, "from", "like 2026-04-06"),
        ({"from": "1767225600"}, "from", "like 2026-04-06"),
        ({"from": "2026-W14-1"}, "from", "like 2026-04-06"),  # an ISO week date, 10 long
        ({"to": "20260406"}, "to", "like 2026-04-06"),
        ({"to": "2026-04-06 "}, "to", "like 2026-04-06"),
        ({"from": "2026-05-01", "to": "2026-04-30"}, "from", "is after"),
        ({"group": "week"}, "group", "month"),
        ({"format": "xlsx"}, "format", "csv"),
    ],
)
def test_bad_dates_and_choices_are_refused_in_words(
    site: Site, params: dict, field: str, words: str
) -> None:
    answer = site.report(**params)
    assert answer.status_code == 422, answer.text
    assert words in answer.json()["message"]
    assert [error["field"] for error in answer.json()["errors"]] == [field]


def test_public_figures_hide_counts_under_5(site: Site) -> None:
    day = datetime(2026, 5, 1, 12, tzinfo=UTC)
    for reason, how_many in (("lost", 7), ("scared", 5), ("toilet", 2), ("unwell", 6)):
        for minute in range(how_many):
            assert (
                site.record(site.a, day + timedelta(minutes=minute), reason=reason).status_code
                == 201
            )
    period = {"from": "2026-05-01", "to": "2026-05-31"}
    full = site.report(group="reason", **period).json()
    assert counts(full) == {"lost": 7, "unwell": 6, "scared": 5, "toilet": 2}
    public = site.report(group="reason", public="true", **period).json()
    assert public["public"] is True
    # Toilet (2) is hidden; so is the next smallest (5), or 20 - 7 - 6 - 5 would give it away.
    assert [(row["key"], row["count"], row["count_words"]) for row in public["rows"]] == [
        ("lost", 7, "7"),
        ("unwell", 6, "6"),
        ("toilet", None, "fewer than 5"),  # hidden ones last, by their words
        ("scared", None, "not shown"),
    ]
    assert public["total"] == 20
    months = site.report(group="month", public="true", **period).json()
    assert counts(months) == {"2026-05": 20}
    # 3 visits in August: the total is hidden too.
    for minute in range(3):
        site.record(site.c, datetime(2026, 8, 1, 12, minute, tzinfo=UTC))
    august = site.report(group="town", public="true", **{"from": "2026-08-01", "to": "2026-08-31"})
    assert august.json()["total"] is None and august.json()["total_words"] == "fewer than 5"
    assert august.json()["rows"] == [
        {"key": "Kenilworth", "label": "Kenilworth", "count": None, "count_words": "fewer than 5"}
    ]


def test_the_spreadsheet_has_the_same_counts_and_runs_nothing(site: Site) -> None:
    record_spread(site)
    with Session(site.engine) as session:
        # A name stored by an older version, before names were checked: still never run.
        session.execute(text(f"UPDATE venue SET name = '=HYPERLINK(\"x\")' WHERE id = {site.c}"))
        session.commit()
    period = {"from": "2026-01-01", "to": "2026-12-31"}
    answer = site.report(group="venue", format="csv", **period)
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "text/csv; charset=utf-8"
    assert answer.headers["content-disposition"] == (
        'attachment; filename="visits-by-venue-2026-01-01-to-2026-12-31.csv"'
    )
    assert answer.headers["cache-control"] == "no-store"
    rows = list(csv.reader(io.StringIO(answer.text)))
    assert rows[0] == ["Venue ref", "In words", "Visits"]
    assert {row[0]: row[2] for row in rows[1:-1]} == {"A-1": "3", "B-1": "2", "C-1": "4"}
    assert ["C-1", '\'=HYPERLINK("x")', "4"] in rows
    assert rows[-1] == ["Total", "2026-01-01 to 2026-12-31", "9"]
    public = site.report(group="reason", format="csv", public="true", **period)
    assert public.headers["content-disposition"].endswith('-to-2026-12-31-public.csv"')
    said = {row[0]: row[2] for row in csv.reader(io.StringIO(public.text))}
    assert said["lost"] == "fewer than 5" and said["Total"] == "9"


# --- generated requests: no server error ----------------------------------------------------

MINE = r"^/api/(reports/visits|venues/\{venue_id\}/visits(/\{visit_id\})?)$"


def test_generated_requests_get_no_server_error(site: Site) -> None:
    """As tests/test_schemathesis.py does for the whole API, for these two routes, as an
    officer and as staff. A period with `from` after `to` is valid to the schema but
    rightly refused, so "valid data is accepted" is not asked of them."""
    record_spread(site)
    schema = schemathesis.openapi.from_asgi("/openapi.json", site.client.app).include(
        path_regex=MINE
    )
    operations = [result.ok() for result in schema.get_all_operations()]
    assert sorted(operation.label for operation in operations) == [
        "DELETE /api/venues/{venue_id}/visits/{visit_id}",
        "GET /api/reports/visits",
        "POST /api/venues/{venue_id}/visits",
    ]
    for headers in (site.officer, site.callers["staff of this venue"]):
        for operation in operations:
            no_server_errors(operation, headers, refused_while_valid=True)
