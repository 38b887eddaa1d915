"""Where a venue is, and what that means for its hours: its nation's bank
holidays and its own sunrise and sunset. Pure: no FastAPI, no database.

Bank holidays differ by nation (Scotland has 2 January and St Andrew's Day,
Northern Ireland St Patrick's Day and the Twelfth, England and Wales neither).
Dates come from the `holidays` package (pinned), which follows gov.uk's lists
(substitute days included) and adds one-off days when they are announced.
`CALENDAR_CHECKED_UNTIL` is how far ahead the pinned release is known to be
right: a test fails as it draws near, so the package is upgraded before one-off
days announced later are missed.
"""

from calendar import monthrange
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Literal
from zoneinfo import ZoneInfo

import holidays
import numpy as np

LONDON = ZoneInfo("Europe/London")
Nation = Literal["England", "Wales", "Scotland", "Northern Ireland"]
SUBDIVISION: dict[str, str] = {
    "England": "ENG",
    "Wales": "WLS",
    "Scotland": "SCT",
    "Northern Ireland": "NIR",
}
# holidays 0.108 was released in November 2026; gov.uk publishes about two years ahead.
CALENDAR_SOURCE = "the holidays package, version 0.108 (November 2026)"
CALENDAR_CHECKED_UNTIL = date(2028, 6, 30)

# Simplified borders (latitude, longitude), accurate to a few kilometres: enough to
# tell which nation's bank holidays a venue keeps. Scotland: from the east coast
# north of Berwick, along the border to the Solway, then out to sea around
# Galloway, Kintyre and the Hebrides. Wales: from the Dee estuary down the border
# to the Severn, then around the coast at sea.
SCOTLAND = (
    (55.811, -2.034),
    (55.760, -2.100),
    (55.720, -2.150),
    (55.660, -2.220),
    (55.640, -2.320),
    (55.550, -2.250),
    (55.470, -2.170),
    (55.420, -2.330),
    (55.350, -2.480),
    (55.290, -2.590),
    (55.220, -2.680),
    (55.160, -2.780),
    (55.130, -2.860),
    (55.050, -2.950),
    (54.990, -3.030),
    (54.950, -3.120),
    (54.750, -3.600),
    (54.550, -4.600),
    (54.550, -5.000),
    (54.850, -5.350),
    (55.200, -5.750),
    (55.350, -6.050),
    (55.450, -6.600),
    (55.600, -7.500),
    (56.500, -8.500),
    (58.500, -9.500),
    (61.500, -9.500),
    (61.500, 0.500),
    (55.811, -1.500),
)
WALES = (
    (53.350, -3.200),
    (53.230, -2.990),
    (53.175, -2.925),
    (53.090, -2.875),
    (53.020, -2.800),
    (52.975, -2.720),
    (52.930, -2.800),
    (52.945, -2.960),
    (52.935, -3.065),
    (52.880, -3.125),
    (52.790, -3.100),
    (52.745, -3.020),
    (52.680, -3.040),
    (52.620, -3.080),
    (52.560, -3.110),
    (52.500, -3.080),
    (52.450, -3.160),
    (52.380, -3.110),
    (52.340, -3.030),
    (52.270, -2.985),
    (52.205, -3.085),
    (52.120, -3.110),
    (52.070, -3.110),
    (51.990, -3.010),
    (51.900, -2.900),
    (51.830, -2.690),
    (51.720, -2.670),
    (51.640, -2.662),
    (51.590, -2.680),
    (51.400, -3.200),
    (51.300, -4.000),
    (51.500, -5.500),
    (52.000, -6.000),
    (53.500, -5.000),
    (53.500, -3.300),
)


def _inside(lat: float, lon: float, polygon: tuple[tuple[float, float], ...]) -> bool:
    """Ray casting: does the point lie inside the polygon?"""
    inside = False
    j = len(polygon) - 1
    for i, (lat_i, lon_i) in enumerate(polygon):
        lat_j, lon_j = polygon[j]
        if (lat_i > lat) != (lat_j > lat):
            crossing = lon_i + (lat - lat_i) * (lon_j - lon_i) / (lat_j - lat_i)
            if lon < crossing:
                inside = not inside
        j = i
    return inside


def nation_at(latitude: float, longitude: float) -> Nation:
    """The UK nation at a position (England for anything outside the other three)."""
    # Cheap boxes first: most of England is south of 54.5° and east of 2.6° W.
    if latitude > 54.5 and _inside(latitude, longitude, SCOTLAND):
        return "Scotland"
    if longitude < -5.35 and 53.9 <= latitude <= 55.4:
        return "Northern Ireland"
    if longitude < -2.66 and 51.3 < latitude < 53.5 and _inside(latitude, longitude, WALES):
        return "Wales"
    return "England"


@lru_cache(maxsize=64)
def bank_holidays(nation: Nation, year: int) -> dict[date, str]:
    """A nation's public holidays in a year: gov.uk's bank holidays (substitute days
    included), and Christmas Day, Boxing Day or New Year's Day on the weekend itself,
    when most places that close on holidays close too (opening_hours.js agrees; it
    keeps St Andrew's, St Patrick's and the Twelfth on their weekdays only)."""
    calendar = holidays.UK(subdiv=SUBDIVISION[nation], years=year)
    return {
        day: name.replace("(observed)", "(substitute day)")
        for day, name in sorted(calendar.items())
        if day.weekday() < 5 or day.month in (1, 12)
    }


def bank_holiday(nation: Nation, day: date) -> str | None:
    """The bank holiday's name on that day where the venue is, or None."""
    return bank_holidays(nation, day.year).get(day)


# Without a position, opening_hours.js uses these, and so do we.
SUN_STAND_INS = {"dawn": 5 * 60 + 30, "sunrise": 6 * 60, "sunset": 18 * 60, "dusk": 18 * 60 + 30}
# The sun's centre below the horizon: 0.833° at sunrise and sunset (refraction and
# the sun's radius), 6° at civil dawn and dusk.
DEPRESSION = {"sunrise": 0.833, "sunset": 0.833, "dawn": 6.0, "dusk": 6.0}


def sun_minutes(latitude: float, longitude: float, day: date) -> dict[str, int]:
    """Dawn, sunrise, sunset and dusk on that day at that place, in whole minutes
    after local midnight, as opening_hours.js counts them."""
    table = _sun_year(latitude, longitude, day.year)
    index = day.timetuple().tm_yday - 1
    return {name: int(minutes[index]) for name, minutes in table.items()}


@lru_cache(maxsize=1024)
def _sun_year(latitude: float, longitude: float, year: int) -> dict[str, np.ndarray]:
    """A year of sun times at a place, all at once: NOAA's solar equations, as astral
    uses them (tests hold us to astral within a minute). astral itself takes 300 µs a
    day, too slow for a cold week's answer within 1 ms; this takes about 0.3 ms a year."""
    first = date(year, 1, 1)
    days = (date(year + 1, 1, 1) - first).days
    noon = 2451545.0 + (first - date(2000, 1, 1)).days + np.arange(days)  # Julian days
    phi = np.radians(latitude)
    offsets = _offsets(year)
    at_noon = _solar(noon)
    table = {}
    for name, depression in DEPRESSION.items():
        sign = -1 if name in ("sunrise", "dawn") else 1
        declination, equation_of_time = at_noon
        for again in (True, False):  # then again at the event itself: the sun has moved
            cosine = (np.cos(np.radians(90 + depression)) - np.sin(phi) * np.sin(declination)) / (
                np.cos(phi) * np.cos(declination)
            )
            hour_angle = np.degrees(np.arccos(np.clip(cosine, -1, 1)))
            utc = 720 - 4 * longitude - equation_of_time + sign * 4 * hour_angle
            if again:
                declination, equation_of_time = _solar(noon + (utc - 720) / 1440)
        # As opening_hours.js reads an event: its hour and minute on the clock.
        minutes = np.floor(utc + offsets) % (24 * 60)
        # Where the sun never gets that low (June in Shetland), keep the stand-in.
        table[name] = np.where(np.abs(cosine) > 1, SUN_STAND_INS[name], minutes).astype(int)
    return table


def _solar(julian_day: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The sun's declination (radians) and the equation of time (minutes)."""
    t = (julian_day - 2451545.0) / 36525.0  # Julian centuries since J2000.0
    mean_long = np.radians((280.46646 + t * (36000.76983 + t * 0.0003032)) % 360)
    anomaly = np.radians(357.52911 + t * (35999.05029 - 0.0001537 * t))
    eccentricity = 0.016708634 - t * (0.000042037 + 0.0000001267 * t)
    centre = np.radians(
        np.sin(anomaly) * (1.914602 - t * (0.004817 + 0.000014 * t))
        + np.sin(2 * anomaly) * (0.019993 - 0.000101 * t)
        + np.sin(3 * anomaly) * 0.000289
    )
    omega = np.radians(125.04 - 1934.136 * t)
    apparent = mean_long + centre - np.radians(0.00569 + 0.00478 * np.sin(omega))
    obliquity = np.radians(
        23
        + (26 + (21.448 - t * (46.815 + t * (0.00059 - t * 0.001813))) / 60) / 60
        + 0.00256 * np.cos(omega)
    )
    declination = np.arcsin(np.sin(obliquity) * np.sin(apparent))
    y = np.tan(obliquity / 2) ** 2
    equation_of_time = 4 * np.degrees(
        y * np.sin(2 * mean_long)
        - 2 * eccentricity * np.sin(anomaly)
        + 4 * eccentricity * y * np.sin(anomaly) * np.cos(2 * mean_long)
        - 0.5 * y * y * np.sin(4 * mean_long)
        - 1.25 * eccentricity * eccentricity * np.sin(2 * anomaly)
    )
    return declination, equation_of_time


@lru_cache(maxsize=8)
def _offsets(year: int) -> np.ndarray:
    """Each day's UTC offset at noon, in minutes (60 in summer time)."""
    first = date(year, 1, 1)
    days = (date(year + 1, 1, 1) - first).days
    noon = datetime.combine(first, time(12), LONDON)
    return np.array(
        [(noon + timedelta(days=i)).utcoffset().total_seconds() // 60 for i in range(days)]  # type: ignore[union-attr]
    )


def midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), LONDON)


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or earlier when negative (or that month's last day:
    31 Jan + 1 month = 28/29 Feb). ValueError outside the years a date can hold."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))
