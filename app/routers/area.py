"""The scheme's own area, for the web app to tell a person outside it so.

The phone tests its own position against the outline, so the position never
leaves it. The outline follows the venues (app/gazetteer/scheme_area.py); the
name is a setting (SAFE_PLACES_AREA_NAME).
"""

from typing import Annotated

from fastapi import APIRouter, Response
from pydantic import BaseModel, Field

from app.deps import CatalogueDep, SettingsDep
from app.gazetteer.scheme_area import NEAR_M, area_of

router = APIRouter(prefix="/api/area", tags=["area"])

LatLon = Annotated[list[float], Field(min_length=2, max_length=2)]


class AreaOut(BaseModel):
    name: str = Field(description="The area's name ('Warwickshire'); empty when not set.")
    shows: str = Field(
        description="What the app covers: 'This app shows Safe Places in Warwickshire.'"
    )
    outside: str = Field(
        description=(
            "What to say outside the area: 'This app shows Safe Places in Warwickshire. "
            "The nearest one is {km} km away.', with {km} replaced by the nearest Safe "
            "Place's distance in whole kilometres (at least 1)."
        )
    )
    centre: LatLon | None = Field(
        description="The middle of the venues: latitude, longitude. None with no venues."
    )
    outline: list[LatLon] = Field(
        description=(
            "The area: a convex outline around the venues' towns, "
            f"{NEAR_M / 1000:g} km wider all round, as [latitude, longitude] corners "
            "in anticlockwise order. A point is in the area when it is on or to the left "
            "of every side: for each corner a and the next b (the last's next is the "
            "first), (b.lon - a.lon) * (lat - a.lat) - (b.lat - a.lat) * (lon - a.lon) >= 0. "
            "Empty with no venues: then everywhere is in."
        )
    )


@router.get("", response_model=AreaOut)
def scheme_area(response: Response, catalogue: CatalogueDep, settings: SettingsDep) -> AreaOut:
    """Where this scheme's Safe Places are, and what to say to someone outside that area."""
    # It changes when venues do: a cache must ask each time (the app keeps its own copy).
    response.headers["Cache-Control"] = "no-cache"
    area = area_of(catalogue.snapshot, settings.area_name)
    return AreaOut(
        name=area.name,
        shows=area.shows,
        outside=area.outside_template,
        centre=list(area.centre) if area.centre else None,
        outline=[list(corner) for corner in area.outline],
    )
