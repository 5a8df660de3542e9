"""Signed GetDesignImage URLs through the real app (spec §3): minted by GetDesignImageUrl, usable
with no headers, refused with 403 / 227 when tampered, re-targeted, expired or duplicated."""
from __future__ import annotations

import time
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest

from shared import signing
from tests import factories
from tests.security.conftest import IMAGE, SAVE, STATUS, URL


def mint(sec, website_id: int = 23, **params: object) -> str:
    response = sec.client.post(URL, params={"DesignId": 5, **params},
                               headers=sec.headers(website_id))
    assert response.status_code == 200, response.text
    return response.json()["Data"]["Url"]


def query_of(url: str) -> list[tuple[str, str]]:
    return parse_qsl(urlsplit(url).query, keep_blank_values=True)


def with_query(items: list[tuple[str, str]]) -> str:
    return f"{IMAGE}?{urlencode(items)}"


def replaced(url: str, name: str, value: str) -> str:
    items = query_of(url)
    if any(k == name for k, _ in items):
        return with_query([(k, value if k == name else v) for k, v in items])
    return with_query(items + [(name, value)])


def assert_227(response) -> None:
    assert (response.status_code, response.json()["ErrorCode"]) == (403, "227"), response.text
    assert response.json()["Response"] == "Error"


@pytest.fixture
def saved(sec):
    for website_id in (23, 24):
        response = sec.client.post(SAVE, json=factories.design(5, factories.view("front"),
                                                               factories.view("back")),
                                   headers=sec.headers(website_id))
        assert response.status_code == 202, response.text
    return sec


def test_minted_url_works_without_headers_and_holds_no_secret(saved):
    url = mint(saved, viewCode="back", Width=64)
    names = {k for k, _ in query_of(url)}
    assert names == {"websiteId", "DesignId", "viewCode", "Width", "Expires", "Signature"}
    assert saved.keys[23] not in url and saved.website(23).signing_secret not in url
    response = saved.client.get(url)  # no websiteId / webApiClientKey headers
    assert response.status_code == 202, response.text
    assert response.json()["Data"]["ViewCode"] == "back"


@pytest.mark.parametrize("name, value", [
    ("DesignId", "6"), ("DesignId", "05"), ("viewCode", "front"), ("Width", "65"),
    ("Height", "64"), ("websiteId", "24"), ("Expires", "9999999999"), ("wait", "5"),
])
def test_retargeted_url_is_227(saved, name, value):
    assert_227(saved.client.get(replaced(mint(saved, viewCode="back", Width=64), name, value)))


@pytest.mark.parametrize("mangle", [
    lambda s: s[:-1] + ("A" if s[-1] != "A" else "B"),
    lambda s: s + "=",
    lambda s: "",
    lambda s: "é" * len(s),
    lambda s: s.upper(),
])
def test_tampered_signature_is_227(saved, mangle):
    url = mint(saved)
    signature = dict(query_of(url))["Signature"]
    assert_227(saved.client.get(replaced(url, "Signature", mangle(signature))))


@pytest.mark.parametrize("extra", [
    [("DesignId", "6")], [("designid", "5")], [("Signature", "x")], [("EXPIRES", "1")],
])
def test_duplicated_parameter_is_227(saved, extra):
    assert_227(saved.client.get(with_query(query_of(mint(saved)) + extra)))


def test_expired_url_is_227(saved):
    secret = saved.website(23).signing_secret
    query = signing.signed_query(secret, IMAGE, {"websiteId": "23", "DesignId": "5"},
                                 int(time.time()) - 1)
    assert_227(saved.client.get(f"{IMAGE}?{query}"))


@pytest.mark.parametrize("expires", ["²", "１２３", "-1", "1e12", "9" * 40])
def test_malformed_expires_is_227_not_500(saved, expires):
    secret = saved.website(23).signing_secret
    params = {"websiteId": "23", "DesignId": "5", "Expires": expires}
    params["Signature"] = signing.sign(secret, IMAGE, params)
    assert_227(saved.client.get(IMAGE, params=params))


def test_url_of_one_website_signed_with_another_websites_secret_is_227(saved):
    """A website's secret signs only its own URLs: re-labelled as website 24, it fails."""
    secret = saved.website(23).signing_secret
    query = signing.signed_query(secret, IMAGE, {"websiteId": "24", "DesignId": "5"},
                                 int(time.time()) + 60)
    assert_227(saved.client.get(f"{IMAGE}?{query}"))


def test_signed_url_is_only_valid_on_its_own_path(saved):
    url = mint(saved)
    assert_227(saved.client.get(STATUS + "?" + urlsplit(url).query))


def test_signed_url_without_website_id_is_220(saved):
    items = [(k, v) for k, v in query_of(mint(saved)) if k != "websiteId"]
    response = saved.client.get(with_query(items))
    assert (response.status_code, response.json()["ErrorCode"]) == (400, "220")


def test_value_with_separators_cannot_pass_for_other_parameters():
    """Percent-encoding in the canonical form: ``a=1&b=2`` as one value is not two parameters."""
    one = signing.canonical_request(IMAGE, {"viewcode": "x&width=9", "expires": "1"})
    two = signing.canonical_request(IMAGE, {"viewcode": "x", "width": "9", "expires": "1"})
    assert one != two


def test_minting_needs_the_key_and_refuses_bad_input(saved):
    anonymous = saved.client.post(URL, params={"DesignId": 5})
    assert anonymous.json()["ErrorCode"] == "220"
    wrong_key = saved.client.post(URL, params={"DesignId": 5},
                                  headers={"websiteId": "23", "webApiClientKey": saved.keys[24]})
    assert wrong_key.json()["ErrorCode"] == "226"
    for params, code in (({"DesignId": "abc"}, "230"), ({"DesignId": 5, "Width": "-1"}, "233"),
                         ({"DesignId": 5, "viewCode": "../x"}, "232")):
        response = saved.client.post(URL, params=params, headers=saved.headers())
        assert response.json()["ErrorCode"] == code
