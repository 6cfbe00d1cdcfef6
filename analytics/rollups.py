"""Rollups over the raw tables: aggregate tables that materialized views fill as the sink
inserts, and the views analysts and the dashboard read them through.

Each rollup lives in the same versioned database as the raw tables it reads, so a replay
rebuilds it by inserting the events again. The sink inserts every event once, so the
aggregates count every event once. Aggregates are merged in the background: always read them
through a GROUP BY (the views do).

The SQL keeps to what runs on both ClickHouse 18.16 and a modern ClickHouse.
"""

from __future__ import annotations

from clickhouse_driver import Client

AGGREGATE_TABLES = {
    "viewers_by_minute": (
        "channel String, minute DateTime('UTC'), viewers AggregateFunction(uniq, String)",
        "AggregatingMergeTree", "toYYYYMM(minute)", "channel, minute"),
    "watch_by_viewer": (
        "viewer_id String, channel String, day Date, "
        "minutes AggregateFunction(uniq, DateTime('UTC'))",
        "AggregatingMergeTree", "toYYYYMM(day)", "viewer_id, channel, day"),
    "chat_by_minute": (
        "channel String, minute DateTime('UTC'), messages AggregateFunction(count), "
        "chatters AggregateFunction(uniq, String)",
        "AggregatingMergeTree", "toYYYYMM(minute)", "channel, minute"),
    "follows_by_day": (
        "channel String, day Date, follows UInt64, unfollows UInt64",
        "SummingMergeTree", "toYYYYMM(day)", "channel, day"),
    "revenue_by_day": (
        "channel String, day Date, source String, currency String, gross_amount Int64, "
        "creator_amount Int64, platform_amount Int64, processor_amount Int64",
        "SummingMergeTree", "toYYYYMM(day)", "channel, day, source, currency"),
}


def _paid(source: str, table: str, platform: str = "platform_share_minor", where: str = "") -> str:
    """A paid event's money per channel and day: what was paid and how it was split."""
    return f"""
        SELECT channel, toDate(occurred_at) AS day, '{source}' AS source, currency,
               sum(amount_minor) AS gross_amount, sum(creator_share_minor) AS creator_amount,
               sum({platform}) AS platform_amount, sum(processor_fee_minor) AS processor_amount
        FROM {table} {where} GROUP BY channel, day, currency"""


# name: (target table, SELECT over a raw table)
MATERIALIZED_VIEWS = {
    "viewers_by_minute_mv": ("viewers_by_minute", """
        SELECT channel, toStartOfMinute(occurred_at) AS minute, uniqState(viewer_id) AS viewers
        FROM raw_view_heartbeat GROUP BY channel, minute"""),
    "watch_by_viewer_mv": ("watch_by_viewer", """
        SELECT viewer_id, channel, toDate(occurred_at) AS day,
               uniqState(toStartOfMinute(occurred_at)) AS minutes
        FROM raw_view_heartbeat GROUP BY viewer_id, channel, day"""),
    "chat_by_minute_mv": ("chat_by_minute", """
        SELECT channel, toStartOfMinute(occurred_at) AS minute, countState() AS messages,
               uniqState(user_id) AS chatters
        FROM raw_chat_message_posted GROUP BY channel, minute"""),
    "follows_by_day_mv": ("follows_by_day", """
        SELECT channel, toDate(occurred_at) AS day, count() AS follows,
               toUInt64(0) AS unfollows
        FROM raw_channel_followed GROUP BY channel, day"""),
    "unfollows_by_day_mv": ("follows_by_day", """
        SELECT channel, toDate(occurred_at) AS day, toUInt64(0) AS follows,
               count() AS unfollows
        FROM raw_channel_unfollowed GROUP BY channel, day"""),
    # A pack's price less the processor's fee and the bits' value is the platform's margin;
    # the bits' value is earned when they are cheered.
    "bits_purchases_by_day_mv": ("revenue_by_day", """
        SELECT '' AS channel, toDate(occurred_at) AS day, 'bits_purchase' AS source, currency,
               sum(amount_minor) AS gross_amount, toInt64(0) AS creator_amount,
               sum(amount_minor - processor_fee_minor - bits_value_minor) AS platform_amount,
               sum(processor_fee_minor) AS processor_amount
        FROM raw_bits_purchased GROUP BY day, currency"""),
    "cheers_by_day_mv": ("revenue_by_day", """
        SELECT channel, toDate(occurred_at) AS day, 'cheer' AS source, currency,
               sum(creator_share_minor + platform_share_minor) AS gross_amount,
               sum(creator_share_minor) AS creator_amount,
               sum(platform_share_minor) AS platform_amount, toInt64(0) AS processor_amount
        FROM raw_bits_cheered GROUP BY channel, day, currency"""),
    "donations_by_day_mv": ("revenue_by_day", _paid("donation", "raw_donation_made",
                                                      platform="platform_fee_minor")),
    "subscriptions_by_day_mv": ("revenue_by_day", _paid(
        "subscription", "raw_subscription_started", where="WHERE amount_minor > 0")),
    "renewals_by_day_mv": ("revenue_by_day", _paid("subscription", "raw_subscription_renewed")),
    "gifts_by_day_mv": ("revenue_by_day", _paid("gift", "raw_subscriptions_gifted")),
    "ads_by_day_mv": ("revenue_by_day", """
        SELECT channel, toDate(occurred_at) AS day, 'ads' AS source, currency,
               sum(revenue_minor) AS gross_amount, sum(creator_share_minor) AS creator_amount,
               sum(platform_share_minor) AS platform_amount, toInt64(0) AS processor_amount
        FROM raw_ad_impression_recorded GROUP BY channel, day, currency"""),
}

# Views in dependency order: a view may read the ones above it.
VIEWS = {
    "concurrent_viewers_per_minute": """
        SELECT channel, minute, uniqMerge(viewers) AS viewers
        FROM viewers_by_minute GROUP BY channel, minute""",
    "chat_activity_per_minute": """
        SELECT channel, minute, countMerge(messages) AS messages,
               uniqMerge(chatters) AS chatters
        FROM chat_by_minute GROUP BY channel, minute""",
    "follows_per_day": """
        SELECT channel, day, sum(follows) AS follows, sum(unfollows) AS unfollows
        FROM follows_by_day GROUP BY channel, day""",
    "revenue_per_day": """
        SELECT day, channel, source, currency, sum(gross_amount) AS gross_amount,
               sum(creator_amount) AS creator_amount, sum(platform_amount) AS platform_amount,
               sum(processor_amount) AS processor_amount
        FROM revenue_by_day GROUP BY day, channel, source, currency""",
    "watch_minutes_by_viewer": """
        SELECT viewer_id, channel, uniqMerge(minutes) AS watch_minutes
        FROM watch_by_viewer GROUP BY viewer_id, channel""",
    "streams": """
        SELECT session_id, any(channel) AS channel,
               minIf(occurred_at, started = 1) AS started_at,
               maxIf(occurred_at, started = 0) AS ended_at,
               countIf(started = 0) = 0 AS live
        FROM (SELECT session_id, channel, occurred_at, toUInt8(1) AS started
              FROM raw_stream_started
              UNION ALL
              SELECT session_id, channel, occurred_at, toUInt8(0) AS started
              FROM raw_stream_ended)
        GROUP BY session_id""",
    "stream_viewers": """
        SELECT session_id, max(minute_viewers) AS peak_viewers,
               sum(minute_viewers) AS watch_minutes, uniqMerge(viewer_states) AS unique_viewers
        FROM (SELECT session_id, minute, uniqMerge(viewers) AS minute_viewers,
                     uniqMergeState(viewers) AS viewer_states
              FROM streams ALL INNER JOIN viewers_by_minute USING channel
              WHERE minute >= toStartOfMinute(started_at)
                AND (live OR minute < toStartOfMinute(ended_at))
              GROUP BY session_id, minute)
        GROUP BY session_id""",
    "co_viewing_pairs": """
        SELECT channel, co_channel, count() AS viewers,
               sum(least(watch_minutes, co_watch_minutes)) AS shared_minutes
        FROM watch_minutes_by_viewer
        ALL INNER JOIN
             (SELECT viewer_id, channel AS co_channel, watch_minutes AS co_watch_minutes
              FROM watch_minutes_by_viewer) AS co USING viewer_id
        WHERE channel != co_channel
        GROUP BY channel, co_channel""",
}


def ddl() -> list[str]:
    """Every statement that makes the rollups, in order; each may run again."""
    statements = [
        f"CREATE TABLE IF NOT EXISTS {name} ({columns}) ENGINE = {engine} "
        f"PARTITION BY {partition} ORDER BY ({order})"
        for name, (columns, engine, partition, order) in AGGREGATE_TABLES.items()]
    statements += [f"CREATE MATERIALIZED VIEW IF NOT EXISTS {name} TO {target} AS {select}"
                   for name, (target, select) in MATERIALIZED_VIEWS.items()]
    statements += [f"CREATE VIEW IF NOT EXISTS {name} AS {select}"
                   for name, select in VIEWS.items()]
    return statements


def analyst_objects() -> tuple[str, ...]:
    """The rollup tables and views analysts read (materialized views only move rows)."""
    return (*AGGREGATE_TABLES, *VIEWS)


def ensure_rollups(client: Client) -> None:
    for statement in ddl():
        client.execute(statement)
