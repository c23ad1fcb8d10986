"""Graph benchmark: the full order conversation with AsyncRedisSaver vs InMemorySaver, side by side.

    .venv/bin/python bench/graph.py [--concurrency 1,50,1000] [--conversations 200] [--rounds 2]

One embedded Redis (AOF on) holds the seeded catalog, customers and orders for both runs;
only the checkpointer differs. Each conversation is four turns (order request, choice,
confirmation with order and payment link, payment question), every step checkpointed.
At concurrency C, C conversations run at once; turns/s counts completed turns. Each saver
runs `--rounds` times per level, alternating which goes first, and its turns/s is its total
turns over its total time (the machine's speed drifts by 10-20 % over minutes).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from langgraph.checkpoint.memory import InMemorySaver  # noqa: E402
from redis.asyncio import Redis  # noqa: E402

from api.services import open_services  # noqa: E402
from core.embedded import EmbeddedRedis  # noqa: E402
from core.settings import Settings  # noqa: E402
from core.tenants import TenantKeys  # noqa: E402
from graph.builder import compile_graph  # noqa: E402
from graph.runner import ConversationRunner  # noqa: E402
from tools.seed import seed_demo  # noqa: E402

TENANT = "bench"
TURNS = ("Necesito 10 tubos de 1/2", "el pvc hidráulico", "sí, confirmo", "ya pagué")
CUSTOMER = "NEW-0001"  # no account: the confirmation makes a payment link


async def conversation(runner: ConversationRunner, conv: str) -> int:
    done = 0
    for text in TURNS:
        result = await runner.run_turn(tenant=TENANT, conversation_id=conv, customer_id=CUSTOMER, text=text)
        if not result.reply:
            raise RuntimeError(f"{conv}: no reply to {text!r}")
        done += 1
    if "confirmado" not in (await runner.result(TENANT, conv)).state["messages"][-3]["content"]:
        raise RuntimeError(f"{conv}: the order was not confirmed")
    return done


async def restock(redis: Redis) -> None:
    """Every conversation takes 10 pipes; keep the shelf full so runs compare like for like."""
    await redis.json().set(TenantKeys(TENANT).key("product", "PVC-TUB-050-6M"), "$.stock", 10**9)


async def measure(runner: ConversationRunner, label: str, concurrency: int, conversations: int) -> dict[str, float]:
    await restock(runner.bus.redis)
    count = max(conversations, concurrency)
    gate = asyncio.Semaphore(concurrency)
    failures: list[str] = []

    async def one(i: int) -> int:
        async with gate:
            try:
                return await conversation(runner, f"{label}-{concurrency}-{i}")
            except Exception as exc:
                failures.append(f"{type(exc).__name__}: {exc}")
                return 0

    started = time.perf_counter()
    turns = sum(await asyncio.gather(*(one(i) for i in range(count))))
    elapsed = time.perf_counter() - started
    if failures:
        print(f"    {label}: {len(failures)} failed conversations, first: {failures[0][:200]}")
    return {"turns": turns, "failures": len(failures), "seconds": elapsed}


async def main_async(url: str, levels: list[int], conversations: int, rounds: int) -> None:
    settings = Settings(_env_file=None, REDIS_URL=url, ORKESTA_REDIS_MAX_CONNECTIONS=64)  # type: ignore[call-arg]
    async with open_services(settings, with_graph=True) as services:
        redis, bus, metrics, deps = services.redis, services.bus, services.metrics, services.graph_deps
        await seed_demo(redis, TENANT)
        redis_runner = services.conversations()
        await restock(redis)
        await conversation(redis_runner, "warm-redis")
        print(f"{'concurrency':>11} {'in-memory turns/s':>18} {'redis turns/s':>14} {'ratio':>6} {'failures':>9}")
        for level in levels:
            totals = {name: {"turns": 0.0, "failures": 0.0, "seconds": 0.0} for name in ("memory", "redis")}
            for round_ in range(rounds):
                # Alternate which saver goes first: the machine's speed drifts over a run.
                for name in (("memory", "redis") if round_ % 2 == 0 else ("redis", "memory")):
                    if name == "memory":
                        # A fresh in-memory saver each time, dropped before the next run: its
                        # growing heap of checkpoints must not slow what runs after it (GC).
                        runner = ConversationRunner(compile_graph(deps, InMemorySaver()), bus, metrics)
                        await conversation(runner, f"warm-memory-{level}-{round_}")
                    else:
                        runner = redis_runner
                    result = await measure(runner, f"{name}-{round_}", level, conversations)
                    del runner
                    gc.collect()
                    for key, value in result.items():
                        totals[name][key] += value
            mem, red = (totals[n]["turns"] / totals[n]["seconds"] for n in ("memory", "redis"))
            print(f"{level:>11} {mem:>18.1f} {red:>14.1f} {red / mem:>6.2f} "
                  f"{totals['memory']['failures']:>4.0f}/{totals['redis']['failures']:<4.0f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--concurrency", default="1,50,1000")
    parser.add_argument("--conversations", type=int, default=200, help="conversations per run (at least C)")
    parser.add_argument("--rounds", type=int, default=2,
                        help="runs of each saver per level, alternating which goes first")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="orkesta-bench-") as tmp:
        server = EmbeddedRedis(Path(tmp))
        url = server.start()
        try:
            print(f"machine: {os.cpu_count()} cores; {len(TURNS)} turns per conversation")
            asyncio.run(main_async(url, [int(c) for c in args.concurrency.split(",")], args.conversations, args.rounds))
        finally:
            server.stop()


if __name__ == "__main__":
    main()
