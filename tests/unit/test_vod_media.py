from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from processors.vod_media import (
    Rendition,
    master_playlist,
    of_session,
    playlist_duration_ms,
    recordings_in,
)
from processors.vod_recorder import video_id_of

KEY = "live_some_chan_" + "ab" * 20


def test_recordings_are_named_by_key_or_channel_and_other_files_are_not_recordings(
    tmp_path: Path,
) -> None:
    for name in (f"{KEY}-1700000010.flv", "some_chan-1700000000.flv", "x-1.flv",
                 "some_chan-170.txt", f"{KEY}.flv", "some_chan-12a.flv"):
        (tmp_path / name).touch()
    found = recordings_in(tmp_path)
    assert [(r.channel, r.started, r.path.name) for r in found] == [
        ("some_chan", 1700000000, "some_chan-1700000000.flv"),
        ("some_chan", 1700000010, f"{KEY}-1700000010.flv")]


def test_a_session_takes_the_recordings_its_channel_began_while_it_was_live(
    tmp_path: Path,
) -> None:
    for name in ("chan-999.flv", "chan-1000.flv", "chan-1050.flv", "chan-1101.flv",
                 "other-1050.flv"):
        (tmp_path / name).touch()
    started = datetime.fromtimestamp(1000.6, UTC)
    ended = datetime.fromtimestamp(1100.5, UTC)
    parts = of_session(recordings_in(tmp_path), "chan", started, ended)
    assert [p.path.name for p in parts] == ["chan-999.flv", "chan-1000.flv", "chan-1050.flv"]


def test_a_playlist_lasts_the_sum_of_its_segments() -> None:
    text = "#EXTM3U\n#EXTINF:4.000000,\n0.ts\n#EXTINF:3.960000,\n1.ts\n#EXT-X-ENDLIST\n"
    assert playlist_duration_ms(text) == 7960
    assert playlist_duration_ms("#EXTM3U\n") == 0


def test_the_master_playlist_lists_each_rendition_with_its_bandwidth_and_size() -> None:
    text = master_playlist([Rendition("src", 9000, 4_000_000, 1280, 720),
                            Rendition("160p", 9000, 300_000, 0, 0)])
    assert text == ("#EXTM3U\n#EXT-X-VERSION:3\n"
                    "#EXT-X-STREAM-INF:BANDWIDTH=4000000,RESOLUTION=1280x720\nsrc/index.m3u8\n"
                    "#EXT-X-STREAM-INF:BANDWIDTH=300000\n160p/index.m3u8\n")


def test_a_session_has_one_video_id_however_often_it_is_recorded() -> None:
    assert video_id_of("s1") == video_id_of("s1") != video_id_of("s2")
