"""The object dispatcher and the drawing state objects share (fabric's Object.render).

Per object, in fabric's order: visibility, composite operation, transform, opacity, shadow, then
either a cached draw (fabric's per-object cache canvas: one isolated layer that receives opacity,
shadow and composite operation as a whole) or a direct draw (inside a cached group: every fill and
stroke gets them separately), background colour, the kind's ``draw``, and the clip path.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import PIL.Image
import skia

from shared.design.model import TEXT_KINDS, canonical_type
from shared.render import transform as tf
from shared.render.bounds import FULL_CANVAS_OPS, device_bounds, local_bounds
from shared.render.errors import RenderError
from shared.render.layers import DeviceShadow, effects_paint, faded, with_device_layer
from shared.render.objects import module_for
from shared.render.paint import (BLEND_MODES, Shadow, apply_stroke_style, color_int, css_color,
                                 fill_paint, parse_shadow)
from shared.render.props import flag, get, num
from shared.render.rules import is_hidden, should_cache

_OBJ = object()  # "use the object's own value" marker for fill_and_stroke
_FULL_CANVAS_BLENDS = frozenset(BLEND_MODES[op] for op in FULL_CANVAS_OPS)


@dataclass
class DrawContext:
    """What a kind's ``draw`` gets besides the canvas: resources, warnings and the canvas 2D state.

    ``scale`` is the current object's total output scale (export scale × groups × object), for
    choosing raster sizes. ``alpha``/``blend``/``shadow`` are the canvas state that direct draws
    must apply; inside an object's own layer they are neutral.
    """

    images: Mapping[str, PIL.Image.Image]
    fonts: Any
    warnings: list[str]
    scale: float
    device: tf.Matrix
    matrix: tf.Matrix = tf.IDENTITY
    kind: str | None = None
    in_group: bool = False
    on_cache: bool = False
    alpha: float = 1.0
    blend: skia.BlendMode = skia.BlendMode.kSrcOver
    shadow: DeviceShadow | None = None
    own_shadow: Shadow | None = None
    _image_cache: dict[str, skia.Image] = field(default_factory=dict)

    def object_scaling(self, obj: Mapping[str, Any]) -> tuple[float, float]:
        """fabric getObjectScaling: own scale at top level, decomposed total scale in a group."""
        if not self.in_group:
            return num(obj, "scaleX", self.kind), num(obj, "scaleY", self.kind)
        return tf.decompose_scale(self.matrix)

    def render_object(self, canvas: skia.Canvas, obj: Mapping[str, Any]) -> None:
        """Render a child object (group member) in this object's coordinate system."""
        render_object(canvas, obj, self)

    def draw_direct(self, canvas: skia.Canvas, draw: Callable[[skia.Canvas, float], None],
                    bounds: skia.Rect | None = None) -> None:
        """Run one draw operation with the current alpha, composite operation and shadow.

        ``draw(canvas, alpha)`` must multiply its paint's alpha by ``alpha``; ``bounds`` (current
        coordinates) contains its ink and keeps a shadow's offscreen layer small.
        """
        if self.shadow is None and self.blend == skia.BlendMode.kSrcOver:
            draw(canvas, self.alpha)
            return
        if bounds is not None and self.blend not in _FULL_CANVAS_BLENDS:
            bounds = device_bounds(canvas, bounds)
        else:
            bounds = None
        with_device_layer(canvas, effects_paint(self.alpha, self.blend, self.shadow),
                           lambda c: draw(c, 1.0), bounds)

    def fill_and_stroke(self, canvas: skia.Canvas, path: skia.Path, obj: Mapping[str, Any], *,
                        fill: Any = _OBJ, stroke: Any = _OBJ, bbox: skia.Rect | None = None) -> None:
        """Paint a path as fabric's _renderPaintInOrder: fill and stroke in ``paintFirst`` order.

        Gradients are positioned relative to ``bbox`` (default: the object box centred at 0).
        """
        kind = canonical_type(obj.get("type")) or self.kind
        fill_value = get(obj, "fill", kind) if fill is _OBJ else fill
        stroke_value = get(obj, "stroke", kind) if stroke is _OBJ else stroke
        if bbox is None:
            w, h = num(obj, "width", kind), num(obj, "height", kind)
            bbox = skia.Rect.MakeXYWH(-w / 2, -h / 2, w, h)
        path.setFillType(skia.PathFillType.kEvenOdd if get(obj, "fillRule", kind) == "evenodd"
                         else skia.PathFillType.kWinding)
        steps = ("stroke", "fill") if get(obj, "paintFirst", kind) == "stroke" else ("fill", "stroke")
        for step in steps:
            if step == "fill":
                self._fill(canvas, path, fill_value, bbox)
            else:
                self._stroke(canvas, path, obj, kind, stroke_value, bbox)

    def _fill(self, canvas: skia.Canvas, path: skia.Path, value: Any, bbox: skia.Rect) -> None:
        if not value:
            return
        paint = fill_paint(value, bbox, self.warnings)
        if paint is not None:
            self.draw_direct(canvas, lambda c, alpha: c.drawPath(path, faded(paint, alpha)),
                             path.computeTightBounds())

    def _stroke(self, canvas: skia.Canvas, path: skia.Path, obj: Mapping[str, Any], kind: str | None,
                value: Any, bbox: skia.Rect) -> None:
        if not value or num(obj, "strokeWidth", kind) == 0:
            return
        if self.own_shadow is not None and not self.own_shadow.affect_stroke:
            self.shadow = None
        canvas.save()
        if flag(obj, "strokeUniform", kind):
            sx, sy = self.object_scaling(obj)
            if sx and sy:
                canvas.scale(1 / sx, 1 / sy)
                path = skia.Path(path)
                path.transform(skia.Matrix.Scale(sx, sy))
        paint = fill_paint(value, bbox, self.warnings)
        if paint is not None:
            apply_stroke_style(paint, obj, kind)
            pad = paint.getStrokeWidth() / 2 * max(paint.getStrokeMiter(), 1.5) + 1
            self.draw_direct(canvas, lambda c, alpha: c.drawPath(path, faded(paint, alpha)),
                             path.computeTightBounds().makeOutset(pad, pad))
        canvas.restore()

    def skia_image(self, src: Any) -> skia.Image:
        """The decoded image for an image object's ``src`` (RenderError if the worker gave none)."""
        if not isinstance(src, str) or src not in self.images:
            shown = src[:80] + "…" if isinstance(src, str) and len(src) > 80 else src
            raise RenderError(f"image source not provided: {shown!r}")
        cached = self._image_cache.get(src)
        if cached is None:
            cached = _premultiplied_image(self.images[src])
            self._image_cache[src] = cached
        return cached


def _premultiplied_image(pil: PIL.Image.Image) -> skia.Image:
    """Premultiply up front so every resampling (incl. mipmaps) averages colour weighted by alpha."""
    rgba = np.asarray(pil if pil.mode == "RGBA" else pil.convert("RGBA"), dtype=np.uint16)
    premul = rgba.copy()
    premul[..., :3] = (rgba[..., :3] * rgba[..., 3:4] + 127) // 255
    return skia.Image.fromarray(premul.astype(np.uint8), colorType=skia.kRGBA_8888_ColorType,
                                alphaType=skia.kPremul_AlphaType)


def prepare(obj: Mapping[str, Any], kind: str, fonts: Any,
            images: Mapping[str, PIL.Image.Image]) -> Mapping[str, Any]:
    """The object as fabric sees it after loading (derived sizes), via the kind's prepare hook.

    Text measures itself with the render's font registry; images size themselves by the source.
    """
    hook = getattr(module_for(kind), "prepare", None)
    if hook is None:
        return obj
    if kind in TEXT_KINDS:
        return hook(obj, fonts)
    return hook(obj, images) if kind == "image" else hook(obj)


def kind_of(obj: Mapping[str, Any]) -> str:
    kind = canonical_type(obj.get("type"))
    if kind is None:
        raise RenderError(f"object type {obj.get('type')!r} is not supported")
    return kind


def device_shadow(shadow: Shadow, ctx: DrawContext, obj: Mapping[str, Any]) -> DeviceShadow:
    """fabric _setShadow: blur and offsets scale with the object (unless nonScaling) and export."""
    mult_x, mult_y = ctx.device[0] or 1.0, ctx.device[3] or 1.0
    sx, sy = (1.0, 1.0) if shadow.non_scaling else ctx.object_scaling(obj)
    blur = shadow.blur * (mult_x + mult_y) * (sx + sy) / 4
    return DeviceShadow(color_int(shadow.color), blur / 2,
                        shadow.offset_x * mult_x * sx, shadow.offset_y * mult_y * sy)


def render_object(canvas: skia.Canvas, raw: Mapping[str, Any], parent: DrawContext) -> None:
    """fabric Object.render for one object inside ``parent``'s coordinate system."""
    kind = kind_of(raw)
    obj = prepare(raw, kind, parent.fonts, parent.images)
    if is_hidden(obj, kind):
        return
    own = tf.own_matrix(obj, kind)
    matrix = tf.multiply(parent.matrix, own)
    ctx = replace(parent, kind=kind, matrix=matrix, in_group=parent.kind == "group",
                  scale=tf.max_scale(tf.multiply(parent.device, matrix)))
    op = obj.get("globalCompositeOperation")
    if isinstance(op, str) and op:
        if op not in BLEND_MODES:
            raise RenderError(f"globalCompositeOperation {op!r} is not supported")
        ctx.blend = BLEND_MODES[op]
    ctx.alpha = parent.alpha * num(obj, "opacity", kind)
    ctx.own_shadow = parse_shadow(obj.get("shadow"), ctx.warnings)
    if ctx.own_shadow is not None:
        ctx.shadow = device_shadow(ctx.own_shadow, ctx, obj)
    cached = should_cache(obj, kind, parent.on_cache)
    save_count = canvas.save()
    if cached:
        layer_paint = _layer_paint(ctx)
        ctx.alpha, ctx.blend, ctx.shadow = 1.0, skia.BlendMode.kSrcOver, None
        ctx.on_cache = True
        if layer_paint is not None or obj.get("clipPath"):
            matrix_before = canvas.getTotalMatrix()
            bounds = None
            if op not in FULL_CANVAS_OPS:
                canvas.concat(_skia_matrix(own))
                bounds = device_bounds(canvas, local_bounds(
                    obj, kind, lambda o, k: prepare(o, k, ctx.fonts, ctx.images)))
            canvas.resetMatrix()
            canvas.saveLayer(bounds, layer_paint)
            canvas.setMatrix(matrix_before)
    canvas.concat(_skia_matrix(own))
    draw_body(canvas, obj, kind, ctx)
    canvas.restoreToCount(save_count)


def _layer_paint(ctx: DrawContext) -> skia.Paint | None:
    if ctx.alpha >= 1 and ctx.blend == skia.BlendMode.kSrcOver and ctx.shadow is None:
        return None
    return effects_paint(ctx.alpha, ctx.blend, ctx.shadow)


def draw_body(canvas: skia.Canvas, obj: Mapping[str, Any], kind: str, ctx: DrawContext,
              for_clipping: bool = False) -> None:
    """fabric drawObject: background (or clip-mode paint), the kind's drawing, then its clip path."""
    if for_clipping and kind != "group":
        obj = {**obj, "fill": "black", "stroke": ""}
        ctx.alpha = 1.0
    elif kind != "group":
        _draw_background(canvas, obj, kind, ctx)
    module_for(kind).draw(canvas, obj, ctx)
    clip = obj.get("clipPath")
    if isinstance(clip, Mapping):
        apply_clip_path(canvas, clip, ctx, inverted_allowed=True)


def _draw_background(canvas: skia.Canvas, obj: Mapping[str, Any], kind: str, ctx: DrawContext) -> None:
    """fabric _renderBackground: the box including the stroke; no shadow for anything after it."""
    color = css_color(obj.get("backgroundColor"), ctx.warnings)
    if color is None:
        return
    stroke_width = num(obj, "strokeWidth", kind)
    w, h = num(obj, "width", kind) + stroke_width, num(obj, "height", kind) + stroke_width
    paint = skia.Paint(AntiAlias=True, Color=color_int(color))
    rect = skia.Rect.MakeXYWH(-w / 2, -h / 2, w, h)
    ctx.draw_direct(canvas, lambda c, alpha: c.drawRect(rect, faded(paint, alpha)))
    if ctx.own_shadow is not None:
        ctx.shadow = None


def apply_clip_path(canvas: skia.Canvas, clip: Mapping[str, Any], ctx: DrawContext, *,
                    inverted_allowed: bool) -> None:
    """fabric drawClipPathOnCache / drawClipPathOnCanvas: keep (or cut) what the clip covers.

    Object clip paths live in the object's own unscaled frame, absolutePositioned ones in canvas
    coordinates; the canvas-level clip path ignores ``inverted``.
    """
    kind = kind_of(clip)
    clip = prepare(clip, kind, ctx.fonts, ctx.images)
    inverted = inverted_allowed and bool(clip.get("inverted"))
    canvas.save()
    canvas.saveLayer(None, skia.Paint(BlendMode=skia.BlendMode.kDstOut if inverted
                                      else skia.BlendMode.kDstIn))
    if not is_hidden(clip, kind):
        base = ctx.matrix
        if clip.get("absolutePositioned"):
            canvas.setMatrix(_skia_matrix(ctx.device))
            base = tf.IDENTITY
        own = tf.own_matrix(clip, kind)
        matrix = tf.multiply(base, own)
        clip_ctx = replace(ctx, kind=kind, matrix=matrix, in_group=False, on_cache=True,
                           alpha=1.0, blend=skia.BlendMode.kSrcOver, shadow=None, own_shadow=None,
                           scale=tf.max_scale(tf.multiply(ctx.device, matrix)))
        canvas.concat(_skia_matrix(own))
        draw_body(canvas, clip, kind, clip_ctx, for_clipping=True)
    canvas.restore()
    canvas.restore()


def _skia_matrix(m: tf.Matrix) -> skia.Matrix:
    return skia.Matrix.MakeAll(m[0], m[2], m[4], m[1], m[3], m[5], 0.0, 0.0, 1.0)
