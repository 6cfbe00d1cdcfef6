"""A Twitch Helix-compatible API under /helix: tools written for Twitch work against Castline by
changing their base URL. Each endpoint maps onto Castline's own commands and read models."""
