"""Errors the renderer raises; the worker maps them to a failed render (code 250)."""
from __future__ import annotations


class RenderError(Exception):
    """A design that cannot be drawn faithfully (unknown kind, missing image, bad geometry).

    The message is public: it names the object and the reason, never internal state.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
