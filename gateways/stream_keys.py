"""The broadcaster's stream key: made here, shown once, stored by the decider as a digest."""

from __future__ import annotations

import secrets

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from events.stream_commands import RotateStreamKey
from gateways.auth import require_user
from gateways.ingest import stream_key
from gateways.oauth.models import digest
from gateways.state import Services


async def rotate_stream_key(request: Request) -> Response:
    caller = await require_user(request, "channel:read:stream_key")
    channel = request.path_params["name"].lower()
    key = stream_key(channel, secrets.token_hex(20))
    services = Services.of(request)
    await services.commands.submit(RotateStreamKey(
        channel=channel, key_hash=digest(key), actor_id=str(caller.user_id),
        actor_admin=caller.admin))
    return JSONResponse({"data": {
        "server": services.settings.rtmp,
        "stream_key": key,
        "obs": "OBS → Settings → Stream: Service 'Custom…', Server = server, "
               "Stream Key = stream_key. The key is shown only now; rotate to get a new one.",
    }}, status_code=201, headers={"Cache-Control": "no-store"})
