"""The county's list out: the venue file, GeoJSON or Open Referral UK JSON."""

import io
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

import orjson
from sqlmodel import Session, select

from app.models import Venue
from app.open_referral import open_referral_services
from app.venue_file import geojson_feature_collection, write_venue_file


class ExportFormat(StrEnum):
    csv = "csv"
    geojson = "geojson"
    openreferral = "openreferral"


@dataclass(frozen=True)
class Export:
    body: bytes
    media_type: str
    suffix: str


def export_venues(session: Session, format: ExportFormat, now: datetime) -> Export:
    """Every active venue, by ref: withdrawn venues stay out of every export."""
    rows = session.exec(select(Venue).where(Venue.active).order_by(Venue.ref)).all()
    venues = [row.model_dump() for row in rows]
    if format is ExportFormat.csv:
        text = io.StringIO()
        write_venue_file(venues, text)
        return Export(text.getvalue().encode(), "text/csv; charset=utf-8", "csv")
    if format is ExportFormat.geojson:
        collection = geojson_feature_collection(venues)
        return Export(orjson.dumps(collection) + b"\n", "application/geo+json", "geojson")
    services = open_referral_services(venues, now)
    return Export(orjson.dumps(services) + b"\n", "application/json", "json")
