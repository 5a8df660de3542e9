"""Issue 4 items 5 and 6: Redis stopped (the suite's private one) and SeaweedFS stopped or hung
(SIGSTOP). Hits keep answering while Redis is down, misses answer 270; storage failures answer
271; the worker retries with a capped backoff; nothing needs a restart once the service is back;
a hung S3 never stalls the event loop (F30)."""
from __future__ import annotations

import asyncio
import os
import signal
import time

import httpx

from shared import layout
from tests.faults.support import IMAGE, SAVE, STATUS, WEBSITE_ID, light_design, wait_for


def _code(response: httpx.Response) -> tuple[int, str | None]:
    return response.status_code, response.json().get("ErrorCode")


def test_redis_down_hits_still_served_misses_270_and_recovery_without_restart(faults):
    hot, cold, miss, unsaved = 341, 342, 343, 344
    for design_id in (hot, cold):
        revision = faults.save(light_design(design_id, views=("front", "back")))
        faults.wait_status(design_id, revision, "ready")
    faults.store(light_design(miss))
    assert faults.poll_image({"DesignId": hot}).status_code == 200  # now in the API's caches
    pids = {name: proc.pid for name, proc in faults.stack.procs.items() if name != "redis"}

    faults.stack.stop_redis()
    try:
        with faults.client() as client:
            assert client.get(IMAGE, params={"DesignId": hot}).status_code == 200
            for params in ({"DesignId": cold}, {"DesignId": cold, "viewCode": "back", "Width": 64},
                           {"DesignId": cold, "Width": 77}):
                assert client.get(IMAGE, params=params).status_code == 200, params
            status = client.get(STATUS, params={"DesignId": cold}).json()["Data"]
            assert status["Status"] == "ready"
            assert _code(client.get(IMAGE, params={"DesignId": miss})) == (503, "270")
            assert _code(client.post(SAVE, json=light_design(unsaved))) == (503, "270")
            assert client.get("/readyz").status_code == 503
            assert client.get("/healthz").status_code == 200
    finally:
        faults.stack.restart_redis()  # empty: as after a crash without persistence

    assert faults.storage.get(layout.design_key(WEBSITE_ID, unsaved)) is None
    assert faults.poll_image({"DesignId": miss}, timeout_s=120).status_code == 200
    assert faults.poll_image({"DesignId": hot}).status_code == 200
    assert {name: proc.pid for name, proc in faults.stack.procs.items() if name != "redis"} == pids
    assert all(proc.poll() is None for proc in faults.stack.procs.values())


def test_s3_down_answers_271_worker_retries_with_capped_backoff_then_recovers(faults):
    rendered, pending = 351, 352
    revision = faults.save(light_design(rendered))
    faults.wait_status(rendered, revision, "ready")
    worker = faults.stack.procs["worker"]
    os.killpg(worker.pid, signal.SIGSTOP)
    try:
        pending_revision = faults.save(light_design(pending))
        faults.stack.stop_s3()
    finally:
        os.killpg(worker.pid, signal.SIGCONT)
    try:
        faults.wait_status(pending, pending_revision, "failed", timeout_s=90)
        error = faults.state(pending, pending_revision).error
        assert error == {"ErrorCode": 271, "Reason": "storage stayed unavailable after 3 retries"}
        with faults.client() as client:
            assert _code(client.get(IMAGE, params={"DesignId": pending})) == (503, "271")
            assert _code(client.get(IMAGE, params={"DesignId": rendered})) == (503, "271")
            assert _code(client.post(SAVE, json=light_design(353))) == (503, "271")
            assert client.get("/readyz").status_code == 503
            assert client.get("/healthz").status_code == 200
    finally:
        faults.stack.restart_s3()
    assert faults.log_count("StorageUnavailable") >= 3
    assert faults.log_count("retry: Retry in") >= 3

    assert faults.poll_image({"DesignId": rendered}).status_code == 200
    with faults.client() as client:
        def healed() -> bool:  # 271 until the short failure marker expires, then 202, then 200
            response = client.get(IMAGE, params={"DesignId": pending})
            assert response.status_code in (200, 202, 503), response.text
            return response.status_code == 200

        wait_for(healed, 90, "the job failed by the outage to heal", interval_s=0.5)
    assert faults.renders(pending) == 1
    assert all(proc.poll() is None for proc in faults.stack.procs.values())


def test_hung_s3_does_not_stall_other_requests_f30(faults):
    """20 cold requests wait on a frozen S3 (each for its read timeout, 3 s × 2 attempts) while
    /healthz and a cached image keep answering: boto3 runs in threads, not on the event loop."""
    design_id = 361
    revision = faults.save(light_design(design_id))
    faults.wait_status(design_id, revision, "ready")
    assert faults.poll_image({"DesignId": design_id}).status_code == 200  # cached from now on

    async def scenario() -> tuple[list[tuple[float, int]], list[float]]:
        async with httpx.AsyncClient(base_url=faults.stack.api_url, headers=faults.headers,
                                     timeout=60) as client:
            async def timed(params: dict) -> tuple[float, int]:
                started = time.monotonic()
                response = await client.get(IMAGE, params=params)
                return time.monotonic() - started, response.status_code

            async def probe() -> list[float]:
                latencies = []
                while not cold.done():
                    for path, params in (("/healthz", None), (IMAGE, {"DesignId": design_id})):
                        started = time.monotonic()
                        response = await client.get(path, params=params)
                        assert response.status_code == 200
                        latencies.append(time.monotonic() - started)
                    await asyncio.sleep(0.2)
                return latencies

            cold = asyncio.gather(*(timed({"DesignId": design_id, "Width": w})
                                    for w in range(101, 121)))
            latencies = await probe()
            return await cold, latencies

    s3 = faults.stack.procs["s3"]
    os.killpg(s3.pid, signal.SIGSTOP)
    try:
        cold_results, probe_latencies = asyncio.run(scenario())
    finally:
        os.killpg(s3.pid, signal.SIGCONT)
    assert {status for _, status in cold_results} == {503}
    assert min(elapsed for elapsed, _ in cold_results) >= 2.5  # they really waited on S3
    assert len(probe_latencies) >= 10
    assert max(probe_latencies) < 1.0, probe_latencies
    assert faults.poll_image({"DesignId": design_id, "Width": 101}).status_code == 200
