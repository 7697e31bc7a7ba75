"""Publishers' Korean names and seed documents' titles (seeds/names/) cover the shipped sources."""

from __future__ import annotations

import re

from talentgap.seeds.loader import seed_dataset
from talentgap.seeds.naming import documents, publisher_names

HANGUL = re.compile("[가-힣]")


def test_every_seed_document_cited_has_a_title_in_both_languages():
    sources = seed_dataset().sources
    cited = set(sources.loc[sources["kind"] == "seed", "ref"])
    assert cited and cited <= set(documents()), f"no title for {sorted(cited - set(documents()))}"
    for ref in cited:
        doc = documents()[ref]
        assert doc.title_en and not HANGUL.search(doc.title_en) and HANGUL.search(doc.title_ko), ref


def test_publisher_names_are_korean_and_name_publishers_the_sources_use():
    written = set(seed_dataset().sources["publisher"])
    names = publisher_names()
    assert len(names) > 80, "most publishers have a Korean name"
    assert set(names) <= written, f"names for publishers no source uses: {sorted(set(names) - written)}"
    assert all(HANGUL.search(k) for k in names.values())
