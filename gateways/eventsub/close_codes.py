"""The close codes of Twitch's EventSub WebSocket."""

INTERNAL_SERVER_ERROR = 4000
CLIENT_SENT_INBOUND_TRAFFIC = 4001  # a client may only answer pings
CLIENT_FAILED_PING_PONG = 4002
CONNECTION_UNUSED = 4003  # no subscription created within the allowed time
RECONNECT_GRACE_TIME_EXPIRED = 4004  # a session_reconnect not followed in time
NETWORK_TIMEOUT = 4005
NETWORK_ERROR = 4006
INVALID_RECONNECT = 4007  # the reconnect URL names no session to take over
