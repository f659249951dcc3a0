"""Score a graph against gold facts (CONTRACT.md section 5), exactly as ``kgeval`` does.

The referee, ``shared/tools/kgeval.py``, reads a graph through the output contract
only: reified ``rdf:Statement`` nodes whose ``prov:wasDerivedFrom`` (or
``dct:source``) is an article carrying the gold article id as ``dct:identifier``.
This module reproduces its numbers to the last digit — same label normalisation,
same predicate matching, same default vocabulary, same strict entity-type rule —
and adds what kgeval does not report: a per-predicate breakdown, the precision of
confident statements, and the misses, false positives and negated violations with
their evidence sentences.

kgeval compares every gold fact with every predicted one and looks the labels up
again for each pair; here each node's labels are computed once and the predicted
facts of an article are indexed by subject label, so a gold fact is only compared
with the predictions that can match it. The results are the same.

>>> from rdflib import Graph
>>> g = Graph().parse(format="turtle", data='''
...   @prefix ng: <https://w3id.org/newsgraph/ontology#> .
...   @prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
...   @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
...   @prefix prov: <http://www.w3.org/ns/prov#> .
...   @prefix dct: <http://purl.org/dc/terms/> .
...   <urn:a> dct:identifier "a1" .
...   <urn:x> a ng:Organization ; rdfs:label "Xiaomi Corp" .
...   <urn:m> a ng:Organization ; rdfs:label "Microsoft" .
...   <urn:m> ng:partnersWith <urn:x> .
...   [] a rdf:Statement ; rdf:subject <urn:m> ; rdf:predicate ng:partnersWith ;
...      rdf:object <urn:x> ; prov:wasDerivedFrom <urn:a> ; ng:confidence 0.9 .
... ''')
>>> gold = parse_gold(['{"article": "a1", "subject": "Xiaomi", "predicate": "partnersWith",'
...                    ' "object": "Microsoft"}'])
>>> scores = score(g, gold)
>>> scores.summary_line()[:48]
'articles=1 articles_missing=0 gold=1 gold_core=1'
>>> scores.recall, scores.precision, scores.confident.predicted
(1.0, 1.0, 1)
"""

from __future__ import annotations

import json
import os
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, PROV, SDO, SKOS
from rdflib.term import Node

from .errors import InputError
from .export import union_graph

__all__ = [
    "CONFIDENT",
    "DEFAULT_VOCAB",
    "Bucket",
    "Gold",
    "GoldEntity",
    "GoldFact",
    "PredicateScores",
    "Prediction",
    "Scores",
    "Violation",
    "format_report",
    "load_gold",
    "normalize_label",
    "normalize_predicate",
    "parse_gold",
    "score",
]

DEFAULT_VOCAB: tuple[str, ...] = (
    "partnersWith", "competesWith", "acquired", "investsIn", "subsidiaryOf", "suppliesTo",
    "blockedBy", "blocks", "sued", "basedIn", "operatesIn", "plansToEnter", "makes",
    "worksFor", "leads", "founded", "livesIn", "locatedIn", "killed",
)
"""kgeval's default ``--vocab``: predictions with other predicates are not scored.
(``memberOf`` and ``citizenOf`` are not in it.)"""

CONFIDENT = 0.8
"""The ``ng:confidence`` from which a statement counts as confident in the split."""

# kgeval's matching tables, on normalised predicate names.
_LEGAL = frozenset({"inc", "corp", "corporation", "co", "ltd", "llc", "plc", "nv", "sa", "ag",
                    "lp", "company", "limited", "se"})
_SYMMETRIC = frozenset({"partnerswith", "competeswith", "mergedwith"})
_INVERSE = {"blockedby": "blocks", "blocks": "blockedby"}
_IMPLIES = {"leads": frozenset({"worksfor"})}  # a predicted leads also satisfies gold worksFor
_COMPAT = {"basedin": frozenset({"basedin", "operatesin", "headquarteredin"})}
_CORE_TYPES = frozenset({"organization", "person", "place", "product"})

_SCHEMA_HTTP = "http://schema.org/"
_LABEL_PREDICATES = (
    RDFS.label, SKOS.prefLabel, SKOS.altLabel, SDO.name, URIRef(_SCHEMA_HTTP + "name"),
    FOAF.name, SDO.alternateName, URIRef(_SCHEMA_HTTP + "alternateName"),
)
_DISPLAY_PREDICATES = (RDFS.label, SKOS.prefLabel, SDO.name, URIRef(_SCHEMA_HTTP + "name"),
                       FOAF.name)
_IDENTIFIER_PREDICATES = (DCTERMS.identifier, SDO.identifier,
                          URIRef(_SCHEMA_HTTP + "identifier"))
_POLARITIES = ("positive", "negated")


# --------------------------------------------------------------------------- names


def _local(term: object) -> str:
    return re.split(r"[#/:]", str(term))[-1]


def normalize_label(text: str) -> str:
    """The key an entity label or gold name is matched on, exactly as kgeval computes it.

    Case, punctuation, a leading "the", trailing legal suffixes (Inc, Corp, Ltd …)
    and a possessive ``'s`` are ignored; ``&`` is "and".

    This is not :func:`newsgraph.resolve.normalize_name`, which maps the typographic
    apostrophe ``’`` to ``'`` first so that "Xiaomi’s" = "Xiaomi". kgeval folds to
    ASCII before it strips the possessive, so ``’`` is simply dropped and "Xiaomi’s"
    stays "xiaomis". Scores must agree with the referee, so its rule is kept here.

    >>> normalize_label("The Walt Disney Co.")
    'walt disney'
    >>> normalize_label("AT&T Inc"), normalize_label("Apple's"), normalize_label("Apple’s")
    ('at and t', 'apple', 'apples')
    """
    s = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    s = s.lower().replace("&", " and ")
    s = re.sub(r"['’]s\b", "", s)
    s = re.sub(r"[^a-z0-9 ]+", " ", s)
    tokens = s.split()
    if tokens and tokens[0] == "the" and len(tokens) > 1:
        tokens = tokens[1:]
    while len(tokens) > 1 and tokens[-1] in _LEGAL:
        tokens = tokens[:-1]
    return " ".join(tokens)


def normalize_predicate(predicate: object) -> str:
    """A predicate's matching key: the IRI's local name (or the name), lower case, a-z0-9.

    >>> normalize_predicate("https://w3id.org/newsgraph/ontology#blockedBy")
    'blockedby'
    >>> normalize_predicate("worksFor")
    'worksfor'
    """
    text = str(predicate)
    name = _local(text) if ("/" in text or "#" in text) else text
    return re.sub(r"[^a-z0-9]", "", name.lower())


_norm = cache(normalize_label)


@cache
def _match_kind(gold: str, predicted: str) -> str | None:
    """How a predicted predicate satisfies a gold one: same direction, inverse, or not."""
    if predicted == gold or predicted in _COMPAT.get(gold, ()):
        return "same"
    if gold in _IMPLIES.get(predicted, ()):
        return "same"
    if _INVERSE.get(gold) == predicted:
        return "inv"
    return None


# --------------------------------------------------------------------------- gold


@dataclass(frozen=True, kw_only=True, slots=True)
class GoldFact:
    """One gold fact (a triple record of the gold file)."""

    article: str
    subject: str
    predicate: str
    object: str
    subject_aliases: tuple[str, ...] = ()
    object_aliases: tuple[str, ...] = ()
    polarity: str = "positive"
    tier: str = "core"
    evidence: str | None = None
    line: int = 0

    def to_dict(self) -> dict[str, Any]:
        """The record as JSON-ready data."""
        return {"article": self.article, "subject": self.subject,
                "predicate": self.predicate, "object": self.object,
                "polarity": self.polarity, "tier": self.tier, "evidence": self.evidence}


@dataclass(frozen=True, kw_only=True, slots=True)
class GoldEntity:
    """One gold entity with its expected type (Organization, Person, Place, Product)."""

    article: str
    name: str
    type: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True, slots=True)
class Gold:
    """A gold file: its facts and entities, in file order."""

    facts: tuple[GoldFact, ...] = ()
    entities: tuple[GoldEntity, ...] = ()
    source: str = "<gold>"

    @property
    def articles(self) -> list[str]:
        """The article ids the gold talks about, sorted."""
        return sorted({f.article for f in self.facts} | {e.article for e in self.entities})


def _strings(value: object, what: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"{what} must be a list of strings")
    return tuple(value)


def _string(record: Mapping[str, Any], key: str) -> str:
    value = record.get(key)
    if not isinstance(value, str):
        raise ValueError(f"{key!r} must be a string" if key in record else f"no {key!r}")
    return value


def _parse_record(record: object, line: int) -> tuple[GoldFact | None, list[GoldEntity]]:
    if not isinstance(record, dict):
        raise ValueError("not a JSON object")
    if "predicate" not in record and "entities" not in record:
        raise ValueError("neither a fact (no 'predicate') nor an entity list (no 'entities')")
    article = _string(record, "article")
    fact = None
    if "predicate" in record:
        polarity = record.get("polarity", "positive")
        if polarity not in _POLARITIES:
            raise ValueError(f"polarity {polarity!r} is not one of {', '.join(_POLARITIES)}")
        tier = record.get("tier", "core")
        evidence = record.get("evidence")
        if not isinstance(tier, str):
            raise ValueError("'tier' must be a string")
        if evidence is not None and not isinstance(evidence, str):
            raise ValueError("'evidence' must be a string")
        fact = GoldFact(
            article=article, subject=_string(record, "subject"),
            predicate=_string(record, "predicate"), object=_string(record, "object"),
            subject_aliases=_strings(record.get("subject_aliases", []), "'subject_aliases'"),
            object_aliases=_strings(record.get("object_aliases", []), "'object_aliases'"),
            polarity=polarity, tier=tier, evidence=evidence, line=line,
        )
    entities = []
    if "entities" in record:
        if not isinstance(record["entities"], list):
            raise ValueError("'entities' must be a list")
        for entity in record["entities"]:
            if not isinstance(entity, dict):
                raise ValueError("an entity is not a JSON object")
            entities.append(GoldEntity(
                article=article, name=_string(entity, "name"), type=_string(entity, "type"),
                aliases=_strings(entity.get("aliases", []), "'aliases'"),
            ))
    return fact, entities


def parse_gold(lines: Iterable[str], *, source: str = "<gold>") -> Gold:
    """Read gold records (CONTRACT.md section 5), one JSON object per line.

    Blank lines are skipped.

    Raises:
        InputError: a line is not a well-formed record; the error names ``source:line``.
    """
    facts: list[GoldFact] = []
    entities: list[GoldEntity] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            fact, found = _parse_record(json.loads(line), number)
        except json.JSONDecodeError as exc:
            raise InputError(f"{source}:{number}", f"not JSON ({exc.msg})") from exc
        except ValueError as exc:
            raise InputError(f"{source}:{number}", str(exc)) from exc
        if fact is not None:
            facts.append(fact)
        entities.extend(found)
    return Gold(facts=tuple(facts), entities=tuple(entities), source=source)


def load_gold(path: str | os.PathLike[str]) -> Gold:
    """Read a ``gold.jsonl`` file.

    Raises:
        InputError: the file cannot be read, or a line is malformed (names ``file:line``).
    """
    try:
        with open(path, encoding="utf-8") as fh:
            return parse_gold(fh, source=str(path))
    except UnicodeDecodeError as exc:
        raise InputError(str(path), f"not UTF-8 ({exc.reason})") from exc
    except OSError as exc:
        raise InputError(str(path), exc.strerror or str(exc)) from exc


# --------------------------------------------------------------------------- graph


# --------------------------------------------------------------------------- results


@dataclass(frozen=True, kw_only=True, slots=True)
class Prediction:
    """One predicted fact of one article, as scored (statements of the same fact merged).

    ``confidence`` and ``evidence`` come from the most confident statement of the
    fact in the article; ``None`` when the graph has none.
    """

    article: str
    subject: str
    predicate: str
    object: str
    subject_iri: str
    object_iri: str
    confidence: float | None = None
    evidence: str | None = None
    extractor: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The prediction as JSON-ready data."""
        return {"article": self.article, "subject": self.subject, "predicate": self.predicate,
                "object": self.object, "subject_iri": self.subject_iri,
                "object_iri": self.object_iri, "confidence": self.confidence,
                "evidence": self.evidence, "extractor": self.extractor}


@dataclass(frozen=True, kw_only=True, slots=True)
class Violation:
    """A negated gold fact that the graph asserts anyway."""

    gold: GoldFact
    prediction: Prediction

    def to_dict(self) -> dict[str, Any]:
        """The violation as JSON-ready data."""
        return {"gold": self.gold.to_dict(), "prediction": self.prediction.to_dict()}


def _ratio(num: int, den: int) -> float:
    return num / den if den else 0.0


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


@dataclass(kw_only=True, slots=True)
class PredicateScores:
    """The numbers of one predicate.

    ``gold``/``found``: positive gold facts with this predicate, and how many of
    them a prediction matched (recall). ``predicted``/``correct``: predictions with
    this predicate, and how many match a positive gold fact (precision). The two
    differ when a prediction matches a gold fact of another predicate
    (``leads`` ⇒ ``worksFor``, ``operatesIn`` for ``basedIn``).
    """

    predicate: str
    gold: int = 0
    found: int = 0
    predicted: int = 0
    correct: int = 0

    @property
    def precision(self) -> float:
        return _ratio(self.correct, self.predicted)

    @property
    def recall(self) -> float:
        return _ratio(self.found, self.gold)

    @property
    def f1(self) -> float:
        return _f1(self.precision, self.recall)

    def to_dict(self) -> dict[str, Any]:
        """The row as JSON-ready data, ratios rounded to 3 places."""
        return {"predicate": self.predicate, "gold": self.gold, "found": self.found,
                "predicted": self.predicted, "correct": self.correct,
                "precision": round(self.precision, 3), "recall": round(self.recall, 3),
                "f1": round(self.f1, 3)}


@dataclass(kw_only=True, slots=True)
class Bucket:
    """Predictions in a confidence band (or of one rule), and how many are correct."""

    predicted: int = 0
    correct: int = 0
    confidence_sum: float = 0.0

    @property
    def precision(self) -> float:
        return _ratio(self.correct, self.predicted)

    @property
    def mean_confidence(self) -> float:
        return self.confidence_sum / self.predicted if self.predicted else 0.0

    def count(self, ok: bool, confidence: float | None) -> None:
        """Add one prediction."""
        self.predicted += 1
        self.correct += ok
        self.confidence_sum += confidence if confidence is not None else 0.0

    def to_dict(self) -> dict[str, Any]:
        """The band as JSON-ready data."""
        return {"predicted": self.predicted, "correct": self.correct,
                "precision": round(self.precision, 3),
                "mean_confidence": round(self.mean_confidence, 3)}


@dataclass(kw_only=True, slots=True)
class Scores:
    """Everything :func:`score` found. :meth:`summary` is kgeval's output."""

    articles: int = 0
    articles_missing: list[str] = field(default_factory=list)
    gold: int = 0
    gold_core: int = 0
    found: int = 0
    found_core: int = 0
    predicted: int = 0
    correct: int = 0
    entities: int = 0
    entities_typed: int = 0
    threshold: float = CONFIDENT
    confident: Bucket = field(default_factory=Bucket)
    unconfident: Bucket = field(default_factory=Bucket)
    predicates: list[PredicateScores] = field(default_factory=list)
    extractors: dict[str, Bucket] = field(default_factory=dict)
    """Precision of each rule (``ng:extractor`` of the most confident statement)."""
    deciles: list[Bucket] = field(default_factory=lambda: [Bucket() for _ in range(10)])
    """Predictions by confidence decile ([0, 0.1) … [0.9, 1]): calibration at a glance."""
    misses: list[GoldFact] = field(default_factory=list)
    false_positives: list[Prediction] = field(default_factory=list)
    violations: list[Violation] = field(default_factory=list)

    @property
    def core_recall(self) -> float:
        return _ratio(self.found_core, self.gold_core)

    @property
    def recall(self) -> float:
        return _ratio(self.found, self.gold)

    @property
    def precision(self) -> float:
        return _ratio(self.correct, self.predicted)

    @property
    def f1(self) -> float:
        return _f1(self.precision, self.recall)

    @property
    def type_accuracy(self) -> float | None:
        return self.entities_typed / self.entities if self.entities else None

    def summary(self) -> dict[str, Any]:
        """kgeval's result: same keys, same order, same rounding."""
        typed = self.type_accuracy
        return {
            "articles": self.articles, "articles_missing": len(self.articles_missing),
            "gold": self.gold, "gold_core": self.gold_core, "predicted": self.predicted,
            "core_recall": round(self.core_recall, 3), "recall": round(self.recall, 3),
            "precision": round(self.precision, 3), "f1": round(self.f1, 3),
            "negated_violations": len(self.violations),
            "type_accuracy": round(typed, 3) if typed is not None else None,
        }

    def summary_line(self) -> str:
        """kgeval's one-line output: ``key=value`` pairs."""
        return " ".join(f"{k}={v}" for k, v in self.summary().items())

    def to_dict(self, *, limit: int | None = None) -> dict[str, Any]:
        """All of it as JSON-ready data: :meth:`summary`'s keys first, then the details.

        Args:
            limit: keep at most this many misses, false positives and violations.
        """
        cut = slice(None) if limit is None else slice(0, limit)
        return {
            **self.summary(),
            "missing_article_ids": self.articles_missing,
            "predicates": [row.to_dict() for row in self.predicates],
            "extractors": {name: b.to_dict() for name, b in sorted(self.extractors.items())},
            "deciles": [{"from": i / 10, **b.to_dict()} for i, b in enumerate(self.deciles)],
            "confidence": {"threshold": self.threshold,
                           "confident": self.confident.to_dict(),
                           "unconfident": self.unconfident.to_dict(),
                           "all": Bucket(predicted=self.predicted,
                                         correct=self.correct).to_dict()},
            "misses": [m.to_dict() for m in self.misses[cut]],
            "false_positives": [p.to_dict() for p in self.false_positives[cut]],
            "violations": [v.to_dict() for v in self.violations[cut]],
        }


# --------------------------------------------------------------------------- scoring


@dataclass(slots=True)
class _Pred:
    subject: Node
    key: str  # normalised predicate
    object: Node
    subject_labels: frozenset[str]
    object_labels: frozenset[str]
    public: Prediction


class _Reader:
    """The graph seen the way kgeval sees it; every label is read and normalised once."""

    def __init__(self, graph: Graph) -> None:
        self.g = graph
        self._raw: dict[Node, list[tuple[Node, str]]] = defaultdict(list)
        for p in _LABEL_PREDICATES:
            for node, value in graph.subject_objects(p):
                self._raw[node].append((p, str(value)))
        self._same: dict[Node, set[Node]] = defaultdict(set)
        for a, b in graph.subject_objects(OWL.sameAs):
            self._same[a].add(b)
            self._same[b].add(a)
        self._labels: dict[Node, frozenset[str]] = {}
        self._names: dict[Node, str] = {}

    def labels(self, node: Node) -> frozenset[str]:
        """kgeval's ``labels``: normalised labels of the node and of its owl:sameAs nodes."""
        found = self._labels.get(node)
        if found is None:
            raw = self._raw
            out = {_norm(v) for _, v in raw.get(node, ())}
            for other in self._same.get(node, ()):  # one step, either way
                out.update(_norm(v) for _, v in raw.get(other, ()))
            out.discard("")
            found = self._labels[node] = frozenset(out)
        return found

    def name(self, node: Node) -> str:
        """A readable name: the first display label, else the IRI's local name."""
        found = self._names.get(node)
        if found is None:
            raw = self._raw.get(node, ())
            for p in _DISPLAY_PREDICATES:
                values = sorted(v for q, v in raw if q == p)
                if values:
                    found = values[0]
                    break
            else:
                found = _local(node) or str(node)
            self._names[node] = found
        return found

    def articles(self) -> dict[str, Node]:
        """Article id -> article node (the last one wins, as in kgeval)."""
        out: dict[str, Node] = {}
        for p in _IDENTIFIER_PREDICATES:
            for node, ident in self.g.subject_objects(p):
                out[str(ident)] = node
        return out

    def predictions(
        self, vocab: frozenset[str], ids: Mapping[Node, str], min_confidence: float
    ) -> dict[Node, list[_Pred]]:
        """Source node -> its distinct asserted, non-negated facts in the vocabulary."""
        g = self.g
        best: dict[tuple[Node, Node, str, Node],
                   tuple[float | None, str | None, str, str | None]] = {}
        for stmt in g.subjects(RDF.type, RDF.Statement):
            negated = False
            confidence: float | None = None
            evidence: str | None = None
            extractor: str | None = None
            for p, o in g.predicate_objects(stmt):
                name = _local(p).lower()
                value = str(o).lower()
                if (name in ("negated", "isnegated") and value in ("true", "1")) or (
                        name == "polarity" and value in ("negated", "negative", "false")):
                    negated = True
                elif name == "confidence":
                    try:
                        value_f = float(str(o))
                    except ValueError:
                        continue
                    confidence = value_f if confidence is None else max(confidence, value_f)
                elif name == "evidence" and evidence is None:
                    evidence = str(o)
                elif name == "extractor" and extractor is None:
                    extractor = str(o)
            if negated:
                continue
            s, p, o = g.value(stmt, RDF.subject), g.value(stmt, RDF.predicate), \
                g.value(stmt, RDF.object)
            if s is None or p is None or o is None or isinstance(o, Literal):
                continue
            key = normalize_predicate(p)
            if vocab and key not in vocab:
                continue
            if (s, p, o) not in g:  # the fact itself must be asserted
                continue
            if min_confidence > 0 and confidence is not None and confidence < min_confidence:
                continue
            sources = set(g.objects(stmt, PROV.wasDerivedFrom)) | set(
                g.objects(stmt, DCTERMS.source))
            for src in sources:
                k = (src, s, key, o)
                seen = best.get(k)
                if seen is None or (confidence is not None and (
                        seen[0] is None or confidence > seen[0])):
                    best[k] = (confidence, evidence, _local(p), extractor)
        out: dict[Node, list[_Pred]] = defaultdict(list)
        for (src, s, key, o), (confidence, evidence, pname, extractor) in best.items():
            if src not in ids:
                continue
            out[src].append(_Pred(s, key, o, self.labels(s), self.labels(o), Prediction(
                article=ids[src], subject=self.name(s), predicate=pname, object=self.name(o),
                subject_iri=str(s), object_iri=str(o), confidence=confidence,
                evidence=evidence, extractor=extractor)))
        for preds in out.values():
            preds.sort(key=lambda x: (x.public.subject, x.key, x.public.object,
                                      x.public.subject_iri, x.public.object_iri))
        return out

    def type_index(self) -> dict[str, set[frozenset[str]]]:
        """Label -> the core type sets of the typed nodes carrying it."""
        kinds: dict[Node, set[str]] = defaultdict(set)
        for node, t in self.g.subject_objects(RDF.type):
            kinds[node].add(_local(t).lower())
        index: dict[str, set[frozenset[str]]] = defaultdict(set)
        for node, found in kinds.items():
            core = frozenset(found & _CORE_TYPES)
            for label in self.labels(node):
                index[label].add(core)
        return index


@dataclass(slots=True)
class _GoldKeys:
    fact: GoldFact
    key: str
    subjects: frozenset[str]
    objects: frozenset[str]


def _names(name: str, aliases: Iterable[str]) -> frozenset[str]:
    return frozenset({_norm(name)} | ({_norm(a) for a in aliases} - {""}))


def _matches(gold: _GoldKeys, pred: _Pred) -> bool:
    kind = _match_kind(gold.key, pred.key)
    if kind is None:
        return False
    ls, lo, gs, go = pred.subject_labels, pred.object_labels, gold.subjects, gold.objects
    if kind == "inv":
        return not ls.isdisjoint(go) and not lo.isdisjoint(gs)
    forward = not ls.isdisjoint(gs) and not lo.isdisjoint(go)
    if forward or gold.key not in _SYMMETRIC:
        return forward
    return not ls.isdisjoint(go) and not lo.isdisjoint(gs)


def score(
    graph: Graph,
    gold: Gold,
    *,
    vocab: Iterable[str] | None = None,
    min_confidence: float = 0.0,
    threshold: float = CONFIDENT,
) -> Scores:
    """Score ``graph`` against ``gold`` with kgeval's rules.

    A prediction is a non-negated ``rdf:Statement`` whose fact is also asserted,
    derived from (``prov:wasDerivedFrom`` / ``dct:source``) the article of a gold
    record; statements of the same fact in one article count once.

    Args:
        graph: any rdflib graph; the named graphs of a dataset are merged.
        gold: from :func:`load_gold`.
        vocab: the predicates scored (default :data:`DEFAULT_VOCAB`); an empty
            collection scores every predicate.
        min_confidence: leave out predictions less confident than this (0: keep all,
            as kgeval does).
        threshold: where the confidence split is made.
    """
    if graph.context_aware:
        graph = union_graph(graph)
    keys = frozenset(normalize_predicate(v) for v in (DEFAULT_VOCAB if vocab is None else vocab))
    reader = _Reader(graph)
    article_nodes = reader.articles()
    ids: dict[Node, str] = {}
    for ident, node in article_nodes.items():
        ids.setdefault(node, ident)
    by_node = reader.predictions(keys, ids, min_confidence)

    facts_by_article: dict[str, list[_GoldKeys]] = defaultdict(list)
    for fact in gold.facts:
        facts_by_article[fact.article].append(_GoldKeys(
            fact, normalize_predicate(fact.predicate),
            _names(fact.subject, fact.subject_aliases), _names(fact.object, fact.object_aliases)))

    result = Scores(threshold=threshold)
    rows: dict[str, PredicateScores] = {}

    def row(key: str, name: str) -> PredicateScores:
        if key not in rows:
            rows[key] = PredicateScores(predicate=name)
        return rows[key]

    for article in gold.articles:
        result.articles += 1
        node = article_nodes.get(article)
        if node is None:
            result.articles_missing.append(article)
        preds = by_node.get(node, []) if node is not None else []
        if node is not None and ids.get(node) != article:
            preds = [_Pred(p.subject, p.key, p.object, p.subject_labels, p.object_labels,
                           _with_article(p.public, article)) for p in preds]
        by_subject: dict[str, list[int]] = defaultdict(list)
        for i, pred in enumerate(preds):
            for label in pred.subject_labels:
                by_subject[label].append(i)
        correct: set[int] = set()
        denied: set[int] = set()
        for gk in facts_by_article.get(article, []):
            fact = gk.fact
            candidates = sorted({i for name in gk.subjects | gk.objects
                                 for i in by_subject.get(name, ())})
            matched = [i for i in candidates if _matches(gk, preds[i])]
            if fact.polarity == "negated":
                denied.update(matched)
                if matched:
                    first = preds[matched[0]].public
                    result.violations.append(Violation(gold=fact, prediction=first))
                continue
            r = row(gk.key, fact.predicate)
            r.gold += 1
            result.gold += 1
            core = fact.tier == "core"
            result.gold_core += core
            if matched:
                r.found += 1
                result.found += 1
                result.found_core += core
                correct.update(matched)
            else:
                result.misses.append(fact)
        for i, pred in enumerate(preds):
            r = row(pred.key, pred.public.predicate)
            r.predicted += 1
            result.predicted += 1
            ok = i in correct
            confidence = pred.public.confidence
            bucket = (result.confident if confidence is not None
                      and confidence >= threshold else result.unconfident)
            bucket.count(ok, confidence)
            rule = pred.public.extractor or "?"
            result.extractors.setdefault(rule, Bucket()).count(ok, confidence)
            if confidence is not None:
                result.deciles[min(9, max(0, int(confidence * 10)))].count(ok, confidence)
            if ok:
                r.correct += 1
                result.correct += 1
            elif i not in denied:
                result.false_positives.append(pred.public)
    result.predicates = sorted(rows.values(),
                               key=lambda r: (-r.gold, -r.predicted, r.predicate.lower()))

    if gold.entities:
        index = reader.type_index()
        for entity in gold.entities:
            result.entities += 1
            wanted = frozenset({entity.type.lower()})
            # strict: one node carrying the name whose entity types are exactly the gold type
            if any(wanted in index.get(name, ()) for name in _names(entity.name, entity.aliases)):
                result.entities_typed += 1
    return result


def _with_article(prediction: Prediction, article: str) -> Prediction:
    """The same prediction filed under another id of the same article node."""
    return Prediction(**{**prediction.to_dict(), "article": article})


# --------------------------------------------------------------------------- report


def _short(text: str | None, width: int = 160) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= width else text[: width - 1] + "…"


def format_report(scores: Scores, *, show: int = 0) -> str:
    """The text report: kgeval's line, the per-predicate table, the confidence split and,
    with ``show``, up to that many misses, false positives and negated violations."""
    lines = [scores.summary_line(), ""]
    width = max([len("predicate"), *(len(r.predicate) for r in scores.predicates)])
    header = f"{'predicate':<{width}}  {'gold':>5}  {'found':>5}  {'pred':>5}  {'correct':>7}" \
             f"  {'P':>5}  {'R':>5}  {'F1':>5}"
    lines.append(header)
    total = PredicateScores(predicate="all", gold=scores.gold, found=scores.found,
                            predicted=scores.predicted, correct=scores.correct)
    for r in [*scores.predicates, total]:
        if r is total:
            lines.append("-" * len(header))
        lines.append(f"{r.predicate:<{width}}  {r.gold:>5}  {r.found:>5}  {r.predicted:>5}"
                     f"  {r.correct:>7}  {r.precision:>5.3f}  {r.recall:>5.3f}  {r.f1:>5.3f}")
    lines.append("")
    t = scores.threshold
    for name, bucket in (
        (f"confidence >= {t}", scores.confident),
        (f"confidence <  {t}", scores.unconfident),
        ("all", Bucket(predicted=scores.predicted, correct=scores.correct)),
    ):
        lines.append(f"{name:<18}  predicted={bucket.predicted}  correct={bucket.correct}"
                     f"  precision={round(bucket.precision, 3)}")
    lines += ["", "confidence decile   predicted  correct  precision  mean confidence"]
    for i, bucket in enumerate(scores.deciles):
        if bucket.predicted:
            lines.append(f"[{i / 10:.1f}, {(i + 1) / 10:.1f}{']' if i == 9 else ')'}"
                         f"          {bucket.predicted:>9}  {bucket.correct:>7}"
                         f"  {bucket.precision:>9.3f}  {bucket.mean_confidence:>15.3f}")
    if scores.extractors:
        rw = max(len("rule"), *(len(k) for k in scores.extractors))
        lines += ["", f"{'rule':<{rw}}  {'pred':>5}  {'correct':>7}  {'P':>5}"]
        for name, b in sorted(scores.extractors.items(), key=lambda kv: (-kv[1].predicted,
                                                                         kv[0])):
            lines.append(f"{name:<{rw}}  {b.predicted:>5}  {b.correct:>7}  {b.precision:>5.3f}")
    if show > 0:
        lines += ["", f"misses ({min(show, len(scores.misses))} of {len(scores.misses)}):"]
        for m in scores.misses[:show]:
            lines.append(f"  {m.article}  {m.subject} —{m.predicate}→ {m.object}  [{m.tier}]")
            if m.evidence:
                lines.append(f"      gold: {_short(m.evidence)}")
        fps = scores.false_positives
        lines += ["", f"false positives ({min(show, len(fps))} of {len(fps)}):"]
        for p in fps[:show]:
            lines.append(f"  {p.article}  {p.subject} —{p.predicate}→ {p.object}"
                         f"  ({p.confidence if p.confidence is not None else '?'})")
            if p.evidence:
                lines.append(f"      graph: {_short(p.evidence)}")
        vs = scores.violations
        lines += ["", f"negated violations ({min(show, len(vs))} of {len(vs)}):"]
        for v in vs[:show]:
            p = v.prediction
            lines.append(f"  {v.gold.article}  {p.subject} —{p.predicate}→ {p.object}"
                         f"  ({p.confidence if p.confidence is not None else '?'})")
            if v.gold.evidence:
                lines.append(f"      gold:  {_short(v.gold.evidence)}")
            if p.evidence:
                lines.append(f"      graph: {_short(p.evidence)}")
    return "\n".join(lines)
