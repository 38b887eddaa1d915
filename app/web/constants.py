"""js/constants.js: the values the web app shares with the server, written from Python.

The browser needs some of the server's rules as values: the kinds of place and
their words, the field limits, the photo and closure limits, how far and how
fast a walk is, the built-in help numbers. `constants_module` writes them, from
their one definition in Python, as the text of an ES module; app/web/assets.py
serves it as /js/constants.js (hashed, gzipped and kept offline like the files
beside it), so no JS file holds a copy that could drift. tests/test_web_constants.py
checks the module against the Python values, and that no JS file copies one.

Not a settings endpoint: only values fixed in code. A council's own help
numbers come from GET /api/help; who may change which field comes from
GET /api/me (`editable_fields`, app/permissions.py).
"""

import json
from typing import Any

from pydantic import BaseModel

from app.config import DEFAULT_HELP_CONTACTS, DEFAULT_NO_VOICE_CONTACTS
from app.easy_read.rules import MAX_WORDS
from app.gazetteer.place_names import IN_PLACE_M
from app.hours.words import DAY_NAMES
from app.models.account import PasswordChange
from app.models.scheme import (
    PROBLEM_KIND_WORDS,
    PROBLEM_STATUS_WORDS,
    VISIT_OUTCOME_WORDS,
    VISIT_REASON_WORDS,
    ProblemReport,
)
from app.models.venue import CATEGORY_WORDS
from app.venues import geo
from app.venues.edits import CHECK_EVERY_MONTHS, MAX_CLOSURE_DAYS, RESTORABLE
from app.venues.photo_checks import MAX_BYTES
from app.venues.venue_file import MAX_LENGTHS, REQUIRED_COLUMNS

HEADER = """\
// Made by the server from its Python definitions (app/web/constants.py): not a file
// to edit. Each value is named as in Python, or says which Python value it is.
"""
# Frozen, so no screen can change a value another screen reads.
FREEZE = """\
const frozen = (value) => {
  if (value && typeof value === "object") Object.values(value).forEach(frozen);
  return Object.freeze(value);
};
"""


def min_length(model: type[BaseModel], name: str) -> int:
    """A field's `min_length`, as its pydantic `Field(min_length=…)` says."""
    return next(
        rule.min_length for rule in model.model_fields[name].metadata if hasattr(rule, "min_length")
    )


def max_length(model: type[BaseModel], name: str) -> int:
    """A field's `max_length`, as its `Field(max_length=…)` says."""
    return next(
        rule.max_length for rule in model.model_fields[name].metadata if hasattr(rule, "max_length")
    )


def browser_constants() -> dict[str, Any]:
    """Every value the browser takes from Python, by the name the JS imports."""
    return {
        # app/models/venue.py: the kinds of place, in the order a form offers them.
        "CATEGORY_WORDS": {category.value: words for category, words in CATEGORY_WORDS.items()},
        # app/models/scheme.py: a visit's two taps, why they came and what staff did.
        "VISIT_REASON_WORDS": {reason.value: words for reason, words in VISIT_REASON_WORDS.items()},
        "VISIT_OUTCOME_WORDS": {each.value: words for each, words in VISIT_OUTCOME_WORDS.items()},
        # app/models/scheme.py: "Something is wrong", what and where it is, and how long
        # the person's note and contact and the officer's note may be (ProblemReport).
        "PROBLEM_KIND_WORDS": {kind.value: words for kind, words in PROBLEM_KIND_WORDS.items()},
        "PROBLEM_STATUS_WORDS": {
            status.value: words for status, words in PROBLEM_STATUS_WORDS.items()
        },
        "NOTE_MAX": max_length(ProblemReport, "note"),
        "CONTACT_MAX": max_length(ProblemReport, "contact"),
        "OFFICER_NOTE_MAX": max_length(ProblemReport, "officer_note"),
        # app/venues/venue_file.py: what every venue has, and each text field's limit.
        "REQUIRED_COLUMNS": list(REQUIRED_COLUMNS),
        "MAX_LENGTHS": dict(sorted(MAX_LENGTHS.items())),
        # app/venues/edits.py: what the history can put back; how long a closure may be.
        "RESTORABLE": sorted(RESTORABLE),
        "MAX_CLOSURE_DAYS": MAX_CLOSURE_DAYS,
        "CHECK_EVERY_MONTHS": CHECK_EVERY_MONTHS,
        # app/venues/photo_checks.py MAX_BYTES.
        "MAX_PHOTO_BYTES": MAX_BYTES,
        # app/venues/geo.py: a walk, for the saved list with no signal.
        "WALKING_METRES_PER_MINUTE": geo.WALKING_METRES_PER_MINUTE,
        "ROUTE_FACTOR": geo.ROUTE_FACTOR,
        "MAX_WALK_M": geo.MAX_WALK_M,
        "NEARBY_MINUTES": geo.NEARBY_MINUTES,
        "HERE_M": geo.HERE_M,
        # app/gazetteer/place_names.py: a postcode this near a town's centre is in it.
        "IN_PLACE_M": IN_PLACE_M,
        "COMPASS_POINTS": list(geo.COMPASS_POINTS),
        # app/hours/words.py: the days, Monday first, as opening times name them.
        "DAY_NAMES": list(DAY_NAMES),
        # app/easy_read/rules.py MAX_WORDS: the longest easy-read sentence.
        "EASY_READ_MAX_WORDS": MAX_WORDS,
        # app/models/account.py PasswordChange.new_password.
        "MIN_PASSWORD_LENGTH": min_length(PasswordChange, "new_password"),
        # app/config.py: the numbers a phone calls before /api/help has answered.
        "DEFAULT_HELP_CONTACTS": [contact.model_dump() for contact in DEFAULT_HELP_CONTACTS],
        # app/config.py: help without a voice call (999 BSL, Relay UK), the same way.
        "DEFAULT_NO_VOICE_CONTACTS": [
            contact.model_dump() for contact in DEFAULT_NO_VOICE_CONTACTS
        ],
    }


def constants_module() -> str:
    """The text of js/constants.js: one `export const` a line, lists and objects frozen."""
    lines = []
    for name, value in browser_constants().items():
        text = json.dumps(value, ensure_ascii=False)
        if isinstance(value, dict | list):
            text = f"frozen({text})"
        lines.append(f"export const {name} = {text};")
    return HEADER + FREEZE + "\n".join(lines) + "\n"
