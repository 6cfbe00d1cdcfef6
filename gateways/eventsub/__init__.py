"""EventSub in Twitch's shape: subscriptions through Helix, notifications over a WebSocket
session or to a webhook, mapped from Castline's events (docs/twitch-compatibility.md)."""
