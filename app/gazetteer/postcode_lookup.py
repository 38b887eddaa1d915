"""Where a postcode is: the one look-up that place search and applications to join share.

A full postcode or a district is answered, in turn, by the postcode table (Code-Point
Open, offline), by the venues' own postcodes (Northern Ireland's, and any newer than
the table), and by the online geocoder when one is set up. Each answer names the nearest
town or village and how far it is (`Place.near`, `Place.near_m`). Reads the venue table;
no HTTP.
"""

from dataclasses import replace

from sqlalchemy import func
from sqlmodel import Session, select

from app.gazetteer.place_names import Gazetteer, OnlineGeocoder, Place
from app.gazetteer.postcodes import PostcodeTable
from app.models import Venue


def _venue_postcode(session: Session, kind: str, code: str) -> Place | None:
    pattern = code if kind == "full" else f"{code} %"
    row = session.exec(
        select(func.avg(Venue.latitude), func.avg(Venue.longitude), func.min(Venue.town)).where(
            Venue.active,
            Venue.postcode.like(pattern),  # type: ignore[attr-defined]
        )
    ).one()
    if row[0] is None:
        return None
    return Place(code, row[2], float(row[0]), float(row[1]), "venue_postcode")


def find_postcode(
    kind: str,
    code: str,
    postcodes: PostcodeTable,
    gazetteer: Gazetteer,
    session: Session,
    geocoder: OnlineGeocoder | None,
) -> Place | None:
    """A full postcode ('full', 'CV34 4AB') or a district ('outward', 'CV34'), offline
    first; online only if set up and needed."""
    position = postcodes.postcode(code) if kind == "full" else postcodes.district(code)
    if position is not None:
        place: Place | None = Place(code, gazetteer.area_near(*position), *position, "postcode")
    else:
        place = _venue_postcode(session, kind, code)
    if place is None and geocoder is not None and kind == "full":
        place = geocoder.postcode(code)
    if place is None:
        return None
    lat, lon = place.latitude, place.longitude
    near, near_m = gazetteer.place_near(lat, lon)
    area = place.area or gazetteer.area_near(lat, lon)
    return replace(place, area=area, near=near, near_m=near_m)


def unknown_in_northern_ireland(code: str, geocoder: OnlineGeocoder | None) -> bool:
    """Whether a postcode was not found because it is Northern Irish and nothing here
    knows those: Code-Point Open covers Great Britain only; an online geocoder may."""
    return code.startswith("BT") and geocoder is None
