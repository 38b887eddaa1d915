import json

from fastapi.testclient import TestClient

from app.config import Settings


def test_default_numbers(client: TestClient) -> None:
    contacts = client.get("/api/help").json()["contacts"]
    assert [contact["number"] for contact in contacts] == ["999", "101", "0800 555 111"]
    for contact in contacts:
        assert len(contact["when"].split()) <= 15


def test_each_deployment_can_set_its_own(engine, make_client) -> None:
    own = [{"name": "Warwickshire Safe Places", "number": "01632 960000", "when": "Call us."}]
    client = make_client(
        help_contacts=Settings.model_validate({"help_contacts": own}).help_contacts
    )
    assert client.get("/api/help").json()["contacts"] == own


def test_contacts_are_read_from_the_environment(monkeypatch) -> None:
    own = [{"name": "Police", "number": "999", "when": "In danger now."}]
    monkeypatch.setenv("SAFE_PLACES_HELP_CONTACTS", json.dumps(own))
    assert [contact.model_dump() for contact in Settings().help_contacts] == own


def test_healthz(client: TestClient) -> None:
    body = client.get("/healthz").json()
    assert body["status"] == "ok"
    assert body["venues"] > 60
