"""Demo seeding waits out deciders that do not answer yet."""

from __future__ import annotations

import httpx

from castline.seed import sent_until_decided


def test_a_command_is_sent_again_while_the_deciders_answer_503() -> None:
    answers = iter([503, 201])
    sent: list[int] = []

    def send() -> httpx.Response:
        sent.append(1)
        return httpx.Response(next(answers))

    assert sent_until_decided(send).status_code == 201
    assert len(sent) == 2
