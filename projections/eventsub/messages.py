"""EventSub's messages as Twitch writes them: a subscription's JSON, and the WebSocket frames
(metadata plus payload) and webhook bodies that carry notifications."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid5

Json = dict[str, Any]


def timestamp(moment: datetime) -> str:
    """RFC 3339 in UTC with fractional seconds, as Twitch's message timestamps."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def message_id(event_id: UUID, subscription_id: str) -> str:
    """One id per event and subscription, the same however often the event is read."""
    return str(uuid5(event_id, subscription_id))


def subscription_json(row: Json) -> Json:
    transport: Json = {"method": row["method"]}
    if row["method"] == "webhook":
        transport["callback"] = row["callback"]
    else:
        transport["session_id"] = row["session_id"]
        connected = row.get("connected_at")
        transport["connected_at"] = timestamp(connected) if connected else None
    return {"id": str(row["id"]), "status": row["status"], "type": row["type"],
            "version": row["version"], "condition": dict(row["condition"]),
            "created_at": timestamp(row["created_at"]), "transport": transport,
            "cost": row["cost"]}


def frame(message_type: str, payload: Json, sent_at: datetime, message: str,
          subscription: Json | None = None) -> Json:
    metadata: Json = {"message_id": message, "message_type": message_type,
                      "message_timestamp": timestamp(sent_at)}
    if subscription is not None:
        metadata["subscription_type"] = subscription["type"]
        metadata["subscription_version"] = subscription["version"]
    return {"metadata": metadata, "payload": payload}


def session_json(session_id: str, status: str, connected_at: datetime,
                 keepalive_s: int | None, reconnect_url: str | None = None) -> Json:
    return {"session": {"id": session_id, "status": status,
                        "connected_at": timestamp(connected_at),
                        "keepalive_timeout_seconds": keepalive_s,
                        "reconnect_url": reconnect_url, "recovery_url": None}}
