"""Opening hours in plain words. Pure: no FastAPI, no database.

Everything here reads one `Hours` (app/hours/evaluate.py): the state now, the
next change, the week's spans. Hours that are missing, or unknown at a moment,
give `None` and "We do not know if it is open now. Phone first.": we never guess.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from app.hours.calendar import LONDON, bank_holidays
from app.hours.evaluate import HORIZON, OPEN_END, Hours, State

DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
UNKNOWN_WORDS = "We do not know if it is open now. Phone first."


def london_now() -> datetime:
    return datetime.now(LONDON)


def clock_words(moment: datetime | time) -> str:
    """'9am', '5:30pm', 'midday', 'midnight'."""
    hour, minute = moment.hour, moment.minute
    if minute == 0 and hour == 0:
        return "midnight"
    if minute == 0 and hour == 12:
        return "midday"
    suffix = "am" if hour < 12 else "pm"
    hour12 = hour % 12 or 12
    return f"{hour12}{suffix}" if minute == 0 else f"{hour12}:{minute:02d}{suffix}"


def when_words(moment: datetime, now: datetime) -> str:
    """'at 5pm', 'tomorrow at 9am', 'on Monday at 9am', 'on 3 March at 9am'.

    Midnight ends the day before, as people say it: a place open Monday to
    Friday until 24:00 "closes on Friday at midnight", not on Saturday.
    """
    day = moment.date()
    if moment.time() == time(0):
        day -= timedelta(days=1)
    days_ahead = (day - now.date()).days
    at = f"at {clock_words(moment)}"
    if days_ahead <= 0:
        return at
    if days_ahead == 1:
        return f"tomorrow {at}"
    if days_ahead < 7:
        return f"on {DAY_NAMES[day.weekday()]} {at}"
    return f"on {day.day} {day.strftime('%B')} {at}"


@dataclass(frozen=True, slots=True)
class OpeningNow:
    """Whether a place is open at a moment, in words, and until when that holds."""

    open_now: bool | None
    status: str | None
    today: str | None
    valid_from: datetime
    valid_until: datetime
    # When an open place next closes (within the week ahead); None otherwise.
    closes_at: datetime | None = None


def _open_spans(hours: Hours, start: datetime, end: datetime, sure_only: bool = True) -> list[list]:
    """Open spans overlapping [start, end), merged, each with its true start and end:
    [start, end, unsure, open_end]. With `sure_only=False`, unknown spans too."""
    # Look a day either side, so a span that began yesterday (or ends tomorrow)
    # is seen whole, not cut at midnight.
    spans: list[list] = []
    for a, b, state, comment in hours.intervals(start - timedelta(days=1), end + timedelta(days=1)):
        if state == State.CLOSED or (sure_only and state != State.OPEN):
            continue
        unsure, open_end = state == State.UNKNOWN, comment == OPEN_END
        if spans and spans[-1][1] == a and spans[-1][2:] == [unsure, open_end]:
            spans[-1][1] = b
        else:
            spans.append([a, b, unsure, open_end])
    return [span for span in spans if span[0] < end and span[1] > start]


def _span_words(span: list, start: datetime | None = None) -> str:
    a, b, unsure, open_end = span
    if open_end:
        return f"from {clock_words(a)}, phone first"
    words = (
        f"until {clock_words(b)}"
        if start and a < start
        else (f"{clock_words(a)} to {clock_words(b)}")
    )
    return f"{words}, phone first" if unsure else words


Span = tuple[datetime, datetime]


def state_spans(hours: Hours, start: datetime, end: datetime) -> tuple[list[Span], list[Span]]:
    """Open spans and unknown spans within [start, end), cut to it: what a phone needs
    to tell "open now" offline, without an opening-hours parser of its own."""
    found: dict[State, list[Span]] = {State.OPEN: [], State.UNKNOWN: []}
    for a, b, state, _comment in hours.intervals(start, end):
        spans = found.get(state)
        if spans is None:
            continue
        a, b = max(a, start), min(b or end, end)
        if a >= b:
            continue
        if spans and spans[-1][1] == a:
            spans[-1] = (spans[-1][0], b)
        else:
            spans.append((a, b))
    return found[State.OPEN], found[State.UNKNOWN]


def day_words(hours: Hours, day: date) -> str:
    """'9am to 5pm', '9am to 1pm and 2pm to 5pm', 'Open all day', 'Closed';
    '9am to 5pm, phone first' where the hours say we cannot be sure.

    A span belongs to the day it starts on: Friday's "5pm to 2am" is not repeated
    as Saturday's "midnight to 2am".
    """
    start = datetime.combine(day, time(0), LONDON)
    end = datetime.combine(day + timedelta(days=1), time(0), LONDON)
    spans = _open_spans(hours, start, end, sure_only=False)
    whole_day = [span for span in spans if span[0] <= start and span[1] >= end]
    if whole_day:
        return "Not sure. Phone first" if whole_day[0][2] else "Open all day"
    # A night that began yesterday is yesterday's; an opening that has run since
    # before yesterday (open all day Wednesday, until midday Thursday) is today's too.
    today = [
        [start, span[1], *span[2:]] if span[0] < start else span
        for span in spans
        if start <= span[0] < end or span[0] <= start - timedelta(days=1)
    ]
    if not today:
        return "Closed"
    return " and ".join(_span_words(span) for span in today)


def day_spans(hours: Hours, day: date) -> list[tuple[datetime, datetime]]:
    """The open spans that start on `day` (London time), each with its true end."""
    start = datetime.combine(day, time(0), LONDON)
    end = datetime.combine(day + timedelta(days=1), time(0), LONDON)
    return [(a, b) for a, b, _u, _e in _open_spans(hours, start, end) if start <= a < end]


def today_in_words(hours: Hours, now: datetime) -> str:
    """'Open today 9am to 5pm.'; a night still going on counts: 'Open today until 3am …'."""
    start = datetime.combine(now.date(), time(0), LONDON)
    end = start + timedelta(days=1)
    spans = _open_spans(hours, start, end, sure_only=False)
    whole_day = [span for span in spans if span[0] <= start and span[1] >= end]
    if whole_day:
        return "Not sure today. Phone first." if whole_day[0][2] else "Open all day today."
    parts = [
        _span_words(span, start)
        for span in spans
        if span[0] >= start or span[1] > now  # last night's opening only while it lasts
    ]
    return f"Open today {' and '.join(parts)}." if parts else "Closed today."


def holiday_words(hours: Hours, today: date, days: int = 366) -> list[str]:
    """The coming bank holidays where the venue is, and its hours on each:
    'On Monday 28 December, a bank holiday: closed.' (15 words at most, as easy
    read asks: the holiday's name would make it longer)."""
    found = []
    for year in (today.year, today.year + 1):
        for day in bank_holidays(hours.nation, year):
            if today <= day < today + timedelta(days=days):
                words = day_words(hours, day).replace(". ", ", ")
                found.append(
                    f"On {DAY_NAMES[day.weekday()]} {day.day} {day:%B}, a bank holiday: "
                    f"{words[0].lower()}{words[1:]}."
                )
    return found


def opening_now(hours: Hours, now: datetime) -> OpeningNow:
    """Open now?, "Open now. Closes at 5pm.", today's hours, and how long that stays true."""
    now = now.astimezone(LONDON)
    next_midnight = datetime.combine(now.date() + timedelta(days=1), time(0), LONDON)
    state, _comment = hours.state(now)
    change = hours.next_change(now)
    valid_until = min(change, next_midnight) if change else next_midnight
    if state == State.UNKNOWN:
        return OpeningNow(None, UNKNOWN_WORDS, today_in_words(hours, now), now, valid_until)
    today_words = today_in_words(hours, now)
    if state == State.OPEN:
        if change is None or change - now > HORIZON:
            return OpeningNow(
                True, "Open now. Open all day and night.", today_words, now, valid_until
            )
        return OpeningNow(
            True,
            f"Open now. Closes {when_words(change, now)}.",
            today_words,
            now,
            valid_until,
            closes_at=change,
        )
    if change is None or change - now > HORIZON or hours.state(change)[0] != State.OPEN:
        return OpeningNow(False, "Closed now.", today_words, now, valid_until)
    return OpeningNow(
        False, f"Closed now. Opens {when_words(change, now)}.", today_words, now, valid_until
    )


def week_words(hours: Hours, now: datetime) -> list[tuple[str, date, str]]:
    """The next 7 days from today: (day name, date, hours in words)."""
    today = now.astimezone(LONDON).date()
    days = (today + timedelta(days=offset) for offset in range(7))
    return [(DAY_NAMES[day.weekday()], day, day_words(hours, day)) for day in days]


def week_lines(hours: Hours, now: datetime) -> list[str]:
    """The next 7 days as lines: 'Monday 7 December: 9am to 5pm'."""
    return [f"{name} {day.day} {day:%B}: {words}" for name, day, words in week_words(hours, now)]


def closed_until_words(closed_until: date) -> str:
    """'Closed until Monday 3 March.': the day it opens as usual again."""
    return f"Closed until {DAY_NAMES[closed_until.weekday()]} {closed_until.day} {closed_until:%B}."


def is_temporarily_closed(closed_until: date | None, today: date) -> bool:
    """A closure lapses by itself: from `closed_until` on, the usual hours apply."""
    return closed_until is not None and today < closed_until
