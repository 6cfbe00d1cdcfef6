"""A streaming tool: tails the `channels` topic and prints `stream.online` and `stream.offline`
as channels go live and end, as Twitch's EventSub names them.

It reads the JSON lines of `castline events tail channels --follow` (docs/operations.md), so
any language that can read lines can do the same; `--from` starts at an earlier UTC time
instead of now, `--channel` keeps one channel.

    python -m examples.stream_watch [--channel NAME] [--from 2026-12-05T17:00:00]

    stream.online  pixelpaladin  2026-12-05T17:00:03+00:00  session 3b1e...
    stream.offline pixelpaladin  2026-12-05T17:40:10+00:00  publisher_left
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections.abc import Iterable, Iterator
from typing import Any

ONLINE = "castline.streams.StreamStarted"
OFFLINE = "castline.streams.StreamEnded"


def tail_command(channel: str | None, since: str | None) -> list[str]:
    command = [sys.executable, "-m", "castline.cli", "events", "tail", "channels", "--follow"]
    if channel:
        command += ["--key", channel]
    if since:
        command += ["--from", since]
    return command


def notifications(lines: Iterable[str]) -> Iterator[str]:
    """One line per stream going online or offline, from the tail's JSON lines."""
    for line in lines:
        record: dict[str, Any] = json.loads(line)
        event = record["event"]
        if record["type"] == ONLINE:
            yield (f"stream.online  {event['channel']}  {event['occurred_at']}  "
                   f"session {event['session_id']}")
        elif record["type"] == OFFLINE:
            yield (f"stream.offline {event['channel']}  {event['occurred_at']}  "
                   f"{event['reason']}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--channel", type=str.lower, help="only this channel")
    parser.add_argument("--from", dest="since", help="start at this UTC time instead of now")
    args = parser.parse_args(argv)
    tail = subprocess.Popen(tail_command(args.channel, args.since), stdout=subprocess.PIPE,
                            text=True)
    assert tail.stdout is not None
    try:
        for notification in notifications(tail.stdout):
            print(notification, flush=True)
    except KeyboardInterrupt:
        pass
    finally:
        tail.terminate()
        tail.wait()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
