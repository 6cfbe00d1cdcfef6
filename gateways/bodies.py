"""Reading a JSON request body into a validated model."""

from __future__ import annotations

import json
from typing import TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError
from starlette.requests import Request

from gateways.errors import ApiError, from_validation

MAX_BODY_BYTES = 64 * 1024

Model = TypeVar("Model", bound=BaseModel)


class Body(BaseModel):
    """Base for request bodies: unknown fields are an error, not silently ignored."""

    model_config = ConfigDict(extra="forbid", strict=True, str_strip_whitespace=True)


async def parse_body(request: Request, model: type[Model]) -> Model:
    content_type = request.headers.get("content-type", "").split(";")[0].strip()
    if content_type != "application/json":
        raise ApiError(415, "unsupported_media_type", "send the body as application/json")
    raw = await request.body()
    if len(raw) > MAX_BODY_BYTES:
        raise ApiError(413, "payload_too_large", f"body is over {MAX_BODY_BYTES} bytes")
    try:
        data = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise ApiError(400, "malformed_json", f"body is not valid JSON: {error}") from error
    if not isinstance(data, dict):
        raise ApiError(400, "malformed_json", "body must be a JSON object")
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise from_validation(error) from error


async def read_limited(request: Request, limit: int) -> bytes:
    """The raw body, refusing (413) as soon as it passes `limit` bytes."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise ApiError(413, "payload_too_large", f"body is over {limit} bytes")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise ApiError(413, "payload_too_large", f"body is over {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)
