"""Venues in the shape of Open Referral UK (HSDS 3.0, UK profile). Pure.

Each venue is an organisation offering one service, "Safe Place", at one
location. Identifiers are UUIDs derived from the venue's ref, so the same
venue has the same ids in every export and a directory can update by them.
Schedules are the coming week's opening times (valid_from/valid_to say which
week), in UK local time; the OpenStreetMap hours are kept in `description`.
"""

import uuid
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from typing import Any

from app.hours import (
    LONDON,
    HoursError,
    day_spans,
    day_words,
    is_temporarily_closed,
    parse_hours,
)

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


def ident(ref: str, kind: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"{kind}:{ref}"))


def open_referral_services(venues: Iterable[Mapping[str, Any]], now: datetime) -> dict[str, Any]:
    """One page holding every venue, shaped like the ORUK `/services` answer."""
    today = now.astimezone(LONDON).date()
    services = [_service(venue, today) for venue in venues]
    return {
        "total_items": len(services),
        "total_pages": 1,
        "page_number": 1,
        "size": len(services),
        "first_page": True,
        "last_page": True,
        "empty": not services,
        "contents": services,
    }


def _service(venue: Mapping[str, Any], today: date) -> dict[str, Any]:
    ref = venue["ref"]
    closed = is_temporarily_closed(venue.get("closed_until"), today)
    service: dict[str, Any] = {
        "id": ident(ref, "service"),
        "name": f"Safe Place: {venue['name']}",
        "description": venue.get("easy_read") or SERVICE_DESCRIPTION,
        "url": venue.get("website") or "",
        "status": "temporarily closed" if closed else "active",
        "assured_date": _iso(venue.get("last_checked")),
        "last_modified": _iso(venue.get("updated_at")),
        "organization": {"id": ident(ref, "organization"), "name": venue["name"]},
        "phones": [{"id": ident(ref, "phone"), "number": venue["phone"]}]
        if venue.get("phone")
        else [],
        "schedules": _schedules(ref, venue.get("opening_hours"), today),
        "service_at_locations": [
            {"id": ident(ref, "service_at_location"), "location": _location(venue)}
        ],
    }
    if closed:
        service["alert"] = f"Closed until {venue['closed_until'].isoformat()}."
    return service


def _location(venue: Mapping[str, Any]) -> dict[str, Any]:
    ref = venue["ref"]
    accessibility = [
        {"id": ident(ref, f"accessibility:{field}"), "description": words[0 if value else 1]}
        for field, words in ACCESS.items()
        if (value := venue.get(field)) is not None
    ]
    return {
        "id": ident(ref, "location"),
        "name": venue["name"],
        "external_identifier": ref,
        "external_identifier_type": "Safe Places ref",
        "latitude": venue["latitude"],
        "longitude": venue["longitude"],
        "addresses": [
            {
                "id": ident(ref, "address"),
                "address_1": venue["address"],
                "city": venue["town"],
                "postal_code": venue["postcode"],
                "country": "GB",
                "address_type": "physical",
            }
        ],
        "accessibility": accessibility,
    }


def _schedules(ref: str, opening_hours: str | None, today: date) -> list[dict[str, Any]]:
    if not opening_hours:
        return []
    try:
        hours = parse_hours(opening_hours)
    except HoursError:
        return []
    schedules = []
    for offset in range(7):
        day = today + timedelta(days=offset)
        spans = [(f"{a:%H:%M}", f"{b:%H:%M}") for a, b in day_spans(hours, day)]
        if not spans and day_words(hours, day) == "Open all day":
            spans = [("00:00", "24:00")]
        for opens, closes in spans:
            schedules.append(
                {
                    "id": ident(ref, f"schedule:{day.weekday()}:{opens}"),
                    "freq": "WEEKLY",
                    "byday": BYDAY[day.weekday()],
                    "opens_at": opens,
                    "closes_at": closes,
                    "valid_from": today.isoformat(),
                    "valid_to": (today + timedelta(days=6)).isoformat(),
                    "description": f"UK time. OpenStreetMap opening_hours: {opening_hours}",
                }
            )
    return schedules


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None
