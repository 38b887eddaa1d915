"""The venue file (CSV): reading and checking every row, and writing it back out.

Pure: no database. `read_venue_file` returns either clean rows ready to store
or every problem found, each naming its line, so a council officer can fix the
whole file in one go. Whatever the file holds, reading it ends in rows or in
VenueFileError, never another exception.

Every CSV cell the service writes that a spreadsheet could run as a formula is
marked as text with a leading ' (`mark_as_text`), and reading takes exactly that
mark off again (`unmark_text`), so an export always reads back unchanged.
"""

import csv
import io
import itertools
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from app.easy_read.rules import check_easy_read
from app.hours import HoursError, parse_hours
from app.models.venue import DECIMAL, Category, VenueFields
from app.problems import FieldProblem
from app.venues.photo_checks import photo_address_problem, public_photo

REQUIRED_COLUMNS = ("ref", "name", "address", "town", "postcode", "latitude", "longitude")
OPTIONAL_COLUMNS = (
    "category",
    "phone",
    "website",
    "opening_hours",
    "easy_read",
    "step_free",
    "accessible_toilet",
    "quiet_space",
    "photo",
)
COLUMNS = (
    "ref",
    "name",
    "category",
    "address",
    "town",
    "postcode",
    "latitude",
    "longitude",
    *OPTIONAL_COLUMNS[1:],
)
YES_NO_COLUMNS = ("step_free", "accessible_toilet", "quiet_space")
# Great Britain and Northern Ireland, with a margin for the islands.
UK_LATITUDE = (49.8, 61.0)
UK_LONGITUDE = (-8.7, 2.0)
POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9][A-Z]{2})$")
REF = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
# Characters no text of ours may hold (line breaks and tabs are fine); PostgreSQL
# refuses NUL outright.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Invisible marks that change the direction text is shown in: a right-to-left
# override can make "gpj.exe" read as "exe.jpg", or a name read backwards.
BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# Digits, spaces, brackets and dashes, starting with a digit, "+" or "(" and
# ending with a digit: 01632 960001, +44 (0)1632 960001. Never "-1632-960001".
PHONE = re.compile(r"\+?\(?[0-9][0-9 ()-]*[0-9]")
MIN_PHONE_DIGITS = 6
# Text that a spreadsheet opening an export would treat as a formula (OWASP
# "CSV injection"). Phone and coordinate columns are checked by shape instead,
# and photo by its address.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FORMULA_CHECKED = ("ref", "name", "address", "town", "easy_read")
# Cells a spreadsheet could run (OWASP): starting with = + - @ (after spaces, or
# their full-width forms), a tab or a carriage return. Plain numbers stay numbers.
FORMULA_LIKE = re.compile(r"\s*[=+\-@\uff1d\uff0b\uff0d\uff20]|[\t\r]")
TEXT_MARK = "'"
# A county's list is a few hundred rows (about 300 bytes each); this is generous.
MAX_FILE_BYTES = 10 * 1024 * 1024
# Past this many problems a file is not a venue file gone slightly wrong: say so
# rather than list a million of them.
MAX_PROBLEMS = 100
# More lines (blank ones too) than any county's list: 10 MB of line breaks would
# otherwise keep a server busy for seconds.
MAX_RECORDS = 100_000
MAX_LENGTHS = {
    name: field.metadata[0].max_length
    for name, field in VenueFields.model_fields.items()
    if field.metadata and getattr(field.metadata[0], "max_length", None)
}


@dataclass(frozen=True)
class RowError:
    line: int
    message: str
    field: str | None = None  # the column at fault, when one is

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


class VenueFileError(Exception):
    """The file was refused; `errors` says why, line by line."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(f"{len(errors)} problem(s) in the venue file")
        self.errors = errors


def _needs_text_mark(value: str) -> bool:
    """A spreadsheet could run it, or it starts with the mark itself (so the mark
    on a marked value is always the writer's, and can always be taken off)."""
    if value.startswith(TEXT_MARK):
        return True
    return bool(FORMULA_LIKE.match(value)) and not DECIMAL.fullmatch(value)


def mark_as_text(value: str) -> str:
    """A cell a spreadsheet shows as text, never runs: "=HYPERLINK(…)" -> "'=HYPERLINK(…)".

    Also "'t Hoekje" -> "''t Hoekje", so `unmark_text` can undo every mark exactly.
    Every CSV the service writes goes through this.
    """
    return TEXT_MARK + value if _needs_text_mark(value) else value


def unmark_text(cell: str) -> str:
    """What `mark_as_text` was given: unmark_text(mark_as_text(v)) == v for every v.

    A ' is taken off only where mark_as_text would have put it, so a file written
    by hand keeps "'t Hoekje" as it is.
    """
    if cell.startswith(TEXT_MARK) and _needs_text_mark(cell[1:]):
        return cell[1:]
    return cell


def _shown(text: str, limit: int = 40) -> str:
    """Text quoted back in a message: invisible characters made visible, long text cut."""
    visible = "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in text[: limit + 1])
    return visible if len(text) <= limit else visible[:limit] + "…"


def normalise_postcode(text: str) -> str | None:
    """'cv34 4ab' -> 'CV34 4AB'; None if it is not shaped like a UK postcode."""
    match = POSTCODE.match(" ".join(text.upper().split()))
    return f"{match.group(1)} {match.group(2)}" if match else None


def _yes_no(value: str) -> bool | None:
    answer = value.strip().lower()
    if answer in ("", "yes", "no"):
        return None if answer == "" else answer == "yes"
    raise ValueError("must be yes, no or empty")


def _coordinate(value: str, low: float, high: float, name: str) -> float:
    if not DECIMAL.fullmatch(value):  # float() would read "5_2.37" as 52.37
        raise ValueError(f"{name} must be a number, like 52.2823")
    number = float(value)
    if not low <= number <= high:
        raise ValueError(
            f"{name} {number} is outside the UK ({low} to {high}). "
            "Check that latitude and longitude are not swapped."
        )
    return number


def check_row(
    raw: Mapping[str, str | None], stored: Mapping[str, Any] | None = None
) -> tuple[dict[str, Any], list[FieldProblem]]:
    """One row's clean values, and what is wrong with it (empty when nothing is).

    `stored` is the venue as stored, if it is one. The rules that guard readers
    rather than the data (text a spreadsheet would run, photo addresses) pass a
    value left as stored: every CSV writer marks such text as text, and every
    reader shows such a photo as none. So an export always imports back.
    """
    text = {key: (value or "").strip() for key, value in raw.items()}
    problems = [
        FieldProblem(name, "required", f"{name} is required")
        for name in REQUIRED_COLUMNS
        if not text.get(name)
    ]
    too_long = [name for name, limit in MAX_LENGTHS.items() if len(text.get(name, "")) > limit]
    problems += [
        FieldProblem(
            name, "too_long", f"{name} is too long (at most {MAX_LENGTHS[name]} characters)"
        )
        for name in too_long
    ]
    problems += [
        problem
        for name, value in text.items()
        for problem in text_problems(name, value, formulas=False)
    ]
    # A value already too long is not read further (hours and easy read take time).
    text.update(dict.fromkeys(too_long, ""))

    def left_as_stored(name: str) -> bool:
        return stored is not None and text.get(name, "") == cell_text(stored.get(name))

    row: dict[str, Any] = {name: text.get(name) or None for name in COLUMNS}
    if text.get("ref") and not REF.match(text["ref"]):
        problems.append(
            FieldProblem(
                "ref", "ref_characters", "ref may hold only letters, digits, '-', '_' and '.'"
            )
        )
    for name, limits in (("latitude", UK_LATITUDE), ("longitude", UK_LONGITUDE)):
        if text.get(name):
            try:
                row[name] = _coordinate(text[name], *limits, name)
            except ValueError as error:
                problems.append(FieldProblem(name, "coordinate", str(error)))
    if text.get("postcode"):
        row["postcode"] = normalise_postcode(text["postcode"])
        if row["postcode"] is None:
            problems.append(
                FieldProblem(
                    "postcode",
                    "postcode",
                    f"postcode '{_shown(text['postcode'])}' is not a UK postcode, like CV34 4AB",
                )
            )
    try:
        row["category"] = Category(text.get("category") or "other")
    except ValueError:
        allowed = ", ".join(category.value for category in Category)
        problems.append(
            FieldProblem(
                "category",
                "category",
                f"category '{_shown(text['category'])}' is not one of: {allowed}",
            )
        )
    for name in YES_NO_COLUMNS:
        try:
            row[name] = _yes_no(text.get(name, ""))
        except ValueError as error:
            problems.append(FieldProblem(name, "yes_no", f"{name} {error}"))
    if text.get("opening_hours"):
        try:
            parse_hours(text["opening_hours"])
        except HoursError as error:
            problems.append(FieldProblem("opening_hours", "opening_hours", str(error)))
    if text.get("easy_read"):
        problems += [
            FieldProblem("easy_read", "easy_read", f"easy_read: {problem}")
            for problem in check_easy_read(text["easy_read"]).problems
        ]
    if text.get("phone") and not is_phone_number(text["phone"]):
        problems.append(
            FieldProblem(
                "phone",
                "phone",
                "phone must be a phone number, like 01632 960001 or +44 1632 960001 "
                "(digits, spaces, brackets and '-', with '+' only at the start)",
            )
        )
    if text.get("website") and not text["website"].startswith(("https://", "http://")):
        problems.append(
            FieldProblem("website", "website", "website must start with https:// (or http://)")
        )
    # Never javascript: or data:, and never a host that would learn who looked.
    if (
        text.get("photo")
        and not left_as_stored("photo")
        and (problem := photo_address_problem(text["photo"]))
    ):
        problems.append(FieldProblem("photo", "photo", problem))
    problems += [
        formula
        for name in FORMULA_CHECKED
        if not left_as_stored(name) and (formula := _formula_problem(name, text.get(name, "")))
    ]
    return row, problems


def text_problems(name: str, value: str, *, formulas: bool = True) -> list[FieldProblem]:
    """What is wrong with free text named `name`, by the venue file's rules: a control
    character, an invisible direction mark, and (with `formulas`) a start a spreadsheet
    would run. For any text a person types that the service shows or exports."""
    problems = []
    if CONTROL.search(value):
        said = f"{name} holds a control character (like a NUL byte): remove it"
        problems.append(FieldProblem(name, "control_character", said))
    if match := BIDI.search(value):
        said = (
            f"{name} holds an invisible mark that changes the direction text is shown in "
            f"(U+{ord(match.group()):04X}): remove it"
        )
        problems.append(FieldProblem(name, "direction_mark", said))
    if formulas and (problem := _formula_problem(name, value)):
        problems.append(problem)
    return problems


def _formula_problem(name: str, value: str) -> FieldProblem | None:
    first = value.strip()[:1]
    if not first or first not in FORMULA_STARTS:
        return None
    said = f"{name} must not start with {first} (a spreadsheet would run it as a formula)"
    return FieldProblem(name, "formula", said)


def is_phone_number(text: str) -> bool:
    """Shaped like a phone number (PHONE), with at least MIN_PHONE_DIGITS digits."""
    return bool(PHONE.fullmatch(text)) and sum(c.isdigit() for c in text) >= MIN_PHONE_DIGITS


def read_venue_file(
    data: bytes | str,
    stored: Mapping[str, Mapping[str, Any]] | None = None,
    *,
    on_line: Callable[[int], None] | None = None,
    every: int = 500,
) -> list[dict[str, Any]]:
    """Every row of a venue file, checked; raises VenueFileError listing all problems.

    `stored` is what is stored now, by ref: a ref that differs from a stored one
    only in case is refused, and a value left as stored is judged as in check_row.
    `on_line(line)`, if given, is called every `every` records (blank and wrong ones
    too) with the line reached: every record before it has been checked.
    """
    stored = stored or {}
    records = _records(_decoded(data))
    errors: list[RowError] = []
    rows: list[dict[str, Any]] = []
    try:
        header = [column.strip() for column in next(records, (1, []))[1]]
        errors += _header_errors(header)
        if any(name not in header for name in REQUIRED_COLUMNS) or len(set(header)) < len(header):
            raise VenueFileError(errors)  # rows cannot be read reliably without these
        refs = _RefBook(stored)
        for count, (line, values) in enumerate(records):
            if on_line is not None and count and count % every == 0:
                on_line(line)
            if len(errors) >= MAX_PROBLEMS:
                stop = f"stopped after {MAX_PROBLEMS} problems: put these right, then try again"
                errors.append(RowError(line, stop))
                break
            if count == MAX_RECORDS:
                errors.append(
                    RowError(line, f"the file has more than {MAX_RECORDS:,} rows: split it up")
                )
                break
            if not any(value.strip() for value in values):
                continue
            if len(values) != len(header):
                errors.append(
                    RowError(line, f"has {len(values)} values but the header has {len(header)}")
                )
                continue
            known = {
                name: unmark_text(value)
                for name, value in zip(header, values, strict=True)
                if name in COLUMNS
            }
            row, problems = check_row(known, stored.get((known.get("ref") or "").strip()))
            errors += [RowError(line, problem.message, problem.field) for problem in problems]
            errors += [RowError(line, problem, "ref") for problem in refs.problems(row, line)]
            rows.append(row)
    except _Malformed as malformed:
        errors.append(malformed.error)
    if errors:
        raise VenueFileError(errors)
    if not rows:
        raise VenueFileError([RowError(2, "the file has a header but no venues")])
    return rows


def _decoded(data: bytes | str) -> str:
    if isinstance(data, str):
        return data
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise VenueFileError(
            [RowError(1, "the file is not UTF-8 text (it is UTF-16): save it as CSV UTF-8")]
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        # The line the byte is on, counted as every other error's line is (csv's
        # line_num), and where on that line.
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        said = f"the file is not UTF-8 text (byte {column} of the line); save it as CSV UTF-8"
        raise VenueFileError([RowError(line, said)]) from None
    if "\x00" in text.partition("\n")[0]:
        said = "the file is not UTF-8 text (NUL bytes, as in UTF-16): save it as CSV UTF-8"
        raise VenueFileError([RowError(1, said)])
    return text


class _Malformed(Exception):
    def __init__(self, error: RowError) -> None:
        super().__init__(str(error))
        self.error = error


def _records(text: str) -> Iterator[tuple[int, list[str]]]:
    """Each record and the line it starts on; _Malformed where the CSV cannot be read."""
    # strict: a stray quote is an error with its line, not a value quietly swallowing rows.
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    line = 1
    try:
        for values in reader:
            yield line, values
            line = reader.line_num + 1
    except csv.Error as error:
        raise _Malformed(RowError(line, _csv_problem(str(error)))) from None


def _csv_problem(said: str) -> str:
    """The csv module's complaint, in words that say what to change."""
    if "field larger than field limit" in said:
        return (
            f"a value is longer than {csv.field_size_limit():,} characters, far more than any "
            'column holds: look for a quote (") that opens a value and never closes'
        )
    if "unexpected end of data" in said:
        return 'the file ends inside a value: a quote (") opens a value here and never closes'
    if "expected after" in said:
        return (
            'a quoted value goes on after its closing quote: inside a value, write " as "", '
            'and put nothing between the closing " and the next comma'
        )
    return f"this line cannot be read as CSV ({said})"


class _RefBook:
    """The refs seen so far in a file, and those stored: refs differing only in case clash."""

    def __init__(self, stored: Mapping[str, Any]) -> None:
        self._stored = stored
        self._stored_by_case = {ref.lower(): ref for ref in sorted(stored, reverse=True)}
        self._first: dict[str, tuple[int, str]] = {}

    def problems(self, row: Mapping[str, Any], line: int) -> list[str]:
        ref = row["ref"]
        if not ref:
            return []
        key, problems = ref.lower(), []
        if key in self._first:
            first_line, first_ref = self._first[key]
            problems.append(
                f"ref {ref} is already used on line {first_line}"
                + ("" if first_ref == ref else f" as {first_ref} (case does not make refs differ)")
            )
        else:
            self._first[key] = (line, ref)
        if ref not in self._stored and key in self._stored_by_case:
            problems.append(
                f"ref {ref} is already used by {self._stored_by_case[key]} "
                "(case does not make refs differ)"
            )
        return problems


def _header_errors(header: list[str]) -> list[RowError]:
    if not any(header):
        return [
            RowError(
                1, f"the file is empty; the first line must name the columns: {', '.join(COLUMNS)}"
            )
        ]
    errors = [
        RowError(1, f"required column {name} is missing")
        for name in REQUIRED_COLUMNS
        if name not in header
    ]
    errors += [
        RowError(1, f"unknown column '{_shown(name)}'; allowed columns are: {', '.join(COLUMNS)}")
        for name in header[:MAX_PROBLEMS]
        if name not in COLUMNS
    ]
    counts = Counter(header)  # not header.count: 50,000 columns would take minutes
    errors += [
        RowError(1, f"column {_shown(name)} appears more than once")
        for name, count in sorted(counts.items())
        if count > 1
    ][:MAX_PROBLEMS]
    return errors


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def write_csv(rows: Iterable[Sequence[str]], out: io.TextIOBase | Any) -> None:
    """Rows as CSV, as every CSV the service writes: each cell a spreadsheet could run
    marked as text, and RFC 4180's CRLF between rows (with "\n" alone, csv leaves a
    value holding a lone "\r" unquoted, and reading splits the row there)."""
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerows([mark_as_text(cell) for cell in row] for row in rows)


def write_venue_file(venues: Iterable[Mapping[str, Any]], out: io.TextIOBase | Any) -> None:
    """Write venues as a venue file that `read_venue_file` reads back unchanged.

    A cell a spreadsheet could run is marked as text; a photo no venue may show
    (an address from elsewhere, stored by an older version) is left out.
    """

    def row(venue: Mapping[str, Any]) -> list[str]:
        cells = {name: cell_text(venue.get(name)) for name in COLUMNS}
        cells["photo"] = public_photo(cells["photo"]) or ""
        return [cells[name] for name in COLUMNS]

    write_csv(itertools.chain([COLUMNS], map(row, venues)), out)


def geojson_feature_collection(venues: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """Venues as an RFC 7946 FeatureCollection (positions are [longitude, latitude])."""
    features = []
    for venue in venues:
        properties = {name: venue.get(name) for name in ("id", *COLUMNS)}
        properties["photo"] = public_photo(properties["photo"])
        properties.pop("latitude")
        properties.pop("longitude")
        features.append(
            {
                "type": "Feature",
                "id": venue.get("id"),
                "geometry": {
                    "type": "Point",
                    "coordinates": [venue["longitude"], venue["latitude"]],
                },
                "properties": properties,
            }
        )
    return {"type": "FeatureCollection", "features": features}
