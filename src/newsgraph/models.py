"""The records passed between stages: small, frozen, free of spaCy and RDF objects.

Spans become character offsets and text, so records pickle across processes and
tests can build them by hand.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ENTITY_TYPES: tuple[str, ...] = ("Organization", "Person", "Place", "Product")
"""The entity classes of the ontology (local names of ``ng:`` classes)."""


@dataclass(frozen=True, kw_only=True, slots=True)
class Article:
    """One news article as read from any input.

    Only ``text`` is required by the contract; ``id`` is always set by the readers
    (file name without suffix, or a stable hash of the text).
    """

    id: str
    text: str
    title: str | None = None
    date: str | None = None  # ISO 8601 date (YYYY-MM-DD) when known
    url: str | None = None
    source: str | None = None
    author: str | None = None
    language: str | None = None
    path: str | None = None  # where it was read from, for error messages

    @property
    def full_text(self) -> str:
        """Title and body as one text: headlines state the main fact."""
        if self.title and not self.text.lstrip().startswith(self.title.strip()):
            return f"{self.title.strip()}\n\n{self.text}"
        return self.text


@dataclass(frozen=True, kw_only=True, slots=True)
class Mention:
    """A named-entity mention in one article.

    ``label`` is the entity type decided for this mention (one of
    :data:`ENTITY_TYPES`); ``votes`` keeps the type evidence from the mention and
    its context so resolution can decide over all mentions of an entity.
    """

    article_id: str
    text: str
    start: int  # character offsets in the annotated text
    end: int
    label: str
    ner_label: str = ""  # the spaCy label (ORG, PERSON, GPE …)
    votes: tuple[tuple[str, float], ...] = ()
    cluster: int = -1  # within-article coreference cluster (index of its first mention)
    # Other spellings of the same name in this article that are not mentions of their
    # own: "President Lincoln" for "Lincoln", "North Bend, Ohio" for "North Bend".
    aliases: tuple[str, ...] = ()
    tickers: tuple[str, ...] = ()  # "AAPL" for "Apple (AAPL)"

    @property
    def key(self) -> tuple[str, int, int]:
        return (self.article_id, self.start, self.end)


@dataclass(frozen=True, kw_only=True, slots=True)
class MentionNote:
    """A candidate name the mention filter dropped or changed, and why.

    ``reasons`` are codes of :data:`newsgraph.extract.mention_filter.REASONS`
    ("rating-word", "ticker" …); ``kept`` is what became of it (``None``: dropped).
    """

    article_id: str
    text: str
    start: int
    end: int
    reasons: tuple[str, ...]
    kept: str | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class Relation:
    """A fact between two mentions, with the sentence that states it."""

    subject: Mention
    predicate: str  # local name in the ng: ontology, e.g. "partnersWith"
    object: Mention
    evidence: str
    confidence: float
    extractor: str  # the rule that found it: "family/rule", e.g. "verb-frames/acquire"
    negated: bool = False
    cues: tuple[str, ...] = ()
    """What the rule saw besides the two names ("trigger=acquire", "hedged", "coref",
    "derived"): features of the scorer that turns a rule's guess into a probability."""

    @property
    def family(self) -> str:
        """The registered extractor the rule belongs to ("verb-frames")."""
        return self.extractor.split("/", 1)[0]


@dataclass(frozen=True, kw_only=True, slots=True)
class Extraction:
    """What the extract stage found in one article."""

    article: Article
    mentions: tuple[Mention, ...] = ()
    relations: tuple[Relation, ...] = ()
    notes: tuple[MentionNote, ...] = ()
    """What the mention filter dropped or changed (``build -v`` lists them)."""


@dataclass(kw_only=True, slots=True)
class Entity:
    """One real-world entity after resolution, merged across mentions and articles."""

    slug: str
    label: str
    type: str
    aliases: set[str] = field(default_factory=set)
    tickers: set[str] = field(default_factory=set)
    mentions: int = 0
    articles: set[str] = field(default_factory=set)
