"""Issue 4 item 8 (F22): print-size designs render on the large queue's own pool, so quick
designs saved after them finish while the print renders are still waiting their turn."""
from __future__ import annotations

from tests.faults.support import WEBSITE_ID, heavy_design, light_design, wait_for

PRINTS = (381, 382, 383)
QUICK = tuple(range(384, 394))


def test_quick_designs_are_not_stuck_behind_print_renders(faults):
    print_revs = {d: faults.save(heavy_design(d, circles=30, multiplier=5)) for d in PRINTS}  # 25 Mpx
    quick_revs = {d: faults.save(light_design(d)) for d in QUICK}

    wait_for(lambda: all(faults.status(d, r) == "ready" for d, r in quick_revs.items()), 60,
             "quick designs ready")
    prints_ready = sum(faults.status(d, r) == "ready" for d, r in print_revs.items())
    assert prints_ready <= 1, "quick designs waited behind print renders"

    wait_for(lambda: all(faults.status(d, r) == "ready" for d, r in print_revs.items()), 120,
             "print designs ready")
    large_log, render_log = faults.stack.log("worker-large"), faults.stack.log("worker")
    for design_id in PRINTS:
        assert f"rendered design {WEBSITE_ID}/{design_id} " in large_log
    for design_id in QUICK:
        assert f"rendered design {WEBSITE_ID}/{design_id} " in render_log
