"""The designimage CLI against moto's S3: keys printed once, stored as hashes, revocable."""
from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlsplit

import pytest
from moto import mock_aws

from shared import apikeys, cli, signing
from shared.settings import get_settings
from shared.storage import S3Storage
from shared.websites import WebsiteStore


@pytest.fixture
def store(monkeypatch):
    monkeypatch.setenv("DESIGNIMAGE_S3_BUCKET", "cli-test")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "x")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "y")
    get_settings.cache_clear()
    with mock_aws():
        yield lambda: WebsiteStore(S3Storage.from_settings(get_settings()))
    get_settings.cache_clear()


def key_in(output: str) -> str:
    return re.search(r"webApiClientKey: (\S+)", output).group(1)


def test_website_create_prints_a_key_once_and_stores_its_hash(store, capsys):
    assert cli.main(["website", "create", "--id", "23", "--name", "Demo shop"]) == 0
    key = key_in(capsys.readouterr().out)
    website = store().load(23)
    assert website.name == "Demo shop" and website.design_image_media_type == "image/png"
    assert website.thumbnail_sizes == [64, 128, 256, 512, 1024]
    assert apikeys.key_matches(key, website.active_key_hashes())
    assert key not in website.model_dump_json()
    assert cli.main(["website", "create", "--id", "23", "--name", "again"]) == 1
    assert website.rate_limit_per_minute is None


def test_website_create_with_a_rate_limit_and_allowed_host(store, capsys):
    assert cli.main(["website", "create", "--id", "26", "--name", "Limited",
                     "--rate-limit-per-minute", "600", "--allow-host", "cdn.example.com"]) == 0
    website = store().load(26)
    assert website.rate_limit_per_minute == 600
    assert website.allowed_asset_hosts == ["cdn.example.com"]


def test_key_create_and_revoke(store, capsys):
    cli.main(["website", "create", "--id", "24", "--name", "Shop"])
    first = key_in(capsys.readouterr().out)
    cli.main(["key", "create", "--website", "24"])
    second = key_in(capsys.readouterr().out)
    key_id = first.split("_")[1]
    assert cli.main(["key", "revoke", "--website", "24", "--key-id", key_id]) == 0
    hashes = store().load(24).active_key_hashes()
    assert not apikeys.key_matches(first, hashes) and apikeys.key_matches(second, hashes)
    assert cli.main(["key", "revoke", "--website", "24", "--key-id", key_id]) == 1


def test_sign_url_verifies_with_the_website_secret(store, capsys):
    cli.main(["website", "create", "--id", "25", "--name", "Shop"])
    capsys.readouterr()
    cli.main(["sign-url", "--website", "25", "--design", "7", "--width", "128"])
    url = urlsplit(capsys.readouterr().out.strip())
    params = dict(parse_qsl(url.query))
    assert params["DesignId"] == "7" and params["Width"] == "128" and "Signature" in params
    assert signing.verify(store().load(25).signing_secret, url.path, params, now_s=0)
