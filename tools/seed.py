"""Load a tenant's demo catalog, customers and invoices; safe to run again (it only adds what is missing)."""

from __future__ import annotations

from pydantic import BaseModel, Field
from redis.asyncio import Redis

from tools.accounts import Accounts, demo_customers, demo_invoices
from tools.catalog import Catalog, demo_products


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

    @property
    def changed(self) -> bool:
        """False when the tenant already had every demo record: the run changed nothing."""
        return self.index_created or any(c.created for c in (self.products, self.customers, self.invoices))


def _count(created: int, total: int) -> SeedCount:
    # Present = the rest of the demo set; existing records are never overwritten.
    return SeedCount(created=created, present=max(0, total - created))


async def seed_demo(redis: Redis, tenant: str) -> SeedReport:
    """Create the tenant's catalog index and add the missing demo products, customers and invoices."""
    catalog = Catalog(redis, tenant)
    index_created = await catalog.ensure_index()
    products = await catalog.load_demo()
    accounts = await Accounts(redis, tenant).load_demo()
    return SeedReport(
        tenant=tenant,
        index_created=index_created,
        products=_count(products, len(demo_products())),
        customers=_count(accounts["customers"], len(demo_customers())),
        invoices=_count(accounts["invoices"], len(demo_invoices())),
    )
