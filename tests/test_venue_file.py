import io
import json

import pytest

from app.venues.venue_file import (
    COLUMNS,
    VenueFileError,
    geojson_feature_collection,
    is_phone_number,
    normalise_postcode,
    read_venue_file,
    text_problems,
    write_venue_file,
)
from tests.conftest import HEADER, venue_row


def errors_of(text: str | bytes) -> list[str]:
    with pytest.raises(VenueFileError) as caught:
        read_venue_file(text)
    return [str(error) for error in caught.value.errors]


def test_a_good_file_reads_into_typed_rows() -> None:
    rows = read_venue_file(HEADER + venue_row("A-1", 52.28, -1.58, postcode="cv34  4ab"))
    assert rows[0]["latitude"] == 52.28
    assert rows[0]["postcode"] == "CV34 4AB"
    assert rows[0]["step_free"] is True
    assert rows[0]["quiet_space"] is False
    assert rows[0]["accessible_toilet"] is None
    assert rows[0]["category"] == "shop"


def test_every_error_is_reported_with_its_line() -> None:
    text = (
        HEADER
        + venue_row("A-1", 52.28, -1.58)
        + venue_row("A-2", 95.0, -1.58)
        + venue_row("A-3", 52.28, -1.58, postcode="NOT A CODE")
        + venue_row("A-4", 52.28, -1.58, opening_hours="Mo-Fx 09:00-17:00")
        + venue_row("A-1", 52.28, -1.58)
        + venue_row("A-6", 52.28, -1.58, name="", category="pub", step_free="maybe")
    )
    assert errors_of(text) == [
        "line 3: latitude 95.0 is outside the UK (49.8 to 61.0). "
        "Check that latitude and longitude are not swapped.",
        "line 4: postcode 'NOT A CODE' is not a UK postcode, like CV34 4AB",
        "line 5: opening_hours is not in OpenStreetMap format near character 4. "
        '"Fx" is not a day, month or word we know. '
        "Write it like this: Mo-Fr 09:00-17:00; Sa 10:00-16:00",
        "line 6: ref A-1 is already used on line 2",
        "line 7: name is required",
        "line 7: category 'pub' is not one of: library, shop, cafe, pharmacy, community_centre, "
        "leisure_centre, council_office, bank, church, other",
        "line 7: step_free must be yes, no or empty",
    ]


def test_swapped_coordinates_are_caught() -> None:
    [message] = errors_of(HEADER + venue_row("A-1", -1.58, 52.28))[:1]
    assert "swapped" in message


def test_unknown_and_missing_columns_are_errors_not_dropped() -> None:
    text = "ref,name,address,town,postcode,latitude,colour\nA,B,C,D,CV1 1AA,52,red\n"
    assert errors_of(text) == [
        "line 1: required column longitude is missing",
        "line 1: unknown column 'colour'; allowed columns are: " + ", ".join(COLUMNS),
    ]


def test_rows_are_still_checked_when_the_header_has_an_unknown_column() -> None:
    header = HEADER.strip() + ",colour\n"
    row = venue_row("A-1", 52.28, -1.58, postcode="nope").strip() + ",red\n"
    assert errors_of(header + row) == [
        "line 1: unknown column 'colour'; allowed columns are: " + ", ".join(COLUMNS),
        "line 2: postcode 'nope' is not a UK postcode, like CV34 4AB",
    ]


def test_text_a_spreadsheet_would_run_is_refused() -> None:
    [message] = errors_of(HEADER + venue_row("A-1", 52.28, -1.58, name='=HYPERLINK("x")'))
    assert message == "line 2: name must not start with = (a spreadsheet would run it as a formula)"


def test_line_numbers_count_lines_inside_quoted_values() -> None:
    row = venue_row("A-1", 52.28, -1.58, easy_read="This is a shop.\nStaff can help you.")
    bad = venue_row("A-2", 52.28, 200.0)
    assert errors_of(HEADER + row + bad)[0].startswith("line 4: longitude 200.0")


def test_wrong_number_of_values() -> None:
    assert errors_of(HEADER + "A-1,Name\n") == ["line 2: has 2 values but the header has 16"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("", "line 1: the file is empty"),
        (HEADER, "line 2: the file has a header but no venues"),
        ("ref\xff".encode("latin-1"), "line 1: the file is not UTF-8 text (byte 4 of"),
        # Saved by a spreadsheet in Windows' own encoding: the line of the é is named.
        (
            (HEADER + venue_row("A-1", 52.28, -1.58, name="Caf\xe9")).encode("cp1252"),
            "line 2: the file is not UTF-8 text",
        ),
    ],
)
def test_empty_or_unreadable_files(data: str | bytes, message: str) -> None:
    assert errors_of(data)[0].startswith(message)


def test_a_byte_order_mark_is_accepted() -> None:
    rows = read_venue_file(("\ufeff" + HEADER + venue_row("A-1", 52.28, -1.58)).encode())
    assert rows[0]["ref"] == "A-1"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("CV34 4AB", "CV34 4AB"),
        ("cv344ab", "CV34 4AB"),
        ("B46 1AA", "B46 1AA"),
        ("EC1A 1BB", "EC1A 1BB"),
        ("CV34", None),
        ("12345", None),
    ],
)
def test_postcode_shapes(text: str, expected: str | None) -> None:
    assert normalise_postcode(text) == expected


def test_written_files_read_back_the_same() -> None:
    rows = read_venue_file(
        HEADER
        + venue_row("A-1", 52.28, -1.58, easy_read='Say "hello", then wait.\nStaff help.')
        + venue_row("A-2", 52.29, -1.59, step_free="", opening_hours="")
    )
    out = io.StringIO()
    write_venue_file(rows, out)
    assert read_venue_file(out.getvalue()) == rows


def test_written_files_keep_every_line_break_and_mark_formulas_as_text() -> None:
    rows = read_venue_file(
        HEADER
        + venue_row("A-1", 52.28, -1.58, easy_read="This is a shop.\rStaff help.\r\nAsk.")
        + venue_row("A-2", 52.29, -1.59, name="'t Hoekje", phone="+44 1632 960001")
    )
    out = io.StringIO()
    write_venue_file(rows, out)
    assert "\r\nA-2,''t Hoekje," in out.getvalue()
    assert ",'+44 1632 960001," in out.getvalue()
    assert read_venue_file(out.getvalue()) == rows


def test_geojson_puts_longitude_first() -> None:
    rows = read_venue_file(HEADER + venue_row("A-1", 52.28, -1.58))
    collection = geojson_feature_collection([{**rows[0], "id": 7}])
    feature = collection["features"][0]
    assert collection["type"] == "FeatureCollection"
    assert feature["geometry"] == {"type": "Point", "coordinates": [-1.58, 52.28]}
    assert feature["properties"]["ref"] == "A-1"
    assert "latitude" not in feature["properties"]
    json.dumps(collection)


def test_control_characters_are_refused() -> None:
    [message] = errors_of(HEADER + venue_row("A-1", 52.28, -1.58, name="Nul\x00Place"))
    assert message == "line 2: name holds a control character (like a NUL byte): remove it"


def test_text_problems_are_the_rows_rules_for_any_text() -> None:
    said = text_problems("note", "=1+1\x00\u202e")
    assert [(problem.field, problem.code) for problem in said] == [
        ("note", "control_character"),
        ("note", "direction_mark"),
        ("note", "formula"),
    ]
    assert said[1].message == (
        "note holds an invisible mark that changes the direction text is shown in "
        "(U+202E): remove it"
    )
    assert said[2].message == "note must not start with = (a spreadsheet would run it as a formula)"
    assert text_problems("note", " +44 1632", formulas=False) == []
    assert text_problems("note", "Closed on Monday") == []
    assert is_phone_number("+44 (0)1632 960001") and not is_phone_number("-1632-960001")


def test_reading_tells_which_line_it_has_reached() -> None:
    """Every record counts, blank and wrong ones too; a value with a line break
    makes its record 2 lines long."""
    text = (
        HEADER
        + venue_row("A-1", 52.28, -1.58)  # line 2
        + "\n"  # line 3
        + venue_row("A-2", 52.28, -1.58, address="1 High Street\nLeamington")  # lines 4-5
        + venue_row("A-3", 52.28, -1.58)  # line 6
        + venue_row("A-4", 52.28, -1.58)  # line 7
    )
    reached: list[int] = []
    read_venue_file(text, on_line=reached.append, every=2)
    assert reached == [4, 7]
    with pytest.raises(VenueFileError):
        read_venue_file(text + "a,b\n" + "\n" * 3, on_line=reached.append, every=1)
    assert reached[2:] == [3, 4, 6, 7, 8, 9, 10, 11]
