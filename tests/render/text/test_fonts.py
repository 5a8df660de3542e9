"""Font resolution: the reference's family table, aliases, CSS face matching, fallback, uploads."""
from __future__ import annotations

from pathlib import Path

import pytest

from shared.render.fonts import FontError, FontRegistry, inspect_font
from shared.render.text.metrics import StyleFonts

LB = "/usr/share/fonts/truetype/liberation2"
DV = "/usr/share/fonts/truetype/dejavu"


@pytest.mark.parametrize(("family", "weight", "style", "file"), [
    ("Arial", "normal", "normal", f"{LB}/LiberationSans-Regular.ttf"),
    ("helvetica", "bold", "normal", f"{LB}/LiberationSans-Bold.ttf"),
    ("Times New Roman", "bold", "italic", f"{LB}/LiberationSerif-BoldItalic.ttf"),
    ("Courier", "400", "italic", f"{LB}/LiberationMono-Italic.ttf"),
    ("Liberation Sans", "600", "normal", f"{LB}/LiberationSans-Bold.ttf"),
    ("Liberation Sans", "300", "normal", f"{LB}/LiberationSans-Regular.ttf"),
    ("sans-serif", "normal", "normal", f"{DV}/DejaVuSans.ttf"),
    ("'Nope', serif", "normal", "normal", f"{DV}/DejaVuSerif.ttf"),
    ("Noto Sans CJK SC", "normal", "normal", "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
])
def test_resolve_uses_the_reference_files(family: str, weight: str, style: str, file: str) -> None:
    resolved = FontRegistry.system().resolve(family, weight, style)
    assert resolved.file.source.path == file
    assert not resolved.is_fallback


def test_missing_faces_are_synthesised_like_chromium() -> None:
    resolved = FontRegistry.system().resolve("Noto Sans Symbols 2", "bold", "italic")
    assert resolved.synthetic_bold and resolved.synthetic_italic


def test_unknown_family_falls_back_with_a_warning_naming_it() -> None:
    warnings: list[str] = []
    fonts = StyleFonts(FontRegistry.system(), warnings)
    font = fonts.font({"fontFamily": "NoSuchFont", "fontWeight": "normal", "fontStyle": "normal"})
    assert font.is_fallback and font.file.source.path == f"{DV}/DejaVuSans.ttf"
    assert warnings == ["font family 'NoSuchFont' is not available; rendered with DejaVu Sans"]


def test_website_fonts_shadow_system_families_and_pick_their_own_faces() -> None:
    regular = Path(f"{DV}/DejaVuSerif.ttf").read_bytes()
    bold_italic = Path(f"{DV}/DejaVuSerif-BoldItalic.ttf").read_bytes()
    registry = FontRegistry.system().with_fonts([
        ("Roboto", "normal", "normal", regular), ("Roboto", "bold", "italic", bold_italic),
        ("Arial", "400", "normal", regular),
    ])
    chosen = registry.resolve("Roboto", "bold", "italic")
    assert chosen.file.source.data == bold_italic and not chosen.synthetic_bold
    assert registry.resolve("Arial", "normal", "normal").file.source.data == regular
    assert FontRegistry.system().resolve("Arial", "normal", "normal").file.source.path is not None


def test_system_registry_is_cached() -> None:
    assert FontRegistry.system() is FontRegistry.system()


def test_inspect_font_lists_collection_families() -> None:
    names = inspect_font(Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc").read_bytes())
    assert "Noto Sans CJK JP" in names and "Noto Sans CJK SC" in names
    assert inspect_font(Path(f"{LB}/LiberationSans-Regular.ttf").read_bytes()) == ["Liberation Sans"]


@pytest.mark.parametrize("data", [b"", b"garbage" * 100, b"ttcf" + b"\x00" * 20,
                                  Path(f"{LB}/LiberationSans-Regular.ttf").read_bytes()[:2000]])
def test_inspect_font_rejects_corrupt_files(data: bytes) -> None:
    with pytest.raises(FontError):
        inspect_font(data)


def test_with_fonts_rejects_corrupt_files() -> None:
    with pytest.raises(FontError):
        FontRegistry.system().with_fonts([("Bad", "normal", "normal", b"not a font")])


def test_script_fallback_is_reported_once_with_every_code_point():
    from shared.render import render_view

    result = render_view({"objects": [{"type": "text", "text": "Love 你好", "fontSize": 30,
                                       "fontFamily": "Liberation Sans"}]},
                         300, 60, scale=1, images={}, fonts=FontRegistry.system())
    substituted = [w for w in result.warnings if "has no glyph" in w]
    assert substituted == ["font 'Liberation Sans' has no glyph for U+4F60, U+597D; "
                           "drawn with Noto Sans CJK"]
