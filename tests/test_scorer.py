"""The scorer: the shipped model turns the rules' candidates into calibrated probabilities."""

from __future__ import annotations

import pytest

from newsgraph.extract import extract_relations
from newsgraph.extract.scorer import (
    ScorerModel,
    default_min_confidence,
    genre,
    load_scorer,
    relation_features,
)
from newsgraph.extract.spans import TokenIndex
from newsgraph.models import Article

TEXT = ("Fiserv Inc said on Wednesday it would acquire First Data Corp for $22 billion. "
        "Fiserv is based in Brookfield, Wisconsin.")


def test_the_model_ships_with_its_calibration_and_threshold() -> None:
    model = load_scorer()
    assert model is not None and model.weights and model.calibration
    assert 0.0 < default_min_confidence() == model.threshold < 1.0
    xs = [x for x, _ in model.calibration]
    ys = [y for _, y in model.calibration]
    assert xs == sorted(xs) and ys == sorted(ys)  # isotonic: more evidence, never less sure


def test_probability_is_monotone_in_the_evidence() -> None:
    model = ScorerModel(weights={"good": 2.0, "bad": -2.0}, bias=0.0,
                        calibration=((0.0, 0.05), (0.5, 0.4), (1.0, 0.95)))
    assert model.probability(["bad"]) < model.probability([]) < model.probability(["good"])
    assert model.probability(["good", "good"]) == model.probability(["good"])  # a set
    assert ScorerModel.from_json(model.to_json()) == model


def test_confidence_is_the_scorers_probability(nlp) -> None:
    article = Article(id="t", text=TEXT)
    doc = nlp(TEXT)
    raw = extract_relations(doc, article, scored=False)
    scored = extract_relations(doc, article)
    model = load_scorer()
    index = TokenIndex(doc, article)
    kind = genre(index, raw.mentions)
    assert kind == "company"  # legal forms after the names
    facts = [(r, s) for r, s in zip(raw.relations, scored.relations, strict=True)
             if not r.negated]
    assert facts
    for rule, final in facts:
        assert final.extractor == rule.extractor
        expected = model.probability(relation_features(index, rule, kind=kind))
        assert final.confidence == pytest.approx(expected, abs=0.001)
        assert "rule=" + rule.extractor in relation_features(index, rule, kind=kind)


def test_a_build_leaves_out_what_the_scorer_doubts_by_default(nlp) -> None:
    import newsgraph

    kg = newsgraph.build([Article(id="t", text=TEXT)])
    everything = newsgraph.build([Article(id="t", text=TEXT)], min_confidence=0.0)
    confidences = [float(o) for o in everything.graph.objects(None, _confidence())]
    kept = [float(o) for o in kg.graph.objects(None, _confidence())]
    assert all(c >= default_min_confidence() for c in kept)
    assert len(kept) == sum(1 for c in confidences if c >= default_min_confidence())


def _confidence():
    from newsgraph.ontology import NG

    return NG.confidence
