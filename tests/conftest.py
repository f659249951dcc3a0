"""Shared fixtures: one real spaCy pipeline per test session.

Tests parse with the small English model (en_core_web_sm, installed by the
``test`` extra) because it loads fast; the end-to-end seed test uses the default
medium model the product ships with.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import settings
from paths import BBC, SEEDS, SMALL_MODEL, bbc_articles
from spacy.language import Language

from newsgraph.extract import extract_relations
from newsgraph.models import Article, Extraction
from newsgraph.nlp import DEFAULT_MODEL, load_pipeline

# CI must not fail on an example one run happens to draw and the next does not:
# property tests draw the same examples every run. Explore more with
# HYPOTHESIS_PROFILE=explore (random, 1000 examples).
settings.register_profile("ci", derandomize=True, database=None)
settings.register_profile("explore", max_examples=1000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(scope="session")
def nlp() -> Language:
    """The default pipeline (en_core_web_md re-upload): what users get."""
    return load_pipeline(DEFAULT_MODEL)


@pytest.fixture(scope="session")
def nlp_sm() -> Language:
    """The small pipeline, for tests that only need a parse."""
    return load_pipeline(SMALL_MODEL)


@pytest.fixture(scope="session")
def extract(nlp: Language):
    """Parse one text with the default pipeline and run every default extractor, with
    the rules' own confidence (what the rule tests pin; tests/test_scorer.py pins the
    scorer's probabilities)."""

    def run(text: str, *, title: str | None = None, article_id: str = "t") -> Extraction:
        article = Article(id=article_id, text=text, title=title)
        return extract_relations(nlp(article.full_text), article, scored=False)

    return run


@pytest.fixture(scope="session")
def seeds_kg():
    """The two seed articles built once with the default pipeline."""
    import newsgraph

    return newsgraph.build([SEEDS])


@pytest.fixture(scope="session")
def bbc_business_kg():
    """The 510 BBC business articles built once with the small model (about a minute).

    Skips when ../shared/data is not beside the repository.
    """
    import newsgraph

    if not BBC.exists():
        pytest.skip(f"{BBC} not found (../shared is not beside the repository)")
    return newsgraph.build(bbc_articles("business"), model=SMALL_MODEL)
