"""Font lookup for text rendering: the reference's family table, website fonts, fallback.

The system table mirrors ``../shared/tools/fabric-ref/fonts.mjs`` (the faces the reference browser
registers with ``FontFace``), so a family renders with the same file here as in the editor reference.
Face choice follows CSS font matching (style first, then weight), and like Chromium a missing bold or
italic face is synthesised. Families that resolve nowhere fall back to DejaVu Sans; the caller records
the warning (``resolve`` itself records nothing).
"""
from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from types import MappingProxyType

import skia
import uharfbuzz as hb

__all__ = ["FontError", "FontFile", "FontRegistry", "ResolvedFont", "inspect_font", "parse_weight"]

_DV = "/usr/share/fonts/truetype/dejavu"
_LB = "/usr/share/fonts/truetype/liberation2"
_NT = "/usr/share/fonts/truetype/noto"
_NO = "/usr/share/fonts/opentype/noto"

FALLBACK_FAMILY = "DejaVu Sans"

# Generic CSS families as the reference's fontconfig resolves them.
_GENERIC = {
    "sans-serif": "DejaVu Sans",
    "serif": "DejaVu Serif",
    "monospace": "DejaVu Sans Mono",
    "cursive": "DejaVu Sans",
    "fantasy": "DejaVu Sans",
    "system-ui": "DejaVu Sans",
}

_ALIASES = {
    "Arial": "Liberation Sans",
    "Helvetica": "Liberation Sans",
    "Times New Roman": "Liberation Serif",
    "Times": "Liberation Serif",
    "Courier New": "Liberation Mono",
    "Courier": "Liberation Mono",
    "Noto Sans CJK SC": "Noto Sans CJK",
    "Noto Sans CJK JP": "Noto Sans CJK",
    "Noto Sans SC": "Noto Sans CJK",
    "Noto Sans JP": "Noto Sans CJK",
}

# Per-glyph fallback order: DejaVu Sans first (fontconfig's preferred sans-serif), then script fonts.
_FALLBACK_ORDER = (
    "DejaVu Sans", "Noto Sans", "Noto Sans Symbols", "Noto Sans Symbols 2", "Noto Sans CJK",
    "Noto Sans Arabic", "Noto Sans Hebrew", "Noto Sans Devanagari", "Noto Sans Thai",
    "DejaVu Serif", "DejaVu Sans Mono",
)
# Emoji-presentation characters: Chromium asks for an emoji font first; the symbol fonts stand in.
_EMOJI_FALLBACK_ORDER = ("Noto Sans Symbols 2", "Noto Sans Symbols", *_FALLBACK_ORDER)


class FontError(ValueError):
    """A font file that cannot be used; the message is safe to show to API clients."""


@dataclass(frozen=True)
class FaceSource:
    """One registered face: where its bytes come from and what it claims to be."""

    family: str
    weight: int
    italic: bool
    path: str | None = None
    data: bytes | None = field(default=None, repr=False)
    index: int = 0

    @property
    def key(self) -> tuple[object, ...]:
        return (self.path, self.index) if self.path else (id(self.data), self.index)


def _four(directory: str, regular: str, bold: str, italic: str, bold_italic: str,
          family: str) -> list[FaceSource]:
    return [
        FaceSource(family, 400, False, f"{directory}/{regular}"),
        FaceSource(family, 700, False, f"{directory}/{bold}"),
        FaceSource(family, 400, True, f"{directory}/{italic}"),
        FaceSource(family, 700, True, f"{directory}/{bold_italic}"),
    ]


def _two(directory: str, stem: str, family: str, bold: bool = True, ext: str = "ttf") -> list[FaceSource]:
    faces = [FaceSource(family, 400, False, f"{directory}/{stem}-Regular.{ext}")]
    if bold:
        faces.append(FaceSource(family, 700, False, f"{directory}/{stem}-Bold.{ext}"))
    return faces


def _system_table() -> dict[str, list[FaceSource]]:
    fams: dict[str, list[FaceSource]] = {}
    fours = {
        "DejaVu Sans": (_DV, "DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf",
                        "DejaVuSans-BoldOblique.ttf"),
        "DejaVu Serif": (_DV, "DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf", "DejaVuSerif-Italic.ttf",
                         "DejaVuSerif-BoldItalic.ttf"),
        "DejaVu Sans Mono": (_DV, "DejaVuSansMono.ttf", "DejaVuSansMono-Bold.ttf",
                             "DejaVuSansMono-Oblique.ttf", "DejaVuSansMono-BoldOblique.ttf"),
    }
    for stem, family in (("LiberationSans", "Liberation Sans"), ("LiberationSerif", "Liberation Serif"),
                         ("LiberationMono", "Liberation Mono")):
        fours[family] = (_LB, f"{stem}-Regular.ttf", f"{stem}-Bold.ttf", f"{stem}-Italic.ttf",
                         f"{stem}-BoldItalic.ttf")
    for stem, family in (("NotoSans", "Noto Sans"), ("NotoSerif", "Noto Serif")):
        fours[family] = (_NT, f"{stem}-Regular.ttf", f"{stem}-Bold.ttf", f"{stem}-Italic.ttf",
                         f"{stem}-BoldItalic.ttf")
    for family, args in fours.items():
        fams[family] = _four(*args, family=family)
    for script in ("Arabic", "Hebrew", "Devanagari", "Thai", "Symbols"):
        fams[f"Noto Sans {script}"] = _two(_NT, f"NotoSans{script}", f"Noto Sans {script}")
    fams["Noto Sans Symbols 2"] = _two(_NT, "NotoSansSymbols2", "Noto Sans Symbols 2", bold=False)
    # OpenType collections: face 0 is the JP face, which Chromium uses for the whole family.
    fams["Noto Sans CJK"] = _two(_NO, "NotoSansCJK", "Noto Sans CJK", ext="ttc")
    fams["Noto Serif CJK"] = _two(_NO, "NotoSerifCJK", "Noto Serif CJK", ext="ttc")
    for alias, target in _ALIASES.items():
        fams[alias] = fams[target]
    return fams


class FontFile:
    """A loaded face: skia typeface for outlines, HarfBuzz font for shaping, and cmap coverage."""

    def __init__(self, source: FaceSource) -> None:
        self.source = source
        self._lock = threading.Lock()

    @cached_property
    def data(self) -> bytes:
        if self.source.data is not None:
            return self.source.data
        assert self.source.path is not None
        return Path(self.source.path).read_bytes()

    @cached_property
    def typeface(self) -> skia.Typeface:
        typeface = skia.Typeface.MakeFromData(skia.Data.MakeWithoutCopy(self.data), self.source.index)
        if typeface is None:
            raise FontError("font file does not parse")
        return typeface

    @cached_property
    def hb_font(self) -> hb.Font:
        face = hb.Face(hb.Blob(self.data), self.source.index)
        return hb.Font(face)  # scale = upem: advances come back in font units

    @cached_property
    def upem(self) -> int:
        return int(self.hb_font.face.upem)

    @cached_property
    def _cmap(self) -> frozenset[int]:
        return frozenset(self.hb_font.face.unicodes)

    def has_char(self, codepoint: int) -> bool:
        return codepoint in self._cmap

    def shape_lock(self) -> threading.Lock:
        """HarfBuzz fonts are not safe to shape with from two threads at once."""
        return self._lock


@lru_cache(maxsize=256)
def _load(source: FaceSource) -> FontFile:
    return FontFile(source)


@dataclass(frozen=True)
class ResolvedFont:
    """The face chosen for a (family, weight, style) request, with Chromium-style synthesis flags."""

    file: FontFile
    family: str
    synthetic_bold: bool = False
    synthetic_italic: bool = False
    is_fallback: bool = False


def parse_weight(weight: object) -> int:
    """CSS weight as a number: 'normal' 400, 'bold' 700, numeric strings as given."""
    if isinstance(weight, (int, float)) and not isinstance(weight, bool):
        return int(weight)
    text = str(weight or "normal").strip().lower()
    if text in ("bold", "bolder"):
        return 700
    if text in ("normal", "", "lighter"):
        return 400 if text != "lighter" else 300
    try:
        return int(float(text))
    except ValueError:
        return 400


def _is_italic(style: object) -> bool:
    return str(style or "normal").strip().lower() in ("italic", "oblique")


def _pick_weight(faces: list[FaceSource], wanted: int) -> FaceSource:
    """CSS Fonts 4 §5.2 weight matching over faces that all share one style."""
    by_weight = sorted(faces, key=lambda f: f.weight)
    exact = [f for f in by_weight if f.weight == wanted]
    if exact:
        return exact[0]
    heavier = [f for f in by_weight if f.weight > wanted]
    lighter = [f for f in reversed(by_weight) if f.weight < wanted]
    if 400 <= wanted <= 500:
        between = [f for f in heavier if f.weight <= 500]
        order = between + lighter + [f for f in heavier if f.weight > 500]
    elif wanted < 400:
        order = lighter + heavier
    else:
        order = heavier + lighter
    return order[0]


def _split_families(family: str) -> list[str]:
    names = [part.strip().strip("'\"").strip() for part in str(family).split(",")]
    return [name for name in names if name]


class FontRegistry:
    """Families → faces. Immutable; ``with_fonts`` layers a website's fonts over it."""

    def __init__(self, families: Mapping[str, list[FaceSource]]) -> None:
        self._families = MappingProxyType({name.lower(): list(faces) for name, faces in families.items()})

    @classmethod
    def system(cls) -> FontRegistry:
        return _system_registry()

    def with_fonts(self, faces: Iterable[tuple[str, str, str, bytes]]) -> FontRegistry:
        """A new registry where each given family is defined only by its own faces (as @font-face)."""
        added: dict[str, list[FaceSource]] = {}
        for family, weight, style, data in faces:
            inspect_font(data)
            source = FaceSource(family, parse_weight(weight), _is_italic(style), data=bytes(data))
            added.setdefault(family.lower(), []).append(source)
        merged = dict(self._families)
        merged.update(added)
        return FontRegistry(merged)

    def has_family(self, family: str) -> bool:
        return any(self._lookup(name) for name in _split_families(family))

    def _lookup(self, name: str) -> list[FaceSource] | None:
        key = name.lower()
        if key in self._families:
            return self._families[key]
        generic = _GENERIC.get(key)
        return self._families.get(generic.lower()) if generic else None

    def resolve(self, family: str, weight: object = "normal", style: object = "normal") -> ResolvedFont:
        """The face for a CSS font-family list; the DejaVu Sans fallback is flagged ``is_fallback``."""
        for name in _split_families(family):
            faces = self._lookup(name)
            if faces:
                return self._match(faces, name, weight, style, is_fallback=False)
        faces = self._families[FALLBACK_FAMILY.lower()]
        return self._match(faces, FALLBACK_FAMILY, weight, style, is_fallback=True)

    def fallback_for(self, codepoint: int, weight: object, style: object, *,
                     emoji: bool = False) -> ResolvedFont | None:
        """A system face that has a glyph for ``codepoint`` (Chromium asks fontconfig the same)."""
        for family in _EMOJI_FALLBACK_ORDER if emoji else _FALLBACK_ORDER:
            faces = self._families.get(family.lower())
            if not faces:
                continue
            resolved = self._match(faces, family, weight, style, is_fallback=False)
            if _source_exists(resolved.file.source) and resolved.file.has_char(codepoint):
                return resolved
        return None

    @staticmethod
    def _match(faces: list[FaceSource], family: str, weight: object, style: object,
               *, is_fallback: bool) -> ResolvedFont:
        wanted_italic = _is_italic(style)
        same_style = [f for f in faces if f.italic == wanted_italic] or faces
        wanted = parse_weight(weight)
        chosen = _pick_weight(same_style, wanted)
        return ResolvedFont(
            file=_load(chosen),
            family=family,
            synthetic_bold=wanted >= 600 and chosen.weight < 600,
            synthetic_italic=wanted_italic and not chosen.italic,
            is_fallback=is_fallback,
        )


def _source_exists(source: FaceSource) -> bool:
    return source.data is not None or (source.path is not None and Path(source.path).is_file())


@lru_cache(maxsize=1)
def _system_registry() -> FontRegistry:
    return FontRegistry(_system_table())


def inspect_font(data: bytes) -> list[str]:
    """Family names of every face in a TTF/OTF/TTC; FontError if the bytes are not a usable font."""
    if not data:
        raise FontError("font file is empty")
    count = int.from_bytes(data[8:12], "big") if data[:4] == b"ttcf" else 1
    if not 1 <= count <= 64:
        raise FontError("font file does not parse")
    names: list[str] = []
    for index in range(count):
        typeface = skia.Typeface.MakeFromData(skia.Data.MakeWithCopy(bytes(data)), index)
        if typeface is None or typeface.countGlyphs() == 0:
            raise FontError("font file does not parse")
        name = typeface.getFamilyName()
        if name and name not in names:
            names.append(name)
    if not names:
        raise FontError("font file has no family name")
    return names
