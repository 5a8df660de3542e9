"""Unicode bidirectional algorithm (UAX #9) for one paragraph without explicit embeddings.

Chromium runs the full algorithm on every ``fillText`` string. Design text never carries embedding
controls in practice, so rules X1–X10 are reduced to "treat them as neutrals"; W1–W7, N1–N2, I1–I2,
L1 and L2 are implemented as specified. That is what orders "שלום 123" with the digits left-to-right.
"""
from __future__ import annotations

import unicodedata

_STRONG_R = {"R", "AL"}
_NEUTRAL = {"B", "S", "WS", "ON"}
_EXPLICIT = {"LRE", "LRO", "RLE", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI", "BN"}


def _classes(text: str) -> list[str]:
    out = []
    for ch in text:
        cls = unicodedata.bidirectional(ch) or "L"
        out.append("ON" if cls in _EXPLICIT else cls)
    return out


def _resolve_weak(types: list[str], sos: str) -> None:
    prev = sos
    for i, t in enumerate(types):  # W1
        if t == "NSM":
            types[i] = prev
        prev = types[i]
    last_strong = sos
    for i, t in enumerate(types):  # W2, W3
        if t in ("L", "R", "AL"):
            last_strong = t
        elif t == "EN" and last_strong == "AL":
            types[i] = "AN"
    for i, t in enumerate(types):
        if t == "AL":
            types[i] = "R"
    for i in range(1, len(types) - 1):  # W4
        a, t, b = types[i - 1], types[i], types[i + 1]
        if t == "ES" and a == b == "EN":
            types[i] = "EN"
        elif t == "CS" and a == b and a in ("EN", "AN"):
            types[i] = a
    i = 0
    while i < len(types):  # W5
        if types[i] == "ET":
            j = i
            while j < len(types) and types[j] == "ET":
                j += 1
            if (i > 0 and types[i - 1] == "EN") or (j < len(types) and types[j] == "EN"):
                types[i:j] = ["EN"] * (j - i)
            i = j
        else:
            i += 1
    for i, t in enumerate(types):  # W6
        if t in ("ES", "ET", "CS"):
            types[i] = "ON"
    last_strong = sos
    for i, t in enumerate(types):  # W7
        if t in ("L", "R"):
            last_strong = t
        elif t == "EN" and last_strong == "L":
            types[i] = "L"


def _strong_of(t: str) -> str:
    return "R" if t in ("R", "EN", "AN") else t


def _resolve_neutrals(types: list[str], sos: str, eos: str, embedding: str) -> None:
    i = 0
    while i < len(types):  # N1, N2
        if types[i] not in _NEUTRAL:
            i += 1
            continue
        j = i
        while j < len(types) and types[j] in _NEUTRAL:
            j += 1
        before = _strong_of(types[i - 1]) if i > 0 else sos
        after = _strong_of(types[j]) if j < len(types) else eos
        types[i:j] = [before if before == after else embedding] * (j - i)
        i = j


def embedding_levels(text: str, rtl: bool) -> list[int]:
    """Resolved embedding level per code point, base level 1 for ``rtl`` else 0."""
    base = 1 if rtl else 0
    original = _classes(text)
    types = list(original)
    sos = eos = "R" if rtl else "L"
    _resolve_weak(types, sos)
    _resolve_neutrals(types, sos, eos, sos)
    levels = []
    for t in types:  # I1, I2
        if base == 0:
            levels.append(1 if t == "R" else 2 if t in ("AN", "EN") else 0)
        else:
            levels.append(2 if t in ("L", "EN", "AN") else 1)
    raw = [unicodedata.bidirectional(ch) for ch in text]
    i = len(raw)
    while i > 0 and (raw[i - 1] in ("WS", "S", "B") or raw[i - 1] in _EXPLICIT):
        levels[i - 1] = base  # L1: trailing whitespace takes the paragraph level
        i -= 1
    for k, cls in enumerate(raw):
        if cls in ("S", "B"):
            levels[k] = base
    return levels


def visual_runs(levels: list[int]) -> list[tuple[int, int, int]]:
    """(start, end, level) runs of equal level, in visual left-to-right order (rule L2)."""
    runs: list[tuple[int, int, int]] = []
    start = 0
    for i in range(1, len(levels) + 1):
        if i == len(levels) or levels[i] != levels[start]:
            runs.append((start, i, levels[start]))
            start = i
    if not runs:
        return runs
    highest = max(level for _, _, level in runs)
    lowest_odd = min((level for _, _, level in runs if level % 2), default=highest + 1)
    for level in range(highest, lowest_odd - 1, -1):
        i = 0
        while i < len(runs):
            if runs[i][2] >= level:
                j = i
                while j < len(runs) and runs[j][2] >= level:
                    j += 1
                runs[i:j] = runs[i:j][::-1]
                i = j
            else:
                i += 1
    return runs
