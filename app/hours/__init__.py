"""Opening hours: reading OpenStreetMap `opening_hours`, whether a place is open,
and saying so in plain words. Pure: no FastAPI, no database.

- `syntax`: the value as rules (what we accept, and plain messages for the rest);
- `calendar`: a venue's nation, its bank holidays, its sunrise and sunset;
- `evaluate`: `Hours`, the one evaluation behind every answer, agreeing with
  opening_hours.js (tests/test_hours_reference.py holds us to it);
- `words`: "Open now. Closes at 5pm.", the week, the bank holidays.
"""

from datetime import date, datetime
from functools import lru_cache

from app.hours.calendar import LONDON, Nation, bank_holidays, nation_at, sun_minutes
from app.hours.evaluate import HORIZON, Hours, Place, State, uses_sun
from app.hours.syntax import HoursError, Rule, parse_rules
from app.hours.words import (
    DAY_NAMES,
    UNKNOWN_WORDS,
    OpeningNow,
    Span,
    clock_words,
    closed_until_words,
    day_spans,
    day_words,
    holiday_words,
    is_temporarily_closed,
    london_now,
    opening_now,
    state_spans,
    today_in_words,
    week_lines,
    week_words,
    when_words,
)

__all__ = [
    "DAY_NAMES",
    "HORIZON",
    "LONDON",
    "MAX_RULES",
    "UNKNOWN_WORDS",
    "Hours",
    "HoursError",
    "OpeningNow",
    "Place",
    "Span",
    "State",
    "bank_holidays",
    "check_hours",
    "clock_words",
    "closed_until_words",
    "day_spans",
    "day_words",
    "holiday_words",
    "is_temporarily_closed",
    "london_now",
    "nation_at",
    "opening_now",
    "parse_hours",
    "reference_state",
    "state_spans",
    "today_in_words",
    "warm_up",
    "week_lines",
    "week_words",
    "when_words",
]

# The most rules (wrapped twins included) a value may have: each costs a few
# microseconds a day, and this keeps a week's evaluation within 1 ms.
MAX_RULES = 40


# Stored venues' distinct hours are kept parsed and bound (a few KB each): enough
# for a county many times over, and for 100,000 venues with 20,000 distinct values
# (a smaller cache made the catalogue parse them again and again: 35 s and 256 MB).
KEPT = 65536


def parse_hours(text: str, latitude: float | None = None, longitude: float | None = None) -> Hours:
    """A stored value's `Hours` at a place (its bank holidays, its sun), or HoursError
    saying what to change. Venues share hours and nations: so do the parsed objects,
    and only hours that name the sun are bound to a position (about 1 km)."""
    text = text.strip()
    return _bound(text, *_where(_rules(text), latitude, longitude))


def check_hours(text: str, latitude: float | None = None, longitude: float | None = None) -> Hours:
    """As parse_hours, for hours someone is typing: read afresh and kept nowhere, so
    what the public sends cannot fill the stored venues' cache."""
    text = text.strip()
    rules = _checked(parse_rules(text))
    nation, position = _where(rules, latitude, longitude)
    return Hours(text, position, nation=nation, rules=rules)


def _where(
    rules: list[Rule], latitude: float | None, longitude: float | None
) -> tuple[Nation, Place]:
    """The nation (bank holidays), and the position only if the hours name the sun."""
    if latitude is None or longitude is None:
        return "England", Place()
    sunny = any(map(uses_sun, rules))
    position = Place(round(latitude, 2), round(longitude, 2)) if sunny else Place()
    return nation_at(latitude, longitude), position


@lru_cache(maxsize=KEPT)
def _rules(text: str) -> list[Rule]:
    return _checked(parse_rules(text))


def _checked(rules: list[Rule]) -> list[Rule]:
    if len(rules) > MAX_RULES:
        raise HoursError(
            f"opening_hours has {len(rules)} rules; at most {MAX_RULES} can be used. "
            "Join days with the same hours, like Mo-Fr 09:00-17:00."
        )
    return rules


@lru_cache(maxsize=KEPT)
def _bound(text: str, nation: Nation, position: Place) -> Hours:
    if position.latitude is not None and position.longitude is not None:
        # Work out the sun's year here, once, not in the middle of an answer.
        today = london_now().date()
        for year in {today.year, (today + HORIZON).year}:
            sun_minutes(position.latitude, position.longitude, date(year, 1, 1))
    return Hours(text, position, nation=nation, rules=_rules(text))


def warm_up(today: date) -> None:
    """Work out this year's and next year's bank holidays for every nation now, at
    start-up, rather than in the middle of someone's answer (about 15 ms each)."""
    for nation in ("England", "Wales", "Scotland", "Northern Ireland"):
        for year in (today.year, today.year + 1):
            bank_holidays(nation, year)


def reference_state(
    text: str, latitude: float, longitude: float, moment: datetime
) -> tuple[str, str | None]:
    """opening_hours.js's own three answers at a moment, for the differential test:
    ("open"|"closed"|"unknown", the explicit comment or None)."""
    answer = parse_hours(text, latitude, longitude).answer(moment)
    state = "unknown" if answer.unknown else "open" if answer.open else "closed"
    comment = answer.comment if answer.comment != "open end" else None
    return state, comment
