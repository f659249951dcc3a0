"""The scorer: how likely a rule's candidate fact is to be right, as a calibrated probability.

Rules propose facts; each carries the rule that found it and what the rule saw
(:attr:`~newsgraph.models.Relation.cues`). The scorer reads those with what the
document says about the two names — their types and how firmly they were decided,
how far apart they are, whether the headline states it — and gives the probability
that the fact is right: a logistic regression over these features, trained on the
business dev set in cross-validation (``scripts/train_scorer.py``), with its output
mapped through an isotonic calibration fitted on out-of-fold predictions. That
probability becomes ``ng:confidence``.

Business news and general news state different facts (a CEO is no member of his
company; a politician is one of his party): the article's :func:`genre` is a feature,
with its conjunctions with the predicate and the rule family. The model is learned
from the business dev set, DWIE dev (both in cross-validation) and CoNLL04's training
sentences, and ships as data (``scorer_model.json.gz``): weights by feature name, the
calibration's breakpoints, and the threshold at which business dev reached precision
0.8 in cross-validation (:func:`default_min_confidence` reads it). No scikit-learn at
run time. Without the file, rules keep their own confidence.

>>> round(_interpolate([(0.0, 0.1), (1.0, 0.9)], 0.5), 2)
0.5
"""

from __future__ import annotations

import gzip
import json
import math
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources
from typing import Any

from ..models import Mention, Relation
from .lexicon import words
from .spans import TokenIndex

MODEL_FILE = "scorer_model.json.gz"
FEATURE_VERSION = "3"


@dataclass(frozen=True, slots=True)
class ScorerModel:
    """A logistic regression over feature names, and its calibration."""

    weights: dict[str, float]
    bias: float
    calibration: tuple[tuple[float, float], ...] = ()
    threshold: float = 0.0
    version: str = FEATURE_VERSION

    def probability(self, features: Iterable[str]) -> float:
        """The calibrated probability that a fact with these features is right."""
        z = self.bias + sum(self.weights.get(f, 0.0) for f in set(features))
        raw = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))
        return _interpolate(self.calibration, raw) if self.calibration else raw

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ScorerModel:
        """The model as ``scripts/train_scorer.py`` writes it."""
        return cls(weights={k: float(v) for k, v in data["weights"].items()},
                   bias=float(data["bias"]),
                   calibration=tuple((float(x), float(y)) for x, y in data.get("calibration", ())),
                   threshold=float(data.get("threshold", 0.0)),
                   version=str(data.get("version", FEATURE_VERSION)))

    def to_json(self) -> dict[str, Any]:
        """The inverse of :meth:`from_json`."""
        return {"version": self.version, "bias": self.bias, "threshold": self.threshold,
                "calibration": [list(p) for p in self.calibration],
                "weights": dict(sorted(self.weights.items()))}


def _interpolate(points: Sequence[tuple[float, float]], x: float) -> float:
    """Piecewise-linear interpolation through sorted ``(x, y)`` points, flat outside."""
    xs = [p[0] for p in points]
    i = bisect_right(xs, x)
    if i == 0:
        return points[0][1]
    if i == len(points):
        return points[-1][1]
    (x0, y0), (x1, y1) = points[i - 1], points[i]
    return y0 if x1 == x0 else y0 + (y1 - y0) * (x - x0) / (x1 - x0)


@cache
def load_scorer() -> ScorerModel | None:
    """The shipped model, or ``None`` when the package has none (the rules keep their
    own confidence)."""
    path = resources.files(__package__) / MODEL_FILE
    if not path.is_file():
        return None
    model = ScorerModel.from_json(json.loads(gzip.decompress(path.read_bytes())))
    return model if model.version == FEATURE_VERSION else None


def default_min_confidence() -> float:
    """The confidence from which business dev reached precision 0.8 in cross-validation
    (0 without a model)."""
    model = load_scorer()
    return model.threshold if model is not None else 0.0


_LEAST, _MOST = 0.01, 0.99
"""The range a scorer's probability is kept in."""


def _bucket(value: float, edges: Sequence[float]) -> int:
    return bisect_right(list(edges), value)


def _margin(mention: Mention) -> int:
    """How firmly the mention's type was decided: the winning type's vote over the next."""
    totals: dict[str, float] = {}
    for etype, weight in mention.votes:
        totals[etype] = totals.get(etype, 0.0) + weight
    ranked = [*sorted(totals.values(), reverse=True), 0.0, 0.0]
    return _bucket(ranked[0] - ranked[1], (0.5, 1.5, 3.0))


def company_news(mentions: Iterable[Mention]) -> bool:
    """Whether an article writes companies as business news does: a ticker, or a legal
    form after a company's name ("Apple (AAPL)", "Apple Inc.")."""
    for m in mentions:
        if m.tickers or (m.label == "Organization" and " " in m.text
                         and m.text.rsplit(" ", 1)[-1].lower().rstrip(".,") in _LEGAL):
            return True
    return False


_LEGAL = frozenset({"inc", "corp", "co", "ltd", "plc", "llc", "ag", "sa", "nv", "se", "spa"})


def genre(index: TokenIndex, mentions: Iterable[Mention]) -> str:
    """How much an article is business news: "company" (tickers or legal forms),
    "business" (six or more distinct words of business: shares, revenue, investors …),
    "mixed" (three to five) or "general". Memberships, residences and nationalities are
    rarely the facts of business news; a politician's party is one of general news."""
    if company_news(mentions):
        return "company"
    found = len(words("business_words") & {t.lemma_.lower() for t in index.tokens})
    return "business" if found >= 6 else "mixed" if found >= 3 else "general"


def relation_features(index: TokenIndex, rel: Relation, *, kind: str = "general"
                      ) -> list[str]:
    """The scorer's features of a candidate fact: the rule, the predicate, the two names'
    types, what the rule saw, the distance between the names, the headline, and the
    article's :func:`genre` (``kind``)."""
    doc = index.doc
    s, o = rel.subject, rel.object
    out = [
        f"genre={kind}", f"pred_genre={rel.predicate}|{kind}",
        f"family_genre={rel.family}|{kind}",
        f"rule={rel.extractor}", f"family={rel.family}", f"pred={rel.predicate}",
        f"pred_family={rel.predicate}|{rel.family}",
        f"types={s.label}|{o.label}", f"s_ner={s.ner_label or '-'}", f"o_ner={o.ner_label or '-'}",
        f"s_margin={_margin(s)}", f"o_margin={_margin(o)}",
        f"base={_bucket(rel.confidence, (0.55, 0.65, 0.75, 0.85))}",
        *rel.cues,
    ]
    if rel.negated:
        out.append("negated")
    span_s = doc.char_span(s.start, s.end, alignment_mode="expand")
    span_o = doc.char_span(o.start, o.end, alignment_mode="expand")
    if span_s is not None and span_o is not None:
        gap = max(span_o.start - span_s.end, span_s.start - span_o.end, 0)
        out.append(f"gap={_bucket(gap, (1, 3, 6, 12, 25))}")
        if span_s.sent.start != span_o.sent.start:
            out.append("other_sentences")
    title = index.article.title
    if title and min(s.start, o.start) < len(title.strip()):
        out.append("headline")
    return out


def score_relations(index: TokenIndex, relations: Sequence[Relation]) -> list[Relation]:
    """The relations with the scorer's probability as their confidence (unchanged when
    no model ships). A denied fact keeps its rule's confidence: it is never asserted."""
    model = load_scorer()
    if model is None:
        return list(relations)
    kind = genre(index, getattr(index, "mentions", ()))
    out = []
    for rel in relations:
        if rel.negated:
            out.append(rel)
            continue
        p = model.probability(relation_features(index, rel, kind=kind))
        # never certain either way: a few dozen examples per cell cannot say 0 or 1
        out.append(replace(rel, confidence=round(min(_MOST, max(_LEAST, p)), 3)))
    return out
