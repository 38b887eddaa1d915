"""The data that ships: honest, valid and easy read."""

import csv
import re

from app.venues.page import sentences
from app.venues.venue_file import read_venue_file
from tests.conftest import ROOT, SAMPLE_CSV

DATA = ROOT / "data"
TOWNS = {
    "Nuneaton", "Bedworth", "Rugby", "Warwick", "Leamington Spa", "Kenilworth",
    "Stratford-upon-Avon", "Atherstone", "Coleshill", "Alcester", "Southam", "Shipston-on-Stour",
}  # fmt: skip
# "one" is left out: "if you have one" is a pronoun, not a number.
NUMBER_WORDS = re.compile(r"\b(two|three|four|five|six|seven|eight|nine|ten)\b", re.I)


def sample_rows() -> list[dict]:
    return read_venue_file(SAMPLE_CSV.read_bytes())


def test_the_sample_is_valid_and_plainly_labelled() -> None:
    rows = sample_rows()
    assert 60 <= len(rows) <= 120
    assert all(row["ref"].startswith("SAMPLE-") for row in rows)
    assert {row["town"] for row in rows} >= TOWNS
    readme = (DATA / "README.md").read_text()
    assert "sample" in readme.lower()
    assert "not a list of real Safe Places" in readme


def test_sample_phone_numbers_reach_no_real_line() -> None:
    phones = [row["phone"] for row in sample_rows() if row["phone"]]
    assert phones
    assert all(re.fullmatch(r"01632 960\d{3}", phone) for phone in phones)


def test_sample_text_is_easy_read() -> None:
    for row in sample_rows():
        assert row["easy_read"], row["ref"]
        for sentence in sentences(row["easy_read"]):
            assert len(sentence.split()) <= 15, sentence
            assert not NUMBER_WORDS.search(sentence), sentence


def test_sample_hours_include_the_hard_cases() -> None:
    hours = [row["opening_hours"] for row in sample_rows()]
    assert None in hours  # unknown
    assert "24/7" in hours
    assert any(re.search(r"-0[1-4]:\d\d", text or "") for text in hours)  # past midnight


def test_the_gazetteer_is_gb_places_with_attribution() -> None:
    with (DATA / "gb_places.csv").open(encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    assert len(rows) > 3000
    assert {row["country"] for row in rows} == {"England", "Scotland", "Wales", "Northern Ireland"}
    assert "GeoNames" in (DATA / "README.md").read_text()
    assert "CC BY 4.0" in (DATA / "README.md").read_text()
