"""The `orkesta` command line, run as a real process against a real Redis."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import psutil
import redis as sync_redis

from agents.bus import EventBus
from agents.messages import AgentMessage
from core.embedded import EmbeddedRedis, RedisBinaries, find_binaries, free_port
from core.settings import Settings
from core.tenants import TenantKeys
from tests.support.serving import wait_until_ok

# The console script installed beside this interpreter (the venv may not be on PATH).
ORKESTA = str(Path(sys.executable).with_name("orkesta"))


def run(args: list[str], *, cwd: Path, env: dict[str, str], timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run([ORKESTA, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("REDIS_URL", "ORKESTA_", "OTEL_"))}
    return env | extra



async def test_dlq_list_and_redrive(settings: Settings, bus: EventBus, tmp_path: Path) -> None:
    assert settings.redis_url
    keys = TenantKeys("acme")
    poisoned = AgentMessage(from_agent="order", to_agent="inventory", message_type="event",
                            intent="order_created", tenant_id="acme")
    await bus.redis.xadd(keys.dead_letters, {
        b"m": poisoned.to_json(), b"group": b"inventory", b"stream": keys.inbox("inventory"),
        b"entry_id": b"1-0", b"reason": b"ValueError: boom", b"attempts": b"5", b"failed_at_ms": b"1"})
    env = clean_env(REDIS_URL=settings.redis_url)

    listed = run(["dlq", "list", "acme", "--json"], cwd=tmp_path, env=env)
    assert listed.returncode == 0, listed.stderr
    (row,) = [json.loads(line) for line in listed.stdout.splitlines()]
    assert row["reason"] == "ValueError: boom" and row["message"]["id"] == poisoned.id

    refused = run(["dlq", "redrive", "acme"], cwd=tmp_path, env=env)
    assert refused.returncode == 1 and "--id" in refused.stderr

    unknown = run(["dlq", "redrive", "acme", "--id", "7-7"], cwd=tmp_path, env=env)
    assert unknown.returncode == 1 and "7-7" in unknown.stderr

    redriven = run(["dlq", "redrive", "acme", "--id", row["entry_id"]], cwd=tmp_path, env=env)
    assert redriven.returncode == 0 and "redriven: 1" in redriven.stdout
    assert await bus.dead_letters("acme") == []
    (entry,) = await bus.redis.xrange(keys.inbox("inventory"))
    assert AgentMessage.from_json(entry[1][b"m"]) == poisoned


async def test_audit_tail_filters_by_conversation(settings: Settings, bus: EventBus, tmp_path: Path) -> None:
    assert settings.redis_url
    for conv in ("c1", "c2", "c1"):
        await bus.publish(AgentMessage(from_agent="orchestrator", to_agent="broadcast", message_type="event",
                                       intent="node_end", tenant_id="acme", conversation_id=conv))
    out = run(["audit", "tail", "acme", "--conversation", "c1", "--json"], cwd=tmp_path,
              env=clean_env(REDIS_URL=settings.redis_url))
    assert out.returncode == 0, out.stderr
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert [r["conversation_id"] for r in rows] == ["c1", "c1"]


def test_bad_input_gets_one_clear_line(settings: Settings, tmp_path: Path) -> None:
    assert settings.redis_url
    env = clean_env(REDIS_URL=settings.redis_url)
    bad_tenant = run(["dlq", "list", "Not A Slug"], cwd=tmp_path, env=env)
    assert bad_tenant.returncode == 1 and "invalid tenant id" in bad_tenant.stderr
    bad_agent = run(["worker", "--agents", "ping,nope"], cwd=tmp_path, env=env)
    assert bad_agent.returncode == 1 and "unknown agent nope" in bad_agent.stderr


def test_serve_refuses_a_redis_without_json_and_search(tmp_path: Path) -> None:
    plain = RedisBinaries(server=find_binaries().server, modules=())
    with EmbeddedRedis(tmp_path / "plain", binaries=plain).running() as url:
        out = run(["serve", "--port", str(free_port())], cwd=tmp_path, env=clean_env(REDIS_URL=url))
    assert out.returncode == 1
    error_lines = [line for line in out.stderr.splitlines() if line.startswith("error:")]
    assert len(error_lines) == 1
    assert "JSON" in error_lines[0] and "search" in error_lines[0] and "Redis 8" in error_lines[0]


def test_commands_share_the_embedded_redis_of_the_data_dir(tmp_path: Path) -> None:
    data = tmp_path / "data"
    env = clean_env(ORKESTA_DATA_DIR=str(data))
    # Nothing running: the command starts its own Redis and stops it when done.
    alone = run(["dlq", "list", "acme", "--json"], cwd=tmp_path, env=env)
    assert alone.returncode == 0, alone.stderr
    assert not (data / "redis" / "url").exists()

    # A server is up (as `orkesta serve` would leave it): the command uses it and leaves it up.
    with EmbeddedRedis(data).running() as url:
        keys = TenantKeys("acme")
        sync_redis.Redis.from_url(url).xadd(keys.dead_letters, {
            "m": "{}", "group": "g", "stream": keys.inbox("g"), "reason": "malformed message", "attempts": "1"})
        shared = run(["dlq", "list", "acme", "--json"], cwd=tmp_path, env=env)
        assert shared.returncode == 0, shared.stderr
        assert json.loads(shared.stdout)["reason"] == "malformed message"
        assert sync_redis.Redis.from_url(url).ping()


async def test_worker_command_answers_and_exports_metrics(settings: Settings, bus: EventBus, tmp_path: Path) -> None:
    assert settings.redis_url
    port = free_port()
    await bus.register_tenant("acme")
    proc = subprocess.Popen(
        [ORKESTA, "worker", "--agents", "ping", "--tenants", "acme"], cwd=tmp_path,
        env=clean_env(REDIS_URL=settings.redis_url, ORKESTA_WORKER_METRICS_PORT=str(port),
                      ORKESTA_BUS_BLOCK_MS="100"),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    try:
        # the worker's metrics answering says it has booted (a slow machine takes seconds to import it)
        (log := tmp_path / "worker.log").write_text("(stderr is piped; see the assertion below)")
        wait_until_ok(f"http://127.0.0.1:{port}/metrics", proc, log)
        reply = await bus.request(AgentMessage(from_agent="api", to_agent="ping", message_type="request",
                                               intent="ping", tenant_id="acme", payload={"n": 1}, timeout_ms=30_000))
        assert reply.payload == {"echo": {"n": 1}}
        async with httpx.AsyncClient() as http:
            text = (await http.get(f"http://127.0.0.1:{port}/metrics")).text
        assert 'agent_messages_total{from_agent="api",message_type="request",to_agent="ping"} 1.0' in text
    finally:
        proc.terminate()
        _, stderr = proc.communicate(timeout=20)
    assert proc.returncode == 0, stderr
    assert b"stopped" in stderr  # graceful: the worker said goodbye on SIGTERM




def _listeners(server: psutil.Process, port: int) -> list[int]:
    """The pids of the server's processes with a socket listening on `port`."""
    pids = []
    for process in server.children(recursive=True):
        with contextlib.suppress(psutil.NoSuchProcess):
            if any(c.status == psutil.CONN_LISTEN and c.laddr.port == port for c in process.net_connections("tcp")):
                pids.append(process.pid)
    return pids


def _wait_for(predicate: Callable[[], bool], what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


def test_serve_with_workers_runs_one_listening_process_each_and_replaces_a_dead_one(
    settings: Settings, tmp_path: Path,
) -> None:
    assert settings.redis_url
    port = free_port()
    log_path = tmp_path / "serve.log"
    log = log_path.open("wb")
    server = subprocess.Popen([ORKESTA, "serve", "--port", str(port), "--workers", "2"], cwd=tmp_path,
                              env=clean_env(REDIS_URL=settings.redis_url, ORKESTA_SERVE_AGENTS=""),
                              stdout=log, stderr=subprocess.STDOUT)
    try:
        supervisor = psutil.Process(server.pid)
        # each process binds its own SO_REUSEPORT socket, so the kernel spreads connections
        _wait_for(lambda: len(_listeners(supervisor, port)) == 2, "two listening processes")
        wait_until_ok(f"http://127.0.0.1:{port}/readyz", server, log_path)
        first, second = _listeners(supervisor, port)

        os.kill(first, signal.SIGKILL)
        _wait_for(lambda: first not in _listeners(supervisor, port) and len(_listeners(supervisor, port)) == 2,
                  "a replacement process")
        assert second in _listeners(supervisor, port)
        with httpx.Client(base_url=f"http://127.0.0.1:{port}") as http:
            assert all(http.get("/readyz").status_code == 200 for _ in range(20))

        children = supervisor.children(recursive=True)
        server.send_signal(signal.SIGTERM)
        assert server.wait(60) == 0
        _, alive = psutil.wait_procs(children, timeout=10)
        assert alive == []
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
        log.close()

