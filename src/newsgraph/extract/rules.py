"""Rule extractors over the dependency parse.

Each public ``extract_*`` function is one rule family, registered under its name
in :mod:`newsgraph.extract.registry`. Rules read their trigger words from
``lexicon.json`` and never match particular sentences. Every candidate passes
through :func:`emit`, which enforces the ontology's domain and range, marks
negated facts, and lowers the confidence of hedged or coreference-resolved ones.
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Doc, Span, Token

from ..models import Mention, Relation
from .context import DocContext
from .finalize import (
    admits,
    emit,
    polarity,
)
from .lexicon import (
    VerbFrame,
    city_named,
    lexicon,
    org_relation_nouns,
    place_named,
    place_of_demonym,
    titles,
    verb_frames,
    words,
)
from .registry import register_extractor
from .spans import listed_examples, name_key
from .syntax import (
    RELATIVE,
    clause_subjects,
    has_prt,
    headline_verb,
    is_passive,
    mentions_of,
    particles,
)

_SUBJ = frozenset({"nsubj", "nsubjpass", "csubj"})
_INTENT_TO_ENTER = frozenset({"enter", "expand", "open", "launch", "build"})
_MAX_TITLE_WORDS = 3


# ----------------------------------------------------------- parse helpers


def _logical_objects(verb: Token) -> list[Token]:
    if is_passive(verb):
        passive_subjects = [c for c in verb.children if c.dep_ == "nsubjpass"]
        if passive_subjects and passive_subjects[0].lower_ in RELATIVE and verb.dep_ == "relcl":
            return [verb.head]  # "Oswald, who had just been shot by Jack Ruby"
        if passive_subjects:
            return passive_subjects
        if verb.dep_ in {"acl", "amod"}:  # "Huawei, banned by the US, …"
            return [verb.head]
    return [c for c in verb.children if c.dep_ in {"dobj", "attr", "oprd"}]


def _antecedents(ctx: DocContext, verb: Token, objects: list[Token]) -> list[Token]:
    """Objects with a relative pronoun replaced by what it stands for: "businesses that
    Berkshire bought" -> businesses; when those are predicated of names ("Marmon and IMC
    were businesses that Berkshire bought"), the names. Not a description that only
    coreference could name ("the government … that is run by X")."""
    out: list[Token] = []
    for obj in objects:
        if obj.lower_ not in RELATIVE or obj.tag_ != "WDT" or verb.dep_ != "relcl":
            out.append(obj)
            continue
        noun = verb.head
        if noun.dep_ == "attr" and noun.head.lemma_ == "be":
            out.extend(c for c in noun.head.children if c.dep_ == "nsubj")
        elif not ctx.is_coreferent(noun):
            out.append(noun)
    return out


def _prep_objects(verb: Token, preps: set[str], *, depth: int = 4) -> list[Token]:
    """Objects of the given prepositions attached to the verb or its object phrase.

    "signed a memorandum of understanding with Microsoft": ``with`` hangs two
    levels below the verb; the search does not cross into another clause.
    """
    found: list[Token] = []
    frontier = [verb]
    for _ in range(depth):
        following: list[Token] = []
        for node in frontier:
            for child in node.children:
                if child.dep_ in {"prep", "agent", "dative"} and child.lower_ in preps:
                    found.extend(c for c in child.children if c.dep_ == "pobj")
                    if child.dep_ == "dative" and child.pos_ != "ADP":
                        found.append(child)
                elif child.dep_ in {"dobj", "pobj", "prep", "prt", "npadvmod"}:
                    following.append(child)
        frontier = following
    return found


def _dobj_lemmas(verb: Token) -> set[str]:
    out: set[str] = set()
    for child in verb.children:
        if child.dep_ in {"dobj", "nsubjpass", "attr"}:
            out.add(child.lemma_.lower())
            out.update(f"{c.lemma_.lower()} {child.lemma_.lower()}" for c in child.children
                       if c.dep_ in {"compound", "amod"})
            if child.lemma_.lower() in {"percent", "%"}:
                out.add("percent")
    return out


# -------------------------------------------------------------- verb frames


@register_extractor("verb-frames", version="1")
def extract_verb_frames(ctx: DocContext) -> Iterator[Relation]:
    """Relations stated by a verb and its arguments ("Fiserv will acquire First Data")."""
    frames = verb_frames()
    for verb in ctx.with_lemma(frames):
        if verb.pos_ not in {"VERB", "AUX"} and verb.tag_ not in {"VBN", "VBG"} and not (
                headline_verb(verb)):
            continue
        candidates = frames.get(verb.lemma_.lower())
        if not candidates:
            continue
        dobjs = _dobj_lemmas(verb)
        for frame in candidates:
            if not _frame_applies(frame, verb, dobjs):
                continue
            yield from _apply_frame(ctx, frame, verb, dobjs)
    yield from _pp_frames(ctx)
    yield from _bans(ctx)
    yield from _ban_nouns(ctx)
    yield from _access_cuts(ctx)
    yield from _access_losses(ctx)


def _access_losses(ctx: DocContext) -> Iterator[Relation]:
    """ "Huawei is losing access to key components from U.S. chip makers including
    Qualcomm": the party losing its access or supplies is blocked by whoever they came
    from, and those supplied it (``access_nouns``)."""
    nouns = words("access_nouns")
    for verb in ctx.with_lemma(["lose"]):
        if verb.pos_ not in {"VERB", "AUX"}:
            continue
        for obj in verb.children:
            if obj.dep_ != "dobj" or obj.lemma_.lower() not in nouns:
                continue
            sources = _prep_objects(obj, {"from"}, depth=3) or _prep_objects(verb, {"from"},
                                                                             depth=1)
            for subj, c1 in mentions_of(ctx, clause_subjects(verb)):
                for source, c2 in mentions_of(ctx, sources):
                    yield from emit(ctx, source, "blocks", subj, verb, confidence=0.7,
                                     extractor="verb-frames/access-losses", coref=c1 or c2)
                    # the supply is a fact whether or not it is lost: read in the noun phrase
                    yield from emit(ctx, source, "suppliesTo", subj, obj, confidence=0.65,
                                     extractor="verb-frames/access-losses", polarity_token=obj,
                                     coref=c1 or c2)


def _pp_frames(ctx: DocContext) -> Iterator[Relation]:
    """Relations stated by a prepositional phrase on any verb: "Google will offer checking
    accounts in partnership with Citigroup" -> partnersWith. The verb says what is done;
    the phrase says with whom (``pp_frames`` in the lexicon)."""
    for frame in lexicon()["pp_frames"]:
        nouns = frozenset(frame["nouns"])
        for prep in ctx.with_lemma([frame["prep"]]):
            if prep.dep_ != "prep" or prep.lower_ != frame["prep"]:
                continue
            verb = prep.head
            if verb.pos_ not in {"VERB", "AUX"}:
                continue
            for noun in prep.children:
                if noun.dep_ != "pobj" or not _names_noun(noun, nouns):
                    continue
                objects = _prep_objects(noun, {frame["object"]}, depth=1)
                for subj, c1 in mentions_of(ctx, clause_subjects(verb)):
                    for obj, c2 in mentions_of(ctx, objects):
                        yield from emit(ctx, subj, frame["predicate"], obj, noun,
                                         confidence=0.8, extractor="verb-frames/pp-frames",
                                         polarity_token=verb, coref=c1 or c2)


def _names_noun(noun: Token, nouns: frozenset[str]) -> bool:
    """Whether a noun, alone or with its compound modifier ("joint venture"), is listed."""
    lemma = noun.lemma_.lower()
    if lemma in nouns:
        return True
    return any(f"{c.lemma_.lower()} {lemma}" in nouns for c in noun.children
               if c.dep_ in {"compound", "amod"})


def _bans(ctx: DocContext) -> Iterator[Relation]:
    """ "Trump banned U.S. companies from doing business with Huawei": whoever bans
    dealing with a party blocks that party (``ban_verbs``, ``dealing_verbs``)."""
    ban_verbs, dealing = words("ban_verbs"), words("dealing_verbs")
    for verb in ctx.with_lemma(ban_verbs):
        if verb.pos_ not in {"VERB", "AUX"} or verb.lemma_.lower() not in ban_verbs:
            continue
        targets: list[Token] = []
        for prep in verb.children:
            if prep.dep_ != "prep" or prep.lower_ != "from":
                continue
            for action in prep.children:
                if action.dep_ == "pcomp" and action.lemma_.lower() in dealing:
                    targets += _prep_objects(action, {"with", "to"}, depth=2)
        if targets:
            yield from _blockers(ctx, verb, targets)


def _ban_nouns(ctx: DocContext) -> Iterator[Relation]:
    """ "a U.S. ban on doing business with Huawei", "exemptions from a ban on dealing with
    Huawei, the U.S. said": a ban on dealing with a party, by the country that imposes it —
    the noun's possessor or modifier, else the nearest governing clause whose subject is a
    country."""
    dealing = words("dealing_verbs")
    for noun in ctx.with_lemma(_BAN_NOUNS):
        if noun.pos_ != "NOUN" or noun.lemma_.lower() not in _BAN_NOUNS:
            continue
        targets: list[Token] = []
        for prep in noun.children:
            if prep.dep_ == "prep" and prep.lower_ == "on":
                for action in prep.children:
                    if action.dep_ == "pcomp" and action.lemma_.lower() in dealing:
                        targets += _prep_objects(action, {"with", "to"}, depth=2)
        if not targets:
            continue
        banners = [c for c in noun.children if c.dep_ in {"poss", "compound", "nmod"}]
        node = noun
        for _ in range(8):
            if banners or node.head.i == node.i:
                break
            node = node.head
            if node.pos_ in {"VERB", "AUX"}:
                banners = [t for t in clause_subjects(node) if _is_country(ctx, t)]
        for actor, c1 in mentions_of(ctx, banners):
            for obj, c2 in mentions_of(ctx, targets):
                yield from emit(ctx, actor, "blocks", obj, noun, confidence=0.7,
                                 extractor="verb-frames/ban-nouns", coref=c1 or c2)


_BAN_NOUNS = frozenset({"ban", "embargo", "prohibition", "blacklisting"})


def _is_country(ctx: DocContext, token: Token) -> bool:
    place = ctx.place(token)
    gaz = place_named(place.text) if place is not None else None
    return gaz is not None and gaz.kind == "country"


def _access_cuts(ctx: DocContext) -> Iterator[Relation]:
    """ "Google would cut access to some of Huawei's features", "revoked Huawei's license":
    withdrawing a party's access, licence or supplies blocks it (``access_verbs``,
    ``access_nouns``). The party is the noun's possessor, else the object of "for",
    else an entity named inside the "to" phrase."""
    verbs, nouns = words("access_verbs"), words("access_nouns")
    for verb in ctx.with_lemma(verbs):
        if verb.pos_ not in {"VERB", "AUX"} or verb.lemma_.lower() not in verbs:
            continue
        for obj in verb.children:
            if obj.dep_ not in {"dobj", "nsubjpass"} or obj.lemma_.lower() not in nouns:
                continue
            targets = [c for c in obj.children if c.dep_ == "poss"]
            targets = targets or _prep_objects(verb, {"for"}, depth=1) or _prep_objects(
                obj, {"for"}, depth=1)
            if not targets:
                for prep in obj.children:
                    if prep.dep_ == "prep" and prep.lower_ == "to":
                        targets += [t for t in prep.subtree if t.dep_ in {"pobj", "poss"}]
            if targets:
                yield from _blockers(ctx, verb, targets)


def _blockers(ctx: DocContext, verb: Token, targets: list[Token]) -> Iterator[Relation]:
    for subj, c1 in mentions_of(ctx, clause_subjects(verb)):
        actor = _state_of(ctx, subj) or subj
        for obj, c2 in mentions_of(ctx, targets):
            yield from emit(ctx, actor, "blocks", obj, verb, confidence=0.8,
                             extractor="verb-frames/blockers", coref=c1 or c2)


def _state_of(ctx: DocContext, person: Mention) -> Mention | None:
    """The country a head of state or government acts for: "U.S. President Donald Trump
    banned …" is the United States banning. Only read from the title before the name."""
    if person.label != "Person":
        return None
    span = ctx.span(person)
    if span is None:
        return None
    before = list(ctx.doc[max(span.sent.start, span.start - 4): span.start])
    heads = words("head_of_state_titles")
    if not any(t.lower_ in heads or (i and f"{before[i - 1].lower_} {t.lower_}" in heads)
               for i, t in enumerate(before)):
        return None
    for token in reversed(before):
        place = ctx.place(token)
        gaz = place_named(place.text) if place is not None else None
        if place is not None and gaz is not None and gaz.kind == "country":
            return place
    return None


def _frame_applies(frame: VerbFrame, verb: Token, dobjs: set[str]) -> bool:
    if frame.prt and not has_prt(verb, frame.prt):
        return False
    if frame.dobj and not (frame.dobj & dobjs):
        return False
    if frame.dobj_required and not dobjs:
        return False
    if frame.requires and not any(
        t.lemma_.lower() in frame.requires for t in verb.subtree
    ):
        return False
    return not (frame.passive and not is_passive(verb))


def _controlling(verb: Token) -> bool:
    """Whether the verb's object is a controlling stake: "a majority stake", "a controlling
    interest", "a majority of"."""
    for obj in verb.children:
        if obj.dep_ not in {"dobj", "nsubjpass"}:
            continue
        if obj.lemma_.lower() == "majority" or any(
                c.lower_ in {"majority", "controlling"} for c in obj.children
                if c.dep_ in {"amod", "compound", "nmod"}):
            return True
    return False


_STAKE_NOUNS = frozenset({"share", "stake", "holding", "interest", "percent", "%", "stock"})


def _apply_frame(
    ctx: DocContext, frame: VerbFrame, verb: Token, dobjs: set[str]
) -> Iterator[Relation]:
    if frame.passive:
        subjects = _logical_objects(verb) or clause_subjects(verb)
    else:
        subjects = clause_subjects(verb)
    objects: list[Token] = []
    for slot in frame.object:
        if slot == "dobj":
            if frame.dobj:  # the object names the deal, not the entity
                continue
            objects.extend(_antecedents(ctx, verb, _logical_objects(verb)))
        elif slot.startswith("prep:"):
            objects.extend(_prep_objects(verb, {slot[5:]}))
    predicate = frame.predicate
    _, _, intent = polarity(verb)
    if predicate == "operatesIn" and frame.lemma in _INTENT_TO_ENTER and intent:
        predicate = "plansToEnter"
    if predicate == "investsIn" and frame.dobj and _controlling(verb):
        predicate = "acquired"  # "bought a majority stake in X": control, as CORE defines it
    parties = mentions_of(ctx, subjects)
    stakes = {m.start for m, _ in mentions_of(ctx, [o for o in objects
                                                  if o.lemma_.lower() in _STAKE_NOUNS])}
    for subj, subj_coref in parties:
        if frame.subject_type and subj.label != frame.subject_type:
            continue
        for obj, obj_coref in mentions_of(ctx, objects):
            if predicate == "acquired" and not frame.dobj and obj.start in stakes:
                # "bought Twitter shares": a stake, not the company
                yield from emit(ctx, subj, "investsIn", obj, verb, confidence=0.8,
                                 extractor=f"verb-frames/{frame.lemma}",
                                 coref=subj_coref or obj_coref)
                continue
            if frame.object_type and not admits(frozenset({frame.object_type}), obj.label):
                continue
            if obj_coref and any(obj.key == p.key or obj.cluster == p.cluster >= 0
                                 for p, _ in parties):
                continue  # "X and Y offered to buy the company": not one of the buyers
            first, second = (obj, subj) if frame.inverse else (subj, obj)
            yield from emit(
                ctx, first, predicate, second, verb,
                confidence=0.85 if not frame.dobj else 0.8,
                extractor=f"verb-frames/{frame.lemma}",
                coref=subj_coref or obj_coref,
            )


# ----------------------------------------------------------- deal withdrawal


@register_extractor("deal-withdrawal", version="1")
def extract_deal_withdrawal(ctx: DocContext) -> Iterator[Relation]:
    """A party pulling a deal with another blocks it.

    "AT&T backed out of a deal to sell Huawei's flagship handset" -> Huawei
    blockedBy AT&T (and no partnership is asserted: the deal is withdrawn).
    """
    specs = {}
    for spec in lexicon()["withdraw_verbs"]:
        specs.setdefault(spec["lemma"], []).append(spec)
    deal_nouns = words("deal_nouns")
    for verb in ctx.with_lemma(specs):
        for spec in specs.get(verb.lemma_.lower(), ()):
            if spec.get("prt") and not has_prt(verb, spec["prt"]):
                continue
            if "prep" in spec:
                heads = [verb, *(p for p in particles(verb, spec.get("prt", ""))
                                 if p.dep_ == "advmod")]
                deals = [d for head in heads for d in _prep_objects(head, {spec["prep"]}, depth=2)
                         if d.lemma_.lower() in deal_nouns]
            else:
                deals = [d for d in _logical_objects(verb) if d.lemma_.lower() in deal_nouns]
            for deal in deals:
                parties = list(_deal_parties(ctx, deal))
                for subj, subj_coref in mentions_of(ctx, clause_subjects(verb)):
                    for party, party_coref in parties:
                        if party.label != "Organization" or subj.label not in {
                            "Organization", "Place"
                        }:
                            continue
                        yield from emit(
                            ctx, party, "blockedBy", subj, verb,
                            confidence=0.8, extractor="deal-withdrawal/deal-withdrawal",
                            coref=subj_coref or party_coref,
                        )




def _deal_parties(ctx: DocContext, deal: Token) -> Iterator[tuple[Mention, bool]]:
    """Who the deal was with: "deal with Huawei", "deal to sell Huawei's phones"."""
    yield from mentions_of(ctx, _prep_objects(deal, {"with"}, depth=1))
    for child in deal.children:
        if child.dep_ in {"poss", "compound"}:
            yield from mentions_of(ctx, [child])
        if child.dep_ in {"acl", "relcl"} and child.lemma_.lower() in words(
            "deal_action_verbs"
        ):
            for obj in _logical_objects(child) + _prep_objects(child, {"with", "from"}, depth=2):
                yield from mentions_of(ctx, [obj])
                for grand in obj.children:
                    if grand.dep_ in {"poss", "compound"}:
                        yield from mentions_of(ctx, [grand])


# ------------------------------------------------------------ person titles


@register_extractor("titles", version="1")
def extract_titles(ctx: DocContext) -> Iterator[Relation]:
    """Roles of people: "Xiaomi's board chairman and CEO Lei Jun",
    "Wang Xiang, head of Xiaomi's international business", "German Chancellor Angela Merkel".
    """
    for person in [m for m in ctx.mentions if m.label == "Person" and m.ner_label]:
        span = ctx.span(person)
        if span is None:
            continue
        yield from _left_titles(ctx, person, span)
        yield from _appositive_titles(ctx, person, span)
        yield from _of_org(ctx, person, span)
        yield from _origin(ctx, person, span)
        yield from _party_in_brackets(ctx, person, span)
        yield from _as_title(ctx, person, span)
    yield from _analyst_line(ctx)


_ANNOUNCE_VERBS = frozenset({"announce", "name", "appoint", "hire", "tap", "pick",
                             "choose", "select", "promote", "elect", "confirm"})


def _as_title(ctx: DocContext, person: Mention, span: Span) -> Iterator[Relation]:
    """ "Apple named Tim Cook as chief executive", "Aphria announced Simon Irwin would step
    in as independent chair": a title taken "as", in the company that names or announces
    it. Only a title with no employer of its own, only a company subject."""
    root = span.root
    verb = root.head
    if root.dep_ not in {"nsubj", "dobj", "nsubjpass"}:
        return
    table = titles()
    for prep in (*_as_preps(verb), *(c for c in root.children if c.dep_ == "prep"
                                       and c.lower_ == "as" and c.i >= span.end)):
        for noun in prep.children:
            words_ = [t.lower_ for t in noun.subtree if t.dep_ != "det"]
            phrase = next((p for p in (" ".join(words_), " ".join(words_[-2:]), noun.lower_)
                           if p in table), None)
            if noun.dep_ != "pobj" or phrase is None or any(
                    c.dep_ == "prep" for c in noun.children):
                continue
            announcer = verb if root.dep_ != "nsubj" else (
                verb.head if verb.dep_ in {"ccomp", "xcomp"} else None)
            if announcer is None or announcer.lemma_.lower() not in _ANNOUNCE_VERBS:
                continue
            for org, coref in mentions_of(ctx, clause_subjects(announcer)):
                if org.label == "Organization":
                    yield from emit(ctx, person, table[phrase], org, noun, confidence=0.7,
                                     extractor="titles/as-title", polarity_token=verb, coref=coref)


def _as_preps(verb: Token) -> Iterator[Token]:
    for child in verb.children:
        if child.dep_ == "prep" and child.lower_ == "as":
            yield child
        if child.dep_ in {"prt", "advmod"}:  # "step in as chair"
            yield from (c for c in child.children if c.dep_ == "prep" and c.lower_ == "as")


def _party_in_brackets(ctx: DocContext, person: Mention, span: Span) -> Iterator[Relation]:
    """ "Volker Kauder (CDU) said …": the bracketed acronym after a politician's name is
    their party."""
    doc = ctx.doc
    if span.end + 2 >= len(doc) or doc[span.end].text != "(":
        return
    inner = ctx.mention_at(doc[span.end + 1])
    inner_span = ctx.span(inner) if inner is not None else None
    if inner is None or inner.label != "Organization" or inner_span is None:
        return
    if inner_span.end >= len(doc) or doc[inner_span.end].text != ")":
        return
    if not (inner.text.isupper() and len(inner.text) <= 6):
        return  # "(Apple)" names an employer, not a party
    yield from emit(ctx, person, "memberOf", inner, doc[span.end + 1], confidence=0.7,
                     extractor="titles/party-in-brackets", polarity_token=span.root)


def _of_org(ctx: DocContext, person: Mention, span: Span) -> Iterator[Relation]:
    """ "said Shannon Cross of Cross Research": a person named with the company they
    speak for; "Presidents Dilma Rousseff of Brazil, Vladimir Putin of Russia": with
    their country; "Marie Ferraro, 50, of Bethany, Conn.", "diver Brian Michaud of
    Millinocket": with the town they live in (the wire's way of saying where someone
    is from)."""
    doc = ctx.doc
    for prep in span.root.children:
        if prep.dep_ != "prep" or prep.lower_ != "of":
            continue
        between = [t.text for t in doc[span.end:prep.i]]
        if between and not (len(between) == 3 and between[0] == between[2] == ","
                            and doc[span.end + 1].like_num):
            continue  # only right after the name, or after an age: "Ferraro, 50, of"
        for pobj in prep.children:
            if pobj.dep_ != "pobj":
                continue
            org = ctx.mention_at(pobj)
            if org is not None and org.label == "Organization":
                yield from emit(ctx, person, "worksFor", org, prep, confidence=0.7,
                                 extractor="titles/of-org", polarity_token=span.root)
            if org is not None and org.label == "Place":
                yield from _home(ctx, person, org, prep, span)
                if _head_of_state_before(span):  # "Prime Minister Felipe Gonzalez of Spain"
                    yield from emit(ctx, person, "leads", org, prep, confidence=0.8,
                                     extractor="titles/of-org", polarity_token=span.root)


def _head_of_state_before(span: Span) -> bool:
    """Whether a head-of-state title ("Prime Minister", "Presidents") ends right before
    the name."""
    doc = span.doc
    heads = words("head_of_state_titles")
    for n in (3, 2, 1):
        if span.start - n < span.sent.start:
            continue
        phrase = " ".join(t.lower_ for t in doc[span.start - n: span.start])
        if phrase in heads or (phrase.endswith("s") and phrase[:-1] in heads):
            return True
    return False


def _home(
    ctx: DocContext, person: Mention, place: Mention, trigger: Token, span: Span
) -> Iterator[Relation]:
    """Where a person is from: citizenOf a country, livesIn a town or state."""
    gaz = place_named(place.text)
    if gaz is not None and gaz.kind == "region":
        return
    if gaz is not None and gaz.kind == "country":
        yield from emit(ctx, person, "citizenOf", place, trigger, confidence=0.65,
                         extractor="titles/home", polarity_token=span.root)
    else:
        yield from emit(ctx, person, "livesIn", place, trigger, confidence=0.65,
                         extractor="titles/home", polarity_token=span.root)
        outer = _enclosing_place(ctx, place)
        if outer is not None:  # "of Bethany, Conn.": Connecticut too
            yield from emit(ctx, person, "livesIn", outer, trigger, confidence=0.6,
                             extractor="titles/home", polarity_token=span.root)


def _enclosing_place(ctx: DocContext, place: Mention) -> Mention | None:
    """The place written after a town to locate it: "Bethany, Conn." -> Conn."""
    span = ctx.span(place)
    doc = ctx.doc
    if span is None or span.end + 1 >= len(doc) or doc[span.end].text != ",":
        return None
    outer = ctx.mention_at(doc[span.end + 1])
    return outer if outer is not None and outer.label == "Place" else None


def _origin(ctx: DocContext, person: Mention, span: Span) -> Iterator[Relation]:
    """ "Thomas is a native of Chisholm", "Derwinski, a Republican from Chicago": a noun
    said of a person that places them ("native of", "from")."""
    for noun in _role_nouns(span):
        for prep in noun.children:
            if prep.dep_ != "prep":
                continue
            if not (prep.lower_ == "from" or (prep.lower_ == "of"
                                              and noun.lemma_.lower() == "native")):
                continue
            for pobj in prep.children:
                place = ctx.place(pobj) if pobj.dep_ == "pobj" else None
                if place is not None:
                    yield from _home(ctx, person, place, prep, span)


def _match_title(tokens: list[Token], i: int) -> tuple[str, int] | None:
    """The longest title ending at ``tokens[i]`` (scanning leftwards)."""
    table = titles()
    for n in range(_MAX_TITLE_WORDS, 0, -1):
        if i - n + 1 < 0:
            continue
        phrase = " ".join(t.lower_ for t in tokens[i - n + 1: i + 1])
        phrase = phrase.replace(" - ", "-")
        if phrase in table:
            return phrase, n
    return None


def _left_titles(ctx: DocContext, person: Mention, span: Span) -> Iterator[Relation]:
    doc = ctx.doc
    i = span.start - 1
    found: list[str] = []
    modifiers = words("title_modifiers")
    sent_start = span.sent.start
    while i >= sent_start:
        token = doc[i]
        match = _match_title(list(doc[sent_start: i + 1]), i - sent_start)
        if match is not None:
            found.append(match[0])
            i -= match[1]
            continue
        if token.lower_ in {"and", "&"} and (
            i - 1 < sent_start or _match_title(list(doc[sent_start:i]), i - 1 - sent_start) is None
        ):
            break  # "and" joins two titles, not a title and what went before
        if (token.lower_ in modifiers and ctx.place(token) is None) or token.is_space:
            i -= 1  # "U.S." modifies titles too, but as a place it is the anchor
            continue
        break
    if not found:
        return
    anchor = doc[i] if i >= sent_start else None
    if anchor is not None and anchor.tag_ == "POS" and i - 1 >= sent_start:
        anchor = doc[i - 1]
    if anchor is None or (ctx.entity(anchor) is None and ctx.place(anchor) is None):
        yield from _sentence_employer(ctx, person, span, found)
        return
    predicate = _title_predicate(found)
    org = ctx.entity(anchor)
    if org is not None and org.label == "Organization":
        yield from emit(ctx, person, predicate, org, anchor, confidence=0.9,
                         extractor="titles/left-titles", polarity_token=span.root,
                         coref=ctx.is_coreferent(anchor))
        if predicate == "founded" and any(titles().get(t) == "leads" for t in found):
            yield from emit(ctx, person, "leads", org, anchor, confidence=0.85,
                             extractor="titles/left-titles", polarity_token=span.root)
        return
    place = ctx.place(anchor)
    gaz = place_named(place.text) if place is not None else None
    if place is not None and (gaz is None or gaz.kind != "region"):
        if place.ner_label == "NORP" or (gaz is not None and gaz.kind == "country"):
            yield from emit(ctx, person, "citizenOf", place, anchor, confidence=0.8,
                             extractor="titles/left-titles", polarity_token=span.root)
        if any(t in words("head_of_state_titles") for t in found):
            yield from emit(ctx, person, "leads", place, anchor, confidence=0.85,
                             extractor="titles/left-titles", polarity_token=span.root)
        elif predicate == "worksFor":  # a striker or senator of a place is not its employee
            yield from emit(ctx, person, "worksFor", place, anchor, confidence=0.7,
                             extractor="titles/left-titles", polarity_token=span.root)


def _sentence_employer(
    ctx: DocContext, person: Mention, span: Span, found: list[str]
) -> Iterator[Relation]:
    """ "After Apple reported weak results, Chief Executive Officer Tim Cook said …": a
    corporate title with no company before it belongs to the one company the sentence
    names. Only titles that exist only in companies (``corporate_titles``: not
    "president" or "minister"), and only when the sentence names exactly one company."""
    corporate = words("corporate_titles")
    if not any(t in corporate for t in found):
        return
    orgs: dict[str, tuple[Mention, Token]] = {}
    for token in span.sent:
        if span.start <= token.i < span.end:
            continue
        mention = ctx.mention_at(token)
        if mention is None and token.dep_ in {"nsubj", "nsubjpass"}:
            mention = ctx.entity(token)  # "The company … Chairman X"
        if mention is not None and mention.label == "Organization":
            orgs.setdefault(mention.text.lower(), (mention, token))
    if not orgs:
        # "Chief Executive Officer Shoichi Tosaka isn't happy": the company the article is about
        main = _main_organization(ctx)
        if main is not None:
            yield from emit(ctx, person, _title_predicate(found), main, span.root,
                             confidence=0.55, extractor="titles/sentence-employer")
        return
    if len(orgs) > 1:
        # "The company, formed through the merger of Essilor and Luxottica, said … Chairman
        # Leonardo Del Vecchio": the company the sentence is about is its main subject
        main = [(m, t) for m, t in orgs.values()
                if t.dep_ in {"nsubj", "nsubjpass"} and t.head.dep_ == "ROOT"]
        if len(main) != 1:
            return
        orgs = {"main": main[0]}
    [(org, token)] = orgs.values()
    yield from emit(ctx, person, _title_predicate(found), org, token, confidence=0.6,
                     extractor="titles/sentence-employer", polarity_token=span.root,
                     coref=ctx.is_coreferent(token))


def _main_organization(ctx: DocContext) -> Mention | None:
    """The company an article is about: named at least three times, and at least twice as
    often as any other organization."""
    counts: dict[str, list[Mention]] = {}
    for mention in ctx.mentions:
        if mention.label == "Organization" and mention.ner_label != "NORP":
            root = ctx.mentions[mention.cluster] if mention.cluster >= 0 else mention
            counts.setdefault(name_key(root.text), []).append(mention)
    ranked = sorted(counts.values(), key=len, reverse=True)
    if not ranked or len(ranked[0]) < 3 or (len(ranked) > 1 and len(ranked[1]) * 2 > len(
            ranked[0])):
        return None
    return ranked[0][0]


def _analyst_line(ctx: DocContext) -> Iterator[Relation]:
    """Analyst credit lines: "Stifel, Stephen D. Willey" or "Bloomberg Intelligence, Sam
    Fazeli and Asthika Goonewardene", a sentence of a company and the people writing for it."""
    for line in _lines(ctx.doc):
        tokens = [t for t in line if not t.is_space and not (t.is_punct and t.text != ",")]
        if len(tokens) < 3:
            continue
        org = ctx.mention_at(tokens[0])
        if org is None or org.label != "Organization":
            continue
        org_span = ctx.span(org)
        if org_span is None:
            continue
        rest = [t for t in tokens if t.i >= org_span.end]
        if not rest or rest[0].text != ",":
            continue
        people: list[Mention] = []
        ok = True
        for token in rest[1:]:
            mention = ctx.mention_at(token)
            if mention is not None and mention.label == "Person":
                if not people or people[-1] is not mention:
                    people.append(mention)
            elif token.lower_ not in {"and", ","}:
                ok = False
                break
        if ok and people:
            for person in people:
                yield from emit(ctx, person, "worksFor", org, tokens[0], confidence=0.7,
                                 extractor="titles/analyst-line")


def _lines(doc: Doc) -> Iterator[Span]:
    """Each sentence cut at its line breaks: a credit line may run into the next line's
    text when the parser sees no sentence end ("Stifel, Stephen D. Willey\\nNotes that …")."""
    for sent in doc.sents:
        start = sent.start
        for token in sent:
            if token.is_space and "\n" in token.text:
                if token.i > start:
                    yield doc[start:token.i]
                start = token.i + 1
        if start < sent.end:
            yield doc[start:sent.end]


def _title_predicate(found: list[str]) -> str:
    kinds = [titles()[t] for t in found]
    for kind in ("founded", "leads", "memberOf"):
        if kind in kinds:
            return kind
    return "worksFor"


def _role_nouns(span: Span) -> Iterator[Token]:
    """Title nouns in apposition to, or predicated of, a person."""
    root = span.root
    for child in root.children:
        if child.dep_ == "appos" and child.i >= span.end:
            yield child
    if root.dep_ == "appos" and root.head.i < span.start:
        yield root.head
    if root.dep_ == "nsubj" and root.head.lemma_ == "be":
        for child in root.head.children:
            if child.dep_ == "attr":
                yield child


def _appositive_titles(ctx: DocContext, person: Mention, span: Span) -> Iterator[Relation]:
    table = titles()
    for noun in _role_nouns(span):
        phrase = noun.lower_
        compounds = [c for c in noun.children if c.dep_ in {"compound", "amod"} and c.i < noun.i]
        if compounds:
            longer = " ".join([*(c.lower_ for c in compounds[-2:]), phrase])
            phrase = longer if longer in table else phrase
        if phrase not in table and noun.lemma_.lower() not in table:
            continue
        predicate = table.get(phrase) or table[noun.lemma_.lower()]
        targets: list[Token] = []
        division = False
        # "general manager and vice-president of payments at Google": the employer may
        # hang on a conjoined title, or on the department the title is of
        for title in (noun, *(c for c in noun.children if c.dep_ == "conj")):
            for child in title.children:
                if child.dep_ in {"poss", "compound"} and ctx.entity(child) is not None:
                    targets.append(child)
                if child.dep_ != "prep" or child.lower_ not in {"of", "at", "for", "with"}:
                    continue
                for pobj in child.children:
                    if pobj.dep_ != "pobj":
                        continue
                    if ctx.entity(pobj) is not None:
                        targets.append(pobj)
                        continue
                    if pobj.lemma_.lower() in words("division_nouns"):
                        division = True
                        targets.extend(c for c in pobj.children if c.dep_ in {"poss", "compound"})
                    for inner in pobj.children:
                        if inner.dep_ == "prep" and inner.lower_ in {"at", "of"}:
                            found = [c for c in inner.children
                                     if c.dep_ == "pobj" and ctx.entity(c) is not None]
                            division |= bool(found)
                            targets.extend(found)
        corporate = phrase in words("corporate_titles") or \
            noun.lemma_.lower() in words("corporate_titles")
        for target in targets:
            org = ctx.entity(target)
            if org is None:
                continue
            if org.label == "Place" and corporate:
                continue  # "chairman of Leamington, Ontario-based Aphria": no town has one
            pred = "worksFor" if division and predicate == "leads" else predicate
            if org.label == "Place" and pred == "memberOf":
                pred = "worksFor"
            yield from emit(ctx, person, pred, org, noun, confidence=0.85,
                             extractor="titles/appositive-titles", polarity_token=noun,
                             coref=ctx.is_coreferent(target))


# ----------------------------------------------------- organization nouns


@register_extractor("org-nouns", version="1")
def extract_org_nouns(ctx: DocContext) -> Iterator[Relation]:
    """Relations named by a noun: "its partner Yi", "Google, a unit of Alphabet",
    "Huawei's supplier Qualcomm", "Berkshire's stake in Pilot",
    "Fiserv's acquisition of First Data".
    """
    table = org_relation_nouns()
    for noun in ctx.with_lemma(table):
        if ctx.mention_at(noun) is not None or not (noun.pos_ in {"NOUN", "PROPN"} or (
                noun.pos_ == "ADJ" and noun.dep_ == "compound")):  # "its bigger rival Murata"
            continue
        key = table.get(noun.lemma_.lower())
        if key is None:
            continue
        owners = [c for c in noun.children if c.dep_ == "poss"]
        owners += [c for c in noun.children if c.dep_ == "compound" and ctx.entity(c)]
        if noun.dep_ == "compound":  # "Huawei's supplier Qualcomm": the poss hangs on the name
            owners += [c for c in noun.head.children if c.dep_ == "poss" and c.i < noun.i]
        related = _prep_objects(noun, {"of", "to", "for", "with", "in"}, depth=1)
        members, counter = _members(noun)
        if any(ctx.mention_at(o) is not None for o in owners):
            # "Huawei's rivals such as Apple" (not "its brands including X": the pronoun
            # may stand for either party)
            members += list(listed_examples(noun))
        described = _described_by(ctx, noun) + members
        related = [t for t in related if t not in members]  # "rivals from Apple to Samsung"
        if counter is not None and all(ctx.mention_at(o) is None for o in owners):
            owners = clause_subjects(counter)  # "X counts Y among its customers": X's
        if noun.dep_ == "compound" and not owners:
            owners += _conjoined_with(ctx, noun.head)  # "between Loxo and competitor Blueprint"
        if key == "acquiredBy":
            buyers = owners + _prep_objects(noun, {"by"}, depth=1)
            targets = _prep_objects(noun, {"of"}, depth=1)
            if not buyers and targets:
                buyers = _clause_buyer(noun)
            yield from _pairs(ctx, buyers, "acquired", targets, noun, 0.75)
            continue
        if key == "investsIn" and noun.lemma_.lower() == "stake":
            continue
        others = owners + related
        if key in {"partnersWith", "competesWith"}:
            yield from _pairs(ctx, described, key, others, noun, 0.8)
        elif key == "subsidiaryOf":
            yield from _pairs(ctx, described, "subsidiaryOf", others, noun, 0.75)
        elif key == "parentOf":
            yield from _pairs(ctx, others, "subsidiaryOf", described, noun, 0.75)
        elif key == "suppliesTo":
            yield from _pairs(ctx, described, "suppliesTo", others, noun, 0.75)
        elif key == "customerOf":
            yield from _pairs(ctx, others, "suppliesTo", described, noun, 0.7)
        elif key == "investsIn":
            yield from _pairs(ctx, described, "investsIn", others, noun, 0.7)
    yield from _stakes(ctx)
    yield from _killers(ctx)


def _killers(ctx: DocContext) -> Iterator[Relation]:
    """Killings named by a noun: "King assassin James Earl Ray", "Lincoln's killer, John
    Wilkes Booth", "the assassination of Lincoln by Booth" (``killer_nouns``,
    ``killing_nouns``)."""
    killer_nouns, killing_nouns = words("killer_nouns"), words("killing_nouns")
    for noun in ctx.with_lemma(killer_nouns | killing_nouns):
        lemma = noun.lemma_.lower()
        if noun.pos_ not in {"NOUN", "PROPN"} or ctx.mention_at(noun) is not None:
            continue
        if lemma in killer_nouns:
            victims = [c for c in noun.children if c.dep_ in {"poss", "compound"}]
            victims += _prep_objects(noun, {"of"}, depth=1)
            killers = _described_by(ctx, noun)
            if noun.dep_ == "compound":  # "King assassin James Earl Ray"
                killers.append(noun.head)
            yield from _pairs(ctx, killers, "killed", victims, noun, 0.75)
        elif lemma in killing_nouns:
            victims = [c for c in noun.children if c.dep_ == "poss"]
            victims += _prep_objects(noun, {"of"}, depth=1)
            killers = _prep_objects(noun, {"by"}, depth=1) or _convicted(noun)
            yield from _pairs(ctx, killers, "killed", victims, noun, 0.75)


def _convicted(noun: Token) -> list[Token]:
    """Who is charged with or punished for a killing noun: "Oswald was arrested in the
    assassination of Kennedy", "Ray is serving a sentence for the murder of King", "police
    arrested Garcia in the murder of Lopez" (``conviction_verbs``)."""
    node = noun
    for _ in range(4):  # "serving a sentence for the murder": up through nouns
        if node.dep_ == "pobj" and node.head.lower_ in {"for", "in", "of", "with"}:
            node = node.head.head
        elif node.pos_ == "NOUN" and node.dep_ in {"dobj", "npadvmod"}:
            node = node.head
        else:
            return []
        if node.pos_ in {"VERB", "AUX"}:
            break
    if node.pos_ not in {"VERB", "AUX"} or node.lemma_.lower() not in words(
            "conviction_verbs.words"):
        return []
    if node.lemma_.lower() in {"serve", "confess"}:
        return clause_subjects(node)
    if not is_passive(node) and node.dep_ == "conj" and is_passive(node.head):
        node = node.head  # "Sirhan was tried and convicted for …"
    return _logical_objects(node)


def _stakes(ctx: DocContext) -> Iterator[Relation]:
    """ "Berkshire's 38.6 percent stake in Pilot" -> investsIn."""
    for noun in ctx.with_lemma(["stake"]):
        if noun.lemma_.lower() != "stake" or noun.pos_ != "NOUN":
            continue
        owners = [c for c in noun.children if c.dep_ == "poss"]
        targets = _prep_objects(noun, {"in"}, depth=1)
        yield from _pairs(ctx, owners, "investsIn", targets, noun, 0.8)


_COUNT_VERBS = frozenset({"count", "include", "list", "number", "name", "rank"})


def _members(noun: Token) -> tuple[list[Token], Token | None]:
    """The names a plural relation noun is said to include: "its customers include Apple
    and Samsung", "counts American Airlines … among its customers"; and the counting
    verb, whose subject owns the relation when the noun's possessor is a pronoun."""
    verb = noun.head
    if noun.dep_ == "nsubj" and verb.lemma_.lower() == "include":
        return [c for c in verb.children if c.dep_ == "dobj"], None
    if noun.dep_ == "pobj" and verb.lower_ == "among" and verb.head.lemma_.lower() in \
            _COUNT_VERBS:
        return [c for c in verb.head.children if c.dep_ == "dobj"], verb.head
    # a range: "executives of key Huawei suppliers from Alphabet's Google to Qualcomm"
    # or "customers ranging from Walmart to Target"
    nodes = [noun, *(c for c in noun.children if c.dep_ == "acl" and c.lemma_ == "range")]
    if noun.dep_ == "pobj" and verb.lower_ == "of":
        nodes.append(verb.head)
    for node in nodes:
        ends = {p.lower_: [c for c in p.children if c.dep_ == "pobj"]
                for p in node.children if p.dep_ == "prep" and p.lower_ in {"from", "to"}}
        if ends.get("from") and ends.get("to"):
            return ends["from"] + ends["to"], None
    return [], None


_SINCE_PREPS = frozenset({"after", "since", "following", "through", "with", "via"})


def _clause_buyer(noun: Token) -> list[Token]:
    """The buyer of an acquisition named without one: the subject of the clause the
    acquisition is the background of ("It is a big player after the acquisition of
    Milestone", "X grew through the acquisition of Y"). Not of a reporting verb."""
    prep = noun.head
    if noun.dep_ != "pobj" or prep.lower_ not in _SINCE_PREPS:
        return []
    verb = prep.head
    if verb.pos_ not in {"VERB", "AUX"} or verb.lemma_ in {"say", "tell", "report", "add"}:
        return []
    return clause_subjects(verb)


def _conjoined_with(ctx: DocContext, name: Token) -> list[Token]:
    """The name a relation noun's name is coordinated with: "Loxo and competitor Blueprint",
    "Xiaomi and its partner Yi"; only a named entity, and only the first conjunct."""
    if name.dep_ != "conj" or ctx.mention_at(name) is None:
        return []
    first = name.head
    while first.dep_ == "conj" and first.head.i != first.i:
        first = first.head
    return [first] if ctx.mention_at(first) is not None else []


def _described_by(ctx: DocContext, noun: Token) -> list[Token]:
    """The entity a relation noun describes: apposition, copula, or compound head; a noun
    conjoined to a description describes what it does ("Green Acre, a fund and a
    stakeholder in X")."""
    if noun.dep_ == "conj":
        first = noun.head
        while first.dep_ == "conj" and first.head.i != first.i:
            first = first.head
        if first.pos_ == "NOUN" and first.dep_ in {"appos", "attr"}:
            return _described_by(ctx, first)
        return []
    out: list[Token] = []
    out.extend(c for c in noun.children if c.dep_ == "appos")
    if noun.dep_ == "appos":
        out.append(noun.head)
    if noun.dep_ == "attr":
        out.extend(c for c in noun.head.children if c.dep_ == "nsubj")
    if noun.dep_ == "compound" and ctx.entity(noun.head) is not None:
        out.append(noun.head)
    if noun.dep_ == "pobj" and noun.head.lower_ == "as" and noun.head.head.lemma_ in {
            "serve", "act", "work"}:  # "Citigroup will serve as financial adviser to X"
        out.extend(clause_subjects(noun.head.head))
    return out


def _pairs(
    ctx: DocContext,
    subjects: list[Token],
    predicate: str,
    objects: list[Token],
    trigger: Token,
    confidence: float,
) -> Iterator[Relation]:
    for subj, c1 in mentions_of(ctx, subjects):
        for obj, c2 in mentions_of(ctx, objects):
            yield from emit(ctx, subj, predicate, obj, trigger, confidence=confidence,
                             extractor="org-nouns/pairs", coref=c1 or c2)


# ------------------------------------------------------------ modifiers


@register_extractor("modifiers", version="1")
def extract_modifiers(ctx: DocContext) -> Iterator[Relation]:
    """Facts packed into modifiers.

    "Chinese smartphone maker Xiaomi" -> basedIn China; "Knoxville-based company"
    -> basedIn; "Perugia, Italy" -> locatedIn; "Huawei's flagship handset, Mate 10 Pro"
    -> makes.
    """
    for mention in list(ctx.mentions):
        if not mention.ner_label or mention.ner_label == "NORP":
            continue
        span = ctx.span(mention)
        if span is None:
            continue
        if mention.label in {"Organization", "Person"}:
            yield from _nationality(ctx, mention, span)
        if mention.label in {"Organization", "Person", "Place"}:
            yield from _possessor(ctx, mention, span)
        if mention.label == "Organization":
            yield from _country_in_name(ctx, mention, span)
        if mention.label in {"Organization", "Place"}:
            yield from _seat_after(ctx, mention, span)
        if mention.label == "Place":
            yield from _located_in(ctx, mention, span)
        if mention.label == "Product":
            yield from _maker(ctx, mention, span)
    yield from _x_based(ctx)
    yield from _headquarters(ctx)
    yield from _described_nationality(ctx)
    yield from _dateline(ctx)


_HQ_NOUNS = frozenset({"headquarters", "hq", "headquarter"})


def _headquarters(ctx: DocContext) -> Iterator[Relation]:
    """ "at Facebook's Menlo Park headquarters" -> basedIn Menlo Park: a company's
    headquarters named by its town. Not by a country or region: "Apple's European
    headquarters", "Huawei's US headquarters" are regional offices."""
    for noun in ctx.with_lemma(_HQ_NOUNS):
        if noun.pos_ not in {"NOUN", "PROPN"} or ctx.mention_at(noun) is not None:
            continue
        owners = [c for c in noun.children if c.dep_ == "poss"]
        places = []
        for c in noun.children:
            mention = ctx.mention_at(c)
            if c.dep_ not in {"compound", "nmod"} or c.i > noun.i or mention is None:
                continue
            if mention.label == "Place" and place_named(mention.text) is None:
                places.append(c)  # a town: countries, states, regions are in the gazetteer
        for owner, coref in mentions_of(ctx, owners):
            if owner.label != "Organization":
                continue
            for token in places:
                yield from emit(ctx, owner, "basedIn", ctx.place(token), noun,
                                 confidence=0.8, extractor="modifiers/headquarters", coref=coref)


def _dateline(ctx: DocContext) -> Iterator[Relation]:
    """A wire dateline: "DAYTON, Ohio (AP) -", "Sofia, February 15 (BTA) --": the agency
    in brackets files from the places before it (basedIn). Only at the start of a
    sentence, and only when nothing but places, commas and a date precede the bracket."""
    doc = ctx.doc
    for sent in doc.sents:
        places: list[tuple[Mention, Token]] = []
        for token in sent[:14]:
            if token.text == "(" and places:
                agency = ctx.mention_at(doc[token.i + 1]) if token.i + 1 < len(doc) else None
                if agency is not None and agency.label == "Organization":
                    for place, at in places:
                        yield from emit(ctx, agency, "basedIn", place, at, confidence=0.7,
                                         extractor="modifiers/dateline")
                if doc[token.i + 1: token.i + 3].text.lower() != "text )":
                    break
                continue
            mention = ctx.mention_at(token)
            if mention is not None and mention.label == "Place":
                if not places or places[-1][0] is not mention:
                    places.append((mention, token))
                continue
            if token.is_space or token.text in {",", ")"} or token.like_num or \
                    token.ent_type_ == "DATE" or token.lower_ == "text":
                continue
            break


def _described_nationality(ctx: DocContext) -> Iterator[Relation]:
    """A nationality on a company description: "U.S. chip makers including Qualcomm and
    Intel", "Taiyo Yuden, a Japanese component maker" -> basedIn. The description noun
    must be a company word (``org_descriptors``); the companies are what it stands for
    (apposition, listed examples)."""
    descriptors = words("org_descriptors")
    for noun in ctx.with_lemma(descriptors):
        if noun.pos_ != "NOUN" or noun.lemma_.lower() not in descriptors:
            continue
        if ctx.mention_at(noun) is not None:
            continue
        places: list[tuple[Mention, Token]] = []
        one_of = _one_of(noun)
        for mod in noun.children:
            # "Canada's biggest pot producers" only after "one of": "Apple's suppliers" are
            # not Apple's country
            if mod.i > noun.i or not (mod.dep_ in {"amod", "compound", "nmod"} or (
                    mod.dep_ == "poss" and one_of is not None)):
                continue
            place = ctx.place(mod)
            gaz = place_named(place.text) if place is not None else None
            if place is not None and gaz is not None and gaz.kind == "country":
                places.append((place, mod))
        if len(places) != 1:
            continue  # "the Franco-Italian company": two countries, no one seat
        place, mod = places[0]
        if one_of is not None:  # "Aphria, one of Canada's biggest pot producers"
            for org in ctx.entities(one_of):
                if org.label == "Organization":
                    yield from emit(ctx, org, "basedIn", place, mod, confidence=0.7,
                                     extractor="modifiers/described-nationality")
            continue
        # through coreference too ("The Chinese telecom giant said …"): measured with this
        # session's typing and coreference, business F1 .446 -> .454, DWIE .531 -> .533
        # (once a loss: .73 -> .69 precision, when descriptions often found the wrong name)
        for org in ctx.entities(noun):
            if org.label == "Organization":
                yield from emit(ctx, org, "basedIn", place, mod, confidence=0.7,
                                 extractor="modifiers/described-nationality",
                                 coref=ctx.is_coreferent(noun))


def _one_of(noun: Token) -> Token | None:
    """The name that "one of <noun>" describes: "Aphria, one of Canada's producers"."""
    prep = noun.head
    if noun.dep_ != "pobj" or prep.lower_ != "of" or prep.head.lower_ != "one":
        return None
    one = prep.head
    return one.head if one.dep_ == "appos" else None


def _nationality(ctx: DocContext, mention: Mention, span: Span) -> Iterator[Relation]:
    root = span.root
    heads: list[Token] = [root]
    heads += [c for c in root.children if c.dep_ in {"compound", "appos"} and c.i not in
              range(span.start, span.end) and c.pos_ == "NOUN"]
    if root.dep_ == "appos" and root.head.pos_ == "NOUN":
        heads.append(root.head)
    # "the Chinese communications giant Huawei": a nationality adjective on the
    # description's own compound (not a name there: "the Iran gas deal broker Vitol")
    deep = [c for h in heads[1:] for c in h.children
            if c.dep_ == "compound" and c.pos_ == "NOUN" and c.i < h.i]
    predicate = "basedIn" if mention.label == "Organization" else "citizenOf"
    seen: set[str] = set()
    for head in heads + deep:
        for mod in head.children:
            if mod.dep_ not in {"amod", "compound", "nmod", "npadvmod"} or mod.i > head.i:
                continue
            if head in deep and mod.dep_ != "amod":
                continue
            if span.start <= mod.i < span.end:
                continue
            place = ctx.place(mod)
            if place is None or place.text in seen:
                continue
            gaz = place_named(place.text)
            if gaz is not None and gaz.kind == "region":
                continue
            seen.add(place.text)
            yield from emit(ctx, mention, predicate, place, mod, confidence=0.75,
                             extractor="modifiers/nationality")


def _possessor(ctx: DocContext, mention: Mention, span: Span) -> Iterator[Relation]:
    """A country or city as possessor right before a company's name: "Japan's
    Marubeni Corp", "Chicago's Jump Trading" -> basedIn; a country before a
    person's name: "Hungary's Orban" -> citizenOf; before a smaller place's name:
    "Beijing's Tiananmen Square" -> locatedIn.

    Only when nothing stands between the possessive and the name: in "China's
    rival Apple" the noun says what the relation is. A company as possessor
    ("Alphabet's Google") was measured and left out: the model types too many
    products (Android, Tizen, iPhone) as companies, so subsidiaryOf lost precision.
    """
    doc = ctx.doc
    for token in span:
        for poss in token.children:
            if poss.dep_ != "poss" or span.start <= poss.i < span.end:
                continue
            owner = ctx.mention_at(poss)
            if owner is None:
                continue  # pronouns ("its Google unit") are too loose for this
            owner_span = ctx.span(owner)
            between = doc[owner_span.end:span.start] if owner_span is not None else None
            if between is None or any(t.dep_ != "case" for t in between):
                continue
            if owner.label == "Person" and mention.label == "Organization" and \
                    not ctx.is_coreferent(poss):
                # "Warren Buffett's Berkshire Hathaway": the company a person is named with
                yield from emit(ctx, owner, "leads", mention, poss, confidence=0.6,
                                 extractor="modifiers/possessor")
                continue
            if owner.label != "Place":
                continue
            gaz = place_named(owner.text)
            if mention.label == "Place" and gaz is None and city_named(owner.text) is not None:
                yield from emit(ctx, mention, "locatedIn", owner, poss, confidence=0.7,
                                 extractor="modifiers/possessor")  # "Beijing's Tiananmen Square"
                continue
            if gaz is None or gaz.kind == "region":
                continue
            if mention.label == "Organization":
                yield from emit(ctx, mention, "basedIn", owner, poss, confidence=0.7,
                                 extractor="modifiers/possessor")
            elif mention.label == "Place":  # "Beijing's Tiananmen Square"
                inner = place_named(mention.text)
                if inner is None or inner.kind != "country":
                    yield from emit(ctx, mention, "locatedIn", owner, poss, confidence=0.7,
                                     extractor="modifiers/possessor")
            elif gaz.kind == "country":  # "Hungary's Orban"
                yield from emit(ctx, mention, "citizenOf", owner, poss, confidence=0.65,
                                 extractor="modifiers/possessor")


def _country_in_name(ctx: DocContext, mention: Mention, span: Span) -> Iterator[Relation]:
    """A name that opens with its country: "German Chamber of Industry and Commerce",
    "US Senate", "China Mobile", "British Airways" -> basedIn that country."""
    tokens = [t for t in span if t.lower_ != "the"]
    for width in (2, 1):
        if len(tokens) <= width:
            continue
        head = tokens[:width]
        text = " ".join(t.text for t in head)
        place = place_named(text) or (place_of_demonym(text) if width == 1 else None)
        if place is None or place.kind != "country" or not text[:1].isupper():
            continue
        where = ctx.synthetic_place(head[0], place)
        yield from emit(ctx, mention, "basedIn", where, head[0], confidence=0.6,
                         extractor="modifiers/country-in-name")
        return


def _listed_place(ctx: DocContext, span: Span, nxt: Mention) -> bool:
    """Whether "A, B" is part of a list of places ("The United States, West Germany, Japan
    and France"), not a place and the larger one it lies in ("Perugia, Italy")."""
    doc = ctx.doc

    def place_at(i: int) -> bool:
        found = ctx.mention_at(doc[i]) if 0 <= i < len(doc) else None
        return found is not None and found.label == "Place"

    if span.start >= 2 and doc[span.start - 1].text == "," and place_at(span.start - 2):
        return True
    outer = doc.char_span(nxt.start, nxt.end, alignment_mode="expand")
    if outer is None or outer.end >= len(doc):
        return False
    after = doc[outer.end]
    return after.lower_ in {"and", "or"} or (after.text == "," and place_at(outer.end + 1))


def _located_in(ctx: DocContext, mention: Mention, span: Span) -> Iterator[Relation]:
    """ "Perugia, Italy", "Knoxville, Tennessee": a place, a comma, a larger place."""
    nxt = _enclosing_place(ctx, mention)
    if nxt is None:
        return
    outer = place_named(nxt.text)
    inner = place_named(mention.text)
    if outer is None or outer.kind == "region":
        return
    if inner is not None and (inner.kind == "country" or (outer.kind != "country" and inner.kind
                              == outer.kind)):
        return
    if _listed_place(ctx, span, nxt):
        return
    yield from emit(ctx, mention, "locatedIn", nxt, ctx.doc[span.end + 1], confidence=0.8,
                     extractor="modifiers/located-in")


def _seat_after(ctx: DocContext, mention: Mention, span: Span) -> Iterator[Relation]:
    """A place right after a name, joined by "of" or "in": "Keen Corp. of New York",
    "Becton Dickinson Co. of Franklin Lakes, N.J.", "Brown University in Providence, R.I."
    -> basedIn; "the Palace of Fine Arts, in San Francisco", "Dan Sai District in Loei
    Province" -> locatedIn. Only with the preposition hanging on the name itself, and
    the town's state after a comma too."""
    doc = ctx.doc
    i = span.end
    if i < len(doc) and doc[i].text == ",":
        i += 1
    if i >= len(doc) or doc[i].dep_ != "prep" or not span.start <= doc[i].head.i < span.end:
        return
    prep = doc[i]
    if prep.lower_ not in ({"of", "in"} if mention.label == "Organization" else {"in"}):
        return
    for pobj in prep.children:
        place = ctx.mention_at(pobj) if pobj.dep_ == "pobj" else None
        if place is None or place.label != "Place" or place.key == mention.key:
            continue
        gaz = place_named(place.text)
        if gaz is not None and gaz.kind == "region":
            continue
        if gaz is not None and gaz.kind == "country" and prep.lower_ == "in" and (
                mention.label == "Organization"):
            continue  # "sales of Tesla in China": where it sells, not where it sits
        # a place the gazetteer knows right after the name: document-seats reads it
        seat = mention.label == "Organization" and prep.i == span.end and (
            prep.head.i == span.root.i) and (
                (prep.lower_ == "in" and (city_named(place.text) is not None or (
                    gaz is not None and gaz.kind == "subnational")))
                or (prep.lower_ == "of" and gaz is not None and gaz.kind == "country"))
        predicate = "basedIn" if mention.label == "Organization" else "locatedIn"
        if not seat:
            yield from emit(ctx, mention, predicate, place, prep, confidence=0.7,
                             extractor="modifiers/seat-after")
        outer = _enclosing_place(ctx, place)
        if outer is not None:
            yield from emit(ctx, mention, predicate, outer, prep, confidence=0.65,
                             extractor="modifiers/seat-after")


def _maker(ctx: DocContext, product: Mention, span: Span) -> Iterator[Relation]:
    root = span.root
    # the parser may hang the maker on any word of a multi-word name ("Mate 10 Pro")
    candidates: list[Token] = [c for t in span for c in t.children if c.dep_ in {
        "poss", "compound"} and not span.start <= c.i < span.end]
    if root.dep_ == "appos" and root.head.lemma_.lower() in words("product_descriptors"):
        candidates += [c for c in root.head.children if c.dep_ in {"poss", "compound"}]
    if span.start > 1 and ctx.doc[span.start - 1].text == ",":
        # "Huawei's flagship handset, Mate 10 Pro," even when the parser loses the apposition
        noun = ctx.doc[span.start - 2]
        if noun.lemma_.lower() in words("product_descriptors"):
            candidates += [c for c in noun.children if c.dep_ in {"poss", "compound"}]
    if root.dep_ == "compound" and root.head.lemma_.lower() in words("product_descriptors"):
        # "its Windows Phone system", "Google's Android operating system"
        candidates += [c for c in root.head.children if c.dep_ == "poss"]
    before = ctx.mention_at(ctx.doc[span.start - 1]) if span.start > 0 else None
    if before is not None and before.label == "Organization":
        candidates.append(ctx.doc[span.start - 1])
    else:  # "Amazon Alexa Connect Kit": Amazon, not Alexa, makes the kit
        yield from _name_maker(ctx, product, span)
    for token in candidates:
        maker = ctx.entity(token)
        if maker is not None and maker.label == "Organization":
            yield from emit(ctx, maker, "makes", product, token, confidence=0.75,
                             extractor="modifiers/maker", coref=ctx.is_coreferent(token))


def _name_maker(ctx: DocContext, product: Mention, span: Span) -> Iterator[Relation]:
    """A product named after its maker: "Google Pay", "Amazon Alexa Connect Kit" — the
    leading words are the name of a company mentioned in the same article."""
    for n in range(len(span) - 1, 0, -1):
        if span[n].is_punct or span[n].lower_ in {"and", "&"}:
            continue  # "Bitcoin, Ether": a list the tagger ran together, not a product name
        maker = ctx.mention_at(span[n - 1])
        if maker is None or maker is product:
            first = [m for m in ctx.mentions if m.label == "Organization"
                     and m.text == span[:n].text]
            maker = first[0] if first else None
        if maker is not None and maker.label == "Organization" and maker.text == span[:n].text:
            if any(m.text == maker.text and m.label == "Product" for m in ctx.mentions):
                return  # "Alexa Connect Kit": a product line, not a maker
            yield from emit(ctx, maker, "makes", product, span[0], confidence=0.7,
                             extractor="modifiers/name-maker")
            return


def _x_based(ctx: DocContext) -> Iterator[Relation]:
    """ "the Knoxville, Tennessee-based company" -> basedIn Knoxville, which lies in
    Tennessee: the seat is the town; the state after it only locates the town (business
    gold names the town alone: Pilot basedIn Knoxville, Knoxville locatedIn Tennessee)."""
    doc = ctx.doc
    for token in ctx.with_lemma(["base", "based"]):
        if token.lower_ != "based" or token.i < 2 or doc[token.i - 1].text != "-":
            continue
        place_token = doc[token.i - 2]
        place = ctx.place(place_token)
        if place is None:
            continue
        places = [place]
        span_start = ctx.span(place).start if place.ner_label != "NORP" else place_token.i
        if span_start >= 2 and doc[span_start - 1].text == ",":
            first = ctx.mention_at(doc[span_start - 2])
            if first is not None and first.label == "Place":
                yield from emit(ctx, first, "locatedIn", place, token, confidence=0.8,
                                 extractor="modifiers/x-based")
                places = [first]
        head = token.head
        while head.dep_ in {"compound", "amod"} and head.head.i != head.i:
            head = head.head
        org = ctx.entity(head)
        for p in places:
            yield from emit(ctx, org, "basedIn", p, token, confidence=0.8,
                             extractor="modifiers/x-based", coref=ctx.is_coreferent(head))
    yield from _abbreviated_based(ctx)


def _abbreviated_based(ctx: DocContext) -> Iterator[Relation]:
    """ "Bellevue, Wash.-based Intellectual Ventures": after an abbreviated state the
    tokenizer keeps "Wash.-based" whole, and the parser loses the company; it is the
    name that follows."""
    doc = ctx.doc
    for token in ctx.tokens:
        lower = token.lower_
        if not lower.endswith("-based") or len(lower) <= 7 or token.i + 1 >= len(doc):
            continue
        gaz = place_named(token.text[:-6])
        if gaz is None or gaz.kind == "region":
            continue
        org = ctx.mention_at(doc[token.i + 1])
        if org is None or org.label != "Organization":
            continue
        place = ctx.synthetic_place(token, gaz)
        first = ctx.mention_at(doc[token.i - 2]) if token.i >= 2 and doc[
            token.i - 1].text == "," else None
        if first is not None and first.label == "Place":
            yield from emit(ctx, first, "locatedIn", place, token, confidence=0.8,
                             extractor="modifiers/abbreviated-based")
            place = first
        yield from emit(ctx, org, "basedIn", place, token, confidence=0.8,
                         extractor="modifiers/abbreviated-based")


# ----------------------------------------------------- noun-led operations


@register_extractor("operations", version="1")
def extract_operations(ctx: DocContext) -> Iterator[Relation]:
    """Operations named by a noun inside a company's clause.

    "…, while accelerating the pace of store launches in other key markets such as
    India" -> the clause subject operatesIn India.
    """
    nouns = words("operations_nouns")
    for noun in ctx.with_lemma(nouns):
        if noun.pos_ != "NOUN" or noun.lemma_.lower() not in nouns:
            continue
        places = _prep_objects(noun, {"in"}, depth=1)
        verb = noun
        while verb.pos_ not in {"VERB", "AUX"} and verb.head.i != verb.i:
            verb = verb.head
            if not places and verb.pos_ == "NOUN":  # "the pace of store launches in India"
                places = _prep_objects(verb, {"in"}, depth=1)
        if not places:
            continue
        if verb.pos_ not in {"VERB", "AUX"}:
            continue
        if verb.lemma_.lower() in verb_frames():
            continue  # the verb frames already read this clause
        if verb.lemma_.lower() in words("closing_verbs") | words("negative_governors"):
            continue  # "closed its stores in Italy", "halted store launches in India"
        owners = [c for c in noun.children if c.dep_ == "poss"] or clause_subjects(verb)
        for org, coref in mentions_of(ctx, owners):
            if org.label != "Organization":
                continue
            for place, _ in mentions_of(ctx, places):
                yield from emit(ctx, org, "operatesIn", place, noun, confidence=0.65,
                                 extractor="operations/operations", polarity_token=verb,
                                 coref=coref)
