"""Synthetic venue tables for benchmarks: realistic spread, hours and text, any size.

Venues cluster around the UK's towns (from data/gb_places.csv) the way real
ones do, and reuse the sample's opening hours, so the in-memory index and the
hours cache see realistic data. Rows go straight in with SQLAlchemy Core: the
benchmarks measure look-ups, not the importer.
"""

import csv
import random
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import insert
from sqlmodel import Session

from app.db import bump_revision, make_engine, migrate
from app.models import Venue

ROOT = Path(__file__).resolve().parent.parent
CATEGORIES = ["shop", "cafe", "pharmacy", "library", "community_centre", "other"]


def towns() -> list[tuple[float, float]]:
    with (ROOT / "data" / "gb_places.csv").open(encoding="utf-8") as file:
        return [(float(row["latitude"]), float(row["longitude"])) for row in csv.DictReader(file)]


def sample_hours() -> list[str]:
    with (ROOT / "data" / "safe_places.csv").open(encoding="utf-8") as file:
        return sorted({row["opening_hours"] for row in csv.DictReader(file)})


def random_positions(count: int, seed: int) -> list[tuple[float, float]]:
    """Positions near towns: where people (and Safe Places) are."""
    rng = random.Random(seed)
    centres = towns()
    positions = []
    for _ in range(count):
        lat, lon = rng.choice(centres)
        positions.append((lat + rng.gauss(0, 0.02), lon + rng.gauss(0, 0.03)))
    return positions


def make_database(url: str, count: int, seed: int = 1) -> None:
    engine = make_engine(url)
    migrate(engine)
    rng = random.Random(seed)
    hours = sample_hours()
    now = datetime.now(UTC)
    batch: list[dict] = []
    with Session(engine) as session:
        for number, (lat, lon) in enumerate(random_positions(count, seed), start=1):
            batch.append(
                {
                    "ref": f"BENCH-{number:07d}",
                    "name": f"Bench venue {number}",
                    "category": rng.choice(CATEGORIES),
                    "address": f"{rng.randint(1, 200)} High Street",
                    "town": f"Town {number % 3000}",
                    "postcode": "CV34 4AB",
                    "latitude": lat,
                    "longitude": lon,
                    "phone": f"01632 960{number % 1000:03d}",
                    "opening_hours": rng.choice(hours) or None,
                    "easy_read": "This is a shop. Staff here can help you. Go to the counter.",
                    "step_free": rng.choice([True, False, None]),
                    "active": True,
                    "created_at": now,
                    "updated_at": now,
                }
            )
            if len(batch) == 20_000:
                session.execute(insert(Venue), batch)
                batch.clear()
        if batch:
            session.execute(insert(Venue), batch)
        bump_revision(session)
        session.commit()
    engine.dispose()
