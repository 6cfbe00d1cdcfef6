"""The channels projection counts an event id once: the same event again at another offset
(a decider that decided its command again after a crash) changes neither the row nor its
version."""

from __future__ import annotations

from uuid import uuid4

import psycopg

from events.channels import CHANNELS_TOPIC, ChannelCreated, ChannelInfoUpdated
from events.codec import Codec
from tests.integration.parked import produce
from tests.running import RunningPlatform
from tests.waiting import until


def test_the_same_update_at_another_offset_is_counted_once(platform: RunningPlatform) -> None:
    codec = Codec.from_settings(platform.settings)
    channel = f"repeat_{uuid4().hex[:10]}"
    created = codec.encode(ChannelCreated(channel=channel, display_name=channel, title="a",
                                          category="c"))
    renamed = codec.encode(ChannelInfoUpdated(channel=channel, title="b", tags=["x"]))
    # The update twice in a row (one batch, likely), then both events again after a newer
    # title (at later offsets, likely another batch): counted again, the old title would come
    # back. Then a last update to wait for.
    positions = produce(platform.settings, CHANNELS_TOPIC, channel.encode(), [
        created, renamed, renamed,
        codec.encode(ChannelInfoUpdated(channel=channel, title="newer", category="d")),
        created, renamed,
        codec.encode(ChannelInfoUpdated(channel=channel, language="en"))])
    assert len({p.offset for p in positions}) == 7
    with psycopg.connect(platform.settings.postgres, autocommit=True) as conn:
        row = until(lambda: conn.execute(
            "SELECT title, category, tags, language, version FROM channels WHERE channel = %s",
            (channel,)).fetchone(), lambda r: r is not None and r[3] == "en", 60,
            "the last update")
    assert row == ("newer", "d", ["x"], "en", 4)
