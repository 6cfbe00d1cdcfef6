from __future__ import annotations

import pytest

from gateways.chat_colors import (
    DEFAULTS,
    MIN_CONTRAST,
    chat_color,
    contrast,
    default_color,
    readable,
)


def test_every_default_is_readable_on_the_dark_background() -> None:
    assert all(contrast(color) >= MIN_CONTRAST for color in DEFAULTS)


def test_the_default_is_stable_per_user_and_varies_between_users() -> None:
    assert default_color("u1") == default_color("u1")
    assert len({default_color(f"user-{n}") for n in range(200)}) == len(DEFAULTS)


def test_a_chosen_colour_wins_lowercased() -> None:
    assert chat_color("#FF7F50", "u1") == "#ff7f50"
    assert chat_color(None, "u1") == default_color("u1")


@pytest.mark.parametrize(("color", "ok"), [("#ffffff", True), ("#1e90ff", True),
                                           ("#0000ff", False), ("#000000", False),
                                           ("#12345", False), ("red", False),
                                           ("#gggggg", False)])
def test_readable_colours(color: str, ok: bool) -> None:
    assert readable(color) is ok
