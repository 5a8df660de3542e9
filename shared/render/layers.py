"""Offscreen layers carrying the canvas 2D state fabric draws under: globalAlpha, composite, shadow.

Layers are created in output pixels because canvas shadows ignore the current transform.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import skia


@dataclass(frozen=True)
class DeviceShadow:
    """A canvas shadow in output pixels (canvas shadows ignore the current transform)."""

    color: int
    sigma: float
    dx: float
    dy: float

    def filter(self, source: skia.ImageFilter | None = None) -> skia.ImageFilter:
        return skia.ImageFilters.DropShadow(self.dx, self.dy, self.sigma, self.sigma, self.color,
                                            source)


def effects_paint(alpha: float, blend: skia.BlendMode, shadow: DeviceShadow | None) -> skia.Paint:
    """Layer paint for globalAlpha, composite operation and shadow as canvas applies them.

    Canvas draws the shadow and the content as two separate composites, each with globalAlpha, so
    the shadow shows through half-transparent content: fade first, then cast the shadow.
    """
    if shadow is None:
        return skia.Paint(Alphaf=alpha, BlendMode=blend)
    fade = skia.ImageFilters.ColorFilter(skia.ColorFilters.Matrix(
        [1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, alpha, 0])) if alpha < 1 else None
    return skia.Paint(BlendMode=blend, ImageFilter=shadow.filter(fade))


def faded(paint: skia.Paint, alpha: float) -> skia.Paint:
    """A copy of paint with its alpha multiplied (globalAlpha on one draw operation)."""
    if alpha >= 1:
        return paint
    result = skia.Paint(paint)
    result.setAlphaf(paint.getAlphaf() * alpha)
    return result


def with_device_layer(canvas: skia.Canvas, paint: skia.Paint, draw: Callable[[skia.Canvas], None],
                      bounds: skia.Rect | None) -> None:
    """Draw into a layer created in output pixels, so shadow offsets/blur are not transformed."""
    matrix = canvas.getTotalMatrix()
    canvas.save()
    canvas.resetMatrix()
    canvas.saveLayer(bounds, paint)
    canvas.setMatrix(matrix)
    draw(canvas)
    canvas.restore()
    canvas.restore()
