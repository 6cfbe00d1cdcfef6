"""The frames a chat client may send, told apart by their type."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from gateways.chat_frames import CLIENT_FRAME, AuthFrame, MessageFrame, PingFrame


def test_each_type_is_read_as_its_frame_and_other_fields_are_ignored() -> None:
    assert isinstance(CLIENT_FRAME.validate_python({"type": "ping", "pad": "x"}), PingFrame)
    assert CLIENT_FRAME.validate_python({"type": "auth", "token": "t"}) == AuthFrame(
        type="auth", token="t")
    posted = CLIENT_FRAME.validate_python({"type": "message", "text": "hi",
                                           "nonce": {"n": [1, 2.5]}})
    assert posted == MessageFrame(type="message", text="hi", nonce={"n": [1, 2.5]})
    assert CLIENT_FRAME.validate_python({"type": "message", "text": "hi"}) == MessageFrame(
        type="message", text="hi", nonce=None)


@pytest.mark.parametrize("frame", [
    {}, {"type": "pong"}, {"type": ["ping"]}, {"type": "auth"}, {"type": "auth", "token": 5},
    {"type": "message"}, {"type": "message", "text": 5}, {"type": "message", "text": ["hi"]},
])
def test_a_frame_not_of_the_protocol_is_refused(frame: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        CLIENT_FRAME.validate_python(frame)
