"""A tenant's service info on a real Redis: defaults until set, one JSON document per tenant, seeded once."""

from __future__ import annotations

from decimal import Decimal

import pytest
from pydantic import ValidationError
from redis.asyncio import Redis

from tools.seed import seed_demo
from tools.service_info import (
    BankDetails,
    Localized,
    ServiceInfoStore,
    default_service_info,
    demo_service_info,
)

TENANT = "ferre-mx"
OTHER = "aceros-norte"


async def test_an_unset_tenant_answers_neutral_defaults_without_bank(redis: Redis) -> None:
    store = ServiceInfoStore(redis, TENANT)
    assert await store.stored() is None
    info = await store.get()
    assert info == default_service_info() and info.bank is None and info.free_delivery_from is None
    assert "$" not in info.delivery.es + info.delivery.en  # promises no price
    assert await redis.exists(store.key) == 0  # reading writes nothing


async def test_set_is_one_json_document_in_the_tenants_slot_and_reads_back(redis: Redis) -> None:
    store = ServiceInfoStore(redis, TENANT)
    info = demo_service_info().model_copy(update={
        "bank": BankDetails(bank="Banorte", holder="Aceros SA", clabe="072180000118359711",
                            reference_hint=Localized(es="Usa tu número de cliente", en="Use your customer id")),
        "free_delivery_from": None,
    })
    await store.set(info)
    assert store.key == "ork:{ferre-mx}:service-info"
    assert (await redis.type(store.key)) == b"ReJSON-RL"
    assert (await redis.json().get(store.key, "$.delivery_fee")) == ["150.00"]
    assert await store.get() == info
    assert await ServiceInfoStore(redis, OTHER).stored() is None  # tenants never share it

    await store.set(default_service_info())  # set replaces the whole document
    assert await store.get() == default_service_info()


async def test_set_refuses_a_copy_that_skipped_validation(redis: Redis) -> None:
    store = ServiceInfoStore(redis, TENANT)
    bad = demo_service_info().model_copy(update={"delivery_fee": Decimal("-5")})
    with pytest.raises(ValidationError, match="delivery_fee"):
        await store.set(bad)
    assert await store.stored() is None


async def test_seed_writes_the_demo_info_once_and_never_over_the_tenants_own(redis: Redis) -> None:
    first = await seed_demo(redis, TENANT)
    assert (first.service_info.created, first.service_info.present) == (1, 0)
    store = ServiceInfoStore(redis, TENANT)
    assert await store.get() == demo_service_info()

    own = demo_service_info().model_copy(update={"hours": Localized(es="24 horas", en="24 hours")})
    await store.set(own)
    again = await seed_demo(redis, TENANT)
    assert (again.service_info.created, again.service_info.present) == (0, 1) and not again.changed
    assert await store.get() == own
