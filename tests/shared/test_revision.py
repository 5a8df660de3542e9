"""Revisions change exactly when the rendered files would."""
from shared.design.document import DesignIn, StoredDesign
from shared.design.revision import design_hash, render_revision
from shared.websites import FontFace, Website
from tests import factories


def stored(*objects) -> StoredDesign:
    design = DesignIn.model_validate(factories.design(1, factories.view("front", *objects)))
    return StoredDesign(WebsiteId=23, DesignHash=design_hash(design.model_dump(mode="json")),
                        SavedAt=0, Design=design)


TEXT = {"type": "text", "text": "hi", "fontFamily": "BrandFont"}


def test_content_media_type_and_thumbnails_change_the_revision():
    site = Website(id=23, name="s")
    base = render_revision(stored(factories.rect()).summary(), site)
    assert render_revision(stored(factories.rect(fill="#00ff00")).summary(), site) != base
    assert render_revision(stored(factories.rect()).summary(),
                           Website(id=23, name="s", design_image_media_type="image/webp")) != base
    assert render_revision(stored(factories.rect()).summary(),
                           Website(id=23, name="s", thumbnail_sizes=[100])) != base
    assert render_revision(stored(factories.rect()).summary(), Website(id=23, name="renamed")) == base


def test_an_uploaded_font_changes_only_designs_that_use_its_family():
    plain, branded = stored(factories.rect()), stored(TEXT)
    before = Website(id=23, name="s")
    after = Website(id=23, name="s", fonts=[FontFace(family="brandfont", key="fonts/23/x.ttf")])
    assert render_revision(plain.summary(), before) == render_revision(plain.summary(), after)
    assert render_revision(branded.summary(), before) != render_revision(branded.summary(), after)
