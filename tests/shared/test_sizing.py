import pytest

from shared.errors import AppError, ErrorCode
from shared.sizing import (Limits, ViewGeometry, rendition_sizes, resolve_size, round_half_up,
                           upscale_size)

LIMITS = Limits(max_side_px=10_000, max_area_px=50_000_000)


@pytest.mark.parametrize("value, expected", [(0.5, 1), (1.49, 1), (1.5, 2), (2.5, 3), (11610.933, 11611)])
def test_round_half_up(value, expected):
    assert round_half_up(value) == expected


@pytest.mark.parametrize("width, height, expected", [
    (0, 0, (600, 400, 600, 400)),          # neither: canvas size
    (300, 0, (300, 200, 300, 200)),        # width only: aspect kept
    (0, 100, (150, 100, 150, 100)),        # height only
    (300, 300, (300, 300, 300, 200)),      # both: exact box, content fitted
    (100, 400, (100, 400, 100, 67)),
])
def test_size_rules(width, height, expected):
    out = resolve_size(ViewGeometry(600, 400), width, height, LIMITS)
    assert (out.width, out.height, out.content_width, out.content_height) == expected


def test_padding_is_centred():
    out = resolve_size(ViewGeometry(600, 400), 300, 300, LIMITS)
    assert out.offset == (0, 50) and out.padded


def test_print_size_f07a_is_exact():
    view = ViewGeometry(500, 600, print_multiplier=6)
    assert view.full_size == (3000, 3600)
    out = resolve_size(view, 0, 0, LIMITS)
    assert (out.width, out.height) == (3000, 3600)


def test_print_size_f07b_rounds_half_up():
    multiplier = 38.703111 * 300 / 650
    assert ViewGeometry(650, 436.657, multiplier).full_size == (11611, 7800)


@pytest.mark.parametrize("width, height", [(10_001, 0), (0, 10_001), (8000, 8000), (100_000, 100_000)])
def test_over_limits_is_234(width, height):
    with pytest.raises(AppError) as info:
        resolve_size(ViewGeometry(600, 400), width, height, LIMITS)
    assert info.value.error is ErrorCode.SIZE_TOO_LARGE


def test_rendition_sizes_are_full_then_smaller_thumbnails():
    sizes = rendition_sizes(ViewGeometry(1200, 1500), [64, 128, 256, 512, 1024, 2048])
    assert sizes == [(1200, 1500), (819, 1024), (410, 512), (205, 256), (102, 128), (51, 64)]


def test_upscale_ladder_is_bounded():
    view = ViewGeometry(600, 400)
    seen = {upscale_size(view, (w, round(w * 2 / 3)), LIMITS) for w in range(601, 8000, 7)}
    assert len(seen) <= 4
    assert all(w <= 10_000 and w * h <= 50_000_000 for w, h in seen)
