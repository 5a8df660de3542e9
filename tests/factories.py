"""Builders of valid designs and websites for tests."""
from __future__ import annotations

import io
from typing import Any

from PIL import Image

from shared.websites import Website


def rect(left: float = 10, top: float = 10, width: float = 50, height: float = 40,
         fill: str = "#ff0000", **extra: Any) -> dict[str, Any]:
    return {"type": "rect", "left": left, "top": top, "width": width, "height": height,
            "fill": fill, "strokeWidth": 0, **extra}


def canvas(*objects: dict[str, Any], width: float = 200, height: float = 100,
           version: str = "5.3.0") -> dict[str, Any]:
    return {"version": version, "width": width, "height": height, "objects": list(objects)}


def design(design_id: int = 1, *views: dict[str, Any], default: str | None = None) -> dict[str, Any]:
    views = views or (view("front"),)
    body: dict[str, Any] = {"DesignId": design_id, "Views": list(views)}
    if default:
        body["DefaultView"] = default
    return body


def view(code: str = "front", *objects: dict[str, Any], width: float = 200, height: float = 100,
         **extra: Any) -> dict[str, Any]:
    objects = objects or (rect(),)
    return {"ViewCode": code, "Width": width, "Height": height,
            "Canvas": canvas(*objects, width=width, height=height), **extra}


def website(website_id: int = 23, **extra: Any) -> tuple[Website, str]:
    site = Website(id=website_id, name=f"site {website_id}", **extra)
    key = site.add_key()
    return site, key


def png_bytes(size: tuple[int, int] = (40, 30), colour: tuple[int, ...] = (0, 0, 255, 255)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGBA", size, colour).save(buffer, "PNG")
    return buffer.getvalue()
