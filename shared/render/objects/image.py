"""fabric.Image: the decoded source (cropped by cropX/cropY) stretched over the object box.

Sampling happens in premultiplied alpha (no fringes from invisible pixels) with mipmaps when the
image is drawn smaller than its pixels, bilinear otherwise, as Chromium's drawImage does.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import skia

from shared.render.engine import DrawContext
from shared.render.props import get, num


def draw(canvas: skia.Canvas, obj: Mapping[str, Any], ctx: DrawContext) -> None:
    image = ctx.skia_image(obj.get("src"))
    width = num(obj, "width", "image") or float(image.width())
    height = num(obj, "height", "image") or float(image.height())
    crop_x, crop_y = max(num(obj, "cropX", "image"), 0.0), max(num(obj, "cropY", "image"), 0.0)
    src_w = min(width, image.width() - crop_x)
    src_h = min(height, image.height() - crop_y)
    dst_w, dst_h = src_w, src_h
    outline = skia.Path()
    outline.addRect(skia.Rect.MakeXYWH(-width / 2, -height / 2, width, height))
    sampling = _sampling(canvas, src_w, src_h, dst_w, dst_h,
                         bool(get(obj, "imageSmoothing", "image") is not False))

    def draw_pixels(c: skia.Canvas, alpha: float) -> None:
        if src_w <= 0 or src_h <= 0:
            return
        paint = skia.Paint(AntiAlias=True, Alphaf=alpha)
        c.drawImageRect(image, skia.Rect.MakeXYWH(crop_x, crop_y, src_w, src_h),
                        skia.Rect.MakeXYWH(-width / 2, -height / 2, dst_w, dst_h),
                        sampling, paint, skia.Canvas.kFast_SrcRectConstraint)

    sized = {**obj, "width": width, "height": height}
    first_stroke = get(obj, "paintFirst", "image") == "stroke"
    if first_stroke:
        ctx.fill_and_stroke(canvas, outline, sized, fill=None)
    ctx.draw_direct(canvas, draw_pixels, skia.Rect.MakeXYWH(-width / 2, -height / 2, width, height))
    if not first_stroke:
        ctx.fill_and_stroke(canvas, outline, sized, fill=None)


def _sampling(canvas: skia.Canvas, src_w: float, src_h: float, dst_w: float, dst_h: float,
              smooth: bool) -> skia.SamplingOptions:
    if not smooth:
        return skia.SamplingOptions(skia.FilterMode.kNearest, skia.MipmapMode.kNone)
    m = canvas.getTotalMatrix()
    sx = (m.getScaleX() ** 2 + m.getSkewY() ** 2) ** 0.5 * dst_w / max(src_w, 1e-9)
    sy = (m.getSkewX() ** 2 + m.getScaleY() ** 2) ** 0.5 * dst_h / max(src_h, 1e-9)
    if min(sx, sy) < 1:
        return skia.SamplingOptions(skia.FilterMode.kLinear, skia.MipmapMode.kLinear)
    return skia.SamplingOptions(skia.FilterMode.kLinear, skia.MipmapMode.kNone)
