"""Photos of a venue's entrance: upload (staff of the venue, officers) and serve."""

from typing import Annotated

from fastapi import APIRouter, Path, Request, Response
from starlette.concurrency import run_in_threadpool

from app.deps import SessionDep, VenueId
from app.http.errors import error_responses
from app.http.uploads import read_upload
from app.models import Photo
from app.models.venue import VenueEasyRead
from app.problems import Invalid, NotFound
from app.routers.writes import WRITE_ERRORS, VenueWriter
from app.venues.edits import FieldChanges, NewPhoto
from app.venues.photo_checks import MAX_BYTES, MEDIA_TYPE, SUFFIX, prepare_photo

router = APIRouter(tags=["photos"])

PHOTO_BODY = {
    "requestBody": {
        "required": True,
        "description": "The photo file itself (JPEG, PNG or WebP, up to 5 MB) as the body.",
        "content": {
            media: {"schema": {"type": "string", "format": "binary"}}
            for media in ("image/jpeg", "image/png", "image/webp")
        },
    }
}
# A photo's address is named by its content, so it can be kept for ever.
FOREVER = {
    "Cache-Control": "public, max-age=31536000, immutable",
    "X-Content-Type-Options": "nosniff",
}
PhotoName = Annotated[
    str, Path(pattern=r"^[0-9a-f]{32}\.webp$", description="As in a venue's photo.")
]


@router.put(
    "/api/venues/{venue_id:int}/photo",
    response_model=VenueEasyRead,
    responses=WRITE_ERRORS | error_responses(413, 415),
    openapi_extra=PHOTO_BODY,
)
async def upload_photo(write: VenueWriter, venue_id: VenueId, request: Request) -> Response:
    """Put up a photo of the entrance: checked, turned upright, made small, metadata removed."""
    # Who may, and If-Match, are settled before the body is read (a photo is up to 5 MB).
    await write.check(venue_id, FieldChanges({"photo": None}))
    upload = await read_upload(
        request, MAX_BYTES, "The photo is bigger than 5 MB. Send a smaller photo."
    )
    if not upload:
        raise Invalid("Send the photo file as the body of the request.", field="photo")
    photo = await run_in_threadpool(prepare_photo, upload)  # seconds of CPU: not on the loop
    return await write.change(venue_id, NewPhoto(photo))


@router.get(
    "/api/photos/{name}",
    response_class=Response,
    responses={**error_responses(404, 422), 200: {"content": {MEDIA_TYPE: {}}}},
)
def photo(session: SessionDep, name: PhotoName) -> Response:
    """A venue's photo, as named in its `photo` field; it never changes, so it is cached."""
    found = session.get(Photo, name.removesuffix(SUFFIX))
    if found is None:
        raise NotFound("There is no photo with this name.")
    return Response(
        found.data, media_type=MEDIA_TYPE, headers={**FOREVER, "ETag": f'"{found.key}"'}
    )
