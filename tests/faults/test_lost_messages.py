"""Issue 4 item 3 (F20): a queued message that disappears (queue deleted, broker flushed) does
not leave the design "processing" forever. The queued marker lives ``queued_stale_s`` (8 s here)
and polling never extends it; the 202 body reports the job's age."""
from __future__ import annotations

import time

from tests.faults.support import IMAGE, light_design, wait_for

STALE_S = 8


def test_lost_message_is_re_enqueued_within_the_stale_window(faults):
    deleted, flushed = 321, 322
    render_queue = faults.settings.render_queue
    faults.stack.kill("worker")  # nothing consumes the render queue while messages go missing
    try:
        faults.store(light_design(deleted))
        faults.store(light_design(flushed))
        with faults.client() as client:
            def get(design_id: int) -> dict:
                response = client.get(IMAGE, params={"DesignId": design_id})
                assert response.status_code == 202, response.text
                return response.json()["Data"]

            claimed_at = time.monotonic()
            assert get(deleted)["Status"] == "queued"
            assert faults.redis.llen(render_queue) == 1
            faults.redis.delete(render_queue)

            ages: list[float] = []

            def re_enqueued() -> bool:
                ages.append(get(deleted)["JobAgeSeconds"])
                return faults.redis.llen(render_queue) == 1

            wait_for(re_enqueued, STALE_S + 10, "re-enqueue after the stale window", interval_s=1)
            waited_s = time.monotonic() - claimed_at
            lost_job_ages = ages[:-1]
            assert lost_job_ages == sorted(lost_job_ages), "the age must only grow while polled"
            assert lost_job_ages[-1] >= STALE_S - 2, "polling extended the marker"
            assert ages[-1] < 2, "the re-enqueued job is a new job"
            assert waited_s >= STALE_S - 1

            assert get(flushed)["Status"] == "queued"
            faults.redis.flushdb()  # every message, marker and pointer is gone
            get(deleted), get(flushed)  # each request claims and enqueues afresh at once
            assert faults.redis.llen(render_queue) == 2
    finally:
        faults.stack.start_worker(name="worker", queues=render_queue)
    for design_id in (deleted, flushed):
        assert faults.poll_image({"DesignId": design_id}).status_code == 200
        assert faults.renders(design_id) == 1
