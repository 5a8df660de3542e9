"""F30: print files are streamed from S3 in chunks, not held whole: five concurrent downloads of
a large PNG leave the API's peak memory nearly unchanged, with exact lengths and bytes."""
from __future__ import annotations

import hashlib
import io
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
from PIL import Image

from shared import layout
from tests import factories
from tests.e2e.test_main_job import IMAGE, SAVE
from tests.stacks import poll_image


def noise_png(side: int) -> bytes:
    pixels = np.random.default_rng(7).integers(0, 256, (side, side, 3), dtype=np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(pixels, "RGB").save(buffer, "PNG", compress_level=1)
    return buffer.getvalue()


def peak_rss_kib(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM")))


def test_print_file_is_streamed_with_flat_memory(e2e):
    with e2e.client() as client:
        src = client.post("/api/4/Asset/Upload", content=noise_png(2000)).json()["Data"]["Src"]
        design = factories.design(400, factories.view(
            "front", {"type": "image", "src": src, "left": 0, "top": 0, "scaleX": 0.5, "scaleY": 0.5},
            width=1000, height=1000, PrintMultiplier=4))
        saved = client.post(SAVE, json=design)
        assert saved.status_code == 202, saved.text
        ready = poll_image(client, {"DesignId": 400, "Width": 256}, timeout_s=120)
        assert ready.status_code == 200, ready.text  # the print file itself is not fetched yet
    key = layout.rendition_key(23, 400, saved.json()["Data"]["Revision"], "front", 4000, 4000, "png")
    stored = e2e.storage.get(key).data
    assert len(stored) > 20_000_000, len(stored)  # a genuinely large file
    expected = hashlib.sha256(stored).hexdigest()
    del stored

    api_pid = e2e.stack.procs["api"].pid
    before_kib = peak_rss_kib(api_pid)

    def download(_: int) -> tuple[int, int, str]:
        digest, total = hashlib.sha256(), 0
        with e2e.client() as client, client.stream("GET", IMAGE, params={"DesignId": 400}) as r:
            for chunk in r.iter_bytes():
                digest.update(chunk)
                total += len(chunk)
            return int(r.headers["content-length"]), total, digest.hexdigest()

    with ThreadPoolExecutor(5) as pool:
        results = list(pool.map(download, range(5)))
    for declared, received, digest in results:
        assert declared == received and digest == expected
    growth_mib = (peak_rss_kib(api_pid) - before_kib) / 1024
    assert growth_mib < 50, f"API peak RSS grew by {growth_mib:.0f} MiB"

    with e2e.client() as client:
        head = client.head(IMAGE, params={"DesignId": 400})
        assert head.status_code == 200 and head.content == b""
        assert int(head.headers["content-length"]) == results[0][0]
        cached = client.get(IMAGE, params={"DesignId": 400},
                            headers={"If-None-Match": head.headers["etag"]})
        assert cached.status_code == 304
        assert Image.open(io.BytesIO(ready.content)).size == (256, 256)
