from __future__ import annotations

from datetime import UTC, datetime, timedelta

from processors.reconcile import LiveRow, publishers, stale

STAT = """<?xml version="1.0" encoding="utf-8" ?>
<rtmp><server><application><name>live</name><live>
  <stream><name>alpha_chan</name>
    <client><id>7</id><address>127.0.0.1</address><publishing/><active/></client>
    <client><id>9</id><address>127.0.0.1</address><active/></client>
  </stream>
</live></application><application><name>show</name><live>
  <stream><name>alpha_chan_src</name><client><id>11</id><publishing/></client></stream>
</live></application></server></rtmp>"""

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


def row(channel: str, client: str, started_s_ago: float, beat_s_ago: float) -> LiveRow:
    return LiveRow(channel, client, NOW - timedelta(seconds=started_s_ago),
                   NOW - timedelta(seconds=beat_s_ago))


def test_publishers_are_read_from_the_live_application_only() -> None:
    assert publishers(STAT) == {("alpha_chan", "7")}


def test_a_session_nginx_no_longer_has_is_ended() -> None:
    rows = [row("alpha_chan", "7", 60, 5), row("beta_chan", "3", 60, 5)]
    ended = stale(rows, {("alpha_chan", "7")}, NOW, heartbeat_s=10)
    assert [(e.channel, e.client_id, e.reason) for e in ended] == [
        ("beta_chan", "3", "reconciled")]


def test_a_just_started_session_gets_time_to_appear() -> None:
    assert stale([row("beta_chan", "3", 2, 2)], set(), NOW, heartbeat_s=10) == []


def test_unreadable_statistics_end_only_silent_sessions() -> None:
    rows = [row("alpha_chan", "7", 600, 5), row("beta_chan", "3", 600, 45)]
    ended = stale(rows, None, NOW, heartbeat_s=10)
    assert [e.channel for e in ended] == ["beta_chan"]


def test_a_session_nginx_still_publishes_is_kept_however_silent() -> None:
    assert stale([row("alpha_chan", "7", 600, 300)], {("alpha_chan", "7")}, NOW,
                 heartbeat_s=10) == []
