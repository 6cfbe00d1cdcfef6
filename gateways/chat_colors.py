"""Chat colours: a user's own, if they chose one readable on the app's dark background, or a
stable default drawn from their id."""

from __future__ import annotations

import re
import zlib

BACKGROUND = "#251f38"  # the lightest a name is drawn on: a cheer's line in the web app's chat
MIN_CONTRAST = 4.5  # WCAG AA for normal text
HEX = re.compile(r"^#[0-9a-fA-F]{6}$")
DEFAULTS = ("#ff4f5e", "#ff7f50", "#ffb347", "#daa520", "#9acd32", "#3ddc84", "#00c8a0",
            "#5fb3d9", "#1e90ff", "#8c9eff", "#b388ff", "#ff69b4", "#f08ab8", "#e8843c")


def _luminance(color: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(color[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(color: str, background: str = BACKGROUND) -> float:
    lighter, darker = sorted((_luminance(color), _luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def readable(color: str) -> bool:
    return bool(HEX.match(color)) and contrast(color) >= MIN_CONTRAST


def default_color(user_id: str) -> str:
    return DEFAULTS[zlib.crc32(user_id.encode()) % len(DEFAULTS)]


def chat_color(chosen: str | None, user_id: str) -> str:
    return chosen.lower() if chosen else default_color(user_id)
