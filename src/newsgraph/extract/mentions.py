"""Mention finding: the names of one article, with their type evidence and aliases.

The tagger's entities are the starting point; this stage trims them ("the", possessives,
titles), takes lists apart, adds names the tagger missed (repeats of names it tagged
elsewhere, names before a kind noun, wire datelines and credits), links short forms to the
full name written earlier, and gathers type votes from each mention's own words and
context. Each mention carries those votes, so resolution can decide an entity's type over
all its mentions in all articles.

>>> from spacy.tokens import Doc
>>> from spacy.vocab import Vocab
>>> from newsgraph.models import Article
>>> doc = Doc(Vocab(), words=["Xiaomi", "grew"], ents=["B-ORG", "O"],
...           heads=[1, 1], deps=["nsubj", "ROOT"], sent_starts=[True, False])
>>> [m.text for m in find_mentions(TokenIndex(doc, Article(id="a", text=doc.text))).mentions]
['Xiaomi']
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import cache

from spacy.tokens import Doc, Span, Token

from ..models import Mention, MentionNote
from .gazetteer import INDUSTRY_WORDS, company_by_ticker, company_named
from .lexicon import (
    city_named,
    known_products,
    lexicon,
    place_named,
    place_of_demonym,
    titles,
    words,
)
from .mention_filter import MentionFilter, Screened, is_quantity
from .spans import (
    LEGAL_SUFFIXES,
    SUBJECTS,
    TokenIndex,
    capitalised,
    descriptor_nouns,
    list_head,
    name_key,
    org_places,
)


@dataclass(kw_only=True)
class Mentions:
    """What mention finding found in one document."""

    mentions: list[Mention] = field(default_factory=list)
    token_mention: dict[int, int] = field(default_factory=dict)
    """Token index -> index of the mention the token is part of."""
    notes: list[MentionNote] = field(default_factory=list)
    """Candidates the mention filter dropped or changed, with its reasons."""


def find_mentions(index: TokenIndex) -> Mentions:
    """The entity mentions of one parsed article (see the module docstring)."""
    finder = MentionFinder(index)
    finder.run()
    return Mentions(mentions=finder.mentions, token_mention=finder.token_mention,
                    notes=finder.notes)


class MentionFinder:
    """One document's run of mention finding; :func:`find_mentions` is its front."""

    def __init__(self, index: TokenIndex) -> None:
        self.doc = index.doc
        self.article = index.article
        self.text = index.text
        self.tokens = index.tokens
        self.with_lemma = index.with_lemma
        self.is_match_report = index.is_match_report
        self.mentions: list[Mention] = []
        self.token_mention: dict[int, int] = {}
        self.notes: list[MentionNote] = []
        """Candidates the mention filter dropped or changed, with its reasons."""
        self.filter = MentionFilter(index.doc)

    def span(self, mention: Mention) -> Span:
        """The spaCy span of a mention of this document."""
        return self.doc.char_span(mention.start, mention.end, alignment_mode="expand")

    def run(self) -> None:
        """Find the mentions: the tagger's names, filtered and typed, and those it missed."""
        ner_types = lexicon()["ner_types"]
        datelines = self._datelines()
        taken = {t for span, _ in datelines for t in range(span.start, span.end)}
        for span, etype in self._wire_credits():
            if any(t in taken for t in range(span.start, span.end)):
                continue
            taken.update(range(span.start, span.end))
            self._add_mention(span, "GPE" if etype == "Place" else "ORG", [(etype, 3.0)], [])
        for span, region in datelines:
            self._add_mention(span, "GPE", [("Place", 3.0)],
                              [self._text(span.start_char, region.end_char)])
        for ent in self._candidates(taken):
            etype = ner_types[ent.label_]
            span = ent
            aliases: list[str] = []
            if ent.label_ == "PERSON":
                span, aliases = _strip_titles(span)
            elif ent.label_ == "ORG" and span.end == ent.end:
                span = _with_product_head(span)
            aliases += self._titled_forms(span)
            votes = [(etype, 1.0), *self._type_cues(span)]
            region = _region_after(span)
            if region is not None and place_named(span.text) is None:
                # "North Bend, Ohio": a place the gazetteer does not know, placed by one it does
                votes.append(("Place", 1.0 if ent.label_ == "ORG" else 2.0))
                aliases.append(self._text(span.start_char, region.end_char))
            elif region is not None and city_named(span.text) is not None:
                aliases.append(self._text(span.start_char, region.end_char))  # "Portland, Ore."
            acronym = _acronym_after(span)
            if acronym is not None and ent.label_ == "ORG":
                aliases.append(acronym)  # "the Union of Democratic Forces (SDS)"
            if _kind_noun_cues(span):  # "the Sahara desert", "Giessen's Bezirksparkasse bank"
                aliases.append(self._text(span.start_char, span.root.head.idx
                                          + len(span.root.head.text)))
            self._add_mention(span, ent.label_, votes, aliases)
        self._attach_tickers()
        self._untagged_names()
        self._names_before_kind_nouns()
        self._repeat_names()
        self._link_short_forms()
        if self.is_match_report():
            self._teams_in_lists()
        self._one_type_per_name()

    def _candidates(self, taken: set[int]) -> Iterator[Span]:
        """The tagger's names of the types the graph keeps, through the mention filter;
        what the filter drops or changes is noted (:attr:`notes`) with its reason."""
        ner_types = lexicon()["ner_types"]
        for listed in _split_lists(self.doc.ents):
            if any(t in taken for t in range(listed.start, listed.end)):
                continue
            if listed.label_ not in ner_types:
                if listed.label_ == "NORP":
                    self._add_demonym(listed)
                continue
            for ent, split in self.filter.pieces(listed):
                span, reason = _trim(ent, wrapped=self.filter.wrapped)
                screened = (self.filter.screen(span) if span is not None
                            else Screened(None, (reason,) if reason else ()))
                reasons = tuple(r for r in ((split, reason) if span is not None else (split,))
                                if r) + screened.reasons
                if reasons:
                    self._note(listed if split else ent, screened.span, reasons)
                if screened.span is not None:
                    end = screened.span.end
                    if ent.label_ == "PRODUCT" or screened.span.text.lower() in known_products():
                        # "iPhone" "XS Max", "Galaxy Book" "12": the tagger cuts a product
                        # from its model
                        while end < len(self.doc) and _model_word(self.doc[end]) and (
                                self.doc[end].text[:1].isupper() or self.doc[end].like_num
                                or self.doc[end].text[:1].isdigit()) and not (
                                end + 1 < len(self.doc)
                                and is_quantity(self.doc[end + 1])):
                            taken.add(end)
                            end += 1
                    yield Span(self.doc, screened.span.start, end, label=ent.label_)

    def _note(self, ent: Span, kept: Span | None, reasons: tuple[str, ...]) -> None:
        self.notes.append(MentionNote(
            article_id=self.article.id, text=ent.text, start=ent.start_char, end=ent.end_char,
            reasons=tuple(dict.fromkeys(reasons)), kept=kept.text if kept is not None else None))

    def _attach_tickers(self) -> None:
        """Tickers become their company's: "Apple (AAPL)", "JD.com (NASDAQ: JD)" and
        "Nova Corp <NOVX>" give the company the ticker (and the alias); later "AAPL"s
        of the article, and cashtags ("$AAPL"), are mentions of that company. A name the
        tagger missed before a ticker is a company's ("Sangamo Therapeutics (SGMO)").
        A cashtag of a company the article does not name is the listed company's."""
        doc = self.doc
        clusters: dict[str, int] = {}
        for end, ticker in sorted(self.filter.owners.items()):
            index = self.token_mention.get(end)
            if index is None:
                start = end
                while start > 0 and end - start < 5 and doc[start - 1].pos_ == "PROPN" and (
                        capitalised(doc[start - 1]) and start - 1 not in self.token_mention
                        and not doc[start].is_sent_start):
                    start -= 1
                if not (capitalised(doc[end]) and doc[end].pos_ in {"PROPN", "NOUN"}):
                    continue
                self._add_mention(doc[start:end + 1], "ORG", [("Organization", 2.0)], [])
                index = self.token_mention[end]
            mention = self.mentions[index]
            if ticker not in mention.tickers:
                votes = (*mention.votes, ("Organization", 2.0))
                self.mentions[index] = replace(
                    mention, tickers=(*mention.tickers, ticker), votes=votes,
                    aliases=tuple(dict.fromkeys((*mention.aliases, ticker))),
                    label=_best(list(votes)))
            clusters.setdefault(ticker, self.mentions[index].cluster)
        for i, ticker in sorted(self.filter.tickers.items()):
            if i in self.token_mention or i in self.filter.owned:
                continue  # the ticker right after its company, given to it above
            if ticker not in clusters and company_by_ticker(ticker) is None:
                continue  # "$XYZ", "NYSE:XYZ" of a company neither named nor listed
            span = doc[i:i + 1]
            self._add_mention(span, "ORG", [("Organization", 2.0)], [])
            new = self.token_mention[i]
            cluster = clusters.get(ticker, new)
            self.mentions[new] = replace(self.mentions[new], cluster=cluster,
                                         tickers=(ticker,))
            clusters.setdefault(ticker, cluster)
        # the same ticker written alone later in the article: "AAPL shares rose"
        for i, token in enumerate(self.tokens):
            cluster = clusters.get(token.text)
            if cluster is None or i in self.filter.tickers or i in self.filter.exchanges:
                continue
            index = self.token_mention.get(i)
            if index is None:
                self._add_mention(doc[i:i + 1], "ORG", [("Organization", 2.0)], [])
                index = self.token_mention[i]
            elif self.mentions[index].text != token.text:
                continue
            self.mentions[index] = replace(self.mentions[index], cluster=cluster,
                                           tickers=(token.text,))

    def _untagged_names(self) -> None:
        """Names the tagger passed over that are names by their own spelling or by what
        the lists know: a word with a capital inside ("GeekWire", "DirecTV", "PayPal"),
        a known product ("Prime Video"), a listed company's full name of two words or
        more. Inside a sentence only, and through the mention filter."""
        doc = self.doc
        known = known_products()
        i = 0
        while i < len(doc):
            token = doc[i]
            if not self._loose_name_word(token) or token.is_sent_start:
                i += 1
                continue
            j = i
            while j < len(doc) and j - i < 4 and self._loose_name_word(doc[j]):
                j += 1
            span, i = doc[i:j], j
            camel = any(_CAMEL.match(t.text) for t in span)
            product = span.text.lower() in known
            company = len(span) > 1 and company_named(span.text) is not None
            if not (camel or product or company):
                continue
            if self.filter.screen(span).span != span:
                continue
            if product:
                self._add_mention(span, "PRODUCT", [("Product", 3.0)], [])
            else:
                cues = [("Organization", 1.0), *self._type_cues(span)]
                self._add_mention(span, "ORG", cues, [])

    def _loose_name_word(self, token: Token) -> bool:
        return (token.pos_ in {"PROPN", "NOUN"} and capitalised(token) and not token.ent_type_
                and token.i not in self.token_mention and token.i not in self.filter.tickers
                and token.lower_ not in words("honorifics") and token.lower_ not in titles()
                and token.is_alpha and not (token.i > 0 and self.doc[token.i - 1].text == "<"))

    def _product_name_cues(self, span: Span) -> list[tuple[str, float]]:
        """Evidence in a name that it is a product's: a well-known product ("iPhone",
        "Alexa", "Windows"), one with its model ("iPhone XS", "Galaxy Note 20"),
        Apple's lower-case "i" ("iPad", "iMac"), a model number or code ("Surface Pro 4",
        "CTX-001"), or a company of the article with a product word after it ("Apple
        Music", "Sonos Beam", "YouTube TV") — not a division's ("Amazon Web Services",
        "Toyota Research Institute", "Samsung Electronics")."""
        tokens = [t for t in span if not t.is_punct or t.text in {"+", "-"}]
        if not tokens:
            return []
        known = known_products()
        for n in range(len(tokens), 0, -1):
            head = " ".join(t.text for t in tokens[:n]).lower()
            if head in known and all(_model_word(t) for t in tokens[n:]):
                return [("Product", 3.0)]
        if re.match(r"^i[A-Z][a-z]", tokens[0].text):
            return [("Product", 1.5)]
        last = tokens[-1].lower_
        if last in words("org_name_heads") or last in words("org_suffixes") or (
                last in INDUSTRY_WORDS or last in words("division_nouns")):
            return []
        if any(_CODE.match(t.text) for t in tokens):
            return [("Product", 1.5)]  # a drug's code, never a person's name
        if span.root.ent_type_ not in {"ORG", "PRODUCT", ""}:
            return []  # "Highway 61", "Hall 9": places and the like are numbered too
        if len(tokens) > 1 and any(any(ch.isdigit() for ch in t.text)
                                   and not _ORDINAL.match(t.text) for t in tokens[1:]):
            return [("Product", 1.5)]
        # a plural at the end names a business ("Boeing Commercial Airplanes", "Sony Pictures")
        if len(tokens) > 1 and tokens[1].text[:1].isupper() and tokens[-1].tag_ != "NNPS" and (
                tokens[-1].lemma_.lower() == tokens[-1].lower_ or not last.endswith("s")):
            for n in (2, 1):
                maker = " ".join(t.text for t in tokens[:n])
                if n < len(tokens) and self._names_company(maker, span):
                    return [("Product", 1.5)]
        return []

    def _names_company(self, name: str, span: Span) -> bool:
        """Whether the article names a company ``name`` apart from ``span``, or the name is
        a known product's maker. (Not the company list: "United", "General", "Southern"
        and "Jackson" are short names of listed companies too.)"""
        if name.lower() in {m.lower() for m in known_products().values()}:
            return True
        return any(m.text == name and m.label == "Organization" and m.start != span.start_char
                   for m in self.mentions)

    def _text(self, start: int, end: int) -> str:
        return " ".join(self.text[start:end].split())

    def _add_mention(
        self, span: Span, ner_label: str, votes: list[tuple[str, float]], aliases: list[str]
    ) -> None:
        index = self._new_mention(span.text, span.start_char, span.end_char, label=_best(votes),
                                  ner_label=ner_label, votes=votes, aliases=aliases)
        for token in span:
            self.token_mention[token.i] = index

    def _new_mention(
        self,
        text: str,
        start: int,
        end: int,
        *,
        label: str,
        ner_label: str,
        votes: Iterable[tuple[str, float]],
        aliases: Iterable[str] = (),
    ) -> int:
        """Append a mention that starts its own coreference cluster; returns its index.
        Its text has its whitespace collapsed: wire copy wraps names across lines."""
        text = " ".join(text.split())
        last = text.rsplit(" ", 1)[-1]
        if text.endswith(".") and len(last) > 8 and not last[:-1].isupper() and (
                last.lower() not in LEGAL_SUFFIXES and place_named(last) is None):
            text, end = text[:-1], end - 1  # "Department." with the sentence's full stop
        index = len(self.mentions)
        self.mentions.append(
            Mention(
                article_id=self.article.id,
                text=text,
                start=start,
                end=end,
                label=label,
                ner_label=ner_label,
                votes=tuple(votes),
                cluster=index,
                aliases=tuple(dict.fromkeys(a for a in aliases if a != text)),
            )
        )
        return index

    def _add_demonym(self, ent: Span) -> None:
        """ "Soviet historian", "the Japanese": the country a nationality word stands for,
        with the word as an alias. Not linked to its tokens: the rules reach these places
        through :meth:`place`, which knows when a demonym is a modifier."""
        span, _ = _trim(ent)
        place = place_of_demonym(span.text) if span is not None else None
        if span is None or place is None:
            return
        label = "Organization" if place.name in org_places() else "Place"
        self._new_mention(place.name, span.start_char, span.end_char, label=label,
                          ner_label="NORP", votes=((label, 1.0),), aliases=(span.text,))

    def _wire_credits(self) -> list[tuple[Span, str]]:
        """The city and the source of a wire item's credit line, which the tagger reads
        as one name or misses: "Sofia, February 15 (BTA) --", "Moscow April 25 TASS --",
        "PA2904034294 Guatemala City Teleonce Television in Spanish 0400 GMT 26 Apr 94"
        (the monitoring services' form, whose city is told from the source by the city
        gazetteer). One search of the text, not of every token."""
        out: list[tuple[Span, str]] = []
        text = self.text
        for match in _DATELINE_CREDIT.finditer(text):
            city = self.doc.char_span(*match.span("city"), alignment_mode="expand")
            if city is not None and not city.text.isdigit():
                out.append((city, "Place"))
            for group in ("agency", "agency2"):
                if match.group(group):
                    agency = self.doc.char_span(*match.span(group), alignment_mode="expand")
                    if agency is not None:
                        out.append((agency, "Organization"))
        for match in _MONITOR_CREDIT.finditer(text):
            words_ = match.group("names").split(" ")
            for n in (3, 2, 1):
                if n < len(words_) and city_named(" ".join(words_[:n])) is not None:
                    break
            else:
                continue
            start = match.start("names")
            city_end = start + len(" ".join(words_[:n]))
            city = self.doc.char_span(start, city_end, alignment_mode="expand")
            source = self.doc.char_span(city_end + 1, match.end("names"), alignment_mode="expand")
            if city is None or source is None or (
                    not match.group("language") and not source.text.isupper()):
                continue  # a line of names alone is a credit only with the source in capitals
            else:
                out.extend(((city, "Place"), (source, "Organization")))
        return out

    def _datelines(self) -> list[tuple[Span, Span]]:
        """Capitalised place names opening a sentence before a known region, which the
        model misses or mis-tags in upper case: "BRISBANE, Australia (AP)", "EAST
        LANSING, Mich.", "MEXICO CITY (AP)" is left to the model."""
        out: list[tuple[Span, Span]] = []
        for sent in self.doc.sents:
            start = sent.start
            while start < sent.end and self.doc[start].is_space:
                start += 1
            end = start
            while end < sent.end and end - start < 4 and capitalised(self.doc[end]):
                end += 1
            if end == start or end >= sent.end or self.doc[end].text != ",":
                continue
            span = self.doc[start:end]
            if not span.text.isupper() or place_named(span.text) is not None:
                continue
            region = _region_after(span)
            if region is not None:
                out.append((span, region))
        return out

    def _names_before_kind_nouns(self) -> None:
        """Capitalised names the tagger missed, right before a noun saying what they are:
        "his Fidesz party", "the Filt Cgil union", "the Najd plateau". The name becomes a
        mention of the noun's type, with the name and its noun as an alias. Names that are
        places or nationalities are left alone ("the Phnom Penh government", "the German
        bank"): there the noun is another thing than the name."""
        kinds = lexicon()["kind_nouns"]
        by_lemma = {w: etype for etype in ("Organization", "Place") for w in kinds[etype]}
        ner_labels = {"Organization": "ORG", "Place": "LOC"}
        for noun in self.with_lemma(by_lemma):
            if noun.pos_ != "NOUN" or noun.tag_ != "NN" or not noun.text.islower() or (
                    noun.i in self.token_mention):
                continue
            end = noun.i
            # "the SNCF state railway", "the Ifo economic think tank": lower-case modifiers
            while end > 0 and end > noun.i - 3 and self.doc[end - 1].text.islower() and (
                    self.doc[end - 1].dep_ in {"compound", "amod"}
                    and self.doc[end - 1].head.i > end - 1):
                end -= 1
            start = end
            while start > 0 and end - start < 4 and _name_word(self.doc[start - 1]) and (
                    start - 1 not in self.token_mention
                    and self.doc[start - 1].head.i in range(start, noun.i + 1)):
                start -= 1
            if start == end:
                continue
            span = self.doc[start:end]
            # a line's first word is capitalised anyway; "anti-Islam", "Ibn Rushd-Goethe"
            # go on before a hyphen
            before = self.doc[start - 1] if start > 0 else None
            if span[0].is_sent_start or before is None or before.text in {"-", "–"} or (
                    before.is_space and "\n" in before.text) or _known_place_or_people(
                    span.text):
                continue
            if self.filter.screen(span).span != span:
                continue  # "the Sterling group": a word the filter rules out as a name
            etype = by_lemma[noun.lemma_.lower()]
            alias = self._text(span.start_char, noun.idx + len(noun.text))
            self._add_mention(span, ner_labels[etype], [(etype, 1.5)], [alias])

    def _repeat_names(self) -> None:
        """Mentions of names the model tagged elsewhere in the article but missed here.

        The statistical tagger decides each occurrence on its own context, so a name it
        tags in one sentence is often missed in another ("a Pilot Flying J rival") or in
        the headline. An exact, case-sensitive repeat of a tagged name becomes a mention
        of the same cluster, unless it sits inside a longer capitalised name ("America"
        in "Bank of America") or is a capitalised common word opening a sentence.
        """
        doc = self.doc
        ner_types = lexicon()["ner_types"]
        names: dict[str, list[tuple[tuple[str, ...], int]]] = {}
        for index, mention in enumerate(list(self.mentions)):
            if mention.ner_label not in _REPEATABLE:
                continue
            span = doc.char_span(mention.start, mention.end)
            if span is None or (len(span) == 1 and span[0].lower_ in _COMMON_WORDS()):
                continue
            full = tuple(t.text for t in span)
            forms = [full]
            if mention.ner_label == "ORG":
                # "Global Good" for "the Global Good Fund": a leading part of two or more
                # name words (headlines shorten names)
                forms += [full[:n] for n in range(2, len(full))
                          if all(t.pos_ == "PROPN" and capitalised(t) for t in span[:n])]
            for texts in forms:
                entries = names.setdefault(texts[0], [])
                if all(t != texts for t, _ in entries):
                    entries.append((texts, index))
        for entries in names.values():
            entries.sort(key=lambda entry: -len(entry[0]))
        i = 0
        blocked = self.filter.tickers.keys() | self.filter.exchanges
        while i < len(doc):
            candidates = (names.get(self.tokens[i].text)
                          if i not in self.token_mention and i not in blocked else None)
            match = next((entry for entry in candidates or ()
                          if _repeat_at(doc, i, entry[0], self.token_mention)), None)
            if match is None:
                i += 1
                continue
            texts, index = match
            original = self.mentions[index]
            span = doc[i:i + len(texts)]
            votes = [(ner_types[original.ner_label], 1.0), *self._type_cues(span)]
            new = self._new_mention(span.text, span.start_char, span.end_char,
                                    label=original.label, ner_label=original.ner_label,
                                    votes=votes)
            self.mentions[new] = replace(self.mentions[new], cluster=original.cluster)
            for token in span:
                self.token_mention[token.i] = new
            i += len(texts)

    def _teams_in_lists(self) -> None:
        """In a match report, a name listed with teams is a team: "drawn with Valencia,
        Lille and BATE Borisov", "Real Madrid, Manchester City and Ajax" (the tagger
        calls the unknown ones places or people)."""
        orgs = {i for i, m in enumerate(self.mentions) if m.label == "Organization"}
        for i, mention in enumerate(self.mentions):
            if mention.label == "Organization" or mention.ner_label not in {
                    "GPE", "LOC", "PERSON"}:
                continue
            span = self.span(mention)
            node = span.root
            while node.dep_ == "conj" and node.head.i != node.i:
                node = node.head
            members = {node.i, *(t.i for t in node.conjuncts)} - set(range(span.start, span.end))
            if any(self.token_mention.get(t) in orgs for t in members):
                self.mentions[i] = replace(mention, votes=(*mention.votes, (
                    "Organization", _TEAM_VOTE)), label=_best([*mention.votes, (
                        "Organization", _TEAM_VOTE)]))

    def _titled_forms(self, span: Span) -> list[str]:
        """The name with the titles written before it: "President Lincoln", "Sen. Bob
        Dole", "U.S. Sen. Bob Dole" — how some texts (and gold standards) name people."""
        doc = self.doc
        start = span.start
        while start > 0 and _is_name_title(doc[start - 1]):
            start -= 1
        if start == span.start:
            return []
        out = [self._text(doc[start].idx, span.end_char)]
        if start > 0 and (place_named(doc[start - 1].text) is not None
                          or place_of_demonym(doc[start - 1].text) is not None):
            out.append(self._text(doc[start - 1].idx, span.end_char))
        return out

    def _one_type_per_name(self) -> None:
        """One type for every mention of a name (or a cluster) in the article, decided
        by all their votes: the tagger calls "Alexa" PRODUCT in one sentence and ORG in
        the next, and the rules should read the same thing in both."""
        from collections import defaultdict

        groups: dict[object, list[int]] = defaultdict(list)
        for i, mention in enumerate(self.mentions):
            if mention.ner_label == "NORP":
                continue
            root = self.mentions[mention.cluster] if mention.cluster >= 0 else mention
            groups[name_key(root.text)].append(i)
        for members in groups.values():
            if len(members) < 2:
                continue
            votes = [v for i in members for v in self.mentions[i].votes]
            # a legal form ("Aphria Inc.") settles it, however often the tagger said PERSON
            label = "Organization" if ("Organization", _LEGAL_FORM_VOTE) in votes else _best(
                votes)
            for i in members:
                if self.mentions[i].label != label:
                    self.mentions[i] = replace(self.mentions[i], label=label)

    def _link_short_forms(self) -> None:
        """Point short forms at the full name used earlier in the same article.

        "Wang" after "Wang Xiang", "Berkshire" after "Berkshire Hathaway", "NPC" after
        "National People's Congress": the short form joins the full name's cluster and
        takes its type (the small model tags a bare "Wang" as ORG).
        """

        for i, mention in enumerate(self.mentions):
            full = _full_form(mention, self.mentions[:i])
            if full is None and self.filter.in_headline(mention.start, mention.end):
                # a headline names by short forms what the story then names in full:
                # "Rio Lifts Iron Ore Spending" … "Rio Tinto Group said"
                later = [m for j, m in enumerate(self.mentions) if j > i and m.cluster == j
                         and not self.filter.in_headline(m.start, m.end)]
                full = _full_form(mention, list(reversed(later)))
                if full is not None:
                    self.mentions[i] = replace(mention, cluster=full.cluster,
                                               votes=(*mention.votes, (full.label, 2.0)),
                                               label=full.label)
                continue
            if full is None or _named_alone_before(mention, full, self.mentions[:i]):
                continue
            if mention.label == "Place" and self._locative(mention):
                continue  # "in Bhopal" is the city, not "Bhopal Memorial Hospital"
            votes = (*mention.votes, (full.label, 2.0))
            self.mentions[i] = replace(
                mention, cluster=full.cluster, votes=votes, label=_best(list(votes))
            )

    def _locative(self, mention: Mention) -> bool:
        """Whether a mention is the object of a place preposition ("in Bhopal")."""
        span = self.doc.char_span(mention.start, mention.end)
        return span is not None and span.root.dep_ == "pobj" and span.root.head.lower_ in {
            "in", "at", "near", "outside", "from", "to", "across", "around", "throughout"}

    def _type_cues(self, span: Span) -> list[tuple[str, float]]:
        """Type evidence from the mention's own words and its syntactic context."""
        cues: list[tuple[str, float]] = []
        root = span.root
        gazetteer = place_named(span.text)
        if gazetteer is not None:
            # the European Union is in the gazetteer (for "EU regulators") but is a body
            cues.append(("Organization" if gazetteer.name in org_places() else "Place", 1.5))
        prev = self.doc[span.start - 1] if span.start > 0 else None
        if prev is not None and (prev.lower_ in words("honorifics") or _is_name_title(prev)):
            cues.append(("Person", 2.0))
        # a listed company's name; one word only in business news, and not a town's
        # or a surname's alone ("Lincoln", "Oxford", "Ford" the president)
        if gazetteer is None and company_named(span.text) is not None and (
                len(span) > 1 or (self.filter.company_news and root.ent_type_ != "PERSON"
                                  and city_named(span.text) is None)):
            cues.append(("Organization", 1.5))
        cues.extend(_name_cues(span))
        if root.ent_type_ in {"GPE", "LOC"} and gazetteer is None and any(
                c.dep_ == "poss" and c.i < span.start and _is_country(c.text)
                for c in root.children):
            cues.append(("Organization", 1.5))  # "France's Essilor": a country's unknown name
        if span.start >= 2 and self.doc[span.start - 1].lower_ == "based" and (
                self.doc[span.start - 2].text == "-"):
            cues.append(("Organization", 2.0))  # "Ontario-based Aphria": places base companies
        after = self.doc[span.end] if span.end < len(self.doc) else None
        if after is not None and after.text == "," and span.end + 1 < len(self.doc):
            after = self.doc[span.end + 1]
        if after is not None and after.lower_ in LEGAL_SUFFIXES and not (
                after.i + 1 < len(self.doc) and self.doc[after.i + 1].text in {"-", "–"}):
            # "Aircastle Ltd" with the model's span ending before "Ltd": only a company
            # carries a legal form, however often the bare name looks like a surname
            cues.append(("Organization", _LEGAL_FORM_VOTE))
        descriptors = list(descriptor_nouns(span))
        head = root
        while head.dep_ == "conj" and head.head.i != head.i:
            head = head.head
        if head.i != root.i and not descriptors and not (
                root.ent_type_ == "PERSON" and len(span) > 1):
            # "the airlines are Aloha, America West and Piedmont": what the list's first
            # name is said to be, every name of the list is (not a person's full name
            # among "investors Blossom Capital … and Thomas Dübendorfer")
            descriptors = list(descriptor_nouns(self.doc[head.i:head.i + 1]))
        for noun in descriptors:
            lemma = noun.lemma_.lower()
            if lemma in _JOB_NOUNS and any(c.dep_ == "prep" and c.lower_ == "at"
                                           for c in noun.children):
                cues.append(("Person", 1.5))  # "Arpan Sheth, a partner at Bain": a job
                continue
            if lemma in words("org_descriptors"):
                cues.append(("Organization", 1.5))
            elif lemma in words("place_descriptors") and lemma not in {"market", "economy"}:
                cues.append(("Place", 1.0))
            elif lemma in titles() or noun.lower_ in titles() or lemma in words("name_titles"):
                cues.append(("Person", 1.5))
            elif lemma in words("product_descriptors"):
                cues.append(("Product", 1.5))
        cues.extend(_product_cues(span))
        cues.extend(self._product_name_cues(span))
        cues.extend(_kind_noun_cues(span))
        cues.extend(_price_cues(span))
        cues.extend(_locative_cues(span))
        if self.is_match_report():
            cues.extend(_team_cues(span))
        if root.dep_ == "dobj" and root.head.lemma_.lower() in _PRODUCT_VERBS:
            cues.append(("Product", 1.5))  # "Motic is using it to create EasyScan GO"
        # "the small resort town of Lowman", "the province of Quebec"
        if root.dep_ == "pobj" and root.head.lower_ == "of" and (
            root.head.head.lemma_.lower() in words("place_descriptors") - {"market", "economy"}
        ):
            cues.append(("Place", 1.5))
        # "chipmakers like Qualcomm", "rivals such as Apple"
        if root.dep_ in {"pobj", "conj"}:
            head = list_head(root)
            if head is not None and head.lemma_.lower() in words("org_descriptors"):
                cues.append(("Organization", 1.0))
        # "Xiaomi's CEO", "Apple's iPhone": possessors of roles are organizations
        if root.dep_ == "poss" and (
            root.head.lemma_.lower() in titles() or root.head.lower_ in titles()
        ):
            cues.append(("Organization", 1.0))
        cues.extend(_victim_cues(span))
        return cues




@cache
def _title_words() -> frozenset[str]:
    """Single words that may stand, capitalised, before a person's name as a title."""
    out = set(words("honorifics")) | set(words("name_titles"))
    for phrase in titles():
        out.update(phrase.split())
    return frozenset(out)


def _is_name_title(token: Token) -> bool:
    """A capitalised title word before a name: "President", "Sen.", "Actress"."""
    return capitalised(token) and token.ent_type_ in {"", "PERSON"} and (
        token.lower_ in _title_words() or token.lower_.rstrip(".") in _title_words()
    )


def _strip_titles(span: Span) -> tuple[Span, list[str]]:
    """ "Composer Thomas" -> "Thomas" (and the full form as an alias): titles the model
    took into a PERSON span would keep the name from merging with its other mentions."""
    start = span.start
    while start < span.end - 1 and _is_name_title(span.doc[start]):
        start += 1
    if start == span.start:
        return span, []
    return span.doc[start:span.end], [span.text]


def _region_after(span: Span) -> Span | None:
    """The known region after a comma: "North Bend, Ohio", "Amherst, Mass.",
    "Brisbane, Australia" — not a list ("Huawei, China and the US") or a possessive."""
    doc = span.doc
    i = span.end
    if i + 1 >= len(doc) or doc[i].text != ",":
        return None
    for n in (3, 2, 1):
        j = i + 1 + n
        if j > len(doc) or not capitalised(doc[i + 1]):
            continue
        cand = doc[i + 1:j]
        place = place_named(cand.text)
        if place is None and not cand.text.endswith("."):
            place = place_named(cand.text + ".")
        if place is None and j < len(doc) and doc[j].text == ".":  # "Mass" "." split
            place = place_named(cand.text + ".")
            if place is not None:
                cand = doc[i + 1:j + 1]
                j += 1
        if place is None or place.kind == "region":
            continue
        nxt = doc[j] if j < len(doc) else None
        if nxt is not None and (nxt.tag_ == "POS" or nxt.lower_ in {"and", "or", "&"}):
            return None
        if nxt is not None and nxt.pos_ == "PROPN" and capitalised(nxt):
            return None  # "Aloha, America West, ...": the name goes on, a list
        if nxt is not None and nxt.text == "," and j + 1 < len(doc) and (
            doc[j + 1].lower_ in {"and", "or"}
        ):
            return None
        return cand
    return None


def _product_cues(span: Span) -> list[tuple[str, float]]:
    """Evidence that a name is something a company makes: "its Libra cryptocurrency",
    "Google's Android operating system", "an app named Facebook Pay".

    A possessive alone is no evidence: it fits subsidiaries ("Berkshire's Geico"),
    people ("Fox Business's Maria Bartiromo") and headline fragments alike.
    """
    root = span.root
    cues: list[tuple[str, float]] = []
    head = root.head
    if root.dep_ == "compound" and head.pos_ == "NOUN" and head.i >= span.end:
        owners = [c for c in head.children if c.dep_ == "poss"]
        if owners and head.lemma_.lower() in words("product_descriptors"):
            return [("Product", 2.0)]
    # "a project named Cache", "a company called Taiyo Yuden"
    verb = root.head if root.dep_ in {"oprd", "attr", "dobj", "xcomp"} else None
    if verb is not None and verb.lemma_.lower() in {"name", "call", "dub", "brand"} and (
        verb.dep_ == "acl" and verb.head.pos_ == "NOUN"
    ):
        noun = verb.head.lemma_.lower()
        if noun in words("product_descriptors"):
            cues.append(("Product", 1.5))
        elif noun in words("org_descriptors"):
            cues.append(("Organization", 1.5))
    return cues


def _split_lists(ents: Iterable[Span]) -> Iterator[Span]:
    """The tagger's names, with a list it read as one name taken apart: "retail brands
    including Brilleland and For Eyes" names two brands. Only a name that is itself
    what a list preposition introduces is split, so "Procter and Gamble" stays one."""
    for ent in ents:
        first = ent[0]
        cut = next((t for t in ent[1:-1] if t.lower_ in {"and", "or"}), None)
        prep = first.head
        listed = prep.lower_ in {"like", "including", "include"} or (
            prep.lower_ == "as" and prep.i > 0 and ent.doc[prep.i - 1].lower_ == "such")
        if ent.label_ != "ORG" or cut is None or first.dep_ != "pobj" or not listed or (
                not capitalised(ent.doc[cut.i + 1])):
            yield ent
            continue
        yield Span(ent.doc, ent.start, cut.i, label=ent.label_)
        yield Span(ent.doc, cut.i + 1, ent.end, label=ent.label_)


def _acronym_after(span: Span) -> str | None:
    """The short form written in brackets right after a name: "the National Central
    Organization of Panamanian Workers (CNTP)" — a word in capitals, of 2 to 6 letters,
    that the tagger did not take for another name."""
    doc = span.doc
    i = span.end
    if i + 2 >= len(doc) or doc[i].text != "(" or doc[i + 2].text != ")":
        return None
    word = doc[i + 1]
    if not (word.text.isupper() and word.text.isalpha() and 2 <= len(word.text) <= 6) or (
            word.ent_type_ not in {"", "ORG"}):
        return None
    return word.text


_LOCATIVE_PREPS = frozenset({"in", "near", "outside", "into", "throughout"})
_CITY_PREPS = _LOCATIVE_PREPS | {"at", "from", "across", "around", "of"}


def _locative_cues(span: Span) -> list[tuple[str, float]]:
    """A place preposition before a name the tagger calls a person or (for a town the
    gazetteer knows) an organization: "houses in Eppelsheim", "a brigade from Salamanca",
    "a camp at Oxford". People are rarely "in" anything; companies are ("invest in
    Apple"), so an unknown name the tagger calls ORG is left alone."""
    root = span.root
    if root.dep_ != "pobj" or root.ent_type_ not in {"PERSON", "ORG"} or (
            place_named(span.text) is not None):
        return []
    after = span.doc[span.end] if span.end < len(span.doc) else None
    if after is not None and after.pos_ in {"VERB", "AUX"} and not any(
            c.dep_ in SUBJECTS for c in after.children):
        return []  # "at a briefing in Rockville, Md., Bernero said": a subject misread
    if any(c.pos_ == "PROPN" and c.ent_type_ not in {"GPE", "LOC", "FAC"}
           and c.i not in range(span.start, span.end) for c in root.conjuncts) or (
            after is not None and after.lower_ in {"and", "or"} and span.end + 1 < len(span.doc)
            and capitalised(span.doc[span.end + 1])
            and span.doc[span.end + 1].ent_type_ not in {"GPE", "LOC", "FAC"}):
        return []  # "in Lukas Podolski and Per Mertesacker": people listed
    prep = root.head.lower_
    if city_named(span.text) is not None:
        return [("Place", 1.5)] if prep in _CITY_PREPS else []
    if root.ent_type_ == "PERSON" and prep in _LOCATIVE_PREPS:
        return [("Place", 1.5)]
    return []


def _kind_noun_cues(span: Span) -> list[tuple[str, float]]:
    """A noun right after a name that says what kind of thing it is, as for untagged
    names (:meth:`DocContext._names_before_kind_nouns`): "the Handelsblatt newspaper",
    "the Matterhorn peak". Places and nationalities are left alone ("the Munich court",
    "the German bank"): there the noun is another thing than the name."""
    root = span.root
    head = root.head
    if root.dep_ not in {"compound", "nmod"} or head.i < span.end or head.i > span.end + 2 or (
            head.pos_ != "NOUN" or not head.text.islower() or _known_place_or_people(span.text)):
        return []
    # "the Handelsblatt financial newspaper", 'the "Reichsbürger" movement'
    if any(not (t.is_quote or (t.text.islower() and t.dep_ in {"amod", "compound"}))
           for t in span.doc[span.end:head.i]):
        return []
    kinds = lexicon()["kind_nouns"]
    if head.lemma_.lower() in kinds["Organization"]:
        return [("Organization", 1.5)]
    # "the Matterhorn peak"; not "the CIA station chief", "the Clara Barton camp"
    if head.lemma_.lower() in kinds["Place"] and root.ent_type_ != "ORG" and (
            root.ent_type_ != "PERSON" or len(span) == 1):
        return [("Place", 1.5)]
    # "Samsung's S-Pen stylus", "their Terran rocket": what a product is, said right
    # after its name — in the singular ("Huawei phones", "Alfa Romeo cars" name makers)
    if head.lemma_.lower() in words("product_kind_nouns.words") and head.tag_ == "NN" and not (
            company_named(span.text)):
        return [("Product", 1.5)]
    return []


def _price_cues(span: Span) -> list[tuple[str, float]]:
    """A price in brackets right after a name is a product's: "the Playbar ($700)"."""
    doc = span.doc
    end = span.end
    if end + 2 < len(doc) and doc[end].text == "(" and doc[end + 1].text in {"$", "€", "£"}:
        return [("Product", 1.5)]
    return []


def _with_product_head(span: Span) -> Span:
    """A company's name with the capitalised product word the tagger left after it:
    "Google Pay", "Google Assistant" — the product, named by its maker (the name's last
    word then types it, see :func:`_name_cues`)."""
    doc = span.doc
    for n in (1, 2):
        end = span.end + n
        if end > len(doc) or not all(
                capitalised(t) and t.ent_type_ == "" and t.pos_ in {"PROPN", "NOUN"}
                for t in doc[span.end:end]):
            return span
        if doc[end - 1].lower_ in words("product_name_heads"):
            return doc[span.start:end]
    return span


_KILLING_VERBS = frozenset({"kill", "murder", "assassinate", "shoot", "slay"})


def _victim_cues(span: Span) -> list[tuple[str, float]]:
    """Only people kill and are killed: "Booth shot Lincoln", "the assassination of Lincoln",
    "Kennedy's murder", "Lincoln's killer" (the tagger often calls such names ORG)."""
    root = span.root
    head = root.head
    if root.dep_ in {"dobj", "nsubjpass", "nsubj"} and head.lemma_.lower() in _KILLING_VERBS:
        return [("Person", 1.5)]  # and only people kill: "Sirhan shot Kennedy"
    nouns = words("killer_nouns") | words("killing_nouns")
    if root.dep_ in {"poss", "compound"} and head.lemma_.lower() in nouns and head.i >= span.end:
        return [("Person", 1.5)]
    if root.dep_ == "pobj" and head.lower_ == "of" and head.head.lemma_.lower() in nouns:
        return [("Person", 1.5)]
    return []


def _name_cues(span: Span) -> list[tuple[str, float]]:
    """Type evidence in the name itself: its last word ("Ocala National Forest",
    "Democratic Party", "Google Pay") or a word of sports clubs' names ("Borussia
    Dortmund")."""
    if len(span) == 1 and span[0].lower_ in words("org_name_words") and capitalised(span[0]):
        return [("Organization", 1.5)]  # "Hertha", "Werder": a club's word alone
    if len(span) == 1 and _acronym(span[0]) and span.root.ent_type_ == "PERSON":
        return [("Organization", 2.0)]  # "the SPD", "RTBF": people are not named in capitals
    if len(span) < 2:
        return []
    if span[0].lower_ in words("org_name_articles") and capitalised(span[0]) and (
            capitalised(span[1])):
        return [("Organization", 1.5)]  # "Der Spiegel", "Die Zeit": a German article
    last = span[-1].lower_
    if last in LEGAL_SUFFIXES:  # "Taiyo Yuden Co.", however often "Taiyo Yuden" looks personal
        return [("Organization", _LEGAL_FORM_VOTE)]
    if last in words("place_name_heads"):
        return [("Place", 1.5)]
    if last in words("org_name_heads") or last in words("org_suffixes"):
        return [("Organization", 1.5)]
    if last in words("product_name_heads"):  # "Windows Phone", "Google Pay", "Smart Display"
        return [("Product", 1.5)]
    if any(t.lower_ in words("org_name_words") for t in span):
        return [("Organization", 1.5)]
    return []


def _acronym(token: Token) -> bool:
    """A word of 2 to 5 capitals in running text (not a headline in capitals)."""
    doc = token.doc
    if not (token.text.isupper() and token.text.isalpha() and 2 <= len(token.text) <= 5):
        return False
    near = [t for t in doc[max(0, token.i - 3):token.i + 4] if t.i != token.i and t.is_alpha]
    return bool(near) and not all(t.text.isupper() for t in near) and (
        place_named(token.text) is None)


def _team_cue(span: Span, *, verbs: bool = True) -> bool:
    """Whether a name is used as a team's in a match report: the subject or object of a
    match verb ("Dortmund scored", "beat Bochum"), the object of "against" or "over",
    or the modifier of a team's noun ("the Nuremberg squad", "Stuttgart's defence")."""
    node = span.root
    while node.dep_ == "conj" and node.head.i != node.i:  # "against Lille and Ajax"
        node = node.head
    head = node.head
    if node.dep_ in {"compound", "poss", "nmod"}:
        return head.i >= span.end and head.lemma_.lower() in words("sports.team_nouns")
    if node.dep_ == "pobj" and head.lower_ == "by" and head.dep_ == "agent":
        return head.head.lemma_.lower() in words("sports.verbs")  # "beaten by Unterhaching"
    if node.dep_ == "pobj":
        return head.lower_ in words("sports.preps")
    if verbs and node.dep_ in {"nsubj", "dobj"} and head.pos_ in {"VERB", "AUX"}:
        return head.lemma_.lower() in words("sports.verbs")
    return False


def _team_cues(span: Span) -> list[tuple[str, float]]:
    """A match report's evidence that a name is a team's. The tagger's PERSON names
    players, who score too: for them only a team's own context counts ("against
    Unterhaching", "the Wilhelmshaven side"), not a verb's subject. A city named
    without a place preposition ("For Leverkusen", "Bielefeld were relegated") is the
    club: there the town itself is reached "in", "at" or "to"."""
    root = span.root
    person = root.ent_type_ == "PERSON"
    if _team_cue(span, verbs=not person) or any(
            noun.lemma_.lower() in _TEAM_NAME_NOUNS for noun in descriptor_nouns(span)):
        return [("Organization", _TEAM_VOTE)]
    if city_named(span.text) is not None and place_named(span.text) is None and not (
            _place_context(span)):
        return [("Organization", 1.5)]
    return []


_TEAM_NAME_NOUNS = frozenset({"side", "team", "club", "outfit", "rival", "opponent"})
"""Nouns that name a team in apposition or as a modifier: "lower league side Wilhelmshaven"."""

_PLACE_PREPS = frozenset({"in", "at", "near", "outside", "from", "to", "into", "across",
                          "around", "throughout", "of", "between", "towards", "toward"})


def _place_context(span: Span) -> bool:
    """Whether a name sits where a place does: the object of a place preposition (or a
    conjunct of one), or the modifier of another noun than a team's."""
    node = span.root
    while node.dep_ == "conj" and node.head.i != node.i:
        node = node.head
    if node.dep_ == "pobj":
        return node.head.lower_ in _PLACE_PREPS
    if node.dep_ in {"compound", "poss", "nmod", "amod"}:
        return node.head.lemma_.lower() not in words("sports.team_nouns")
    return False


_TEAM_VOTE = 2.0
"""A team's context in a match report outvotes the tagger's GPE or PERSON on one mention."""

_LEGAL_FORM_VOTE = 10.0
"""A legal form ("Ltd", "Co.") is decisive: it outvotes the tagger's PERSON on every other
mention of the name in the article."""

_PRODUCT_VERBS = frozenset({"launch", "unveil", "release", "create", "debut", "introduce",
                            "roll", "ship", "market", "sell", "develop", "design"})
"""Verbs whose object names a product."""

_NAME_LINKS = frozenset({"of", "&", "for", "de", "du", "del", "der", "von", "van"})
"""Lower-case words inside names: "Bank of America", "Bank for International Settlements"."""

_REPEATABLE = frozenset({"ORG", "PERSON", "PRODUCT", "GPE", "LOC", "FAC"})
"""NER labels whose names :meth:`DocContext._repeat_names` looks for again."""


def _name_word(token: Token) -> bool:
    """A word of a name the tagger may have missed: capitalised, a proper noun, or a
    word tagged a nationality that does not read as an adjective ("Fidesz", not
    "Christian", "Salafist", "Gothic")."""
    if not capitalised(token) or token.ent_type_ not in {"", "NORP", "ORG"}:
        return False
    if token.pos_ == "PROPN":
        return True
    return (token.pos_ == "ADJ" and token.ent_type_ == "NORP"
            and not token.lower_.endswith(_ADJECTIVE_ENDINGS))


_ADJECTIVE_ENDINGS = ("an", "ic", "ist", "ish", "ese", "al", "ern", "ive", "ous", "i")
"""Endings of nationality, religion and style adjectives ("Christian", "Islamic",
"Salafist", "Turkish", "Chinese", "Western", "Iraqi")."""


def _known_place_or_people(text: str) -> bool:
    return (place_named(text) is not None or city_named(text) is not None
            or place_of_demonym(text) is not None)


_MONTH = (r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?")
_DATELINE_CREDIT = re.compile(
    r"(?m)^(?:\(Text\)[ \t]+)?(?P<city>[A-Z][\w'-]+(?:[ \t][A-Z][\w'-]+){0,2}),?"
    r"(?:[ \t][A-Z][\w.]+,)?[ \t]+(?:" + _MONTH + r"[ \t]+\d{1,2}|\d{1,2}[ \t]+" + _MONTH
    + r")(?:[ \t]+\((?P<agency>[A-Z][\w-]{1,15})\)|[ \t]+(?P<agency2>[A-Z]{2,8}))?"
    r"[ \t]+(?:--|—|–)")
"""A dateline with its date and source: "Sofia, February 15 (BTA) --", "Moscow April 25
TASS --", "Saint-Gall, Switzerland, Feb 2 (AFP) --"."""

_MONITOR_CREDIT = re.compile(
    r"(?m)(?:^|\b[A-Z]{2}\d{10}[ \t]+)(?P<names>[A-Z][A-Za-z.'-]*(?: [A-Z][\w.'-]*){1,7})"
    r"(?:(?P<language>[ \t]+in[ \t]+[A-Z][a-z]+[ \t]+)(?:\d{4}[ \t]+GMT[ \t]+)?\d{1,2}[ \t]+"
    + _MONTH + r"[ \t]+\d{2}\b|[ \t]*$)")
"""A monitoring service's credit: "PA2904034294 Guatemala City Teleonce Television in
Spanish 0400 GMT 26 Apr 94", "Tokyo NIHON KEIZAI SHIMBUN" on a line of its own."""


def _is_country(text: str) -> bool:
    place = place_named(text)
    return place is not None and place.kind == "country"


def _repeat_at(doc: Doc, i: int, texts: tuple[str, ...], taken: dict[int, int]) -> bool:
    """Whether the name ``texts`` stands alone at token ``i``: every token free, and
    no capitalised name word right before or after it."""
    end = i + len(texts)
    if end > len(doc) or any(doc[j].text != texts[k] or j in taken
                             for k, j in enumerate(range(i, end))):
        return False
    before = doc[i - 1] if i > 0 else None
    after = doc[end] if end < len(doc) else None
    if before is not None and before.pos_ == "PROPN" and capitalised(before):
        return False
    if before is not None and before.lower_ in _NAME_LINKS and i > 1 and (
            doc[i - 2].pos_ == "PROPN" and capitalised(doc[i - 2])):
        return False  # "America" in "Bank of America"
    return not (after is not None and after.pos_ == "PROPN" and capitalised(after)
                and after.lower_ not in LEGAL_SUFFIXES)


def _trim(ent: Span, *, wrapped: bool = False) -> tuple[Span | None, str | None]:
    """Drop a leading "the", trailing possessives and punctuation from an entity span;
    ``None`` (with the filter's reason) for a unit after a number or a common noun that
    opens a sentence."""
    start, end = ent.start, ent.end
    doc = ent.doc
    for i in range(start, end):  # "Stephen D. Willey\nNotes that …": a name ends at a line end
        if doc[i].is_space and "\n" in doc[i].text and (not wrapped or _line_ends(doc, i)):
            end = i
            break
    while start < end and (doc[start].lower_ == "the" or doc[start].is_punct
                           or doc[start].is_space):
        start += 1
    while end > start and (doc[end - 1].tag_ == "POS" or (doc[end - 1].is_punct
                           and doc[end - 1].text not in {")", "."}) or doc[end - 1].is_space):
        end -= 1
    if start >= end:
        return None, None
    span = doc[start:end]
    if start > 0 and doc[start - 1].like_num and span.text.islower():
        return None, "number-unit"  # a unit after a number: Reuters' "12 cts", "3 pct"
    # "Smartphone giants including …": a capitalised common noun opening a sentence
    if len(span) == 1 and span[0].is_sent_start and (
        span[0].lower_ in _COMMON_WORDS() or span[0].lemma_.lower() in _COMMON_WORDS()
    ):
        return None, "common-word"
    return span, None


_CAMEL = re.compile(r"^[A-Z][a-z]+[A-Z][A-Za-z]*$")
"""A word with a capital inside: "GeekWire", "DirecTV", "PayPal" (not "McDonald")."""

_JOB_NOUNS = frozenset({"partner", "associate", "principal", "fellow", "member"})
"""Descriptors of companies ("its partner Microsoft") that are jobs with "at" ("a partner
at Bain")."""

_CODE = re.compile(r"^[A-Z]{2,5}-?\d{2,4}$")
"""A drug or product code: "CTX-001", "LOXO-292", "AS101"."""

_ORDINAL = re.compile(r"^\d+(?:st|nd|rd|th)$|^(?:19|20)\d\d$", re.IGNORECASE)
"""A number that is no model's: an ordinal or a year ("6th Fleet", "Vision 2030")."""

_MODEL_WORDS = frozenset({"pro", "max", "plus", "ultra", "mini", "air", "lite", "go", "se", "xl",
                          "edge", "note", "fold", "flip", "+", "-", "x", "xs", "xr", "s"})


def _model_word(token: Token) -> bool:
    """A word that names a model of a product line: "XS", "Pro", "11", "S20", "Ultra"."""
    text = token.text
    return (any(ch.isdigit() for ch in text) or text.lower() in _MODEL_WORDS
            or (text.isupper() and len(text) <= 3))


def _line_ends(doc: Doc, i: int) -> bool:
    """Whether the line break at token ``i`` of hard-wrapped text ends a line of its own,
    not a wrap inside a sentence ("the International\nMonetary Fund" in wire copy): a
    blank line, an indented next line, closing punctuation before it, or a sentence
    after it."""
    space = doc[i].text
    if space.count("\n") >= 2 or space.rstrip(" \t") != space or space.endswith((" ", "\t")):
        return True
    before = doc[i - 1] if i > 0 else None
    after = doc[i + 1] if i + 1 < len(doc) else None
    return (before is not None and before.text in {".", "!", "?", ":", '"', "”"}) or (
        after is not None and after.is_sent_start)


def _COMMON_WORDS() -> frozenset[str]:
    return words("org_descriptors") | words("product_descriptors") | words(
        "place_descriptors"
    ) | {"smartphone", "smartphones", "internet", "cloud", "mobile"}


def _initials(text: str) -> str:
    return "".join(w[0] for w in text.replace("-", " ").split() if w[:1].isupper())


def _full_form(mention: Mention, earlier: list[Mention]) -> Mention | None:
    tokens = mention.text.split()
    people = {m.text.split()[-1] for m in earlier if m.label == "Person" and " " in m.text}
    for full in reversed(earlier):
        other = full.text.split()
        if len(other) <= len(tokens):
            continue
        if full.label == "Person" and mention.label in {"Person", "Organization"} and (
            other[: len(tokens)] == tokens or other[-len(tokens):] == tokens
        ):
            return full
        # "Berkshire" after "Berkshire Hathaway Inc", even when the model tags it GPE —
        # unless it is a place the gazetteer knows ("China" after "China Mobile"); and a
        # word the tagger calls a person's when no person of the article has it as a
        # surname ("Marsh" after "Marsh & McLennan")
        if full.label == "Organization" and other[: len(tokens)] == tokens and (
            mention.label == "Organization"
            or (mention.label == "Place" and place_named(mention.text) is None)
            or (mention.label == "Person" and len(tokens) == 1 and tokens[0] not in people)
        ):
            return full
        # "Air Force" after "US Air Force": the body without its country
        if full.label == "Organization" and mention.label == "Organization" and (
                other[-len(tokens):] == tokens) and (
                place_named(" ".join(other[:-len(tokens)])) is not None
                or place_of_demonym(" ".join(other[:-len(tokens)])) is not None):
            return full
        if (
            mention.text.isupper() and 2 <= len(mention.text) <= 6
            and full.label in {"Organization", "Place"}
            and _initials(full.text) == mention.text
        ):
            return full
    return None


def _named_alone_before(mention: Mention, full: Mention, earlier: list[Mention]) -> bool:
    """Whether a longer name only starts with a name the article already used on its own.

    "Xiaomi" … "Xiaomi Roidmi Driver" … "Xiaomi": the later "Xiaomi" is the company,
    not a short form of the product. Surnames ("Cook" after "Tim Cook") are not
    affected: the full name ends with them.
    """
    words_ = mention.text.split()
    if full.text.split()[: len(words_)] != words_:
        return False
    return any(
        m.text == mention.text and m.cluster == j and m.start < full.start
        for j, m in enumerate(earlier)
    )


def _best(votes: list[tuple[str, float]]) -> str:
    totals: dict[str, float] = {}
    for etype, weight in votes:
        totals[etype] = totals.get(etype, 0.0) + weight
    return max(totals.items(), key=lambda kv: kv[1])[0]
