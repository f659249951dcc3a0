"""A learned relation classifier over pairs of entity mentions in one sentence.

Where the rules need a trigger word in a known syntactic slot, this extractor
scores every typed pair of mentions in a sentence with one logistic-regression
model per predicate, over cheap features of the pair: the dependency path
between the two heads (lemmas and labels, and generalised variants), the words
between them, their types, order and distance, the trigger lexicon's hits on the
path, and the place gazetteer.

The model is a small JSON file beside this module (``relations_model.json.gz``),
written by ``scripts/train_relations.py`` from the training material described
there. Inference is a dictionary look-up per feature: no machine-learning
library is needed at run time.

Every candidate goes through :func:`newsgraph.extract.finalize.emit`, so the
ontology's domain and range, negation ("Apple did not buy Shazam") and hedging
are handled exactly as for the rules. The confidence of a relation is the
model's probability (lowered by hedging, as for the rules).

>>> model = load_model()
>>> "worksFor" in model.predicates and 0.0 < model.predicates["worksFor"].threshold < 1.0
True
"""

from __future__ import annotations

import gzip
import json
import math
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources
from typing import Any

import numpy as np
from spacy.tokens import Doc, Token

from ..models import Mention, Relation
from ..ontology import RELATIONS
from .context import DocContext
from .finalize import emit, polarity
from .lexicon import lexicon, org_relation_nouns, place_named, place_of_demonym, titles, verb_frames
from .registry import register_extractor
from .spans import credit_line as _credit_line

MODEL_FILE = "relations_model.json.gz"
FEATURE_VERSION = "1"
"""Bumped whenever :func:`pair_features` changes; a model records the version it was
trained with and is refused by a different one."""

_MAX_BETWEEN = 10  # tokens between the two arguments beyond which only the ends count
_MAX_GAP = 40  # arguments further apart than this are not paired (rarely related, costly)
_DIST_BUCKETS = (0, 1, 2, 3, 5, 8, 12, 20)
# A statistical guess is never certain; and a confidence of exactly 1 does not
# round-trip through Turtle ("1" in the store, "1.0" once written: xsd:decimal).
_MAX_CONFIDENCE = 0.99


# ------------------------------------------------------------------ the model


@cache
def _as_array(weights: tuple[float, ...]) -> np.ndarray:
    return np.asarray(weights, dtype=np.float32)


@dataclass(frozen=True, kw_only=True, slots=True)
class PredicateModel:
    """One binary logistic regression: is this pair related by ``predicate``?"""

    predicate: str
    bias: float
    weights: dict[str, float]
    threshold: float
    dense: tuple[float, ...] = ()
    """Weights of the pair's word-vector part (:func:`pair_vector`); empty: none."""

    def probability(self, features: Iterable[str], vector: Sequence[float] | None = None) -> float:
        """The model's probability that the features' pair is related.

        ``vector`` is the pair's :func:`pair_vector`; without one (a pipeline with no
        word vectors) the dense part adds nothing, which is what an all-zero vector
        would mean to the model anyway.
        """
        z = self.bias + sum(self.weights.get(f, 0.0) for f in set(features))
        if self.dense and vector is not None and len(vector) == len(self.dense):
            z += float(np.dot(_as_array(self.dense), vector))
        if z < -30:
            return 0.0
        return 1.0 / (1.0 + math.exp(-z))


@dataclass(frozen=True, kw_only=True, slots=True)
class RelationModel:
    """The per-predicate models and what they were trained on."""

    predicates: dict[str, PredicateModel]
    meta: dict[str, Any]

    @property
    def dense(self) -> bool:
        """Whether any predicate reads the pair's word vectors."""
        return any(m.dense for m in self.predicates.values())

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RelationModel:
        version = str(data.get("feature_version"))
        if version != FEATURE_VERSION:
            raise ValueError(
                f"relation model has feature version {version!r}; this code computes "
                f"version {FEATURE_VERSION!r}: retrain with scripts/train_relations.py"
            )
        predicates = {
            name: PredicateModel(
                predicate=name,
                bias=float(spec["bias"]),
                weights={k: float(v) for k, v in spec["weights"].items()},
                threshold=float(spec["threshold"]),
                dense=tuple(float(w) for w in spec.get("dense", ())),
            )
            for name, spec in data["predicates"].items()
            if name in RELATIONS
        }
        meta = {k: v for k, v in data.items() if k != "predicates"}
        return cls(predicates=predicates, meta=meta)

    def to_json(self) -> dict[str, Any]:
        return {
            **self.meta,
            "feature_version": FEATURE_VERSION,
            "predicates": {
                name: {
                    "bias": round(m.bias, 4),
                    "threshold": round(m.threshold, 3),
                    "weights": dict(sorted(m.weights.items())),
                    **({"dense": [round(w, 4) for w in m.dense]} if m.dense else {}),
                }
                for name, m in sorted(self.predicates.items())
            },
        }


def read_model(raw: bytes) -> RelationModel:
    """A model from the bytes of a ``.json`` or ``.json.gz`` file."""
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    return RelationModel.from_json(json.loads(raw.decode("utf-8")))


@cache
def load_model() -> RelationModel:
    """The shipped model (read once per process)."""
    return read_model((resources.files(__package__) / MODEL_FILE).read_bytes())


# ---------------------------------------------------------------- candidates


@dataclass(frozen=True, slots=True)
class Arg:
    """One side of a candidate pair.

    ``mention`` is the entity (for a nationality word, a provisional Place that is
    registered with the context only when a relation is emitted); ``head`` is the
    token whose position in the parse the features read; ``start``/``end`` are its
    token span.
    """

    mention: Mention
    head: Token
    start: int
    end: int
    kind: str  # "name", "coref" (pronoun or description) or "demonym"


def sentence_args(ctx: DocContext) -> Iterator[list[Arg]]:
    """The arguments of each sentence: named mentions, nationality words, and tokens
    that coreference links to an earlier mention."""
    doc = ctx.doc
    by_token: dict[int, Arg] = {}
    for mention in list(ctx.mentions):
        if mention.ner_label == "NORP":  # places made from demonyms by other extractors
            continue
        span = ctx.span(mention)
        if span is None or len(span) == 0:
            continue
        by_token[span.start] = Arg(mention, span.root, span.start, span.end, "name")
    for sent in doc.sents:
        if _credit_line(sent):
            continue
        args: list[Arg] = []
        i = sent.start
        while i < sent.end:
            arg = by_token.get(i)
            if arg is not None:
                args.append(arg)
                i = max(arg.end, i + 1)
                continue
            token = doc[i]
            extra = _token_arg(ctx, token)
            if extra is not None:
                args.append(extra)
            i += 1
        if len(args) > 1:
            yield args


def _token_arg(ctx: DocContext, token: Token) -> Arg | None:
    if ctx.mention_at(token) is not None:
        return None
    if token.text[:1].isupper() and token.pos_ in {"ADJ", "PROPN", "NOUN"}:
        place = place_of_demonym(token.text)
        if place is not None:
            mention = Mention(
                article_id=ctx.article.id, text=place.name, start=token.idx,
                end=token.idx + len(token.text), label="Place", ner_label="NORP",
                votes=(("Place", 2.0),), cluster=-1,
            )
            return Arg(mention, token, token.i, token.i + 1, "demonym")
    if ctx.is_coreferent(token):
        mention = ctx.entity(token)
        if mention is not None:
            return Arg(mention, token, token.i, token.i + 1, "coref")
    return None


def type_ok(predicate: str, subject: Mention, obj: Mention) -> bool:
    """Whether the pair's decided types fit the predicate's domain and range (strictly:
    :func:`~newsgraph.extract.finalize.emit` checks again, allowing the ORG/GPE confusion)."""
    rel = RELATIONS[predicate]
    return subject.label in rel.subject_types and obj.label in rel.object_types


def candidate_pairs(
    args: list[Arg], predicates: Iterable[str]
) -> Iterator[tuple[Arg, Arg, list[str]]]:
    """Ordered pairs of different entities, with the predicates their types allow."""
    predicates = list(predicates)
    for s in args:
        for o in args:
            if s is o or s.mention.text.lower() == o.mention.text.lower():
                continue
            if s.mention.cluster >= 0 and s.mention.cluster == o.mention.cluster:
                continue
            if max(s.start, o.start) - min(s.end, o.end) > _MAX_GAP:
                continue
            allowed = [p for p in predicates if type_ok(p, s.mention, o.mention)]
            if allowed:
                yield s, o, allowed


# ------------------------------------------------------------------ features


def _chain(token: Token) -> list[Token]:
    chain = [token]
    while token.head.i != token.i and len(chain) < 40:
        token = token.head
        chain.append(token)
    return chain


def _bucket(n: int) -> int:
    for b in reversed(_DIST_BUCKETS):
        if n >= b:
            return b
    return 0


def _lemma(token: Token) -> str:
    if token.like_num:
        return "<num>"
    return token.lemma_.lower()


def _triggers(token: Token) -> Iterator[str]:
    lemma, lower = token.lemma_.lower(), token.lower_
    pred = titles().get(lower) or titles().get(lemma)
    if pred is not None:
        yield f"title:{pred}"
    for frame in verb_frames().get(lemma, ()):
        yield f"frame:{frame.predicate}"
    key = org_relation_nouns().get(lemma)
    if key is not None:
        yield f"noun:{key}"


def _descriptors(arg: Arg) -> Iterator[Token]:
    """Common nouns describing an argument: "dictator" in "Haitian dictator Duvalier",
    "spokesman" in "XBT spokesman Allan Fitzmaurice", the noun of "the company"."""
    head = arg.head
    if arg.kind == "coref" and head.pos_ == "NOUN":
        yield head
    for child in head.children:
        if child.dep_ in {"compound", "appos", "nmod"} and child.pos_ == "NOUN" and not (
            arg.start <= child.i < arg.end
        ):
            yield child
    if head.dep_ in {"appos", "compound"} and head.head.pos_ == "NOUN":
        yield head.head
    if head.dep_ == "nsubj" and head.head.lemma_ == "be":
        yield from (c for c in head.head.children if c.dep_ == "attr" and c.pos_ == "NOUN")


def _gazetteer(mention: Mention) -> tuple[str, str | None]:
    place = place_named(mention.text)
    if place is None:
        return "none", None
    return place.kind, place.country


def _names_place(name: str, place: str) -> str | None:
    """Whether a name spells out a place: "Haitian Parliament", "Guatemala City Teleonce"."""
    words = name.split()
    if len(words) < 2:
        return None
    target = place_named(place)
    if place.lower() in name.lower() and place.lower() != name.lower():
        return "place"
    if target is not None and any(place_of_demonym(w) == target for w in words):
        return "demonym"
    return None


def pair_features(doc: Doc, s: Arg, o: Arg) -> list[str]:
    """The features of an ordered candidate pair (deterministic, duplicates removed).

    Args:
        doc: the parsed document both arguments are in.
        s: the candidate subject.
        o: the candidate object.
    """
    out: list[str] = []
    add = out.append
    types = f"{s.mention.label}>{o.mention.label}"
    order = "so" if s.start < o.start else "os"
    add(f"T={types}")
    add(f"ord={order}")
    add(f"T,ord={types},{order}")
    add(f"kind={s.kind},{o.kind}")
    add(f"ner={s.mention.ner_label}>{o.mention.ner_label}")

    # words between the two arguments
    first, second = (s, o) if s.start < o.start else (o, s)
    nested = first.end > second.start
    gap = 0 if nested else second.start - first.end
    add(f"dist={_bucket(gap)}" if not nested else "dist=nested")
    between = [] if nested else list(doc[first.end: second.start])
    shown = between if gap <= _MAX_BETWEEN else between[:3] + between[-3:]
    lemmas = [_lemma(t) for t in shown if not t.is_space]
    for lemma in lemmas:
        add(f"bw={lemma}")
        add(f"bw,ord={lemma},{order}")
    if gap <= 4 and not nested:
        add(f"bseq={' '.join(lemmas)},{order}")
    if lemmas:
        add(f"bfirst={lemmas[0]}")
        add(f"blast={lemmas[-1]}")
    if any(t.pos_ in {"VERB", "AUX"} for t in between):
        add("bverb")
    for token in shown:
        for trig in _triggers(token):
            add(f"btrig={trig}")
    before = doc[first.start - 1] if first.start > 0 else None
    after = doc[second.end] if second.end < len(doc) else None
    add(f"pre={_lemma(before) if before is not None else '<s>'}")
    add(f"post={_lemma(after) if after is not None else '</s>'}")

    # the dependency path between the heads
    chain_s, chain_o = _chain(s.head), _chain(o.head)
    index_o = {t.i: j for j, t in enumerate(chain_o)}
    k = next((k for k, t in enumerate(chain_s) if t.i in index_o), None)
    if k is None:
        add("path=none")
    else:
        j = index_o[chain_s[k].i]
        lca = chain_s[k]
        up = [t.dep_ for t in chain_s[:k]]
        down = [t.dep_ for t in reversed(chain_o[:j])]
        interior = chain_s[1:k] + list(reversed(chain_o[1:j]))
        deps = " ".join([*(f"{d}<" for d in up), *(f">{d}" for d in down)])
        lca_word = "S" if k == 0 else "O" if j == 0 else _lemma(lca)
        add(f"pathd={deps}")
        add(f"pathl={deps}|{lca_word}")
        add(f"T,pathl={types},{deps}|{lca_word}")
        if len(interior) <= 4:
            words = " ".join(
                [*(f"{t.dep_}< {_lemma(t.head)}" for t in chain_s[:k]),
                 *(f">{t.dep_}" for t in reversed(chain_o[:j]))]
            )
            add(f"path={words}")
        add(f"plen={min(len(up) + len(down), 8)}")
        add(f"lca={lca_word}")
        if k and j:
            add(f"lca,pos={lca_word},{lca.pos_}")
        for t in interior:
            if t.is_punct:
                continue
            add(f"pw={_lemma(t)}")
            for trig in _triggers(t):
                add(f"ptrig={trig}")
        if k and j:
            for trig in _triggers(lca):
                add(f"ltrig={trig}")
        add(f"sdep={s.head.dep_}<{_lemma(s.head.head)}")
        add(f"odep={o.head.dep_}<{_lemma(o.head.head)}")

    # the arguments themselves
    for name, arg in (("s", s), ("o", o)):
        for noun in _descriptors(arg):
            add(f"{name}desc={_lemma(noun)}")
            for trig in _triggers(noun):
                add(f"{name}dtrig={trig}")
    for name, a, b in (("s", s, o), ("o", o, s)):
        cue = _names_place(a.mention.text, b.mention.text)
        if cue:
            add(f"{name}name={cue}")
    kind_s, country_s = _gazetteer(s.mention)
    kind_o, country_o = _gazetteer(o.mention)
    add(f"gaz={kind_s},{kind_o}")
    if country_s is not None and place_named(o.mention.text) == place_named(country_s):
        add("gaz=in")
    if country_o is not None and place_named(s.mention.text) == place_named(country_o):
        add("gaz=contains")
    return list(dict.fromkeys(out))


VECTOR_PARTS = ("between", "path", "subject", "object")
"""What :func:`pair_vector` averages, in order: the words between the arguments, the
dependency path's words (with the common head), and each argument's head word."""


def _mean_vector(tokens: Iterable[Token], width: int) -> np.ndarray:
    rows = [t.vector for t in tokens if t.has_vector and not t.is_punct]
    if not rows:
        return np.zeros(width, dtype=np.float32)
    mean = np.mean(rows, axis=0)
    norm = float(np.linalg.norm(mean))
    return (mean / norm if norm else mean).astype(np.float32)


def pair_vector(doc: Doc, s: Arg, o: Arg) -> np.ndarray | None:
    """The dense part of a pair's features: unit-length mean word vectors of
    :data:`VECTOR_PARTS`, concatenated; ``None`` when the pipeline has no vectors.

    Word vectors let the model generalise from "born in" to "native of" and from a
    trained "assassinated" to an unseen "gunned down", which sparse lemma features
    cannot.
    """
    width = doc.vocab.vectors.shape[1] if doc.vocab.vectors.shape[0] else 0
    if not width:
        return None
    first, second = (s, o) if s.start < o.start else (o, s)
    between = doc[first.end: second.start] if first.end < second.start else []
    lca, interior = _path(s, o)
    path = [*interior, lca] if lca.i not in (s.head.i, o.head.i) else interior
    return np.concatenate([
        _mean_vector(between, width),
        _mean_vector(path, width),
        _mean_vector([s.head], width),
        _mean_vector([o.head], width),
    ])


# ------------------------------------------------------------------ extractor



def _path(s: Arg, o: Arg) -> tuple[Token, list[Token]]:
    """The lowest common head of the two arguments and the tokens between it and them."""
    chain_s, chain_o = _chain(s.head), _chain(o.head)
    index_o = {t.i: j for j, t in enumerate(chain_o)}
    for k, token in enumerate(chain_s):
        if token.i in index_o:
            return token, chain_s[1:k] + chain_o[1: index_o[token.i]]
    return s.head, []


@cache
def _withdraw_verbs() -> dict[str, tuple[str | None, ...]]:
    out: dict[str, list[str | None]] = {}
    for spec in lexicon()["withdraw_verbs"]:
        out.setdefault(spec["lemma"], []).append(spec.get("prt"))
    return {k: tuple(v) for k, v in out.items()}


def _withdrawn(tokens: Iterable[Token]) -> bool:
    """Whether a deal on the path is pulled: "AT&T backed out of a deal to sell Huawei's …"."""
    verbs = _withdraw_verbs()
    for token in tokens:
        for prt in verbs.get(token.lemma_.lower(), ()):
            if prt is None or any(c.lower_ == prt for c in token.children):
                return True
    return False


def _polarity_token(lca: Token, interior: list[Token]) -> Token:
    """Where negation is read: the path's lowest common head, unless a verb below it is
    negated or governed by a negative verb ("X denied it would buy Y": at "buy")."""
    for token in interior:
        if token.pos_ in {"VERB", "AUX"} and polarity(token)[0]:
            return token
    return lca


PRECISE_PREDICATES: frozenset[str] = frozenset({"killed", "locatedIn", "livesIn"})
"""The predicates on which the classifier adds facts without costing precision on any
dev set (scripts/devscore.py: CoNLL04 F1 .364 -> .422, DWIE .414 -> .417, business and
seeds unchanged); its other predicates (worksFor, basedIn) gain recall on CoNLL04 but
lose business and DWIE precision, so they stay opt-in ("learned")."""

PRECISE_FLOORS: dict[str, float] = {"livesIn": 0.7}
"""Higher bars than the model's own thresholds for some precise predicates: livesIn at
its cross-validated threshold (.47) costs business precision; from 0.7 it adds CoNLL04
recall (F1 +.018) and changes nothing on business, DWIE or the seeds."""


@register_extractor("learned-precise", version="1")
def extract_learned_precise(ctx: DocContext) -> Iterator[Relation]:
    """The learned classifier's killed, locatedIn and confident livesIn relations (a
    default extractor)."""
    for rel in extract_learned(ctx, only=PRECISE_PREDICATES):
        if rel.confidence >= PRECISE_FLOORS.get(rel.predicate, 0.0):
            yield rel


@register_extractor("learned", version="1")
def extract_learned(
    ctx: DocContext, only: frozenset[str] | None = None
) -> Iterator[Relation]:
    """Relations between mentions of one sentence, scored by the learned classifier.

    Args:
        ctx: the article.
        only: keep only these predicates (default: every predicate the model ships).
    """
    model = load_model()
    predicates = model.predicates
    if only is not None:
        predicates = {p: m for p, m in predicates.items() if p in only}
    for args in sentence_args(ctx):
        for s, o, allowed in candidate_pairs(args, predicates):
            features = pair_features(ctx.doc, s, o)
            vector = pair_vector(ctx.doc, s, o) if model.dense else None
            lca: Token | None = None
            scores = {p: predicates[p].probability(features, vector) for p in allowed}
            chosen = [p for p in allowed if scores[p] >= predicates[p].threshold]
            if "leads" in chosen:  # leads implies worksFor: the head of X leads it
                chosen = [p for p in chosen if p != "worksFor"]
            for predicate in chosen:
                p = scores[predicate]
                if lca is None:
                    lca, interior = _path(s, o)
                    polarity = _polarity_token(lca, interior)
                    withdrawn = _withdrawn([lca, *interior])
                subject = ctx.place(s.head) if s.kind == "demonym" else s.mention
                obj = ctx.place(o.head) if o.kind == "demonym" else o.mention
                for rel in emit(
                    ctx, subject, predicate, obj, lca,
                    confidence=min(round(p, 3), _MAX_CONFIDENCE), extractor=f"learned/{predicate}",
                    polarity_token=polarity,
                    coref=s.kind == "coref" or o.kind == "coref",
                ):
                    if withdrawn and rel.subject.label == rel.object.label == "Organization":
                        rel = replace(rel, negated=True)
                    yield rel
