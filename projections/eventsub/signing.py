"""How a webhook message is signed: HMAC-SHA256 with the subscription's secret over the message
id, its timestamp and its body, sent as `Twitch-Eventsub-Message-Signature: sha256=<hex>`."""

from __future__ import annotations

import hashlib
import hmac


def signature(secret: str, message_id: str, timestamp: str, body: str) -> str:
    digest = hmac.new(secret.encode(), (message_id + timestamp + body).encode(),
                      hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def headers(secret: str, message_id: str, timestamp: str, body: str, message_type: str,
            subscription: tuple[str, str], retry: int) -> dict[str, str]:
    """Twitch's headers of a webhook message; `subscription` is its (type, version)."""
    return {
        "Content-Type": "application/json",
        "Twitch-Eventsub-Message-Id": message_id,
        "Twitch-Eventsub-Message-Retry": str(retry),
        "Twitch-Eventsub-Message-Type": message_type,
        "Twitch-Eventsub-Message-Signature": signature(secret, message_id, timestamp, body),
        "Twitch-Eventsub-Message-Timestamp": timestamp,
        "Twitch-Eventsub-Subscription-Type": subscription[0],
        "Twitch-Eventsub-Subscription-Version": subscription[1],
    }
