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
