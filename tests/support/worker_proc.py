"""A worker process for the tests: a real `Worker` whose handler records what it did in Redis.

Run as `python -m tests.support.worker_proc URL AGENT [--tenant T] [--hang-on INTENT]`.
The handler appends `<consumer>:<message id>` to `ork:{tenant}:test:started` and, once done,
to `ork:{tenant}:test:handled`; on a message whose intent is `--hang-on` it never finishes,
so a test can kill the process mid-handler.
"""

from __future__ import annotations

import argparse
import asyncio

from agents.agent import Agent
from agents.bus import EventBus
from agents.messages import AgentMessage
from agents.runtime import Worker, run_until_signalled
from core.redis import create_redis
from core.settings import Settings
from core.tenants import TenantKeys


def started_key(tenant: str) -> str:
    return TenantKeys(tenant).key("test", "started")


def handled_key(tenant: str) -> str:
    return TenantKeys(tenant).key("test", "handled")


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("agent")
    parser.add_argument("--tenant", action="append")
    parser.add_argument("--hang-on")
    parser.add_argument("--consumer")
    parser.add_argument("--claim-idle-ms", type=int, default=500)
    parser.add_argument("--batch-size", type=int, default=256)
    args = parser.parse_args()

    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        REDIS_URL=args.url, ORKESTA_BUS_BLOCK_MS=100, ORKESTA_BUS_CLAIM_IDLE_MS=args.claim_idle_ms,
        ORKESTA_BUS_RETRY_BASE_MS=20, ORKESTA_BUS_BATCH_SIZE=args.batch_size,
    )
    redis = create_redis(args.url, settings)
    bus = EventBus(redis, settings)

    async def handle(message: AgentMessage) -> AgentMessage | None:
        tag = f"{worker.consumer}:{message.id}"
        await redis.rpush(started_key(message.tenant_id), tag)
        if message.intent == args.hang_on:
            await asyncio.Event().wait()  # stuck until the test kills us
        await redis.rpush(handled_key(message.tenant_id), tag)
        if message.message_type == "request":
            return message.reply(from_agent=args.agent, intent="done", payload={"by": worker.consumer})
        return None

    worker = Worker(redis, settings, [Agent(args.agent, handle, events=frozenset({"*"}))],
                    bus=bus, tenants=args.tenant, consumer=args.consumer)
    await redis.rpush(TenantKeys("ready").key("workers"), worker.consumer)
    try:
        await run_until_signalled(worker)
    finally:
        await redis.aclose()


if __name__ == "__main__":
    asyncio.run(main())
