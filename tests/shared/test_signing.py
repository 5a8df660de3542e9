import pytest

from shared import apikeys, signing

PATH = "/api/4/Design/GetDesignImage"


def test_signature_round_trip_is_case_insensitive_on_names():
    params = {"websiteId": "23", "DesignId": "7", "Width": "300", "Expires": "2000000000"}
    sig = signing.sign("s3cret", PATH, params)
    lowered = {k.lower(): v for k, v in params.items()} | {"signature": sig}
    assert signing.verify("s3cret", PATH, lowered, now_s=1_900_000_000)


@pytest.mark.parametrize("change", [
    {"DesignId": "8"}, {"Width": "301"}, {"websiteId": "24"}, {"viewCode": "back"},
    {"Expires": "2000000001"},
])
def test_tampering_breaks_the_signature(change):
    params = {"websiteId": "23", "DesignId": "7", "Width": "300", "Expires": "2000000000"}
    params["Signature"] = signing.sign("s3cret", PATH, params)
    assert not signing.verify("s3cret", PATH, {**params, **change}, now_s=1_900_000_000)


def test_expired_or_other_path_or_secret_is_refused():
    params = {"websiteId": "23", "DesignId": "7", "Expires": "1000"}
    params["Signature"] = signing.sign("s3cret", PATH, params)
    assert not signing.verify("s3cret", PATH, params, now_s=1001)
    assert not signing.verify("other", PATH, params, now_s=10)
    assert not signing.verify("s3cret", "/api/4/Design/Other", params, now_s=10)


def test_keys_are_stored_as_hashes_and_checked():
    key_id, key = apikeys.new_key()
    stored = [apikeys.hash_key(key)]
    assert key not in stored[0] and key_id in key
    assert apikeys.key_matches(key, stored)
    assert not apikeys.key_matches(key + "x", stored)
    assert not apikeys.key_matches(key, [])
