"""RFC 9457 problem details: every error the API returns, never a stack trace.

Each answer names the ``field`` at fault (a query parameter, a path segment or a dotted
path into the JSON body) so a client can point at it, as the CLI's one-line errors do.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from scomodel.errors import (
    InputError,
    NotFoundError,
    OutputError,
    StoreError,
    UnknownNameError,
)
from scomodel.limits import LimitError

__all__ = ["problem", "install_handlers", "PROBLEM_TYPE", "FieldHTTPException", "Problem",
           "PROBLEM_RESPONSES"]

PROBLEM_TYPE = "application/problem+json"
_LOG = logging.getLogger("scomodel.api")

_TITLES = {
    400: "Bad input",
    401: "Unauthorized",
    404: "Not found",
    405: "Method not allowed",
    413: "Request too large",
    422: "Invalid request",
    409: "Conflict",
    429: "Too many requests",
    431: "Request headers too large",
    500: "Internal error",
}


def problem(
    status: int,
    detail: str,
    *,
    field: str | None = None,
    instance: str | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    """A problem+json response (RFC 9457) with scomodel's ``field`` extension."""
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": _TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
    }
    if field is not None:
        body["field"] = field
    if instance is not None:
        body["instance"] = instance
    body.update({k: v for k, v in extra.items() if v is not None})
    return JSONResponse(body, status_code=status, media_type=PROBLEM_TYPE, headers=headers)


class Problem(BaseModel):
    """RFC 9457 problem details, with the field at fault (documentation of the errors)."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    field: str | None = None
    instance: str | None = None
    file: str | None = None
    line: int | None = None
    errors: list[dict[str, str]] | None = None


#: the error answers every router documents in OpenAPI
PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"model": Problem, "description": "Bad input (the field at fault is named)"},
    404: {"model": Problem, "description": "An unknown actor, organization, source..."},
    422: {"model": Problem, "description": "The request does not validate"},
}


class FieldHTTPException(StarletteHTTPException):
    """An HTTP error that names the field (or header) at fault."""

    def __init__(self, status_code: int, detail: str, field: str,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(status_code, detail, headers)
        self.field = field


def _loc_to_field(loc: tuple[Any, ...] | list[Any]) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] in ("query", "path", "body", "header"):
        parts = parts[1:]
    return ".".join(parts) or "body"


def _validation_errors(errors: list[Any]) -> list[dict[str, Any]]:
    return [
        {"field": _loc_to_field(e.get("loc", ())), "message": str(e.get("msg", ""))}
        for e in errors
    ]


class StrictJSONResponse(JSONResponse):
    """JSON as RFC 8259 allows it: a NaN or an infinity is an :class:`OutputError` naming
    where it sits (answered as a 500 that says so), never a body strict parsers reject."""

    def render(self, content: Any) -> bytes:
        from scomodel.output import dumps

        return dumps(content, compact=True).encode("utf-8")


def install_handlers(app: FastAPI) -> None:
    """Map scomodel's errors, FastAPI's validation and any surprise to problem+json."""

    @app.exception_handler(NotFoundError)
    async def _not_found(request: Request, exc: NotFoundError) -> JSONResponse:
        return problem(404, exc.message, field=exc.field, instance=request.url.path)

    @app.exception_handler(UnknownNameError)
    async def _unknown_name(request: Request, exc: UnknownNameError) -> JSONResponse:
        # a name in the path names a resource (404); one in a query or a body is an
        # invalid value (422), as FastAPI answers for any other invalid value
        status = 404 if exc.field in request.path_params else 422
        return problem(
            status, exc.message, field=exc.field, instance=request.url.path, file=exc.file,
            line=exc.line,
        )

    @app.exception_handler(LimitError)
    async def _limit(request: Request, exc: LimitError) -> JSONResponse:
        # a value past a documented cap (scomodel.limits): invalid, as FastAPI's own 422s
        return problem(422, exc.message, field=exc.field, instance=request.url.path,
                       file=exc.file, line=exc.line)

    @app.exception_handler(InputError)
    async def _input(request: Request, exc: InputError) -> JSONResponse:
        return problem(
            400, exc.message, field=exc.field, instance=request.url.path, file=exc.file,
            line=exc.line,
        )

    @app.exception_handler(StoreError)
    async def _store(request: Request, exc: StoreError) -> JSONResponse:
        # the store failed (disk error, disk full, damaged): not the client's fault, and
        # nothing was written (the transaction was rolled back); the file is not shown
        return problem(503, exc.message, instance=request.url.path)

    @app.exception_handler(RequestValidationError)
    async def _request(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = _validation_errors(list(exc.errors()))
        first = errors[0] if errors else {"field": None, "message": "invalid request"}
        return problem(
            422, f"{first['field']}: {first['message']}", field=first["field"],
            instance=request.url.path, errors=errors,
        )

    @app.exception_handler(ValidationError)
    async def _model(request: Request, exc: ValidationError) -> JSONResponse:
        errors = _validation_errors(list(exc.errors()))
        first = errors[0] if errors else {"field": None, "message": "invalid data"}
        return problem(
            422, f"{first['field']}: {first['message']}", field=first["field"],
            instance=request.url.path, errors=errors,
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
        field = getattr(exc, "field", None)
        return problem(
            exc.status_code, detail, field=field, instance=request.url.path,
            headers=dict(exc.headers) if exc.headers else None,
        )

    @app.exception_handler(OutputError)
    async def _output(request: Request, exc: OutputError) -> JSONResponse:
        _LOG.error("non-finite number in the answer to %s: %s", request.url.path, exc)
        return problem(500, str(exc), instance=request.url.path)

    @app.exception_handler(Exception)
    async def _surprise(request: Request, exc: Exception) -> JSONResponse:
        _LOG.exception("unexpected error on %s", request.url.path)
        return problem(
            500, "the server could not answer this request; the error was logged",
            instance=request.url.path,
        )
