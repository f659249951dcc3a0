"""Tests for newsgraph.extract.learned: the shipped model, features, and the extractor.

The sentences are fresh (not from any training or dev set); each positive case pins
what the shipped model does on the default pipeline's parse, each negative case first
checks that both entities were recognised.
"""

from __future__ import annotations

import math
from importlib import resources

import pytest
from spacy.language import Language

from newsgraph.extract import extract_relations, extractors, get_extractors, learned
from newsgraph.extract.context import DocContext
from newsgraph.models import Article, Extraction
from newsgraph.ontology import RELATIONS

MAX_MODEL_BYTES = 2 * 1024 * 1024


@pytest.fixture(scope="module")
def run_learned(nlp: Language):
    specs = get_extractors(["learned"])

    def run(text: str) -> Extraction:
        article = Article(id="t", text=text)
        return extract_relations(nlp(article.full_text), article, extractors=specs)

    return run


def triples(ex: Extraction, *, negated: bool = False) -> set[tuple[str, str, str]]:
    return {(r.subject.text, r.predicate, r.object.text) for r in ex.relations
            if r.negated == negated}


# ------------------------------------------------------------------- the model


def test_model_loads_with_known_predicates_and_sane_numbers() -> None:
    model = learned.load_model()
    assert model.predicates, "the shipped model has no predicate"
    assert set(model.predicates) <= set(RELATIONS)
    for name, pm in model.predicates.items():
        assert 0.0 < pm.threshold < 1.0, name
        assert math.isfinite(pm.bias), name
        assert pm.weights and all(math.isfinite(w) for w in pm.weights.values()), name
    assert model.meta["feature_version"] == learned.FEATURE_VERSION


def test_model_file_is_package_data_and_small() -> None:
    path = resources.files("newsgraph.extract") / learned.MODEL_FILE
    assert path.is_file()
    assert len(path.read_bytes()) < MAX_MODEL_BYTES


def test_model_round_trips_through_json() -> None:
    model = learned.load_model()
    again = learned.RelationModel.from_json(model.to_json())
    assert again.predicates.keys() == model.predicates.keys()
    for name, pm in model.predicates.items():
        assert again.predicates[name].weights == pytest.approx(pm.weights, abs=1e-3)


def test_model_of_another_feature_version_is_refused() -> None:
    data = {**learned.load_model().to_json(), "feature_version": "0"}
    with pytest.raises(ValueError, match="retrain"):
        learned.RelationModel.from_json(data)


def test_probability_is_a_logistic_of_the_weights() -> None:
    pm = learned.PredicateModel(predicate="worksFor", bias=-1.0, weights={"a": 2.0},
                                threshold=0.5)
    assert pm.probability([]) == pytest.approx(1 / (1 + math.exp(1.0)))
    assert pm.probability(["a", "a", "b"]) == pytest.approx(1 / (1 + math.exp(-1.0)))


def test_registered() -> None:
    assert "learned" in extractors()


# -------------------------------------------------------------------- features


def _pairs(nlp: Language, text: str) -> list[tuple[str, str, list[str]]]:
    doc = nlp(text)
    ctx = DocContext(doc, Article(id="t", text=text))
    out = []
    for args in learned.sentence_args(ctx):
        for s, o, _ in learned.candidate_pairs(args, RELATIONS):
            out.append((s.mention.text, o.mention.text, learned.pair_features(doc, s, o)))
    return out


def test_features_are_deterministic(nlp: Language) -> None:
    text = "Maria Lopez, a spokeswoman for Siemens in Munich, said the plant would reopen."
    first, second = _pairs(nlp, text), _pairs(nlp, text)
    assert first == second
    assert first, "no candidate pair"
    for _, _, feats in first:
        assert len(feats) == len(set(feats))


def test_features_read_the_path_and_types(nlp: Language) -> None:
    pairs = {(s, o): f for s, o, f in _pairs(nlp, "Satya Nadella, chief executive of "
                                                  "Microsoft, spoke in Seattle.")}
    feats = pairs[("Satya Nadella", "Microsoft")]
    assert "T=Person>Organization" in feats
    assert "ord=so" in feats
    assert any(f.startswith("pathd=") for f in feats)
    assert "pw=executive" in feats


def test_candidates_respect_domain_and_range(nlp: Language) -> None:
    text = "Acme Robotics hired Maria Lopez in Denver."
    ctx = DocContext(nlp(text), Article(id="t", text=text))
    seen = 0
    for args in learned.sentence_args(ctx):
        for s, o, allowed in learned.candidate_pairs(args, RELATIONS):
            seen += 1
            assert allowed
            assert all(learned.type_ok(p, s.mention, o.mention) for p in allowed)
    assert seen


def test_nationality_words_are_place_arguments(nlp: Language) -> None:
    pairs = _pairs(nlp, "The Swedish physicist Greta Lindqvist won the prize.")
    assert ("Greta Lindqvist", "Sweden") in {(s, o) for s, o, _ in pairs}


# ------------------------------------------------------------------- extractor


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Maria Lopez, a spokeswoman for Siemens, said the plant would reopen.",
         ("Maria Lopez", "worksFor", "Siemens")),
        ("John Wilkes Booth shot Abraham Lincoln at Ford's Theatre in 1865.",
         ("John Wilkes Booth", "killed", "Abraham Lincoln")),
        ("Greta Lindqvist, who lives in Stockholm, teaches physics.",
         ("Greta Lindqvist", "livesIn", "Stockholm")),
        ("Acme Robotics, based in Denver, makes warehouse robots.",
         ("Acme Robotics", "basedIn", "Denver")),
    ],
)
def test_positive(run_learned, text: str, expected: tuple[str, str, str]) -> None:
    ex = run_learned(text)
    assert expected in triples(ex)
    rel = next(r for r in ex.relations if (r.subject.text, r.predicate, r.object.text)
               == expected)
    assert rel.family == "learned"
    assert 0.0 < rel.confidence <= 1.0
    assert rel.evidence == text


@pytest.mark.parametrize(
    "text, names",
    [
        ("Greta Lindqvist visited Stockholm last week.", {"Greta Lindqvist", "Stockholm"}),
        ("Paris and Berlin are large cities.", {"Paris", "Berlin"}),
        ("Volkswagen and Toyota reported higher sales on Monday.", {"Volkswagen", "Toyota"}),
        ("Maria Lopez does not work for Siemens.", {"Maria Lopez", "Siemens"}),
    ],
)
def test_nothing_asserted(run_learned, text: str, names: set[str]) -> None:
    ex = run_learned(text)
    assert names <= {m.text for m in ex.mentions}
    assert not triples(ex)


def test_negated_fact_is_flagged_not_asserted(run_learned) -> None:
    ex = run_learned("Lee Harvey Oswald did not kill John F. Kennedy, his lawyer claimed.")
    assert ("Lee Harvey Oswald", "killed", "John F. Kennedy") not in triples(ex)
    assert ("Lee Harvey Oswald", "killed", "John F. Kennedy") in triples(ex, negated=True)


def test_withdrawn_deal_is_not_a_partnership(run_learned) -> None:
    ex = run_learned("Last month AT&T backed out of a deal to sell Huawei's flagship "
                     "handset, Mate 10 Pro, in the country because of security concerns.")
    assert not {t for t in triples(ex) if t[1] == "partnersWith"}


def test_a_rule_keeps_its_fact_when_the_model_finds_it_too(nlp) -> None:
    from newsgraph.extract import extract_relations, get_extractors
    from newsgraph.models import Article

    text = "John Doe, a spokesman for Boeing, said the plane is safe."
    article = Article(id="t", text=text)
    alone = extract_relations(nlp(text), article, extractors=get_extractors(["learned"]),
                              scored=False)
    # the model is more confident than the rule (0.85) here, and still loses
    assert [r.confidence > 0.85 for r in alone.relations if r.predicate == "worksFor"] == [True]
    specs = get_extractors(["titles", "learned"])
    relations = extract_relations(nlp(text), article, extractors=specs, scored=False).relations
    works = [r for r in relations if r.predicate == "worksFor" and r.object.text == "Boeing"]
    assert [r.family for r in works] == ["titles"]


# ------------------------------------------------------- word vectors, credit lines


def test_probability_adds_the_dense_part_only_when_it_fits() -> None:
    pm = learned.PredicateModel(predicate="worksFor", bias=0.0, weights={}, threshold=0.5,
                                dense=(1.0, -1.0))
    assert pm.probability([], [2.0, 1.0]) == pytest.approx(1 / (1 + math.exp(-1.0)))
    assert pm.probability([], None) == pytest.approx(0.5)
    assert pm.probability([], [1.0, 2.0, 3.0]) == pytest.approx(0.5)  # another width


def test_pair_vector_is_unit_length_parts(nlp: Language) -> None:
    text = "Maria Lopez, a spokeswoman for Siemens, said the plant would reopen."
    doc = nlp(text)
    ctx = DocContext(doc, Article(id="t", text=text))
    args = next(iter(learned.sentence_args(ctx)))
    s, o, _ = next(iter(learned.candidate_pairs(args, RELATIONS)))
    vector = learned.pair_vector(doc, s, o)
    width = doc.vocab.vectors.shape[1]
    assert vector is not None and vector.shape == (len(learned.VECTOR_PARTS) * width,)
    for k in range(len(learned.VECTOR_PARTS)):
        norm = float((vector[k * width:(k + 1) * width] ** 2).sum()) ** 0.5
        assert norm == pytest.approx(1.0, abs=1e-3) or norm == 0.0


@pytest.mark.parametrize(
    "text, credit",
    [
        ("(Reporting by Maria Lopez in Denver; Editing by John Doe)", True),
        ("To contact the reporter on this story: Maria Lopez in Denver at "
         "mlopez@example.com", True),
        ("Maria Lopez, who lives in Denver, edited the report.", False),
        ("Greta Lindqvist was reporting from Stockholm.", False),
    ],
)
def test_credit_lines(nlp: Language, text: str, credit: bool) -> None:
    doc = nlp(text)
    assert any(learned._credit_line(sent) for sent in doc.sents) is credit


@pytest.mark.parametrize(
    "text, names",
    [
        ("(Reporting by Maria Lopez in Denver; Editing by John Doe)",
         {"Maria Lopez", "Denver"}),
        ("To contact the reporter on this story: Maria Lopez in Denver at "
         "mlopez@example.com", {"Maria Lopez", "Denver"}),
    ],
)
def test_nothing_read_from_credit_lines(run_learned, text: str, names: set[str]) -> None:
    ex = run_learned(text)
    assert names <= {m.text for m in ex.mentions}
    assert not triples(ex)


@pytest.mark.parametrize(
    "text, expected, left_out",
    [
        # killings, places and confident homes are kept; employment and less sure homes
        # are left to "learned"
        ("John Wilkes Booth shot Abraham Lincoln at Ford's Theatre in 1865.",
         ("John Wilkes Booth", "killed", "Abraham Lincoln"), None),
        ("Maria Lopez, a spokeswoman for Siemens, said the plant would reopen.",
         None, ("Maria Lopez", "worksFor", "Siemens")),
        ("Stockholm mayor Greta Lindqvist opened the bridge.",
         ("Greta Lindqvist", "livesIn", "Stockholm"), None),
        ("Greta Lindqvist, who lives in Stockholm, teaches physics.",
         None, ("Greta Lindqvist", "livesIn", "Stockholm")),
    ],
)
def test_precise_keeps_only_its_predicates(
    nlp: Language, run_learned, text: str, expected, left_out
) -> None:
    from newsgraph.extract.learned import PRECISE_PREDICATES

    article = Article(id="t", text=text)
    ex = extract_relations(nlp(text), article, extractors=get_extractors(["learned-precise"]))
    assert {r.predicate for r in ex.relations} <= PRECISE_PREDICATES
    if expected is not None:
        assert expected in triples(ex)
    if left_out is not None:
        assert left_out in triples(run_learned(text))  # the full model finds it
        assert left_out not in triples(ex)
