"""The `orkesta` command line: every command reads the same settings as `orkesta serve`."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from redis.exceptions import RedisError
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from agents.bus import FIELD
from agents.messages import AgentMessage
from api.services import Services, open_services
from core.embedded import EmbeddedRedis, EmbeddedRedisError
from core.redis import RedisCapabilityError, as_text, create_redis, ensure_capabilities
from core.settings import Settings
from core.telemetry import setup_logging, setup_tracing
from core.tenant_store import TenantConfig, TenantStore
from core.tenants import InvalidTenantError, TenantKeys

app = typer.Typer(no_args_is_help=True, help="Orkesta: sell and collect over WhatsApp with AI agents.")
audit_app = typer.Typer(no_args_is_help=True, help="Read a tenant's audit stream.")
dlq_app = typer.Typer(no_args_is_help=True, help="Inspect and redrive a tenant's dead letters.")
tenant_app = typer.Typer(no_args_is_help=True, help="Add tenants (API key, WhatsApp settings) and list them.")
info_app = typer.Typer(no_args_is_help=True, help="Show and set a tenant's service info (hours, delivery, bank…).")
app.add_typer(audit_app, name="audit")
app.add_typer(dlq_app, name="dlq")
app.add_typer(tenant_app, name="tenant")
tenant_app.add_typer(info_app, name="info")

console = Console()
err = Console(stderr=True)
T = TypeVar("T")

TenantArg = Annotated[str, typer.Argument(help="Tenant id (lowercase slug).")]


def _settings() -> Settings:
    settings = Settings()
    setup_logging(settings)
    setup_tracing(settings)
    return settings


def _fail(message: str) -> typer.Exit:
    # soft_wrap: the error stays one line however narrow the terminal, so scripts can grep it.
    err.print(f"[bold red]error:[/] {escape(message)}", soft_wrap=True)
    return typer.Exit(code=1)


def _tenant(tenant: str) -> str:
    try:
        return TenantKeys(tenant).tenant
    except InvalidTenantError as exc:
        raise _fail(str(exc)) from None


def _with_services(settings: Settings, work: Callable[[Services], Awaitable[T]], *, with_graph: bool = False) -> T:
    """Run `work` with the process's services; startup problems become one clear line."""

    async def main() -> T:
        async with open_services(settings, with_graph=with_graph) as services:
            return await work(services)

    try:
        return asyncio.run(main())
    except (RedisCapabilityError, EmbeddedRedisError, RedisError, OSError) as exc:
        raise _fail(str(exc)) from None


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Bind address (default ORKESTA_HOST).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default ORKESTA_PORT).")] = None,
    workers: Annotated[int, typer.Option(min=1, max=64, help="Server processes (one per core).")] = 1,
) -> None:
    """Run the HTTP API; starts the embedded Redis when REDIS_URL is unset."""
    import uvicorn

    from api.app import create_app
    from api.serve import reuse_port_supported, serve_processes

    settings = _settings()
    updates: dict[str, Any] = {k: v for k, v in {"host": host, "port": port}.items() if v is not None}
    embedded: EmbeddedRedis | None = None
    try:
        if not settings.redis_url:
            # Owned here, on the main thread, so it outlives the app and stops after it.
            embedded = EmbeddedRedis(settings.data_dir)
            updates["redis_url"] = embedded.start()
        settings = settings.model_copy(update=updates)
        asyncio.run(_check_redis(settings))
        if workers == 1:
            uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_config=None)
        else:
            # Worker processes import `api.asgi:app` and read settings from the environment:
            # hand them the Redis this process resolved (the embedded one stays owned here).
            os.environ["REDIS_URL"] = str(settings.redis_url)
            if reuse_port_supported():
                if serve_processes(settings.host, settings.port, workers, log_config=None):
                    raise _fail("a server process failed to start (see the log above)")
            else:
                uvicorn.run("api.asgi:app", host=settings.host, port=settings.port, workers=workers, log_config=None)
    except (RedisCapabilityError, EmbeddedRedisError, RedisError, OSError) as exc:
        raise _fail(str(exc)) from None
    finally:
        if embedded is not None:
            embedded.stop()


async def _check_redis(settings: Settings) -> None:
    assert settings.redis_url
    client = create_redis(settings.redis_url, settings)
    try:
        await ensure_capabilities(client)
    finally:
        await client.aclose()


@app.command()
def worker(
    agents: Annotated[str | None, typer.Option(help="Comma-separated agent types (default: all).")] = None,
    tenants: Annotated[
        str | None, typer.Option(help="Comma-separated tenants (default ORKESTA_WORKER_TENANTS).")
    ] = None,
) -> None:
    """Run the asynchronous agents until SIGTERM or Ctrl-C."""
    from prometheus_client import start_http_server

    from agents.runtime import Worker, run_until_signalled
    from api.services import NEEDS_GRAPH, agent_names, build_agents

    settings = _settings()
    try:
        names = agent_names(agents)
    except ValueError as exc:
        raise _fail(str(exc)) from None
    spec = tenants if tenants is not None else settings.worker_tenants
    chosen = None if spec.strip() == "*" else [_tenant(t.strip()) for t in spec.split(",") if t.strip()]

    async def work(services: Services) -> None:
        if settings.worker_metrics_port:
            start_http_server(settings.worker_metrics_port, registry=services.metrics.registry)
        built = build_agents(names, services)
        w = Worker(services.redis, settings, built, bus=services.bus, tenants=chosen, metrics=services.metrics)
        await run_until_signalled(w)

    _with_services(settings, work, with_graph=bool(NEEDS_GRAPH & set(names)))


def _print_message(entry_id: str, m: AgentMessage, as_json: bool) -> None:
    if as_json:
        sys.stdout.write(json.dumps({"entry_id": entry_id, **m.model_dump(mode="json")}, ensure_ascii=False) + "\n")
        sys.stdout.flush()
        return
    console.print(
        f"[dim]{m.timestamp:%Y-%m-%d %H:%M:%S}[/] [cyan]{m.from_agent}[/] → [cyan]{m.to_agent}[/] "
        f"[bold]{m.message_type}[/] {m.intent} [dim]conv={m.conversation_id or '-'} id={m.id}[/]"
    )


@audit_app.command("tail")
def audit_tail(
    tenant: TenantArg,
    conversation: Annotated[str | None, typer.Option(help="Only this conversation.")] = None,
    limit: Annotated[int, typer.Option(min=1, help="How many of the latest entries to show first.")] = 20,
    follow: Annotated[bool, typer.Option("--follow/--no-follow", "-f", help="Keep printing new entries.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = False,
) -> None:
    """Print the latest audit entries of a tenant, and follow new ones with -f."""
    settings = _settings()
    tenant = _tenant(tenant)

    async def work(services: Services) -> None:
        key = TenantKeys(tenant).audit
        last = "$"
        latest = await services.redis.xrevrange(key, count=limit if conversation is None else limit * 50)
        shown = 0
        for entry_id, fields in reversed(latest):
            m = AgentMessage.from_json(fields[FIELD])
            last = as_text(entry_id)
            if conversation is None or m.conversation_id == conversation:
                shown += 1
                _print_message(last, m, as_json)
        while follow:
            reply = await services.redis.xread({key: last}, block=1000, count=100)
            for _, items in reply or []:
                for entry_id, fields in items:
                    last = as_text(entry_id)
                    m = AgentMessage.from_json(fields[FIELD])
                    if conversation is None or m.conversation_id == conversation:
                        _print_message(last, m, as_json)

    with contextlib.suppress(KeyboardInterrupt):
        _with_services(settings, work)


@dlq_app.command("list")
def dlq_list(
    tenant: TenantArg,
    count: Annotated[int, typer.Option(min=1)] = 100,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = False,
) -> None:
    """List a tenant's dead letters with the reason each one failed."""
    settings = _settings()
    tenant = _tenant(tenant)
    letters = _with_services(settings, lambda s: s.bus.dead_letters(tenant, count=count))
    if as_json:
        for d in letters:
            sys.stdout.write(json.dumps({
                "entry_id": d.entry_id, "group": d.group, "stream": d.stream, "reason": d.reason,
                "attempts": d.attempts, "failed_at_ms": d.failed_at_ms,
                "message": d.message.model_dump(mode="json") if d.message else None,
                "raw": None if d.message else d.raw,
            }, ensure_ascii=False) + "\n")
        return
    table = Table(title=f"dead letters of {tenant}: {len(letters)}")
    for col in ("entry", "agent", "intent", "attempts", "reason"):
        table.add_column(col)
    for d in letters:
        table.add_row(d.entry_id, d.group, d.message.intent if d.message else "(malformed)", str(d.attempts), d.reason)
    console.print(table)


@dlq_app.command("redrive")
def dlq_redrive(
    tenant: TenantArg,
    entry_id: Annotated[list[str] | None, typer.Option("--id", help="A dead letter's entry id; repeatable.")] = None,
    all_: Annotated[bool, typer.Option("--all", help="Redrive every dead letter.")] = False,
) -> None:
    """Put dead letters back on the stream they failed on (ids from `dlq list`)."""
    if not entry_id and not all_:
        raise _fail("name the dead letters with --id ENTRY (repeatable) or pass --all")
    settings = _settings()
    tenant = _tenant(tenant)
    try:
        count = _with_services(settings, lambda s: s.bus.redrive(tenant, None if all_ else entry_id))
    except KeyError as exc:
        raise _fail(str(exc.args[0])) from None
    console.print(f"redriven: {count}")


_WA_LABELS = {
    "wa_phone_number_id": "phone number id", "wa_app_secret": "app secret",
    "wa_verify_token": "verify token", "wa_access_token": "access token",
}


def _whatsapp_line(config: TenantConfig) -> str:
    """Which WhatsApp settings are present; the phone number id is shown, secrets only as "set"."""
    fields = config.wa_fields_set
    if not any(fields.values()):
        return "whatsapp: not configured"
    shown = [
        f"{_WA_LABELS[name]} {escape(config.wa_phone_number_id or '') if name == 'wa_phone_number_id' else 'set'}"
        for name, present in fields.items() if present
    ]
    missing = [_WA_LABELS[name] for name, present in fields.items() if not present]
    return f"whatsapp: {', '.join(shown)}" + (f" [yellow](missing: {', '.join(missing)})[/]" if missing else "")


@tenant_app.command("add")
def tenant_add(
    tenant: TenantArg,
    api_key: Annotated[str, typer.Option(help="The tenant's API key (at least 16 characters); stored only hashed.")],
    display_name: Annotated[str | None, typer.Option(help="Name shown to operators (default: the tenant id).")] = None,
    wa_phone_number_id: Annotated[str | None, typer.Option(help="WhatsApp Cloud API phone number id.")] = None,
    wa_app_secret: Annotated[str | None, typer.Option(help="Meta app secret (checks webhook signatures).")] = None,
    wa_verify_token: Annotated[str | None, typer.Option(help="Token Meta echoes in the webhook handshake.")] = None,
    wa_access_token: Annotated[str | None, typer.Option(help="Access token for sending messages.")] = None,
) -> None:
    """Create or update a tenant; a new API key replaces the old one. Secrets are never printed."""
    settings = _settings()
    tenant = _tenant(tenant)

    async def work(services: Services) -> tuple[TenantConfig | None, TenantConfig]:
        store = TenantStore(services.redis)
        before = await store.get(tenant)
        after = await store.add(
            tenant, api_key=api_key, display_name=display_name, wa_phone_number_id=wa_phone_number_id,
            wa_app_secret=wa_app_secret, wa_verify_token=wa_verify_token, wa_access_token=wa_access_token,
        )
        return before, after

    try:
        before, config = _with_services(settings, work)
    except ValueError as exc:
        raise _fail(str(exc)) from None
    console.print(f"tenant [bold]{config.tenant}[/] {'updated' if before else 'added'} ({escape(config.display_name)})",
                  soft_wrap=True)
    rotated = before is not None and before.api_key_sha256 != config.api_key_sha256
    # A fingerprint lets an operator tell keys apart; the key itself is neither stored nor shown.
    rotation = " (rotated: the old key no longer works)" if rotated else ""
    console.print(f"api key: sha256 {config.api_key_sha256[:12]}…{rotation}", soft_wrap=True)
    console.print(_whatsapp_line(config), soft_wrap=True)


@tenant_app.command("list")
def tenant_list(
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line (secrets as *_set flags).")] = False,
) -> None:
    """List the registered tenants and whether WhatsApp is configured; never their secrets."""
    settings = _settings()
    configs = _with_services(settings, lambda s: TenantStore(s.redis).configs())
    if as_json:
        for tenant, config in configs.items():
            row = config.public() if config else {"tenant": tenant, "configured": False}
            sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
        return
    table = Table(title=f"tenants: {len(configs)}")
    for col in ("tenant", "display name", "api key", "whatsapp", "phone number id"):
        table.add_column(col)
    for tenant, config in configs.items():
        if config is None:  # registered by the bus or a worker, never added
            table.add_row(tenant, "[dim](no config: run `orkesta tenant add`)[/]", "-", "no", "-")
            continue
        set_count = sum(config.wa_fields_set.values())
        wa = "yes" if config.whatsapp_configured else "partial" if set_count else "no"
        table.add_row(tenant, escape(config.display_name), f"sha256 {config.api_key_sha256[:12]}…", wa,
                      config.wa_phone_number_id or "-")
    console.print(table)


@info_app.command("show")
def tenant_info_show(tenant: TenantArg) -> None:
    """Print a tenant's service info as JSON (the format `info set --file` reads)."""
    from tools.service_info import ServiceInfoStore, default_service_info

    settings = _settings()
    tenant = _tenant(tenant)
    stored = _with_services(settings, lambda s: ServiceInfoStore(s.redis, tenant).stored())
    if stored is None:
        err.print(f"[yellow]note:[/] {tenant} set no service info; these are the defaults it answers with")
    info = stored or default_service_info()
    sys.stdout.write(json.dumps(info.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n")


@info_app.command("set")
def tenant_info_set(
    tenant: TenantArg,
    file: Annotated[Path, typer.Option("--file", help="A JSON document, as `info show` prints it.")],
) -> None:
    """Replace a tenant's service info with the JSON document in --file."""
    from pydantic import ValidationError

    from tools.service_info import ServiceInfo, ServiceInfoStore

    settings = _settings()
    tenant = _tenant(tenant)
    try:
        info = ServiceInfo.model_validate_json(file.read_bytes())
    except OSError as exc:
        raise _fail(f"cannot read {file}: {exc.strerror or exc}") from None
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'document'}: {e['msg']}" for e in exc.errors())
        raise _fail(f"{file}: {problems}") from None

    async def work(services: Services) -> bool:
        if await TenantStore(services.redis).get(tenant) is None:
            return False  # most likely a misspelt tenant: nothing is written under a name nobody uses
        await ServiceInfoStore(services.redis, tenant).set(info)
        return True

    if not _with_services(settings, work):
        raise _fail(f"no tenant {tenant}; add it first with `orkesta tenant add {tenant} --api-key KEY`")
    console.print(f"service info of [bold]{tenant}[/] set" + (" (with bank details)" if info.bank else ""))


@app.command()
def seed(tenant: TenantArg) -> None:
    """Load the demo catalog, customers, invoices and service info into a tenant; only what is missing is added."""
    from tools.seed import SeedReport, seed_demo

    settings = _settings()
    tenant = _tenant(tenant)

    async def work(services: Services) -> tuple[SeedReport, bool]:
        # The spinner goes to stderr, so stdout carries only the report.
        with err.status(f"loading demo data into {tenant}…"):
            report = await seed_demo(services.redis, tenant)
        return report, await TenantStore(services.redis).get(tenant) is not None

    report, configured = _with_services(settings, work)
    counts = {"products": report.products, "customers": report.customers, "invoices": report.invoices,
              "service info": report.service_info}
    for name, count in counts.items():
        console.print(f"{name}: {count.created} created, {count.present} already present")
    if report.changed:
        console.print(f"seeded {tenant}" + (" (catalog index created)" if report.index_created else ""))
    else:
        console.print(f"nothing new: {tenant} already had every demo record")
    if not configured:
        err.print(f"[yellow]note:[/] {tenant} has no API key yet; run `orkesta tenant add {tenant} --api-key KEY`")


def main() -> None:  # pragma: no cover - console-script shim
    app()


@app.command()
def chat(
    tenant: TenantArg,
    customer: Annotated[str, typer.Option(help="Customer id the messages come from.")] = "CUST-0003",
    conversation: Annotated[str | None, typer.Option(help="Continue this conversation.")] = None,
) -> None:
    """Talk to the graph in the terminal (one line, one turn; Ctrl-D ends)."""
    import uuid

    settings = _settings()
    tenant = _tenant(tenant)
    conversation_id = conversation or f"cli-{uuid.uuid4().hex[:12]}"

    async def work(services: Services) -> None:
        runner = services.conversations()
        err.print(f"[dim]conversation {conversation_id} as {customer} of {tenant}; Ctrl-D to end[/]")
        while True:
            line = await asyncio.to_thread(sys.stdin.readline)
            if not line:
                return
            if not line.strip():
                continue
            result = await runner.run_turn(tenant=tenant, conversation_id=conversation_id, customer_id=customer,
                                           text=line.strip(), channel="rest")
            console.print(f"[bold green]orkesta[/] [dim]({result.intent}: {' → '.join(result.route)})[/]")
            console.print(escape(result.reply or ""), soft_wrap=True)
            if result.interrupt:
                console.print(f"[yellow]waiting for approval:[/] {escape(str(result.interrupt.get('question')))}")

    with contextlib.suppress(KeyboardInterrupt):
        _with_services(settings, work, with_graph=True)
