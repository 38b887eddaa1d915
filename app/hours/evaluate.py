"""Whether a place is open: one evaluation for every answer the service gives.
Pure: no FastAPI, no database.

`Hours` is a value's rules at one place (its nation's bank holidays, its own sun
times). It works a day at a time, in London wall-clock minutes, exactly as
opening_hours.js does: find the rules whose dates match the day (a later `;` rule
that says open replaces the earlier ones), then walk the day's minutes through
their times in order. A day's answer is a short list of segments, cached, so the
state now, the next change and a week of spans cost a few days' work and never
a search into the years ahead: whatever stays the same for longer than
`HORIZON` is reported as lasting.

States: OPEN, CLOSED, and UNKNOWN for `unknown`, a bare comment, an open end
(`10:00+`) and an open rule qualified by a comment ("phone first"): we never
guess that a place is open.
"""

import enum
import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache

from app.hours.calendar import LONDON, Nation, bank_holiday, nation_at, sun_minutes
from app.hours.syntax import (
    GROUP_ORDER,
    MINUTES_IN_DAY,
    SUN_STAND_INS,
    DateSelector,
    Rule,
    TimePoint,
    TimeRange,
    parse_rules,
)

HORIZON = timedelta(days=8)
OPEN_END = "open end"


class State(enum.Enum):
    OPEN = "open"
    CLOSED = "closed"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Answer:
    """opening_hours.js's answer for a moment: open?, unknown?, the comment that applies."""

    open: bool
    unknown: bool
    comment: str | None  # an explicit "comment" in the value (or OPEN_END)

    @property
    def state(self) -> State:
        if self.unknown or (self.open and self.comment):
            return State.UNKNOWN
        return State.OPEN if self.open else State.CLOSED


# (start minute, end minute, answer) covering a wall-clock day from 0 to 1440.
Segment = tuple[int, int, Answer]
# (start, end, answer) in UTC epoch seconds.
Timed = tuple[float, float, Answer]
ONE_DAY = timedelta(days=1)
DayTest = Callable[[date], bool]
SECONDS_IN_DAY = 24 * 60 * 60


@dataclass(frozen=True, slots=True)
class Place:
    latitude: float | None = None
    longitude: float | None = None

    @property
    def nation(self) -> Nation:
        if self.latitude is None or self.longitude is None:
            return "England"
        return nation_at(self.latitude, self.longitude)


class Hours:
    """A value's rules at one place. Thread-safe; each day is worked out once."""

    __slots__ = (
        "_by_rules",
        "_compiled",
        "_sunny",
        "nation",
        "place",
        "rules",
        "text",
    )

    def __init__(
        self,
        text: str,
        place: Place = Place(),
        nation: Nation | None = None,
        rules: list[Rule] | None = None,
    ) -> None:
        self.text = text
        self.rules = parse_rules(text) if rules is None else rules
        self.place = place
        self.nation = place.nation if nation is None else nation
        self._compiled = self._compile()
        self._sunny = [uses_sun(rule) for rule in self.rules]
        # Days on which the same rules apply look the same: one list for them all.
        self._by_rules: dict[tuple, list[Segment]] = {}

    def __reduce__(self) -> tuple:
        """Sent to another process (the report worker) as its text, nation and place, and
        made there as parse_hours makes it: once per value, shared."""
        from app.hours import _bound

        return _bound, (self.text, self.nation, self.place)

    # The day's segments ------------------------------------------------------

    def day(self, day: date) -> list[Segment]:
        return _day(self, day)

    def _segments(self, day: date) -> list[Segment]:
        matching = self._matching_rules(day)
        # ... unless the sun moves.
        key: tuple = (matching, day) if any(self._sunny[i] for i in matching) else matching
        segments = self._by_rules.get(key)
        if segments is None:
            segments = self._work_out(day, [self.rules[i] for i in matching])
            if len(self._by_rules) >= BY_RULES_KEPT:
                self._by_rules.clear()
            self._by_rules[key] = segments
        return segments

    def _work_out(self, day: date, matching: list[Rule]) -> list[Segment]:
        sun = self._sun(day) if any(map(uses_sun, matching)) else None
        ranges = [(rule, [self._span(rule, time, sun) for time in rule.times]) for rule in matching]
        cuts = {0, MINUTES_IN_DAY}
        for rule, spans in ranges:
            for each, (start, end) in zip(rule.times, spans, strict=True):
                cuts.update(m for m in (start, end) if 0 < m < MINUTES_IN_DAY)
                if each.open_end and 0 <= start < MINUTES_IN_DAY - 1:
                    cuts.add(start + 1)  # see the open-end rule in _answer_at
        ordered = sorted(cuts)
        segments: list[Segment] = []
        for start, end in itertools.pairwise(ordered):
            answer = _answer_at(start, ranges)
            if segments and segments[-1][2] is answer:
                segments[-1] = (segments[-1][0], end, answer)
            else:
                segments.append((start, end, answer))
        return segments

    def _matching_rules(self, day: date) -> tuple[int, ...]:
        """opening_hours.js `getStatePair`'s first loop: the rules that apply on this day."""
        matching: list[int] = []
        yesterday = day - ONE_DAY
        for index, (groups, replaces, wrapped) in enumerate(self._compiled):
            on = yesterday if wrapped else day
            # Every group holds for some test in it (plain loops: this is the hot path).
            for group in groups:
                for test in group:
                    if test(on):
                        break
                else:
                    break
            else:
                if replaces:
                    matching = []
                matching.append(index)
        return tuple(matching)

    def _compile(self) -> list[tuple[tuple[tuple[DayTest, ...], ...], bool, bool]]:
        """Per rule: its date selectors as tests of a day, grouped (all groups must
        hold, any test in a group), and whether it replaces the earlier rules."""
        compiled = []
        previous: Rule | None = None
        for rule in self.rules:
            groups = tuple(
                tuple(self._day_test(selector) for selector in rule.dates[group])
                for group in GROUP_ORDER
                if rule.dates.get(group)
            )
            replaces = bool(
                (
                    rule.has_dates
                    or (previous is not None and rule.meaning and not previous.has_dates)
                )
                and (rule.meaning or rule.unknown)
                and not (rule.wrapped or rule.additional or rule.fallback)
            )
            compiled.append((groups, replaces, rule.wrapped))
            previous = rule
        return compiled

    def _day_test(self, selector: DateSelector) -> DayTest:
        """A date selector as a quick test of a day."""
        kind = selector[0]
        if kind == "weekday":
            first, last = selector[1], selector[2]
            return lambda day: _in_cycle(day.weekday(), first, last)
        if kind == "ph":
            nation = self.nation
            return lambda day: bank_holiday(nation, day) is not None
        if kind == "nth":
            weekday, n = selector[1], selector[2]
            return lambda day: day.weekday() == weekday and _nth_matches(day, n)
        if kind == "month":
            first, last = selector[1], selector[2]
            return lambda day: _in_cycle(day.month - 1, first, last)
        if kind == "dates":
            (year_from, month_from, day_from), (year_to, month_to, day_to) = selector[1:]
            if year_from is not None:
                start, end = (
                    _date(year_from, month_from, day_from),
                    _date(year_to, month_to, day_to),
                )
                if start is None or end is None:
                    return lambda day: False
                return lambda day: start <= day <= end
            first_key, last_key = (month_from + 1, day_from), (month_to + 1, day_to)
            if first_key <= last_key:
                return lambda day: first_key <= (day.month, day.day) <= last_key
            return lambda day: not last_key < (day.month, day.day) < first_key
        if kind == "week":
            first, last, period = selector[1], selector[2], selector[3]
            return lambda day: _in_weeks(day.isocalendar().week, first, last, period)
        if kind == "year":
            first, last, period = selector[1], selector[2], selector[3]
            return lambda day: _in_years(day.year, first, last, period)
        raise AssertionError(kind)

    def _sun(self, day: date) -> dict[str, int]:
        if self.place.latitude is None or self.place.longitude is None:
            return SUN_STAND_INS
        return sun_minutes(round(self.place.latitude, 2), round(self.place.longitude, 2), day)

    @staticmethod
    def _span(rule: Rule, time: TimeRange, sun: dict[str, int] | None) -> tuple[int, int]:
        """The minutes of this day a time range covers, for this rule (or its wrapped
        twin), as opening_hours.js 3.15 works them out: sun times are placed on each
        day, and a range that starts at one may cross midnight on some days only."""
        if time.always:
            return 0, MINUTES_IN_DAY
        start, end = time.start, time.end
        if rule.wrapped:
            to = _minutes(end, sun) if end.sun else end.minutes - MINUTES_IN_DAY
            if (start.sun or end.sun) and to > _minutes(start, sun):
                return 0, 0  # today the range does not cross midnight
            return 0, to
        begin, to = _minutes(start, sun), _minutes(end, sun)
        if time.wraps or (start.sun and not time.open_end):
            if end.sun and to <= begin:
                to += MINUTES_IN_DAY
            return (begin, MINUTES_IN_DAY) if to > MINUTES_IN_DAY else (begin, to)
        return begin, to

    # Answers -------------------------------------------------------------------

    def answer(self, moment: datetime) -> Answer:
        local = moment.astimezone(LONDON)
        minute = local.hour * 60 + local.minute
        for start, end, answer in self.day(local.date()):
            if start <= minute < end:
                return answer
        return _answer(False, False, None)  # pragma: no cover - the segments cover the day

    def state(self, moment: datetime) -> tuple[State, str | None]:
        answer = self.answer(moment)
        return answer.state, answer.comment

    def timeline(self, day: date) -> list[Timed]:
        """The day's segments as UTC epoch seconds, cached."""
        return _timeline(self, day)

    def spans(self, start: float, end: float) -> list[Timed]:
        """[start, end) in UTC epoch seconds, cut where the answer changes, merged."""
        found: list[Timed] = []
        day = datetime.fromtimestamp(start, LONDON).date()
        while True:
            for a, b, answer in self.timeline(day):
                if b <= start:
                    continue
                if a >= end:
                    return found
                a, b = max(a, start), min(b, end)
                if found and found[-1][1] == a and found[-1][2] is answer:
                    found[-1] = (found[-1][0], b, answer)
                else:
                    found.append((a, b, answer))
            day += ONE_DAY

    def intervals(
        self, start: datetime, end: datetime
    ) -> Iterator[tuple[datetime, datetime, State, str | None]]:
        """[start, end) cut where the state changes, merged; London-time datetimes."""
        merged: list[list] = []
        for a, b, answer in self.spans(start.timestamp(), end.timestamp()):
            item = (answer.state, answer.comment)
            if merged and (merged[-1][2], merged[-1][3]) == item:
                merged[-1][1] = b
            else:
                merged.append([a, b, *item])
        for a, b, state, comment in merged:
            yield (
                datetime.fromtimestamp(a, LONDON),
                datetime.fromtimestamp(b, LONDON),
                state,
                comment,
            )

    def next_change(self, moment: datetime) -> datetime | None:
        """When the state next changes, or None if it holds beyond `HORIZON`."""
        start = moment.timestamp()
        end = start + HORIZON.total_seconds()
        spans = self.spans(start, end)
        if not spans:
            return None
        first = spans[0][2]
        for a, _b, answer in spans[1:]:
            if (answer.state, answer.comment) != (first.state, first.comment):
                return datetime.fromtimestamp(a, LONDON)
        return None


# Worked-out days are kept for all values together, within a bound: at 100,000
# venues with 20,000 distinct hours, a cache per value held 15 KB each after one
# week's offline list (300 MB); here at most DAYS_KEPT days, about 25 MB.
DAYS_KEPT = 8192
# Distinct sets of rules a value's days fall into (weekdays, holidays...): a handful.
BY_RULES_KEPT = 16


@lru_cache(maxsize=DAYS_KEPT)
def _day(hours: Hours, day: date) -> list[Segment]:
    return hours._segments(day)


@lru_cache(maxsize=DAYS_KEPT)
def _timeline(hours: Hours, day: date) -> list[Timed]:
    return _timed(day, _day(hours, day))


def _timed(day: date, segments: list[Segment]) -> list[Timed]:
    """Wall-clock segments as UTC epoch seconds. On the two days a year the clocks
    change, each minute is placed exactly: the hour that goes back happens twice,
    the hour that goes forward never."""
    begin = datetime.combine(day, time(0), LONDON).timestamp()
    finish = datetime.combine(day + ONE_DAY, time(0), LONDON).timestamp()
    if finish - begin == SECONDS_IN_DAY:
        return [(begin + a * 60, begin + b * 60, answer) for a, b, answer in segments]
    cuts = sorted(
        {begin, finish}
        | {moment.timestamp() for a, _b, _answer in segments for moment in _instants(day, a)}
    )
    timed: list[Timed] = []
    for a, b in itertools.pairwise(cuts):
        local = datetime.fromtimestamp(a, LONDON)
        minute = local.hour * 60 + local.minute
        answer = next(ans for s, e, ans in segments if s <= minute < e)
        if timed and timed[-1][2] is answer:
            timed[-1] = (timed[-1][0], b, answer)
        else:
            timed.append((a, b, answer))
    return timed


def uses_sun(rule: Rule) -> bool:
    return any(time.start.sun or time.end.sun for time in rule.times)


def _answer_at(minute: int, ranges: list[tuple[Rule, list[tuple[int, int]]]]) -> Answer:
    """opening_hours.js `getStatePair`'s second loop, at one minute of the day."""
    open_, unknown, matched = False, False, None
    open_end_rule: Rule | None = None
    for rule, spans in ranges:
        if not rule.times:  # the rule holds all day
            if not rule.fallback or not (open_ or unknown):
                open_, unknown, matched, open_end_rule = rule.meaning, rule.unknown, rule, None
            continue
        for i, (each, (a, b)) in enumerate(zip(rule.times, spans, strict=True)):
            if not a <= minute < b or (rule.fallback and (open_ or unknown)):
                continue
            open_, unknown, matched, open_end_rule = rule.meaning, rule.unknown, rule, None
            if each.open_end and (open_ or unknown):
                open_, unknown, open_end_rule = False, True, rule
                # opening_hours.js: an open end followed by other times of the same
                # rule ("07:00+,12:00-16:00") is closed outside them, from its second
                # minute ("hack to make the second rule obsolete").
                if i + 1 < len(rule.times) and not rule.wrapped and minute > a:
                    next_a, next_b = spans[i + 1]
                    if not rule.times[i + 1].always and not next_a <= minute < next_b:
                        unknown = False
    if matched is not None and matched.comment is not None:
        return _answer(open_, unknown, matched.comment)
    return _answer(open_, unknown, OPEN_END if open_end_rule is not None else None)


@lru_cache(maxsize=1024)
def _answer(open_: bool, unknown: bool, comment: str | None) -> Answer:
    """One object per distinct answer, so segments compare by identity."""
    return Answer(open_, unknown, comment)


def _minutes(point: TimePoint, sun: dict[str, int] | None) -> int:
    if point.sun is None or sun is None:
        return point.minutes
    return sun[point.sun] + point.offset


def _in_cycle(value: int, first: int, last: int) -> bool:
    return first <= value <= last if first <= last else value >= first or value <= last


def _nth_matches(day: date, n: int) -> bool:
    if n > 0:
        return (day.day - 1) // 7 == n - 1
    days_in_month = (
        (day.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    ).day
    return (days_in_month - day.day) // 7 == -n - 1


def _in_weeks(week: int, first: int, last: int, period: int) -> bool:
    return first <= week <= last and (not period or (week - first) % period == 0)


def _in_years(year: int, first: int, last: int | None, period: int) -> bool:
    if year < first or (last is not None and year > last):
        return False
    return not period or (year - first) % period == 0


def _date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month + 1, day)
    except ValueError:
        return None


def _instants(day: date, minute: int) -> list[datetime]:
    """The UTC moments a wall-clock minute of a day happens: one, or two in the hour the
    clocks go back; in the hour they go forward, the moment they jump."""
    wall = datetime.combine(day, time(0)) + timedelta(minutes=minute)
    moments = []
    for fold in (0, 1):
        moment = wall.replace(tzinfo=LONDON, fold=fold).astimezone(UTC)
        if moment.astimezone(LONDON).replace(tzinfo=None) == wall and moment not in moments:
            moments.append(moment)
    while not moments:  # in the gap: the moment the clocks jump past it
        wall += timedelta(minutes=1)
        moment = wall.replace(tzinfo=LONDON).astimezone(UTC)
        if moment.astimezone(LONDON).replace(tzinfo=None) == wall:
            moments.append(moment)
    return moments
