"""The HTTP service for tests: two seeded tenants with API keys, served over real HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import httpx
from redis.asyncio import Redis

from api.app import create_app
from core.settings import Settings
from core.tenant_store import TenantStore
from tests.support.http import serve_app
from tools.seed import seed_demo

KEYS = {"ferre-mx": "fmx-test-key-0123456789abcdef", "aceros-norte": "acn-test-key-0123456789abcdef"}


@dataclass
class Api:
    base: str
    http: httpx.AsyncClient

    def as_tenant(self, tenant: str) -> dict[str, str]:
        return {"X-API-Key": KEYS[tenant]}


@asynccontextmanager
async def open_api(redis: Redis, settings: Settings, **overrides: object) -> AsyncIterator[Api]:
    """Seed both tenants, give them keys, and serve the app (no in-process agents unless asked)."""
    store = TenantStore(redis)
    for tenant, key in KEYS.items():
        await seed_demo(redis, tenant)
        await store.add(tenant, api_key=key)
    settings = settings.model_copy(update={"serve_agents": ""} | overrides)
    async with serve_app(create_app(settings)) as base, httpx.AsyncClient(base_url=base, timeout=60) as http:
        yield Api(base=base, http=http)
