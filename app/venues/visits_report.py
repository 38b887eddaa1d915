"""How much the scheme is used: visits counted by month, venue, town, reason or outcome.

Counted in the database (GROUP BY), over a period of London dates, both days in.
Figures meant for the public hide every count under 5 (and one more when only one
is hidden, so the total cannot give it away). Nothing here names or places a person:
a visit is only a venue, a time, a reason and an outcome.

Not here: who may ask (app/routers/reports.py asks app.permissions).
"""

import io
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Integer, case, cast, func
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, select

from app.hours.calendar import add_months, midnight
from app.models import Venue, Visit
from app.models.scheme import VISIT_OUTCOME_WORDS, VISIT_REASON_WORDS
from app.problems import Invalid
from app.venues.venue_file import write_csv

# Counts under this are hidden from figures meant for the public.
SMALLEST_SHOWN = 5
FEWER_THAN = f"fewer than {SMALLEST_SHOWN}"
# A second count hidden so that the total cannot give away the first.
NOT_SHOWN = "not shown"
DEFAULT_MONTHS = 12
MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December",
)  # fmt: skip


class ReportGroup(StrEnum):
    month = "month"
    venue = "venue"
    town = "town"
    reason = "reason"
    outcome = "outcome"


class Period(BaseModel):
    """London dates, both days in."""

    model_config = ConfigDict(populate_by_name=True)

    first: date = Field(alias="from", description="The first day counted (London time).")
    last: date = Field(alias="to", description="The last day counted (London time).")


class ReportRow(BaseModel):
    key: str = Field(description="A month (2026-03), a venue's ref, a town, a reason or outcome.")
    label: str = Field(description="The same in words: March 2026, a venue's name, …")
    count: int | None = Field(description="Visits; null when hidden from public figures.")
    count_words: str = Field(description='The count as shown: "12", "fewer than 5", "not shown".')


class VisitReport(BaseModel):
    group: ReportGroup
    period: Period
    public: bool = Field(description="Counts under 5 are hidden, as in any public figure.")
    rows: list[ReportRow] = Field(description="Only groups with visits; months in order.")
    total: int | None
    total_words: str


# --- the period --------------------------------------------------------------------


def month_start_before(day: date, months: int) -> date:
    """The first day of the month `months` before `day`'s month (or the first date of all)."""
    try:
        return add_months(day.replace(day=1), -months)
    except ValueError:  # before the year 1
        return date.min


def report_period(first: date | None, last: date | None, today: date) -> Period:
    """The days asked for; by default the last 12 months, this one so far included."""
    last = last or today
    first = first or month_start_before(last, DEFAULT_MONTHS - 1)
    if first > last:
        raise Invalid(
            f"from ({first}) is after to ({last}). Give the first day, then the last day.",
            field="from",
        )
    return Period.model_validate({"from": first, "to": last})


def utc_bounds(period: Period) -> tuple[datetime, datetime | None]:
    """From midnight in London on the first day, to (not including) the midnight after
    the last day, in UTC; None: no end (the last day is the last a date can be)."""
    start = midnight(period.first).astimezone(UTC)
    if period.last >= date.max - timedelta(days=1):
        return start, None
    return start, midnight(period.last + timedelta(days=1)).astimezone(UTC)


# --- counting in the database -------------------------------------------------------


def london_month(dialect: str) -> ColumnElement[Any]:
    """A visit's month in London ("2026-04"), as the database works it out.

    PostgreSQL knows time zones. SQLite does not, but the UK's clocks change on the
    last Sundays of March and October at 01:00 UTC: every UTC moment in March to
    September that an hour later is in the next month (the last hour of the month)
    is in British Summer Time, so it is in that next month in London; from October
    to February it is not. Within a month, an hour later is the same month anyway.
    tests/test_visits.py checks both at each kind of month end.
    """
    at = Visit.recorded_at
    if dialect == "postgresql":
        return func.to_char(func.timezone("Europe/London", at), "YYYY-MM")
    summer = cast(func.strftime("%m", at), Integer).between(3, 9)
    return case((summer, func.strftime("%Y-%m", at, "+1 hour")), else_=func.strftime("%Y-%m", at))


def grouped_counts(
    session: Session, group: ReportGroup, period: Period
) -> list[tuple[str, str, int]]:
    """(key, label, count) for each group with visits in the period."""
    dialect = session.get_bind().dialect.name
    count = func.count(col(Visit.id)).label("visits")
    keys: list[Any]
    if group is ReportGroup.month:
        keys = [london_month(dialect).label("month")]
    elif group is ReportGroup.venue:
        keys = [col(Venue.ref), col(Venue.name)]
    elif group is ReportGroup.town:
        keys = [col(Venue.town)]
    else:
        keys = [col(Visit.reason) if group is ReportGroup.reason else col(Visit.outcome)]
    query = select(*keys, count).select_from(Visit)  # type: ignore[call-overload]
    if group in (ReportGroup.venue, ReportGroup.town):
        query = query.join(Venue, col(Venue.id) == col(Visit.venue_id))
    start, end = utc_bounds(period)
    query = query.where(col(Visit.recorded_at) >= start)
    if end is not None:
        query = query.where(col(Visit.recorded_at) < end)
    rows = session.exec(query.group_by(*keys)).all()
    # (key, count) or, for venues, (ref, name, count).
    return [(str(row[0]), label_words(group, row[0], row[-2]), row[-1]) for row in rows]


def label_words(group: ReportGroup, key: Any, label: Any) -> str:
    if group is ReportGroup.month:
        year, month = str(key).split("-")
        return f"{MONTH_NAMES[int(month) - 1]} {int(year)}"
    if group is ReportGroup.reason:
        return VISIT_REASON_WORDS[key]
    if group is ReportGroup.outcome:
        return VISIT_OUTCOME_WORDS[key]
    return str(label)


# --- the report ---------------------------------------------------------------------


def visit_report(
    session: Session, group: ReportGroup, period: Period, public: bool = False
) -> VisitReport:
    counted = grouped_counts(session, group, period)
    if group is ReportGroup.month:
        counted.sort(key=lambda row: row[0])
    else:
        counted.sort(key=lambda row: (-row[2], row[1]))
    total = sum(n for _, _, n in counted)
    rows = [ReportRow(key=k, label=words, count=n, count_words=str(n)) for k, words, n in counted]
    shown_total: int | None = total
    if public:
        rows = suppressed(rows, ordered_by_time=group is ReportGroup.month)
        shown_total = total if total >= SMALLEST_SHOWN else None
    return VisitReport(
        group=group,
        period=period,
        public=public,
        rows=rows,
        total=shown_total,
        total_words=FEWER_THAN if shown_total is None else str(total),
    )


def suppressed(rows: list[ReportRow], ordered_by_time: bool) -> list[ReportRow]:
    """Counts under 5 hidden; if only one is, the next smallest too, so the total and
    the other rows cannot give it back. Hidden rows go last (but for months, which
    stay in order), so their order says nothing of their size."""
    small = [row for row in rows if row.count is not None and row.count < SMALLEST_SHOWN]
    hidden = {id(row): FEWER_THAN for row in small}
    if len(small) == 1:
        rest = [row for row in rows if id(row) not in hidden]
        if rest:
            hidden[id(min(rest, key=lambda row: row.count or 0))] = NOT_SHOWN
    out = [
        row.model_copy(update={"count": None, "count_words": hidden[id(row)]})
        if id(row) in hidden
        else row
        for row in rows
    ]
    if not ordered_by_time:
        out.sort(key=lambda row: (row.count is None, row.label if row.count is None else ""))
    return out


# --- as a spreadsheet ---------------------------------------------------------------

CSV_HEADINGS = {
    ReportGroup.month: "Month",
    ReportGroup.venue: "Venue ref",
    ReportGroup.town: "Town",
    ReportGroup.reason: "Reason",
    ReportGroup.outcome: "What staff did",
}


def report_csv(report: VisitReport) -> str:
    """The report as CSV: a row per group, then the total; every cell a spreadsheet
    could run is marked as text, as in every CSV the service writes."""
    out = io.StringIO()
    write_csv(
        [
            [CSV_HEADINGS[report.group], "In words", "Visits"],
            *([row.key, row.label, row.count_words] for row in report.rows),
            ["Total", f"{report.period.first} to {report.period.last}", report.total_words],
        ],
        out,
    )
    return out.getvalue()


def csv_filename(report: VisitReport) -> str:
    period = report.period
    public = "-public" if report.public else ""
    return f"visits-by-{report.group}-{period.first}-to-{period.last}{public}.csv"
