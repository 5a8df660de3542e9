"""``make run``: the whole service on this machine with real Redis, S3, worker and API.

Creates a demo website and key, uploads a demo image, saves a demo design (text, shapes, image),
waits for its render and prints a ready-to-paste curl. Ctrl-C stops everything it started.
"""
from __future__ import annotations

import io
import math
import os
import signal
import sys
import time
from pathlib import Path

import httpx
from PIL import Image, ImageDraw

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scripts.stack import ROOT, Stack  # noqa: E402

WEBSITE_ID = 23
DESIGN_ID = 1001


def demo_image() -> bytes:
    """A small photo-like PNG with alpha: a sun over hills."""
    image = Image.new("RGBA", (240, 160), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    for y in range(160):
        draw.line([(0, y), (239, y)], fill=(90 + y // 2, 160 + y // 3, 235, 255))
    draw.ellipse((150, 20, 210, 80), fill=(255, 200, 40, 255))
    draw.polygon([(0, 160), (0, 110), (70, 70), (140, 120), (200, 90), (240, 115), (240, 160)],
                 fill=(40, 130, 60, 255))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def demo_design(image_src: str) -> dict:
    star = [{"x": 50 + 45 * math.cos(math.pi / 2 + i * math.pi / 5) * (1 if i % 2 == 0 else 0.45),
             "y": 50 - 45 * math.sin(math.pi / 2 + i * math.pi / 5) * (1 if i % 2 == 0 else 0.45)}
            for i in range(10)]
    objects = [
        {"type": "rect", "left": 40, "top": 40, "width": 520, "height": 620, "fill": "",
         "stroke": "#1d3557", "strokeWidth": 6, "rx": 24, "ry": 24},
        {"type": "textbox", "left": 70, "top": 70, "width": 460, "text": "Happy Birthday, Grandma!",
         "fontSize": 44, "fontFamily": "DejaVu Sans", "fontWeight": "bold", "fill": "#e63946",
         "textAlign": "center"},
        {"type": "image", "src": image_src, "left": 180, "top": 230, "width": 240, "height": 160,
         "angle": -4},
        {"type": "circle", "left": 80, "top": 450, "radius": 50, "fill": "#2a9d8f"},
        {"type": "polygon", "left": 420, "top": 450, "points": star, "fill": "#f4a261",
         "stroke": "#264653", "strokeWidth": 2},
        {"type": "text", "left": 300, "top": 600, "originX": "center", "text": "Love, Sam",
         "fontSize": 32, "fontFamily": "DejaVu Serif", "fontStyle": "italic", "fill": "#264653"},
    ]
    return {"DesignId": DESIGN_ID, "DefaultView": "front", "Views": [
        {"ViewCode": "front", "Width": 600, "Height": 700, "Dpi": 300, "PrintMultiplier": 2,
         "Canvas": {"version": "5.3.0", "objects": objects}},
    ]}


def create_website(env: dict[str, str]) -> str:
    os.environ.update(env)
    from shared.settings import Settings
    from shared.storage import S3Storage
    from shared.websites import Website, WebsiteStore

    store = WebsiteStore(S3Storage.from_settings(Settings()))
    website = Website(id=WEBSITE_ID, name="Demo shop")
    key = website.add_key()
    store.save(website)
    return key


def main() -> int:
    port = int(os.environ.get("PORT", "8000"))
    stack = Stack(workdir=ROOT / "var" / "local")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        print("starting Redis, SeaweedFS S3, Celery worker and API …", flush=True)
        stack.start_all(api_port=port)
        key = create_website(stack.env)
        headers = {"websiteId": str(WEBSITE_ID), "webApiClientKey": key}
        with httpx.Client(base_url=stack.api_url, headers=headers, timeout=60) as client:
            asset = client.post("/api/4/Asset/Upload", content=demo_image()).json()["Data"]
            started = time.perf_counter()
            saved = client.post("/api/4/Design/SaveDesign", json=demo_design(asset["Src"]))
            saved.raise_for_status()
            image = client.get("/api/4/Design/GetDesignImage",
                               params={"DesignId": DESIGN_ID, "viewCode": "front", "wait": 30})
            elapsed = time.perf_counter() - started
        print(f"\nAPI:      {stack.api_url}   (docs: {stack.api_url}/docs)")
        print(f"S3:       {stack.env['DESIGNIMAGE_S3_ENDPOINT_URL']}   Redis: {stack.env['DESIGNIMAGE_REDIS_URL']}")
        print(f"logs:     {stack.log_dir}")
        print(f"demo design {DESIGN_ID}: SaveDesign → image ready in {elapsed:.2f} s "
              f"(HTTP {image.status_code}, {len(image.content)} bytes)")
        print(f"website {WEBSITE_ID} key: {key}\n")
        print("Download the demo design's PNG:")
        print(f"  curl -sS -o design.png -H 'websiteId: {WEBSITE_ID}' -H 'webApiClientKey: {key}' "
              f"'{stack.api_url}/api/4/Design/GetDesignImage?DesignId={DESIGN_ID}&viewCode=front&Width=600'")
        print("\nPress Ctrl-C to stop.", flush=True)
        while all(p.poll() is None for p in stack.procs.values()):
            time.sleep(1)
        print("a service exited; see the logs above. Stopping.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        print("\nstopping …", flush=True)
        stack.stop()


if __name__ == "__main__":
    sys.exit(main())
