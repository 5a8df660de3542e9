"""Issue 4 item 2 (F18): a job is rendered and uploaded once however often it is delivered —
a render that outlives a visibility timeout, or a duplicate message after it finished."""
from __future__ import annotations

from celery import Celery

from shared.jobs import TASK_RENDER_DESIGN
from tests.faults.support import IMAGE, WEBSITE_ID, heavy_design, wait_for

# A fleet member configured apart from the rest: it passes its own start-up check (10 s > 5 s +
# 4 s) but its visibility timeout is shorter than the long render below. Redis keeps one unacked
# index for the whole broker, so its restore sweep hands the running job to the queue again.
SHORT_VISIBILITY_ENV = {
    "DESIGNIMAGE_BROKER_VISIBILITY_TIMEOUT_S": "10",
    "DESIGNIMAGE_RENDER_TIME_LIMIT_S": "5",
    "DESIGNIMAGE_RENDER_LOCK_TTL_S": "3",
    "DESIGNIMAGE_RETRY_BACKOFF_MAX_S": "1",
}


def test_render_longer_than_visibility_timeout_runs_once(faults):
    design_id = 311
    revision = faults.store(heavy_design(design_id, circles=200))  # ≈ 14 s on this machine
    faults.stack.start_worker(name="worker-short-visibility", queues="faults-idle", concurrency=1,
                              extra_env=SHORT_VISIBILITY_ENV)
    try:
        puts_before = faults.stack.s3_requests("PUT")
        with faults.client() as client:
            assert client.get(IMAGE, params={"DesignId": design_id}).status_code == 202
        faults.wait_status(design_id, revision, "ready", timeout_s=90)
    finally:
        faults.stack.kill("worker-short-visibility")
    locked = f"of {WEBSITE_ID}/{design_id} is locked by another delivery"
    assert faults.log_count(locked) >= 1, "the job was never delivered twice"
    wait_for(lambda: faults.log_count(f"of {WEBSITE_ID}/{design_id} is ready already"), 30,
             "the second delivery to find the job done")
    stored = faults.stored_keys(design_id, revision)
    assert faults.renders(design_id) == 1
    assert faults.stack.s3_requests("PUT") - puts_before == len(stored)  # renditions + manifest

    # A duplicate message long after: the done marker stops it before any work.
    puts_after = faults.stack.s3_requests("PUT")
    done_before = faults.log_count(f"of {WEBSITE_ID}/{design_id} is ready already")
    producer = Celery(broker=faults.settings.redis_url)
    try:
        producer.send_task(TASK_RENDER_DESIGN, args=(WEBSITE_ID, design_id, revision),
                           queue=faults.settings.render_queue)
    finally:
        producer.close()
    wait_for(lambda: faults.log_count(f"of {WEBSITE_ID}/{design_id} is ready already") > done_before,
             30, "the duplicate message to be consumed")
    assert faults.renders(design_id) == 1
    assert faults.stack.s3_requests("PUT") == puts_after
