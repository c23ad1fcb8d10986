"""The OpenAPI document against the running service: schemathesis finds no 5xx and no schema violation."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.embedded import free_port
from core.redis import create_redis
from core.settings import Settings
from core.tenant_store import TenantStore
from tests.support.serving import wait_until_ok
from tools.seed import seed_demo

KEY = "schemathesis-key-0123456789"
ORKESTA = str(Path(sys.executable).with_name("orkesta"))



async def _prepare(url: str) -> None:
    redis = create_redis(url, Settings(_env_file=None))  # type: ignore[call-arg]
    try:
        await seed_demo(redis, "ferre-mx")
        await TenantStore(redis).add("ferre-mx", api_key=KEY)
    finally:
        await redis.aclose()


@pytest.fixture(scope="module")
def live_api(redis_server: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`orkesta serve` as its own process, on the test Redis, with a seeded tenant."""
    asyncio.run(_prepare(redis_server))
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("REDIS_URL", "ORKESTA_", "OTEL_"))}
    env |= {"REDIS_URL": redis_server, "ORKESTA_SERVE_AGENTS": "", "ORKESTA_LOG_LEVEL": "WARNING"}
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen([ORKESTA, "serve", "--port", str(port)], cwd=tmp_path_factory.mktemp("cwd"),
                                env=env, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_ok(f"{base}/healthz", proc, log)
        yield base
    finally:
        proc.terminate()
        proc.wait(30)


SCHEMATHESIS = str(Path(sys.executable).with_name("schemathesis"))


def test_no_server_errors_and_responses_match_the_schema(live_api: str, tmp_path: Path) -> None:
    """Generated requests against every documented operation (the CLI: its pytest plugin lags pytest 9)."""
    run = subprocess.run(
        [SCHEMATHESIS, "run", f"{live_api}/openapi.json", "--header", f"X-API-Key: {KEY}",
         "--checks", "not_a_server_error,status_code_conformance,content_type_conformance,"
                     "response_headers_conformance,response_schema_conformance",
         "--max-examples", "25", "--seed", "20261125", "--request-timeout", "60", "--no-color"],
        capture_output=True, text=True, timeout=600, cwd=tmp_path,
    )
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-2000:]
