"""Issue 4 item 9: nothing piles up in Redis — no result backend keys, and every key of the
service's own expires. (Worker memory is measured on demand by scripts/bench_memory.py.)"""
from __future__ import annotations

from tests.faults.support import light_design


def test_no_result_keys_and_every_job_key_expires(faults):
    design_id = 395
    revision = faults.save(light_design(design_id))
    faults.wait_status(design_id, revision, "ready")
    assert faults.poll_image({"DesignId": design_id}).status_code == 200
    keys = [k.decode() for k in faults.redis.scan_iter(count=1000)]
    assert not [k for k in keys if k.startswith("celery-task-meta")]
    own = [k for k in keys if k.startswith("di:")]
    assert own, "the job and pointer keys are in this database"
    assert {k: faults.redis.ttl(k) for k in own if faults.redis.ttl(k) < 0} == {}
