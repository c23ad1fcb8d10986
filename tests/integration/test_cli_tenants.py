"""`orkesta tenant add|list|info` and `orkesta seed`, run as real processes against a real Redis."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

from redis.asyncio import Redis

from core.settings import Settings
from core.tenant_store import TenantStore, hash_api_key
from tools.accounts import Accounts
from tools.catalog import Catalog
from tools.seed import seed_demo
from tools.service_info import ServiceInfo, ServiceInfoStore, default_service_info, demo_service_info

# The console script installed beside this interpreter (the venv may not be on PATH).
ORKESTA = str(Path(sys.executable).with_name("orkesta"))
KEY = "ok_live_5b1e0c9d7a3f2e8b6d4c"
NEW_KEY = "ok_live_0a9b8c7d6e5f4a3b2c1d"
SECRETS = {"--wa-app-secret": "appsecret-c0ffee11", "--wa-verify-token": "verify-d00d22",
           "--wa-access-token": "EAAGaccess-f00d33"}


def run(args: list[str], *, cwd: Path, env: dict[str, str], timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run([ORKESTA, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("REDIS_URL", "ORKESTA_", "OTEL_"))}
    return env | extra


def error_lines(out: subprocess.CompletedProcess[str]) -> list[str]:
    return [line for line in out.stderr.splitlines() if line.startswith("error:")]


async def every_stored_byte(redis: Redis) -> bytes:
    """All keys and values in Redis, concatenated, whatever their type."""
    parts: list[bytes] = []
    async for key in redis.scan_iter(count=1000):
        parts.append(key)
        kind = (await redis.type(key)).decode()
        if kind == "string":
            parts.append(await redis.get(key) or b"")
        elif kind == "hash":
            parts += [b for kv in (await redis.hgetall(key)).items() for b in kv]
        elif kind == "set":
            parts += list(await redis.smembers(key))
        elif kind == "zset":
            parts += list(await redis.zrange(key, 0, -1))
        elif kind == "list":
            parts += list(await redis.lrange(key, 0, -1))
        elif kind == "stream":
            parts += [b for _, fields in await redis.xrange(key) for kv in fields.items() for b in kv]
        elif kind == "ReJSON-RL":
            parts.append(json.dumps(await redis.json().get(key)).encode())
        else:
            raise AssertionError(f"unexpected key type {kind} of {key!r}")
    return b"\n".join(parts)


async def test_tenant_add_binds_the_key_stores_only_its_hash_and_prints_no_secret(
    settings: Settings, redis: Redis, tmp_path: Path
) -> None:
    assert settings.redis_url
    env = clean_env(REDIS_URL=settings.redis_url)
    out = run(["tenant", "add", "acme", "--api-key", KEY, "--display-name", "Acme Plomería",
               "--wa-phone-number-id", "1098765", *[a for kv in SECRETS.items() for a in kv]], cwd=tmp_path, env=env)
    assert out.returncode == 0, out.stderr
    assert "acme added" in out.stdout and "phone number id 1098765" in out.stdout
    assert "app secret set" in out.stdout and "access token set" in out.stdout and "missing" not in out.stdout
    assert KEY not in out.stdout + out.stderr
    assert not any(secret in out.stdout + out.stderr for secret in SECRETS.values())

    store = TenantStore(redis)
    assert await store.tenant_for_key(KEY) == "acme"
    assert await store.tenant_for_phone_number_id("1098765") == "acme"
    stored = await every_stored_byte(redis)
    assert KEY.encode() not in stored
    assert hash_api_key(KEY).encode() in stored

    listed = run(["tenant", "list"], cwd=tmp_path, env=env)
    assert listed.returncode == 0, listed.stderr
    assert "acme" in listed.stdout and "Acme Plomería" in listed.stdout and "yes" in listed.stdout
    as_json = run(["tenant", "list", "--json"], cwd=tmp_path, env=env)
    (row,) = [json.loads(line) for line in as_json.stdout.splitlines()]
    assert row["tenant"] == "acme" and row["wa_app_secret_set"] is True and "wa_app_secret" not in row
    for shown in (listed.stdout, as_json.stdout):
        assert KEY not in shown and not any(secret in shown for secret in SECRETS.values())


async def test_a_second_tenant_cannot_take_the_key_and_readding_rotates_it(
    settings: Settings, redis: Redis, tmp_path: Path
) -> None:
    assert settings.redis_url
    env = clean_env(REDIS_URL=settings.redis_url)
    assert run(["tenant", "add", "acme", "--api-key", KEY], cwd=tmp_path, env=env).returncode == 0

    taken = run(["tenant", "add", "rival", "--api-key", KEY], cwd=tmp_path, env=env)
    assert taken.returncode == 1
    (line,) = error_lines(taken)
    assert "already belongs to tenant acme" in line and KEY not in taken.stdout + taken.stderr

    rotated = run(["tenant", "add", "acme", "--api-key", NEW_KEY], cwd=tmp_path, env=env)
    assert rotated.returncode == 0, rotated.stderr
    assert "acme updated" in rotated.stdout and "rotated" in rotated.stdout
    store = TenantStore(redis)
    assert await store.tenant_for_key(KEY) is None
    assert await store.tenant_for_key(NEW_KEY) == "acme"
    assert await store.get("rival") is None


def test_bad_tenant_input_gets_one_clear_line(settings: Settings, tmp_path: Path) -> None:
    assert settings.redis_url
    env = clean_env(REDIS_URL=settings.redis_url)
    for args, expected in (
        (["tenant", "add", "acme", "--api-key", "short"], "16-512 characters"),
        (["tenant", "add", "Not A Slug", "--api-key", KEY], "invalid tenant id"),
        (["tenant", "add", "acme", "--api-key", KEY, "--wa-phone-number-id", "12 34"], "wa_phone_number_id"),
        (["seed", "Not A Slug"], "invalid tenant id"),
    ):
        out = run(args, cwd=tmp_path, env=env)
        assert out.returncode == 1, args
        (line,) = error_lines(out)
        assert expected in line, (args, out.stderr)


async def test_seed_twice_reports_nothing_new_and_search_works(
    settings: Settings, redis: Redis, tmp_path: Path
) -> None:
    assert settings.redis_url
    env = clean_env(REDIS_URL=settings.redis_url)
    first = run(["seed", "ferre-mx"], cwd=tmp_path, env=env)
    assert first.returncode == 0, first.stderr
    assert "customers: 30 created, 0 already present" in first.stdout
    assert "invoices: 120 created, 0 already present" in first.stdout
    assert "service info: 1 created, 0 already present" in first.stdout
    assert "seeded ferre-mx" in first.stdout
    assert "no API key yet" in first.stderr  # seeded before `tenant add`: the operator is told

    second = run(["seed", "ferre-mx"], cwd=tmp_path, env=env)
    assert second.returncode == 0, second.stderr
    assert "nothing new" in second.stdout
    assert "products: 0 created" in second.stdout and "customers: 0 created, 30 already present" in second.stdout
    assert "service info: 0 created, 1 already present" in second.stdout

    found = await Catalog(redis, "ferre-mx").search("tubos pvc")
    assert found and all("pvc" in p.name.lower() or "pvc" in p.tags for p in found)
    statement = await Accounts(redis, "ferre-mx").statement("CUST-0007", today=date(2026, 11, 25))
    assert str(statement.total_overdue) == "6174.17"


async def test_tenant_info_show_prints_what_set_reads_and_set_names_a_bad_field(
    settings: Settings, redis: Redis, tmp_path: Path
) -> None:
    assert settings.redis_url
    env = clean_env(REDIS_URL=settings.redis_url)
    unset = run(["tenant", "info", "show", "acme"], cwd=tmp_path, env=env)
    assert unset.returncode == 0, unset.stderr
    assert ServiceInfo.model_validate_json(unset.stdout) == default_service_info() and "defaults" in unset.stderr

    doc = demo_service_info().model_dump(mode="json")
    doc["hours"]["es"] = "lunes a sábado de 7:00 a 15:00"
    path = tmp_path / "info.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    unknown = run(["tenant", "info", "set", "acme", "--file", str(path)], cwd=tmp_path, env=env)
    assert unknown.returncode == 1
    (line,) = error_lines(unknown)
    assert "no tenant acme" in line and await ServiceInfoStore(redis, "acme").stored() is None

    assert run(["tenant", "add", "acme", "--api-key", KEY], cwd=tmp_path, env=env).returncode == 0
    done = run(["tenant", "info", "set", "acme", "--file", str(path)], cwd=tmp_path, env=env)
    assert done.returncode == 0, done.stderr
    assert "service info of acme set (with bank details)" in done.stdout
    assert (await ServiceInfoStore(redis, "acme").get()).hours.es == "lunes a sábado de 7:00 a 15:00"
    shown = run(["tenant", "info", "show", "acme"], cwd=tmp_path, env=env)
    assert json.loads(shown.stdout) == doc and shown.stderr == ""

    for change, expected in (({"bank": doc["bank"] | {"clabe": "012180001122334455"}}, "bank.clabe"),
                             ({"hours": {"es": "", "en": "x"}}, "hours.es")):
        path.write_text(json.dumps(doc | change), encoding="utf-8")
        bad = run(["tenant", "info", "set", "acme", "--file", str(path)], cwd=tmp_path, env=env)
        assert bad.returncode == 1
        (line,) = error_lines(bad)
        assert expected in line, bad.stderr
    missing = run(["tenant", "info", "set", "acme", "--file", str(tmp_path / "nope.json")], cwd=tmp_path, env=env)
    assert missing.returncode == 1 and "cannot read" in error_lines(missing)[0]
    assert (await ServiceInfoStore(redis, "acme").get()).hours.es == "lunes a sábado de 7:00 a 15:00"


async def test_chat_talks_to_the_graph_in_the_terminal(redis: Redis, settings: Settings, tmp_path: Path) -> None:
    assert settings.redis_url
    await seed_demo(redis, "ferre-mx")
    lines = "Necesito 10 tubos de 1/2\nel pvc hidráulico\nsí, confirmo\n"
    out = subprocess.run(
        [str(Path(sys.executable).with_name("orkesta")), "chat", "ferre-mx", "--customer", "NEW-0001"],
        input=lines, capture_output=True, text=True, timeout=120, cwd=tmp_path,
        env={k: v for k, v in os.environ.items() if not k.startswith(("REDIS_URL", "ORKESTA_"))}
        | {"REDIS_URL": settings.redis_url},
    )
    assert out.returncode == 0, out.stderr
    assert "¿cuál de estas?" in out.stdout
    assert "Tu pedido está confirmado" in out.stdout
    assert "payment.link" in out.stdout
