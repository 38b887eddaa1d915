"""Photos of the entrance: only real pictures, never a bomb, never a location."""

import csv
import io

import pytest
from PIL import Image
from sqlalchemy import Engine, update

from app import config
from app.http.errors import status_of
from app.models import Venue
from app.venues.photo_checks import (
    MAX_BYTES,
    MAX_SIDE,
    PhotoRefused,
    photo_address_problem,
    prepare_photo,
)
from app.venues.venue_file import VenueFileError
from tests.conftest import HEADER, load, venue_row
from tests.people import add_account, cheap_hashing, token_headers, venue_ids  # noqa: F401
from tests.pictures import GPS_INFO, photo_bytes, png_bomb

pytestmark = pytest.mark.usefixtures("cheap_hashing")


def test_a_photo_is_turned_upright_made_small_and_stripped() -> None:
    raw = photo_bytes((4000, 3000), rotated=True)
    assert Image.open(io.BytesIO(raw)).getexif().get_ifd(GPS_INFO)  # a position to remove
    prepared = prepare_photo(raw)
    picture = Image.open(io.BytesIO(prepared.data))
    assert picture.format == "WEBP"
    # Held on its side: 4000 by 3000 as stored, 3000 by 4000 upright, then fitted.
    assert (picture.width, picture.height) == (MAX_SIDE * 3 // 4, MAX_SIDE)
    assert (prepared.width, prepared.height) == picture.size
    # Turned clockwise, the red left half is now the top.
    assert picture.convert("RGB").getpixel((picture.width // 2, 10))[0] > 200
    assert picture.convert("RGB").getpixel((picture.width // 2, picture.height - 10))[2] > 200
    assert not picture.getexif()
    assert GPS_INFO not in picture.getexif()
    assert "exif" not in picture.info and "icc_profile" not in picture.info
    assert b"Test Camera" not in prepared.data


@pytest.mark.parametrize("format", ["JPEG", "PNG", "WEBP"])
def test_jpeg_png_and_webp_are_taken_by_their_bytes(format: str) -> None:
    prepared = prepare_photo(photo_bytes((300, 200), format))
    assert (prepared.width, prepared.height) == (300, 200)  # small photos are not enlarged
    assert b"Test Camera" not in prepared.data


def test_a_transparent_png_goes_on_white_not_black() -> None:
    prepared = prepare_photo(photo_bytes((100, 100), "PNG", mode="RGBA"))
    picture = Image.open(io.BytesIO(prepared.data)).convert("RGB")
    assert min(picture.getpixel((10, 50))) > 240  # the transparent half


@pytest.mark.parametrize(
    ("raw", "status", "words"),
    [
        (photo_bytes(format="GIF"), 415, "not a JPEG, PNG or WebP"),
        (b"%PDF-1.7 not a picture at all", 415, "not a JPEG, PNG or WebP"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", 415, "not a JPEG, PNG or WebP"),
        (photo_bytes()[:600], 422, "may be damaged"),
        (b"\xff" * (MAX_BYTES + 1), 413, "bigger than 5 MB"),
    ],
    ids=["gif", "pdf", "svg", "truncated", "too-big"],
)
def test_what_is_not_a_photo_is_refused(raw: bytes, status: int, words: str) -> None:
    with pytest.raises(PhotoRefused) as refused:
        prepare_photo(raw)
    assert status_of(refused.value) == status
    assert words in refused.value.message


def test_a_decompression_bomb_is_refused_before_it_is_opened() -> None:
    bomb = png_bomb()
    assert len(bomb) < 100_000  # small on the wire, 400 million pixels inside
    with pytest.raises(PhotoRefused) as refused:
        prepare_photo(bomb)
    assert status_of(refused.value) == 413
    assert "million pixels" in refused.value.message


@pytest.fixture
def venue(engine: Engine, make_client):
    load(engine, HEADER + venue_row("A-1", 52.28, -1.58) + venue_row("B-1", 52.29, -1.59))
    client = make_client()
    add_account(engine, "a@example.org", "staff", ("A-1",))
    add_account(engine, "officer@example.org", "officer")
    a, b = venue_ids(engine, "A-1", "B-1")
    return client, a, b, token_headers(client, "a@example.org")


def upload(client, venue_id: int, staff: dict[str, str], raw: bytes, **headers: str):
    etag = client.get(f"/api/venues/{venue_id}/listing", headers=staff).headers.get("etag", "")
    return client.put(
        f"/api/venues/{venue_id}/photo",
        content=raw,
        headers={**staff, "If-Match": etag, "Content-Type": "image/jpeg", **headers},
    )


def test_staff_put_up_a_photo_and_everyone_sees_it(venue) -> None:
    client, a, _b, staff = venue
    response = upload(client, a, staff, photo_bytes((2000, 1500)))
    assert response.status_code == 200, response.text
    url = response.json()["photo"]
    assert url.startswith("/api/photos/") and url.endswith(".webp")
    assert client.get(f"/api/venues/{a}").json()["photo"] == url
    nearest = client.get("/api/venues/nearest", params={"lat": 52.28, "lon": -1.58}).json()
    assert nearest["venues"][0]["photo"] == url

    served = client.get(url)
    assert served.status_code == 200
    assert served.headers["content-type"] == "image/webp"
    assert "immutable" in served.headers["cache-control"]
    assert served.headers["x-content-type-options"] == "nosniff"
    assert Image.open(io.BytesIO(served.content)).size == (MAX_SIDE, 960)
    assert b"Test Camera" not in served.content

    history = client.get(f"/api/venues/{a}/history", headers=staff).json()
    assert (history[0]["field"], history[0]["old_value"], history[0]["new_value"]) == (
        "photo",
        None,
        url,
    )


def test_an_earlier_photo_can_be_put_back(venue) -> None:
    client, a, _b, staff = venue
    first = upload(client, a, staff, photo_bytes((300, 200))).json()["photo"]
    second = upload(client, a, staff, photo_bytes((200, 300))).json()["photo"]
    assert first != second
    change = client.get(f"/api/venues/{a}/history", headers=staff).json()[0]
    etag = client.get(f"/api/venues/{a}/listing", headers=staff).headers["etag"]
    restored = client.post(
        f"/api/venues/{a}/history/{change['id']}/restore", headers={**staff, "If-Match": etag}
    )
    assert restored.json()["photo"] == first
    assert client.get(first).status_code == 200  # nothing is lost by an edit


def test_a_refused_upload_changes_nothing(venue) -> None:
    client, a, _b, staff = venue
    before = client.get(f"/api/venues/{a}/listing", headers=staff)
    for raw in (b"GIF89a not really", png_bomb(), b""):
        response = upload(client, a, staff, raw)
        assert response.status_code in (413, 415, 422), response.text
        assert response.json()["message"]
    after = client.get(f"/api/venues/{a}/listing", headers=staff)
    assert after.headers["etag"] == before.headers["etag"]
    assert after.json()["photo"] is None


def test_a_huge_upload_is_refused_by_its_declared_length(venue) -> None:
    client, a, _b, staff = venue
    response = upload(client, a, staff, b"x" * 100, **{"Content-Length": str(MAX_BYTES + 1)})
    assert response.status_code == 413


def test_upload_rules_are_the_write_rules(venue) -> None:
    client, a, b, staff = venue
    raw = photo_bytes()
    assert client.put(f"/api/venues/{a}/photo", content=raw).status_code == 401
    assert upload(client, b, staff, raw).status_code == 403  # not their venue
    no_etag = client.put(f"/api/venues/{a}/photo", content=raw, headers=staff)
    assert no_etag.status_code == 428
    stale = client.put(f"/api/venues/{a}/photo", content=raw, headers={**staff, "If-Match": '"0"'})
    assert stale.status_code == 412


def test_unknown_photos_are_404_and_odd_names_422(venue) -> None:
    client, *_ = venue
    assert client.get("/api/photos/" + "0" * 32 + ".webp").status_code == 404
    assert client.get("/api/photos/../../etc/passwd").status_code == 404
    assert client.get("/api/photos/NOTAHASH.webp").status_code == 422


def test_a_photo_field_cannot_point_at_a_script(venue) -> None:
    client, a, _b, staff = venue
    etag = client.get(f"/api/venues/{a}/listing", headers=staff).headers["etag"]
    for bad in ("javascript:alert(1)", "http://tracker.example/p.gif", "data:image/png;base64,"):
        response = client.patch(
            f"/api/venues/{a}", headers={**staff, "If-Match": etag}, json={"photo": bad}
        )
        assert response.status_code == 422
        assert "photo must be an uploaded photo" in response.json()["message"]


def test_a_photo_sent_as_a_form_is_told_to_send_the_file_itself(venue) -> None:
    client, a, _b, staff = venue
    etag = client.get(f"/api/venues/{a}/listing", headers=staff).headers["etag"]
    response = client.put(
        f"/api/venues/{a}/photo",
        headers={**staff, "If-Match": etag},
        files={"photo": ("door.jpg", photo_bytes(), "image/jpeg")},
    )
    assert response.status_code == 415
    assert response.json()["message"] == (
        "Send the file itself as the body of the request, not as a form."
    )


UPLOADED = "/api/photos/" + "0123456789abcdef" * 2 + ".webp"
ALLOWED_HOST = "photos.council.example"


@pytest.mark.parametrize(
    "address",
    [
        "/api/photos/../../etc/passwd",
        "/api/photos/%2e%2e/%2e%2e/etc/passwd",
        "/api/photos/" + "0123456789abcdef" * 2 + ".webp/../../x",
        "/api/photos/" + "0123456789ABCDEF" * 2 + ".webp",
        "/api/photos/" + "0123456789abcdef" * 2 + ".webp?x=1",
        "/api/photos/" + "0123456789abcdef" * 2 + ".webp\n",
        "/api/photos/abc.webp",
        "//tracker.example/p.gif",
        "javascript:alert(1)",
        "data:image/png;base64,",
        "http://photos.council.example/door.jpg",
        "https://tracker.example/p.gif",
        "https://photos.council.example.tracker.example/door.jpg",
        "https://photos.council.example@tracker.example/door.jpg",
        "https://photos.council.example:8443/door.jpg",
        "https://photos.council.example\\@tracker.example/door.jpg",
        "https://photos.council.example /door.jpg",
        'https://photos.council.example/"onerror="x',
        "HTTPS://photos.council.example/door.jpg",
    ],
)
def test_only_our_photos_and_allowed_hosts_may_be_shown(address: str) -> None:
    assert photo_address_problem(address, {ALLOWED_HOST}) is not None


@pytest.mark.parametrize(
    "address",
    [
        UPLOADED,
        "https://photos.council.example/door.jpg",
        "https://PHOTOS.council.example/venues/door.jpg?size=large",
        "https://photos.council.example",
    ],
)
def test_a_photo_put_up_here_or_on_an_allowed_host_may_be_shown(address: str) -> None:
    assert photo_address_problem(address, {ALLOWED_HOST}) is None


def test_no_host_is_allowed_unless_an_officer_lists_it() -> None:
    assert photo_address_problem(UPLOADED, ()) is None
    assert photo_address_problem("https://photos.council.example/door.jpg", ()) == (
        "photo must be an uploaded photo (/api/photos/….webp): put it up on the venue's page"
    )


@pytest.fixture
def allowed_host(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("SAFE_PLACES_PHOTO_HOSTS", f'["{ALLOWED_HOST}"]')
    config.get_settings.cache_clear()
    yield ALLOWED_HOST
    monkeypatch.delenv("SAFE_PLACES_PHOTO_HOSTS")
    config.get_settings.cache_clear()


def test_an_officer_may_allow_a_host(venue, allowed_host: str) -> None:
    client, a, _b, staff = venue
    etag = client.get(f"/api/venues/{a}/listing", headers=staff).headers["etag"]
    address = f"https://{allowed_host}/door.jpg"
    response = client.patch(
        f"/api/venues/{a}", headers={**staff, "If-Match": etag}, json={"photo": address}
    )
    assert response.status_code == 200, response.text
    assert client.get(f"/api/venues/{a}").json()["photo"] == address
    refused = client.patch(
        f"/api/venues/{a}",
        headers={**staff, "If-Match": response.headers["etag"]},
        json={"photo": "https://tracker.example/p.gif"},
    )
    assert refused.status_code == 422
    assert refused.json()["message"] == (
        "photo must be an uploaded photo (/api/photos/….webp) or https:// at "
        "photos.council.example."
    )


def test_an_import_refuses_a_photo_from_elsewhere(engine: Engine) -> None:
    file = HEADER + venue_row("A-1", 52.28, -1.58, photo="https://tracker.example/p.gif")
    with pytest.raises(VenueFileError) as refused:
        load(engine, file)
    assert [str(error) for error in refused.value.errors] == [
        "line 2: photo must be an uploaded photo (/api/photos/….webp): "
        "put it up on the venue's page"
    ]


@pytest.mark.parametrize("stored", ["https://tracker.example/p.gif", "/api/photos/../../x.webp"])
def test_a_stored_photo_from_elsewhere_is_shown_to_no_one_and_flagged(
    engine: Engine, make_client, stored: str
) -> None:
    """Written by an older version or a database tool: treated as no photo everywhere."""
    load(engine, HEADER + venue_row("A-1", 52.28, -1.58) + venue_row("B-1", 52.29, -1.59))
    with engine.begin() as connection:
        connection.execute(update(Venue).where(Venue.ref == "A-1").values(photo=stored))
    client = make_client()
    add_account(engine, "officer@example.org", "officer")
    officer = token_headers(client, "officer@example.org")
    (a,) = venue_ids(engine, "A-1")

    assert client.get(f"/api/venues/{a}").json()["photo"] is None
    nearest = client.get("/api/venues/nearest", params={"lat": 52.28, "lon": -1.58}).json()
    assert nearest["venues"][0]["ref"] == "A-1" and nearest["venues"][0]["photo"] is None
    offline = client.get("/api/venues/offline").json()["venues"]
    assert [venue["photo"] for venue in offline] == [None, None]
    assert client.get(f"/api/venues/{a}/listing", headers=officer).json()["photo"] is None
    export = client.get("/api/venues/export", headers=officer).text
    assert stored not in export
    assert [row["photo"] for row in csv.DictReader(io.StringIO(export))] == ["", ""]
    geojson = client.get("/api/venues/export?format=geojson", headers=officer).json()
    assert [f["properties"]["photo"] for f in geojson["features"]] == [None, None]

    listing = {v["ref"]: v for v in client.get("/api/venues/editable", headers=officer).json()}
    assert listing["B-1"]["photo_problem"] is None
    assert listing["A-1"]["photo_problem"] == (
        "The photo is shown to no one, because photo must be an uploaded photo "
        "(/api/photos/….webp): put it up on the venue's page."
    )


def test_pages_load_pictures_only_from_here_or_the_hosts_allowed(
    venue, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The browser refuses a picture from anywhere else, whatever a record says."""
    client = venue[0]
    policy = client.get("/").headers["content-security-policy"]
    assert "img-src 'self' data:;" in policy
    monkeypatch.setenv("SAFE_PLACES_PHOTO_HOSTS", f'["{ALLOWED_HOST}"]')
    config.get_settings.cache_clear()
    try:
        policy = client.get("/").headers["content-security-policy"]
    finally:
        monkeypatch.delenv("SAFE_PLACES_PHOTO_HOSTS")
        config.get_settings.cache_clear()
    assert f"img-src 'self' data: https://{ALLOWED_HOST};" in policy
