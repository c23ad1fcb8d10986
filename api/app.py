"""The FastAPI application, built by `create_app(settings)` so tests build their own."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from api.routes import health, payments
from api.services import open_services
from core.settings import Settings


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app; Redis, the bus and metrics are opened in its lifespan, not at import."""
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with open_services(settings) as services:
            app.state.services = services
            yield

    app = FastAPI(
        title="Orkesta",
        version="0.1.0",
        summary="Sell and collect over WhatsApp with a team of AI agents.",
        lifespan=lifespan,
    )
    app.include_router(health.router)
    app.include_router(payments.router)
    return app
