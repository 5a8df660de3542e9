"""On-demand benchmarks (``make bench``): prints figures, asserts nothing.

Everything is measured side by side in one run on this machine, so ratios are what to read:
1. the cache-hit path (GetDesignImage of a hot thumbnail) against a bare Starlette route returning
   the same bytes from memory, both under uvicorn with one process, loaded by wrk on 127.0.0.1;
2. SaveDesign → image ready for the demo design (real Redis, SeaweedFS, Celery worker);
3. encoding and thumbnail choices of the worker (PNG zlib levels, chained vs independent resizes).
"""
from __future__ import annotations

import io
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scripts.run_local import demo_design, demo_image  # noqa: E402
from scripts.stack import BIN, ROOT, Stack, _http_status, free_port, wait_until  # noqa: E402

WRK_SECONDS = int(os.environ.get("BENCH_SECONDS", "8"))
BARE_APP = '''
from starlette.applications import Starlette
from starlette.responses import Response
from starlette.routing import Route
DATA = open({path!r}, "rb").read()
async def image(request):
    return Response(DATA, media_type="image/png", headers={{"ETag": '"x"'}})
app = Starlette(routes=[Route("/image", image)])
'''


def wrk(url: str, headers: dict[str, str]) -> tuple[float, str]:
    argv = ["wrk", "-t2", "-c32", f"-d{WRK_SECONDS}s", "--latency", url]
    for name, value in headers.items():
        argv[1:1] = ["-H", f"{name}: {value}"]
    out = subprocess.run(argv, capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = re.search(r"99%\s+(\S+)", out).group(1)
    return rate, p99


def bench_hit_path(stack: Stack, headers: dict[str, str], design_id: int) -> None:
    url = f"{stack.api_url}/api/4/Design/GetDesignImage?DesignId={design_id}&viewCode=front&Width=256"
    body = httpx.get(url, headers=headers).content
    with tempfile.TemporaryDirectory() as tmp:
        image_path = Path(tmp) / "image.png"
        image_path.write_bytes(body)
        (Path(tmp) / "bare.py").write_text(BARE_APP.format(path=str(image_path)))
        port = free_port()
        bare = subprocess.Popen([str(BIN / "uvicorn"), "bare:app", "--port", str(port),
                                 "--no-access-log", "--log-level", "warning"], cwd=tmp)
        try:
            wait_until(lambda: _http_status(f"http://127.0.0.1:{port}/image") == 200, 30, "bare app")
            ours, ours_p99 = wrk(url, headers)
            baseline, base_p99 = wrk(f"http://127.0.0.1:{port}/image", {})
        finally:
            bare.terminate()
            bare.wait(10)
    print(f"\n1. cache hit, {len(body)} B PNG, wrk -t2 -c32 -d{WRK_SECONDS}s, one uvicorn process each")
    print(f"   GetDesignImage (auth, params, Redis pointer, LRU): {ours:8.0f} req/s  p99 {ours_p99}")
    print(f"   bare Starlette route, same bytes from memory:     {baseline:8.0f} req/s  p99 {base_p99}")
    print(f"   ratio ours / bare: {ours / baseline:.2f}")


def bench_save_to_ready(stack: Stack, headers: dict[str, str], src: str) -> int:
    times = []
    with httpx.Client(base_url=stack.api_url, headers=headers, timeout=60) as client:
        for i in range(5):
            design = demo_design(src)
            design["DesignId"] = 5000 + i
            design["Views"][0]["Canvas"]["objects"][1]["text"] = f"Happy Birthday #{i}"
            started = time.perf_counter()
            client.post("/api/4/Design/SaveDesign", json=design).raise_for_status()
            response = client.get("/api/4/Design/GetDesignImage",
                                  params={"DesignId": 5000 + i, "wait": 30})
            assert response.status_code == 200, response.text
            times.append(time.perf_counter() - started)
    print("\n2. SaveDesign → full-size image served (demo design, 1200×1400 print file + 5 thumbnails)")
    print(f"   median {statistics.median(times) * 1000:.0f} ms, min {min(times) * 1000:.0f} ms, "
          f"max {max(times) * 1000:.0f} ms over {len(times)} designs")
    return 5000


def bench_encoding(stack: Stack, headers: dict[str, str], src: str) -> None:
    design = demo_design(src)
    design["DesignId"] = 6000
    design["Views"][0]["PrintMultiplier"] = 4
    with httpx.Client(base_url=stack.api_url, headers=headers, timeout=60) as client:
        client.post("/api/4/Design/SaveDesign", json=design).raise_for_status()
        data = client.get("/api/4/Design/GetDesignImage", params={"DesignId": 6000, "wait": 30}).content
    image = Image.open(io.BytesIO(data)).convert("RGBA")
    print(f"\n3. worker choices on a {image.width}×{image.height} RGBA render of the demo design")
    for level in (1, 6, 9):
        started = time.perf_counter()
        buffer = io.BytesIO()
        image.save(buffer, "PNG", compress_level=level)
        print(f"   PNG level {level}: {(time.perf_counter() - started) * 1000:6.0f} ms, "
              f"{len(buffer.getvalue()) / 1024:7.0f} KiB")
    sides = [1024, 512, 256, 128, 64]
    sizes = [(s, round(s * image.height / image.width)) if image.width >= image.height
             else (round(s * image.width / image.height), s) for s in sides]
    started = time.perf_counter()
    for size in sizes:
        image.resize(size, Image.Resampling.LANCZOS)
    independent = time.perf_counter() - started
    started = time.perf_counter()
    previous = image
    for size in sizes:
        previous = previous.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
    chained = time.perf_counter() - started
    print(f"   thumbnails {sides}: independent LANCZOS {independent * 1000:.0f} ms, "
          f"chained {chained * 1000:.0f} ms")


def main() -> int:
    if shutil.which("wrk") is None:
        print("wrk is needed for the load figures: apt-get install wrk", file=sys.stderr)
        return 2
    stack = Stack(workdir=ROOT / "var" / "bench", redis_db=14)
    try:
        stack.workdir.mkdir(parents=True, exist_ok=True)
        import redis

        redis.Redis.from_url(stack.start_redis()).flushdb()
        stack.start_s3()
        stack.start_worker()
        stack.start_api()
        from scripts.run_local import create_website

        key = create_website(stack.env)
        headers = {"websiteId": "23", "webApiClientKey": key}
        src = httpx.post(f"{stack.api_url}/api/4/Asset/Upload", content=demo_image(),
                         headers=headers).json()["Data"]["Src"]
        design_id = bench_save_to_ready(stack, headers, src)
        bench_hit_path(stack, headers, design_id)
        bench_encoding(stack, headers, src)
    finally:
        stack.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
