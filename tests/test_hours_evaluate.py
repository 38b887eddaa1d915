"""The one evaluation: the faults the issue measured, each pinned, and values that
must be refused with a message, never a crash or a guess.

The agreement with opening_hours.js over a whole corpus is tests/test_hours_reference.py.
"""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.hours import (
    MAX_RULES,
    UNKNOWN_WORDS,
    HoursError,
    State,
    day_words,
    holiday_words,
    opening_now,
    parse_hours,
    state_spans,
    week_words,
)
from app.hours.calendar import sun_minutes
from app.hours.syntax import parse_rules

LONDON = ZoneInfo("Europe/London")
WARWICK = (52.2819, -1.5849)
EDINBURGH = (55.9533, -3.1883)
BELFAST = (54.5973, -5.9301)
LERWICK = (60.1546, -1.1494)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=LONDON)


def test_saturday_night_is_kept_when_an_earlier_rule_names_sunday() -> None:
    hours = parse_hours("Mo-Th,Su 17:00-23:30; Fr,Sa 17:00-01:00", *WARWICK)
    assert day_words(hours, date(2026, 12, 5)) == "5pm to 1am"  # a Saturday
    assert day_words(hours, date(2026, 12, 6)) == "5pm to 11:30pm"
    assert hours.state(at("2026-12-06 00:30"))[0] == State.OPEN
    assert hours.state(at("2026-12-06 01:00"))[0] == State.CLOSED


def test_bank_holidays_follow_the_venues_nation() -> None:
    value = "Mo-Fr 09:00-17:00; PH off"
    easter_monday, second_january = at("2026-04-06 10:00"), at("2026-01-02 10:00")
    warwick, edinburgh = parse_hours(value, *WARWICK), parse_hours(value, *EDINBURGH)
    assert opening_now(warwick, easter_monday).open_now is False
    assert opening_now(edinburgh, easter_monday).open_now is True  # not a holiday there
    assert opening_now(edinburgh, second_january).open_now is False
    assert opening_now(warwick, second_january).open_now is True
    st_patrick = at("2026-03-17 10:00")
    assert opening_now(parse_hours(value, *BELFAST), st_patrick).open_now is False
    assert opening_now(warwick, st_patrick).open_now is True


def test_the_boxing_day_substitute_and_its_words() -> None:
    hours = parse_hours("Mo-Fr 09:00-17:00; PH off", *WARWICK)
    assert hours.state(at("2026-12-28 10:00"))[0] == State.CLOSED
    words = holiday_words(hours, date(2026, 12, 1), days=40)
    assert "On Monday 28 December, a bank holiday: closed." in words
    assert "On Friday 1 January, a bank holiday: closed." in words


def test_ph_with_a_weekday_means_a_bank_holiday_on_that_day() -> None:
    hours = parse_hours("PH Mo 10:00-12:00", *WARWICK)
    assert hours.state(at("2026-04-06 11:00"))[0] == State.OPEN  # Easter Monday
    assert hours.state(at("2026-04-13 11:00"))[0] == State.CLOSED  # an ordinary Monday
    assert hours.state(at("2026-04-03 11:00"))[0] == State.CLOSED  # Good Friday


def test_a_space_after_a_comma_is_read_as_opening_hours_js_reads_it() -> None:
    spaced = parse_hours("Mo, We, Fr 09:00-17:00", *WARWICK)
    tight = parse_hours("Mo,We,Fr 09:00-17:00", *WARWICK)
    now = at("2026-12-07 08:00")
    assert week_words(spaced, now) == week_words(tight, now)
    assert spaced.state(at("2026-12-08 10:00"))[0] == State.CLOSED  # a Tuesday


@pytest.mark.parametrize(
    ("value", "moment"),
    [
        ('Mo-Fr 09:00-17:00 "phone first"', "2026-12-07 10:00"),
        ("Mo-Sa 10:00+", "2026-12-07 11:00"),
        ("Mo-Fr 09:00-17:00 unknown", "2026-12-07 10:00"),
        ('Mo-Fr 09:00-17:00 || "by appointment"', "2026-12-05 10:00"),
    ],
)
def test_unknown_is_never_shown_as_open(value: str, moment: str) -> None:
    state = opening_now(parse_hours(value, *WARWICK), at(moment))
    assert (state.open_now, state.status) == (None, UNKNOWN_WORDS)


def test_the_week_says_phone_first_where_the_hours_are_not_sure() -> None:
    hours = parse_hours('Mo-Fr 09:00-17:00 "phone first"; Sa 10:00+', *WARWICK)
    words = dict((day, text) for day, _date, text in week_words(hours, at("2026-12-07 08:00")))
    assert words["Monday"] == "9am to 5pm, phone first"
    assert words["Saturday"] == "from 10am, phone first"
    assert words["Sunday"] == "Closed"


def test_the_night_the_clocks_go_back() -> None:
    hours = parse_hours("Sa 20:00-01:00", *WARWICK)
    first_half_past_one = datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # 01:30 BST
    second_half_past_one = datetime(2026, 10, 25, 1, 30, tzinfo=UTC)  # 01:30 GMT
    assert hours.state(datetime(2026, 10, 24, 23, 30, tzinfo=UTC))[0] == State.OPEN  # 00:30
    assert hours.state(first_half_past_one)[0] == State.CLOSED
    assert hours.state(second_half_past_one)[0] == State.CLOSED
    state = opening_now(hours, datetime(2026, 10, 24, 23, 30, tzinfo=UTC))
    assert state.closes_at is not None
    # 01:00 BST, the first 1am (aware times in the repeated hour compare by instant only
    # through timestamps).
    assert state.closes_at.timestamp() == datetime(2026, 10, 25, 0, 0, tzinfo=UTC).timestamp()


def test_the_night_the_clocks_go_forward() -> None:
    hours = parse_hours("Sa 22:00-03:00", *WARWICK)
    spans, _unknown = state_spans(hours, at("2026-03-28 12:00"), at("2026-03-29 12:00"))
    (opens, closes) = spans[0]
    assert opens == datetime(2026, 3, 28, 22, 0, tzinfo=UTC)
    assert closes == datetime(2026, 3, 29, 2, 0, tzinfo=UTC)  # 03:00 BST
    assert closes.timestamp() - opens.timestamp() == 4 * 3600  # 4 hours open, not 5


def test_sun_times_come_from_the_venues_own_position() -> None:
    value = "sunrise-sunset"
    midsummer, midwinter = at("2026-06-21 12:00"), at("2026-12-21 12:00")
    closes = {
        (place, when): opening_now(parse_hours(value, *where), when).closes_at
        for place, where in (("Warwick", WARWICK), ("Lerwick", LERWICK))
        for when in (midsummer, midwinter)
    }
    assert closes["Lerwick", midsummer] > closes["Warwick", midsummer]
    assert closes["Lerwick", midwinter] < closes["Warwick", midwinter]
    assert closes["Warwick", midsummer].hour == 21  # about 9:30pm, not 7pm
    assert closes["Warwick", midwinter].hour == 15  # about 3:55pm


def test_sun_times_agree_with_astral() -> None:
    """Our year-at-once NOAA equations against astral, for every day of 2026: within a
    minute, but for civil dawn and dusk in the far north's summer nights (3 minutes)."""
    from astral import Observer
    from astral.sun import sun

    for latitude, longitude in (WARWICK, EDINBURGH, BELFAST, (50.12, -5.54), (58.97, -2.96)):
        day = date(2026, 1, 1)
        while day.year == 2026:
            theirs = sun(Observer(latitude, longitude), date=day, tzinfo=LONDON)
            ours = sun_minutes(latitude, longitude, day)
            for event in ("dawn", "sunrise", "sunset", "dusk"):
                clock = theirs[event].hour * 60 + theirs[event].minute
                allowed = 3 if latitude > 57 and event in ("dawn", "dusk") else 1
                assert abs(clock - ours[event]) <= allowed, (latitude, day, event)
            day += timedelta(days=1)


def test_a_span_of_days_ending_at_midday_keeps_its_last_morning() -> None:
    hours = parse_hours("Mo-We 00:00-24:00; Th 00:00-12:00", *WARWICK)
    assert day_words(hours, date(2026, 12, 10)) == "midnight to midday"  # Thursday
    assert day_words(hours, date(2026, 12, 9)) == "Open all day"


def test_always_open_holds_without_searching_the_years() -> None:
    for value in ("Mo-Su 00:00-24:00", "Mo-Su", "week 01-53", "Jan-Dec 00:00-24:00", "24/7"):
        hours = parse_hours(value, *WARWICK)
        state = opening_now(hours, at("2026-12-07 10:00"))
        assert (state.open_now, state.status) == (True, "Open now. Open all day and night."), value
        assert hours.next_change(at("2026-12-07 10:00")) is None


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("SH off", "school holidays (SH)"),
        ("Mo-Fr 09:00-17:00; SH 10:00-12:00", "Give the dates instead"),
        ("Monday 09:00-17:00", "Write days as Mo, Tu, We"),
        ("Mo-Fr 9am-5pm", "24-hour clock"),
        ("Mo-Fr 09:00", "not one time"),
        ("Mo-Fr 10:00-16:00/01:30", "Repeating times"),
        ("PH +1 day off", "Give the dates instead"),
        ("easter off", "Give the dates instead"),
        ("2021 Mar 28-Apr 16 off", "Give a year on both dates"),
        ("Mo-Fx 09:00-17:00", "near character 4"),
        ("sunrise-(", "stop too soon"),
        ("Feb 30 off", "Feb 30 is not a date"),
        ("Mo 01:00-48:30", "two midnights"),
        (";;", "empty"),
    ],
)
def test_what_we_cannot_answer_for_is_refused_plainly(value: str, says: str) -> None:
    with pytest.raises(HoursError) as caught:
        parse_hours(value)
    assert says in str(caught.value)


def test_too_many_rules_are_refused() -> None:
    days = [date(2027, 1, 1) + timedelta(days=n) for n in range(MAX_RULES + 1)]
    many = "; ".join(f"2027 {day:%b %d} 10:00-12:00" for day in days)
    with pytest.raises(HoursError, match=f"at most {MAX_RULES}"):
        parse_hours(many)
    parse_hours("; ".join(many.split("; ")[:MAX_RULES]))


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet='MoTuWeFrSaSuPHJanDec0123456789:-+,;/[]()"| .offsunrise', max_size=60))
def test_any_text_is_read_or_refused_never_crashes(value: str) -> None:
    try:
        rules = parse_rules(value)
    except HoursError:
        return
    hours = parse_hours(value, *WARWICK)
    now = at("2026-12-07 10:00")
    opening_now(hours, now)
    week_words(hours, now)
    assert rules
