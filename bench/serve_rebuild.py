"""One ``mkdocs serve`` rebuild after an edit: the project (rules.yaml) vs plain Material.

What the support team waits for in the preview: from saving a file to the server
saying ``Reloading browsers``. The project is a git repository with its rules
committed, so the edit also computes the preview's impact report (as ``make
serve-mkdocs`` does in a checkout); the edit changes a parameter's value, which
every page citing it shows. The baseline is the plain Material project of
:mod:`bench.site_build` (same pages as static Markdown) with one of those pages
edited: ``mkdocs serve`` rebuilds the whole site either way.
"""

from __future__ import annotations

import queue
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.sitebuild import mkdocs_env

READY = "Serving on"
REBUILT = "Reloading browsers"
FAILED = "An error happened during the rebuild"
WAIT_S = 600.0  # a loaded CI machine; never a measured limit


def build_env() -> dict[str, str]:
    """The builds' environment, as on a user's machine: Python keeps the compiled
    modules it imports (``PYTHONDONTWRITEBYTECODE``, set on some machines, would
    make every build recompile the project's own modules, while the installed
    packages of both builds come precompiled)."""
    env = mkdocs_env()
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class ServeLog:
    """The lines ``mkdocs serve`` writes, each with the time it was read."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self.lines: queue.Queue[tuple[float, str]] = queue.Queue()
        self.seen: list[str] = []
        stream = process.stdout
        assert stream is not None
        threading.Thread(target=self._read, args=(stream,), daemon=True).start()

    def _read(self, stream: object) -> None:
        for line in stream:  # type: ignore[attr-defined]
            self.lines.put((time.perf_counter(), line.rstrip()))

    def wait_for(self, text: str) -> float:
        """The moment a line containing ``text`` was read; raise on a failed rebuild."""
        deadline = time.perf_counter() + WAIT_S
        while (left := deadline - time.perf_counter()) > 0:
            try:
                moment, line = self.lines.get(timeout=left)
            except queue.Empty:
                break
            self.seen.append(line)
            if FAILED in line:
                raise RuntimeError("mkdocs serve: rebuild failed\n" + "\n".join(self.seen))
            if text in line:
                return moment
        raise RuntimeError(f"mkdocs serve: no « {text} »\n" + "\n".join(self.seen[-40:]))


@contextmanager
def serving(project: Path) -> Iterator[ServeLog]:
    """``mkdocs serve`` in ``project`` until exit, its first build done."""
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=project, env=build_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True)
    try:
        log = ServeLog(process)
        log.wait_for(READY)
        yield log
    finally:
        process.terminate()
        process.wait(timeout=30)


def rebuild_seconds(project: Path, edit: Callable[[int], None], repeat: int) -> float:
    """Median time from an edit to ``Reloading browsers``, over ``repeat`` edits.

    The first edit (the server's first rebuild) is a warm-up and not counted.
    """
    times: list[float] = []
    with serving(project) as log:
        for index in range(repeat + 1):
            time.sleep(0.5)  # let the watcher settle between edits
            start = time.perf_counter()
            edit(index)
            times.append(log.wait_for(REBUILT) - start)
    return statistics.median(times[1:])


def toggle(path: Path, pattern: str, values: tuple[str, str]) -> Callable[[int], None]:
    """An edit writing ``values[0]`` then ``values[1]`` alternately in ``pattern``'s group 1."""
    text = path.read_text(encoding="utf-8")
    match = re.search(pattern, text, flags=re.MULTILINE)
    if match is None:
        raise RuntimeError(f"{path}: « {pattern} » not found")

    def edit(index: int) -> None:
        value = values[index % 2]
        path.write_text(text[:match.start(1)] + value + text[match.end(1):], encoding="utf-8")

    return edit


def commit(project: Path) -> None:
    """Make ``project`` a git repository with everything committed (the preview's baseline)."""
    for args in (["init", "-q"], ["add", "-A"],
                 ["-c", "user.name=bench", "-c", "user.email=bench@localhost",
                  "commit", "-q", "-m", "baseline"]):
        subprocess.run(["git", *args], cwd=project, check=True, capture_output=True)
