"""The one step every extractor's candidates pass: direction, domain and range,
polarity and modality, the facts a fact implies.

:func:`emit` turns what a rule (or the learned classifier) found — two mentions, a
predicate, the trigger token — into :class:`~newsgraph.models.Relation` records: it puts
``blocks`` the canonical way round, reads ``worksFor`` of a party as ``memberOf``, lets
a product named by its maker stand for the maker, checks the ontology's domain and
range, reads negation and hedges off the trigger's clause (:func:`polarity`), marks
deals the article says fell through or were turned down, notes what it saw as the
relation's cues for the scorer, and adds the residence a citizenship or a head of state
implies.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from weakref import WeakKeyDictionary

from spacy.tokens import Span, Token

from ..models import Mention, Relation
from ..ontology import RELATIONS
from .context import DocContext
from .lexicon import lexicon, words
from .spans import name_key
from .syntax import clause_subjects, has_prt, mentions_of, particles


def polarity(trigger: Token) -> tuple[bool, float, bool]:
    """Whether a trigger is negated, how hedged it is, and whether it is only intended.

    Negation is read on the trigger and every verb it hangs from ("the company
    doesn't sell …", "X denied it would buy …", "backed out of a deal to …");
    modality ("plans to", "may", "reportedly") lowers confidence instead.

    A fact stated inside a noun phrase ("Microsoft's CEO Satya Nadella", "Chinese
    maker Oppo", "Google, a unit of Alphabet") is not in the scope of the clause
    the phrase is an argument of: "… declined to comment" negates neither. Only a
    predicate noun ("Tim Cook is not the CEO of Apple") takes the clause's polarity.
    """
    negated = False
    hedge = 1.0
    intent = False
    nominal = trigger.pos_ not in {"VERB", "AUX"}
    node: Token | None = trigger
    first = True
    while node is not None:
        for child in node.children:
            if child.dep_ == "neg" or (child.lower_ in words("negators") and child.dep_ in {
                "advmod", "det", "preconj"
            }):
                negated = True
            # "no longer sells", and "has no stores in", "signed no deal with"
            if (child.dep_ == "advmod" and child.lower_ == "longer") or (
                first and child.dep_ == "dobj"
            ):
                negated |= any(g.lower_ in words("negators") and g.dep_ in {"neg", "det"}
                               for g in child.children)
            if child.dep_ == "aux" and child.lower_ in {"may", "might", "could", "would"}:
                hedge = min(hedge, 0.7)
            if child.dep_ == "aux" and child.lower_ in {"will", "'ll", "shall"}:
                intent = True
            if child.dep_ == "advmod" and child.lower_ in words("hedge_adverbs"):
                hedge = min(hedge, 0.6)
            if first and child.dep_ == "aux" and child.lower_ == "to":
                intent = True
            # "talks to determine whether to buy X": a question, not a fact
            if child.dep_ == "mark" and child.lower_ in words("hypothetical_marks"):
                hedge = 0.0
        lemma = node.lemma_.lower()
        if not first:
            if lemma in words("negative_governors") and not any(
                c.dep_ == "prt" and c.lower_ == "up" for c in node.children
            ):  # "ended up acquiring" did acquire
                negated = True
            if lemma in words("hedge_governors"):
                hedge = min(hedge, 0.75)
            if lemma in words("intent_governors"):
                intent = True
            if node.dep_ == "pobj" and node.head.lower_ == "without" and not nominal:
                negated = True
        if node.dep_ in {"ROOT"} or node.head.i == node.i:
            break
        if nominal and node.pos_ not in {"VERB", "AUX"} and node.head.pos_ in {
            "VERB", "AUX"
        } and node.dep_ not in {"attr", "oprd"}:
            break
        # a reported clause keeps its own polarity: "he said X bought Y" is asserted
        if node.dep_ == "ccomp" and node.head.lemma_ in {"say", "tell", "add", "report"}:
            break
        # a clause describing a name keeps its own polarity: "refused to release Sirhan,
        # convicted of killing Kennedy", "… Jack Ruby, who killed Oswald"
        if node.dep_ in {"relcl", "acl"} and node.head.pos_ == "PROPN":
            break
        node = node.head
        first = False
    return negated, hedge, intent


def types_ok(predicate: str, subject: Mention, obj: Mention) -> bool:
    rel = RELATIONS[predicate]
    return admits(rel.subject_types, subject.label) and admits(rel.object_types, obj.label)


_CONFUSED = {"Place": {"Organization"}, "Organization": {"Place", "Product"},
             "Product": {"Organization"}}


def admits(types: frozenset[str], label: str) -> bool:
    """Whether a slot takes a mention of this label, allowing the model's common
    ORG/GPE and ORG/PRODUCT confusions ("Altria" tagged GPE, "EasyScan GO" ORG): resolve
    checks again on the type voted over all mentions and facts."""
    return label in types or bool(_CONFUSED.get(label, set()) & types)


def maker_for(mention: Mention, types: frozenset[str]) -> Mention:
    """As the subject of a fact only companies have, a product named by its maker stands
    for the maker: "Google Assistant takes on Amazon's Alexa" is Google competing with
    Amazon (as an object it does not: what is bought is the product line). Such a
    product is a name the tagger gave as ORG, its product word appended (see
    ``_with_product_head`` in context.py)."""
    words = mention.text.split()
    if mention.label != "Product" or "Product" in types or "Organization" not in types \
            or mention.ner_label != "ORG" or len(words) < 2:
        return mention
    maker = " ".join(words[:-1])
    return replace(mention, text=maker, end=mention.start + len(maker), label="Organization",
                   votes=(("Organization", 1.0),), cluster=-1, aliases=())


def emit(
    ctx: DocContext,
    subject: Mention | None,
    predicate: str,
    obj: Mention | None,
    trigger: Token,
    *,
    confidence: float,
    extractor: str,
    polarity_token: Token | None = None,
    coref: bool = False,
) -> Iterator[Relation]:
    if subject is None or obj is None:
        return
    if predicate == "blocks":  # one direction in the graph: the blocked party first
        subject, obj, predicate = obj, subject, "blockedBy"
    if subject.text.lower() == obj.text.lower() or subject.key == obj.key:
        return
    if predicate == "worksFor" and membership_org(obj):
        predicate = "memberOf"  # "a member of the SPD", not its employee
    rel = RELATIONS[predicate]
    subject = maker_for(subject, rel.subject_types)
    if not types_ok(predicate, subject, obj):
        return
    negated, hedge, intent = polarity(
        polarity_token if polarity_token is not None else trigger)
    if hedge == 0.0:
        return  # hypothetical ("whether to buy"): neither asserted nor denied
    if predicate in DEAL_PREDICATES and deal_failed(trigger.sent):
        negated = True
    if predicate == "acquired" and rejects_offers(ctx, obj):
        negated = True  # "Aphria rejected the overture": the bid did not buy it
    if coref:
        confidence *= 0.9
    cues = [f"trigger_pos={trigger.pos_}"]
    if trigger.pos_ not in {"PROPN", "NUM"}:  # a word of the rule's, not a name's
        cues.append(f"trigger={trigger.lemma_.lower()}")
    if hedge < 1.0:
        cues.append("hedged")
    if intent:
        cues.append("intent")
    if coref:
        cues.append("coref")
    relation = Relation(
        subject=subject,
        predicate=predicate,
        object=obj,
        evidence=ctx.sentence(trigger),
        confidence=round(confidence * hedge, 3),
        extractor=extractor,
        negated=negated,
        cues=tuple(cues),
    )
    yield relation
    if predicate in {"citizenOf", "leads"} and company_news(ctx):
        return  # the residence inferred below is not what company news tells
    if predicate == "citizenOf":
        # "Soviet historian Roy Medvedev": news names people by the country they live in
        # (CoNLL04's Live_In); less sure than the citizenship itself
        yield replace(relation, predicate="livesIn",
                      confidence=round(relation.confidence * 0.8, 3),
                      cues=(*relation.cues, "derived"))
    if predicate == "leads" and obj.label == "Place" and subject.label == "Person":
        # the president of a country, the mayor of a town, lives there
        yield replace(relation, predicate="livesIn",
                      confidence=round(relation.confidence * 0.9, 3),
                      cues=(*relation.cues, "derived"))


_COMPANY_NEWS: WeakKeyDictionary[DocContext, bool] = WeakKeyDictionary()


def company_news(ctx: DocContext, least: int = 2) -> bool:
    """Whether an article is company news: it names at least ``least`` companies by their
    legal names ("Huawei Technologies Co.", "Apple Inc.", "GrandVision NV"), as business
    wires do (``legal_forms`` in lexicon.json). Such a story's facts are about companies;
    where a city lies or where a politician lives is not what it tells."""
    if ctx in _COMPANY_NEWS:
        return _COMPANY_NEWS[ctx]
    forms = words("legal_forms.words")
    named: set[str] = set()
    for mention in ctx.mentions:
        parts = mention.text.split()
        if mention.label == "Organization" and len(parts) > 1 and parts[-1].lower() in forms:
            named.add(mention.text.lower())
    _COMPANY_NEWS[ctx] = len(named) >= least
    return _COMPANY_NEWS[ctx]


def membership_org(obj: Mention) -> bool:
    """Whether an organization is one people belong to: a party, union, club, parliament."""
    if obj.label != "Organization":
        return False
    return any(w in words("membership_org_nouns.words") for w in obj.text.lower().split())


DEAL_PREDICATES = frozenset({"acquired", "investsIn", "partnersWith", "suppliesTo"})


def deal_failed(sent: Span) -> bool:
    """The sentence says its deal fell through: "… but both transactions fell apart",
    "the takeover collapsed"."""
    nouns = words("deal_failure_nouns")
    for verb in sent:
        if verb.pos_ not in {"VERB", "AUX"}:
            continue
        for spec in lexicon()["deal_failure_verbs"]:
            if verb.lemma_.lower() != spec["lemma"]:
                continue
            if spec.get("prt") and not any(particles(verb, spec["prt"])):
                continue
            if any(c.dep_ in {"nsubj", "nsubjpass"} and c.lemma_.lower() in nouns
                   for c in verb.children):
                return True
    return False


_REJECT_VERBS = frozenset({"reject", "rebuff", "spurn", "refuse", "decline", "turn"})


_OFFER_NOUNS = frozenset({"offer", "bid", "overture", "proposal", "approach", "advance",
                          "deal", "takeover"})


def rejects_offers(ctx: DocContext, target: Mention) -> bool:
    """Whether the article says the target turned down an offer for it: "Aphria rejected
    the overture", "the board rebuffed the bid", "X turned down the proposal"."""
    for verb in ctx.with_lemma(_REJECT_VERBS):
        if verb.pos_ != "VERB" or (verb.lemma_ == "turn" and not has_prt(verb, "down")):
            continue
        if not any(c.dep_ == "dobj" and c.lemma_.lower() in _OFFER_NOUNS for c in verb.children):
            continue
        for subject, _ in mentions_of(ctx, clause_subjects(verb)):
            if subject.cluster == target.cluster or name_key(subject.text) == name_key(
                    target.text):
                return True
    return False
