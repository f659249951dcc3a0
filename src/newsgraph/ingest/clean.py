"""Drop the page furniture that scraped article text carries around its story.

Saved pages and scraped dumps end with a footer ("Contact us at …", "Please click
here to unsubscribe", "EJI Weekly Newsletter"), share and follow prompts, and often
a block of dated teasers for *other* articles ("24 Mar 2017 / A new Xiaomi MIUI 8.3
build was released … read article"). Left in, a teaser's sentences become this
article's facts and its names this article's entities. These rules remove such lines
and nothing else: each pattern must match the *whole* line, and a line that reads
like a sentence of the story is never furniture.

The rules are line-based, idempotent (cleaning clean text changes nothing), and
return what they dropped so that a caller can log it and a test can check it. Only
a line that stands on its own is judged: hard-wrapped wire copy continues its
sentences on the next line ("… payable / April 29, 1986.", "… 1.20 dlrs per /
share on sales of 40.8 mln dlrs."), so a line that follows one not ending a
sentence is always text.

>>> cleaned = strip_boilerplate("Xiaomi opened a store.\\n\\n– Contact us at [email protected]")
>>> cleaned.text, cleaned.dropped
('Xiaomi opened a store.', ('– Contact us at [email protected]',))
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .common import parse_date

MAX_FURNITURE_CHARS = 160
"""A line longer than this is a paragraph: never furniture, whatever it says."""

MAX_DATE_LINE_CHARS = 40
"""A date on a line of its own is at most this long ("Wednesday, 24 September 2019")."""

_FOOTER = re.compile(
    r"""^[\W_]*(?:
        (?:contact|e-?mail|write\ to|reach)\ us\b.*                      # Contact us at …
      | to\ contact\ the\ (?:reporters?|editors?|authors?)\b.*
      | for\ more\ (?:articles|stories|news)\ like\ this\b.*
      | (?:please\ )?click\ here\ to\ (?:un)?subscribe\b.*               # … to unsubscribe
      | (?:to\ )?unsubscribe(?:\ here|\ from\ (?:this|our|the)\ .{0,40})?[.!]?
      | (?:[A-Z][\w&'’.-]*\ ){0,5}(?:weekly\ |daily\ |morning\ |evening\ )?newsletters?
      | (?:sign\ up|subscribe|register)(?:\ now)?\ (?:for|to)\ (?:our|the|a)\b.{0,50}
      | (?:get|receive)\ (?:our|the)\ .{0,40}newsletter.*
      | follow\ (?:us|me|@?\w+)\ on\ (?:twitter|facebook|instagram|linkedin|x)\b.*
      | share\ (?:this|on)\b.{0,40}
      | (?:copyright\ *)?(?:©|\(c\))\ *\d{4}.{0,80}
      | ©\ *[A-Z].{0,80}
      | copyright\ +(?:\d{4}|©).{0,80}
      | .{0,80}\ball\ rights\ reserved\.?
      | advertisement
      | (?:archive\ author|filed\ under|tags?|topics?|categories|related(?:\ articles|
          \ stories|\ posts|\ content)?|more\ from\ .{1,30}|see\ also|you\ may\ also\ like|
          recommended(?:\ for\ you)?|read\ more|most\ (?:read|popular))\ *:?
      | (?:website|web|homepage|twitter|facebook|e-?mail)\ *:\ *\S+
      | (?:read\ more|related|see\ also)\ *:\ .{1,140}
    )\s*$""",
    re.IGNORECASE | re.VERBOSE,
)
_SENTENCE_END = (".", "!", "?", ":", ";", '"', "”", "’", "'", ")", "»", "…")
_TEASER_END = re.compile(
    r"(?:…|\.\.\.|\[\.\.\.\]|\[…\])\s*(?:read\s+(?:the\s+)?(?:full\s+)?(?:article|more|story|on)"
    r"|continue\s+reading|more)\s*[»›>→]*\s*$",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Cleaned:
    """The text without its furniture, and the lines that were dropped."""

    text: str
    dropped: tuple[str, ...] = ()


def is_furniture(line: str) -> bool:
    """Tell whether a whole line is footer, newsletter or sharing furniture.

    >>> [is_furniture(s) for s in ("EJI Weekly Newsletter", "Please click here to unsubscribe",
    ...                            "Website: www.gadget-time.com", "Archive author:")]
    [True, True, True, True]
    >>> is_furniture("Users can unsubscribe from the service at any time, Xiaomi said.")
    False
    >>> is_furniture("The newsletter business grew 40% last year.")
    False
    """
    stripped = line.strip()
    return bool(stripped) and len(stripped) <= MAX_FURNITURE_CHARS and bool(
        _FOOTER.match(stripped)
    )


def is_teaser(line: str) -> bool:
    """Tell whether a line is a teaser for another article ("… read article").

    >>> is_teaser("A new Xiaomi MIUI 8.3 build was released this week –   … read article")
    True
    >>> is_teaser("He paused … and read the article aloud.")
    False
    """
    return bool(_TEASER_END.search(line))


def is_date_line(line: str) -> bool:
    """Tell whether a line holds nothing but a date ("24 Mar 2017").

    >>> is_date_line("24 Mar 2017"), is_date_line("Xiaomi was founded in 2010.")
    (True, False)
    """
    stripped = line.strip()
    return 0 < len(stripped) <= MAX_DATE_LINE_CHARS and parse_date(stripped) is not None


def strip_boilerplate(text: str) -> Cleaned:
    """Remove furniture lines, and teasers with the date lines that head them.

    A date line is dropped only as part of a teaser block (directly above a teaser,
    blank lines allowed) or when it is left dangling at the very end of the text;
    a date inside the story is kept. Blank lines left doubled are merged.

    Args:
        text: Article text with ``\\n`` line ends.

    Returns:
        The cleaned text (stripped) and the dropped lines, in order.
    """
    lines = text.split("\n")
    drop = [False] * len(lines)
    for index, line in enumerate(lines):
        if line.strip() and stands_alone(lines, index, drop):
            drop[index] = is_furniture(line) or is_teaser(line)
    for index, line in enumerate(lines):
        if not drop[index] and is_date_line(line) and stands_alone(lines, index, drop):
            following = _next_content(lines, index)
            if following is None or (is_teaser(lines[following]) and drop[following]):
                drop[index] = True
    # A date line separated from the end only by furniture dangles too.
    for index in reversed(range(len(lines))):
        if not lines[index].strip() or drop[index]:
            continue
        if is_date_line(lines[index]) and stands_alone(lines, index, drop):
            drop[index] = True
            continue
        break
    if not any(drop):
        return Cleaned(text=text.strip())
    kept = [line for line, gone in zip(lines, drop, strict=True) if not gone]
    dropped = tuple(line.strip() for line, gone in zip(lines, drop, strict=True) if gone)
    return Cleaned(text=_merge_blank_lines(kept), dropped=dropped)


_GLUED_STOP = re.compile(r"(?:(?<=[a-z][a-z])|(?<=[A-Z][A-Z])|(?<=[0-9%)\]\"”’]))[.!?]"
                         r"(?=[A-Z][a-z]+\s)")
"""A sentence's full stop with the next sentence run onto it: "the UK.This", "4.6%.On",
"deficit.December" (a lost space or line break)."""

_GLUED_BRACKET = re.compile(r"(?<=[a-z%])\)(?=[A-Z][a-z]+\s)")
"""A closing bracket with the next sentence run onto it: "(click here)In"."""

_GLUED_WORDS = re.compile(r"(?<![\w@#/.&-])(?P<left>[a-z]{5,})(?P<right>[A-Z][a-z]{2,})(?=\s)")
"""A lower-case word run into a name: "declined to commentExxon referred"."""


def split_run_together(text: str) -> tuple[str, int]:
    r"""Split sentences run together where a space or line break was lost, as a reader
    would: "the UK.This" -> "the UK. This", "here)In" -> "here) In", "commentExxon" ->
    "comment\n\nExxon" (no stop there, so a paragraph break ends the sentence). Only
    these shapes move, and not inside a word with a full stop of its own ("One.Tel",
    "Halo.Bungie.Org", Reuters' "<smbs.St>", initials "J.P.Morgan"), nor camelCase
    names ("GlaxoSmithKline", "tenderCare": a lower-case word is split from a name
    only when the text names it elsewhere on its own), nor a name the text writes the
    same way twice. Returns the text and the number of splits.

    >>> split_run_together("Growth slowed in the UK.This is new, said Exxon.")
    ('Growth slowed in the UK. This is new, said Exxon.', 1)
    >>> split_run_together("Shares of One.Tel rose. One.Tel said so.")
    ('Shares of One.Tel rose. One.Tel said so.', 0)
    >>> split_run_together("It declined to commentExxon referred questions to Exxon Mobil.")
    ('It declined to comment\n\nExxon referred questions to Exxon Mobil.', 1)
    """
    count = 0

    def stop(match: re.Match[str]) -> str:
        nonlocal count
        start = max(text.rfind(" ", 0, match.start()), text.rfind("\n", 0, match.start())) + 1
        word = text[start:match.start()]
        if "<" in word or ("." in word and any(c.isalpha() for c in word)) or len(
                word.strip("\"”’)")) < 2:
            return match.group()  # a ticker, a domain, initials (not "4.6%.On")
        end = match.end()
        while end < len(text) and text[end].isalpha():
            end += 1
        if text.count(text[start:end]) > 1:
            return match.group()  # a name written so each time: "One.Tel"
        count += 1
        return match.group() + " "

    def words(match: re.Match[str]) -> str:
        nonlocal count
        right = match.group("right")
        if not re.search(r"(?<![\w])" + re.escape(right) + r"(?![\w])", text):
            return match.group()
        count += 1
        return f"{match.group('left')}\n\n{right}"

    if "." in text or "!" in text or "?" in text:
        text = _GLUED_STOP.sub(stop, text)
    if ")" in text:
        new = _GLUED_BRACKET.sub(") ", text)
        count += len(_GLUED_BRACKET.findall(text))
        text = new
    text = _GLUED_WORDS.sub(words, text)
    return text, count


def stands_alone(lines: list[str], index: int, dropped: list[bool] | None = None) -> bool:
    """Tell whether ``lines[index]`` starts afresh rather than continuing a sentence.

    It does when it is the first line, follows a blank line, a line that ends a
    sentence (or a label, with a colon), or a line already dropped as furniture.

    >>> stands_alone(["Net profit was 1.20 dlrs per", "share on sales of 40.8 mln dlrs."], 1)
    False
    >>> stands_alone(["It grew.", "Share this article"], 1)
    True
    """
    if index == 0:
        return True
    previous = lines[index - 1].rstrip()
    if not previous or (dropped is not None and dropped[index - 1]):
        return True
    return previous.endswith(_SENTENCE_END)


def _next_content(lines: list[str], index: int) -> int | None:
    return next((i for i in range(index + 1, len(lines)) if lines[i].strip()), None)


def _merge_blank_lines(lines: list[str]) -> str:
    """Join lines, collapsing runs of blank lines to one, and strip the ends."""
    out: list[str] = []
    for line in lines:
        if not line.strip() and out and not out[-1].strip():
            continue
        out.append(line)
    return "\n".join(out).strip()
