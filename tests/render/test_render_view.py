"""render_view: the public contract, error cases and the image field cases (F09-F12)."""
from __future__ import annotations

import io
from typing import Any

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from shared.render import RENDERER_VERSION, RenderError, render_view
from shared.render.images import decode_image


def render(objects: list[dict[str, Any]], size: tuple[int, int] = (100, 100), *, scale: float = 1.0,
           images: dict[str, Image.Image] | None = None, **canvas: Any) -> np.ndarray:
    design = {"width": size[0], "height": size[1], "objects": objects, **canvas}
    result = render_view(design, size[0], size[1], scale=scale, images=images or {}, fonts=None)
    assert result.image.mode == "RGBA" and result.image.size == size
    return np.asarray(result.image)


def rect(**props: Any) -> dict[str, Any]:
    return {"type": "rect", "left": 10, "top": 10, "width": 50, "height": 50, "fill": "red",
            "strokeWidth": 0, **props}


def image_obj(src: str, width: int, height: int, **props: Any) -> dict[str, Any]:
    return {"type": "image", "src": src, "left": 0, "top": 0, "width": width, "height": height, **props}


def test_version_is_a_string() -> None:
    assert isinstance(RENDERER_VERSION, str) and RENDERER_VERSION


def test_canvas_background_and_overlay_are_never_drawn() -> None:
    pixels = render([], background="#ff0000", overlayColor="#00ff00",
                    backgroundImage={"type": "image", "src": "x"})
    assert pixels[..., 3].max() == 0


def test_scale_and_offset_map_canvas_to_output() -> None:
    design = {"width": 50, "height": 50, "objects": [rect(left=0, top=0, width=10, height=10)]}
    image = render_view(design, 100, 100, scale=3.0, offset_x=20, offset_y=5, images={}, fonts=None).image
    alpha = np.asarray(image)[..., 3]
    ys, xs = np.nonzero(alpha)
    assert (xs.min(), xs.max(), ys.min(), ys.max()) == (20, 49, 5, 34)


def test_stroke_outer_edge_sits_at_left_top() -> None:
    pixels = render([rect(left=10, top=10, width=20, height=20, fill="", stroke="#000", strokeWidth=2)])
    assert pixels[20, 10, 3] == 255 and pixels[20, 9, 3] == 0 and pixels[20, 31, 3] == 255


@pytest.mark.parametrize("obj, message", [
    ({"type": "curved-text"}, "curved-text"),
    ({"type": "image", "src": "missing.png", "width": 10, "height": 10}, "image source not provided"),
    (rect(globalCompositeOperation="plus-darker"), "globalCompositeOperation"),
])
def test_what_cannot_be_drawn_raises(obj: dict[str, Any], message: str) -> None:
    with pytest.raises(RenderError, match=message):
        render([obj])


def test_hidden_objects_are_skipped() -> None:
    pixels = render([rect(visible=False), rect(opacity=0)])
    assert pixels[..., 3].max() == 0


def test_group_opacity_applies_to_the_flattened_group() -> None:
    """A cached group (no shadowed child) composites its children first, then fades (fabric 5)."""
    group = {"type": "group", "left": 0, "top": 0, "width": 60, "height": 60, "opacity": 0.5,
             "objects": [rect(left=-30, top=-30, fill="#00f"), rect(left=-20, top=-20, fill="#f00")]}
    pixels = render([group])
    overlap = pixels[35, 35]
    assert overlap[0] == 255 and overlap[2] == 0 and abs(int(overlap[3]) - 128) <= 1


def test_inverted_clip_path_cuts_a_hole() -> None:
    clip = {"type": "rect", "left": 0, "top": 0, "width": 10, "height": 10, "originX": "center",
            "originY": "center", "inverted": True, "strokeWidth": 0}
    pixels = render([rect(clipPath=clip)])
    assert pixels[35, 35, 3] == 0 and pixels[15, 15, 3] == 255


def png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def disc(colour: tuple[int, int, int], background: tuple[int, int, int, int]) -> Image.Image:
    """800×800 disc of radius 300 with a 2-px feathered edge on a transparent background (F09)."""
    yy, xx = np.mgrid[0:800, 0:800]
    distance = np.hypot(xx - 399.5, yy - 399.5)
    alpha = np.clip((300 - distance) / 2 + 0.5, 0, 1)
    pixels = np.empty((800, 800, 4), np.uint8)
    pixels[...] = background
    inside = alpha > 0
    pixels[inside, :3] = colour
    pixels[..., 3] = np.where(inside, np.round(alpha * 255), background[3]).astype(np.uint8)
    return Image.fromarray(pixels, "RGBA")


def test_f09_downscaled_red_disc_has_no_white_fringe() -> None:
    source = decode_image(png(disc((255, 0, 0), (255, 255, 255, 0))), max_pixels=10**7)
    pixels = render([image_obj("disc", 800, 800, scaleX=0.125, scaleY=0.125)], images={"disc": source})
    visible = pixels[pixels[..., 3] > 0]
    assert len(visible) > 1000
    assert visible[:, 1].max() <= 3 and visible[:, 2].max() <= 3


def test_f09_downscaled_white_disc_has_no_grey_ring() -> None:
    source = decode_image(png(disc((255, 255, 255), (0, 0, 0, 0))), max_pixels=10**7)
    pixels = render([image_obj("disc", 800, 800, scaleX=0.125, scaleY=0.125)], images={"disc": source})
    visible = pixels[pixels[..., 3] > 0]
    assert visible[:, :3].min() >= 250
    assert (visible[:, 0] == visible[:, 1]).all() and (visible[:, 1] == visible[:, 2]).all()


def test_f09_half_transparent_blue_composites_over() -> None:
    blue = rect(left=0, top=0, width=20, height=20, fill="rgba(0,0,255,0.5)")
    over_yellow = render([rect(left=0, top=0, width=20, height=20, fill="#ffff00"), blue])
    assert np.abs(over_yellow[10, 10].astype(int) - (128, 128, 128, 255)).max() <= 1
    alone = render([blue])
    assert np.abs(alone[10, 10].astype(int) - (0, 0, 255, 128)).max() <= 1


def logo() -> Image.Image:
    image = Image.new("RGBA", (600, 600), (0, 0, 0, 0))
    ImageDraw.Draw(image).text((40, 200), "LOGO", fill=(0, 0, 0, 255),
                               font=ImageFont.load_default(size=180))
    return image


@pytest.mark.parametrize("make_indexed", [
    lambda im: (im.quantize(64, method=Image.Quantize.FASTOCTREE), {}),
    lambda im: (Image.fromarray((np.asarray(im)[..., 3] > 127).astype(np.uint8), "P"), {"transparency": 0}),
])
def test_f10_palette_png_keeps_transparency_and_smooth_edges(make_indexed: Any) -> None:
    indexed, params = make_indexed(logo())
    if not params:
        data = png(indexed)
    else:
        indexed.putpalette([255, 255, 255, 0, 0, 0])
        buffer = io.BytesIO()
        indexed.save(buffer, "PNG", **params)
        data = buffer.getvalue()
    source = decode_image(data, max_pixels=10**7)
    pixels = render([image_obj("logo", 600, 600, scaleX=0.2, scaleY=0.2)], (120, 120),
                    images={"logo": source})
    alpha = pixels[..., 3]
    assert alpha[:30].max() == 0 and alpha[-20:].max() == 0
    assert len(np.unique(alpha[(alpha > 0) & (alpha < 255)])) >= 20


def oriented_jpeg(orientation: int) -> bytes:
    card = Image.new("RGB", (400, 200), (0, 0, 255))
    card.paste((255, 0, 0), (0, 0, 200, 200))
    exif = Image.Exif()
    exif[0x0112] = orientation
    buffer = io.BytesIO()
    card.save(buffer, "JPEG", quality=95, exif=exif.tobytes())
    return buffer.getvalue()


def test_f11_exif_orientation_6_and_source_not_mutated() -> None:
    source = decode_image(oriented_jpeg(6), max_pixels=10**7)
    before = source.tobytes()
    images = {"photo": source}
    first = render([image_obj("photo", 200, 400)], (200, 400), images=images)
    second = render([image_obj("photo", 200, 400)], (200, 400), images=images)
    assert first[50, 100, 0] > 200 and first[50, 100, 2] < 60
    assert first[350, 100, 2] > 200 and first[350, 100, 0] < 60
    assert (first == second).all() and source.tobytes() == before


def test_f12_cmyk_jpeg_renders_red() -> None:
    buffer = io.BytesIO()
    Image.new("CMYK", (200, 200), (0, 255, 255, 0)).save(buffer, "JPEG")
    source = decode_image(buffer.getvalue(), max_pixels=10**7)
    pixels = render([rect(left=0, top=0, width=200, height=200, fill="#fff"),
                     image_obj("cmyk", 200, 200)], (200, 200), images={"cmyk": source})
    r, g, b, a = (int(v) for v in pixels[100, 100])
    assert r >= 200 and g <= 80 and b <= 80 and a == 255


@pytest.mark.parametrize("ccw, filled, empty", [
    (False, (75, 50), (25, 50)),   # 270°→90° clockwise passes through 0° (right half)
    (True, (25, 50), (75, 50)),    # fabric 6 counterClockwise passes through 180° (left half)
])
def test_partial_circle_direction(ccw: bool, filled: tuple[int, int], empty: tuple[int, int]) -> None:
    circle = {"type": "circle", "left": 50, "top": 50, "originX": "center", "originY": "center",
              "radius": 40, "startAngle": 270, "endAngle": 90, "strokeWidth": 0, "fill": "#000",
              "counterClockwise": ccw}
    pixels = render([circle])
    assert pixels[filled[1], filled[0], 3] == 255 and pixels[empty[1], empty[0], 3] == 0


def test_image_without_size_uses_the_natural_size() -> None:
    source = Image.new("RGBA", (30, 20), (0, 128, 0, 255))
    pixels = render([{"type": "image", "src": "s", "left": 5, "top": 5}], images={"s": source})
    ys, xs = np.nonzero(pixels[..., 3])
    assert (xs.min(), xs.max(), ys.min(), ys.max()) == (5, 34, 5, 24)
