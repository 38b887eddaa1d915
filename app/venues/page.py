"""One venue's page in easy read: built from the stored venue and the time now."""

import re
from datetime import datetime

from app.hours import (
    HoursError,
    closed_until_words,
    is_temporarily_closed,
    nation_at,
    opening_now,
    parse_hours,
    week_words,
)
from app.hours.calendar import bank_holiday
from app.models.venue import (
    CATEGORY_WORDS,
    Accessibility,
    DayHours,
    Venue,
    VenueEasyRead,
    VenueFields,
    is_sample_ref,
)

# What to do at any Safe Place: the same promise at every door.
WHEN_YOU_ARRIVE = [
    "Look for the Safe Places sticker on the door or window.",
    "Go inside and find a member of staff.",
    "Tell them you feel unsafe and need help.",
    "Show them your help card if you have one.",
    "They will find you somewhere to sit.",
    "They can call your contact, or the police, for you.",
]
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def sentences(text: str | None) -> list[str]:
    """Easy-read text as a list of sentences, one idea each."""
    if not text:
        return []
    return [part.strip() for part in _SENTENCE_END.split(text.strip()) if part.strip()]


def etag(venue: Venue) -> str:
    """The venue's ETag: what a change must send back as If-Match."""
    return f'"{venue.version}"'


def venue_easy_read(venue: Venue, now: datetime) -> VenueEasyRead:
    """Everything the venue page shows, with opening worked out for `now`."""
    try:
        hours = (
            parse_hours(venue.opening_hours, venue.latitude, venue.longitude)
            if venue.opening_hours
            else None
        )
    except HoursError:
        hours = None
    state = opening_now(hours, now) if hours else None
    nation = nation_at(venue.latitude, venue.longitude)
    week = (
        [
            DayHours(day=day, date=date, hours=words, holiday=bank_holiday(nation, date))
            for day, date, words in week_words(hours, now)
        ]
        if hours
        else None
    )
    open_now, status = (state.open_now, state.status) if state else (None, None)
    if is_temporarily_closed(venue.closed_until, now.date()):
        assert venue.closed_until is not None
        open_now, status = False, closed_until_words(venue.closed_until)
        closed_until = venue.closed_until
        week = [
            day
            if day.date >= closed_until
            else DayHours(day=day.day, date=day.date, hours="Closed", holiday=day.holiday)
            for day in week or []
        ] or None
    assert venue.id is not None
    return VenueEasyRead(
        **VenueFields.model_validate(venue, from_attributes=True).model_dump(),
        id=venue.id,
        kind=CATEGORY_WORDS[venue.category],
        sample=is_sample_ref(venue.ref),
        active=venue.active,
        open_now=open_now,
        opening_status=status,
        opening_week=week,
        accessibility=Accessibility(
            step_free=venue.step_free,
            accessible_toilet=venue.accessible_toilet,
            quiet_space=venue.quiet_space,
        ),
        last_checked=venue.last_checked,
        closed_until=venue.closed_until,
        easy_read_sentences=sentences(venue.easy_read),
        when_you_arrive=WHEN_YOU_ARRIVE,
    )
