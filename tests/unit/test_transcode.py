from __future__ import annotations

import pytest

from config.ladder import InvalidLadder, Rendition, parse_ladder
from infra.transcode import copy_script, hls_variants, ladder_script


def test_ladder_is_parsed_from_settings_text() -> None:
    assert parse_ladder("360p:640x360:800k, 160p:284x160:250k") == [
        Rendition("360p", 640, 360, 800), Rendition("160p", 284, 160, 250)]
    assert parse_ladder("") == []


@pytest.mark.parametrize("text", ["360p", "360p:640:800k", "360p:axb:800k", "360p:640x360:fast"])
def test_a_bad_ladder_is_refused(text: str) -> None:
    with pytest.raises(InvalidLadder):
        parse_ladder(text)


def test_scripts_take_the_channel_as_their_argument() -> None:
    ladder = parse_ladder("360p:640x360:800k")
    copy = copy_script(1935)
    assert "rtmp://127.0.0.1:1935/live/$1" in copy
    assert "rtmp://127.0.0.1:1935/show/$1_src" in copy
    assert "-c copy" in copy
    scaled = ladder_script(1935, ladder)
    assert "scale=640:360" in scaled
    assert "rtmp://127.0.0.1:1935/show/$1_360p" in scaled
    assert "-pix_fmt yuv420p" in scaled


def test_master_playlist_lists_source_then_each_rendition() -> None:
    lines = hls_variants(parse_ladder("360p:640x360:800k")).splitlines()
    assert "hls_variant _src" in lines[0]
    assert "hls_variant _360p BANDWIDTH=896000,RESOLUTION=640x360;" in lines[1]
