"""How long a photo of the entrance takes to check, turn upright, shrink and re-encode.

Photos are made here with Pillow: a 12-megapixel phone JPEG, a large PNG, and
a decompression bomb (which must be refused in about the time it takes to read
its header, not the time it would take to open). Prints the median time of
5 runs and the size before and after.

    .venv/bin/python bench/photo_upload.py
"""

import io
import statistics
import sys
import time
from pathlib import Path

import numpy as np
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.http.errors import status_of
from app.venues.photo_checks import PhotoRefused, prepare_photo
from tests.pictures import png_bomb

RUNS = 5


def camera_like(width: int, height: int, format: str) -> bytes:
    """A gradient with noise: big to decode like a photo (it shrinks to a smooth, small WebP)."""
    rng = np.random.default_rng(1)
    ramp = np.linspace(0, 200, width, dtype=np.float32).astype(np.uint8)[None, :, None]
    pixels = rng.integers(0, 40, (height, width, 3), dtype=np.uint8) + ramp
    output = io.BytesIO()
    Image.fromarray(pixels).save(output, format, **({"quality": 90} if format == "JPEG" else {}))
    return output.getvalue()


def timed(raw: bytes) -> tuple[float, str]:
    times = []
    outcome = ""
    for _ in range(RUNS):
        start = time.perf_counter()
        try:
            photo = prepare_photo(raw)
            outcome = f"{len(photo.data) / 1000:.0f} KB WebP, {photo.width}x{photo.height}"
        except PhotoRefused as refused:
            outcome = f"refused ({status_of(refused)})"
        times.append(time.perf_counter() - start)
    return statistics.median(times), outcome


def main() -> None:
    cases = {
        "12 MP phone JPEG": camera_like(4032, 3024, "JPEG"),
        "2 MP PNG": camera_like(1600, 1200, "PNG"),
        "400 MP PNG bomb": png_bomb(),
    }
    # The inputs were made above; what follows is only the work an upload does.
    for name, raw in cases.items():
        seconds, outcome = timed(raw)
        print(f"{name:18} {len(raw) / 1e6:5.2f} MB in: {seconds * 1000:6.0f} ms -> {outcome}")


if __name__ == "__main__":
    main()
