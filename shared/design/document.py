"""The saved design document: what SaveDesign accepts and what is stored at
``designs/{websiteId}/{designId}.json``, plus its summary (the hot-path pointer)."""
from __future__ import annotations

import math
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from shared.design.model import font_families
from shared.sizing import ViewGeometry

VIEW_CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"
MAX_CANVAS_SIDE = 20_000


class View(BaseModel):
    # strict: "400" is not a width and true is not an id; JSON numbers only (ints allowed as floats)
    model_config = ConfigDict(extra="forbid", strict=True)

    ViewCode: str = Field(pattern=VIEW_CODE_PATTERN)
    Width: float | None = Field(default=None, gt=0, le=MAX_CANVAS_SIDE)
    Height: float | None = Field(default=None, gt=0, le=MAX_CANVAS_SIDE)
    Dpi: float | None = Field(default=None, gt=0, le=4800)
    PrintMultiplier: float = Field(default=1.0, gt=0, le=100)
    Canvas: dict[str, Any]

    @field_validator("ViewCode")
    @classmethod
    def _not_dots(cls, code: str) -> str:
        if ".." in code:
            raise ValueError("a view code may not contain '..'")
        return code

    @model_validator(mode="after")
    def _canvas_size(self) -> "View":
        """The view's canvas size comes from Width/Height, else from the canvas JSON."""
        for side in ("width", "height"):
            field_name = side.capitalize()
            if getattr(self, field_name) is None:
                value = self.Canvas.get(side)
                if not _positive_number(value) or value > MAX_CANVAS_SIDE:
                    raise ValueError(
                        f"the view needs {field_name} (or Canvas.{side}), a number in (0, {MAX_CANVAS_SIDE}]"
                    )
                setattr(self, field_name, float(value))
        return self

    @property
    def geometry(self) -> ViewGeometry:
        assert self.Width is not None and self.Height is not None
        return ViewGeometry(self.Width, self.Height, self.PrintMultiplier)


class DesignIn(BaseModel):
    """The SaveDesign body."""

    model_config = ConfigDict(extra="forbid", strict=True)

    DesignId: int = Field(gt=0, le=2**63 - 1)
    DefaultView: str | None = None
    Views: list[View] = Field(min_length=1)

    @model_validator(mode="after")
    def _views(self) -> "DesignIn":
        codes = [v.ViewCode for v in self.Views]
        if len(set(codes)) != len(codes):
            raise ValueError("view codes must be unique")
        if self.DefaultView is None:
            self.DefaultView = codes[0]
        elif self.DefaultView not in codes:
            raise ValueError(f"DefaultView '{self.DefaultView}' is not one of the views")
        return self

    def view(self, code: str) -> View | None:
        return next((v for v in self.Views if v.ViewCode == code), None)


class StoredDesign(BaseModel):
    """The document in storage: the design plus what the service derived from it."""

    WebsiteId: int
    DesignHash: str
    SavedAt: float
    Design: DesignIn

    def summary(self) -> dict[str, Any]:
        """The small pointer kept in Redis: enough to answer a request without reading storage."""
        families = {f for v in self.Design.Views for f in font_families(v.Canvas)}
        return {
            "h": self.DesignHash,
            "fonts": sorted(families),
            "default": self.Design.DefaultView,
            "views": {
                v.ViewCode: [v.Width, v.Height, v.PrintMultiplier, v.Dpi] for v in self.Design.Views
            },
        }


def _positive_number(value: object) -> bool:
    return (
        isinstance(value, (int, float)) and not isinstance(value, bool)
        and math.isfinite(value) and value > 0
    )
