"""Endpoints are declared once; the routes and the OpenAPI document both come from that."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from pydantic import BaseModel
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from gateways.queries import Query

RequestHandler = Callable[[Request], Awaitable[Response]]

ERROR_SCHEMA = {
    "type": "object",
    "required": ["error", "message"],
    "properties": {
        "error": {"type": "string", "description": "machine-readable code"},
        "message": {"type": "string"},
        "field": {"type": "string", "description": "the request field at fault"},
    },
}
# What any request may be answered, before its handler runs: a control character in the path
# or query (400 invalid_text, gateways.guards), the gateway at its request limit (503).
EVERY_REQUEST = (400, 503)
# A bearer token missing, unknown or expired (401), or lacking the scope (403).
SIGNED_IN = (401, 403)
# A JSON body that does not parse or holds a control character (400), too large (413), of
# another media type (415), or not of its model (422; numbers past a signed long too).
JSON_BODY = (400, 413, 415, 422)
# A form body that is not UTF-8 or holds a control character (400), too large (413), or of
# another media type (415).
FORM_BODY = (400, 413, 415)
FORM = "application/x-www-form-urlencoded"
# A raw upload too large (413), of a media type not taken (415), or not what it says (422).
UPLOAD = (413, 415, 422)


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str
    handler: RequestHandler
    summary: str
    status: int = 200
    body: type[BaseModel] | None = None
    form: dict[str, Any] | None = None  # the JSON schema of an optional form body's fields
    uploads: tuple[str, ...] = ()  # the media types a raw body may be sent as
    scope: str | None = None
    errors: tuple[int, ...] = ()
    query: type[Query] | None = None  # its query parameters

    def statuses(self) -> list[int]:
        """Every error status the endpoint can answer: its own, and those its parts bring."""
        found = {*EVERY_REQUEST, *self.errors}
        found.update(SIGNED_IN if self.scope is not None else ())
        found.update(JSON_BODY if self.body is not None else ())
        found.update(FORM_BODY if self.form is not None else ())
        found.update(UPLOAD if self.uploads else ())
        found.update(self.query.statuses() if self.query is not None else ())
        return sorted(found)

    def operation(self) -> dict[str, Any]:
        responses: dict[str, Any] = {str(self.status): {"description": "success"}}
        for status in self.statuses():
            responses[str(status)] = {
                "description": HTTPStatus(status).phrase,
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
            }
        op: dict[str, Any] = {
            "summary": self.summary,
            "operationId": self.handler.__name__,
            "responses": responses,
            "x-scope": self.scope,
            "parameters": self._parameters(),
        }
        body = self._request_body()
        if body is not None:
            op["requestBody"] = body
        return op

    def _request_body(self) -> dict[str, Any] | None:
        if self.body is not None:
            schema = self.body.model_json_schema()
            return {"required": True, "content": {"application/json": {"schema": schema}}}
        if self.form is not None:
            return {"required": False, "content": {FORM: {"schema": self.form}}}
        if self.uploads:
            raw = {"schema": {"type": "string", "format": "binary"}}
            return {"required": True, "content": dict.fromkeys(self.uploads, raw)}
        return None

    def _parameters(self) -> list[dict[str, Any]]:
        params = [
            {"name": part[1:-1], "in": "path", "required": True, "schema": {"type": "string"}}
            for part in self.path.split("/") if part.startswith("{")
        ]
        return params + (query_parameters(self.query) if self.query is not None else [])


def query_parameters(query: type[Query]) -> list[dict[str, Any]]:
    """The query model's fields as OpenAPI parameters, each with its JSON schema."""
    schema = query.model_json_schema()
    required = set(schema.get("required", ()))
    return [_query_parameter(name, field, name in required)
            for name, field in schema["properties"].items()]


def _query_parameter(name: str, field: dict[str, Any], required: bool) -> dict[str, Any]:
    # A parameter is described beside its schema; its title is its name; an absent one is
    # absent, not null.
    schema = {key: value for key, value in field.items()
              if key not in ("title", "description") and (key, value) != ("default", None)}
    return {"name": name, "in": "query", "required": required,
            "description": field.get("description", ""), "schema": schema}


def path_routes(endpoints: list[Endpoint]) -> list[Route]:
    """One route per path, in the order paths first appear, serving each of its methods: a
    method the path lacks is answered 405 with `Allow` naming every method it has."""
    by_path: dict[str, dict[str, RequestHandler]] = {}
    for endpoint in endpoints:
        by_path.setdefault(endpoint.path, {})[endpoint.method] = endpoint.handler
    return [_path_route(path, handlers) for path, handlers in by_path.items()]


def _path_route(path: str, handlers: dict[str, RequestHandler]) -> Route:
    name = "+".join(handler.__name__ for handler in handlers.values())
    if "GET" in handlers:
        handlers = {**handlers, "HEAD": handlers["GET"]}

    async def dispatch(request: Request) -> Response:
        return await handlers[request.method](request)

    return Route(path, dispatch, methods=list(handlers), name=name)


def document(endpoints: list[Endpoint], version: str) -> dict[str, Any]:
    paths: dict[str, dict[str, Any]] = {}
    for endpoint in endpoints:
        paths.setdefault(endpoint.path, {})[endpoint.method.lower()] = endpoint.operation()
    return {
        "openapi": "3.1.0",
        "info": {"title": "Castline API", "version": version},
        "paths": paths,
        "components": {"schemas": {"Error": ERROR_SCHEMA}},
    }


def openapi_route(endpoints: list[Endpoint], version: str) -> Route:
    spec = document(endpoints, version)

    async def openapi(_request: Request) -> Response:
        return JSONResponse(spec)

    return Route("/api/v1/openapi.json", openapi, methods=["GET"])
