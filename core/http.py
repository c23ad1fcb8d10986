"""The process's HTTP client for outside calls (Cloud API, Stripe, supplier, model server, team webhooks)."""

from __future__ import annotations

import httpx

#: An outside call never holds a turn or a handler for long: a slow service is a retry, not a stuck worker.
HTTP_TIMEOUT = httpx.Timeout(15.0, connect=5.0)


def http_client() -> httpx.AsyncClient:
    """A pooled client with the outside-call timeout; its owner closes it (one per process)."""
    return httpx.AsyncClient(timeout=HTTP_TIMEOUT)
