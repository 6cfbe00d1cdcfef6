"""Endpoints are declared once; the routes and the OpenAPI document both come from that."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

Handler = Callable[[Request], Awaitable[Response]]

ERROR_SCHEMA = {
    "type": "object",
    "required": ["error", "message"],
    "properties": {
        "error": {"type": "string", "description": "machine-readable code"},
        "message": {"type": "string"},
        "field": {"type": "string", "description": "the request field at fault"},
    },
}


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str
    handler: Handler
    summary: str
    status: int = 200
    body: type[BaseModel] | None = None
    scope: str | None = None
    errors: tuple[int, ...] = ()
    query: tuple[str, ...] = field(default_factory=tuple)

    def route(self) -> Route:
        return Route(self.path, self.handler, methods=[self.method])

    def operation(self) -> dict[str, Any]:
        responses: dict[str, Any] = {str(self.status): {"description": "success"}}
        for status in self.errors:
            responses[str(status)] = {
                "description": "error",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
            }
        op: dict[str, Any] = {
            "summary": self.summary,
            "operationId": self.handler.__name__,
            "responses": responses,
            "x-scope": self.scope,
            "parameters": self._parameters(),
        }
        if self.body is not None:
            op["requestBody"] = {
                "required": True,
                "content": {"application/json": {"schema": self.body.model_json_schema()}},
            }
        return op

    def _parameters(self) -> list[dict[str, Any]]:
        params = [
            {"name": part[1:-1], "in": "path", "required": True, "schema": {"type": "string"}}
            for part in self.path.split("/") if part.startswith("{")
        ]
        params += [
            {"name": name, "in": "query", "required": False, "schema": {"type": "string"}}
            for name in self.query
        ]
        return params


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
