"""SaveDesign and the miss path: storage writes, revisions, one job per revision."""
import json
from concurrent.futures import ThreadPoolExecutor

from shared import layout
from tests import factories

SAVE = "/api/4/Design/SaveDesign"
IMAGE = "/api/4/Design/GetDesignImage"


def test_save_stores_design_and_enqueues_once(api):
    response = api.client.post(SAVE, json=factories.design(10), headers=api.headers)
    assert response.status_code == 202, response.text
    data = response.json()["Data"]
    assert data["Status"] == "queued" and data["Changed"] is True and data["Revision"]
    assert layout.design_key(23, 10) in api.storage.objects
    assert api.queued_tasks() == 1
    again = api.client.post(SAVE, json=factories.design(10), headers=api.headers).json()["Data"]
    assert again["Changed"] is False and again["Revision"] == data["Revision"]
    assert api.queued_tasks() == 1  # identical content: no second job


def test_changed_design_gets_a_new_revision(api):
    first = api.client.post(SAVE, json=factories.design(11), headers=api.headers).json()["Data"]
    changed = factories.design(11, factories.view("front", factories.rect(fill="#0000ff")))
    second = api.client.post(SAVE, json=changed, headers=api.headers).json()["Data"]
    assert second["Revision"] != first["Revision"] and second["Changed"]
    assert api.queued_tasks() == 2
    status = api.client.get("/api/4/Design/GetDesignImageStatus", params={"DesignId": 11},
                            headers=api.headers).json()["Data"]
    assert status["Revision"] == second["Revision"]


def test_concurrent_misses_publish_one_task(api):
    """F21: 60 concurrent misses (several sizes) race for the claim; one task is published."""
    api.client.post(SAVE, json=factories.design(12), headers=api.headers)
    api.services.redis.flushdb()  # forget the save's claim and message: a cold miss for everyone

    def get(width: int):
        return api.client.get(IMAGE, params={"DesignId": 12, "Width": width}, headers=api.headers)

    with ThreadPoolExecutor(16) as pool:
        responses = list(pool.map(get, [0] * 50 + list(range(20, 30))))
    assert [r.status_code for r in responses] == [202] * 60
    assert len({r.json()["Data"]["JobId"] for r in responses}) == 1
    assert api.queued_tasks() == 1


def test_processing_answer_has_retry_after_and_no_store(api):
    api.client.post(SAVE, json=factories.design(13), headers=api.headers)
    response = api.client.get(IMAGE, params={"DesignId": 13}, headers=api.headers)
    assert response.status_code == 202
    assert response.headers["Retry-After"] and response.headers["Cache-Control"] == "no-store"
    body = response.json()
    assert body["Response"] == "Processing"
    assert body["Data"]["Status"] == "queued" and body["Data"]["DesignId"] == 13
    assert "JobAgeSeconds" in body["Data"]


def test_invalid_design_is_240_with_field_path_and_nothing_stored(api):
    bad = factories.design(14, factories.view("front", {"type": "curved-text", "text": "x"}))
    response = api.client.post(SAVE, json=bad, headers=api.headers)
    assert response.status_code == 422
    body = response.json()
    assert body["ErrorCode"] == "240"
    assert body["Data"][0]["Field"] == "Views[0].Canvas.objects[0].type"
    assert "curved-text" in body["Data"][0]["Message"]
    assert layout.design_key(23, 14) not in api.storage.objects
    assert api.queued_tasks() == 0


def test_hostile_bodies(api):
    deep = b"[" * 10_000 + b"]" * 10_000
    assert api.client.post(SAVE, content=deep, headers=api.headers).json()["ErrorCode"] == "240"
    assert api.client.post(SAVE, content=b"not json", headers=api.headers).json()["ErrorCode"] == "240"
    huge = b" " * (9 * 1024 * 1024)
    response = api.client.post(SAVE, content=huge, headers=api.headers)
    assert (response.status_code, response.json()["ErrorCode"]) == (413, "241")
    many = factories.design(15, factories.view("front", *[factories.rect()] * 6000))
    assert api.client.post(SAVE, json=many, headers=api.headers).json()["ErrorCode"] == "241"
    wrong = factories.design(16)
    wrong["Views"][0]["PrintMultiplier"] = "two"
    body = api.client.post(SAVE, json=wrong, headers=api.headers).json()
    assert body["ErrorCode"] == "240" and body["Data"][0]["Field"] == "Views[0].PrintMultiplier"
    assert not [k for k in api.storage.objects if k.startswith("designs/")]


def test_fabric_5_and_6_spellings_are_accepted(api):
    v5 = factories.view("front", {"type": "i-text", "text": "a", "left": 1, "top": 1},
                        {"type": "rect", "width": 5, "height": 5})
    v6 = factories.view("back", {"type": "IText", "text": "a", "left": 1, "top": 1},
                        {"type": "Rect", "width": 5, "height": 5})
    response = api.client.post(SAVE, json=factories.design(17, v5, v6), headers=api.headers)
    assert response.status_code == 202, response.text


def test_image_sources_outside_policy_are_242(api):
    for src in ("http://169.254.169.254/latest/meta-data/", "http://127.0.0.1:6379/",
                "file:///etc/passwd", "gopher://127.0.0.1:6379/_INFO", "https://evil.example/x.png",
                "asset:" + "0" * 64 + ".png"):
        body = factories.design(18, factories.view("front", {"type": "image", "src": src}))
        response = api.client.post(SAVE, json=body, headers=api.headers)
        assert response.json()["ErrorCode"] == "242", (src, response.text)
    assert json.dumps(list(api.storage.objects)).count("designs/") == 0


def test_concurrent_saves_leave_pointer_and_document_in_agreement(api):
    """Racing saves of two contents, then one acknowledged save: the revision served is the
    acknowledged one, every round (a stale pointer would serve the other content for days)."""
    a = factories.design(50, factories.view("front", factories.rect(width=10)))
    b = factories.design(50, factories.view("front", factories.rect(width=30)))

    def save(body: dict) -> str:
        response = api.client.post(SAVE, json=body, headers=api.headers)
        assert response.status_code == 202, response.text
        return response.json()["Data"]["Revision"]

    for _ in range(15):
        with ThreadPoolExecutor(8) as pool:
            list(pool.map(save, [a, b] * 4))
        acknowledged = save(a)
        status = api.client.get("/api/4/Design/GetDesignImageStatus", params={"DesignId": 50},
                                headers=api.headers).json()["Data"]
        assert status["Revision"] == acknowledged


def test_print_size_over_the_limits_is_refused_at_save(api):
    for width, height, multiplier in ((20000, 20000, 1), (5000, 5000, 100), (100, 10001, 1),
                                      (8000, 8000, 1)):
        body = factories.design(51, factories.view("front", width=width, height=height,
                                                   PrintMultiplier=multiplier))
        response = api.client.post(SAVE, json=body, headers=api.headers)
        assert (response.status_code, response.json()["ErrorCode"]) == (413, "241"), response.text
        assert response.json()["Data"][0]["Field"] == "Views[0]"
    assert layout.design_key(23, 51) not in api.storage.objects
    assert api.queued_tasks() == 0


def test_numbers_must_be_json_numbers_of_the_right_kind(api):
    for field, value in (("DesignId", True), ("DesignId", "5003"), ("DesignId", 5003.0)):
        body = {**factories.design(52), field: value}
        response = api.client.post(SAVE, json=body, headers=api.headers)
        assert response.json()["ErrorCode"] == "240" and response.json()["Data"][0]["Field"] == field
    body = factories.design(52)
    body["Views"][0]["Width"] = "400"
    response = api.client.post(SAVE, json=body, headers=api.headers)
    assert response.json()["Data"][0]["Field"] == "Views[0].Width"
    assert not [k for k in api.storage.objects if k.startswith("designs/")]


def test_values_that_would_draw_nothing_are_refused(api):
    for field, value in (("fontSize", -5), ("scaleX", 1e308), ("width", 1e308), ("charSpacing", 1e9)):
        obj = {"type": "text", "text": "x", field: value}
        response = api.client.post(SAVE, json=factories.design(53, factories.view("front", obj)),
                                   headers=api.headers)
        body = response.json()
        assert body["ErrorCode"] == "240", (field, body)
        assert body["Data"][0]["Field"] == f"Views[0].Canvas.objects[0].{field}"
