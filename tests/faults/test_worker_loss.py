"""Issue 4 item 1: workers killed for real (SIGKILL), mid-render. The job is delivered again and
completes once; nothing half-uploaded is served; a design that kills its worker every time fails
after a bounded number of attempts while other jobs keep flowing; an unsafe broker configuration
is refused at start-up."""
from __future__ import annotations

import io
import os
import signal

from PIL import Image

from shared import layout
from tests.faults.support import (IMAGE, WEBSITE_ID, heavy_design, light_design, wait_for)


def _partially_uploaded(faults, design_id: int, revision: str) -> bool:
    """Some renditions are in S3 and the manifest is not: the moment to kill."""
    keys = faults.stored_keys(design_id, revision)
    return bool(keys) and not any(k.endswith("manifest.json") for k in keys)


def _assert_not_served(faults, design_id: int, revision: str) -> None:
    """Half a render in S3, and the API still answers 202 (the manifest is written last)."""
    assert faults.storage.get(layout.manifest_key(WEBSITE_ID, design_id, revision)) is None
    with faults.client() as client:
        for params in ({"DesignId": design_id}, {"DesignId": design_id, "viewCode": "back"},
                       {"DesignId": design_id, "Width": 64}):
            response = client.get(IMAGE, params=params)
            assert response.status_code == 202, response.text


def _assert_red(response) -> None:
    assert response.status_code == 200, response.text
    assert Image.open(io.BytesIO(response.content)).getpixel((5, 5)) == (255, 0, 0, 255)


def test_unsafe_broker_config_is_refused_at_start_up(faults):
    """F18: a visibility timeout not above time limit + longest countdown stops the worker."""
    try:
        faults.stack.start_worker(name="worker-unsafe", queues="faults-unused",
                                  extra_env={"DESIGNIMAGE_BROKER_VISIBILITY_TIMEOUT_S": "30"})
    except RuntimeError as exc:
        assert "exited" in str(exc)
    else:
        raise AssertionError("a worker with visibility_timeout 30 s < 28 s + 19 s started")
    finally:
        faults.stack.kill("worker-unsafe")
    log = faults.stack.log("worker-unsafe")
    assert "refusing to start" in log and "visibility_timeout 30 s must exceed" in log
    assert "ready." not in log


def test_pool_child_killed_mid_render_is_delivered_again(faults):
    design_id = 301
    revision = faults.save(heavy_design(design_id, circles=50, multiplier=3, views=("front", "back")))
    wait_for(lambda: _partially_uploaded(faults, design_id, revision), 60, "first view uploaded")
    pid = faults.lock_holder_pid(design_id, revision)
    os.kill(pid, signal.SIGKILL)
    _assert_not_served(faults, design_id, revision)

    # No request re-enqueues it meanwhile: the broker's redelivery alone must finish the job.
    faults.wait_status(design_id, revision, "ready", timeout_s=60)
    _assert_red(faults.poll_image({"DesignId": design_id}))
    _assert_red(faults.poll_image({"DesignId": design_id, "viewCode": "back"}))
    assert faults.renders(design_id) == 1
    assert faults.log_count(f"of {WEBSITE_ID}/{design_id} is locked by another delivery") >= 1
    assert f"pid:{pid} exited with 'signal 9 (SIGKILL)'" in faults.stack.log("worker")


def test_design_that_kills_its_worker_every_time_fails_with_a_reason(faults):
    """The test plays the OOM killer: each time the design starts rendering, its process dies.
    After max_lost_renders (2) lost attempts the job is failed; a light design saved meanwhile
    renders on the same pool."""
    design_id, other_id = 302, 303
    revision = faults.save(heavy_design(design_id, circles=50, multiplier=3))
    killed: set[int] = set()

    def kill_renderer() -> bool:
        pid = faults.lock_holder_pid(design_id, revision)
        if pid and pid not in killed and faults.status(design_id, revision) == "rendering":
            os.kill(pid, signal.SIGKILL)
            killed.add(pid)
        return faults.status(design_id, revision) == "failed"

    faults.save(light_design(other_id))
    wait_for(kill_renderer, 90, "poison design failed", interval_s=0.05)
    assert len(killed) == 2
    assert faults.poll_image({"DesignId": other_id}).status_code == 200

    with faults.client() as client:
        response = client.get(IMAGE, params={"DesignId": design_id})
    assert (response.status_code, response.json()["ErrorCode"]) == (500, "250")
    assert "lost 2 times" in response.json()["Data"]["Reason"]
    assert faults.renders(design_id) == 0
    assert faults.storage.get(layout.manifest_key(WEBSITE_ID, design_id, revision)) is None


def test_worker_main_process_killed_job_is_redelivered_by_the_broker(faults):
    """SIGKILL of the main process takes its pool with it (Celery sets PDEATHSIG). The message
    stays unacked in Redis and a new worker gets it back once the visibility timeout passes.
    Nobody polls the API meanwhile, so the broker's redelivery, not a re-enqueue, recovers it."""
    design_id = 304
    revision = faults.save(heavy_design(design_id, circles=50, multiplier=3, views=("front", "back")))
    wait_for(lambda: _partially_uploaded(faults, design_id, revision), 60, "first view uploaded")
    main = faults.stack.procs["worker"]
    os.kill(main.pid, signal.SIGKILL)
    main.wait(10)
    assert faults.redis.hlen("unacked") >= 1
    assert faults.storage.get(layout.manifest_key(WEBSITE_ID, design_id, revision)) is None
    faults.stack.kill("worker")  # sweeps the group: nothing of the old worker is left
    faults.stack.start_worker(name="worker", queues="render")

    faults.wait_status(design_id, revision, "ready", timeout_s=120)
    _assert_red(faults.poll_image({"DesignId": design_id}))
    assert faults.renders(design_id) == 1
    assert faults.deliveries(design_id) == 2
