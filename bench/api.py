"""API benchmark: N concurrent conversations each send their first order message over HTTP.

    .venv/bin/python bench/api.py [--conversations 1000]

Starts `orkesta serve` (embedded Redis, AOF on) in its own process with a seeded tenant,
then fires every conversation's first message at once ("Necesito 10 tubos de 1/2": supervisor,
order line matched to the catalog, the options asked about, all checkpointed in Redis; the
message names no material, so every version of the reader asks). Reports wall time,
success rate, latency p50/p99, and the CPU cores the server and its Redis used (CPU seconds
over wall seconds). The seed's bar: 1,000 messages within 10 s at 95 % success.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp
import httpx
import psutil

from core.embedded import free_port

ROOT = Path(__file__).resolve().parents[1]
ORKESTA = str(Path(sys.executable).with_name("orkesta"))
KEY = "bench-api-key-0123456789abcdef"



def cpu_seconds(proc: psutil.Process) -> float:
    """CPU time of a process and its live children (the embedded Redis)."""
    total = 0.0
    for p in [proc, *proc.children(recursive=True)]:
        try:
            t = p.cpu_times()
            total += t.user + t.system
        except psutil.NoSuchProcess:
            pass
    return total


def listening(proc: psutil.Process, port: int) -> int:
    """How many of the server's processes have a socket listening on `port`."""
    count = 0
    for p in [proc, *proc.children(recursive=True)]:
        with contextlib.suppress(psutil.NoSuchProcess):
            count += any(c.status == psutil.CONN_LISTEN and c.laddr.port == port for c in p.net_connections("tcp"))
    return count


async def one(http: aiohttp.ClientSession, base: str, i: int) -> tuple[str | None, float]:
    """One first message; the error (None when it got its options) and the latency."""
    started = time.perf_counter()
    try:
        async with http.post(f"{base}/v1/chat", json={
                "customer_id": "CUST-0003", "conversation_id": f"bench-{i}", "text": "Necesito 10 tubos de 1/2"}
        ) as r:
            body = await r.json() if r.status == 200 else {"error": await r.text()}
        error = None if "¿cuál de estas?" in (body.get("reply") or "") else f"HTTP {r.status}: {str(body)[:300]}"
    except (TimeoutError, aiohttp.ClientError) as exc:
        error = f"{type(exc).__name__}: {exc}"
    return error, time.perf_counter() - started


async def fire(base: str, n: int) -> tuple[float, list[tuple[str | None, float]]]:
    # aiohttp rather than httpx as the load generator: it shares the two cores with the
    # server, and httpx's pool spent ~11 ms of CPU a request at 1,000 connections.
    connector = aiohttp.TCPConnector(limit=n)
    timeout = aiohttp.ClientTimeout(total=120)
    async with aiohttp.ClientSession(headers={"X-API-Key": KEY}, connector=connector, timeout=timeout) as http:
        await one(http, base, -1)  # warm up
        started = time.perf_counter()
        results = await asyncio.gather(*(one(http, base, i) for i in range(n)))
        return time.perf_counter() - started, results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--conversations", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2, help="orkesta serve --workers (one per core)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="orkesta-bench-api-") as tmp:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("REDIS_URL", "ORKESTA_", "OTEL_"))}
        env |= {"ORKESTA_DATA_DIR": str(Path(tmp) / "data"), "ORKESTA_LOG_LEVEL": "WARNING",
                "ORKESTA_SERVE_AGENTS": ""}
        subprocess.run([ORKESTA, "tenant", "add", "bench", "--api-key", KEY], env=env, cwd=tmp, check=True,
                       capture_output=True)
        subprocess.run([ORKESTA, "seed", "bench"], env=env, cwd=tmp, check=True, capture_output=True)
        port = free_port()
        server = subprocess.Popen([ORKESTA, "serve", "--port", str(port), "--workers", str(args.workers)],
                                  env=env, cwd=tmp)
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    if httpx.get(f"{base}/readyz", timeout=1).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit("orkesta serve did not start")
                time.sleep(0.1)
            proc = psutil.Process(server.pid)
            # /readyz answered from one process; wait until every process listens, or the
            # burst lands on the first one alone.
            while listening(proc, port) < args.workers:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit("orkesta serve did not start all its processes")
                time.sleep(0.1)
            cpu_before, client_before = cpu_seconds(proc), time.process_time()
            wall, results = asyncio.run(fire(base, args.conversations))
            cpu, client_cpu = cpu_seconds(proc) - cpu_before, time.process_time() - client_before
        finally:
            server.terminate()
            server.wait(30)
    ok = [lat for error, lat in results if error is None]
    errors = [error for error, _ in results if error is not None]
    lat = sorted(lat for _, lat in results)
    print(f"machine: {os.cpu_count()} cores; {args.conversations} concurrent first messages over HTTP; "
          f"orkesta serve --workers {args.workers}")
    print(f"  wall {wall:.2f} s   success {len(ok)}/{len(results)} ({100 * len(ok) / len(results):.1f} %)   "
          f"throughput {len(results) / wall:.0f} turns/s")
    print(f"  latency p50 {statistics.median(lat) * 1e3:.0f} ms   p99 {lat[int(len(lat) * 0.99) - 1] * 1e3:.0f} ms")
    if errors:
        print(f"  {len(errors)} failed; first: {errors[0]}")
    print(f"  server + Redis CPU {cpu:.1f} s over {wall:.1f} s wall = {cpu / wall:.2f} cores")
    print(f"  load generator CPU {client_cpu:.1f} s (it shares the machine's cores with the server)")


if __name__ == "__main__":
    main()
