"""Every knob of the service, read from the environment and `.env` by pydantic-settings."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


def _env(name: str, *more: str) -> AliasChoices:
    """Accept the documented variable name (and historical aliases) for a field."""
    return AliasChoices(name, *more)


class Settings(BaseSettings):
    """Settings shared by `orkesta serve`, `orkesta worker` and every other command."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", populate_by_name=True
    )

    # --- Redis -------------------------------------------------------------
    redis_url: str | None = Field(
        default=None,
        validation_alias=_env("REDIS_URL"),
        description="Redis 8 (or Redis Stack 7.4+) URL. Unset: start the embedded Redis.",
    )
    data_dir: Path = Field(
        default=Path(".orkesta"),
        validation_alias=_env("ORKESTA_DATA_DIR"),
        description="Where the embedded Redis keeps its AOF files and socket.",
    )
    redis_max_connections: Annotated[int, Field(ge=2, le=10_000)] = Field(
        default=64, validation_alias=_env("ORKESTA_REDIS_MAX_CONNECTIONS")
    )
    redis_pool_timeout_s: Annotated[float, Field(gt=0)] = Field(
        default=30.0,
        validation_alias=_env("ORKESTA_REDIS_POOL_TIMEOUT_S"),
        description="How long a caller waits for a free pooled connection before failing.",
    )

    # --- HTTP --------------------------------------------------------------
    host: str = Field(default="127.0.0.1", validation_alias=_env("ORKESTA_HOST"))
    port: Annotated[int, Field(ge=0, le=65535)] = Field(default=8000, validation_alias=_env("ORKESTA_PORT"))

    # --- bus ---------------------------------------------------------------
    bus_block_ms: Annotated[int, Field(ge=1, le=60_000)] = Field(
        default=1000, validation_alias=_env("ORKESTA_BUS_BLOCK_MS"),
        description="How long a worker's read blocks waiting for new entries.",
    )
    bus_batch_size: Annotated[int, Field(ge=1, le=10_000)] = Field(
        default=256, validation_alias=_env("ORKESTA_BUS_BATCH_SIZE")
    )
    bus_claim_idle_ms: Annotated[int, Field(ge=100)] = Field(
        default=30_000, validation_alias=_env("ORKESTA_BUS_CLAIM_IDLE_MS"),
        description="A pending entry idle this long is reclaimed from its (presumed dead) consumer.",
    )
    bus_max_attempts: Annotated[int, Field(ge=1, le=100)] = Field(
        default=5, validation_alias=_env("ORKESTA_BUS_MAX_ATTEMPTS"),
        description="Handler attempts before a message goes to the dead letters.",
    )
    bus_retry_base_ms: Annotated[int, Field(ge=1)] = Field(
        default=200, validation_alias=_env("ORKESTA_BUS_RETRY_BASE_MS")
    )
    bus_retry_max_ms: Annotated[int, Field(ge=1)] = Field(
        default=60_000, validation_alias=_env("ORKESTA_BUS_RETRY_MAX_MS")
    )
    bus_dedupe_ttl_s: Annotated[int, Field(ge=60)] = Field(
        default=7 * 24 * 3600, validation_alias=_env("ORKESTA_BUS_DEDUPE_TTL_S"),
        description="How long a handled message id is remembered to refuse a redelivery.",
    )
    stream_max_age_s: Annotated[int, Field(ge=60)] = Field(
        default=7 * 24 * 3600, validation_alias=_env("ORKESTA_STREAM_MAX_AGE_S"),
        description="Inbox and event streams are trimmed of entries older than this.",
    )
    audit_max_age_s: Annotated[int, Field(ge=3600)] = Field(
        default=90 * 24 * 3600, validation_alias=_env("ORKESTA_AUDIT_MAX_AGE_S"),
        description="Audit streams are trimmed of entries older than this, never by count.",
    )

    # --- worker ------------------------------------------------------------
    worker_metrics_port: Annotated[int, Field(ge=0, le=65535)] = Field(
        default=9464, validation_alias=_env("ORKESTA_WORKER_METRICS_PORT"),
        description="Port of the worker's Prometheus endpoint; 0 turns it off.",
    )
    serve_agents: str = Field(
        default="conversation,whatsapp_outbound", validation_alias=_env("ORKESTA_SERVE_AGENTS"),
        description="Agents `orkesta serve` runs in its own process (empty: none; run `orkesta worker`).",
    )
    worker_tenants: str = Field(
        default="*", validation_alias=_env("ORKESTA_WORKER_TENANTS"),
        description="Comma-separated tenants a worker serves; * for every registered tenant.",
    )

    # --- model -------------------------------------------------------------
    openai_api_key: SecretStr | None = Field(default=None, validation_alias=_env("OPENAI_API_KEY"))
    openai_base_url: str | None = Field(default=None, validation_alias=_env("OPENAI_BASE_URL"))
    openai_model: str = Field(default="gpt-4o-mini", validation_alias=_env("ORKESTA_OPENAI_MODEL"))

    # --- WhatsApp ----------------------------------------------------------
    whatsapp_api_base_url: str = Field(
        default="https://graph.facebook.com", validation_alias=_env("WHATSAPP_API_BASE_URL")
    )
    whatsapp_api_version: str = Field(default="v21.0", validation_alias=_env("WHATSAPP_API_VERSION"))

    # --- payments ----------------------------------------------------------
    payment_provider: str = Field(
        default="local", validation_alias=_env("ORKESTA_PAYMENT_PROVIDER"),
        description="`local` (our own pay page, works offline) or `stripe` (Checkout Sessions).",
    )
    public_base_url: str = Field(
        default="http://127.0.0.1:8000", validation_alias=_env("ORKESTA_PUBLIC_BASE_URL"),
        description="Where customers reach this service: pay-page links are built on it.",
    )
    stripe_api_key: SecretStr | None = Field(default=None, validation_alias=_env("STRIPE_API_KEY"))
    stripe_webhook_secret: SecretStr | None = Field(default=None, validation_alias=_env("STRIPE_WEBHOOK_SECRET"))
    stripe_api_base_url: str = Field(default="https://api.stripe.com", validation_alias=_env("STRIPE_API_BASE_URL"))

    # --- graph and checkpoints ------------------------------------------------
    checkpoint_ttl_minutes: Annotated[int, Field(ge=0)] = Field(
        default=0, validation_alias=_env("ORKESTA_CHECKPOINT_TTL_MINUTES"),
        description="Checkpoints expire after this many minutes; 0 keeps them (audit needs history).",
    )
    checkpoint_refresh_on_read: bool = Field(default=True, validation_alias=_env("ORKESTA_CHECKPOINT_REFRESH_ON_READ"))
    graph_max_hops: Annotated[int, Field(ge=1, le=50)] = Field(
        default=6, validation_alias=_env("ORKESTA_GRAPH_MAX_HOPS"),
        description="Supervisor hops in one turn before it stops and asks the customer.",
    )
    router_min_confidence: Annotated[float, Field(ge=0, le=1)] = Field(
        default=0.55, validation_alias=_env("ORKESTA_ROUTER_MIN_CONFIDENCE"),
        description="Below this the supervisor asks a clarifying question instead of routing.",
    )

    # --- telemetry ---------------------------------------------------------
    log_level: str = Field(default="INFO", validation_alias=_env("ORKESTA_LOG_LEVEL"))
    log_json: bool = Field(default=False, validation_alias=_env("ORKESTA_LOG_JSON"))
    otel_exporter_otlp_endpoint: str | None = Field(
        default=None, validation_alias=_env("OTEL_EXPORTER_OTLP_ENDPOINT")
    )
    service_name: str = Field(default="orkesta", validation_alias=_env("OTEL_SERVICE_NAME"))

    # --- purchasing ----------------------------------------------------------
    supplier_api_base_url: str = Field(
        default="http://127.0.0.1:8100", validation_alias=_env("SUPPLIER_API_BASE_URL"),
        description="The supplier API purchase orders are sent to (POST {base}/purchase-orders).",
    )

    # --- collections (tests and demos) ------------------------------------------
    collections_clock_start: datetime | None = Field(
        default=None, validation_alias=_env("ORKESTA_COLLECTIONS_CLOCK_START"),
        description="Tests and demos only: the collections scheduler's clock reads this time (naive: "
                    "Mexico City) when the worker starts and runs on from there. Unset: the real clock.",
    )

    @property
    def embedded(self) -> bool:
        """True when no external Redis is configured and the embedded one is used."""
        return not self.redis_url
