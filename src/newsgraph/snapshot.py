"""Open HTML pages in headless Chromium, offline, and take screenshots of them.

``newsgraph snapshot`` uses this to turn a page written by :mod:`newsgraph.viz`
into a PNG (for a README, a report, a ticket), and the browser tests use the same
launcher and offline page. Chromium is the system one (Debian's ``chromium``
package, ``/usr/bin/chromium``), driven through Playwright for Python: nothing
downloads a browser. Every request other than the page itself is aborted and
recorded, so a screenshot never depends on, or leaks anything to, the network.

Playwright is an optional dependency (``pip install 'newsgraph[snapshot]'``);
it is imported only when a browser is started.
"""

from __future__ import annotations

import logging
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsgraph.errors import InputError, OutputError

__all__ = [
    "CHROMIUM",
    "CHROMIUM_ARGS",
    "PageLog",
    "find_chromium",
    "launch_chromium",
    "open_offline",
    "snapshot",
]

logger = logging.getLogger(__name__)

CHROMIUM = Path("/usr/bin/chromium")
"""Debian's Chromium, the browser used unless told otherwise."""

CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",  # containers and CI runners seldom allow the sandbox's namespaces
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]

# Schemes a page may use without touching the network or the file system.
_LOCAL_SCHEMES = ("data:", "blob:", "about:")
_OTHER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
# A newsgraph page marks its body once the graph is drawn; other pages are taken
# as soon as they have loaded.
_READY = """() => document.body !== null && (document.body.dataset.drawn === 'true' ||
    document.querySelector('meta[name=generator][content=newsgraph]') === null)"""


def find_chromium(executable: str | os.PathLike[str] | None = None) -> Path:
    """The Chromium to run: ``executable``, else ``$NEWSGRAPH_CHROMIUM``, else the system's.

    Raises:
        OutputError: none is found; the message says how to install one.
    """
    candidates = [executable, os.environ.get("NEWSGRAPH_CHROMIUM")]
    for candidate in candidates:
        if candidate:
            path = Path(candidate)
            if path.is_file() and os.access(path, os.X_OK):
                return path
            raise OutputError(f"{path}: no Chromium executable there")
    if CHROMIUM.is_file():
        return CHROMIUM
    for name in _OTHER_NAMES:
        found = shutil.which(name)
        if found:
            return Path(found)
    raise OutputError(
        "no Chromium found: install Debian's (apt install chromium) or name one with --chromium"
    )


@contextmanager
def launch_chromium(executable: str | os.PathLike[str] | None = None) -> Iterator[Any]:
    """Start headless Chromium for the duration of the block; yields a Playwright Browser.

    Raises:
        OutputError: Playwright or Chromium is missing, or Chromium does not start.
    """
    path = find_chromium(executable)
    try:
        from playwright.sync_api import Error, sync_playwright  # heavy and optional
    except ImportError:
        raise OutputError(
            "this needs Playwright for Python: pip install 'newsgraph[snapshot]' "
            "(no browser is downloaded; the system Chromium is used)"
        ) from None
    with sync_playwright() as pw:
        try:
            browser = pw.chromium.launch(executable_path=str(path), args=CHROMIUM_ARGS)
        except Error as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise OutputError(f"{path}: Chromium did not start ({first})") from exc
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class PageLog:
    """What a page did besides rendering: requests it was refused, and errors."""

    blocked: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[str]:
        """Console errors and uncaught exceptions, in that order."""
        return self.console_errors + self.page_errors


@contextmanager
def open_offline(
    browser: Any,
    path: str | os.PathLike[str],
    *,
    width: int = 1280,
    height: int = 800,
    scale: float = 1.0,
) -> Iterator[tuple[Any, PageLog]]:
    """Load ``path`` in a fresh browser context where nothing but the page itself loads.

    Yields ``(page, log)``. Requests go through a route that lets only the page's
    own ``file://`` URL continue; anything else is aborted and recorded. A
    ``request`` listener records as well, for requests a route does not see.
    """
    url = Path(path).resolve().as_uri()
    log = PageLog()
    context = browser.new_context(
        viewport={"width": width, "height": height}, device_scale_factor=scale
    )

    def route(r: Any) -> None:
        if r.request.url == url:
            r.continue_()
        else:
            if r.request.url not in log.blocked:
                log.blocked.append(r.request.url)
            r.abort()

    def on_request(request: Any) -> None:
        local = request.url == url or request.url.startswith(_LOCAL_SCHEMES)
        if not local and request.url not in log.blocked:
            log.blocked.append(request.url)

    try:
        context.route("**/*", route)
        page = context.new_page()
        page.on("request", on_request)
        page.on(
            "console",
            lambda msg: log.console_errors.append(msg.text) if msg.type == "error" else None,
        )
        page.on("pageerror", lambda exc: log.page_errors.append(str(exc)))
        page.goto(url, wait_until="load")
        yield page, log
    finally:
        context.close()


def snapshot(
    page: str | os.PathLike[str],
    output: str | os.PathLike[str],
    *,
    width: int = 1280,
    height: int = 800,
    scale: float = 1.0,
    timeout: float = 60.0,
    chromium: str | os.PathLike[str] | None = None,
) -> PageLog:
    """Save a PNG screenshot of an HTML page as headless Chromium draws it, offline.

    A page written by newsgraph is taken once its graph is laid out and drawn;
    any other page once it has loaded.

    Args:
        page: The HTML file.
        output: The PNG to write (replaced atomically).
        width: Viewport width in CSS pixels.
        height: Viewport height in CSS pixels.
        scale: Device pixel ratio (2 for a sharp image on high-density screens).
        timeout: Seconds to wait for the graph to be drawn.
        chromium: The Chromium executable (default: see :func:`find_chromium`).

    Returns:
        What the page tried to load (and was refused) and the errors it logged, for
        the caller to report.

    Raises:
        InputError: the page does not exist.
        OutputError: no Playwright or Chromium, the page never finished drawing,
            or the PNG cannot be written.
    """
    # viz's writer, not export's: it creates the file 0666 & ~umask, as open() would.
    from newsgraph.viz import _write_atomic

    source = Path(page)
    if not source.is_file():
        raise InputError(str(source), "no such file")
    with (
        launch_chromium(chromium) as browser,
        open_offline(browser, source, width=width, height=height, scale=scale) as (tab, log),
    ):
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        try:
            tab.wait_for_function(_READY, timeout=timeout * 1000)
        except PlaywrightTimeout:
            raise OutputError(
                f"{source}: the graph was not drawn within {timeout:g} s"
                + (f" ({log.errors[0]})" if log.errors else "")
            ) from None
        image = tab.screenshot(type="png")
    try:
        _write_atomic(Path(output), image)
    except OSError as exc:
        raise OutputError(f"{output}: cannot write ({exc.strerror or exc})") from exc
    logger.info("wrote %s (%d bytes)", output, len(image))
    return log
