"""The mention filter: each reason code pinned by a case that triggers it and one that
must not (run on the default pipeline, as a build would)."""

from __future__ import annotations

import pytest

from newsgraph.extract import DocContext
from newsgraph.extract.mention_filter import REASONS, is_finance_term, is_rating
from newsgraph.models import Article

BODY = (" Analysts at the bank said the company would report results next week, and that "
        "its shares had risen for three weeks in a row on hopes of a new product. The "
        "company did not comment. Investors will watch the report closely, they said.")
"""Enough plain text after a headline for the headline to be checked against it."""


def _screen(nlp, text: str, title: str | None = None) -> DocContext:
    article = Article(id="t", text=text, title=title)
    return DocContext(nlp(article.full_text), article)


def _noted(ctx: DocContext, text: str) -> tuple[str | None, tuple[str, ...]]:
    found = [n for n in ctx.notes if n.text == text]
    assert found, f"no note on {text!r}: {[(n.text, n.reasons) for n in ctx.notes]}"
    return found[0].kept, found[0].reasons


@pytest.mark.parametrize(
    "title, text, candidate, kept, reason",
    [
        (None, "Apple got a Strong Buy rating from analysts on Monday.", "Strong Buy", None,
         "rating-word"),
        (None, "The EPS estimate for Microsoft is $1.20, analysts said.", "EPS", None,
         "finance-term"),
        (None, "Revenue jumped 7% in the third quarter to 280bn, said Fiat.", "280bn", None,
         "number-unit"),
        (None, "To contact the reporter on this story: Shawn Donnan in Washington at "
         "sdonnan@bloomberg.net", "sdonnan@bloomberg.net", None, "email-url"),
        ("Samsung Profit Drops as Chip Prices Fall", "Samsung said profit fell." + BODY,
         "Samsung Profit Drops", "Samsung", "headline-fragment"),
        ("GE Jumps on News That Apollo Is Weighing Bid", "GE rose as Apollo weighs a bid."
         + BODY, "GE Jumps on News", "GE", "headline-fragment"),
        (None, "Shares of Pfizer/BioNTech and Moderna rose.", "Pfizer/BioNTech", "Pfizer",
         "list"),
        (None, "Best Buy, Target and Walmart cut prices.", "Best Buy, Target", "Best Buy",
         "list"),
        (None, "It is made by ex-Columbia engineers who left the company last year.",
         "ex-Columbia", "Columbia", "lowercase"),
        (None, "Shares of Nova Corp <NOVX> rose 2 pct on Monday.", "Nova Corp <NOVX",
         "Nova Corp", "bracket"),
        # a capitalised word the article also writes as a common word
        (None, "Coffee exports fell, and coffee prices rose, said Coffee officials in Brazil.",
         "Coffee", None, "common-word"),
        (None, "The Bank raised rates, the Bank of England said.", "Bank", None,
         "common-word"),
        # a letter alone
        (None, "The P said shares of B rose.", "P", None, "letter"),
        # a currency in a title-cased headline
        (None, "It paid 50 mln U.S. Dlrs for the unit.", "U.S. Dlrs", None, "number-unit"),
        # a relation noun opening the sentence
        (None, "Rival SK Hynix Inc. said it could also cut investment if necessary.",
         "Rival SK Hynix Inc.", "SK Hynix Inc.", "descriptor"),
        # a title the tagger took for a name
        (None, "Talks with his U.S. Counterpart went well, Yeutter said.", "U.S. Counterpart",
         None, "title"),
    ],
)
def test_each_reason_is_noted(nlp, title, text, candidate, kept, reason) -> None:
    ctx = _screen(nlp, text, title)
    got_kept, reasons = _noted(ctx, candidate)
    assert reason in reasons
    assert got_kept == kept
    assert reason in REASONS
    names = [m.text for m in ctx.mentions]
    assert candidate not in names
    if kept is not None:
        assert kept in names


@pytest.mark.parametrize(
    "title, text, name",
    [
        # a headline's name that the story writes the same way stays whole
        ("Huawei Technologies Sues Verizon", "Huawei Technologies sued Verizon on Monday."
         + BODY, "Huawei Technologies"),
        # camelCase names and name particles are no lower-case words
        (None, "Sales of the iPhone fell while eBay grew, Luiz da Silva said.", "eBay"),
        (None, "Sales of the iPhone fell while eBay grew, Luiz da Silva said.", "Luiz da Silva"),
        # an aircraft named by its number alone
        (None, "Airbus sold more jets than Boeing, whose 787 Dreamliner was late.",
         "787 Dreamliner"),
        # a model number is part of a product's name
        (None, "Microsoft launched the Surface Pro 4 in October.", "Surface Pro 4"),
        # a company and its legal form are one name; so are a town and its region
        (None, "Tulsi Now, Inc. sued Google in Los Angeles.", "Tulsi Now, Inc."),
        (None, "He was born in Portland, Ore. His family moved away later.", "Portland"),
        # a name made of a descriptor's word
        (None, "Union Carbide Corp said Union Carbide would sell the unit.", "Union Carbide Corp"),
        # an institution's word alone, a surname that is a title, a company named as a job
        (None, "Parliament voted on the bill, and parliament will meet again.", "Parliament"),
        (None, "Bank of England governor Mervyn King spoke.", "Mervyn King"),
        (None, "Berkshire's 38.6 percent stake in Pilot was disclosed.", "Pilot"),
        # a company named like a rating word
        (None, "Shares in Best Buy rose.", "Best Buy"),
        # both names of a list
        (None, "Best Buy, Target and Walmart cut prices.", "Target"),
        (None, "Shares of Pfizer/BioNTech and Moderna rose.", "BioNTech"),
    ],
)
def test_names_pass_the_filter(nlp, title, text, name) -> None:
    ctx = _screen(nlp, text, title)
    assert name in [m.text for m in ctx.mentions], [(n.text, n.reasons) for n in ctx.notes]


@pytest.mark.parametrize("text, rating", [("Strong Buy", True), ("Outperform", True),
                                          ("7 Buys", True), ("Market Perform", True),
                                          ("Best Buy", False), ("Buyers", False)])
def test_ratings(text: str, rating: bool) -> None:
    assert is_rating(text) is rating


@pytest.mark.parametrize("text, term", [("EPS", True), ("Ebitda", True), ("Q3", True),
                                        ("FY2019", True), ("IPO", True), ("EQT", False),
                                        ("Qualcomm", False)])
def test_finance_terms(text: str, term: bool) -> None:
    assert is_finance_term(text) is term


def test_notes_reach_the_extraction_and_the_log(nlp, caplog) -> None:
    import logging

    from newsgraph.extract import extract_relations

    text = "Apple got a Strong Buy rating from analysts on Monday."
    article = Article(id="a1", text=text)
    with caplog.at_level(logging.INFO, logger="newsgraph.extract"):
        extraction = extract_relations(nlp(text), article)
    assert [n.reasons for n in extraction.notes if n.text == "Strong Buy"] == [("rating-word",)]
    assert "a1: dropped 'Strong Buy' (rating-word)" in caplog.text


@pytest.mark.parametrize(
    "text, name",
    [
        # well-known products, alone or with their model
        ("Apple sold more iPhone units in China than Samsung did.", "iPhone"),
        ("The iPhone XS costs more than last year's model, Apple said.", "iPhone XS"),
        ("Sonos works with Amazon's Alexa and the iPhone XS Max.", "Alexa"),
        ("Sonos works with Amazon's Alexa and the iPhone XS Max.", "iPhone XS Max"),
        # a model number or a drug code
        ("Microsoft launched the Surface Pro 4 in October.", "Surface Pro 4"),
        ("Vertex said CTX-001 worked in its first patients.", "CTX-001"),
        ("Which brings us to Samsung's new Galaxy Book 12.", "Galaxy Book 12"),
        # what it is, in the singular right after its name; a price in brackets
        ("Relativity is still a few years away from launching their Terran rocket.", "Terran"),
        ("It does not sound as good as the far more powerful Playbar ($700), Sonos said.",
         "Playbar"),
        # a company of the article with a product word after it
        ("Apple said Apple Music gained subscribers, Apple added.", "Apple Music"),
    ],
)
def test_product_names_are_typed_products(nlp, text: str, name: str) -> None:
    found = [m for m in _screen(nlp, text).mentions if m.text == name]
    assert found and found[0].label == "Product", [(m.text, m.label) for m in found]


@pytest.mark.parametrize(
    "text, name, label",
    [
        # a division, named by its parent with a business's plural or head word
        ("Boeing said Boeing Commercial Airplanes would cut jobs.",
         "Boeing Commercial Airplanes", "Organization"),
        ("Amazon said Amazon Web Services grew 30%.", "Amazon Web Services", "Organization"),
        # a maker named before its products, in the plural
        ("Sales of Huawei phones fell in Europe, Huawei said.", "Huawei", "Organization"),
        # numbered places and ordinals are no models
        ("The 6th Fleet sailed from Naples.", "6th Fleet", "Organization"),
    ],
)
def test_no_product_without_a_products_name(nlp, text: str, name: str, label: str) -> None:
    found = [m for m in _screen(nlp, text).mentions if m.text == name]
    assert found and found[0].label == label, [(m.text, m.label) for m in found]


@pytest.mark.parametrize(
    "text, name, label",
    [
        # names the tagger passed over, named by their spelling or known to the lists
        ("Nathan Myhrvold told GeekWire that the technology could be adapted.", "GeekWire",
         "Organization"),
        ("That doesn't mean you should skip out on Hulu or Amazon (AMZN) Prime Video.",
         "Prime Video", "Product"),
    ],
)
def test_untagged_names_by_spelling_or_list(nlp, text: str, name: str, label: str) -> None:
    found = [m for m in _screen(nlp, text).mentions if m.text == name]
    assert found and found[0].label == label

