"""The venue table and the shapes a venue takes in the API."""

import re
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, field_validator
from pydantic import Field as PydanticField
from pydantic_core import PydanticCustomError
from sqlalchemy import BigInteger, Index, func, text
from sqlmodel import Field, SQLModel

from app.models.columns import text_enum
from app.venues.photo_checks import photo_address_problem, public_photo

SAMPLE_REF_PREFIX = "SAMPLE-"
# A number as a person or a spreadsheet writes it: 52.2823, -1.5, 1e-05. Python's
# float() also takes "5_2.37" (as 52.37), " ٥٢" and "nan": none of those.
DECIMAL = re.compile(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?")


def plain_decimal(value: Any) -> Any:
    """A number sent as text must be a plain decimal (a `mode="before"` validator)."""
    if isinstance(value, str) and not DECIMAL.fullmatch(value.strip()):
        raise PydanticCustomError("float_parsing", "Input should be a valid number")
    return value


PlainFloat = Annotated[float, BeforeValidator(plain_decimal)]


class Category(StrEnum):
    library = "library"
    shop = "shop"
    cafe = "cafe"
    pharmacy = "pharmacy"
    community_centre = "community_centre"
    leisure_centre = "leisure_centre"
    council_office = "council_office"
    bank = "bank"
    church = "church"
    other = "other"


CATEGORY_WORDS = {
    Category.library: "Library",
    Category.shop: "Shop",
    Category.cafe: "Café",
    Category.pharmacy: "Chemist (pharmacy)",
    Category.community_centre: "Community centre",
    Category.leisure_centre: "Leisure centre",
    Category.council_office: "Council office",
    Category.bank: "Bank",
    Category.church: "Church",
    Category.other: "Other place",
}


class VenueFields(SQLModel):
    """The columns of the venue file, shared by the table and the API."""

    ref: str = Field(max_length=64, index=True, unique=True)
    name: str = Field(max_length=200)
    category: Category = Field(default=Category.other, sa_type=text_enum(Category, "category", 32))
    address: str = Field(max_length=300)
    town: str = Field(max_length=100)
    postcode: str = Field(max_length=10, index=True)
    latitude: float = Field(ge=-90, le=90)
    longitude: float = Field(ge=-180, le=180)
    phone: str | None = Field(default=None, max_length=40)
    website: str | None = Field(default=None, max_length=300)
    opening_hours: str | None = Field(default=None, max_length=500)
    easy_read: str | None = Field(default=None, max_length=2000)
    step_free: bool | None = None
    accessible_toilet: bool | None = None
    quiet_space: bool | None = None
    photo: str | None = Field(default=None, max_length=300)


class Venue(VenueFields, table=True):
    # A-1 and a-1 are one ref: checked before writing (app.venues.edits.ref_taken, the
    # import), and kept by the database when two writes race (migration 0007).
    __table_args__ = (
        Index("ix_venue_ref_lower", func.lower(text("ref")), unique=True),
        # The officers' list pages by name or town (migration 0009).
        Index("ix_venue_name_order", func.lower(text("name")), "ref"),
        Index("ix_venue_town_order", func.lower(text("town")), "ref"),
    )

    id: int | None = Field(default=None, primary_key=True)
    # Withdrawn venues are kept (with their history) but never shown.
    active: bool = Field(default=True, index=True)
    last_checked: date | None = None
    # The last day its staff (or an officer) said everything is still right (migration 0008).
    last_confirmed: date | None = None
    # Closed (whatever the hours say) until this day, when it opens as usual again.
    closed_until: date | None = None
    # Counts changes; the ETag, so two people editing at once cannot overwrite each other.
    version: int = Field(default=1)
    # The catalogue revision of the venue's last change: servers reload only the
    # venues changed since the revision they hold (migration 0005).
    revision: int = Field(default=0, sa_type=BigInteger, index=True)
    created_at: datetime
    updated_at: datetime


def is_sample_ref(ref: str) -> bool:
    return ref.startswith(SAMPLE_REF_PREFIX)


class DayHours(BaseModel):
    day: str
    date: date
    hours: str
    holiday: str | None = PydanticField(
        default=None,
        description="The bank holiday's name where the venue is ('Boxing Day'), or null.",
    )


class Accessibility(BaseModel):
    step_free: bool | None
    accessible_toilet: bool | None
    quiet_space: bool | None


class VenueSummary(BaseModel):
    """What a list of venues shows of each: enough to choose one and find it."""

    id: int
    ref: str
    name: str
    category: Category
    kind: str
    address: str
    town: str
    postcode: str
    latitude: float
    longitude: float
    phone: str | None
    photo: str | None
    sample: bool


class NearestVenue(VenueSummary):
    """One result of a nearest look-up: what a person needs to choose where to go."""

    distance_m: int = Field(description="Metres as the crow flies (geodesic).")
    walking_minutes: int | None = Field(
        description="Minutes' walk, allowing for streets; null when over 5 km (too far to walk)."
    )
    nearby: bool = Field(description="Within a 15-minute walk.")
    direction: str = Field(description="Which way: 'north', 'south-west' …, or 'here'.")
    open_now: bool | None = Field(description="Null when the opening hours are not known.")
    opening_status: str | None = Field(description="Like 'Open now. Closes at 5pm.'")
    opening_today: str | None = Field(description="Like 'Open today 9am to 5pm.'")
    closes_at: datetime | None = Field(
        default=None,
        description="When an open place next closes (UK time, with offset), if within a week.",
    )


class NearestVenues(BaseModel):
    venues: list[NearestVenue]


class VenueEasyRead(VenueFields):
    """Everything one venue's page shows, in easy read."""

    id: int
    kind: str
    sample: bool
    active: bool = Field(description="False once withdrawn from the scheme (shown only to staff).")
    open_now: bool | None
    opening_status: str | None
    opening_week: list[DayHours] | None
    accessibility: Accessibility
    last_checked: date | None
    closed_until: date | None
    easy_read_sentences: list[str]
    when_you_arrive: list[str]

    @field_validator("photo")
    @classmethod
    def _only_a_photo_we_may_show(cls, photo: str | None) -> str | None:
        # A stored address from elsewhere (an older version, a database tool) is
        # shown as no photo: loading it would tell its host who opened the page.
        return public_photo(photo)


class ListingSummary(BaseModel):
    """One line of an editor's list of venues."""

    id: int
    ref: str
    name: str
    town: str
    active: bool
    last_checked: date | None
    closed_until: date | None
    photo_problem: str | None = PydanticField(
        default=None,
        validation_alias="photo",
        description="Why the venue's stored photo is not shown to anyone; null when it is fine.",
    )

    @field_validator("photo_problem")
    @classmethod
    def _why_the_photo_is_hidden(cls, photo: str | None) -> str | None:
        problem = photo and photo_address_problem(photo)
        return f"The photo is shown to no one, because {problem}." if problem else None


class VenuePatch(BaseModel):
    """A change to a venue: only the fields sent are changed. Staff may send only
    the fields in STAFF_FIELDS. The schema says what it can; the rest (opening
    hours syntax, postcode shape) is checked like a row of the venue file."""

    model_config = {"extra": "forbid"}

    ref: Annotated[str, PydanticField(min_length=1, max_length=64)] | None = None
    name: Annotated[str, PydanticField(min_length=1, max_length=200)] | None = None
    category: Category | None = None
    address: Annotated[str, PydanticField(min_length=1, max_length=300)] | None = None
    town: Annotated[str, PydanticField(min_length=1, max_length=100)] | None = None
    postcode: Annotated[str, PydanticField(min_length=5, max_length=10)] | None = None
    latitude: Annotated[float, PydanticField(ge=49.8, le=61.0)] | None = None
    longitude: Annotated[float, PydanticField(ge=-8.7, le=2.0)] | None = None
    phone: Annotated[str, PydanticField(max_length=40)] | None = None
    website: Annotated[str, PydanticField(max_length=300)] | None = None
    opening_hours: Annotated[str, PydanticField(max_length=500)] | None = None
    easy_read: Annotated[str, PydanticField(max_length=2000)] | None = None
    step_free: bool | None = None
    accessible_toilet: bool | None = None
    quiet_space: bool | None = None
    photo: Annotated[str, PydanticField(max_length=300)] | None = None
    closed_until: date | None = PydanticField(
        default=None,
        description="Closed until this day (it opens as usual again that day); null: not closed.",
    )

    @field_validator("latitude", "longitude", mode="before")
    @classmethod
    def _plain_decimal(cls, value: Any) -> Any:
        return plain_decimal(value)


class VenueCreate(VenuePatch):
    """A new venue: the venue file's required columns must be given."""

    ref: Annotated[str, PydanticField(min_length=1, max_length=64)]
    name: Annotated[str, PydanticField(min_length=1, max_length=200)]
    address: Annotated[str, PydanticField(min_length=1, max_length=300)]
    town: Annotated[str, PydanticField(min_length=1, max_length=100)]
    postcode: Annotated[str, PydanticField(min_length=5, max_length=10)]
    latitude: Annotated[float, PydanticField(ge=49.8, le=61.0)]
    longitude: Annotated[float, PydanticField(ge=-8.7, le=2.0)]


# What venue staff may change about their own venue; the rest is officers'.
STAFF_FIELDS = frozenset(
    {"phone", "website", "opening_hours", "easy_read", "step_free", "accessible_toilet",
     "quiet_space", "photo", "closed_until"}
)  # fmt: skip
