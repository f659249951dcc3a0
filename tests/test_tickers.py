"""Tickers and exchanges: a ticker is its company's alias and ``ng:ticker``, never an
entity; an exchange in a ticker's prefix is no party to anything. And the company list's
guard: it types names the tagger found, and never makes an ordinary word a company."""

from __future__ import annotations

import pytest

from newsgraph.extract import DocContext, extract_relations
from newsgraph.extract.gazetteer import company_by_ticker, company_key, company_named
from newsgraph.models import Article
from newsgraph.resolve import resolve_entities


def _ctx(nlp, text: str) -> DocContext:
    return DocContext(nlp(text), Article(id="t", text=text))


@pytest.mark.parametrize(
    "text, company, ticker",
    [
        ("Apple (NASDAQ: AAPL) rose on Monday.", "Apple", "AAPL"),
        ("JD.com (NASDAQ:JD) fell after the report.", "JD.com", "JD"),
        ("Shares of Nova Corp <NOVX> rose 2 pct.", "Nova Corp", "NOVX"),
        ("Luminar (LAZR) rose after the deal.", "Luminar", "LAZR"),
        ("Sangamo Therapeutics (SGMO) fell on the news.", "Sangamo Therapeutics", "SGMO"),
        ("IBM (NYSE: IBM; TSX: IBM) reported results.", "IBM", "IBM"),
    ],
)
def test_a_ticker_belongs_to_its_company(nlp, text: str, company: str, ticker: str) -> None:
    ctx = _ctx(nlp, text)
    owner = [m for m in ctx.mentions if m.text == company]
    assert owner, [(m.text, m.tickers) for m in ctx.mentions]
    assert ticker in owner[0].tickers and ticker in owner[0].aliases
    assert owner[0].label == "Organization"
    # the ticker and the exchange are no entities of their own
    assert all(m.text == company or m.cluster == owner[0].cluster for m in ctx.mentions
               if m.text in {ticker, "NASDAQ", "NYSE", "TSX"})
    assert not any(m.text in {"NASDAQ", "NYSE", "TSX"} for m in ctx.mentions)


@pytest.mark.parametrize(
    "text, name",
    [
        # initials in brackets are a short form, not a ticker
        ("The Union of Democratic Forces (SDS) won the vote.",
         "Union of Democratic Forces"),
        # a wire agency after a dateline, a place after a company
        ("DAYTON, Ohio (AP) - The plant closed.", "Ohio"),
        ("Vodafone (UK) raised prices.", "Vodafone"),
    ],
)
def test_no_ticker_without_the_construction(nlp, text: str, name: str) -> None:
    found = [m for m in _ctx(nlp, text).mentions if m.text == name]
    assert found and found[0].tickers == ()


def test_later_tickers_and_cashtags_are_the_company(nlp) -> None:
    text = ("Luminar (LAZR) rose after the deal. LAZR is up 5% this week, and $AAPL fell "
            "while $TSLA rose.")
    ctx = _ctx(nlp, text)
    luminar = next(m for m in ctx.mentions if m.text == "Luminar")
    assert all(m.cluster == luminar.cluster for m in ctx.mentions if m.text == "LAZR")
    extraction = extract_relations(nlp(text), Article(id="t", text=text))
    entities = resolve_entities([extraction]).entities()
    # a cashtag of a company the article does not name is the listed company
    apple = entities.get("apple")
    assert apple is not None and apple.tickers == {"AAPL"}
    assert "aapl" not in entities and "lazr" not in entities
    assert entities["luminar"].tickers == {"LAZR"}


def test_the_company_list() -> None:
    assert company_by_ticker("AAPL").name == "Apple Inc."
    assert company_named("Microsoft Corporation") is not None
    assert company_key("Amazon.com, Inc.") == company_key("Amazon") == "amazon"
    assert company_named("Xiaomi Roidmi Driver") is None


@pytest.mark.parametrize(
    "text, name, label",
    [
        # the list types a name the tagger found…
        ("Shares of Target rose after the retailer cut prices.", "Target", "Organization"),
        ("Raymond James raised its price target on the stock.", "Raymond James",
         "Organization"),
    ],
)
def test_the_company_list_types_tagged_names(nlp, text: str, name: str, label: str) -> None:
    found = [m for m in _ctx(nlp, text).mentions if m.text == name]
    assert found and found[0].label == label


@pytest.mark.parametrize(
    "text, word",
    [
        # …and never makes an ordinary word a company
        ("Huawei became a target for governments.", "target"),
        ("There is a gap between the two offers, Huawei said.", "gap"),
        ("She ate an apple at the Huawei office.", "apple"),
        # a surname alone stays a person's
    ],
)
def test_the_company_list_makes_no_mentions(nlp, text: str, word: str) -> None:
    assert word not in [m.text.lower() for m in _ctx(nlp, text).mentions]


def test_a_surname_alone_is_no_listed_company(nlp) -> None:
    text = "President Gerald Ford met reporters. Ford said the economy would grow."
    fords = [m for m in _ctx(nlp, text).mentions if m.text == "Ford"]
    assert fords and all(m.label == "Person" for m in fords)
