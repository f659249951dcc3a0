"""Score the extractors on every dev set in seconds: parse once, cache, re-extract.

Parsing is 95 % of a build, and extraction experiments do not change it, so this
script keeps each dev set's parsed documents in ``.cache/devscore/`` (a spaCy
DocBin per set and model, invalidated when the articles, the model or
``nlp.py`` change) and re-runs only extract → resolve → graph → score. Scores
come from ``newsgraph.evaluate.score``, which agrees with ../shared/tools/kgeval.py
(tests/test_evaluate.py pins that); each set is scored on the predicates its
issue names.

    .venv/bin/python scripts/devscore.py                  # all sets, default extractors
    .venv/bin/python scripts/devscore.py dwie --extractors verb-frames,learned
    .venv/bin/python scripts/devscore.py --per-predicate

Skips (exit 0) when ../shared/data is absent.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path

from spacy.tokens import DocBin

from newsgraph import nlp as nlp_module
from newsgraph.extract import DEFAULT_EXTRACTORS, extract_relations, get_extractors
from newsgraph.extract.scorer import default_min_confidence
from newsgraph.graph import build_graph
from newsgraph.ingest import ReadOptions, read_articles
from newsgraph.models import Article
from newsgraph.nlp import DEFAULT_MODEL, annotate, load_pipeline
from newsgraph.resolve import resolve_entities

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"
CACHE = ROOT / ".cache" / "devscore"

SETS: dict[str, tuple[Path, Path, str | None]] = {
    # name: (articles, gold, vocab scored; None = the referee's default)
    "seeds": (ROOT / "examples" / "articles", ROOT / "examples" / "gold.jsonl", None),
    "business": (DATA / "business" / "dev-articles.jsonl", DATA / "business" / "dev-gold.jsonl",
                 None),
    "conll04": (DATA / "conll04" / "dev-articles.jsonl", DATA / "conll04" / "dev-gold.jsonl",
                "worksFor,leads,killed,basedIn,operatesIn,livesIn,locatedIn"),
    "dwie": (DATA / "dwie" / "dev-articles.jsonl", DATA / "dwie" / "dev-gold.jsonl",
             "basedIn,locatedIn,leads,memberOf,citizenOf,worksFor,makes"),
}


def _fingerprint(articles: list[Article], model: str) -> str:
    """Changes with the model, nlp.py, and the texts as read (so a reader change counts)."""
    h = hashlib.sha256(model.encode())
    h.update(Path(nlp_module.__file__).read_bytes())
    for article in articles:
        h.update(article.id.encode())
        h.update(article.full_text.encode())
    return h.hexdigest()[:16]


def parsed(name: str, model: str):
    """(doc, article) pairs of a dev set, parsed once and cached."""
    articles_path = SETS[name][0]
    nlp = load_pipeline(model)
    # Every dev article is scored on its own gold, so none may be dropped as a duplicate.
    articles = list(read_articles([articles_path], options=ReadOptions(dedupe=False)))
    cache = CACHE / f"{name}-{model}-{_fingerprint(articles, model)}.spacy"
    if cache.exists():
        docs = list(DocBin().from_disk(cache).get_docs(nlp.vocab))
        return list(zip(docs, articles, strict=True))
    pairs = list(annotate(articles, nlp))
    CACHE.mkdir(parents=True, exist_ok=True)
    DocBin(store_user_data=True, docs=[d for d, _ in pairs]).to_disk(cache)
    return pairs


def _fold_groups(path: Path) -> dict[str, set[str]]:
    """Article ids of folds 0-3 (where rules are developed) and of fold 4 (only looked
    at as a number), from a ``folds.tsv`` of ``article<TAB>fold`` lines."""
    groups: dict[str, set[str]] = {"folds 0-3": set(), "fold 4": set()}
    for line in path.read_text(encoding="utf-8").splitlines()[1:]:
        article, _, fold = line.partition("\t")
        if fold.strip():
            groups["fold 4" if fold.strip() == "4" else "folds 0-3"].add(article)
    return groups


def score_set(name: str, model: str, extractors: list[str], per_predicate: bool,
              by_fold: bool = True, min_confidence: float = 0.0) -> dict:
    from newsgraph.evaluate import Gold, load_gold, score

    pairs = parsed(name, model)
    specs = get_extractors(extractors)
    started = time.perf_counter()
    resolver = resolve_entities(extract_relations(doc, article, extractors=specs)
                                for doc, article in pairs)
    graph = build_graph([a for _, a in pairs], resolver.entities(), resolver.facts(),
                        authors=resolver.authors, min_confidence=min_confidence)
    elapsed = time.perf_counter() - started
    vocab = SETS[name][2]
    gold = load_gold(SETS[name][1])
    scores = score(graph, gold, vocab=vocab.split(",") if vocab else None)
    out = scores.summary()
    out["seconds"] = round(elapsed, 2)
    folds = SETS[name][0].parent / "folds.tsv"
    if by_fold and folds.is_file():
        out["folds"] = {}
        for label, members in _fold_groups(folds).items():
            part = Gold(facts=tuple(f for f in gold.facts if f.article in members),
                        entities=tuple(e for e in gold.entities if e.article in members))
            out["folds"][label] = score(graph, part, vocab=vocab.split(",") if vocab else None
                                        ).summary()
    if per_predicate:
        print(name, file=sys.stderr)
        for row in scores.to_dict()["predicates"]:
            print("  ", json.dumps(row), file=sys.stderr)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("sets", nargs="*", default=list(SETS))
    ap.add_argument("--model", default=DEFAULT_MODEL)
    ap.add_argument("--extractors", default=",".join(DEFAULT_EXTRACTORS))
    ap.add_argument("--per-predicate", action="store_true")
    ap.add_argument("--min-confidence", type=float, default=None,
                    help="leave out facts below this (default: what a build leaves out, the "
                         "scorer's threshold)")
    a = ap.parse_args()
    if not DATA.is_dir():
        print(f"skipped: {DATA} is absent")
        return 0
    keys = ("core_recall", "recall", "precision", "f1", "negated_violations", "type_accuracy",
            "predicted", "seconds")
    min_confidence = (a.min_confidence if a.min_confidence is not None
                      else default_min_confidence())
    print(f"min confidence {min_confidence}")
    print(f"{'set':9}" + "".join(f"{k[:10]:>11}" for k in keys))
    for name in a.sets:
        res = score_set(name, a.model, a.extractors.split(","), a.per_predicate,
                        min_confidence=min_confidence)
        print(f"{name:9}" + "".join(f"{res.get(k)!s:>11}" for k in keys), flush=True)
        for label, part in res.get("folds", {}).items():
            print(f"  {label:7}" + "".join(f"{part.get(k, '')!s:>11}" for k in keys),
                  flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
