"""The officers' venue list, a page at a time (GET /api/venues/editable/page): paging
totals, every sort both ways, every filter, bounds, open problem counts, staff seeing
only their own, and the never-checked rule: a venue's check clock starts when it was
added. On SQLite and PostgreSQL (the `engine` fixture)."""

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, update
from sqlmodel import Session

from app.hours import LONDON
from app.models import Venue
from app.models.scheme import ProblemKind, ProblemReport, ProblemStatus
from tests.conftest import HEADER, load, venue_row
from tests.people import add_account, cheap_hashing, token_headers, venue_ids  # noqa: F401

pytestmark = pytest.mark.usefixtures("cheap_hashing")
PAGE = "/api/venues/editable/page"
TODAY = datetime.now(LONDON).date()


def added_at(now: datetime, days: int) -> datetime:
    """Now, or midday in London `days` ago: "now less 410 days" run at 23:30 in December
    is 00:30 the next day in London in October (summer time), and the venue list dates
    additions in London."""
    return now if not days else datetime.combine(TODAY - timedelta(days=days), time(12), LONDON)


# ref: name, town, days since last checked (None: never), days since last confirmed,
# days since added, open problem reports (new, in hand) and settled ones (done).
VENUES: dict[str, tuple[str, str, int | None, int | None, int, int, int]] = {
    "V-1": ("Apple Books", "Warwick", 10, None, 500, 0, 0),
    "V-2": ("bakery on the corner", "Rugby", 400, 20, 500, 2, 1),
    "V-3": ("Corner Café", "Warwick", None, None, 0, 1, 0),
    "V-4": ("Deli 100%", "Nuneaton", None, 200, 410, 0, 3),
    # Checked 25 days ago: within a month whatever the month (30 days is a month on from
    # a 30-day month's day, as in December, and not from a 31-day month's).
    "V-5": ("Eagle Pharmacy", "rugby", 25, 5, 800, 3, 0),
    "V-6": ("Fox Library", "Bedworth", 700, None, 900, 0, 0),
    "V-7": ("Green Grocer", "Kenilworth", 366, 100, 365, 1, 0),
}


def days_ago(days: int | None) -> date | None:
    return None if days is None else TODAY - timedelta(days=days)


def set_venues(engine: Engine) -> dict[str, int]:
    rows = "".join(
        venue_row(ref, 52.28, -1.58, name=name, town=town)
        for ref, (name, town, *_rest) in VENUES.items()
    )
    load(engine, HEADER + rows)
    ids = dict(zip(VENUES, venue_ids(engine, *VENUES), strict=True))
    now = datetime.now(UTC)
    with Session(engine) as session:
        for ref, (_n, _t, checked, confirmed, added, open_ones, done) in VENUES.items():
            session.execute(
                update(Venue)
                .where(Venue.ref == ref)  # type: ignore[arg-type]
                .values(
                    last_checked=days_ago(checked),
                    last_confirmed=days_ago(confirmed),
                    created_at=added_at(now, added),
                )
            )
            statuses = [ProblemStatus.new, ProblemStatus.in_hand] * open_ones
            for status in statuses[:open_ones] + [ProblemStatus.done] * done:
                session.add(
                    ProblemReport(
                        venue_id=ids[ref],
                        created_at=now,
                        problem=ProblemKind.other,
                        status=status,
                        updated_at=now,
                    )
                )
        session.commit()
    return ids


class Site:
    def __init__(self, engine: Engine, make_client) -> None:
        self.ids = set_venues(engine)
        self.client = make_client()
        add_account(engine, "officer@example.org", "officer")
        add_account(engine, "two@example.org", "staff", ("V-2", "V-5"))
        add_account(engine, "none@example.org", "staff")
        self.officer = token_headers(self.client, "officer@example.org")
        self.staff = token_headers(self.client, "two@example.org")

    def page(self, headers: dict[str, str] | None = None, **params: Any) -> dict:
        answer = self.client.get(PAGE, params=params, headers=headers or self.officer)
        assert answer.status_code == 200, answer.text
        return answer.json()

    def refs(self, **params: Any) -> list[str]:
        return [venue["ref"] for venue in self.page(**{"per_page": 100, **params})["venues"]]


@pytest.fixture
def site(engine: Engine, make_client) -> Site:
    return Site(engine, make_client)


def test_pages_fit_together_and_say_the_total(site: Site) -> None:
    pages = [site.page(per_page=3, page=number) for number in (1, 2, 3, 4)]
    assert [(p["total"], p["all_venues"], p["pages"], p["page"]) for p in pages] == [
        (7, 7, 3, 1),
        (7, 7, 3, 2),
        (7, 7, 3, 3),
        (7, 7, 3, 4),
    ]
    shown = [venue["ref"] for p in pages for venue in p["venues"]]
    assert [len(p["venues"]) for p in pages] == [3, 3, 1, 0]  # past the end: an empty page
    assert shown == ["V-1", "V-2", "V-3", "V-4", "V-5", "V-6", "V-7"]  # by name, A to Z
    default = site.page()
    assert (default["per_page"], default["page"], len(default["venues"])) == (20, 1, 7)
    filtered = site.page(town="Warwick", per_page=1)
    assert (filtered["total"], filtered["all_venues"], filtered["pages"]) == (2, 7, 2)


def sort_key(sort: str, ref: str) -> Any:
    name, town, checked, confirmed, added, open_ones, _done = VENUES[ref]
    return {
        "name": name.lower(),
        "town": town.lower(),
        # Never checked: from the day it was added (so long ago sorts first).
        "last_checked": TODAY - timedelta(days=added if checked is None else checked),
        "last_confirmed": TODAY - timedelta(days=added if confirmed is None else confirmed),
        "open_problems": open_ones,
    }[sort]


@pytest.mark.parametrize("order", ["asc", "desc"])
@pytest.mark.parametrize(
    "sort", ["name", "town", "last_checked", "last_confirmed", "open_problems"]
)
def test_each_sort_both_ways_ties_by_ref(site: Site, sort: str, order: str) -> None:
    expected = sorted(VENUES, key=lambda ref: (sort_key(sort, ref), ref))  # ref breaks ties
    if order == "desc":
        # Reversed by the key; ties stay by ref, A to Z.
        expected = sorted(VENUES, key=lambda ref: ref)
        expected.sort(key=lambda ref: sort_key(sort, ref), reverse=True)
    assert site.refs(sort=sort, order=order) == expected


def test_ties_are_broken_by_ref_whatever_the_order(site: Site) -> None:
    # Warwick: V-1 and V-3; rugby and Rugby are one town.
    assert site.refs(sort="town")[-2:] == ["V-1", "V-3"]
    assert site.refs(sort="town", order="desc")[:4] == ["V-1", "V-3", "V-2", "V-5"]
    # No open problems: V-1, V-4, V-6, by ref both ways.
    assert site.refs(sort="open_problems")[:3] == ["V-1", "V-4", "V-6"]
    assert site.refs(sort="open_problems", order="desc")[-3:] == ["V-1", "V-4", "V-6"]


@pytest.mark.parametrize(
    ("params", "refs"),
    [
        ({"search": "corner"}, ["V-2", "V-3"]),  # name, any case
        ({"search": "CORNER warwick"}, ["V-3"]),  # every word, in name, ref or town
        ({"search": "v-6"}, ["V-6"]),  # the ref
        ({"search": "100%"}, ["V-4"]),  # % is a character, not "anything"
        ({"search": "%"}, ["V-4"]),
        ({"search": "_"}, []),
        ({"search": "   "}, list(VENUES)),  # only spaces: no filter
        ({"search": "corner\x00warwick"}, ["V-3"]),  # a NUL byte: a space
        ({"town": "\x07"}, list(VENUES)),
        ({"town": "RUGBY"}, ["V-2", "V-5"]),  # the whole town, any case
        ({"town": "Rug"}, []),
        ({"not_checked_months": 12}, ["V-2", "V-4", "V-6", "V-7"]),  # 12 months: 365 days
        ({"not_checked_months": 13}, ["V-2", "V-4", "V-6"]),  # V-4: never, added 410 days ago
        ({"not_checked_months": 1}, ["V-2", "V-4", "V-6", "V-7"]),  # V-3 added today
        ({"not_confirmed_months": 3}, ["V-1", "V-4", "V-6", "V-7"]),  # V-3 added today
        ({"not_confirmed_months": 6}, ["V-1", "V-4", "V-6"]),
        ({"has_open_problems": "true"}, ["V-2", "V-3", "V-5", "V-7"]),  # "done" is not open
        ({"has_open_problems": "false"}, ["V-1", "V-4", "V-6"]),
        ({"town": "warwick", "search": "apple", "not_checked_months": 1}, []),
        ({"town": "rugby", "has_open_problems": "true", "not_confirmed_months": 1}, []),
        ({"town": "rugby", "not_checked_months": 1}, ["V-2"]),
    ],
)
def test_each_filter(site: Site, params: dict[str, Any], refs: list[str]) -> None:
    assert sorted(site.refs(**params)) == refs
    assert site.page(**params)["total"] == len(refs)


def test_a_venue_added_today_is_not_due_a_check_and_one_added_13_months_ago_is(
    site: Site,
) -> None:
    lines = {venue["ref"]: venue for venue in site.page()["venues"]}
    today, old = lines["V-3"], lines["V-4"]  # neither was ever checked
    assert (today["last_checked"], today["added_on"], today["check_due"]) == (
        None,
        TODAY.isoformat(),
        False,
    )
    assert (old["last_checked"], old["added_on"], old["check_due"]) == (
        None,
        (TODAY - timedelta(days=410)).isoformat(),
        True,
    )
    assert today["confirm_due"] is False and lines["V-6"]["confirm_due"] is True
    assert lines["V-5"]["confirm_due"] is False  # confirmed 5 days ago
    assert [ref for ref, line in lines.items() if line["check_due"]] == [
        "V-2",
        "V-4",
        "V-6",
        "V-7",
    ]
    # The officers' list of venues due a check says the same.
    unchecked = site.client.get("/api/venues/unchecked", headers=site.officer).json()
    assert [venue["ref"] for venue in unchecked] == ["V-6", "V-4", "V-2", "V-7"]  # oldest first


def test_open_problem_counts_are_new_and_in_hand_only(site: Site) -> None:
    counts = {v["ref"]: v["open_problems"] for v in site.page()["venues"]}
    assert counts == {"V-1": 0, "V-2": 2, "V-3": 1, "V-4": 0, "V-5": 3, "V-6": 0, "V-7": 1}


def test_staff_see_only_their_own_venues(site: Site) -> None:
    theirs = site.page(site.staff, sort="open_problems", order="desc")
    assert [v["ref"] for v in theirs["venues"]] == ["V-5", "V-2"]
    assert (theirs["total"], theirs["all_venues"]) == (2, 2)
    assert site.page(site.staff, search="apple")["total"] == 0  # another's venue
    assert site.page(site.staff, town="warwick")["all_venues"] == 2
    none = token_headers(site.client, "none@example.org")
    assert site.page(none)["venues"] == [] and site.page(none)["total"] == 0
    anonymous = site.client.get(PAGE)
    assert anonymous.status_code == 401 and anonymous.json()["message"]


@pytest.mark.parametrize(
    ("params", "words"),
    [
        ({"per_page": 0}, "per_page must be 1 or more."),
        ({"per_page": 101}, "per_page must be 100 or less."),
        ({"page": 0}, "page must be 1 or more."),
        ({"page": 100_001}, "page must be 100000 or less."),
        ({"page": "two"}, "page must be a whole number."),
        ({"sort": "size"}, "sort: Input should be 'name', 'town'"),
        ({"order": "up"}, "order: Input should be 'asc' or 'desc'."),
        ({"not_checked_months": 0}, "not_checked_months must be 1 or more."),
        ({"not_confirmed_months": 121}, "not_confirmed_months must be 120 or less."),
        ({"has_open_problems": "maybe"}, "has_open_problems must be true or false."),
        ({"search": "x" * 101}, "search must be at most 100 characters."),
    ],
)
def test_bad_values_are_refused_in_words(site: Site, params: dict, words: str) -> None:
    answer = site.client.get(PAGE, params=params, headers=site.officer)
    assert answer.status_code == 422, answer.text
    assert answer.json()["message"].startswith(words)
    [field] = {error["field"] for error in answer.json()["errors"]}
    assert field == next(iter(params))


def test_the_old_whole_list_is_unchanged(site: Site) -> None:
    everything = site.client.get("/api/venues/editable", headers=site.officer).json()
    # By name as stored (capitals first), withdrawn too: as before paging came.
    assert [v["ref"] for v in everything] == sorted(VENUES, key=lambda ref: VENUES[ref][0])
    assert set(everything[0]) == {
        "id", "ref", "name", "town", "active", "last_checked", "closed_until", "photo_problem",
    }  # fmt: skip


# Last confirmed (due 3 months on), last checked (due 12 months on), and the day both
# are due by the calendar: month ends fold days together (29 and 30 Nov both fall due on
# 28 Feb) and leave days that are no one's due day (29 to 31 May: 28 Feb's is 28 May).
EDGES = {
    "E-1": (date(2025, 11, 29), date(2025, 2, 28), date(2026, 2, 28)),
    "E-2": (date(2025, 11, 30), date(2025, 2, 28), date(2026, 2, 28)),
    "E-3": (date(2025, 12, 31), date(2025, 3, 31), date(2026, 3, 31)),
    "E-4": (date(2026, 1, 1), date(2025, 4, 1), date(2026, 4, 1)),  # by days: 3 April
    "E-5": (date(2026, 2, 28), date(2025, 5, 28), date(2026, 5, 28)),
}
ASKED_ON = [
    date(2026, 2, 27), date(2026, 2, 28), date(2026, 3, 1), date(2026, 3, 30),
    date(2026, 3, 31), date(2026, 4, 1), date(2026, 4, 2), date(2026, 5, 27),
    date(2026, 5, 28), date(2026, 5, 30), date(2026, 5, 31), date(2026, 6, 1),
]  # fmt: skip


def test_the_list_its_filters_and_the_confirmation_agree_on_what_is_due(
    engine: Engine, make_client, clock
) -> None:
    """One rule (calendar months, due from the due day on) behind the list's confirm_due
    and check_due, its filters, /unchecked and /confirmation, at every kind of month end."""
    rows = "".join(venue_row(ref, 52.28, -1.58) for ref in EDGES)
    load(engine, HEADER + rows)
    ids = dict(zip(EDGES, venue_ids(engine, *EDGES), strict=True))
    with Session(engine) as session:
        for ref, (confirmed, checked, _due) in EDGES.items():
            session.execute(
                update(Venue)
                .where(Venue.ref == ref)  # type: ignore[arg-type]
                .values(
                    last_confirmed=confirmed,
                    last_checked=checked,
                    created_at=datetime(2024, 1, 1, tzinfo=UTC),
                )
            )
        session.commit()
    client = make_client()  # confirm_every_months: 3
    add_account(engine, "officer@example.org", "officer")
    officer = token_headers(client, "officer@example.org")

    def refs(**params: Any) -> list[str]:
        page = client.get(PAGE, params={"per_page": 100, **params}, headers=officer).json()
        return sorted(venue["ref"] for venue in page["venues"])

    for day in ASKED_ON:
        clock.now = datetime.combine(day, datetime.min.time(), LONDON) + timedelta(hours=12)
        due = sorted(ref for ref, (*_done, due_on) in EDGES.items() if due_on <= day)
        lines = client.get(PAGE, params={"per_page": 100}, headers=officer).json()["venues"]
        said = {
            ref: client.get(f"/api/venues/{ids[ref]}/confirmation", headers=officer).json()
            for ref in EDGES
        }
        assert {ref: said[ref]["due_on"] for ref in EDGES} == {
            ref: due_on.isoformat() for ref, (*_done, due_on) in EDGES.items()
        }
        unchecked = client.get("/api/venues/unchecked", headers=officer).json()
        assert {
            "confirm_due": sorted(line["ref"] for line in lines if line["confirm_due"]),
            "check_due": sorted(line["ref"] for line in lines if line["check_due"]),
            "/confirmation": sorted(ref for ref in EDGES if said[ref]["due"]),
            "not_confirmed_months": refs(not_confirmed_months=3),
            "not_checked_months": refs(not_checked_months=12),
            "/unchecked": sorted(venue["ref"] for venue in unchecked),
        } == dict.fromkeys(
            ("confirm_due", "check_due", "/confirmation", "not_confirmed_months",
             "not_checked_months", "/unchecked"),
            due,
        ), day  # fmt: skip
