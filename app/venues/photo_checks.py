"""Photos of a venue's entrance: checked by their bytes, cleaned and made small;
and which photo addresses a venue may show.

Pure: no FastAPI, no HTTP, no database (the allowed photo hosts are a setting). A photo
is re-encoded from its pixels, so nothing of the uploaded file survives but the
picture: no EXIF (which can hold where the phone was), no comments, no colour
profile, no second frame.
"""

import hashlib
import io
import re
import warnings
from collections.abc import Collection
from dataclasses import dataclass
from urllib.parse import urlsplit

from PIL import Image, ImageOps, UnidentifiedImageError

from app.config import get_settings
from app.problems import Invalid, TooBig, WrongKind

MAX_BYTES = 5 * 1024 * 1024
# A phone's photo is 12 to 50 megapixels; more than this in under 5 MB is a
# decompression bomb (a small file that would take gigabytes to open).
MAX_PIXELS = 50_000_000
# Long side of the stored photo: sharp on a phone held upright, small to send.
MAX_SIDE = 1280
ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP")
MEDIA_TYPE = "image/webp"
SUFFIX = ".webp"
# A photo put up here: its content's hash, exactly (no "..", no %2e, no query).
UPLOADED_PHOTO = re.compile(r"/api/photos/[0-9a-f]{32}\.webp")
# An address elsewhere: https, printable ASCII, no spaces, quotes, brackets or "\\".
PHOTO_ADDRESS = re.compile(r"https://[!#-&(-;=?-\[\]-~]+")


# Not a photo we can take: too big, not a picture, or damaged (`app.problems` kinds).
PhotoRefused = (TooBig, WrongKind, Invalid)


@dataclass(frozen=True)
class PreparedPhoto:
    data: bytes
    width: int
    height: int

    @property
    def key(self) -> str:
        """Named by its content, so its address never changes and can be cached for ever."""
        return hashlib.sha256(self.data).hexdigest()[:32]


def prepare_photo(raw: bytes) -> PreparedPhoto:
    """The photo, upright, at most MAX_SIDE pixels on its long side, as WebP without metadata."""
    if len(raw) > MAX_BYTES:
        raise TooBig("The photo is bigger than 5 MB. Send a smaller photo.")
    with warnings.catch_warnings():
        # Pillow only warns about big images; MAX_PIXELS below refuses them.
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(raw), formats=ACCEPTED_FORMATS)
        except UnidentifiedImageError:
            raise WrongKind("This file is not a JPEG, PNG or WebP photo.") from None
        except Image.DecompressionBombError:
            raise _too_many_pixels() from None
        with image:
            if image.width * image.height > MAX_PIXELS:
                raise _too_many_pixels()
            return _cleaned(image)


def _cleaned(image: Image.Image) -> PreparedPhoto:
    try:
        # JPEG can decode at 1/2, 1/4 or 1/8 size: quicker and far less memory.
        image.draft("RGB", (MAX_SIDE, MAX_SIDE))
        image.load()
        upright = ImageOps.exif_transpose(image)
        picture = _flattened(upright)
        picture.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise Invalid(
            "This photo could not be opened. It may be damaged. Try another photo.", field="photo"
        ) from None
    output = io.BytesIO()
    # No exif= and no icc_profile=: the new file carries nothing but pixels.
    picture.save(output, "WEBP", quality=80, method=4)
    return PreparedPhoto(output.getvalue(), picture.width, picture.height)


def _flattened(image: Image.Image) -> Image.Image:
    """RGB on white: a transparent PNG must not turn black."""
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, "white")
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")


def _too_many_pixels() -> TooBig:
    return TooBig(
        f"The photo has more than {MAX_PIXELS // 1_000_000} million pixels. Send a smaller photo.",
    )


def uploaded_photo_address(key: str) -> str:
    return f"/api/photos/{key}{SUFFIX}"


def allowed_photo_hosts() -> frozenset[str]:
    """The hosts an officer allows photos from (SAFE_PLACES_PHOTO_HOSTS); none by default."""
    return frozenset(host.strip().lower() for host in get_settings().photo_hosts if host.strip())


def photo_address_problem(address: str, hosts: Collection[str] | None = None) -> str | None:
    """Why a venue may not show this photo address, or None when it may.

    A page that loads a picture from elsewhere tells that host who opened it, so
    a photo is one put up here, or on a host the council chose to trust.
    """
    if UPLOADED_PHOTO.fullmatch(address):
        return None
    allowed = allowed_photo_hosts() if hosts is None else hosts
    if PHOTO_ADDRESS.fullmatch(address):
        try:
            host = urlsplit(address).netloc.lower()
        except ValueError:  # like an unclosed [ in an IPv6 address
            host = ""
        # The whole authority must be an allowed host: no user@, no port, no lookalike.
        if host in allowed:
            return None
    if allowed:
        where = ", ".join(sorted(allowed))
        return f"photo must be an uploaded photo (/api/photos/….webp) or https:// at {where}"
    return "photo must be an uploaded photo (/api/photos/….webp): put it up on the venue's page"


def public_photo(address: str | None) -> str | None:
    """The photo address if a venue may show it, else None (shown as no photo)."""
    return address if address and photo_address_problem(address) is None else None
