"""nginx-rtmp's callbacks need the shared secret in their URL, and only the live publisher's own
connection may beat for or end its session."""

from __future__ import annotations

import httpx

from config.shared_secrets import ingest_secret
from tests.integration.money import with_channel
from tests.running import RunningPlatform

LIVE_CLIENT, OTHER_CLIENT = "41", "42"


def callback(api: httpx.Client, kind: str, url_secret: str | None,
             **form: str) -> httpx.Response:
    params = {} if url_secret is None else {"secret": url_secret}
    return api.post(f"/ingest/rtmp/{kind}", params=params, data={"app": "live", **form})


def beat(api: httpx.Client, secret: str, channel: str, client_id: str) -> httpx.Response:
    return callback(api, "update", secret, call="update_publish", name=channel,
                    clientid=client_id)


def live_channel(api: httpx.Client, secret: str) -> str:
    """A channel live from LIVE_CLIENT, its publish let in through the callback."""
    streamer = with_channel(api, "ingest")
    key = api.post(f"/api/v1/channels/{streamer.username}/stream-key", headers=streamer.auth)
    assert key.status_code == 201, key.text
    published = callback(api, "publish", secret, name=key.json()["data"]["stream_key"],
                         clientid=LIVE_CLIENT, addr="127.0.0.1")
    assert published.status_code == 302, published.text
    return streamer.username


def test_callbacks_without_the_secret_are_refused_and_change_nothing(
    platform: RunningPlatform, api: httpx.Client
) -> None:
    secret = ingest_secret(platform.settings)
    channel = live_channel(api, secret)
    for wrong in (None, "", secret[:-1], secret + "x"):
        ended = callback(api, "publish_done", wrong, name=channel, clientid=LIVE_CLIENT)
        assert ended.status_code == 403, ended.text
        assert ended.json()["error"] == "forbidden"
        assert beat(api, wrong or "", channel, LIVE_CLIENT).status_code == 403
    assert beat(api, secret, channel, LIVE_CLIENT).status_code == 200, "the session ended"


def test_the_secret_in_the_form_is_not_enough(platform: RunningPlatform,
                                              api: httpx.Client) -> None:
    """nginx-rtmp copies the publisher's stream arguments into the form: never trusted."""
    secret = ingest_secret(platform.settings)
    channel = live_channel(api, secret)
    ended = callback(api, "publish_done", None, name=channel, clientid=LIVE_CLIENT,
                     secret=secret)
    assert ended.status_code == 403, ended.text


def test_only_the_live_connection_beats_and_ends_its_session(
    platform: RunningPlatform, api: httpx.Client
) -> None:
    secret = ingest_secret(platform.settings)
    channel = live_channel(api, secret)
    assert beat(api, secret, channel, OTHER_CLIENT).status_code >= 400
    guessed = callback(api, "publish_done", secret, name=channel, clientid=OTHER_CLIENT)
    assert guessed.status_code == 200, guessed.text
    assert beat(api, secret, channel, LIVE_CLIENT).status_code == 200, "a guess ended it"
    own = callback(api, "publish_done", secret, name=channel, clientid=LIVE_CLIENT)
    assert own.status_code == 200, own.text
    assert beat(api, secret, channel, LIVE_CLIENT).status_code >= 400, "the session lives on"


def test_the_rendered_nginx_config_carries_the_secret(platform: RunningPlatform) -> None:
    config = (platform.settings.state_dir / "nginx-rtmp" / "nginx.conf").read_text()
    secret = ingest_secret(platform.settings)
    for kind in ("publish", "publish_done", "update"):
        assert f"/ingest/rtmp/{kind}?secret={secret};" in config
