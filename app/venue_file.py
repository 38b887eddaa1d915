"""The venue file (CSV): reading and checking every row, and writing it back out.

Pure: no database. `read_venue_file` returns either clean rows ready to store
or every problem found, each naming its line, so a council officer can fix the
whole file in one go.
"""

import csv
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from app.easy_read import check_easy_read
from app.hours import HoursError, parse_hours
from app.models.venue import Category, VenueFields

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
PHONE = re.compile(r"^\+?[0-9 ()-]{6,}$")
# Text that a spreadsheet opening an export would treat as a formula (OWASP
# "CSV injection"). Phone and coordinate columns are checked by shape instead.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PHOTO_STARTS = ("/api/photos/", "https://")
FORMULA_CHECKED = ("ref", "name", "address", "town", "easy_read", "photo")
MAX_LENGTHS = {
    name: field.metadata[0].max_length
    for name, field in VenueFields.model_fields.items()
    if field.metadata and getattr(field.metadata[0], "max_length", None)
}


@dataclass(frozen=True)
class RowError:
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


class VenueFileError(Exception):
    """The file was refused; `errors` says why, line by line."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(f"{len(errors)} problem(s) in the venue file")
        self.errors = errors


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
    try:
        number = float(value)
    except ValueError:
        raise ValueError(f"{name} must be a number, like 52.2823") from None
    if not low <= number <= high:
        raise ValueError(
            f"{name} {number} is outside the UK ({low} to {high}). "
            "Check that latitude and longitude are not swapped."
        )
    return number


def check_row(raw: Mapping[str, str | None]) -> tuple[dict[str, Any], list[str]]:
    """One row's clean values, and what is wrong with it (empty when nothing is)."""
    text = {key: (value or "").strip() for key, value in raw.items()}
    problems = [f"{name} is required" for name in REQUIRED_COLUMNS if not text.get(name)]
    problems += [
        f"{name} is too long (at most {limit} characters)"
        for name, limit in MAX_LENGTHS.items()
        if len(text.get(name, "")) > limit
    ]
    problems += [
        f"{name} holds a control character (like a NUL byte): remove it"
        for name, value in text.items()
        if CONTROL.search(value)
    ]
    row: dict[str, Any] = {name: text.get(name) or None for name in COLUMNS}
    if text.get("ref") and not REF.match(text["ref"]):
        problems.append("ref may hold only letters, digits, '-', '_' and '.'")
    for name, limits in (("latitude", UK_LATITUDE), ("longitude", UK_LONGITUDE)):
        if text.get(name):
            try:
                row[name] = _coordinate(text[name], *limits, name)
            except ValueError as error:
                problems.append(str(error))
    if text.get("postcode"):
        row["postcode"] = normalise_postcode(text["postcode"])
        if row["postcode"] is None:
            problems.append(f"postcode '{text['postcode']}' is not a UK postcode, like CV34 4AB")
    try:
        row["category"] = Category(text.get("category") or "other")
    except ValueError:
        allowed = ", ".join(category.value for category in Category)
        problems.append(f"category '{text['category']}' is not one of: {allowed}")
    for name in YES_NO_COLUMNS:
        try:
            row[name] = _yes_no(text.get(name, ""))
        except ValueError as error:
            problems.append(f"{name} {error}")
    if text.get("opening_hours"):
        try:
            parse_hours(text["opening_hours"])
        except HoursError as error:
            problems.append(str(error))
    if text.get("easy_read"):
        problems += [
            f"easy_read: {problem}" for problem in check_easy_read(text["easy_read"]).problems
        ]
    if text.get("phone") and not PHONE.match(text["phone"]):
        problems.append("phone may hold only digits, spaces, brackets, '-' and a leading '+'")
    if text.get("website") and not text["website"].startswith(("https://", "http://")):
        problems.append("website must start with https:// (or http://)")
    if text.get("photo") and not text["photo"].startswith(PHOTO_STARTS):
        # Never a javascript: or data: address, and never a tracker over plain http.
        problems.append("photo must be an uploaded photo (/api/photos/…) or start with https://")
    problems += [
        f"{name} must not start with {text[name][0]} (a spreadsheet would run it as a formula)"
        for name in FORMULA_CHECKED
        if text.get(name, "")[:1] in FORMULA_STARTS
    ]
    return row, problems


def read_venue_file(data: bytes | str) -> list[dict[str, Any]]:
    """Every row of a venue file, checked; raises VenueFileError listing all problems."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise VenueFileError(
                [RowError(1, f"the file is not UTF-8 text (byte {error.start}); save it as UTF-8")]
            ) from None
    reader = csv.reader(io.StringIO(data, newline=""))
    header = [column.strip() for column in next(reader, [])]
    errors = _header_errors(header)
    if any(name not in header for name in REQUIRED_COLUMNS) or len(set(header)) < len(header):
        raise VenueFileError(errors)  # rows cannot be read reliably without these
    rows: list[dict[str, Any]] = []
    first_line_of_ref: dict[str, int] = {}
    line = reader.line_num + 1
    for values in reader:
        row_line, line = line, reader.line_num + 1
        if not any(value.strip() for value in values):
            continue
        if len(values) != len(header):
            errors.append(
                RowError(row_line, f"has {len(values)} values but the header has {len(header)}")
            )
            continue
        known = {name: value for name, value in zip(header, values, strict=True) if name in COLUMNS}
        row, problems = check_row(known)
        ref = row["ref"]
        if ref in first_line_of_ref:
            problems.append(f"ref {ref} is already used on line {first_line_of_ref[ref]}")
        elif ref:
            first_line_of_ref[ref] = row_line
        errors += [RowError(row_line, problem) for problem in problems]
        rows.append(row)
    if errors:
        raise VenueFileError(errors)
    if not rows:
        raise VenueFileError([RowError(2, "the file has a header but no venues")])
    return rows


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
        RowError(1, f"unknown column '{name}'; allowed columns are: {', '.join(COLUMNS)}")
        for name in header
        if name not in COLUMNS
    ]
    errors += [
        RowError(1, f"column {name} appears more than once")
        for name in sorted(set(header))
        if header.count(name) > 1
    ]
    return errors


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def write_venue_file(venues: Iterable[Mapping[str, Any]], out: io.TextIOBase | Any) -> None:
    """Write venues as a venue file that `read_venue_file` reads back unchanged."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for venue in venues:
        writer.writerow([cell_text(venue.get(name)) for name in COLUMNS])


def geojson_feature_collection(venues: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """Venues as an RFC 7946 FeatureCollection (positions are [longitude, latitude])."""
    features = []
    for venue in venues:
        properties = {name: venue.get(name) for name in ("id", *COLUMNS)}
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
