from datetime import UTC, date, datetime

import pytest

from app.hours import (
    LONDON,
    HoursError,
    clock_words,
    day_words,
    opening_now,
    parse_hours,
    week_words,
)

OFFICE = "Mo-Fr 09:00-17:00; Sa 10:00-16:00"


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=LONDON)


def test_open_with_closing_time_in_plain_words() -> None:
    state = opening_now(parse_hours(OFFICE), at("2026-11-27 12:00"))  # a Friday
    assert state.open_now is True
    assert state.status == "Open now. Closes at 5pm."
    assert state.today == "Open today 9am to 5pm."


def test_closed_opens_tomorrow() -> None:
    state = opening_now(parse_hours(OFFICE), at("2026-11-27 18:30"))
    assert state.open_now is False
    assert state.status == "Closed now. Opens tomorrow at 10am."


def test_closed_opens_on_a_named_day() -> None:
    state = opening_now(parse_hours(OFFICE), at("2026-11-28 17:00"))  # Saturday
    assert state.status == "Closed now. Opens on Monday at 9am."
    assert opening_now(parse_hours(OFFICE), at("2026-11-29 12:00")).today == "Closed today."


@pytest.mark.parametrize(
    ("moment", "is_open", "status"),
    [
        ("2026-11-27 23:30", True, "Open now. Closes tomorrow at 2am."),  # Friday night
        ("2026-11-28 01:30", True, "Open now. Closes at 2am."),  # after midnight
        ("2026-11-28 02:30", False, "Closed now. Opens at 5pm."),
        ("2026-11-29 01:00", True, "Open now. Closes at 2am."),  # Saturday's night
        ("2026-11-29 03:00", False, "Closed now. Opens on Friday at 5pm."),
    ],
)
def test_past_midnight(moment: str, is_open: bool, status: str) -> None:
    state = opening_now(parse_hours("Fr,Sa 17:00-02:00"), at(moment))
    assert (state.open_now, state.status) == (is_open, status)


def test_a_night_belongs_to_the_day_it_starts() -> None:
    hours = parse_hours("Fr,Sa 17:00-02:00")
    assert day_words(hours, date(2026, 11, 27)) == "5pm to 2am"
    assert day_words(hours, date(2026, 11, 28)) == "5pm to 2am"
    assert day_words(hours, date(2026, 11, 29)) == "Closed"


def test_clocks_going_forward() -> None:
    # 29 March 2026: at 01:00 GMT clocks go forward to 02:00 BST.
    hours = parse_hours(OFFICE)
    monday_morning = datetime(2026, 3, 30, 8, 30, tzinfo=UTC)  # 09:30 in London
    assert opening_now(hours, monday_morning).open_now is True
    late = parse_hours("Sa 20:00-02:00")
    assert opening_now(late, datetime(2026, 3, 29, 0, 30, tzinfo=UTC)).open_now is True
    # 01:30 UTC is 02:30 BST: the night has ended.
    assert opening_now(late, datetime(2026, 3, 29, 1, 30, tzinfo=UTC)).open_now is False


def test_clocks_going_back() -> None:
    # 25 October 2026: at 02:00 BST clocks go back to 01:00 GMT.
    hours = parse_hours(OFFICE)
    monday_morning = datetime(2026, 10, 26, 8, 30, tzinfo=UTC)  # 08:30 in London
    assert opening_now(hours, monday_morning).open_now is False
    assert opening_now(hours, datetime(2026, 10, 26, 9, 30, tzinfo=UTC)).open_now is True
    # Across the change, "Opens at" is in London time.
    state = opening_now(hours, datetime(2026, 10, 26, 7, 0, tzinfo=UTC))
    assert state.status == "Closed now. Opens at 9am."


def test_twenty_four_seven() -> None:
    state = opening_now(parse_hours("24/7"), at("2026-11-27 03:00"))
    assert state.open_now is True
    assert state.status == "Open now. Open all day and night."
    assert state.today == "Open all day today."


def test_public_holidays_in_england() -> None:
    state = opening_now(parse_hours("Mo-Fr 09:00-17:00; PH off"), at("2026-12-25 12:00"))
    assert state.open_now is False


def test_unknown_hours_are_never_guessed() -> None:
    state = opening_now(parse_hours("Mo-Fr 09:00-17:00 unknown"), at("2026-11-27 12:00"))
    assert (state.open_now, state.status, state.today) == (
        None,
        "We do not know if it is open now. Phone first.",
        "Open today 9am to 5pm, phone first.",
    )


def test_split_day_and_week() -> None:
    hours = parse_hours("Mo-Fr 09:00-12:30,13:30-17:00")
    week = week_words(hours, at("2026-11-27 12:00"))
    assert week[0] == ("Friday", date(2026, 11, 27), "9am to 12:30pm and 1:30pm to 5pm")
    assert week[1] == ("Saturday", date(2026, 11, 28), "Closed")
    assert len(week) == 7


@pytest.mark.parametrize(
    ("hour", "minute", "words"),
    [(0, 0, "midnight"), (12, 0, "midday"), (9, 0, "9am"), (17, 30, "5:30pm"), (0, 15, "12:15am")],
)
def test_clock_words(hour: int, minute: int, words: str) -> None:
    assert clock_words(datetime(2026, 1, 1, hour, minute)) == words


def test_bad_hours_say_where_and_how() -> None:
    with pytest.raises(HoursError) as caught:
        parse_hours("Mo-Fx 09:00-17:00")
    assert "near character 4" in str(caught.value)
    assert "Mo-Fr 09:00-17:00; Sa 10:00-16:00" in str(caught.value)


@pytest.mark.parametrize(
    ("moment", "status"),
    [
        ("2026-11-23 08:00", "Open now. Closes on Friday at midnight."),  # Monday
        ("2026-11-26 20:00", "Open now. Closes tomorrow at midnight."),  # Thursday
        ("2026-11-27 20:00", "Open now. Closes at midnight."),  # Friday
        ("2026-11-28 01:30", "Closed now. Opens tomorrow at midnight."),  # Sunday night
    ],
)
def test_midnight_ends_the_day_before(moment: str, status: str) -> None:
    assert opening_now(parse_hours("Mo-Fr 00:00-24:00"), at(moment)).status == status


def test_a_night_still_going_on_is_part_of_today() -> None:
    hours = parse_hours("Fr,Sa 21:00-03:00")
    state = opening_now(hours, at("2026-11-28 01:30"))  # Saturday, in Friday's night
    assert state.status == "Open now. Closes at 3am."
    assert state.today == "Open today until 3am and 9pm to 3am."
    later = opening_now(hours, at("2026-11-28 12:00"))
    assert later.today == "Open today 9pm to 3am."
