"""Listed companies: their names, name variants and tickers (``companies.csv``).

The list ships with the package: 6,523 companies listed on NASDAQ, NYSE and the S&P
500, from the public-domain (ODC-PDDL) datasets of github.com/datasets, as
``shared/data/gazetteers`` made them (see ``GAZETTEERS.md`` beside this module).

It serves three things, each guarded against ordinary words that are also companies'
names ("Target", "Gap", "Apple" the fruit):

- typing: a name the tagger already tagged, that is a listed company, gets an
  Organization vote — the list never makes a mention of a word the tagger passed over;
- tickers: "(NASDAQ: JD)", "Apple (AAPL)", "$AAPL" name the company with that ticker,
  looked up here when the article names the company only by its ticker;
- name variants: "Amazon.com, Inc.", "Amazon.com" and "Amazon" are one key.

>>> company_by_ticker("AAPL").name
'Apple Inc.'
>>> company_named("Microsoft Corporation").ticker
'MSFT'
>>> company_key("Amazon.com, Inc.") == company_key("Amazon")
True
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources

from .lexicon import place_named, words

_LEGAL = frozenset({"inc", "corp", "corporation", "co", "company", "ltd", "limited", "llc",
                    "plc", "nv", "sa", "ag", "se", "lp", "the", "class", "common",
                    "incorporated", "com"})
"""Words a listed company's name carries beyond what news calls it: legal forms and the
web suffix of "Amazon.com"."""


INDUSTRY_WORDS = frozenset({
    "financial", "therapeutics", "pharmaceuticals", "pharmaceutical", "pharma", "biosciences",
    "bio", "biotherapeutics", "technologies", "technology", "systems", "industries", "brands",
    "entertainment", "communications", "enterprises", "resources", "bancorp", "bancshares",
    "solutions", "networks", "software", "semiconductor", "motors", "motor", "automotive",
    "airlines", "energy", "foods", "products", "labs", "laboratories", "medical", "health",
    "healthcare", "capital", "partners", "trust", "acquisition", "international", "global",
    "worldwide", "usa", "america", "stores", "restaurants", "hotels", "resorts", "holdings",
    "holding", "group"})
"""Words after a company's name that news leaves out ("Raymond James Financial", "Ford
Motor Company"): the list knows the names without them too, when two words are left."""


@dataclass(frozen=True, slots=True)
class Company:
    """A listed company."""

    name: str
    ticker: str
    exchange: str
    country: str = ""


def company_key(text: str) -> str:
    """The key a company's name variants share: ASCII, lower case, no punctuation, no
    leading "the", no trailing legal forms or ".com".

    >>> company_key("The Walt Disney Company"), company_key("Alphabet Inc.")
    ('walt disney', 'alphabet')
    """
    s = unicodedata.normalize("NFKD", text.replace("’", "'")).encode("ascii", "ignore").decode()
    s = re.sub(r"'s\b", "", s.lower().replace("&", " and "))
    tokens = re.sub(r"[^a-z0-9]+", " ", s).split()
    while len(tokens) > 1 and tokens[0] == "the":
        tokens = tokens[1:]
    while len(tokens) > 1 and tokens[-1] in _LEGAL:
        tokens.pop()
    return " ".join(tokens)


@cache
def _companies() -> tuple[dict[str, Company], dict[str, Company]]:
    raw = (resources.files(__package__) / "companies.csv").read_text(encoding="utf-8")
    by_ticker: dict[str, Company] = {}
    by_key: dict[str, Company] = {}
    for row in csv.DictReader(io.StringIO(raw)):
        company = Company(name=row["name"], ticker=row["ticker"], exchange=row["exchange"],
                          country=row["country"])
        # the S&P 500 row first: its name is the one news uses ("Microsoft" over
        # "Microsoft Corporation"), and it has a country
        if row["source"].endswith("s-and-p-500-companies") or company.ticker not in by_ticker:
            by_ticker[company.ticker] = company
        key = company_key(company.name)
        if key and len(key) > 1:
            by_key.setdefault(key, company)
    # what news calls them: "Raymond James" (Financial), "Ford Motor" (Company)
    for key, company in list(by_key.items()):
        tokens = key.split()
        while len(tokens) > 1 and tokens[-1] in INDUSTRY_WORDS:
            tokens.pop()
            short = " ".join(tokens)
            # two words at least: "Coffee" (Holding), "United" (Airlines) are words too
            if len(tokens) > 1 and place_named(short) is None:
                by_key.setdefault(short, company)
    return by_ticker, by_key


def company_by_ticker(ticker: str) -> Company | None:
    """The listed company with this ticker ("AAPL", "BRK.B"), if any."""
    return _companies()[0].get(ticker.upper().replace("-", "."))


def company_named(text: str) -> Company | None:
    """The listed company called ``text`` (any variant: "Apple", "Apple Inc."), if any."""
    return _companies()[1].get(company_key(text))


def is_exchange(text: str) -> bool:
    """Whether a word names a stock exchange as tickers are prefixed with it ("NASDAQ",
    "NYSE", "TSX", "LSE"; ``exchanges`` in the lexicon).

    >>> is_exchange("NASDAQ"), is_exchange("Nasdaq"), is_exchange("Apple")
    (True, True, False)
    """
    return text.lower() in words("exchanges")
