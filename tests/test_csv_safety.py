"""Every CSV the service writes is safe in a spreadsheet and reads back unchanged;
every broken file gets a plain refusal (422, exit 1), never a 500 or a traceback;
and the edges of input: numbers with "_", refs differing only in case, and
marks that turn text around."""

import csv
import io
import re
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, update
from sqlmodel import Session, select
from typer.testing import CliRunner, Result

from app import config
from app.cli import cli
from app.models import Venue
from app.venues.venue_file import (
    COLUMNS,
    VenueFileError,
    mark_as_text,
    read_venue_file,
    unmark_text,
    write_venue_file,
)
from tests.conftest import HEADER, load, venue_row
from tests.people import add_account, cheap_hashing, token_headers, venue_ids  # noqa: F401
from tests.servers import safe_places

pytestmark = pytest.mark.usefixtures("cheap_hashing")
CSV = {"Content-Type": "text/csv"}
GOOD = HEADER + venue_row("A-1", 52.28, -1.58) + venue_row("B-1", 52.29, -1.59)
# Written into the database by another road (an older version, a database tool).
HOSTILE = {
    "name": '=HYPERLINK("http://x","y")',
    "address": "+cmd|' /C calc'!A0",
    "town": "@Warwick",
    "phone": "+44 1632 960001",
}
NUMBER = re.compile(r"[+-]?[0-9]*\.?[0-9]+([eE][+-]?[0-9]+)?")


def spreadsheet_safe(cell: str) -> bool:
    """OWASP: no cell starts with = + - @ tab or CR (after spaces), unless it is a number."""
    return cell.lstrip(" ")[:1] not in ("=", "+", "-", "@", "\t", "\r") or bool(
        NUMBER.fullmatch(cell)
    )


def cells_of(body: bytes | str) -> list[list[str]]:
    text = body.decode() if isinstance(body, bytes) else body
    return list(csv.reader(io.StringIO(text, newline="")))


# --- the mark and its undoing -----------------------------------------------------


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-1632-960001", "'-1632-960001"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        (" =1+1", "' =1+1"),
        ("\uff1d1+1", "'\uff1d1+1"),  # a full-width =
        ("+44 1632 960001", "'+44 1632 960001"),
        ("-1.58", "-1.58"),  # plain numbers stay numbers
        ("+52.28", "+52.28"),
        ("1e-05", "1e-05"),
        ("'t Hoekje", "''t Hoekje"),  # a value that really starts with '
        ("'", "''"),
        ("''", "'''"),
        ("'=x", "''=x"),
        ("Plain text", "Plain text"),
        ("01632 960001", "01632 960001"),
        ("", ""),
    ],
)
def test_cells_a_spreadsheet_could_run_are_marked_as_text(value: str, cell: str) -> None:
    assert mark_as_text(value) == cell
    assert spreadsheet_safe(cell)
    assert unmark_text(cell) == value


@pytest.mark.parametrize("cell", ["'t Hoekje", "'-1.58", "'", "'plain", "' x"])
def test_a_quote_written_by_hand_is_kept(cell: str) -> None:
    """Only a mark the writer would have made is taken off."""
    assert unmark_text(cell) == cell


@given(st.text())
def test_marking_is_undone_exactly_and_always_safe(value: str) -> None:
    assert unmark_text(mark_as_text(value)) == value
    assert spreadsheet_safe(mark_as_text(value))


@given(st.lists(st.text(), min_size=len(COLUMNS), max_size=len(COLUMNS)))
def test_every_written_cell_reads_back_as_it_was(values: list[str]) -> None:
    venue = dict(zip(COLUMNS, values, strict=True))
    venue["photo"] = ""  # a photo address is judged, not copied (tests/test_photos.py)
    out = io.StringIO()
    write_venue_file([venue], out)
    _header, row = cells_of(out.getvalue())
    assert all(spreadsheet_safe(cell) for cell in row)
    assert [unmark_text(cell) for cell in row] == [venue[name] for name in COLUMNS]


def test_a_file_with_marked_cells_reads_as_the_values() -> None:
    rows = read_venue_file(
        HEADER + venue_row("A-1", 52.28, -1.58, name="''t Hoekje", phone="'+44 1632 960001")
    )
    assert (rows[0]["name"], rows[0]["phone"]) == ("'t Hoekje", "+44 1632 960001")


# --- the export of rows stored by other roads -------------------------------------


def stored(engine: Engine) -> dict[str, dict]:
    with Session(engine) as session:
        return {
            venue.ref: {name: getattr(venue, name) for name in (*COLUMNS, "version")}
            for venue in session.exec(select(Venue))
        }


@pytest.fixture
def officer(engine: Engine, make_client):
    load(engine, GOOD + venue_row("C-1", 52.27, -1.57, name="'t Hoekje"))
    with engine.begin() as connection:
        connection.execute(update(Venue).where(Venue.ref == "A-1").values(**HOSTILE))
    client = make_client()
    add_account(engine, "officer@example.org", "officer")
    return client, {**token_headers(client, "officer@example.org"), **CSV}


def test_the_export_is_safe_in_a_spreadsheet_and_imports_back_unchanged(
    officer, engine: Engine
) -> None:
    client, headers = officer
    before = stored(engine)
    export = client.get("/api/venues/export", headers=headers)
    rows = cells_of(export.content)
    assert all(spreadsheet_safe(cell) for row in rows for cell in row)
    a = dict(zip(rows[0], rows[1], strict=True))
    assert a["name"] == '\'=HYPERLINK("http://x","y")'
    assert a["address"] == "'+cmd|' /C calc'!A0"
    assert a["phone"] == "'+44 1632 960001"
    assert a["longitude"] == "-1.58"  # a number, left as a number
    assert dict(zip(rows[0], rows[3], strict=True))["name"] == "''t Hoekje"

    again = client.post("/api/venues/import", content=export.content, headers=headers)
    assert again.status_code == 200, again.text
    assert (again.json()["updated"], again.json()["unchanged"]) == (0, 3)
    assert stored(engine) == before


def test_new_text_a_spreadsheet_would_run_is_still_refused(officer) -> None:
    """A value left as stored passes; a new one does not, marked as text or not."""
    client, headers = officer
    for name in ("=1+1", "'=1+1"):
        for ref in ("A-1", "D-1"):
            file = HEADER + venue_row(ref, 52.28, -1.58, name=name)
            response = client.post("/api/venues/import", content=file, headers=headers)
            assert response.status_code == 422
            assert (
                "name must not start with = (a spreadsheet would run it as a formula)"
                in (response.json()["message"])
            )


def test_the_command_line_export_imports_back_unchanged(
    officer, engine: Engine, database_url: str, tmp_path: Path
) -> None:
    exported = safe_places("export", database_url=database_url)
    assert all(spreadsheet_safe(cell) for row in cells_of(exported.stdout) for cell in row)
    file = tmp_path / "export.csv"
    file.write_text(exported.stdout)
    before = stored(engine)
    result = safe_places("import", str(file), database_url=database_url)
    assert result.returncode == 0, result.stderr
    assert "imported 0 new, 0 changed, 3 unchanged" in result.stdout
    assert stored(engine) == before


# --- broken files: a plain refusal, whichever road ---------------------------------

ROW = venue_row("A-1", 52.28, -1.58)
MALFORMED = [
    ("oversized-cell", HEADER + ROW.replace("Place A-1", "x" * 140_000), "131,072 characters"),
    ("unclosed-quote", GOOD + '"C-1,Place', "never closes"),
    ("text-after-quote", HEADER + '"A-1"x' + ROW[5:], "after its closing quote"),
    ("nul-in-value", HEADER + venue_row("A-1", 52.28, -1.58, name="a\x00b"), "control character"),
    ("utf-16-bom", GOOD.encode("utf-16"), "not UTF-8"),
    ("utf-16-no-bom", GOOD.encode("utf-16-le"), "not UTF-8"),
    ("latin-1", GOOD.replace("Place", "Caf\xe9").encode("latin-1"), "not UTF-8"),
    ("binary", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "not UTF-8"),
    ("empty", b"", "the file is empty"),
    ("only-a-bom", b"\xef\xbb\xbf", "the file is empty"),
    ("blank-lines", b"\n\n  \n", "the file is empty"),
    ("header-only", HEADER, "header but no venues"),
    ("duplicate-header", HEADER.strip() + ",name\n" + ROW.strip() + ",x\n", "more than once"),
    ("many-lines", GOOD + "\n" * 100_001, "more than 100,000 rows"),
    ("many-problems", HEADER + "x\n" * 50_000, "stopped after 100 problems"),
    ("many-columns", ",".join(f"c{i}" for i in range(50_000)) + "\n", "unknown column 'c0'"),
    ("two-boms", b"\xef\xbb\xbf" + b"\xef\xbb\xbf" + GOOD.encode(), "unknown column '\\ufeffref'"),
]
ACCEPTED = [
    ("bom", b"\xef\xbb\xbf" + GOOD.encode()),
    ("crlf", GOOD.replace("\n", "\r\n")),
    ("cr", GOOD.replace("\n", "\r")),
    ("no-final-newline", GOOD.rstrip("\n")),
]


@pytest.mark.parametrize(
    ("data", "words"), [case[1:] for case in MALFORMED], ids=[case[0] for case in MALFORMED]
)
def test_a_broken_file_is_a_plain_422(officer, data: str | bytes, words: str) -> None:
    client, headers = officer
    response = client.post("/api/venues/import", content=data, headers=headers)
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["message"].startswith("Nothing was imported.")
    assert any(words in said for said in [body["message"], *(p["message"] for p in body["detail"])])


@pytest.mark.parametrize("data", [case[1] for case in ACCEPTED], ids=[case[0] for case in ACCEPTED])
def test_line_endings_and_a_byte_order_mark_are_read(data: str | bytes) -> None:
    assert [row["ref"] for row in read_venue_file(data)] == ["A-1", "B-1"]


@pytest.fixture
def import_command(engine: Engine, database_url: str, monkeypatch: pytest.MonkeyPatch):
    """import_command(data) -> `safe-places import --dry-run` run in this process."""
    monkeypatch.setenv("SAFE_PLACES_DATABASE_URL", database_url)
    config.get_settings.cache_clear()
    folder = Path(tempfile.mkdtemp())

    def run(data: str | bytes) -> Result:
        file = folder / "venues.csv"
        file.write_bytes(data.encode() if isinstance(data, str) else data)
        return CliRunner().invoke(cli, ["import", str(file), "--dry-run"])

    yield run
    config.get_settings.cache_clear()
    shutil.rmtree(folder)


@pytest.mark.parametrize(
    ("data", "words"), [case[1:] for case in MALFORMED], ids=[case[0] for case in MALFORMED]
)
def test_a_broken_file_is_exit_1_from_the_command_line(import_command, data, words) -> None:
    result = import_command(data)
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)
    assert "nothing was imported, because:" in result.stderr
    assert words in result.stderr


def test_a_cell_over_the_csv_limit_is_no_traceback(tmp_path: Path) -> None:
    """The installed command, as an officer runs it (it once printed _csv.Error)."""
    file = tmp_path / "venues.csv"
    file.write_text(MALFORMED[0][1])
    result = safe_places(
        "import", str(file), "--dry-run", database_url=f"sqlite:///{tmp_path}/none.db"
    )
    assert result.returncode == 1
    assert "line 2: a value is longer than 131,072 characters" in result.stderr
    assert "Traceback" not in result.stderr


@st.composite
def mangled_files(draw: st.DrawFn) -> bytes:
    """A good venue file broken a few ways at random, as a spreadsheet or a cut and paste may."""
    data = bytearray(draw(st.sampled_from([GOOD.encode(), b"\xef\xbb\xbf" + GOOD.encode()])))
    pieces = st.sampled_from(
        [b'"', b",", b"\n", b"\r", b"\r\n", b"\x00", b"\xef\xbb\xbf", b"\xff\xfe", b"\xff",
         b"'", b"=", b"-", b"_", b"\xe2\x80\xae", b"x" * 140_000, b"\n" * 2_000,
         HEADER.encode(), ROW.encode()]
    )  # fmt: skip
    for _ in range(draw(st.integers(1, 5))):
        at = draw(st.integers(0, len(data)))
        change = draw(st.sampled_from(["insert", "delete", "cut"]))
        if change == "insert":
            data[at:at] = draw(pieces)
        elif change == "delete":
            del data[at : at + draw(st.integers(1, 20))]
        else:
            del data[at:]
    return bytes(data)


FILES = st.one_of(mangled_files(), st.binary(max_size=400))


@settings(max_examples=300, deadline=None)
@given(FILES)
def test_reading_any_file_gives_rows_or_a_refusal(data: bytes) -> None:
    try:
        rows = read_venue_file(data)
    except VenueFileError as refused:
        assert refused.errors and all(error.message for error in refused.errors)
    else:
        assert rows


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=FILES, dry_run=st.booleans())
def test_importing_any_file_answers_200_or_422(officer, data: bytes, dry_run: bool) -> None:
    client, headers = officer
    response = client.post(f"/api/venues/import?dry_run={dry_run}", content=data, headers=headers)
    assert response.status_code in (200, 422), response.text
    assert response.json()["message"]


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=FILES)
def test_the_command_line_exits_0_or_1_on_any_file(import_command, data: bytes) -> None:
    result = import_command(data)
    assert result.exit_code in (0, 1), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


# --- the edges of input ------------------------------------------------------------


def test_a_number_with_an_underscore_is_not_a_number() -> None:
    """Python's float() reads "5_2.37" as 52.37: a slip of the finger, not a place."""
    for latitude, longitude in (("5_2.37", "-1.58"), ("52.28", "-1_.58"), ("52.28", "nan")):
        with pytest.raises(VenueFileError) as refused:
            read_venue_file(HEADER + venue_row("A-1", latitude, longitude))
        assert "must be a number, like 52.2823" in str(refused.value.errors[0])


@pytest.fixture
def editor(engine: Engine, make_client):
    load(engine, GOOD)
    client = make_client()
    add_account(engine, "officer@example.org", "officer")
    (a,) = venue_ids(engine, "A-1")
    headers = token_headers(client, "officer@example.org")
    return client, a, headers


def patch(client, venue_id: int, headers: dict[str, str], body: dict):
    etag = client.get(f"/api/venues/{venue_id}/listing", headers=headers).headers["etag"]
    return client.patch(f"/api/venues/{venue_id}", headers={**headers, "If-Match": etag}, json=body)


def new_venue(**fields: object) -> dict[str, object]:
    return {
        "ref": "N-1",
        "name": "New Place",
        "address": "2 High Street",
        "town": "Warwick",
        "postcode": "CV34 4AB",
        "latitude": 52.28,
        "longitude": -1.58,
        **fields,
    }


def test_json_numbers_with_an_underscore_are_refused(editor) -> None:
    client, a, headers = editor
    response = patch(client, a, headers, {"latitude": "5_2.37"})
    assert response.status_code == 422
    assert response.json()["message"].startswith("latitude must be a number.")
    created = client.post("/api/venues", headers=headers, json=new_venue(longitude="-1_.58"))
    assert created.status_code == 422
    assert patch(client, a, headers, {"latitude": "52.30"}).status_code == 200


def test_refs_differing_only_in_case_are_one_venue(editor) -> None:
    client, a, headers = editor
    file = HEADER + venue_row("a-1", 52.28, -1.58)
    imported = client.post("/api/venues/import", content=file, headers={**headers, **CSV})
    assert imported.status_code == 422
    assert "line 2: ref a-1 is already used by A-1" in imported.json()["message"]

    created = client.post("/api/venues", headers=headers, json=new_venue(ref="b-1"))
    assert created.status_code == 409
    assert patch(client, a, headers, {"ref": "B-1"}).status_code == 409
    assert patch(client, a, headers, {"ref": "b-1"}).status_code == 409
    renamed = patch(client, a, headers, {"ref": "a-1"})  # its own ref, in another case
    assert renamed.status_code == 200 and renamed.json()["ref"] == "a-1"


def test_refs_differing_only_in_case_in_one_file() -> None:
    with pytest.raises(VenueFileError) as refused:
        read_venue_file(HEADER + venue_row("A-1", 52.28, -1.58) + venue_row("a-1", 52.28, -1.58))
    assert [str(error) for error in refused.value.errors] == [
        "line 3: ref a-1 is already used on line 2 as A-1 (case does not make refs differ)"
    ]


BIDI_MARKS = ["\u202e", "\u202a", "\u2066", "\u2069", "\u200e", "\u200f", "\u061c"]


@pytest.mark.parametrize("mark", BIDI_MARKS, ids=[f"U+{ord(m):04X}" for m in BIDI_MARKS])
@pytest.mark.parametrize(
    "column", ["ref", "name", "address", "town", "easy_read", "phone", "website", "opening_hours"]
)
def test_marks_that_turn_text_around_are_refused_in_every_text_column(
    column: str, mark: str
) -> None:
    value = {
        "ref": "A-1",
        "name": "The Shop",
        "address": "1 High Street",
        "town": "Warwick",
        "easy_read": "This is a shop.",
        "phone": "01632 960001",
        "website": "https://example.org",
        "opening_hours": "Mo-Fr 09:00-17:00",
    }[column]
    changed = value[:2] + mark + value[2:]
    row = (
        venue_row(changed, 52.28, -1.58)
        if column == "ref"
        else venue_row("A-1", 52.28, -1.58, **{column: changed})
    )
    with pytest.raises(VenueFileError) as refused:
        read_venue_file(HEADER + row)
    messages = [str(error) for error in refused.value.errors]
    expected = (
        f"line 2: {column} holds an invisible mark that changes the direction text is shown in "
        f"(U+{ord(mark):04X}): remove it"
    )
    assert expected in messages


def test_marks_that_turn_text_around_are_refused_in_edits(editor) -> None:
    client, a, headers = editor
    response = patch(client, a, headers, {"easy_read": "This is a \u202epohs."})
    assert response.status_code == 422
    assert "easy_read holds an invisible mark" in response.json()["message"]


def test_a_phone_must_look_like_a_phone_number(editor) -> None:
    client, a, headers = editor
    for phone in ("-1632-960001", "+-1632", "((((((", "01632 960001 ext", "+44 1632 960001+"):
        response = patch(client, a, headers, {"phone": phone})
        assert response.status_code == 422, phone
        assert "phone must be a phone number, like 01632 960001" in response.json()["message"]
    for phone in ("01632 960001", "+44 1632 960001", "(01632) 960001", "+44 (0)1632 960-001"):
        assert patch(client, a, headers, {"phone": phone}).status_code == 200, phone


def test_an_old_row_does_not_block_an_edit_but_new_formula_text_is_refused(
    officer, engine: Engine
) -> None:
    """A row written by another road keeps its text, and its other fields can change;
    text a spreadsheet would run is still refused when someone types it."""
    client, headers = officer
    (venue_id,) = venue_ids(engine, "A-1")
    listing = client.get(f"/api/venues/{venue_id}/listing", headers=headers)
    json_headers = {"Authorization": headers["Authorization"], "If-Match": listing.headers["ETag"]}
    hours = client.patch(
        f"/api/venues/{venue_id}", json={"opening_hours": "Mo-Fr 09:00-17:00"}, headers=json_headers
    )
    assert hours.status_code == 200, hours.text
    json_headers["If-Match"] = hours.headers["ETag"]
    name = client.patch(f"/api/venues/{venue_id}", json={"name": "=1+1"}, headers=json_headers)
    assert name.status_code == 422
    assert "name must not start with =" in name.json()["message"]
