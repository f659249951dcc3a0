"""Download one web page for ``--fetch``: bounded in time and size, failures as reasons.

Only what reading a feed entry's page needs: an ``http(s)`` GET with a browser-
compatible user agent that names newsgraph, a timeout, a size limit checked before
and while reading, gzip transfer encoding, and a content type that is a page. Every
way it can fail becomes an :class:`~newsgraph.errors.InputError` whose reason says
what happened in words ("connection refused", "HTTP 404 Not Found", "timed out
after 10 s"), never a traceback.

The standard library's ``urllib`` does the work: no extra dependency, and
redirects, proxies from the environment and TLS verification come with it.
"""

from __future__ import annotations

import gzip
import io
import logging
import socket
import ssl
import urllib.error
import urllib.request
import zlib
from dataclasses import dataclass
from urllib.parse import urlsplit

from ..errors import InputError
from .registry import DEFAULT_OPTIONS, ReadOptions

logger = logging.getLogger(__name__)

PAGE_TYPES = frozenset({"text/html", "application/xhtml+xml", "text/plain", "application/xml",
                        "text/xml"})
"""Content types read as a page; anything else (PDF, images, video) is refused."""

_ACCEPT = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5"


@dataclass(frozen=True, slots=True)
class Page:
    """A downloaded page: its bytes, the URL it ended at (after redirects), its type."""

    data: bytes
    url: str
    content_type: str


def fetch_page(url: str, *, where: str, options: ReadOptions = DEFAULT_OPTIONS) -> Page:
    """GET ``url`` and return the page, or raise why not.

    Args:
        url: An ``http`` or ``https`` address.
        where: The name failures are reported under (``feed.xml#3``).
        options: ``fetch_timeout``, ``fetch_max_bytes`` and ``user_agent``.

    Raises:
        InputError: ``cannot fetch URL: REASON``.
    """
    scheme = urlsplit(url).scheme.lower()
    if scheme not in ("http", "https"):
        raise InputError(where, f"cannot fetch {url}: not an http(s) address")
    request = urllib.request.Request(url, headers={
        "User-Agent": options.user_agent,
        "Accept": _ACCEPT,
        "Accept-Encoding": "gzip",
    })
    try:
        with urllib.request.urlopen(request, timeout=options.fetch_timeout) as response:
            content_type = response.headers.get_content_type()
            if content_type not in PAGE_TYPES:
                raise _Refused(f"not a web page (content type {content_type})")
            length = response.headers.get("Content-Length", "")
            if length.isdigit() and int(length) > options.fetch_max_bytes:
                raise _Refused(_too_large(options.fetch_max_bytes))
            data = response.read(options.fetch_max_bytes + 1)
            if len(data) > options.fetch_max_bytes:
                raise _Refused(_too_large(options.fetch_max_bytes))
            if response.headers.get("Content-Encoding", "").lower() == "gzip":
                data = _gunzip(data, options.fetch_max_bytes)
            final_url = response.geturl()
    except _Refused as exc:
        raise InputError(where, f"cannot fetch {url}: {exc}") from None
    except (urllib.error.URLError, OSError, ValueError, zlib.error, EOFError) as exc:
        raise InputError(where, f"cannot fetch {url}: {fetch_reason(exc, options)}") from exc
    logger.debug("fetched %s (%d bytes, %s)", final_url, len(data), content_type)
    return Page(data=data, url=final_url, content_type=content_type)


class _Refused(Exception):
    """The server answered, but with something we do not read."""


def _gunzip(data: bytes, limit: int) -> bytes:
    with gzip.GzipFile(fileobj=io.BytesIO(data)) as stream:
        out = stream.read(limit + 1)
    if len(out) > limit:
        raise _Refused(_too_large(limit))
    return out


def _too_large(limit: int) -> str:
    return f"page larger than {limit / 2**20:.1f} MB"


def fetch_reason(exc: BaseException, options: ReadOptions = DEFAULT_OPTIONS) -> str:
    """Say in words why a download failed.

    >>> fetch_reason(ConnectionRefusedError(111, "Connection refused"))
    'connection refused'
    >>> fetch_reason(urllib.error.URLError(socket.gaierror(-3, "Temporary failure")))
    'host not found (offline?)'
    """
    if isinstance(exc, urllib.error.HTTPError):
        return f"HTTP {exc.code} {exc.reason}"
    if isinstance(exc, urllib.error.URLError) and isinstance(exc.reason, BaseException):
        exc = exc.reason
    elif isinstance(exc, urllib.error.URLError):
        return str(exc.reason)
    if isinstance(exc, TimeoutError | socket.timeout):
        return f"timed out after {options.fetch_timeout:g} s"
    if isinstance(exc, socket.gaierror):
        return "host not found (offline?)"
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, ConnectionResetError):
        return "connection reset by the server"
    if isinstance(exc, ssl.SSLError):
        return f"TLS error ({exc.reason or exc})"
    if isinstance(exc, OSError) and exc.errno in (101, 113):  # ENETUNREACH, EHOSTUNREACH
        return "network unreachable (offline?)"
    if isinstance(exc, zlib.error | EOFError):
        return "corrupt compressed page"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror.lower()
    return str(exc) or type(exc).__name__
