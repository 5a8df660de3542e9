"""Worker memory over many large renders (field case F24), on demand: not a timed test.

Starts a private stack (redis-server, SeaweedFS, ONE Celery worker at concurrency 1, the API),
uploads one large photo, then saves N designs that each draw it at print size, one after the
other, and prints the pool child's resident memory after every task. A child replaced by
``worker_max_memory_per_child`` shows up as a new pid. Usage:

    .venv/bin/python scripts/bench_memory.py --designs 100 [--photo 6000x4000] [--limit-mb 2000]
"""
from __future__ import annotations

import argparse
import io
import sys
import tempfile
import time
from pathlib import Path

import httpx
import numpy as np
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scripts.stack import Stack, wait_until  # noqa: E402

WEBSITE_ID = 23


def photo_jpeg(width: int, height: int) -> bytes:
    """A photo-like JPEG (smooth gradients plus grain) that decodes to width × height."""
    rng = np.random.default_rng(7)
    y, x = np.mgrid[0:height, 0:width].astype(np.float32)
    base = np.stack([x / width * 255, y / height * 255, (x + y) / (width + height) * 255], axis=-1)
    grain = rng.normal(0, 12, size=(height, width, 3)).astype(np.float32)
    pixels = np.clip(base + grain, 0, 255).astype(np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(pixels, "RGB").save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def design(design_id: int, src: str, photo: tuple[int, int]) -> dict:
    """A 1200×800 canvas printed at 5× (6000×4000 px) with the photo filling it, and a caption
    that makes every design's revision different."""
    scale = min(1200 / photo[0], 800 / photo[1])
    objects = [
        {"type": "image", "src": src, "left": 0, "top": 0, "scaleX": scale, "scaleY": scale},
        {"type": "text", "left": 40, "top": 40, "text": f"design {design_id}", "fontSize": 48,
         "fontFamily": "DejaVu Sans", "fill": "#ffffff"},
    ]
    return {"DesignId": design_id, "Views": [{
        "ViewCode": "front", "Width": 1200, "Height": 800, "Dpi": 300, "PrintMultiplier": 5,
        "Canvas": {"version": "5.3.0", "objects": objects}}]}


def pool_children(main_pid: int) -> list[int]:
    children = Path(f"/proc/{main_pid}/task/{main_pid}/children").read_text().split()
    return [int(pid) for pid in children]


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--designs", type=int, default=100)
    parser.add_argument("--photo", default="6000x4000", help="photo size, WxH")
    parser.add_argument("--limit-mb", type=int, default=2000,
                        help="worker_max_memory_per_child in MB (the service default is 2000)")
    args = parser.parse_args()
    photo = tuple(int(v) for v in args.photo.split("x"))

    with tempfile.TemporaryDirectory(prefix="bench-memory-") as workdir:
        stack = Stack(workdir=Path(workdir))
        stack.env.update({"DESIGNIMAGE_WORKER_MAX_MEMORY_PER_CHILD_KB": str(args.limit_mb * 1024),
                          "DESIGNIMAGE_WORKER_MAX_TASKS_PER_CHILD": "1000000"})
        try:
            stack.workdir.mkdir(parents=True, exist_ok=True)
            stack.start_redis(private=True)
            stack.start_s3()
            from shared.settings import Settings
            from shared.storage import S3Storage
            from shared.websites import Website, WebsiteStore

            settings = Settings(**{k.removeprefix("DESIGNIMAGE_").lower(): v
                                   for k, v in stack.env.items() if k.startswith("DESIGNIMAGE_")})
            site = Website(id=WEBSITE_ID, name="bench")
            key = site.add_key()
            WebsiteStore(S3Storage.from_settings(settings)).save(site)
            stack.start_worker(concurrency=1)
            stack.start_api()
            main_pid = stack.procs["worker"].pid
            headers = {"websiteId": str(WEBSITE_ID), "webApiClientKey": key}
            with httpx.Client(base_url=stack.api_url, headers=headers, timeout=120) as client:
                upload = client.post("/api/4/Asset/Upload", content=photo_jpeg(*photo))
                upload.raise_for_status()
                src = upload.json()["Data"]["Src"]
                print(f"photo {photo[0]}x{photo[1]}, output 6000x4000 + thumbnails, "
                      f"limit {args.limit_mb} MB per child")
                print(f"{'task':>4} {'child':>8} {'rss_mb':>8} {'seconds':>8}")
                child_baseline = rss_mb(pool_children(main_pid)[0])
                print(f"{0:>4} {pool_children(main_pid)[0]:>8} {child_baseline:>8.0f} {'-':>8}")
                for index in range(1, args.designs + 1):
                    started = time.perf_counter()
                    saved = client.post("/api/4/Design/SaveDesign", json=design(index, src, photo))
                    saved.raise_for_status()
                    wait_until(lambda: client.get("/api/4/Design/GetDesignImageStatus",
                                                  params={"DesignId": index}).json()["Data"]
                               ["Status"] in ("ready", "failed"), 300, f"design {index}")
                    elapsed = time.perf_counter() - started
                    child = pool_children(main_pid)[0]
                    print(f"{index:>4} {child:>8} {rss_mb(child):>8.0f} {elapsed:>8.2f}", flush=True)
            print(f"worker main process rss: {rss_mb(main_pid):.0f} MB")
        finally:
            stack.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
