""" "Something is wrong with this place" (problem reports), and "Still correct?"
(when a venue's staff are due to say their listing is still right).

A report is a problem kind, an optional short note and an optional way to reach the
person: no name is asked and nothing of it is ever public. Officers see every report
with its contact; a venue's staff see the reports about their own venue without it.

Not HTTP: problems are `app.problems` kinds. The routes are app/routers/problem_reports.py.
"""

from datetime import UTC, date, datetime
from typing import Annotated

from pydantic import BaseModel, Field
from sqlalchemy import update
from sqlmodel import Session, col, func, select

from app.models import Venue
from app.models.scheme import (
    PROBLEM_KIND_WORDS,
    ProblemKind,
    ProblemReport,
    ProblemStatus,
)
from app.preconditions import moment_after, moment_etag, require_fresh
from app.problems import Invalid, NotFound, Stale
from app.venues.listing_pages import OPEN_STATUSES, day_added, due_on
from app.venues.venue_file import text_problems

NOTE_MAX = 300
CONTACT_MAX = 200
OFFICER_NOTE_MAX = 500
THANK_YOU = "Thank you for telling us. The council will look into it."
STALE_REPORT = (
    "Another officer moved this report on after you read it. Read it again, then change it."
)
NO_SUCH_REPORT = "There is no problem report with id {id}. Check the number."


def checked_texts(texts: dict[str, str | None]) -> dict[str, str | None]:
    """The texts trimmed (empty ones None), or Invalid naming each one at fault: the
    venue file's rules for free text (no control characters, no direction marks). A
    note may start with - + = or @ ("- the door was locked"): problem reports are
    never written to a spreadsheet file, and every CSV writer marks its cells as text
    anyway (`mark_as_text`)."""
    trimmed = {field: (value or "").strip() or None for field, value in texts.items()}
    problems = [
        problem
        for field, text in trimmed.items()
        if text
        for problem in text_problems(field, text, formulas=False)
    ]
    if problems:
        raise Invalid(problems)
    return trimmed


# --- what is sent, and what is answered -----------------------------------------------


class ProblemReportSend(BaseModel):
    """What a member of the public sends: the problem, and if they like a note and a way
    to reach them (seen only by council officers)."""

    model_config = {"extra": "forbid"}

    problem: ProblemKind
    note: Annotated[str, Field(max_length=NOTE_MAX)] | None = Field(
        default=None, description="What happened, in a few words (optional)."
    )
    contact: Annotated[str, Field(max_length=CONTACT_MAX)] | None = Field(
        default=None,
        description="How the council can reach you, if you want them to (optional; "
        "only council officers see it).",
    )


class ProblemReportSent(BaseModel):
    message: str = Field(description="A plain thank-you.")


class ProblemReportChange(BaseModel):
    """An officer moves a report along: its status, and a note of what was done."""

    model_config = {"extra": "forbid"}

    status: ProblemStatus | None = None
    officer_note: Annotated[str, Field(max_length=OFFICER_NOTE_MAX)] | None = None


class ProblemReportForStaff(BaseModel):
    """A report as a venue's staff see it: the kind of problem, when, and where the
    council is with it. Never the person's words or how to reach them: the form tells
    the person only the council reads those, and a note ("the man at the till…") can
    say who they are to the very people it is about."""

    id: int
    venue_id: int
    created_at: datetime
    problem: ProblemKind
    problem_words: str = Field(description="The problem in easy read, as the person chose it.")
    status: ProblemStatus
    updated_at: datetime


class ProblemReportForOfficers(ProblemReportForStaff):
    """A report as council officers see it: with the venue, the person's note and
    contact, and the officers' own note."""

    note: str | None
    venue_name: str
    venue_town: str
    contact: str | None
    officer_note: str | None
    etag: str = Field(
        description="Send it as If-Match to move the report on: if another officer moved "
        "it first, the change is refused (412) and nothing of it is kept."
    )


class VenueProblemReports(BaseModel):
    """The newest reports about one venue (for its staff), and how many there are in all."""

    reports: list[ProblemReportForStaff] = Field(description="Newest first, up to `limit`.")
    total: int = Field(description="How many problems were reported about it, ever.")
    open: int = Field(description="How many of them are new or in hand (not done).")


def for_staff(report: ProblemReport) -> ProblemReportForStaff:
    return ProblemReportForStaff(
        **report.model_dump(include=set(ProblemReportForStaff.model_fields)),
        problem_words=PROBLEM_KIND_WORDS[report.problem],
    )


def for_officers(report: ProblemReport, venue: Venue) -> ProblemReportForOfficers:
    return ProblemReportForOfficers(
        **report.model_dump(include=set(ProblemReportForOfficers.model_fields)),
        problem_words=PROBLEM_KIND_WORDS[report.problem],
        venue_name=venue.name,
        venue_town=venue.town,
        etag=report_etag(report),
    )


# --- the reports ------------------------------------------------------------------------


def checked_report(sent: ProblemReportSend) -> dict[str, str | None]:
    """The note and contact as they will be kept, or Invalid (before anything is counted)."""
    return checked_texts({"note": sent.note, "contact": sent.contact})


def add_report(
    session: Session,
    venue: Venue,
    problem: ProblemKind,
    texts: dict[str, str | None],
    now: datetime,
) -> None:
    assert venue.id is not None
    now = now.astimezone(UTC)
    session.add(
        ProblemReport(
            venue_id=venue.id,
            created_at=now,
            updated_at=now,
            problem=problem,
            note=texts["note"],
            contact=texts["contact"],
        )
    )
    session.commit()


def reports_for_officers(
    session: Session, status: ProblemStatus | None, limit: int
) -> list[ProblemReportForOfficers]:
    """Newest first, with the venue each is about (withdrawn venues' too)."""
    query = select(ProblemReport, Venue).join(Venue, col(Venue.id) == col(ProblemReport.venue_id))
    if status is not None:
        query = query.where(col(ProblemReport.status) == status)
    query = query.order_by(col(ProblemReport.created_at).desc(), col(ProblemReport.id).desc())
    return [for_officers(report, venue) for report, venue in session.exec(query.limit(limit))]


def reports_for_staff(session: Session, venue: Venue, limit: int) -> VenueProblemReports:
    """The newest `limit` reports, and all of them counted by status (one grouped query)."""
    query = (
        select(ProblemReport)
        .where(col(ProblemReport.venue_id) == venue.id)
        .order_by(col(ProblemReport.created_at).desc(), col(ProblemReport.id).desc())
        .limit(limit)
    )
    by_status = dict(
        session.exec(
            select(col(ProblemReport.status), func.count())
            .where(col(ProblemReport.venue_id) == venue.id)
            .group_by(col(ProblemReport.status))
        ).all()
    )
    return VenueProblemReports(
        reports=[for_staff(report) for report in session.exec(query)],
        total=sum(by_status.values()),
        open=sum(by_status.get(status, 0) for status in OPEN_STATUSES),
    )


def report_etag(report: ProblemReport) -> str:
    """What a change to the report may send back as If-Match: the moment of its last change."""
    return moment_etag(report.updated_at)


def change_report(
    session: Session,
    report_id: int,
    change: ProblemReportChange,
    now: datetime,
    if_match: str | None = None,
) -> ProblemReportForOfficers:
    """Move a report along. With If-Match (the officers' screen sends it), a compare-and-set:
    of two officers moving one report from the same read, one is kept and the other is
    refused whole (Stale), so neither's note is lost unseen. Without it, the last change
    wins, as before (If-Match is not required of problem reports)."""
    report = session.get(ProblemReport, report_id)
    if report is None:
        raise NotFound(NO_SUCH_REPORT.format(id=report_id))
    if if_match is not None:
        require_fresh(if_match, report_etag(report), STALE_REPORT)
    values = change.model_dump(exclude_unset=True)
    if "status" in values and values["status"] is None:
        raise Invalid("status must be new, in_hand or done.", field="status")
    if "officer_note" in values:
        values.update(checked_texts({"officer_note": values["officer_note"]}))
    read = report.updated_at
    moved = moment_after(read, now)
    # One statement checks and stamps (both databases, any number of servers); it is
    # the change's first write, and holds the row until the commit.
    claimed = session.connection().execute(
        update(ProblemReport)
        .where(col(ProblemReport.id) == report.id, col(ProblemReport.updated_at) == read)
        .values(updated_at=moved)
    )
    if if_match is not None and claimed.rowcount != 1:
        session.rollback()
        raise Stale(STALE_REPORT)
    for name, value in values.items():
        setattr(report, name, value)
    report.updated_at = moved
    session.add(report)
    session.commit()
    session.refresh(report)
    venue = session.get(Venue, report.venue_id)
    assert venue is not None
    return for_officers(report, venue)


# --- "Still correct?" -------------------------------------------------------------------


class Confirmation(BaseModel):
    """When the venue's staff last said the listing is still right, and when next."""

    last_confirmed: date | None = Field(description="Null: never (counted from when it joined).")
    counted_from: date = Field(description="The last confirmation, or the day the venue was added.")
    due_on: date = Field(description="The day it is due to be confirmed again.")
    due: bool = Field(description="True from due_on on: the staff are reminded.")
    every_months: int


def confirmation(venue: Venue, every_months: int, today: date) -> Confirmation:
    counted_from = venue.last_confirmed or day_added(venue)
    due = due_on(counted_from, every_months)
    return Confirmation(
        last_confirmed=venue.last_confirmed,
        counted_from=counted_from,
        due_on=due,
        due=today >= due,
        every_months=every_months,
    )
