"""The feed readers: RSS 0.9x/1.0/2.0 and Atom (feedparser), and JSON Feed.

One article per entry: its full content when the feed carries it, else its
summary, with the entry's title, link, date and author, and the feed's title as the
source. With ``--fetch`` (:attr:`ReadOptions.fetch`) the page behind each entry's
link is downloaded and read as HTML instead, the entry's metadata filling what the
page lacks; a page that cannot be fetched is one failure line for that entry.

An entry's id is a hash of its guid (or link), so reading the feed again next week
updates its articles rather than duplicating them. Failures of one entry are named
``FEED#N`` (N counts entries from 1).

Real feeds are often not quite XML: feedparser reads them with a lenient parser.
Harmless slips (an undefined ``&nbsp;``, whitespace before the XML declaration)
pass silently; a feed cut short or broken (``mismatched tag``, ``no element found``)
still yields the entries read before the break, then one failure line for the file.

``.json`` files go to the JSON reader here too: a JSON Feed, or article records
(an array of contract objects, or one object).

>>> feed = (b'<rss version="2.0"><channel><title>Wire</title><item><title>Fiserv to '
...         b'buy First Data</title><link>https://example.com/a</link><description>Fiserv '
...         b'will acquire First Data.</description></item></channel></rss>')
>>> (article,) = parse_feed(feed, source="wire.rss")
>>> article.title, article.source, article.text, article.path
('Fiserv to buy First Data', 'Wire', 'Fiserv will acquire First Data.', 'wire.rss#1')
"""

from __future__ import annotations

import io
import json
import logging
import re
import time
from collections.abc import Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from ..errors import InputError
from ..models import Article
from .common import (
    check_text_bytes,
    decode_text,
    parse_date,
    read_bytes,
    read_limited,
    stable_id,
)
from .fetch import fetch_page
from .html import fragment_text, parse_html
from .jsonl import record_to_article
from .language import NO_LANGUAGE
from .registry import DEFAULT_OPTIONS, ReadItem, ReadOptions, register_reader
from .text import clean_article_text

logger = logging.getLogger(__name__)

FEED_SUFFIXES = (".rss", ".atom", ".xml", ".rdf", ".rss.gz", ".atom.gz", ".xml.gz")
JSON_SUFFIXES = (".json", ".json.gz")
ENTRY_ID_PREFIX = "feed-"
FETCH_WORKERS = 4
"""Pages fetched at once: enough to hide latency, few enough to be polite to one site."""

_FEED_ROOT = re.compile(rb"<(?:rss|feed|rdf:rdf|channel)[\s>]", re.IGNORECASE)
_JSON_FEED_VERSION = re.compile(rb'"version"\s*:\s*"https?://jsonfeed\.org/version/')
_BROKEN_XML = ("no element found", "unclosed token", "mismatched tag", "not well-formed")
_EMAIL = re.compile(r"\(?\s*[\w.+-]+@[\w-]+(?:\.[\w-]+)+\s*\)?")


@dataclass(frozen=True, slots=True)
class Entry:
    """One feed entry, format-independent, before it becomes an article."""

    index: int
    key: str | None  # guid, else link: what the id is hashed from
    title: str | None
    link: str | None
    date: str | None
    author: str | None
    language: str | None
    text: str  # already plain text


def sniff_feed(head: bytes) -> bool:
    """An RSS, RDF or Atom root element, or a JSON Feed's version, near the start.

    >>> sniff_feed(b'<?xml version="1.0"?>\\n<rss version="2.0">'), sniff_feed(b"<html>")
    (True, False)
    """
    start = head[:2048]
    return bool(_FEED_ROOT.search(start) or _JSON_FEED_VERSION.search(start))


def _stream_feed(stream: BinaryIO, source: str, options: ReadOptions) -> Iterator[ReadItem]:
    data = read_limited(stream, source, options.max_bytes)
    yield from parse_feed(data, source=source, options=options)


@register_reader("feed", suffixes=FEED_SUFFIXES, sniff=sniff_feed, stream=_stream_feed)
def read_feed(path: Path, options: ReadOptions = DEFAULT_OPTIONS) -> Iterator[ReadItem]:
    """Read an RSS/Atom feed file: one article per entry.

    Raises:
        InputError: When the file cannot be read, or is not a feed at all.
    """
    yield from parse_feed(read_bytes(path, max_bytes=options.max_bytes), source=str(path),
                          options=options)


def _stream_json(stream: BinaryIO, source: str, options: ReadOptions) -> Iterator[ReadItem]:
    data = read_limited(stream, source, options.max_bytes)
    yield from parse_json(data, source=source, options=options)


@register_reader("json", suffixes=JSON_SUFFIXES, stream=_stream_json)
def read_json(path: Path, options: ReadOptions = DEFAULT_OPTIONS) -> Iterator[ReadItem]:
    """Read a ``.json`` file: a JSON Feed, an array of article records, or one record."""
    yield from parse_json(read_bytes(path, max_bytes=options.max_bytes), source=str(path),
                          options=options)


def parse_feed(
    data: bytes, *, source: str, options: ReadOptions = DEFAULT_OPTIONS
) -> Iterator[ReadItem]:
    """Yield the articles of an RSS, Atom or JSON feed given as bytes.

    Raises:
        InputError: Empty, binary, not a feed, or a feed with no entries.
    """
    head = data.lstrip()[:1]
    if head in (b"{", b"["):
        yield from parse_json(data, source=source, options=options)
        return
    check_text_bytes(data, source)
    import feedparser

    parsed = feedparser.parse(io.BytesIO(data), resolve_relative_uris=True,
                              sanitize_html=True)
    # feedparser declares the encoding on a line of its own when the feed has no XML
    # declaration, which moves its error line numbers down by one.
    declared = data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<?xml")
    problem = _xml_problem(parsed, line_offset=0 if declared else -1)
    broken = problem is not None and any(b in problem for b in _BROKEN_XML)
    feed = parsed.feed
    entries = [_feedparser_entry(i, entry, feed) for i, entry in enumerate(parsed.entries, 1)]
    if broken and entries and not entries[-1].text and not entries[-1].title:
        entries.pop()  # the entry the break cut open: part of the one failure below
    if not entries:
        if broken or (problem and not parsed.get("version")):
            raise InputError(source, f"not a feed (malformed XML: {problem})")
        if not parsed.get("version"):
            raise InputError(source, "not a feed (no RSS, RDF or Atom root element)")
        raise InputError(source, "feed has no entries")
    yield from _entries_to_articles(entries, _clean(feed.get("title")), source, options)
    if broken:
        count = f"{len(entries)} {'entry' if len(entries) == 1 else 'entries'}"
        yield InputError(source, f"malformed XML ({problem}); {count} read before it")
    elif problem:
        logger.debug("%s: lenient XML parse (%s)", source, problem)


def parse_json(
    data: bytes, *, source: str, options: ReadOptions = DEFAULT_OPTIONS
) -> Iterator[ReadItem]:
    """Yield the articles of a JSON file: a JSON Feed, or contract records.

    Raises:
        InputError: Not JSON, or JSON of another shape.
    """
    text = decode_text(data, source)
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(source, f"invalid JSON ({exc.msg}, line {exc.lineno} column "
                                 f"{exc.colno})") from exc
    if isinstance(value, dict) and str(value.get("version", "")).startswith(
            ("https://jsonfeed.org/version/", "http://jsonfeed.org/version/")):
        yield from _json_feed(value, source, options)
    elif isinstance(value, dict) and "items" not in value:
        article = record_to_article(value, source, columns=options.columns)
        if isinstance(article, InputError):
            raise InputError(source, f"not a JSON Feed or an article record ({article.reason})")
        yield article
    elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        for index, record in enumerate(value, 1):
            yield record_to_article(record, f"{source}#{index}", columns=options.columns)
    else:
        raise InputError(source, "not a JSON Feed or article records (expected an object "
                                 "with 'text', an array of them, or a JSON Feed)")


def _json_feed(feed: Mapping[str, Any], source: str, options: ReadOptions) -> Iterator[ReadItem]:
    items = feed.get("items")
    if not isinstance(items, list) or not items:
        raise InputError(source, "feed has no entries")
    language = _language(feed.get("language"))
    entries: list[Entry | InputError] = []
    for index, item in enumerate(items, 1):
        if not isinstance(item, dict):
            entries.append(InputError(f"{source}#{index}", "entry is not a JSON object"))
            continue
        html, plain = item.get("content_html"), item.get("content_text")
        if isinstance(plain, str) and plain.strip():
            text = plain.strip()
        elif isinstance(html, str) and html.strip():
            text = fragment_text(html)
        else:
            text = fragment_text(str(item.get("summary") or ""))
        authors = item.get("authors") or ([item["author"]] if item.get("author") else [])
        names = [a.get("name") for a in authors if isinstance(a, dict) and a.get("name")]
        link = _clean(item.get("url")) or _clean(item.get("external_url"))
        entries.append(Entry(
            index=index,
            key=_clean(str(item["id"])) if item.get("id") is not None else link,
            title=_clean(item.get("title")),
            link=link,
            date=_date(item.get("date_published") or item.get("date_modified")),
            author=", ".join(names) or None,
            language=_language(item.get("language")) or language,
            text=text,
        ))
    yield from _entries_to_articles(entries, _clean(feed.get("title")), source, options)


def _entries_to_articles(
    entries: list[Entry | InputError] | list[Entry],
    feed_title: str | None,
    source: str,
    options: ReadOptions,
) -> Iterator[ReadItem]:
    """Turn entries into articles in feed order, fetching their pages when asked."""
    if not options.fetch:
        for entry in entries:
            yield entry if isinstance(entry, InputError) else _entry_article(
                entry, feed_title, source)
        return
    pool = ThreadPoolExecutor(max_workers=FETCH_WORKERS, thread_name_prefix="newsgraph-fetch")
    try:
        futures = [pool.submit(_fetched_article, entry, feed_title, source, options)
                   if isinstance(entry, Entry) else None for entry in entries]
        for entry, future in zip(entries, futures, strict=True):
            yield entry if future is None else future.result()  # type: ignore[misc]
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


def _entry_article(entry: Entry, feed_title: str | None, source: str) -> ReadItem:
    where = f"{source}#{entry.index}"
    parts = clean_article_text(entry.text) if entry.text else None
    text = parts.text if parts and parts.text else (entry.title or "")
    if not text:
        return InputError(where, "entry has no text (no content, summary or title)")
    return Article(
        id=_entry_id(entry, text),
        text=text,
        title=entry.title,
        date=entry.date or (parts.date if parts else None),
        url=entry.link,
        source=feed_title,
        author=entry.author or (parts.author if parts else None),
        language=entry.language,
        path=where,
    )


def _fetched_article(
    entry: Entry, feed_title: str | None, source: str, options: ReadOptions
) -> ReadItem:
    """The entry read from its page; the entry's own metadata wins, the page fills gaps."""
    where = f"{source}#{entry.index}"
    if not entry.link:
        logger.info("%s: no link to fetch; reading the entry itself", where)
        return _entry_article(entry, feed_title, source)
    try:
        page = fetch_page(entry.link, where=where, options=options)
        article = parse_html(page.data, source=where, article_id=None, url=page.url)
    except InputError as exc:
        return exc
    return Article(
        id=_entry_id(entry, article.text),
        text=article.text,
        title=entry.title or article.title,
        date=entry.date or article.date,
        url=entry.link,
        source=feed_title or article.source,
        author=entry.author or article.author,
        language=article.language or entry.language,
        path=where,
    )


def _feedparser_entry(index: int, entry: Any, feed: Any) -> Entry:
    contents = [c for c in entry.get("content") or [] if (c.get("value") or "").strip()]
    if contents:
        best = max(contents, key=lambda c: len(c.get("value") or ""))
        text = _to_text(best.get("value"), best.get("type"))
    else:
        detail = entry.get("summary_detail") or {}
        text = _to_text(entry.get("summary"), detail.get("type"))
    link = _clean(entry.get("link"))
    raw_date = entry.get("published") or entry.get("updated") or entry.get("created")
    parsed_date = entry.get("published_parsed") or entry.get("updated_parsed")
    date = _date(raw_date) or (time.strftime("%Y-%m-%d", parsed_date) if parsed_date else None)
    return Entry(
        index=index,
        key=_clean(entry.get("id")) or link,
        title=_clean(_to_text(entry.get("title"), (entry.get("title_detail") or {}).get("type"))),
        link=link,
        date=date,
        author=_author(entry.get("author")),
        language=_language((entry.get("title_detail") or {}).get("language")
                           or feed.get("language")),
        text=text,
    )


def _xml_problem(parsed: Any, *, line_offset: int = 0) -> str | None:
    """The XML error feedparser recovered from, as ``line N: message``; None if clean."""
    if not parsed.get("bozo"):
        return None
    exc = parsed.get("bozo_exception")
    if type(exc).__name__ == "CharacterEncodingOverride":
        return None  # a wrong encoding declaration, decoded right anyway
    message = getattr(exc, "getMessage", lambda: str(exc))()
    line = getattr(exc, "getLineNumber", lambda: None)()
    return f"line {max(1, line + line_offset)}: {message}" if line else str(message)


def _to_text(value: str | None, content_type: str | None) -> str:
    if not value:
        return ""
    if content_type and "html" not in content_type:
        return value.strip()
    return fragment_text(value)


def _entry_id(entry: Entry, text: str) -> str:
    return stable_id(entry.key, prefix=ENTRY_ID_PREFIX) if entry.key else stable_id(text)


def _author(value: str | None) -> str | None:
    """The author's name without e-mail addresses; an address alone is no author.

    RSS writes ``editor@example.com (Sam Reporter)``; feedparser may also give
    ``Sam Reporter (editor@example.com)``.

    >>> _author("editor@example.com (Sam Reporter)"), _author("foo@example.com")
    ('Sam Reporter', None)
    """
    name = _EMAIL.sub(" ", value or "")
    return _clean(name.strip().removeprefix("(").removesuffix(")"))


def _language(value: Any) -> str | None:
    code = str(value or "").strip().replace("_", "-").split("-")[0].lower()
    return code if re.fullmatch(r"[a-z]{2,3}", code) and code not in NO_LANGUAGE else None


def _date(value: Any) -> str | None:
    return parse_date(str(value)) if value else None


def _clean(value: Any) -> str | None:
    text = " ".join(str(value or "").split())
    return text or None

