"""Generate data/safe_places.csv: an invented SAMPLE list of Safe Places in Warwickshire.

None of these venues is a real Safe Place. The names, addresses, postcodes and
descriptions are made up for development and demonstration. Phone numbers come
from Ofcom's range reserved for drama (01632 960xxx), so no real line is
called, and websites use the reserved domain example.org.

Each town's centre is read from data/gb_places.csv (the GeoNames table written
by scripts/extract_gazetteer.py). Every street of a town is given a random spot
around that centre and the venues on it are scattered near that spot, at least
MIN_SEPARATION_M apart. A fixed seed makes the output the same on every run.

The script checks its own output and stops with an error if any opening hours
do not parse, any easy-read sentence is longer than 15 words, or any other rule
of the sample is broken.

Usage::

    python scripts/extract_gazetteer.py   # once, to write data/gb_places.csv
    python scripts/make_sample_venues.py [--output data/safe_places.csv]
"""

from __future__ import annotations

import argparse
import csv
import math
import random
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from app.hours import HoursError, parse_hours

SEED = 20250601
ROOT = Path(__file__).resolve().parent.parent
GAZETTEER = ROOT / "data" / "gb_places.csv"
DEFAULT_OUTPUT = ROOT / "data" / "safe_places.csv"
COUNTY = "Warwickshire"

FIELDS = [
    "ref", "name", "category", "address", "town", "postcode", "latitude", "longitude",
    "phone", "website", "opening_hours", "easy_read", "step_free", "accessible_toilet",
    "quiet_space", "photo",
]  # fmt: skip
CATEGORIES = (
    "library", "shop", "cafe", "pharmacy", "community_centre", "leisure_centre",
    "council_office", "bank", "church", "other",
)  # fmt: skip

MIN_SEPARATION_M = 40
METRES_PER_DEGREE = 111_320
PHONE_PREFIX = "01632 960"  # Ofcom: reserved for TV and radio drama
EMPTY_PHONE_SHARE = 0.10
MAX_SENTENCE_WORDS = 15

# How far from the centre streets lie, by town size: (nearest, farthest, spread),
# in metres. "spread" is how far a venue may sit from its street's spot.
# Venues marked far=True (leisure centres, petrol stations) go to FAR_RANGE.
RADII = {"large": (150, 800, 100), "medium": (150, 650, 90), "small": (100, 400, 70)}
FAR_RANGE = {"large": (900, 1500), "medium": (800, 1200), "small": (400, 700)}


# --------------------------------------------------------------------------- data


@dataclass(frozen=True)
class Venue:
    """One invented venue. Anything left as None is filled in at random."""

    name: str
    category: str
    street: str
    kind: str | None = None  # "a bookshop"; used in the easy-read text
    address: str | None = None  # full address line; "{n}" is replaced by a number
    hours: str | None = None  # None: pick from HOURS; "": hours unknown
    intro: str | None = None  # first easy-read sentence(s)
    helps: str | None = None  # how staff help
    arrive: str | None = None  # what to do when you arrive
    notes: tuple[str, ...] = ()  # extra easy-read sentences, always kept
    far: bool = False  # on the edge of town
    website: bool = False
    step_free: str | None = None
    accessible_toilet: str | None = None
    quiet_space: str | None = None


@dataclass(frozen=True)
class Town:
    name: str  # as people write it
    gazetteer: str  # as GeoNames writes it
    size: str  # key of RADII
    streets: dict[str, str]  # street -> postcode sector, e.g. "CV21 3"
    venues: tuple[Venue, ...]


V = Venue

PETROL_STATION = dict(
    kind="a petrol station",
    hours="24/7",
    intro="This is a petrol station with a small shop.",
    arrive="Go to the till and tell staff you need help.",
    notes=(
        "It is open all day and all night.",
        "At night, staff may talk to you through a window.",
    ),
    far=True,
    step_free="yes",
    accessible_toilet="no",
    quiet_space="no",
)

TOWNS = (
    Town(
        "Nuneaton", "Nuneaton", "large",
        {
            "Abbey Street": "CV11 5", "Queens Road": "CV11 5", "Bridge Street": "CV11 4",
            "Market Place": "CV11 4", "Church Street": "CV11 4", "Coton Road": "CV11 5",
            "Newdegate Street": "CV11 4", "Harefield Road": "CV11 4", "Bond Gate": "CV11 4",
            "Vicarage Street": "CV11 4", "Leicester Road": "CV11 6", "Tuttle Hill": "CV10 0",
        },
        (
            V("Nuneaton Library", "library", "Church Street", website=True,
              notes=("The library is next to the big car park.",)),
            V("Abbey Street Pharmacy", "pharmacy", "Abbey Street"),
            V("Queens Road Chemist", "pharmacy", "Queens Road"),
            V("Bluebell Café", "cafe", "Market Place"),
            V("The Copper Kettle", "cafe", "Bridge Street"),
            V("Turning Page Books", "shop", "Queens Road", kind="a bookshop", website=True,
              notes=("There is a sofa at the back where you can sit.",)),
            V("Helping Hands Charity Shop", "shop", "Abbey Street", kind="a charity shop"),
            V("Tuttle Hill Stores", "shop", "Tuttle Hill", kind="a corner shop", far=True,
              hours="Mo-Sa 07:00-22:00; Su 08:00-21:00"),
            V("Riverside Community Centre", "community_centre", "Coton Road", website=True,
              notes=("Look for the green door at the side of the building.",)),
            V("Nuneaton Council Help Point", "council_office", "Vicarage Street"),
            V("Nuneaton Leisure Centre", "leisure_centre", "Leicester Road", far=True),
            V("Anker Valley Building Society", "bank", "Bridge Street",
              kind="a building society, which is like a bank"),
            V("Nuneaton Bus Station Travel Desk", "other", "Newdegate Street",
              hours="Mo-Sa 07:00-18:30; Su 09:00-16:00",
              intro="This is the travel desk at the bus station.",
              arrive="Go to the desk with the blue sign when you arrive.",
              notes=("Staff can help you find the right bus.",),
              step_free="yes", accessible_toilet="yes", quiet_space="no"),
            V("Night Owl Diner", "cafe", "Harefield Road", kind="a late-night café",
              hours="Mo-Th,Su 17:00-23:30; Fr,Sa 17:00-01:00",
              notes=("It is open until 1 in the morning on Friday and Saturday.",)),
            V("Bond Gate Chapel", "church", "Bond Gate", kind="a chapel", hours="",
              notes=("The chapel is not always open.",)),
        ),
    ),
    Town(
        "Bedworth", "Bedworth", "medium",
        {
            "High Street": "CV12 8", "King Street": "CV12 8", "Leicester Street": "CV12 8",
            "Mill Street": "CV12 8", "All Saints Square": "CV12 8", "Congreve Walk": "CV12 8",
            "Coventry Road": "CV12 0",
        },
        (
            V("Bedworth Library", "library", "High Street"),
            V("Mill Street Pharmacy", "pharmacy", "Mill Street"),
            V("The Daisy Chain Café", "cafe", "King Street"),
            V("Whiskers Pet Supplies", "shop", "Leicester Street", kind="a pet shop"),
            V("All Saints Community Hub", "community_centre", "All Saints Square",
              address="{n} All Saints Square"),
            V("Bedworth Council Help Point", "council_office", "Congreve Walk"),
            V("Paper Lantern Cards & Gifts", "shop", "High Street",
              kind="a card and gift shop", hours=""),
            V("Coventry Road Service Station", "other", "Coventry Road", **PETROL_STATION),
        ),
    ),
    Town(
        "Rugby", "Rugby", "large",
        {
            "Church Street": "CV21 3", "Regent Street": "CV21 2", "Sheep Street": "CV21 3",
            "High Street": "CV21 3", "North Street": "CV21 2", "Market Place": "CV21 3",
            "Albert Street": "CV21 2", "Railway Terrace": "CV21 3", "Bank Street": "CV21 2",
            "Lawford Road": "CV21 2", "Clifton Road": "CV21 3", "Hillmorton Road": "CV22 5",
            "Little Elborow Street": "CV21 3", "Warwick Street": "CV21 3",
        },
        (
            V("Rugby Library", "library", "Little Elborow Street", website=True,
              notes=("There is a lift to every floor.",)),
            V("Sheep Street Pharmacy", "pharmacy", "Sheep Street"),
            V("Ellis & Gray Pharmacy", "pharmacy", "Regent Street"),
            V("The Scrum Half Café", "cafe", "Market Place"),
            V("Swift Tea Rooms", "cafe", "Church Street", kind="a tea room"),
            V("Albert Street Bakery", "shop", "Albert Street", kind="a bakery",
              hours="Mo-Sa 07:30-16:00; Su off"),
            V("Chapter & Verse Books", "shop", "High Street", kind="a bookshop"),
            V("Good Turn Charity Shop", "shop", "Regent Street", kind="a charity shop"),
            V("Railway Terrace Community Centre", "community_centre", "Railway Terrace"),
            V("Rugby Leisure Centre", "leisure_centre", "Hillmorton Road", far=True),
            V("Rugby Council Help Point", "council_office", "North Street"),
            V("Avon & Swift Credit Union", "bank", "Bank Street",
              kind="a credit union, which is like a bank"),
            V("Warwick Street Methodist Church", "church", "Warwick Street"),
            V("Clifton Road Service Station", "other", "Clifton Road", **PETROL_STATION),
            V("Lawford Road Stores", "shop", "Lawford Road", kind="a corner shop",
              hours="Mo-Sa 07:00-22:00; Su 08:00-21:00"),
        ),
    ),
    Town(
        "Leamington Spa", "Royal Leamington Spa", "large",
        {
            "Parade": "CV32 4", "Warwick Street": "CV32 5", "Regent Street": "CV32 4",
            "Bath Street": "CV31 3", "Clarendon Avenue": "CV32 4", "Clemens Street": "CV31 2",
            "Kenilworth Road": "CV32 6", "Russell Street": "CV32 5", "Tavistock Street": "CV32 5",
            "Brunswick Street": "CV31 2", "Holly Walk": "CV32 4", "Avenue Road": "CV31 3",
        },
        (
            V("Leamington Library", "library", "Avenue Road", website=True),
            V("Regent Street Pharmacy", "pharmacy", "Regent Street"),
            V("Old Town Chemist", "pharmacy", "Clemens Street",
              hours="Mo-Sa 08:00-22:00; Su 10:00-16:00"),
            V("Linden Tree Café", "cafe", "Warwick Street"),
            V("Moonlight Café", "cafe", "Bath Street", kind="a late-night café",
              hours="Mo-Th 17:00-23:00; Fr,Sa 17:00-02:00",
              notes=("It is open until 2 in the morning at weekends.",)),
            V("Leamington Night Help Point", "other", "Parade", website=True,
              hours="Fr,Sa 21:00-03:00",
              intro="This is a help point for people on a night out.",
              helps="Helpers here can help you get home safely.",
              arrive="Look for the helpers in bright yellow jackets.",
              notes=(
                  "It is open on Friday and Saturday nights.",
                  "Helpers are here until 3 in the morning.",
              ),
              step_free="yes", accessible_toilet="no", quiet_space="yes"),
            V("Spa Town Books", "shop", "Regent Street", kind="a bookshop"),
            V("Petal & Stem Florist", "shop", "Tavistock Street", kind="a flower shop"),
            V("Crescendo Music", "shop", "Russell Street", kind="a music shop"),
            V("Old Town Community Centre", "community_centre", "Brunswick Street",
              notes=("Press the buzzer if the door is locked.",)),
            V("Leamington Council Help Point", "council_office", "Warwick Street"),
            V("Spa Mutual Building Society", "bank", "Parade",
              kind="a building society, which is like a bank"),
            V("Holly Walk Chapel", "church", "Holly Walk", kind="a chapel"),
            V("Leamington Leisure Centre", "leisure_centre", "Kenilworth Road", far=True),
            V("Clarendon Coffee House", "cafe", "Clarendon Avenue"),
        ),
    ),
    Town(
        "Warwick", "Warwick", "medium",
        {
            "Market Place": "CV34 4", "Smith Street": "CV34 4", "Jury Street": "CV34 4",
            "High Street": "CV34 4", "Swan Street": "CV34 4", "Brook Street": "CV34 4",
            "Castle Street": "CV34 4", "Saltisford": "CV34 4", "Barrack Street": "CV34 4",
        },
        (
            V("Warwick Library", "library", "Barrack Street"),
            V("Smith Street Pharmacy", "pharmacy", "Smith Street"),
            V("Swan Street Bakehouse", "cafe", "Swan Street", kind="a café and bakery"),
            V("Castle Street Sweet Shop", "shop", "Castle Street", kind="a sweet shop",
              notes=("The shop is small, so it can get busy.",)),
            V("Old Gaol Antiques", "shop", "Market Place", kind="an antiques shop",
              hours="Tu-Sa 10:00-16:30; Su,Mo off"),
            V("Warwick Visitor Information Desk", "other", "Jury Street",
              hours="Mo-Sa 09:30-16:30; Su 10:00-15:00",
              intro="This is a visitor information desk.",
              arrive="Go to the desk by the door when you arrive.",
              notes=("Staff can help you find your way around the town.",),
              step_free="yes", accessible_toilet="yes", quiet_space="no"),
            V("Warwick Town Council Help Desk", "council_office", "High Street"),
            V("Brook Street Baptist Church", "church", "Brook Street", hours=""),
            V("The Saltisford Hotel", "other", "Saltisford", website=True, hours="24/7",
              intro="This is a hotel.",
              arrive="Go to the front desk when you arrive.",
              notes=("The front desk is open all day and all night.",),
              step_free="yes", accessible_toilet="yes", quiet_space="yes"),
        ),
    ),
    Town(
        "Stratford-upon-Avon", "Stratford-upon-Avon", "medium",
        {
            "Henley Street": "CV37 6", "Bridge Street": "CV37 6", "Wood Street": "CV37 6",
            "Sheep Street": "CV37 6", "High Street": "CV37 6", "Rother Street": "CV37 6",
            "Union Street": "CV37 6", "Greenhill Street": "CV37 6", "Windsor Street": "CV37 6",
            "Chapel Street": "CV37 6", "Waterside": "CV37 6", "Bridgefoot": "CV37 6",
        },
        (
            V("Stratford Library", "library", "Henley Street"),
            V("Wood Street Pharmacy", "pharmacy", "Wood Street"),
            V("Union Street Chemist", "pharmacy", "Union Street"),
            V("Quill & Ink Café", "cafe", "Sheep Street"),
            V("Riverside Dessert Parlour", "cafe", "Waterside", kind="a dessert café",
              hours="Mo-Th 12:00-23:00; Fr,Sa 12:00-01:00, Su 12:00-22:00",
              notes=("It is open until 1 in the morning on Friday and Saturday.",)),
            V("Second Folio Books", "shop", "Bridge Street", kind="a bookshop"),
            V("Mulberry Tea Room", "cafe", "Chapel Street", kind="a tea room"),
            V("Stratford Leisure Centre", "leisure_centre", "Bridgefoot", address="Bridgefoot",
              far=True, website=True,
              notes=("The leisure centre is next to the river.",)),
            V("Stratford Council Help Point", "council_office", "Windsor Street"),
            V("Rother Street Cards & Gifts", "shop", "Rother Street",
              kind="a card and gift shop"),
            V("Greenhill Street Community Centre", "community_centre", "Greenhill Street"),
            V("Arden Building Society", "bank", "High Street",
              kind="a building society, which is like a bank"),
        ),
    ),
    Town(
        "Kenilworth", "Kenilworth", "medium",
        {
            "Warwick Road": "CV8 1", "Talisman Square": "CV8 1", "Station Road": "CV8 1",
            "Abbey End": "CV8 1", "Castle Hill": "CV8 1", "New Street": "CV8 1",
            "Smalley Place": "CV8 1",
        },
        (
            V("Kenilworth Library", "library", "Smalley Place",
              notes=("The library is upstairs, and there is a lift.",)),
            V("Talisman Square Pharmacy", "pharmacy", "Talisman Square",
              address="Unit {n}, Talisman Square"),
            V("Castle Hill Tea Room", "cafe", "Castle Hill", kind="a tea room"),
            V("Finham Brook Books", "shop", "Warwick Road", kind="a bookshop"),
            V("Station Road Hardware", "shop", "Station Road", kind="a hardware shop"),
            V("Abbey End Community Centre", "community_centre", "Abbey End"),
            V("New Street Chapel", "church", "New Street", kind="a chapel",
              hours="We,Sa 10:00-12:00; Su 09:30-12:30"),
        ),
    ),
    Town(
        "Atherstone", "Atherstone", "small",
        {
            "Long Street": "CV9 1", "Market Street": "CV9 1", "Ratcliffe Road": "CV9 1",
            "South Street": "CV9 1",
        },
        (
            V("Atherstone Library", "library", "Long Street"),
            V("Long Street Pharmacy", "pharmacy", "Long Street"),
            V("Hat Makers Café", "cafe", "Market Street",
              notes=("You can have a free glass of water.",)),
            V("Ratcliffe Road Stores", "shop", "Ratcliffe Road", kind="a corner shop", hours=""),
            V("North Warwickshire Council Help Point", "council_office", "South Street"),
        ),
    ),
    Town(
        "Alcester", "Alcester", "small",
        {
            "High Street": "B49 5", "Church Street": "B49 5", "Henley Street": "B49 5",
            "Priory Road": "B49 5",
        },
        (
            V("Alcester Library", "library", "Priory Road"),
            V("Malt Mill Pharmacy", "pharmacy", "High Street"),
            V("Arrow Valley Café", "cafe", "Church Street"),
            V("Roman Town Gifts", "shop", "Henley Street", kind="a gift shop"),
        ),
    ),
    Town(
        "Southam", "Southam", "small",
        {
            "Market Hill": "CV47 0", "Coventry Street": "CV47 0", "Oxford Street": "CV47 1",
            "Daventry Street": "CV47 1",
        },
        (
            V("Southam Library", "library", "Market Hill"),
            V("Coventry Street Pharmacy", "pharmacy", "Coventry Street"),
            V("Drovers Café", "cafe", "Oxford Street"),
            V("Daventry Street News", "shop", "Daventry Street",
              kind="a newsagent, which sells papers and sweets"),
        ),
    ),
    Town(
        "Shipston-on-Stour", "Shipston on Stour", "small",
        {
            "High Street": "CV36 4", "Church Street": "CV36 4", "Market Place": "CV36 4",
            "Telegraph Street": "CV36 4",
        },
        (
            V("Shipston Library", "library", "Church Street"),
            V("Stour Valley Pharmacy", "pharmacy", "High Street"),
            V("Wool Market Café", "cafe", "Market Place"),
            V("Telegraph Street Hardware", "shop", "Telegraph Street", kind="a hardware shop"),
        ),
    ),
    Town(
        "Wellesbourne", "Wellesbourne Mountford", "small",
        {"Kineton Road": "CV35 9", "Chestnut Square": "CV35 9", "Warwick Road": "CV35 9"},
        (
            V("Wellesbourne Library", "library", "Kineton Road"),
            V("Chestnut Square Pharmacy", "pharmacy", "Chestnut Square"),
            V("Dene Valley Café", "cafe", "Warwick Road"),
        ),
    ),
    Town(
        "Studley", "Studley", "small",
        {"High Street": "B80 7", "Alcester Road": "B80 7", "Birmingham Road": "B80 7"},
        (
            V("Studley Library", "library", "High Street"),
            V("Needle Makers Café", "cafe", "Alcester Road",
              notes=("The café has a garden at the back.",)),
            V("Studley Village Stores", "shop", "Birmingham Road", kind="a corner shop",
              hours="Mo-Sa 07:00-21:00; Su 08:00-20:00"),
        ),
    ),
    Town(
        "Henley-in-Arden", "Henley in Arden", "small",
        {"High Street": "B95 5", "Station Road": "B95 5"},
        (
            V("Henley-in-Arden Library", "library", "High Street"),
            V("Arden Tea Room", "cafe", "High Street", kind="a tea room"),
            V("Beaudesert Pharmacy", "pharmacy", "Station Road"),
        ),
    ),
    Town(
        "Dunchurch", "Dunchurch", "small",
        {"The Square": "CV22 6", "Rugby Road": "CV22 6"},
        (
            V("The Square Pharmacy", "pharmacy", "The Square"),
            V("Dunchurch Community Hall", "community_centre", "Rugby Road", hours="",
              notes=("It is not always open, so look at the sign on the door.",)),
        ),
    ),
    Town(
        "Coleshill", "Coleshill", "small",
        {"High Street": "B46 1", "Park Road": "B46 3", "Church Hill": "B46 3"},
        (
            V("Coleshill Library", "library", "High Street"),
            V("Church Hill Pharmacy", "pharmacy", "Church Hill"),
            V("Market Hall Café", "cafe", "High Street"),
            V("Park Road Stores", "shop", "Park Road", kind="a corner shop"),
        ),
    ),
)  # fmt: skip

# Towns the GeoNames table leaves out (it lists places of 1,000+ people, but not
# every one): their centres are entered by hand, from the town's market place.
HAND_ENTERED_CENTRES = {"Coleshill": (52.4987, -1.7079)}

# Typical opening hours (OpenStreetMap syntax) for each category.
HOURS = {
    "library": [
        "Mo,Tu,Th,Fr 09:00-17:00; We 09:00-13:00; Sa 09:30-16:00",
        "Mo-Fr 09:30-17:30; Sa 09:30-13:00; PH off",
        "Mo,We,Fr 10:00-17:00; Tu,Th 10:00-19:00; Sa 10:00-13:00",
        "Mo-Fr 09:00-18:00; Sa 09:00-16:00; Su 11:00-15:00",
    ],
    "shop": [
        "Mo-Sa 09:00-17:30; Su 10:00-16:00",
        "Mo-Sa 09:00-17:30",
        "Mo-Fr 09:30-17:00; Sa 09:00-17:30; Su off",
        "Mo-Sa 09:00-17:00; PH off",
        "Tu-Sa 10:00-16:30",
    ],
    "cafe": [
        "Mo-Sa 08:00-16:00",
        "Mo-Fr 07:30-17:00; Sa 08:30-17:00; Su 10:00-15:00",
        "Tu-Su 09:00-16:00",
        "Mo-Sa 09:00-16:30; Su off",
        "Mo-Fr 08:00-15:00; Sa 09:00-14:00",
    ],
    "pharmacy": [
        "Mo-Fr 08:30-18:30; Sa 09:00-17:00",
        "Mo-Fr 09:00-18:00; Sa 09:00-13:00; Su off",
        "Mo-Fr 09:00-17:30; Sa 09:00-12:30; PH off",
    ],
    "community_centre": [
        "Mo-Fr 09:00-21:00; Sa 09:00-13:00",
        "Mo-Fr 09:00-16:00; PH off",
        "Mo-Th 09:30-15:30; Fr 09:30-12:30",
    ],
    "leisure_centre": [
        "Mo-Fr 06:30-22:00; Sa,Su 08:00-18:00",
        "Mo-Fr 07:00-21:30; Sa 08:00-17:00; Su 08:00-16:00; PH 09:00-15:00",
    ],
    "council_office": [
        "Mo-Fr 09:00-17:00; PH off",
        "Mo-Th 08:45-17:00; Fr 08:45-16:30; PH off",
        "Mo,We,Fr 10:00-14:00; PH off",
    ],
    "bank": [
        "Mo-Fr 09:30-16:30",
        "Mo,Tu,Th,Fr 09:00-17:00; We 09:30-17:00; Sa 09:00-12:00",
        "Mo-Fr 09:00-17:00; PH off",
    ],
    "church": [
        "Mo-Fr 10:00-14:00; Sa 10:00-12:00; Su 09:00-13:00",
        "Tu,Th 10:00-15:00; Su 09:30-12:30",
    ],
}

# Weights of "yes", "no" and "" (unknown) for step_free, accessible_toilet and
# quiet_space, by category.
ACCESS = {
    "library": ({"yes": 9, "no": 1}, {"yes": 8, "": 2}, {"yes": 9, "": 1}),
    "shop": ({"yes": 4, "no": 4, "": 2}, {"yes": 1, "no": 6, "": 3}, {"yes": 2, "no": 5, "": 3}),
    "cafe": ({"yes": 5, "no": 3, "": 2}, {"yes": 4, "no": 3, "": 3}, {"yes": 3, "no": 4, "": 3}),
    "pharmacy": ({"yes": 7, "no": 2, "": 1}, {"yes": 1, "no": 6, "": 3}, {"yes": 7, "": 3}),
    "community_centre": ({"yes": 8, "no": 1, "": 1}, {"yes": 8, "": 2}, {"yes": 8, "": 2}),
    "leisure_centre": ({"yes": 1}, {"yes": 1}, {"yes": 7, "no": 2, "": 1}),
    "council_office": ({"yes": 9, "": 1}, {"yes": 6, "": 4}, {"yes": 7, "no": 1, "": 2}),
    "bank": ({"yes": 8, "no": 2}, {"no": 5, "": 5}, {"yes": 7, "": 3}),
    "church": ({"yes": 5, "no": 3, "": 2}, {"yes": 5, "no": 2, "": 3}, {"yes": 9, "": 1}),
    "other": ({"yes": 7, "": 3}, {"yes": 4, "no": 3, "": 3}, {"yes": 3, "no": 4, "": 3}),
}

# ------------------------------------------------------------------ easy-read text

DEFAULT_KIND = {
    "library": "a library",
    "shop": "a shop",
    "cafe": "a café",
    "pharmacy": "a chemist",
    "community_centre": "a community centre",
    "leisure_centre": "a leisure centre",
    "council_office": "a council office",
    "bank": "a bank",
    "church": "a church",
    "other": "a place where staff can help you",
}

# {name}, {kind} and {town} are filled in. Names that already say what the
# place is ("Rugby Library") use the NAMED list, the rest the KIND list.
INTROS_NAMED = ["This is {name}.", "Welcome to {name}."]
INTROS_KIND = ["This is {kind}.", "{name} is {kind}.", "Welcome to {name}. It is {kind}."]
INTROS = {
    "library": [*INTROS_NAMED, "This is a library.", "This is the library for {town}."],
    "pharmacy": [*INTROS_KIND, "This is a pharmacy. It is also called a chemist."],
    "community_centre": [*INTROS_NAMED, "This is a community centre. Local groups meet here."],
    "leisure_centre": [*INTROS_NAMED, "This is a leisure centre. You can swim and keep fit here."],
    "council_office": [*INTROS_NAMED, "This is the council office for {town}."],
    "cafe": [*INTROS_KIND, "This is a café where you can get food and drinks."],
}

HELPS_COMMON = [
    "Staff here can help you.",
    "The staff here know how to help you.",
    "Staff will help you if you feel unsafe.",
    "You can ask any member of staff for help.",
    "This is a Safe Place, so staff will help you.",
]
HELPS = {
    "library": ["Library staff can help you if you feel lost or scared."],
    "pharmacy": ["The pharmacist and the staff can help you."],
    "cafe": ["The people who work here can help you."],
    "leisure_centre": ["Staff at reception can help you."],
    "council_office": ["Council staff here can help you."],
    "church": ["Volunteers here can help you.", "Church volunteers will look after you."],
}

ARRIVALS = {
    "library": [
        "Go to the front desk when you arrive.",
        "Go to the help desk when you come in.",
        "When you arrive, tell staff at the desk that you need help.",
        "When you come in, find a member of staff with a name badge.",
    ],
    "shop": [
        "Go to the till when you arrive.",
        "Tell the person at the till that you feel unsafe.",
        "When you come in, ask anyone at the till for help.",
        "Go to the counter when you arrive and say you need help.",
    ],
    "cafe": [
        "Go to the counter when you come in.",
        "When you arrive, tell the staff at the counter that you need help.",
        "When you come in, ask the person at the counter for help.",
    ],
    "pharmacy": [
        "Go to the counter when you arrive.",
        "When you arrive, ask at the counter to speak to the pharmacist.",
        "When you come in, tell staff at the counter that you need help.",
    ],
    "community_centre": [
        "Go to reception when you arrive.",
        "When you arrive, go to the office by the front door.",
        "When you come in, ask at the front desk for help.",
    ],
    "leisure_centre": [
        "Go to the reception desk by the entrance.",
        "When you arrive, go to reception and ask for help.",
        "When you come in, tell the staff at reception that you need help.",
    ],
    "council_office": [
        "Go to the customer service desk when you arrive.",
        "When you come in, tell the staff at reception that you need help.",
        "Go to the front desk when you arrive and ask for help.",
    ],
    "bank": [
        "When you arrive, go to the counter and tell staff you need help.",
        "When you come in, ask the person at the front desk for help.",
        "Tell any member of staff that you feel unsafe when you arrive.",
    ],
    "church": [
        "Go to the church office when you arrive.",
        "When you arrive, ask a volunteer at the door for help.",
        "Ring the bell by the side door when you arrive.",
    ],
    "other": [
        "Go to the front desk when you arrive.",
        "When you arrive, tell a member of staff that you need help.",
    ],
}

CARD = [
    "Show your help card if you have one.",
    "If you have a Safe Places card, show it to staff.",
    "You can show staff your Safe Places card.",
]
CALL = [
    "Staff can phone someone you trust.",
    "Staff can call your family or carer for you.",
    "You can stay here until you feel safe.",
]
QUIET = [
    "Staff can find you a quiet place to sit.",
    "There is a quiet room you can use.",
    "You can sit somewhere quiet if you want to.",
]
PRIVATE_ROOM = ["You can talk to staff in a private room."]
STEP_FREE = {
    "yes": ["There are no steps at the front door.", "You can get in with a wheelchair."],
    "no": ["There is a step at the front door.", "There are 2 steps at the door."],
}
TOILET = ["There is an accessible toilet you can use.", "There is a toilet for disabled people."]


def easy_read(venue: Venue, town: Town, access: dict[str, str], rng: random.Random) -> str:
    """3 to 5 short easy-read sentences about the venue, always saying what to do on arrival."""
    category = venue.category
    kind = venue.kind or DEFAULT_KIND[category]
    if venue.intro:
        intro = venue.intro
    else:
        choices = INTROS.get(category, INTROS_KIND)
        if kind.split()[-1].casefold() in venue.name.casefold():
            # "Bluebell Café is a café" says the same thing twice.
            others = [text for text in choices if "{kind}" not in text]
            choices = list(dict.fromkeys([*INTROS_NAMED, *others]))
        intro = rng.choice(choices).format(name=venue.name, kind=kind, town=town.name)
    # Churches are run by volunteers, so their text never says "any member of staff".
    helps_pool = HELPS[category] if category == "church" else HELPS_COMMON + HELPS.get(category, [])
    helps = venue.helps or rng.choice(helps_pool)
    arrive = venue.arrive or rng.choice(ARRIVALS[category])
    middle = [helps, arrive] if rng.random() < 0.6 else [arrive, helps]

    extras = [rng.choice(CARD), rng.choice(CALL)]
    if access["quiet_space"] == "yes":
        extras.append(rng.choice(PRIVATE_ROOM if category in ("pharmacy", "bank") else QUIET))
    if access["step_free"]:
        extras.append(rng.choice(STEP_FREE[access["step_free"]]))
    if access["accessible_toilet"] == "yes":
        extras.append(rng.choice(TOILET))
    rng.shuffle(extras)

    fixed = [intro, *venue.notes, *middle]
    wanted = max(rng.randint(3, 5), count_sentences(" ".join(fixed)))
    sentences = list(fixed)
    while count_sentences(" ".join(sentences)) < wanted and extras:
        sentences.append(extras.pop())
    text = " ".join(sentences)
    if category == "church":
        text = text.replace("Staff", "Volunteers").replace("staff", "volunteers")
    return text


# ------------------------------------------------------------------------ geometry


def offset(lat: float, lon: float, distance_m: float, bearing: float) -> tuple[float, float]:
    """The point distance_m metres from (lat, lon) on a bearing in radians."""
    d_north = distance_m * math.cos(bearing)
    d_east = distance_m * math.sin(bearing)
    return (
        lat + d_north / METRES_PER_DEGREE,
        lon + d_east / (METRES_PER_DEGREE * math.cos(math.radians(lat))),
    )


def distance_m(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance in metres (haversine)."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + (
        math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6_371_000 * math.asin(math.sqrt(h))


def random_point(
    rng: random.Random, centre: tuple[float, float], low: float, high: float
) -> tuple[float, float]:
    """A point between low and high metres from centre, spread evenly over the ring."""
    distance = math.sqrt(rng.uniform(low**2, high**2))
    return offset(*centre, distance, rng.uniform(0, 2 * math.pi))


def place_venue(
    rng: random.Random,
    town: Town,
    venue: Venue,
    centre: tuple[float, float],
    anchors: dict[str, tuple[float, float]],
    placed: list[tuple[float, float]],
) -> tuple[float, float]:
    """Where the venue stands: near its street's spot, clear of the town's other venues."""
    nearest, farthest, spread = RADII[town.size]
    for _ in range(1000):
        if venue.far:
            point = random_point(rng, centre, *FAR_RANGE[town.size])
        else:
            if venue.street not in anchors:
                anchors[venue.street] = random_point(rng, centre, nearest, farthest)
            point = random_point(rng, anchors[venue.street], 0, spread)
            if distance_m(point, centre) < nearest * 0.8:
                continue
        if all(distance_m(point, other) >= MIN_SEPARATION_M for other in placed):
            return point
    raise SystemExit(f"could not place {venue.name} in {town.name}")


# ------------------------------------------------------------------------- helpers

POSTCODE_UNIT_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"  # letters used in the last part


def postcode(rng: random.Random, sector: str, used: set[str]) -> str:
    """A postcode in the sector (e.g. "CV21 3" -> "CV21 3QT") not used before."""
    while True:
        code = sector + "".join(rng.choices(POSTCODE_UNIT_LETTERS, k=2))
        if code not in used:
            used.add(code)
            return code


def house_number(rng: random.Random, street: str, used: set[tuple[str, int]]) -> int:
    top = 30 if street.endswith(("Square", "Place", "Hill", "Walk")) else 90
    while True:
        number = rng.randint(1, top)
        if (street, number) not in used:
            used.add((street, number))
            return number


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower().replace("é", "e")).strip("-")


def count_sentences(text: str) -> int:
    return len(split_sentences(text))


def split_sentences(text: str) -> list[str]:
    return [part.strip() for part in re.split(r"[.!?]", text) if part.strip()]


def load_centres(path: Path) -> dict[str, tuple[float, float]]:
    """Warwickshire place names from the gazetteer -> (latitude, longitude)."""
    if not path.exists():
        raise SystemExit(f"{path} not found: run python scripts/extract_gazetteer.py first")
    with path.open(encoding="utf-8", newline="") as handle:
        centres = {
            row["name"]: (float(row["latitude"]), float(row["longitude"]))
            for row in csv.DictReader(handle)
            if row["county"] == COUNTY
        }
    return {**HAND_ENTERED_CENTRES, **centres}


# ---------------------------------------------------------------------- generation


def make_rows(centres: dict[str, tuple[float, float]]) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    for town in TOWNS:
        if town.gazetteer not in centres:
            raise SystemExit(f"{town.gazetteer} is not in the gazetteer")
        centre = centres[town.gazetteer]
        rng = random.Random(f"{SEED}:{town.name}")  # one stream per town
        anchors: dict[str, tuple[float, float]] = {}
        placed: list[tuple[float, float]] = []
        used_numbers: set[tuple[str, int]] = set()
        used_postcodes: set[str] = set()
        for venue in town.venues:
            point = place_venue(rng, town, venue, centre, anchors, placed)
            placed.append(point)
            address = venue.address or "{n} " + venue.street
            if "{n}" in address:
                address = address.format(n=house_number(rng, venue.street, used_numbers))
            weights = ACCESS[venue.category]
            access = {
                column: override
                if override is not None
                else rng.choices(list(weights[i]), list(weights[i].values()))[0]
                for i, (column, override) in enumerate(
                    (
                        ("step_free", venue.step_free),
                        ("accessible_toilet", venue.accessible_toilet),
                        ("quiet_space", venue.quiet_space),
                    )
                )
            }
            hours = venue.hours if venue.hours is not None else rng.choice(HOURS[venue.category])
            website = f"https://example.org/{slug(town.name)}/{slug(venue.name)}"
            rows.append(
                {
                    "ref": f"SAMPLE-{len(rows) + 1:04d}",
                    "name": venue.name,
                    "category": venue.category,
                    "address": address,
                    "town": town.name,
                    "postcode": postcode(rng, town.streets[venue.street], used_postcodes),
                    "latitude": f"{point[0]:.6f}",
                    "longitude": f"{point[1]:.6f}",
                    "phone": "",
                    "website": website if venue.website else "",
                    "opening_hours": hours,
                    "easy_read": easy_read(venue, town, access, rng),
                    **access,
                    "photo": "",
                }
            )

    # Phone numbers: unique, from the drama range, about 10 % left empty.
    rng = random.Random(f"{SEED}:phones")
    numbers = rng.sample(range(1000), len(rows))
    no_phone = set(rng.sample(range(len(rows)), round(len(rows) * EMPTY_PHONE_SHARE)))
    for i, (row, number) in enumerate(zip(rows, numbers, strict=True)):
        row["phone"] = "" if i in no_phone else f"{PHONE_PREFIX}{number:03d}"
    return rows


# ------------------------------------------------------------------------- checks

BANNED_WORDS = re.compile(r"\b(venue|venues|scheme|schemes|gps)\b", re.IGNORECASE)
NUMBER_WORDS = re.compile(
    r"\b(zero|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty)\b",
    re.IGNORECASE,
)
ALL_CAPS = re.compile(r"\b[A-Z]{2,}\b")
POSTCODE_SHAPE = re.compile(r"^[A-Z]{1,2}[0-9]{1,2} [0-9][ABD-HJLNP-UW-Z]{2}$")
PHONE_SHAPE = re.compile(r"^01632 960[0-9]{3}$")


def check(rows: list[dict[str, str]]) -> list[str]:
    """Every broken rule in the generated rows (empty when all is well)."""
    problems = []
    seen: Counter[tuple[str, str]] = Counter()
    for row in rows:
        where = f"{row['ref']} {row['name']} ({row['town']})"
        seen[(row["town"], row["name"])] += 1
        if row["category"] not in CATEGORIES:
            problems.append(f"{where}: unknown category {row['category']}")
        if not POSTCODE_SHAPE.match(row["postcode"]):
            problems.append(f"{where}: bad postcode {row['postcode']}")
        if row["phone"] and not PHONE_SHAPE.match(row["phone"]):
            problems.append(f"{where}: phone {row['phone']} is not in the drama range")
        for column in ("step_free", "accessible_toilet", "quiet_space"):
            if row[column] not in ("yes", "no", ""):
                problems.append(f"{where}: {column} must be yes, no or empty")
        if row["opening_hours"]:
            try:
                parse_hours(row["opening_hours"])
            except HoursError as error:
                problems.append(f"{where}: opening_hours {row['opening_hours']!r}: {error}")
        text = row["easy_read"]
        sentences = split_sentences(text)
        if not 3 <= len(sentences) <= 5:
            problems.append(f"{where}: easy_read has {len(sentences)} sentences")
        for sentence in sentences:
            if len(sentence.split()) > MAX_SENTENCE_WORDS:
                problems.append(f"{where}: sentence too long: {sentence!r}")
        for pattern, what in (
            (BANNED_WORDS, "avoided word"),
            (NUMBER_WORDS, "number word"),
            (ALL_CAPS, "capitals"),
        ):
            if match := pattern.search(text):
                problems.append(f"{where}: easy_read has {what} {match.group()!r}")
    problems += [f"{name} appears {n} times in {town}" for (town, name), n in seen.items() if n > 1]
    for field in ("ref", "phone"):
        values = Counter(row[field] for row in rows if row[field])
        problems += [f"{field} {value} is used {n} times" for value, n in values.items() if n > 1]
    for town in {row["town"] for row in rows}:
        points = [
            (float(row["latitude"]), float(row["longitude"])) for row in rows if row["town"] == town
        ]
        for i, a in enumerate(points):
            for b in points[i + 1 :]:
                if distance_m(a, b) < MIN_SEPARATION_M:
                    problems.append(f"{town}: two venues are closer than {MIN_SEPARATION_M} m")
    return problems


def write_csv(rows: list[dict[str, str]], output: Path) -> None:
    output.parent.mkdir(parents=True, exist_ok=True)
    with output.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def print_summary(rows: list[dict[str, str]], centres: dict[str, tuple[float, float]]) -> None:
    towns = Counter(row["town"] for row in rows)
    categories = Counter(row["category"] for row in rows)
    gazetteer_names = {town.name: town.gazetteer for town in TOWNS}
    distances = [
        distance_m(
            centres[gazetteer_names[row["town"]]], (float(row["latitude"]), float(row["longitude"]))
        )
        for row in rows
    ]
    in_band = sum(150 <= d <= 900 for d in distances)
    print(f"{len(rows)} venues")
    print("by town: " + ", ".join(f"{town} {n}" for town, n in towns.items()))
    print("by category: " + ", ".join(f"{c} {n}" for c, n in categories.most_common()))
    print(f"empty opening_hours: {sum(not row['opening_hours'] for row in rows)}")
    print(f"empty phone: {sum(not row['phone'] for row in rows)}")
    print(f"within 150-900 m of the town centre: {in_band}")
    print("all opening hours parse; every easy-read sentence has at most 15 words")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--gazetteer", type=Path, default=GAZETTEER)
    args = parser.parse_args(argv)

    centres = load_centres(args.gazetteer)
    rows = make_rows(centres)
    problems = check(rows)
    if problems:
        print("\n".join(problems), file=sys.stderr)
        raise SystemExit(f"{len(problems)} problem(s); nothing was written")
    write_csv(rows, args.output)
    print_summary(rows, centres)
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
