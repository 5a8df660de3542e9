#!/usr/bin/env python3
"""Render the shared fabric.js conformance cases and score them against the reference PNGs.

  .venv/bin/python scripts/conformance.py [--cases DIR] [--refs DIR] [--out DIR] [--only PATTERN]
        [--baseline FILE] [--write-baseline]

A case passes when mean ≤ 3.0 and 5×5-blurred mean ≤ 1.5 (premultiplied RGBA, 0..255, as scored by
../shared/tools/fabric-ref/compare.py). With --baseline, exit 1 if a case the baseline lists as
passing now fails; --write-baseline records the current passing set.
"""
from __future__ import annotations

import argparse
import base64
import fnmatch
import importlib.util
import json
import sys
import time
import urllib.parse
from pathlib import Path
from types import ModuleType
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from shared.design.model import image_sources  # noqa: E402
from shared.render import render_view  # noqa: E402
from shared.render.images import decode_image  # noqa: E402

SHARED = REPO.parent / "shared"
MAX_MEAN = 3.0
MAX_BLUR = 1.5
MAX_PIXELS = 100_000_000


def load_compare(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("fabric_ref_compare", path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load_fonts() -> Any:
    """The text helper's system font registry, or None (text cases then fail) if not there yet."""
    try:
        from shared.render.fonts import FontRegistry
    except ImportError as exc:
        print(f"note: no font registry ({exc}); text objects will fail")
        return None
    return FontRegistry.system()


def source_bytes(src: str, case_dir: Path) -> bytes:
    """A case image: a data: URL, or a path (or file:// URL) relative to the case folder."""
    if src.startswith("data:"):
        header, _, payload = src.partition(",")
        if header.endswith(";base64"):
            return base64.b64decode(payload)
        return urllib.parse.unquote_to_bytes(payload)
    if src.startswith("file://"):
        src = urllib.parse.urlparse(src).path
    return (case_dir / urllib.parse.unquote(src)).read_bytes()


def render_case(case: Path, out: Path, fonts: Any) -> float:
    """Render one case to out; returns the render time in ms (image decoding excluded)."""
    design = json.loads(case.read_text())
    images = {src: decode_image(source_bytes(src, case.parent), max_pixels=MAX_PIXELS)
              for src in image_sources(design)}
    start = time.perf_counter()
    result = render_view(design, int(design["width"]), int(design["height"]), scale=1.0,
                         images=images, fonts=fonts)
    elapsed_ms = (time.perf_counter() - start) * 1000
    result.image.save(out)
    return elapsed_ms


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=Path, default=SHARED / "conformance" / "cases")
    parser.add_argument("--refs", type=Path, default=SHARED / "conformance" / "ref")
    parser.add_argument("--out", type=Path, default=REPO / "var" / "conformance")
    parser.add_argument("--only", help="glob on the case name, e.g. '03*'")
    parser.add_argument("--baseline", type=Path)
    parser.add_argument("--write-baseline", action="store_true")
    parser.add_argument("--diff", action="store_true", help="write REF|OUT|DIFF panels to OUT/diff")
    args = parser.parse_args()

    compare = load_compare(SHARED / "tools" / "fabric-ref" / "compare.py")
    fonts = load_fonts()
    args.out.mkdir(parents=True, exist_ok=True)
    cases = sorted(args.cases.glob("*.json"))
    if args.only:
        cases = [c for c in cases if fnmatch.fnmatch(c.stem, args.only)]
    print(f"{'case':44} {'mean':>7} {'blur':>7}  {'':4} {'ms':>7}")
    passing: list[str] = []
    total_ms = 0.0
    for case in cases:
        out = args.out / f"{case.stem}.png"
        out.unlink(missing_ok=True)
        try:
            elapsed_ms = render_case(case, out, fonts)
        except Exception as exc:  # a broken case is a failure of that case, not of the run
            print(f"{case.stem:44} {'-':>7} {'-':>7}  FAIL {'-':>7}  {type(exc).__name__}: {exc}")
            continue
        total_ms += elapsed_ms
        diff = str(args.out / "diff" / f"{case.stem}.png") if args.diff else None
        score = compare.compare(str(args.refs / f"{case.stem}.png"), str(out), diff)
        if score["status"] != "ok":
            print(f"{case.stem:44} {score['status']:>15}  FAIL {elapsed_ms:7.0f}")
            continue
        ok = score["mean"] <= MAX_MEAN and score["blur"] <= MAX_BLUR
        if ok:
            passing.append(case.stem)
        print(f"{case.stem:44} {score['mean']:7.3f} {score['blur']:7.3f}  "
              f"{'pass' if ok else 'FAIL'} {elapsed_ms:7.0f}", flush=True)
    print(f"{len(passing)}/{len(cases)} pass; total render time {total_ms / 1000:.2f} s")

    if args.write_baseline:
        target = args.baseline or REPO / "tests" / "render" / "conformance_baseline.json"
        target.write_text(json.dumps({"passing": passing}, indent=1) + "\n")
        print(f"baseline written: {target}")
        return 0
    if args.baseline:
        expected = json.loads(args.baseline.read_text())["passing"]
        selected = {c.stem for c in cases}
        regressed = [name for name in expected if name in selected and name not in passing]
        if regressed:
            print("regressions against baseline: " + ", ".join(regressed))
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
