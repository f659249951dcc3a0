"""The mention filter: what the tagger calls a name but a reader would not.

Every candidate name passes :meth:`MentionFilter.screen` before it becomes a mention.
A candidate is kept, trimmed to the name inside it, split into the names it lists, or
dropped, and every change carries a reason code (:data:`REASONS`) so that ``build -v``
can list them and tests can pin them. The word lists live in the lexicon
(``mention_filter`` in ``lexicon.json``); this module holds the shapes.

>>> sorted(REASONS)[:4]
['bracket', 'common-word', 'demonym', 'descriptor']
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from spacy.tokens import Doc, Span, Token

from .gazetteer import INDUSTRY_WORDS, company_by_ticker, company_named, is_exchange
from .lexicon import known_products, lexicon, place_named, place_of_demonym, titles, words
from .spans import LEGAL_SUFFIXES, credit_line

REASONS: dict[str, str] = {
    "bracket": "a bracket the name does not close (a ticker or aside glued to it)",
    "common-word": "a common word alone, capitalised (Bank, Budget, State)",
    "demonym": "people named by their nationality (Britons), not a name",
    "descriptor": "a common noun opening a sentence before the name (Rival BHP Group)",
    "email-url": "an e-mail address or a web address",
    "exchange": "a stock exchange named only as a ticker's prefix (NASDAQ: JD)",
    "finance-term": "a finance or business term (EPS, IPO, Q3, CEO)",
    "glued-text": "words run together across a missing space or line break (UK.This)",
    "headline-fragment": "a title-cased headline's words around the name (Zuckerberg Says)",
    "letter": "a single letter or character, not a name (P, B)",
    "list": "several names listed as one (Pfizer/BioNTech, Dyson, Centrica)",
    "lowercase": "no capitalised word, or lower-case words before the name (an Asset)",
    "number-unit": "a number or an amount, with or without its unit (280bn, 12 cts)",
    "rating-word": "an analyst's rating (Strong Buy, Outperform, 7 Buys)",
    "ticker": "a stock ticker: an alias of its company, not an entity (AAPL, <NOVX>)",
    "title": "a person's title or office, not a name (Brazilian Planning Minister)",
}
"""Reason codes of the mention filter, with what each means."""


@dataclass(frozen=True, slots=True)
class Screened:
    """A candidate after the filter: the span kept (``None``: dropped) and why it changed."""

    span: Span | None
    reasons: tuple[str, ...] = ()


_GLUED = re.compile(r"[a-z0-9%)\]][.!?][A-Z][a-z]|[a-z%]\)[A-Z]|^[a-z]{3,}[A-Z][a-z]{2,}")
"""Two sentences run together in one token: "UK.This", "4.6%.On", "here)In" — and a
lower-case word glued to a name ("commentExxon"). Not "Amazon.com", "iPhone", "McDonald"."""

_QUANTITY = re.compile(
    r"^(?:[$€£¥]|US\$|C\$|A\$)?[\d.,/]*\d[\d.,/]*(?:bn|m|mn|mln|k|tn|bln|%|s)?$",
    re.IGNORECASE)
"""A number or amount as one token: "280bn", "1.55bn", "400,000", "03/09/87", "1980s"."""

_PERIOD = re.compile(r"^(?:[QH][1-4]|[1-4][QH]|FY\s?'?\d{2,4}|[1-4]Q\d{2})$", re.IGNORECASE)
"""A fiscal period: "Q3", "H1", "3Q", "FY2019", "FY 19"."""

_NAME_PARTICLES = frozenset({"da", "de", "del", "della", "der", "di", "du", "van", "von",
                             "al", "el", "bin", "ibn", "le", "la", "dos", "das", "ten", "ter"})
"""Lower-case words that begin people's names: "da Silva", "von Moltke", "al-Momani"."""

_OPENING = {"(": ")", "<": ">", "[": "]"}


@cache
def _title_words() -> frozenset[str]:
    """Words of people's titles ("minister", "chief", "economist", "official")."""
    out = set(words("title_modifiers")) | set(words("name_titles")) | {
        "official", "officials", "counterpart", "spokesman", "spokeswoman", "economist",
        "banker", "premier", "staff"}
    for phrase in titles():
        out.update(phrase.split())
    return frozenset(out)


@cache
def _descriptors() -> frozenset[str]:
    """Common nouns that describe companies ("rival", "chipmaker", "startup")."""
    out = set(words("org_descriptors"))
    for nouns in lexicon()["org_relation_nouns"].values():
        out.update(n.lower() for n in nouns)
    # not the words names are made of: "Union Carbide", "Bank of Japan", "Giant Bay"
    return frozenset(out - words("org_name_heads") - words("org_suffixes") - {
        "giant", "union", "general", "national", "international"})


@cache
def _relation_nouns() -> frozenset[str]:
    """Nouns that say how a company stands to another ("rival", "partner", "supplier"),
    never the first word of a name."""
    return frozenset(n.lower() for nouns in lexicon()["org_relation_nouns"].values()
                     for n in nouns if " " not in n) & _descriptors()


@cache
def _title_heads() -> frozenset[str]:
    """Last words of people's titles ("minister", "economist", "official")."""
    return frozenset({phrase.split()[-1] for phrase in titles()} | {
        "official", "officials", "counterpart", "spokesman", "spokeswoman", "economist",
        "banker", "premier"}) - {"group", "party", "board", "state", "member"}


@cache
def _lists() -> dict[str, frozenset[str]]:
    section = lexicon()["mention_filter"]
    return {key: frozenset(w.lower() for w in value) for key, value in section.items()
            if isinstance(value, list)}


def _word_key(text: str) -> str:
    """A name as the word lists spell it: lower case, spaces collapsed, no leading
    count ("7 Buys" -> "buys") and no plural "s" when the singular is listed."""
    key = " ".join(text.lower().replace("-", " ").split())
    key = re.sub(r"^\d+\s+", "", key)
    return key


def _listed(text: str, kind: str) -> bool:
    key = _word_key(text)
    found = _lists()[kind]
    return key in found or (key.endswith("s") and key[:-1] in found)


def is_rating(text: str) -> bool:
    """Whether a name is an analyst's rating ("Strong Buy", "Outperform", "7 Buys").

    >>> is_rating("Strong Buy"), is_rating("7 Buys"), is_rating("Best Buy")
    (True, True, False)
    """
    return _listed(text, "rating_words")


def is_finance_term(text: str) -> bool:
    """Whether a name is a finance or business term or a fiscal period.

    >>> is_finance_term("EPS"), is_finance_term("Q3"), is_finance_term("FY2019")
    (True, True, True)
    >>> is_finance_term("EQT")
    False
    """
    return bool(_PERIOD.match(text.strip())) or _listed(text, "finance_terms")


def is_quantity(token: Token) -> bool:
    """Whether a token is a number or an amount, or a unit right after one ("12 cts")."""
    if token.text in {"$", "€", "£", "¥", "%"}:
        return True
    if _QUANTITY.match(token.text) and any(ch.isdigit() for ch in token.text):
        return True
    return token.lower_ in words("mention_filter.units") and token.i > 0 and (
        token.doc[token.i - 1].like_num or bool(_QUANTITY.match(token.doc[token.i - 1].text)))


def hard_wrapped(text: str) -> bool:
    """Whether a text is hard-wrapped at a fixed width, as wire copy is (Reuters wraps at
    about 65 characters): at least four lines, half of them 50 to 80 characters long and
    hardly any longer (a web page's short list lines are no wrapping).

    >>> hard_wrapped("A paragraph of a web page runs on well past eighty characters, "
    ...              "as this one does, and then it goes on for a while more.\\n" * 5)
    False
    >>> hard_wrapped("\\n".join(["Showers continued throughout the week in the Bahia"] * 5))
    True
    """
    lengths = [len(line.strip()) for line in text.split("\n") if line.strip()]
    if len(lengths) < 4:
        return False
    wide = sum(1 for n in lengths if 50 <= n <= 80)
    longer = sum(1 for n in lengths if n > 100)
    return wide >= len(lengths) / 2 and longer <= len(lengths) / 10


def title_cased_lines(doc: Doc) -> list[tuple[int, int]]:
    """Character ranges of the lines set in title case — headlines, where the tagger
    runs names into the words around them ("iPhone Shipments Plunge", "Zuckerberg
    Says"): at least three words, three in four of them capitalised (or all but the
    small words a headline leaves small), and some capitalised word that is no part of
    a name, so that a line listing names ("Piper Jaffray, Tyler Van Buren") is none.
    Wire credit lines ("(Reporting by …; Editing by …)") are none either."""
    out: list[tuple[int, int]] = []
    line: list[Token] = []
    for token in [*doc, None]:
        if token is not None and not (token.is_space and "\n" in token.text):
            if not token.is_space:
                line.append(token)
            continue
        # a line of its own, not a hard wrap inside a sentence of wire copy: it starts
        # a sentence, and the next line starts another
        nxt = token.doc[token.i + 1] if token is not None and token.i + 1 < len(doc) else None
        if line and line[0].is_sent_start and (nxt is None or nxt.is_sent_start) and (
                _headline(line)):
            out.append((line[0].idx, line[-1].idx + len(line[-1].text)))
        line = []
    return out


def _headline(line: list[Token]) -> bool:
    found = [t for t in line if t.is_alpha or (t.text[:1].isalpha() and "-" in t.text)]
    if len(found) < 3 or line[0].text == "(":
        return False
    if credit_line(line[0].doc[line[0].i:line[-1].i + 1]):
        return False
    small = [t for t in found if not t.text[:1].isupper()]
    capital = len(found) - len(small)
    if capital < 0.75 * len(found) and not (
            capital >= 3 and all(t.lower_ in _HEADLINE_SMALL for t in small)):
        return False
    if any(t.text[:1].isupper() and not t.ent_type_ and t.lower_ not in _HEADLINE_SMALL
           for t in found):
        return True
    # every capitalised word is in a name: a headline the tagger swallowed whole ("U.S.
    # Wine Exports Rose 15 Per Cent"), unless it lists names ("Piper Jaffray, Tyler Van")
    return not any(t.text in {",", ";", "&"} or t.lower_ == "and" for t in line)


_NAME_LINKS = frozenset({"of", "and", "&", "for", "de", "du", "del", "der", "von", "van", "the"})
"""Lower-case words inside names ("Bank of America")."""

_EXCHANGES = frozenset({"NASDAQ", "NYSE", "AMEX", "OTC", "TSX", "LSE", "ASX", "HKEX"})

_MIN_BODY_WORDS = 40
"""Words an article needs beside its title-cased lines for them to be headlines: a
one-sentence item ("DAYTON, Ohio (AP)") has nothing to check its names against."""

_HEADLINE_SMALL = frozenset({"a", "an", "the", "of", "and", "or", "to", "in", "on", "at", "for",
                             "by", "with", "from", "as", "vs", "vs.", "v", "up", "out", "over"})


_TICKER_FORM = re.compile(r"^[A-Z][A-Z0-9]{0,5}(?:[.-][A-Z]{1,2})?$")
"""A ticker as text writes it: "AAPL", "BRK.B", "RDS-A", "NOVX"."""

_TICKER = re.compile(r"^[A-Z][A-Za-z]{0,4}(?:[.-][A-Za-z]{1,2})?$")
"""How tickers are written: "AAPL", "BRK.B", "RDS-A", Reuters' "Rcsb.O" in a title."""


def _marked(span: Span) -> bool:
    """Whether the text itself marks a span as a company's name: Reuters brackets
    company names ("<Kebo Ab>") and puts tickers after them ("Rochester Community
    Savings Bank <Rcsb.O>"), as business news does ("Apple (AAPL)")."""
    doc = span.doc
    if span.start > 0 and doc[span.start - 1].text == "<":
        return True
    if span.end + 2 < len(doc) and doc[span.end].text in {"<", "("}:
        inner = doc[span.end + 1]
        if inner.text.upper() in _EXCHANGES or (
                _TICKER.match(inner.text) and doc[span.end + 2].text in {">", ")"}):
            return True
    return False


class MentionFilter:
    """Screens one document's candidate names (see the module docstring)."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.tickers: dict[int, str] = {}
        """Token index -> the ticker it writes, in a ticker's construction ("(NASDAQ: JD)",
        "Apple (AAPL)", "<NOVX>", "$AAPL", "NYSE:IBM")."""
        self.exchanges: set[int] = set()
        """Tokens naming an exchange as a ticker's prefix."""
        self.owners: dict[int, str] = {}
        """Index of the last token of a name a ticker is written after -> the ticker."""
        self.owned: set[int] = set()
        """Tickers written right after their company's name."""
        self._find_tickers()
        self.company_news = bool(self.tickers) or any(
            t.lower_ in LEGAL_SUFFIXES and t.i > 0 and doc[t.i - 1].text[:1].isupper()
            for t in doc)
        """Whether the article writes companies as business news does: with a ticker or
        a legal form ("Apple (AAPL)", "Apple Inc.")."""
        self.wrapped = hard_wrapped(doc.text)
        """Whether the text is hard-wrapped wire copy, whose single line breaks are no
        ends of names or sentences."""
        self._headlines = title_cased_lines(doc)
        if self._headlines:
            # the text outside headlines, where a headline's names are written plainly
            parts, last = [], 0
            for start, end in self._headlines:
                parts.append(doc.text[last:start])
                last = end
            parts.append(doc.text[last:])
            self._body = "\n".join(parts)
            if len(self._body.split()) < _MIN_BODY_WORDS:
                self._headlines, self._body = [], doc.text  # a lone line is no headline
        else:
            self._body = doc.text
        self._lower_words: set[str] | None = None
        self._body_tokens_all: dict[str, list[Token]] = {}
        for token in doc:
            if token.text[:1].isupper():
                self._body_tokens_all.setdefault(token.text, []).append(token)
        self._body_tokens: dict[str, list[Token]] = {}
        for token in doc if self._headlines else ():
            if token.text[:1].isupper() and not self.in_headline(token.idx, token.idx + 1):
                self._body_tokens.setdefault(token.text, []).append(token)

    # ---------------------------------------------------------------- tickers

    def _find_tickers(self) -> None:
        doc = self.doc
        n = len(doc)
        for token in doc:
            i = token.i
            text = token.text
            if is_exchange(text) and i + 2 < n and doc[i + 1].text == ":" and (
                    _TICKER_FORM.match(doc[i + 2].text)):
                # "(NASDAQ: JD)", "NYSE:IBM", "(NYSE: IBM; TSX: IBM)"
                self.exchanges.add(i)
                self.tickers[i + 2] = doc[i + 2].text
                j = i - 1  # back over the other listings: "(NYSE: IBM; TSX: IBM)"
                while j > 0 and (doc[j].text in {";", ",", ":"} or j in self.tickers
                                 or j in self.exchanges):
                    j -= 1
                if j > 0 and doc[j].text == "(" and doc[j - 1].text[:1].isalnum():
                    self.owners.setdefault(j - 1, doc[i + 2].text)
                    self.owned.add(i + 2)
            elif text == "$" and i + 1 < n and _TICKER_FORM.match(doc[i + 1].text) and (
                    not doc[i + 1].text.isdigit()) and doc[i + 1].idx == token.idx + 1:
                self.tickers[i + 1] = doc[i + 1].text  # "$AAPL"
            elif text in {"(", "<"} and i > 0 and i + 2 < n and (
                    doc[i + 2].text == {"(": ")", "<": ">"}[text]) and (
                    _TICKER_FORM.match(doc[i + 1].text)) and doc[i - 1].text[:1].isalnum():
                ticker = doc[i + 1].text
                if text == "(" and not self._ticker_in_brackets(doc[i - 1], ticker):
                    continue
                self.tickers[i + 1] = ticker
                self.owners[i - 1] = ticker
                self.owned.add(i + 1)

    @staticmethod
    def _ticker_in_brackets(before: Token, ticker: str) -> bool:
        """Whether "(XYZ)" after a name is a ticker, not the name's initials ("the Union
        of Democratic Forces (SDS)") nor a place or an agency ("Dayton, Ohio (AP)",
        "Vodafone (UK)"): the company list knows it, or the name before it is no
        place's and does not spell it."""
        if before.ent_type_ in {"GPE", "LOC", "NORP", "FAC", "DATE", "CARDINAL"} or (
                place_named(ticker) is not None or not before.text[:1].isupper()):
            return False
        start = before.i
        while start > 0 and before.doc[start].ent_iob_ == "I":
            start -= 1
        initials = "".join(t.text[0] for t in before.doc[start:before.i + 1]
                           if t.text[:1].isupper())
        if len(ticker) > 1 and initials.endswith(ticker):
            # "the London Stock Exchange (LSE)", "the Bank's Monetary Policy Committee
            # (MPC)": the name's initials, however listed
            return False
        if company_by_ticker(ticker) is not None:
            return True
        if not ticker.isalpha() or len(ticker) > 5:
            return False
        if before.ent_type_ == "PERSON" and before.lower_ not in INDUSTRY_WORDS and (
                before.lower_ not in words("org_suffixes")):
            return False  # "Müller (SPD)": a politician's party; not "Sangamo Therapeutics"
        # "the Union of Democratic Forces (SDS)": an institution's acronym
        return not any(t.lower_ in _NAME_LINKS
                       for t in before.doc[max(0, before.i - 6):before.i]
                       if t.ent_iob_ == "I" or t.i == before.i)

    # ------------------------------------------------------------------ lists

    def pieces(self, ent: Span) -> list[tuple[Span, str | None]]:
        """The names a candidate lists, each with ``"list"`` when it was split: "Pfizer/
        BioNTech", "Dyson, Centrica" — not "Portland, Ore." (a place and its region),
        "Ant SME Services (Hong Kong)" or "AT&T"."""
        doc = self.doc
        cuts = [t.i for t in ent[1:-1] if t.text in {"/", ",", ";"} and self._separates(t)]
        if not cuts or self._firm_name(ent):
            return [(ent, None)]
        out: list[tuple[Span, str | None]] = []
        start = ent.start
        for cut in [*cuts, ent.end]:
            if cut > start:
                out.append((Span(doc, start, cut, label=ent.label_), "list"))
            start = cut + 1
        return out

    @staticmethod
    def _firm_name(ent: Span) -> bool:
        """A partnership's name, whose commas and slashes are its own: "Kidder, Peabody
        and Co", "Smith Barney, Harris Upham and Co Inc.", "Capital Cities/ABC Inc",
        "Royal Dutch/Shell Group" — ending with "and Co" or a legal form after a slash."""
        lowers = [t.lower_.rstrip(".") for t in ent]
        for i, word in enumerate(lowers[:-1]):
            if word in {"and", "&"} and lowers[i + 1] in {"co", "company", "cie", "partners"}:
                return True
        last = lowers[-1]
        return any(t.text == "/" for t in ent) and (
            last in LEGAL_SUFFIXES or last in words("org_suffixes"))

    def _separates(self, token: Token) -> bool:
        doc = self.doc
        before, after = doc[token.i - 1], doc[token.i + 1]
        if not (before.text[:1].isupper() or before.text[:1].isdigit()) or not (
                after.text[:1].isupper()) or after.lower_ in LEGAL_SUFFIXES:
            return False  # "Tulsi Now, Inc." is one name
        rest = doc[token.i + 1:min(len(doc), token.i + 4)]
        for n in range(len(rest), 0, -1):  # "Portland, Ore.", "Paris, France", "Asia/Pacific"
            place = place_named(rest[:n].text) or place_named(rest[:n].text + ".")
            if place is not None:
                return False
        depth = 0
        for t in doc[max(0, token.i - 8):token.i]:
            depth += t.text in _OPENING
            depth -= t.text in _OPENING.values()
        return depth <= 0  # "Ant SME Services (Hong Kong, China)": inside brackets

    # --------------------------------------------------------------- screening

    def screen(self, ent: Span) -> Screened:
        """Trim or drop one candidate name (see :data:`REASONS`)."""
        doc = self.doc
        if "@" in ent.text or "://" in ent.text or ent.text.lower().startswith("www."):
            return Screened(None, ("email-url",))
        own = [t.i for t in ent if not t.is_punct and t.text != "$"]
        if own and all(i in self.exchanges for i in own):
            return Screened(None, ("exchange",))
        if own and all(i in self.tickers or i in self.exchanges for i in own):
            return Screened(None, ("ticker",))
        if any(_GLUED.search(t.text) for t in ent):
            return Screened(None, ("glued-text",))
        reasons: list[str] = []
        start, end = ent.start, ent.end
        # a bracket the name does not close: "Nova Corp <NOVX", "Newcastle (S&N"
        depth = 0
        for i in range(start, end):
            text = doc[i].text
            if text in _OPENING:
                close = next((j for j in range(i + 1, end) if doc[j].text == _OPENING[text]),
                             None)
                if close is None or text == "<":
                    end = i
                    reasons.append("bracket")
                    break
            elif text in _OPENING.values() and depth == 0:
                end = i
                reasons.append("bracket")
                break
        while end > start and (doc[end - 1].text in {"-", "–", "—", ":", "/", "&"}
                               or doc[end - 1].lower_ in _HEADLINE_SMALL):
            end -= 1  # "the Galaxy S20+ and": what the tagger ran on into
        # lower-case words before the name: "an Asset", "ex-Columbia", "firm Aggregate"
        while start < end and self._small_word(doc[start]):
            start += 1
            if "lowercase" not in reasons:
                reasons.append("lowercase")
        while start < end and doc[start].text in {"-", "–", "'"}:
            start += 1
        # a sentence's capitalised first word that describes the name: "Rival BHP Group",
        # "Chipmaker Nvidia", "Startup Kosh"
        if end - start > 1 and doc[start].is_sent_start and (
                doc[start].lower_ in _descriptors() or doc[start].lemma_.lower() in _descriptors()
        ) and doc[start + 1].text[:1].isupper() and (
                doc[start].lower_ in _relation_nouns()
                or self._named_without(doc[start], doc[start + 1])):
            start += 1
            reasons.append("descriptor")
        if start >= end:
            return Screened(None, tuple(reasons))
        # an amount, or a name run into one: "280bn", "Fiat 1.55bn euros"
        known = doc[start].text.lower() in known_products() or (
            doc[start:end].text.lower() in known_products())  # "787 Dreamliner", "777"
        first_amount = None if known else next(
            (i for i in range(start, end) if is_quantity(doc[i])
             and not self._model_number(doc[i], start)
             and not (ent.label_ == "PRODUCT" and doc[i].text.isdigit())), None)
        if first_amount is not None:
            reasons.append("number-unit")
            end = first_amount
            while end > start and not doc[end - 1].is_alpha and doc[end - 1].text != ".":
                end -= 1
            if end <= start:
                return Screened(None, tuple(reasons))
        span = doc[start:end]
        if len(span.text.replace(".", "")) < 2:
            return Screened(None, (*reasons, "letter"))
        if not any(ch.isupper() for ch in span.text) and (
                _word_key(span.text) not in _lists()["lowercase_names"]
                and place_named(span.text) is None):
            return Screened(None, (*reasons, "lowercase"))
        if self.in_headline(span.start_char, span.end_char) and not _marked(span):
            kept = self._body_name(span)
            if kept is None:
                return Screened(None, (*reasons, "headline-fragment"))
            if kept != span:
                reasons.append("headline-fragment")
                span = kept
        text = span.text
        if span[-1].lower_.rstrip(".") in words("mention_filter.units") and len(span) <= 3:
            return Screened(None, (*reasons, "number-unit"))  # "N.Z. Dlrs" in a headline
        if is_rating(text):
            return Screened(None, (*reasons, "rating-word"))
        if is_finance_term(text):
            return Screened(None, (*reasons, "finance-term"))
        if (len(span) == 1 and _word_key(text) in _lists()["common_names"]) or (
                self._common_in_document(span)):
            return Screened(None, (*reasons, "common-word"))
        if self._title(span):
            return Screened(None, (*reasons, "title"))
        if len(span) == 1 and span[0].ent_type_ in {"NORP", "PERSON", "ORG"} and text.endswith(
                "s") and (place_of_demonym(text[:-1]) or place_of_demonym(text)) and (
                place_named(text) is None):
            return Screened(None, (*reasons, "demonym"))
        return Screened(span, tuple(reasons))

    def _named_without(self, descriptor: Token, name: Token) -> bool:
        """Whether the article writes ``name`` elsewhere without ``descriptor`` before it
        ("BHP" beside "Rival BHP Group"; never "Japan" for "Bank Of Japan", whose
        descriptor is part of the name)."""
        return any(t.text == name.text and t.i != name.i and (
            t.i == 0 or t.doc[t.i - 1].lower_ != descriptor.lower_) and not (
            t.i > 0 and t.doc[t.i - 1].lower_ in {"of", "for"})
            for t in self._body_tokens_all.get(name.text, ()))

    def _title(self, span: Span) -> bool:
        """A title or office the tagger took for a name: "Brazilian Planning Minister",
        "U.S. Counterpart", "Group Economist" — a title last, and before it only places,
        nationalities and words of titles or of the article's common vocabulary (not
        "Mervyn King", "Data General")."""
        if span[-1].lower_ not in _title_heads() or len(span) > 4 or (
                place_named(span.text) is not None) or (
                len(span) == 1 and span.root.ent_type_ != "PERSON"):
            return False  # "Pilot" the truck-stop chain is named as a job is
        if self._lower_words is None:
            self._common_in_document(span[:1])
        lower = self._lower_words or set()
        return all(t.lower_ in _title_words() or t.lower_ in lower or t.lower_ in _HEADLINE_SMALL
                   or place_named(t.text) is not None or place_of_demonym(t.text) is not None
                   for t in span[:-1])

    def _common_in_document(self, span: Span) -> bool:
        """A capitalised word the same article also writes in lower case as a common
        word ("Coffee" beside "coffee prices"): not a name, unless a listed company, a
        known product or a place is called so ("Target" beside "price target")."""
        if len(span) != 1 or span.text.isupper() or not span.text.isalpha():
            return False
        lower = span.text.lower()
        if self._lower_words is None:
            self._lower_words = {t.text for t in self.doc
                                 if t.is_lower and t.pos_ in {"NOUN", "ADJ", "VERB"}}
        return lower in self._lower_words and company_named(span.text) is None and (
            lower not in known_products() and place_named(span.text) is None
            and lower not in words("state_institution_nouns.words")
            and lower not in words("membership_org_nouns.words"))  # "Parliament" is one

    @staticmethod
    def _small_word(token: Token) -> bool:
        """A lower-case word before a name that is not part of it: not camelCase
        ("iPhone", "eBay") and not a name particle before a capitalised word ("da Silva")."""
        text = token.text
        if not text[:1].islower():
            return False
        if any(ch.isupper() for ch in text[1:]):
            return False  # iPhone, eBay, iOS
        nxt = token.doc[token.i + 1] if token.i + 1 < len(token.doc) else None
        if token.lower_ in _NAME_PARTICLES and nxt is not None and (
                nxt.text[:1].isupper() or nxt.text == "-"):
            return False
        return nxt is not None and (nxt.text[:1].isupper() or nxt.text in {"-", "–"}
                                    or nxt.text[:1].islower())

    @staticmethod
    def _model_number(token: Token, start: int) -> bool:
        """A number that is part of a product's name: "Surface Pro 4", "Boeing 777",
        "Model 3" — right after a capitalised word of the name, with no unit after it.
        (A product's own leading number, "737-300", is let through by the caller.)"""
        doc = token.doc
        if token.i == start or not token.text.isdigit():
            return False
        prev = doc[token.i - 1]
        nxt = doc[token.i + 1] if token.i + 1 < len(doc) else None
        return prev.text[:1].isupper() and not (
            nxt is not None and nxt.lower_ in words("mention_filter.units"))

    def in_headline(self, start: int, end: int) -> bool:
        """Whether characters ``start:end`` lie in a title-cased headline line."""
        return any(s <= start and end <= e for s, e in self._headlines)

    def _body_name(self, span: Span) -> Span | None:
        """The longest run of the span's words that the text outside the headlines writes
        too, as a name (starting with a capital): "iPhone Shipments Plunge" -> "iPhone".
        ``None`` when the body never names it."""
        n = len(span)
        for size in range(n, 0, -1):
            for offset in range(0, n - size + 1):
                part = span[offset:offset + size]
                if not (part[0].text[:1].isupper() or part[0].text[1:2].isupper()):
                    continue
                if part[-1].is_punct or part[-1].lower_ in _HEADLINE_SMALL:
                    continue
                if size == 1:
                    # a word alone must be a name where the story uses it: tagged as one
                    # ("Private equity firms …", "Wine exports" are not)
                    if any(t.ent_type_ for t in self._body_tokens.get(part.text, ())):
                        return part
                    continue
                # the same words, however the lines wrap and whatever a title-cased
                # headline did to their case ("Nmr Centers" for "NMR Centers"), written
                # as a name: every word capitalised
                pattern = (r"(?<![\w])" + r"\s+".join(re.escape(t.text) for t in part)
                           + r"(?![\w])")
                if any(all(w[:1].isupper() or w[:1].isdigit() or w.lower() in _NAME_LINKS
                           for w in m.group().split())
                       for m in re.finditer(pattern, self._body, re.IGNORECASE)):
                    return part
        return None
