"""nginx-rtmp's callbacks (form posts): publish, publish done, update. Only from the allowed
hosts, and only with the shared secret in the URL's query (never read from the form, into which
nginx-rtmp copies the publisher's own arguments).

A 2xx lets the publisher in (a 302 also renames its stream to the channel's name, so the key
never appears in a public URL); any other answer refuses it or, for an update, disconnects it.
So an update the deciders cannot answer (a worker restarting) keeps the publisher: an outage
of the platform must not end every stream. The reconciler ends what nginx no longer has.
"""

from __future__ import annotations

import hmac
import logging
import re

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from config.shared_secrets import ingest_secret
from events.base import Command
from events.stream_commands import BeatStream, EndStream, StartStream
from gateways.bodies import parse_form
from gateways.errors import ApiError
from gateways.oauth.models import digest
from gateways.state import Services

log = logging.getLogger(__name__)
KEY = re.compile(r"^live_([a-z0-9_]{4,25})_[0-9a-f]{40}$")
CHANNEL = re.compile(r"^[a-z0-9_]{4,25}$")
# Well inside nginx-rtmp's callback timeout (netcall_timeout in the template): a heartbeat it
# gives up on disconnects the publisher, one answered 200 undecided does not.
HEARTBEAT_WAIT_S = 3.0


def stream_key(channel: str, secret_hex: str) -> str:
    return f"live_{channel}_{secret_hex}"


def channel_named(name: str) -> str | None:
    """The channel a stream name belongs to: a stream key before the rename, the channel after."""
    key = KEY.match(name)
    if key:
        return key.group(1)
    return name if CHANNEL.match(name) else None


async def _callback(request: Request) -> dict[str, str]:
    host = request.client.host if request.client else ""
    settings = Services.of(request).settings
    if host not in settings.ingest_hosts:
        raise ApiError(403, "forbidden", "ingest callbacks come from the RTMP servers only")
    given = request.query_params.get("secret", "").encode()
    if not hmac.compare_digest(given, ingest_secret(settings).encode()):
        raise ApiError(403, "forbidden", "ingest callbacks carry the RTMP servers' secret")
    return await parse_form(request)


async def _decide(request: Request, command: Command,
                  timeout_s: float | None = None) -> Response | None:
    """None when accepted; the refusal as a plain 4xx for nginx otherwise."""
    try:
        await Services.of(request).commands.submit(command, timeout_s)
    except ApiError as refusal:
        if refusal.status >= 500:
            raise
        log.info("ingest refused %s: %s", type(command).__name__, refusal.message)
        return Response(refusal.message, status_code=refusal.status)
    return None


async def on_publish(request: Request) -> Response:
    form = await _callback(request)
    key = form.get("name", "")
    match = KEY.match(key)
    if match is None:
        return Response("not a stream key", status_code=403)
    channel = match.group(1)
    command = StartStream(channel=channel, key_hash=digest(key),
                          client_id=form.get("clientid", ""), address=form.get("addr", ""))
    refused = await _decide(request, command)
    return refused or RedirectResponse(channel, status_code=302)


async def on_publish_done(request: Request) -> Response:
    form = await _callback(request)
    channel = channel_named(form.get("name", ""))
    if channel is not None:
        await _decide(request, EndStream(channel=channel, client_id=form.get("clientid", ""),
                                         reason="publisher_left"))
    return Response(status_code=200)


async def on_update(request: Request) -> Response:
    form = await _callback(request)
    channel = channel_named(form.get("name", ""))
    if form.get("call") != "update_publish" or channel is None:
        return Response(status_code=200)
    try:
        refused = await _decide(request, BeatStream(channel=channel,
                                                    client_id=form.get("clientid", "")),
                                HEARTBEAT_WAIT_S)
    except ApiError as unavailable:
        log.warning("heartbeat of %s not decided, publisher kept: %s", channel,
                    unavailable.message)
        return Response(status_code=200)
    return refused or Response(status_code=200)
