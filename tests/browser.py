"""Drive the system Chromium over generated pages: launch, open offline, point and hover.

Test helper (not part of the package). It never downloads a browser: it drives the
Debian ``/usr/bin/chromium`` through Playwright, and tests skip when that binary is
absent. Pages open through :func:`newsgraph.snapshot.open_offline`, which aborts and
records every request other than the page itself, so a test can assert that a page
works with no network at all.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from newsgraph.snapshot import CHROMIUM, PageLog, open_offline
from newsgraph.snapshot import launch_chromium as _launch

__all__ = [
    "CHROMIUM",
    "PageLog",
    "chromium_missing_reason",
    "hover_tooltip",
    "launch_chromium",
    "open_offline",
    "screen_point_of_edge",
    "screen_point_of_node",
    "wait_until",
]


def chromium_missing_reason() -> str | None:
    """Why browser tests cannot run here, or None when they can."""
    if not CHROMIUM.exists():
        return (
            f"{CHROMIUM} not found: browser tests need the system Chromium (apt install chromium)"
        )
    return None


@contextmanager
def launch_chromium() -> Iterator[Any]:
    """Start headless Debian Chromium (exactly /usr/bin/chromium) for the block."""
    with _launch(CHROMIUM) as browser:
        yield browser


def screen_point_of_node(page: Any, node_id: str) -> dict[str, float]:
    """Viewport coordinates of a node's centre, via ``network.canvasToDOM``."""
    return page.evaluate(
        """(id) => {
            const rect = network.body.container.getBoundingClientRect();
            const p = network.canvasToDOM(network.getPositions([id])[id]);
            if (network.getNodeAt(p) !== id) { throw new Error('node ' + id + ' is covered'); }
            return {x: rect.left + p.x, y: rect.top + p.y};
        }""",
        node_id,
    )


def screen_point_of_edge(page: Any, edge_id: str) -> dict[str, float]:
    """Viewport coordinates of a point on an edge that hits that edge and no node.

    The middle is tried first, then points towards either end: the middle of a
    short edge can lie under a big node, or under a label of another edge.
    """
    return page.evaluate(
        """(id) => {
            const e = network.body.data.edges.get(id);
            const pos = network.getPositions([e.from, e.to]);
            const a = pos[e.from], b = pos[e.to];
            const rect = network.body.container.getBoundingClientRect();
            for (const t of [0.5, 0.4, 0.6, 0.3, 0.7, 0.45, 0.55, 0.35, 0.65]) {
                const p = network.canvasToDOM({x: a.x + t * (b.x - a.x), y: a.y + t * (b.y - a.y)});
                if (network.getEdgeAt(p) === id && network.getNodeAt(p) === undefined) {
                    return {x: rect.left + p.x, y: rect.top + p.y};
                }
            }
            throw new Error('no point of edge ' + id + ' can be hovered');
        }""",
        edge_id,
    )


def _empty_point(page: Any) -> dict[str, float]:
    """A point of the canvas over no node and no edge, to rest the mouse on."""
    return page.evaluate(
        """() => {
            const r = network.body.container.getBoundingClientRect();
            for (let y = 3; y < r.height; y += 17) {
                for (let x = 3; x < r.width; x += 17) {
                    const p = {x: x, y: y};
                    if (network.getNodeAt(p) === undefined && network.getEdgeAt(p) === undefined) {
                        return {x: r.left + x, y: r.top + y};
                    }
                }
            }
            throw new Error('the canvas has no empty point');
        }"""
    )


def hover_tooltip(
    page: Any, point: dict[str, float], expect: str, *, attempts: int = 3, timeout: float = 4000
) -> Any:
    """Hover ``point`` and return ``div.vis-tooltip`` once it shows ``expect``.

    The mouse first rests on an empty point of the canvas, so the tooltip of a
    previous hover closes and a fresh one opens after vis-network's delay. Under
    load a hover can be missed (the delay timer and the mouse events race), so it
    is retried a few times before the test fails.
    """
    rest = _empty_point(page)
    last: Exception | None = None
    for _ in range(attempts):
        page.mouse.move(rest["x"], rest["y"])
        page.wait_for_function(
            """() => { const t = document.querySelector('div.vis-tooltip');
                       return !t || getComputedStyle(t).visibility !== 'visible'; }""",
            timeout=timeout,
        )
        page.mouse.move(point["x"], point["y"], steps=4)
        try:
            page.wait_for_function(
                """(expect) => { const t = document.querySelector('div.vis-tooltip');
                                 return t && getComputedStyle(t).visibility === 'visible'
                                        && t.innerText.includes(expect); }""",
                arg=expect,
                timeout=timeout,
            )
            return page.query_selector("div.vis-tooltip")
        except Exception as exc:  # Playwright's TimeoutError: try again
            last = exc
    raise AssertionError(f"no tooltip showing {expect!r} after {attempts} hovers") from last


def wait_until(page: Any, condition: Callable[[], bool], *, timeout: float = 10_000) -> None:
    """Wait for a condition on what the page has logged (checked in Python).

    Console messages and requests reach Python as events, which Playwright delivers
    while it waits; so wait in short steps until the condition holds, and fail
    after ``timeout`` milliseconds rather than guess how long is enough.
    """
    deadline = time.monotonic() + timeout / 1000
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout / 1000:g} s")
        page.wait_for_timeout(20)
