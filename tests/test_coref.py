"""Coreference is its own stage, chosen by name from a registry."""

from __future__ import annotations

import pytest

from newsgraph.errors import ExtractorError
from newsgraph.extract import DocContext, coreference_resolvers, extract_relations
from newsgraph.extract.coref import get_coreference
from newsgraph.models import Article

TEXT = ("Xiaomi is a Chinese smartphone maker. The company signed a memorandum of "
        "understanding with Microsoft.")


def test_the_rules_link_a_description_to_its_company(nlp) -> None:
    ctx = DocContext(nlp(TEXT), Article(id="t", text=TEXT))
    company = next(t for t in ctx.doc if t.lower_ == "company")
    assert ctx.entity(company).text == "Xiaomi"


def test_no_coreference_links_nothing(nlp) -> None:
    doc = nlp(TEXT)
    article = Article(id="t", text=TEXT)
    ctx = DocContext(doc, article, coreference="none")
    company = next(t for t in ctx.doc if t.lower_ == "company")
    assert ctx.entity(company) is None
    with_rules = extract_relations(doc, article)
    without = extract_relations(doc, article, coreference="none")
    linked = {(r.subject.text, r.predicate, r.object.text) for r in with_rules.relations}
    assert ("Xiaomi", "partnersWith", "Microsoft") in linked
    assert ("Xiaomi", "partnersWith", "Microsoft") not in {
        (r.subject.text, r.predicate, r.object.text) for r in without.relations}


def test_a_resolver_can_be_registered_and_chosen(nlp) -> None:
    @coreference_resolvers.register("first-company")
    def first_company(index, mentions, token_mention):
        return {t.i: 0 for t in index.doc if t.lower_ == "company"}

    try:
        ctx = DocContext(nlp(TEXT), Article(id="t", text=TEXT), coreference="first-company")
        company = next(t for t in ctx.doc if t.lower_ == "company")
        assert ctx.entity(company).text == ctx.mentions[0].text
    finally:
        coreference_resolvers.get_all().pop("first-company", None)
        import catalogue

        catalogue.REGISTRY.pop(("newsgraph", "coreference", "first-company"), None)


def test_an_unknown_resolver_names_the_known_ones() -> None:
    with pytest.raises(ExtractorError, match="choose from: none, rules"):
        get_coreference("neural")
