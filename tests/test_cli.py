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


# --- newsgraph read, and build on real-world input ------------------------------------

INGEST = Path(__file__).resolve().parent / "fixtures" / "ingest"


def _records(output: str) -> list[dict]:
    import json

    return [json.loads(line) for line in output.splitlines()]


@pytest.mark.parametrize(
    "name, ids, title",
    [
        ("page.html", ["page"], "Fiserv to buy First Data for $22 billion"),
        ("rss20.xml", ["feed-dd10cdde088594d1", "feed-301524f68dec7de3"],
         "Xiaomi opens its third store in Spain"),
        ("mixed.jsonl", ["yf-1", "42", "txt-75070abfb7ea56c4"], "Fiserv to Buy First Data"),
    ],
)
def test_read_prints_one_json_object_per_article(name: str, ids: list[str], title: str) -> None:
    result = _run("read", str(INGEST / name))
    assert result.exit_code == 0, result.stderr
    records = _records(result.stdout)
    assert [r["id"] for r in records] == ids
    assert records[0]["title"] == title
    assert all(set(r) <= {"id", "title", "date", "url", "source", "author", "language", "text"}
               for r in records)
    assert "Traceback" not in result.stderr


def test_read_output_reads_back_the_same(tmp_path: Path) -> None:
    first = _run("read", str(INGEST), str(SEEDS))
    assert first.exit_code == 0
    dump = tmp_path / "articles.jsonl"
    dump.write_text(first.stdout, encoding="utf-8")
    again = _run("read", str(dump))
    assert _records(again.stdout) == _records(first.stdout)


def test_read_reports_failures_duplicates_and_languages() -> None:
    result = _run("read", str(INGEST))
    assert result.exit_code == 0
    lines = result.stderr.splitlines()
    skipped = [line for line in lines if line.startswith("newsgraph: skipped ")]
    assert any("articles.csv:5: empty 'Body' field" in line for line in skipped)
    assert any("mixed.jsonl:2: invalid JSON" in line for line in skipped)
    assert "newsgraph: 1 duplicate article dropped" in result.stderr
    assert "1 article in another language skipped (German 1;" in result.stderr
    assert "page-de-latin1" not in result.stdout


def test_read_with_a_german_pipeline_keeps_german(tmp_path: Path) -> None:
    pipeline = tmp_path / "de_pipeline"  # read only looks at the pipeline's language
    pipeline.mkdir()
    (pipeline / "meta.json").write_text('{"lang": "de", "name": "test"}', encoding="utf-8")
    result = _run("read", str(INGEST / "page-de-latin1.html"), str(INGEST / "page.html"),
                  "--model", str(pipeline))
    assert [r["id"] for r in _records(result.stdout)] == ["page-de-latin1"]
    assert "English 1" in result.stderr


@pytest.mark.parametrize(
    "data, first_id",
    [
        (b'{"id": "s1", "text": "From a pipe."}\n{"id": "s2", "text": "Second."}\n', "s1"),
        ((INGEST / "page.html").read_bytes(), None),
        ((INGEST / "atom.xml").read_bytes(), None),
        (b"Headline from stdin\n\nXiaomi opened a store in Spain.\n", None),
    ],
    ids=["jsonl", "html", "atom", "text"],
)
def test_read_standard_input(data: bytes, first_id: str | None) -> None:
    result = CliRunner().invoke(main, ["read", "-"], input=data, catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    records = _records(result.stdout)
    assert records and all(r["text"] for r in records)
    if first_id:
        assert records[0]["id"] == first_id
    assert all("<" not in r["text"] for r in records)


def test_read_csv_with_named_columns(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text("uid;message;kicker\nm1;Apple sued Samsung in California.;Suit\n",
                    encoding="utf-8")
    failed = _run("read", str(path))
    assert failed.exit_code == 1
    assert "no text column (columns: uid, message, kicker); name it with --text-column" in (
        failed.stderr)
    result = _run("read", str(path), "--text-column", "message", "--title-column", "kicker",
                  "--id-column", "uid")
    assert result.exit_code == 0
    assert _records(result.stdout) == [
        {"id": "m1", "title": "Suit", "text": "Apple sued Samsung in California."}]


def test_read_fetch_offline_is_one_line_per_entry(tmp_path: Path) -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # nothing listens here once closed
    items = "".join(f"<item><title>T{i}</title><link>http://127.0.0.1:{port}/{i}.html</link>"
                    f"<description>Summary {i}.</description></item>" for i in (1, 2))
    feed = tmp_path / "news.rss"
    feed.write_text(f"<rss version='2.0'><channel><title>N</title>{items}</channel></rss>",
                    encoding="utf-8")
    result = _run("read", str(feed), "--fetch", "--timeout", "2")
    assert result.exit_code == 1  # no article could be read
    lines = [line for line in result.stderr.splitlines() if "skipped" in line]
    assert lines == [
        f"newsgraph: skipped {feed}#1: cannot fetch http://127.0.0.1:{port}/1.html: "
        "connection refused",
        f"newsgraph: skipped {feed}#2: cannot fetch http://127.0.0.1:{port}/2.html: "
        "connection refused",
    ]
    assert _run("read", str(feed)).exit_code == 0  # without --fetch the summaries are read


def test_read_exit_status_and_atomic_output(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01binary")
    out = tmp_path / "out" / "articles.jsonl"
    nothing = _run("read", str(bad), "-o", str(out))
    assert nothing.exit_code == 1
    assert f"newsgraph: skipped {bad}: binary file" in nothing.stderr
    assert "no article could be read" in nothing.stderr
    assert not out.exists()
    strict = _run("read", str(INGEST / "page.html"), str(bad), "-o", str(out), "--strict")
    assert strict.exit_code == 1 and strict.stderr.count("\n") == 1
    assert not out.exists() and list(out.parent.iterdir()) == []  # no temporary file either
    fine = _run("read", str(INGEST / "page.html"), str(bad), "-o", str(out))
    assert fine.exit_code == 0
    assert [r["id"] for r in _records(out.read_text(encoding="utf-8"))] == ["page"]
    assert fine.stdout == ""


def test_build_mixed_folder_builds_the_good_and_names_each_bad(tmp_path: Path) -> None:
    import gzip
    import random
    import shutil

    folder = tmp_path / "inbox"
    folder.mkdir()
    for name in ("page.html", "rss20.xml", "articles.csv"):
        shutil.copy(INGEST / name, folder / name)
    (folder / "dump.jsonl.gz").write_bytes(gzip.compress(
        b'{"id": "j1", "title": "Qualcomm sues Apple", "text": "Qualcomm sued Apple."}\n'))
    bad = {
        "empty.txt": b"",
        "binary.html": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        "truncated.jsonl.gz": gzip.compress(b'{"text": "x"}\n' * 50)[:30],
        "broken.rss": b"<rss version='2.0'><channel><title>x</mismatch>",
        "undecodable.txt": bytes(b | 0x80 for b in random.Random(0).randbytes(300)),
    }
    for name, data in bad.items():
        (folder / name).write_bytes(data)
    out = tmp_path / "g.ttl"
    result = _run("build", str(folder), "-o", str(out), "--model", SMALL_MODEL)
    assert result.exit_code == 0, result.stderr
    skipped = [line for line in result.stderr.splitlines() if line.startswith("newsgraph: skip")]
    for name in bad:
        assert sum(f"{folder / name}" in line for line in skipped) == 1, name
    assert any("articles.csv:5" in line for line in skipped)
    graph = out.read_text(encoding="utf-8")
    for expected in ("art:page", "art:j1", "ent:fiserv", "ent:xiaomi"):
        assert expected in graph
    assert "Traceback" not in result.stderr


def test_build_with_nothing_readable_fails_and_writes_nothing(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    out = tmp_path / "g.ttl"
    result = _run("build", str(empty), "-o", str(out), "--model", SMALL_MODEL)
    assert result.exit_code == 1
    assert f"newsgraph: skipped {empty}: empty file" in result.stderr
    assert "no article could be read" in result.stderr
    assert not out.exists()


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


def test_viz_draws_a_store_or_a_file(seeds_store: Path, tmp_path: Path) -> None:
    page = tmp_path / "store.html"
    result = _run("viz", "--store", str(seeds_store), "-o", str(page), "--focus", "Xiaomi")
    assert result.exit_code == 0, result.stderr
    assert "Xiaomi" in page.read_text(encoding="utf-8")
    assert "→" in result.stderr and "entities" in result.stderr
    both = _run("viz", str(page), "--store", str(seeds_store), "-o", str(tmp_path / "x.html"))
    assert both.exit_code == 2 and "either --store DIR or a graph FILE" in both.stderr
    neither = _run("viz", "-o", str(tmp_path / "y.html"))
    assert neither.exit_code == 2
