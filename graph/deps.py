"""What the graph's nodes need, passed in by whoever builds the graph (service, Studio, tests)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from redis.asyncio import Redis

from agents.bus import EventBus
from core.locale import local_now
from core.settings import Settings
from graph.understanding import MessageReader
from tools.accounts import Accounts
from tools.catalog import Catalog
from tools.orders import Orders
from tools.payments import PaymentProvider, PaymentStore
from tools.pricing import PricingPolicy
from tools.service_info import ServiceInfoStore


@dataclass(frozen=True, slots=True)
class GraphDeps:
    """Clients and policies the nodes call; per-tenant tools are built from them on demand."""

    settings: Settings
    redis: Redis
    bus: EventBus
    reader: MessageReader
    payments: PaymentProvider
    pricing: PricingPolicy
    clock: Callable[[], datetime] = field(default=local_now)

    def catalog(self, tenant: str) -> Catalog:
        return Catalog(self.redis, tenant)

    def accounts(self, tenant: str) -> Accounts:
        return Accounts(self.redis, tenant)

    def orders(self, tenant: str) -> Orders:
        return Orders(self.redis, tenant)

    def service_info(self, tenant: str) -> ServiceInfoStore:
        return ServiceInfoStore(self.redis, tenant)

    def payment_store(self) -> PaymentStore:
        return PaymentStore(self.redis)
