"""Frames sent as one to a client that batches: still JSON, the frames in order."""

from __future__ import annotations

import json

from gateways.chat_fanout import batch_frame


def test_a_batch_frame_holds_the_frames_in_order() -> None:
    frames = [{"type": "message", "text": "a"}, {"type": "moderation", "action": "clear"}]
    assert json.loads(batch_frame([json.dumps(f) for f in frames])) == {
        "type": "batch", "frames": frames}
