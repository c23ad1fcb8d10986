"""Load a tenant's demo catalog, customers, invoices and service info; safe to run again (only what is
missing is added, nothing is overwritten)."""

from __future__ import annotations

from pydantic import BaseModel, Field
from redis.asyncio import Redis

from tools.accounts import Accounts, demo_customers, demo_invoices
from tools.catalog import Catalog, demo_products
from tools.service_info import ServiceInfoStore, demo_service_info


class SeedCount(BaseModel):
    """How many demo records of one kind this run added, and how many were already there."""

    created: int = Field(ge=0)
    present: int = Field(ge=0)


class SeedReport(BaseModel):
    """What `seed_demo` did for a tenant."""

    tenant: str
    index_created: bool
    products: SeedCount
    customers: SeedCount
    invoices: SeedCount
    service_info: SeedCount

    @property
    def changed(self) -> bool:
        """False when the tenant already had every demo record: the run changed nothing."""
        counts = (self.products, self.customers, self.invoices, self.service_info)
        return self.index_created or any(c.created for c in counts)


def _count(created: int, total: int) -> SeedCount:
    # Present = the rest of the demo set; existing records are never overwritten.
    return SeedCount(created=created, present=max(0, total - created))


async def seed_demo(redis: Redis, tenant: str) -> SeedReport:
    """Create the tenant's catalog index and add the missing demo products, customers and invoices, and
    the demo service info unless the tenant has its own."""
    catalog = Catalog(redis, tenant)
    index_created = await catalog.ensure_index()
    products = await catalog.load_demo()
    accounts = await Accounts(redis, tenant).load_demo()
    info = await ServiceInfoStore(redis, tenant).set_if_absent(demo_service_info())
    return SeedReport(
        tenant=tenant,
        index_created=index_created,
        products=_count(products, len(demo_products())),
        customers=_count(accounts["customers"], len(demo_customers())),
        invoices=_count(accounts["invoices"], len(demo_invoices())),
        service_info=_count(int(info), 1),
    )
