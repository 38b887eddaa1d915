"""Settings, read from the environment (prefix SAFE_PLACES_)."""

import secrets
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, BaseModel, Field, IPvAnyNetwork, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class HelpContact(BaseModel):
    """A number a person can call, with when to call it, in easy read."""

    name: str
    number: str
    when: str


DEFAULT_HELP_CONTACTS = [
    HelpContact(name="Police, emergency", number="999", when="Call 999 if you are in danger now."),
    HelpContact(
        name="Police, not an emergency",
        number="101",
        when="Call 101 to tell the police about something that has happened.",
    ),
    HelpContact(
        name="Crimestoppers",
        number="0800 555 111",
        when="Call Crimestoppers if you do not want to give your name.",
    ),
]


class NoVoiceContact(BaseModel):
    """Help for a person who cannot hear or speak on the phone: a text or sign-language
    service, when and how to use it (easy read), and a link that opens it."""

    name: str
    when: str
    # An app or website (https://), a text message (sms:) or a textphone number (tel:):
    # never a javascript: or data: link, since the pages turn it into a button.
    link: str = Field(pattern=r"^(https://|sms:|tel:)[^\s]+$")
    link_words: str


# The UK-wide services (FIELD_NOTES.md section 4; Ofcom, BT): 999 BSL is a free video
# relay to a sign language interpreter, needing no registration; Relay UK relays a
# typed call, 18000 for 999 and 18001 before any other number. A council adds its
# police force's own 101 by BSL video or by text (SAFE_PLACES_NO_VOICE_CONTACTS).
DEFAULT_NO_VOICE_CONTACTS = [
    NoVoiceContact(
        name="999 in sign language (BSL)",
        when="In danger now? Open 999 BSL. An interpreter calls 999 for you.",
        link="https://www.999bsl.co.uk/",
        link_words="Open 999 BSL",
    ),
    NoVoiceContact(
        name="999 by text (Relay UK)",
        when="In danger now? Open the Relay UK app. Type 18000.",
        link="https://www.relayuk.bt.com/",
        link_words="Get the Relay UK app",
    ),
    NoVoiceContact(
        name="101 by text (Relay UK)",
        when="Not an emergency? Open the Relay UK app. Type 18001 101.",
        link="https://www.relayuk.bt.com/",
        link_words="Get the Relay UK app",
    ),
]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SAFE_PLACES_", extra="ignore")

    environment: Literal["development", "production"] = "development"
    database_url: str = "sqlite:///var/safe_places.db"
    data_csv: Path = Path("data/safe_places.csv")
    gazetteer_csv: Path = Path("data/gb_places.csv")
    # Empty means "generate one per run", which is only allowed in development.
    secret_key: str = ""
    help_contacts: list[HelpContact] = Field(default_factory=lambda: list(DEFAULT_HELP_CONTACTS))
    # Help without a voice call, as a JSON list like DEFAULT_NO_VOICE_CONTACTS: a
    # council lists the UK-wide services and its own (101 by BSL video or by text).
    no_voice_contacts: list[NoVoiceContact] = Field(
        default_factory=lambda: list(DEFAULT_NO_VOICE_CONTACTS)
    )
    # How often (seconds) a server checks the shared database for venue changes
    # made by another instance or by the command line.
    refresh_seconds: float = Field(default=1.0, gt=0, le=60)
    # Online geocoding of full postcodes is off by default: it sends what a person
    # typed to a third party. "nominatim" turns it on.
    geocoder: Literal["", "nominatim"] = ""
    geocoder_domain: str = "nominatim.openstreetmap.org"
    geocoder_scheme: Literal["http", "https"] = "https"
    geocoder_user_agent: str = "safe-places"
    # The scheme's area as people name it ("Warwickshire"), for "This app shows Safe
    # Places in Warwickshire." Where the area is follows from the venues
    # (app/gazetteer/scheme_area.py). Empty: "This app shows Safe Places in one area only."
    area_name: str = Field(default="", max_length=60, pattern=r"^[^\r\n]*$")
    # Hosts a venue's photo may be an https:// address at, as a JSON list, like
    # ["photos.council.example"]. Empty: only photos put up here, since a picture
    # from elsewhere tells its host who opened the page.
    photo_hosts: list[str] = Field(default_factory=list)
    host: str = Field(
        default="127.0.0.1", validation_alias=AliasChoices("HOST", "SAFE_PLACES_HOST")
    )
    port: int = Field(default=8000, validation_alias=AliasChoices("PORT", "SAFE_PLACES_PORT"))
    workers: int = Field(default=1, ge=1, le=64)
    # The host names this service answers to in production, as a JSON list, like
    # ["safeplaces.council.example"] (or ["*"] for any): other Host headers get 400.
    # localhost, 127.0.0.1, ::1 and HOST are always answered.
    allowed_hosts: list[str] = Field(default_factory=list)
    # The reverse proxies in front of the servers, as a JSON list of addresses or
    # networks, like ["10.0.0.0/8"]. Only a request from one of them may say, in
    # X-Forwarded-For, whose request it passes on (the sign-in limits count by
    # address). Empty: trust none, so every address is the connection's own.
    trusted_proxies: list[IPvAnyNetwork] = Field(default_factory=list)
    # A venue joins the scheme only with at least this many trained staff (issue 12).
    min_trained_staff: int = Field(default=2, ge=0, le=100)
    # Venue staff are asked to say their listing is still right this often (issue 12).
    confirm_every_months: int = Field(default=3, ge=1, le=24)

    @model_validator(mode="after")
    def _secret_key_outside_development(self) -> "Settings":
        if not self.secret_key:
            if self.environment != "development":
                raise ValueError("SAFE_PLACES_SECRET_KEY must be set outside development.")
            self.secret_key = secrets.token_urlsafe(32)
        elif self.environment != "development" and len(self.secret_key) < 32:
            raise ValueError("SAFE_PLACES_SECRET_KEY must be a random value of 32+ characters.")
        return self


@lru_cache
def get_settings() -> Settings:
    return Settings()
