"""Finding a place by name or postcode, offline, without the person's position.

Town and village names come from GeoNames' table of places of 1,000+ people
(data/gb_places.csv, CC BY 4.0), matched forgivingly (case, punctuation, small
typos) with rapidfuzz. The venues' own towns and postcodes are searched too.
Places in the scheme's own area (app.gazetteer.scheme_area) come first, and may be
spelt more loosely: "lemington" is Royal Leamington Spa, not Lymington in Hampshire.
An online geocoder for other full postcodes is optional and off by default.
"""

import csv
import itertools
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz, process, utils

from app.gazetteer.scheme_area import SchemeArea
from app.venues.geo import PointIndex, distance_m
from app.venues.venue_file import POSTCODE

log = logging.getLogger(__name__)

OUTWARD_CODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?$")
# A whole postcode among other words ("CV34 4AB Warwick", an address pasted whole).
POSTCODE_AMONG_WORDS = re.compile(
    r"(?<![A-Z0-9])([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9][A-Z]{2})(?![A-Z0-9])"
)
# Below this score a name is not offered at all ("Polesworth" is not "Halesworth").
MIN_SCORE = 85
# In the scheme's own area a looser spelling still counts: a person there most likely
# means a place there ("lemington" scores 80 for Leamington Spa, 89 for Lymington).
HOME_MIN_SCORE = 80
# Offer only matches nearly as good as the best: "Nuneaton", not also "Eton".
NEARLY_AS_GOOD = 8
# From this score a match is the name as typed (or a whole word or the start of
# it); below, it is a guess at a misspelling, and the answer says so.
EXACT_SCORE = 90
# A venue town takes the county of the nearest gazetteer place within this.
AREA_RADIUS_M = 15000
# A postcode this near a town's or village's centre is in it: most of a town of 1,000+
# people is within this; a postcode farther from every centre is in the county only.
IN_PLACE_M = 3000
# Two answers closer than this are the same place named twice: keep the better one.
SAME_PLACE_M = 3000


@dataclass(frozen=True)
class Place:
    name: str
    area: str
    latitude: float
    longitude: float
    source: str
    # For a postcode: the nearest town or village (Gazetteer.place_near) and how far
    # its centre is, in metres; "" and None with none within AREA_RADIUS_M.
    near: str = ""
    near_m: int | None = None


def normalise(text: str) -> str:
    """Lower case, punctuation and hyphens as spaces, 'st' for 'saint'."""
    words = utils.default_process(text.replace("-", " ")).split()
    return " ".join("st" if word in ("saint", "st.") else word for word in words)


def match_score(key: str, candidate: str, **_options: object) -> float:
    """How well a normalised query names a normalised place (0-100)."""
    if candidate == key:
        return 100.0
    if f" {key} " in f" {candidate} ":
        return 95.0  # whole words: "leamington" in "royal leamington spa"
    if candidate.startswith(key) and len(key) >= 3:
        return 90.0  # the start of a name: "strat"
    score = fuzz.ratio(key, candidate)  # typos: "nuneton"
    if len(key) >= 5 and len(candidate) > len(key):
        # A misspelt part of a longer name: "leamingtn" in "royal leamington spa".
        score = max(score, 0.9 * fuzz.partial_ratio(key, candidate))
    # A guess at a misspelling always ranks below a name as typed.
    return min(score, EXACT_SCORE - 1)


# Each gazetteer's own number, unique in the process (as a snapshot's serial is).
_serials = itertools.count(1)


class Gazetteer:
    """Place names with positions, searched by forgiving match."""

    def __init__(self, places: list[Place]) -> None:
        self.places = places
        self.serial = next(_serials)
        self._keys = [normalise(place.name) for place in places]
        self._index = PointIndex(
            [place.latitude for place in places], [place.longitude for place in places]
        )

    def _nearest(self, lat: float, lon: float, within_m: float) -> Place | None:
        _, positions = self._index.nearest(lat, lon, 1)
        if not positions:
            return None
        place = self.places[positions[0]]
        near = distance_m(lat, lon, place.latitude, place.longitude) <= within_m
        return place if near else None

    def area_near(self, lat: float, lon: float) -> str:
        """The county of the nearest known place, if one is near: 'Warwickshire, England'."""
        place = self._nearest(lat, lon, AREA_RADIUS_M)
        return place.area if place else ""

    def place_near(self, lat: float, lon: float) -> tuple[str, int | None]:
        """The nearest known town or village within AREA_RADIUS_M, and how far its centre
        is in whole metres: ('Warwick', 650). A point within IN_PLACE_M is in it; a
        farther one is that far from it. ('', None) when none is that near."""
        place = self._nearest(lat, lon, AREA_RADIUS_M)
        if place is None:
            return "", None
        return place.name, round(distance_m(lat, lon, place.latitude, place.longitude))

    @classmethod
    def from_csv(cls, path: Path) -> "Gazetteer":
        with path.open(encoding="utf-8", newline="") as file:
            rows = list(csv.DictReader(file))
        places = [
            Place(
                name=row["name"],
                area=", ".join(part for part in (row["county"], row["country"]) if part),
                latitude=float(row["latitude"]),
                longitude=float(row["longitude"]),
                source="gazetteer",
            )
            for row in rows
        ]
        return cls(places)

    def search(
        self, query: str, extra: Sequence[Place] = (), home: SchemeArea | None = None
    ) -> list[tuple[float, Place]]:
        """(score, place) pairs for good matches among these places and `extra`.

        With `home`, the scheme's area: places in it are offered first, from a lower
        score, and a guessed spelling far away is dropped when one in it matches.
        """
        key = normalise(query)
        if not key:
            return []
        if home is not None and not home.outline:
            home = None  # no venues yet, so no area: every place is as near as any other
        places = [*self.places, *extra]
        keys = [*self._keys, *(normalise(place.name) for place in extra)]
        cutoff = MIN_SCORE if home is None else HOME_MIN_SCORE
        found = process.extract(key, keys, scorer=match_score, score_cutoff=cutoff, limit=None)
        at_home: list[tuple[float, Place]] = []
        away: list[tuple[float, Place]] = []
        for _, score, position in found:
            place = places[position]
            if home is not None and home.contains(place.latitude, place.longitude):
                at_home.append((score, place))
            elif score >= MIN_SCORE:
                away.append((score, place))
        if at_home:
            away = [(score, place) for score, place in away if score >= EXACT_SCORE]
        return _nearly_the_best(at_home) + _nearly_the_best(away)


def _nearly_the_best(matches: list[tuple[float, Place]]) -> list[tuple[float, Place]]:
    best = max((score for score, _ in matches), default=0.0)
    return [(score, place) for score, place in matches if score >= best - NEARLY_AS_GOOD]


def rank_places(
    matches: list[tuple[float, Place]], home: SchemeArea | None, limit: int
) -> list[tuple[float, Place]]:
    """Places in the scheme's area first, then the best score; among equals, the one
    nearest the venues' middle; near-duplicates dropped."""
    centre = home.centre if home is not None else None

    def away(place: Place) -> bool:
        return home is not None and not home.contains(place.latitude, place.longitude)

    def closeness(place: Place) -> float:
        return distance_m(*centre, place.latitude, place.longitude) if centre else 0.0

    # Among equal scores prefer the gazetteer's entry (it names the county), then nearness.
    ordered = sorted(
        matches,
        key=lambda m: (away(m[1]), -m[0], m[1].source != "gazetteer", closeness(m[1])),
    )
    chosen: list[tuple[float, Place]] = []
    for score, place in ordered:
        if any(
            distance_m(place.latitude, place.longitude, other.latitude, other.longitude)
            < SAME_PLACE_M
            for _, other in chosen
        ):
            continue
        chosen.append((score, place))
        if len(chosen) == limit:
            break
    return chosen


def postcode_key(query: str) -> tuple[str, str] | None:
    """('full', 'CV34 4AB') or ('outward', 'CV34') when the query looks like a postcode,
    or holds a whole one among other words ('CV34 4AB Warwick': the postcode says more
    than the town)."""
    squeezed = " ".join(query.upper().split())
    match = POSTCODE.match(squeezed) or POSTCODE_AMONG_WORDS.search(squeezed)
    if match:
        return "full", f"{match.group(1)} {match.group(2)}"
    if OUTWARD_CODE.match(squeezed):
        return "outward", squeezed
    return None


class OnlineGeocoder:
    """Full postcodes through an online geocoder (Nominatim via geopy), when configured."""

    def __init__(self, domain: str, scheme: str, user_agent: str, timeout: float = 5.0) -> None:
        # Imported here: geopy's geocoders cost memory in every server that never uses them.
        from geopy.geocoders import Nominatim

        self._geocoder = Nominatim(
            user_agent=user_agent, domain=domain, scheme=scheme, timeout=timeout
        )

    def postcode(self, postcode: str) -> Place | None:
        from geopy.exc import GeopyError

        try:
            location = self._geocoder.geocode(
                {"postalcode": postcode}, country_codes="gb", exactly_one=True
            )
        except GeopyError as error:
            # Never log the postcode itself: it says where the person is.
            log.warning("online geocoder failed: %s", type(error).__name__)
            return None
        if location is None:
            return None
        return Place(postcode, "", location.latitude, location.longitude, "geocoder")
