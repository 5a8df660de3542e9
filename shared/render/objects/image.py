"""fabric.Image: the decoded source (cropped by cropX/cropY) stretched over the object box.

Sampling happens in premultiplied alpha (no fringes from invisible pixels) with mipmaps when the
image is drawn smaller than its pixels, bilinear otherwise, as Chromium's drawImage does.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import PIL.Image
import skia

from shared.render.engine import DrawContext
from shared.render.props import get, num


def prepare(obj: Mapping[str, Any], images: Mapping[str, PIL.Image.Image]) -> Mapping[str, Any]:
    """fabric Image._setWidthHeight: a missing or zero width/height is the source's natural size."""
    source = images.get(obj.get("src")) if isinstance(obj.get("src"), str) else None
    if source is None or (num(obj, "width", "image") and num(obj, "height", "image")):
        return obj
    return {**obj, "width": num(obj, "width", "image") or float(source.width),
            "height": num(obj, "height", "image") or float(source.height)}


def draw(canvas: skia.Canvas, obj: Mapping[str, Any], ctx: DrawContext) -> None:
    image = ctx.skia_image(obj.get("src"))
    width, height = num(obj, "width", "image"), num(obj, "height", "image")
    crop_x, crop_y = max(num(obj, "cropX", "image"), 0.0), max(num(obj, "cropY", "image"), 0.0)
    src_w = min(width, image.width() - crop_x)
    src_h = min(height, image.height() - crop_y)
    outline = skia.Path()
    outline.addRect(skia.Rect.MakeXYWH(-width / 2, -height / 2, width, height))
    sampling = _sampling(canvas, get(obj, "imageSmoothing", "image") is not False)

    def draw_pixels(c: skia.Canvas, alpha: float) -> None:
        if src_w <= 0 or src_h <= 0:
            return
        paint = skia.Paint(AntiAlias=True, Alphaf=alpha)
        c.drawImageRect(image, skia.Rect.MakeXYWH(crop_x, crop_y, src_w, src_h),
                        skia.Rect.MakeXYWH(-width / 2, -height / 2, src_w, src_h),
                        sampling, paint, skia.Canvas.kFast_SrcRectConstraint)

    first_stroke = get(obj, "paintFirst", "image") == "stroke"
    if first_stroke:
        ctx.fill_and_stroke(canvas, outline, obj, fill=None)
    ctx.draw_direct(canvas, draw_pixels, skia.Rect.MakeXYWH(-width / 2, -height / 2, width, height))
    if not first_stroke:
        ctx.fill_and_stroke(canvas, outline, obj, fill=None)


def _sampling(canvas: skia.Canvas, smooth: bool) -> skia.SamplingOptions:
    """Source pixels map 1:1 to object units (fabric draws crops unscaled), so the canvas matrix
    alone says whether the image is reduced (mipmaps) or enlarged (bilinear)."""
    if not smooth:
        return skia.SamplingOptions(skia.FilterMode.kNearest, skia.MipmapMode.kNone)
    m = canvas.getTotalMatrix()
    sx = (m.getScaleX() ** 2 + m.getSkewY() ** 2) ** 0.5
    sy = (m.getSkewX() ** 2 + m.getScaleY() ** 2) ** 0.5
    if min(sx, sy) < 1:
        return skia.SamplingOptions(skia.FilterMode.kLinear, skia.MipmapMode.kLinear)
    return skia.SamplingOptions(skia.FilterMode.kLinear, skia.MipmapMode.kNone)
