"""Helpers for the background-flow tests: a movable clock, polling, reading an agent's inbox."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from redis.asyncio import Redis

from agents.bus import FIELD
from agents.messages import AgentMessage
from core.locale import MEXICO_CITY as LOCAL_TZ
from core.redis import as_text
from core.tenants import TenantKeys


class FakeClock:
    """A clock the test moves by hand: `clock()` is now, `advance(days=1)` moves it."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


def local(year: int, month: int, day: int, hour: int = 10) -> datetime:
    """A Mexico City time."""
    return datetime(year, month, day, hour, tzinfo=LOCAL_TZ)


async def eventually(check: Callable[[], Awaitable[bool]], *, timeout: float = 15.0, what: str = "condition") -> None:
    """Poll `check` until it is true; fail after `timeout` seconds (a worker works concurrently)."""
    async with asyncio.timeout(timeout):
        while not await check():
            await asyncio.sleep(0.02)
    assert await check(), what


async def settled(redis: Redis, tenant: str, *agents: str) -> bool:
    """Whether every agent type named has read and acknowledged all of its streams: nothing left to handle,
    so a duplicate that would be wrong has had its chance to show."""
    keys = TenantKeys(tenant)
    for agent in agents:
        for stream in (keys.events, keys.inbox(agent), keys.inbox(agent, urgent=True)):
            if not await redis.exists(stream):
                continue
            groups = {as_text(g["name"]): g for g in await redis.xinfo_groups(stream)}
            group = groups.get(agent)
            if group is None:
                continue  # a stream this agent type does not read (its groups exist once its worker runs)
            if group["pending"] or group["lag"] is None or group["lag"]:
                return False
    return True


async def inbox(redis: Redis, tenant: str, agent: str) -> list[AgentMessage]:
    """Every message sent to `agent` (normal and urgent lanes), oldest first."""
    keys = TenantKeys(tenant)
    out: list[AgentMessage] = []
    for stream in (keys.inbox(agent), keys.inbox(agent, urgent=True)):
        out += [AgentMessage.from_json(fields[FIELD]) for _, fields in await redis.xrange(stream)]
    return sorted(out, key=lambda m: m.timestamp)


async def events(redis: Redis, tenant: str, intent: str) -> list[AgentMessage]:
    """The broadcast events of one intent on the tenant's event stream."""
    found = [AgentMessage.from_json(f[FIELD]) for _, f in await redis.xrange(TenantKeys(tenant).events)]
    return [m for m in found if m.intent == intent]
