"""List the entities of a graph whose label no reader would take for a name.

The kinds issue 15 rules out: a ticker written in brackets after its company (a label
that is another entity's ``ng:ticker``), an analyst's rating, a finance term, a number or
amount with its unit, an e-mail address, and text glued across a missing space
("UK.This", "TipRanks)To"). Exit status 1 when any is found. Exchanges are listed apart:
one named in prose ("a Nasdaq listing") is an entity; only a ticker's prefix ("(NASDAQ:
JD)") must never make one, which the mention filter's tests pin.

    .venv/bin/newsgraph build ../shared/data/business/dev-articles.jsonl -o /tmp/biz.ttl
    .venv/bin/python scripts/entity_audit.py /tmp/biz.ttl
"""

from __future__ import annotations

import argparse
import re
import sys

from rdflib import RDFS, Graph

from newsgraph.extract.gazetteer import is_exchange
from newsgraph.extract.mention_filter import is_finance_term, is_rating
from newsgraph.ontology import NG
from newsgraph.pipeline import KnowledgeGraph

_AMOUNT = re.compile(r"^[$€£¥]?\d[\d.,/]*\s*(?:bn|m|mn|mln|k|s)?$|[$€£¥]\s?\d"
                     r"|\d[\d.,]*\s*(?:bn|mn|mln|%|pct|percent|billion|million|trillion|dlrs?|cts|"
                     r"euros?|dollars|pounds|yen|rupees)\b", re.IGNORECASE)
_GLUED = re.compile(r"[a-z0-9%)\]][.!?][A-Z][a-z]|[a-z%]\)[A-Z]|^[a-z]{3,}[A-Z][a-z]{2,}")


def audit(graph: Graph) -> dict[str, list[str]]:
    """Offending labels by kind."""
    tickers = {str(t) for t in graph.objects(None, NG.ticker)}
    found: dict[str, list[str]] = {k: [] for k in (
        "ticker", "rating", "finance term", "amount", "e-mail/url", "glued", "exchange")}
    for entity in set(graph.subjects(NG.mentions, None)):
        label = str(graph.value(entity, RDFS.label) or "")
        own = {str(t) for t in graph.objects(entity, NG.ticker)}
        if label in tickers - own:
            found["ticker"].append(label)
        if is_exchange(label):
            found["exchange"].append(label)
        if is_rating(label):
            found["rating"].append(label)
        if is_finance_term(label):
            found["finance term"].append(label)
        if _AMOUNT.search(label):
            found["amount"].append(label)
        if "@" in label or "://" in label or label.lower().startswith("www."):
            found["e-mail/url"].append(label)
        if _GLUED.search(label):
            found["glued"].append(label)
    return found


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("graphs", nargs="+", help="graph files (.ttl, .nt, .trig …) or stores")
    a = ap.parse_args()
    bad = 0
    for path in a.graphs:
        kg = KnowledgeGraph.load(path)
        found = audit(kg.graph)
        n = len(set(kg.graph.subjects(NG.mentions, None)))
        total = sum(len(v) for k, v in found.items() if k != "exchange")
        bad += total
        print(f"{path}: {n} entities, {total} with a label that is no name")
        for kind, labels in found.items():
            if labels:
                note = (" (named in prose, e.g. 'a Nasdaq listing': a reader's call; a ticker's"
                        " prefix never makes one)" if kind == "exchange" else "")
                print(f"  {kind}: {len(labels)}: {', '.join(sorted(labels)[:20])}{note}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
