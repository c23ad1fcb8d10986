"""Bus benchmark: end-to-end messages/s beside redis-benchmark XADD, and request/response latency.

    .venv/bin/python bench/bus.py [--messages 100000] [--rate 1000] [--requests 5000]

Everything runs against one embedded Redis started here (AOF on, as in production):
1. `redis-benchmark` XADD of a payload the size of one of our messages, unpipelined and
   pipelined (the machine's ceiling for the raw command);
2. ours: a publisher (this process) and a worker (a second process) move `--messages`
   messages through publish -> deliver -> handle -> ack, timed until the last ack;
3. request/response round trips at a fixed `--rate` (open loop: requests leave on schedule
   whether or not earlier ones returned), p50 and p99.
Needs `redis-benchmark` on PATH (Debian: `apt-get install redis-tools`).
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing as mp
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from agents.agent import Agent  # noqa: E402
from agents.bus import EventBus  # noqa: E402
from agents.messages import AgentMessage  # noqa: E402
from agents.ping import build as build_ping  # noqa: E402
from agents.runtime import Worker  # noqa: E402
from core.embedded import EmbeddedRedis  # noqa: E402
from core.redis import create_redis  # noqa: E402
from core.settings import Settings  # noqa: E402
from core.tenants import TenantKeys  # noqa: E402

TENANT = "bench"


def settings_for(url: str) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        REDIS_URL=url, ORKESTA_BUS_BLOCK_MS=50, ORKESTA_BUS_BATCH_SIZE=1000,
        ORKESTA_REDIS_MAX_CONNECTIONS=64,
    )


def sample(i: int) -> AgentMessage:
    return AgentMessage(
        from_agent="order", to_agent="sink", message_type="event", intent="order_created",
        tenant_id=TENANT, conversation_id=f"conv-{i % 1000}", customer_id="CUST-0001",
        payload={"order_id": f"ORD-{i:07d}", "total": "1653.00", "lines": 3},
    )


def redis_benchmark(socket_path: str, n: int, pipeline: int, payload: str) -> float:
    exe = shutil.which("redis-benchmark")
    if exe is None:
        raise SystemExit("redis-benchmark not found: apt-get install redis-tools")
    out = subprocess.run(
        [exe, "-s", socket_path, "-n", str(n), "-c", "50", "-P", str(pipeline), "--csv",
         "XADD", "bench:xadd", "*", "m", payload],
        capture_output=True, text=True, check=True,
    ).stdout
    # CSV: a header, then "test","rps","avg",...,"max": seven figures after a test name that
    # echoes our (unescaped) JSON payload, so split from the right.
    row = out.strip().splitlines()[-1].rsplit(",", 7)
    return float(row[1].strip('"'))


def _worker_main(url: str, agent: str, ready: mp.Event, stop: mp.Event) -> None:  # type: ignore[valid-type]
    async def main() -> None:
        settings = settings_for(url)
        redis = create_redis(url, settings)
        bus = EventBus(redis, settings)

        async def sink(m: AgentMessage) -> None:
            return None

        agents = {"sink": Agent("sink", sink, concurrency=1000), "ping": build_ping()}
        worker = Worker(redis, settings, [agents[agent]], bus=bus, tenants=[TENANT])
        task = asyncio.create_task(worker.run())
        await worker.tenants()
        ready.set()
        await asyncio.to_thread(stop.wait)  # a multiprocessing event: wait off the loop
        worker.stop()
        await task
        await redis.aclose()

    asyncio.run(main())


def start_worker(url: str, agent: str) -> tuple[mp.Process, mp.Event]:  # type: ignore[valid-type]
    ctx = mp.get_context("spawn")
    ready, stop = ctx.Event(), ctx.Event()
    proc = ctx.Process(target=_worker_main, args=(url, agent, ready, stop), daemon=True)
    proc.start()
    if not ready.wait(60):
        raise SystemExit("worker did not start")
    return proc, stop


async def end_to_end(url: str, n: int, workers: int) -> tuple[float, int]:
    settings = settings_for(url)
    redis = create_redis(url, settings)
    bus = EventBus(redis, settings)
    await bus.register_tenant(TENANT)
    messages = [sample(i) for i in range(n)]  # built before the clock starts: we time the bus
    stream = TenantKeys(TENANT).inbox("sink")
    await redis.delete(stream, TenantKeys(TENANT).handled("sink"))
    started_workers = [start_worker(url, "sink") for _ in range(workers)]
    started = time.perf_counter()
    chunk = 500
    for i in range(0, n, chunk):
        await bus.publish_many(messages[i:i + chunk])
    published = time.perf_counter()
    while True:
        group = next(g for g in await redis.xinfo_groups(stream) if g["name"] == b"sink")
        if group["entries-read"] >= n and group["pending"] == 0:
            break
        await asyncio.sleep(0.005)
    elapsed = time.perf_counter() - started
    for proc, stop in started_workers:
        stop.set()
        proc.join(30)
    handled = await redis.hlen(TenantKeys(TENANT).handled("sink"))
    print(f"  published {n} in {published - started:.2f} s; all acked after {elapsed:.2f} s; handled {handled}")
    await redis.aclose()
    return n / elapsed, int(handled)


async def round_trips(url: str, rate: int, count: int) -> list[float]:
    settings = settings_for(url)
    redis = create_redis(url, settings)
    bus = EventBus(redis, settings)
    proc, stop = start_worker(url, "ping")
    for _ in range(200):  # warm up connections and code paths
        await bus.request(AgentMessage(from_agent="api", to_agent="ping", message_type="request",
                                       intent="ping", tenant_id=TENANT, timeout_ms=5000))
    latencies: list[float] = []

    async def one() -> None:
        t0 = time.perf_counter()
        await bus.request(AgentMessage(from_agent="api", to_agent="ping", message_type="request",
                                       intent="ping", tenant_id=TENANT, timeout_ms=5000))
        latencies.append(time.perf_counter() - t0)

    tasks = []
    start = time.perf_counter()
    for i in range(count):
        delay = start + i / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one()))
    await asyncio.gather(*tasks)
    achieved = count / (time.perf_counter() - start)
    print(f"  {count} requests offered at {rate}/s, achieved {achieved:.0f}/s")
    stop.set()
    proc.join(30)
    await redis.aclose()
    return latencies


def percentile(values: list[float], p: float) -> float:
    return statistics.quantiles(values, n=1000)[int(p * 10) - 1] if len(values) > 1 else values[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--rate", type=int, default=1000)
    parser.add_argument("--requests", type=int, default=5000)
    parser.add_argument("--workers", default="1,2", help="worker process counts to measure, e.g. 1,2")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="orkesta-bench-") as tmp:
        server = EmbeddedRedis(Path(tmp))
        url = server.start()
        try:
            sock = url.removeprefix("unix://")
            payload = sample(0).to_json()
            print(f"machine: {os.cpu_count()} cores; Redis {url}; message {len(payload)} bytes")
            print("redis-benchmark XADD (50 clients):")
            raw1 = redis_benchmark(sock, args.messages, 1, payload)
            raw64 = redis_benchmark(sock, args.messages, 64, payload)
            print(f"  unpipelined {raw1:,.0f}/s   pipelined x64 {raw64:,.0f}/s")

            for workers in (int(w) for w in args.workers.split(",")):
                print(f"orkesta end to end (publish, deliver, handle, ack) of {args.messages:,} messages, "
                      f"1 publisher process, {workers} worker process(es):")
                ours, handled = asyncio.run(end_to_end(url, args.messages, workers))
                print(f"  {ours:,.0f} messages/s   ratio vs unpipelined XADD {ours / raw1:.2f}   "
                      f"vs pipelined XADD {ours / raw64:.3f}")
                if handled != args.messages:
                    raise SystemExit(f"lost messages: handled {handled} of {args.messages}")

            print(f"request/response round trip at {args.rate}/s:")
            lat = asyncio.run(round_trips(url, args.rate, args.requests))
            p50, p99 = percentile(lat, 50) * 1e3, percentile(lat, 99) * 1e3
            print(f"  p50 {p50:.2f} ms   p99 {p99:.2f} ms   max {max(lat) * 1e3:.2f} ms")
        finally:
            server.stop()


if __name__ == "__main__":
    main()
