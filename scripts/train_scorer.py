"""Train the scorer (extract/scorer.py) on the rules' candidates and write the shipped model.

Every candidate the default extractors propose on a training article becomes an
example: its features are :func:`newsgraph.extract.scorer.relation_features` (the
rule, the predicate, the names' types, what the rule saw, distance, headline), its
label whether the article's gold states that fact (the referee's matching: names and
aliases after normalisation, ``leads`` satisfies ``worksFor``, symmetric and inverse
predicates; a candidate whose predicate the set's gold does not cover is left out).

One model over business dev (66 articles, 5-fold cross-validation by ``folds.tsv``),
DWIE dev (98 articles, 5 folds by a hash of the article id) and CoNLL04's training
sentences (in every fold); the article's genre (:func:`newsgraph.extract.scorer.genre`)
is a feature. CoNLL04 dev is held out and scored by the model trained on all of those.

Each fold is scored by a model trained on the other four; the out-of-fold
probabilities are calibrated (isotonic regression), and the referee's scores of the
graph built from them — over confidence thresholds, per business fold group — are what
this script reports, never scores on articles the model saw. The shipped models are
then trained on everything, with the calibrations fitted out of fold, and the threshold
at which the cross-validated business graph reaches precision ``--precision`` (0.80)
becomes the default ``--min-confidence`` — unless that costs more than 0.01 of F1 summed
over business, DWIE (out of fold) and CoNLL04 dev (held out): then the threshold with
the best such sum among those where no set loses more than 0.005 of F1.

    .venv/bin/python scripts/train_scorer.py                  # report and write the model
    .venv/bin/python scripts/train_scorer.py --dry-run --c 1.0

Needs scikit-learn (``pip install -e '.[train]'``). Skips (exit 0) without ../shared/data.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import sys
from collections import Counter, defaultdict
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

import devscore  # noqa: E402

from newsgraph.evaluate import Gold, load_gold, normalize_label, score  # noqa: E402
from newsgraph.extract import DEFAULT_EXTRACTORS, extract_relations, get_extractors  # noqa: E402
from newsgraph.extract.scorer import (  # noqa: E402
    MODEL_FILE,
    ScorerModel,
    genre,
    relation_features,
)
from newsgraph.extract.spans import TokenIndex  # noqa: E402
from newsgraph.graph import build_graph  # noqa: E402
from newsgraph.models import Extraction, Mention  # noqa: E402
from newsgraph.resolve import resolve_entities  # noqa: E402

OUT = ROOT / "src" / "newsgraph" / "extract" / MODEL_FILE
DATA = devscore.DATA
devscore.SETS.setdefault("conll04-train", (
    DATA / "conll04" / "train-articles.jsonl", DATA / "conll04" / "train-gold.jsonl",
    "worksFor,leads,killed,basedIn,operatesIn,livesIn,locatedIn"))

_SYMMETRIC = {"partnersWith", "competesWith"}
_INVERSE = {"blocks": "blockedBy", "blockedBy": "blocks"}


def _names(mention: Mention, mentions: tuple[Mention, ...]) -> set[str]:
    out = {mention.text, *mention.aliases}
    if 0 <= mention.cluster < len(mentions):
        root = mentions[mention.cluster]
        out |= {root.text, *root.aliases}
    return {normalize_label(n) for n in out} - {""}


def _predicate_ok(gold: str, pred: str) -> str | None:
    if pred == gold or (pred == "leads" and gold == "worksFor") or (
            gold == "basedIn" and pred == "operatesIn"):
        return "same"
    if _INVERSE.get(gold) == pred:
        return "inverse"
    return None


def label(extraction: Extraction, rel, gold_facts: list, vocab: set[str] | None) -> int | None:
    """1 when the article's gold states the candidate, 0 when not, ``None`` when the
    set's gold does not cover its predicate."""
    if vocab is not None and rel.predicate not in vocab:
        return None
    subjects = _names(rel.subject, extraction.mentions)
    objects = _names(rel.object, extraction.mentions)
    for fact in gold_facts:
        kind = _predicate_ok(fact.predicate, rel.predicate)
        if kind is None:
            continue
        gs = {normalize_label(n) for n in (fact.subject, *fact.subject_aliases)}
        go = {normalize_label(n) for n in (fact.object, *fact.object_aliases)}
        forward = bool(subjects & gs) and bool(objects & go)
        backward = bool(subjects & go) and bool(objects & gs)
        hit = backward if kind == "inverse" else forward or (
            fact.predicate in _SYMMETRIC and backward)
        if hit:
            return int(fact.polarity == "positive")
    return 0


def candidates(name: str, model: str) -> list[dict]:
    """One record per candidate: article, features, label, the Extraction it came from."""
    specs = get_extractors(DEFAULT_EXTRACTORS)
    gold = load_gold(devscore.SETS[name][1])
    by_article = defaultdict(list)
    for fact in gold.facts:
        by_article[fact.article].append(fact)
    vocab_spec = devscore.SETS[name][2]
    vocab = set(vocab_spec.split(",")) if vocab_spec else None
    out = []
    for doc, article in devscore.parsed(name, model):
        extraction = extract_relations(doc, article, extractors=specs, scored=False)
        index = TokenIndex(doc, article)
        kind = genre(index, extraction.mentions)
        for i, rel in enumerate(extraction.relations):
            y = None if rel.negated else label(extraction, rel, by_article[article.id], vocab)
            out.append({"set": name, "article": article.id, "i": i, "genre": kind,
                        "x": relation_features(index, rel, kind=kind),
                        "y": y, "extraction": extraction})
    return out


def _fit(examples: list[dict], c: float):
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    rows = [e for e in examples if e["y"] is not None]
    vec = DictVectorizer()
    x = vec.fit_transform([dict.fromkeys(e["x"], 1) for e in rows])
    clf = LogisticRegression(C=c, max_iter=5000)
    clf.fit(x, [e["y"] for e in rows])
    weights = {name: float(w) for name, w in zip(vec.get_feature_names_out(), clf.coef_[0],
                                                 strict=True) if abs(w) > 1e-6}
    return ScorerModel(weights=weights, bias=float(clf.intercept_[0]))


def _calibration(raw: list[float], ys: list[int]) -> tuple[tuple[float, float], ...]:
    from sklearn.isotonic import IsotonicRegression

    iso = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip")
    iso.fit(raw, ys)
    points = list(zip(iso.X_thresholds_.tolist(), iso.y_thresholds_.tolist(), strict=True))
    # keep the corners of the step function, at most ~40 points
    step = max(1, len(points) // 40)
    kept = points[::step] + ([points[-1]] if points[-1] not in points[::step] else [])
    return tuple((round(x, 4), round(y, 4)) for x, y in kept)


def _graph(records: list[dict], confidences: dict[tuple[str, int], float]):
    extractions: dict[str, Extraction] = {}
    for r in records:
        extractions.setdefault(r["article"], r["extraction"])
    scored = []
    for aid, ex in extractions.items():
        rels = tuple(rel if rel.negated else replace(
            rel, confidence=round(confidences.get((aid, i), rel.confidence), 3))
            for i, rel in enumerate(ex.relations))
        scored.append(replace(ex, relations=rels))
    resolver = resolve_entities(scored)
    return build_graph([e.article for e in scored], resolver.entities(), resolver.facts(),
                       authors=resolver.authors)


def _fold(record: dict, folds: dict[str, int]) -> int:
    if record["set"] == "business":
        return folds[record["article"]]
    return int(hashlib.sha1(record["article"].encode()).hexdigest(), 16) % 5


def _report(title: str, records: list[dict], oof: dict, thresholds: list[float],
            groups: dict[str, set[str]] | None = None, *, name: str | None = None) -> None:
    name = name or title
    gold = load_gold(devscore.SETS[name][1])
    vocab = devscore.SETS[name][2]
    vocab_list = vocab.split(",") if vocab else None
    graph = _graph(records, oof)
    print(f"\n{title}, out of fold (referee's scores of the graph):")
    print(f"{'min conf':>8} {'core R':>7} {'R':>6} {'P':>6} {'F1':>6} {'pred':>5}"
          + ("   folds 0-3 F1  fold 4 F1" if groups else ""))
    for t in thresholds:
        s = score(graph, gold, vocab=vocab_list, min_confidence=t)
        line = (f"{t:>8.2f} {s.core_recall:>7.3f} {s.recall:>6.3f} {s.precision:>6.3f} "
                f"{s.f1:>6.3f} {s.predicted:>5}")
        if groups:
            f1s = [score(graph, Gold(facts=tuple(f for f in gold.facts if f.article in m)),
                         min_confidence=t).f1 for m in groups.values()]
            line += f"   {f1s[0]:>12.3f}  {f1s[1]:>9.3f}"
        print(line)


def _cross_validate(pool: list[dict], extra: list[dict], folds: dict[str, int], c: float
                    ) -> tuple[dict, tuple[tuple[float, float], ...]]:
    """Out-of-fold calibrated probabilities of ``pool`` (each fold scored by a model
    trained on the other folds plus ``extra``), and the calibration fitted on them."""
    raw: dict[tuple[str, int], float] = {}
    for k in range(5):
        model = _fit([r for r in pool if _fold(r, folds) != k] + extra, c)
        for r in pool:
            if _fold(r, folds) == k:
                raw[(r["article"], r["i"])] = model.probability(r["x"])
    labelled = [r for r in pool if r["y"] is not None]
    calibration = _calibration([raw[(r["article"], r["i"])] for r in labelled],
                               [r["y"] for r in labelled])
    return {k: _cal(calibration, v) for k, v in raw.items()}, calibration


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default=devscore.DEFAULT_MODEL)
    ap.add_argument("--c", type=float, default=0.5, help="inverse L2 strength")
    ap.add_argument("--precision", type=float, default=0.80)
    ap.add_argument("--dry-run", action="store_true", help="report only, write no model")
    ap.add_argument("--out", type=Path, default=OUT)
    a = ap.parse_args()
    if not DATA.is_dir():
        print(f"skipped: {DATA} is absent")
        return 0
    folds = {}
    for line in (DATA / "business" / "folds.tsv").read_text().splitlines()[1:]:
        article, _, fold = line.partition("\t")
        folds[article] = int(fold)
    business = candidates("business", a.model)
    dwie = candidates("dwie", a.model)
    conll_train = candidates("conll04-train", a.model)
    conll_dev = candidates("conll04", a.model)
    for name, records in (("business", business), ("dwie", dwie),
                          ("conll04-train", conll_train)):
        kinds = Counter(r["genre"] for r in records)
        print(f"{name}: {len(records)} candidates ({sum(r['y'] == 1 for r in records)} "
              f"right, {sum(r['y'] == 0 for r in records)} wrong; genres {dict(kinds)})")

    thresholds = [x / 100 for x in range(0, 91, 5)]
    oof, calibration = _cross_validate(business + dwie, conll_train, folds, a.c)
    _report("business", business, oof, thresholds,
            devscore._fold_groups(DATA / "business" / "folds.tsv"))
    _report("dwie", dwie, oof, thresholds)
    final = _fit(business + dwie + conll_train, a.c)
    model = ScorerModel(weights=final.weights, bias=final.bias, calibration=calibration)
    conll_probs = {(r["article"], r["i"]): model.probability(r["x"]) for r in conll_dev}
    _report("conll04 (held out)", conll_dev, conll_probs, thresholds, name="conll04")

    gold = load_gold(devscore.SETS["business"][1])
    graph = _graph(business, oof)
    precise = next((t for t in thresholds
                    if (s := score(graph, gold, min_confidence=t)).predicted
                    and s.precision >= a.precision), None)
    # the default: the threshold with the best F1 summed over the three sets (business and
    # DWIE out of fold, CoNLL04 held out), unless business precision 0.80 costs no more
    sets = [(graph, gold, None),
            (_graph(dwie, oof), load_gold(devscore.SETS["dwie"][1]), devscore.SETS["dwie"][2]),
            (_graph(conll_dev, conll_probs), load_gold(devscore.SETS["conll04"][1]),
             devscore.SETS["conll04"][2])]
    f1s = {t: [score(g, gd, vocab=v.split(",") if v else None, min_confidence=t).f1
               for g, gd, v in sets] for t in thresholds}
    totals = {t: sum(f) for t, f in f1s.items()}
    # no set may lose more than 0.005 of F1 against keeping every fact
    allowed = [t for t in thresholds
               if all(f >= base - 0.005 for f, base in zip(f1s[t], f1s[0.0], strict=True))]
    best = max(allowed, key=lambda t: (round(totals[t], 3), -t))
    threshold = precise if precise is not None and totals[precise] >= totals[best] - 0.01 \
        else best
    print(f"\nthreshold for business precision >= {a.precision}: {precise} (F1 sum "
          f"{totals[precise] if precise is not None else float('nan'):.3f}); best F1 sum "
          f"{totals[best]:.3f} at {best}; default --min-confidence: {threshold}")
    for name, records in (("business", business), ("dwie", dwie)):
        s = score(_graph(records, oof), load_gold(devscore.SETS[name][1]))
        print(f"\n{name} calibration, out of fold (facts by confidence decile):")
        for i, b in enumerate(s.deciles):
            if b.predicted:
                print(f"  [{i / 10:.1f}, {(i + 1) / 10:.1f})  n={b.predicted:>4}  "
                      f"precision={b.precision:.3f}  mean confidence={b.mean_confidence:.3f}")
    model = replace(model, threshold=threshold if threshold is not None else 0.0)
    top = sorted(model.weights.items(), key=lambda kv: -abs(kv[1]))[:25]
    print("\nlargest weights:", ", ".join(f"{k} {v:+.2f}" for k, v in top))
    if not a.dry_run:
        a.out.write_bytes(gzip.compress(json.dumps(model.to_json()).encode(), mtime=0))
        print(f"wrote {a.out} ({len(model.weights)} weights)")
    return 0


def _cal(points, x: float) -> float:
    from newsgraph.extract.scorer import _interpolate

    return _interpolate(points, x) if points else x


if __name__ == "__main__":
    sys.exit(main())
