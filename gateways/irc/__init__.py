"""Chat in Twitch's IRC dialect, over TCP and WebSocket, on the JSON chat's commands and fan-out."""
