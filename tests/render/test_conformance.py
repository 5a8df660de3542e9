"""The conformance gate: every case that passed in the baseline still matches real fabric 5.3
renders within the thresholds (mean ≤ 3.0, 5×5-blurred mean ≤ 1.5 of 255, premultiplied RGBA),
scored by the shared compare.py. A regression fails `make test` and so CI."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from scripts.conformance import MAX_BLUR, MAX_MEAN, load_compare, render_case
from shared.render.fonts import FontRegistry

CONFORMANCE = Path(__file__).resolve().parents[2].parent / "shared" / "conformance"
COMPARE = CONFORMANCE.parent / "tools" / "fabric-ref" / "compare.py"
BASELINE = Path(__file__).with_name("conformance_baseline.json")

pytestmark = pytest.mark.skipif(not CONFORMANCE.is_dir(),
                                reason=f"conformance fixtures not found at {CONFORMANCE}")


def baseline_cases() -> list[str]:
    return json.loads(BASELINE.read_text())["passing"] if CONFORMANCE.is_dir() else []


@pytest.mark.parametrize("name", baseline_cases())
def test_case_matches_fabric(name: str, tmp_path: Path) -> None:
    out = tmp_path / f"{name}.png"
    render_case(CONFORMANCE / "cases" / f"{name}.json", out, FontRegistry.system())
    score = load_compare(COMPARE).compare(str(CONFORMANCE / "ref" / f"{name}.png"), str(out))
    assert score["status"] == "ok", score
    assert score["mean"] <= MAX_MEAN and score["blur"] <= MAX_BLUR, score


def test_baseline_covers_the_corpus() -> None:
    """The gate can only protect what the baseline lists: at least 50 of the 57 cases (issue 3)."""
    cases = sorted(p.stem for p in (CONFORMANCE / "cases").glob("*.json"))
    assert set(baseline_cases()) <= set(cases)
    assert len(baseline_cases()) >= 50
