"""EventSub's read side: Castline's events as Twitch's notifications, and the outbox of those
waiting for webhooks."""
