"""The command line: the contract's build command, one-line errors, help everywhere."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from paths import SEEDS, SMALL_MODEL
from rdflib import Graph

from newsgraph.cli import main

QUERIES = Path(__file__).resolve().parents[1] / "examples" / "queries"


def _run(*args: str) -> click.testing.Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def _commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = [prefix]
    for name, cmd in group.commands.items():
        if isinstance(cmd, click.Group):
            found += _commands(cmd, (*prefix, name))
        else:
            found.append((*prefix, name))
    return found


@pytest.mark.parametrize("command", _commands(main), ids=lambda c: " ".join(c) or "newsgraph")
def test_every_command_has_help(command: tuple[str, ...]) -> None:
    result = _run(*command, "--help")
    assert result.exit_code == 0
    assert "Usage:" in result.output


def test_build_writes_graph_and_html(tmp_path: Path) -> None:
    out, html = tmp_path / "seeds.ttl", tmp_path / "seeds.html"
    result = _run("build", str(SEEDS), "-o", str(out), "--html", str(html),
                  "--model", SMALL_MODEL)
    assert result.exit_code == 0, result.output
    assert len(Graph().parse(out)) > 100
    assert "<html" in html.read_text(encoding="utf-8").lower()
    assert "2 articles" in result.stderr


def test_unreadable_file_is_one_line_and_the_rest_is_built(tmp_path: Path) -> None:
    bad = tmp_path / "broken.txt"
    bad.write_bytes(b"\xff\xfe\x00 not utf-8 \x81")
    missing = tmp_path / "missing.txt"
    out = tmp_path / "g.nt"
    result = _run("build", str(bad), str(missing), str(SEEDS / "000_61b824737333c4b0.txt"),
                  "-o", str(out), "--model", SMALL_MODEL)
    assert result.exit_code == 0
    lines = [line for line in result.stderr.splitlines() if line.startswith("newsgraph: skipped")]
    assert len(lines) == 2
    assert any(str(bad) in line for line in lines)
    assert any(str(missing) in line for line in lines)
    assert "Traceback" not in result.stderr
    assert "xiaomi" in out.read_text(encoding="utf-8")


def test_strict_stops_at_the_first_bad_input(tmp_path: Path) -> None:
    out = tmp_path / "g.ttl"
    result = _run("build", str(tmp_path / "missing.txt"), str(SEEDS), "-o", str(out),
                  "--strict", "--model", SMALL_MODEL)
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and "missing.txt" in result.stderr
    assert not out.exists()


def test_missing_model_is_one_line_saying_how_to_install(tmp_path: Path) -> None:
    result = _run("build", str(SEEDS), "-o", str(tmp_path / "g.ttl"),
                  "--model", "xx_no_such_model")
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1
    assert "xx_no_such_model" in result.stderr and "pip install" in result.stderr


def test_unknown_extractor_lists_the_valid_names(tmp_path: Path) -> None:
    result = _run("build", str(SEEDS), "-o", str(tmp_path / "g.ttl"), "--extractors", "nope",
                  "--model", SMALL_MODEL)
    assert result.exit_code == 1
    assert "nope" in result.stderr and "verb-frames" in result.stderr


def test_bad_output_suffix_fails_before_parsing(tmp_path: Path) -> None:
    result = _run("build", str(SEEDS), "-o", str(tmp_path / "g.docx"))
    assert result.exit_code == 1
    assert "g.docx" in result.stderr and ".ttl" in result.stderr


def test_existing_output_survives_a_failed_build(tmp_path: Path) -> None:
    out = tmp_path / "g.ttl"
    out.write_text("# previous graph\n", encoding="utf-8")
    result = _run("build", str(SEEDS), "-o", str(out), "--extractors", "nope")
    assert result.exit_code == 1
    assert out.read_text(encoding="utf-8") == "# previous graph\n"


def test_existing_output_survives_a_failed_write(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    import newsgraph.export as export

    out = tmp_path / "g.ttl"
    out.write_text("# previous graph\n", encoding="utf-8")

    def disk_full(src: object, dst: object) -> None:  # the graph is serialised, then the disk fills
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(export.os, "replace", disk_full)
    result = _run("build", str(SEEDS), "-o", str(out), "--model", SMALL_MODEL)
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and "g.ttl" in result.stderr
    assert out.read_text(encoding="utf-8") == "# previous graph\n"
    assert [p.name for p in tmp_path.iterdir()] == ["g.ttl"]


def test_installed_console_script_runs(tmp_path: Path) -> None:
    exe = Path(sys.executable).with_name("newsgraph")
    out = tmp_path / "g.trig"
    proc = subprocess.run(
        [str(exe), "build", str(SEEDS), "-o", str(out), "--model", SMALL_MODEL, "-q"],
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    assert "art:000_61b824737333c4b0 {" in out.read_text(encoding="utf-8")


# --------------------------------------------------------------------------- stores


@pytest.fixture(scope="module")
def seeds_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed articles built into a store through the command line, once."""
    store = tmp_path_factory.mktemp("cli") / "store"
    result = _run("build", str(SEEDS), "--store", str(store), "--model", SMALL_MODEL)
    assert result.exit_code == 0, result.output
    assert "2 articles (2 new, 0 replaced)" in result.stderr
    return store


def test_build_needs_somewhere_to_put_the_graph() -> None:
    result = _run("build", str(SEEDS))
    assert result.exit_code == 2
    assert "-o OUT" in result.stderr and "--store DIR" in result.stderr


def test_re_adding_the_same_articles_leaves_the_triple_count_unchanged(tmp_path: Path) -> None:
    from newsgraph.store import open_store, store_stats

    store = tmp_path / "store"
    counts = []
    for expected in ("(2 new, 0 replaced)", "(0 new, 2 replaced)"):
        result = _run("build", str(SEEDS), "--store", str(store), "--model", SMALL_MODEL)
        assert result.exit_code == 0, result.output
        assert expected in result.stderr
        ds = open_store(store)
        counts.append((store_stats(ds), len(ds)))
        ds.close()
    assert counts[0] == counts[1]
    assert counts[0][0].triples > 100


def test_build_into_a_store_with_o_writes_the_whole_store(tmp_path: Path) -> None:
    store, out = tmp_path / "store", tmp_path / "all.trig"
    first, second = sorted(SEEDS.glob("*.txt"))
    assert _run("build", str(first), "--store", str(store), "--model", SMALL_MODEL,
                "-q").exit_code == 0
    result = _run("build", str(second), "--store", str(store), "-o", str(out),
                  "--model", SMALL_MODEL)
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert f"art:{first.stem} {{" in text and f"art:{second.stem} {{" in text
    assert "newsgraph/store" not in text  # the resolver's state stays in the store


def test_a_directory_that_is_not_a_store_is_refused(tmp_path: Path) -> None:
    result = _run("build", str(SEEDS), "--store", str(SEEDS), "--model", SMALL_MODEL)
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and "not a store" in result.stderr


@pytest.mark.parametrize("args, expected", [
    (["{store}", "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE {{ ?a a ng:Article }}"], "n\n-\n2\n"),
    (["--store", "{store}", "ASK {{ ?s ng:mentionedIn ?a }}"], "true\n"),
    (["--store", "{store}", str(QUERIES / "blocked.rq"), "-f", "csv"], "blocker,blocked"),
    (["--store", "{store}", "-", "-f", "tsv"], "?n\n"),
])
def test_query_a_store_or_file(args: list[str], expected: str, seeds_store: Path) -> None:
    result = CliRunner().invoke(main, ["query", *(a.format(store=seeds_store) for a in args)],
                                input="SELECT ?n WHERE { ?e ng:mentions ?n } LIMIT 1",
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(expected) or expected in result.stdout, result.stdout


def test_query_a_graph_file_as_json(tmp_path: Path, seeds_store: Path) -> None:
    import json

    out = tmp_path / "g.nq"
    assert _run("export", "--store", str(seeds_store), "-o", str(out)).exit_code == 0
    result = _run("query", str(out), "SELECT ?a WHERE { ?a a ng:Article }", "--format", "json")
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.stdout)["results"]["bindings"]) == 2


@pytest.mark.parametrize("args, code, says", [
    (["SELECT * WHERE {{ ?s ?p ?o }}"], 2, "FILE or --store DIR"),
    (["a.ttl", "b.ttl", "SELECT"], 2, "--store DIR QUERY or FILE QUERY"),
    (["--store", "{store}", "x.ttl", "SELECT"], 2, "--store DIR QUERY"),
    (["--store", "{store}", "missing.rq"], 1, "missing.rq: no such query file"),
    (["{missing}", "ASK {{}}"], 1, "no such file"),
    (["--store", "{missing}", "ASK {{}}"], 1, "no store here"),
    (["--store", "{store}", "SELECT ?x WHERE {{ ?x nope:a ?y }}"], 1,
     "SPARQL syntax error at line 1, column"),
    (["--store", "{store}", "SELECT ?x WHERE {{ ?x ?p ?y }}", "--bind", "nope"], 1,
     "NAME=VALUE"),
    (["--store", "{store}", "CONSTRUCT WHERE {{ ?x ?p ?y }}", "-f", "csv"], 1, "gives RDF"),
])
def test_query_errors_are_one_line(args: list[str], code: int, says: str, seeds_store: Path,
                                   tmp_path: Path) -> None:
    result = _run("query", *(a.format(store=seeds_store, missing=tmp_path / "nope.ttl")
                             for a in args))
    assert result.exit_code == code, result.output
    assert says in result.stderr and "Traceback" not in result.stderr
    if code == 1:
        assert result.stderr.count("\n") == 1


def test_a_syntax_error_in_a_query_file_names_the_file(tmp_path: Path,
                                                       seeds_store: Path) -> None:
    bad = tmp_path / "bad.rq"
    bad.write_text("SELECT ?x WHERE {\n  ?x ?p \n", encoding="utf-8")
    result = _run("query", "--store", str(seeds_store), str(bad))
    assert result.exit_code == 1
    assert f"{bad}: SPARQL syntax error at line 3" in result.stderr


def test_bind_with_a_name_the_graph_does_not_label_warns_with_a_suggestion(
        seeds_store: Path) -> None:
    result = _run("query", "--store", str(seeds_store), str(QUERIES / "partners.rq"),
                  "--bind", 'name=Xiaomi" } ; DROP ALL ; {')
    assert result.exit_code == 0
    assert "(0 rows)" in result.stdout and "no entity is labelled" in result.stderr
    assert _run("query", "--store", str(seeds_store), "ASK { ?a a ng:Article }").stdout == \
        "true\n"


@pytest.mark.parametrize("target, check", [
    ("g.graphml", lambda p: "<graphml" in p.read_text(encoding="utf-8")),
    ("g.ttl", lambda p: len(Graph().parse(p)) > 100),
    ("csv", lambda p: (p / "nodes.csv").exists() and (p / "edges.csv").exists()),
])
def test_export_a_store(target: str, check, seeds_store: Path, tmp_path: Path) -> None:
    out = tmp_path / target
    result = _run("export", "--store", str(seeds_store), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert check(out)
    assert str(out) in result.stderr


@pytest.mark.parametrize("args, code, says", [
    (["-o", "x.ttl"], 2, "--store DIR or a graph FILE"),
    (["--store", "{store}", "-o", "{tmp}/x.docx"], 1, "unknown output format '.docx'"),
    (["--store", "{store}", "-o", "{tmp}/x.ttl", "--csv-style", "gexf"], 2, "gexf"),
    (["{tmp}/missing.ttl", "-o", "{tmp}/x.ttl"], 1, "no such file"),
])
def test_export_errors(args: list[str], code: int, says: str, seeds_store: Path,
                       tmp_path: Path) -> None:
    result = _run("export", *(a.format(store=seeds_store, tmp=tmp_path) for a in args))
    assert result.exit_code == code, result.output
    assert says in result.stderr
