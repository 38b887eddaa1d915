"""The list of venues an editor looks after, a page at a time: filtered, sorted and
counted by the database, so 100,000 venues cost about what 1,000 do.

A venue's check clock starts on the day it was added: one never checked counts from
its `created_at`, so a venue added today is not "not checked for 12 months" (issue 12).
The same holds for `last_confirmed`. Open problem reports (new or in hand) are counted
in SQL, by a grouped query (outer-joined to sort by them), never row by row in Python.

Not HTTP: the route is app/routers/listings.py.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy import Date, and_, exists, func, not_, or_
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement
from sqlmodel import Session, col, select

from app.db import stored_utc
from app.hours import LONDON
from app.hours.calendar import add_months
from app.models import Account, AccountVenue, Role, Venue
from app.models.scheme import ProblemReport, ProblemStatus
from app.models.venue import ListingSummary
from app.venues.edits import CHECK_EVERY_MONTHS
from app.venues.venue_file import CONTROL

MAX_PER_PAGE = 100
PER_PAGE = 20
MAX_PAGE = 100_000
MAX_MONTHS = 120
MAX_SEARCH = 100
OPEN_STATUSES = (ProblemStatus.new, ProblemStatus.in_hand)


class ListSort(StrEnum):
    name = "name"
    town = "town"
    last_checked = "last_checked"
    last_confirmed = "last_confirmed"
    open_problems = "open_problems"


class SortOrder(StrEnum):
    asc = "asc"
    desc = "desc"


class VenueListLine(ListingSummary):
    """One venue on a page of the list: what it is, how fresh, and what is wrong."""

    last_confirmed: date | None
    added_on: date = Field(description="The day it was added (UK time): its clocks start here.")
    check_due: bool = Field(
        description=f"Not checked for {CHECK_EVERY_MONTHS} months, counting from added_on "
        "when it was never checked."
    )
    confirm_due: bool = Field(
        description="Not confirmed for confirm_every_months, counting from added_on when "
        "it was never confirmed."
    )
    open_problems: int = Field(description="Problem reports about it that are new or in hand.")


class VenueListPage(BaseModel):
    """One page of the venues you may change, with the counts to page through them."""

    venues: list[VenueListLine]
    total: int = Field(description="How many venues match the filters.")
    all_venues: int = Field(description="How many venues you may change, with no filters.")
    page: int
    per_page: int
    pages: int = Field(description="How many pages the matching venues fill (at least 1).")
    check_every_months: int
    confirm_every_months: int


@dataclass(frozen=True, slots=True)
class ListFilters:
    """Which venues to show; None: do not filter on it."""

    search: str | None = None
    town: str | None = None
    not_checked_months: int | None = None
    not_confirmed_months: int | None = None
    has_open_problems: bool | None = None

    def any(self) -> bool:
        return any(value is not None for value in (
            self.search, self.town, self.not_checked_months, self.not_confirmed_months,
            self.has_open_problems,
        ))  # fmt: skip


@dataclass(frozen=True, slots=True)
class ListOrder:
    sort: ListSort = ListSort.name
    order: SortOrder = SortOrder.asc
    page: int = 1
    per_page: int = PER_PAGE


def due_on(counted_from: date, months: int) -> date:
    """The day a check or confirmation counted from `counted_from` is due again: calendar
    months on (31 Jan + 1 month = 28 Feb). The one rule behind the list, its filters and
    /confirmation."""
    return add_months(counted_from, months)


def months_before(now: datetime, months: int) -> date:
    """The first day a clock may have started on and not be due today (UK time): 'not done
    for N months' means started before it, so the filters agree with `due_on` exactly.

    Not simply today less N months: months differ in length, so several start days fall
    due on one day (28 to 31 Jan all on 28 Feb, a month on) and some days are no start
    day's due day (29 to 31 Mar). It is the day after the last start day due by today."""
    today = now.astimezone(LONDON).date()
    return max(
        add_months(today, -months) + timedelta(days=1),
        add_months(today + timedelta(days=1), -months),
    )


def day_added(venue: Venue) -> date:
    """The day (UK time) the venue was added; SQLite hands back UTC without its zone."""
    return stored_utc(venue.created_at).astimezone(LONDON).date()


def not_done_since(done: Any, cutoff: date) -> ColumnElement[bool]:
    """Last done before `cutoff`, or never done and added before it (UK days, both)."""
    added_before = datetime.combine(cutoff, time(), tzinfo=LONDON).astimezone(UTC)
    return or_(col(done) < cutoff, and_(col(done).is_(None), col(Venue.created_at) < added_before))


class _DayAdded(FunctionElement[date]):
    """The day a venue was added, as a date the database can sort beside a column."""

    type = Date()
    inherit_cache = True
    name = "day_added"


@compiles(_DayAdded)
def _day_added_postgresql(element: _DayAdded, compiler: SQLCompiler, **kw: Any) -> str:
    return f"CAST(timezone('Europe/London', {compiler.process(element.clauses, **kw)}) AS DATE)"


@compiles(_DayAdded, "sqlite")
def _day_added_sqlite(element: _DayAdded, compiler: SQLCompiler, **kw: Any) -> str:
    # SQLite keeps no time zones: the UTC day (an hour out, only between midnights).
    return f"date({compiler.process(element.clauses, **kw)})"


def clock(done: Any) -> ColumnElement[date]:
    """When a venue was last checked (or confirmed), or else the day it was added."""
    return func.coalesce(done, _DayAdded(col(Venue.created_at)))


def like_any_case(column: Any, word: str) -> ColumnElement[bool]:
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return func.lower(column).like(f"%{escaped}%", escape="\\")


def plain_text(value: str | None) -> str | None:
    """Lower case and stripped, or None when empty. A control character (a NUL byte, which
    PostgreSQL refuses) separates words, as a space does: it can be in no name."""
    return CONTROL.sub(" ", value or "").strip().lower() or None


def conditions(account: Account, filters: ListFilters, now: datetime) -> list[ColumnElement[bool]]:
    """The WHERE clauses: the caller's own venues (staff), then each filter given."""
    where: list[ColumnElement[bool]] = []
    if account.role == Role.staff:
        theirs = select(AccountVenue.venue_id).where(AccountVenue.account_id == account.id)
        where.append(col(Venue.id).in_(theirs))
    for word in (plain_text(filters.search) or "").split():
        where.append(or_(*(like_any_case(c, word) for c in (Venue.name, Venue.ref, Venue.town))))
    town = plain_text(filters.town)
    if town:
        where.append(func.lower(col(Venue.town)) == town)
    if filters.not_checked_months is not None:
        cutoff = months_before(now, filters.not_checked_months)
        where.append(not_done_since(Venue.last_checked, cutoff))
    if filters.not_confirmed_months is not None:
        cutoff = months_before(now, filters.not_confirmed_months)
        where.append(not_done_since(Venue.last_confirmed, cutoff))
    if filters.has_open_problems is not None:
        reported = exists().where(
            col(ProblemReport.venue_id) == Venue.id, col(ProblemReport.status).in_(OPEN_STATUSES)
        )
        where.append(reported if filters.has_open_problems else not_(reported))
    return where


def count(session: Session, where: list[ColumnElement[bool]]) -> int:
    return session.exec(select(func.count()).select_from(Venue).where(*where)).one()


def open_counts(venue_ids: Any = None) -> Any:
    """Open problem reports by venue (of `venue_ids` only, when given): a grouped query."""
    query = select(col(ProblemReport.venue_id), func.count().label("open_problems")).where(
        col(ProblemReport.status).in_(OPEN_STATUSES)
    )
    if venue_ids is not None:
        query = query.where(col(ProblemReport.venue_id).in_(venue_ids))
    return query.group_by(col(ProblemReport.venue_id))


def page_ids(
    session: Session, where: list[ColumnElement[bool]], order: ListOrder, counted: bool
) -> tuple[list[int], int | None]:
    """The ids on the page, in order, and (when `counted`) how many match in all.

    Only the sort key, ref and id are sorted (not whole rows), and the problem counts are
    joined only to sort by them. Ref is unique, so it breaks every tie, both ways: an
    index on (sort key, ref) serves the page as it is. `counted` counts the matches in
    the same scan (a window), for filters, which scan every venue anyway."""
    columns: list[Any] = [col(Venue.id), func.count().over()] if counted else [col(Venue.id)]
    query = select(*columns).where(*where)
    if order.sort == ListSort.open_problems:
        counts = open_counts().subquery()
        query = query.outerjoin(counts, counts.c.venue_id == Venue.id)
        key: Any = func.coalesce(counts.c.open_problems, 0)
    else:
        key = {
            ListSort.name: func.lower(col(Venue.name)),
            ListSort.town: func.lower(col(Venue.town)),
            ListSort.last_checked: clock(Venue.last_checked),
            ListSort.last_confirmed: clock(Venue.last_confirmed),
        }[order.sort]
    rows = session.execute(
        query.order_by(key.desc() if order.order == SortOrder.desc else key.asc())
        .order_by(col(Venue.ref))
        .offset((order.page - 1) * order.per_page)
        .limit(order.per_page)
    ).all()
    return [row[0] for row in rows], (rows[0][1] if counted and rows else None)


def venue_page(
    session: Session, account: Account, now: datetime, filters: ListFilters, order: ListOrder
) -> tuple[list[tuple[Venue, int]], int, int]:
    """(venue, open problem reports) for one page, how many match, and how many in all."""
    where = conditions(account, filters, now)
    ids, total = page_ids(session, where, order, counted=filters.any())
    if total is None:
        total = count(session, where)
    venues = {
        venue.id: venue for venue in session.exec(select(Venue).where(col(Venue.id).in_(ids)))
    }
    problems = dict(session.exec(open_counts(ids)).all()) if ids else {}
    everything = count(session, conditions(account, ListFilters(), now)) if filters.any() else total
    return [(venues[i], problems.get(i, 0)) for i in ids], total, everything


def list_line(
    venue: Venue, open_problems: int, now: datetime, confirm_every_months: int
) -> VenueListLine:
    added, today = day_added(venue), now.astimezone(LONDON).date()
    return VenueListLine.model_validate({
        **venue.model_dump(include={
            "id", "ref", "name", "town", "active", "last_checked", "closed_until", "photo",
            "last_confirmed",
        }),
        "added_on": added,
        "check_due": due_on(venue.last_checked or added, CHECK_EVERY_MONTHS) <= today,
        "confirm_due": due_on(venue.last_confirmed or added, confirm_every_months) <= today,
        "open_problems": open_problems,
    })  # fmt: skip
