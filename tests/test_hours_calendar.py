"""A venue's nation, its bank holidays (against gov.uk's lists) and its sun times."""

from datetime import date, timedelta

import pytest

from app.hours import bank_holidays, nation_at
from app.hours.calendar import CALENDAR_CHECKED_UNTIL, sun_minutes

# gov.uk/bank-holidays, transcribed (the substitute days are the ones it lists).
GOV_UK = {
    ("England", 2026): [
        "2026-01-01",
        "2026-04-03",
        "2026-04-06",
        "2026-05-04",
        "2026-05-25",
        "2026-08-31",
        "2026-12-25",
        "2026-12-28",
    ],
    ("Scotland", 2026): [
        "2026-01-01",
        "2026-01-02",
        "2026-04-03",
        "2026-05-04",
        "2026-05-25",
        "2026-08-03",
        "2026-11-30",
        "2026-12-25",
        "2026-12-28",
    ],
    ("Northern Ireland", 2026): [
        "2026-01-01",
        "2026-03-17",
        "2026-04-03",
        "2026-04-06",
        "2026-05-04",
        "2026-05-25",
        "2026-07-13",
        "2026-08-31",
        "2026-12-25",
        "2026-12-28",
    ],
    ("England", 2027): [
        "2027-01-01",
        "2027-03-26",
        "2027-03-29",
        "2027-05-03",
        "2027-05-31",
        "2027-08-30",
        "2027-12-27",
        "2027-12-28",
    ],
    ("Scotland", 2027): [
        "2027-01-01",
        "2027-01-04",
        "2027-03-26",
        "2027-05-03",
        "2027-05-31",
        "2027-08-02",
        "2027-11-30",
        "2027-12-27",
        "2027-12-28",
    ],
    ("Northern Ireland", 2027): [
        "2027-01-01",
        "2027-03-17",
        "2027-03-26",
        "2027-03-29",
        "2027-05-03",
        "2027-05-31",
        "2027-07-12",
        "2027-08-30",
        "2027-12-27",
        "2027-12-28",
    ],
}
# Days we count beyond gov.uk's list: the winter holidays on the weekend itself
# (most places that close on holidays close on Christmas Day, whatever the day),
# and one-off days the holidays package knows.
ONE_OFF = {date(2026, 6, 15): "Scotland's participation in the FIFA World Cup final"}


@pytest.mark.parametrize(("nation", "year"), sorted(GOV_UK))
def test_bank_holidays_are_gov_uks(nation: str, year: int) -> None:
    ours = bank_holidays(nation, year)  # type: ignore[arg-type]
    expected = {date.fromisoformat(day) for day in GOV_UK[nation, year]}
    assert expected <= set(ours)
    extra = set(ours) - expected
    for day in extra:
        assert (day.weekday() >= 5 and day.month in (1, 12)) or ours[day] == ONE_OFF.get(day)


def test_wales_keeps_englands_bank_holidays() -> None:
    assert bank_holidays("Wales", 2026) == bank_holidays("England", 2026)


def test_the_calendar_is_not_about_to_run_out() -> None:
    """Fails six months before the pinned `holidays` release stops being known good:
    upgrade the package (and CALENDAR_CHECKED_UNTIL) so one-off days are not missed."""
    assert date.today() + timedelta(days=183) <= CALENDAR_CHECKED_UNTIL


@pytest.mark.parametrize(
    ("place", "lat", "lon", "nation"),
    [
        ("Warwick", 52.2819, -1.5849, "England"),
        ("Cardiff", 51.4816, -3.1791, "Wales"),
        ("Edinburgh", 55.9533, -3.1883, "Scotland"),
        ("Belfast", 54.5973, -5.9301, "Northern Ireland"),
        ("Berwick-upon-Tweed", 55.7704, -2.0054, "England"),
        ("Carlisle", 54.8925, -2.9329, "England"),
        ("Gretna", 54.9947, -3.0650, "Scotland"),
        ("Kelso", 55.5985, -2.4330, "Scotland"),
        ("Stranraer", 54.9032, -5.0245, "Scotland"),
        ("Campbeltown", 55.4254, -5.6049, "Scotland"),
        ("Stornoway", 58.2090, -6.3866, "Scotland"),
        ("Lerwick", 60.1546, -1.1494, "Scotland"),
        ("Larne", 54.8578, -5.8236, "Northern Ireland"),
        ("Enniskillen", 54.3438, -7.6315, "Northern Ireland"),
        ("Chester", 53.1905, -2.8916, "England"),
        ("Wrexham", 53.0462, -2.9930, "Wales"),
        ("Oswestry", 52.8598, -3.0538, "England"),
        ("Welshpool", 52.6600, -3.1470, "Wales"),
        ("Hereford", 52.0565, -2.7160, "England"),
        ("Hay-on-Wye", 52.0740, -3.1260, "Wales"),
        ("Monmouth", 51.8116, -2.7163, "Wales"),
        ("Holyhead", 53.3094, -4.6330, "Wales"),
        ("St Davids", 51.8812, -5.2660, "Wales"),
        ("Bristol", 51.4545, -2.5879, "England"),
        ("Penzance", 50.1188, -5.5372, "England"),
        ("Isle of Wight", 50.6938, -1.3047, "England"),
    ],
)
def test_a_venues_nation_follows_from_its_position(
    place: str, lat: float, lon: float, nation: str
) -> None:
    assert nation_at(lat, lon) == nation, place


def test_sun_times_follow_the_place_and_the_day() -> None:
    warwick_june = sun_minutes(52.28, -1.58, date(2026, 6, 21))
    warwick_december = sun_minutes(52.28, -1.58, date(2026, 12, 21))
    lerwick_june = sun_minutes(60.15, -1.15, date(2026, 6, 21))
    # Warwick: sunrise about 4:45am and sunset about 9:30pm BST at midsummer.
    assert 4 * 60 + 35 <= warwick_june["sunrise"] <= 4 * 60 + 55
    assert 21 * 60 + 20 <= warwick_june["sunset"] <= 21 * 60 + 40
    # and about 8:15am to 3:55pm at midwinter.
    assert 8 * 60 + 5 <= warwick_december["sunrise"] <= 8 * 60 + 25
    assert 15 * 60 + 45 <= warwick_december["sunset"] <= 16 * 60 + 5
    assert lerwick_june["sunset"] > warwick_june["sunset"] + 30
