"""The embedded Redis launcher: JSON + search, AOF persistence, reuse, no orphans, clear errors."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis as sync_redis
from redis.commands.search.query import Query

from core.embedded import EmbeddedRedis, RedisBinaries, find_binaries
from core.redis import RedisCapabilityError, create_redis, ensure_capabilities
from core.settings import Settings


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie still answers kill(0); read its state.
    with open(f"/proc/{pid}/stat") as f:
        return f.read().split()[2] != "Z"


def _wait_gone(pid: int, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not _alive(pid):
            return True
        time.sleep(0.02)
    return False


def test_json_and_spanish_search_survive_a_restart(tmp_path: Path) -> None:
    server = EmbeddedRedis(tmp_path)
    with server.running() as url:
        pid = server.pid
        r = sync_redis.Redis.from_url(url)
        r.execute_command(
            "FT.CREATE", "ork:{t}:idx", "ON", "JSON", "PREFIX", "1", "ork:{t}:product:",
            "LANGUAGE", "spanish", "SCHEMA", "$.name", "AS", "name", "TEXT",
        )
        # documents written after FT.CREATE are indexed synchronously
        r.json().set("ork:{t}:product:1", "$", {"name": "Tubo PVC hidráulico 1/2", "stock": 10})
        assert r.ft("ork:{t}:idx").search(Query("tubos").no_content()).total == 1
        r.close()
    assert pid is not None and _wait_gone(pid)
    assert (tmp_path / "redis" / "appendonlydir").is_dir()

    with EmbeddedRedis(tmp_path).running() as url:
        r = sync_redis.Redis.from_url(url)
        assert r.json().get("ork:{t}:product:1", "$.stock") == [10]
        # stemming and fuzzy matching both answer from the rebuilt index
        for query in ("tubos", "%tuvo%"):
            assert r.ft("ork:{t}:idx").search(Query(query).no_content()).total == 1
        r.close()


def test_a_second_launcher_reuses_the_running_server(tmp_path: Path) -> None:
    first = EmbeddedRedis(tmp_path)
    with first.running() as url:
        second = EmbeddedRedis(tmp_path)
        assert second.start() == url
        assert not second.owned
        second.stop()  # not its server: a no-op
        assert sync_redis.Redis.from_url(url).ping()
        assert first.owned


def test_a_stale_url_file_does_not_block_a_start(tmp_path: Path) -> None:
    (tmp_path / "redis").mkdir()
    (tmp_path / "redis" / "url").write_text("unix:///nonexistent/redis.sock")
    with EmbeddedRedis(tmp_path).running() as url:
        assert url != "unix:///nonexistent/redis.sock"
        assert sync_redis.Redis.from_url(url).ping()


def test_a_deep_data_dir_falls_back_to_loopback_tcp(tmp_path: Path) -> None:
    deep = tmp_path / ("d" * 60) / ("e" * 60)
    with EmbeddedRedis(deep).running() as url:
        assert url.startswith("redis://127.0.0.1:")
        assert sync_redis.Redis.from_url(url).ping()


def test_killing_the_parent_never_leaves_redis_orphaned(tmp_path: Path) -> None:
    script = (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from core.embedded import EmbeddedRedis\n"
        "e = EmbeddedRedis(Path(sys.argv[1])); e.start()\n"
        "print(e.pid, flush=True)\n"
        "time.sleep(600)\n"
    )
    parent = subprocess.Popen([sys.executable, "-c", script, str(tmp_path)], stdout=subprocess.PIPE)
    try:
        assert parent.stdout is not None
        redis_pid = int(parent.stdout.readline())
        assert _alive(redis_pid)
        parent.send_signal(signal.SIGKILL)
        parent.wait(10)
        assert _wait_gone(redis_pid), "embedded Redis outlived its killed parent"
    finally:
        if parent.poll() is None:
            parent.kill()
            parent.wait()
        if parent.stdout:
            parent.stdout.close()


def test_a_bad_start_reports_the_servers_own_words(tmp_path: Path) -> None:
    real = find_binaries()
    broken = RedisBinaries(server=real.server, modules=(tmp_path / "missing.so",))
    from core.embedded import EmbeddedRedisError

    with pytest.raises(EmbeddedRedisError, match="exited at start"):
        EmbeddedRedis(tmp_path, binaries=broken).start(timeout_s=10)


async def test_a_redis_without_json_or_search_is_refused_in_one_line(tmp_path: Path) -> None:
    plain = RedisBinaries(server=find_binaries().server, modules=())
    with EmbeddedRedis(tmp_path, binaries=plain).running() as url:
        client = create_redis(url, Settings(_env_file=None))  # type: ignore[call-arg]
        try:
            with pytest.raises(RedisCapabilityError) as exc:
                await ensure_capabilities(client)
        finally:
            await client.aclose()
    text = str(exc.value)
    assert "\n" not in text
    assert "JSON" in text and "search" in text and "Redis 8" in text
