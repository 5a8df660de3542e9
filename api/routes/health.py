"""Liveness, readiness and Prometheus metrics."""
from __future__ import annotations

from anyio import to_thread
from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from api.deps import ServicesDep

router = APIRouter(tags=["Health"])


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    """The process is up and its event loop answers."""
    return {"status": "ok"}


@router.get("/readyz")
async def readyz(services: ServicesDep) -> Response:
    """Redis and S3 are reachable (a load balancer takes the replica out while they are not)."""
    checks: dict[str, str] = {}
    for name, probe in (("redis", services.redis.ping), ("storage", services.storage.ping)):
        try:
            await to_thread.run_sync(probe)
            checks[name] = "ok"
        except Exception as exc:  # any failure of a probe means "not ready"; say which
            checks[name] = f"unavailable: {type(exc).__name__}"
    ready = all(v == "ok" for v in checks.values())
    return JSONResponse({"status": "ready" if ready else "unavailable", "checks": checks},
                        status_code=200 if ready else 503)


@router.get("/metrics")
async def metrics() -> Response:
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)
