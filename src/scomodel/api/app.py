"""The application factory: routers, problem+json errors, body limits, the explorer."""

from __future__ import annotations

import importlib
import logging
from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute

from scomodel.api.deps import RegistryProvider
from scomodel.api.jobs import JobQueue
from scomodel.api.problems import (
    FieldHTTPException,
    StrictJSONResponse,
    install_handlers,
    problem,
)
from scomodel.api.routes import architecture, registry
from scomodel.api.settings import Settings
from scomodel.registry.store import engine_for

__all__ = ["create_app", "OPTIONAL_ROUTERS"]

_LOG = logging.getLogger("scomodel.api")

#: Routers of parts that may be missing from an installation: (router module, the part's
#: package); a router is included when its part imports.
OPTIONAL_ROUTERS = (
    ("scomodel.api.routes.charter", "scomodel.charter"),
    ("scomodel.api.routes.bargaining", "scomodel.bargaining"),
    ("scomodel.api.routes.datasets", "scomodel.registry"),
    ("scomodel.api.routes.claims", "scomodel.claims"),
)


def _operation_id(route: APIRoute) -> str:
    """Clean OpenAPI operation ids: ``registry-members`` rather than FastAPI's long default."""
    tag = route.tags[0] if route.tags else "api"
    return f"{tag}-{route.name}"


def create_app(settings: Settings | None = None) -> FastAPI:
    """The API and the web explorer, configured from ``settings`` (default: environment)."""
    settings = settings or Settings.from_env()
    app = FastAPI(
        title="scomodel",
        summary="The SCO and the security architecture around it, as sourced, dated data.",
        version=_version(),
        generate_unique_id_function=_operation_id,
        docs_url=None,
        default_response_class=StrictJSONResponse,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.registries = RegistryProvider(settings)
    app.state.cache = {}
    app.state.jobs = JobQueue(settings.max_jobs, engine_for(settings.db_url),
                              workers=settings.job_workers,
                              per_client=settings.jobs_per_client)
    from scomodel.api.ratelimit import CostlyRequests, RateLimiter

    app.state.token_failures = RateLimiter(settings.token_failures_per_minute,
                                           max(1, int(settings.token_failures_per_minute)))
    app.state.costly = RateLimiter(settings.costly_per_minute, settings.costly_burst)
    app.state.parts = ["registry", "architecture"]
    install_handlers(app)
    _limit_body(app, settings.max_body_bytes)
    from scomodel.api.cite import CiteAnswers

    app.add_middleware(CiteAnswers)
    from scomodel.api.security import SecurityHeaders

    app.add_middleware(CostlyRequests, limiter=app.state.costly)
    app.add_middleware(SecurityHeaders)
    app.include_router(registry.router)
    app.include_router(architecture.router)
    for name, part in OPTIONAL_ROUTERS:
        try:
            importlib.import_module(part)
            module = importlib.import_module(name)
        except ImportError as exc:  # the part has not landed in this installation
            _LOG.info("optional router %s not included: %s", name, exc)
            continue
        app.include_router(module.router)
        if part.rsplit(".", 1)[1] not in app.state.parts:
            app.state.parts.append(part.rsplit(".", 1)[1])

    @app.get("/api/parts", tags=["meta"], summary="Which parts this server answers for")
    def parts() -> list[str]:
        return list(app.state.parts)

    _offline_docs(app)
    from scomodel.web import mount

    mount(app)
    return app


def _offline_docs(app: FastAPI) -> None:
    """Swagger UI 5 at /docs from the swagger-ui-bundle-v2 package, not from a CDN."""
    from pathlib import Path

    from fastapi.openapi.docs import get_swagger_ui_html
    from fastapi.responses import HTMLResponse
    from fastapi.staticfiles import StaticFiles

    try:
        from swagger_ui_bundle import swagger_ui_path
    except ImportError:  # pragma: no cover - the [web] extra installs swagger-ui-bundle-v2
        _LOG.warning("swagger-ui-bundle is not installed: /docs is off (/openapi.json works)")
        return

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/openapi.json", title="scomodel API",
            swagger_js_url="/vendor/swagger-ui/swagger-ui-bundle.js",
            swagger_css_url="/vendor/swagger-ui/swagger-ui.css",
            swagger_favicon_url="/vendor/swagger-ui/favicon-32x32.png",
        )

    app.mount("/vendor/swagger-ui", StaticFiles(directory=Path(swagger_ui_path)),
              name="swagger-ui")


def _limit_body(app: FastAPI, limit: int) -> None:
    """Refuse bodies over ``limit`` bytes (413, problem+json): by Content-Length before
    reading, or while reading a body sent without one. A JSON body nested deeper than
    :data:`scomodel.limits.JSON_DEPTH` is a 422 before any parser recurses into it.
    Plain ASGI, so GETs pay nothing."""
    app.add_middleware(BodyLimit, limit=limit)


class BodyLimit:
    def __init__(self, app: Any, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        from scomodel.limits import MAX_HEADERS

        if len(scope["headers"]) > MAX_HEADERS:
            await problem(431, f"more than {MAX_HEADERS} request headers", field="headers")(
                scope, receive, send)
            return
        headers = dict(scope["headers"])
        length = headers.get(b"content-length")
        if length is not None:
            if not length.isdigit():
                await problem(400, "bad Content-Length header", field="content-length")(
                    scope, receive, send)
                return
            if int(length) > self.limit:
                await problem(413, f"request body over {self.limit} bytes", field="body")(
                    scope, receive, send)
                return
        if b"json" in headers.get(b"content-type", b"") and scope["method"] != "GET":
            await self._json(scope, receive, send)
            return
        if length is not None:
            await self.app(scope, receive, send)
            return
        seen = 0

        async def counted() -> Any:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise FieldHTTPException(413, f"request body over {self.limit} bytes",
                                             field="body")
            return message

        await self.app(scope, counted, send)

    async def _json(self, scope: Any, receive: Any, send: Any) -> None:
        """Read the (bounded) body whole, measure its nesting, then hand it on."""
        from scomodel.limits import JSON_DEPTH, json_depth

        chunks: list[bytes] = []
        seen = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client went away
            chunks.append(message.get("body", b""))
            seen += len(chunks[-1])
            if seen > self.limit:
                await problem(413, f"request body over {self.limit} bytes", field="body")(
                    scope, receive, send)
                return
            if not message.get("more_body"):
                break
        body = b"".join(chunks)
        depth = json_depth(body)
        if depth > JSON_DEPTH:
            await problem(422, f"the JSON body nests {depth} levels deep, over the limit of "
                          f"{JSON_DEPTH}", field="body", instance=scope["path"])(
                scope, receive, send)
            return
        sent = False

        async def replay() -> Any:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("scomodel")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "0"


def app_from_env() -> Any:
    """uvicorn's factory entry point (``scomodel.api.app:app_from_env``).

    A server process switches threads every 0.5 ms rather than Python's 5 ms: while a
    background thread rebuilds a registry (seconds of Python after an import), the event
    loop gets the interpreter back after each socket call within half a millisecond
    instead of waiting up to 5 (the "convoy effect" that otherwise cuts throughput ~10x).
    """
    import sys

    from scomodel.api import deps

    sys.setswitchinterval(0.0005)
    deps.FREEZE_AFTER_BUILD = True  # builds do not pause the loop for the collector
    return create_app()
