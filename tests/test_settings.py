import pytest
from pydantic import ValidationError

from app.config import Settings


def test_development_generates_a_secret_per_run() -> None:
    first, second = Settings(), Settings()
    assert len(first.secret_key) >= 32
    assert first.secret_key != second.secret_key


def test_production_refuses_a_missing_or_weak_secret() -> None:
    with pytest.raises(ValidationError, match="SAFE_PLACES_SECRET_KEY must be set"):
        Settings(environment="production")
    with pytest.raises(ValidationError, match="32"):
        Settings(environment="production", secret_key="changethis")
    strong = "x" * 40
    assert Settings(environment="production", secret_key=strong).secret_key == strong


def test_host_and_port_come_from_the_plain_variables(monkeypatch) -> None:
    monkeypatch.setenv("HOST", "0.0.0.0")
    monkeypatch.setenv("PORT", "9000")
    settings = Settings()
    assert (settings.host, settings.port) == ("0.0.0.0", 9000)
