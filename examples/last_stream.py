"""An analyst's notebook, as a script: a channel's last stream from ClickHouse's analytics
views (docs/analytics.md). Each step is a cell: run them one by one in a notebook, or all here.

    python -m examples.last_stream CHANNEL [--clickhouse clickhouse://default@127.0.0.1:19000/castline]

The address defaults to CASTLINE_CLICKHOUSE_URL, else the local server of `make run`.
"""

from __future__ import annotations

import argparse
import os
from datetime import datetime
from typing import Any

from clickhouse_driver import Client

LOCAL = "clickhouse://default@127.0.0.1:19000/castline"


def last_stream(client: Client, channel: str) -> dict[str, Any] | None:
    """Cell 1: the channel's latest live session (still live or ended)."""
    rows = client.execute(
        "SELECT session_id, started_at, ended_at, live FROM streams WHERE channel = %(channel)s "
        "ORDER BY started_at DESC, session_id LIMIT 1", {"channel": channel})
    if not rows:
        return None
    session_id, started_at, ended_at, live = rows[0]
    return {"session_id": session_id, "started_at": started_at,
            "ended_at": None if live else ended_at}


def viewers(client: Client, session_id: str) -> tuple[int, int, int]:
    """Cell 2: peak viewers, unique viewers and watch minutes of the session."""
    rows = client.execute(
        "SELECT peak_viewers, unique_viewers, watch_minutes FROM stream_viewers "
        "WHERE session_id = %(session)s", {"session": session_id})
    return rows[0] if rows else (0, 0, 0)


def chat(client: Client, channel: str, started_at: datetime,
         ended_at: datetime | None) -> tuple[int, int]:
    """Cell 3: chat messages and distinct chatters while the stream was live (the views
    keep whole seconds: the second it ended counts)."""
    until = "AND occurred_at <= %(ended)s" if ended_at is not None else ""
    [(messages, chatters)] = client.execute(
        "SELECT count(), uniqExact(user_id) FROM raw_chat_message_posted "
        f"WHERE channel = %(channel)s AND occurred_at >= %(started)s {until}",
        {"channel": channel, "started": started_at, "ended": ended_at})
    return messages, chatters


def report(client: Client, channel: str) -> str:
    """Cell 4: the figures, as a reader wants them."""
    stream = last_stream(client, channel)
    if stream is None:
        return f"{channel} has not streamed yet"
    peak, unique, minutes = viewers(client, stream["session_id"])
    messages, chatters = chat(client, channel, stream["started_at"], stream["ended_at"])
    ended = stream["ended_at"] or "still live"
    return "\n".join([
        f"last stream of {channel}: session {stream['session_id']}",
        f"  started  {stream['started_at']:%Y-%m-%d %H:%M:%S} UTC",
        f"  ended    {ended if isinstance(ended, str) else f'{ended:%Y-%m-%d %H:%M:%S} UTC'}",
        f"  viewers  peak {peak}, unique {unique}, watch minutes {minutes}",
        f"  chat     {messages} messages from {chatters} chatters",
    ])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("channel", type=str.lower)
    parser.add_argument("--clickhouse", default=os.environ.get("CASTLINE_CLICKHOUSE_URL", LOCAL))
    args = parser.parse_args(argv)
    client = Client.from_url(args.clickhouse)
    try:
        print(report(client, args.channel))
    finally:
        client.disconnect()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
