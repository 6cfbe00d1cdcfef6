"""A moderation tool over Castline's HTTP API (docs/chat.md, "Moderation"): bans, timeouts,
slow mode, clearing the chat.

The token is a broadcaster's, a moderator's or an admin's, with the scope
`moderator:manage:banned_users` (bans), `moderator:manage:chat_settings` (slow mode) or
`moderator:manage:chat_messages` (clear); `--token` or the environment variable CASTLINE_TOKEN.

    python -m examples.moderate --channel NAME ban USER [--reason TEXT]
    python -m examples.moderate --channel NAME timeout USER SECONDS [--reason TEXT]
    python -m examples.moderate --channel NAME unban USER
    python -m examples.moderate --channel NAME slow SECONDS    (0 turns it off; other modes off)
    python -m examples.moderate --channel NAME clear

Prints what was done; a refusal prints the API's error and exits 1.
"""

from __future__ import annotations

import argparse
import os
from typing import Any

import httpx


def request(args: argparse.Namespace) -> tuple[str, str, dict[str, Any] | None, str]:
    """The method, path, JSON body and a sentence for what the command does."""
    chat = f"/api/v1/channels/{args.channel}/chat"
    if args.action == "ban":
        return "POST", f"{chat}/bans", {"username": args.user, "reason": args.reason}, \
            f"banned {args.user}"
    if args.action == "timeout":
        return "POST", f"{chat}/bans", {"username": args.user, "duration_s": args.seconds,
                                        "reason": args.reason}, \
            f"timed out {args.user} for {args.seconds} s"
    if args.action == "unban":
        return "DELETE", f"{chat}/bans/{args.user}", None, f"lifted the ban on {args.user}"
    if args.action == "slow":
        state = f"{args.seconds} s" if args.seconds else "off"
        return "PUT", f"{chat}/settings", {"slow_mode_s": args.seconds}, f"slow mode {state}"
    return "DELETE", f"{chat}/messages", None, "cleared the chat"


def refusal(response: httpx.Response) -> str:
    """The API's `{error, message}`, or what else answered (a proxy's page, say)."""
    try:
        error = response.json()
        return f"{error['error']}: {error['message']}"
    except (ValueError, KeyError, TypeError):
        return response.text[:200]


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    main.add_argument("--api", default="http://127.0.0.1:8080", help="the gateway's address")
    main.add_argument("--token", default=os.environ.get("CASTLINE_TOKEN"))
    main.add_argument("--channel", required=True, type=str.lower)
    actions = main.add_subparsers(dest="action", required=True)
    ban = actions.add_parser("ban", help="ban a user from the chat")
    ban.add_argument("user")
    ban.add_argument("--reason")
    timeout = actions.add_parser("timeout", help="time a user out")
    timeout.add_argument("user")
    timeout.add_argument("seconds", type=int)
    timeout.add_argument("--reason")
    actions.add_parser("unban", help="lift a ban or timeout").add_argument("user")
    actions.add_parser("slow", help="set slow mode").add_argument("seconds", type=int)
    actions.add_parser("clear", help="clear the chat")
    return main


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if not args.token:
        print("a token is needed: --token or CASTLINE_TOKEN")
        return 2
    method, path, body, done = request(args)
    with httpx.Client(base_url=args.api, timeout=70,
                      headers={"Authorization": f"Bearer {args.token}"}) as api:
        response = api.request(method, path, json=body)
    if response.status_code >= 400:
        print(f"refused ({response.status_code}): {refusal(response)}")
        return 1
    print(f"{done} in {args.channel}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
