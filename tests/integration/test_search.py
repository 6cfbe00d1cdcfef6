"""Search through HTTP: name prefixes and typos, words, live channels first by viewers, pages,
and the 400s.

Every test searches for made-up words of its own, so channels other tests left in the read
model never match. Channels go live by their StreamStarted events (no publisher: the channel
decider never hears of these sessions), and the test ends them with StreamEnded.
"""

from __future__ import annotations

import random
import string
from typing import Any
from uuid import uuid4

import httpx
import pytest

from config.settings import Settings
from events.codec import Codec
from events.producer import EventProducer
from events.streams import StreamEnded, StreamStarted
from gateways.pagination import encode_cursor
from tests.integration.oauth_helpers import Account, signed_in
from tests.integration.watching import Player, beat, player
from tests.running import CLIENT_TIMEOUT_S, RunningPlatform
from tests.waiting import until


def made_up_word(length: int = 9) -> str:
    """Random letters that open with two of q, x, z, j: no name another test gives (words
    like "flaky") is within a typo of their prefix."""
    opening = random.choices("qxzj", k=2)
    return "".join(opening + random.choices(string.ascii_lowercase, k=length - 2))


def typo(word: str) -> str:
    """One letter in the middle replaced by another."""
    middle = len(word) // 2
    return word[:middle] + ("x" if word[middle] != "x" else "y") + word[middle + 1:]


def search(api: httpx.Client, query: str, **params: str) -> dict[str, Any]:
    response = api.get("/api/v1/search", params={"query": query, **params})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def names(api: httpx.Client, query: str, **params: str) -> list[str]:
    key = "username" if params.get("type") == "users" else "name"
    return [hit[key] for hit in search(api, query, **params)["data"]]


def streamer(api: httpx.Client, stem: str, **info: Any) -> Account:
    """A user whose channel has the given title, tags, ... and is projected."""
    account = signed_in(api, stem)
    until(lambda: api.get(f"/api/v1/channels/{account.username}").status_code,
          lambda status: status == 200, 20, "the channel")
    changed = api.patch(f"/api/v1/channels/{account.username}", json=info, headers=account.auth)
    assert changed.status_code == 200, changed.text
    read = api.get(f"/api/v1/channels/{account.username}",
                   params={"min_position": changed.json()["position"]})
    assert read.status_code == 200, read.text
    return account


@pytest.fixture(scope="module")
def trio(platform: RunningPlatform) -> tuple[str, list[str]]:
    """A made-up word and three channels it finds: the first has it in its title and tags
    (the most relevant), the other two in their titles only."""
    word = made_up_word()
    with httpx.Client(base_url=platform.base_url, timeout=CLIENT_TIMEOUT_S) as api:
        accounts = [streamer(api, made_up_word(6), title=f"{word} speedrun", tags=[word])]
        accounts += [streamer(api, made_up_word(6), title=f"any% {word} practice")
                     for _ in range(2)]
    return word, [a.username for a in accounts]


def test_channels_are_found_by_name_prefixes_and_typos_and_by_words_and_tags(
        api: httpx.Client) -> None:
    stem, topic, tag = made_up_word(), made_up_word(), made_up_word(8)
    account = streamer(api, stem, title=f"Chill {topic} runs, day 3", tags=[tag.upper()])
    name = account.username
    for query in (stem[:5], stem.upper(), typo(stem), name, topic, f"chill {topic}",
                  f"{topic[:4]} ru", tag):
        assert names(api, query) == [name], query
    hit = search(api, topic)["data"][0]
    assert (hit["title"], hit["live"], hit["viewers"]) == (f"Chill {topic} runs, day 3", False, 0)


def test_users_are_found_by_name_and_typos(api: httpx.Client) -> None:
    stem = made_up_word()
    account = signed_in(api, stem)
    for query in (stem[:5], typo(stem), account.username):
        assert names(api, query, type="users") == [account.username], query
    user = search(api, stem, type="users")["data"][0]
    assert set(user) == {"id", "username", "display_name", "profile_image_url", "live",
                         "viewers"}
    assert (user["display_name"], user["live"], user["viewers"]) == (account.username, False, 0)


def test_categories_are_found_by_words_prefixes_and_typos(api: httpx.Client) -> None:
    assert set(names(api, "legend", type="categories")) == {
        "League of Legends", "Apex Legends", "The Legend of Zelda: Tears of the Kingdom"}
    assert names(api, "minecarft", type="categories") == ["Minecraft"]
    assert names(api, "count str", type="categories") == ["Counter-Strike 2"]
    category = search(api, "stardew", type="categories")["data"][0]
    assert set(category) == {"name", "kind", "live", "viewers"}
    assert (category["name"], category["kind"]) == ("Stardew Valley", "game")


def test_pages_follow_on_by_cursor_most_relevant_first(
        api: httpx.Client, trio: tuple[str, list[str]]) -> None:
    word, channels = trio
    expected = [channels[0], *sorted(channels[1:])]
    assert names(api, word) == expected
    seen, cursor = [], None
    for _ in expected:
        page = search(api, word, first="1", **({"after": cursor} if cursor else {}))
        seen += [hit["name"] for hit in page["data"]]
        cursor = page["pagination"]["cursor"]
    assert (seen, cursor) == (expected, None)


def test_live_channels_come_first_then_by_viewers(
        api: httpx.Client, stack: Settings, trio: tuple[str, list[str]]) -> None:
    word, (relevant, quiet, busy) = trio
    sessions = {channel: str(uuid4()) for channel in (quiet, busy)}
    producer = EventProducer(stack.kafka, Codec.from_settings(stack).encode)
    try:
        live(api, producer, sessions)
        audiences = {busy: [player(api, busy), player(api, busy)], quiet: [player(api, quiet)]}
        until(lambda: watched(api, audiences, word),
              lambda found: found == [(busy, True, 2), (quiet, True, 1), (relevant, False, 0)],
              30, "live channels first, the most watched first")
        first = search(api, word, first="2")
        rest = search(api, word, after=first["pagination"]["cursor"])
        assert [h["name"] for h in rest["data"]] == [relevant]
    finally:
        producer.send([StreamEnded(channel=c, session_id=s, reason="test over")
                       for c, s in sessions.items()])
        producer.close()


def live(api: httpx.Client, producer: EventProducer, sessions: dict[str, str]) -> None:
    positions = producer.send([
        StreamStarted(channel=channel, session_id=session, client_id=f"test-{session}",
                      address="127.0.0.1") for channel, session in sessions.items()])
    for channel, position in zip(sessions, positions, strict=True):
        read = api.get(f"/api/v1/channels/{channel}", params={"min_position": position.token})
        assert read.status_code == 200, read.text
        assert read.json()["data"]["live"], read.text


def watched(api: httpx.Client, audiences: dict[str, list[Player]],
            query: str) -> list[tuple[str, bool, int]]:
    """One round of heartbeats, then the search's (name, live, viewers) in order."""
    for players in audiences.values():
        beat(api, players)
    return [(h["name"], h["live"], h["viewers"]) for h in search(api, query)["data"]]


@pytest.mark.parametrize(("params", "field", "error"), [
    ({}, "query", "invalid_parameter"),
    ({"query": "   "}, "query", "invalid_parameter"),
    ({"query": "?!-_"}, "query", "invalid_parameter"),
    ({"query": "a" * 101}, "query", "invalid_parameter"),
    ({"query": "nin\x00ja"}, "query", "invalid_text"),
    ({"query": "ninja", "type": "games"}, "type", "invalid_parameter"),
    ({"query": "ninja", "first": "0"}, "first", "invalid_parameter"),
    ({"query": "ninja", "first": "101"}, "first", "invalid_parameter"),
    ({"query": "ninja", "first": "ten"}, "first", "invalid_parameter"),
    ({"query": "ninja", "after": "not a cursor"}, "after", "invalid_cursor"),
    ({"query": "ninja", "after": encode_cursor("ninja")}, "after", "invalid_cursor"),
    ({"query": "ninja", "after": encode_cursor([1, 2, 0.5, "ninja"])}, "after",
     "invalid_cursor"),
    ({"query": "ninja", "after": encode_cursor([True, 2**40, 0.5, "ninja"])}, "after",
     "invalid_cursor"),
])
def test_bad_input_is_400_naming_the_parameter(
        api: httpx.Client, params: dict[str, str], field: str, error: str) -> None:
    response = api.get("/api/v1/search", params=params)
    assert response.status_code == 400, response.text
    body = response.json()
    assert (body["error"], body["field"]) == (error, field)
    assert body["message"]


def test_search_is_in_the_openapi_document(api: httpx.Client) -> None:
    operation = api.get("/api/v1/openapi.json").json()["paths"]["/api/v1/search"]["get"]
    assert {p["name"] for p in operation["parameters"]} == {"query", "type", "first", "after"}
    assert "400" in operation["responses"]
