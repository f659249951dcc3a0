"""``build`` shows progress on a terminal, one summary line elsewhere, nothing with -q."""

from __future__ import annotations

import fcntl
import os
import pty
import struct
import subprocess
import sys
import termios
from pathlib import Path

from paths import SEEDS, SMALL_MODEL

ROOT = Path(__file__).resolve().parents[1]


def _build(tmp_path: Path, *extra: str, terminal: bool) -> str:
    """Run ``newsgraph build`` on the seeds; what it wrote to stderr."""
    args = [sys.executable, "-m", "newsgraph.cli", "build", str(SEEDS), "-o",
            str(tmp_path / "out.ttl"), "--model", SMALL_MODEL, *extra]
    if not terminal:
        run = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=300)
        assert run.returncode == 0, run.stderr
        return run.stderr
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    process = subprocess.Popen(args, cwd=ROOT, stdin=follower, stdout=follower,
                               stderr=follower)
    os.close(follower)
    output = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the terminal closed: the command is done
            break
        if not chunk:
            break
        output += chunk
    os.close(leader)
    assert process.wait(timeout=300) == 0, output
    return output.decode("utf-8", "replace")


def test_a_terminal_gets_a_progress_bar(tmp_path: Path) -> None:
    err = _build(tmp_path, "--work-dir", str(tmp_path / "work"), "--shard-size", "1",
                 terminal=True)
    assert "\r" in err  # redrawn in place
    assert "2/2" in err and "articles/s" in err and "words/s" in err
    assert "100%" in err  # the total was counted
    assert err.rstrip().splitlines()[-1].startswith("newsgraph: 2 articles")


def test_elsewhere_one_summary_line_and_quiet_means_quiet(tmp_path: Path) -> None:
    err = _build(tmp_path, terminal=False)
    assert err.count("\n") == 1 and "\r" not in err
    assert err.startswith("newsgraph: 2 articles") and "articles/s" in err
    assert _build(tmp_path, "-q", terminal=False) == ""
