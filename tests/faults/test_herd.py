"""Issue 4 item 4 (F21): 500 concurrent misses for one fresh design, over several views and
sizes, make exactly one render job; every request gets 202, then 200."""
from __future__ import annotations

import asyncio
import os
import signal

import httpx

from tests.faults.support import IMAGE, light_design, wait_for

HERD = 500


async def _herd(faults, params: list[dict]) -> list[int]:
    limits = httpx.Limits(max_connections=100, max_keepalive_connections=100)
    async with httpx.AsyncClient(base_url=faults.stack.api_url, headers=faults.headers,
                                 timeout=60, limits=limits) as client:
        responses = await asyncio.gather(*(client.get(IMAGE, params=p) for p in params))
    return [r.status_code for r in responses]


def test_herd_of_500_misses_makes_one_job(faults):
    design_id = 331
    revision = faults.store(light_design(design_id, views=("front", "back")))
    shapes = [{"DesignId": design_id, "viewCode": view, **size}
              for view in ("front", "back") for size in ({}, {"Width": 64}, {"Width": 150},
                                                         {"Width": 90, "Height": 90})]
    params = [shapes[i % len(shapes)] for i in range(HERD)]
    worker = faults.stack.procs["worker"]
    os.killpg(worker.pid, signal.SIGSTOP)  # the job cannot finish while the herd arrives
    try:
        first = asyncio.run(_herd(faults, params))
        assert first == [202] * HERD
        assert faults.status(design_id, revision) == "queued"
    finally:
        os.killpg(worker.pid, signal.SIGCONT)
    faults.wait_status(design_id, revision, "ready")
    second = asyncio.run(_herd(faults, params))
    assert second == [200] * HERD
    wait_for(lambda: faults.renders(design_id), 10, "render log line")
    assert faults.deliveries(design_id) == 1
    assert faults.renders(design_id) == 1
