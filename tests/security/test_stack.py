"""Security and hostile input on the real stack (Redis, SeaweedFS, Celery worker, uvicorn): signed
URLs from the API and the CLI fetched with no headers, 1,000 distinct widths staying bounded,
odd image formats rendered correctly, and font fallback reported."""
from __future__ import annotations

import base64
import io
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

import httpx
import redis
from PIL import Image

from shared import layout
from shared.jobs import PREFIX as JOB_PREFIX
from tests import factories
from tests.stacks import poll_image
from tests.security.conftest import ASSET, FONT, IMAGE, SAVE, STATUS, URL
from tests.security.test_hostile_input import bomb_png, encode

CLI = Path(sys.executable).parent / "designimage"
FONT_FILE = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def save_and_render(client: httpx.Client, design: dict) -> str:
    saved = client.post(SAVE, json=design)
    assert saved.status_code == 202, saved.text
    ready = poll_image(client, {"DesignId": design["DesignId"]})
    assert ready.status_code == 200, ready.text
    return saved.json()["Data"]["Revision"]


def test_signed_urls_from_api_and_cli_serve_the_image_without_headers(stack):
    with stack.client() as client:
        save_and_render(client, factories.design(300, factories.view(
            "front", factories.rect(0, 0, 100, 100, fill="#ff0000"), width=200, height=100)))
        expected = poll_image(client, {"DesignId": 300, "Width": 64}).content
        minted = client.post(URL, params={"DesignId": 300, "Width": 64}).json()["Data"]["Url"]
    cli = subprocess.run([str(CLI), "sign-url", "--website", "23", "--design", "300", "--width",
                          "64", "--base-url", stack.stack.api_url], capture_output=True, text=True,
                         env={**os.environ, **stack.stack.env}, timeout=60, check=True)
    from_cli = cli.stdout.strip()
    assert from_cli.startswith(stack.stack.api_url + IMAGE + "?")
    for url in (stack.stack.api_url + minted, from_cli):
        assert stack.keys[23] not in url
        response = httpx.get(url, timeout=60)  # no headers at all, as an <img src>
        assert response.status_code == 200, response.text
        assert response.headers["content-type"] == "image/png" and response.content == expected
        items = parse_qsl(urlsplit(url).query)
        for name, value in (("Width", "65"), ("DesignId", "301"), ("websiteId", "24")):
            forged = urlencode([(k, value if k == name else v) for k, v in items])
            refused = httpx.get(f"{stack.stack.api_url}{IMAGE}?{forged}", timeout=60)
            assert (refused.status_code, refused.json()["ErrorCode"]) == (403, "227")
    for process in ("api", "worker"):
        assert stack.keys[23] not in stack.stack.log(process)


def test_thousand_distinct_widths_stay_bounded_in_renders_and_s3_objects(stack):
    """F14d: sizes up to the full size are derived in the API from stored renditions; above it,
    renders happen only at the rungs of the upscale ladder (×2, ×4, ×8 …)."""
    with stack.client() as client:
        revision = save_and_render(client, factories.design(301, factories.view(
            "front", factories.rect(0, 0, 100, 100, fill="#0000ff"), width=200, height=100)))
        prefix = layout.revision_prefix(23, 301, revision)
        stored_after_render = len(stack.keys_under(prefix))
        first_pass = [client.get(IMAGE, params={"DesignId": 301, "Width": w}).status_code
                      for w in range(1, 1001)]
        assert set(first_pass) <= {200, 202} and first_pass[:200] == [200] * 200
        for width in (400, 800, 1000):  # wait for the ladder rungs (400, 800, 1600 wide)
            assert poll_image(client, {"DesignId": 301, "Width": width}).status_code == 200
        second_pass = [client.get(IMAGE, params={"DesignId": 301, "Width": w})
                       for w in range(1, 1001)]
    assert [r.status_code for r in second_pass] == [200] * 1000
    assert Image.open(io.BytesIO(second_pass[999].content)).size == (1000, 500)
    objects = stack.keys_under(prefix)
    rungs = {k.rsplit("/", 1)[1] for k in objects} - {"manifest.json"}
    assert len(objects) <= stored_after_render + 3, sorted(objects)
    assert {"400x200.png", "800x400.png", "1600x800.png"} <= rungs
    jobs = redis.Redis.from_url(stack.stack.env["DESIGNIMAGE_REDIS_URL"]).keys(
        f"{JOB_PREFIX}job:23:301:*")
    assert len(jobs) <= 1 + 3  # the design's render and one per rung, never one per width


def odd_images() -> dict[str, bytes]:
    """Palette PNG (left half opaque red, right half transparent), Adobe CMYK JPEG (red),
    JPEG stored 40×20 left red / right blue with EXIF orientation 6 (shown 20×40, red on top),
    16-bit grey PNG (40000 / 65535 ≈ 156 in 8 bits)."""
    palette = Image.new("P", (40, 40), 1)
    palette.putpalette([255, 0, 0, 0, 255, 0])
    palette.paste(0, (0, 0, 20, 40))
    rotated = Image.new("RGB", (40, 20), (0, 0, 255))
    rotated.paste((255, 0, 0), (0, 0, 20, 20))
    exif = rotated.getexif()
    exif[0x0112] = 6
    return {
        "palette": encode(palette, "PNG", transparency=1),
        "cmyk": encode(Image.new("CMYK", (40, 40), (0, 255, 255, 0)), "JPEG", quality=95),
        "exif": encode(rotated, "JPEG", exif=exif, quality=95),
        "grey16": encode(Image.new("I;16", (40, 40), 40000), "PNG"),
    }


def close(pixel: tuple[int, ...], expected: tuple[int, ...], tolerance: int = 40) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, expected))


def test_odd_image_formats_render_with_right_colours_orientation_and_alpha(stack):
    with stack.client() as client:
        srcs = {}
        for name, data in odd_images().items():
            uploaded = client.post(ASSET, content=data)
            assert uploaded.status_code == 201, uploaded.text
            srcs[name] = uploaded.json()["Data"]["Src"]
        placed = [("palette", 0, 40, 40), ("cmyk", 50, 40, 40), ("exif", 100, 20, 40),
                  ("grey16", 130, 40, 40)]
        objects = [{"type": "image", "src": srcs[n], "left": x, "top": 0, "width": w, "height": h}
                   for n, x, w, h in placed]
        objects.append({"type": "image", "src": "data:image/png;base64," + base64.b64encode(
            odd_images()["palette"]).decode(), "left": 0, "top": 50, "width": 40, "height": 40})
        save_and_render(client, factories.design(302, factories.view(
            "front", *objects, width=200, height=100)))
        image = Image.open(io.BytesIO(poll_image(client, {"DesignId": 302}).content)).convert("RGBA")
    assert image.size == (200, 100)
    px = image.getpixel
    assert px((10, 20)) == (255, 0, 0, 255) and px((30, 20))[3] == 0       # palette + tRNS
    assert px((10, 70)) == (255, 0, 0, 255) and px((30, 70))[3] == 0       # same, as data: URL
    assert close(px((70, 20)), (255, 0, 0, 255)) and px((70, 20))[3] == 255   # CMYK red
    assert close(px((110, 8)), (255, 0, 0, 255)) and close(px((110, 32)), (0, 0, 255, 255))
    assert close(px((150, 20)), (156, 156, 156, 255), tolerance=3)        # 16-bit grey
    assert px((190, 90))[3] == 0                                          # background


def render_text(stack, design_id: int, text: str, family: str) -> tuple[Image.Image, list[str]]:
    """Website 24 (with the uploaded family "Brand", DejaVu Sans: Latin, no CJK) renders text."""
    with stack.client(24) as client:
        font = client.post(FONT, params={"family": "Brand"}, content=open(FONT_FILE, "rb").read())
        assert font.status_code == 201, font.text
        obj = {"type": "textbox", "text": text, "left": 0, "top": 0, "width": 300,
               "fontSize": 40, "fontFamily": family, "fill": "#000000"}
        save_and_render(client, factories.design(design_id, factories.view(
            "front", obj, width=300, height=60)))
        image = Image.open(io.BytesIO(poll_image(client, {"DesignId": design_id}).content))
        status = client.get(STATUS, params={"DesignId": design_id}).json()["Data"]
    return image, status["Warnings"]


def test_missing_font_family_is_rendered_with_the_fallback_and_reported(stack):
    image, warnings = render_text(stack, 305, "Hello", "No Such Family")
    assert image.getchannel("A").getbbox() is not None
    assert any("No Such Family" in w for w in warnings), warnings


def test_text_in_a_script_the_font_lacks_falls_back_with_a_warning(stack):
    image, warnings = render_text(stack, 303, "Love 你好", "Brand")
    assert image.crop((100, 0, 300, 60)).getchannel("A").getbbox() is not None, "CJK not drawn"
    assert any("4F60" in w or "你" in w or "fallback" in w.lower() for w in warnings), warnings


def test_bomb_as_data_url_is_refused_at_save_on_the_stack(stack):
    design = factories.design(304, factories.view("front", {
        "type": "image", "src": "data:image/png;base64," + base64.b64encode(bomb_png()).decode()}))
    with stack.client() as client:
        response = client.post(SAVE, json=design)
    assert (response.status_code, response.json()["ErrorCode"]) == (422, "242")
    assert "too large" in response.json()["Data"][0]["Message"]
    assert stack.storage.get(layout.design_key(23, 304)) is None
