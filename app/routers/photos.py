"""Photos of a venue's entrance: upload (staff of the venue, officers) and serve."""

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path, Request, Response

from app.db import utc_now
from app.deps import SessionDep
from app.errors import error_responses
from app.models import Photo
from app.models.venue import VenueEasyRead
from app.photos import MAX_BYTES, MEDIA_TYPE, SUFFIX, PhotoRefused, prepare_photo
from app.routers.writes import WRITE_ERRORS, EditorWrite
from app.uploads import read_upload

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


async def photo_upload(request: Request) -> bytes:
    body = await read_upload(
        request, MAX_BYTES, "The photo is bigger than 5 MB. Send a smaller photo."
    )
    if not body:
        raise HTTPException(422, "Send the photo file as the body of the request.")
    return body


@router.put(
    "/api/venues/{venue_id}/photo",
    response_model=VenueEasyRead,
    responses=WRITE_ERRORS | error_responses(413, 415),
    openapi_extra=PHOTO_BODY,
)
def upload_photo(
    write: EditorWrite, upload: Annotated[bytes, Depends(photo_upload)]
) -> VenueEasyRead:
    """Put up a photo of the entrance: checked, turned upright, made small, metadata removed."""
    # `write` comes first: who may, and If-Match, are settled before the body is read.
    try:
        photo = prepare_photo(upload)
    except PhotoRefused as refused:
        raise HTTPException(refused.status, refused.message) from None
    session, venue = write.session, write.venue
    assert venue.id is not None
    if session.get(Photo, photo.key) is None:
        session.add(
            Photo(
                key=photo.key,
                venue_id=venue.id,
                account_id=write.account.id,
                created_at=utc_now(),
                width=photo.width,
                height=photo.height,
                data=photo.data,
            )
        )
    return write.commit({"photo": f"/api/photos/{photo.key}{SUFFIX}"})


@router.get(
    "/api/photos/{name}",
    response_class=Response,
    responses={**error_responses(404, 422), 200: {"content": {MEDIA_TYPE: {}}}},
)
def photo(session: SessionDep, name: PhotoName) -> Response:
    """A venue's photo, as named in its `photo` field; it never changes, so it is cached."""
    found = session.get(Photo, name.removesuffix(SUFFIX))
    if found is None:
        raise HTTPException(404, "There is no photo with this name.")
    return Response(
        found.data, media_type=MEDIA_TYPE, headers={**FOREVER, "ETag": f'"{found.key}"'}
    )
