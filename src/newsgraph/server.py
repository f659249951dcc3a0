"""Serve a store over HTTP with Oxigraph's own server.

The ``oxigraph`` package (a dependency) installs Oxigraph's server binary next to
the Python interpreter. It speaks the SPARQL 1.1 Protocol at ``/query`` (and
``/update`` when writable), the Graph Store Protocol at ``/store``, and serves a
browser query page (YASGUI) at ``/``. newsgraph only starts it, waits until it
answers, and stops it cleanly — no HTTP handling of its own.

Read-only serving never touches the store a build writes to: the server opens a
checkpoint of it (hard links in ``DIR/.snapshots/``, made in milliseconds, removed
when the server stops), so it answers from the articles committed when it
started, and a build can add articles meanwhile; restart the server to serve them.
With ``writable=True`` the server opens the store itself and becomes its one
writer: builds then send articles to it with ``--endpoint URL/store``.

Queries see the union of all graphs by default (``--union-default-graph``), as they
do in ``newsgraph query``.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import sysconfig
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from types import TracebackType
from typing import IO

import pyoxigraph as ox

from .errors import ServerError, StoreError

logger = logging.getLogger(__name__)

__all__ = ["Server", "free_port", "oxigraph_executable", "serve_store"]

SNAPSHOTS = ".snapshots"
"""Sub-directory of a store that holds the checkpoints read-only servers run on."""


def oxigraph_executable() -> Path:
    """Where the ``oxigraph`` package put the server binary.

    Raises:
        ServerError: it is not installed.
    """
    name = "oxigraph.exe" if os.name == "nt" else "oxigraph"
    places = [Path(sysconfig.get_path("scripts")), Path(sys.executable).parent]
    with contextlib.suppress(KeyError):
        places.append(Path(sysconfig.get_path("scripts", f"{os.name}_user")))
    for place in places:
        candidate = place / name
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
    found = shutil.which(name)
    if found:
        return Path(found)
    raise ServerError("the Oxigraph server is not installed (it comes with the 'oxigraph' "
                      "package: pip install oxigraph)")


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nothing listens on right now (the OS picks it)."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def _die_with_parent() -> None:  # pragma: no cover - runs in the child
    """Linux: the server gets SIGTERM when the process that started it dies, so a killed
    ``newsgraph serve`` leaves no server behind."""
    with contextlib.suppress(Exception):
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


class Server:
    """An Oxigraph server process, started and stopped cleanly (a context manager).

    Args:
        location: the store directory it serves (``None``: an empty in-memory store).
        host: the interface to listen on.
        port: the TCP port (0: a free one).
        writable: serve read-write (``oxigraph serve``) rather than read-only.
        cleanup: a directory to delete once the server has stopped (a snapshot).
    """

    def __init__(self, location: Path | None, *, host: str = "127.0.0.1", port: int = 7878,
                 writable: bool = False, cleanup: Path | None = None) -> None:
        self.location = location
        self.host = host
        self.port = port or free_port(host)
        self.writable = writable
        self._cleanup = cleanup
        self._process: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None

    @property
    def url(self) -> str:
        """The server's root (the browser query page)."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def query_url(self) -> str:
        """The SPARQL 1.1 Protocol query endpoint."""
        return f"{self.url}/query"

    @property
    def update_url(self) -> str:
        """The SPARQL 1.1 Protocol update endpoint (refused unless writable)."""
        return f"{self.url}/update"

    @property
    def store_url(self) -> str:
        """The SPARQL 1.1 Graph Store Protocol endpoint (``--endpoint`` takes it)."""
        return f"{self.url}/store"

    @property
    def pid(self) -> int | None:
        """The server's process id while it runs."""
        return self._process.pid if self._process is not None else None

    def command(self) -> list[str]:
        """The ``oxigraph`` command line this server runs."""
        args = [str(oxigraph_executable()), "serve" if self.writable else "serve-read-only"]
        if self.location is not None:
            args += ["--location", str(self.location)]
        return [*args, "--bind", f"{self.host}:{self.port}", "--union-default-graph"]

    def start(self, *, timeout: float = 20.0) -> Server:
        """Start the server and wait until it answers HTTP.

        Raises:
            ServerError: the binary is missing, or the server exited or did not answer
                within ``timeout`` seconds (the message carries its last words).
        """
        preexec = _die_with_parent if sys.platform.startswith("linux") else None
        # what the server says goes to a file, not a pipe nobody reads until it fills;
        # the file lives as long as the server and is closed by stop()
        self._log = tempfile.TemporaryFile()  # noqa: SIM115
        try:
            self._process = subprocess.Popen(
                self.command(), stdin=subprocess.DEVNULL, stdout=self._log, stderr=self._log,
                preexec_fn=preexec)
        except OSError as exc:
            raise ServerError(f"cannot start the Oxigraph server: {exc}") from exc
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                said = self._output()
                self._finish()
                raise ServerError(f"the Oxigraph server exited at once: {said or 'no message'}")
            try:
                with urllib.request.urlopen(self.url + "/", timeout=2) as response:
                    if response.status == 200:
                        logger.info("oxigraph %s pid %s at %s", self.command()[1], self.pid,
                                    self.url)
                        return self
            except (urllib.error.URLError, OSError):
                time.sleep(0.05)
        self.stop()
        raise ServerError(f"the Oxigraph server did not answer at {self.url} within "
                          f"{timeout:.0f}s")

    def _output(self) -> str:
        if self._log is None:
            return ""
        self._log.seek(0)
        text = self._log.read().decode("utf-8", "replace")
        return " ".join(text.split())[-300:]

    def running(self) -> bool:
        """Whether the server process is alive."""
        return self._process is not None and self._process.poll() is None

    def wait(self) -> int:
        """Block until the server exits; its exit status."""
        if self._process is None:
            return 0
        return self._process.wait()

    def stop(self, *, timeout: float = 10.0) -> None:
        """Stop the server (SIGTERM, then SIGKILL after ``timeout``) and clean up."""
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        self._finish()

    def _finish(self) -> None:
        if self._log is not None:
            self._log.close()
            self._log = None
        if self._cleanup is not None:
            shutil.rmtree(self._cleanup, ignore_errors=True)
            self._cleanup = None

    def __enter__(self) -> Server:
        if self._process is None:
            self.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _snapshot(store_dir: Path) -> Path | None:
    """A checkpoint of the store for a read-only server, or None when a writer holds the
    store (a checkpoint needs the write lock to include the latest commits)."""
    snapshots = store_dir / SNAPSHOTS
    with contextlib.suppress(OSError):
        for old in snapshots.iterdir():  # left behind by servers that were killed
            pid = old.name.split("-")[1] if old.name.count("-") >= 2 else ""
            if pid.isdigit() and not _alive(int(pid)):
                shutil.rmtree(old, ignore_errors=True)
    try:
        store = ox.Store(str(store_dir))
    except OSError as exc:
        if "lock" in str(exc).lower():
            return None
        raise StoreError(f"{store_dir}: cannot open the store ({exc})") from exc
    target = snapshots / f"serve-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    try:
        snapshots.mkdir(exist_ok=True)
        store.backup(str(target))
    except OSError as exc:
        raise StoreError(f"{store_dir}: cannot make a snapshot to serve ({exc})") from exc
    finally:
        del store
        gc.collect()
    return target


def serve_store(path: str | os.PathLike[str], *, host: str = "127.0.0.1", port: int = 7878,
                writable: bool = False) -> Server:
    """Start an Oxigraph server on a store; returns the running :class:`Server`.

    Read-only (the default), it serves a snapshot of the store taken now; when a
    build holds the store it serves the store itself, read-only, as committed so far.
    Writable, it opens the store for writing (created if absent), so no build can
    open it meanwhile: send articles with ``build --endpoint`` instead.

    Raises:
        StoreError: no store at ``path`` (read-only), or not a store.
        ServerError: the server could not start (e.g. the port is taken).
    """
    from .store import open_store

    where = Path(path).expanduser()
    if writable:
        ds = open_store(where, read_only=False)  # creates it, checks it is a store
        del ds
        gc.collect()  # let go of the lock before the server takes it
        return Server(where, host=host, port=port, writable=True).start()
    if not (where / "CURRENT").is_file():
        raise StoreError(f"{where}: no store here (create one with: newsgraph build INPUT... "
                         f"--store {where})")
    snapshot = _snapshot(where)
    if snapshot is None:
        logger.warning("%s: a build is writing to this store; serving what it has committed "
                       "so far (restart serve when the build is done to serve the rest)", where)
    server = Server(snapshot or where, host=host, port=port, cleanup=snapshot)
    try:
        return server.start()
    except ServerError:
        if snapshot is not None:
            shutil.rmtree(snapshot, ignore_errors=True)
        raise
