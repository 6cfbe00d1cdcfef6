"""The WebSocket close codes of the application's own range (4000-4999) the gateway sends:
4000 plus the HTTP status that means the same. Standard codes are starlette.status's."""

WS_4401_UNAUTHORIZED = 4401  # the bearer token given at the handshake is not valid
WS_4404_CHANNEL_NOT_FOUND = 4404
