"""Routes and the OpenAPI document from one endpoint table: every method of a path served by
one route (a missing method is 405 naming them all in Allow), every error status listed."""

from __future__ import annotations

import asyncio
from typing import Annotated

import httpx
from pydantic import Field
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from gateways.bodies import Body
from gateways.errors import EXCEPTION_HANDLERS
from gateways.openapi import Endpoint, document, path_routes
from gateways.reads import ReadYourWrites


class Note(Body):
    text: str


async def read_note(request: Request) -> Response:
    return JSONResponse({"read": request.path_params["name"]})


async def change_note(request: Request) -> Response:
    return JSONResponse({"changed": request.path_params["name"]})


class NotesPage(ReadYourWrites):
    first: Annotated[int, Field(ge=1, le=100, description="page size")] = 20


ENDPOINTS = [
    Endpoint("GET", "/notes/{name}", read_note, "Read a note", query=NotesPage),
    Endpoint("PATCH", "/notes/{name}", change_note, "Change a note", body=Note,
             scope="notes:edit", errors=(404,)),
]


def send(method: str, path: str) -> httpx.Response:
    app = Starlette(routes=path_routes(ENDPOINTS), exception_handlers=EXCEPTION_HANDLERS)

    async def call() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
            return await http.request(method, path)

    return asyncio.run(call())


def test_each_method_of_a_path_reaches_its_handler() -> None:
    assert send("GET", "/notes/a").json() == {"read": "a"}
    assert send("PATCH", "/notes/a").json() == {"changed": "a"}
    assert send("HEAD", "/notes/a").status_code == 200


def test_a_method_the_path_lacks_is_405_naming_every_method_it_has() -> None:
    for method in ("DELETE", "OPTIONS", "POST"):
        response = send(method, "/notes/a")
        assert response.status_code == 405
        assert response.json()["error"] == "method_not_allowed"
        assert {m.strip() for m in response.headers["allow"].split(",")} == {
            "GET", "HEAD", "PATCH"}


def test_every_status_an_operation_can_answer_is_documented() -> None:
    operations = document(ENDPOINTS, "1")["paths"]["/notes/{name}"]
    read, change = operations["get"], operations["patch"]
    assert set(read["responses"]) == {"200", "400", "422", "503"}
    assert set(change["responses"]) == {"200", "400", "401", "403", "404", "413", "415", "422",
                                        "503"}
    assert change["responses"]["415"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Error"}


def test_query_parameters_are_their_models_fields_with_their_types() -> None:
    read = document(ENDPOINTS, "1")["paths"]["/notes/{name}"]["get"]
    assert [p["name"] for p in read["parameters"]] == ["name", "min_position", "first"]
    first = next(p for p in read["parameters"] if p["name"] == "first")
    assert first == {"name": "first", "in": "query", "required": False,
                     "description": "page size",
                     "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 20}}
    position = next(p for p in read["parameters"] if p["name"] == "min_position")
    assert position["schema"] == {"type": "string", "pattern": "^[^/]+/[0-9]+/[0-9]+$"}
