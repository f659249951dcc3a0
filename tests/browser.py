"""Open generated pages in the system Chromium, offline, and record what they do.

Test helper (not part of the package). It never downloads a browser: it drives the
Debian ``/usr/bin/chromium`` through Playwright, and tests skip when that binary is
absent. Every request other than the page itself is aborted and recorded, so a test
can assert that a page works with no network at all.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
# Schemes a page may use without touching the network or the file system.
_LOCAL_SCHEMES = ("data:", "blob:", "about:")


def chromium_missing_reason() -> str | None:
    """Why browser tests cannot run here, or None when they can."""
    if not CHROMIUM.exists():
        return (
            f"{CHROMIUM} not found: browser tests need the system Chromium (apt install chromium)"
        )
    return None


@contextmanager
def launch_chromium() -> Iterator[Any]:
    """Start headless system Chromium for the duration of the block."""
    from playwright.sync_api import sync_playwright  # heavy; only browser tests pay for it

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class PageLog:
    """What a page did besides rendering: blocked requests and errors."""

    blocked: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[str]:
        return self.console_errors + self.page_errors


@contextmanager
def open_offline(browser: Any, path: Path) -> Iterator[tuple[Any, PageLog]]:
    """Load ``path`` in a fresh context where nothing but the page itself loads.

    Yields ``(page, log)``. Requests go through a route that lets only the page's
    own ``file://`` URL continue; anything else is aborted and recorded. A
    ``request`` listener records as well, for requests a route does not see.
    """
    url = path.resolve().as_uri()
    log = PageLog()
    context = browser.new_context(viewport={"width": 1280, "height": 800})

    def route(r: Any) -> None:
        if r.request.url == url:
            r.continue_()
        else:
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


def screen_point_of_node(page: Any, node_id: str) -> dict[str, float]:
    """Viewport coordinates of a node's centre, via ``network.canvasToDOM``."""
    return page.evaluate(
        """(id) => {
            const rect = network.body.container.getBoundingClientRect();
            const p = network.canvasToDOM(network.getPositions([id])[id]);
            return {x: rect.left + p.x, y: rect.top + p.y};
        }""",
        node_id,
    )


def screen_point_of_edge(page: Any, edge_id: str) -> dict[str, float]:
    """Viewport coordinates of the middle of an edge (between its two nodes)."""
    return page.evaluate(
        """(id) => {
            const e = network.body.data.edges.get(id);
            const pos = network.getPositions([e.from, e.to]);
            const mid = {x: (pos[e.from].x + pos[e.to].x) / 2,
                         y: (pos[e.from].y + pos[e.to].y) / 2};
            const rect = network.body.container.getBoundingClientRect();
            const p = network.canvasToDOM(mid);
            return {x: rect.left + p.x, y: rect.top + p.y};
        }""",
        edge_id,
    )


def hover_tooltip(page: Any, point: dict[str, float], expect: str, *, timeout: float = 5000) -> Any:
    """Hover ``point`` and return ``div.vis-tooltip`` once it shows ``expect``.

    The mouse first rests on a corner of the canvas, away from the nodes the layout
    centres, so the tooltip of a previous hover closes and a fresh one opens.
    """
    corner = page.evaluate(
        """() => { const r = network.body.container.getBoundingClientRect();
                   return {x: r.left + 3, y: r.top + 3}; }"""
    )
    page.mouse.move(corner["x"], corner["y"])
    page.mouse.move(point["x"], point["y"], steps=3)
    page.wait_for_function(
        """(expect) => { const t = document.querySelector('div.vis-tooltip');
                         return t && getComputedStyle(t).visibility === 'visible'
                                && t.innerText.includes(expect); }""",
        arg=expect,
        timeout=timeout,
    )
    return page.query_selector("div.vis-tooltip")
