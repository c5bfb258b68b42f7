"""Where Prefect keeps its state, which API it talks to, and the embedded server.

Everything here must run before `prefect` is first imported: Prefect reads its
settings (PREFECT_HOME, PREFECT_API_URL, …) from the environment at import.

Embedded mode (no PREFECT_API_URL): Prefect would start a temporary API server lazily,
in *every* process that needs one, so each ProcessPoolTaskRunner worker would start
its own (measured: +6 s per worker). Instead we choose a free port, export
PREFECT_API_URL for it before importing Prefect (the parent and every worker then
talk to one server), and start the temporary server on that port at once, so its
≈5 s start-up overlaps our own imports and file hashing.
"""

from __future__ import annotations

import importlib.util
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
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


# Services of the embedded server that record every task run's events. Nobody can watch an
# embedded server (it exits with the batch), and they cost ≈60 ms of CPU per file on the
# same cores as the parsing (measured); flow runs are still recorded. A real server keeps
# them all: that is where per-file observability lives (the Prefect UI).
QUIET_SERVICES = ("PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_ENABLED", "PREFECT_SERVER_SERVICES_EVENT_PERSISTER_ENABLED",
                  "PREFECT_SERVER_SERVICES_TRIGGERS_ENABLED")


def uses_server() -> bool:
    """True when a Prefect server was given (flag or environment): no embedded server then."""
    return bool(os.environ.get("PREFECT_API_URL"))


def free_port() -> int:
    """A loopback port nobody listens on now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class EmbeddedServer:
    """Prefect's temporary API server, started early and shared by every worker process.

    Call `reserve()` before importing Prefect, `start_in_background()` as early as
    possible (from the main thread), `wait()` before the flow starts and `stop()` at
    the end; `wait()` and `stop()` return the seconds they blocked (Prefect's fixed
    cost, reported apart from the batch).

    We launch it ourselves, with the command and flags Prefect 3.8 uses for its own
    temporary server (uvicorn on prefect.server.api.server:create_app, ephemeral
    mode), for two reasons: the port is known before Prefect is imported, and on
    Linux the server is told to exit when we do (PR_SET_PDEATHSIG), so a batch killed
    with kill -9 leaves no orphan server behind. Its log goes to
    PREFECT_HOME/embedded-server.log (Prefect's harmless "database is locked" lines too).
    """

    def __init__(self) -> None:
        self.port: int | None = None
        self.proc: subprocess.Popen | None = None
        self._thread: threading.Thread | None = None
        self._error: str | None = None
        self._log: Path | None = None

    def reserve(self) -> str:
        """Pick the port and export PREFECT_API_URL for it (before Prefect is imported)."""
        self.port = free_port()
        url = f"http://127.0.0.1:{self.port}/api"
        os.environ["PREFECT_API_URL"] = url
        return url

    def start_in_background(self) -> None:
        """Start the server process now (this thread: its death signal is tied to the
        thread that starts it) and poll its health in a background thread."""
        if self.port is None:
            self.reserve()
        spec = importlib.util.find_spec("prefect")
        assert spec is not None and spec.submodule_search_locations
        app_dir = str(Path(list(spec.submodule_search_locations)[0]).parent)
        env = {**os.environ, "PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1", "PREFECT__SERVER_FINAL": "1"}
        for name in QUIET_SERVICES:  # unless the user asks for them
            env.setdefault(name, "false")
        self._log = Path(os.environ.get("PREFECT_HOME", ".")) / "embedded-server.log"
        with open(self._log, "ab") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "uvicorn", "--app-dir", app_dir, "--factory", "prefect.server.api.server:create_app",
                 "--host", "127.0.0.1", "--port", str(self.port), "--log-level", "error", "--lifespan", "on"],
                env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=log, preexec_fn=_die_with_parent)
        self._thread = threading.Thread(target=self._wait_healthy, name="prefect-embedded-server", daemon=True)
        self._thread.start()

    def _wait_healthy(self, timeout: float = 120.0) -> None:
        url = f"http://127.0.0.1:{self.port}/api/health"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc is None or self.proc.poll() is not None:
                self._error = f"it exited with code {self.proc.returncode if self.proc else '?'}"
                return
            try:
                with urllib.request.urlopen(url, timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.05)
        self._error = f"no answer on port {self.port} within {timeout:.0f} s"

    def wait(self) -> float:
        """Block until the server answers; returns the seconds spent blocked here."""
        t0 = time.perf_counter()
        if self._thread is None:
            self.start_in_background()
        assert self._thread is not None
        self._thread.join()
        if self._error is not None:
            tail = self._log.read_text(errors="replace")[-2000:] if self._log and self._log.exists() else ""
            raise RuntimeError(f"the embedded Prefect server did not start: {self._error}\n{tail}")
        return time.perf_counter() - t0

    def cpu_seconds(self) -> float | None:
        """CPU the server process used so far (Linux /proc; None elsewhere): part of Prefect's cost."""
        if self.proc is None:
            return None
        try:
            fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, ValueError, IndexError):
            return None

    def stop(self) -> float:
        """Terminate the server (kill it after 5 s); returns the seconds it took."""
        t0 = time.perf_counter()
        proc, self.proc = self.proc, None
        if proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        return time.perf_counter() - t0


def _die_with_parent() -> None:
    """In the child before exec: ask Linux to SIGTERM it when the parent dies (no-op elsewhere)."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # 1 = PR_SET_PDEATHSIG
        except OSError:
            pass
