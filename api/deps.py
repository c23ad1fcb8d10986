"""FastAPI dependencies as named aliases, so route signatures read like prose."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Request, Security, status
from fastapi.security import APIKeyHeader

from api.services import Services
from graph.runner import ConversationRunner


def get_services(request: Request) -> Services:
    return request.app.state.services  # type: ignore[no-any-return]


ServicesDep = Annotated[Services, Depends(get_services)]

_api_key = APIKeyHeader(name="X-API-Key", auto_error=False, description="Names the tenant; from `orkesta tenant add`.")


async def get_tenant(services: ServicesDep, api_key: Annotated[str | None, Security(_api_key)]) -> str:
    """The tenant the request's `X-API-Key` names; 401 without a valid key."""
    if not api_key:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "missing X-API-Key header",
                            headers={"WWW-Authenticate": "ApiKey"})
    tenant = await services.tenants.tenant_for_key(api_key)
    if tenant is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "unknown API key", headers={"WWW-Authenticate": "ApiKey"})
    return tenant


def get_runner(services: ServicesDep) -> ConversationRunner:
    return services.conversations()


TenantDep = Annotated[str, Depends(get_tenant)]
RunnerDep = Annotated[ConversationRunner, Depends(get_runner)]
