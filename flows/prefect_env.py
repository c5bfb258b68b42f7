"""Where Prefect keeps its state, which API it talks to, and the embedded server.

Everything here must run before `prefect` is first imported: Prefect reads its
settings (PREFECT_HOME, PREFECT_API_URL, …) from the environment at import.

Embedded mode (no PREFECT_API_URL): Prefect would start a temporary API server lazily,
in *every* process that needs one, so each ProcessPoolTaskRunner worker would start
its own (measured: +6 s per worker). Instead we choose a free port, export
PREFECT_API_URL for it before importing Prefect (the parent and every worker then
talk to one server), and start Prefect's own temporary server on that port in a
background thread while the batch is still importing and hashing files, so part of
its ≈5 s start-up overlaps useful work.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from pathlib import Path


def configure(home: Path | None = None, api_url: str | None = None) -> Path:
    """Set PREFECT_HOME (default ./.reportscore/prefect) unless the user set one; quiet logs."""
    home = Path(os.environ.get("PREFECT_HOME") or home or Path.cwd() / ".reportscore" / "prefect")
    home.mkdir(parents=True, exist_ok=True)
    os.environ["PREFECT_HOME"] = str(home)
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    os.environ.setdefault("PREFECT_LOGGING_TO_API_ENABLED", "false")
    os.environ.setdefault("PREFECT_RESULTS_PERSIST_BY_DEFAULT", "true")
    os.environ.setdefault("PREFECT_LOCAL_STORAGE_PATH", str(home / "results"))
    if api_url:
        os.environ["PREFECT_API_URL"] = api_url
    return home


def uses_server() -> bool:
    """True when a Prefect server was given (flag or environment): no embedded server then."""
    return bool(os.environ.get("PREFECT_API_URL"))


def free_port() -> int:
    """A loopback port nobody listens on now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class EmbeddedServer:
    """Prefect's temporary API server, started early in a thread and shared by all workers.

    Call `reserve()` before importing Prefect, `start_in_background()` as soon as
    possible, `wait()` before the flow starts and `stop()` at the end; `wait()` and
    `stop()` return the seconds they blocked (Prefect's fixed cost, reported apart).
    """

    def __init__(self) -> None:
        self.port: int | None = None
        self._server = None
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None

    def reserve(self) -> str:
        """Pick the port and export PREFECT_API_URL for it (before Prefect is imported)."""
        self.port = free_port()
        url = f"http://127.0.0.1:{self.port}/api"
        os.environ["PREFECT_API_URL"] = url
        return url

    def start_in_background(self) -> None:
        self._thread = threading.Thread(target=self._start, name="prefect-embedded-server", daemon=True)
        self._thread.start()

    def _start(self) -> None:
        try:
            from prefect.server.api.server import SubprocessASGIServer

            server = SubprocessASGIServer(self.port)
            self._server = server
            server.start()
            if server.port != self.port:  # Prefect moved to another port: our exported URL is wrong
                raise RuntimeError(f"Prefect's temporary server took port {server.port}, not {self.port}")
        except BaseException as e:  # re-raised in wait(), in the caller's thread
            self._error = e

    def wait(self) -> float:
        """Block until the server answers; returns the seconds spent blocked here."""
        t0 = time.perf_counter()
        if self._thread is None:
            self.start_in_background()
        assert self._thread is not None
        self._thread.join()
        if self._error is not None:
            raise RuntimeError(f"the embedded Prefect server did not start: {self._error}") from self._error
        return time.perf_counter() - t0

    def cpu_seconds(self) -> float | None:
        """CPU the server process used so far (Linux /proc; None elsewhere): part of Prefect's cost."""
        proc = getattr(self._server, "server_process", None)
        if proc is None:
            return None
        try:
            fields = Path(f"/proc/{proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, ValueError, IndexError):
            return None

    def stop(self) -> float:
        t0 = time.perf_counter()
        if self._thread is not None:
            self._thread.join()
        if self._server is not None:
            self._server.stop()
            self._server = None
        return time.perf_counter() - t0
