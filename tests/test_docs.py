"""The documentation tells the truth: docs/queries.md is what scripts/query_docs.py
writes now (each example query's real output on the example graph), and the README's
store/query/serve/export commands exist with the options it names."""

from __future__ import annotations

import importlib.util
import re

import pytest
from click.testing import CliRunner
from paths import ROOT

from newsgraph.cli import main


def _script():
    spec = importlib.util.spec_from_file_location("query_docs", ROOT / "scripts" / "query_docs.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_docs_queries_md_is_current() -> None:
    page = _script().render()
    current = (ROOT / "docs" / "queries.md").read_text(encoding="utf-8")
    assert page == current, "docs/queries.md is stale: run scripts/query_docs.py"


def test_docs_show_every_example_query() -> None:
    page = (ROOT / "docs" / "queries.md").read_text(encoding="utf-8")
    for path in (ROOT / "examples" / "queries").glob("*.rq"):
        assert f"examples/queries/{path.name}" in page, path.name


README_COMMANDS = re.compile(r"^(?:\.venv/bin/)?newsgraph (\w+)(.*)$", re.M)


@pytest.mark.parametrize("line", sorted({m.group(0) for m in README_COMMANDS.finditer(
    (ROOT / "README.md").read_text(encoding="utf-8")) if m.group(1) in main.commands}))
def test_readme_commands_use_options_that_exist(line: str) -> None:
    command, rest = README_COMMANDS.match(line).groups()  # type: ignore[union-attr]
    result = CliRunner().invoke(main, [command, "--help"])
    assert result.exit_code == 0, line
    for option in re.findall(r"(?<![\w-])(--[a-z][a-z-]*)", rest):
        assert option in result.output, f"{line}: {option}"
