"""Logging, Prometheus metrics and OpenTelemetry set-up, built per process and passed around."""

from __future__ import annotations

import json
import logging
import sys
from dataclasses import dataclass, field
from typing import Any

from opentelemetry import trace
from opentelemetry.propagators.textmap import Getter, Setter
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator
from prometheus_client import CollectorRegistry, Counter, Histogram

from core.settings import Settings

_LATENCY_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)


@dataclass
class Metrics:
    """The seed's three bus metrics plus graph node latency, on a registry of their own."""

    registry: CollectorRegistry = field(default_factory=CollectorRegistry)

    def __post_init__(self) -> None:
        r = self.registry
        self.messages = Counter(
            "agent_messages_total", "Total messages processed",
            ["from_agent", "to_agent", "message_type"], registry=r,
        )
        self.latency = Histogram(
            "agent_message_latency_seconds", "Message processing latency",
            ["agent", "intent"], buckets=_LATENCY_BUCKETS, registry=r,
        )
        self.errors = Counter(
            "agent_errors_total", "Total errors in agent communication",
            ["agent", "error_type"], registry=r,
        )
        self.published = Counter(
            "bus_published_total", "Messages this process published to the bus",
            ["to_agent", "message_type"], registry=r,
        )
        self.node_latency = Histogram(
            "graph_node_latency_seconds", "Supervisor graph node latency",
            ["node"], buckets=_LATENCY_BUCKETS, registry=r,
        )
        # labels() costs a lock and a dict build per call; the hot paths reuse the children.
        self._children: dict[tuple[int, tuple[str, ...]], Any] = {}

    def _child(self, metric: Counter | Histogram, *labels: str) -> Any:
        key = (id(metric), labels)
        child = self._children.get(key)
        if child is None:
            child = self._children[key] = metric.labels(*labels)
        return child

    def handled(self, *, agent: str, intent: str, from_agent: str, to_agent: str, message_type: str,
                seconds: float) -> None:
        """One message handled by `agent` in `seconds`."""
        self._child(self.latency, agent, intent).observe(seconds)
        self._child(self.messages, from_agent, to_agent, message_type).inc()

    def sent(self, *, to_agent: str, message_type: str) -> None:
        """One message published by this process."""
        self._child(self.published, to_agent, message_type).inc()


_propagator = TraceContextTextMapPropagator()


class _DictSetter(Setter[dict[str, str]]):
    def set(self, carrier: dict[str, str], key: str, value: str) -> None:
        carrier[key] = value


class _DictGetter(Getter[dict[str, str]]):
    def get(self, carrier: dict[str, str], key: str) -> list[str] | None:
        value = carrier.get(key)
        return [value] if value is not None else None

    def keys(self, carrier: dict[str, str]) -> list[str]:
        return list(carrier)


def current_traceparent() -> str | None:
    """The W3C traceparent of the current span, or None when nothing is being traced."""
    carrier: dict[str, str] = {}
    _propagator.inject(carrier, setter=_DictSetter())
    return carrier.get("traceparent")


def context_from_traceparent(traceparent: str | None):  # type: ignore[no-untyped-def]
    """An OpenTelemetry context whose parent is the sender's span (empty when none)."""
    if not traceparent:
        return None
    return _propagator.extract({"traceparent": traceparent}, getter=_DictGetter())


def is_tracing(tracer: trace.Tracer) -> bool:
    """False for the API's no-op tracers, so hot paths can skip span bookkeeping entirely."""
    if isinstance(tracer, trace.NoOpTracer):
        return False
    if isinstance(tracer, trace.ProxyTracer):  # follows the global provider, once one is set
        return not isinstance(trace.get_tracer_provider(), trace.ProxyTracerProvider)
    return True


def get_tracer(provider: trace.TracerProvider | None = None) -> trace.Tracer:
    """A tracer from the given provider, or from the global one (no-op unless configured)."""
    return (provider or trace.get_tracer_provider()).get_tracer("orkesta")


def setup_tracing(settings: Settings) -> None:
    """Install an OTLP exporter when OTEL_EXPORTER_OTLP_ENDPOINT is set; otherwise tracing stays off."""
    if not settings.otel_exporter_otlp_endpoint:
        return
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    provider = TracerProvider(resource=Resource.create({"service.name": settings.service_name}))
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter(endpoint=settings.otel_exporter_otlp_endpoint)))
    trace.set_tracer_provider(provider)


class _JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "ts": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "msg": record.getMessage(),
        }
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def setup_logging(settings: Settings) -> None:
    """Plain or JSON lines on stderr at the configured level."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        _JsonFormatter() if settings.log_json
        else logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(settings.log_level.upper())
