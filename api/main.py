"""The FastAPI application: routers, the error handler and the lifespan that opens the clients."""
from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from api import errors
from api.deps import Services
from api.metrics import MetricsMiddleware
from api.routes import assets, designs, health
from shared.settings import Settings, get_settings


def create_app(settings: Settings | None = None, services: Services | None = None) -> FastAPI:
    """``services`` lets tests inject their own clients; otherwise they are opened at start-up."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        opened = services or Services.open(settings or get_settings())
        app.state.services = opened
        try:
            async with opened.serve_async():
                yield
        finally:
            if services is None:
                opened.close()

    app = FastAPI(title="designimage", version="4", lifespan=lifespan,
                  description="Rendered images of saved product designs (fabric.js), served from S3.")
    errors.install(app)
    app.add_middleware(MetricsMiddleware)
    app.include_router(designs.router)
    app.include_router(assets.router)
    app.include_router(health.router)
    return app


def app_factory() -> FastAPI:
    """Entry point for ``uvicorn --factory api.main:app_factory``."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    return create_app()
