"""Cover gaps, for officers: by hour of the week, how much of the area has an open
Safe Place within a walk, the worst gaps in words, and "what if we added one here?".

The work (app.venues.coverage) runs in a worker thread (these are `def` routes),
never on the event loop that answers public look-ups, and each report is made
once per catalogue snapshot, week and walk (`REPORTS`, the last 4: about 1 MB
each for a county), from parts kept apart so a new week or walk redoes only its
own: the area's postcodes (`AREAS`, by outline and gazetteer), which venues each
postcode reaches (`REACH`, by snapshot and walk) and the venues' weeks (`WEEKS`,
by snapshot and Monday). Each answer is laid out once (`_answers`, the last 16).
bench/coverage.py measures them, and the look-ups' speed while reports are made.
"""

import threading
from collections import OrderedDict
from datetime import date, datetime, timedelta
from typing import Annotated

import numpy as np
from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from app.deps import CatalogueDep, GazetteerDep, NowDep, OfficerOnly, PostcodesDep, SettingsDep
from app.gazetteer.place_names import Gazetteer, postcode_key
from app.gazetteer.postcodes import FOLDER_NAME, POSTCODES_DIR, PostcodeTable
from app.gazetteer.scheme_area import area_of
from app.hours import HoursError, check_hours
from app.http.errors import error_responses
from app.models.venue import PlainFloat
from app.problems import Invalid
from app.venues.catalogue import Catalogue
from app.venues.coverage import (
    CLOCKS_GO_FORWARD,
    HOURS_IN_WEEK,
    Area,
    Coverage,
    Gap,
    Reach,
    ReportCache,
    Venues,
    hour_label,
    nearest_places,
    postcodes_inside,
    report,
    week_table,
)
from app.venues.geo import walk_metres
from app.venues.venue_file import UK_LATITUDE, UK_LONGITUDE

router = APIRouter(prefix="/api/reports/coverage", tags=["reports"])

REPORTS: ReportCache[Coverage] = ReportCache()
AREAS: ReportCache[Area] = ReportCache(kept=1)
REACH: ReportCache[Reach] = ReportCache(kept=2)
WEEKS: ReportCache[np.ndarray] = ReportCache()
# How far from today a week may be (a year, so bank holidays are worked out for at most 3 years).
WEEKS_AWAY = 53
LatLon = Annotated[list[float], Field(min_length=2, max_length=2)]
WalkMinutes = Annotated[
    int, Field(ge=1, le=60, description="How long a walk counts as near, 1 to 60 minutes.")
]
WEEK_WORDS = (
    "A day in the week to report, Monday to Sunday, like 2026-12-14; default: next week. "
    "Weeks more than a year from today give the nearest week within a year."
)
Week = Annotated[date | None, Field(description=WEEK_WORDS)]
Hour = Annotated[
    int | None,
    Field(
        ge=0,
        le=HOURS_IN_WEEK - 1,
        description="The hour of the week the map shows (0: Monday midnight to 1am, 167: "
        "Sunday 11pm); default: the waking hour with the least cover.",
    ),
]


class HourOut(BaseModel):
    hour: int = Field(description="0 (Monday midnight to 1am) to 167 (Sunday 11pm to midnight)")
    words: str = Field(description="'Friday 10pm', 'Monday 12am' (midnight to 1am)")
    covered: int = Field(description="Postcodes with an open Safe Place within the walk")
    share: float | None = Field(
        description="covered / postcodes, 0 to 1; null for the hour the clocks skip in spring"
    )
    percent: int | None = Field(description="share as a whole percentage; null as share is")
    note: str | None = Field(
        default=None,
        description=f"Said instead of a share, for the skipped hour: '{CLOCKS_GO_FORWARD}'",
    )


class GapOut(BaseModel):
    place: str
    start: int = Field(description="The first hour of the week without cover")
    end: int = Field(
        description="The first hour after the gap, up to 335: past 168 the gap runs on into "
        "Monday (Sunday 10pm to Monday 7am is 166 to 175)"
    )
    postcodes: int = Field(description="The place's postcodes left without cover, on average")
    words: str = Field(
        description="'Nuneaton: Friday 10pm to Saturday 7am. No open Safe Place within 15 minutes.'"
    )


class VenuePoint(BaseModel):
    position: LatLon
    open: bool = Field(description="Open for the whole of the map's hour")


class MapOut(BaseModel):
    hour: int
    words: str = Field(description="'Friday 10pm', 'Monday 12am' (midnight to 1am)")
    uncovered: list[LatLon] = Field(
        description="Where postcodes have no open Safe Place within the walk at this hour "
        "(nearby ones merged: at most about 1,500 points)"
    )
    venues: list[VenuePoint]


class CoverageOut(BaseModel):
    week: date = Field(description="The Monday the week starts")
    walk_minutes: int
    walk_metres: int = Field(description="How far the walk reaches, as the crow flies")
    postcodes: int = Field(description="The area's postcodes counted")
    venues: int
    hours: list[HourOut] = Field(description="168 hours, Monday midnight first")
    worst_gaps: list[GapOut] = Field(
        description="Each place's longest gap, worst first (places with some cover)"
    )
    never_covered: list[GapOut] = Field(
        description="Places with no cover (for most of their postcodes) at any hour, biggest first"
    )
    summary: str
    map: MapOut


class HourChange(BaseModel):
    hour: int
    words: str
    percent_before: int | None = Field(description="null for the hour the clocks skip in spring")
    percent_after: int | None
    more_postcodes: int


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


class WhatIfOut(BaseModel):
    position: LatLon = Field(description="Where the proposed venue was placed")
    change: list[HourChange] = Field(description="168 hours: the cover before and after")
    change_words: str


@router.get("", response_model=CoverageOut, responses=error_responses(401, 403, 422))
def coverage(
    _officer: OfficerOnly,
    catalogue: CatalogueDep,
    gazetteer: GazetteerDep,
    settings: SettingsDep,
    now: NowDep,
    walk_minutes: Annotated[int, Query(ge=1, le=60, description="Minutes' walk, 1 to 60")] = 15,
    week: Annotated[date | None, Query(description=WEEK_WORDS)] = None,
    hour: Annotated[int | None, Query(ge=0, le=HOURS_IN_WEEK - 1)] = None,
) -> CoverageOut:
    """By hour of the week: the share of the area's postcodes with an open Safe Place near."""
    found = _report(catalogue, gazetteer, settings.area_name, now, week, walk_minutes)
    return _answer(found, hour)


# Answers already laid out, by report and map hour: a repeated call costs a look-up.
ANSWERS_KEPT = 16
_answers: OrderedDict[tuple[int, int | None], tuple[Coverage, CoverageOut]] = OrderedDict()
_answers_lock = threading.Lock()


def _answer(found: Coverage, hour: int | None) -> CoverageOut:
    key = (id(found), hour)
    with _answers_lock:
        held = _answers.get(key)
    if held is not None and held[0] is found:
        return held[1]
    answer = _out(found, hour)
    with _answers_lock:
        _answers[key] = (found, answer)
        while len(_answers) > ANSWERS_KEPT:
            _answers.popitem(last=False)
    return answer


@router.post("/what-if", response_model=WhatIfOut, responses=error_responses(400, 401, 403, 422))
def what_if(
    body: WhatIfIn,
    _officer: OfficerOnly,
    catalogue: CatalogueDep,
    gazetteer: GazetteerDep,
    postcodes: PostcodesDep,
    settings: SettingsDep,
    now: NowDep,
) -> WhatIfOut:
    """The same report with one proposed venue added, and the change in each hour."""
    latitude, longitude = _position(body, postcodes)
    try:
        hours = check_hours(body.opening_hours, latitude, longitude)
    except HoursError as error:
        raise Invalid(str(error), field="opening_hours") from None
    before = _report(catalogue, gazetteer, settings.area_name, now, body.week, body.walk_minutes)
    more = before.more_cover(latitude, longitude, hours).tolist()
    total, covered = len(before.area), before.covered.tolist()
    change = [
        HourChange(
            hour=h,
            words=hour_label(h),
            percent_before=None if before.missing[h] else _percent(covered[h], total),
            percent_after=None if before.missing[h] else _percent(covered[h] + more[h], total),
            more_postcodes=more[h],
        )
        for h in range(HOURS_IN_WEEK)
    ]
    return WhatIfOut(
        position=[latitude, longitude], change=change, change_words=_change_words(change)
    )


def _report(
    catalogue: Catalogue,
    gazetteer: Gazetteer,
    area_name: str,
    now: datetime,
    week: date | None,
    walk_minutes: int,
) -> Coverage:
    monday = _monday(week, now.date())
    snapshot = catalogue.snapshot
    outline = area_of(snapshot, area_name).outline
    serial = snapshot.serial

    def make() -> Coverage:
        # The gazetteer itself in the key (not its id, which a new one may reuse).
        area = AREAS.get((outline, gazetteer), lambda: _area(outline, gazetteer))
        venues = Venues(*snapshot.columns())
        reach = REACH.get(
            (serial, outline, gazetteer, walk_minutes), lambda: Reach.of(area, venues, walk_minutes)
        )
        weeks = WEEKS.get((serial, monday), lambda: week_table(monday).weeks(venues.hours))
        return report(area, venues, monday, walk_minutes, reach, weeks)

    return REPORTS.get((serial, monday, walk_minutes), make)


def _area(outline: tuple[tuple[float, float], ...], gazetteer: Gazetteer) -> Area:
    """The area's postcodes and their places."""
    latitudes, longitudes = postcodes_inside(POSTCODES_DIR / FOLDER_NAME, outline)
    places = [(place.name, place.latitude, place.longitude) for place in gazetteer.places]
    place_of, names = nearest_places(latitudes, longitudes, places)
    return Area(latitudes, longitudes, place_of, names)


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


def _percent(count: int, total: int) -> int:
    return round(100 * count / total) if total else 0


def _out(found: Coverage, hour: int | None) -> CoverageOut:
    total = len(found.area)
    hours = [
        HourOut(
            hour=h,
            words=hour_label(h),
            covered=int(found.covered[h]),
            share=None if share is None else round(share, 4),
            percent=None if share is None else _percent(int(found.covered[h]), total),
            note=CLOCKS_GO_FORWARD if share is None else None,
        )
        for h, share in enumerate(found.shares())
    ]
    shown = found.worst_waking_hour() if hour is None else hour
    if found.missing[shown]:
        shown += 1  # the clocks jump from 1am to 2am: the map shows 2am

    def gap_out(g: Gap) -> GapOut:
        return GapOut(place=g.place, start=g.start, end=g.end, postcodes=g.postcodes, words=g.words)

    return CoverageOut(
        week=found.monday,
        walk_minutes=found.walk_minutes,
        walk_metres=round(walk_metres(found.walk_minutes)),
        postcodes=total,
        venues=len(found.venues),
        hours=hours,
        worst_gaps=[gap_out(gap) for gap in found.worst_gaps()],
        never_covered=[gap_out(gap) for gap in found.never_covered()],
        summary=_summary(hours, total),
        map=MapOut(
            hour=shown,
            words=hour_label(shown),
            uncovered=[list(point) for point in found.uncovered_points(shown)],
            venues=[
                VenuePoint(position=[lat, lon], open=is_open)
                for lat, lon, is_open in found.venue_points(shown)
            ],
        ),
    )


def _summary(hours: list[HourOut], total: int) -> str:
    if not total:
        return "There are no postcodes in the area yet. Add venues first."
    real = [h for h in hours if h.share is not None]
    best = max(real, key=lambda h: (h.covered, -h.hour))
    worst = min(real, key=lambda h: (h.covered, h.hour))
    return (
        f"Best cover: {best.percent}% of postcodes, on {best.words}. "
        f"Least cover: {worst.percent}%, on {worst.words}."
    )


def _change_words(change: list[HourChange]) -> str:
    best = max(change, key=lambda c: (c.more_postcodes, -c.hour))
    if best.more_postcodes <= 0:
        return "This venue would not add cover in any hour. Places near it are covered already."
    helped = sum(1 for c in change if c.more_postcodes > 0)
    return (
        f"This venue would add cover in {helped} hours of the week. "
        f"Most on {best.words}: from {best.percent_before}% to {best.percent_after}%."
    )
