"""Who to call: the numbers every screen offers, set per deployment."""

from fastapi import APIRouter
from pydantic import BaseModel

from app.config import HelpContact
from app.deps import SettingsDep

router = APIRouter(prefix="/api/help", tags=["help"])


class HelpContacts(BaseModel):
    contacts: list[HelpContact]


@router.get("", response_model=HelpContacts)
def help_contacts(settings: SettingsDep) -> HelpContacts:
    """Emergency and help numbers: 999, 101 and Crimestoppers unless set otherwise."""
    return HelpContacts(contacts=settings.help_contacts)
