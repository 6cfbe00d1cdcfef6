"""Every error leaves the gateway as {"error", "message", "field"?} with the right status."""

from __future__ import annotations

import logging

from pydantic import ValidationError
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

log = logging.getLogger(__name__)

HTTP_CODES = {
    400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
    405: "method_not_allowed", 409: "conflict", 413: "payload_too_large",
    415: "unsupported_media_type", 422: "invalid_field", 503: "unavailable",
}


class ApiError(Exception):
    def __init__(
        self, status: int, error: str, message: str, field: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.error = error
        self.message = message
        self.field = field
        self.headers = headers


def error_body(error: str, message: str, field: str | None = None) -> dict[str, str]:
    body = {"error": error, "message": message}
    if field is not None:
        body["field"] = field
    return body


def from_validation(error: ValidationError) -> ApiError:
    """Name the first field at fault, in dotted form."""
    first = error.errors()[0]
    field = ".".join(str(part) for part in first["loc"]) or None
    kind = "missing_field" if first["type"] == "missing" else "invalid_field"
    message = f"{field}: {first['msg']}" if field else first["msg"]
    return ApiError(422, kind, message, field)


async def api_error(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return JSONResponse(
        error_body(exc.error, exc.message, exc.field), status_code=exc.status, headers=exc.headers
    )


async def http_error(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    code = HTTP_CODES.get(exc.status_code, "error")
    return JSONResponse(
        error_body(code, str(exc.detail)), status_code=exc.status_code, headers=exc.headers
    )


async def server_error(request: Request, exc: Exception) -> Response:
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return JSONResponse(
        error_body("internal_error", "the server failed; the request id names it in our logs"),
        status_code=500,
    )


EXCEPTION_HANDLERS = {ApiError: api_error, HTTPException: http_error, Exception: server_error}
