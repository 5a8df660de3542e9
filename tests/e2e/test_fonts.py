"""A website's own font is uploaded, registered and used by the worker; a family that resolves
nowhere renders with the documented fallback and the status carries a warning naming it (F01)."""
from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image

from tests import factories
from tests.e2e.test_main_job import IMAGE, SAVE, STATUS
from tests.stacks import poll_image

MONO_BOLD = Path("/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf")


def text_design(design_id: int, family: str, weight: str = "normal") -> dict:
    obj = {"type": "text", "left": 10, "top": 10, "text": "Brand 123", "fontSize": 40,
           "fontFamily": family, "fontWeight": weight, "fill": "#000000"}
    return factories.design(design_id, factories.view("front", obj, width=320, height=80))


def pixels(response) -> np.ndarray:
    import io

    return np.asarray(Image.open(io.BytesIO(response.content)).convert("RGBA"))


def test_uploaded_font_is_used_and_missing_family_is_reported(e2e):
    with e2e.client() as client:
        upload = client.post("/api/4/Font/Upload", params={"family": "BrandFont", "weight": "bold"},
                             content=MONO_BOLD.read_bytes())
        assert upload.status_code == 201, upload.text
        assert "DejaVu Sans Mono" in upload.json()["Data"]["NamesInFile"]

        client.post(SAVE, json=text_design(300, "BrandFont", "bold"))
        client.post(SAVE, json=text_design(301, "DejaVu Sans Mono", "bold"))
        client.post(SAVE, json=text_design(302, "NoSuchFont"))
        brand = poll_image(client, {"DesignId": 300})
        system = poll_image(client, {"DesignId": 301})
        missing = poll_image(client, {"DesignId": 302})
        assert brand.status_code == system.status_code == missing.status_code == 200
        assert np.array_equal(pixels(brand), pixels(system))
        assert pixels(brand)[..., 3].any()

        warnings = client.get(STATUS, params={"DesignId": 302}).json()["Data"]["Warnings"]
        assert any("NoSuchFont" in w for w in warnings), warnings
        assert client.get(STATUS, params={"DesignId": 300}).json()["Data"]["Warnings"] == []

        corrupt = client.post("/api/4/Font/Upload", params={"family": "Broken"},
                              content=b"\x00\x01\x00\x00" + b"\x00" * 64)
        assert (corrupt.status_code, corrupt.json()["ErrorCode"]) == (422, "242")
        assert client.get(IMAGE, params={"DesignId": 300}).status_code == 200
