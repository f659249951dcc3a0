"""The plain-text reader, which also understands the header of scraped news pages.

Articles saved from the web as text (the "seed" format of the examples) start with
page furniture before the story: a date line, a photo caption — often twice, once
for the image and once for its alt text — then the headline. Further down there may
be a byline ("by Bayan Temur - date 8 Mar 2017"). Sorting these into ``date``,
``title`` and ``author`` keeps them out of the text that relation extraction reads,
where a caption would count as a second sentence and a byline as a person.

>>> parts = parse_plain_text("24 May 2019\\nXiaomi to enter US\\n\\nXiaomi said so.")
>>> parts.date, parts.title, parts.text
('2019-05-24', 'Xiaomi to enter US', 'Xiaomi said so.')
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError
from ..models import Article
from .common import decode_text, parse_date, read_bytes
from .registry import ReadItem, register_reader

logger = logging.getLogger(__name__)

MAX_TITLE_CHARS = 200
"""A first line this long or longer is a paragraph, not a headline."""

_CAPTION = re.compile(
    r"(?:\b(?:photo|image|picture|photograph)s?(?:\s+credit)?\s*:\s*\S.{0,80}"
    r"|\(\s*(?:photo|image|picture)s?\b[^)]{0,120}\))\s*$",
    re.IGNORECASE,
)
_BYLINE = re.compile(
    r"^\s*by\s+(?P<names>.+?)"
    r"(?:\s*(?:\s[-–—|]\s|,)\s*(?:(?:dated?|published|updated|on)\s*:?\s*)?"
    r"(?P<date>.*?\d.*?))?\s*$",
    re.IGNORECASE,
)
_NAME_CONNECTORS = frozenset({"and", "&", ","})
_NAME_PARTICLES = frozenset({"de", "da", "di", "van", "von", "der", "den", "le", "la", "bin", "al"})
_MAX_NAME_WORDS = 8
_CLOSING_QUOTES = "\"'”’»)"


@dataclass(frozen=True, slots=True)
class TextParts:
    """What :func:`parse_plain_text` found: the body and the header fields."""

    text: str
    title: str | None = None
    date: str | None = None
    author: str | None = None


@register_reader("text", suffixes=(".txt", ".text", ".md"))
def read_text(path: Path) -> Iterator[ReadItem]:
    """Read one UTF-8 text file as one article whose id is the file name.

    Raises:
        InputError: When the file cannot be read, is not UTF-8 text, or holds no
            article text once the header is taken off.
    """
    source = str(path)
    parts = parse_plain_text(decode_text(read_bytes(path), source))
    if not parts.text.strip():
        raise InputError(source, "no article text")
    yield Article(
        id=path.stem,
        text=parts.text,
        title=parts.title,
        date=parts.date,
        author=parts.author,
        path=source,
    )


def parse_plain_text(raw: str) -> TextParts:
    """Split a plain-text article into body, headline, date and author.

    Args:
        raw: The decoded text with ``\\n`` line ends.

    Returns:
        The body without the date line, the headline and the byline; captions stay
        in the body (they often state a fact) but only once.
    """
    lines = _drop_repeated_lines(raw.split("\n"))
    date = _take_date_line(lines)
    author, byline_date = _take_byline(lines)
    title = _take_title(lines)
    if date is None:
        # Some pages put the date under the headline instead of above it.
        date = _take_date_line(lines)
    body = "\n".join(lines).strip()
    return TextParts(text=body, title=title, date=date or byline_date, author=author)


def is_caption(line: str) -> bool:
    """Tell whether ``line`` is a photo caption ("… Photo: Reuters").

    >>> is_caption("Xiaomi is building its resources. Photo: Reuters")
    True
    >>> is_caption("Xiaomi working carefully to enter US market: CNBC")
    False
    """
    return bool(_CAPTION.search(line))


def parse_byline(line: str) -> tuple[str, str | None] | None:
    """Return ``(author, iso_date)`` when ``line`` is a byline, else None.

    Only a line that is nothing but "by" and capitalised names (and optionally a
    date) counts, so body sentences such as "By the end of the year …" do not.

    >>> parse_byline("by Bayan Temur - date 8 Mar 2017")
    ('Bayan Temur', '2017-03-08')
    >>> parse_byline("By Jonathan Stempel")
    ('Jonathan Stempel', None)
    >>> parse_byline("By the end of 2018, Xiaomi had opened stores") is None
    True
    """
    match = _BYLINE.match(line)
    if match is None:
        return None
    names = match["names"].strip().rstrip(",")
    if not _looks_like_names(names):
        return None
    if match["date"] is None:
        return names, None
    date = parse_date(match["date"])
    return (names, date) if date else None


def _looks_like_names(names: str) -> bool:
    words = names.replace(",", " , ").split()
    real = [w for w in words if w.lower() not in _NAME_CONNECTORS]
    if not real or len(real) > _MAX_NAME_WORDS or words[0] in _NAME_CONNECTORS:
        return False
    return all(_is_name_word(w) or (i > 0 and w in _NAME_PARTICLES) for i, w in enumerate(real))


def _is_name_word(word: str) -> bool:
    return word[0].isalpha() and word[0].isupper() and not any(ch.isdigit() for ch in word)


def _drop_repeated_lines(lines: list[str]) -> list[str]:
    """Keep a non-empty line repeated verbatim right after itself only once.

    Scrapers emit an image's caption and its alt text as two identical lines.
    """
    kept: list[str] = []
    for line in lines:
        if kept and line.strip() and line.rstrip() == kept[-1].rstrip():
            continue
        kept.append(line)
    return kept


def _first_content_index(lines: list[str]) -> int | None:
    return next((i for i, line in enumerate(lines) if line.strip()), None)


def _remove_line(lines: list[str], index: int) -> None:
    """Delete ``lines[index]`` and the blank lines it leaves doubled."""
    del lines[index]
    while index < len(lines) and not lines[index].strip():
        if index > 0 and lines[index - 1].strip():
            break
        del lines[index]


def _take_date_line(lines: list[str]) -> str | None:
    """Remove the first non-empty line if it is only a date; return that date."""
    index = _first_content_index(lines)
    if index is None:
        return None
    date = parse_date(lines[index])
    if date is not None:
        _remove_line(lines, index)
    return date


def _take_byline(lines: list[str]) -> tuple[str | None, str | None]:
    """Remove the first byline anywhere in the text; return its author and date."""
    for index, line in enumerate(lines):
        parsed = parse_byline(line) if line.strip() else None
        if parsed is not None:
            _remove_line(lines, index)
            return parsed
    return None, None


def _take_title(lines: list[str]) -> str | None:
    """Remove and return the headline: the first non-caption line, if headline-like."""
    index = next((i for i, line in enumerate(lines) if line.strip() and not is_caption(line)), None)
    if index is None:
        return None
    candidate = lines[index].strip()
    if not _is_headline(candidate):
        return None
    rest = lines[:index] + lines[index + 1 :]
    if not any(line.strip() for line in rest):
        return None  # a lone line is the article, not its title
    _remove_line(lines, index)
    return candidate


def _is_headline(line: str) -> bool:
    """A headline is short and does not end like a sentence (with a period)."""
    return len(line) < MAX_TITLE_CHARS and not line.rstrip(_CLOSING_QUOTES).endswith(".")
