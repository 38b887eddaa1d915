"""The list of every venue that a phone keeps for when it has no signal."""

from datetime import date, datetime

from pydantic import BaseModel, Field

from app.models.venue import VenueSummary

# [start, end) in UTC epoch seconds.
EpochSpan = tuple[int, int]


class OfflineVenue(VenueSummary):
    closed_until: date | None = Field(
        description="Closed until this day, whatever the hours say; its spans already allow for it."
    )
    open: list[EpochSpan] | None = Field(
        description="When it is open, as [start, end) UTC epoch seconds, up to valid_until. "
        "Null when the opening hours are not known."
    )
    unknown: list[EpochSpan] = Field(
        description="Times whose opening the hours leave unknown: say 'unknown', not 'closed'."
    )


class OfflineVenues(BaseModel):
    generated_at: datetime = Field(description="When this list was made, London time.")
    valid_from: int = Field(description="Start of today in London, as UTC epoch seconds.")
    valid_until: int = Field(
        description="End of the 7th day after today. After this, whether a place is open is "
        "unknown until the list is fetched again."
    )
    sample: bool = Field(description="True when any venue is sample data, not a real Safe Place.")
    when_you_arrive: list[str] = Field(description="What to do at any Safe Place, in easy read.")
    venues: list[OfflineVenue]
