"""A real gunicorn on a free loopback port, for the system tests (tests/system) and the load benchmark.

The server runs `wsgi:app` (or another WSGI app) with the environment given, exactly as a
deployment would start it; it can kill one worker or the whole server with SIGKILL and start again
on the same port, to show what a crash leaves behind.
"""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LiveServer:
    def __init__(self, env: dict[str, str], *, workers: int = 4, app: str = "wsgi:app", log_path: Path,
                 extra_args: tuple[str, ...] = ()) -> None:
        self.env = {**os.environ, **env}
        self.workers = workers
        self.app = app
        self.port = free_port()
        self.log_path = log_path
        self.extra_args = extra_args
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, *, timeout: float = 60.0, ready_path: str = "/") -> None:
        log = open(self.log_path, "ab")  # noqa: SIM115 - gunicorn writes to it for its whole life
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--workers", str(self.workers), "--bind", f"127.0.0.1:{self.port}",
             "--timeout", "120", "--graceful-timeout", "10", *self.extra_args, self.app],
            cwd=PROJECT_ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}; see {self.log_path}:\n"
                                   + self.log_tail())
            try:
                if requests.get(self.url + ready_path, timeout=5).status_code < 500 \
                        and len(self.worker_pids()) == self.workers:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"gunicorn did not answer within {timeout} s; see {self.log_path}:\n" + self.log_tail())

    def worker_pids(self) -> list[int]:
        if self.process is None:
            return []
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            return [int(pid) for pid in children.read_text().split()]
        except OSError:
            return []

    def kill_worker(self) -> int:
        """SIGKILL one worker in the middle of whatever it does; gunicorn starts a new one."""
        pid = self.worker_pids()[0]
        os.kill(pid, signal.SIGKILL)
        return pid

    def crash(self) -> None:
        """SIGKILL the master and every worker at once, as a power cut would to the processes."""
        if self.process is None:
            return
        pids = self.worker_pids()
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)
        for pid in pids:  # workers are in the master's process group, this only waits them out
            _wait_gone(pid)
        self.process = None

    def stop(self) -> None:
        """A graceful stop (SIGTERM), as a deployment restarts the service."""
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)
        self.process = None

    def peak_worker_rss_mb(self) -> float:
        """The largest peak resident memory (VmHWM) among the live workers, in MB."""
        peaks = []
        for pid in self.worker_pids():
            try:
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmHWM:"):
                        peaks.append(int(line.split()[1]) / 1024)
            except OSError:
                continue
        return max(peaks, default=0.0)

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def __enter__(self) -> "LiveServer":
        self.start()
        return self

    def __exit__(self, *exc) -> None:  # noqa: ANN002
        self.stop()


def _wait_gone(pid: int, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and Path(f"/proc/{pid}").exists():
        time.sleep(0.05)
