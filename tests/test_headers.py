"""Security headers: nosniff on every answer, /docs from this server under a policy,
redirects that stay on this server, known hosts and HSTS in production, and nothing
a signed-in person saw kept by a cache."""

import base64
import hashlib
import re

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from app.http.headers import UNKNOWN_HOST, relative_redirect
from tests.people import PASSWORD, add_account, cheap_hashing  # noqa: F401  (a fixture)

HTML = {"Accept": "text/html"}
CHIEF = {"username": "chief@council.example", "password": PASSWORD}
EVERY_KIND_OF_ANSWER = [
    ("/api/venues/nearest?lat=52.28&lon=-1.58", {}, 200),  # API JSON
    ("/api/venues/nearest?lat=north&lon=-1.58", {}, 422),  # an error
    ("/api/venues/999999", {}, 404),
    ("/api/venues", {}, 405),
    ("/api/me", {}, 401),
    ("/healthz", {}, 200),
    ("/openapi.json", {}, 200),
    ("/api/venues/offline", {}, 200),
    ("/", HTML, 200),  # a page
    ("/no/such/page", HTML, 404),  # the not-found page
    ("/js/home.js", {}, 200),  # files
    ("/icons/house.svg", {}, 200),
    ("/docs", HTML, 200),
    ("/docs/assets/swagger-ui-bundle.js", {}, 200),
    ("/staff/", {}, 307),  # a redirect
]


@pytest.mark.parametrize(("path", "headers", "status"), EVERY_KIND_OF_ANSWER)
def test_every_answer_says_nosniff(client: TestClient, path: str, headers: dict, status: int):
    response = client.get(path, headers=headers, follow_redirects=False)
    assert response.status_code == status
    assert response.headers["x-content-type-options"] == "nosniff"  # once, not repeated


def test_the_docs_come_from_this_server_under_a_policy(client: TestClient) -> None:
    docs = client.get("/docs")
    policy = docs.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in policy
    assert docs.headers["x-frame-options"] == "DENY"
    assert "https://" not in docs.text  # no CDN, no validator badge
    inline = re.search(r"<script>(.*?)</script>", docs.text, re.DOTALL)
    assert inline is not None
    digest = base64.b64encode(hashlib.sha256(inline.group(1).encode()).digest()).decode()
    assert f"script-src 'self' 'sha256-{digest}';" in policy
    files = re.findall(r'(?:src|href)="([^"]+)"', docs.text)
    assert len(files) == 3
    for path in files:
        assert path.startswith("/docs/assets/")
        assert client.get(path).status_code == 200


def test_the_docs_work_offline_in_a_browser(page, web_server: httpx.Client) -> None:
    """Swagger UI draws the API from this server alone, and breaks no rule of its policy
    (the `page` fixture fails on any console error, and a CSP violation is one)."""
    elsewhere: list[str] = []

    def only_this_server(route) -> None:
        if route.request.url.startswith(str(web_server.base_url)):
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort()

    page.route("**/*", only_this_server)
    page.goto("/docs")
    page.locator(".swagger-ui .info .title", has_text="Safe Places").wait_for()
    page.get_by_text("/api/venues/nearest", exact=True).first.wait_for()
    assert elsewhere == []


@pytest.mark.parametrize("host", ["evil.example", "testserver", "127.0.0.1:8000"])
def test_a_trailing_slash_redirect_stays_on_this_server(client: TestClient, host: str) -> None:
    response = client.get("/staff/?from=menu", headers={"Host": host}, follow_redirects=False)
    assert response.status_code == 307
    assert response.headers["location"] == "/staff?from=menu"


@pytest.mark.parametrize(
    ("location", "relative"),
    [
        (b"http://evil.example/staff", b"/staff"),
        (b"https://evil.example/staff?a=1", b"/staff?a=1"),
        (b"http://evil.example//other.example/x", b"/other.example/x"),  # not '//other…'
        (b"http://evil.example/\\other.example", b"/other.example"),  # not '/\other…'
        (b"http://evil.example", b"/"),
        (b"https://www.gov.uk/", b"https://www.gov.uk/"),  # not back to this server: kept
    ],
)
def test_a_redirect_back_here_is_made_relative(location: bytes, relative: bytes) -> None:
    assert relative_redirect((b"location", location), b"evil.example") == (b"location", relative)


@pytest.mark.parametrize(
    ("host", "status"),
    [
        ("safeplaces.council.example", 200),
        ("SafePlaces.Council.Example:443", 200),
        ("localhost:8000", 200),
        ("127.0.0.1", 200),
        ("[::1]:8000", 200),
        ("evil.example", 400),
        ("testserver", 400),
    ],
)
def test_production_answers_only_its_own_host_names(
    engine: Engine, make_client, host: str, status: int
) -> None:
    production = make_client(environment="production", allowed_hosts=["safeplaces.council.example"])
    response = production.get("/healthz", headers={"Host": host})
    assert response.status_code == status
    hsts = "max-age=31536000; includeSubDomains"
    assert response.headers["strict-transport-security"] == hsts
    if status == 400:
        assert response.json() == {"detail": UNKNOWN_HOST, "message": UNKNOWN_HOST}


def test_development_answers_any_host_without_hsts(engine: Engine, make_client) -> None:
    response = make_client().get("/healthz", headers={"Host": "192.168.1.20:8000"})
    assert response.status_code == 200
    assert "strict-transport-security" not in response.headers


@pytest.mark.usefixtures("cheap_hashing")
def test_no_answer_to_a_signed_in_person_is_kept(client: TestClient, engine: Engine) -> None:
    add_account(engine, "chief@council.example", "officer")
    sign_in = client.post("/api/auth/token", data=CHIEF)
    token = {"Authorization": f"Bearer {sign_in.json()['access_token']}"}
    new = {"email": "new@council.example", "role": "staff"}
    made = client.post("/api/accounts", json=new, headers=token)
    answers = [
        sign_in,  # the token
        made,  # a one-time password
        client.post(f"/api/accounts/{made.json()['id']}/password-reset", headers=token),
        client.get("/api/me", headers=token),
        client.get("/api/venues/editable", headers=token),
        client.get("/api/venues/offline", headers=token),  # public, but asked with a token
        client.get("/icons/house.svg", headers=token),
        client.get("/api/me", headers={"Authorization": "Bearer forged"}),
    ]
    assert [answer.status_code for answer in answers] == [200, 201, 200, 200, 200, 200, 200, 401]
    assert "one_time_password" in made.json()
    for answer in answers:
        assert answer.headers["cache-control"] == "no-store"


def test_public_answers_keep_their_caching(client: TestClient) -> None:
    assert client.get("/api/venues/offline").headers["cache-control"] == "no-cache"
    assert client.get("/icons/house.svg").headers["cache-control"] == "public, max-age=86400"
    assert client.get("/").headers["cache-control"] == "no-cache"
