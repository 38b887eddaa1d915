"""The window poster's QR code: a venue's public page address, drawn by segno.

Public: the code says only the address of a public page. The address is built from
the Host the request came to, which is safe only where this service knows that
host: in production a Host outside SAFE_PLACES_ALLOWED_HOSTS is refused by
app/http/headers.py before it gets here, and with ["*"] (any host) a code is made
only for a host named in the list, so a forged Host header can never put another
site's address on a poster in a window. Nor is one made for localhost or a loopback
address, which production answers to only for checks on the machine itself: behind a
proxy that passes on its upstream Host, the code would open 127.0.0.1.
"""

import io
import ipaddress
import re

import segno
from fastapi import APIRouter, Request, Response

from app.config import Settings
from app.deps import SettingsDep, VenueOr404
from app.http.errors import error_responses
from app.http.headers import host_name, named_hosts
from app.problems import Invalid

router = APIRouter(prefix="/api/venues", tags=["venues"])

SVG = "image/svg+xml"
# A host name or address and a port: nothing that could add a path or a query.
HOST = re.compile(r"(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(:[0-9]{1,5})?")
# Medium error correction (15 %): a poster in a sunny window fades and gets stickers.
ERROR_CORRECTION = "m"
UNKNOWN_ADDRESS = (
    "This server does not know its public address, so it cannot make a QR code. "
    "Its owner can add the address to SAFE_PLACES_ALLOWED_HOSTS."
)


def known_host(host: str, settings: Settings) -> bool:
    if not HOST.fullmatch(host):
        return False
    if settings.environment != "production":
        return True  # development answers to any host, and is only ever local
    name = host_name(host)
    return name in named_hosts(settings) and name != "*" and not only_this_machine(name)


def only_this_machine(name: str) -> bool:
    """localhost, a loopback address, or 0.0.0.0 / :: (what HOST may listen on): the
    Host a proxy may pass on from upstream, never an address a phone can open."""
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


def public_page_address(request: Request, settings: Settings, venue_id: int) -> str:
    """https://<the host people use>/venues/<id> (http only in development)."""
    host = request.headers.get("host", "")
    if not known_host(host, settings):
        raise Invalid(UNKNOWN_ADDRESS, field="host")
    scheme = "https" if settings.environment == "production" else request.url.scheme
    return f"{scheme}://{host}/venues/{venue_id}"


def qr_svg(address: str) -> bytes:
    """A QR code as SVG: black on white, 4 modules of quiet zone, sized by the page."""
    code = segno.make(address, error=ERROR_CORRECTION, micro=False)
    drawn = io.BytesIO()
    code.save(
        drawn, kind="svg", xmldecl=False, nl=False, omitsize=True, scale=1, border=4,
        dark="#000", light="#fff", title=address,
    )  # fmt: skip
    return drawn.getvalue()


@router.get(
    "/{venue_id:int}/qr.svg",
    response_class=Response,
    responses={
        200: {"content": {SVG: {}}, "description": "The QR code, as SVG"},
        404: {"description": "No such venue"},
        **error_responses(422),
    },
)
def venue_qr_code(request: Request, venue: VenueOr404, settings: SettingsDep) -> Response:
    """A QR code for the window poster: it opens this Safe Place's public page."""
    address = public_page_address(request, settings, venue.id or 0)
    return Response(qr_svg(address), media_type=SVG, headers={"Cache-Control": "no-cache"})
