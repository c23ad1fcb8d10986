"""The FastAPI application, built by `create_app(settings)` so tests build their own."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from agents.runtime import Worker
from api.limits import BodySizeLimit
from api.routes import audit, chat, conversations, health, operations, payments, whatsapp
from api.services import AGENTS, build_agents, open_services
from core.locale import Clock, local_now
from core.settings import Settings


def create_app(settings: Settings | None = None, *, clock: Clock = local_now) -> FastAPI:
    """Build the app; Redis, the bus and metrics are opened in its lifespan, not at import.

    `clock` is the graph's: tests pass a fixed one so "el viernes" is always the same day."""
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with open_services(settings, with_graph=True, clock=clock) as services:
            app.state.services = services
            # The agents the HTTP doors feed (a WhatsApp message becomes a turn, a reply goes
            # out) run here too, so one command serves the whole demo; `orkesta worker` scales them.
            names = [n.strip() for n in settings.serve_agents.split(",") if n.strip() in AGENTS]
            worker = (Worker(services.redis, settings, build_agents(names, services), bus=services.bus,
                             metrics=services.metrics) if names else None)
            task = asyncio.create_task(worker.run()) if worker else None
            try:
                yield
            finally:
                if worker and task:
                    worker.stop()
                    await task

    app = FastAPI(
        title="Orkesta",
        version="0.1.0",
        summary="Sell and collect over WhatsApp with a team of AI agents.",
        lifespan=lifespan,
    )
    app.add_middleware(BodySizeLimit)
    app.include_router(health.router)
    app.include_router(chat.router)
    app.include_router(conversations.router)
    app.include_router(audit.router)
    app.include_router(payments.router)
    app.include_router(whatsapp.router)
    app.include_router(operations.router)
    return app
