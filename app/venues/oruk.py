"""Venues in the shape of Open Referral UK (HSDS-UK 3.0). Pure: no FastAPI, no database.

Each venue is an organisation offering one service, "Safe Place", at one
physical location. Identifiers are UUIDs derived from the venue's ref, so the
same venue has the same ids in every export and a directory can update by them.
Every service is valid against the official schemas (`OpenReferralUK/uk-profile`,
vendored in tests/data/oruk/ and checked there): a value we do not know is left
out, never sent as null; only `state_province`, which the profile requires, is
"" when no known town is near. The phone number goes in HSDS's own `phones`,
which the UK profile leaves out but its schemas allow: it is what a person needs.

Schedules are the coming week's opening times, one entry per day and opening,
cut at midnight (valid_from/valid_to say which week). The profile has no
timezone field: as it asks, every time carries its UTC offset ("09:00+01:00"),
which is exact because each entry is for one known date. The OpenStreetMap
hours are kept in each entry's `description`. It is not the live feed's HTTP
side (app/routers/open_referral.py) nor reading the database (app/venues/exporting.py).
"""

import math
import uuid
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from urllib.parse import quote

from app.db import stored_utc
from app.hours import LONDON, HoursError, is_temporarily_closed, parse_hours, state_spans
from app.models.venue import CATEGORY_WORDS, Category

# Where a venue is: "Warwickshire, England", or "" when not known (Gazetteer.area_near).
AreaOf = Callable[[float, float], str]

VERSION = "HSDS-UK-3.0"
PROFILE_URL = "https://github.com/OpenReferralUK/uk-profile"
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://github.com/safe-places/safe-places")
BYDAY = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
ACCESS = {
    "step_free": ("Step-free entrance", "No step-free entrance"),
    "accessible_toilet": ("Accessible toilet", "No accessible toilet"),
    "quiet_space": ("A quiet space to sit", "No quiet space"),
}
SERVICE_DESCRIPTION = (
    "A Safe Place. If you feel unsafe or at risk when you are out, "
    "go in and ask the staff for help. They will let you sit down, "
    "call someone you trust, or call the police."
)
# Characters a URI may hold as they are; anything else (a space, "é") is %-encoded.
URI_SAFE = ":/?#[]@!$&'()*+,;=%~"


def ident(ref: str, kind: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"{kind}:{ref}"))


def service_id(ref: str) -> str:
    """The service's id in every export and in the feed."""
    return ident(ref, "service")


def open_referral_services(
    venues: Iterable[Mapping[str, Any]], now: datetime, area_of: AreaOf
) -> dict[str, Any]:
    """One page holding every venue, shaped like the ORUK `/services` answer."""
    services = [open_referral_service(venue, now, area_of) for venue in venues]
    return service_page(services, len(services), 1, max(len(services), 1))


def service_page(
    services: list[dict[str, Any]], total_items: int, page_number: int, per_page: int
) -> dict[str, Any]:
    """ORUK's page: `size` counts this page's services; a page past the end is empty."""
    total_pages = math.ceil(total_items / per_page)
    return {
        "total_items": total_items,
        "total_pages": total_pages,
        "page_number": page_number,
        "size": len(services),
        "first_page": page_number == 1,
        "last_page": page_number >= total_pages,
        "empty": not services,
        "contents": services,
    }


def open_referral_service(
    venue: Mapping[str, Any], now: datetime, area_of: AreaOf
) -> dict[str, Any]:
    """One venue as a fully nested ORUK service."""
    ref = venue["ref"]
    today = now.astimezone(LONDON).date()
    closed_until = venue.get("closed_until")
    closed = is_temporarily_closed(closed_until, today)
    service: dict[str, Any] = {
        "id": service_id(ref),
        "organization_id": ident(ref, "organization"),
        "name": f"Safe Place: {venue['name']}",
        "description": venue.get("easy_read") or SERVICE_DESCRIPTION,
        "status": "temporarily closed" if closed else "active",
        "organization": _organization(venue),
        "phones": [{"id": ident(ref, "phone"), "number": venue["phone"]}]
        if venue.get("phone")
        else [],
        "schedules": _schedules(venue, today),
        "service_at_locations": [
            {
                "id": ident(ref, "service_at_location"),
                "service_id": service_id(ref),
                "location_id": ident(ref, "location"),
                "location": _location(venue, area_of),
            }
        ],
    }
    if url := _uri(venue.get("website")):
        service["url"] = url
    if venue.get("last_checked") is not None:
        service["assured_date"] = venue["last_checked"].isoformat()
    if venue.get("updated_at") is not None:
        service["last_modified"] = _utc(venue["updated_at"])
    if closed and closed_until is not None:
        service["alert"] = (
            f"Closed until {closed_until:%A} {closed_until.day} {closed_until:%B %Y}."
        )
    return service


def _organization(venue: Mapping[str, Any]) -> dict[str, Any]:
    kind = CATEGORY_WORDS[Category(venue.get("category") or Category.other)]
    organization = {
        "id": ident(venue["ref"], "organization"),
        "name": venue["name"],
        "description": (
            f"{kind} in {venue['town']}, and a Safe Place: its staff help anyone "
            "who feels unsafe or at risk when out."
        ),
    }
    if website := _uri(venue.get("website")):
        organization["website"] = website
    return organization


def _location(venue: Mapping[str, Any], area_of: AreaOf) -> dict[str, Any]:
    ref = venue["ref"]
    accessibility = [
        {"id": ident(ref, f"accessibility:{field}"), "description": words[0 if value else 1]}
        for field, words in ACCESS.items()
        if (value := venue.get(field)) is not None
    ]
    # The county ("Warwickshire, England" gives "Warwickshire"); "" when not known.
    county = area_of(venue["latitude"], venue["longitude"]).split(", ")[0]
    return {
        "id": ident(ref, "location"),
        "location_type": "physical",
        "name": venue["name"],
        "external_identifier": ref,
        "external_identifier_type": "Safe Places ref",
        "latitude": venue["latitude"],
        "longitude": venue["longitude"],
        "addresses": [
            {
                "id": ident(ref, "address"),
                "location_id": ident(ref, "location"),
                "address_1": venue["address"],
                "city": venue["town"],
                "state_province": county,
                "postal_code": venue["postcode"],
                "country": "GB",
                "address_type": "physical",
            }
        ],
        "accessibility": accessibility,
    }


def _schedules(venue: Mapping[str, Any], today: date) -> list[dict[str, Any]]:
    """The week's openings, by day; none while temporarily closed or when unknown."""
    if not venue.get("opening_hours"):
        return []  # unknown hours: no schedule, not a guess
    try:
        hours = parse_hours(venue["opening_hours"], venue["latitude"], venue["longitude"])
    except HoursError:
        return []
    week = [today + timedelta(days=offset) for offset in range(7)]
    start = datetime.combine(week[0], time(0), LONDON)
    end = datetime.combine(week[-1] + timedelta(days=1), time(0), LONDON)
    # Only the times we are sure of: no guesses in a directory.
    spans = state_spans(hours, start, end)[0]
    return [
        _schedule(venue, week, opens, closes)
        for day in week
        if not is_temporarily_closed(venue.get("closed_until"), day)
        for opens, closes in _open_times(spans, day)
    ]


Span = tuple[datetime, datetime]


def _open_times(spans: list[Span], day: date) -> list[Span]:
    """When the venue is open on `day`, each span cut to the day (a night ends at 24:00)."""
    start = datetime.combine(day, time(0), LONDON)
    end = datetime.combine(day + timedelta(days=1), time(0), LONDON)
    return [(max(a, start), min(b, end)) for a, b in spans if a < end and b > start]


def _schedule(
    venue: Mapping[str, Any], week: list[date], opens: datetime, closes: datetime
) -> dict[str, Any]:
    day = opens.astimezone(LONDON).date()
    ends_the_day = closes == datetime.combine(day + timedelta(days=1), time(0), LONDON)
    return {
        "id": ident(venue["ref"], f"schedule:{day.weekday()}:{opens.astimezone(LONDON):%H:%M}"),
        "freq": "WEEKLY",
        "byday": BYDAY[day.weekday()],
        "opens_at": _clock(opens),
        "closes_at": "24:00" + _offset(closes) if ends_the_day else _clock(closes),
        "valid_from": week[0].isoformat(),
        "valid_to": week[-1].isoformat(),
        "description": (
            f"UK time (Europe/London). OpenStreetMap opening_hours: {venue['opening_hours']}"
        ),
    }


def _clock(moment: datetime) -> str:
    """'09:00+01:00': London wall-clock time with its offset from UTC."""
    return f"{moment.astimezone(LONDON):%H:%M}" + _offset(moment)


def _offset(moment: datetime) -> str:
    return moment.astimezone(LONDON).isoformat(timespec="minutes")[-6:]


def _utc(moment: datetime) -> str:
    """RFC 3339 in UTC to the millisecond, as ORUK asks; a naive time is taken as UTC."""
    return (
        stored_utc(moment).astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    )


def _uri(website: str | None) -> str | None:
    """A web address as a valid URI (spaces and the like %-encoded), or None."""
    if not website or not website.startswith(("https://", "http://")):
        return None
    return quote(website.strip(), safe=URI_SAFE)
