"""Non-text conformance cases stay within the pass thresholds against real fabric 5.3 renders."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from scripts.conformance import MAX_BLUR, MAX_MEAN, load_compare, render_case
from shared.design.model import TEXT_KINDS, canonical_type, walk_objects

CONFORMANCE = Path(__file__).resolve().parents[2].parent / "shared" / "conformance"
COMPARE = CONFORMANCE.parent / "tools" / "fabric-ref" / "compare.py"
BASELINE = Path(__file__).with_name("conformance_baseline.json")


def non_text_cases() -> list[str]:
    """Baseline-passing cases without text objects (text cases are gated by the text tests)."""
    if not CONFORMANCE.is_dir():
        return []
    names = []
    for name in json.loads(BASELINE.read_text())["passing"]:
        design = json.loads((CONFORMANCE / "cases" / f"{name}.json").read_text())
        if not any(canonical_type(obj.get("type")) in TEXT_KINDS for _, obj in walk_objects(design)):
            names.append(name)
    return names


pytestmark = pytest.mark.skipif(not CONFORMANCE.is_dir(),
                                reason=f"conformance fixtures not found at {CONFORMANCE}")


@pytest.mark.parametrize("name", non_text_cases())
def test_case_matches_fabric(name: str, tmp_path: Path) -> None:
    out = tmp_path / f"{name}.png"
    render_case(CONFORMANCE / "cases" / f"{name}.json", out, None)
    score = load_compare(COMPARE).compare(str(CONFORMANCE / "ref" / f"{name}.png"), str(out))
    assert score["status"] == "ok", score
    assert score["mean"] <= MAX_MEAN and score["blur"] <= MAX_BLUR, score
