"""The plain-text reader, which also understands the header of scraped news pages.

Articles saved from the web as text (the "seed" format of the examples) start with
page furniture before the story: a date line, a photo caption — often twice, once
for the image and once for its alt text — then the headline. Further down there may
be a byline ("by Bayan Temur - date 8 Mar 2017"). Sorting these into ``date``,
``title`` and ``author`` keeps them out of the text that relation extraction reads,
where a caption would count as a second sentence and a byline as a person. After
the story come footers, newsletter prompts and teasers for other articles, which
:mod:`~newsgraph.ingest.clean` removes, and sometimes a short author bio under a
closing byline, removed with it.

The text of every other format (JSONL, CSV, feeds, HTML) goes through
:func:`clean_article_text`: the same byline and furniture rules, without the
header guesses that only suit a whole text file.

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
from typing import BinaryIO

from ..errors import InputError
from ..models import Article
from .clean import split_run_together, stands_alone, strip_boilerplate
from .common import decode_text, file_id, parse_date, read_bytes, stable_id
from .registry import DEFAULT_OPTIONS, ReadItem, ReadOptions, register_reader

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
_SUFFIXES = (".txt", ".text", ".md")
MAX_BIO_CHARS = 300
"""What follows a closing byline, up to this long, is the author's bio, not the story."""
MIN_STORY_CHARS = 60
"""A byline counts as closing the story only with at least this much story above it."""


@dataclass(frozen=True, slots=True)
class TextParts:
    """What :func:`parse_plain_text` found: the body and the header fields."""

    text: str
    title: str | None = None
    date: str | None = None
    author: str | None = None


def _read_text_stream(stream: BinaryIO, source: str, options: ReadOptions) -> Iterator[ReadItem]:
    """Standard input as one plain-text article; no file name, so the id is a hash."""
    yield text_to_article(stream.read(), source=source, article_id=None)


@register_reader("text", suffixes=_SUFFIXES, stream=_read_text_stream)
def read_text(path: Path, options: ReadOptions = DEFAULT_OPTIONS) -> Iterator[ReadItem]:
    """Read one text file (any encoding) as one article whose id is the file name.

    Raises:
        InputError: When the file cannot be read, is binary, undecodable or too
            large, or holds no article text once the header is taken off.
    """
    data = read_bytes(path, max_bytes=options.max_bytes)
    suffix = next((s for s in _SUFFIXES if path.name.lower().endswith(s)), None)
    yield text_to_article(data, source=str(path), article_id=file_id(path, suffix))


def text_to_article(data: bytes, *, source: str, article_id: str | None) -> Article:
    """Decode and parse one plain-text article.

    Args:
        data: The file's bytes.
        source: Where they came from, for messages and :attr:`Article.path`.
        article_id: The id; None derives it from the text (standard input).

    Raises:
        InputError: empty, binary, undecodable, or no text once the header is off.
    """
    parts = parse_plain_text(decode_text(data, source))
    if not parts.text.strip():
        raise InputError(source, "no article text")
    return Article(
        id=article_id or stable_id(parts.text),
        text=parts.text,
        title=parts.title,
        date=parts.date,
        author=parts.author,
        path=source,
    )


def clean_article_text(text: str) -> TextParts:
    r"""Clean the body of an article read from a structured format (JSONL, CSV, feed, HTML).

    A byline line becomes the author (and its date the date); footers, newsletter
    prompts and teaser blocks are dropped. The first line is never taken for a
    title: structured formats say which is the title.

    >>> clean_article_text("By Jane Doe\n\nFiserv will buy First Data.\n\nEJI Weekly Newsletter")
    TextParts(text='Fiserv will buy First Data.', title=None, date=None, author='Jane Doe')
    """
    lines = _repaired(text).split("\n")
    author, date, _ = _take_byline(lines)
    cleaned = strip_boilerplate("\n".join(lines))
    if cleaned.dropped:
        logger.debug("dropped as furniture: %s", cleaned.dropped)
    return TextParts(text=cleaned.text, author=author, date=date)


def parse_plain_text(raw: str) -> TextParts:
    """Split a plain-text article into body, headline, date and author.

    Args:
        raw: The decoded text with ``\\n`` line ends.

    Returns:
        The body without the date line, the headline and the byline; captions stay
        in the body (they often state a fact) but only once.
    """
    lines = _drop_repeated_lines(_repaired(raw).split("\n"))
    date = _take_date_line(lines)
    author, byline_date, byline_at = _take_byline(lines)
    after_byline = "\n".join(lines[byline_at:]) if byline_at is not None else None
    title = _take_title(lines)
    if date is None:
        # Some pages put the date under the headline instead of above it.
        date = _take_date_line(lines)
    cleaned = strip_boilerplate("\n".join(lines))
    body = cleaned.text
    if after_byline is not None:
        body = _drop_bio(body, strip_boilerplate(after_byline).text)
    if cleaned.dropped:
        logger.debug("dropped as furniture: %s", cleaned.dropped)
    return TextParts(text=body, title=title, date=date or byline_date, author=author)


def _repaired(text: str) -> str:
    text, count = split_run_together(text)
    if count:
        logger.debug("split %d sentences run together", count)
    return text


def _drop_bio(body: str, after_byline: str) -> str:
    """Cut a short author bio that follows a byline placed after the story.

    ``after_byline`` is what followed the byline, furniture removed. When it is
    short and the story above the byline is not, it is the author's bio; a byline
    at the top of a story (with the story after it) is left alone.
    """
    if not after_byline or len(after_byline) > MAX_BIO_CHARS or not body.endswith(after_byline):
        return body
    story = body[: -len(after_byline)].strip()
    if len(story) < MIN_STORY_CHARS:
        return body
    logger.debug("dropped the author bio after the byline: %r", after_byline)
    return story


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


def _take_byline(lines: list[str]) -> tuple[str | None, str | None, int | None]:
    """Remove the first byline anywhere in the text; return its author, date and index."""
    for index, line in enumerate(lines):
        parsed = parse_byline(line) if line.strip() and stands_alone(lines, index) else None
        if parsed is not None:
            _remove_line(lines, index)
            return parsed[0], parsed[1], index
    return None, None, None


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
