from __future__ import annotations

import pytest

from events.positions import InvalidPosition, Position


def test_token_round_trips() -> None:
    position = Position("channels", 3, 1234)
    assert Position.parse(position.token) == position


@pytest.mark.parametrize("token", ["", "channels", "channels/3", "channels/x/1", "/1/2", "a/1/-2"])
def test_malformed_tokens_are_rejected(token: str) -> None:
    with pytest.raises(InvalidPosition):
        Position.parse(token)
