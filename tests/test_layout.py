"""Tests for newsgraph.layout: positions the HTML view arrives with."""

from __future__ import annotations

import math
import time

import pytest

from newsgraph.layout import layout


def star(centre: str, leaves: int, prefix: str = "") -> list[tuple[str, str]]:
    return [(centre, f"{prefix}leaf{i}") for i in range(leaves)]


def nodes_of(edges: list[tuple[str, str]]) -> list[str]:
    return list(dict.fromkeys(n for e in edges for n in e))


def bbox(pos: dict, members: list[str], pad: float = 12.0) -> tuple[float, float, float, float]:
    xs = [pos[n][0] for n in members]
    ys = [pos[n][1] for n in members]
    return min(xs) - pad, min(ys) - pad, max(xs) + pad, max(ys) + pad


def overlap(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@pytest.mark.parametrize(
    "nodes, edges",
    [
        ([], []),
        (["a"], []),
        (["a", "b"], [("a", "b")]),
        (["a", "b", "c"], [("a", "b"), ("b", "c"), ("c", "a")]),
        (["a", "b", "c", "d"], [("a", "a"), ("a", "b"), ("b", "a"), ("a", "zz")]),  # loop, dup
        (["x", "y", "z"], []),
    ],
)
def test_every_node_gets_one_finite_position(nodes: list[str], edges: list) -> None:
    pos = layout(nodes, edges)
    assert set(pos) == set(nodes)
    assert all(math.isfinite(c) for p in pos.values() for c in p)
    assert len(set(pos.values())) == len(nodes)  # no two nodes on the same spot


def test_edges_naming_unknown_nodes_are_ignored() -> None:
    pos = layout(["a", "b"], [("a", "ghost"), ("ghost", "b")])
    assert set(pos) == {"a", "b"}


def test_same_input_same_picture() -> None:
    edges = [*star("hub", 30), ("leaf1", "leaf2"), ("x", "y")]
    assert layout(nodes_of(edges), edges) == layout(nodes_of(edges), edges)
    assert layout(nodes_of(edges), edges, seed=1) != layout(nodes_of(edges), edges, seed=2)


@pytest.mark.parametrize("edge_length", [60.0, 150.0, 400.0])
def test_an_edge_spans_about_edge_length(edge_length: float) -> None:
    edges = [("a", "b"), ("b", "c"), ("c", "d"), ("d", "a"), ("a", "c")]
    pos = layout(nodes_of(edges), edges, edge_length=edge_length)
    lengths = [math.dist(pos[a], pos[b]) for a, b in edges]
    assert 0.4 * edge_length < min(lengths) and max(lengths) < 2.5 * edge_length


def test_connected_nodes_are_closer_than_unconnected_ones() -> None:
    edges = star("hub", 12)
    pos = layout(nodes_of(edges), edges)
    spoke = max(math.dist(pos["hub"], pos[f"leaf{i}"]) for i in range(12))
    leaves = [math.dist(pos["leaf0"], pos[f"leaf{i}"]) for i in range(1, 12)]
    assert spoke < max(leaves)


def test_components_do_not_overlap() -> None:
    first = star("a", 25, "a")
    second = star("b", 8, "b")
    pair = [("p", "q")]
    lonely = ["l1", "l2", "l3"]
    nodes = nodes_of(first + second + pair) + lonely
    pos = layout(nodes, first + second + pair)
    boxes = [
        bbox(pos, nodes_of(first)),
        bbox(pos, nodes_of(second)),
        bbox(pos, ["p", "q"]),
        bbox(pos, lonely),
    ]
    for i, box in enumerate(boxes):
        for other in boxes[i + 1 :]:
            assert not overlap(box, other)


def test_isolated_nodes_are_a_grid_in_the_given_order() -> None:
    lonely = [f"n{i}" for i in range(20)]
    pos = layout(lonely, [])
    rows: dict[float, list[str]] = {}
    for node in lonely:
        rows.setdefault(pos[node][1], []).append(node)
    assert 1 < len(rows) < 20  # a block, neither one row nor one column
    reading_order = [n for y in sorted(rows) for n in sorted(rows[y], key=lambda n: pos[n][0])]
    assert reading_order == lonely


def test_big_nodes_get_room_in_the_grid() -> None:
    small = layout(["a", "b"], [], sizes={"a": 12, "b": 12})
    big = layout(["a", "b"], [], sizes={"a": 60, "b": 12})
    assert math.dist(*big.values()) >= math.dist(*small.values())
    assert math.dist(*big.values()) > 2 * 60


def test_result_is_centred() -> None:
    edges = [*star("hub", 10), ("x", "y")]
    pos = layout([*nodes_of(edges), "alone"], edges)
    xs, ys = zip(*pos.values(), strict=True)
    assert abs(min(xs) + max(xs)) < 1 and abs(min(ys) + max(ys)) < 1


def test_picture_is_wider_than_tall_when_there_is_a_choice() -> None:
    edges = [e for i in range(40) for e in star(f"hub{i}", 3, f"h{i}")]
    pos = layout(nodes_of(edges), edges)
    xs, ys = zip(*pos.values(), strict=True)
    assert 1.0 <= (max(xs) - min(xs)) / (max(ys) - min(ys)) < 4.0


def test_a_thousand_node_component_is_laid_out_in_seconds() -> None:
    edges = [(f"n{i}", f"n{i // 3}") for i in range(1, 1000)]  # a ternary tree
    started = time.perf_counter()
    pos = layout(nodes_of(edges), edges)
    assert len(pos) == 1000
    assert time.perf_counter() - started < 20  # ~1 s alone; generous for a busy CI runner


Point = tuple[float, float]


def segment_distance(p: Point, a: Point, b: Point) -> float:
    ax, ay = a
    dx, dy = b[0] - ax, b[1] - ay
    t = max(0.0, min(1.0, ((p[0] - ax) * dx + (p[1] - ay) * dy) / (dx * dx + dy * dy)))
    return math.dist(p, (ax + t * dx, ay + t * dy))


@pytest.mark.parametrize("between", [1, 2, 3])
def test_a_node_linked_to_both_ends_of_an_edge_does_not_hide_it(between: int) -> None:
    """X based in Paris, X based in France, Paris located in France: three readable edges."""
    edges = [
        *star("paris", 8, "p"),
        *star("france", 8, "f"),
        ("paris", "france"),
        *[(f"x{i}", end) for i in range(between) for end in ("paris", "france")],
    ]
    pos = layout(nodes_of(edges), edges)
    for i in range(between):
        assert segment_distance(pos[f"x{i}"], pos["paris"], pos["france"]) > 0.3 * 150
    lifted = [pos[f"x{i}"] for i in range(between)]
    assert all(math.dist(a, b) > 30 for i, a in enumerate(lifted) for b in lifted[i + 1 :])


def test_a_node_between_two_unlinked_nodes_stays_on_its_path() -> None:
    edges = [("a", "x"), ("x", "b"), *star("a", 5, "a"), *star("b", 5, "b")]
    pos = layout(nodes_of(edges), edges)
    assert segment_distance(pos["x"], pos["a"], pos["b"]) < 0.3 * 150
