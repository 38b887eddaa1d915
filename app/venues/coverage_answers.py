"""The cover-gaps report's answers, as the API gives them: their models and how a
`Coverage` is laid out in them. Made in the report worker (app.venues.report_worker),
which hands the server their JSON; the router names the models for OpenAPI."""

from datetime import date
from typing import Annotated

from pydantic import BaseModel, Field

from app.hours import Hours
from app.venues.coverage import CLOCKS_GO_FORWARD, HOURS_IN_WEEK, Coverage, Gap, hour_label
from app.venues.geo import walk_metres

LatLon = Annotated[list[float], Field(min_length=2, max_length=2)]


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


class WhatIfOut(BaseModel):
    position: LatLon = Field(description="Where the proposed venue was placed")
    change: list[HourChange] = Field(description="168 hours: the cover before and after")
    change_words: str


def coverage_out(found: Coverage, hour: int | None) -> CoverageOut:
    """The report as the API gives it, its map at `hour` (default: the worst waking hour)."""
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


def what_if_out(before: Coverage, latitude: float, longitude: float, hours: Hours) -> WhatIfOut:
    """The cover in each hour before and after adding one venue with these hours here."""
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


def _percent(count: int, total: int) -> int:
    return round(100 * count / total) if total else 0


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
    more = f"{best.more_postcodes:,} more postcodes"
    if best.percent_before == best.percent_after:
        # "from 2% to 2%" reads as no change: say what did change.
        most = f"{more}, too few to change the share of {best.percent_after}%"
    else:
        most = f"{more}, from {best.percent_before}% to {best.percent_after}%"
    hours = "1 hour" if helped == 1 else f"{helped} hours"
    return f"This venue would add cover in {hours} of the week. Most on {best.words}: {most}."
