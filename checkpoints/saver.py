"""The checkpointer: langgraph-checkpoint-redis's full-history AsyncRedisSaver on our pooled client.

The shallow saver keeps only the latest checkpoint and cannot serve audit or replay, so it
is never used. Checkpoint keys are the library's own (`checkpoint:…`), the one family of keys
outside the `ork:{tenant}:…` scheme; tenants are kept apart by thread ids, which always
start with the tenant (`thread_id()`).
"""

from __future__ import annotations

from typing import Any

from langgraph.checkpoint.redis.aio import AsyncRedisSaver
from redis.asyncio import Redis

from core.settings import Settings
from core.tenants import validate_tenant


def thread_id(tenant: str, conversation_id: str) -> str:
    """The LangGraph thread of a tenant's conversation; the tenant prefix is the wall."""
    return f"{validate_tenant(tenant)}:{conversation_id}"


def ttl_policy(settings: Settings) -> dict[str, Any] | None:
    """The saver's TTL setting, or None to keep every checkpoint (what audit needs)."""
    if not settings.checkpoint_ttl_minutes:
        return None
    return {"default_ttl": settings.checkpoint_ttl_minutes, "refresh_on_read": settings.checkpoint_refresh_on_read}


async def create_saver(redis: Redis, settings: Settings) -> AsyncRedisSaver:
    """A ready saver (indexes created) sharing the process's bounded connection pool."""
    saver = AsyncRedisSaver(redis_client=redis, ttl=ttl_policy(settings))
    await saver.asetup()
    return saver
