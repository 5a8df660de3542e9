"""The main job for real: SaveDesign → Celery worker renders → S3 → GetDesignImage serves it."""
from __future__ import annotations

import asyncio
import io
import time

import httpx
from PIL import Image

from shared import layout
from tests import factories
from tests.stacks import poll_image

SAVE = "/api/4/Design/SaveDesign"
IMAGE = "/api/4/Design/GetDesignImage"
STATUS = "/api/4/Design/GetDesignImageStatus"


def two_view_design(design_id: int, colour: str = "#ff0000") -> dict:
    front = factories.view("front", factories.rect(0, 0, 100, 100, fill=colour),
                           factories.rect(100, 0, 100, 100, fill="#00ff00"), width=200, height=100)
    back = factories.view("back", factories.rect(10, 10, 20, 20, fill="#0000ff"), width=50,
                          height=50, Dpi=300, PrintMultiplier=4)
    return factories.design(design_id, front, back, default="front")


def test_save_render_and_serve(e2e):
    with e2e.client() as client:
        saved = client.post(SAVE, json=two_view_design(100))
        assert saved.status_code == 202, saved.text
        first = client.get(IMAGE, params={"DesignId": 100})
        assert first.status_code in (200, 202)
        response = poll_image(client, {"DesignId": 100})
        assert response.status_code == 200, response.text
        assert response.headers["content-type"] == "image/png"
        assert int(response.headers["content-length"]) == len(response.content)
        assert response.headers["etag"].startswith('"')
        assert "max-age" in response.headers["cache-control"]
        image = Image.open(io.BytesIO(response.content))
        assert image.size == (200, 100) and image.mode == "RGBA"
        assert image.getpixel((50, 50)) == (255, 0, 0, 255)
        assert image.getpixel((150, 50)) == (0, 255, 0, 255)

        back = poll_image(client, {"DesignId": 100, "viewCode": "back"})
        back_image = Image.open(io.BytesIO(back.content))
        assert back_image.size == (200, 200)  # 50 × print multiplier 4
        assert round(back_image.info["dpi"][0]) == 300  # pHYs is in px per metre
        assert back_image.getpixel((80, 80))[:3] == (0, 0, 255)
        assert back_image.getpixel((5, 5))[3] == 0  # transparent background

        status = client.get(STATUS, params={"DesignId": 100}).json()["Data"]
        assert status["Status"] == "ready"
        assert {v["ViewCode"] for v in status["Views"]} == {"front", "back"}
    assert e2e.render_count(100) == 1


def test_size_rules_and_padding(e2e):
    with e2e.client() as client:
        client.post(SAVE, json=two_view_design(101))
        assert poll_image(client, {"DesignId": 101}).status_code == 200
        one_side = client.get(IMAGE, params={"DesignId": 101, "Width": 100})
        assert Image.open(io.BytesIO(one_side.content)).size == (100, 50)
        height_only = client.get(IMAGE, params={"designid": 101, "HEIGHT": 64})
        assert Image.open(io.BytesIO(height_only.content)).size == (128, 64)
        boxed = poll_image(client, {"DesignId": 101, "Width": 300, "Height": 300})
        image = Image.open(io.BytesIO(boxed.content))
        assert image.size == (300, 300)
        assert image.getpixel((150, 10))[3] == 0          # transparent padding above
        assert image.getpixel((75, 150)) == (255, 0, 0, 255)  # content centred
        over = client.get(IMAGE, params={"DesignId": 101, "Width": 20000})
        assert over.json()["ErrorCode"] == "234"


def test_renditions_in_s3_are_complete_f28(e2e):
    with e2e.client() as client:
        saved = client.post(SAVE, json=two_view_design(102)).json()["Data"]
        assert poll_image(client, {"DesignId": 102}).status_code == 200
    revision = saved["Revision"]
    manifest_key = layout.manifest_key(23, 102, revision)
    manifest = e2e.storage.get(manifest_key)
    assert manifest is not None
    import json

    views = json.loads(manifest.data)["views"]
    for code, view in views.items():
        for width, height in view["sizes"]:
            key = layout.rendition_key(23, 102, revision, code, width, height, "png")
            head = e2e.s3.head_object(Bucket=e2e.settings.s3_bucket, Key=key)
            assert head["ContentLength"] > 0
            assert head["ContentType"] == "image/png"
            assert "immutable" in head["CacheControl"]
            body = e2e.s3.get_object(Bucket=e2e.settings.s3_bucket, Key=key)["Body"].read()
            Image.open(io.BytesIO(body)).verify()
            assert Image.open(io.BytesIO(body)).size == (width, height)
    listed = e2e.s3.list_objects_v2(Bucket=e2e.settings.s3_bucket,
                                    Prefix=layout.revision_prefix(23, 102, revision))
    newest = max(listed["Contents"], key=lambda o: o["LastModified"])
    assert newest["LastModified"] >= max(o["LastModified"] for o in listed["Contents"])
    assert any(o["Key"].endswith("manifest.json") and o["LastModified"] == newest["LastModified"]
               for o in listed["Contents"])


def test_head_and_conditional_get_f31(e2e):
    with e2e.client() as client:
        client.post(SAVE, json=two_view_design(103))
        get = poll_image(client, {"DesignId": 103, "Width": 100})
        head = client.head(IMAGE, params={"DesignId": 103, "Width": 100})
        assert head.status_code == 200 and head.content == b""
        assert head.headers["content-length"] == get.headers["content-length"]
        assert head.headers["etag"] == get.headers["etag"]
        assert head.headers["content-type"] == "image/png"
        not_modified = client.get(IMAGE, params={"DesignId": 103, "Width": 100},
                                  headers={"If-None-Match": get.headers["etag"]})
        assert not_modified.status_code == 304 and not_modified.content == b""
        client.post(SAVE, json=factories.design(104))
        head_miss = client.head(IMAGE, params={"DesignId": 104})
        assert head_miss.status_code == 202 and head_miss.headers["Retry-After"]
    unauth = httpx.head(e2e.stack.api_url + IMAGE, params={"DesignId": 103})
    assert unauth.status_code == 400


def test_resave_never_serves_old_bytes_f25(e2e):
    with e2e.client() as client:
        client.post(SAVE, json=two_view_design(105, "#ff0000"))
        red = poll_image(client, {"DesignId": 105})
        assert Image.open(io.BytesIO(red.content)).getpixel((50, 50)) == (255, 0, 0, 255)
        client.post(SAVE, json=two_view_design(105, "#0000ff"))
        deadline = time.monotonic() + 60
        while True:
            response = client.get(IMAGE, params={"DesignId": 105})
            assert response.status_code in (200, 202)
            if response.status_code == 200:
                pixel = Image.open(io.BytesIO(response.content)).getpixel((50, 50))
                assert pixel == (0, 0, 255, 255), "served the old revision after the save"
                assert response.headers["etag"] != red.headers["etag"]
                break
            assert time.monotonic() < deadline
            time.sleep(0.2)


def test_herd_of_concurrent_misses_renders_once_f21(e2e):
    with e2e.client() as client:
        assert client.post(SAVE, json=two_view_design(106)).status_code == 202
    e2e.stack  # the save already claimed the job; the herd must not add another

    async def herd() -> list[int]:
        async with httpx.AsyncClient(base_url=e2e.stack.api_url, headers=e2e.headers,
                                     timeout=60) as client:
            params = [{"DesignId": 106}] * 50 + [{"DesignId": 106, "Width": w} for w in range(40, 50)]
            responses = await asyncio.gather(*(client.get(IMAGE, params=p) for p in params))
            return [r.status_code for r in responses]

    statuses = asyncio.run(herd())
    assert set(statuses) <= {200, 202}
    with e2e.client() as client:
        assert poll_image(client, {"DesignId": 106}).status_code == 200
        for width in range(40, 50):
            assert client.get(IMAGE, params={"DesignId": 106, "Width": width}).status_code == 200
    assert e2e.render_count(106) == 1


def test_wait_holds_until_ready(e2e):
    with e2e.client() as client:
        client.post(SAVE, json=two_view_design(107))
        started = time.monotonic()
        response = client.get(IMAGE, params={"DesignId": 107, "wait": 20})
        assert response.status_code == 200
        assert time.monotonic() - started < 20


def test_jpeg_website_serves_jpeg_on_white(e2e):
    from shared.websites import Website, WebsiteStore

    site = Website(id=30, name="jpeg shop", design_image_media_type="image/jpeg")
    key = site.add_key()
    WebsiteStore(e2e.storage).save(site)
    with httpx.Client(base_url=e2e.stack.api_url, timeout=60,
                      headers={"websiteId": "30", "webApiClientKey": key}) as client:
        client.post(SAVE, json=two_view_design(108))
        response = poll_image(client, {"DesignId": 108, "viewCode": "back"})
        assert response.headers["content-type"] == "image/jpeg"
        image = Image.open(io.BytesIO(response.content))
        assert image.mode == "RGB" and image.getpixel((5, 5)) == (255, 255, 255)


def test_asset_upload_and_image_design(e2e):
    with e2e.client() as client:
        uploaded = client.post("/api/4/Asset/Upload", content=factories.png_bytes((40, 30)))
        assert uploaded.status_code == 201, uploaded.text
        src = uploaded.json()["Data"]["Src"]
        design = factories.design(109, factories.view(
            "front", {"type": "image", "src": src, "left": 0, "top": 0, "width": 40, "height": 30},
            width=80, height=60))
        assert client.post(SAVE, json=design).status_code == 202
        response = poll_image(client, {"DesignId": 109})
        image = Image.open(io.BytesIO(response.content))
        assert image.getpixel((20, 15)) == (0, 0, 255, 255)
        assert image.getpixel((60, 45))[3] == 0
        bad = client.post("/api/4/Asset/Upload", content=b"\x89PNG\r\n\x1a\nnot really")
        assert (bad.status_code, bad.json()["ErrorCode"]) == (422, "242")


def test_render_failure_is_terminal_250(e2e):
    """F02: an image the worker cannot fetch (an allowed host that does not resolve) fails the
    job for good: 250 with the reason (not 202 forever), the status says failed, and no manifest
    is written."""
    from shared.websites import Website, WebsiteStore

    site = Website(id=31, name="remote images", allowed_asset_hosts=["images.invalid"])
    key = site.add_key()
    WebsiteStore(e2e.storage).save(site)
    design = factories.design(110, factories.view(
        "front", {"type": "image", "src": "https://images.invalid/photo.png"}))
    with httpx.Client(base_url=e2e.stack.api_url, timeout=60,
                      headers={"websiteId": "31", "webApiClientKey": key}) as client:
        saved = client.post(SAVE, json=design)
        assert saved.status_code == 202, saved.text
        response = poll_image(client, {"DesignId": 110})
        assert (response.status_code, response.json()["ErrorCode"]) == (500, "250")
        assert response.json()["Data"]["Reason"]
        status = client.get(STATUS, params={"DesignId": 110}).json()["Data"]
        assert status["Status"] == "failed" and status["Error"]["ErrorCode"] == 242
    revision = saved.json()["Data"]["Revision"]
    assert e2e.storage.get(layout.manifest_key(31, 110, revision)) is None
