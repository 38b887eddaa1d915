"""The county's list in and out (officers): import a venue file, export in three formats."""

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy.exc import IntegrityError

from app.deps import CatalogueDep, GazetteerDep, NowDep, OfficerOnly, SessionDep
from app.hours import LONDON
from app.http.errors import FieldError, error_responses
from app.http.uploads import read_upload
from app.problems import Taken
from app.venues.exporting import ExportFormat, export_venues
from app.venues.importing import ImportConflict, import_venue_file
from app.venues.venue_file import MAX_FILE_BYTES, RowError, VenueFileError

router = APIRouter(prefix="/api/venues", tags=["venue files"])
CSV_BODY = {
    "requestBody": {
        "required": True,
        "description": "The venue file itself (CSV, UTF-8, header row) as the body.",
        "content": {"text/csv": {"schema": {"type": "string"}}},
    }
}


class ImportResult(BaseModel):
    dry_run: bool
    added: int
    updated: int
    unchanged: int
    message: str


class RowProblem(BaseModel):
    line: int
    message: str
    field: str | None = None


class ParameterProblem(BaseModel):
    """A query parameter that could not be read (like any route's 422)."""

    loc: list[str | int]
    msg: str
    type: str


class ImportRefused(BaseModel):
    detail: list[RowProblem | ParameterProblem]
    message: str
    errors: list[FieldError]


async def venue_file_upload(request: Request) -> bytes:
    too_big = "The file is bigger than 10 MB. Split it into smaller files."
    return await read_upload(request, MAX_FILE_BYTES, too_big)


@router.post(
    "/import",
    response_model=ImportResult,
    responses={
        **error_responses(401, 403, 409, 413, 415),
        422: {"model": ImportRefused, "description": "Every problem, line by line"},
    },
    openapi_extra=CSV_BODY,
)
def import_venues(
    session: SessionDep,
    catalogue: CatalogueDep,
    officer: OfficerOnly,
    data: Annotated[bytes, Depends(venue_file_upload)],
    dry_run: Annotated[bool, Query(description="Check and count, change nothing.")] = False,
) -> ImportResult | JSONResponse:
    """Add new refs and update known ones from a venue file: every row or none (officers).

    With `dry_run=true`, says what would change and writes nothing.
    """
    try:
        if not data.strip():
            raise VenueFileError(
                [RowError(1, "the file is empty: send the venue file as the body")]
            )
        summary = import_venue_file(session, data, dry_run=dry_run, account=officer)
    except VenueFileError as refused:
        return refusal(refused.errors)
    except (IntegrityError, ImportConflict):
        # Another import or edit added or changed one of these venues meanwhile.
        raise Taken(
            "Nothing was imported: someone changed the venues at the same time. Try again."
        ) from None
    if not dry_run:
        catalogue.refresh_if_changed()
    return ImportResult(
        dry_run=summary.dry_run,
        added=summary.added,
        updated=summary.updated,
        unchanged=summary.unchanged,
        message=str(summary).capitalize() + ".",
    )


def refusal(errors: list[RowError]) -> JSONResponse:
    """422 with every problem by line, and the first few in the message."""
    shown = "; ".join(str(error) for error in errors[:5])
    more = f" and {len(errors) - 5} more" if len(errors) > 5 else ""
    message = f"Nothing was imported. Put right {len(errors)} problem(s): {shown}{more}."
    problems: list[RowProblem | ParameterProblem] = [
        RowProblem(line=error.line, message=error.message, field=error.field) for error in errors
    ]
    fields = [FieldError(field=error.field, code="row", message=str(error)) for error in errors]
    return JSONResponse(
        ImportRefused(detail=problems, message=message, errors=fields).model_dump(),
        status_code=422,
    )


@router.get(
    "/export",
    response_class=Response,
    responses={
        **error_responses(401, 403, 422),
        200: {
            "content": {"text/csv": {}, "application/geo+json": {}, "application/json": {}},
            "description": "Every active venue, as a download",
        },
    },
)
def export_file(
    session: SessionDep,
    _officer: OfficerOnly,
    now: NowDep,
    gazetteer: GazetteerDep,
    format: Annotated[
        ExportFormat,
        Query(description="csv (the venue file), geojson (RFC 7946) or openreferral (ORUK)."),
    ] = ExportFormat.csv,
) -> Response:
    """Every active venue as a venue file, GeoJSON or Open Referral UK JSON (officers)."""
    export = export_venues(session, format, now, gazetteer.area_near)
    filename = f"safe-places-{now.astimezone(LONDON):%Y-%m-%d}.{export.suffix}"
    return Response(
        export.body,
        media_type=export.media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )
