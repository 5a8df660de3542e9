"""Hostile and malformed input through the real app (spec §7, issue 4): each refused with its spec
code, nothing stored, nothing enqueued, nothing crashes."""
from __future__ import annotations

import base64
import io
import json

import pytest
from PIL import Image, ImageFile

from tests import factories
from tests.security.conftest import ASSET, FONT, IMAGE, SAVE, STATUS, URL, make_sec

FONT_FILE = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def encode(image: Image.Image, fmt: str, **options: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def bomb_png() -> bytes:
    """F14a: 400 Mpx declared in ~50 KB."""
    return encode(Image.new("1", (20000, 20000)), "PNG")


def photo_jpeg() -> bytes:
    return encode(Image.effect_noise((256, 256), 64).convert("RGB"), "JPEG", quality=90)


def data_url(data: bytes, media: str = "png") -> str:
    return f"data:image/{media};base64,{base64.b64encode(data).decode()}"


@pytest.fixture
def saved(sec):
    assert sec.client.post(SAVE, json=factories.design(7), headers=sec.headers()).status_code == 202
    return sec


def assert_refused(sec, response, status: int, code: str, before: dict, queued: int) -> None:
    assert (response.status_code, response.json()["ErrorCode"]) == (status, code), response.text
    assert response.json()["Response"] == "Error" and response.headers["X-Request-Id"]
    assert sec.storage.objects == before, "something was stored"
    assert sec.queued_tasks() == queued, "something was enqueued"


# Ids, sizes and view codes: on every endpoint that reads them --------------------------------

READERS = {
    "image": lambda sec, p: sec.client.get(IMAGE, params=p, headers=sec.headers()),
    "status": lambda sec, p: sec.client.get(STATUS, params=p, headers=sec.headers()),
    "url": lambda sec, p: sec.client.post(URL, params=p, headers=sec.headers()),
}


@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize("design_id", ["0", "-1", "abc", "1e9", "9" * 30, "7.0", "0x7", "٧",
                                       "9223372036854775808", ""])
def test_bad_design_ids_are_230(saved, reader, design_id):
    before, queued = dict(saved.storage.objects), saved.queued_tasks()
    response = READERS[reader](saved, {"DesignId": design_id})
    assert_refused(saved, response, 400, "230", before, queued)


@pytest.mark.parametrize("reader", ["image", "url"])
@pytest.mark.parametrize("params", [{"Width": "-1"}, {"Width": "abc"}, {"Height": "1e9"},
                                    {"Width": "١٢"}, {"Width": "1.5"}, {"Height": " 7 7"}])
def test_sizes_that_are_not_integers_are_233(saved, reader, params):
    before, queued = dict(saved.storage.objects), saved.queued_tasks()
    response = READERS[reader](saved, {"DesignId": 7, **params})
    assert_refused(saved, response, 400, "233", before, queued)


@pytest.mark.parametrize("params", [
    {"Width": "100000"}, {"Width": "9" * 30}, {"Width": "10001"},
    {"Width": "9000", "Height": "9000"}, {"Height": "6000"}, {"Width": "100000", "Height": "1"},
])
def test_sizes_over_the_limits_are_234_and_enqueue_nothing(saved, params):
    """Height 6000 alone is refused too: the width it implies (aspect 2:1) is over the side limit;
    every size is checked before anything is enqueued."""
    before, queued = dict(saved.storage.objects), saved.queued_tasks()
    response = READERS["image"](saved, {"DesignId": 7, **params})
    assert_refused(saved, response, 400, "234", before, queued)


@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize("view", ["../x", "..", "a/b", "/etc/passwd", "x\x00y", "front\n",
                                  "front%00", "v" * 10_000, "front\\..\\x"])
def test_hostile_view_codes_are_232(saved, reader, view):
    before, queued = dict(saved.storage.objects), saved.queued_tasks()
    response = READERS[reader](saved, {"DesignId": 7, "viewCode": view})
    assert_refused(saved, response, 404, "232", before, queued)


@pytest.mark.parametrize("view", ["../x", "a/b", "x\x00y", "v" * 10_000, "front\n", ""])
def test_hostile_view_codes_are_refused_at_save(sec, view):
    before = dict(sec.storage.objects)
    response = sec.client.post(SAVE, json=factories.design(8, factories.view(view)),
                               headers=sec.headers())
    assert_refused(sec, response, 422, "240", before, 0)
    assert response.json()["Data"][0]["Field"].startswith("Views[0].ViewCode")


# Bodies -----------------------------------------------------------------------------------------

def test_body_over_the_limit_is_413_241_on_every_upload(sec):
    limit = sec.services.settings.max_body_bytes
    before = dict(sec.storage.objects)
    for path, size in ((SAVE, limit + 1), (ASSET, sec.services.settings.max_asset_bytes + 1),
                       (FONT + "?family=Big", sec.services.settings.max_asset_bytes + 1)):
        response = sec.client.post(path, content=b"{" + b" " * size, headers=sec.headers())
        assert_refused(sec, response, 413, "241", before, 0)


def test_body_that_lies_about_its_length_is_cut_at_the_limit(sec):
    """Chunked upload without Content-Length: the stream is counted, not trusted."""
    limit = sec.services.settings.max_body_bytes
    chunks = (b" " * 65536 for _ in range(limit // 65536 + 2))
    response = sec.client.post(SAVE, content=chunks, headers=sec.headers())
    assert_refused(sec, response, 413, "241", {**sec.storage.objects}, 0)


@pytest.mark.parametrize("body, field", [
    (b"[" * 10_000 + b"]" * 10_000, ""),
    (b'{"DesignId": 1, "Views": ' + b"[" * 10_000 + b"]" * 10_000 + b"}", ""),
    (b"not json at all", ""),
    (b"\xff\xfe\x00garbage", ""),
    (b"", ""),
    (b"null", ""),
    (json.dumps({"DesignId": "abc", "Views": []}).encode(), "DesignId"),
    (json.dumps({"DesignId": 1, "Views": "front"}).encode(), "Views"),
    (json.dumps(factories.design(1, factories.view("front", factories.rect(left="x")))).encode(),
     "Views[0].Canvas.objects[0].left"),
    (json.dumps(factories.design(1, factories.view("front", factories.rect(width=1e999)))
                ).replace("Infinity", "1e999").encode(), "Views[0].Canvas.objects[0].width"),
    (json.dumps(factories.design(1, factories.view("front", {"type": "text", "text": 5}))).encode(),
     "Views[0].Canvas.objects[0].text"),
    (json.dumps(factories.design(1, factories.view("front", {"type": "script"}))).encode(),
     "Views[0].Canvas.objects[0].type"),
    (json.dumps(factories.design(1, factories.view("front", "not an object"))).encode(),
     "Views[0].Canvas.objects[0]"),
])
def test_malformed_designs_are_240_with_the_field_path(sec, body, field):
    response = sec.client.post(SAVE, content=body, headers=sec.headers())
    assert_refused(sec, response, 422, "240", {**sec.storage.objects}, 0)
    assert response.json()["Data"][0]["Field"] == field


def test_hundred_thousand_objects_are_241(sec):
    design = factories.design(1, factories.view("front", *([{"type": "rect"}] * 100_000)))
    body = json.dumps(design, separators=(",", ":")).encode()
    assert len(body) < sec.services.settings.max_body_bytes  # the object count is what is refused
    response = sec.client.post(SAVE, content=body, headers=sec.headers())
    assert_refused(sec, response, 413, "241", {**sec.storage.objects}, 0)


def test_deep_groups_within_the_byte_limit_are_refused(sec):
    deep = '{"type":"group","objects":[' * 5_000 + '{"type":"rect"}' + "]}" * 5_000
    body = json.dumps(factories.design(1, factories.view("front", {"type": "rect"})))
    body = body.replace('{"type": "rect"}', deep)
    response = sec.client.post(SAVE, content=body.encode(), headers=sec.headers())
    assert_refused(sec, response, 422, "240", {**sec.storage.objects}, 0)


# Images: uploads and data: URLs --------------------------------------------------------------

def truncated_jpeg() -> bytes:
    data = photo_jpeg()
    return data[: len(data) // 2]


BAD_IMAGES = {
    "bomb": (bomb_png, "too large"),
    "truncated jpeg": (truncated_jpeg, "truncated"),
    "truncated png": (lambda: factories.png_bytes((300, 300))[:-40], ""),
    "wrong magic": (lambda: b"GIF89a" + photo_jpeg()[6:], ""),
    "jpeg bytes, no magic": (lambda: b"\0\0" + photo_jpeg(), "not a PNG"),
    "html": (lambda: b"<html><script>alert(1)</script></html>", "not a PNG"),
    "svg": (lambda: b"<svg xmlns='http://www.w3.org/2000/svg'/>", "not a PNG"),
    "empty": (lambda: b"", "not a PNG"),
}


@pytest.mark.parametrize("name", BAD_IMAGES)
def test_bad_images_are_242_at_upload(sec, name, monkeypatch):
    make, reason = BAD_IMAGES[name]
    data = make()
    if name == "bomb":  # refused from the header: no pixel is ever decoded
        monkeypatch.setattr(ImageFile.ImageFile, "load", lambda self: pytest.fail("decoded"))
    response = sec.client.post(ASSET, content=data, headers=sec.headers())
    assert_refused(sec, response, 422, "242", {**sec.storage.objects}, 0)
    assert reason in response.json()["Data"]["Reason"]


@pytest.mark.parametrize("name", BAD_IMAGES)
def test_bad_images_are_242_at_save_as_data_urls(sec, name, monkeypatch):
    make, _ = BAD_IMAGES[name]
    data = make()
    if name == "bomb":
        monkeypatch.setattr(ImageFile.ImageFile, "load", lambda self: pytest.fail("decoded"))
    design = factories.design(3, factories.view("front", {"type": "image", "src": data_url(data)}))
    response = sec.client.post(SAVE, json=design, headers=sec.headers())
    assert_refused(sec, response, 422, "242", {**sec.storage.objects}, 0)
    assert response.json()["Data"][0]["Field"] == "Views[0].Canvas.objects[0].src"


def odd_images() -> dict[str, bytes]:
    palette = Image.new("P", (32, 32), 1)
    palette.putpalette([255, 0, 0, 0, 0, 255])
    cmyk = Image.new("CMYK", (32, 32), (0, 255, 255, 0))
    rotated = Image.new("RGB", (40, 20), (255, 0, 0))
    exif = rotated.getexif()
    exif[0x0112] = 6
    sixteen = Image.new("I;16", (32, 32), 40000)
    return {
        "palette png with transparency": encode(palette, "PNG", transparency=1),
        "cmyk jpeg": encode(cmyk, "JPEG"),
        "exif-rotated jpeg": encode(rotated, "JPEG", exif=exif),
        "16-bit png": encode(sixteen, "PNG"),
        "webp with alpha": encode(Image.new("RGBA", (8, 8), (0, 255, 0, 128)), "WEBP",
                                  lossless=True),
    }


@pytest.mark.parametrize("name", odd_images())
def test_valid_odd_images_are_accepted_by_upload_and_as_data_urls(sec, name):
    data = odd_images()[name]
    uploaded = sec.client.post(ASSET, content=data, headers=sec.headers())
    assert uploaded.status_code == 201, uploaded.text
    if name == "exif-rotated jpeg":
        assert (uploaded.json()["Data"]["Width"], uploaded.json()["Data"]["Height"]) == (20, 40)
    media = "webp" if "webp" in name else ("jpeg" if "jpeg" in name else "png")
    for src in (uploaded.json()["Data"]["Src"], data_url(data, media)):
        design = factories.design(4, factories.view("front", {"type": "image", "src": src}))
        response = sec.client.post(SAVE, json=design, headers=sec.headers())
        assert response.status_code == 202, response.text


# Fonts ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("data", [
    b"\x00\x01\x00\x00" + b"\0" * 200,
    b"OTTO" + b"garbage" * 50,
    open(FONT_FILE, "rb").read()[:5000],
    b"<html>not a font</html>",
    b"",
], ids=["ttf header only", "otf garbage", "truncated ttf", "html", "empty"])
def test_corrupt_fonts_are_242_at_upload(sec, data):
    before = dict(sec.storage.objects)
    response = sec.client.post(FONT, params={"family": "Broken"}, content=data,
                               headers=sec.headers())
    assert_refused(sec, response, 422, "242", before, 0)
    assert sec.website(23).fonts == []


@pytest.mark.parametrize("params", [{}, {"family": ""}, {"family": "x" * 101},
                                    {"family": "A", "weight": "heavy"},
                                    {"family": "A", "style": "slanted"}])
def test_font_upload_parameters_are_checked(sec, params):
    response = sec.client.post(FONT, params=params, content=open(FONT_FILE, "rb").read(),
                               headers=sec.headers())
    assert_refused(sec, response, 422, "240", {**sec.storage.objects}, 0)


def test_a_small_data_url_limit_is_enforced(sec_redis_url):
    sec, client = make_sec(sec_redis_url, max_data_url_bytes=2048)
    with client:
        design = factories.design(2, factories.view(
            "front", {"type": "image", "src": data_url(photo_jpeg(), "jpeg")}))
        response = sec.client.post(SAVE, json=design, headers=sec.headers())
        assert_refused(sec, response, 422, "242", {**sec.storage.objects}, 0)
        assert "larger than the limit" in response.json()["Data"][0]["Message"]
    sec.services.close()
