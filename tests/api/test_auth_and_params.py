"""Every error code of spec §3 that the request itself can cause, through the real app."""
import pytest

from tests import factories

IMAGE = "/api/4/Design/GetDesignImage"


def test_missing_website_header_is_220(api):
    response = api.client.get(IMAGE, params={"DesignId": 1})
    assert response.status_code == 400
    body = response.json()
    assert body["ErrorCode"] == "220" and body["Response"] == "Error" and body["Message"]
    assert response.headers["X-Request-Id"]


@pytest.mark.parametrize("headers, status, code", [
    ({"websiteId": "abc", "webApiClientKey": "x"}, 400, "220"),
    ({"websiteId": "999", "webApiClientKey": "x"}, 401, "221"),
    ({"websiteId": "23"}, 401, "225"),
    ({"websiteId": "23", "webApiClientKey": "wrong"}, 401, "226"),
])
def test_auth_errors(api, headers, status, code):
    response = api.client.get(IMAGE, params={"DesignId": 1}, headers=headers)
    assert (response.status_code, response.json()["ErrorCode"]) == (status, code)


def test_key_of_one_website_reads_nothing_of_another(api):
    api.client.post("/api/4/Design/SaveDesign", json=factories.design(5), headers=api.headers)
    response = api.client.get(IMAGE, params={"DesignId": 5},
                              headers={**api.headers, "websiteId": "24"})
    assert response.json()["ErrorCode"] == "226"


@pytest.mark.parametrize("design_id", ["0", "-1", "abc", "1e9", "9" * 30, "", " "])
def test_bad_design_id_is_230(api, design_id):
    response = api.client.get(IMAGE, params={"DesignId": design_id}, headers=api.headers)
    assert (response.status_code, response.json()["ErrorCode"]) == (400, "230")


def test_unknown_design_is_231(api):
    response = api.client.get(IMAGE, params={"DesignId": 424242}, headers=api.headers)
    assert (response.status_code, response.json()["ErrorCode"]) == (404, "231")


@pytest.mark.parametrize("view", ["back", "../x", "a/b", "x\x00y", "v" * 10_000])
def test_unknown_or_hostile_view_is_232(api, view):
    api.client.post("/api/4/Design/SaveDesign", json=factories.design(6), headers=api.headers)
    response = api.client.get(IMAGE, params={"DesignId": 6, "viewCode": view}, headers=api.headers)
    assert (response.status_code, response.json()["ErrorCode"]) == (404, "232")


@pytest.mark.parametrize("params, code", [
    ({"Width": "-1"}, "233"), ({"Width": "abc"}, "233"), ({"Height": "1e9"}, "233"),
    ({"Width": "1.5"}, "233"),
    ({"Width": "100000"}, "234"), ({"Width": "9" * 30}, "234"),
    ({"Width": "9000", "Height": "9000"}, "234"),
])
def test_bad_sizes(api, params, code):
    api.client.post("/api/4/Design/SaveDesign", json=factories.design(7), headers=api.headers)
    before = api.queued_tasks()
    response = api.client.get(IMAGE, params={"DesignId": 7, **params}, headers=api.headers)
    assert response.json()["ErrorCode"] == code
    assert api.queued_tasks() == before  # nothing enqueued for a refused request


def test_query_names_are_case_insensitive(api):
    api.client.post("/api/4/Design/SaveDesign", json=factories.design(8), headers=api.headers)
    for name in ("DesignId", "designId", "designid", "DESIGNID"):
        response = api.client.get(IMAGE, params={name: 8, "VIEWCODE": "front"}, headers=api.headers)
        assert response.status_code == 202, response.text


def test_head_on_error_has_no_body_and_same_status(api):
    response = api.client.head(IMAGE, params={"DesignId": 1})
    assert response.status_code == 400 and response.content == b""


def test_website_record_outlives_a_storage_outage(api):
    """With S3 down, a website already read keeps authenticating (hits go on being served);
    one never read answers 271."""
    api.client.post("/api/4/Design/SaveDesign", json=factories.design(40), headers=api.headers)
    api.storage.fail = True
    try:
        response = api.client.get(IMAGE, params={"DesignId": 40}, headers=api.headers)
        assert response.status_code == 202, response.text
        never_read = api.client.get(IMAGE, params={"DesignId": 40},
                                    headers={**api.headers, "websiteId": "24"})
        assert (never_read.status_code, never_read.json()["ErrorCode"]) == (503, "271")
    finally:
        api.storage.fail = False


def test_leading_zeros_are_just_zeros(api):
    api.client.post("/api/4/Design/SaveDesign", json=factories.design(41), headers=api.headers)
    for params in ({"Width": "0000000000"}, {"Width": "0000000000100"}, {"wait": "00000"}):
        response = api.client.get(IMAGE, params={"DesignId": 41, **params}, headers=api.headers)
        assert response.status_code == 202, (params, response.text)
