"""Tenant ids and the Redis key space: every key of a tenant is `ork:{tenant}:...`.

The braces make the tenant a Redis Cluster hash tag, so one tenant's keys share a slot
and multi-key commands (one XREADGROUP over a tenant's streams, MULTI) stay legal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

TENANT_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
AGENT_RE = re.compile(r"^[a-z][a-z0-9_]{0,63}$")

#: The set of registered tenants; the one key outside any tenant's slot.
TENANTS_KEY = "ork:tenants"


class InvalidTenantError(ValueError):
    """A tenant id that is not a lowercase slug."""


def validate_tenant(tenant: str) -> str:
    """Return `tenant` if it is a lowercase slug (a-z, 0-9, inner dashes), else raise."""
    if not isinstance(tenant, str) or not TENANT_RE.fullmatch(tenant):
        raise InvalidTenantError(
            f"invalid tenant id {tenant!r}: use 1-63 lowercase letters, digits and inner dashes"
        )
    return tenant


@dataclass(frozen=True, slots=True)
class TenantKeys:
    """The names of one tenant's Redis keys, in one place so no module invents its own."""

    tenant: str

    def __post_init__(self) -> None:
        validate_tenant(self.tenant)

    @property
    def prefix(self) -> str:
        return f"ork:{{{self.tenant}}}"

    def inbox(self, agent: str, *, urgent: bool = False) -> str:
        """The direct-message stream of an agent type (priority 8-10 has its own lane)."""
        return f"{self.prefix}:inbox:{agent}:{'urgent' if urgent else 'normal'}"

    @property
    def events(self) -> str:
        """The broadcast stream: every agent type reads it through its own group."""
        return f"{self.prefix}:events"

    @property
    def audit(self) -> str:
        return f"{self.prefix}:audit"

    @property
    def dead_letters(self) -> str:
        return f"{self.prefix}:dlq"

    def handled(self, group: str) -> str:
        """Hash of message ids `group` finished handling, each field with its own TTL."""
        return f"{self.prefix}:handled:{group}"

    def reply(self, message_id: str) -> str:
        """The list a `request()` caller waits on for the response to `message_id`."""
        return f"{self.prefix}:reply:{message_id}"

    def retries(self, group: str) -> str:
        """Sorted set of failed entries (`stream|entry id`) scored by their next attempt's time (ms)."""
        return f"{self.prefix}:retry:{group}"

    def attempts(self, group: str) -> str:
        """Hash of failed entries to the number of attempts made so far."""
        return f"{self.prefix}:attempts:{group}"

    def key(self, *parts: str) -> str:
        """Any other key of this tenant, e.g. `key("catalog", "idx")`."""
        return ":".join((self.prefix, *parts))
