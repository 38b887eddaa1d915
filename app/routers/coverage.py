"""Cover gaps, for officers: by hour of the week, how much of the area has an open
Safe Place within a walk, the worst gaps in words, and "what if we added one here?".

The work is done in the report worker, a process of its own at low CPU priority
(app.venues.report_worker), never in the server that answers public look-ups:
made there in a thread, a report at 100,000 venues cut their rate to 0.29. These
`def` routes check the question, wait in a worker thread for the answer's JSON,
and pass it on. bench/coverage.py measures the report, and the look-ups' speed
while reports are made.
"""

from datetime import date, datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, Field

from app.deps import CatalogueDep, GazetteerDep, NowDep, OfficerOnly, PostcodesDep, SettingsDep
from app.gazetteer.place_names import Gazetteer, postcode_key
from app.gazetteer.postcodes import PostcodeTable
from app.gazetteer.scheme_area import area_of
from app.hours import HoursError, check_hours
from app.http.errors import error_responses
from app.models.venue import PlainFloat
from app.problems import Invalid
from app.venues.coverage import HOURS_IN_WEEK
from app.venues.coverage_answers import CoverageOut, WhatIfOut
from app.venues.report_worker import REPORT_WORKER, Question
from app.venues.snapshot import Snapshot
from app.venues.venue_file import UK_LATITUDE, UK_LONGITUDE

router = APIRouter(prefix="/api/reports/coverage", tags=["reports"])

# How far from today a week may be (a year, so bank holidays are worked out for at most 3 years).
WEEKS_AWAY = 53
WalkMinutes = Annotated[
    int, Field(ge=1, le=60, description="How long a walk counts as near, 1 to 60 minutes.")
]
WEEK_WORDS = (
    "A day in the week to report, Monday to Sunday, like 2026-12-14; default: next week. "
    "Weeks more than a year from today give the nearest week within a year."
)
Week = Annotated[date | None, Field(description=WEEK_WORDS)]


class WhatIfIn(BaseModel):
    postcode: Annotated[
        str | None, Field(max_length=10, description="Where the venue would be, like CV11 4DR")
    ] = None
    latitude: Annotated[
        PlainFloat | None, Field(ge=UK_LATITUDE[0], le=UK_LATITUDE[1], description="Or here")
    ] = None
    longitude: Annotated[PlainFloat | None, Field(ge=UK_LONGITUDE[0], le=UK_LONGITUDE[1])] = None
    opening_hours: Annotated[
        str,
        Field(
            min_length=1,
            max_length=500,
            description="OpenStreetMap opening_hours, as venues use: Mo-Su 18:00-02:00",
        ),
    ]
    walk_minutes: WalkMinutes = 15
    week: Week = None


@router.get("", response_model=CoverageOut, responses=error_responses(401, 403, 422, 503))
def coverage(
    _officer: OfficerOnly,
    catalogue: CatalogueDep,
    gazetteer: GazetteerDep,
    postcodes: PostcodesDep,
    settings: SettingsDep,
    now: NowDep,
    walk_minutes: Annotated[int, Query(ge=1, le=60, description="Minutes' walk, 1 to 60")] = 15,
    week: Annotated[date | None, Query(description=WEEK_WORDS)] = None,
    hour: Annotated[int | None, Query(ge=0, le=HOURS_IN_WEEK - 1)] = None,
) -> Response:
    """By hour of the week: the share of the area's postcodes with an open Safe Place near."""
    snapshot = catalogue.snapshot
    question = _question(
        snapshot, gazetteer, postcodes, settings.area_name, now, week, walk_minutes
    )
    return _json(REPORT_WORKER.coverage(snapshot, gazetteer, question, hour))


@router.post(
    "/what-if", response_model=WhatIfOut, responses=error_responses(400, 401, 403, 422, 503)
)
def what_if(
    body: WhatIfIn,
    _officer: OfficerOnly,
    catalogue: CatalogueDep,
    gazetteer: GazetteerDep,
    postcodes: PostcodesDep,
    settings: SettingsDep,
    now: NowDep,
) -> Response:
    """The same report with one proposed venue added, and the change in each hour."""
    latitude, longitude = _position(body, postcodes)
    try:
        check_hours(body.opening_hours, latitude, longitude)
    except HoursError as error:
        raise Invalid(str(error), field="opening_hours") from None
    snapshot = catalogue.snapshot
    question = _question(
        snapshot, gazetteer, postcodes, settings.area_name, now, body.week, body.walk_minutes
    )
    answer = REPORT_WORKER.what_if(
        snapshot, gazetteer, question, latitude, longitude, body.opening_hours
    )
    return _json(answer)


def _json(body: bytes) -> Response:
    """The worker's JSON as it is: laid out there, so nothing is worked out here."""
    return Response(body, media_type="application/json")


def _question(
    snapshot: Snapshot,
    gazetteer: Gazetteer,
    postcodes: PostcodeTable,
    area_name: str,
    now: datetime,
    week: date | None,
    walk_minutes: int,
) -> Question:
    return Question(
        venues=snapshot.serial,
        places=gazetteer.serial,
        outline=area_of(snapshot, area_name).outline,
        postcodes=postcodes.folder,
        monday=_monday(week, now.date()),
        walk_minutes=walk_minutes,
    )


def _monday(week: date | None, today: date) -> date:
    """The Monday of the week holding `week` (default: next week), within a year of today."""
    if week is None:
        return today + timedelta(days=7 - today.weekday())
    monday = week - timedelta(days=week.weekday())
    this_monday = today - timedelta(days=today.weekday())
    reach = timedelta(weeks=WEEKS_AWAY)
    return min(max(monday, this_monday - reach), this_monday + reach)


def _position(body: WhatIfIn, table: PostcodeTable) -> tuple[float, float]:
    if body.latitude is not None and body.longitude is not None:
        return body.latitude, body.longitude
    if body.postcode:
        key = postcode_key(body.postcode)
        found = table.postcode(key[1]) if key and key[0] == "full" else None
        if found is None:
            raise Invalid(
                f"We cannot find the postcode {body.postcode}. Check it, like CV11 4DR.",
                field="postcode",
            )
        return found
    raise Invalid(
        "Say where the venue would be: a postcode, or latitude and longitude.", field="postcode"
    )
