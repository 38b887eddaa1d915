"""Database tables and the API's model families."""

from app.models.account import Account, AccountVenue, Role
from app.models.catalogue_state import CatalogueState
from app.models.history import VenueChange
from app.models.photo import Photo
from app.models.scheme import (
    Application,
    ProblemReport,
    PublicPost,
    VenueVetting,
    Visit,
)
from app.models.sign_in_attempt import SignInAttempt
from app.models.venue import Category, Venue

__all__ = [
    "Account",
    "AccountVenue",
    "Application",
    "CatalogueState",
    "Category",
    "Photo",
    "ProblemReport",
    "PublicPost",
    "Role",
    "SignInAttempt",
    "Venue",
    "VenueChange",
    "VenueVetting",
    "Visit",
]
