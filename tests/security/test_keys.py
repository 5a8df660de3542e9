"""API keys (spec §3): stored as hashes, compared in constant time, never logged, scoped to one
website on every endpoint, and revoked within the website cache TTL."""
from __future__ import annotations

import hmac
import logging
from types import SimpleNamespace

import pytest

from api import hitcache
from shared import apikeys, layout
from tests import factories
from tests.security.conftest import ASSET, FONT, IMAGE, SAVE, STATUS, URL, make_sec

FONT_FILE = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def test_only_hashes_are_stored(sec):
    stored = sec.storage.objects[layout.website_key(23)].data.decode()
    assert sec.keys[23] not in stored
    assert apikeys.hash_key(sec.keys[23]) in stored


def test_every_stored_hash_is_compared_in_constant_time(monkeypatch):
    calls = []
    compare = hmac.compare_digest

    def spy(a, b):
        calls.append((a, b))
        return compare(a, b)

    monkeypatch.setattr(apikeys.hmac, "compare_digest", spy)
    _, key = apikeys.new_key()
    stored = [apikeys.hash_key("other"), apikeys.hash_key(key), apikeys.hash_key("third")]
    assert apikeys.key_matches(key, stored)
    assert len(calls) == 3  # no early exit on the match: the time does not tell which one


def cross_site_calls(sec):
    """Every endpoint, called with website 23's credentials, about design 5 of website 24."""
    font = open(FONT_FILE, "rb").read()
    return {
        "GET image": lambda h: sec.client.get(IMAGE, params={"DesignId": 5}, headers=h),
        "HEAD image": lambda h: sec.client.head(IMAGE, params={"DesignId": 5}, headers=h),
        "status": lambda h: sec.client.get(STATUS, params={"DesignId": 5}, headers=h),
        "url": lambda h: sec.client.post(URL, params={"DesignId": 5}, headers=h),
        "save": lambda h: sec.client.post(SAVE, json=factories.design(5), headers=h),
        "asset": lambda h: sec.client.post(ASSET, content=factories.png_bytes(), headers=h),
        "font": lambda h: sec.client.post(FONT, params={"family": "Evil"}, content=font, headers=h),
    }


@pytest.mark.parametrize("endpoint", ["GET image", "HEAD image", "status", "url", "save", "asset",
                                      "font"])
def test_key_of_one_website_is_refused_for_another(sec, endpoint):
    before = dict(sec.storage.objects)
    queued = sec.queued_tasks()
    response = cross_site_calls(sec)[endpoint]({"websiteId": "24",
                                                "webApiClientKey": sec.keys[23]})
    assert response.status_code == 401
    if endpoint != "HEAD image":
        assert response.json()["ErrorCode"] == "226"
    assert sec.storage.objects == before and sec.queued_tasks() == queued


def test_own_key_reaches_nothing_of_another_website(sec):
    """With valid website-23 credentials, website 24's design, assets and fonts stay out of reach:
    reads answer 231, writes land under website 23 only."""
    other = factories.design(5, factories.view("front", factories.rect(fill="#00ff00")))
    assert sec.client.post(SAVE, json=other, headers=sec.headers(24)).status_code == 202
    asset = sec.client.post(ASSET, content=factories.png_bytes(colour=(9, 9, 9, 255)),
                            headers=sec.headers(24)).json()["Data"]["Src"]
    theirs = {k: v for k, v in sec.storage.objects.items() if "/24/" in k or k.endswith("24.json")}
    calls = cross_site_calls(sec)
    mine = sec.headers(23)
    for name in ("GET image", "status"):
        response = calls[name](mine)
        assert (response.status_code, response.json()["ErrorCode"]) == (404, "231"), name
    assert calls["HEAD image"](mine).status_code == 404
    signed = calls["url"](mine).json()["Data"]["Url"]
    assert "websiteId=23" in signed
    assert sec.client.get(signed).json()["ErrorCode"] == "231"
    uses_their_asset = factories.design(6, factories.view("front", {"type": "image", "src": asset}))
    refused = sec.client.post(SAVE, json=uses_their_asset, headers=mine)
    assert (refused.status_code, refused.json()["ErrorCode"]) == (422, "242")
    assert calls["save"](mine).status_code == 202
    assert calls["asset"](mine).status_code == 201
    assert calls["font"](mine).status_code == 201
    assert {k: v for k, v in sec.storage.objects.items() if k in theirs} == theirs
    assert sec.website(24).fonts == [] and len(sec.website(23).fonts) == 1


def test_revoked_key_stops_working_within_the_website_cache_ttl(sec_redis_url, monkeypatch):
    """Default TTL (5 s): a replica may accept a revoked key until its cached record expires,
    and never after. The cache's clock is faked, so nothing here waits on real time."""
    now = [1000.0]
    monkeypatch.setattr(hitcache, "time", SimpleNamespace(monotonic=lambda: now[0]))
    sec, client = make_sec(sec_redis_url, website_cache_ttl_s=5.0)
    with client:
        headers = sec.headers(23)
        sec.client.post(SAVE, json=factories.design(5), headers=headers)
        assert sec.client.get(STATUS, params={"DesignId": 5}, headers=headers).status_code == 200
        website = sec.website(23)
        assert website.revoke_key(website.keys[0].key_id)
        sec.update_website(website)
        now[0] += 4.9
        assert sec.client.get(STATUS, params={"DesignId": 5}, headers=headers).status_code == 200
        now[0] += 0.2
        response = sec.client.get(STATUS, params={"DesignId": 5}, headers=headers)
        assert (response.status_code, response.json()["ErrorCode"]) == (401, "226")
        for response in (sec.client.get(IMAGE, params={"DesignId": 5}, headers=headers),
                         sec.client.post(URL, params={"DesignId": 5}, headers=headers),
                         sec.client.post(SAVE, json=factories.design(5), headers=headers)):
            assert response.json()["ErrorCode"] == "226"
    sec.services.close()


def test_key_and_secret_never_reach_the_logs(sec, caplog, monkeypatch):
    """A full request cycle — saves, uploads, image, status, minting, signed fetch, refusals and
    an unexpected error — at DEBUG level on every logger: the key and secret appear nowhere."""
    caplog.set_level(logging.DEBUG)
    h = sec.headers(23)
    key, secret = sec.keys[23], sec.website(23).signing_secret
    sec.client.post(SAVE, json=factories.design(5), headers=h)
    sec.client.post(ASSET, content=factories.png_bytes(), headers=h)
    sec.client.post(ASSET, content=b"junk", headers=h)
    sec.client.get(IMAGE, params={"DesignId": 5}, headers=h)
    sec.client.head(IMAGE, params={"DesignId": 5}, headers=h)
    sec.client.get(STATUS, params={"DesignId": 5}, headers=h)
    url = sec.client.post(URL, params={"DesignId": 5}, headers=h).json()["Data"]["Url"]
    sec.client.get(url)
    sec.client.get(url + "x")
    sec.client.get(IMAGE, params={"DesignId": 5}, headers={**h, "webApiClientKey": key + "x"})
    sec.client.get(IMAGE, params={"DesignId": 5}, headers={**h, "websiteId": "24"})

    def explode(*_: object) -> None:
        raise RuntimeError("storage exploded")

    monkeypatch.setattr(sec.services.designs, "load", explode)
    sec.services.redis.flushdb()  # force the design lookup past the Redis pointer
    unexpected = sec.client.get(IMAGE, params={"DesignId": 5}, headers=h)
    assert unexpected.json()["ErrorCode"] == "299"
    assert "storage exploded" in caplog.text  # the logs did capture the cycle
    for record in caplog.records:
        text = record.getMessage() + str(record.exc_text or "") + str(record.args or "")
        assert key not in text and secret not in text, record.name
