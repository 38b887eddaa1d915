"""Database tables and the API's model families."""

from app.models.catalogue_state import CatalogueState
from app.models.venue import Category, Venue

__all__ = ["CatalogueState", "Category", "Venue"]
