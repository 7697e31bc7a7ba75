"""The FastAPI application: every capability under ``/api/v1``."""

from __future__ import annotations

from fastapi import FastAPI

from talentgap import __version__
from talentgap.data.store import Store


def create_app(store: Store | None = None) -> FastAPI:
    """Build the app around a store (default: the configured database)."""
    store = store or Store()
    app = FastAPI(title="talentgap", version=__version__,
                  description="Talent supply-demand forecasts for Korea's strategic industries.")
    app.state.store = store

    @app.get("/api/v1/health")
    def health() -> dict:
        return {"status": "ok", "version": __version__, "dataset_version": store.active_version()}

    return app
