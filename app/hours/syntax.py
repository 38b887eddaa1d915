"""Reading OpenStreetMap `opening_hours` values into rules. Pure: no clock, no place.

The grammar and its meaning follow opening_hours.js, the evaluator OpenStreetMap's
own tools use (https://github.com/opening-hours/opening_hours.js, `src/index.js`):
a value is rules separated by `;` (a later rule replaces earlier ones on the days
it names), `,` (an additional rule, which adds to them) and `||` (a fallback,
used only while nothing else says open). Each rule has date selectors (years,
months, dates, weeks, weekdays, public holidays) and times; a time range past
midnight (`Fr 17:00-01:00`) becomes a second, "wrapped" rule for the morning after,
as opening_hours.js does.

We read what real venues write and refuse, with a plain message saying what to
change, what we cannot answer for: school holidays (`SH`, no data), movable feasts
(`easter`), day offsets (`PH +1 day`), points in time and repeating times
(`10:00/30`), words opening_hours.js only guesses at ("Monday", "9am"), and the
12-hour clock ("9-5", "10:00-4:30"), which it reads as closing the next morning
(warning that "5" could mean 17).
"""

import re
from dataclasses import dataclass, field
from typing import Literal

EXAMPLE = "Mo-Fr 09:00-17:00; Sa 10:00-16:00"
WEEKDAYS = ("mo", "tu", "we", "th", "fr", "sa", "su")
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
MINUTES_IN_DAY = 24 * 60
# opening_hours.js decides whether a range with sun times wraps past midnight
# from these stand-ins, and so do we.
SUN_STAND_INS = {"dawn": 5 * 60 + 30, "sunrise": 6 * 60, "sunset": 18 * 60, "dusk": 18 * 60 + 30}
STATES = {"open": "open", "closed": "closed", "off": "closed", "unknown": "unknown"}
# Words people write that opening_hours.js guesses at: we ask for the code instead.
SUGGESTIONS = {
    **{
        name: "Write days as Mo, Tu, We, Th, Fr, Sa, Su."
        for name in (
            "monday",
            "tuesday",
            "wednesday",
            "thursday",
            "friday",
            "saturday",
            "sunday",
            "mon",
            "tue",
            "tues",
            "wed",
            "thu",
            "thur",
            "thurs",
            "fri",
            "sat",
            "sun",
        )
    },
    "am": "Write times on the 24-hour clock, like 09:00 or 17:30.",
    "pm": "Write times on the 24-hour clock, like 09:00 or 17:30.",
    "to": "Join times with a hyphen, like 09:00-17:00.",
    "and": "Join days or times with a comma, like Mo,We or 09:00-12:00,13:00-17:00.",
    "sh": "We have no dates for school holidays. "
    "Give the dates instead, like Jul 22-Sep 02 10:00-16:00.",
    "easter": "Give the dates instead, like 2026 Apr 03-2026 Apr 06 off.",
    "day": "Give the dates instead, like 2026 Dec 24 off.",
    "days": "Give the dates instead, like 2026 Dec 24 off.",
}


class HoursError(ValueError):
    """Opening hours we cannot read; the message says what to change."""


@dataclass(frozen=True, slots=True)
class Token:
    kind: (
        str  # weekday, month, holiday, state, timevar, week, number, year, comment, 24/7, or a sign
    )
    value: object
    at: int  # character position (1-based) in the value, for messages
    width: int = 0  # a number's digits as written: "5" is 1, "05" is 2


def _fail(message: str, at: int | None = None) -> HoursError:
    where = f" near character {at}" if at else ""
    return HoursError(
        f"opening_hours is not in OpenStreetMap format{where}. {message} "
        f"Write it like this: {EXAMPLE}"
    )


SHOWN = {"sh": "school holidays (SH)", "easter": "easter", "day": "a day moved (like PH +1 day)"}


def _refuse(word: str, at: int | None) -> HoursError:
    where = f" near character {at}" if at else ""
    shown = SHOWN.get(word.lower(), f'"{word}"')
    return HoursError(f"opening_hours cannot use {shown}{where}. {SUGGESTIONS[word.lower()]}")


WORD = re.compile(r"[a-zA-Z]+")
NUMBER = re.compile(r"[0-9]+")
COMMENT = re.compile(r'"([^"]*)"')
SIGNS = {
    "-": "-",
    "\u2013": "-",  # an en dash, as word processors write it
    "\u2014": "-",
    "+": "+",
    ",": ",",
    "/": "/",
    "[": "[",
    "]": "]",
    "(": "(",
    ")": ")",
    ":": ":",
    ".": ":",
}


def tokenize(value: str) -> list[list[tuple[list[Token], bool]]]:
    """The value as rules (split at `;` and `||`), each with its fallback flag."""
    rules: list[tuple[list[Token], bool]] = []
    current: list[Token] = []
    fallback = False
    i, n = 0, len(value)
    while i < n:
        char = value[i]
        if char.isspace():
            i += 1
        elif value.startswith("24/7", i):
            current.append(Token("24/7", "24/7", i + 1))
            i += 4
        elif char == ";":
            rules.append((current, fallback))
            current, fallback = [], False
            i += 1
        elif value.startswith("||", i):
            if not current:
                raise _fail("Something must come before ||.", i + 1)
            rules.append((current, fallback))
            current, fallback = [], True
            i += 2
        elif char == '"':
            match = COMMENT.match(value, i)
            if not match:
                raise _fail('A comment must end with a " mark.', i + 1)
            current.append(Token("comment", match.group(1), i + 1))
            i = match.end()
        elif "0" <= char <= "9":
            match = NUMBER.match(value, i)
            assert match is not None
            number = int(match.group())
            kind = "year" if number > 1900 else "number"
            current.append(Token(kind, number, i + 1, len(match.group())))
            i = match.end()
        elif char.isalpha():
            match = WORD.match(value, i)
            if not match:
                raise _fail(f'"{char}" cannot be read.', i + 1)
            current.append(_word(match.group(), i + 1))
            i = match.end()
        elif char in SIGNS:
            current.append(Token(SIGNS[char], SIGNS[char], i + 1))
            i += 1
        else:
            raise _fail(f'"{char}" cannot be read.', i + 1)
    rules.append((current, fallback))
    return [rules]


def _word(word: str, at: int) -> Token:
    lower = word.lower()
    if lower in WEEKDAYS:
        return Token("weekday", WEEKDAYS.index(lower), at)
    if lower in MONTHS:
        return Token("month", MONTHS.index(lower), at)
    if lower == "ph":
        return Token("holiday", "PH", at)
    if lower in STATES:
        return Token("state", STATES[lower], at)
    if lower in SUN_STAND_INS:
        return Token("timevar", lower, at)
    if lower == "week":
        return Token("week", "week", at)
    if lower in SUGGESTIONS:
        raise _refuse(word, at)
    raise _fail(f'"{word}" is not a day, month or word we know.', at)


# A date selector is a small tuple the evaluator reads (see evaluate.py):
#   ("weekday", first, last)  ISO weekday indexes 0-6, last < first wraps the week
#   ("nth", weekday, n)       the nth (or -nth from the end) such weekday of the month
#   ("ph",)                   a bank holiday where the venue is
#   ("month", first, last)    months 0-11, wrapping like weekdays
#   ("dates", from, to)       (year|None, month, day) inclusive; wraps over the year end
#   ("year", first, last|None, period)
#   ("week", first, last, period)
DateSelector = tuple
Group = Literal["year", "holiday", "month", "monthday", "week", "weekday"]
GROUP_ORDER: tuple[Group, ...] = ("year", "holiday", "month", "monthday", "week", "weekday")


@dataclass(frozen=True, slots=True)
class TimePoint:
    minutes: int  # minutes after midnight, or the stand-in for a sun time
    sun: str | None = None  # dawn, sunrise, sunset, dusk
    offset: int = 0  # minutes added to the sun time


@dataclass(frozen=True, slots=True)
class TimeRange:
    start: TimePoint
    end: TimePoint
    # Past midnight: this rule matches from `start` to the day's end, and its
    # wrapped twin matches from the next midnight to `end` - 24 h.
    wraps: bool
    open_end: bool = False
    always: bool = False  # 00:00-24:00


@dataclass(slots=True)
class Rule:
    dates: dict[str, list[DateSelector]] = field(default_factory=dict)
    times: list[TimeRange] = field(default_factory=list)
    meaning: bool = True
    unknown: bool = False
    comment: str | None = None
    additional: bool = False
    fallback: bool = False
    wrapped: bool = False

    @property
    def has_dates(self) -> bool:
        return any(self.dates.values())


class _Parser:
    """opening_hours.js's `parseGroup` and its sub-parsers, for the syntax we accept."""

    def __init__(self, tokens: list[Token], fallback: bool) -> None:
        self.tokens = tokens
        self.kinds = tuple(token.kind for token in tokens)
        self.at = 0
        self.fallback = fallback

    def peek(self, *kinds: str, offset: int = 0) -> bool:
        start = self.at + offset
        return start >= 0 and self.kinds[start : start + len(kinds)] == kinds

    def token(self, offset: int = 0) -> Token:
        return self.tokens[self.at + offset]

    def here(self) -> int | None:
        return self.tokens[self.at].at if self.at < len(self.tokens) else None

    def rules(self) -> list[Rule]:
        found = []
        additional = False
        while self.at < len(self.tokens):
            rule = Rule(fallback=self.fallback, additional=additional)
            self.group(rule)
            found.append(rule)
            additional = True
        return found

    def group(self, rule: Rule) -> None:
        modifier = False
        after_time = False
        while self.at < len(self.tokens):
            was_after_time, after_time = after_time, False
            if self.peek("weekday"):
                self.weekdays(rule)
            elif self.peek("24/7"):
                rule.times.append(ALWAYS)
                self.at += 1
            elif self.peek("holiday"):
                self.holidays(rule, "weekday" if self.peek(",", offset=1) else "holiday")
            elif self.peek("month", "number") or self.peek("year", "month", "number"):
                self.monthdays(rule, "monthday")
            elif self.peek("year"):
                self.years(rule)
            elif self.peek("month"):
                self.months(rule, "month")
            elif self.peek("week"):
                self.weeks(rule)
            elif self.peek(":") and 0 < self.at < len(self.tokens) - 1 and not was_after_time:
                self.at += 1  # "Mo-Fr: 09:00-17:00", a colon for readability
            elif (
                self.peek("number", ":")
                or self.peek("timevar")
                or self.peek("(", "timevar")
                or self.peek("number", "-")
            ):
                if self.times(rule):
                    return
                after_time = True
            elif self.peek("state"):
                state = self.token().value
                # As opening_hours.js: "comment" open stays unknown.
                rule.meaning = state == "open"
                rule.unknown = rule.unknown or state == "unknown"
                modifier = True
                self.at += 1
                if self.peek(","):
                    self.at += 1
                    return
            elif self.peek("comment"):
                rule.comment = str(self.token().value)
                if not modifier:
                    rule.meaning, rule.unknown = False, True
                modifier = True
                self.at += 1
                if self.peek(","):
                    self.at += 1
                    return
            else:
                raise _fail(self._unexpected(), self.here())

    def _unexpected(self) -> str:
        token = self.token()
        if token.kind == "number":
            return f"The number {token.value} is not part of a time or a date here."
        if token.kind in ("-", ",", "+", "/", "[", "]", "(", ")", ":"):
            return f'"{token.value}" is in the wrong place.'
        return f'"{token.value}" is in the wrong place.'

    # Selectors -----------------------------------------------------------------

    def add(self, rule: Rule, group: str, selector: DateSelector) -> None:
        rule.dates.setdefault(group, []).append(selector)

    def weekdays(self, rule: Rule) -> None:
        while True:
            if self.peek("weekday", "["):
                self.nth_weekday(rule)
            elif self.peek("weekday"):
                first = int(self.token().value)  # type: ignore[call-overload]
                last = first
                if self.peek("-", "weekday", offset=1):
                    last = int(self.token(2).value)  # type: ignore[call-overload]
                    self.at += 3
                else:
                    self.at += 1
                self.add(rule, "weekday", ("weekday", first, last))
            elif self.peek("holiday"):
                self.holidays(rule, "weekday")
                return
            else:
                raise _fail("A day must follow the comma.", self.here())
            if not self.peek(","):
                return
            self.at += 1

    def nth_weekday(self, rule: Rule) -> None:
        weekday = int(self.token().value)  # type: ignore[call-overload]
        self.at += 2
        numbers: list[int] = []
        while True:
            sign = -1 if self.peek("-") else 1
            if sign < 0:
                self.at += 1
            if not self.peek("number"):
                raise _fail("Write which week of the month in brackets, like Mo[1].", self.here())
            first = sign * int(self.token().value)  # type: ignore[call-overload]
            self.at += 1
            last = first
            if self.peek("-", "number"):
                last = int(self.token(1).value)  # type: ignore[call-overload]
                self.at += 2
            if first == 0 or not -5 <= first <= last <= 5:
                raise _fail(
                    "The week of the month must be 1 to 5, or -1 for the last.", self.here()
                )
            numbers.extend(n for n in range(first, last + 1) if n != 0)
            if not self.peek(","):
                break
            self.at += 1
        if not self.peek("]"):
            raise _fail('A "]" is missing.', self.here())
        self.at += 1
        if self.peek("+") or (self.peek("-", "number")):
            raise _refuse("day", self.here())
        for number in numbers:
            self.add(rule, "weekday", ("nth", weekday, number))

    def holidays(self, rule: Rule, group: str) -> None:
        while True:
            if self.peek("holiday"):
                self.add(rule, group, ("ph",))
                self.at += 1
                if self.peek("+") or self.peek("-", "number"):
                    raise _refuse("day", self.here())
            elif self.peek("weekday"):
                self.weekdays(rule)
                return
            else:
                raise _fail("A day must follow the comma.", self.here())
            if not self.peek(","):
                return
            self.at += 1

    def years(self, rule: Rule) -> None:
        while True:
            if not self.peek("year"):
                raise _fail("A year must follow the comma.", self.here())
            first = int(self.token().value)  # type: ignore[call-overload]
            last: int | None = first
            period = 0
            if self.peek("-", "year", offset=1):
                last = int(self.token(2).value)  # type: ignore[call-overload]
                if last <= first:
                    raise _fail("A range of years must go forward, like 2026-2027.", self.here())
                self.at += 3
            else:
                self.at += 1
            if self.peek("/", "number"):
                period = int(self.token(1).value)  # type: ignore[call-overload]
                if period < 1:
                    raise _fail("Every 0 years cannot be used.", self.here())
                self.at += 2
                if last == first:
                    last = None
            elif self.peek("+") and last == first:
                last, period = None, 1
                self.at += 1
            self.add(rule, "year", ("year", first, last, period))
            if not self.peek(","):
                return
            self.at += 1

    def months(self, rule: Rule, group: str) -> None:
        while True:
            if self.peek("month", "number") and not self.peek(":", "number", offset=2):
                self.monthdays(rule, group)
                return
            if not self.peek("month"):
                raise _fail("A month must follow the comma.", self.here())
            first = int(self.token().value)  # type: ignore[call-overload]
            last = first
            if self.peek("-", "month", offset=1):
                last = int(self.token(2).value)  # type: ignore[call-overload]
                self.at += 3
            else:
                self.at += 1
            self.add(rule, group, ("month", first, last))
            if not self.peek(","):
                return
            self.at += 1

    def monthdays(self, rule: Rule, group: str) -> None:
        """`Dec 25`, `Dec 24-26`, `Dec 24,31`, `Dec 24-Jan 02`, `2026 Dec 24-2027 Jan 02`."""
        while True:
            year = None
            if self.peek("year", "month", "number"):
                year = int(self.token().value)  # type: ignore[call-overload]
                self.at += 1
            if self.peek("month", "weekday"):
                raise _fail("A weekday in a month (like Mar Su[-1]) cannot be used.", self.here())
            if not self.peek("month", "number"):
                if self.peek("month"):
                    self.months(rule, group)
                    return
                raise _fail("A date must follow the comma, like Dec 25.", self.here())
            month = int(self.token().value)  # type: ignore[call-overload]
            day = int(self.token(1).value)  # type: ignore[call-overload]
            start_at = self.here()
            self.at += 2
            to_year = year
            if self.peek("-", "year", "month", "number") or self.peek("-", "month", "number"):
                self.at += 1
                to_year = None
                if self.peek("year"):
                    to_year = int(self.token().value)  # type: ignore[call-overload]
                    self.at += 1
                to_month = int(self.token().value)  # type: ignore[call-overload]
                to_day = int(self.token(1).value)  # type: ignore[call-overload]
                self.at += 2
                if (year is None) != (to_year is None):
                    # opening_hours.js refuses "2021 Mar 28-Apr 16" too.
                    raise _fail(
                        "Give a year on both dates of a range, like 2026 Dec 24-2027 Jan 02, "
                        "or on neither.",
                        start_at,
                    )
                _check_date(month, day, start_at)
                _check_date(to_month, to_day, start_at)
                self.add(rule, group, ("dates", (year, month, day), (to_year, to_month, to_day)))
            else:
                while True:
                    last = day
                    if self.peek("-", "number"):
                        last = int(self.token(1).value)  # type: ignore[call-overload]
                        self.at += 2
                        if last < day:
                            raise _fail(
                                "A range of days must go forward, like Dec 24-26.", start_at
                            )
                    if self.peek("/", "number"):
                        raise _fail("Every few days (like /2) cannot be used.", self.here())
                    _check_date(month, day, start_at)
                    _check_date(month, last, start_at)
                    self.add(rule, group, ("dates", (year, month, day), (year, month, last)))
                    if self.peek(",", "number"):
                        day = int(self.token(1).value)  # type: ignore[call-overload]
                        self.at += 2
                        continue
                    break
            if self.peek("+"):
                raise _fail("An open-ended date (like Dec 25+) cannot be used.", self.here())
            if not self.peek(","):
                return
            self.at += 1

    def weeks(self, rule: Rule) -> None:
        self.at += 1
        while True:
            if not self.peek("number"):
                raise _fail("Write week numbers like week 01-26.", self.here())
            first = int(self.token().value)  # type: ignore[call-overload]
            last = first
            period = 0
            self.at += 1
            if self.peek("-", "number"):
                last = int(self.token(1).value)  # type: ignore[call-overload]
                self.at += 2
                if self.peek("/", "number"):
                    period = int(self.token(1).value)  # type: ignore[call-overload]
                    self.at += 2
                    if not 2 <= period <= 26:
                        raise _fail("Every few weeks must be 2 to 26, like week 01-53/2.")
            if first > last or first < 1 or last > 53:
                raise _fail("Week numbers go from 1 to 53, forward, like week 01-26.", self.here())
            self.add(rule, "week", ("week", first, last, period))
            if not self.peek(","):
                return
            self.at += 1
            if self.peek("week"):
                self.at += 1

    # Times ---------------------------------------------------------------------

    def times(self, rule: Rule) -> bool:
        """Time ranges separated by commas. True when a comma starts an additional rule."""
        while True:
            if self.peek("number", "-", "number") and not self.peek(":", offset=3):
                start = TimePoint(self._hour(self.token()) * 60)
                end_token = self.token(2)
                end = TimePoint(self._hour(end_token) * 60)
                _refuse_twelve_hour_clock(start, end, end_token)
                self.at += 3
                rule.times.append(_time_range(start, end, both_fixed=False, at=self.here()))
            elif self.peek("number", ":") or self.peek("timevar") or self.peek("(", "timevar"):
                start = self.point()
                if self.peek("+"):
                    self.at += 1
                    if start.minutes >= MINUTES_IN_DAY:
                        raise _fail("A time range must start before midnight.", self.here())
                    rule.times.append(_open_end(start.minutes, start))
                elif self.peek("-"):
                    self.at += 1
                    if not (self.peek("number", ":") or self.peek("timevar") or self.peek("(")):
                        raise _fail("A time must follow the hyphen, like 09:00-17:00.", self.here())
                    end_token = self.token()
                    end = self.point()
                    if start.sun is None and end.sun is None:
                        _refuse_twelve_hour_clock(start, end, end_token)
                    if start.sun and start.sun == end.sun and start.offset == end.offset:
                        raise _fail(
                            f"A time range cannot start and end at {start.sun}.", self.here()
                        )
                    both_fixed = start.sun is None and end.sun is None
                    time_range = _time_range(start, end, both_fixed, self.here())
                    if self.peek("/"):
                        raise _fail("Repeating times (like /30) cannot be used.", self.here())
                    if self.peek("+"):
                        # `10:00-20:00+`: open, then perhaps open for longer. As in
                        # opening_hours.js, the open end comes first among the rule's times.
                        self.at += 1
                        minutes = end.minutes + (
                            MINUTES_IN_DAY if end.minutes < start.minutes else 0
                        )
                        rule.times.append(_open_end(minutes, end))
                    rule.times.append(time_range)
                else:
                    raise _fail("Give a time range, like 09:00-17:00, not one time.", self.here())
            else:
                if self.peek("number"):
                    raise _fail("Write times with minutes, like 09:00.", self.here())
                return True  # an additional rule begins here
            if not self.peek(","):
                return False
            self.at += 1

    def point(self) -> TimePoint:
        if self.peek("number", ":", "number"):
            hours, minutes = self.token(), self.token(2)
            self.at += 3
            if int(minutes.value) > 59:  # type: ignore[call-overload]
                raise _fail("Minutes must be 00 to 59.", minutes.at)
            return TimePoint(self._hour(hours) * 60 + int(minutes.value))  # type: ignore[call-overload]
        if self.peek("number", ":"):
            raise _fail("Write times with minutes, like 09:00.", self.here())
        if self.peek("timevar"):
            name = str(self.token().value)
            self.at += 1
            return TimePoint(SUN_STAND_INS[name], name)
        # (sunrise+01:00)
        self.at += 1
        name = str(self.token().value)
        self.at += 1
        if not (self.peek("+") or self.peek("-")):
            raise _fail(f"Write a sun time with a change like ({name}+01:00).", self.here())
        sign = 1 if self.token().kind == "+" else -1
        self.at += 1
        if not self.peek("number", ":", "number"):
            raise _fail(f"Write a sun time with a change like ({name}+01:00).", self.here())
        offset = sign * (int(self.token().value) * 60 + int(self.token(2).value))  # type: ignore[call-overload]
        self.at += 3
        if not self.peek(")"):
            raise _fail('A ")" is missing.', self.here())
        self.at += 1
        return TimePoint(SUN_STAND_INS[name] + offset, name, offset)

    def _hour(self, token: Token) -> int:
        hour = int(token.value)  # type: ignore[call-overload]
        if hour > 48:
            raise _fail("Hours must be 00 to 24 (or up to 48 past midnight).", token.at)
        return hour


ALWAYS = TimeRange(TimePoint(0), TimePoint(MINUTES_IN_DAY), wraps=False, always=True)


def _time_range(start: TimePoint, end: TimePoint, both_fixed: bool, at: int | None) -> TimeRange:
    """opening_hours.js's normalisation: an end before the start (or equal to it) is tomorrow."""
    if start.minutes >= MINUTES_IN_DAY:
        raise _fail("A time range must start before midnight.", at)
    end_minutes = end.minutes
    if end_minutes < start.minutes or (both_fixed and end_minutes == start.minutes):
        end_minutes += MINUTES_IN_DAY
    if end_minutes > 2 * MINUTES_IN_DAY:
        raise _fail("A time range cannot pass two midnights.", at)
    if start.minutes == 0 and end_minutes == MINUTES_IN_DAY and start.sun is end.sun is None:
        return ALWAYS
    end = TimePoint(end_minutes, end.sun, end.offset)
    return TimeRange(start, end, wraps=end_minutes > MINUTES_IN_DAY)


def _refuse_twelve_hour_clock(start: TimePoint, end: TimePoint, end_token: Token) -> None:
    """Refuse "9-5", "10:00-4:30" and "13:00-5:00": read as written (opening_hours.js
    reads them so too) they close the next morning, and a shop would be shown open at
    3am. They are the 12-hour clock: an end written as one digit, before the start,
    that would be after it in the afternoon. "09:00-05:00", "22-4" and "20:00-2:00"
    are left as written: a night's opening, said plainly."""
    afternoon = end.minutes + 12 * 60
    if end_token.width == 1 and end.minutes < start.minutes < afternoon:
        opens, closes = _clock(start.minutes), _clock(end.minutes)
        raise _fail(
            f"This closes at {closes} the next morning, after opening at {opens}. "
            f"To close in the afternoon, write {opens}-{_clock(afternoon)} (the 24-hour "
            f"clock). If it really closes in the night, write {opens}-{closes}.",
            end_token.at,
        )


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _open_end(minutes: int, start: TimePoint) -> TimeRange:
    """`17:00+`: opening_hours.js guesses the end: 10 hours after 17:00, 8 after 22:00,
    midnight before."""
    if minutes >= 22 * 60:
        end = minutes + 8 * 60
    elif minutes >= 17 * 60:
        end = minutes + 10 * 60
    else:
        end = MINUTES_IN_DAY
    if end > 2 * MINUTES_IN_DAY:
        raise _fail("A time range cannot pass two midnights.")
    begin = TimePoint(minutes, start.sun, start.offset)
    return TimeRange(begin, TimePoint(end), wraps=end > MINUTES_IN_DAY, open_end=True)


def _check_date(month: int, day: int, at: int | None) -> None:
    if not 1 <= day <= (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)[month]:
        raise _fail(f"{MONTHS[month].title()} {day} is not a date.", at)


def parse_rules(value: str) -> list[Rule]:
    """The value's rules, wrapped twins included, in opening_hours.js's order."""
    text = value.strip()
    if not text or not text.strip(";").strip():
        raise _fail("The opening hours are empty.")
    rules: list[Rule] = []
    for tokens, fallback in tokenize(text)[0]:
        if not tokens:
            continue
        try:
            parsed = _Parser(tokens, fallback).rules()
        except IndexError:  # the value stops in the middle of something
            raise _fail("The hours stop too soon: something is missing at the end.") from None
        for rule in parsed:
            rules.append(rule)
            wraps = [time for time in rule.times if time.wraps]
            if wraps:
                rules.append(
                    Rule(
                        dates=rule.dates,
                        times=wraps,
                        meaning=rule.meaning,
                        unknown=rule.unknown,
                        comment=rule.comment,
                        wrapped=True,
                    )
                )
    if not rules:
        raise _fail("The opening hours are empty.")
    return rules
