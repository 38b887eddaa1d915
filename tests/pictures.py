"""Pictures made for tests with Pillow: photos with metadata, bombs, and fakes."""

import io

from PIL import Image

# EXIF tag numbers (from the EXIF standard).
ORIENTATION = 0x0112
GPS_INFO = 0x8825
MAKE = 0x010F


def photo_bytes(
    size: tuple[int, int] = (400, 300),
    format: str = "JPEG",
    *,
    rotated: bool = False,
    mode: str = "RGB",
) -> bytes:
    """A photo whose left half is red and right half blue, with a GPS position in its EXIF.

    `rotated` sets EXIF orientation 6: the camera was held on its side, so the
    picture must be turned 90° clockwise to be upright.
    """
    image = Image.new(mode, size, "red" if mode == "RGB" else (255, 0, 0, 0))
    image.paste("blue" if mode == "RGB" else (0, 0, 255, 255), (size[0] // 2, 0, *size))
    exif = Image.Exif()
    exif[MAKE] = "Test Camera"
    exif[ORIENTATION] = 6 if rotated else 1
    # Where the phone was: 52°17'N, 1°35'W (Warwick).
    exif.get_ifd(GPS_INFO).update({1: "N", 2: (52.0, 17.0, 0.0), 3: "W", 4: (1.0, 35.0, 0.0)})
    output = io.BytesIO()
    options = {"exif": exif} if format in ("JPEG", "WEBP", "PNG") else {}
    image.save(output, format, **options)
    return output.getvalue()


def png_bomb(side: int = 20_000) -> bytes:
    """A PNG of side by side pixels (400 megapixels) that is only a few hundred KB."""
    output = io.BytesIO()
    Image.new("1", (side, side)).save(output, "PNG", optimize=True)
    return output.getvalue()
