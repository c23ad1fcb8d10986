"""Tenants on a real Redis: API keys kept only as hashes, one tenant per key and per WhatsApp number."""

from __future__ import annotations

import asyncio

import pytest
from redis.asyncio import Redis

from core.tenant_store import APIKEYS_KEY, WA_PHONE_KEY, TenantStore, hash_api_key
from core.tenants import TENANTS_KEY, InvalidTenantError, TenantKeys

KEY_A = "ak_live_4f9c2b7e1d8a6c3f0b5e"
KEY_B = "ak_live_9e8d7c6b5a4f3e2d1c0b"
SECRETS = {"wa_app_secret": "app-secret-31d0c9", "wa_verify_token": "verify-7a1b", "wa_access_token": "EAAG-token-55e1"}


@pytest.fixture
def store(redis: Redis) -> TenantStore:
    return TenantStore(redis)


async def test_added_key_names_its_tenant_and_only_its_hash_is_stored(store: TenantStore, redis: Redis) -> None:
    config = await store.add("acme", api_key=KEY_A, display_name="Acme Plomería", wa_phone_number_id="1098765",
                             **SECRETS)
    assert await store.tenant_for_key(KEY_A) == "acme"
    assert await store.tenant_for_key(KEY_B) is None
    assert await store.tenant_for_key("") is None
    assert await redis.hget(APIKEYS_KEY, hash_api_key(KEY_A)) == b"acme"
    assert await redis.sismember(TENANTS_KEY, "acme")
    assert config.api_key_sha256 == hash_api_key(KEY_A)
    for key in await redis.keys("*"):
        assert KEY_A.encode() not in key
        kind = (await redis.type(key)).decode()
        if kind == "hash":
            assert not any(KEY_A.encode() in b for kv in (await redis.hgetall(key)).items() for b in kv)
        elif kind == "ReJSON-RL":
            assert KEY_A not in str(await redis.json().get(key))

    stored = await store.get("acme")
    assert stored is not None and stored.display_name == "Acme Plomería"
    # Stored so the service can sign and call Meta with them...
    assert stored.wa_app_secret is not None and stored.wa_app_secret.get_secret_value() == SECRETS["wa_app_secret"]
    # ...but no dump, repr or public view shows them.
    for shown in (stored.model_dump_json(), repr(stored), str(stored.model_dump()), str(stored.public())):
        assert not any(secret in shown for secret in SECRETS.values())
    assert stored.public()["wa_access_token_set"] is True and stored.whatsapp_configured


async def test_a_key_names_one_tenant(store: TenantStore, redis: Redis) -> None:
    await store.add("acme", api_key=KEY_A)
    with pytest.raises(ValueError, match="already belongs to tenant acme"):
        await store.add("rival", api_key=KEY_A)
    assert await store.tenant_for_key(KEY_A) == "acme"
    assert await store.get("rival") is None
    assert not await redis.sismember(TENANTS_KEY, "rival")


async def test_concurrent_claims_of_one_key_have_one_winner(store: TenantStore) -> None:
    results = await asyncio.gather(*(store.add(f"t{i}", api_key=KEY_A) for i in range(8)), return_exceptions=True)
    winners = [r for r in results if not isinstance(r, BaseException)]
    assert len(winners) == 1
    assert all(isinstance(r, ValueError) for r in results if isinstance(r, BaseException))
    assert await store.tenant_for_key(KEY_A) == winners[0].tenant


async def test_readding_with_a_new_key_rotates_it_and_keeps_the_rest(store: TenantStore, redis: Redis) -> None:
    first = await store.add("acme", api_key=KEY_A, display_name="Acme", wa_phone_number_id="1098765", **SECRETS)
    second = await store.add("acme", api_key=KEY_B)
    assert await store.tenant_for_key(KEY_A) is None
    assert await store.tenant_for_key(KEY_B) == "acme"
    assert await redis.hget(APIKEYS_KEY, hash_api_key(KEY_A)) is None
    assert second.created_at == first.created_at and second.updated_at > first.updated_at
    assert second.display_name == "Acme" and second.wa_phone_number_id == "1098765"
    assert second.wa_access_token is not None
    assert second.wa_access_token.get_secret_value() == SECRETS["wa_access_token"]
    # The retired key is free again.
    await store.add("other", api_key=KEY_A)
    assert await store.tenant_for_key(KEY_A) == "other"


async def test_phone_number_id_finds_one_tenant(store: TenantStore, redis: Redis) -> None:
    await store.add("acme", api_key=KEY_A, wa_phone_number_id="1098765")
    assert await store.tenant_for_phone_number_id("1098765") == "acme"
    assert await store.tenant_for_phone_number_id("555") is None
    with pytest.raises(ValueError, match="phone number id 1098765 already belongs to tenant acme"):
        await store.add("rival", api_key=KEY_B, wa_phone_number_id="1098765")
    # The refused add left nothing behind: its key is not bound either.
    assert await redis.hget(APIKEYS_KEY, hash_api_key(KEY_B)) is None
    assert await store.get("rival") is None

    await store.add("acme", api_key=KEY_A, wa_phone_number_id="2222222")
    assert await store.tenant_for_phone_number_id("2222222") == "acme"
    assert await store.tenant_for_phone_number_id("1098765") is None
    assert await redis.hget(WA_PHONE_KEY, "1098765") is None


async def test_a_stale_index_entry_grants_nothing(store: TenantStore, redis: Redis) -> None:
    await store.add("acme", api_key=KEY_A, wa_phone_number_id="1098765")
    # As an interrupted rotation could leave behind: the index names acme, acme's config does not.
    await redis.hset(APIKEYS_KEY, hash_api_key(KEY_B), "acme")
    await redis.hset(WA_PHONE_KEY, "777", "acme")
    assert await store.tenant_for_key(KEY_B) is None
    assert await store.tenant_for_phone_number_id("777") is None


@pytest.mark.parametrize(
    ("tenant", "key", "error", "match"),
    [
        ("acme", "too-short", ValueError, "at least|16-512"),
        ("acme", "sixteen chars with spaces", ValueError, "without spaces"),
        ("Not A Slug", KEY_A, InvalidTenantError, "invalid tenant id"),
    ],
)
async def test_bad_input_is_refused_before_anything_is_written(
    store: TenantStore, redis: Redis, tenant: str, key: str, error: type[Exception], match: str
) -> None:
    with pytest.raises(error, match=match):
        await store.add(tenant, api_key=key)
    assert await redis.dbsize() == 0


async def test_bad_whatsapp_setting_names_the_field(store: TenantStore, redis: Redis) -> None:
    with pytest.raises(ValueError, match="wa_phone_number_id"):
        await store.add("acme", api_key=KEY_A, wa_phone_number_id="12 34")
    assert await redis.dbsize() == 0


async def test_configs_lists_configured_and_merely_registered_tenants(store: TenantStore, redis: Redis) -> None:
    await store.add("acme", api_key=KEY_A, wa_phone_number_id="1098765", **SECRETS)
    await store.add("bravo", api_key=KEY_B)
    await redis.sadd(TENANTS_KEY, "seen-by-bus")
    configs = await store.configs()
    assert list(configs) == ["acme", "bravo", "seen-by-bus"]
    acme, bravo = configs["acme"], configs["bravo"]
    assert acme is not None and acme.whatsapp_configured
    assert bravo is not None and not bravo.whatsapp_configured and not any(bravo.wa_fields_set.values())
    assert configs["seen-by-bus"] is None
    assert await redis.json().get(TenantKeys("acme").key("config"), "$.tenant") == ["acme"]
