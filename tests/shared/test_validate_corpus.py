"""SaveDesign validation accepts what real editors save: every conformance case (fabric 2.4–6.x
JSON) passes, except a relative-file image source, which the SSRF policy refuses on purpose."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from shared.design.validate import parse_design
from shared.errors import AppError, ErrorCode
from shared.settings import Settings
from shared.websites import Website

CASES = Path(__file__).resolve().parents[2].parent / "shared" / "conformance" / "cases"
pytestmark = pytest.mark.skipif(not CASES.is_dir(), reason=f"no conformance cases at {CASES}")


def body(case: Path) -> bytes:
    return json.dumps({"DesignId": 1, "Views": [{"ViewCode": "front",
                                                 "Canvas": json.loads(case.read_text())}]}).encode()


@pytest.mark.parametrize("case", sorted(CASES.glob("*.json")) if CASES.is_dir() else [],
                         ids=lambda p: p.stem)
def test_editor_json_is_accepted(case: Path):
    website = Website(id=1, name="corpus")
    if case.stem == "026-image-file-src":
        with pytest.raises(AppError) as info:
            parse_design(body(case), website, Settings())
        assert info.value.error is ErrorCode.ASSET_INVALID
    else:
        parse_design(body(case), website, Settings())
