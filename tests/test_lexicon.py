"""The lexicon is data, checked when it loads: a typo fails at once, naming the key."""

from __future__ import annotations

import pytest

from newsgraph.errors import ExtractorError
from newsgraph.extract.lexicon import SECTIONS, check_lexicon, lexicon


def test_the_shipped_lexicon_is_valid_and_every_section_known() -> None:
    data = lexicon()
    check_lexicon(data)
    assert {k for k in data if not k.startswith("_")} <= set(SECTIONS)


@pytest.mark.parametrize(
    "data, message",
    [
        ({"deal_noun": ["deal"]}, "unknown section 'deal_noun'"),
        ({"deal_nouns": "deal"}, "deal_nouns must be a list of strings"),
        ({"deal_nouns": ["deal", 3]}, "deal_nouns must be a list of strings"),
        ({"person_titles": {"lead": ["ceo"]}}, "'lead' is no predicate"),
        ({"verb_frames": [{"lemma": "buy", "predicate": "acquire", "object": "dobj"}]},
         "'acquire' is no predicate"),
        ({"verb_frames": [{"lemma": "buy", "predicat": "acquired", "object": "dobj"}]},
         "unknown key(s) predicat"),
        ({"kind_nouns": {"Company": ["bank"]}}, "'Company' is no entity type"),
        ({"mention_filter": {"ratings": ["buy"]}}, "unknown key 'ratings'"),
        ({"ner_types": {"ORG": "Org"}}, "'Org' is no entity type"),
    ],
)
def test_a_broken_lexicon_names_what_is_wrong(data: dict, message: str) -> None:
    with pytest.raises(ExtractorError, match=message.replace("(", r"\(").replace(")", r"\)")):
        check_lexicon(data)
