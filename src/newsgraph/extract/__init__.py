"""The extract stage: entity mentions and relations from one parsed article.

>>> sorted(DEFAULT_EXTRACTORS)[:2]
['deal-withdrawal', 'document-domestic']
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence

from spacy.tokens import Doc

from ..models import Article, Extraction, Relation
from . import document, learned, rules  # noqa: F401  (they register their extractors)
from .context import DocContext
from .coref import DEFAULT_COREFERENCE, coreference_resolvers
from .registry import ExtractorSpec, extractors, get_extractors, register_extractor
from .scorer import score_relations

__all__ = [
    "DEFAULT_COREFERENCE",
    "DEFAULT_EXTRACTORS",
    "DocContext",
    "ExtractorSpec",
    "coreference_resolvers",
    "extract_relations",
    "extractors",
    "get_extractors",
    "register_extractor",
]

logger = logging.getLogger(__name__)


DEFAULT_EXTRACTORS: tuple[str, ...] = (
    "verb-frames",
    "titles",
    "org-nouns",
    "modifiers",
    "deal-withdrawal",
    "operations",
    "document-places",
    "document-roles",
    "document-domestic",
    "document-seats",
    "learned-precise",
)
"""The extractors a build runs unless told otherwise."""


def extract_relations(
    doc: Doc,
    article: Article,
    *,
    extractors: Sequence[ExtractorSpec] | None = None,
    coreference: str = DEFAULT_COREFERENCE,
    scored: bool = True,
) -> Extraction:
    """Find the entity mentions and relations of one parsed article.

    Args:
        doc: the article parsed (see :func:`newsgraph.nlp.annotate`).
        article: the article.
        extractors: the extractors to run (default: :data:`DEFAULT_EXTRACTORS`).
        coreference: the name of a registered coreference resolver
            (:data:`~newsgraph.extract.coref.coreference_resolvers`).
        scored: give each fact the scorer's calibrated probability as its confidence
            (:mod:`~newsgraph.extract.scorer`); ``False`` keeps the rules' own (what the
            scorer is trained on).

    A failing extractor is logged and skipped for this article; the others still run.
    """
    specs = extractors if extractors is not None else get_extractors(DEFAULT_EXTRACTORS)
    ctx = DocContext(doc, article, coreference=coreference)
    found: list[Relation] = []
    for spec in specs:
        try:
            found.extend(spec.func(ctx))
        except Exception:
            logger.exception("extractor %s failed on article %s", spec.name, article.id)
    for note in ctx.notes:
        logger.info("%s: %s %r (%s)", article.id, "dropped" if note.kept is None else
                    f"kept {note.kept!r} of", note.text, ", ".join(note.reasons))
    relations = _dedupe(found)
    if scored:
        relations = score_relations(ctx, relations)
    return Extraction(article=article, mentions=tuple(ctx.mentions),
                      relations=tuple(relations), notes=tuple(ctx.notes))


def _dedupe(relations: Iterable[Relation]) -> list[Relation]:
    """One relation per (subject, predicate, object, polarity, sentence).

    A rule's relation is kept over the learned model's for the same fact (a rule
    names the construction it read, which is the better provenance); among equals,
    the most confident.
    """
    best: dict[tuple, Relation] = {}

    def rank(rel: Relation) -> tuple[bool, float]:
        return (rel.family != "learned", rel.confidence)

    for rel in relations:
        key = (rel.subject.text, rel.predicate, rel.object.text, rel.negated, rel.evidence)
        if key not in best or rank(rel) > rank(best[key]):
            best[key] = rel
    return list(best.values())
