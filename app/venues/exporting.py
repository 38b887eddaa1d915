"""The county's list out: the venue file, GeoJSON or Open Referral UK JSON.

Reading the active venues is here once, for the downloads and the live Open
Referral feed alike (app/routers/open_referral.py), so both give the same services.
"""

import io
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

import orjson
from sqlalchemy import func
from sqlmodel import Session, col, select

from app.models import Venue
from app.venues.oruk import AreaOf, open_referral_services
from app.venues.venue_file import geojson_feature_collection, write_venue_file


class ExportFormat(StrEnum):
    csv = "csv"
    geojson = "geojson"
    openreferral = "openreferral"


@dataclass(frozen=True)
class Export:
    body: bytes
    media_type: str
    suffix: str


def active_venues(
    session: Session, offset: int = 0, limit: int | None = None, ref: str | None = None
) -> list[dict[str, Any]]:
    """Active venues by ref (all, a page, or the one with `ref`): never a withdrawn one."""
    query = select(Venue).where(Venue.active)
    if ref is not None:
        query = query.where(Venue.ref == ref)
    rows = session.exec(query.order_by(col(Venue.ref)).offset(offset).limit(limit)).all()
    return [row.model_dump() for row in rows]


def active_venue_refs(session: Session) -> list[str]:
    return list(session.exec(select(Venue.ref).where(Venue.active).order_by(col(Venue.ref))))


def active_venue_count(session: Session) -> int:
    return session.exec(select(func.count()).select_from(Venue).where(Venue.active)).one()


def export_venues(session: Session, format: ExportFormat, now: datetime, area_of: AreaOf) -> Export:
    """Every active venue, by ref: withdrawn venues stay out of every export."""
    venues = active_venues(session)
    if format is ExportFormat.csv:
        text = io.StringIO()
        write_venue_file(venues, text)
        return Export(text.getvalue().encode(), "text/csv; charset=utf-8", "csv")
    if format is ExportFormat.geojson:
        collection = geojson_feature_collection(venues)
        return Export(orjson.dumps(collection) + b"\n", "application/geo+json", "geojson")
    services = open_referral_services(venues, now, area_of)
    return Export(orjson.dumps(services) + b"\n", "application/json", "json")
