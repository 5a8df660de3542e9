"""Issue 4 item 7 (F25 race variant): a slow job for revision 1 that finishes after revision 2
was saved and rendered never overwrites or shadows revision 2's images."""
from __future__ import annotations

import io

from PIL import Image

from shared import layout
from tests.faults.support import IMAGE, STATUS, WEBSITE_ID, heavy_design, light_design, wait_for

VIEWS = ("front", "back")
SHAPES = [{"viewCode": view, **size} for view in VIEWS
          for size in ({}, {"Width": 64}, {"Width": 100, "Height": 100})]


def _served(faults, design_id: int) -> list[tuple[str, tuple[int, ...]]]:
    """(ETag, centre pixel) of every shape the API serves now."""
    with faults.client() as client:
        answers = [client.get(IMAGE, params={"DesignId": design_id, **shape}) for shape in SHAPES]
    assert [a.status_code for a in answers] == [200] * len(SHAPES)
    served = []
    for answer in answers:
        image = Image.open(io.BytesIO(answer.content)).convert("RGBA")
        served.append((answer.headers["etag"], image.getpixel((image.width // 2, image.height // 2))))
    return served


def _s3_etags(faults, design_id: int, revision: str) -> dict[str, str]:
    prefix = layout.revision_prefix(WEBSITE_ID, design_id, revision)
    listed = faults.s3.list_objects_v2(Bucket=faults.settings.s3_bucket, Prefix=prefix)
    return {o["Key"]: o["ETag"] for o in listed["Contents"]}


def test_late_revision_1_never_shadows_revision_2(faults):
    design_id = 371
    rev1 = faults.save(heavy_design(design_id, circles=50, multiplier=3, colour="#ff0000",
                                    views=VIEWS))
    wait_for(lambda: faults.status(design_id, rev1) == "rendering", 60, "revision 1 rendering")
    rev2 = faults.save(light_design(design_id, colour="#0000ff", views=VIEWS))
    assert rev2 != rev1
    faults.wait_status(design_id, rev2, "ready")
    assert faults.status(design_id, rev1) == "rendering", "revision 1 must finish last"
    before = _served(faults, design_id)
    assert {pixel for _, pixel in before} == {(0, 0, 255, 255)}
    rev2_objects = _s3_etags(faults, design_id, rev2)

    faults.wait_status(design_id, rev1, "ready", timeout_s=90)  # the late job completes
    assert faults.renders(design_id) == 2
    assert _served(faults, design_id) == before
    assert _s3_etags(faults, design_id, rev2) == rev2_objects
    with faults.client() as client:
        status = client.get(STATUS, params={"DesignId": design_id}).json()["Data"]
    assert status["Revision"] == rev2 and status["Status"] == "ready"
