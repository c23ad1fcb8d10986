"""Worker processes against a real Redis: a SIGKILL mid-handler loses nothing and doubles nothing."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from redis.asyncio import Redis
from redis.exceptions import ResponseError

from agents.bus import EventBus, stream_for
from agents.messages import AgentMessage
from core.settings import Settings
from tests.support.worker_proc import handled_key, started_key

ROOT = Path(__file__).resolve().parents[2]
TENANT = "ferre-mx"


class Procs:
    """Worker processes started by a test, all killed at its end whatever happens."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.procs: list[subprocess.Popen[bytes]] = []

    def start(self, agent: str, *args: str) -> subprocess.Popen[bytes]:
        proc = subprocess.Popen(
            [sys.executable, "-m", "tests.support.worker_proc", self.url, agent, "--tenant", TENANT, *args],
            cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        self.procs.append(proc)
        return proc

    def close(self) -> None:
        for p in self.procs:
            if p.poll() is None:
                p.kill()
            p.wait(10)


@pytest.fixture
def procs(settings: Settings) -> Iterator[Procs]:
    assert settings.redis_url
    p = Procs(settings.redis_url)
    try:
        yield p
    finally:
        p.close()


def event(i: int, intent: str = "order_created") -> AgentMessage:
    return AgentMessage(from_agent="order", to_agent="inventory", message_type="event", intent=intent,
                        tenant_id=TENANT, payload={"i": i})


async def group_consumers(redis: Redis, stream: str, group: str) -> set[str]:
    """The consumers that have read `stream` in `group` (none while the stream or group is missing)."""
    try:
        return {c["name"].decode() if isinstance(c["name"], bytes) else c["name"]
                for c in await redis.xinfo_consumers(stream, group)}
    except ResponseError:
        return set()


async def wait_for(redis: Redis, key: str, n: int, timeout: float = 20.0) -> list[str]:
    async with asyncio.timeout(timeout):
        while len(items := [x.decode() for x in await redis.lrange(key, 0, -1)]) < n:
            await asyncio.sleep(0.02)
    return items


async def test_sigkill_mid_handler_is_reclaimed_by_another_worker_none_lost_none_twice(
    redis: Redis, bus: EventBus, procs: Procs
) -> None:
    messages = [event(i, "stuck" if i == 5 else "order_created") for i in range(20)]
    await bus.publish_many(messages)
    doomed = procs.start("inventory", "--hang-on", "stuck", "--consumer", "doomed")
    started = await wait_for(redis, started_key(TENANT), 6)
    assert started[-1] == f"doomed:{messages[5].id}"  # it is inside the handler of #5

    doomed.send_signal(signal.SIGKILL)
    doomed.wait(10)
    before = await redis.lrange(handled_key(TENANT), 0, -1)
    assert [b.decode() for b in before] == [f"doomed:{m.id}" for m in messages[:5]]

    procs.start("inventory", "--consumer", "heir")
    handled = await wait_for(redis, handled_key(TENANT), 20)
    async with asyncio.timeout(20):
        while (await redis.xpending(stream_for(messages[0]), "inventory"))["pending"]:
            await asyncio.sleep(0.02)

    ids = [h.split(":", 1)[1] for h in handled]
    assert sorted(ids) == sorted(m.id for m in messages)  # none lost, none twice
    by = dict(h.split(":", 1)[::-1] for h in handled)
    assert {by[m.id] for m in messages[:5]} == {"doomed"}
    assert {by[m.id] for m in messages[5:]} == {"heir"}


async def test_worker_processes_of_one_type_share_the_load(redis: Redis, bus: EventBus, procs: Procs) -> None:
    procs.start("inventory", "--consumer", "w1", "--batch-size", "5")
    procs.start("inventory", "--consumer", "w2", "--batch-size", "5")
    messages = [event(i) for i in range(300)]
    stream = stream_for(messages[0])
    # Both are reading the group before anything is published, so neither can take it all alone.
    async with asyncio.timeout(20):
        while {"w1", "w2"} - await group_consumers(redis, stream, "inventory"):
            await asyncio.sleep(0.02)
    for chunk in range(0, 300, 30):
        await bus.publish_many(messages[chunk:chunk + 30])
    await wait_for(redis, handled_key(TENANT), 300)
    async with asyncio.timeout(20):  # everything acknowledged: no entry is left to be handled again
        while (await redis.xpending(stream, "inventory"))["pending"]:
            await asyncio.sleep(0.02)
    handled = [h.decode() for h in await redis.lrange(handled_key(TENANT), 0, -1)]
    ids = [h.split(":", 1)[1] for h in handled]
    assert sorted(ids) == sorted(m.id for m in messages)
    consumers = {h.split(":", 1)[0] for h in handled}
    assert consumers == {"w1", "w2"}


async def test_request_answered_by_a_worker_process(bus: EventBus, procs: Procs) -> None:
    procs.start("inventory", "--consumer", "solo")
    request = AgentMessage(from_agent="order", to_agent="inventory", message_type="request",
                           intent="reserve_stock", tenant_id=TENANT, timeout_ms=20_000)
    response = await bus.request(request)
    assert response.reply_to == request.id and response.payload == {"by": "solo"}
