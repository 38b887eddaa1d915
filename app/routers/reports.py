"""How the scheme is used, for officers: visits counted by month, venue, town, reason
or outcome, as JSON or a spreadsheet (CSV). The counting is app/venues/visits_report.py."""

import re
from datetime import date
from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response
from pydantic import BeforeValidator
from pydantic_core import PydanticCustomError

from app.deps import NowDep, OfficerOnly, SessionDep
from app.hours import LONDON
from app.http.errors import error_responses
from app.venues.visits_report import (
    ReportGroup,
    VisitReport,
    csv_filename,
    report_csv,
    report_period,
    visit_report,
)

router = APIRouter(prefix="/api/reports", tags=["running the scheme"])


class ReportFormat(StrEnum):
    json = "json"
    csv = "csv"


YEAR_MONTH_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def plain_date(value: Any) -> Any:
    """Only a date written as 2026-04-06: a day people can check, nothing cleverer (no
    week dates like 2026-W14-1, no 20260406, which date.fromisoformat also reads)."""
    if isinstance(value, str):
        try:
            if not YEAR_MONTH_DAY.fullmatch(value):
                raise ValueError(value)
            return date.fromisoformat(value)
        except ValueError:
            raise PydanticCustomError(
                "date_parsing", "Give a date as year-month-day, like 2026-04-06"
            ) from None
    return value


Day = Annotated[date, BeforeValidator(plain_date)]


@router.get(
    "/visits",
    response_model=VisitReport,
    responses={
        **error_responses(401, 403, 422),
        200: {
            "content": {"text/csv": {"schema": {"type": "string"}}},
            "description": "The counts, as JSON or (format=csv) a spreadsheet download",
        },
    },
)
def visits_report(
    session: SessionDep,
    _officer: OfficerOnly,
    now: NowDep,
    first: Annotated[
        Day | None,
        Query(
            alias="from",
            description="The first day counted (London). Default: "
            "the first day of the month 11 months before `to`.",
        ),
    ] = None,
    last: Annotated[
        Day | None, Query(alias="to", description="The last day counted (London). Default: today.")
    ] = None,
    group: Annotated[ReportGroup, Query(description="What to count by.")] = ReportGroup.month,
    format: Annotated[ReportFormat, Query(description="json, or csv to download.")] = (
        ReportFormat.json
    ),
    public: Annotated[
        bool, Query(description="For figures to share: counts under 5 are hidden.")
    ] = False,
) -> VisitReport | Response:
    """Visits counted by month, venue, town, reason or outcome over a period (officers)."""
    period = report_period(first, last, now.astimezone(LONDON).date())
    report = visit_report(session, group, period, public)
    if format is ReportFormat.json:
        return report
    return Response(
        report_csv(report),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="{csv_filename(report)}"',
            "Cache-Control": "no-store",
        },
    )
