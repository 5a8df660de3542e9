"""SSRF (spec §7, field case F32): no image ``src`` ever makes the service connect to an internal
address. The resolver is mocked and every way of opening a connection is watched, so a test
fails if a connection is even attempted."""
from __future__ import annotations

import socket

import httpx
import pytest

from shared.design.sources import SourceNotAllowed, classify
from shared.settings import Settings
from shared.storage import MemoryStorage
from tests import factories
from tests.security.conftest import SAVE, make_sec
from worker import fetch
from worker.fetch import FetchError, fetch_https
from worker.resources import ResourceError, load_images

PUBLIC = "93.184.216.34"
DNS = {
    "cdn.example.com": [PUBLIC],
    "localhost": ["127.0.0.1", "::1"],
    "internal.example.com": ["10.1.2.3"],
    "rebind.example.com": [PUBLIC, "127.0.0.1"],
    "metadata.example.com": ["169.254.169.254"],
    "mapped.example.com": ["::ffff:10.0.0.1"],
    "nat64.example.com": ["64:ff9b::a9fe:a9fe"],
    "sixtofour.example.com": ["2002:7f00:1::1"],
    "shared.example.com": ["100.64.0.7"],
    "v6local.example.com": ["fd00::1"],
}


class Network:
    """The mocked resolver and the record of every connection attempt."""

    def __init__(self) -> None:
        self.lookups: list[str] = []
        self.connects: list[object] = []

    def getaddrinfo(self, host, port, *args, **kwargs):
        self.lookups.append(host)
        if host not in DNS:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return [(socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, 6, "",
                 (a, port)) for a in DNS[host]]

    def connect(self, address, *args, **kwargs):
        self.connects.append(address)
        raise ConnectionRefusedError("connections are watched in this test")


@pytest.fixture
def net(monkeypatch) -> Network:
    network = Network()
    monkeypatch.setattr(socket, "getaddrinfo", network.getaddrinfo)
    monkeypatch.setattr(socket, "create_connection", network.connect)
    monkeypatch.setattr(socket.socket, "connect", lambda self, a: network.connect(a))
    monkeypatch.setattr(socket.socket, "connect_ex", lambda self, a: network.connect(a))
    return network


INTERNAL_URLS = [
    "https://169.254.169.254/latest/meta-data/iam/security-credentials/",
    "https://127.0.0.1:6379/", "https://localhost/internal", "https://[::1]/x.png",
    "https://[::ffff:127.0.0.1]/x.png", "https://[::ffff:7f00:1]/x.png", "https://10.0.0.5/x.png",
    "https://172.16.0.1/x.png", "https://172.31.255.254/x.png", "https://192.168.1.1/x.png",
    "https://100.64.0.1/x.png", "https://0.0.0.0/x.png", "https://2130706433/x.png",
    "https://0177.0.0.1/x.png", "https://0x7f000001/x.png", "https://127.1/x.png",
    "https://017700000001/x.png",
]
RESOLVING_INTERNAL = ["localhost", "internal.example.com", "rebind.example.com",
                      "metadata.example.com", "mapped.example.com", "nat64.example.com",
                      "sixtofour.example.com", "shared.example.com", "v6local.example.com"]


@pytest.mark.parametrize("url", INTERNAL_URLS)
def test_internal_addresses_are_never_connected_to(net, url):
    with pytest.raises(FetchError):
        fetch_https(url, max_bytes=1_000_000)
    assert net.connects == []


@pytest.mark.parametrize("url", [u for u in INTERNAL_URLS if "localhost" not in u])
def test_ip_literals_are_refused_before_any_lookup(net, url):
    with pytest.raises(FetchError, match="not allowed"):
        fetch_https(url, max_bytes=1_000_000)
    assert net.lookups == []


@pytest.mark.parametrize("host", RESOLVING_INTERNAL)
def test_hostnames_resolving_to_internal_addresses_are_never_connected_to(net, host):
    with pytest.raises(FetchError, match="not allowed"):
        fetch_https(f"https://{host}/x.png", max_bytes=1_000_000)
    assert net.lookups == [host] and net.connects == []


@pytest.mark.parametrize("url", ["http://cdn.example.com/x.png", "file:///etc/passwd",
                                 "gopher://127.0.0.1:6379/_INFO", "ftp://cdn.example.com/x"])
def test_other_schemes_are_refused_without_lookup(net, url):
    with pytest.raises(FetchError):
        fetch_https(url, max_bytes=1_000_000)
    assert net.lookups == [] and net.connects == []


def test_public_host_is_connected_at_the_validated_address_only(net, monkeypatch):
    """The one connection attempt goes to the address that was checked, not to a new lookup
    (DNS rebinding), and proxies from the environment are not used."""
    monkeypatch.setenv("HTTPS_PROXY", "http://10.9.9.9:3128")
    with pytest.raises(FetchError, match="could not be fetched"):
        fetch_https("https://cdn.example.com/x.png", max_bytes=1_000_000)
    assert net.lookups == ["cdn.example.com"]
    assert [tuple(a)[:2] for a in net.connects] == [(PUBLIC, 443)]


def mock_transport(seen: list[httpx.Request], response: httpx.Response) -> httpx.MockTransport:
    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return response

    return httpx.MockTransport(handle)


@pytest.mark.parametrize("location", ["http://169.254.169.254/latest/meta-data/",
                                      "https://127.0.0.1/", "https://internal.example.com/x.png",
                                      "https://cdn.example.com/other.png"])
def test_redirects_are_never_followed(net, location):
    seen: list[httpx.Request] = []
    redirect = httpx.Response(302, headers={"Location": location})
    with pytest.raises(FetchError, match="answered 302"):
        fetch_https("https://cdn.example.com/x.png", max_bytes=1_000_000,
                    transport=mock_transport(seen, redirect))
    assert [str(r.url) for r in seen] == [f"https://{PUBLIC}/x.png"]
    assert seen[0].headers["Host"] == "cdn.example.com"
    assert seen[0].extensions["sni_hostname"] == "cdn.example.com"
    assert net.connects == []


@pytest.mark.parametrize("response, reason", [
    (httpx.Response(200, headers={"Content-Type": "text/html"}, content=b"<html>"), "not an image"),
    (httpx.Response(200, headers={"Content-Type": "image/png"}, content=b"x" * 2048),
     "larger than the limit"),
    (httpx.Response(404), "answered 404"),
])
def test_answers_are_bounded_in_type_and_size(net, response, reason):
    with pytest.raises(FetchError, match=reason):
        fetch_https("https://cdn.example.com/x.png", max_bytes=1024,
                    transport=mock_transport([], response))


def test_allowed_image_is_fetched(net):
    png = factories.png_bytes()
    body = fetch_https("https://cdn.example.com/x.png", max_bytes=1_000_000, transport=mock_transport(
        [], httpx.Response(200, headers={"Content-Type": "image/png"}, content=png)))
    assert body == png


def test_worker_refuses_allow_listed_host_that_resolves_inside(net):
    site, _ = factories.website(23, allowed_asset_hosts=["internal.example.com"])
    canvas = factories.canvas({"type": "image", "src": "https://internal.example.com/x.png"})
    with pytest.raises(ResourceError, match="not allowed"):
        load_images([canvas], site, MemoryStorage(), Settings())
    assert net.connects == []


@pytest.mark.parametrize("address, public", [
    (PUBLIC, True), ("2606:4700::1111", True), ("127.0.0.1", False), ("::1", False),
    ("::ffff:127.0.0.1", False), ("64:ff9b::7f00:1", False), ("2002:a00:1::", False),
    ("2001:0:4136:e378:8000:63bf:f5ff:fffe", False), ("fe80::1%eth0", False), ("224.0.0.1", False),
    ("100.64.0.1", False), ("0.0.0.0", False), ("169.254.169.254", False), ("fd00:ec2::254", False),
])
def test_public_address_table(address, public):
    assert fetch.is_public_address(address) is public


SAVE_REFUSED = [
    "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
    "http://127.0.0.1:6379/", "http://localhost:8000/internal", "file:///etc/passwd",
    "gopher://127.0.0.1:6379/_INFO", "http://10.0.0.5/x.png", "http://cdn.example.com/x.png",
    "https://169.254.169.254/x.png", "https://2130706433/x.png", "https://0177.0.0.1/x.png",
    "https://[::1]/x.png", "https://[::ffff:127.0.0.1]/x.png", "https://cdn.example.com:8443/x",
    "https://user:pw@cdn.example.com/x.png", "https://evil.example.com/x.png",
    "https://cdn.example.com:99999/x.png", "https://[::1/x.png", "https://cdn.example.com/x\n.png",
    "https://cdn.example.com\\@evil.example.com/x", "data:image/svg+xml;base64,PHN2Zz4=",
    "data:text/html;base64,PGh0bWw+", "//cdn.example.com/x.png", "/etc/passwd",
    "asset:../../websites/24.json", "data:image/png;base64," + "A" * 3000,
]


@pytest.fixture
def allowing(sec_redis_url):
    sec, client = make_sec(sec_redis_url, max_data_url_bytes=2048)
    website = sec.website(23)
    website.allowed_asset_hosts = ["cdn.example.com", "169.254.169.254", "127.0.0.1", "[::1]"]
    sec.update_website(website)
    with client:
        yield sec
    sec.services.close()


@pytest.mark.parametrize("src", SAVE_REFUSED)
def test_save_design_refuses_the_source_with_242(allowing, src):
    before = dict(allowing.storage.objects)
    design = factories.design(9, factories.view("front", factories.rect(),
                                                {"type": "image", "src": src}))
    response = allowing.client.post(SAVE, json=design, headers=allowing.headers())
    assert (response.status_code, response.json()["ErrorCode"]) == (422, "242"), response.text
    assert response.json()["Data"][0]["Field"] == "Views[0].Canvas.objects[1].src"
    assert allowing.storage.objects == before and allowing.queued_tasks() == 0


def test_classify_accepts_only_the_allowed_forms():
    allowed = {"allowed_hosts": ["CDN.example.com."], "max_data_url_bytes": 1024}
    assert classify("https://cdn.example.com/a.png", **allowed).kind == "https"
    assert classify("https://CDN.EXAMPLE.COM:443/a.png", **allowed).kind == "https"
    assert classify("data:image/png;base64,iVBORw0KGgo=", **allowed).kind == "data"
    assert classify("asset:" + "a" * 64 + ".png", **allowed).kind == "asset"
    with pytest.raises(SourceNotAllowed):
        classify("https://cdn.example.com.evil.net/a.png", **allowed)
