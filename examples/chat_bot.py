"""A chat bot over Castline's JSON WebSocket protocol (docs/chat.md), acting as a moderator.

It joins a channel's chat with a bearer token (scopes `chat:read chat:edit
moderator:manage:banned_users`; the bot's user must be the broadcaster or one of its
moderators to time anyone out), answers `!uptime` in chat, and times out for `--timeout-s` a
user whose message holds a blocked word. Moderation is HTTP; chat is the socket.

    python -m examples.chat_bot --api http://127.0.0.1:8080 --channel NAME --token TOKEN \\
        --blocked-word spoiler --blocked-word leak

It prints one line per thing it does, and stops on Ctrl-C.
"""

from __future__ import annotations

import argparse
import json
import re
from datetime import UTC, datetime
from typing import Any

import httpx
from websockets.sync.client import ClientConnection, connect


class ChatBot:
    def __init__(self, api: httpx.Client, channel: str, blocked: list[str],
                 timeout_s: int) -> None:
        self.api = api
        self.channel = channel
        self.blocked = [re.compile(rf"\b{re.escape(word)}\b", re.IGNORECASE) for word in blocked]
        self.timeout_s = timeout_s
        self.me: str | None = None

    def on_frame(self, ws: ClientConnection, frame: dict[str, Any]) -> None:
        if frame["type"] == "join":
            self.me = frame.get("user")
            print(f"joined {frame['channel']} as {self.me}", flush=True)
        elif frame["type"] == "error":
            print(f"refused: {frame['reason']}: {frame['message']}", flush=True)
        elif frame["type"] == "message" and frame["username"] != self.me:
            self.on_message(ws, frame["username"], frame["text"])

    def on_message(self, ws: ClientConnection, username: str, text: str) -> None:
        if text.strip() == "!uptime":
            answer = self.uptime()
            ws.send(json.dumps({"type": "message", "text": answer}))
            print(f"answered !uptime from {username}: {answer}", flush=True)
        elif word := next((p.pattern for p in self.blocked if p.search(text)), None):
            self.time_out(username, word)

    def uptime(self) -> str:
        response = self.api.get(f"/api/v1/channels/{self.channel}")
        if response.status_code != 200:
            return f"cannot tell: the API answered {response.status_code}"
        data = response.json()["data"]
        if not data["live"]:
            return f"{self.channel} is offline"
        since = datetime.fromisoformat(data["live_since"])
        seconds = int((datetime.now(UTC) - since).total_seconds())
        hours, rest = divmod(max(seconds, 0), 3600)
        return f"{self.channel} has been live for {hours}h {rest // 60:02d}m {rest % 60:02d}s"

    def time_out(self, username: str, word: str) -> None:
        response = self.api.post(f"/api/v1/channels/{self.channel}/chat/bans", json={
            "username": username, "duration_s": self.timeout_s,
            "reason": "a blocked word"})
        if response.status_code == 200:
            print(f"timed out {username} for {self.timeout_s} s (blocked word)", flush=True)
        else:
            print(f"could not time out {username}: {response.status_code} {response.text[:200]}",
                  flush=True)


def socket_url(api: str, channel: str) -> str:
    return re.sub(r"^http", "ws", api.rstrip("/")) + f"/ws/channels/{channel}"


def run(api_url: str, channel: str, token: str, blocked: list[str], timeout_s: int) -> None:
    auth = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=api_url, headers=auth, timeout=70) as api, \
            connect(socket_url(api_url, channel), additional_headers=auth) as ws:
        bot = ChatBot(api, channel, blocked, timeout_s)
        for raw in ws:
            bot.on_frame(ws, json.loads(raw))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--api", default="http://127.0.0.1:8080", help="the gateway's address")
    parser.add_argument("--channel", required=True)
    parser.add_argument("--token", required=True, help="the bot user's bearer token")
    parser.add_argument("--blocked-word", action="append", default=[], dest="blocked")
    parser.add_argument("--timeout-s", type=int, default=60)
    args = parser.parse_args(argv)
    try:
        run(args.api, args.channel.lower(), args.token, args.blocked, args.timeout_s)
    except KeyboardInterrupt:
        return 0
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
