"""A client's bytes cut into lines (pure): ended by CR LF, LF or a bare CR, as clients send
them; a line over MAX_LINE_BYTES dropped, and a client whose line runs on for a megabyte
told apart, so that neither is ever buffered whole."""

from __future__ import annotations

import re

from gateways.irc.lines import MAX_LINE_BYTES

LINE_END = re.compile(rb"\r\n|\r|\n")
MAX_SKIPPED_BYTES = 1 << 20  # of one overlong line, before its client is let go


class RunawayLine(ValueError):
    """A line that went on past MAX_SKIPPED_BYTES without ending."""


class LineSplitter:
    def __init__(self) -> None:
        self.pending = b""  # the start of a line not yet ended
        self.skipped = 0  # bytes of an overlong line dropped so far; 0 when none
        self.after_cr = False  # the last bytes ended with CR: a LF next belongs to it

    def feed(self, data: bytes) -> list[bytes | None]:
        """The lines `data` ends, without their line breaks; None for each overlong one."""
        if self.after_cr and data.startswith(b"\n"):
            data = data[1:]
        if data:
            self.after_cr = data.endswith(b"\r")
        *ended, rest = LINE_END.split(data)
        lines: list[bytes | None] = []
        for part in ended:
            lines.append(self.ended(part))
        self.carry(rest)
        return lines

    def finish(self) -> list[bytes | None]:
        """The line left when its carrier ended (a WebSocket frame), if any."""
        if not self.pending and not self.skipped:
            return []
        line = self.ended(b"")
        self.after_cr = False
        return [line]

    def ended(self, tail: bytes) -> bytes | None:
        line, self.pending = self.pending + tail, b""
        overlong = self.skipped or len(line) > MAX_LINE_BYTES
        self.skipped = 0
        return None if overlong else line

    def carry(self, rest: bytes) -> None:
        if self.skipped:
            self.skipped += len(rest)
        elif len(self.pending) + len(rest) > MAX_LINE_BYTES:
            self.skipped, self.pending = len(self.pending) + len(rest), b""
        else:
            self.pending += rest
        if self.skipped > MAX_SKIPPED_BYTES:
            raise RunawayLine(f"a line ran on past {MAX_SKIPPED_BYTES} bytes")
