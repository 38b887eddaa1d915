"""Who to call: the numbers every screen offers, and help without a voice call, set per
deployment (SAFE_PLACES_HELP_CONTACTS, SAFE_PLACES_NO_VOICE_CONTACTS)."""

from fastapi import APIRouter
from pydantic import BaseModel

from app.config import HelpContact, NoVoiceContact
from app.deps import SettingsDep

router = APIRouter(prefix="/api/help", tags=["help"])


class HelpContacts(BaseModel):
    contacts: list[HelpContact]
    no_voice_contacts: list[NoVoiceContact]


@router.get("", response_model=HelpContacts)
def help_contacts(settings: SettingsDep) -> HelpContacts:
    """Emergency and help numbers (999, 101 and Crimestoppers unless set otherwise), and
    help for people who cannot hear or speak on the phone (999 BSL and Relay UK)."""
    return HelpContacts(
        contacts=settings.help_contacts, no_voice_contacts=settings.no_voice_contacts
    )
