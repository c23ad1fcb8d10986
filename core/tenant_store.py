"""Who a tenant is: its API key (stored only as a hash) and its WhatsApp settings, in Redis.

Two global hashes find a tenant from outside: `ork:apikeys` (SHA-256 of an API key -> tenant)
for `X-API-Key`, and `ork:wa-phone` (phone number id -> tenant) for WhatsApp webhooks. The
tenant's config document at `ork:{tenant}:config` is the truth; the hashes are indexes to it,
so a lookup is only answered when the config agrees (a stale index entry finds nobody).
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError
from redis.asyncio import Redis

from core.redis import as_text
from core.tenants import TENANTS_KEY, TenantKeys, validate_tenant

#: SHA-256 (hex) of an API key -> the tenant it names; global, as a key names its tenant.
APIKEYS_KEY = "ork:apikeys"
#: WhatsApp phone number id -> tenant; global, as a webhook names only the number.
WA_PHONE_KEY = "ork:wa-phone"
MIN_API_KEY_LENGTH = 16
MAX_API_KEY_LENGTH = 512
_SECRET_FIELDS = ("wa_app_secret", "wa_verify_token", "wa_access_token")

# Bind `field` to a tenant unless another tenant holds it; returns the other tenant, else nil.
# One key per script, so it stays legal on Redis Cluster.
_CLAIM_LUA = """
local owner = redis.call('HGET', KEYS[1], ARGV[1])
if owner and owner ~= ARGV[2] then return owner end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return false
"""
# Unbind `field` only if it is still this tenant's: a concurrent add may have rebound it.
_RELEASE_LUA = """
if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then return redis.call('HDEL', KEYS[1], ARGV[1]) end
return 0
"""


def hash_api_key(api_key: str) -> str:
    """The SHA-256 (hex) under which an API key is stored and looked up."""
    # API keys are long random tokens, not passwords: with that much entropy a guess is hopeless
    # however fast the hash, so a fast hash suffices and a slow KDF would only tax every request.
    return hashlib.sha256(api_key.encode("utf-8")).hexdigest()


def check_api_key(api_key: str) -> str:
    """Return `api_key` if it is 16-512 printable characters without spaces, else raise ValueError."""
    if not MIN_API_KEY_LENGTH <= len(api_key) <= MAX_API_KEY_LENGTH:
        raise ValueError(
            f"API key must be {MIN_API_KEY_LENGTH}-{MAX_API_KEY_LENGTH} characters, got {len(api_key)}"
        )
    if not api_key.isprintable() or any(c.isspace() for c in api_key):
        raise ValueError("API key must be printable characters without spaces")
    return api_key


class TenantConfig(BaseModel):
    """A tenant's settings; secrets are `SecretStr`, so dumps, reprs and logs show them masked."""

    model_config = ConfigDict(frozen=True, extra="ignore", str_strip_whitespace=True)

    tenant: str
    display_name: str = Field(min_length=1, max_length=200)
    created_at: datetime
    updated_at: datetime
    api_key_sha256: str = Field(pattern=r"^[0-9a-f]{64}$", description="Never the key itself.")
    wa_phone_number_id: str | None = Field(default=None, pattern=r"^[A-Za-z0-9_.-]{1,64}$")
    wa_app_secret: SecretStr | None = Field(default=None, min_length=1)
    wa_verify_token: SecretStr | None = Field(default=None, min_length=1)
    wa_access_token: SecretStr | None = Field(default=None, min_length=1)
    team_notify: str | None = None

    @property
    def wa_fields_set(self) -> dict[str, bool]:
        """Which WhatsApp settings are present, by field name; safe to print."""
        return {name: getattr(self, name) is not None for name in ("wa_phone_number_id", *_SECRET_FIELDS)}

    @property
    def whatsapp_configured(self) -> bool:
        """True when every WhatsApp setting needed to receive and send is present."""
        return all(self.wa_fields_set.values())

    def public(self) -> dict[str, Any]:
        """A JSON-ready view without secrets: each secret becomes `<name>_set: bool`."""
        view = self.model_dump(mode="json", exclude=set(_SECRET_FIELDS))
        return view | {f"{name}_set": getattr(self, name) is not None for name in _SECRET_FIELDS}


def _document(config: TenantConfig) -> dict[str, Any]:
    """The stored form: secrets in clear, as the service must sign, verify and call Meta with them."""
    doc = config.model_dump(mode="json")
    for name in _SECRET_FIELDS:
        secret: SecretStr | None = getattr(config, name)
        doc[name] = None if secret is None else secret.get_secret_value()
    return doc


def _one_line(exc: ValidationError) -> str:
    return "; ".join(f"{'.'.join(map(str, e['loc'])) or 'value'}: {e['msg']}" for e in exc.errors())


class TenantStore:
    """Tenants' configs and the indexes that find them by API key and WhatsApp number."""

    def __init__(self, redis: Redis) -> None:
        self._redis = redis
        self._claim = redis.register_script(_CLAIM_LUA)
        self._release = redis.register_script(_RELEASE_LUA)

    async def add(
        self,
        tenant: str,
        *,
        api_key: str,
        display_name: str | None = None,
        wa_phone_number_id: str | None = None,
        wa_app_secret: str | None = None,
        wa_verify_token: str | None = None,
        wa_access_token: str | None = None,
        team_notify: str | None = None,
    ) -> TenantConfig:
        """Create or update a tenant; options left None keep their stored value.

        A new API key replaces the old one, which stops working. ValueError if the key or the
        phone number id is bound to another tenant, or an input is malformed.
        """
        validate_tenant(tenant)
        check_api_key(api_key)
        old = await self.get(tenant)
        now = datetime.now(UTC)
        given = {
            "display_name": display_name, "wa_phone_number_id": wa_phone_number_id,
            "wa_app_secret": wa_app_secret, "wa_verify_token": wa_verify_token,
            "wa_access_token": wa_access_token, "team_notify": team_notify,
        }
        base = _document(old) if old else {"tenant": tenant, "display_name": tenant, "created_at": now.isoformat()}
        doc = base | {k: v for k, v in given.items() if v is not None}
        doc |= {"updated_at": now.isoformat(), "api_key_sha256": hash_api_key(api_key)}
        try:
            config = TenantConfig.model_validate(doc)
        except ValidationError as exc:
            raise ValueError(f"tenant {tenant}: {_one_line(exc)}") from None

        new_key = old is None or old.api_key_sha256 != config.api_key_sha256
        await self._bind(APIKEYS_KEY, config.api_key_sha256, tenant, what="this API key")
        new_number = config.wa_phone_number_id is not None and (
            old is None or old.wa_phone_number_id != config.wa_phone_number_id
        )
        if new_number:
            assert config.wa_phone_number_id is not None
            try:
                await self._bind(WA_PHONE_KEY, config.wa_phone_number_id, tenant,
                                 what=f"WhatsApp phone number id {config.wa_phone_number_id}")
            except ValueError:
                if new_key:  # leave nothing half-done behind
                    await self._release(keys=[APIKEYS_KEY], args=[config.api_key_sha256, tenant])
                raise
        await self._redis.json().set(TenantKeys(tenant).key("config"), "$", _document(config))
        # Released after the config names the new values, so there is never a moment without a key.
        if old is not None and new_key:
            await self._release(keys=[APIKEYS_KEY], args=[old.api_key_sha256, tenant])
        if old is not None and new_number and old.wa_phone_number_id:
            await self._release(keys=[WA_PHONE_KEY], args=[old.wa_phone_number_id, tenant])
        await self._redis.sadd(TENANTS_KEY, tenant)  # so workers serving "*" pick it up
        return config

    async def _bind(self, index: str, field: str, tenant: str, *, what: str) -> None:
        owner = as_text(await self._claim(keys=[index], args=[field, tenant]))
        if owner is not None:
            raise ValueError(f"{what} already belongs to tenant {owner}; each one names a single tenant")

    async def get(self, tenant: str) -> TenantConfig | None:
        """The tenant's config, or None if it was never added."""
        doc = await self._redis.json().get(TenantKeys(tenant).key("config"))
        return None if doc is None else TenantConfig.model_validate(doc)

    async def tenant_for_key(self, api_key: str) -> str | None:
        """The tenant an API key names, or None; only the key's hash is looked up."""
        try:
            check_api_key(api_key)
        except (TypeError, ValueError):
            return None
        digest = hash_api_key(api_key)
        tenant = as_text(await self._redis.hget(APIKEYS_KEY, digest))
        if tenant is None:
            return None
        stored = await self._redis.json().get(TenantKeys(tenant).key("config"), "$.api_key_sha256")
        current = stored[0] if isinstance(stored, list) and stored else None
        # The config is the truth: an index entry left by an interrupted rotation grants nothing.
        if not isinstance(current, str) or not hmac.compare_digest(current, digest):
            return None
        return tenant

    async def tenant_for_phone_number_id(self, phone_number_id: str) -> str | None:
        """The tenant that owns this WhatsApp phone number id, or None."""
        tenant = as_text(await self._redis.hget(WA_PHONE_KEY, phone_number_id))
        if tenant is None:
            return None
        stored = await self._redis.json().get(TenantKeys(tenant).key("config"), "$.wa_phone_number_id")
        current = stored[0] if isinstance(stored, list) and stored else None
        return tenant if current == phone_number_id else None

    async def registered(self) -> list[str]:
        """Every registered tenant (configured or only seen by the bus), sorted."""
        return sorted(t for t in (as_text(m) for m in await self._redis.smembers(TENANTS_KEY)) if t)

    async def configs(self) -> dict[str, TenantConfig | None]:
        """Each registered tenant and its config (None when it has none), sorted by tenant."""
        tenants = await self.registered()
        pipe = self._redis.pipeline(transaction=False)
        for tenant in tenants:
            pipe.json().get(TenantKeys(tenant).key("config"))
        docs = await pipe.execute() if tenants else []
        return {t: None if d is None else TenantConfig.model_validate(d) for t, d in zip(tenants, docs, strict=True)}
