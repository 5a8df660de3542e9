"""decode_image: what browsers do on decode (EXIF, CMYK, ICC, palettes) and refusals (F09-F12, F14)."""
from __future__ import annotations

import io
import time

import numpy as np
import pytest
from PIL import Image, ImageCms

from shared.render.images import ImageDecodeError, decode_image

MAX_PIXELS = 50_000_000


def encode(image: Image.Image, fmt: str, **params: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **params)
    return buffer.getvalue()


def halves(size: tuple[int, int] = (400, 200)) -> Image.Image:
    """Left half red, right half blue (the F11 test card)."""
    image = Image.new("RGB", size, (0, 0, 255))
    image.paste((255, 0, 0), (0, 0, size[0] // 2, size[1]))
    return image


def with_orientation(image: Image.Image, orientation: int) -> bytes:
    exif = Image.Exif()
    exif[0x0112] = orientation
    return encode(image, "JPEG", quality=95, exif=exif.tobytes())


@pytest.mark.parametrize("orientation, size, red_at, blue_at", [
    (1, (400, 200), (100, 100), (300, 100)),
    (3, (400, 200), (300, 100), (100, 100)),   # 180°: red moves right
    (6, (200, 400), (100, 50), (100, 350)),    # 90° clockwise: red on top
    (8, (200, 400), (100, 350), (100, 50)),    # 90° counter-clockwise: red at the bottom
])
def test_exif_orientation_is_applied(orientation: int, size: tuple[int, int],
                                     red_at: tuple[int, int], blue_at: tuple[int, int]) -> None:
    decoded = decode_image(with_orientation(halves(), orientation), max_pixels=MAX_PIXELS)
    assert decoded.size == size
    assert decoded.mode == "RGBA"
    r, g, b, _ = decoded.getpixel(red_at)
    assert r > 200 and b < 60
    r, g, b, _ = decoded.getpixel(blue_at)
    assert b > 200 and r < 60
    assert decoded.getexif().get(0x0112, 1) == 1


def test_cmyk_jpeg_adobe_inverted_is_red() -> None:
    data = encode(Image.new("CMYK", (200, 200), (0, 255, 255, 0)), "JPEG", quality=95)
    assert "adobe" in Image.open(io.BytesIO(data)).info  # Pillow writes inverted CMYK + APP14
    r, g, b, a = decode_image(data, max_pixels=MAX_PIXELS).getpixel((100, 100))
    assert r >= 200 and g <= 80 and b <= 80 and a == 255


def test_unparseable_icc_profile_falls_back_like_a_browser() -> None:
    data = encode(Image.new("CMYK", (64, 64), (0, 255, 255, 0)), "JPEG", icc_profile=b"not a profile")
    r, g, b, _ = decode_image(data, max_pixels=MAX_PIXELS).getpixel((32, 32))
    assert r >= 200 and g <= 80 and b <= 80


def test_embedded_icc_profile_goes_through_imagecms() -> None:
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    data = encode(Image.new("RGBA", (32, 32), (10, 200, 30, 128)), "PNG", icc_profile=srgb)
    r, g, b, a = decode_image(data, max_pixels=MAX_PIXELS).getpixel((5, 5))
    assert (abs(r - 10), abs(g - 200), abs(b - 30), a) <= (2, 2, 2, 128) and a == 128


def logo_rgba() -> Image.Image:
    """Anti-aliased black "LOGO" on a transparent 600×600 canvas (F10)."""
    from PIL import ImageDraw, ImageFont
    image = Image.new("RGBA", (600, 600), (0, 0, 0, 0))
    ImageDraw.Draw(image).text((40, 200), "LOGO", fill=(0, 0, 0, 255),
                               font=ImageFont.load_default(size=180))
    return image


def test_palette_png_with_alpha_table_keeps_transparency() -> None:
    indexed = logo_rgba().quantize(64, method=Image.Quantize.FASTOCTREE)
    decoded = decode_image(encode(indexed, "PNG"), max_pixels=MAX_PIXELS)
    alpha = np.asarray(decoded)[..., 3]
    assert alpha[0, 0] == 0 and alpha.max() >= 250
    assert len(np.unique(alpha)) > 2


def test_palette_png_with_single_transparent_index() -> None:
    mask = np.asarray(logo_rgba())[..., 3] > 127
    indexed = Image.fromarray(np.where(mask, 1, 0).astype(np.uint8), "P")
    indexed.putpalette([255, 255, 255, 0, 0, 0])
    decoded = decode_image(encode(indexed, "PNG", transparency=0), max_pixels=MAX_PIXELS)
    pixels = np.asarray(decoded)
    assert pixels[0, 0, 3] == 0
    assert set(np.unique(pixels[..., 3])) == {0, 255}
    assert (pixels[mask][:, :3] == 0).all()


@pytest.mark.parametrize("mode, value, expected", [
    ("LA", (128, 200), (128, 128, 128, 200)),
    ("L", 77, (77, 77, 77, 255)),
    ("1", 1, (255, 255, 255, 255)),
])
def test_grey_modes_become_rgba(mode: str, value: object, expected: tuple[int, ...]) -> None:
    data = encode(Image.new(mode, (8, 8), value), "PNG")
    assert decode_image(data, max_pixels=MAX_PIXELS).getpixel((1, 1)) == expected


def test_sixteen_bit_grey_png_keeps_its_range() -> None:
    grey16 = Image.fromarray(np.full((8, 8), 65535 // 2, dtype=np.uint16))
    data = encode(grey16, "PNG")
    assert Image.open(io.BytesIO(data)).mode.startswith("I")
    r, g, b, a = decode_image(data, max_pixels=MAX_PIXELS).getpixel((1, 1))
    assert abs(r - 128) <= 1 and r == g == b and a == 255


def test_gif_first_frame_and_webp() -> None:
    frames = [Image.new("P", (10, 10), 1), Image.new("P", (10, 10), 2)]
    for frame in frames:
        frame.putpalette([0, 0, 0, 255, 0, 0, 0, 255, 0])
    gif = io.BytesIO()
    frames[0].save(gif, "GIF", save_all=True, append_images=frames[1:])
    assert decode_image(gif.getvalue(), max_pixels=MAX_PIXELS).getpixel((2, 2)) == (255, 0, 0, 255)
    webp = encode(Image.new("RGBA", (10, 10), (0, 0, 255, 255)), "WEBP", lossless=True)
    assert decode_image(webp, max_pixels=MAX_PIXELS).getpixel((2, 2)) == (0, 0, 255, 255)


def test_decompression_bomb_is_refused_before_decoding() -> None:
    data = encode(Image.new("1", (20000, 20000)), "PNG")
    start = time.perf_counter()
    with pytest.raises(ImageDecodeError, match=r"source image too large \(400000000 px\)"):
        decode_image(data, max_pixels=MAX_PIXELS)
    assert time.perf_counter() - start < 0.5


def test_declared_size_over_the_limit_names_the_size() -> None:
    with pytest.raises(ImageDecodeError, match=r"source image too large \(5000x4000 px\)"):
        decode_image(encode(Image.new("L", (5000, 4000)), "PNG"), max_pixels=1_000_000)


def test_truncated_jpeg() -> None:
    data = encode(halves(), "JPEG")
    with pytest.raises(ImageDecodeError, match="truncated image"):
        decode_image(data[: len(data) // 2], max_pixels=MAX_PIXELS)


@pytest.mark.parametrize("data, reason", [
    (b"definitely not an image", "not a valid image"),
    (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>', "SVG images are not supported yet"),
    (b"<svg width='1' height='1'></svg>", "SVG images are not supported yet"),
])
def test_refusals_have_public_reasons(data: bytes, reason: str) -> None:
    with pytest.raises(ImageDecodeError, match=reason):
        decode_image(data, max_pixels=MAX_PIXELS)


def test_unsupported_format_is_refused() -> None:
    with pytest.raises(ImageDecodeError, match="not supported"):
        decode_image(encode(Image.new("RGB", (4, 4)), "BMP"), max_pixels=MAX_PIXELS)
