"""Pixel work shared by the worker (thumbnails) and the API (cheap derived sizes): resampling in
premultiplied alpha, padding to an exact box, and encoding to the website's media type."""
from __future__ import annotations

import io

from PIL import Image

from shared.sizing import OutputSize

# Above this many pixels PNG zlib level 1 is used: it halves encode time for ~20 % more bytes
# (see docs/performance.md); small, high-volume thumbnails keep the tighter default level.
LARGE_IMAGE_PX = 1_000_000


def resize(image: Image.Image, size: tuple[int, int]) -> Image.Image:
    """High-quality downscale. Pillow resamples RGBA in premultiplied form, so no halos (F09)."""
    if image.size == size:
        return image
    return image.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)


def thumbnail_chain(full: Image.Image, sizes: list[tuple[int, int]]) -> dict[tuple[int, int], Image.Image]:
    """Every size from the full image, each resized from the previous (largest first): a third of
    the cost of independent resizes and visually identical."""
    out: dict[tuple[int, int], Image.Image] = {}
    previous = full
    for size in sorted(sizes, key=lambda s: s[0] * s[1], reverse=True):
        previous = out[size] = resize(previous, size)
    return out


def fit(image: Image.Image, out: OutputSize) -> Image.Image:
    """Scale to the content size and centre it on a transparent canvas of the requested size."""
    content = resize(image, (out.content_width, out.content_height))
    if not out.padded:
        return content
    canvas = Image.new("RGBA", (out.width, out.height), (0, 0, 0, 0))
    canvas.paste(content, out.offset)
    return canvas


def encode(image: Image.Image, media_type: str, *, dpi: float | None, compress_level: int | None = None) -> bytes:
    """Encode once. JPEG has no alpha: the design is flattened on white (spec §3)."""
    buffer = io.BytesIO()
    dpi_arg = {"dpi": (dpi, dpi)} if dpi else {}
    if media_type == "image/png":
        level = compress_level if compress_level is not None else (
            1 if image.width * image.height > LARGE_IMAGE_PX else 6)
        image.save(buffer, "PNG", compress_level=level, **dpi_arg)
    elif media_type == "image/jpeg":
        flat = Image.new("RGB", image.size, (255, 255, 255))
        flat.paste(image, mask=image.getchannel("A"))
        flat.save(buffer, "JPEG", quality=90, optimize=False, **dpi_arg)
    elif media_type == "image/webp":
        image.save(buffer, "WEBP", quality=90, method=4)
    else:
        raise ValueError(f"unsupported media type {media_type!r}")
    return buffer.getvalue()


def scaled_dpi(dpi: float | None, full_width: int, width: int) -> float | None:
    """The DPI that keeps a smaller rendition's physical size equal to the print area's."""
    if not dpi:
        return None
    return round(dpi * width / full_width, 3)
