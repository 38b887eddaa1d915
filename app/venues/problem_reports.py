""" "Something is wrong with this place" (problem reports), and "Still correct?"
(when a venue's staff are due to say their listing is still right).

A report is a problem kind, an optional short note and an optional way to reach the
person: no name is asked and nothing of it is ever public. Officers see every report
with its contact; a venue's staff see the reports about their own venue without it.

Not HTTP: problems are `app.problems` kinds. The routes are app/routers/problem_reports.py.
"""

import calendar
from datetime import UTC, date, datetime
from typing import Annotated

from pydantic import BaseModel, Field
from sqlmodel import Session, col, select

from app.db import utc_now
from app.hours import LONDON
from app.models import Venue
from app.models.scheme import (
    PROBLEM_KIND_WORDS,
    ProblemKind,
    ProblemReport,
    ProblemStatus,
)
from app.problems import FieldProblem, Invalid, NotFound
from app.venues.venue_file import BIDI, CONTROL, FORMULA_LIKE, PHONE

NOTE_MAX = 300
CONTACT_MAX = 200
OFFICER_NOTE_MAX = 500
THANK_YOU = "Thank you for telling us. The council will look into it."
NO_SUCH_REPORT = "There is no problem report with id {id}. Check the number."


def text_problem(field: str, text: str, *, phone_allowed: bool = False) -> FieldProblem | None:
    """Why text a person typed is refused, as a venue's text would be (None: it is fine):
    no control characters, no direction marks, nothing a spreadsheet would run."""
    if CONTROL.search(text):
        return FieldProblem(
            field,
            "control_character",
            f"{field} holds a control character (like a NUL byte): remove it",
        )
    if BIDI.search(text):
        return FieldProblem(
            field,
            "direction_mark",
            f"{field} holds an invisible mark that changes how text is shown: remove it",
        )
    # A phone number may start with +; other text must not start as a formula would.
    if FORMULA_LIKE.match(text) and not (phone_allowed and PHONE.fullmatch(text)):
        return FieldProblem(
            field,
            "formula",
            f"{field} must not start with {text.lstrip()[:1] or 'a tab'} "
            "(a spreadsheet would run it as a formula)",
        )
    return None


def checked_texts(
    texts: dict[str, str | None], phone_allowed: frozenset[str] = frozenset()
) -> dict[str, str | None]:
    """The texts trimmed (empty ones None), or Invalid naming each one at fault."""
    trimmed = {field: (value or "").strip() or None for field, value in texts.items()}
    problems = [
        problem
        for field, text in trimmed.items()
        if text and (problem := text_problem(field, text, phone_allowed=field in phone_allowed))
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
    """A report as a venue's staff see it: never how to reach the person."""

    id: int
    venue_id: int
    created_at: datetime
    problem: ProblemKind
    problem_words: str = Field(description="The problem in easy read, as the person chose it.")
    note: str | None
    status: ProblemStatus
    updated_at: datetime


class ProblemReportForOfficers(ProblemReportForStaff):
    """A report as council officers see it: with the venue, the contact and their note."""

    venue_name: str
    venue_town: str
    contact: str | None
    officer_note: str | None


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
    )


# --- the reports ------------------------------------------------------------------------


def checked_report(sent: ProblemReportSend) -> dict[str, str | None]:
    """The note and contact as they will be kept, or Invalid (before anything is counted)."""
    return checked_texts({"note": sent.note, "contact": sent.contact}, frozenset({"contact"}))


def add_report(
    session: Session, venue: Venue, problem: ProblemKind, texts: dict[str, str | None]
) -> None:
    assert venue.id is not None
    now = utc_now()
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


def reports_for_staff(session: Session, venue: Venue, limit: int) -> list[ProblemReportForStaff]:
    query = (
        select(ProblemReport)
        .where(col(ProblemReport.venue_id) == venue.id)
        .order_by(col(ProblemReport.created_at).desc(), col(ProblemReport.id).desc())
        .limit(limit)
    )
    return [for_staff(report) for report in session.exec(query)]


def change_report(
    session: Session, report_id: int, change: ProblemReportChange
) -> ProblemReportForOfficers:
    report = session.get(ProblemReport, report_id)
    if report is None:
        raise NotFound(NO_SUCH_REPORT.format(id=report_id))
    values = change.model_dump(exclude_unset=True)
    if "status" in values and values["status"] is None:
        raise Invalid("status must be new, in_hand or done.", field="status")
    if "officer_note" in values:
        values.update(checked_texts({"officer_note": values["officer_note"]}))
    for name, value in values.items():
        setattr(report, name, value)
    report.updated_at = utc_now()
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


def add_months(day: date, months: int) -> date:
    """The same day `months` later (or the month's last day: 31 Jan + 1 month = 28/29 Feb)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def confirmation(venue: Venue, every_months: int, today: date) -> Confirmation:
    added = venue.created_at if venue.created_at.tzinfo else venue.created_at.replace(tzinfo=UTC)
    counted_from = venue.last_confirmed or added.astimezone(LONDON).date()
    due_on = add_months(counted_from, every_months)
    return Confirmation(
        last_confirmed=venue.last_confirmed,
        counted_from=counted_from,
        due_on=due_on,
        due=today >= due_on,
        every_months=every_months,
    )
