"""`GET /v1/audit`: the tenant's audit stream of `AgentMessage`s."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import ServicesDep, TenantDep
from api.schemas import ID_PATTERN, AuditEntry, AuditResponse, ErrorResponse

router = APIRouter(prefix="/v1", tags=["audit"])


@router.get("/audit", response_model=AuditResponse, responses={401: {"model": ErrorResponse}})
async def get_audit(
    tenant: TenantDep, services: ServicesDep,
    conversation_id: Annotated[str | None, Query(pattern=ID_PATTERN)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> AuditResponse:
    """Every message and node transition of the tenant, oldest first, optionally for one conversation."""
    entries = await services.bus.audit(tenant, conversation_id=conversation_id, limit=limit)
    return AuditResponse(entries=[AuditEntry(entry_id=eid, message=m) for eid, m in entries])
