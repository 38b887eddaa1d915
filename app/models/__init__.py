"""Database tables and the API's model families."""

from app.models.account import Account, AccountVenue, Role
from app.models.catalogue_state import CatalogueState
from app.models.history import VenueChange
from app.models.photo import Photo
from app.models.venue import Category, Venue

__all__ = [
    "Account",
    "AccountVenue",
    "CatalogueState",
    "Category",
    "Photo",
    "Role",
    "Venue",
    "VenueChange",
]
