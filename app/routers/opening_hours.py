"""Check opening hours before saving them: the states at given moments, the week
and the bank holidays in words, from the same evaluation every answer uses."""

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import AwareDatetime, BaseModel, Field

from app.deps import get_now
from app.hours import HoursError, State, check_hours, holiday_words, week_lines
from app.http.errors import error_responses
from app.models.venue import PlainFloat
from app.problems import Invalid
from app.venues.venue_file import UK_LATITUDE, UK_LONGITUDE

router = APIRouter(prefix="/api/opening-hours", tags=["opening hours"])


class HoursToCheck(BaseModel):
    opening_hours: Annotated[
        str,
        Field(
            min_length=1,
            max_length=500,
            description="OpenStreetMap opening_hours, like Mo-Fr 09:00-17:00; PH off",
        ),
    ]
    latitude: Annotated[
        PlainFloat | None,
        Field(
            ge=UK_LATITUDE[0],
            le=UK_LATITUDE[1],
            description="Where the venue is, for its bank holidays and sun times",
        ),
    ] = None
    longitude: Annotated[PlainFloat | None, Field(ge=UK_LONGITUDE[0], le=UK_LONGITUDE[1])] = None
    at: Annotated[
        list[AwareDatetime],
        Field(
            max_length=100,
            description="Moments to check, with their UTC offsets (up to 100); default: now",
        ),
    ] = []


class StateAt(BaseModel):
    at: datetime
    open_now: bool | None = Field(description="null: the hours do not say (phone first)")


class HoursChecked(BaseModel):
    states: list[StateAt]
    week: list[str] = Field(description='The next 7 days: "Monday 7 December: 9am to 5pm"')
    holidays: list[str] = Field(
        description="The coming year's bank holidays where the venue is, and its hours on each: "
        '"On Monday 28 December, a bank holiday: closed."'
    )


@router.post("/check", response_model=HoursChecked, responses=error_responses(400, 422))
def check(body: HoursToCheck, now: Annotated[datetime, Depends(get_now)]) -> HoursChecked:
    """Read opening hours as the service will: open at each moment?, the week, the bank holidays."""
    if (body.latitude is None) != (body.longitude is None):
        raise Invalid("Give both latitude and longitude, or neither.", field="latitude")
    try:
        hours = check_hours(body.opening_hours, body.latitude, body.longitude)
    except HoursError as error:
        raise Invalid(str(error), field="opening_hours") from None
    states = []
    for moment in body.at or [now]:
        state, _comment = hours.state(moment)
        states.append(
            StateAt(at=moment, open_now=None if state == State.UNKNOWN else state == State.OPEN)
        )
    return HoursChecked(
        states=states,
        week=week_lines(hours, now),
        holidays=holiday_words(hours, now.date(), days=366),
    )
