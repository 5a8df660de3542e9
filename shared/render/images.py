"""Decoding uploaded images the way a browser shows them, with public reasons for refusals.

Browsers apply EXIF orientation and colour profiles, un-invert Adobe CMYK and keep palette
transparency; Pillow does none of that by default. Everything returned is RGBA in sRGB.
"""
from __future__ import annotations

import io
import re
import warnings

import numpy as np
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

_FORMATS = {"PNG", "JPEG", "WEBP", "GIF", "MPO"}
_SRGB = ImageCms.createProfile("sRGB")


class ImageDecodeError(ValueError):
    """The image cannot be used; the message is safe to show to the API client."""


def decode_image(data: bytes, *, max_pixels: int) -> Image.Image:
    """Decode PNG/JPEG/WebP/GIF (first frame) bytes to an upright sRGB RGBA image.

    The declared size is checked against ``max_pixels`` before any pixel is decoded.
    """
    if _looks_like_svg(data):
        raise ImageDecodeError("SVG images are not supported yet")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data))
        except Image.DecompressionBombError as exc:  # over Pillow's own ceiling (~179 Mpx)
            declared = re.search(r"\((\d+) pixels\)", str(exc))
            detail = f" ({declared.group(1)} px)" if declared else ""
            raise ImageDecodeError(f"source image too large{detail}") from exc
        except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
            raise ImageDecodeError("not a valid image") from exc
        if image.format not in _FORMATS:
            raise ImageDecodeError(f"image format {image.format} is not supported")
        width, height = image.size
        if width <= 0 or height <= 0:
            raise ImageDecodeError("not a valid image")
        if width * height > max_pixels:
            raise ImageDecodeError(f"source image too large ({width}x{height} px)")
        try:
            image.load()
        except OSError as exc:
            reason = "truncated image" if "truncat" in str(exc).lower() else "not a valid image"
            raise ImageDecodeError(reason) from exc
        except (ValueError, SyntaxError, EOFError) as exc:
            raise ImageDecodeError("not a valid image") from exc
    profile = image.info.get("icc_profile")
    image = ImageOps.exif_transpose(image) or image
    image = _to_standard_mode(image)
    if profile:
        image = _to_srgb(image, profile)
    return image.convert("RGBA")


def _looks_like_svg(data: bytes) -> bool:
    head = data[:512].lstrip().lower()
    return head.startswith(b"<?xml") or head.startswith(b"<svg") or b"<svg" in head


def _to_standard_mode(image: Image.Image) -> Image.Image:
    """Palette, bilevel and high-bit-depth modes → L, LA, RGB, RGBA or CMYK (alpha preserved)."""
    if image.mode in ("P", "PA"):
        return image.convert("RGBA")
    if image.mode == "1":
        return image.convert("L")
    if image.mode.startswith("I") or image.mode == "F":
        values = np.asarray(image, dtype=np.float64)
        peak = 65535.0 if image.mode != "F" else max(float(values.max(initial=1.0)), 1.0)
        return Image.fromarray(np.clip(values / peak * 255 + 0.5, 0, 255).astype(np.uint8), "L")
    if image.mode in ("L", "LA", "RGB", "RGBA", "CMYK"):
        return image
    return image.convert("RGBA")


def _to_srgb(image: Image.Image, profile: bytes) -> Image.Image:
    """Apply the embedded ICC profile; a profile that does not parse is ignored, as browsers do."""
    alpha = image.getchannel("A") if image.mode in ("LA", "RGBA") else None
    base = image.convert({"LA": "L", "RGBA": "RGB"}.get(image.mode, image.mode))
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
        converted = ImageCms.profileToProfile(base, source, _SRGB, outputMode="RGB",
                                              renderingIntent=ImageCms.Intent.PERCEPTUAL)
    except (ImageCms.PyCMSError, OSError, ValueError):
        converted = None
    result = converted if converted is not None else base.convert("RGB")
    if alpha is not None:
        result.putalpha(alpha)
    return result
