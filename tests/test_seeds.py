"""End to end on the user's seed articles, scored by the referee (../shared/tools/kgeval.py).

The thresholds are the product's promise on these articles: every core fact found,
no denied fact asserted, every gold entity typed right.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from paths import GOLD, KGEVAL


@pytest.fixture(scope="module")
def scores(seeds_kg, tmp_path_factory: pytest.TempPathFactory) -> dict[str, float]:
    if not KGEVAL.exists():
        pytest.skip(f"{KGEVAL} not found (../shared is not beside the repository)")
    out: Path = seeds_kg.write(tmp_path_factory.mktemp("seeds") / "seeds.ttl")
    proc = subprocess.run([sys.executable, str(KGEVAL), "--gold", str(GOLD), "--graph", str(out)],
                          capture_output=True, text=True, check=True, timeout=120)
    return {k: float(v) for k, v in re.findall(r"(\w+)=([\d.]+)", proc.stdout)}


def test_every_core_fact_is_found(scores: dict[str, float]) -> None:
    assert scores["core_recall"] == 1.0


def test_no_negated_fact_is_asserted(scores: dict[str, float]) -> None:
    assert scores["negated_violations"] == 0


def test_gold_entities_are_typed_right(scores: dict[str, float]) -> None:
    assert scores["type_accuracy"] >= 0.9


def test_precision_holds(scores: dict[str, float]) -> None:
    assert scores["precision"] >= 0.8


@pytest.mark.parametrize("ask", [
    "ent:xiaomi ng:partnersWith ent:microsoft",
    "ent:huawei ng:blockedBy ent:at-and-t",
    "ent:xiaomi ng:plansToEnter ent:united-states",
    "ent:wang-xiang ng:worksFor ent:xiaomi",
    "ent:xiaomi ng:basedIn ent:china",
    "ent:xiaomi ng:operatesIn ent:spain",
    "ent:xiaomi ng:operatesIn ent:india",
    "ent:lei-jun ng:leads ent:xiaomi",
])
def test_core_fact_in_sparql(ask: str, seeds_kg) -> None:
    s, p, o = ask.split()
    assert seeds_kg.query(f"ASK {{ {{ {s} {p} {o} }} UNION {{ {o} {p} {s} }} }}").askAnswer


@pytest.mark.parametrize("ask", [
    "ent:at-and-t ng:partnersWith ent:huawei",
    "ent:huawei ng:partnersWith ent:at-and-t",
    "ent:xiaomi ng:operatesIn ent:united-states",
])
def test_denied_fact_is_not_asserted(ask: str, seeds_kg) -> None:
    assert not seeds_kg.query(f"ASK {{ {ask} }}").askAnswer
