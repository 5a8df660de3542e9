"""Pure builders for every S3 key (spec §4). The bucket prefix is applied by the storage layer."""
from __future__ import annotations


def website_key(website_id: int) -> str:
    return f"websites/{website_id}.json"


def design_key(website_id: int, design_id: int) -> str:
    return f"designs/{website_id}/{design_id}.json"


def asset_key(website_id: int, sha256: str, ext: str) -> str:
    return f"assets/{website_id}/{sha256}.{ext}"


def font_key(website_id: int, sha256: str, ext: str) -> str:
    return f"fonts/{website_id}/{sha256}.{ext}"


def revision_prefix(website_id: int, design_id: int, revision: str) -> str:
    return f"renders/{website_id}/{design_id}/{revision}/"


def rendition_key(
    website_id: int, design_id: int, revision: str, view_code: str, width: int, height: int, ext: str
) -> str:
    return f"{revision_prefix(website_id, design_id, revision)}{view_code}/{width}x{height}.{ext}"


def manifest_key(website_id: int, design_id: int, revision: str) -> str:
    return f"{revision_prefix(website_id, design_id, revision)}manifest.json"
